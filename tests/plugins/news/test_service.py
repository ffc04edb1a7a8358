#!/usr/bin/env python3
"""The news service seen from outside, as a browser, a feed reader and a
sync client would see it (tests/plugins/news-service.t starts it).

usage: test_service.py checks BASE TOKEN WWW   (prints "ok - ..." lines)
       test_service.py load BASE TOKEN CLIENTS ROUNDS WWW
       test_service.py tls BASE TOKEN CAFILE   (BASE is https://)
       test_service.py page BASE TOKEN         (the page size, one line)

checks: access (no token, wrong token, Bearer, Basic, the login cookie and
its flags), robots.txt, the page (headers, gzip, ETag, no external
reference, rel=noreferrer, tracking parameters stripped, the read button),
the Atom feed (parsed), the sync API (full, 304, read marks as deltas,
paging), stats, malformed and oversized requests, the slow-down of failed
attempts (never of good ones) and the bytes of an unchanged sync.
load: CLIENTS threads sync at once (full, then from their cursors) while
the feeds change under the service; every sync must be answered.
"""
import base64
import gzip
import html
import html.parser
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

BASE, TOKEN = sys.argv[2], sys.argv[3]
HOST, PORT = urllib.parse.urlsplit(BASE).hostname, urllib.parse.urlsplit(BASE).port
failed = 0


def ok(cond, what, diag=None):
    global failed
    print(("ok - " if cond else "not ok - ") + what, flush=True)
    if not cond:
        failed += 1
        if diag is not None:
            print("# " + str(diag)[:400].replace("\n", "\n# "), flush=True)
    return cond


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


opener = urllib.request.build_opener(NoRedirect)


def req(path, token=TOKEN, headers=None, data=None, method=None, raw=False):
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    r = urllib.request.Request(BASE + path, data=data, headers=h, method=method)
    try:
        with opener.open(r, timeout=20) as f:
            body = f.read()
            hd = {k.lower(): v for k, v in f.headers.items()}
            if hd.get("content-encoding") == "gzip" and not raw:
                body = gzip.decompress(body)
            return f.status, hd, body
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def wait_items(n):
    for _ in range(300):
        try:
            st, _, body = req("/api/v1/sync")
            if st == 200:
                d = json.loads(body)
                if len([i for i in d["items"] if not i["read"]]) >= n:
                    return d
        except OSError:
            pass
        time.sleep(0.1)
    return None


class Refs(html.parser.HTMLParser):
    """Every tag, and every attribute that could fetch something."""

    def __init__(self):
        super().__init__()
        self.tags, self.fetching, self.links, self.forms = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for k in ("src", "srcset", "background", "poster", "data"):
            if k in a:
                self.fetching.append((tag, k, a[k]))
        if tag == "link":
            self.fetching.append((tag, "href", a.get("href")))
        if tag == "a":
            self.links.append(a)
        if tag == "form":
            self.forms.append(a)


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import rawhttp  # noqa: E402  (tests/tools/rawhttp.py)


def raw_exchange(data, wait=5.0):
    return rawhttp.one_response(PORT, data, wait)


def checks(www):
    d = wait_items(6)
    if not ok(d is not None, "the service polled the feeds and serves their items"):
        return
    items = d["items"]
    ok(isinstance(d.get("cursor"), str) and isinstance(d.get("feeds"), list), "sync: cursor and feeds")
    it = items[0]
    ok(all(k in it for k in ("id", "feed", "title", "link", "published", "author", "summary", "read")),
       "sync: every field of an item", it)
    ok(any("&" in i["title"] for i in items), "sync: titles are text (entities decoded)", [i["title"] for i in items][:3])
    ok(all("<" not in (i["summary"] or "") for i in items), "sync: summaries are plain text")

    # access
    for t in (None, "wrong-token-of-the-right-length-xx"):
        for p in ("/", "/api/v1/sync", "/feed.atom", "/api/v1/stats"):
            st, hd, body = req(p, token=t)
            ok(st == 401 and it["title"].encode() not in body, "%s with %s: 401, no item text" % (p, "no token" if t is None else "a wrong token"), st)
    st, hd, body = req("/", token=None)
    ok(b"<form" in body and b'action="/login"' in body, "the page's 401 is a login form")
    st, hd, _ = req("/feed.atom", token=None)
    ok("basic" in hd.get("www-authenticate", "").lower(), "/feed.atom asks for Basic auth")
    basic = "Basic " + base64.b64encode(b"anyone:" + TOKEN.encode()).decode()
    st, _, _ = req("/feed.atom", token=None, headers={"Authorization": basic})
    ok(st == 200, "/feed.atom with Basic auth (token as password): 200", st)
    st, _, _ = req("/api/v1/sync", token=None, headers={"Authorization": basic})
    ok(st == 401, "the API does not take Basic auth", st)
    st, hd, body = req("/robots.txt", token=None)
    ok(st == 200 and b"User-agent: *" in body and b"Disallow: /" in body, "robots.txt without a token")

    # login with the form: a cookie, HttpOnly, SameSite=Strict, not Secure over HTTP
    st, hd, _ = req("/login", token=None, data=b"token=wrong", method="POST")
    ok(st == 401 and "set-cookie" not in hd, "a wrong token in the login form: 401, no cookie", st)
    st, hd, _ = req("/login", token=None, data=urllib.parse.urlencode({"token": TOKEN}).encode(), method="POST")
    cookie = hd.get("set-cookie", "")
    ok(st == 303 and hd.get("location") == "/", "the right token: 303 to the page", st)
    ok("HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie,
       "the cookie is HttpOnly, SameSite=Strict (Secure only over TLS)", cookie)
    jar = cookie.split(";")[0]
    st, hd, body = req("/", token=None, headers={"Cookie": jar, "Accept-Encoding": "gzip"})
    ok(st == 200 and html.escape(it["title"]).encode() in body, "the cookie opens the page", st)
    st, _, _ = req("/", token=None, headers={"Cookie": jar[:-2] + "00"})
    ok(st == 401, "a forged cookie does not", st)

    # the page
    st, hd, zbody = req("/", headers={"Accept-Encoding": "gzip"}, raw=True)
    ok(hd.get("content-encoding") == "gzip", "page: gzip when asked")
    page = gzip.decompress(zbody).decode("utf-8")
    ok(hd.get("referrer-policy") == "no-referrer", "page: Referrer-Policy: no-referrer")
    ok("noindex" in hd.get("x-robots-tag", "") and "nofollow" in hd.get("x-robots-tag", ""), "page: X-Robots-Tag noindex, nofollow")
    csp = hd.get("content-security-policy", "")
    ok("default-src 'none'" in csp and "style-src 'unsafe-inline'" in csp and "form-action 'self'" in csp,
       "page: CSP default-src 'none'; style-src 'unsafe-inline'; form-action 'self'", csp)
    p = Refs()
    p.feed(page)
    ok(not p.fetching, "page: nothing that fetches (src, srcset, link ...)", p.fetching[:3])
    ok(not set(p.tags) & {"script", "img", "iframe", "object", "embed", "video", "audio", "link", "base"},
       "page: no script, image, frame, media or link element", sorted(set(p.tags)))
    ok("url(" not in page and "@import" not in page, "page: no style that loads anything")
    ext = [a for a in p.links if a.get("href", "").startswith("http")]
    ok(ext and all("noreferrer" in a.get("rel", "") and "noopener" in a.get("rel", "") for a in ext),
       "page: every link has rel=\"noreferrer noopener\"", ext[:2])
    ok(all(a["href"].startswith(("http://", "https://", "/")) for a in p.links), "page: only http(s) links")
    ok("utm_source" not in page and "fbclid" not in page, "page: tracking parameters stripped")
    ok("track.example" not in page, "page: no image of the feed leaks through")
    ok(p.forms and p.forms[-1].get("method") == "post" and p.forms[-1].get("action") == "/read",
       "page: a form button marks what it shows as read (no JavaScript)")
    etag = hd.get("etag")
    st, hd2, body = req("/", headers={"If-None-Match": etag or "", "Accept-Encoding": "gzip"})
    ok(etag and st == 304 and body == b"", "page: an unchanged reload is a bodiless 304", st)

    # Atom
    st, hd, body = req("/feed.atom")
    ok(st == 200 and "atom+xml" in hd.get("content-type", ""), "atom: 200, application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    try:
        root = ET.fromstring(body)
        entries = root.findall("a:entry", ns)
        unread = [i for i in items if not i["read"]]
        ok(root.tag == "{http://www.w3.org/2005/Atom}feed" and len(entries) == len(unread),
           "atom: a feed with one entry per unread item", (len(entries), len(unread)))
        ok(all(e.find("a:id", ns) is not None and e.find("a:updated", ns) is not None and e.find("a:title", ns) is not None
               for e in entries), "atom: every entry has id, title, updated")
        ok(root.find("a:id", ns) is not None and root.find("a:updated", ns) is not None, "atom: the feed has id and updated")
    except ET.ParseError as e:
        ok(False, "atom: well-formed XML", e)
    try:
        import feedparser
        fp = feedparser.parse(body)
        ok(not fp.bozo and len(fp.entries) == len([i for i in items if not i["read"]]), "atom: feedparser reads it without complaint", fp.get("bozo_exception"))
    except ImportError:
        print("# feedparser not installed: Atom checked with ElementTree only")

    # sync: 304, marks, deltas, paging
    cur = d["cursor"]
    q = urllib.parse.quote(cur, safe="")
    st, _, body = req("/api/v1/sync?since=" + q)
    ok(st == 304 and body == b"", "sync from the latest cursor: bodiless 304", st)
    st, _, body = req("/api/v1/sync?since=elsewhere-5")
    ok(st == 200 and len(json.loads(body)["items"]) == len(items), "a cursor of another store: a full sync")
    two = [i["id"] for i in items[:2]]
    st, _, body = req("/api/v1/read", data=json.dumps({"ids": two, "read": True}).encode(),
                      headers={"Content-Type": "application/json"}, method="POST")
    ok(st == 200 and json.loads(body).get("changed") == 2, "POST /api/v1/read marks two items", body[:100])
    st, _, body = req("/api/v1/sync?since=" + q)
    delta = json.loads(body)["items"] if st == 200 else []
    ok(st == 200 and sorted(i["id"] for i in delta) == sorted(two) and all(i["read"] is True for i in delta),
       "the next sync carries exactly the read marks", delta)
    ok(all(set(i) == {"id", "read"} for i in delta), "a read mark alone travels as {id, read}", delta[:1])
    for bad in (b"{", b'{"ids": "x"}', b'{"ids": [1.5]}', b"[]"):
        st, _, _ = req("/api/v1/read", data=bad, headers={"Content-Type": "application/json"}, method="POST")
        ok(st == 400, "POST /api/v1/read %s: 400" % bad.decode(), st)
    got, cursor, pages = [], None, 0
    while pages < 50:
        st, _, body = req("/api/v1/sync?limit=2" + ("&since=" + urllib.parse.quote(cursor, safe="") if cursor else ""))
        if st != 200:
            break
        a = json.loads(body)
        got += a["items"]
        cursor, pages = a["cursor"], pages + 1
        if not a["more"]:
            break
    ok(sorted(i["id"] for i in got) == sorted(i["id"] for i in items) and pages > 2,
       "paging with limit=2: every item once over %d answers" % pages, len(got))

    # the page's button marks what it showed
    st, hd, body = req("/", token=None, headers={"Cookie": jar})
    shown = re.search(rb'name="ids" value="([0-9,]*)"', body)
    st, hd, _ = req("/read", token=None, headers={"Cookie": jar}, data=b"ids=" + (shown.group(1) if shown else b""), method="POST")
    ok(st == 303, "the read button: 303 back to the page", st)
    st, hd, body = req("/", token=None, headers={"Cookie": jar})
    ok(b"0 unread" in body, "after the button the page is empty", re.findall(rb"<h1>[^<]*", body))
    st, _, _ = req("/read", token=None, data=b"ids=1", method="POST")
    ok(st == 401, "the button without the cookie: 401")
    st, _, body = req("/api/v1/read", data=json.dumps({"ids": [i["id"] for i in items], "read": False}).encode(), method="POST")
    ok(st == 200, "mark everything unread again")

    # stats
    st, _, body = req("/api/v1/stats?days=2", headers={"X-Client": "tester"})
    s = json.loads(body) if st == 200 else {}
    ok(st == 200 and s.get("upstream") and all("requests" in r and "wire_bytes" in r and "not_modified" in r for r in s["upstream"]),
       "stats: upstream per feed and day (requests, 304s, wire and decoded bytes)", body[:200])
    st, _, body = req("/api/v1/sync?since=" + q, headers={"X-Client": "tester"})
    st, _, body = req("/api/v1/stats?days=1", headers={"X-Client": "tester"})
    down = [r for r in json.loads(body)["downstream"] if r["client"] == "tester"]
    ok(down and down[0]["syncs"] >= 1 and down[0]["bytes"] > 0, "stats: downstream per client and day (syncs, 304s, bytes)", down)

    # malformed and oversized: answered by the server, the service lives on
    for name, data in (("garbage", b"NOT HTTP AT ALL\r\n\r\n"),
                       ("huge header", b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 200000 + b"\r\n\r\n"),
                       ("huge body", b"POST /api/v1/read HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN.encode()
                        + b"\r\nContent-Length: 100000000\r\n\r\n")):
        out = raw_exchange(data)
        code = out.split(b" ", 2)[1] if out.startswith(b"HTTP/1.") else b"closed"
        ok(code in (b"400", b"413", b"414", b"431", b"505", b"closed"), "%s: refused (%s)" % (name, code.decode()))
    st, _, _ = req("/api/v1/sync")
    ok(st == 200, "the service still answers after them")

    # failed attempts are slowed down per address; good ones never wait
    for _ in range(5):
        req("/api/v1/sync", token="wrong-again-wrong-again-wrong")
    order = []
    bad = threading.Thread(target=lambda: (req("/api/v1/sync", token="wrong-again-wrong-again-wrong"), order.append("bad")))
    bad.start()
    time.sleep(0.05)
    st, _, _ = req("/api/v1/sync")
    order.append("good %d" % st)
    bad.join()
    ok(order == ["good 200", "bad"], "after repeated failures a bad attempt waits; a good one sent later is answered first", order)

    # bytes of an unchanged sync on the wire, as brisk's client sends it
    st, _, body = req("/api/v1/sync")
    cur = json.loads(body)["cursor"]
    request = ("GET /api/v1/sync?since=%s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: brisk/0.1\r\nAccept: */*\r\n"
               "Accept-Encoding: gzip, deflate\r\nAuthorization: Bearer %s\r\nX-Client: 0a1b2c3d\r\n\r\n"
               % (cur, HOST, PORT, TOKEN)).encode()
    out = raw_exchange(request)
    ok(out.startswith(b"HTTP/1.1 304"), "raw unchanged sync: 304", out[:40])
    total = len(request) + len(out)
    ok(total <= 600, "an unchanged sync is %d bytes on the wire (request %d + response %d), at most 600"
       % (total, len(request), len(out)))
    print("# figure: unchanged sync %d bytes on the wire (request %d, response %d)" % (total, len(request), len(out)))


def load(clients, rounds, www):
    """clients threads, each: a full sync, then rounds syncs from its cursor,
    while a writer changes the feeds the service polls every second."""
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            path = os.path.join(www, "f1.xml")
            body = open(path, "rb").read().replace(b"</channel>", b"<item><title>Load %d</title><guid>load-%d</guid>"
                                                    b"<link>http://load.example/%d</link></item></channel>" % (n, n, n), 1)
            open(path + ".tmp", "wb").write(body)
            os.rename(path + ".tmp", path)
            time.sleep(0.3)

    lat, errors, codes = [], [], {}
    lock = threading.Lock()

    def client(k):
        cursor = None
        for r in range(rounds + 1):
            path = "/api/v1/sync" + ("?since=" + urllib.parse.quote(cursor, safe="") if cursor else "")
            t = time.monotonic()
            try:
                st, _, body = req(path, headers={"Accept-Encoding": "gzip", "X-Client": "load%d" % k})
                ms = (time.monotonic() - t) * 1000
                if st == 200:
                    cursor = json.loads(body)["cursor"]
                with lock:
                    lat.append(ms)
                    codes[st] = codes.get(st, 0) + 1
            except Exception as e:
                with lock:
                    errors.append(repr(e))
            time.sleep(0.05)

    w = threading.Thread(target=writer)
    w.start()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    w.join()
    lat.sort()
    n = len(lat)
    ok(not errors and n == clients * (rounds + 1) and set(codes) <= {200, 304},
       "%d clients x %d syncs at once while the service polls: every one answered (%s)" % (clients, rounds + 1, codes), errors[:3])
    if n:
        p = lambda q: lat[min(n - 1, int(q * n))]
        print("# figure: %d syncs, latency ms: median %.1f, p90 %.1f, p99 %.1f, max %.1f" % (n, p(0.5), p(0.9), p(0.99), lat[-1]))


def tls(cafile):
    """The service over HTTPS: answers, and its cookie is Secure."""
    import ssl
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = False
    https = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=ctx))
    with https.open(BASE + "/robots.txt", timeout=20) as f:
        ok(f.status == 200 and b"Disallow: /" in f.read(), "HTTPS: robots.txt over TLS")
    r = urllib.request.Request(BASE + "/login", data=urllib.parse.urlencode({"token": TOKEN}).encode(), method="POST")
    try:
        https.open(r, timeout=20)
        cookie, st = "", 200
    except urllib.error.HTTPError as e:
        cookie, st = e.headers.get("Set-Cookie", ""), e.code
    ok(st == 303 and "Secure" in cookie and "HttpOnly" in cookie, "HTTPS: the login cookie is Secure", cookie)
    plain = urllib.request.Request(BASE.replace("https:", "http:") + "/robots.txt")
    try:
        urllib.request.urlopen(plain, timeout=5)
        ok(False, "plain HTTP to the HTTPS port is refused")
    except Exception:
        ok(True, "plain HTTP to the HTTPS port is refused")


def page_size():
    st, hd, z = req("/", headers={"Accept-Encoding": "gzip"}, raw=True)
    body = gzip.decompress(z) if hd.get("content-encoding") == "gzip" else z
    n = len(re.findall(rb"<article>", body))
    print("%d %d %d %d" % (st, n, len(z), len(body)))


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "checks":
        checks(sys.argv[4])
    elif what == "load":
        load(int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif what == "page":
        page_size()
    elif what == "tls":
        tls(sys.argv[4])
    sys.exit(1 if failed else 0)
