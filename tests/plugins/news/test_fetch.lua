-- Fetching over loopback (feedserver.py, started by news.t):
-- usage: brisk --headless -l test_fetch.lua PORT ROOT LOG
-- First fetch compressed, unchanged refresh a 304 with no body, never a
-- Referer, every fault mode reported on its own feed without stopping the
-- others, backoff and Retry-After, and the bytes 12 unchanged feeds cost.
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local port, root, logf = arg[1], arg[2], arg[3]
if not (port and root and logf) then
	print("1..0 # SKIP no server (run through news.t)")
	os.exit(0)
end
local base = "http://127.0.0.1:" .. port

local function feed_xml(ids, title)
	local t = { '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>',
		"<title>" .. (title or "Good") .. "</title><link>http://good.example/</link><description>d</description>" }
	for _, i in ipairs(ids) do
		t[#t + 1] = string.format("<item><title>Item %d</title><link>http://good.example/%d</link><guid>good-%d</guid><description>%s</description></item>",
			i, i, i, string.rep("words to compress ", 60))
	end
	t[#t + 1] = "</channel></rss>"
	return table.concat(t, "\n")
end

T.write(root .. "/good.xml", feed_xml({ 1, 2, 3, 4, 5 }))
T.write(root .. "/other.xml", feed_xml({ 10, 11 }, "Other"))
T.write(root .. "/page.html", "<!DOCTYPE html><html><body><p>not a feed</p></body></html>")
T.write(root .. "/malformed.xml", "<rss version='2.0'><channel><title>Mal & formed</title><item><title>Still here</title><guid>m1</guid></item>")

local news = require("news")
local feeds = {
	good = { url = base .. "/good.xml", title = "Good", interval = 1800 },
	hang = { url = base .. "/hang", title = "Hang", timeout_ms = 1000 },
	endless = { url = base .. "/endless", title = "Endless", max_bytes = 200000 },
	s500 = { url = base .. "/status/500", title = "Server error" },
	badgzip = { url = base .. "/badgzip", title = "Bad gzip" },
	page = { url = base .. "/page.html", title = "Not a feed" },
	retry = { url = base .. "/retry", title = "Retry later" },
	moved = { url = base .. "/redirect/other.xml", title = "Moved" },
	perm = { url = base .. "/moved/good.xml", title = "Moved for good" },
	missing = { url = base .. "/missing.xml", title = "Gone" },
	malformed = { url = base .. "/malformed.xml", title = "Malformed" },
	loop = { url = base .. "/loop", title = "Redirect loop" },
}
local list = {}
for _, k in ipairs({ "good", "hang", "endless", "s500", "badgzip", "page", "retry",
	"moved", "perm", "missing", "malformed", "loop" }) do list[#list + 1] = feeds[k] end
news.setup({ db_path = T.tmp("fetch.db"), feeds = list, concurrency = 4 })

local new_by_url = {}
news.on_new(function(feed, items) new_by_url[feed.url] = (new_by_url[feed.url] or 0) + #items end)

local function log_rows()
	local rows = {}
	for line in (T.read(logf) or ""):gmatch("[^\n]+") do
		rows[#rows + 1] = brisk.json.decode(line)
	end
	return rows
end

local function rows_for(path, from)
	local out = {}
	for i, r in ipairs(log_rows()) do
		if i > (from or 0) and r.path == path then out[#out + 1] = r end
	end
	return out
end

--{== First refresh ====================================================
local c0 = os.time()
brisk.command("news-refresh")
local st = news.store()
T.ok(st ~= nil, "store opened")
T.ok(not news._fetcher:busy(), "news-refresh returned once every fetch had ended")
T.ok(os.time() - c0 <= 8, "a hanging server does not hold the refresh (timeout)")

local function row(k) return st:feed(feeds[k].url) end
local function err_has(k, word)
	local e = (row(k).last_error or ""):lower()
	return T.ok(e:find(word:lower(), 1, true) ~= nil, k .. ": error names " .. word, e)
end
T.eq(new_by_url[feeds.good.url], 5, "good: 5 new items")
T.eq(row("good").failures, 0, "good: no failure")
err_has("hang", "timeout")
err_has("endless", "size")
err_has("s500", "HTTP 500")
T.ok(row("badgzip").failures > 0, "bad gzip: failure recorded", row("badgzip").last_error)
err_has("page", "not an RSS or Atom feed")
err_has("retry", "HTTP 429")
err_has("missing", "HTTP 404")
err_has("loop", "redirect")
T.eq(new_by_url[feeds.moved.url], 2, "redirected feed: fetched")
T.eq(new_by_url[feeds.malformed.url], 1, "malformed XML: recovered")
local ra = news._fetcher.next_due[feeds.retry.url] - os.time()
T.ok(ra >= 3500, "Retry-After honoured (" .. ra .. " s)")
T.ok(math.abs(row("retry").retry_at - os.time() - 3600) <= 5, "Retry-After kept in the store")
-- a fresh fetcher reads the store as after a restart; a short interval, so
-- that only Retry-After can hold the feed back
local restarted = require("news.fetch").new({ store = st })
local short = { url = feeds.retry.url, interval = 60 }
T.eq(#restarted:due({ short }, os.time() + 1800), 0, "after a restart, Retry-After still holds")
T.eq(#restarted:due({ short }, os.time() + 3700), 1, "after a restart, due once Retry-After has passed")
T.eq(row("perm").location, base .. "/good.xml", "301: the new address is stored")
T.eq(row("moved").location, nil, "302: the address is not changed")
local good_first = rows_for("/good.xml")
local nperm = #log_rows()
brisk.command("news-refresh Moved for good")
local again = rows_for("/good.xml", nperm)
T.ok(#rows_for("/moved/good.xml", nperm) == 0 and #again == 1, "after a 301 the feed is fetched at its new address")
local d3 = news._fetcher:delay({ interval = 1800 }, 3)
T.ok(d3 >= 4 * 1800 * 0.89 and d3 <= 4 * 1800 * 1.11, "exponential backoff: 3 failures = 4 intervals (" .. d3 .. ")")
T.ok(news._fetcher:delay({ interval = 1800 }, 30) <= 24 * 3600 * 1.11, "backoff capped")

local first = good_first
T.eq(#first, 2, "good.xml: one request, one more for the feed that moved there")
T.ok(first[1] and (first[1].h["accept-encoding"] or ""):find("gzip", 1, true),
	"first fetch accepts gzip")
T.eq(first[1] and first[1].status, 200, "first fetch: 200")
local g = st:one("SELECT * FROM stats WHERE feed_id = ?", row("good").id)
T.ok(g and g.saved_compression > 0 and g.wire_bytes < g.body_bytes,
	"first fetch came compressed (" .. (g and g.wire_bytes or "?") .. " wire, " .. (g and g.body_bytes or "?") .. " decoded)")

--{== Unchanged refresh ================================================
local nlog = #log_rows()
brisk.command("news-refresh Good")
local second = rows_for("/good.xml", nlog)
T.eq(#second, 1, "refresh of one feed by title")
T.eq(second[1] and second[1].status, 304, "unchanged refresh: 304")
T.eq(second[1] and second[1].bytes, 0, "304 has no body")
T.ok(second[1] and second[1].h["if-none-match"] ~= nil, "conditional: If-None-Match sent")
T.ok(second[1] and second[1].h["if-modified-since"] ~= nil, "conditional: If-Modified-Since sent")
g = st:one("SELECT * FROM stats WHERE feed_id = ?", row("good").id)
T.eq(g.not_modified, 1, "stats: one 304")
T.ok(g.saved_304 > 0, "stats: bytes saved by the 304 (" .. g.saved_304 .. ")")

--{== Changing feed ====================================================
T.write(root .. "/good.xml", feed_xml({ 2, 3, 4, 5, 6 }))
brisk.command("news-refresh Good")
T.eq(new_by_url[feeds.good.url], 6, "one more new item after a change")
T.write(root .. "/good.xml", feed_xml({ 1, 3, 5, 6, 7 }))
brisk.command("news-refresh Good")
T.eq(new_by_url[feeds.good.url], 7, "re-exposed item 1 not new; item 7 new")

for _, r in ipairs(log_rows()) do
	if r.h.referer then T.ok(false, "Referer sent to " .. r.path) end
end
T.ok(true, "no Referer in " .. #log_rows() .. " requests")

--{== Bytes to refresh 12 unchanged feeds ==============================
local twelve = {}
for i = 1, 12 do
	local name = "u" .. i .. ".xml"
	local ids = {}
	for k = 1, 20 do ids[k] = i * 100 + k end
	T.write(root .. "/" .. name, feed_xml(ids, "Unchanged " .. i))
	twelve[i] = { url = base .. "/" .. name, title = "U" .. i }
end
news.setup({ feeds = twelve, db_path = news.config.db_path })
brisk.command("news-refresh")
local function sum(col, since_rows)
	local s = 0
	for _, f in ipairs(twelve) do
		local r = st:one("SELECT " .. col .. " AS v FROM stats WHERE feed_id = ?", st:feed(f.url).id)
		s = s + (r and r.v or 0)
	end
	return s
end
local wire1, body1 = sum("wire_bytes"), sum("body_bytes")
brisk.command("news-refresh")
local wire2 = sum("wire_bytes") - wire1
local n304 = sum("not_modified")
T.eq(n304, 12, "12 unchanged feeds: 12 304s")
T.ok(wire2 < 12 * 400, "12 unchanged feeds cost headers only (" .. wire2 .. " bytes)")
print(string.format("# figures: 12 feeds, first fetch %d bytes on the wire for %d decoded; unchanged refresh %d bytes on the wire (%d per feed)",
	wire1, body1, wire2, wire2 // 12))

st:close()
T.done()
