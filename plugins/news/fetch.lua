-- news.fetch: fetching feeds through brisk.http, asynchronously, a few at
-- a time: conditional requests (ETag / Last-Modified kept per feed), body
-- cap, timeouts, per-feed poll interval with jitter, exponential backoff
-- after errors, Retry-After (kept in the store, so a restart respects it),
-- a permanent redirect remembered (the feed is fetched at its new address
-- from then on). Never sets a Referer (brisk.http never sends one either).
-- Results go to the store; one broken feed never stops others.
local parse = require("news.parse")
local text = require("news.text")

local M = {}
M.__index = M

-- Inside the brisk.task that processes a response: ends a slice now and
-- then (declared before its first use: accept passes it to the merge).
local pause = brisk.pause
parse.pause = pause

local function now()
	return math.floor(brisk.time.now())
end

--- A fetcher. opts: store, concurrency, timeout_ms, max_bytes, keep_days,
-- jitter (fraction of the interval), max_backoff, first_retry (seconds),
-- on_new(feed, items), on_change(feed) (any state change, for redraws).
function M.new(opts)
	local self = setmetatable({}, M)
	self.store = assert(opts.store)
	self.concurrency = opts.concurrency or 4
	self.timeout_ms = opts.timeout_ms or 20000
	self.max_bytes = opts.max_bytes or 8 * 1024 * 1024
	self.keep_days = opts.keep_days or 90
	self.jitter = opts.jitter or 0.1
	self.max_backoff = opts.max_backoff or 24 * 3600
	self.first_retry = opts.first_retry -- seconds; nil: the feed's interval
	self.on_new = opts.on_new or function() end
	self.on_change = opts.on_change or function() end
	self.queue = {}    -- feeds waiting for a slot
	self.waiting = {}  -- url -> list of done callbacks (queued or active)
	self.active = 0
	self.next_due = {} -- url -> Unix time of the next scheduled poll
	self.finished_at = {} -- url -> when our last attempt ended (or was seen)
	self.status = {}   -- url -> "queued" | "fetching" | nil
	self.progress = { done = 0, total = 0 }
	return self
end

--{====================================================================
-- Scheduling
--=====================================================================

local function jittered(self, seconds)
	local j = self.jitter
	if j <= 0 then return seconds end
	return math.floor(seconds * (1 + j * (2 * math.random() - 1)) + 0.5)
end

--- Seconds until the next poll of a feed after an attempt: its interval,
-- doubled for each failure in a row (capped), with jitter. With
-- first_retry (a service that must not wait an hour because the network
-- was down when it started), the doubling starts from that instead.
function M:delay(feed, failures)
	local interval = feed.interval or 3600
	if failures and failures > 0 then
		local base = math.min(self.first_retry or interval, interval)
		local d = base * 2 ^ math.min(failures - 1, 16)
		interval = math.min(d, math.max(self.max_backoff, interval))
	end
	return jittered(self, interval)
end

--- Feeds (from the list given) due for a poll at time t.
function M:due(feeds, t)
	t = t or now()
	local out = {}
	for _, f in ipairs(feeds) do
		local due = self.next_due[f.url]
		local row = self.store:feed(f.url)
		-- first look since start, or another process sharing the store
		-- (a sidebar beside the news service) fetched it since we did:
		-- the schedule follows the stored last attempt
		local other = due ~= nil and row.last_fetch
			and row.last_fetch > (self.finished_at[f.url] or math.huge)
		if due == nil or other then
			if row.last_fetch then
				due = row.last_fetch + self:delay(f, row.failures)
			else
				due = t
			end
			if row.retry_at and row.retry_at > due then due = row.retry_at end
			self.next_due[f.url] = due
			self.finished_at[f.url] = row.last_fetch
		end
		if due <= t and not self.status[f.url] then out[#out + 1] = f end
	end
	return out
end

--{====================================================================
-- One request
--=====================================================================

local function header(resp, name)
	local h = resp.headers
	return type(h) == "table" and h[name] or nil
end

-- Retry-After in seconds (delta or HTTP date), or nil.
local function retry_after(resp)
	local v = header(resp, "retry-after")
	if not v then return nil end
	local n = tonumber(v)
	if n then return math.floor(n) end
	local t = brisk.time.parse(v)
	return t and math.max(0, t - now()) or nil
end

-- Records a failed attempt: error text, backoff, stats, the server's
-- Retry-After.
function M:fail(feed, row, msg, resp)
	local failures = (row.failures or 0) + 1
	local delay = self:delay(feed, failures)
	local ra = resp and retry_after(resp)
	if ra and ra > delay then delay = ra end
	self.store:update_feed(row.id, { failures = failures,
		last_error = text.cut(text.line(msg), 300), last_fetch = now(),
		retry_at = ra and now() + ra or false })
	self.next_due[feed.url] = now() + delay
	self.store:add_stats(row.id, { requests = 1, errors = 1,
		wire_bytes = resp and resp.wire_bytes or 0 })
	return false, msg
end

-- A fresh body: parse, merge into the history, keep the validators.
function M:accept(feed, row, resp)
	local wire = resp.wire_bytes or 0
	local body = resp.body or ""
	local decoded = resp.body_bytes or #body
	self.store:add_stats(row.id, { requests = 1, wire_bytes = wire,
		body_bytes = decoded,
		saved_compression = math.max(0, decoded - wire) })
	local doc, err = parse.parse_response(resp, feed.url)
	if not doc then return self:fail(feed, row, "parse: " .. err) end
	if doc.format == "unknown" then
		return self:fail(feed, row, "not an RSS or Atom feed")
	end
	-- all or nothing: the items and the validators in one transaction, so
	-- a merge cut short leaves the feed as it was (and its old ETag asks
	-- for the whole body again)
	local new
	self.store:transaction(function()
		new = self.store:merge(row.id, doc.items, { keep_days = self.keep_days,
			pause = pause })
		self.store:update_feed(row.id, {
			title = doc.feed.title or false, site = doc.feed.link or false,
			etag = header(resp, "etag") or false,
			last_modified = header(resp, "last-modified") or false,
			last_fetch = now(), last_ok = now(), failures = 0, last_error = false,
			body_bytes = decoded, wire_bytes = wire, retry_at = false,
			location = resp.permanent_url or row.location or false,
		})
	end)
	self.next_due[feed.url] = now() + self:delay(feed, 0)
	if #new > 0 then self.on_new(feed, new) end
	return true, #new
end

-- 304: nothing to parse; count what it saved.
function M:unchanged(feed, row, resp)
	local wire = resp.wire_bytes or 0
	self.store:add_stats(row.id, { requests = 1, not_modified = 1,
		wire_bytes = wire,
		saved_304 = math.max(0, (row.wire_bytes or 0) - wire) })
	local fields = { last_fetch = now(), last_ok = now(), failures = 0,
		last_error = false, retry_at = false,
		location = resp.permanent_url or row.location or false }
	-- a server may send new validators with the 304
	if header(resp, "etag") then fields.etag = header(resp, "etag") end
	self.store:update_feed(row.id, fields)
	self.next_due[feed.url] = now() + self:delay(feed, 0)
	return true, 0
end

function M:response(feed, resp)
	local row = self.store:feed(feed.url)
	if resp.error then
		return self:fail(feed, row, tostring(resp.error), resp)
	end
	local st = resp.status or 0
	if st == 304 then return self:unchanged(feed, row, resp) end
	local is_file = feed.url:match("^file:") ~= nil
	if (st >= 200 and st < 300) or (is_file and st == 0 and resp.body) then
		return self:accept(feed, row, resp)
	end
	return self:fail(feed, row, "HTTP " .. tostring(st), resp)
end

-- Builds the request for a feed, conditional when we hold validators.
function M:request(feed)
	local row = self.store:feed(feed.url)
	local headers = {}
	if row.etag then headers["If-None-Match"] = row.etag end
	if row.last_modified then headers["If-Modified-Since"] = row.last_modified end
	return {
		url = row.location or feed.url,
		method = "GET",
		headers = headers,
		timeout_ms = feed.timeout_ms or self.timeout_ms,
		max_bytes = feed.max_bytes or self.max_bytes,
	}
end

--{====================================================================
-- The queue
--=====================================================================

function M:finish(feed, ok, info)
	self.finished_at[feed.url] = now()
	self.active = self.active - 1
	self.status[feed.url] = nil
	self.progress.done = self.progress.done + 1
	local cbs = self.waiting[feed.url] or {}
	self.waiting[feed.url] = nil
	self:pump()
	if self.active == 0 and #self.queue == 0 then
		self.progress = { done = 0, total = 0 }
	end
	self:safe(self.on_change, feed)
	for _, cb in ipairs(cbs) do self:safe(cb, feed, ok, info) end
end

function M:safe(fn, ...)
	local ok, err = pcall(fn, ...)
	if not ok and brisk.error then
		pcall(brisk.error, "news: " .. tostring(err))
	end
end

--{====================================================================
-- Processing responses as tasks: parsing and merging a large feed runs in
-- a brisk.task, one response at a time; brisk.pause() ends a slice every
-- few milliseconds of wall time, so no callback holds the editor or runs
-- into the host's time budget. A response that fails (even by running
-- out of time) fails its feed only.
--=====================================================================

function M:process(job)
	self.jobs = self.jobs or {}
	self.jobs[#self.jobs + 1] = job
	if not self.processing then self:next_job() end
end

function M:next_job()
	local job = table.remove(self.jobs, 1)
	if not job then
		self.processing = false
		return
	end
	self.processing = true
	brisk.task(function()
		return self:response(job.feed, job.resp)
	end, { on_done = function(ok, r1, r2)
		if not ok then
			-- the task failed (an error, its time): that feed failed
			local msg = tostring(r1)
			self:safe(function()
				-- cut short by its time, the task ran none of the writes
				-- that waited for its transaction (store:write)
				self.store:run_waiting()
				self:fail(job.feed, self.store:feed(job.feed.url), msg, job.resp)
			end)
			r1, r2 = false, msg
		end
		self:finish(job.feed, r1, r2)
		self:next_job()
	end })
end

function M:start(feed)
	self.active = self.active + 1
	self.status[feed.url] = "fetching"
	local req = self:request(feed)
	local called = false
	req.on_response = function(resp)
		if called then return end
		called = true
		self.status[feed.url] = "processing"
		self:process({ feed = feed, resp = resp or {} })
	end
	local ok, err = pcall(brisk.http.request, req)
	if not ok and not called then
		called = true
		local row = self.store:feed(feed.url)
		self:fail(feed, row, "request: " .. tostring(err))
		self:finish(feed, false, tostring(err))
	end
end

function M:pump()
	while self.active < self.concurrency and #self.queue > 0 do
		local feed = table.remove(self.queue, 1)
		self:start(feed)
	end
end

--- Fetches one feed; done(feed, ok, info) when the attempt has ended. A
-- feed already queued or in flight is not requested twice.
function M:fetch(feed, done)
	local cbs = self.waiting[feed.url]
	if cbs then
		if done then cbs[#cbs + 1] = done end
		return
	end
	self.waiting[feed.url] = { done }
	self.status[feed.url] = "queued"
	self.progress.total = self.progress.total + 1
	self.queue[#self.queue + 1] = feed
	self:pump()
end

--- Fetches every feed given; done(results) once all have ended, results
-- mapping url to {ok, info}.
function M:fetch_all(feeds, done)
	local left = #feeds
	local results = {}
	if left == 0 then
		if done then done(results) end
		return
	end
	for _, f in ipairs(feeds) do
		self:fetch(f, function(feed, ok, info)
			results[feed.url] = { ok = ok, info = info }
			left = left - 1
			if left == 0 and done then done(results) end
		end)
	end
end

--- True while any fetch is queued or in flight.
function M:busy()
	return self.active > 0 or #self.queue > 0
end

return M
