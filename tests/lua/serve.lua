-- brisk.http.serve: a server in this process, asked by brisk.http.request
-- and by raw sockets (tests/tools/rawhttp.py) for what a client library
-- would never send. Malformed and oversized requests must never reach Lua.
-- usage: brisk --headless -l tests/lua/serve.lua
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local root = arg[0]:match("^(.-)tests/lua/[^/]*$") or "./"
local raw_py = root .. "tests/tools/rawhttp.py"

local steps_etag -- the /big ETag, for the conditional request
local seen = {}  -- every request that reached Lua, by path
local logs = {}  -- on_log calls
local srv

local function handler(req)
  seen[#seen + 1] = req.path
  local p = req.path
  if p == "/echo" then
    return {status = 200, headers = {["Content-Type"] = "application/json"},
      body = brisk.json.encode({method = req.method, path = req.path, query = req.query,
        headers = req.headers, cookies = req.cookies, body = req.body, remote = req.remote,
        tls = req.tls, user = req.user or brisk.json.null, password = req.password or brisk.json.null})}
  elseif p == "/later" then
    brisk.timer(50, function() T.ok(req:respond{status = 202, body = "later"}, "respond later returns true") end)
    return nil
  elseif p == "/twice" then
    T.ok(req:respond{status = 200, body = "first"}, "respond inside the handler")
    T.ok(not req:respond{status = 200, body = "second"}, "a second respond returns false")
    return nil
  elseif p == "/error" then
    error("boom in handler")
  elseif p == "/badheader" then
    return {status = 200, headers = {["X-Bad"] = "a\r\nInjected: yes"}, body = "x"}
  elseif p == "/badstatus" then
    return {status = 42}
  elseif p == "/never" then
    return nil
  elseif p == "/big" then
    return {status = 200, body = ("brisk serves compressed bodies. "):rep(2000), compress = true, etag = true,
      headers = {["Content-Type"] = "text/plain"}}
  elseif p == "/tls" then
    return {status = 200, body = "tls=" .. tostring(req.tls)}
  end
  return {status = 200, body = "ok " .. p}
end

local function get(opts, check)
  return function(next)
    opts.url = "http://127.0.0.1:" .. srv:port() .. opts.url
    opts.timeout_ms = opts.timeout_ms or 10000
    opts.on_response = function(r)
      local ok, e = pcall(check, r)
      if not ok then T.ok(false, opts.url .. " (check raised)", e) end
      next()
    end
    brisk.http.request(opts)
  end
end

local function raw(case, extra, check, server)
  return function(next)
    local lines = {}
    local before = #seen
    brisk.spawn{cmd = "python3", args = {raw_py, case, tostring((server or srv):port()), extra},
      lines = true, on_stdout = function(l) lines[#lines + 1] = l end,
      on_stderr = function(d) io.stderr:write(d) end,
      on_exit = function(code)
        T.is(code, 0, case .. ": the raw client ran")
        local ok, e = pcall(check, table.concat(lines, "\n"), #seen - before)
        if not ok then T.ok(false, case .. " (check raised)", e) end
        next()
      end}
  end
end

local steps = {
  get({url = "/echo?a=1&b=two%20words", headers = {["X-Test"] = "yes", Cookie = "c1=v1; c2=v2"}}, function(r)
    T.is(r.status, 200, "GET: 200")
    local d = brisk.json.decode(r.body)
    T.is(d.method, "GET", "req.method")
    T.is(d.path, "/echo", "req.path (without the query)")
    T.ok(d.query.a == "1" and d.query.b == "two words", "req.query, decoded", r.body)
    T.is(d.headers["x-test"], "yes", "req.headers: lower-case names")
    T.ok(d.cookies.c1 == "v1" and d.cookies.c2 == "v2", "req.cookies", r.body)
    T.is(d.remote, "127.0.0.1", "req.remote")
    T.is(d.tls, false, "req.tls false over plain HTTP")
    T.is(d.user, brisk.json.null, "no Basic auth: no req.user")
  end),
  get({url = "/echo", method = "POST", body = "a=b&c=d", headers = {Authorization = "Basic " .. "dXNlcjpwYXNz"}}, function(r)
    local d = brisk.json.decode(r.body)
    T.ok(d.method == "POST" and d.body == "a=b&c=d", "POST body reaches the handler", r.body)
    T.ok(d.user == "user" and d.password == "pass", "Basic auth: req.user and req.password", r.body)
  end),
  get({url = "/later"}, function(r)
    T.ok(r.status == 202 and r.body == "later", "a handler may answer later with req:respond", r.status)
  end),
  get({url = "/twice"}, function(r)
    T.is(r.body, "first", "the first respond wins")
  end),
  get({url = "/error"}, function(r)
    T.is(r.status, 500, "an error in the handler: 500")
    T.ok(not r.body:find("boom"), "the error text is not sent to the client")
  end),
  get({url = "/badheader"}, function(r)
    T.is(r.status, 500, "CR/LF in a response header: 500, nothing injected")
    T.is(r.headers.injected, nil, "no injected header")
  end),
  get({url = "/badstatus"}, function(r) T.is(r.status, 500, "a bad status: 500") end),
  get({url = "/big"}, function(r)
    T.is(r.headers["content-encoding"], "gzip", "compress: gzip when the client accepts it")
    T.is(#r.body, 64000, "compress: the body decodes whole")
    T.ok(r.wire_bytes < 2000, "compress: few bytes on the wire", r.wire_bytes)
    T.is(r.headers.vary, "Accept-Encoding", "compress: Vary: Accept-Encoding")
    T.ok(r.headers.etag and r.headers.etag:match('^W/"%x+"$'), "etag: a weak validator", r.headers.etag)
    steps_etag = r.headers.etag
  end),
  get({url = "/big", headers = {["Accept-Encoding"] = "identity"}}, function(r)
    T.is(r.headers["content-encoding"], nil, "compress: not when the client does not accept gzip")
    T.is(r.wire_bytes > 64000, true, "identity: the whole body on the wire")
  end),
  function(next)
    get({url = "/big", headers = {["If-None-Match"] = steps_etag}}, function(r)
      T.is(r.status, 304, "If-None-Match with the ETag: 304")
      T.is(r.body, "", "304: no body")
    end)(next)
  end,
  get({url = "/x", method = "DELETE"}, function(r)
    T.is(r.status, 405, "DELETE: 405 from the server")
    T.ok(seen[#seen] ~= "/x", "DELETE never reached Lua")
  end),
  get({url = "/never", timeout_ms = 10000}, function(r)
    T.is(r.status, 503, "no answer within answer_ms: 503")
  end),
  raw("malformed", nil, function(out, reached)
    T.ok(out:find("line 400") or out:find("line closed"), "a request line that is not HTTP: 400 or closed", out)
    T.ok(out:find("header 400") or out:find("header closed"), "a header line without a colon: 400 or closed", out)
    T.ok(out:find("version 505") or out:find("version 400") or out:find("version closed"), "HTTP/9.9: refused", out)
    T.is(reached, 0, "malformed requests never reach Lua")
  end),
  raw("bigheader", nil, function(out, reached)
    T.ok(out:find("431") or out:find("413") or out:find("414") or out:find("closed"), "a 100 KB header: refused", out)
    T.is(reached, 0, "an oversized head never reaches Lua")
  end),
  raw("bigbody", nil, function(out, reached)
    T.ok(out:find("length 413"), "Content-Length over max_body: 413", out)
    T.ok(out:find("chunked 413") or out:find("chunked closed"), "a chunked body over max_body: 413", out)
    T.is(reached, 0, "oversized bodies never reach Lua")
  end),
  raw("slowhead", "0.1", function(out, reached)
    T.ok(out:find("closed after"), "a head trickling in slower than timeout_ms is cut", out)
    T.is(reached, 0, "the slow head never reached Lua")
  end),
  raw("idle", nil, function(out)
    T.ok(out:find("closed"), "a connection that says nothing is closed", out)
  end),
  raw("keepalive", nil, function(out, reached)
    T.ok(out:find("200 200"), "two requests on one kept-alive connection", out)
    T.is(reached, 2, "both reached Lua")
  end),
  raw("conns", "4", function(out)
    T.ok(out:find("extra waiting") or out:find("extra closed"), "over max_connections: the extra connection is not served", out)
    T.ok(not out:find("extra waiting") or out:find("extra then 200"), "a waiting one is served once a connection closes", out)
    T.ok(out:find("after 200"), "served again once connections are free", out)
  end),
}

-- TLS: a throw-away certificate made by openssl(1), checked by the client
local tmp = os.getenv("TMPDIR") or "/tmp"
local tls_dir = ("%s/brisk-serve-tls-%d"):format(tmp, math.random(1, 1e9))
local tls_srv
steps[#steps + 1] = function(next)
  brisk.spawn{cmd = "sh", args = {"-c", 'mkdir -p "$0" && cd "$0" && openssl req -x509 -newkey ec '
    .. '-pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem -out cert.pem -days 2 '
    .. '-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null', tls_dir},
    on_exit = function(code)
      T.is(code, 0, "openssl made a certificate")
      local cert, key = T.read(tls_dir .. "/cert.pem"), T.read(tls_dir .. "/key.pem")
      local bad, msg = brisk.http.serve{port = 0, cert = cert, key = "not a key", on_request = handler}
      T.ok(bad == nil and msg, "a bad key: nil, message", msg)
      tls_srv = brisk.http.serve{port = 0, cert = cert, key = key, on_request = handler}
      T.ok(tls_srv ~= nil, "serve with cert and key")
      raw("tls", tls_dir .. "/cert.pem", function(out)
        T.ok(out:find("https 200 body%-ok"), "HTTPS: answered, req.tls is true", out)
        T.ok(not out:find("plain 200"), "plain HTTP to the TLS port is not served", out)
        tls_srv:close()
        os.remove(tls_dir .. "/cert.pem"); os.remove(tls_dir .. "/key.pem"); os.remove(tls_dir)
      end, tls_srv)(next)
    end}
end

local function run_steps(i)
  if i > #steps then
    local st = srv:stats()
    T.ok(st.handled >= 10 and st.rejected >= 5, "stats: handled and rejected counted",
      ("handled %d rejected %d"):format(st.handled, st.rejected))
    T.ok(#logs >= 10, "on_log after each answer", #logs)
    local l = logs[1]
    T.ok(l and l.status == 200 and l.body_bytes > 0 and l.head_bytes > 0 and l.ms >= 0,
      "on_log info: status, body_bytes, head_bytes, ms")
    srv:close()
    T.ok(not srv:active(), "closed")
    return T.finish()
  end
  steps[i](function() run_steps(i + 1) end)
end

-- argument checks and listening errors
T.ok(not pcall(brisk.http.serve, {port = 0}), "on_request is required")
T.ok(not pcall(brisk.http.serve, {port = 0, host = "example.org", on_request = handler}), "host names are not resolved (would block)")
T.ok(not pcall(brisk.http.serve, {port = 70000, on_request = handler}), "a bad port raises")
T.ok(not pcall(brisk.http.serve, {port = 0, cert = "x", on_request = handler}), "cert without key raises")
srv = assert(brisk.http.serve{port = 0, max_connections = 4, max_per_address = 8, max_body = 64 * 1024,
  timeout_ms = 1500, answer_ms = 500, on_request = handler,
  on_log = function(req, info) logs[#logs + 1] = info end})
T.ok(srv:port() > 0, "port 0 picks a free port")
T.ok(tostring(srv):find("127.0.0.1:" .. srv:port(), 1, true), "tostring names the address")
local busy, msg = brisk.http.serve{port = srv:port(), on_request = handler}
T.ok(busy == nil and msg:find("in use"), "a port in use: nil, message", msg)
-- a deadline, so a step that never calls back fails instead of hanging
brisk.timer(120000, function() T.ok(false, "every step finished in time"); T.finish() end)
run_steps(1)
