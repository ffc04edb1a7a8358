-- brisk.http against tests/tools/httpd.py on 127.0.0.1.
-- usage: brisk --headless -l tests/lua/http.lua PORT LOGFILE
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local port, logfile = arg[1], arg[2]
assert(port and logfile, "usage: http.lua PORT LOGFILE")
local base = "http://127.0.0.1:" .. port
local t0 = T.ms()
local FEED_LEN = 58081 -- the server's /feed body, uncompressed

local function req(opts, what, check)
  local done = T.wait(what)
  opts.on_response = function(r)
    local ok, e = pcall(check, r)
    if not ok then T.ok(false, what .. " (check raised)", e) end
    done()
  end
  return brisk.http.request(opts)
end

-- decompression ----------------------------------------------------------
req({url = base .. "/feed"}, "gzip", function(r)
  T.is(r.status, 200, "gzip: status 200")
  T.is(r.error, nil, "gzip: no error")
  T.is(r.headers["content-encoding"], "gzip", "gzip: the server compressed it")
  T.is(#r.body, FEED_LEN, "gzip: body decoded to its full length")
  T.is(r.body_bytes, FEED_LEN, "gzip: body_bytes is the decoded size")
  T.ok(r.wire_bytes < r.body_bytes / 10, "gzip: wire_bytes counts the compressed bytes",
    ("wire %d body %d"):format(r.wire_bytes, r.body_bytes))
  T.is(r.headers.etag, '"v1"', "headers: lower-case names (etag)")
  T.ok(r.body:find("^<%?xml") ~= nil, "gzip: decoded body is the XML")
end)
req({url = base .. "/deflate"}, "deflate", function(r)
  T.ok(r.status == 200 and r.body and #r.body == FEED_LEN, "deflate (zlib) decoded", r.error)
  T.ok(r.wire_bytes < r.body_bytes, "deflate: wire < body")
end)
req({url = base .. "/rawdeflate"}, "raw deflate", function(r)
  T.ok(r.status == 200 and r.body and #r.body == FEED_LEN, "raw deflate decoded", r.error)
end)
req({url = base .. "/badgzip"}, "bad gzip", function(r)
  T.ok(r.body == nil, "bad gzip: no body")
  T.err(r, "encoding", "bad gzip: error names the encoding")
end)
req({url = base .. "/truncgzip"}, "truncated gzip", function(r)
  T.ok(r.body == nil and r.error ~= nil, "truncated gzip: an error, no body", r.error)
end)

-- conditional requests -----------------------------------------------------
req({url = base .. "/feed", headers = {["If-None-Match"] = '"v1"'}}, "etag 304", function(r)
  T.is(r.status, 304, "If-None-Match: 304")
  T.is(r.body, "", "304: empty body")
  T.is(r.headers.etag, '"v1"', "304: ETag header")
end)
req({url = base .. "/feed", headers = {"If-Modified-Since: " .. brisk.time.format(1700000000, "%a, %d %b %Y %H:%M:%S GMT")}},
  "ims 304", function(r)
  T.is(r.status, 304, "If-Modified-Since (header list form): 304")
end)
req({url = base .. "/feed", headers = {["If-Modified-Since"] = "Mon, 01 Jan 2001 00:00:00 GMT"}}, "ims 200", function(r)
  T.is(r.status, 200, "stale If-Modified-Since: 200")
  T.ok(r.headers["last-modified"] ~= nil and brisk.time.parse(r.headers["last-modified"]) == 1700000000,
    "Last-Modified parses with brisk.time.parse")
end)

-- size cap -------------------------------------------------------------------
req({url = base .. "/endless", max_bytes = 1000000, timeout_ms = 20000}, "endless", function(r)
  T.err(r, "size", "endless body: size error")
  T.ok(r.body == nil or #r.body <= 1000000, "endless body: body nil or within max_bytes")
  T.ok(T.ms() - t0 < 5000, "endless body: aborted at once, not after the timeout")
end)
req({url = base .. "/big?n=2000000", max_bytes = 1000000}, "big", function(r)
  T.err(r, "size", "Content-Length over max_bytes: size error")
  T.ok(r.wire_bytes < 1100000, "Content-Length over max_bytes: not downloaded", r.wire_bytes)
end)
req({url = base .. "/gzipbomb", max_bytes = 1000000}, "gzip bomb", function(r)
  T.err(r, "size", "gzip bomb: capped on the decoded size")
  T.ok(r.body_bytes <= 1000000, "gzip bomb: never decoded past max_bytes", r.body_bytes)
end)
req({url = base .. "/big?n=1000", max_bytes = 1000}, "exact cap", function(r)
  T.ok(r.error == nil and #r.body == 1000, "a body of exactly max_bytes is fine", r.error)
end)

-- timeouts, redirects ---------------------------------------------------------
req({url = base .. "/hang", timeout_ms = 500}, "timeout", function(r)
  T.err(r, "timeout", "hanging server: timeout error")
  T.is(r.status, 0, "hanging server: status 0")
  T.ok(T.ms() - t0 < 3000, "hanging server: gave up after timeout_ms")
end)
req({url = base .. "/loop"}, "redirect loop", function(r)
  T.err(r, "redirect", "redirect loop: redirect error")
  T.ok(r.redirects <= 10, "redirect loop: at most 10 redirects followed", r.redirects)
end)
req({url = base .. "/redirect?n=3", headers = {Referer = "http://leak.example/"}}, "redirects", function(r)
  T.ok(r.status == 200 and r.error == nil, "3 redirects followed", r.error)
  T.is(r.redirects, 3, "redirects counted")
  T.ok(r.url:find("/headers$") ~= nil, "url is the final one", r.url)
  local h = r.body and brisk.json.decode(r.body) or {}
  T.is(h.referer, nil, "no Referer after redirects, even when asked for one")
end)
req({url = base .. "/chain?c=301.308"}, "permanent redirects", function(r)
  T.is(r.permanent_url, base .. "/headers", "301 then 308: permanent_url is where they led")
end)
req({url = base .. "/chain?c=301.302"}, "permanent, then temporary", function(r)
  T.is(r.permanent_url, base .. "/chain?c=302", "301 then 302: the address the 301 gave")
end)
req({url = base .. "/chain?c=302.301"}, "temporary first", function(r)
  T.is(r.permanent_url, nil, "302 first: no permanent_url")
  T.is(r.status, 200, "302 then 301 followed")
end)
req({url = base .. "/redirect?n=3", max_redirects = 2}, "max_redirects", function(r)
  T.err(r, "redirect", "max_redirects = 2 stops a chain of 3")
end)

-- headers, methods, statuses --------------------------------------------------
req({url = base .. "/headers"}, "user agent", function(r)
  local h = brisk.json.decode(r.body)
  T.ok(h["user-agent"] and h["user-agent"]:find("^brisk/") ~= nil, "default User-Agent brisk/<version>", h["user-agent"])
  T.ok(h["accept-encoding"] and h["accept-encoding"]:find("gzip") ~= nil, "Accept-Encoding: gzip sent")
  T.is(h.referer, nil, "no Referer")
end)
req({url = base .. "/headers", user_agent = "test-agent/1"}, "ua option", function(r)
  T.is(brisk.json.decode(r.body)["user-agent"], "test-agent/1", "user_agent option")
end)
req({url = base .. "/echo", method = "POST", body = "a=1&b=2", headers = {["Content-Type"] = "text/plain"}}, "post", function(r)
  local e = brisk.json.decode(r.body)
  T.ok(e.method == "POST" and e.body == "a=1&b=2", "POST body sent", r.body)
end)
req({url = base .. "/echo", method = "DELETE"}, "delete", function(r)
  T.is(brisk.json.decode(r.body).method, "DELETE", "custom method")
end)
req({url = base .. "/status/404"}, "404", function(r)
  T.ok(r.status == 404 and r.error == nil, "404 is a status, not an error")
end)
req({url = base .. "/dup"}, "dup", function(r)
  T.is(r.headers["x-multi"], "a, b", "repeated headers joined")
end)
local seen = {}
req({url = base .. "/slow?n=20", on_progress = function(n, total) seen[#seen + 1] = n; seen.total = total end}, "progress", function(r)
  T.ok(#seen >= 2 and seen[#seen] == 20 and seen.total == 20, "on_progress reports bytes and total", #seen)
end)

-- many at once
local many, left = 40, 40
local done_many = T.wait("many")
for i = 1, many do
  brisk.http.request{url = base .. "/text?i=" .. i, on_response = function(r)
    if r.body == "hello\n" then left = left - 1 end
    many = many - 1
    if many == 0 then T.is(left, 0, "40 concurrent requests all answered"); done_many() end
  end}
end

-- cancel
local cancelled_called = false
local c = brisk.http.request{url = base .. "/hang", timeout_ms = 20000, on_response = function() cancelled_called = true end}
T.ok(c:active(), "a request is active while in flight")
local done_cancel = T.wait("cancel")
brisk.timer(100, function()
  T.is(c:cancel(), true, "cancel returns true while in flight")
  T.is(c:cancel(), false, "cancel twice returns false")
  brisk.timer(300, function()
    T.ok(not cancelled_called, "a cancelled request never calls on_response")
    done_cancel()
  end)
end)

-- file://, connect errors ------------------------------------------------------
local tmp = os.tmpname()
T.write(tmp, "file body\n")
req({url = "file://" .. tmp}, "file", function(r)
  T.ok(r.status == 200 and r.body == "file body\n", "file:// reads a local file", r.error)
  os.remove(tmp)
end)
req({url = "file:///nonexistent/brisk-test"}, "file missing", function(r)
  T.ok(r.error ~= nil and r.body == nil, "file:// of a missing file: error")
end)
req({url = "http://127.0.0.1:1/", timeout_ms = 3000}, "connect", function(r)
  T.err(r, "connect", "closed port: connect error")
end)
T.ok(not pcall(brisk.http.request, {url = 42}), "a bad url raises")
T.ok(not pcall(brisk.http.request, {url = base, headers = {["X-Evil"] = "a\r\nInjected: 1"}}), "CR/LF in a header raises")

-- the server's view: no Referer ever, gzip offered
local done_log = T.wait("log")
local function check_log()
  if T.nwaiting > 1 then return brisk.timer(50, check_log) end
  local log = T.read(logfile) or ""
  T.ok(#log > 0, "server logged the requests")
  T.ok(not log:lower():find('"referer"', 1, true), "the server never saw a Referer header")
  T.ok(log:find('"accept%-encoding": "[^"]*gzip') ~= nil, "the server saw Accept-Encoding: gzip")
  done_log()
end
brisk.timer(50, check_log)
T.go(30000)
