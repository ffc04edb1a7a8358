-- What feeds publish and how the parser must read it: one table per cause
-- of misreading (elements, dates, encodings, recovery, text, identity),
-- each row a real-world-style snippet and the value a reader must get.
-- A row is { name, bytes, field, want[, charset] }: field is "feed.title"
-- or "items.1.summary"; want nil means the value must be absent (nil,
-- never a guess).
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local parse = require("news.parse")

local function get(doc, path)
	local v = doc
	for part in path:gmatch("[^.]+") do
		if type(v) ~= "table" then return nil end
		v = v[tonumber(part) or part]
	end
	return v
end

local function run(cause, rows)
	for _, r in ipairs(rows) do
		local doc, err = parse.parse(r[2], "http://feeds.example/dir/feed", r[5])
		local got = doc and get(doc, r[3])
		if doc == nil then got = "parse failed: " .. tostring(err) end
		T.eq(got, r[4], cause .. ": " .. r[1])
	end
end

local NS = {
	itunes = "xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'",
	media = "xmlns:media='http://search.yahoo.com/mrss/'",
	dc = "xmlns:dc='http://purl.org/dc/elements/1.1/'",
}
local function rss(item, opts)
	opts = opts or {}
	return (opts.decl or "<?xml version='1.0' encoding='utf-8'?>")
		.. "<rss version='2.0' " .. (opts.ns or "") .. "><channel><title>" .. (opts.title or "Channel")
		.. "</title><link>http://site.example/</link>" .. (opts.channel or "")
		.. "<item>" .. item .. "</item></channel></rss>"
end
local function atom(entry)
	return "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
		.. "<title>Atom</title><entry>" .. entry .. "</entry></feed>"
end

--{== Elements ==========================================================
run("elements", {
	{ "itunes:author is the author", rss("<title>Ep 1</title><itunes:author>Mark Pilgrim</itunes:author>", { ns = NS.itunes }),
		"items.1.author", "Mark Pilgrim" },
	{ "itunes namespace in another case", rss("<title>Ep</title><itunes:author>Case</itunes:author>",
		{ ns = "xmlns:itunes='http://www.itunes.com/DTDs/PodCast-1.0.dtd'" }), "items.1.author", "Case" },
	{ "itunes:summary is the summary", rss("<title>Ep</title><itunes:summary>Show notes here</itunes:summary>", { ns = NS.itunes }),
		"items.1.summary", "Show notes here" },
	{ "itunes:subtitle when nothing else describes it", rss("<title>Ep</title><itunes:subtitle>Short blurb</itunes:subtitle>", { ns = NS.itunes }),
		"items.1.summary", "Short blurb" },
	{ "description first, then itunes:summary: the first wins",
		rss("<title>Ep</title><description>From description</description><itunes:summary>From iTunes</itunes:summary>", { ns = NS.itunes }),
		"items.1.summary", "From description" },
	{ "media:title when there is no title", rss("<media:title>Video title</media:title>", { ns = NS.media }), "items.1.title", "Video title" },
	{ "media:title inside media:group", rss("<media:group><media:title>Grouped</media:title></media:group>", { ns = NS.media }),
		"items.1.title", "Grouped" },
	{ "a real title beats media:title", rss("<media:title>Media</media:title><title>Real</title>", { ns = NS.media }), "items.1.title", "Real" },
	{ "media:description is the summary", rss("<title>V</title><media:description>Clip notes</media:description>", { ns = NS.media }),
		"items.1.summary", "Clip notes" },
	{ "media:thumbnail is the image", rss("<title>V</title><media:thumbnail url='/img/t.jpg'/>", { ns = NS.media }),
		"items.1.image", "http://feeds.example/img/t.jpg" },
	{ "xhtml:body is the content", rss("<title>B</title><body xmlns='http://www.w3.org/1999/xhtml'><p>Body <b>text</b></p></body>"),
		"items.1.summary", "Body text" },
	{ "prefixed xhtml:body", rss("<title>B</title><x:body xmlns:x='http://www.w3.org/1999/xhtml'><x:p>Prefixed</x:p></x:body>"),
		"items.1.summary", "Prefixed" },
	{ "fullitem is the content", rss("<title>F</title><fullitem>&lt;p&gt;Everything&lt;/p&gt;</fullitem>"), "items.1.summary", "Everything" },
	{ "Atom content in base64 (application/octet-stream)",
		atom("<title>b</title><content type='application/octet-stream'>SGVsbG8gYmluYXJ5IHdvcmxk</content>"),
		"items.1.summary", "Hello binary world" },
	{ "Atom content of another XML type: its text", atom("<title>x</title><content type='application/xml'><a>one <b>two</b></a></content>"),
		"items.1.summary", "one two" },
	{ "elements in upper case", rss("<TITLE>Shouting</TITLE><PUBDATE>Tue, 07 May 2024 09:30:00 GMT</PUBDATE>"),
		"items.1.published", 1715074200 },
	{ "Dublin Core namespace without its slash", rss("<title>D</title><dc:creator xmlns:dc='http://purl.org/dc/elements/1.1'>Slashless</dc:creator>"),
		"items.1.author", "Slashless" },
	{ "RSS in an unknown default namespace", "<rss version='2.0' xmlns='http://made.up/ns'><channel><title>C</title><item><title>Still an item</title></item></channel></rss>",
		"items.1.title", "Still an item" },
	{ "RSS 0.90 without a channel is RSS 0.90",
		"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://my.netscape.com/rdf/simple/0.9/'><item><title>Old</title><link>http://old.example/</link></item></rdf:RDF>",
		"format", "rss09" },
	{ "RSS 1.0 item: rdf:about is its id",
		"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'><item rdf:about='http://r.example/1'><title>One</title></item></rdf:RDF>",
		"items.1.id", "http://r.example/1" },
	{ "CDF: format", "<CHANNEL HREF='http://cdf.example/'><TITLE>Channel</TITLE><ITEM HREF='http://cdf.example/1'><TITLE>Item</TITLE></ITEM></CHANNEL>",
		"format", "cdf" },
	{ "CDF: item link from HREF", "<CHANNEL HREF='http://cdf.example/'><TITLE>C</TITLE><ITEM HREF='http://cdf.example/1'><TITLE>I</TITLE><ABSTRACT>About it</ABSTRACT></ITEM></CHANNEL>",
		"items.1.link", "http://cdf.example/1" },
	{ "CDF: abstract and LASTMOD", "<CHANNEL><ITEM HREF='/1' LASTMOD='2024-05-07T09:30:00Z'><TITLE>I</TITLE><ABSTRACT>About it</ABSTRACT></ITEM></CHANNEL>",
		"items.1.updated", 1715074200 },
	{ "first of two titles wins", rss("<title>First</title><title>Second</title>"), "items.1.title", "First" },
	{ "first of two guids wins", rss("<title>g</title><guid>one</guid><guid>two</guid>"), "items.1.id", "one" },
	{ "author as email (name)", rss("<title>a</title><author>jane@example.com (Jane Doe)</author>"), "items.1.author", "Jane Doe" },
	{ "author as name <email>", rss("<title>a</title><author>Jane Doe &lt;jane@example.com&gt;</author>"), "items.1.author", "Jane Doe" },
	{ "Atom link: the HTML alternate", atom("<title>l</title><link rel='alternate' type='application/pdf' href='http://a.example/x.pdf'/><link href='http://a.example/x.html'/>"),
		"items.1.link", "http://a.example/x.html" },
})

--{== Dates ============================================================
local D = "items.1.published"
local function dated(s) return rss("<title>d</title><pubDate>" .. s .. "</pubDate>") end
run("dates", {
	{ "EST", dated("Sat, 05 Dec 2026 08:00:00 EST"), D, 1796475600 },
	{ "ET is Eastern, not UTC", dated("Sat, 05 Dec 2026 08:00:00 ET"), D, 1796475600 },
	{ "PT is Pacific", dated("Sat, 05 Dec 2026 08:00:00 PT"), D, 1796486400 },
	{ "AT is Atlantic", dated("Mon, 26 January 2004 16:31:00 AT"), D, 1075149060 },
	{ "a comma after the month", dated("Mon, 13 Feb, 2012 06:28:00 UTC"), D, 1329114480 },
	{ "month and day swapped", dated("Thu Aug 30 2012 17:26:16 +0200"), D, 1346340376 },
	{ "German names", dated("Di, 07 Mai 2024 11:30:00 +0200"), D, 1715074200 },
	{ "an unknown zone is no date", dated("Sat, 05 Dec 2026 08:00:00 XYZT"), D, nil },
	{ "dc:date is the updated date", rss("<title>d</title><dc:date " .. NS.dc .. ">2003-12</dc:date>"), "items.1.updated", 1070236800 },
	{ "dc:date year only", rss("<title>d</title><dc:date " .. NS.dc .. ">2003</dc:date>"), "items.1.updated", 1041379200 },
	{ "2-digit ISO date", rss("<title>d</title><dc:date " .. NS.dc .. ">031231</dc:date>"), "items.1.updated", 1072828800 },
	{ "ISO ordinal date", rss("<title>d</title><dc:date " .. NS.dc .. ">2003-335</dc:date>"), "items.1.updated", 1070236800 },
	{ "ISO week date", rss("<title>d</title><dc:date " .. NS.dc .. ">2004-W53-6</dc:date>"), "items.1.updated", 1104537600 },
	{ "W3C-DTF without seconds", atom("<title>d</title><updated>2003-12-31T10:14Z</updated>"), "items.1.updated", 1072865640 },
	{ "pubDate alone: updated is the publication", dated("Tue, 07 May 2024 09:30:00 GMT"), "items.1.updated", 1715074200 },
})

--{== Encodings ========================================================
local DECL88591 = "<?xml version='1.0' encoding='ISO-8859-1'?>"
run("encodings", {
	{ "undeclared Latin-1", rss("<title>caf\xE9 cr\xE8me br\xFBl\xE9e</title>", { decl = "<?xml version='1.0'?>" }),
		"items.1.title", "café crème brûlée" },
	{ "ISO-8859-1 with windows-1252 punctuation", rss("<title>It\x92s here \x96 now \x85</title>", { decl = DECL88591 }),
		"items.1.title", "It’s here – now …" },
	{ "a C1 control in UTF-8 read as windows-1252", rss("<title>don\xC2\x92t</title>"), "items.1.title", "don’t" },
	{ "UTF-8 encoded twice", rss("<title>caf\xC3\x83\xC2\xA9</title>"), "items.1.title", "café" },
	{ "declared UTF-8, written in Latin-1", rss("<title>na\xEFve</title>"), "items.1.title", "naïve" },
	{ "HTTP charset for an undeclared document", rss("<title>\xF0\xD2\xC9\xD7\xC5\xD4</title>", { decl = "" }),
		"items.1.title", "Привет", "koi8-r" },
	{ "a declared encoding beats a single-byte HTTP charset", rss("<title>\xF0\xD2\xC9\xD7\xC5\xD4</title>", { decl = "<?xml version='1.0' encoding='koi8-r'?>" }),
		"items.1.title", "Привет", "iso-8859-1" },
	{ "HTTP UTF-8 beats a stale Latin-1 declaration when the bytes are UTF-8",
		rss("<title>Grüße</title>", { decl = DECL88591 }), "items.1.title", "Grüße", "utf-8" },
	{ "GB2312 (read as GBK)", rss("<title>\xD6\xD0\xCE\xC4</title>", { decl = "<?xml version='1.0' encoding='gb2312'?>" }),
		"items.1.title", "中文" },
	{ "UTF-32 with a byte order mark", ("\xFF\xFE\0\0" .. ("<rss><channel><item><title>x</title></item></channel></rss>"):gsub(".", "%0\0\0\0")),
		"items.1.title", "x" },
	{ "UTF-16 without a byte order mark", (("<?xml version='1.0' encoding='utf-16'?><rss><channel><title>Sixteen</title></channel></rss>"):gsub(".", "%0\0")),
		"feed.title", "Sixteen" },
	{ "an unknown label: read as what the bytes are", rss("<title>plain ascii</title>", { decl = "<?xml version='1.0' encoding='x-no-such'?>" }),
		"items.1.title", "plain ascii" },
	{ "UTF-16 declared in an ASCII document", rss("<title>ascii really</title>", { decl = "<?xml version='1.0' encoding='utf-16'?>" }),
		"items.1.title", "ascii really" },
})

--{== Recovery: a control character early spoils nothing later =========
run("recovery", {
	{ "BEL and ESC in the channel title; entities after it",
		rss("<title>AT&amp;amp;T &amp;lt;b&amp;gt;</title>", { title = "C \7 x\27[31m" }), "items.1.title", "AT&T <b>" },
	{ "... and the escaped markup after it", rss("<title>t</title><description>&lt;p&gt;para&lt;/p&gt;</description>", { title = "\1\2" }),
		"items.1.summary", "para" },
	{ "the title with the controls", rss("<title>t</title>", { title = "C \7 x\27[31m" }), "feed.title", "C x" },
	{ "raw escape sequences leave nothing visible", rss("<title>Click \27[31mhere\27[0m now</title>"), "items.1.title", "Click here now" },
	{ "an escape written as a reference", rss("<title>Red &#27;[31malert&#27;[0m</title>"), "items.1.title", "Red alert" },
	{ "a broken tag early, entities later", rss("<title>t</title><description>a &amp;amp; b</description>", { channel = "<x><y></x>" }),
		"items.1.summary", "a & b" },
	{ "an unclosed tag in the channel does not swallow the items", rss("<title>Kept</title>", { channel = "<description><p>unclosed</description>" }),
		"items.1.title", "Kept" },
	{ "an unclosed <br> in an item does not swallow its date",
		rss("<title>t</title><description>a <br> b</description><pubDate>Tue, 07 May 2024 09:30:00 GMT</pubDate>"),
		"items.1.published", 1715074200 },
	{ "an end tag in another case", rss("<Title>Mixed</title><guid>m</guid>"), "items.1.title", "Mixed" },
	{ "a bare ampersand", rss("<title>Fish & Chips</title>"), "items.1.title", "Fish & Chips" },
	{ "an undefined entity reads as written", rss("<title>a &bogus; b</title>"), "items.1.title", "a &bogus; b" },
	{ "&#X41; (capital X)", rss("<title>&#X41;BC</title>"), "items.1.title", "ABC" },
	{ "an HTML entity no DTD declares", rss("<title>caf&eacute; &mdash; bar</title>"), "items.1.title", "café — bar" },
	{ "a '<' that opens nothing", rss("<title>t</title><description>1 < 2 & 3 > 2</description>"), "items.1.summary", "1 < 2 & 3 > 2" },
})

--{== Text: markup to words, words kept =================================
run("text", {
	{ "a malformed attribute keeps the rest", rss("<title>t</title><description>&lt;a href=\"http://x/\"\"&gt;link&lt;/a&gt; and the rest</description>"),
		"items.1.summary", "link and the rest" },
	{ "a literal '<' in text", rss("<title>t</title><description>if a&lt;b then c</description>"), "items.1.summary", "if a<b then c" },
	{ "a '<' before a later '>' is still text", rss("<title>t</title><description>if a&lt;b then c, Vec&lt;T&gt; too</description>"),
		"items.1.summary", "if a<b then c, Vec<T> too" },
	{ "a generic type", rss("<title>Vec&lt;T&gt; in Rust</title><description>Vec&lt;T&gt; in Rust</description>"),
		"items.1.summary", "Vec<T> in Rust" },
	{ "a title with a '<' is text", rss("<title>if a &lt; b then c</title>"), "items.1.title", "if a < b then c" },
	{ "a title with HTML in it", rss("<title>&lt;b&gt;Bold&lt;/b&gt; news</title>"), "items.1.title", "Bold news" },
	{ "a double-escaped title", rss("<title>Q&amp;amp;A</title>"), "items.1.title", "Q&A" },
	{ "no-break spaces are kept", rss("<title>t</title><description>10&amp;nbsp;km</description>"), "items.1.summary", "10\u{A0}km" },
	{ "script content dropped", rss("<title>t</title><description>&lt;script&gt;alert(1)&lt;/script&gt;Safe</description>"),
		"items.1.summary", "Safe" },
	{ "an unclosed comment is text", rss("<title>t</title><description>a &lt;!-- b</description>"), "items.1.summary", "a <!-- b" },
	{ "Atom text stays text", atom("<title type='text'>a &lt;b&gt; c</title>"), "items.1.title", "a <b> c" },
	{ "Atom html is decoded", atom("<title type='html'>a &amp;lt; b &lt;i&gt;c&lt;/i&gt;</title>"), "items.1.title", "a < b c" },
})

--{== Identity and output ==============================================
local long = ("é中"):rep(120)
run("identity", {
	{ "a long non-ASCII guid is kept whole", rss("<title>g</title><guid isPermaLink='false'>" .. long .. "</guid>"), "items.1.id", long },
	{ "an identity from text never cuts a character", rss("<description>a" .. ("é"):rep(150) .. "</description>"),
		"items.1.id", "text:a" .. ("é"):rep(99) },
	{ "relative links against xml:base", rss("<title>r</title><link>../up/1</link>"):gsub("<item>", "<item xml:base='http://b.example/a/b/'>"),
		"items.1.link", "http://b.example/a/up/1" },
})

T.done()
