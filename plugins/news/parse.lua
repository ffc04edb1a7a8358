-- news.parse: an RSS/Atom document to a plain table of feed and items.
-- XML comes from brisk.xml.parse (libxml2, recovery mode, no external
-- entities); everything here is pure Lua over the element tree, so it can
-- be tested on any tree. Text comes out clean (news.text); links absolute.
--
-- Result: { format = "rss20"|"rss10"|"rss09"|"atom10"|"atom03"|"unknown",
--   feed = { title, link, updated, author },
--   items = { { id, guid, title, link, published, updated, author,
--               summary (plain), html (best body as HTML, for reading),
--               enclosures = { {url, type, length}, ... } }, ... } }
local text = require("news.text")
local url = require("news.url")
local date = require("news.date")

local M = {}

-- Called after each item; the fetcher sets it to yield its coroutine when
-- a time slice is used up (a 1000-item feed must not hold the editor).
M.pause = nil

--{====================================================================
-- Element helpers (names may come as "local" or "prefix:local")
--=====================================================================

local NS = {
	["http://purl.org/dc/elements/1.1/"] = "dc",
	["http://purl.org/dc/terms/"] = "dcterms",
	["http://purl.org/rss/1.0/modules/content/"] = "content",
	["http://www.w3.org/2005/Atom"] = "atom",
	["http://purl.org/atom/ns#"] = "atom03",
	["http://purl.org/rss/1.0/"] = "",
	["http://my.netscape.com/rdf/simple/0.9/"] = "",
	["http://channel.netscape.com/rdf/simple/0.9/"] = "",
	["http://backend.userland.com/rss2"] = "",
	["http://backend.userland.com/rss"] = "",
	["http://www.w3.org/1999/02/22-rdf-syntax-ns#"] = "rdf",
	["http://search.yahoo.com/mrss/"] = "media",
	["http://search.yahoo.com/mrss"] = "media",
	["http://www.w3.org/1999/xhtml"] = "xhtml",
	["http://www.itunes.com/dtds/podcast-1.0.dtd"] = "itunes",
}
-- When the tree carries prefixes but no namespace URIs.
local PREFIX = { dc = "dc", dcterms = "dcterms", content = "content",
	atom = "atom", rdf = "rdf", media = "media", xhtml = "xhtml",
	itunes = "itunes", a10 = "atom" }

local function lname(el)
	return (el.name:match("([^:]*)$"))
end

-- "prefix:local" with our own prefixes, or just "local" for elements in no
-- namespace (or the RSS namespaces).
local function qname(el)
	local key = el._q
	if key then return key end
	local prefix, loc = el.name:match("^([^:]*):(.*)$")
	loc = loc or el.name
	local p
	if el.ns and el.ns ~= "" then
		p = NS[el.ns]
		if p == nil then p = "?" end
	elseif prefix then
		p = PREFIX[prefix] or "?"
	else
		p = ""
	end
	key = p == "" and loc or (p .. ":" .. loc)
	el._q = key
	return key
end

local function attr(el, name)
	local a = el.attrs
	if not a then return nil end
	return a[name]
end

local function xml_base(el)
	local a = el.attrs
	if not a then return nil end
	return a["xml:base"] or a.base or a["{http://www.w3.org/XML/1998/namespace}base"]
end

local function children(el)
	return el.children or {}
end

-- Walking a channel of 50,000 items takes long: pause (M.pause, inside a
-- brisk.task) every 1024 children.
local function walked(i)
	if i % 1024 == 0 and M.pause then M.pause() end
end

-- Child elements whose qname matches one of the names given.
local function find(el, ...)
	local names = { ... }
	for i, c in ipairs(children(el)) do
		walked(i)
		if type(c) == "table" then
			local q = qname(c)
			for _, n in ipairs(names) do
				if q == n then return c end
			end
		end
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
	s = s:match("^%s*(.-)%s*$")
	if s == "" then return nil end
	return s
end

local function parse_date(s)
	if s == nil then return nil end
	local t = date.parse(s)
	if t == nil and brisk and brisk.time and brisk.time.parse then
		local ok, r = pcall(brisk.time.parse, s)
		if ok and type(r) == "number" then t = math.floor(r) end
	end
	return t
end

local function nonempty(s)
	if s == nil or s == "" then return nil end
	return s
end

local b64 = {}
do
	local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i = 1, 64 do b64[alphabet:byte(i)] = i - 1 end
end
local function base64_decode(s)
	local out, acc, bits = {}, 0, 0
	for i = 1, #s do
		local v = b64[s:byte(i)]
		if v then
			acc = (acc << 6) | v
			bits = bits + 6
			if bits >= 8 then
				bits = bits - 8
				out[#out + 1] = string.char((acc >> bits) & 0xFF)
			end
		end
	end
	return table.concat(out)
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
		return "text:" .. summary:sub(1, 200)
	end
	return nil
end

--{====================================================================
-- RSS 0.9x / 2.0 / 1.0
--=====================================================================

local function rss_author(el)
	local c = find(el, "dc:creator")
	if c then return text.html_to_line(raw(c)) end
	local a = trimmed(find(el, "author"))
	if a then
		-- "jane@example.com (Jane Doe)" reads better as its name
		local name = a:match("^%S+@%S+%s*%((.-)%)%s*$")
		return text.html_to_line(name or a)
	end
	local at = find(el, "atom:author")
	if at then return text.line(trimmed(find(at, "atom:name"))) end
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
				length = tonumber(attr(e, "fileSize")) }
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

local function rss_item(it, base)
	base = url.resolve(base, xml_base(it)) or base
	local guid_el = find(it, "guid")
	local guid = trimmed(guid_el)
	local link = trimmed(find(it, "link"))
	if not link then
		for _, l in ipairs(each(it, "atom:link")) do
			local rel = attr(l, "rel") or "alternate"
			if rel == "alternate" and attr(l, "href") then link = attr(l, "href"); break end
		end
	end
	if not link and guid and attr(guid_el, "isPermaLink") ~= "false"
		and guid:match("^https?://") then
		link = guid
	end
	if not link then link = attr(it, "rdf:about") or attr(it, "about") end
	link = link and url.resolve(base, text.line(link))
	local desc = raw(find(it, "description"))
	local content = raw(find(it, "content:encoded"))
	local published = parse_date(trimmed(find(it, "pubDate", "dc:date",
		"dcterms:issued", "dcterms:created", "atom:published")))
	local updated = parse_date(trimmed(find(it, "dcterms:modified", "atom:updated")))
	local title = text.html_to_line(raw(find(it, "title", "dc:title")))
	title = nonempty(title)
	local summary = nonempty(text.html_to_line(desc)) or
		nonempty(text.html_to_line(content))
	return {
		guid = guid,
		id = M.identity(guid, link, title, published or updated, summary),
		title = title,
		link = link,
		published = published,
		updated = updated,
		author = nonempty(rss_author(it)),
		summary = summary,
		html = content or desc,
		base = base,
		enclosures = enclosure_list(it, base),
	}
end

local function rss(root, doc_url, format)
	local base = url.resolve(doc_url, xml_base(root)) or doc_url
	local ch = find(root, "channel") or root
	base = url.resolve(base, xml_base(ch)) or base
	local feed = {
		title = nonempty(text.html_to_line(raw(find(ch, "title", "dc:title")))),
		link = nil,
		updated = parse_date(trimmed(find(ch, "lastBuildDate", "pubDate",
			"dc:date", "atom:updated"))),
		author = nonempty(rss_author(ch)),
	}
	local link = trimmed(find(ch, "link"))
	if not link then
		for _, l in ipairs(each(ch, "atom:link")) do
			if (attr(l, "rel") or "alternate") == "alternate" then link = attr(l, "href") break end
		end
	end
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
-- Atom 1.0 / 0.3
--=====================================================================

-- A text construct: returns html (for reading) and plain (one line); with
-- html_only, plain is left out (it costs most of the time).
local function atom_text(el, a, html_only)
	if el == nil then return nil, nil end
	local ty = (attr(el, "type") or "text"):lower()
	local mode = attr(el, "mode")
	if attr(el, "src") and #children(el) == 0 then return nil, nil end
	local html
	if ty == "xhtml" or ty == "application/xhtml+xml" or mode == "xml" then
		html = table.concat(inner(el, true))
	elseif mode == "base64" then
		html = base64_decode(raw(el) or "")
		if ty == "text" or ty == "text/plain" then html = escape_html(html) end
	elseif ty == "html" or ty == "text/html" or mode == "escaped" then
		html = raw(el) or ""
	else
		-- plain text: markup-looking characters are literal
		local s = raw(el) or ""
		if html_only then return escape_html(s), nil end
		if a ~= "atom" then
			-- Atom 0.3 "text/plain" content is often HTML anyway
			return escape_html(s), text.html_to_line(s)
		end
		return escape_html(s), text.line(s)
	end
	if html_only then return html, nil end
	return html, text.html_to_line(html)
end

local function atom_link(el, base, want)
	local best
	for _, l in ipairs(children(el)) do
		if type(l) == "table" and lname(l) == "link" and attr(l, "href") then
			local rel = attr(l, "rel") or "alternate"
			if rel == want then
				local ty = attr(l, "type")
				local b = url.resolve(base, xml_base(l)) or base
				local u = url.resolve(b, text.line(attr(l, "href")))
				if not best or (ty == "text/html" and best.type ~= "text/html") then
					best = { url = u, type = ty }
				end
			end
		end
	end
	return best and best.url
end

local function atom_person(el, q)
	if el == nil then return nil end
	local name = trimmed(find(el, q("name")))
	local email = trimmed(find(el, q("email")))
	return nonempty(text.line(name or email))
end

local function atom_entry(e, base, q, a, feed_author)
	base = url.resolve(base, xml_base(e)) or base
	local id = trimmed(find(e, q("id")))
	local link = atom_link(e, base, "alternate")
	local _, title = atom_text(find(e, q("title")), a)
	local published = parse_date(trimmed(find(e, q("published"), q("issued"),
		q("created"), "dc:date")))
	local updated = parse_date(trimmed(find(e, q("updated"), q("modified"))))
	local sum_html, sum = atom_text(find(e, q("summary")), a)
	local con_el = find(e, q("content"))
	local con_html, con = atom_text(con_el, a, true)
	if not nonempty(sum) then _, con = atom_text(con_el, a) end
	local author = atom_person(find(e, q("author")), q)
	if not author then
		local c = find(e, "dc:creator")
		author = c and nonempty(text.html_to_line(raw(c)))
	end
	local encl = {}
	for _, l in ipairs(children(e)) do
		if type(l) == "table" and lname(l) == "link" and attr(l, "rel") == "enclosure"
			and attr(l, "href") then
			encl[#encl + 1] = { url = url.resolve(base, attr(l, "href")),
				type = attr(l, "type"), length = tonumber(attr(l, "length")) }
		end
	end
	title = nonempty(title)
	local summary = nonempty(sum) or nonempty(con)
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
		base = base,
		enclosures = encl,
	}
end

local function atom(root, doc_url, format)
	-- names are "atom:x" / "atom03:x", or bare for an Atom feed with no
	-- namespace at all
	local p = qname(root):match("^(.*):")
	local function q(n) return p and (p .. ":" .. n) or n end
	local a = p or "atom"
	local base = url.resolve(doc_url, xml_base(root)) or doc_url
	local _, title = atom_text(find(root, q("title")), a)
	local fauthor = atom_person(find(root, q("author")), q)
	local feed = {
		title = nonempty(title),
		link = atom_link(root, base, "alternate"),
		updated = parse_date(trimmed(find(root, q("updated"), q("modified")))),
		author = fauthor,
	}
	local items = {}
	local pause = M.pause
	for _, e in ipairs(each(root, q("entry"))) do
		items[#items + 1] = atom_entry(e, base, q, a, fauthor)
		if pause then pause() end
	end
	return { format = format, feed = feed, items = items }
end

--{====================================================================
-- Entry points
--=====================================================================

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
	elseif ln == "RDF" then
		local ch = find(root, "channel")
		local fmt = "rss10"
		if ch and (ch.ns == "http://my.netscape.com/rdf/simple/0.9/"
			or ch.ns == "http://channel.netscape.com/rdf/simple/0.9/") then
			fmt = "rss09"
		end
		return rss(root, doc_url, fmt)
	elseif ln == "channel" then
		return rss({ name = "rss", attrs = {}, children = { root } }, doc_url, "rss09")
	elseif ln == "feed" then
		local fmt = "atom10"
		if q == "atom03:feed" or attr(root, "version") == "0.3" then fmt = "atom03" end
		if q == "atom03:feed" or q == "atom:feed" or q == "feed" then
			return atom(root, doc_url, fmt)
		end
	end
	return { format = "unknown", feed = {}, items = {} }
end

--- Parses feed bytes. doc_url resolves relative links; charset (from
-- the HTTP Content-Type) is used only when the document declares no
-- encoding and has no byte order mark. Returns the result table, or nil
-- and a one-line message.
function M.parse(bytes, doc_url, charset)
	if type(bytes) ~= "string" or bytes == "" then
		return nil, "empty document"
	end
	local opts = { whitespace = true }
	if charset and not bytes:match("^\xEF\xBB\xBF") and not bytes:match("^[\xFE\xFF][\xFE\xFF]")
		and not bytes:sub(1, 200):match("^%s*<%?xml[^>]-encoding%s*=") then
		opts.encoding = charset
	end
	local ok, root, msg = pcall(brisk.xml.parse, bytes, opts)
	if not ok then return nil, "XML: " .. tostring(root) end
	if not root then return nil, "XML: " .. text.line(tostring(msg or "not XML")) end
	return M.parse_tree(root, doc_url)
end

return M
