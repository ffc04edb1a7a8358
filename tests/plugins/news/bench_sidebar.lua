-- Figures (not a test): time to show the sidebar with 10,000 archived
-- items. usage: brisk --headless -l tests/plugins/news/bench_sidebar.lua [N]
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local N = tonumber(arg and arg[1]) or 10000
local news = require("news")
local feeds = {}
for i = 1, 12 do feeds[i] = { url = "http://bench" .. i .. ".example/feed", title = "Feed " .. i } end
news.setup({ db_path = T.tmp("sidebar.db"), feeds = feeds })
local st = news.store()
local per = N // 12
for i, f in ipairs(feeds) do
	local items = {}
	for k = 1, per + (i <= N % 12 and 1 or 0) do
		items[k] = { id = "f" .. i .. "-" .. k, title = "Archived item " .. k .. " of feed " .. i,
			link = "http://bench" .. i .. ".example/" .. k, published = 1700000000 - k * 600,
			summary = string.rep("summary text ", 20), html = "<p>" .. string.rep("body ", 100) .. "</p>" }
	end
	st:merge(st:feed(f.url).id, items)
end
news.draw_headless = true
local clock = brisk.clock or os.clock
local t0 = clock()
brisk.command("news")
local t1 = clock()
news._pane:select(1)
news.activate() -- the first feed's items
local t2 = clock()
print(string.format("news sidebar: %d archived items in %d feeds: feed list shown in %.1f ms, a feed's %d items in %.1f ms",
	st:count_items(), #feeds, (t1 - t0) * 1000, news._pane:count(), (t2 - t1) * 1000))
