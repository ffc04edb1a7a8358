-- news.view: pure functions from the reader's state to styled lines (the
-- sidebar rows) and to the text of an item buffer. No brisk.* calls but
-- brisk.time.format and the optional brisk.html.to_text, so it runs
-- headless and in tests; the
-- pane glue in init.lua hands the rows to whatever pane API there is.
--
-- A row is { {text = "...", style = "name"}, ... } (segments); styles:
-- header, feed, unread, read, dim, error, selected (added to every
-- segment of the selected row as sel = true).
local text = require("news.text")

local M = {}

--- Short age of a time: "5m", "3h", "2d", "4w", "1y".
function M.age(t, now)
	if not t then return "" end
	local d = math.max(0, now - t)
	if d < 3600 then return math.max(1, d // 60) .. "m" end
	if d < 86400 then return d // 3600 .. "h" end
	if d < 14 * 86400 then return d // 86400 .. "d" end
	if d < 365 * 86400 then return d // (7 * 86400) .. "w" end
	return d // (365 * 86400) .. "y"
end

-- Display width: code points, counting East Asian wide and emoji ranges
-- as two and combining marks as zero (a close, cheap estimate).
local function cp_width(c)
	if c < 32 then return 0 end
	if (c >= 0x300 and c <= 0x36F) or (c >= 0x200B and c <= 0x200F)
		or (c >= 0x610 and c <= 0x61A) or (c >= 0x64B and c <= 0x65F)
		or c == 0x670 or (c >= 0x6D6 and c <= 0x6ED) or c == 0xFE0F then
		return 0
	end
	if (c >= 0x1100 and c <= 0x115F) or (c >= 0x2E80 and c <= 0xA4CF)
		or (c >= 0xAC00 and c <= 0xD7A3) or (c >= 0xF900 and c <= 0xFAFF)
		or (c >= 0xFE30 and c <= 0xFE4F) or (c >= 0xFF00 and c <= 0xFF60)
		or (c >= 0xFFE0 and c <= 0xFFE6) or (c >= 0x1F300 and c <= 0x1F64F)
		or (c >= 0x1F900 and c <= 0x1F9FF) or (c >= 0x20000 and c <= 0x3FFFD) then
		return 2
	end
	return 1
end

function M.width(s)
	local w = 0
	for _, c in utf8.codes(s, true) do w = w + cp_width(c) end
	return w
end

--- Cuts s to at most w columns, ending in "…" when cut.
function M.fit(s, w)
	if w <= 0 then return "" end
	if M.width(s) <= w then return s end
	local out, used = {}, 0
	for _, c in utf8.codes(s, true) do
		local cw = cp_width(c)
		if used + cw > w - 1 then break end
		out[#out + 1] = utf8.char(c)
		used = used + cw
	end
	return table.concat(out) .. "…"
end

local function pad(s, w)
	local n = w - M.width(s)
	if n > 0 then return s .. string.rep(" ", n) end
	return s
end

--{====================================================================
-- Sidebar rows
--=====================================================================

-- state: {
--   mode = "feeds" | "items" | "search",
--   feeds = { {title, unread, error, fetching}, ... },
--   items = { {title, feed_title, date, read}, ... },
--   selected = index in the current list, top = first visible index,
--   progress = {done, total}, query = search words, feed_title = ...,
--   total_unread = n, now = Unix time }
-- Returns header (a row) and rows (visible rows only when height given).

local function header(state, width)
	local label
	if state.mode == "feeds" then
		label = "News"
	elseif state.mode == "search" then
		label = "Search: " .. text.line(state.query or "")
	else
		label = state.feed_title or "All items"
	end
	local right = ""
	local p = state.progress
	if p and p.total and p.total > 0 then
		right = string.format(" ⟳ %d/%d", p.done, p.total)
	elseif state.total_unread and state.total_unread > 0 then
		right = " " .. state.total_unread .. " unread"
	end
	local lw = math.max(1, width - M.width(right))
	return { { text = pad(M.fit(label, lw), lw), style = "header" },
		{ text = right, style = "header" } }
end

--- A one-line title for a pane: what is listed, then progress or unread.
function M.title(state)
	local label
	local unread = state.total_unread or 0
	if state.mode == "feeds" then
		label = "News"
	elseif state.mode == "search" then
		label = "Search: " .. text.line(state.query or "")
	else
		label = text.line(state.feed_title or "All items")
		unread = 0
		for _, f in ipairs(state.feeds or {}) do
			if f.id == state.feed_id then unread = f.unread or 0 end
		end
	end
	local p = state.progress
	if p and p.total and p.total > 0 then
		return string.format("%s ⟳ %d/%d", label, p.done, p.total)
	end
	if unread > 0 then return label .. " · " .. unread .. " unread" end
	return label
end

-- A feed: mark, title, unread count; a broken feed's row also says why
-- ("! Title: HTTP 404"), the title giving up room down to half the row.
local function feed_row(f, width)
	local count = (f.unread and f.unread > 0) and tostring(f.unread) or ""
	local mark = ""
	if f.fetching then mark = "⟳ " elseif f.error then mark = "! " end
	local tw = math.max(1, width - M.width(mark) - #count - 1)
	local title = text.line(f.title or f.url or "?")
	local why = ""
	if f.error and not f.fetching then
		why = ": " .. text.line(f.error)
		title = M.fit(title, math.max(tw // 2, tw - M.width(why)))
		why = M.fit(why, tw - M.width(title))
	else
		title = M.fit(title, tw)
	end
	local style = f.error and "error" or ((f.unread or 0) > 0 and "unread" or "feed")
	return {
		{ text = mark, style = f.error and "error" or "dim" },
		{ text = title, style = style },
		{ text = pad(why, tw - M.width(title)) .. " ", style = "dim" },
		{ text = count, style = "unread" },
	}
end

local function item_row(it, width, now, show_feed)
	local age = M.age(it.date, now)
	local tail = " " .. age
	local feed = ""
	if show_feed and it.feed_title then
		feed = " · " .. M.fit(text.line(it.feed_title), math.max(4, width // 4))
	end
	local dot = it.read == 1 and "  " or "• "
	local tw = math.max(1, width - 2 - M.width(feed) - M.width(tail))
	local title = M.fit(text.line(it.title or it.link or "(untitled)"), tw)
	return {
		{ text = dot, style = "unread" },
		{ text = title, style = it.read == 1 and "read" or "unread" },
		{ text = feed, style = "dim" },
		{ text = pad("", tw - M.width(title)) .. tail, style = "dim" },
	}
end

--- The sidebar: header row plus the visible rows.
function M.render(state, width, height)
	width = math.max(width or 40, 8)
	local list = state.mode == "feeds" and (state.feeds or {}) or (state.items or {})
	local rows = {}
	local top = state.top or 1
	local last = height and math.min(#list, top + height - 2) or #list
	for i = top, last do
		local r
		if state.mode == "feeds" then
			r = feed_row(list[i], width)
		else
			r = item_row(list[i], width, state.now or 0, state.mode ~= "items" or state.all)
		end
		if i == state.selected then
			for _, seg in ipairs(r) do seg.sel = true end
		end
		rows[#rows + 1] = r
	end
	if #list == 0 then
		local msg = state.mode == "feeds" and "no feeds" or "nothing here"
		rows[1] = { { text = msg, style = "dim" } }
	end
	return { header = header(state, width), rows = rows }
end

--- A row as plain text (for headless output and tests).
function M.row_text(row)
	local t = {}
	for _, seg in ipairs(row) do t[#t + 1] = seg.text end
	return table.concat(t)
end

--- Keeps the selection visible: returns the new top index.
function M.scroll(top, selected, height, n)
	top = top or 1
	local visible = math.max(1, (height or 20) - 1)
	if selected < top then top = selected end
	if selected >= top + visible then top = selected - visible + 1 end
	return math.max(1, math.min(top, math.max(1, n - visible + 1)))
end

--{====================================================================
-- Item text (for a read-only buffer)
--=====================================================================

--- The text of an item: title, link, date, author, enclosures, then the
-- body converted from HTML. item is a store row; feed_title optional.
function M.item_text(item, feed_title, width)
	width = width or 78
	local lines = {}
	local function add(s) lines[#lines + 1] = s end
	add(text.line(item.title or "(untitled)"))
	add(string.rep("=", math.min(width, math.max(3, M.width(lines[1])))))
	if feed_title then add("Feed:   " .. text.line(feed_title)) end
	if item.link then add("Link:   " .. text.line(item.link)) end
	if item.date then add("Date:   " .. brisk.time.format(item.date, "%Y-%m-%d %H:%M") .. " UTC") end
	if item.author then add("Author: " .. text.line(item.author)) end
	if item.enclosures then
		for e in item.enclosures:gmatch("[^\n]+") do
			add("Enclosure: " .. text.line(e))
		end
	end
	add("")
	local body = item.html
	local plain
	if body and body ~= "" then
		if brisk and brisk.html and brisk.html.to_text then
			local ok, r = pcall(brisk.html.to_text, text.escape_stray_lt(body), width)
			if ok and type(r) == "string" then plain = r end
		end
		if not plain then
			plain = text.decode_entities(text.strip_tags(body:gsub("<[bB][rR]%s*/?>", "\n")
				:gsub("</[pP]>", "\n\n")))
		end
	else
		plain = item.summary or ""
	end
	add(text.block(plain))
	return table.concat(lines, "\n") .. "\n"
end

--{====================================================================
-- Stats table
--=====================================================================

local function human(n)
	n = n or 0
	if n < 10 * 1024 then return tostring(n) end
	if n < 10 * 1024 * 1024 then return string.format("%.0fK", n / 1024) end
	return string.format("%.1fM", n / 1048576)
end
M.human = human

--- The stats table as lines: per feed and day, and a total row.
-- rows: store:stats() output. raw: exact byte counts instead of K/M.
function M.stats_lines(rows, raw)
	local fmt = raw and tostring or human
	local cols = { "day", "feed", "requests", "304", "errors", "wire", "decoded",
		"saved-304", "saved-gzip" }
	local out = { cols }
	local tot = { 0, 0, 0, 0, 0, 0, 0 }
	for _, r in ipairs(rows) do
		local v = { r.requests, r.not_modified, r.errors, r.wire_bytes,
			r.body_bytes, r.saved_304, r.saved_compression }
		for i = 1, 7 do tot[i] = tot[i] + (v[i] or 0) end
		out[#out + 1] = { r.day, M.fit(text.line(r.title or r.url or "?"), 30),
			tostring(v[1]), tostring(v[2]), tostring(v[3]), fmt(v[4]), fmt(v[5]),
			fmt(v[6]), fmt(v[7]) }
	end
	out[#out + 1] = { "total", "", tostring(tot[1]), tostring(tot[2]),
		tostring(tot[3]), fmt(tot[4]), fmt(tot[5]), fmt(tot[6]), fmt(tot[7]) }
	local w = {}
	for _, row in ipairs(out) do
		for i, c in ipairs(row) do w[i] = math.max(w[i] or 0, M.width(c)) end
	end
	local lines = {}
	for _, row in ipairs(out) do
		local cells = {}
		for i, c in ipairs(row) do
			if i <= 2 then cells[i] = pad(c, w[i])
			else cells[i] = string.rep(" ", w[i] - M.width(c)) .. c end
		end
		lines[#lines + 1] = (table.concat(cells, "  "):gsub("%s+$", ""))
	end
	return lines
end

return M
