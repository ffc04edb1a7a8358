-- The simulated feeds of the 30-day simulations (test_sim.lua: history
-- rules over file://; test_sim_service.lua: bandwidth of the news service
-- and its client over HTTP): 12 feeds with their own update rates and
-- window sizes, some re-exposing old items, one sometimes broken.
-- Uses math.random: seed it before M.make.
local M = {}

M.DAY = 86400

-- name, mean hours between items, window size, poll interval (s), mode
M.specs = {
	{ "hourly",      1,   20, 1800,  "plain" },
	{ "busy",        0.3, 50, 900,   "plain" },
	{ "daily",       24,  10, 3600,  "plain" },
	{ "slow",        72,  5,  21600, "plain" },
	{ "tiny-window", 2,   3,  7200,  "plain" },   -- polled slower than it turns over
	{ "popular",     6,   8,  3600,  "reexpose" },-- "popular posts": old items come back
	{ "shuffled",    4,   15, 5400,  "shuffle" },
	{ "zombie",      12,  6,  3600,  "zombie" },  -- republishes weeks-old items
	{ "nodates",     5,   10, 2700,  "nodate" },  -- no guid, no dates, and zombie too
	{ "titles",      8,   10, 4000,  "titleonly" },-- no guid, no link: title + date
	{ "huge",        0.5, 300, 10800, "plain" },  -- a long window (never aged by count)
	{ "flaky",       3,   12, 2400,  "flaky" },   -- errors now and then
}

--- The 12 feeds with their items from 10 days before t0 to `days` after.
function M.make(t0, days)
	local feeds = {}
	for i, s in ipairs(M.specs) do
		local f = { i = i, name = s[1], rate = s[2] * 3600, window = s[3], interval = s[4],
			mode = s[5], items = {}, t0 = t0 }
		local t = t0 - 10 * M.DAY
		local n = 0
		while t < t0 + days * M.DAY do
			n = n + 1
			f.items[n] = { n = n, t = t }
			t = t + math.floor(-math.log(1 - math.random()) * f.rate) + 1
		end
		feeds[i] = f
	end
	return feeds
end

--- The items a feed lists at time t.
function M.window(f, t)
	local latest = {}
	for k = #f.items, 1, -1 do
		local it = f.items[k]
		if it.t <= t then
			latest[#latest + 1] = it
			if #latest >= f.window then break end
		end
	end
	local out = latest
	if f.mode == "reexpose" and #latest > 0 then
		-- two random older items, as a "most read" box would
		local oldest = latest[#latest].n
		for _ = 1, 2 do
			if oldest > 1 then out[#out + 1] = f.items[math.random(1, oldest - 1)] end
		end
	elseif f.mode == "shuffle" then
		for k = #out, 2, -1 do
			local j = math.random(1, k)
			out[k], out[j] = out[j], out[k]
		end
	elseif (f.mode == "zombie" or f.mode == "nodate") and (t - f.t0) % (7 * M.DAY) < M.DAY and #latest > 0 then
		-- one day a week, items from two to three weeks ago come back
		for _, it in ipairs(f.items) do
			if it.t <= t - 14 * M.DAY and it.t > t - 21 * M.DAY then out[#out + 1] = it end
		end
	end
	return out
end

local days = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" }
local months = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" }
local function rfc822(t)
	local d = os.date("!*t", t)
	return string.format("%s, %02d %s %04d %02d:%02d:%02d GMT", days[d.wday], d.day,
		months[d.month], d.year, d.hour, d.min, d.sec)
end

--- The feed document at time t and the items it lists; a broken document
-- (and no items) now and then for the flaky feed. describe(f, it), when
-- given, makes an item's description (escaped HTML); by default a line.
-- The same window gives the same document (kept in f.doc), built once.
function M.document(f, t, describe)
	if f.mode == "flaky" and math.random() < 0.15 then
		return "<rss><channel><title>broken", {}
	end
	local w = M.window(f, t)
	local ns = {}
	for k, it in ipairs(w) do ns[k] = it.n end
	local key = table.concat(ns, ",")
	if f.doc and f.doc_key == key then return f.doc, w end
	local parts = { '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
		"<title>" .. f.name .. "</title><link>http://" .. f.name .. ".example/</link>",
		"<description>sim</description>" }
	for _, it in ipairs(w) do
		local x = { "<item><title>" .. f.name .. " item " .. it.n .. "</title>" }
		if f.mode ~= "titleonly" then
			x[#x + 1] = "<link>http://" .. f.name .. ".example/item/" .. it.n .. "</link>"
		end
		if f.mode ~= "nodate" then x[#x + 1] = "<pubDate>" .. rfc822(it.t) .. "</pubDate>" end
		if f.mode ~= "nodate" and f.mode ~= "titleonly" then
			x[#x + 1] = "<guid isPermaLink=\"false\">" .. f.name .. "-" .. it.n .. "</guid>"
		end
		local desc = describe and describe(f, it) or ("item " .. it.n .. " of " .. f.name)
		x[#x + 1] = "<description>" .. desc .. "</description></item>"
		parts[#parts + 1] = table.concat(x)
	end
	parts[#parts + 1] = "</channel></rss>\n"
	f.doc, f.doc_key = table.concat(parts, "\n"), key
	return f.doc, w
end

return M
