#!/usr/bin/env python3
"""Loopback feed server for the news plugin's fetch tests (127.0.0.1 only).

usage: feedserver.py PORTFILE ROOT LOGFILE

Serves the files in ROOT with an ETag (a hash of the content) and a
Last-Modified (the file's mtime), answers 304 to a matching If-None-Match
(or, without one, to an If-Modified-Since not older than the file), and
gzips the body when the client accepts it. Logs each request as one JSON
line: {"path", "h" (lower-case request headers), "status", "bytes" (body
sent), "head" (response head bytes), "req" (request head bytes)}.
Fault paths: /hang (30 s of silence), /endless (a body that never ends),
/status/NNN, /badgzip (corrupt gzip), /retry (429 + Retry-After: 3600),
/redirect/NAME (302 to /NAME), /moved/NAME (301 to /NAME), /loop
(redirects forever), /charset/CHARSET/NAME (NAME as it is, with
Content-Type: application/rss+xml; charset=CHARSET), /located/NAME (NAME
with a Content-Location: /base/dir/ for its relative links).
"""
import email.utils
import gzip
import hashlib
import http.server
import json
import os
import sys
import time

ROOT = sys.argv[2]
LOG = open(sys.argv[3], "a")


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def log(self, status, n, head=0):
        h = {k.lower(): v for k, v in self.headers.items()}
        req = len(self.requestline) + 2 + sum(len(k) + len(v) + 4 for k, v in self.headers.items()) + 2
        LOG.write(json.dumps({"path": self.path, "h": h, "status": status, "bytes": n,
                              "head": head, "req": req}) + "\n")
        LOG.flush()

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        head = sum(len(x) for x in getattr(self, "_headers_buffer", [])) + 2
        self.log(status, len(body), head)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        p = self.path
        if p == "/hang":
            self.log(0, 0)
            time.sleep(30)
            return
        if p == "/endless":
            self.log(200, -1)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            try:
                self.wfile.write(b"<?xml version='1.0'?><rss version='2.0'><channel><title>endless</title>")
                for _ in range(100000):
                    self.wfile.write(b"<item><title>more</title></item>" * 1000)
            except Exception:
                pass
            return
        if p.startswith("/status/"):
            return self.reply(int(p[8:]))
        if p == "/retry":
            return self.reply(429, b"slow down", [("Retry-After", "3600")])
        if p == "/badgzip":
            return self.reply(200, b"\x1f\x8b\x08\x00garbage-not-gzip", [("Content-Encoding", "gzip")])
        if p.startswith("/redirect/"):
            return self.reply(302, b"", [("Location", "/" + p[10:])])
        if p.startswith("/moved/"):
            return self.reply(301, b"", [("Location", "/" + p[7:])])
        if p.startswith("/charset/"):
            charset, name = p[9:].split("/", 1)
            body = open(os.path.join(ROOT, os.path.basename(name)), "rb").read()
            return self.reply(200, body, [("Content-Type", "application/rss+xml; charset=" + charset)])
        if p.startswith("/located/"):
            body = open(os.path.join(ROOT, os.path.basename(p[9:])), "rb").read()
            return self.reply(200, body, [("Content-Type", "application/rss+xml"),
                                          ("Content-Location", "/base/dir/")])
        if p.startswith("/loop"):
            return self.reply(302, b"", [("Location", "/loop" + str(len(p)))])
        path = os.path.join(ROOT, os.path.basename(p.split("?")[0]))
        if not os.path.isfile(path):
            return self.reply(404)
        body = open(path, "rb").read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        mtime = int(os.path.getmtime(path))
        h = {k.lower(): v for k, v in self.headers.items()}
        ims = h.get("if-modified-since")
        fresh = False
        if ims:
            try:
                fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= mtime
            except Exception:
                fresh = False
        common = [("ETag", etag), ("Last-Modified", email.utils.formatdate(mtime, usegmt=True))]
        if h.get("if-none-match") == etag or ("if-none-match" not in h and fresh):
            return self.reply(304, b"", common)
        if "gzip" in h.get("accept-encoding", ""):
            return self.reply(200, gzip.compress(body), common + [("Content-Encoding", "gzip"),
                                                             ("Content-Type", "application/rss+xml")])
        return self.reply(200, body, common + [("Content-Type", "application/rss+xml")])


s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
s.daemon_threads = True
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
