-- news.text: turns untrusted feed text into one clean line of plain text.
-- Pure Lua, no brisk.* calls: entities, markup, control characters, terminal
-- escape sequences, invalid UTF-8, whitespace. Never touches the terminal.
local M = {}

--{====================================================================
-- Entities
--=====================================================================

local latin1 = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr", "deg",
	"plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil",
	"sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig",
	"Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute",
	"Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde",
	"Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
	"THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring",
	"aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave",
	"iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc",
	"otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml",
	"yacute", "thorn", "yuml",
}

local named = {
	amp = 38, lt = 60, gt = 62, quot = 34, apos = 39,
	OElig = 338, oelig = 339, Scaron = 352, scaron = 353, Yuml = 376,
	fnof = 402, circ = 710, tilde = 732, ensp = 8194, emsp = 8195,
	thinsp = 8201, zwnj = 8204, zwj = 8205, lrm = 8206, rlm = 8207,
	ndash = 8211, mdash = 8212, lsquo = 8216, rsquo = 8217, sbquo = 8218,
	ldquo = 8220, rdquo = 8221, bdquo = 8222, dagger = 8224, Dagger = 8225,
	bull = 8226, hellip = 8230, permil = 8240, prime = 8242, Prime = 8243,
	lsaquo = 8249, rsaquo = 8250, oline = 8254, frasl = 8260, euro = 8364,
	trade = 8482, larr = 8592, uarr = 8593, rarr = 8594, darr = 8595,
	harr = 8596, minus = 8722, ne = 8800, le = 8804, ge = 8805,
	infin = 8734, hearts = 9829, alpha = 945, beta = 946, gamma = 947,
	delta = 948, lambda = 955, mu = 956, pi = 960, sigma = 963, omega = 969,
	Delta = 916, Omega = 937, check = 10003,
}
for i, n in ipairs(latin1) do named[n] = 159 + i end

-- HTML5: numeric references 128-159 mean windows-1252 characters.
local cp1252 = {
	[128] = 8364, [130] = 8218, [131] = 402, [132] = 8222, [133] = 8230,
	[134] = 8224, [135] = 8225, [136] = 710, [137] = 8240, [138] = 352,
	[139] = 8249, [140] = 338, [142] = 381, [145] = 8216, [146] = 8217,
	[147] = 8220, [148] = 8221, [149] = 8226, [150] = 8211, [151] = 8212,
	[152] = 732, [153] = 8482, [154] = 353, [155] = 8250, [156] = 339,
	[158] = 382, [159] = 376,
}

local function codepoint(n)
	if not n then return "\u{FFFD}" end
	n = cp1252[n] or n
	if n == 0 or n > 0x10FFFF or (n >= 0xD800 and n <= 0xDFFF) then
		return "\u{FFFD}"
	end
	return utf8.char(n)
end

local function entity(body)
	-- numeric, decimal or hex
	local hex = body:match("^#[xX](%x+)$")
	if hex then
		return codepoint(#hex <= 8 and tonumber(hex, 16) or nil)
	end
	local dec = body:match("^#(%d+)$")
	if dec then
		return codepoint(#dec <= 9 and tonumber(dec) or nil)
	end
	-- named; unknown ones stay as written
	local n = named[body]
	if n then return utf8.char(n) end
	return nil
end

--- Decodes HTML/XML character references (named, decimal, hex).
function M.decode_entities(s)
	if not s:find("&", 1, true) then return s end
	return (s:gsub("&(#?[%w]+);", function(body)
		return entity(body)
	end))
end

--{====================================================================
-- Markup
--=====================================================================

-- Tags whose content is never text.
local drop_content = { script = true, style = true, head = true, title = false,
	noscript = true, template = true, iframe = true, object = true }
-- Tags that separate words (everything else is inline and joins them).
local block = {}
for t in ([[p br div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr td th table
	blockquote pre hr section article header footer aside nav figure
	figcaption img address]]):gmatch("%S+") do block[t] = true end

-- Position after the '>' closing a tag that opened at i (quotes honoured),
-- or nil when it never closes.
local function tag_end(s, i)
	local j = i + 1
	local n = #s
	while j <= n do
		local c = s:find("[\"'>]", j)
		if not c then return nil end
		local ch = s:sub(c, c)
		if ch == ">" then return c + 1 end
		local q = s:find(ch, c + 1, true)
		if not q then return nil end
		j = q + 1
	end
	return nil
end

--- Removes HTML markup, keeping text; block tags become spaces.
-- Entities are not decoded here (see M.html_to_line).
function M.strip_tags(s)
	if not s:find("<", 1, true) then return s end
	local out, n, i = {}, 0, 1
	local len = #s
	while i <= len do
		local lt = s:find("<", i, true)
		if not lt then
			n = n + 1; out[n] = s:sub(i)
			break
		end
		n = n + 1; out[n] = s:sub(i, lt - 1)
		local nxt = s:sub(lt + 1, lt + 1)
		if s:sub(lt, lt + 3) == "<!--" then
			local e = s:find("-->", lt + 4, true)
			i = e and e + 3 or len + 1
		elseif s:sub(lt, lt + 8) == "<![CDATA[" then
			local e = s:find("]]>", lt + 9, true)
			n = n + 1; out[n] = s:sub(lt + 9, e and e - 1 or len)
			i = e and e + 3 or len + 1
		elseif nxt:match("[%a/!?]") then
			local e = tag_end(s, lt)
			if not e then break end -- an unclosed tag: drop the rest
			local name = s:match("^</?([%w]+)", lt)
			name = name and name:lower() or ""
			if drop_content[name] and nxt ~= "/" then
				local close = s:lower():find("</" .. name .. "%s*>", e)
				if close then
					e = s:find(">", close, true) + 1
				end
			end
			if block[name] then n = n + 1; out[n] = " " end
			i = e
		else
			n = n + 1; out[n] = "<"
			i = lt + 1
		end
	end
	return table.concat(out)
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

--- Removes terminal escape sequences (CSI, OSC, DCS and friends, also
-- their 8-bit C1 forms) and every other control character; tabs, line
-- breaks and form feeds become spaces. Input must be valid UTF-8.
function M.neutralize(s)
	if s:find("[%z\1-\31\127]") or s:find("\xC2[\x80-\x9F]") then
		-- OSC / DCS / SOS / PM / APC strings up to BEL or ST
		s = s:gsub("\27[%]PX^_][^\7\27]*\7", "")
		s = s:gsub("\27[%]PX^_][^\27]*\27\\", "")
		s = s:gsub("\xC2[\x9D\x90\x98\x9E\x9F][^\7\27]*\7", "")
		s = s:gsub("\xC2[\x9D\x90\x98\x9E\x9F][^\27]*\27\\", "")
		-- CSI sequences, 7-bit and 8-bit
		s = s:gsub("\27%[[0-?]*[ -/]*[@-~]", "")
		s = s:gsub("\xC2\x9B[0-?]*[ -/]*[@-~]", "")
		-- other two-byte escapes (ESC c, ESC 7, ESC ( B ...)
		s = s:gsub("\27[ -/]*[0-~]", "")
		s = s:gsub("[\t\n\r\f\v]", " ")
		s = s:gsub("[%z\1-\31\127]", "")
		s = s:gsub("\xC2[\x80-\x9F]", "")
	end
	return s
end

--- Collapses runs of white space (no-break spaces included) and trims.
function M.collapse(s)
	s = s:gsub("\xC2\xA0", " ")
	s = s:gsub("[ \t\r\n\f\v]+", " ")
	return (s:match("^ *(.-) *$"))
end

--- Plain text (already decoded) to one clean line.
function M.line(s)
	if s == nil then return nil end
	return M.collapse(M.neutralize(M.valid_utf8(s)))
end

--- HTML (or text that may hold markup and entities) to one clean line.
function M.html_to_line(s)
	if s == nil then return nil end
	s = M.valid_utf8(s)
	s = M.strip_tags(s)
	s = M.decode_entities(s)
	return M.collapse(M.neutralize(s))
end

--- Multi-line plain text made safe for a buffer: escapes and control
-- characters removed, line breaks and tabs kept, invalid UTF-8 replaced.
function M.block(s)
	if s == nil then return "" end
	s = M.valid_utf8(s)
	s = s:gsub("\r\n?", "\n")
	s = s:gsub("\27[%]PX^_][^\7\27]*\7", "")
	s = s:gsub("\27[%]PX^_][^\27]*\27\\", "")
	s = s:gsub("\27%[[0-?]*[ -/]*[@-~]", "")
	s = s:gsub("\xC2\x9B[0-?]*[ -/]*[@-~]", "")
	s = s:gsub("\27[ -/]*[0-~]", "")
	s = s:gsub("[%z\1-\8\11-\31\127]", "")
	s = s:gsub("\xC2[\x80-\x9F]", "")
	return s
end

return M
