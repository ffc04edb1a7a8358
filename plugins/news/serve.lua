-- The news service: `brisk --headless -l plugins/news/serve.lua [options]`.
-- Polls the feeds of require("news").setup{...} (the same fetcher, store
-- and history rules as the sidebar, in the same store) at their own pace,
-- and serves the reading page, an Atom feed and the sync API (see
-- news.service) until it is stopped.
--   --listen HOST:PORT  (or a bare [HOST:]PORT) default 127.0.0.1:8080
--   --token-file FILE   default $XDG_CONFIG_HOME/brisk/news-token, made
--                       with a random token (mode 0600) when missing
--   --cert FILE --key FILE   serve HTTPS (PEM files)
--   --max-connections N      default 64
do
	-- run from anywhere: find our modules beside this file
	local dir = (arg and arg[0] or ""):match("^(.*)/news/[^/]*$")
	if dir then package.path = dir .. "/?.lua;" .. dir .. "/?/init.lua;" .. package.path end
end
local news = require("news")
local service = require("news.service")
local auth = require("news.auth")

local USAGE = "usage: brisk --headless -l plugins/news/serve.lua [--listen HOST:PORT | PORT] [--token-file FILE] [--cert FILE --key FILE] [--max-connections N]"

local function die(msg, status)
	io.stderr:write("brisk: news service: " .. msg .. "\n")
	os.exit(status or 1)
end

-- "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT" -> host, port.
local function split_listen(s)
	local host, port = s:match("^%[([^%]]*)%]:(%d+)$")
	if not host then host, port = s:match("^([^:]*):(%d+)$") end
	if not host then port = s:match("^(%d+)$"); host = "" end
	port = tonumber(port)
	if not port or port > 65535 then die("bad --listen " .. s .. " (want HOST:PORT)", 2) end
	if host == "" then host = "127.0.0.1" end
	return host, port
end

local function parse_args(args)
	local o = { listen = "127.0.0.1:8080", max_connections = 64,
		token_file = brisk.config_dir .. "/news-token" }
	local takes = { ["--listen"] = "listen", ["-L"] = "listen", ["--token-file"] = "token_file",
		["-t"] = "token_file", ["--cert"] = "cert", ["--key"] = "key",
		["--max-connections"] = "max_connections" }
	local i = 1
	while i <= #args do
		local a = args[i]
		if a == "-h" or a == "--help" then print(USAGE) os.exit(0) end
		local key = takes[a]
		if key then
			if not args[i + 1] then die(a .. " needs a value", 2) end
			o[key] = args[i + 1]
			i = i + 2
		elseif a:match("^[%w.:%[%]]*%d$") then
			o.listen = a
			i = i + 1
		else
			die("unknown option " .. a .. "\n" .. USAGE, 2)
		end
	end
	o.host, o.port = split_listen(o.listen)
	o.max_connections = tonumber(o.max_connections)
	if not o.max_connections or o.max_connections < 1 then die("bad --max-connections", 2) end
	if (o.cert == nil) ~= (o.key == nil) then die("--cert and --key go together", 2) end
	return o
end

local function read_file(path, what)
	local f, err = io.open(path, "rb")
	if not f then die(what .. ": " .. tostring(err)) end
	local s = f:read("a")
	f:close()
	return s
end

-- Polls the feeds that are due, then sleeps until the next one is.
local function poll_loop()
	news.poll(function()
		local wait = news.next_poll_in()
		brisk.timer(math.floor(math.max(1, math.min(wait, 300)) * 1000), poll_loop)
	end)
end

local o = parse_args(arg or {})
-- a server started before the network is up retries soon, not in an hour
if not news.config.first_retry then news.config.first_retry = 5 end
local st, err = news.store()
if not st then die(tostring(err)) end
local token, created = brisk.crypto.secret_file(o.token_file)
if not token then die(tostring(created)) end
if created then print("news service: new token written to " .. o.token_file) end

local svc = service.new({ news = news, auth = auth.new(token), tls = o.cert ~= nil })
local srv, serr = brisk.http.serve({
	-- behind a proxy every client has the proxy's address: no lower
	-- per-address limit than the total
	host = o.host, port = o.port, max_connections = o.max_connections,
	max_per_address = o.max_connections,
	cert = o.cert and read_file(o.cert, "--cert"), key = o.key and read_file(o.key, "--key"),
	max_body = 256 * 1024,
	on_request = function(req) return svc:handle(req) end,
	on_log = function(req, info) svc:log(req, info) end,
})
if not srv then die(tostring(serr)) end
news.service = { server = srv, service = svc }
local shown = o.host:find(":", 1, true) and ("[" .. o.host .. "]") or o.host
local nfeeds = #news.feed_list()
print(string.format("news service: %s://%s:%d/ serving %d feed%s from %s", o.cert and "https" or "http",
	shown, srv:port(), nfeeds, nfeeds == 1 and "" or "s", news.db_path()))
io.stdout:flush()
poll_loop()
