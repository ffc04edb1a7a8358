-- The store: history (never new twice), window and aging by date, read
-- state across reopening, archive search, validators, per-day stats.
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local storemod = require("news.store")

local DAY = 86400
local now = 1700000000
brisk.time.now = function() return now end

local path = T.tmp("store.db")
local st = assert(storemod.open(path))
T.ok(st.wal, "WAL journal mode")

local function items(...)
	local out = {}
	for _, n in ipairs({ ... }) do
		out[#out + 1] = { id = "id-" .. n, title = "Item " .. n, link = "http://s.example/" .. n,
			published = now - 3600, summary = "text of item " .. n }
	end
	return out
end

local feed = st:feed("http://s.example/feed.xml")
T.ok(feed and feed.id, "feed row created")
T.eq(st:feed("http://s.example/feed.xml").id, feed.id, "same url, same feed row")

local new = st:merge(feed.id, items(1, 2, 3))
T.eq(#new, 3, "first window: all new")
new = st:merge(feed.id, items(1, 2, 3))
T.eq(#new, 0, "same window again: nothing new")
new = st:merge(feed.id, items(2, 3, 4))
T.eq(#new, 1, "one new item")
T.eq(new[1] and new[1].id, "id-4", "the new one is item 4")
new = st:merge(feed.id, items(1, 3, 4, 5))
T.eq(#new, 1, "item 1 came back: not new; item 5 is")

-- duplicates inside one window
new = st:merge(feed.id, { items(6)[1], items(6)[1] })
T.eq(#new, 1, "an item listed twice in one window is new once")

-- read state
local counts = st:unread_counts()
T.eq(counts[feed.id], 6, "6 unread")
local row = st:one("SELECT id FROM items WHERE ident = 'id-2'")
st:mark_read(row.id, true)
st:merge(feed.id, items(2))
T.eq(st:item(row.id).read, 1, "re-exposure keeps read state")
st:close()
st = assert(storemod.open(path))
T.eq(st:item(row.id).read, 1, "read state survives reopening")
T.eq(st:unread_counts()[feed.id], 5, "5 unread after reopening")
st:mark_read(row.id, false)
T.eq(st:item(row.id).read, 0, "mark unread")
st:mark_all_read(feed.id)
T.eq(st:unread_counts()[feed.id], nil, "mark all read")

-- aging out: only items outside the current window, by date
st:merge(feed.id, items(7, 8))          -- window is now {7, 8}
now = now + 10 * DAY
local gone = st:expire(30)
T.eq(gone, 0, "nothing aged out before keep_days")
now = now + 25 * DAY
gone = st:expire(30)
T.eq(gone, 6, "items 1-6 aged out 35 days after they left the window")
T.ok(st:one("SELECT 1 AS x FROM items WHERE ident = 'id-7'") ~= nil,
	"items still in the window are kept however old")
T.eq(st:one("SELECT count(*) AS n FROM forgotten").n, 6, "aged-out keys remembered")

-- an aged-out item coming back is not new (its key is remembered)
local undated = { { id = "id-3", title = "Item 3 again" } }
new = st:merge(feed.id, { items(7)[1], items(8)[1], undated[1] })
T.eq(#new, 0, "aged-out item re-exposed: not new")
T.eq(st:one("SELECT read FROM items WHERE ident = 'id-3'").read, 1, "archived as read")
-- an item never seen, dated before keep_days, is not news either
local old = { id = "ancient", title = "Ancient", published = now - 200 * DAY }
new = st:merge(feed.id, { old }, { keep_days = 90 })
T.eq(#new, 0, "never-seen item older than keep_days: not new")
-- but a new feed's first window is all new, whatever the dates
local f2 = st:feed("http://other.example/feed")
new = st:merge(f2.id, { { id = "x", title = "Old post", published = now - 400 * DAY } })
T.eq(#new, 1, "first window of a feed: new even when old")

-- never by count: a big window is kept whole
local big = {}
for i = 1, 2500 do big[i] = { id = "big-" .. i, title = "Big " .. i, published = now } end
local f3 = st:feed("http://big.example/feed")
new = st:merge(f3.id, big)
T.eq(#new, 2500, "2500-item window: all new")
now = now + 400 * DAY
st:expire(90)
T.eq(st:one("SELECT count(*) AS n FROM items WHERE feed_id = ?", f3.id).n, 2500,
	"2500-item window kept after 400 days (in window)")

-- search
st:merge(f2.id, { { id = "s1", title = "100% pure_lua", summary = "percent" },
	{ id = "s2", title = "1000 pure lua", summary = "no percent" } })
local r = st:search("100%")
T.eq(#r, 1, "search escapes %")
T.eq(r[1] and r[1].title, "100% pure_lua", "search result")
T.eq(#st:search("pure_lua"), 1, "search escapes _")
T.eq(#st:search("PURE LUA"), 2, "search: words ANDed, case-insensitive")
T.eq(#st:search("Big 2499"), 1, "search the archive")

-- validators and stats
st:update_feed(feed.id, { etag = '"abc"', last_modified = "Tue, 01 Jan 2030 00:00:00 GMT" })
T.eq(st:feed_by_id(feed.id).etag, '"abc"', "etag stored")
st:update_feed(feed.id, { etag = false })
T.eq(st:feed_by_id(feed.id).etag, nil, "etag cleared")
st:add_stats(feed.id, { requests = 1, wire_bytes = 100, body_bytes = 400, saved_compression = 300 })
st:add_stats(feed.id, { requests = 1, not_modified = 1, wire_bytes = 20, saved_304 = 80 })
now = now + DAY
st:add_stats(feed.id, { requests = 1, errors = 1 })
local rows = st:stats("")
T.eq(#rows, 2, "one stats row per feed and day")
T.eq(rows[2].requests, 2, "requests counted")
T.eq(rows[2].not_modified, 1, "304s counted")
T.eq(rows[2].wire_bytes, 120, "wire bytes summed")
T.eq(rows[2].saved_304 + rows[2].saved_compression, 380, "bytes saved")
T.eq(rows[1].errors, 1, "errors counted on the next day")

-- a second connection reads while the first one writes (WAL)
local st2 = assert(storemod.open(path))
st:transaction(function()
	st:run("UPDATE items SET read = 0 WHERE feed_id = ?", feed.id)
	T.ok(st2:count_items() > 0, "a reader reads during a write transaction")
end)
st2:close()
st:close()
T.done()
