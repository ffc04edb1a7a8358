-- news.client: the sidebar (and cli.lua) as a client of a news service
-- (require("news").setup{service = URL, token_file = PATH}). It keeps a
-- local store of everything synced (so reading works offline) in the
-- same tables the sidebar reads: the service's feeds and items, mapped by
-- their remote ids. Read marks change the local store at once and wait in
-- a queue (sync_pending) until the service has taken them; a sync sends
-- the queue first, then asks for what changed since its cursor.
local M = {}
M.__index = M

local SCHEMA = [[
CREATE TABLE IF NOT EXISTS sync_pending(remote_id INTEGER PRIMARY KEY, read INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS items_remote ON items(remote_id) WHERE remote_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS feeds_remote ON feeds(remote_id) WHERE remote_id IS NOT NULL;
]]

local function now()
	return math.floor(brisk.time.now())
end

--- Adds the client's columns and tables to an open store.
function M.install(st)
	if st.client_installed then return end
	st:transaction(function()
		st:add_columns({
			{ "items", "remote_id", "INTEGER" },
			{ "feeds", "remote_id", "INTEGER" },
		})
		st:exec(SCHEMA)
	end)
	st.client_installed = true
end

local function meta(st, key, value)
	if value == nil then
		local r = st:one("SELECT value FROM meta WHERE key = ?", key)
		return r and r.value
	end
	st:run("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", key, tostring(value))
end

--- A client. opts: store, url (the service), token, timeout_ms (20000),
-- page (items per answer, up to the service's limit), on_page(n) (after
-- each answer is stored, for tests).
function M.new(opts)
	local st = assert(opts.store)
	M.install(st)
	local id = meta(st, "client_id")
	if not id then
		id = brisk.crypto.random(4)
		meta(st, "client_id", id)
	end
	return setmetatable({ store = st, url = opts.url:gsub("/+$", ""), token = opts.token,
		id = id, timeout_ms = opts.timeout_ms or 20000, page = opts.page,
		on_page = opts.on_page, waiting = nil, bytes = 0 }, M)
end

-- One request to the service; done(resp) with resp.error for failures
-- and unexpected statuses.
function M:request(method, path, body, done)
	local headers = { Authorization = "Bearer " .. self.token, ["X-Client"] = self.id }
	if body then headers["Content-Type"] = "application/json" end
	local ok, err = pcall(brisk.http.request, { url = self.url .. path, method = method,
		headers = headers, body = body, timeout_ms = self.timeout_ms,
		on_response = function(r)
			self.bytes = self.bytes + (r.wire_bytes or 0) + (r.sent_bytes or 0)
			if not r.error and r.status ~= 200 and r.status ~= 304 then
				r.error = "HTTP " .. tostring(r.status) .. (r.status == 401 and " (wrong token?)" or "")
			end
			done(r)
		end })
	if not ok then done({ error = tostring(err) }) end
end

--{====================================================================
-- Read marks
--=====================================================================

--- Marks local items (row ids) read or unread: in the store now, on the
-- service when it can be reached (queued until then).
function M:mark(ids, read, done)
	local st = self.store
	st:transaction(function()
		for _, id in ipairs(ids) do
			st:mark_read(id, read)
			local r = st:one("SELECT remote_id FROM items WHERE id = ?", id)
			if r and r.remote_id then
				st:run("INSERT OR REPLACE INTO sync_pending(remote_id, read) VALUES (?, ?)",
					r.remote_id, read == false and 0 or 1)
			end
		end
	end)
	self:flush(done or function() end)
end

--- Sends the queued marks (read ones, then unread ones); done(ok, err).
function M:flush(done)
	local st = self.store
	local rows = st:all("SELECT remote_id, read FROM sync_pending ORDER BY remote_id LIMIT 5000")
	if #rows == 0 then return done(true) end
	local by = { [0] = {}, [1] = {} }
	for _, r in ipairs(rows) do table.insert(by[r.read], r.remote_id) end
	local function send(read, next_step)
		local ids = by[read]
		if #ids == 0 then return next_step() end
		local body = brisk.json.encode({ ids = brisk.json.array(ids), read = read == 1 })
		self:request("POST", "/api/v1/read", body, function(r)
			if r.error then return done(false, r.error) end
			local answer = brisk.json.decode(r.body or "")
			st:transaction(function()
				for _, id in ipairs(ids) do
					st:run("DELETE FROM sync_pending WHERE remote_id = ? AND read = ?", id, read)
				end
				-- only our marks lie between the cursors: no need to hear them back
				if type(answer) == "table" and type(answer.cursor) == "string"
					and answer.before == meta(st, "sync_cursor") then
					meta(st, "sync_cursor", answer.cursor)
				end
			end)
			next_step()
		end)
	end
	send(1, function() send(0, function()
		if #rows == 5000 then return self:flush(done) end
		done(true)
	end) end)
end

--{====================================================================
-- Applying an answer
--=====================================================================

local function val(v)
	if v == nil or v == brisk.json.null then return nil end
	return v
end

local function apply_feed(st, f)
	local row = st:one("SELECT id FROM feeds WHERE remote_id = ?", f.id)
		or st:one("SELECT id FROM feeds WHERE url = ?", f.url)
	if not row then
		st:run("INSERT INTO feeds(url) VALUES (?)", f.url)
		row = st:one("SELECT id FROM feeds WHERE url = ?", f.url)
	end
	local err = val(f.error)
	st:run("UPDATE feeds SET remote_id = ?, url = ?, title = ?, site = ?, last_error = ?, failures = ? WHERE id = ?",
		f.id, f.url, val(f.title), val(f.site), err, err and 1 or 0, row.id)
end

-- Local feed id for a remote one (a feed not announced yet gets a row).
local function local_feed(st, remote, cache)
	if cache[remote] then return cache[remote] end
	local row = st:one("SELECT id FROM feeds WHERE remote_id = ?", remote)
	if not row then
		local url = "brisk-service:feed/" .. remote
		st:run("INSERT OR IGNORE INTO feeds(url, remote_id) VALUES (?, ?)", url, remote)
		row = st:one("SELECT id FROM feeds WHERE remote_id = ?", remote)
	end
	cache[remote] = row.id
	return row.id
end

-- One item: whole (insert or update) or its read state only. A mark
-- still queued here wins over the service's state.
local function apply_item(st, it, feeds, t)
	local pending = st:one("SELECT read FROM sync_pending WHERE remote_id = ?", it.id)
	local read = it.read and 1 or 0
	if pending then read = pending.read end
	if it.title == nil and it.feed == nil then
		st:run("UPDATE items SET read = ? WHERE remote_id = ?", read, it.id)
		return false
	end
	local row = st:one("SELECT id FROM items WHERE remote_id = ?", it.id)
	local fid = local_feed(st, it.feed, feeds)
	local published = val(it.published)
	if row then
		st:run([[UPDATE items SET feed_id = ?, title = ?, link = ?, author = ?, published = ?,
			date = ?, summary = ?, read = ?, last_seen = ? WHERE id = ?]], fid, val(it.title),
			val(it.link), val(it.author), published, published or t, val(it.summary), read, t, row.id)
		return false
	end
	st:run([[INSERT INTO items(feed_id, ident, remote_id, title, link, author, published,
		date, summary, first_seen, last_seen, gen, read)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)]], fid, "service:" .. it.id, it.id,
		val(it.title), val(it.link), val(it.author), published, published or t, val(it.summary),
		t, t, read)
	return read == 0
end

--- Stores one sync answer (feeds, items, cursor) in one transaction, so
-- a failure halfway leaves the old cursor and the old rows. Returns how
-- many unread items are new.
function M:apply(answer)
	local st = self.store
	local new = 0
	local t = now()
	st:transaction(function()
		for _, f in ipairs(answer.feeds or {}) do apply_feed(st, f) end
		local feeds = {}
		for _, it in ipairs(answer.items or {}) do
			if apply_item(st, it, feeds, t) then new = new + 1 end
		end
		meta(st, "sync_cursor", answer.cursor)
		meta(st, "sync_time", t)
	end)
	return new
end

--{====================================================================
-- Syncing
--=====================================================================

--- The time of the last successful sync (nil: never).
function M:last_sync()
	return tonumber(meta(self.store, "sync_time"))
end

-- Asks for changes since the stored cursor until the service has no more.
function M:pull(done, new)
	local cursor = meta(self.store, "sync_cursor")
	local q = {}
	if cursor then q[#q + 1] = "since=" .. cursor:gsub("[^%w%-]", "") end
	if self.page then q[#q + 1] = "limit=" .. math.floor(self.page) end
	local path = "/api/v1/sync" .. (#q > 0 and ("?" .. table.concat(q, "&")) or "")
	self:request("GET", path, nil, function(r)
		if r.error then return done(false, r.error, new) end
		if r.status == 304 then
			meta(self.store, "sync_time", now())
			return done(true, nil, new)
		end
		local answer, err = brisk.json.decode(r.body or "")
		if type(answer) ~= "table" or type(answer.cursor) ~= "string" then
			return done(false, "bad answer from the service: " .. tostring(err or "no cursor"), new)
		end
		local ok, n = pcall(self.apply, self, answer)
		if not ok then return done(false, tostring(n), new) end
		new = new + n
		if self.on_page then self.on_page(n, answer) end
		if answer.more then return self:pull(done, new) end
		done(true, nil, new)
	end)
end

--- Sends the queued read marks, then takes every change since the last
-- sync. done(ok, err, new) once it has ended (new: unread items added).
-- A sync asked for while one runs joins it.
function M:sync(done)
	done = done or function() end
	if self.waiting then
		self.waiting[#self.waiting + 1] = done
		return
	end
	self.waiting = { done }
	local function finish(ok, err, new)
		local list = self.waiting
		self.waiting = nil
		for _, fn in ipairs(list) do fn(ok, err, new or 0) end
	end
	self:flush(function(ok, err)
		if not ok then return finish(false, err, 0) end
		self:pull(finish, 0)
	end)
end

--- True while a sync runs.
function M:busy()
	return self.waiting ~= nil
end

return M
