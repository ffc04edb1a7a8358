-- Figures (not a test): parse throughput for a 1,000-item feed, RSS and
-- Atom. usage: brisk --headless -l tests/plugins/news/bench_parse.lua [N]
local T = assert(loadfile(((arg and arg[0] or ""):match("^(.*/)") or "./") .. "lib.lua", "t", _ENV))()
local parse = require("news.parse")
local N = tonumber(arg and arg[1]) or 1000

local function rss(n)
	local t = { '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title><link>http://bench.example/</link><description>d</description>' }
	for i = 1, n do
		t[#t + 1] = string.format([==[<item><title>Item %d &amp; friends</title><link>http://bench.example/posts/%d</link><guid isPermaLink="false">bench-%d</guid><pubDate>Sun, 10 Mar 2024 16:15:00 GMT</pubDate><dc:creator>Author %d</dc:creator><description>&lt;p&gt;Summary of item %d with &lt;b&gt;markup&lt;/b&gt; and an &lt;a href="x"&gt;a link&lt;/a&gt;. %s&lt;/p&gt;</description><content:encoded><![CDATA[<p>%s</p>]]></content:encoded></item>]==],
			i, i, i, i, i, string.rep("Lorem ipsum dolor sit amet. ", 10), string.rep("Body text of the post. ", 40))
	end
	t[#t + 1] = "</channel></rss>"
	return table.concat(t, "\n")
end

local function atom(n)
	local t = { '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://bench.example/"><title>Bench</title><link href="/"/><id>urn:bench</id><updated>2024-03-10T17:15:00+01:00</updated>' }
	for i = 1, n do
		t[#t + 1] = string.format([[<entry><title type="html">Item %d &amp;amp; friends</title><link href="posts/%d"/><id>tag:bench,2024:%d</id><published>2024-03-10T17:15:00+01:00</published><updated>2024-03-10T17:15:00+01:00</updated><author><name>Author %d</name></author><summary type="html">&lt;p&gt;Summary %s&lt;/p&gt;</summary><content type="html">&lt;p&gt;%s&lt;/p&gt;</content></entry>]],
			i, i, i, i, string.rep("Lorem ipsum dolor sit amet. ", 10), string.rep("Body text of the post. ", 40))
	end
	t[#t + 1] = "</feed>"
	return table.concat(t, "\n")
end

local clock = os.clock
for _, kind in ipairs({ "rss", "atom" }) do
	local doc = kind == "rss" and rss(N) or atom(N)
	local best, best_xml = math.huge, math.huge
	for _ = 1, 5 do
		local c0 = clock()
		local tree = brisk.xml.parse(doc, { whitespace = true })
		local c1 = clock()
		local r = parse.parse_tree(tree, "http://bench.example/feed")
		local c2 = clock()
		assert(#r.items == N)
		best = math.min(best, c2 - c0)
		best_xml = math.min(best_xml, c1 - c0)
	end
	print(string.format("news parse %s: %d items, %.0f KB in %.1f ms (libxml2 + tables %.1f ms): %.0f items/s, %.1f MB/s",
		kind, N, #doc / 1024, best * 1000, best_xml * 1000, N / best, #doc / best / 1048576))
end
