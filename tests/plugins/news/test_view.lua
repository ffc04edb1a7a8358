-- The reader's UI, headless: sidebar rows (pure view functions), the pane
-- glue (lines, activation, item buffer, read state, status segment), the
-- commands users type, OPML/newsboat import and export.
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local view = require("news.view")
local opml = require("news.opml")

--{== view.lua (pure) ==================================================
do
	local now = 1700000000
	local state = { mode = "feeds", selected = 2, now = now, total_unread = 3,
		feeds = { { title = "Alpha", unread = 3 }, { title = "Beta", unread = 0 },
			{ title = "Broken \27[31mfeed", unread = 0, error = "HTTP 500" },
			{ title = "A very long feed title that will not fit in the sidebar", unread = 12 } } }
	local r = view.render(state, 30)
	T.eq(#r.rows, 4, "view: one row per feed")
	T.ok(view.row_text(r.header):find("3 unread", 1, true) ~= nil, "view: unread total in the header")
	local row1 = view.row_text(r.rows[1])
	T.ok(row1:find("Alpha", 1, true) and row1:find("3$"), "view: feed row with its unread count", row1)
	T.eq(view.width(row1), 30, "view: rows fill the width")
	T.ok(r.rows[2][1].sel, "view: selected row marked")
	local row3 = view.row_text(r.rows[3])
	T.ok(row3:find("^! ") and not row3:find("\27", 1, true), "view: error mark, escapes neutralized", row3)
	T.ok(row3:find("Broken", 1, true) and row3:find(": HTTP 500", 1, true), "view: a broken feed's row says why", row3)
	T.eq(view.width(row3), 30, "view: the error row fills the width")
	local long = view.row_text(view.render({ mode = "feeds", now = now, feeds = { { title = "Title",
		error = "XML: line 1: Start tag expected, '<' not found and much more" } } }, 30).rows[1])
	T.ok(long:find("^! Title: XML") and view.width(long) == 30 and long:find("…", 1, true),
		"view: a long error is cut to the row", long)
	local row4 = view.row_text(r.rows[4])
	T.ok(row4:find("…", 1, true) and view.width(row4) <= 30, "view: long titles cut with an ellipsis", row4)

	state = { mode = "items", selected = 1, now = now, feed_title = "Alpha",
		items = { { title = "Fresh", date = now - 300, read = 0 },
			{ title = "日本語のタイトルはとても長いです日本語のタイトル", date = now - 3 * 86400, read = 1 } } }
	r = view.render(state, 30)
	T.ok(view.row_text(r.rows[1]):find("^• Fresh") and view.row_text(r.rows[1]):find("5m$"),
		"view: unread item with its age", view.row_text(r.rows[1]))
	T.ok(view.width(view.row_text(r.rows[2])) <= 30, "view: wide characters counted as two columns")
	T.ok(view.row_text(r.rows[2]):find("3d$"), "view: age in days")
	T.eq(view.age(now - 20 * 86400, now), "2w", "view: age in weeks")
	T.eq(view.scroll(1, 30, 10, 100), 22, "view: scroll keeps the selection visible")

	local text = view.item_text({ title = "T <x>", link = "http://l.example/", date = now,
		author = "A", html = "<p>Para one.</p><p>Two &amp; <b>bold</b>\27[2J</p>",
		enclosures = "http://l.example/a.mp3 audio/mpeg 123" }, "Feed", 60)
	T.ok(text:find("^T <x>\n") ~= nil, "item text: title first")
	T.ok(text:find("Link:   http://l.example/", 1, true) ~= nil, "item text: link")
	T.ok(text:find("Date:   2023-11-14 22:13 UTC", 1, true) ~= nil, "item text: date")
	T.ok(text:find("Enclosure: http://l.example/a.mp3", 1, true) ~= nil, "item text: enclosure")
	T.ok(text:find("Two & bold", 1, true) ~= nil, "item text: HTML converted")
	T.ok(not text:find("\27", 1, true), "item text: no escape sequences")
	text = view.item_text({ title = "t", html = "<p>if a<b then c, Vec<T> and <a href=\"x\"\">link</a> and the rest</p>" }, nil, 70)
	T.ok(text:find("if a<b then c, Vec<T> and link [1] and the rest", 1, true) ~= nil,
		"item text: a '<' that opens nothing and a stray quote keep the words after them", text)

	local lines = view.stats_lines({ { day = "2024-03-10", title = "F", requests = 2,
		not_modified = 1, errors = 0, wire_bytes = 300, body_bytes = 5000, saved_304 = 280,
		saved_compression = 4000 } }, true)
	T.eq(#lines, 3, "stats: header, one row, total")
	T.ok(lines[2]:find("2024-03-10", 1, true) and lines[3]:find("^total"), "stats: rows")
end

--{== OPML and newsboat ================================================
do
	local list = opml.parse_opml([[<?xml version="1.0"?><opml version="1.0"><head/><body>
		<outline text="Tech"><outline text="LWN" type="rss" xmlUrl="https://lwn.net/headlines/rss"/>
		<outline title="Blog" xmlUrl="https://blog.example/feed"/></outline>
		<outline text="no url"/></body></opml>]])
	T.eq(#list, 2, "OPML: nested outlines")
	T.eq(list[1].title, "LWN", "OPML: title from text")
	T.eq(list[2].url, "https://blog.example/feed", "OPML: url")
	local urls = opml.parse_urls([[
# comment
https://lwn.net/headlines/rss tech "~LWN headlines"
http://example.org/feed.xml
"query:unread:unread = \"yes\""
https://x.example/atom ~Short
]])
	T.eq(#urls, 3, "newsboat urls: feeds only")
	T.eq(urls[1].title, "LWN headlines", "newsboat urls: quoted ~title")
	T.eq(urls[3].title, "Short", "newsboat urls: bare ~title")
	local back = opml.parse_opml(opml.to_opml({ { url = "http://a.example/?x=1&y=2", title = "A & B" } }))
	T.eq(back[1] and back[1].url, "http://a.example/?x=1&y=2", "OPML export round trip: url")
	T.eq(back[1] and back[1].title, "A & B", "OPML export round trip: title")
end

--{== The plugin, driven as a user would ===============================
local news = require("news")
local demo = news.demo_feeds()
T.eq(#demo, 3, "three bundled demo feeds")
news.setup({ db_path = T.tmp("view.db"), feeds = {} })
news.draw_headless = true
brisk.command("news-refresh")
local st = news.store()
T.ok(st:count_items() >= 7, "demo feeds fetched over file://")

if brisk.sidebar then
	brisk.command("news")
	local p = news._pane
	T.ok(p ~= nil, "news: a sidebar pane")
	T.eq(p and p:count(), 3, "sidebar: one line per feed")
	T.ok(p and (p:line(1) or ""):find("brisk news", 1, true), "sidebar: feed titles", p and p:line(1))
	T.ok(p and (p:title() or ""):find("unread", 1, true), "sidebar title: unread count", p and p:title())
	p:select(3)
	brisk.keys("<Enter>") -- unbound in the text, so only the pane's mode sees it
	news.activate()       -- what Enter in the pane does
	T.eq(news.state.mode, "items", "Enter on a feed lists its items")
	T.eq(p:count(), 3, "items of the welcome feed")
	p:select(1)
	news.activate()
	local b = brisk.buffer()
	T.ok(b and b:name():find("news item", 1, true), "Enter on an item opens it in a buffer", b and b:name())
	T.ok(b and b:readonly(), "item buffer is read-only")
	T.ok(b and b:text():find("Link:   https://example.org/brisk/news/", 1, true), "item buffer: link line")
	local it = news.state.items[1]
	T.eq(st:item(it.id).read, 1, "opening an item marks it read")
	brisk.command("news-mark-unread " .. it.id)
	T.eq(st:item(it.id).read, 0, "news-mark-unread")
	brisk.command("news-back")
	T.eq(news.state.mode, "feeds", "back to the feeds")
	T.eq(news.state.selected, 3, "back keeps the feed that was selected")
	if brisk.status_segments then
		local seg
		for _, s in ipairs(brisk.status_segments()) do if s.name == "news" then seg = s.text end end
		T.ok(seg and seg:find("%d"), "status bar: unread count", seg)
	end
	brisk.command("news-mark-all-read")
	T.eq(st:unread_counts()[st:feed(demo[1].url).id], nil, "news-mark-all-read")
	brisk.command("news-search referer")
	T.eq(news.state.mode, "search", "news-search lists results in the sidebar")
	T.eq(#news.state.items, 1, "one search result")
	brisk.command("news-back")
end

-- import / export
local opml_path = T.tmp("subs.opml")
T.write(opml_path, opml.to_opml({ { url = "file:///nonexistent/feed.xml", title = "Imported" } }))
brisk.command("news-import-opml " .. opml_path)
local found = false
for _, f in ipairs(news.feed_list()) do if f.title == "Imported" then found = true end end
T.ok(found, "imported OPML feed in the feed list")
local out = T.tmp("export.opml")
brisk.command("news-export-opml " .. out)
T.ok((T.read(out) or ""):find("file:///nonexistent/feed.xml", 1, true), "OPML export")
local urls_path = T.tmp("urls")
T.write(urls_path, "file:///nonexistent/other.xml \"~From newsboat\"\n")
brisk.command("news-import-urls " .. urls_path)
found = false
for _, f in ipairs(news.feed_list()) do if f.title == "From newsboat" then found = true end end
T.ok(found, "imported newsboat urls")

T.done()
