-- news.parse: an RSS/Atom/CDF document to a plain table of feed and items.
-- Bytes become a tree in brisk.xml.parse (encoding found as browsers do,
-- control characters removed, libxml2's recovery mode, nothing fetched);
-- everything here is pure Lua over the tree, so it can be tested on any
-- tree. It reads what real feeds publish: element and namespace names in
-- any case, a namespace URI without its trailing slash, the many elements
-- that carry a title, an author, a summary or a body. When the same thing
-- is given twice, the first wins; a value that cannot be read (a date in
-- an unknown zone) is nil, never a guess. Text comes out clean (news.text),
-- links absolute.
--
-- Result: { format = "rss20"|"rss10"|"rss09"|"atom10"|"atom03"|"cdf"|"unknown",
--   feed = { title, link, updated, author },
--   items = { { id, guid, title, link, published, updated, author,
--               summary (plain), html (best body as HTML, for reading),
--               image (a thumbnail URL),
--               enclosures = { {url, type, length}, ... } }, ... } }
local text = require("news.text")
local url = require("news.url")

local M = {}

-- Called after each item; the fetcher sets it to yield its coroutine when
-- a time slice is used up (a 1000-item feed must not hold the editor).
M.pause = nil

--{====================================================================
-- Names: every element gets a key "prefix:local" (our own prefixes) or
-- "local" (RSS core, or a namespace we do not know), all lower case.
--=====================================================================

-- Namespace URIs are compared lower case, without trailing '/' or '#'.
local function norm_ns(uri)
	return (uri:lower():gsub("^%s+", ""):gsub("[%s/#]+$", ""))
end

local NS = {}
for uri, prefix in pairs({
	["http://purl.org/rss/1.0/"] = "", ["http://my.netscape.com/rdf/simple/0.9/"] = "",
	["http://channel.netscape.com/rdf/simple/0.9/"] = "", ["http://backend.userland.com/rss2"] = "",
	["http://backend.userland.com/rss"] = "", ["http://blogs.law.harvard.edu/tech/rss"] = "",
	["http://purl.org/rss/1.0/modules/rss091#"] = "",
	["http://www.w3.org/2005/Atom"] = "atom", ["http://purl.org/atom/ns#"] = "atom03",
	-- Atom's drafts before 0.3
	["http://purl.org/echo/"] = "atom03", ["http://purl.org/pie/"] = "atom03",
	["http://example.com/newformat#"] = "atom03", ["http://example.com/necho"] = "atom03",
	["uri/of/echo/namespace#"] = "atom03",
	["http://purl.org/dc/elements/1.1/"] = "dc", ["http://purl.org/dc/terms/"] = "dcterms",
	["http://purl.org/rss/1.0/modules/content/"] = "content",
	["http://www.w3.org/1999/02/22-rdf-syntax-ns#"] = "rdf",
	["http://search.yahoo.com/mrss/"] = "media", ["http://www.w3.org/1999/xhtml"] = "xhtml",
	["http://www.itunes.com/dtds/podcast-1.0.dtd"] = "itunes",
	["http://example.com/dtds/podcast-1.0.dtd"] = "itunes",
	["http://www.google.com/schemas/play-podcasts/1.0"] = "googleplay",
}) do NS[norm_ns(uri)] = prefix end

-- When the tree carries a prefix but no namespace URI (undeclared).
local PREFIX = { dc = "dc", dcterms = "dcterms", content = "content", atom = "atom",
	rdf = "rdf", media = "media", xhtml = "xhtml", itunes = "itunes", a10 = "atom" }

-- "prefix:local" as written, split.
local function split_name(el)
	local prefix, loc = el.name:match("^([^:]*):(.*)$")
	return el.prefix or prefix, (loc or el.name):lower()
end

local function qname(el)
	local key = el._q
	if key then return key end
	local prefix, loc = split_name(el)
	prefix = prefix and prefix:lower()
	local p
	if el.ns and el.ns ~= "" then
		-- an unknown namespace: its prefix if that is one we know (or as
		-- written); none means the default namespace, read as RSS's
		p = NS[norm_ns(el.ns)] or (prefix and (PREFIX[prefix] or prefix)) or ""
	else
		p = prefix and (PREFIX[prefix] or prefix) or ""
	end
	key = p == "" and loc or (p .. ":" .. loc)
	el._q = key
	return key
end

local function lname(el)
	local l = el._l
	if not l then
		l = select(2, split_name(el))
		el._l = l
	end
	return l
end

-- Attributes by name, in any case ("HREF" in CDF); prefixed names keep
-- their prefix ("rdf:about", "xml:base").
local function attr(el, name)
	local a = el and el.attrs
	if not a then return nil end
	if a[name] then return a[name] end
	local low = el._a
	if not low then
		low = {}
		for k, v in pairs(a) do
			if type(k) == "string" then low[k:lower()] = v end
		end
		el._a = low
	end
	return low[name]
end

local function xml_base(el)
	return attr(el, "xml:base") or attr(el, "base")
end

local function children(el)
	return el.children or {}
end

-- Walking a channel of 50,000 items takes long: pause (M.pause, inside a
-- brisk.task) every 1024 children.
local function walked(i)
	if i % 1024 == 0 and M.pause then M.pause() end
end

-- The first child element named one of names (a set), in document order.
local function find(el, names)
	for i, c in ipairs(children(el)) do
		walked(i)
		if type(c) == "table" and names[qname(c)] then return c end
	end
	return nil
end

local function each(el, name)
	local out = {}
	for i, c in ipairs(children(el)) do
		walked(i)
		if type(c) == "table" and qname(c) == name then out[#out + 1] = c end
	end
	return out
end

local set = text.word_set

--{====================================================================
-- Values
--=====================================================================

local function escape_html(s)
	return (s:gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;",
		[">"] = "&gt;", ['"'] = "&quot;" }))
end

-- Serializes an element's content as HTML. Text nodes are copied raw
-- (RSS puts escaped HTML in text) unless escape_text is set (XHTML).
local function inner(el, escape_text, out)
	out = out or {}
	for _, c in ipairs(children(el)) do
		if type(c) == "string" then
			out[#out + 1] = escape_text and escape_html(c) or c
		elseif type(c) == "table" then
			local n = lname(c)
			out[#out + 1] = "<" .. n
			for k, v in pairs(c.attrs or {}) do
				if type(k) == "string" and type(v) == "string" then
					out[#out + 1] = " " .. k:gsub("^.*:", "") .. '="' .. escape_html(v) .. '"'
				end
			end
			out[#out + 1] = ">"
			inner(c, escape_text, out)
			out[#out + 1] = "</" .. n .. ">"
		end
	end
	return out
end

local function raw(el)
	if el == nil then return nil end
	local kids = children(el)
	if #kids == 1 and type(kids[1]) == "string" then return kids[1] end
	return table.concat(inner(el, false))
end

local function trimmed(el)
	local s = raw(el)
	if s == nil then return nil end
	s = text.trim(s)
	if s == "" then return nil end
	return s
end

local function nonempty(s)
	if s == nil or s == "" then return nil end
	return s
end

local function parse_date(el)
	local s = trimmed(el)
	return s and brisk.time.parse(s) or nil
end

local b64 = {}
do
	local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i = 1, 64 do b64[alphabet:byte(i)] = i - 1 end
	b64[("-"):byte()], b64[("_"):byte()] = 62, 63 -- the URL-safe alphabet too
end
local function base64_decode(s)
	local out, acc, bits = {}, 0, 0
	for i = 1, #s do
		local v = b64[s:byte(i)]
		if v then
			acc = ((acc << 6) | v) & 0xFFFFFF
			bits = bits + 6
			if bits >= 8 then
				bits = bits - 8
				out[#out + 1] = string.char((acc >> bits) & 0xFF)
			end
		end
	end
	return table.concat(out)
end

-- A text in an element whose type attribute may say what it is (RSS
-- media:title, media:description): "html" is HTML, "plain" is text,
-- nothing means RSS's guess (news.text.auto_line).
local function typed_line(el)
	if el == nil then return nil end
	local ty = (attr(el, "type") or ""):lower()
	if ty == "html" or ty == "text/html" then return text.html_to_line(raw(el)) end
	if ty == "plain" or ty == "text" or ty == "text/plain" then return text.line(raw(el)) end
	return text.auto_line(raw(el))
end

-- "jane@example.com (Jane Doe)", "Jane Doe <jane@example.com>",
-- "mailto:jane@example.com": the name when there is one, else the address.
local function person(s)
	s = text.auto_line(s)
	if not s then return nil end
	local email = s:match("[%w._%%+-]+@[%w.-]+%.[%w.-]+")
	if not email then return nonempty(s) end
	local name = s:gsub("mailto:", ""):gsub(email:gsub("%p", "%%%0"), "", 1)
	name = name:gsub("[()<>%[%]]", " ")
	name = text.collapse(name)
	return nonempty(name) or email
end

--{====================================================================
-- Identity
--=====================================================================

--- The key an item is remembered by: guid/id, else the normalized link,
-- else title and date.
function M.identity(guid, link, title, when, summary)
	if guid and guid ~= "" then return guid end
	local n = url.normalize(link)
	if n then return n end
	if (title and title ~= "") or when then
		return "title:" .. (title or "") .. "|" .. (when and tostring(when) or "")
	end
	if summary and summary ~= "" then
		return "text:" .. text.cut(summary, 200)
	end
	return nil
end

--{====================================================================
-- RSS 0.9x / 2.0 / 1.0, and CDF (the same shape with other names)
--=====================================================================

local RSS = {
	title = set("title dc:title"),
	link = set("link"),
	guid = set("guid"),
	author = set("author dc:creator dc:author itunes:author"),
	feed_author = set("managingeditor author dc:creator dc:author itunes:author"),
	published = set("pubdate dcterms:issued atom:published dcterms:created"),
	updated = set("dc:date dcterms:modified atom:updated lastbuilddate"),
	summary = set("description dc:description abstract itunes:summary media:description"),
	media_summary = set("media:description"),
	subtitle = set("itunes:subtitle"),
	content = set("content:encoded xhtml:body body fullitem atom:content"),
	media_group = set("media:group media:content"),
	media_title = set("media:title"),
	media_thumbnail = set("media:thumbnail"),
}

-- A summary element's text: description is HTML, the iTunes and Media
-- RSS ones say or guess.
local function summary_line(el)
	if el == nil then return nil end
	local q = qname(el)
	if q == "description" or q == "dc:description" then
		return nonempty(text.html_to_line(raw(el)))
	end
	return nonempty(typed_line(el))
end

-- A body element as HTML: XHTML (xhtml:body, body) is serialized.
local function content_html(el)
	if el == nil then return nil end
	local q = qname(el)
	if q == "xhtml:body" or q == "body" then return table.concat(inner(el, true)) end
	return raw(el)
end

-- media:* also sit in media:group or media:content.
local function media(el, names)
	local e = find(el, names)
	if e then return e end
	for _, c in ipairs(children(el)) do
		if type(c) == "table" and RSS.media_group[qname(c)] then
			e = find(c, names)
			if e then return e end
		end
	end
	return nil
end

local function rss_author(el, names)
	local a = find(el, names or RSS.author)
	if a then return person(raw(a)) end
	local at = find(el, set("atom:author"))
	if at then return text.line(trimmed(find(at, set("atom:name")))) end
	return nil
end

local function enclosure_list(el, base)
	local list = {}
	for _, e in ipairs(each(el, "enclosure")) do
		local u = attr(e, "url") or attr(e, "href")
		if u then
			list[#list + 1] = { url = url.resolve(base, u), type = attr(e, "type"),
				length = tonumber(attr(e, "length")) }
		end
	end
	for _, e in ipairs(each(el, "media:content")) do
		local u = attr(e, "url")
		if u then
			list[#list + 1] = { url = url.resolve(base, u), type = attr(e, "type"),
				length = tonumber(attr(e, "filesize")) }
		end
	end
	for _, e in ipairs(each(el, "atom:link")) do
		if attr(e, "rel") == "enclosure" and attr(e, "href") then
			list[#list + 1] = { url = url.resolve(base, attr(e, "href")),
				type = attr(e, "type"), length = tonumber(attr(e, "length")) }
		end
	end
	return list
end

local function rss_link(el, guid_el, guid)
	local link = trimmed(find(el, RSS.link))
	if not link then
		for _, l in ipairs(each(el, "atom:link")) do
			local rel = attr(l, "rel") or "alternate"
			if rel == "alternate" and attr(l, "href") then link = attr(l, "href"); break end
		end
	end
	if not link and guid and (attr(guid_el, "ispermalink") or "true"):lower() ~= "false"
		and guid:match("^https?://") then
		link = guid
	end
	-- CDF: <ITEM HREF="...">; RSS 1.0: rdf:about
	return link or attr(el, "href") or attr(el, "rdf:about") or attr(el, "about")
end

local function rss_item(it, base)
	base = url.resolve(base, xml_base(it)) or base
	local guid_el = find(it, RSS.guid)
	local guid = trimmed(guid_el)
	local link = rss_link(it, guid_el, guid)
	guid = guid or attr(it, "rdf:about") -- RSS 1.0 names its items
	link = link and url.resolve(base, text.line(link))
	local content_el = find(it, RSS.content)
	local content = content_el and content_html(content_el)
	local desc_el = find(it, RSS.summary) or media(it, RSS.media_summary)
		or find(it, RSS.subtitle)
	local published = parse_date(find(it, RSS.published))
	local updated = parse_date(find(it, RSS.updated))
	if not updated and attr(it, "lastmod") then updated = brisk.time.parse(attr(it, "lastmod")) end
	updated = updated or published -- last changed: when published, if nothing later is said
	local title = nonempty(text.auto_line(raw(find(it, RSS.title))))
		or nonempty(typed_line(media(it, RSS.media_title)))
	local summary = summary_line(desc_el) or nonempty(text.html_to_line(content))
	local thumb = media(it, RSS.media_thumbnail)
	return {
		guid = guid,
		id = M.identity(guid, link, title, published or updated, summary),
		title = title,
		link = link,
		published = published,
		updated = updated,
		author = nonempty(rss_author(it)),
		summary = summary,
		html = content or raw(desc_el),
		image = thumb and attr(thumb, "url") and url.resolve(base, attr(thumb, "url")),
		base = base,
		enclosures = enclosure_list(it, base),
	}
end

local function rss(root, doc_url, format)
	local base = url.resolve(doc_url, xml_base(root)) or doc_url
	local ch = find(root, set("channel")) or root
	base = url.resolve(base, xml_base(ch)) or base
	local feed = {
		title = nonempty(text.auto_line(raw(find(ch, RSS.title)))),
		updated = parse_date(find(ch, RSS.updated)) or parse_date(find(ch, RSS.published)),
		author = nonempty(rss_author(ch, RSS.feed_author)),
	}
	if not feed.updated and attr(ch, "lastmod") then feed.updated = brisk.time.parse(attr(ch, "lastmod")) end
	local link = trimmed(find(ch, RSS.link))
	if not link then
		for _, l in ipairs(each(ch, "atom:link")) do
			if (attr(l, "rel") or "alternate") == "alternate" then link = attr(l, "href") break end
		end
	end
	link = link or attr(ch, "href")
	feed.link = link and url.resolve(base, text.line(link))
	-- RSS 2.0 items live in the channel, RSS 1.0/0.90 items beside it
	local items = {}
	local src = each(ch, "item")
	if #src == 0 or ch ~= root then
		for _, it in ipairs(each(root, "item")) do src[#src + 1] = it end
	end
	local pause = M.pause
	for _, it in ipairs(src) do
		items[#items + 1] = rss_item(it, base)
		if pause then pause() end
	end
	return { format = format, feed = feed, items = items }
end

--{====================================================================
-- Atom 1.0 / 0.3 (and the drafts before it)
--=====================================================================

-- What a text construct's type says its content is: "text", "html",
-- "xhtml" (inline XHTML), "xml" (another inline XML type) or "base64"
-- (any other media type, RFC 4287 4.1.3.3; Atom 0.3's mode="base64").
local function atom_kind(el)
	local ty = (attr(el, "type") or "text"):lower():gsub("%s*;.*$", "")
	local mode = (attr(el, "mode") or ""):lower()
	if mode == "base64" then return "base64", ty end
	if mode == "escaped" then return ty:find("html") and "html" or "text", ty end
	if ty == "xhtml" or ty == "application/xhtml+xml" or mode == "xml" then return "xhtml", ty end
	if ty == "html" or ty == "text/html" then return "html", ty end
	if ty == "text" or ty:match("^text/") then return "text", ty end
	if ty:match("[+/]xml$") then return "xml", ty end
	return "base64", ty
end

-- A text construct: returns html (for reading) and plain (one line); with
-- html_only, plain is left out (it costs most of the time).
local function atom_text(el, html_only)
	if el == nil then return nil, nil end
	if attr(el, "src") and #children(el) == 0 then return nil, nil end
	local kind, ty = atom_kind(el)
	local s
	if kind == "base64" then
		s = text.valid_utf8(base64_decode(raw(el) or ""))
		-- decoded HTML is HTML; anything else is shown as text
		if ty:find("html") then kind = "html" else kind = "text" end
	end
	if kind == "xhtml" then
		local html = table.concat(inner(el, true))
		return html, not html_only and text.html_to_line(html) or nil
	end
	if kind == "xml" then -- some other XML vocabulary: its text
		local words = {}
		local function walk(node)
			for _, c in ipairs(children(node)) do
				if type(c) == "string" then words[#words + 1] = c else walk(c) end
			end
		end
		walk(el)
		s = table.concat(words, " ")
		return escape_html(s), not html_only and text.line(s) or nil
	end
	s = s or raw(el) or ""
	if kind == "html" then
		return s, not html_only and text.html_to_line(s) or nil
	end
	return escape_html(s), not html_only and text.line(s) or nil
end

-- The first link with that rel to an HTML page (no type says HTML), else
-- the first with that rel at all.
local function atom_link(el, base, want)
	local best, html
	for _, l in ipairs(children(el)) do
		if type(l) == "table" and lname(l) == "link" and attr(l, "href") then
			local rel = (attr(l, "rel") or "alternate"):lower()
			if rel == want then
				local ty = (attr(l, "type") or "text/html"):lower()
				local b = url.resolve(base, xml_base(l)) or base
				local u = url.resolve(b, text.line(attr(l, "href")))
				best = best or u
				if ty == "text/html" or ty == "application/xhtml+xml" then html = html or u end
			end
		end
	end
	return html or best
end

local function atom_person(el, q)
	if el == nil then return nil end
	local name = trimmed(find(el, q("name")))
	local email = trimmed(find(el, q("email")))
	return nonempty(text.line(name or email))
end

local function atom_entry(e, base, q, feed_author)
	base = url.resolve(base, xml_base(e)) or base
	local id = trimmed(find(e, q("id")))
	local link = atom_link(e, base, "alternate")
	local _, title = atom_text(find(e, q("title")))
	local published = parse_date(find(e, q("published", "issued", "created")))
	local updated = parse_date(find(e, q("updated", "modified"))) or published
	local sum_html, sum = atom_text(find(e, q("summary")))
	local con_el = find(e, q("content"))
	local con_html, con = atom_text(con_el, true)
	if not nonempty(sum) then _, con = atom_text(con_el) end
	local author = atom_person(find(e, q("author")), q)
	if not author then
		local c = find(e, set("dc:creator itunes:author"))
		author = c and person(raw(c))
	end
	local encl = {}
	for _, l in ipairs(children(e)) do
		if type(l) == "table" and lname(l) == "link" and attr(l, "rel") == "enclosure"
			and attr(l, "href") then
			encl[#encl + 1] = { url = url.resolve(base, attr(l, "href")),
				type = attr(l, "type"), length = tonumber(attr(l, "length")) }
		end
	end
	title = nonempty(title) or nonempty(typed_line(media(e, RSS.media_title)))
	local summary = nonempty(sum) or nonempty(con)
	local thumb = media(e, RSS.media_thumbnail)
	return {
		guid = id,
		id = M.identity(id, link, title, published or updated, summary),
		title = title,
		link = link,
		published = published,
		updated = updated,
		author = author or feed_author,
		summary = summary,
		html = nonempty(con_html) or sum_html,
		image = thumb and attr(thumb, "url") and url.resolve(base, attr(thumb, "url")),
		base = base,
		enclosures = encl,
	}
end

local function atom(root, doc_url, format)
	-- names are "atom:x" / "atom03:x", or bare for an Atom feed in no
	-- namespace (or one we do not know)
	local p = qname(root):match("^(.*):")
	local sets = {}
	local function q(...)
		local key = table.concat({ ... }, " ")
		local names = sets[key]
		if not names then
			names = {}
			for _, n in ipairs({ ... }) do names[p and (p .. ":" .. n) or n] = true end
			sets[key] = names
		end
		return names
	end
	local base = url.resolve(doc_url, xml_base(root)) or doc_url
	local _, title = atom_text(find(root, q("title")))
	local fauthor = atom_person(find(root, q("author")), q)
	local feed = {
		title = nonempty(title),
		link = atom_link(root, base, "alternate"),
		updated = parse_date(find(root, q("updated", "modified"))),
		author = fauthor,
	}
	local items = {}
	local pause = M.pause
	for i, c in ipairs(children(root)) do
		walked(i)
		if type(c) == "table" and lname(c) == "entry" then
			items[#items + 1] = atom_entry(c, base, q, fauthor)
			if pause then pause() end
		end
	end
	return { format = format, feed = feed, items = items }
end

--{====================================================================
-- Entry points
--=====================================================================

-- RSS 0.90 is RDF in Netscape's namespace, with or without a channel.
local function is_rss090(root)
	local function netscape(el)
		return el.ns and norm_ns(el.ns):find("netscape.com/rdf/simple/0.9", 1, true) ~= nil
	end
	for _, c in ipairs(children(root)) do
		if type(c) == "table" and netscape(c) then return true end
	end
	return false
end

--- Parses an element tree (as brisk.xml.parse returns it).
function M.parse_tree(root, doc_url)
	if type(root) ~= "table" or type(root.name) ~= "string" then
		return nil, "not an XML element tree"
	end
	local q = qname(root)
	local ln = lname(root)
	if ln == "rss" then
		local v = attr(root, "version") or ""
		return rss(root, doc_url, v:match("^0%.9") and "rss09" or "rss20")
	elseif ln == "rdf" then
		return rss(root, doc_url, is_rss090(root) and "rss09" or "rss10")
	elseif ln == "channel" then
		-- a channel alone is Microsoft's CDF (<CHANNEL HREF=...>)
		return rss({ name = "rss", attrs = {}, children = { root } }, doc_url, "cdf")
	elseif ln == "feed" then
		local fmt = "atom10"
		if q:match("^atom03:") or attr(root, "version") == "0.3" then fmt = "atom03" end
		if q:match("^atom") or not q:find(":", 1, true) then
			return atom(root, doc_url, fmt)
		end
	end
	return { format = "unknown", feed = {}, items = {} }
end

--- Parses feed bytes. doc_url resolves relative links; charset is the
-- HTTP Content-Type's (brisk.xml.parse weighs it against the document's
-- own declaration). Returns the result table, or nil and a one-line
-- message.
function M.parse(bytes, doc_url, charset)
	if type(bytes) ~= "string" or bytes == "" then
		return nil, "empty document"
	end
	local ok, root, msg = pcall(brisk.xml.parse, bytes, { whitespace = true, charset = charset })
	if not ok then return nil, "XML: " .. tostring(root) end
	if not root then return nil, "XML: " .. text.line(tostring(msg or "not XML")) end
	return M.parse_tree(root, doc_url)
end

local function header(resp, name)
	local h = resp.headers
	return type(h) == "table" and h[name] or nil
end

--- Parses an HTTP response (as brisk.http gives it) for request_url: the
-- Content-Type's charset, and Content-Location (else the URL redirects
-- ended at) as the base of relative links.
function M.parse_response(resp, request_url)
	local ctype = header(resp, "content-type") or ""
	local charset = ctype:lower():match("charset%s*=%s*[\"']?([%w_.:-]+)")
	local base = resp.url or request_url
	local loc = header(resp, "content-location")
	if loc then base = url.resolve(base, text.line(loc)) or base end
	return M.parse(resp.body or "", base, charset)
end

return M
