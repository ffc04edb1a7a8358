-- news.opml: subscription lists in and out: OPML 1.0/2.0 (import and
-- export) and newsboat's `urls` file (import). Pure Lua over
-- brisk.xml.parse; returns lists of {url =, title =}.
local text = require("news.text")

local M = {}

local function walk(el, out)
	for _, c in ipairs(el.children or {}) do
		if type(c) == "table" then
			local name = c.name:match("([^:]*)$")
			if name == "outline" then
				local a = c.attrs or {}
				local u = a.xmlUrl or a.xmlurl or a.url
				if u and u:match("^%a[%w+.-]*://") then
					out[#out + 1] = { url = text.line(u),
						title = text.line(a.title or a.text) }
				end
			end
			walk(c, out)
		end
	end
	return out
end

--- Feeds listed in an OPML document; nil and a message when unreadable.
function M.parse_opml(doc)
	local ok, root, err = pcall(brisk.xml.parse, doc)
	if not ok then return nil, tostring(root) end
	if not root then return nil, "OPML: " .. tostring(err) end
	return walk(root, {})
end

--- Feeds in a newsboat urls file: "URL tag \"~Title\" ..." per line;
-- comments (#) and query feeds ("query:") skipped.
function M.parse_urls(s)
	local out = {}
	for line in (s .. "\n"):gmatch("([^\n]*)\n") do
		line = text.trim(line)
		if line ~= "" and line:sub(1, 1) ~= "#" then
			local u, rest = line:match("^(%S+)%s*(.*)$")
			if u:match("^https?://") or u:match("^file://") then
				local title = rest:match('"~([^"]*)"') or (" " .. rest):match("%s~(%S+)")
				out[#out + 1] = { url = u, title = title and text.line(title) or nil }
			end
		end
	end
	return out
end

local function esc(s)
	return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;",
		[">"] = "&gt;", ['"'] = "&quot;" }))
end

--- An OPML 2.0 document for the feeds given.
function M.to_opml(feeds, title)
	local t = { '<?xml version="1.0" encoding="UTF-8"?>',
		'<opml version="2.0">',
		"  <head><title>" .. esc(title or "brisk news subscriptions") .. "</title></head>",
		"  <body>" }
	for _, f in ipairs(feeds) do
		local name = f.title or f.url
		t[#t + 1] = string.format('    <outline type="rss" text="%s" title="%s" xmlUrl="%s"/>',
			esc(name), esc(name), esc(f.url))
	end
	t[#t + 1] = "  </body>"
	t[#t + 1] = "</opml>"
	return table.concat(t, "\n") .. "\n"
end

return M
