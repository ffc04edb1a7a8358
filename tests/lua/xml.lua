-- brisk.xml.parse and brisk.html.to_text: trees, recovery, hostile input.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local X = brisk.xml

-- Serialises a tree to find text anywhere in it.
local function flat(t, out)
  out = out or {}
  if type(t) == "string" then out[#out + 1] = t; return out end
  out[#out + 1] = "<" .. t.name
  for k, v in pairs(t.attrs) do out[#out + 1] = k .. "=" .. v end
  for _, c in ipairs(t.children) do flat(c, out) end
  return out
end
local function text(t) return table.concat(flat(t), " ") end
local function child(t, name)
  for _, c in ipairs(t.children) do if type(c) == "table" and c.name == name then return c end end
end

local t = assert(X.parse('<a x="1" y="&amp;&#65;"><b>hi</b>tail <![CDATA[<raw>]]> end<!-- c --><?pi x?></a>'))
T.is(t.name, "a", "root element name")
T.is(t.attrs.x, "1", "attributes")
T.is(t.attrs.y, "&A", "attribute entities and character references")
T.is(type(t.children[1]), "table", "element child")
T.is(t.children[1].children[1], "hi", "text node as a string")
T.is(t.children[2], "tail <raw> end", "text, CDATA merged; comments and PIs dropped")

local atom = assert(X.parse('<feed xmlns="http://www.w3.org/2005/Atom" xmlns:m="urn:m" xml:lang="en"><m:x m:y="2"/>\n  <title>T</title>\n</feed>'))
T.is(atom.ns, "http://www.w3.org/2005/Atom", "default namespace")
T.is(atom.attrs["xml:lang"], "en", "prefixed attribute names keep their prefix")
T.is(atom.children[1].ns, "urn:m", "prefixed element namespace")
T.is(atom.children[1].prefix, "m", "prefix")
T.is(#atom.children, 2, "whitespace-only text dropped")
T.is(#assert(X.parse("<a> <b/> </a>", {whitespace = true})).children, 3, "whitespace kept on request")

-- malformed documents are recovered
local m = assert(X.parse("<rss><channel><title>Fish & Chips</title><item><title>unclosed</item></channel>"))
T.is(m.name, "rss", "malformed: recovered root")
T.is(child(child(m, "channel"), "title").children[1], "Fish & Chips", "malformed: a bare & survives")
local ent = assert(X.parse("<p>a&nbsp;b &mdash; &copy;&amp;</p>"))
T.is(ent.children[1], "a\u{a0}b \u{2014} \u{a9}&", "undeclared HTML entities read as characters")
local nil1, msg1 = X.parse("this is not xml")
T.ok(nil1 == nil and type(msg1) == "string", "garbage: nil, message", msg1)
local nil2, msg2 = X.parse("")
T.ok(nil2 == nil and msg2, "empty: nil, message")

-- hostile documents
local bomb = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]><l>&i;</l>'
local c0 = os.clock()
local r, why = X.parse(bomb)
T.ok(r == nil and why:find("entit"), "billion laughs: nil, message", why)
T.ok(os.clock() - c0 < 0.5, "billion laughs: refused quickly")
r = X.parse((bomb:gsub("<l>&i;</l>", '<l a="&i;"/>')))
T.ok(r == nil, "billion laughs in an attribute: refused")
local quad = '<!DOCTYPE l [<!ENTITY a "' .. ("x"):rep(50000) .. '">]><l>' .. ("&a;"):rep(5000) .. '</l>'
c0 = os.clock()
T.ok(X.parse(quad) == nil, "quadratic blowup (250 MB of expansion): refused")
T.ok(os.clock() - c0 < 1, "quadratic blowup: refused quickly")
local loop = X.parse('<!DOCTYPE l [<!ENTITY a "&b;"><!ENTITY b "&a;">]><l>&a;</l>')
T.ok(loop == nil, "entity reference loop: refused")
local small = assert(X.parse('<!DOCTYPE l [<!ENTITY co "Brisk &amp; Co"><!ENTITY full "&co; Ltd">]><l>&full;</l>'))
T.is(small.children[1], "Brisk & Co Ltd", "small internal entities are expanded")

local secret = T.read("/etc/hostname") or "root:x:0:0"
local ext = X.parse('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY h SYSTEM "file:///etc/hostname">]><l>before &x;&h; after</l>')
T.ok(ext ~= nil, "external entity: the document still parses")
T.ok(ext and not text(ext):find("root:", 1, true) and not text(ext):find(secret, 1, true), "external entity: the file is never read", ext and text(ext))
local dtd = X.parse('<?xml version="1.0"?><!DOCTYPE l SYSTEM "file:///etc/passwd"><l>&bin;</l>')
T.ok(dtd == nil or not text(dtd):find("root:", 1, true), "external DTD: never loaded")
local net = X.parse('<?xml version="1.0"?><!DOCTYPE l SYSTEM "http://127.0.0.1:1/x.dtd"><l>ok</l>')
T.ok(net and net.children[1] == "ok", "a DTD URL is not fetched")

-- encodings: a real ISO-8859-1 feed (tests/data, beside this folder)
local latin_path = arg[0]:match("^(.-)[^/]*$") .. "../data/feeds/miniflux-encoding_ISO-8859-1.xml"
local latin = T.read(latin_path)
T.ok(latin ~= nil, "sample " .. latin_path .. " is there")
local lt = assert(X.parse(latin or ""))
T.ok(utf8.len(text(lt)) ~= nil and text(lt):find("\xc3[\x80-\xbf]") ~= nil, "ISO-8859-1 converted to valid UTF-8")
T.is(assert(X.parse('<?xml version="1.0" encoding="windows-1251"?><t>\xcf\xf0\xe8</t>')).children[1], "При", "windows-1251 converted")

-- Decoding and cleaning before libxml2 (the full tables are the C unit
-- tests test_charset and test_xmlprep; these check the binding)
local r, enc = X.parse("<t>caf\xe9</t>")
T.is(r.children[1], "café", "undeclared Latin-1 decoded")
T.is(enc, "utf-8+windows-1252", "the encoding used is the second result")
r, enc = X.parse("<t>\xf0\xd2\xc9</t>", {charset = "koi8-r"})
T.is(r and r.children[1], "При", "charset: the HTTP charset of an undeclared document")
r, enc = X.parse("<?xml version='1.0' encoding='koi8-r'?><t>\xf0\xd2\xc9</t>", {encoding = "iso-8859-5"})
T.is(enc, "ISO-8859-5", "encoding overrides everything")
r = X.parse("<r><a>x\7\27[31my</a><b>AT&amp;amp;T &lt;p&gt;</b><c>1 < 2</c><d>a <br> b</d><e>kept</e></r>")
T.is(child(r, "a").children[1], "xy", "controls and escape sequences removed before parsing")
T.is(child(r, "b").children[1], "AT&amp;T <p>", "entities survive what would have started recovery")
T.is(child(r, "c").children[1], "1 < 2", "a '<' that opens nothing is text")
T.ok(child(r, "e") ~= nil, "an unclosed <br> does not swallow the next element")
T.is(brisk.html.unescape("caf&eacute; &#X41;&#146; &amp x ?a=1&lt=2 &bogus; &#0;"), "café A’ & x ?a=1&lt=2 &bogus; \u{FFFD}",
  "html.unescape: named, numeric, windows-1252, legacy, undefined")

-- HTML to text
local html = [[<html><head><title>no</title><style>p{}</style><script>alert("x")</script></head><body>
<h1>Title</h1><p>First <b>para</b> with a <a href="https://e.org/1">link</a> and words enough to wrap at the width given.</p>
<p>one<br>two</p><ul><li>apple</li><li>banana</li></ul><ol><li>x</li><li>y</li></ol>
<blockquote>quoted</blockquote><pre>  keep   this</pre><img src="i.png" alt="pic"></body></html>]]
local s, links = brisk.html.to_text(html, 30)
T.ok(not s:find("alert") and not s:find("p{}") and not s:find("no\n"), "script, style and head dropped", s)
T.ok(s:find("^Title\n\nFirst para with a link %[1%]") ~= nil, "paragraphs and numbered links", s)
T.is(links[1], "https://e.org/1", "link list returned")
T.ok(s:find("\n%[1%] https://e.org/1$") ~= nil, "link list appended")
T.ok(s:find("one\ntwo") ~= nil, "<br> is a line break")
T.ok(s:find("• apple\n• banana") ~= nil, "bullets")
T.ok(s:find("1%. x\n2%. y") ~= nil, "numbered items")
T.ok(s:find("> quoted") ~= nil, "blockquote")
T.ok(s:find("  keep   this", 1, true) ~= nil, "<pre> kept as is")
T.ok(s:find("[pic]", 1, true) ~= nil, "images as their alt text")
local long = true
for line in s:gmatch("[^\n]+") do
  if utf8.len(line) > 30 and not line:find("keep") and not line:find("https://") then long = false end
end
T.ok(long, "wrapped at the width")
T.is(brisk.html.to_text("a &amp; b &lt;c&gt;", 0), "a & b <c>", "entities decoded, width 0 = no wrap")
T.is((brisk.html.to_text('<a href="u">t</a>', 40, {links = false})), "t", "links = false")
T.is((brisk.html.to_text("", 40)), "", "empty HTML")
T.is((brisk.html.to_text("<p>日本語の テキスト</p>", 8)), "日本語の\nテキスト", "wide characters count two columns")
T.finish()
