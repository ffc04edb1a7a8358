-- Read marks made in the sidebar while a fetch merges a feed. The merge
-- holds the store's transaction open across the slices of its task, and
-- the editor (keys, commands) runs between them. A mark made then must
-- survive the merge failing (rolled back), be kept when it commits, and
-- mark-all-read must not reach the items the merge adds after it.
-- The fetch is the real one (file://, brisk.task); the test decides where
-- the merge's slices end (its pause, below) and, in the first case, makes
-- the store fail in the middle of the merge.
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local storemod = require("news.store")
local news = require("news")
local path = T.tmp("marks.xml")
local url = "file://" .. path

-- The feed with items first..last (guid gN, link http://m.example/N).
local function write_feed(last)
	local t = { '<?xml version="1.0"?><rss version="2.0"><channel><title>Marks</title><link>http://m.example/</link>' }
	for i = 1, last do
		t[#t + 1] = string.format("<item><title>Item %d</title><link>http://m.example/%d</link><guid>g%d</guid></item>", i, i, i)
	end
	t[#t + 1] = "</channel></rss>\n"
	T.write(path, table.concat(t, "\n"))
end

news.setup({ db_path = T.tmp("marks.db"), feeds = { { url = url, title = "Marks" } } })
local st = news.store()

-- The merge's pause ends the slice (as brisk.pause does after a while),
-- and waits there while `hold` is set: the transaction stays open.
local hold = false
function st:merge(feed_id, items, opts)
	opts.pause = function()
		coroutine.yield()
		while hold do coroutine.yield() end
	end
	return storemod.merge(self, feed_id, items, opts)
end
local feed = news.feed_list()[1]
local fetcher = news.fetcher(st)

local function id_of(n)
	return st:one("SELECT id FROM items WHERE link = ?", "http://m.example/" .. n).id
end
local function read_of(n)
	local r = st:one("SELECT read FROM items WHERE link = ?", "http://m.example/" .. n)
	return r and r.read
end
local function unread()
	return st:one("SELECT count(*) AS n FROM items WHERE read = 0").n
end

-- Fetches the feed with the merge held at its first pause; in_merge()
-- runs there (the transaction open, the editor's turn), then the merge
-- goes on; done(ok, info) when the fetch has ended.
local function fetch_held(in_merge, done)
	hold = true
	local ended
	fetcher:fetch(feed, function(_, ok, info) ended = { ok, info } end)
	local function step(n)
		if hold and st.db:in_transaction() then
			in_merge()
			hold = false
		elseif ended then
			return done(ended[1], ended[2])
		elseif n > 20000 then
			T.ok(false, "the fetch never ended")
			return T.done()
		end
		brisk.timer(1, function() step(n + 1) end)
	end
	step(0)
end

local cases = {}

-- 1. The merge fails after the mark: rolled back, the mark stays.
cases[1] = function(next_case)
	write_feed(90)
	fetch_held(function()
		T.ok(brisk.command("news-mark-read " .. id_of(3)), "rollback: news-mark-read during the merge")
		brisk.command("news-mark-read " .. id_of(5))
		brisk.command("news-mark-unread " .. id_of(5)) -- the last word wins
		T.eq(read_of(3), 0, "rollback: the mark waits while the merge holds the transaction")
		-- the store fails in the middle of the merge
		st.merge_one = function() error("disk I/O error (made by the test)") end
	end, function(ok, info)
		st.merge_one = nil
		T.ok(not ok and tostring(info):find("made by the test", 1, true), "rollback: the fetch failed", info)
		T.eq(st:count_items(), 30, "rollback: none of the merge's items stayed")
		T.eq(read_of(3), 1, "rollback: the read mark made during the merge survived it")
		T.eq(read_of(5), 0, "rollback: marks are written in the order they were made")
		T.ok(not st.db:in_transaction(), "rollback: no transaction left open")
		next_case()
	end)
end

-- 2. The merge commits: the mark is kept, the new items are new.
cases[2] = function(next_case)
	fetch_held(function()
		brisk.command("news-mark-read " .. id_of(4))
	end, function(ok)
		T.ok(ok, "commit: the fetch succeeded")
		T.eq(st:count_items(), 90, "commit: the merge's items are there")
		T.eq(read_of(4), 1, "commit: the read mark made during the merge is kept")
		T.eq(read_of(3), 1, "commit: the mark that survived the rollback too")
		T.eq(read_of(60), 0, "commit: the new items are unread")
		next_case()
	end)
end

-- 3. Mark-all-read during a merge that then adds 60 items: those stay new.
cases[3] = function(next_case)
	write_feed(150)
	fetch_held(function()
		T.ok(brisk.command("news-mark-all-read Marks"), "mark-all-read during the merge")
	end, function(ok)
		T.ok(ok, "mark-all-read: the fetch succeeded")
		T.eq(st:count_items(), 150, "mark-all-read: the merge's items are there")
		T.eq(read_of(90), 1, "mark-all-read: the items there were are read")
		T.eq(unread(), 60, "mark-all-read: the 60 items the merge added after it are still new")
		next_case()
	end)
end

-- The first fetch: 30 items, committed.
write_feed(30)
fetcher:fetch(feed, function(_, ok, info)
	T.ok(ok and st:count_items() == 30, "first fetch: 30 items", info)
	local i = 0
	local function next_case()
		i = i + 1
		if cases[i] then return cases[i](next_case) end
		st:close()
		T.done()
	end
	next_case()
end)
