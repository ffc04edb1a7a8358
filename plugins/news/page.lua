-- news.page: what the service sends to browsers and feed readers, as
-- pure functions of item lists: the reading page (one self-contained
-- HTML page: no image, script, font or style from anywhere), the login
-- form, and the Atom feed. Links are http(s) only, without tracking
-- parameters, and carry rel="noreferrer noopener".
local urlm = require("news.url")

local M = {}

--{====================================================================
-- Text helpers
--=====================================================================

local HTML_ESC = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

--- Text made safe for HTML and XML (elements and attribute values).
-- Control characters XML 1.0 forbids are dropped.
function M.escape(s)
	s = tostring(s or "")
	s = s:gsub("[\0-\8\11\12\14-\31\127]", "")
	return (s:gsub("[&<>\"']", HTML_ESC))
end

--- At most n bytes of s, cut at a word (or at least a character)
-- boundary, with "…" when something was cut.
function M.shorten(s, n)
	if not s or #s <= n then return s end
	local cut = n
	-- never in the middle of a UTF-8 sequence
	while cut > 0 and s:byte(cut + 1) and s:byte(cut + 1) >= 0x80 and s:byte(cut + 1) < 0xC0 do
		cut = cut - 1
	end
	-- at the last space within the last 30 % (a scan back, not a pattern:
	-- this runs for every item of a sync)
	local i = cut + 1
	while i > n * 0.7 and s:byte(i) ~= 32 do i = i - 1 end
	if i > n * 0.7 then
		while i > 1 and s:byte(i - 1) == 32 do i = i - 1 end
		cut = i - 1
	end
	return s:sub(1, cut) .. "…"
end

--- A link fit for a page: http(s) only, tracking parameters removed.
function M.safe_link(link, strip)
	if type(link) ~= "string" or not link:match("^[Hh][Tt][Tt][Pp][Ss]?://") then return nil end
	if strip ~= false then link = urlm.strip_tracking(link) end
	return link
end

local function day_time(t)
	if not t then return "" end
	return brisk.time.format(t, "%Y-%m-%d %H:%M")
end

--{====================================================================
-- The reading page
--=====================================================================

local STYLE = [[body{font:16px/1.45 system-ui,sans-serif;max-width:42em;margin:0 auto;padding:0 .6em;color:#222;background:#fff}
h1{font-size:1.2em}article{border-top:1px solid #ddd;padding:.5em 0}h2{font-size:1.05em;margin:.15em 0}
a{color:#14c}.m{color:#666;font-size:.85em}p{margin:.3em 0}button{font-size:1em;padding:.5em 1em;margin:1em 0}
@media(prefers-color-scheme:dark){body{color:#ddd;background:#111}a{color:#7af}article{border-color:#333}}]]

local function head(title)
	return table.concat({ '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width,initial-scale=1">',
		'<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex,nofollow">',
		"<title>", M.escape(title), "</title><style>", STYLE, "</style></head><body>\n" })
end

local function article(it, opts)
	local link = M.safe_link(it.link, opts.strip_tracking)
	local title = M.escape(it.title or "(no title)")
	if link then
		title = '<a href="' .. M.escape(link) .. '" rel="noreferrer noopener">' .. title .. "</a>"
	end
	local meta = M.escape(it.feed_title or "")
	if it.date then meta = meta .. " · " .. day_time(it.date) end
	if it.author and it.author ~= "" then meta = meta .. " · " .. M.escape(it.author) end
	local parts = { '<article><div class="m">', meta, "</div><h2>", title, "</h2>" }
	local summary = M.shorten(it.summary, opts.summary_chars or 600)
	if summary and summary ~= "" then parts[#parts + 1] = "<p>" .. M.escape(summary) .. "</p>" end
	parts[#parts + 1] = "</article>\n"
	return table.concat(parts)
end

--- The page of unread items (newest first, as given): items are
-- {id, title, link, date, author, summary, feed_title}. opts:
-- summary_chars (600), strip_tracking (true), more (unread items not
-- shown), title.
function M.render(items, opts)
	opts = opts or {}
	local n = #items
	local out = { head(string.format("%s (%d)", opts.title or "News", n + (opts.more or 0))) }
	out[#out + 1] = string.format("<h1>%d unread%s</h1>\n", n,
		(opts.more or 0) > 0 and string.format(" (and %d more)", opts.more) or "")
	local ids = {}
	for i, it in ipairs(items) do
		out[#out + 1] = article(it, opts)
		ids[i] = tostring(math.floor(it.id))
	end
	if n > 0 then
		out[#out + 1] = '<form method="post" action="/read"><input type="hidden" name="ids" value="'
			.. table.concat(ids, ",") .. '"><button type="submit">Mark these '
			.. n .. " read</button></form>\n"
	else
		out[#out + 1] = "<p>Nothing new.</p>\n"
	end
	out[#out + 1] = "</body></html>\n"
	return table.concat(out)
end

--- The body of a 401 from the page: a login form, no item text.
function M.login(message)
	return head("News: sign in") .. "<h1>Sign in</h1>\n"
		.. (message and ("<p>" .. M.escape(message) .. "</p>\n") or "")
		.. '<form method="post" action="/login"><p><label>Token <input type="password" name="token" autocomplete="current-password" required></label></p>'
		.. '<button type="submit">Sign in</button></form>\n</body></html>\n'
end

--{====================================================================
-- The Atom feed
--=====================================================================

local function rfc3339(t)
	return brisk.time.format(t or 0, "%Y-%m-%dT%H:%M:%SZ")
end

local function entry(it, opts)
	local link = M.safe_link(it.link, opts.strip_tracking)
	local parts = { "<entry><id>", M.escape(opts.id .. ":item:" .. math.floor(it.id)), "</id>",
		'<title type="text">', M.escape(it.title or "(no title)"), "</title>",
		"<updated>", rfc3339(it.date), "</updated>" }
	if link then parts[#parts + 1] = '<link rel="alternate" href="' .. M.escape(link) .. '"/>' end
	local author = it.author and it.author ~= "" and it.author or it.feed_title
	if author then parts[#parts + 1] = "<author><name>" .. M.escape(author) .. "</name></author>" end
	if it.feed_title then parts[#parts + 1] = '<category term="' .. M.escape(it.feed_title) .. '"/>' end
	local summary = M.shorten(it.summary, opts.summary_chars or 2000)
	if summary and summary ~= "" then
		parts[#parts + 1] = '<summary type="text">' .. M.escape(summary) .. "</summary>"
	end
	parts[#parts + 1] = "</entry>\n"
	return table.concat(parts)
end

--- The unread items as an Atom 1.0 feed. opts: id (a URN naming the
-- service), title, self (the feed's own URL, or nil), summary_chars.
function M.atom(items, opts)
	local updated = 0
	for _, it in ipairs(items) do updated = math.max(updated, it.date or 0) end
	local out = { '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
		"<id>", M.escape(opts.id), "</id><title>", M.escape(opts.title or "News"), "</title>",
		"<updated>", rfc3339(updated), "</updated>",
		"<author><name>", M.escape(opts.title or "News"), "</name></author>",
		"<generator>brisk</generator>\n" }
	if opts.self then
		out[#out + 1] = '<link rel="self" href="' .. M.escape(opts.self) .. '"/>\n'
	end
	for _, it in ipairs(items) do out[#out + 1] = entry(it, opts) end
	out[#out + 1] = "</feed>\n"
	return table.concat(out)
end

return M
