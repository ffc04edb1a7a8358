#!/usr/bin/env python3
"""Raw-socket HTTP cases for brisk.http.serve tests (127.0.0.1 only).

usage: rawhttp.py CASE PORT [ARG]

Prints one line per check, "CASE: what happened", for the Lua test to read:
  malformed      a request line that is not HTTP; a bad header line
  bigheader      a 100 KB header
  bigbody        a Content-Length over the limit; a chunked body over it
  slowhead       a request head sent one byte at a time, slower than the
                 server's deadline (ARG: seconds between bytes)
  idle           a connection that sends nothing
  conns N        N idle connections at once, then one request on a new one
  keepalive      two requests on one connection
  tls CAFILE     a GET over TLS checked against CAFILE, then plain HTTP
"""
import socket
import ssl
import sys
import time


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def read_all(s, wait=None):
    """Reads until the peer closes (or wait seconds pass: '<still open>')."""
    if wait is not None:
        s.settimeout(wait)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except socket.timeout:
        out += b"<still open>"
    except OSError:
        pass
    return out


def exchange(port, data, wait=10.0):
    """Sends data on a new connection, reads until the server closes or
    wait passes."""
    s = connect(port)
    try:
        s.sendall(data)
    except OSError:
        pass
    out = read_all(s, wait)
    s.close()
    return out


def one_response(port, data, wait=5.0):
    """Sends data, reads one response (its head and Content-Length bytes of
    body) or until the server closes: a kept-alive connection is not
    waited on."""
    s = connect(port)
    s.settimeout(wait)
    out = b""
    try:
        s.sendall(data)
        while True:
            head, sep, body = out.partition(b"\r\n\r\n")
            if sep:
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v)
                if len(body) >= length:
                    break
            b = s.recv(65536)
            if not b:
                break
            out += b
    except OSError:
        pass
    s.close()
    return out


def status(resp):
    if resp.startswith(b"HTTP/1."):
        return resp.split(b" ", 2)[1].decode()
    if resp == b"":
        return "closed"
    return resp[:20].decode("latin-1")


def main(case, port, arg):
    def say(what):
        print("%s: %s" % (case, what), flush=True)


    if case == "malformed":
        say("line " + status(exchange(port, b"HELLO THERE\r\n\r\n")))
        say("header " + status(exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n")))
        say("version " + status(exchange(port, b"GET / HTTP/9.9\r\nHost: x\r\n\r\n")))
    elif case == "bigheader":
        say(status(exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n")))
    elif case == "bigbody":
        say("length " + status(exchange(port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n")))
        chunk = b"%x\r\n%s\r\n" % (40000, b"b" * 40000)
        say("chunked " + status(exchange(port, b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                         + chunk * 3 + b"0\r\n\r\n")))
    elif case == "slowhead":
        s = connect(port)
        s.settimeout(30)
        head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"z" * 40 + b"\r\n\r\n"
        closed = "not closed"
        for i in range(len(head)):
            try:
                s.sendall(head[i:i + 1])
                s.setblocking(False)
                try:
                    got = s.recv(100)
                    if got == b"":
                        closed = "closed after %d bytes" % i
                        break
                    if got.startswith(b"HTTP/"):
                        closed = "answered " + status(got)
                        break
                except BlockingIOError:
                    pass
                s.setblocking(True)
                s.settimeout(30)
            except OSError:
                closed = "closed after %d bytes" % i
                break
            time.sleep(float(arg or 0.2))
        say(closed)
    elif case == "idle":
        s = connect(port)
        s.settimeout(30)
        try:
            got = s.recv(100)
            say("closed" if got == b"" else "answered " + status(got))
        except socket.timeout:
            say("still open")
        except OSError:
            say("closed")
    elif case == "conns":
        n = int(arg)
        held = [connect(port) for _ in range(n)]
        time.sleep(0.3)
        extra = connect(port)
        extra.settimeout(0.5)
        state = "waiting"
        try:
            extra.sendall(b"GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            got = extra.recv(100)
            state = "closed" if got == b"" else "answered " + status(got)
        except socket.timeout:
            pass
        except OSError:
            state = "closed"
        say("extra " + state)
        for h in held:
            h.close()
        if state == "waiting":
            extra.settimeout(5)
            try:
                say("extra then " + status(extra.recv(100)))
            except OSError:
                say("extra then lost")
        say("after " + status(exchange(port, b"GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")))
    elif case == "keepalive":
        s = connect(port)
        s.settimeout(5)
        s.sendall(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        first = s.recv(4096)
        s.sendall(b"GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        second = read_all(s)
        say("%s %s" % (status(first), status(second)))
    elif case == "tls":
        ctx = ssl.create_default_context(cafile=arg)
        ctx.check_hostname = False
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with ctx.wrap_socket(raw) as s:
                s.sendall(b"GET /tls HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                out = read_all(s)
        say("https " + status(out) + (" body-ok" if out.endswith(b"tls=true") else " body=" + repr(out[-40:])))
        say("plain " + status(exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", wait=5)))
    else:
        sys.exit("unknown case " + case)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
