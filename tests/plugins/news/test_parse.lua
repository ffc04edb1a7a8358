-- Parser corpus: one feed per format and quirk (corpus/), plus the five
-- real feeds in tests/data/feeds (read there; missing = failure).
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local parse = require("news.parse")
local text = require("news.text")

local function load(name, url)
	local s = assert(T.read(T.dir .. "/corpus/" .. name), name)
	local doc, err = parse.parse(s, url or ("https://corpus.example/" .. name))
	T.ok(doc ~= nil, name .. " parses", err)
	return doc or { items = {}, feed = {} }
end

local function clean(s)
	-- no C0/C1 controls, no ESC, no DEL, valid UTF-8, no double spaces
	if s == nil then return true end
	return not s:find("[%z\1-\31\127]") and not s:find("\xC2[\x80-\x9F]")
		and utf8.len(s) ~= nil and not s:find("  ") and s == s:match("^%s*(.-)%s*$")
end

local function all_clean(doc)
	local fields = { "title", "summary", "author", "link", "id" }
	for _, f in ipairs({ "title", "link" }) do
		if not clean(doc.feed[f]) then return false, "feed." .. f end
	end
	for i, it in ipairs(doc.items) do
		for _, f in ipairs(fields) do
			if f ~= "id" and not clean(it[f]) then return false, "item " .. i .. " " .. f end
		end
	end
	return true
end

--{== RSS 2.0 ==========================================================
do
	local d = load("rss20.xml")
	T.eq(d.format, "rss20", "rss20: format")
	T.eq(d.feed.title, "Quirks & Co", "rss20: double-escaped entity in feed title")
	T.eq(d.feed.link, "https://quirks.example/", "rss20: feed link")
	T.eq(d.feed.updated, 1709632800, "rss20: lastBuildDate")
	T.eq(#d.items, 4, "rss20: 4 items")
	local a, b, c, e = d.items[1], d.items[2], d.items[3], d.items[4]
	T.eq(a.title, "Tom & Jerry bold \u{201C}quoted\u{201D}", "rss20: entities and HTML in title")
	T.eq(a.id, "post-1", "rss20: guid is the identity")
	T.eq(a.published, 1709627400, "rss20: pubDate with +0100")
	T.eq(a.author, "Jane Doe", "rss20: dc:creator")
	T.eq(a.summary, "Short summary with spaces\u{A0}and\u{2026}", "rss20: description is the summary, cleaned (a no-break space kept)")
	T.ok(a.html:find("<b>content</b>", 1, true) ~= nil, "rss20: content:encoded kept as the body")
	T.eq(#a.enclosures, 1, "rss20: enclosure listed")
	T.eq(a.enclosures[1].url, "https://corpus.example/media/ep1.mp3", "rss20: enclosure url resolved against the document")
	T.eq(a.enclosures[1].length, 12345, "rss20: enclosure length")
	T.eq(b.title, "CDATA title with markup & ampersand", "rss20: CDATA title")
	T.eq(b.author, "Joe Bloggs", "rss20: author email (name) form")
	T.eq(b.updated, 1709539200, "rss20: dc:date is the updated date (as feedparser reads it)")
	T.eq(b.summary, "Only content, no description.", "rss20: summary falls back to content")
	T.eq(c.link, "HTTPS://Quirks.Example:443/posts/3#comments", "rss20: link kept as written")
	T.eq(c.id, "https://quirks.example/posts/3", "rss20: identity from normalized link")
	T.eq(c.published, 1709553600, "rss20: EST zone")
	T.eq(e.id, "title:No guid, no link: identity from title and date|1709445600",
		"rss20: identity from title and date")
	T.eq(e.link, nil, "rss20: missing link is nil")
	T.ok(all_clean(d), "rss20: all text clean")
end

--{== RSS 0.9x / 1.0 ===================================================
do
	local d = load("rss091.xml")
	T.eq(d.format, "rss09", "rss091: format")
	T.eq(#d.items, 2, "rss091: items")
	T.eq(d.items[1].title, "First & oldest", "rss091: title")
	T.eq(d.items[1].id, "http://oldschool.example/1.html", "rss091: identity from link")
	T.eq(d.items[1].summary, "A description with a link.", "rss091: markup stripped")
	T.eq(d.items[2].summary, nil, "rss091: missing description is nil")

	d = load("rss10.rdf")
	T.eq(d.format, "rss10", "rss10: format")
	T.eq(d.feed.title, "RDF Site", "rss10: feed title")
	T.eq(d.feed.updated, 1709287200, "rss10: channel dc:date")
	T.eq(#d.items, 2, "rss10: items beside the channel")
	T.eq(d.items[1].updated, 1709280000, "rss10: dc:date with fraction and offset")
	T.eq(d.items[1].author, "Ann", "rss10: dc:creator")
	T.eq(d.items[2].link, "http://rdf.example/b", "rss10: link from rdf:about")
	T.eq(d.items[2].summary, "Only encoded content for B", "rss10: content:encoded as summary")

	d = load("rss090.rdf")
	T.eq(d.format, "rss09", "rss090: format (Netscape RDF)")
	T.eq(#d.items, 2, "rss090: items")
	T.eq(d.items[2].link, "http://www.mozilla.org/bugs/", "rss090: link")
end

--{== Atom =============================================================
do
	local d = load("atom10.xml")
	T.eq(d.format, "atom10", "atom10: format")
	T.eq(d.feed.title, "Atom <Quirks>", "atom10: html title decoded")
	T.eq(d.feed.link, "https://atom.example/blog/", "atom10: feed link resolved against xml:base")
	T.eq(d.feed.updated, 1710087300, "atom10: feed updated")
	local a, b, c = d.items[1], d.items[2], d.items[3]
	T.eq(a.title, "Plain <text> title", "atom10: text title keeps <> as text")
	T.eq(a.link, "https://atom.example/blog/posts/one.html", "atom10: relative link via xml:base")
	T.eq(a.published, 1710087300, "atom10: published")
	T.eq(a.updated, 1710144000, "atom10: updated")
	T.eq(a.summary, "HTML summary & more", "atom10: html summary")
	T.eq(a.author, "Feed Author", "atom10: author inherited from feed")
	T.eq(a.enclosures[1] and a.enclosures[1].url, "https://atom.example/files/one.pdf", "atom10: enclosure link")
	T.eq(b.title, "XHTML title", "atom10: xhtml title")
	T.eq(b.link, "https://atom.example/other/two.html", "atom10: nested xml:base, text/html link preferred")
	T.eq(b.published, nil, "atom10: no published")
	T.eq(b.updated, 1709978400, "atom10: updated only")
	T.eq(b.author, "Entry Author", "atom10: entry author")
	T.eq(b.summary, "XHTML content only & no summary", "atom10: xhtml content as summary")
	T.eq(c.link, "https://atom.example/three/", "atom10: ../ resolved")
	T.eq(c.summary, "Text summary with <tags> kept as text", "atom10: text summary keeps <tags>")
	T.eq(c.id, "tag:atom.example,2024:three", "atom10: id")
	T.ok(all_clean(d), "atom10: all text clean")

	d = load("atom03.xml")
	T.eq(d.format, "atom03", "atom03: format")
	T.eq(d.feed.title, "Atom & 0.3", "atom03: escaped title")
	T.eq(d.feed.updated, 1122812969, "atom03: modified")
	T.eq(d.items[1].published, 1122812969, "atom03: issued")
	T.eq(d.items[1].updated, 1122814800, "atom03: modified (entry)")
	T.eq(d.items[1].summary, "Escaped HTML", "atom03: escaped content")
	T.eq(d.items[2].summary, "Hello base64", "atom03: base64 content")
	T.eq(d.items[2].published, 1122724800, "atom03: issued with offset")
	T.eq(d.items[1].author, "Old Timer", "atom03: feed author")

	d = load("atom-nons.xml")
	T.eq(d.format, "atom10", "atom without namespace: read as Atom")
	T.eq(d.items[1] and d.items[1].title, "Entry without namespace", "atom without namespace: entry")
end

--{== Encodings ========================================================
do
	local d = load("utf16.xml")
	T.eq(d.items[1] and d.items[1].title, "Grüße aus Köln — 日本語", "UTF-16 with BOM")
	d = load("cp1252.xml")
	T.eq(d.items[1] and d.items[1].title, "\u{201C}Smart\u{201D} quotes \u{2013} and \u{20AC}", "windows-1252")
	local undeclared = '<rss version="2.0"><channel><title>Caf\xE9</title><item><title>na\xEFve</title><guid>u</guid></item></channel></rss>'
	d = parse.parse(undeclared, "http://x.example/", "iso-8859-1")
	T.eq(d and d.items[1] and d.items[1].title, "naïve", "charset from Content-Type when undeclared")
	d = parse.parse(T.read(T.dir .. "/corpus/cp1252.xml"), "http://x.example/", "utf-8")
	T.eq(d and d.items[1] and d.items[1].title, "\u{201C}Smart\u{201D} quotes \u{2013} and \u{20AC}",
		"declared encoding wins over Content-Type")
	d = load("latin1.xml")
	T.eq(d.items[1] and d.items[1].title, "Français à la crème", "ISO-8859-1")
	T.eq(d.items[1] and d.items[1].summary, "¿Qué?", "ISO-8859-1 description")
end

--{== Hostile and broken ===============================================
do
	local d = load("hostile.xml")
	local ok, where = all_clean(d)
	T.ok(ok, "hostile: no control characters or escapes survive", where)
	local t1 = d.items[1] and d.items[1].title or ""
	T.ok(t1:find("ALERT", 1, true) and not t1:find("[31m", 1, true), "hostile: CSI removed from title", t1)
	T.ok(not t1:find("2J", 1, true), "hostile: C1 CSI removed", t1)
	local s1 = d.items[1] and d.items[1].summary or ""
	T.ok(not s1:find("steal", 1, true), "hostile: script content dropped", s1)
	T.ok(s1:find("tab here newline", 1, true) ~= nil, "hostile: tabs and newlines become spaces", s1)
	T.ok(not s1:find("http://x", 1, true), "hostile: OSC 8 removed", s1)
	T.eq(d.items[2] and d.items[2].title, "<img src=x onerror=alert(1)>Image title",
		"hostile: a title that does not look like HTML is text, markup shown as written")
	T.ok(not (d.feed.title or ""):find("pwned", 1, true), "hostile: OSC title sequence removed", d.feed.title)

	T.ok(not s1:find("dcs", 1, true) and s1:find("del", 1, true), "hostile: DCS string removed, DEL dropped", s1)

	-- raw ESC bytes are not XML: whatever libxml2 recovers must be clean
	d = parse.parse(T.read(T.dir .. "/corpus/hostile-raw.xml"), "http://raw.example/")
	T.ok(d == nil or all_clean(d), "hostile raw bytes: nothing unclean survives")

	d = load("broken.xml")
	T.ok(#d.items >= 1, "broken: recovered items")
	T.ok(d.items[1] and (d.items[1].title or ""):find("Unclosed", 1, true), "broken: first title recovered")
	T.ok(all_clean(d), "broken: text clean")

	local t0 = os.clock()
	local s = T.read(T.dir .. "/corpus/bomb.xml")
	local bd = parse.parse(s, "http://bomb.example/")
	T.ok(os.clock() - t0 < 2, "entity bomb: refused quickly")
	T.ok(bd == nil or (bd.items[1] == nil) or #(bd.items[1].title or "") < 100000,
		"entity bomb: not expanded")

	d = parse.parse(T.read(T.dir .. "/corpus/xxe.xml"), "http://xxe.example/")
	local leaked = false
	for _, it in ipairs(d and d.items or {}) do
		if ((it.title or "") .. (it.summary or "")):find("root:", 1, true) then leaked = true end
	end
	T.ok(not leaked, "external entity: not loaded")

	d = load("notafeed.html")
	T.eq(d.format, "unknown", "HTML page: format unknown")
	T.eq(#d.items, 0, "HTML page: no items")
	T.eq(parse.parse("", "x"), nil, "empty document: nil")
	T.eq(parse.parse("\0\1\2 not xml at all", "x"), nil, "binary garbage: nil")
end

--{== Dates ============================================================
do
	local d = load("dates.xml")
	local want = 1710087300
	for i = 1, 9 do
		local it = d.items[i]
		T.eq(it and it.published, want, "date: " .. (it and it.title or i))
	end
	T.eq(d.items[10] and d.items[10].published, nil, "date: garbage is nil")
end

--{== The five real feeds ==============================================
local function sample(name)
	local s = T.read(T.samples .. "/" .. name)
	T.ok(s ~= nil, "sample present: " .. name)
	if not s then return { items = {}, feed = {} } end
	local doc, err = parse.parse(s, "https://sample.example/feed")
	T.ok(doc ~= nil, "sample parses: " .. name, err)
	doc = doc or { items = {}, feed = {} }
	T.ok(all_clean(doc), "sample text clean: " .. name)
	local ids, dup = {}, false
	for _, it in ipairs(doc.items) do
		if ids[it.id] then dup = true end
		ids[it.id] = true
	end
	T.ok(not dup, "sample identities unique: " .. name)
	return doc
end

do
	local d = sample("miniflux-encoding_ISO-8859-1.xml")
	T.eq(d.format, "rss20", "golem: format")
	T.eq(#d.items, 40, "golem: 40 items")
	T.eq(d.feed.title, "Golem.de", "golem: title")
	T.ok((d.items[1].summary or ""):find("wünschen", 1, true) ~= nil, "golem: ISO-8859-1 decoded")

	d = sample("miniflux-encoding_WINDOWS-1251.xml")
	T.eq(#d.items, 50, "ibash: 50 items")
	T.eq(d.items[1].title, "Цитата #17703", "ibash: windows-1251 decoded")
	T.eq(d.items[1].published, 1521617252, "ibash: date with +0300")

	d = sample("miniflux-urdu_UTF8.xml")
	T.eq(#d.items, 26, "urdu: 26 items")
	T.ok((d.items[1].title or ""):find("امریکی", 1, true) == 1, "urdu: RTL title intact")

	local rss = sample("miniflux-large_rss.xml")
	local atom = sample("miniflux-large_atom.xml")
	T.eq(rss.format, "rss20", "blog as RSS: format")
	T.eq(atom.format, "atom10", "blog as Atom: format")
	T.eq(#rss.items, #atom.items, "blog: same number of items as RSS and Atom")
	local same = true
	for i = 1, math.max(#rss.items, #atom.items) do
		local r, a = rss.items[i] or {}, atom.items[i] or {}
		if r.title ~= a.title or r.link ~= a.link or r.published ~= a.published then
			same = false
			print("# differs at " .. i .. ": " .. tostring(r.title) .. " / " .. tostring(a.title))
			break
		end
	end
	T.ok(same, "blog: RSS and Atom give the same titles, links and dates")
	T.eq(rss.feed.title, atom.feed.title, "blog: same feed title")
	T.eq(rss.feed.link, atom.feed.link, "blog: same feed link")
end

--{== text module ======================================================
T.eq(text.html_to_line("a<br>b<b>c</b>d &amp;lt; &#x41;&#65;&bogus; &#0;"), "a bcd &lt; AA&bogus; \u{FFFD}", "text: html_to_line")
T.eq(text.line("bad \xff\xfe utf8"), "bad \u{FFFD}\u{FFFD} utf8", "text: invalid UTF-8 replaced")
T.eq(text.line("\27[2J\27]0;t\7x\27(By"), "xy", "text: escapes removed")
T.eq(text.html_to_line('<a title="x>y">link</a>'), "link", "text: quoted > inside a tag")

-- A long run of blanks inside an untrusted value costs linear time to trim
-- (a lazy "^%s*(.-)%s*$" took seconds for 40 KB, minutes for 1 MB).
do
	local pad = (" "):rep(200000)
	T.eq(text.trim(" \n a" .. pad .. "b \t"), "a" .. pad .. "b", "text.trim: blanks at the ends only")
	T.eq(text.trim(" \n "), "", "text.trim: all blanks")
	local s = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title>'
		.. '<guid isPermaLink="false"> a' .. pad .. 'b </guid><link> https://e.example/a' .. pad .. 'b </link>'
		.. '</item></channel></rss>'
	local t0 = os.clock()
	local d = parse.parse(s, "https://e.example/feed")
	T.ok(d and #d.items == 1, "a feed with 200 KB runs of blanks in guid and link parses")
	T.ok(os.clock() - t0 < 2, "... in well under a second", string.format("%.2f s", os.clock() - t0))
end

T.done()
