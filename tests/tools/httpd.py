#!/usr/bin/env python3
"""Loopback HTTP server for brisk's tests (127.0.0.1 only).

usage: httpd.py PORTFILE [LOGFILE]

Binds a random port on 127.0.0.1 and writes it to PORTFILE once listening.
Each request is logged to LOGFILE as one JSON line:
{"path": ..., "method": ..., "h": {lower-case request headers}}.

Paths:
  /feed           compressible RSS (gzip if accepted), ETag "v1",
                  Last-Modified fixed; 304 to If-None-Match "v1" or to an
                  If-Modified-Since not older than Last-Modified
  /deflate        the same body, zlib-wrapped deflate if accepted
  /rawdeflate     the same body, raw deflate (as some servers send it)
  /badgzip        Content-Encoding: gzip with a corrupt body
  /truncgzip      a gzip body cut in the middle
  /gzipbomb       100 MB of zeros, gzip-compressed (about 100 KB on the wire)
  /big?n=N        N bytes with a Content-Length
  /endless        a body that never ends (no Content-Length)
  /slow?n=N       N bytes, one every 20 ms
  /hang           accepts and says nothing for 30 s
  /loop...        redirects forever (/loop -> /loop5 -> /loop6 ...)
  /redirect?n=K   K redirects, then /headers
  /chain?c=301.302.308  one redirect per code, in order, then /headers
  /headers        the request headers as a JSON body
  /echo           method, headers and body as JSON (any method)
  /status/NNN     an empty response with that status
  /dup            repeated response headers (X-Multi twice)
  /text           a short text/plain body
"""
import email.utils
import gzip
import http.server
import json
import sys
import time
import urllib.parse
import zlib

BODY = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
        + b"<item><title>x</title></item>" * 2000 + b"</channel></rss>")
LAST_MODIFIED = 1700000000
LOG = open(sys.argv[2], "a") if len(sys.argv) > 2 else None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def accepts(self, enc):
        return enc in (self.headers.get("Accept-Encoding") or "")

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        req_body = self.rfile.read(n) if n else b""
        if LOG:
            LOG.write(json.dumps({"path": self.path, "method": self.command,
                                  "h": {k.lower(): v for k, v in self.headers.items()}}) + "\n")
            LOG.flush()
        u = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        p = u.path
        if p == "/feed":
            lm = email.utils.formatdate(LAST_MODIFIED, usegmt=True)
            ims = self.headers.get("If-Modified-Since")
            fresh = False
            if ims:
                try:
                    fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= LAST_MODIFIED
                except (TypeError, ValueError):
                    fresh = False
            inm = self.headers.get("If-None-Match")
            if inm == '"v1"' or (inm is None and fresh):
                return self.send(304, b"", [("ETag", '"v1"'), ("Last-Modified", lm)])
            h = [("ETag", '"v1"'), ("Last-Modified", lm), ("Content-Type", "application/rss+xml")]
            if self.accepts("gzip"):
                return self.send(200, gzip.compress(BODY), h + [("Content-Encoding", "gzip")])
            return self.send(200, BODY, h)
        if p == "/deflate":
            return self.send(200, zlib.compress(BODY), [("Content-Encoding", "deflate")])
        if p == "/rawdeflate":
            c = zlib.compressobj(wbits=-15)
            return self.send(200, c.compress(BODY) + c.flush(), [("Content-Encoding", "deflate")])
        if p == "/badgzip":
            return self.send(200, b"\x1f\x8b\x08\x00garbage-garbage-garbage" * 10, [("Content-Encoding", "gzip")])
        if p == "/truncgzip":
            g = gzip.compress(BODY)
            return self.send(200, g[: len(g) // 2], [("Content-Encoding", "gzip")])
        if p == "/gzipbomb":
            return self.send(200, gzip.compress(b"\0" * (100 * 1024 * 1024), 9), [("Content-Encoding", "gzip")])
        if p == "/big":
            return self.send(200, b"b" * int(q.get("n", "1000")))
        if p == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass
            return
        if p == "/slow":
            n = int(q.get("n", "10"))
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            try:
                for _ in range(n):
                    self.wfile.write(b"s")
                    self.wfile.flush()
                    time.sleep(0.02)
            except OSError:
                pass
            return
        if p == "/hang":
            time.sleep(30)
            return
        if p.startswith("/loop"):
            return self.send(302, b"", [("Location", "/loop" + str(len(p)))])
        if p == "/redirect":
            k = int(q.get("n", "1"))
            loc = "/redirect?n=%d" % (k - 1) if k > 1 else "/headers"
            return self.send(302, b"moved", [("Location", loc)])
        if p == "/chain":
            codes = [c for c in q.get("c", "").split(".") if c]
            if not codes:
                return self.send(302, b"", [("Location", "/headers")])
            rest = ".".join(codes[1:])
            loc = "/chain?c=" + rest if rest else "/headers"
            return self.send(int(codes[0]), b"moved", [("Location", loc)])
        if p == "/headers":
            body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
            return self.send(200, body, [("Content-Type", "application/json")])
        if p == "/echo":
            body = json.dumps({"method": self.command, "body": req_body.decode("latin-1"),
                               "h": {k.lower(): v for k, v in self.headers.items()}}).encode()
            return self.send(200, body, [("Content-Type", "application/json")])
        if p.startswith("/status/"):
            return self.send(int(p[8:]), b"")
        if p == "/dup":
            return self.send(200, b"dup", [("X-Multi", "a"), ("X-Multi", "b"), ("X-Single", "s")])
        if p == "/text":
            return self.send(200, b"hello\n", [("Content-Type", "text/plain")])
        return self.send(404, b"not found\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many requests at once: no SYN retries

    def handle_error(self, request, client_address):
        # Clients hanging up (cancel, size cap, timeout) are expected.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def main():
    s = Server(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(s.server_address[1]))
    import os
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
    try:
        s.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
