-- news.service: the routes of the news service (plugins/news/serve.lua
-- starts it on brisk.http.serve). Every path but /robots.txt and the
-- login needs the token: the API as a Bearer token, /feed.atom also as
-- Basic auth, the page also as the session cookie. What it serves comes
-- from the news store (news.sync for the sync API), drawn by news.page.
local sync = require("news.sync")
local page = require("news.page")

local M = {}
M.__index = M

-- Headers of everything a browser may render.
local PRIVATE = {
	["Referrer-Policy"] = "no-referrer",
	["X-Robots-Tag"] = "noindex, nofollow",
	["X-Content-Type-Options"] = "nosniff",
	["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}

local function headers(extra)
	local h = {}
	for k, v in pairs(PRIVATE) do h[k] = v end
	for k, v in pairs(extra or {}) do h[k] = v end
	return h
end

local HTML = "text/html; charset=utf-8"
local JSON = "application/json"

--- A service. opts: news (the news module), auth (news.auth), tls,
-- page_items (500), summary_chars (600 on the page), sync_summary_chars
-- (600), sync_limit (1000 items per sync answer), title ("News").
function M.new(opts)
	return setmetatable({
		news = assert(opts.news), auth = assert(opts.auth), tls = opts.tls,
		page_items = opts.page_items or 500, summary_chars = opts.summary_chars or 600,
		sync_summary_chars = opts.sync_summary_chars or 600,
		sync_limit = opts.sync_limit or 1000, title = opts.title or "News",
		authed = setmetatable({}, { __mode = "k" }), -- req -> client name
	}, M)
end

--{====================================================================
-- Helpers
--=====================================================================

local function text(status, body, extra)
	return { status = status, body = body, headers = headers(extra or { ["Content-Type"] = "text/plain; charset=utf-8" }) }
end

local function json(status, value)
	return { status = status, body = brisk.json.encode(value), compress = true,
		headers = { ["Content-Type"] = JSON, ["Cache-Control"] = "no-store" } }
end

local function unescape(s)
	s = s:gsub("+", " ")
	return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

-- An application/x-www-form-urlencoded body as a table.
local function form(body)
	local t = {}
	for k, v in (body or ""):gmatch("([^&=]+)=?([^&]*)") do t[unescape(k)] = unescape(v) end
	return t
end

-- The client's name in the stats: its X-Client header (an id the brisk
-- client sends), else its address.
local function client_name(req)
	local c = req.headers["x-client"]
	if type(c) == "string" and c:match("^[%w._-]+$") and #c <= 40 then return c end
	return req.remote ~= "" and req.remote or "?"
end

-- A refusal: answered at once the first time, later after repeated
-- failures from the same address (req:respond from a timer).
function M:deny(req, resp)
	local wait = self.auth:failed(req.remote)
	if wait <= 0 then return resp end
	brisk.timer(math.floor(wait), function() req:respond(resp) end)
	return nil
end

function M:store()
	return assert(self.news.store())
end

-- Ids of the feeds the service reads now.
function M:feed_ids(st)
	local ids = {}
	for _, f in ipairs(self.news.feed_list()) do ids[#ids + 1] = st:feed(f.url).id end
	return ids
end

--{====================================================================
-- Routes
--=====================================================================

local routes = {}

routes["GET /robots.txt"] = function()
	return { status = 200, body = "User-agent: *\nDisallow: /\n",
		headers = { ["Content-Type"] = "text/plain" } }
end

local function login_page(status, message)
	return { status = status, body = page.login(message), headers = headers({ ["Content-Type"] = HTML }) }
end

routes["GET /login"] = function() return login_page(200) end

routes["POST /login"] = function(self, req)
	if self.auth:token_ok(form(req.body).token) then
		return { status = 303, headers = headers({ Location = "/",
			["Set-Cookie"] = self.auth:cookie(self.tls) }) }
	end
	return self:deny(req, login_page(401, "Wrong token."))
end

-- The unread items, newest first, with their feed's title.
function M:unread(limit)
	local st = self:store()
	local ids = self:feed_ids(st)
	local items, total = sync.unread_items(st, ids, limit)
	local titles = self.news.feed_titles(st)
	for _, it in ipairs(items) do it.feed_title = titles[it.feed_id] end
	return items, total
end

routes["GET /"] = function(self, req)
	if not self.auth:page_ok(req) then return self:deny(req, login_page(401)) end
	local items, total = self:unread(self.page_items)
	return { status = 200, compress = true, etag = true,
		body = page.render(items, { title = self.title, summary_chars = self.summary_chars,
			more = total - #items, strip_tracking = self.news.config.strip_tracking }),
		headers = headers({ ["Content-Type"] = HTML, ["Cache-Control"] = "private, no-cache" }) }
end

-- The page's button: marks what it showed as read, then shows the page.
routes["POST /read"] = function(self, req)
	if not self.auth:page_ok(req) then return self:deny(req, login_page(401)) end
	local ids = {}
	for id in (form(req.body).ids or ""):gmatch("%d+") do ids[#ids + 1] = tonumber(id) end
	sync.mark(self:store(), ids, true)
	return { status = 303, headers = headers({ Location = "/" }) }
end

routes["GET /feed.atom"] = function(self, req)
	if not self.auth:feed_ok(req) then
		return self:deny(req, text(401, "token needed\n", { ["Content-Type"] = "text/plain",
			["WWW-Authenticate"] = 'Basic realm="brisk news", charset="UTF-8"' }))
	end
	local items = self:unread(self.page_items)
	local st = self:store()
	local host = req.headers.host
	local self_url = host and host:match("^[%w.:%[%]-]+$")
		and ((self.tls and "https://" or "http://") .. host .. "/feed.atom") or nil
	return { status = 200, compress = true, etag = true,
		body = page.atom(items, { id = "urn:brisk-news:" .. sync.cursor(st):match("^%w+"),
			title = self.title, self = self_url, strip_tracking = self.news.config.strip_tracking }),
		headers = headers({ ["Content-Type"] = "application/atom+xml; charset=utf-8",
			["Cache-Control"] = "private, no-cache" }) }
end

local function api(fn)
	return function(self, req)
		if not self.auth:bearer_ok(req) then
			return self:deny(req, text(401, "token needed\n", { ["Content-Type"] = "text/plain",
				["WWW-Authenticate"] = 'Bearer realm="brisk news"' }))
		end
		return fn(self, req)
	end
end

-- The answer to a sync from `since` (nil: everything) with `limit`.
function M:changes(st, since, limit)
	local ch = sync.changes(st, since, self:feed_ids(st), { limit = limit,
		summary_chars = self.sync_summary_chars })
	if since and #ch.items == 0 and #ch.feeds == 0 then return { status = 304 } end
	-- the titles the service's own setup gives its feeds, as a sidebar shows them
	local titles = #ch.feeds > 0 and self.news.feed_titles(st) or {}
	for _, f in ipairs(ch.feeds) do f.title = titles[f.id] or f.title end
	return json(200, ch)
end

-- Clients that sync at once from the same cursor (twenty phones after a
-- restart, say) get the same answer: it is made once per state of the
-- store (and compressed once, by the server's own cache).
routes["GET /api/v1/sync"] = api(function(self, req)
	local st = self:store()
	local since = sync.since(st, req.query.since)
	local limit = math.max(1, math.min(tonumber(req.query.limit) or self.sync_limit, self.sync_limit))
	local now = sync.cursor(st)
	if not self.answers or self.answers.cursor ~= now then self.answers = { cursor = now } end
	local key = tostring(since) .. " " .. limit
	local resp = self.answers[key] or self:changes(st, since, limit)
	self.answers[key] = resp
	return resp
end)

routes["POST /api/v1/read"] = api(function(self, req)
	local body = brisk.json.decode(req.body or "")
	local ids = type(body) == "table" and body.ids
	if type(ids) ~= "table" or #ids > 10000 then
		return text(400, "want {\"ids\": [...], \"read\": true|false}\n")
	end
	local list = {}
	for _, id in ipairs(ids) do
		if math.type(id) ~= "integer" then return text(400, "ids must be integers\n") end
		list[#list + 1] = id
	end
	local read = body.read ~= false
	local n, before, after = sync.mark(self:store(), list, read)
	return json(200, { changed = n, before = before, cursor = after })
end)

routes["GET /api/v1/stats"] = api(function(self, req)
	self:flush_stats()
	local st = self:store()
	local days = math.max(1, math.min(tonumber(req.query.days) or 30, 3650))
	local since = brisk.time.format(math.floor(brisk.time.now()) - (days - 1) * 86400, "%Y-%m-%d")
	local titles = self.news.feed_titles(st)
	local up = {}
	for i, r in ipairs(st:stats(since)) do
		up[i] = { day = r.day, feed = r.feed_id, title = titles[r.feed_id] or r.title or r.url,
			url = r.url, requests = r.requests, not_modified = r.not_modified, errors = r.errors,
			wire_bytes = r.wire_bytes, body_bytes = r.body_bytes }
	end
	local down = {}
	for i, r in ipairs(sync.downstream(st, since)) do
		down[i] = { day = r.day, client = r.client, requests = r.requests, syncs = r.syncs,
			not_modified = r.not_modified, bytes = r.bytes }
	end
	return json(200, { days = days, upstream = brisk.json.array(up), downstream = brisk.json.array(down) })
end)

-- The answer to a request, the store being free.
function M:answer(req)
	local method = req.method == "HEAD" and "GET" or req.method
	local fn = routes[method .. " " .. req.path]
	if not fn then
		local known = routes["GET " .. req.path] or routes["POST " .. req.path]
		return text(known and 405 or 404, known and "method not allowed\n" or "not found\n")
	end
	local resp = fn(self, req)
	if resp and resp.status ~= 401 and req.path ~= "/robots.txt" and req.path ~= "/login" then
		self.authed[req] = client_name(req)
	end
	return resp
end

-- A fetch merges a feed in one transaction that its brisk.task holds open
-- across slices. Between them, a request on the same connection would read
-- rows that may still be rolled back (and hand out a cursor past them), and
-- its writes (read marks) would share their fate: requests wait until the
-- transaction is over (a merge takes milliseconds to a few slices).
function M:store_busy()
	local st = self.news.store() -- a store that cannot open: the routes say so
	return st ~= nil and st:in_transaction()
end

local WAIT_MS = 5

--- The answer to a request (nil: it comes later through req:respond).
function M:handle(req)
	if not self.waiting and not self:store_busy() then return self:answer(req) end
	self.waiting = self.waiting or {}
	self.waiting[#self.waiting + 1] = req
	if not self.waiter then
		self.waiter = brisk.timer(WAIT_MS, function(t)
			if self:store_busy() then return end
			t:cancel()
			self.waiter = nil
			local list = self.waiting
			self.waiting = nil
			for _, r in ipairs(list) do
				local ok, resp = pcall(self.answer, self, r)
				if not ok then
					brisk.error("news service: " .. tostring(resp))
					resp = text(500, "internal error\n")
				end
				if resp then r:respond(resp) end
			end
		end, { ["repeat"] = true })
	end
	return nil
end

-- Writes the downstream counts gathered since the last time, in one
-- transaction (one write a second, not one per request).
function M:flush_stats()
	local pending = self.pending
	self.pending = nil
	if not pending then return end
	local st = self:store()
	local ok, err = pcall(st.transaction, st, function()
		for client, counts in pairs(pending) do sync.add_downstream(st, client, counts) end
	end)
	if not ok then brisk.error("news service: stats: " .. tostring(err)) end
end

--- After each answer: the downstream stats of signed-in clients.
function M:log(req, info)
	local client = self.authed[req]
	if not client then return end
	if not self.pending then
		self.pending = {}
		-- a repeating timer (stopped once it has flushed): a one-shot one
		-- would be pending work, and hold up a headless brisk.command()
		if not self.flusher then
			self.flusher = brisk.timer(1000, function(t)
				if self:store_busy() then return end -- see M:handle
				self:flush_stats()
				t:cancel()
				self.flusher = nil
			end, { ["repeat"] = true })
		end
	end
	local c = self.pending[client] or { requests = 0, syncs = 0, not_modified = 0, bytes = 0 }
	self.pending[client] = c
	local is_sync = req.path == "/api/v1/sync"
	c.requests = c.requests + 1
	c.syncs = c.syncs + (is_sync and 1 or 0)
	c.not_modified = c.not_modified + ((is_sync and info.status == 304) and 1 or 0)
	c.bytes = c.bytes + info.body_bytes + info.head_bytes
end

return M
