-- news.store: the SQLite history, archive, read state, per-feed HTTP
-- validators and per-feed-per-day stats (brisk.db, WAL, so a second brisk
-- or the CLI reads while one writes). It never talks to the network.
--
-- History: an item is keyed by (feed, identity). Each successful fetch of a
-- feed bumps the feed's generation and stamps the items it lists, so "in the
-- current window" is items.gen = feeds.gen (a 304 keeps the window as is).
-- Items out of the window and not seen for keep_days are aged out (by
-- date, never by count); their keys stay in `forgotten` for forget_days
-- more, and an item whose own date is older than keep_days is never new
-- (except in the first window fetched from a feed).
local M = {}
M.__index = M

local SCHEMA = [[
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS feeds(
	id INTEGER PRIMARY KEY,
	url TEXT NOT NULL UNIQUE,
	title TEXT,             -- from the feed itself
	site TEXT,              -- the feed's own link
	etag TEXT,
	last_modified TEXT,
	gen INTEGER NOT NULL DEFAULT 0,
	last_fetch INTEGER,     -- last attempt
	last_ok INTEGER,        -- last 200 or 304
	failures INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	body_bytes INTEGER,     -- decoded size of the last full body
	wire_bytes INTEGER,     -- its size on the wire (what a 304 saves)
	subscribed INTEGER NOT NULL DEFAULT 0, -- imported (OPML, urls file)
	retry_at INTEGER,       -- no request before (a server's Retry-After)
	location TEXT           -- where a permanent redirect led: fetched there
);
CREATE TABLE IF NOT EXISTS items(
	id INTEGER PRIMARY KEY,
	feed_id INTEGER NOT NULL,
	ident TEXT NOT NULL,
	title TEXT, link TEXT, author TEXT,
	published INTEGER, updated INTEGER,
	date INTEGER NOT NULL,  -- published, else updated, else first seen
	summary TEXT,           -- plain text
	html TEXT,              -- body as HTML, for reading
	enclosures TEXT,        -- "url type length" lines
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	gen INTEGER NOT NULL,
	read INTEGER NOT NULL DEFAULT 0,
	UNIQUE(feed_id, ident)
);
CREATE INDEX IF NOT EXISTS items_feed_date ON items(feed_id, date);
CREATE INDEX IF NOT EXISTS items_unread ON items(read, feed_id);
CREATE TABLE IF NOT EXISTS forgotten(
	feed_id INTEGER NOT NULL,
	ident TEXT NOT NULL,
	last_seen INTEGER NOT NULL,
	PRIMARY KEY(feed_id, ident)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats(
	feed_id INTEGER NOT NULL,
	day TEXT NOT NULL,
	requests INTEGER NOT NULL DEFAULT 0,
	not_modified INTEGER NOT NULL DEFAULT 0,
	errors INTEGER NOT NULL DEFAULT 0,
	wire_bytes INTEGER NOT NULL DEFAULT 0,
	body_bytes INTEGER NOT NULL DEFAULT 0,
	saved_304 INTEGER NOT NULL DEFAULT 0,
	saved_compression INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY(feed_id, day)
);
]]

--{====================================================================
-- Database access: every statement goes through these four helpers, so
-- the binding's calling conventions live in one place.
--=====================================================================

local function now()
	return math.floor(brisk.time.now())
end

-- Runs SQL that returns no rows (several statements, no parameters).
function M:exec(sql)
	local ok, err = self.db:exec(sql)
	if ok == nil and err then error("news db: " .. tostring(err), 0) end
end

-- All rows of a statement with parameters, as a list of tables.
function M:all(sql, ...)
	local out = {}
	for row in self.db:rows(sql, ...) do out[#out + 1] = row end
	return out
end

-- The first row, or nil.
function M:one(sql, ...)
	local first
	for row in self.db:rows(sql, ...) do
		if not first then first = row end
	end
	return first
end

-- A statement with parameters that returns no rows.
function M:run(sql, ...)
	for _ in self.db:rows(sql, ...) do end
end

--- Whether a transaction is open on the store's connection (a fetch's
-- merge holds one open across the slices of its task).
function M:in_transaction()
	return self.db.in_transaction ~= nil and self.db:in_transaction()
end

-- fn in a transaction (a savepoint inside one that is open); its results.
local function transaction(self, fn)
	if self.db.transaction then
		return self.db:transaction(fn)
	end
	self:exec("BEGIN IMMEDIATE")
	local r = table.pack(pcall(fn))
	self:exec(r[1] and "COMMIT" or "ROLLBACK")
	if not r[1] then error(r[2], 0) end
	return table.unpack(r, 2, r.n)
end

--- Runs fn in a transaction (a savepoint inside one that is open) and
-- returns its results. When the outermost one ends, committed or rolled
-- back, the writes that waited for it (M:write) run.
function M:transaction(fn)
	local r = table.pack(pcall(transaction, self, fn))
	self:run_waiting()
	if not r[1] then error(r[2], 0) end
	return table.unpack(r, 2, r.n)
end

--- Runs fn() in a transaction of its own: a write the user asked for (a
-- read mark, an import). While a transaction is open on this connection
-- (a fetch's merge, which its task holds open across slices, so the
-- editor runs in between), fn waits until that one has ended: inside it,
-- the write would be committed only with the merge, and lost when the
-- merge rolls back. Writes run in the order they were asked for, right
-- after the transaction (the same slice); after_write(ok, err) follows
-- each one (default: a failure's message to brisk.error).
function M:write(fn, after_write)
	self.waiting = self.waiting or {}
	self.waiting[#self.waiting + 1] = { fn = fn, after = after_write }
	self:run_waiting()
end

--- Runs the writes that wait, unless a transaction is open. A write
-- leaves the queue once it has run, so one that an interrupted call (its
-- time budget) cut short runs again next time: writes set values, so
-- running one twice is running it once.
function M:run_waiting()
	local list = self.waiting
	while list and #list > 0 and not self:in_transaction() do
		local w = list[1]
		local ok, err = pcall(transaction, self, w.fn)
		table.remove(list, 1)
		if w.after then
			pcall(w.after, ok, not ok and tostring(err) or nil)
		elseif not ok and brisk.error then
			pcall(brisk.error, "news: " .. tostring(err))
		end
	end
end

--{====================================================================
-- Opening
--=====================================================================

--- The default database path: $XDG_DATA_HOME/brisk/news.db.
function M.default_dir()
	local base = os.getenv("XDG_DATA_HOME")
	if not base or base == "" then
		base = (os.getenv("HOME") or ".") .. "/.local/share"
	end
	return base .. "/brisk"
end

--- Opens (creating when needed) the store at path. Returns the store or
-- nil and a message.
function M.open(path)
	local db, err = brisk.db.open(path)
	if not db then return nil, "news db " .. path .. ": " .. tostring(err) end
	local self = setmetatable({ db = db, path = path }, M)
	local ok, e = pcall(function()
		self:exec("PRAGMA busy_timeout=5000")
		local mode = self:one("PRAGMA journal_mode=WAL")
		self.wal = mode and (mode.journal_mode or select(2, next(mode))) == "wal"
		self:exec("PRAGMA synchronous=NORMAL")
		self:exec(SCHEMA)
		self:upgrade()
	end)
	if not ok then
		pcall(db.close, db)
		return nil, tostring(e)
	end
	return self
end

--- Adds the columns of `list` ({table, column, declaration}) that a
-- table does not have yet.
function M:add_columns(list)
	for _, c in ipairs(list) do
		local have = false
		for _, col in ipairs(self:all("PRAGMA table_info(" .. c[1] .. ")")) do
			if col.name == c[2] then have = true end
		end
		if not have then self:exec("ALTER TABLE " .. c[1] .. " ADD COLUMN " .. c[2] .. " " .. c[3]) end
	end
end

-- Columns added since a database was made: added to it.
local ADDED = { { "feeds", "retry_at", "INTEGER" }, { "feeds", "location", "TEXT" } }

function M:upgrade() self:add_columns(ADDED) end

function M:close()
	if self.db then self.db:close() end
	self.db = nil
end

--{====================================================================
-- Feeds
--=====================================================================

--- The feed row for url, created when missing.
function M:feed(url)
	local f = self:one("SELECT * FROM feeds WHERE url = ?", url)
	if f then return f end
	self:run("INSERT OR IGNORE INTO feeds(url) VALUES (?)", url)
	return self:one("SELECT * FROM feeds WHERE url = ?", url)
end

function M:feed_by_id(id)
	return self:one("SELECT * FROM feeds WHERE id = ?", id)
end

function M:feeds()
	return self:all("SELECT * FROM feeds ORDER BY id")
end

local feed_columns = { title = true, site = true, etag = true,
	last_modified = true, last_fetch = true, last_ok = true, failures = true,
	last_error = true, body_bytes = true, wire_bytes = true, subscribed = true,
	retry_at = true, location = true }

--- Sets columns of a feed; a value of false stores NULL.
function M:update_feed(id, fields)
	local sets, vals = {}, {}
	for k, v in pairs(fields) do
		assert(feed_columns[k], "bad feed column " .. tostring(k))
		sets[#sets + 1] = k .. " = ?"
		if v == false then v = nil end
		vals[#sets] = v
	end
	if #sets == 0 then return end
	vals[#sets + 1] = id
	self:run("UPDATE feeds SET " .. table.concat(sets, ", ") .. " WHERE id = ?",
		table.unpack(vals, 1, #sets + 1))
end

--- Imported subscriptions (OPML, newsboat urls).
function M:subscriptions()
	return self:all("SELECT url, title FROM feeds WHERE subscribed = 1 ORDER BY id")
end

function M:subscribe(url, title)
	self:feed(url)
	self:run("UPDATE feeds SET subscribed = 1, title = coalesce(title, ?) WHERE url = ?",
		title, url)
end

--{====================================================================
-- Items and history
--=====================================================================

local function enclosures_text(list)
	if not list or #list == 0 then return nil end
	local t = {}
	for _, e in ipairs(list) do
		t[#t + 1] = table.concat({ e.url, e.type or "-", tostring(e.length or "-") }, " ")
	end
	return table.concat(t, "\n")
end

-- One item of a window: stamp it if known, else insert it (new unless
-- its key was aged out or it is too old to be news). Returns true if new.
function M:merge_one(feed_id, it, gen, first, t, keep)
	local row = self:one("SELECT id FROM items WHERE feed_id = ? AND ident = ?",
		feed_id, it.id)
	local when = it.published or it.updated
	if row then
		-- seen before: only the window stamp and the text move
		self:run([[UPDATE items SET last_seen = ?, gen = ?, title = ?,
			link = ?, author = ?, updated = ?, summary = ?, html = ?,
			enclosures = ? WHERE id = ?]], t, gen, it.title, it.link,
			it.author, it.updated, it.summary, it.html,
			enclosures_text(it.enclosures), row.id)
		return false
	end
	local old = self:one("SELECT 1 AS x FROM forgotten WHERE feed_id = ? AND ident = ?",
		feed_id, it.id)
	-- an item we aged out, or one too old to be news, is archived as
	-- read: it is never presented as new
	local stale = old ~= nil or (not first and when ~= nil and when < t - keep)
	self:run([[INSERT INTO items(feed_id, ident, title, link, author,
		published, updated, date, summary, html, enclosures,
		first_seen, last_seen, gen, read)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)]],
		feed_id, it.id, it.title, it.link, it.author, it.published,
		it.updated, when or t, it.summary, it.html,
		enclosures_text(it.enclosures), t, t, gen, stale and 1 or 0)
	if old then
		self:run("DELETE FROM forgotten WHERE feed_id = ? AND ident = ?", feed_id, it.id)
	end
	if stale then return false end
	it.row = self:one("SELECT last_insert_rowid() AS id").id
	return true
end

--- Records a fetched window of items for feed_id. Returns the list of
-- items that are new (never seen before), each with its row id set.
-- One transaction (a savepoint inside the caller's): all or nothing.
-- opts.keep_days: items dated before now - keep_days are never new;
-- opts.pause: called every opts.chunk items (inside a brisk.task it ends
-- the slice; the transaction stays open across slices).
function M:merge(feed_id, items, opts)
	opts = opts or {}
	local t = now()
	local keep = (opts.keep_days or 90) * 86400
	local chunk = opts.chunk or 20
	local new = {}
	self:transaction(function()
		self:run("UPDATE feeds SET gen = gen + 1 WHERE id = ?", feed_id)
		local gen = self:one("SELECT gen FROM feeds WHERE id = ?", feed_id).gen
		-- a feed's first window is all new, whatever the dates say
		local first = gen == 1
		for k, it in ipairs(items) do
			if it.id and self:merge_one(feed_id, it, gen, first, t, keep) then
				new[#new + 1] = it
			end
			if opts.pause and k % chunk == 0 then opts.pause() end
		end
	end)
	return new
end

--- Ages out items that left their feed's window keep_days ago or more;
-- forgets their keys after forget_days more. Returns how many went.
function M:expire(keep_days, forget_days)
	local t = now()
	local cutoff = t - (keep_days or 90) * 86400
	local n = 0
	self:transaction(function()
		local where = [[FROM items WHERE last_seen < ?1 AND gen <
			(SELECT gen FROM feeds WHERE feeds.id = items.feed_id)]]
		n = self:one("SELECT count(*) AS n " .. where, cutoff).n
		if n > 0 then
			self:run("INSERT OR REPLACE INTO forgotten(feed_id, ident, last_seen) SELECT feed_id, ident, last_seen " .. where, cutoff)
			self:run("DELETE " .. where, cutoff)
		end
		self:run("DELETE FROM forgotten WHERE last_seen < ?",
			cutoff - (forget_days or 365) * 86400)
	end)
	return n
end

--- Items of a feed (or of all feeds when feed_id is nil), newest first.
function M:items(feed_id, limit, offset)
	local cols = [[id, feed_id, title, link, author, date, read, first_seen]]
	if feed_id then
		return self:all("SELECT " .. cols .. " FROM items WHERE feed_id = ? ORDER BY date DESC, id DESC LIMIT ? OFFSET ?",
			feed_id, limit or -1, offset or 0)
	end
	return self:all("SELECT " .. cols .. " FROM items ORDER BY date DESC, id DESC LIMIT ? OFFSET ?",
		limit or -1, offset or 0)
end

--- One item with everything.
function M:item(id)
	return self:one("SELECT * FROM items WHERE id = ?", id)
end

--- Unread items joined with their feed, oldest first (reading order).
function M:unread(feed_ids)
	local sql = [[SELECT items.id, items.feed_id, items.title, items.link,
		items.date, feeds.url AS feed_url, feeds.title AS feed_title
		FROM items JOIN feeds ON feeds.id = items.feed_id
		WHERE items.read = 0]]
	if feed_ids then
		if #feed_ids == 0 then return {} end
		sql = sql .. " AND items.feed_id IN (" .. table.concat(feed_ids, ",") .. ")"
	end
	return self:all(sql .. " ORDER BY items.feed_id, items.date, items.id")
end

--- Unread counts by feed id.
function M:unread_counts()
	local out = {}
	for _, r in ipairs(self:all("SELECT feed_id, count(*) AS n FROM items WHERE read = 0 GROUP BY feed_id")) do
		out[r.feed_id] = r.n
	end
	return out
end

function M:mark_read(id, read)
	self:run("UPDATE items SET read = ? WHERE id = ?", read == false and 0 or 1, id)
end

--- Marks every item of feed_id (all feeds when nil) read; with upto,
-- only those whose row id is at most upto (the items there were then:
-- see last_item_id).
function M:mark_all_read(feed_id, upto)
	upto = upto or math.maxinteger
	if feed_id then
		self:run("UPDATE items SET read = 1 WHERE feed_id = ? AND read = 0 AND id <= ?", feed_id, upto)
	else
		self:run("UPDATE items SET read = 1 WHERE read = 0 AND id <= ?", upto)
	end
end

--- The largest item row id (0: no items); items added later have larger ones.
function M:last_item_id()
	return self:one("SELECT coalesce(max(id), 0) AS n FROM items").n
end

--- Searches the archive (title, summary, author, link); newest first.
function M:search(words, limit)
	local conds, vals = {}, {}
	for w in words:gmatch("%S+") do
		local pat = "%" .. w:gsub("[\\%%_]", "\\%0") .. "%"
		conds[#conds + 1] = [[(title LIKE ? ESCAPE '\' OR summary LIKE ? ESCAPE '\'
			OR author LIKE ? ESCAPE '\' OR link LIKE ? ESCAPE '\')]]
		for _ = 1, 4 do vals[#vals + 1] = pat end
	end
	if #conds == 0 then return {} end
	vals[#vals + 1] = limit or 200
	return self:all("SELECT id, feed_id, title, link, date, read FROM items WHERE "
		.. table.concat(conds, " AND ") .. " ORDER BY date DESC, id DESC LIMIT ?",
		table.unpack(vals))
end

function M:count_items()
	return self:one("SELECT count(*) AS n FROM items").n
end

--{====================================================================
-- Stats
--=====================================================================

local stat_columns = { requests = true, not_modified = true, errors = true,
	wire_bytes = true, body_bytes = true, saved_304 = true,
	saved_compression = true }

--- Adds counts to today's (UTC) stats row of a feed.
function M:add_stats(feed_id, counts)
	local day = brisk.time.format(now(), "%Y-%m-%d")
	self:run("INSERT OR IGNORE INTO stats(feed_id, day) VALUES (?, ?)", feed_id, day)
	local sets, vals = {}, {}
	for k, v in pairs(counts) do
		assert(stat_columns[k], "bad stats column " .. tostring(k))
		sets[#sets + 1] = k .. " = " .. k .. " + ?"
		vals[#sets] = math.floor(v)
	end
	if #sets == 0 then return end
	vals[#vals + 1] = feed_id
	vals[#vals + 1] = day
	self:run("UPDATE stats SET " .. table.concat(sets, ", ") .. " WHERE feed_id = ? AND day = ?",
		table.unpack(vals))
end

--- Stats rows (joined with the feed), newest day first; since: a day string.
function M:stats(since)
	return self:all([[SELECT stats.*, feeds.url, feeds.title FROM stats
		JOIN feeds ON feeds.id = stats.feed_id WHERE day >= ?
		ORDER BY day DESC, feeds.id]], since or "")
end

return M
