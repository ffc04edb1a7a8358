-- news.sync: the service's side of the sync protocol, kept in the news
-- store. Every insert of an item or a feed, and every change a client
-- shows (text, read state, a feed's title or failing state), takes the next
-- number of one sequence: SQLite triggers do it, so a sidebar or a CLI
-- sharing the store (WAL) is seen as well as the service itself. A cursor
-- is "INSTANCE-N": the changes after N, in the store INSTANCE (a store
-- made anew gives every client a full sync, never a wrong delta).
-- Also the downstream stats (per client and day).

local M = {}

local TRIGGERS = [[
CREATE TABLE IF NOT EXISTS sync_seq(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT OR IGNORE INTO sync_seq VALUES (1, 0);
CREATE INDEX IF NOT EXISTS items_seq ON items(seq);
CREATE TRIGGER IF NOT EXISTS items_seq_insert AFTER INSERT ON items BEGIN
	UPDATE sync_seq SET n = n + 1;
	UPDATE items SET seq = (SELECT n FROM sync_seq), cseq = (SELECT n FROM sync_seq)
		WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS items_seq_update AFTER UPDATE OF read, title, link, author, summary, published ON items
WHEN NEW.read IS NOT OLD.read OR NEW.title IS NOT OLD.title OR NEW.link IS NOT OLD.link
	OR NEW.author IS NOT OLD.author OR NEW.summary IS NOT OLD.summary
	OR NEW.published IS NOT OLD.published
BEGIN
	UPDATE sync_seq SET n = n + 1;
	UPDATE items SET seq = (SELECT n FROM sync_seq),
		cseq = CASE WHEN NEW.read IS NOT OLD.read AND NEW.title IS OLD.title
			AND NEW.link IS OLD.link AND NEW.author IS OLD.author
			AND NEW.summary IS OLD.summary AND NEW.published IS OLD.published
			THEN cseq ELSE (SELECT n FROM sync_seq) END
		WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS feeds_seq_insert AFTER INSERT ON feeds BEGIN
	UPDATE sync_seq SET n = n + 1;
	UPDATE feeds SET seq = (SELECT n FROM sync_seq) WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS feeds_seq_update AFTER UPDATE OF title, site, failures ON feeds
WHEN NEW.title IS NOT OLD.title OR NEW.site IS NOT OLD.site
	OR (NEW.failures > 0) IS NOT (OLD.failures > 0)
BEGIN
	UPDATE sync_seq SET n = n + 1;
	UPDATE feeds SET seq = (SELECT n FROM sync_seq) WHERE id = NEW.id;
END;
CREATE TABLE IF NOT EXISTS downstream(
	client TEXT NOT NULL,
	day TEXT NOT NULL,
	requests INTEGER NOT NULL DEFAULT 0,
	syncs INTEGER NOT NULL DEFAULT 0,
	not_modified INTEGER NOT NULL DEFAULT 0,
	bytes INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY(client, day)
);
]]

--- Adds the sequence columns, triggers and tables to an open store (once;
-- safe to call from several processes).
function M.install(st)
	if st.sync_installed then return end
	st:transaction(function()
		st:add_columns({
			{ "items", "seq", "INTEGER NOT NULL DEFAULT 0" },
			{ "items", "cseq", "INTEGER NOT NULL DEFAULT 0" },
			{ "feeds", "seq", "INTEGER NOT NULL DEFAULT 0" },
		})
		st:exec(TRIGGERS)
		if not st:one("SELECT value FROM meta WHERE key = 'sync_instance'") then
			st:run("INSERT INTO meta(key, value) VALUES ('sync_instance', ?)",
				brisk.crypto.random(6))
		end
	end)
	st.sync_installed = true
end

local function instance(st)
	return st:one("SELECT value FROM meta WHERE key = 'sync_instance'").value
end

local function current(st)
	return st:one("SELECT n FROM sync_seq WHERE id = 1").n
end

--- The cursor naming the store as it is now.
function M.cursor(st)
	return instance(st) .. "-" .. current(st)
end

--- The sequence number a client's cursor stands for; nil for "send
-- everything" (no cursor, another store's cursor, or one from the future).
function M.since(st, cursor)
	if type(cursor) ~= "string" then return nil end
	local inst, n = cursor:match("^(%w+)%-(%d+)$")
	n = tonumber(n)
	if inst ~= instance(st) or not n or n > current(st) then return nil end
	return n
end

local null = brisk.json and brisk.json.null

-- An item as the client sees it: whole, or only its read state when the
-- client has its text already (its text is older than the cursor).
local function item_json(r, since, summary_chars)
	local read = r.read == 1
	if since and r.cseq <= since then return { id = r.id, read = read } end
	local summary = r.summary
	if summary and #summary > summary_chars then
		summary = require("news.page").shorten(summary, summary_chars)
	end
	return { id = r.id, feed = r.feed_id, title = r.title or null, link = r.link or null,
		published = r.date or null, author = r.author or null,
		summary = summary or null, read = read }
end

local function feed_json(f)
	return { id = f.id, url = f.url, title = f.title or null, site = f.site or null,
		error = ((f.failures or 0) > 0 and f.last_error) or null }
end

-- "1,2,3" for an SQL IN (...); "NULL" (nothing matches) for no ids.
local function id_list(ids)
	local t = {}
	for i, id in ipairs(ids) do t[i] = math.floor(tonumber(id) or 0) end
	return #t > 0 and table.concat(t, ",") or "NULL"
end

-- Runs fn in a read transaction (a consistent snapshot without taking
-- the write lock, so fetches and other processes are not held up).
local function read_tx(st, fn)
	local began = st.db:exec("BEGIN")
	local ok, err = pcall(fn)
	if began then st.db:exec(ok and "COMMIT" or "ROLLBACK") end
	if not ok then error(err, 0) end
end

--- What changed after `since` (nil: everything) in the feeds feed_ids:
-- {cursor =, feeds = {...}, items = {...}, more = bool}, at most `limit`
-- items, oldest change first; with more, the cursor stands after the
-- last item sent. Read in one transaction, so the cursor and the rows
-- agree.
function M.changes(st, since, feed_ids, opts)
	opts = opts or {}
	local limit = opts.limit or 1000
	local out
	read_tx(st, function()
		local from = since or -1
		local ids = id_list(feed_ids)
		local rows = st:all("SELECT id, feed_id, seq, cseq, read, title, link, date, author, summary FROM items WHERE seq > ? AND feed_id IN ("
			.. ids .. ") ORDER BY seq LIMIT ?", from, limit + 1)
		local more = #rows > limit
		if more then rows[#rows] = nil end
		local upto = more and rows[#rows].seq or current(st)
		local feeds = st:all("SELECT id, url, title, site, failures, last_error FROM feeds WHERE seq > ? AND seq <= ? AND id IN ("
			.. ids .. ") ORDER BY id", from, upto)
		local items = {}
		for i, r in ipairs(rows) do items[i] = item_json(r, since, opts.summary_chars or 600) end
		local fl = {}
		for i, f in ipairs(feeds) do fl[i] = feed_json(f) end
		out = { cursor = instance(st) .. "-" .. upto, feeds = brisk.json.array(fl),
			items = brisk.json.array(items), more = more, full = since == nil }
	end)
	return out
end

--- The unread items of the feeds feed_ids, newest first (at most
-- limit), and how many there are in all.
function M.unread_items(st, feed_ids, limit)
	local where = " FROM items WHERE read = 0 AND feed_id IN (" .. id_list(feed_ids) .. ")"
	local total = st:one("SELECT count(*) AS n" .. where).n
	local items = st:all("SELECT id, feed_id, title, link, date, author, summary" .. where
		.. " ORDER BY date DESC, id DESC LIMIT ?", limit or -1)
	return items, total
end

--- Marks items read (or unread); returns how many changed, and the
-- cursors before and after: nothing but these marks lies between them
-- (one transaction), so a client whose cursor was `before` may take
-- `after` without asking for its own marks back.
function M.mark(st, ids, read)
	local n, before, after = 0, nil, nil
	st:transaction(function()
		before = M.cursor(st)
		for i = 1, #ids, 500 do
			local chunk = { table.unpack(ids, i, math.min(#ids, i + 499)) }
			st:run("UPDATE items SET read = ? WHERE read != ? AND id IN (" .. id_list(chunk) .. ")",
				read and 1 or 0, read and 1 or 0)
			n = n + st:one("SELECT changes() AS n").n
		end
		after = M.cursor(st)
	end)
	return n, before, after
end

--- Adds counts to today's row of a client.
function M.add_downstream(st, client, counts)
	local day = brisk.time.format(math.floor(brisk.time.now()), "%Y-%m-%d")
	st:run([[INSERT INTO downstream(client, day, requests, syncs, not_modified, bytes)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(client, day) DO UPDATE SET
		requests = requests + ?3, syncs = syncs + ?4, not_modified = not_modified + ?5,
		bytes = bytes + ?6]], client, day, counts.requests or 0, counts.syncs or 0,
		counts.not_modified or 0, counts.bytes or 0)
end

--- Downstream rows since a day, newest first.
function M.downstream(st, since_day)
	return st:all("SELECT * FROM downstream WHERE day >= ? ORDER BY day DESC, client", since_day)
end

return M
