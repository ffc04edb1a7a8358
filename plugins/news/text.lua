-- news.text: turns untrusted feed text into one clean line of plain text.
-- Markup is stripped the way an HTML tokenizer reads it, with two mercies
-- for text that only looks like markup: a '<' that opens no HTML element
-- ("Vec<T>", "if a<b then c") is text, and a quote only opens an attribute
-- value after '=', so a stray quote never swallows the rest. Character
-- references are decoded by brisk.html.unescape (libxml2's table). Escape
-- sequences, control characters and invalid UTF-8 go. Never touches the
-- terminal.
local M = {}

--{====================================================================
-- Entities
--=====================================================================

--- Decodes HTML/XML character references (named, decimal, hex); unknown
-- names stay as written.
function M.decode_entities(s)
	if not s:find("&", 1, true) then return s end
	return brisk.html.unescape(s)
end

--{====================================================================
-- Markup
--=====================================================================

--- A set of the space-separated words: {word = true, ...} (parse.lua's
-- element names too).
function M.word_set(words)
	local t = {}
	for w in words:gmatch("%S+") do t[w] = true end
	return t
end
local set = M.word_set

-- HTML elements: a tag with one of these names (or a prefixed or custom
-- one: "o:p", "my-widget") is markup; any other "<word>" is text.
local ELEMENTS = set([[a abbr acronym address applet area article aside audio b
	base basefont bdi bdo bgsound big blink blockquote body br button canvas
	caption center cite code col colgroup data datalist dd del details dfn
	dialog dir div dl dt em embed fieldset figcaption figure font footer form
	frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img
	input ins kbd label legend li link main map mark marquee math menu meta
	meter nav nobr noembed noframes noscript object ol optgroup option output p
	param picture plaintext pre progress q rb rp rt rtc ruby s samp script
	section select small source spacer span strike strong style sub summary
	sup svg table tbody td template textarea tfoot th thead time title tr
	track tt u ul var video wbr xmp]])

-- Elements whose content is never text (a sanitizer drops them whole);
-- the fallback text of others (noscript, iframe, object) is kept.
local DROP = set("script style applet")

-- Foreign content: SVG and MathML name their own elements; every tag in
-- them is markup, their text is kept.
local FOREIGN = set("svg math")

-- Elements that separate words (everything else is inline and joins them).
local BLOCK = set([[p br div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr td th
	table blockquote pre hr section article header footer aside nav figure
	figcaption img address main details summary]])

-- What feedparser accepts as HTML when it has to guess (no script, no
-- document structure): text whose tags are all of these may be HTML.
local SAFE = set([[a abbr acronym address area article aside audio b big
	blockquote br button canvas caption center cite code col colgroup dd del
	details dfn dir div dl dt em fieldset figcaption figure font footer form
	h1 h2 h3 h4 h5 h6 header hr i img input ins kbd label legend li map mark
	menu meter nav noscript ol optgroup option output p pre progress q s samp
	section select small source span strike strong sub summary sup table
	tbody td textarea tfoot th thead time tr tt u ul var video]])

local function is_element(name)
	return ELEMENTS[name] or name:find("[:-]") ~= nil
end

-- Position after the '>' that closes the tag whose name ends before i,
-- read as HTML does: attribute names run to white space, '/', '>' or '=';
-- a quote opens a value only after '='. Nil when the tag never closes (an
-- unterminated quoted value included), or when a '<' comes first outside
-- quotes ("a<b then Vec<T>"): then it was not a tag.
local function tag_end(s, i)
	local n = #s
	while i <= n do
		i = s:find("[^%s/]", i)
		if not i or s:byte(i) == 60 then return nil end
		if s:byte(i) == 62 then return i + 1 end -- '>'
		i = s:find("[%s/>=<]", i + 1) or n + 1 -- the attribute's name
		if s:byte(i) == 60 then return nil end
		i = s:find("[^%s]", i) or n + 1
		if s:byte(i) == 61 then -- '=' and its value
			i = s:find("[^%s]", i + 1)
			if not i then return nil end
			local q = s:sub(i, i)
			if q == '"' or q == "'" then
				local close = s:find(q, i + 1, true)
				if not close then return nil end
				i = close + 1
			else
				i = s:find("[%s><]", i) or n + 1
				if s:byte(i) == 60 then return nil end
			end
		end
	end
	return nil
end

-- A '<' at i: the position after the markup it opens and the element's
-- name (lower case, "" for comments and the like), or nil when it opens
-- nothing and is text.
local function markup_at(s, i, lower)
	local b = s:byte(i + 1)
	if b == 33 and s:sub(i, i + 3) == "<!--" then
		local e = s:find("-->", i + 4, true)
		return e and e + 3, ""
	end
	local c = s:sub(i + 1, i + 1)
	if b == 33 or b == 63 then -- '!', '?'
		local e = s:find(">", i + 2, true)
		return e and e + 1, ""
	end
	local name, after = s:match("^</?([%a][%w:%-]*)()", i)
	if not name then return nil, nil, lower end
	name = name:lower()
	if not is_element(name) then return nil, nil, lower end
	local e = tag_end(s, after)
	if not e then return nil, nil, lower end
	if DROP[name] and c ~= "/" and s:sub(e - 2, e - 2) ~= "/" then
		lower = lower or s:lower()
		local close = lower:find("</" .. name .. "%s*>", e)
		if close then e = s:find(">", close, true) + 1 end
	end
	return e, name, lower
end

-- Walks s '<' by '<': text is copied, a CDATA section is given to
-- on_cdata(inner), markup to on_markup(s, lt, e, name, lower) (which
-- returns its replacement and where the walk goes on), and a '<' that
-- opens nothing becomes lt_text. The one tokenizer for both uses below.
local function rewrite(s, on_cdata, on_markup, lt_text)
	local out, n, i, len = {}, 0, 1, #s
	local lower
	while i <= len do
		local lt = s:find("<", i, true)
		if not lt then
			n = n + 1; out[n] = s:sub(i)
			break
		end
		n = n + 1; out[n] = s:sub(i, lt - 1)
		local e, name, rep
		if s:sub(lt, lt + 8) == "<![CDATA[" then
			local close = s:find("]]>", lt + 9, true)
			rep, e = on_cdata(s:sub(lt, close and close + 2 or len)), close and close + 3 or len + 1
		else
			e, name, lower = markup_at(s, lt, lower)
			if e then
				lower = lower or (FOREIGN[name] and s:lower())
				rep, e = on_markup(s, lt, e, name, lower)
			end
		end
		n = n + 1; out[n] = e and rep or lt_text
		i = e or lt + 1
	end
	return table.concat(out)
end

-- strip_tags: foreign content gives its text, a block tag a space.
local function strip_markup(s, lt, e, name, lower)
	local close = FOREIGN[name] and s:byte(lt + 1) ~= 47 and lower:find("</" .. name .. "%s*>", e)
	if close then
		return " " .. s:sub(e, close - 1):gsub("<[^>]*>", " ") .. " ", s:find(">", close, true) + 1
	end
	return BLOCK[name] and " " or "", e
end

--- Removes HTML markup, keeping text; block tags become spaces. Entities
-- are not decoded here (see M.html_to_line).
function M.strip_tags(s)
	if not s:find("<", 1, true) then return s end
	return rewrite(s, function(c) return c:sub(10, c:sub(-3) == "]]>" and -4 or -1) end, strip_markup, "<")
end

--- HTML with each '<' that opens no element written as "&lt;", so that
-- an HTML parser keeps the words after "if a<b then c" or "Vec<T>".
function M.escape_stray_lt(s)
	if not s:find("<", 1, true) then return s end
	return rewrite(s, function(c) return c end, function(str, lt, e) return str:sub(lt, e - 1), e end, "&lt;")
end

--- Whether text that may be plain is HTML: as feedparser guesses it, it
-- needs a close tag or a reference, and its tags and entity names must all
-- be HTML's.
function M.looks_like_html(s)
	if not (s:find("</%w+>") or s:find("&#?%w+;")) then return false end
	for name in s:gmatch("</?(%w+)") do
		if not SAFE[name:lower()] then return false end
	end
	for name in s:gmatch("&(%w+);") do
		local ref = "&" .. name .. ";"
		if brisk.html.unescape(ref) == ref then return false end
	end
	return true
end

--{====================================================================
-- Neutralizing: invalid UTF-8, escape sequences, control characters
--=====================================================================

--- Replaces each invalid UTF-8 byte with U+FFFD.
function M.valid_utf8(s)
	if utf8.len(s) then return s end
	local out, n, i = {}, 0, 1
	local len = #s
	while i <= len do
		local ok, bad = utf8.len(s, i)
		if ok then
			n = n + 1; out[n] = s:sub(i)
			break
		end
		n = n + 1; out[n] = s:sub(i, bad - 1)
		n = n + 1; out[n] = "\u{FFFD}"
		i = bad + 1
	end
	return table.concat(out)
end

-- Terminal escape sequences (CSI, OSC, DCS and friends, also their 8-bit
-- C1 forms): what a decoded reference may still carry ("&amp;#27;[31m").
local function strip_escapes(s)
	s = s:gsub("\27[%]PX^_][^\7\27]*\7", "")
	s = s:gsub("\27[%]PX^_][^\27]*\27\\", "")
	s = s:gsub("\xC2[\x9D\x90\x98\x9E\x9F][^\7\27]*\7", "")
	s = s:gsub("\xC2[\x9D\x90\x98\x9E\x9F][^\27]*\27\\", "")
	s = s:gsub("\27%[[0-?]*[ -/]*[@-~]", "")
	s = s:gsub("\xC2\x9B[0-?]*[ -/]*[@-~]", "")
	return (s:gsub("\27[ -/]*[0-~]", ""))
end

-- The bytes of text whose characters are all below U+0100, or nil.
local function latin1_bytes(s)
	if s:find("[\xC4-\xF4]") then return nil end
	return (s:gsub("[\xC2\xC3][\x80-\xBF]", function(c)
		local a, b = c:byte(1, 2)
		return string.char((a - 0xC2) * 64 + b)
	end))
end

--- Repairs what publishers get wrong with encodings, as feedparser does:
-- UTF-8 that was read as Latin-1 and encoded again ("cafÃ©") is decoded
-- once more when every character is below U+0100 and their bytes are
-- valid UTF-8; C1 controls, which no text means, are windows-1252
-- characters ("don\u{92}t" is "don’t"), as HTML reads &#146;.
function M.repair(s)
	-- plain searches first: most text has neither byte
	if not s:find("\xC2", 1, true) and not s:find("\xC3", 1, true) then return s end
	if s:find("[\xC2\xC3]") then
		local b = latin1_bytes(s)
		if b and b ~= s and utf8.len(b) then s = b end
	end
	if s:find("\xC2[\x80-\x9F]") then
		s = s:gsub("\xC2([\x80-\x9F])", function(c)
			return brisk.html.unescape("&#" .. c:byte() .. ";")
		end)
	end
	return s
end

--- Removes terminal escape sequences and every other control character;
-- tabs, line breaks and form feeds become spaces. Input must be valid
-- UTF-8.
function M.neutralize(s)
	if s:find("[%z\1-\31\127]") or s:find("\xC2[\x80-\x9F]") then
		s = strip_escapes(s)
		s = s:gsub("[\t\n\r\f\v]", " ")
		s = s:gsub("[%z\1-\31\127]", "")
		s = s:gsub("\xC2[\x80-\x9F]", "")
	end
	return s
end

--- Collapses runs of white space and trims; a no-break space is kept
-- inside (it was meant), trimmed at the ends.
function M.collapse(s)
	s = s:gsub("[ \t\r\n\f\v]+", " ")
	local i, j = 1, #s
	while s:byte(i) == 32 or (s:byte(i) == 0xC2 and s:byte(i + 1) == 0xA0) do
		i = i + (s:byte(i) == 32 and 1 or 2)
	end
	while j >= i and (s:byte(j) == 32 or (s:byte(j) == 0xA0 and s:byte(j - 1) == 0xC2)) do
		j = j - (s:byte(j) == 32 and 1 or 2)
	end
	return s:sub(i, j)
end

--- s without white space at either end. ("^%s*(.-)%s*$" would try the
-- end at every byte: quadratic in a long run of blanks, which a feed may
-- send.)
function M.trim(s)
	return s:match("^%s*(.*%S)") or ""
end

--- At most n bytes of s, never cutting a UTF-8 character.
function M.cut(s, n)
	if #s <= n then return s end
	while n > 0 and (s:byte(n + 1) or 0) & 0xC0 == 0x80 do n = n - 1 end
	return s:sub(1, n)
end

--- Plain text (already decoded) to one clean line.
function M.line(s)
	if s == nil then return nil end
	return M.collapse(M.neutralize(M.repair(M.valid_utf8(s))))
end

--- HTML (or text that may hold markup and entities) to one clean line.
function M.html_to_line(s)
	if s == nil then return nil end
	s = M.repair(M.valid_utf8(s))
	s = M.strip_tags(s)
	s = M.decode_entities(s)
	return M.collapse(M.neutralize(s))
end

--- Text that may be plain or HTML (an RSS title): HTML when it looks like
-- it (M.looks_like_html), else plain, its '<' and '&' as written.
function M.auto_line(s)
	if s == nil then return nil end
	s = M.repair(M.valid_utf8(s))
	if M.looks_like_html(s) then return M.html_to_line(s) end
	return M.line(s)
end

--- Multi-line plain text made safe for a buffer: escapes and control
-- characters removed, line breaks and tabs kept, invalid UTF-8 replaced.
function M.block(s)
	if s == nil then return "" end
	s = M.valid_utf8(s)
	s = s:gsub("\r\n?", "\n")
	s = strip_escapes(s)
	s = s:gsub("[%z\1-\8\11-\31\127]", "")
	s = s:gsub("\xC2[\x80-\x9F]", "")
	return s
end

return M
