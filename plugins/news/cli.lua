-- news CLI: `brisk --headless -l plugins/news/cli.lua COMMAND [ARGS]`.
-- Reads the same store and user config as the editor (SQLite in WAL mode,
-- so it can run while an editor writes); it fetches only when asked to.
--   unread            feed title TAB item title TAB link, one item per line
--   feeds             url TAB title TAB unread TAB last error
--   search WORDS      id TAB feed title TAB item title TAB link
--   stats [DAYS]      the stats table (bytes exact)
--   refresh           fetch every feed now, then print the stats of today
--   export-opml       the feed list as OPML on stdout
do
	-- run from anywhere: find our modules beside this file
	local dir = (arg and arg[0] or ""):match("^(.*)/news/[^/]*$")
	if dir then package.path = dir .. "/?.lua;" .. dir .. "/?/init.lua;" .. package.path end
end
local news = require("news")
local text = require("news.text")

local function usage()
	io.stderr:write("usage: brisk --headless -l plugins/news/cli.lua unread|feeds|search WORDS|stats [DAYS]|refresh|export-opml\n")
	os.exit(2)
end

local what = arg and arg[1]
if not what then usage() end
local rest = table.concat(arg, " ", 2)

local function field(s)
	return text.line(s or "")
end

local function feed_ids(st)
	local ids = {}
	for _, f in ipairs(news.feed_list()) do ids[#ids + 1] = st:feed(f.url).id end
	return ids
end

local commands = {}

function commands.unread()
	local st = news.store(true)
	if not st then return end -- nothing fetched yet: nothing unread
	local titles = news.feed_titles(st)
	for _, r in ipairs(st:unread(feed_ids(st))) do
		print(field(titles[r.feed_id]) .. "\t" .. field(r.title) .. "\t" .. field(r.link))
	end
end

function commands.feeds()
	local st = news.store(true)
	local counts = st and st:unread_counts() or {}
	for _, f in ipairs(news.feed_list()) do
		local row = st and st:feed(f.url)
		print(table.concat({ f.url, field(f.title or (row and row.title)),
			tostring(row and counts[row.id] or 0),
			field(row and (row.failures or 0) > 0 and row.last_error or "") }, "\t"))
	end
end

function commands.search()
	if rest == "" then usage() end
	local st = news.store(true)
	if not st then return end
	local titles = news.feed_titles(st)
	for _, r in ipairs(st:search(rest, 1000)) do
		print(table.concat({ r.id, field(titles[r.feed_id]), field(r.title), field(r.link) }, "\t"))
	end
end

function commands.stats()
	for _, l in ipairs(news.stats_lines(rest:match("%d+"), true)) do print(l) end
end

function commands.refresh()
	news.refresh(nil, function()
		for _, l in ipairs(news.stats_lines(1, true)) do print(l) end
	end)
end

commands["export-opml"] = function()
	news.store(true)
	io.write(require("news.opml").to_opml(news.feed_list_titled()))
end

local fn = commands[what]
if not fn then usage() end
fn()
