-- logview.kreport: finds kernel crash reports in console output and names
-- them the way syzkaller does ("KASAN: use-after-free Read in tcp_close"),
-- reading the crash kinds, title formats and skip lists of logview.oopses.
-- Uses brisk.regex (PCRE2); no buffer, no UI.
--
--   local R = require("logview.kreport")
--   local rep = R.parse(lines)        -- the first report, or nil: no crash
--   rep.title, rep.alt, rep.corrupted, rep.reason, rep.line
--   for _, r in ipairs(R.parse_all(lines, 10)) do ... end
--
-- How a report is read:
--  1. The first line that holds a crash kind's header (and none of its
--     suppressions) starts it; its console prefix says whose lines belong
--     to it (the CPU or task of CONFIG_PRINTK_CALLER).
--  2. The report is that line and the following ones of the same caller,
--     prefixes stripped, frames the unwinder doubts ("? f") dropped. With
--     no caller ids it ends where a second report starts; a panic or a
--     lockdep splat after enough lines is left out.
--  3. The format whose title matches earliest in the report names it: its
--     captures and the guilty frames of its stack parts fill the title.
--     A stack without a frame worth blaming gives "corrupted".
local T = require("logview.oopses")
local split_lines = require("logview.util").split_lines
local demangle = require("logview.demangle").name

local M = {}

local find, sub, gsub = string.find, string.sub, string.gsub

-- Reports longer than this are read up to it (syzkaller's are a few
-- hundred lines; a log may go on for gigabytes).
M.MAX_LINES = 4000

--- Called every few steps of a parse (a line, a format): the log viewer
-- sets it to give the event loop a turn (logview.util.tick) when the
-- parse runs in slices.
function M.tick() end
local function tick() M.tick() end

--{====================================================================
-- Patterns
--=====================================================================

local SHORTHANDS = {
	["{{ADDR}}"] = [[0x[0-9a-f]+]],
	["{{PC}}"] = [=[\[\<?(?:0x)?[0-9a-f]+\>?\]]=],
	["{{FUNC}}"] = [[([a-zA-Z0-9_]+)(?:\.|\+)]],
	["{{SRC}}"] = [[([a-zA-Z0-9-_/.]+\.[a-z]+:[0-9]+)]],
}

local cache = {}

--- A line without its terminal escape sequences (coloured output).
function M.plain(s)
	if s and find(s, "\27", 1, true) then return brisk.ansi.strip(s) end
	return s
end
local plain = M.plain

--- The compiled regex of a table pattern (shorthands expanded), cached.
function M.re(p)
	local r = cache[p]
	if r then return r end
	local src = gsub(p, "{{%u+}}", SHORTHANDS)
	r = assert(brisk.regex.new(src, "b"))
	cache[p] = r
	return r
end

local re = M.re

--- The compiled regexes of a list of table patterns.
function M.re_list(ps)
	local out = {}
	for i, p in ipairs(ps) do out[i] = re(p) end
	return out
end


-- One regex matching any of a list (they are tried as one alternation);
-- cached by the list itself (the tables are data that never change).
local by_list = setmetatable({}, { __mode = "k" })
local function any_re(list)
	local r = by_list[list]
	if r then return r end
	local parts = {}
	for i, p in ipairs(list) do parts[i] = "(?:" .. p .. ")" end
	r = re(table.concat(parts, "|"))
	by_list[list] = r
	return r
end

local function matches_any(s, list)
	return #list > 0 and any_re(list):find(s) ~= nil
end
--- Whether s matches any pattern of a list (one alternation, cached by the list).
M.matches_any = matches_any

local function contains_any(s, list)
	for _, w in ipairs(list) do
		if find(s, w, 1, true) then return true end
	end
	return false
end

--{====================================================================
-- Console lines
--=====================================================================

--- The caller context of a console line: "" (no console prefix),
-- "console" (a timestamp only) or the caller id ("[  T123]", "[ C1]").
function M.context(s)
	local st, _, caller = re(T.CONSOLE):find(s)
	if not st then return "" end
	return caller or "console"
end

-- A line without its console prefix; true as second value for a frame
-- the unwinder is not sure of.
local function strip_prefix(s, ctx)
	if string.byte(s, -1) == 13 then s = sub(s, 1, -2) end
	if ctx == "" then return s, false end
	local e = find(s, "] ", 1, true)
	s = sub(s, e + 2)
	if not find(s, "<EOI>", 1, true) then
		if re(T.QUESTIONABLE):find(s) then
			local q = find(s, " ? ", 1, true)
			return sub(s, q + 2), true
		end
		if sub(s, -13) == " (unreliable)" then return sub(s, 1, -14), true end
	end
	return s, false
end

--{====================================================================
-- Finding a report
--=====================================================================

-- Whether the header occurs on its own: glued to the end of a name
-- ("BTF_INFO:", "skb_panic:", "DEBUG:": after "_", or after a capital for
-- a capitalised header) it is part of that name. Glued to lower-case text
-- it is not ("...user memory accessgeneral protection fault": two console
-- lines without a newline between them).
local function starts_word(s, h)
	local caps = find(h, "^%u")
	local p = find(s, h, 1, true)
	while p do
		local c = p > 1 and sub(s, p - 1, p - 1) or " "
		if c ~= "_" and not (caps and find(c, "[%u%d]")) then return true end
		p = find(s, h, p + 1, true)
	end
	return false
end

local function is_oops(s, oops)
	if not find(s, oops.header, 1, true) then return false end
	if not starts_word(s, oops.header) or matches_any(s, T.NOT_A_START) then return false end
	return not (oops.suppress and matches_any(s, oops.suppress))
end

-- The crash kind whose header line s holds, or nil.
local function oops_of(s)
	for _, o in ipairs(T.oopses) do
		if is_oops(s, o) then return o end
	end
	return nil
end
M.oops_of = oops_of

-- Whether a kind that needs more than its headline (a Go crash needs its
-- traceback) shows it in the lines after line i.
local CONFIRM_LINES = 50
local function confirmed(lines, i, pat)
	local r = re(pat)
	for k = i + 1, i + CONFIRM_LINES do
		local s = plain(lines[k])
		if not s then return false end
		if r:find(s) then return true end
	end
	return false
end

--- A PCRE2 pattern matching any crash kind's header: a fast way to the
-- lines worth a look (b:search over a big log).
function M.header_pattern()
	local t = {}
	for i, o in ipairs(T.oopses) do t[i] = (gsub(o.header, "[%^%$%(%)%.%[%]%*%+%-%?%{%}|\\]", "\\%0")) end
	return table.concat(t, "|")
end

--- The first line at or after `from` (up to `to`) that starts a report,
-- and its crash kind; nil when there is none. skip_to(i), when given,
-- returns the first line at or after i that may hold a header (or nil).
function M.find_first(lines, from, to, skip_to)
	local i, last = from or 1, to or #lines
	while i <= last do
		if skip_to then
			i = skip_to(i)
			if not i or i > last then break end
		end
		tick()
		local s = plain(lines[i])
		if not s then break end
		local o = oops_of(s)
		if o and (not o.confirm or confirmed(lines, i, o.confirm)) then return i, o end
		i = i + 1
	end
	return nil
end

-- The report's lines (prefixes stripped) from its first line a, how many
-- of them belong to it (the rest follow a second report), and the line
-- where a second report starts (or the line after the last one read).
local function collect(lines, a, ctx, limit)
	local report, n_end = {}, 0
	local second, text_lines = false, 0
	local skip_text, cpu_trace = false, false
	local first = plain(lines[a])
	local min_lines = find(first, "BUG: KMSAN:", 1, true) and T.TRAILER_MIN_LINES_KMSAN or T.TRAILER_MIN_LINES
	local own = ctx ~= "" and ctx ~= "console"
	local next_at
	local last = math.min(limit, a + M.MAX_LINES - 1)
	for i = a, last do
		tick()
		local s = plain(lines[i])
		if not s then last = i - 1 break end
		local c1 = M.context(s)
		local stripped, doubtful = strip_prefix(s, c1)
		local head = i == a
		if not head and not second then
			if oops_of(s) then
				second = not contains_any(s, T.REPORT_START_IGNORES)
			elseif contains_any(s, T.INFO_WITH_STACK) then
				second = true
			end
			if second then next_at = i end
		end
		local foreign = c1 ~= ctx and not (cpu_trace and find(c1, "C", 1, true))
		if head or not (doubtful or foreign) then
			text_lines = text_lines + 1
			local skip = skip_text
			if find(s, "Disabling lock debugging due to kernel taint", 1, true) then
				skip = true
			elseif find(s, "Sending NMI from CPU", 1, true) then
				-- Every CPU's backtrace follows: they belong to the report.
				cpu_trace = true
			elseif text_lines > min_lines and contains_any(s, T.TRAILERS) then
				skip_text, skip = true, true
			end
			if head or not skip then
				report[#report + 1] = stripped
				if not second or own then n_end = #report end
			end
		end
	end
	return report, n_end, next_at or last + 1
end

--{====================================================================
-- Stacks and their guilty frame
--=====================================================================

local PARSE = T.PARSE

local function strip_frame(f)
	-- C++ and Rust frames by the names people read: _Z8fakeNameiii is fakeName.
	f = demangle(f) or f
	for _, p in ipairs(T.STRIP_PREFIXES) do
		if sub(f, 1, #p) == p then f = sub(f, #p + 1) end
	end
	return f
end

-- Adds the captures (from index 3 of a find result) that are frames not
-- skipped.
local function add_frames(frames, m, skip)
	for k = 3, m.n do
		local f = m[k]
		if f and not skip:find(f) then frames[#frames + 1] = strip_frame(f) end
	end
end

local EXTRACTORS = {}

-- The frame just above the first dispatcher frame.
function EXTRACTORS.stall(frames)
	local prev = frames[1]
	local anchors = any_re(T.STALL_ANCHORS)
	for _, f in ipairs(frames) do
		if anchors:find(f) then
			if find(f, "smp_call_function", 1, true) then prev = "smp_call_function" end
			return prev
		end
		prev = f
	end
	return ""
end

-- RCU and rtnl hangs grouped; else the first frame that does not wait.
function EXTRACTORS.hang(frames)
	for _, f in ipairs(frames) do
		for _, a in ipairs(T.HANG_ANCHORS) do
			if find(f, a[1], 1, true) then return a[2] or f end
		end
	end
	for _, f in ipairs(frames) do
		if not contains_any(f, T.HANG_SKIP) then return f end
	end
	return ""
end

local function pack(...) return { n = select("#", ...), ... } end

-- Runs one list of stack parts over the lines; returns the frames named
-- (one per trace) and false when one of them found nothing.
local function walk_parts(lines, parts, skip, pick)
	local frames, results, ok, traces = {}, {}, true, 0
	local li, n = 1, #lines
	local starts, bad = T.STACK_START, T.CORRUPTED_LINES
	local frame_res = {}
	for i, p in ipairs(T.FRAME) do frame_res[i] = re(p) end
	local k = 1
	while true do
		if k > #parts or (parts[k] == PARSE and traces > 0) then
			local f = #frames > 0 and pick(frames) or ""
			if f == "" then f, ok = "corrupted", false end
			results[#results + 1] = f
			frames = {}
		end
		if k > #parts then break end
		local part = parts[k]
		if part == PARSE then
			traces = traces + 1
			while li <= n do
				tick()
				local s = lines[li]
				li = li + 1
				if matches_any(s, bad) then ok = false break end
				if matches_any(s, starts) then break end
				local nxt = parts[k + 1]
				if nxt and nxt ~= PARSE then
					local m = pack(re(nxt):find(s))
					if m[1] then
						add_frames(frames, m, skip)
						k = k + 1
						break
					end
				end
				for _, fr in ipairs(frame_res) do
					local m = pack(fr:find(s))
					if m[1] then add_frames(frames, m, skip) break end
				end
			end
		else
			local r = re(part)
			while li <= n do
				tick()
				local s = lines[li]
				li = li + 1
				if matches_any(s, bad) then ok = false break end
				local m = pack(r:find(s))
				if m[1] then add_frames(frames, m, skip) break end
			end
		end
		k = k + 1
	end
	return results, ok
end

-- The guilty frames of a stack format in text (from the match on).
local function stack_frames(stack, text)
	local skip = {}
	for _, p in ipairs(T.SKIP) do skip[#skip + 1] = p end
	for _, p in ipairs(stack.skip or {}) do skip[#skip + 1] = p end
	local skip_re = any_re(skip)
	local ex = stack.extractor and EXTRACTORS[stack.extractor]
	local function pick(frames) return ex and ex(frames) or frames[1] end
	local lines = split_lines(text)
	local res, ok = walk_parts(lines, stack.parts, skip_re, pick)
	if ok or not stack.parts2 then return res, ok end
	return walk_parts(lines, stack.parts2, skip_re, pick)
end

--{====================================================================
-- Titles
--=====================================================================

-- Go-style positional formatting: %[N]v is args[N].
local function format(fmt, args)
	return (gsub(fmt, "%%%[(%d+)%][vs]", function(n)
		return args[tonumber(n)] or "%!v(BADINDEX)"
	end))
end

-- Replaces every match of r in s by repl (${N}: group N), left to right.
local function re_gsub(r, s, repl)
	local out, pos, n = {}, 1, #s
	while pos <= n + 1 do
		local m = pack(r:find(s, pos))
		if not m[1] then break end
		out[#out + 1] = sub(s, pos, m[1] - 1)
		out[#out + 1] = gsub(repl, "%${(%d)}", function(g) return m[2 + tonumber(g)] or "" end)
		if m[2] >= m[1] then
			pos = m[2] + 1
		else
			-- An empty match: keep the byte after it and go on.
			out[#out + 1] = sub(s, m[1], m[1])
			pos = m[1] + 1
		end
	end
	out[#out + 1] = sub(s, pos)
	return table.concat(out)
end

--- A title as syzkaller stores it: run-specific parts (addresses,
-- numbers, pids) replaced, control and non-ASCII bytes dropped, spaces
-- collapsed, at most TITLE_MAX bytes.
function M.clean_title(t)
	for _, rp in ipairs(T.TITLE_REPLACE) do
		local r = re(rp[1])
		repeat
			local prev = t
			t = re_gsub(r, t, rp[2])
		until t == prev
	end
	t = sub(t, 1, T.TITLE_MAX)
	t = gsub(t, "\t", " ")
	t = gsub(t, "[%c\128-\255]", "")
	t = gsub(t, "  +", " ")
	return (t:match("^%s*(.-)%s*$"))
end

-- The title of a report's text: the format that matches earliest.
-- Returns title, alternative titles, why it is corrupted (or nil) and the
-- format used.
local function describe(text, oops)
	local at, title, alts, reason, used, matched = #text + 1, nil, {}, nil, nil, false
	for _, f in ipairs(oops.formats) do
		tick()
		local m = pack(re(f.title):find(text))
		if m[1] and m[1] <= at and not (m[1] == at and title) then
			if m[1] < at then title, used, at = nil, nil, m[1] end
			matched = true
			if f.report then m = pack(re(f.report):find(text)) end
			if m[1] then
				local args = {}
				for k = 3, m.n do args[#args + 1] = m[k] or "" end
				reason = nil
				if f.stack then
					local frames, ok = stack_frames(f.stack, sub(text, m[1]))
					if not ok then reason = "no frames in the stack" end
					for _, fr in ipairs(frames) do args[#args + 1] = fr end
				end
				title = format(f.fmt, args)
				alts = {}
				for i, a in ipairs(f.alt or {}) do alts[i] = format(a, args) end
				used = f
			end
		end
	end
	if not title then
		if matched then reason = "its title matched, not the rest of the format" end
		local p = find(text, oops.header, 1, true)
		if not p then return nil end
		title = text:match("^[^\n]*", p)
	end
	if not reason and used and used.corrupted then reason = "its format is one of a cut report" end
	return title, alts, reason, used
end

-- Whether a named report lacks what its kind must show: after each kind
-- of trace keyword (its first one), a frame within the next lines.
local function broken(title, text, f)
	if matches_any(title, T.CORRUPTED_TITLES) then return "its title holds a timestamp" end
	if not f or f.no_stack_trace then return nil end
	local starts = any_re(T.STACK_START)
	local has = false
	for _, key in ipairs(T.STACK_START) do
		local p = re(key):find(text)
		if p then
			local after = {}
			for l in text:gmatch("[^\n]*\n", (text:find("\n", p, true) or #text) + 1) do
				after[#after + 1] = l
				if #after == 15 then break end
			end
			if #after < 3 then return "its call trace is cut" end
			local found = false
			for _, l in ipairs(after) do
				if starts:find(l) then break end
				if find(l, "(stack is not available)", 1, true) or matches_any(l, T.FRAME) then
					found = true
					break
				end
			end
			if not found then return "a stack trace without frames" end
			has = true
		end
	end
	if not has then return "no stack trace" end
	return nil
end

--{====================================================================
-- The API
--=====================================================================

--- The report that starts at line a (a line holding the header of oops):
-- {line=, title=, alt={...}, corrupted=, reason=, kind=oops.header,
-- lines=n (of the log it spans)}.
function M.report_at(lines, a, oops, limit)
	limit = limit or #lines
	oops = oops or oops_of(plain(lines[a]))
	local ctx = M.context(plain(lines[a]))
	local report, n_end, next_at = collect(lines, a, ctx, limit)
	local text = table.concat(report, "\n", 1, n_end) .. "\n"
	local title, alts, reason, f = describe(text, oops)
	if not title then
		-- The headline itself was left out: read the raw lines.
		local raw = {}
		for i = a, math.min(limit, a + M.MAX_LINES - 1) do
			if not lines[i] then break end
			raw[#raw + 1] = plain(lines[i])
		end
		text = table.concat(raw, "\n") .. "\n"
		title, alts, reason, f = describe(text, oops)
	end
	local rep = { line = a, kind = oops.header, alt = {}, report = report, next = next_at }
	rep.title = M.clean_title(title or oops.header)
	for i, t in ipairs(alts or {}) do rep.alt[i] = M.clean_title(t) end
	rep.reason = reason or broken(rep.title, table.concat(report, "\n") .. "\n", f)
	rep.corrupted = rep.reason ~= nil
	return rep
end

--- The first report in lines[from..to] (default: all), or nil.
function M.parse(lines, from, to, skip_to)
	local a, o = M.find_first(lines, from, to, skip_to)
	if not a then return nil end
	return M.report_at(lines, a, o, to)
end

--- Every report, in order (at most max): each new one is searched from
-- where the previous one was interrupted by it (or ended).
function M.parse_all(lines, max, from, to, skip_to)
	local out = {}
	local i = from or 1
	while not max or #out < max do
		local a, o = M.find_first(lines, i, to, skip_to)
		if not a then break end
		local rep = M.report_at(lines, a, o, to)
		out[#out + 1] = rep
		i = math.max(rep.next, a + 1)
	end
	return out
end

return M
