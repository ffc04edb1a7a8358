-- logview.nav: moving around a log buffer: next/previous error, next/
-- previous firing of the probe under the cursor, folding stack traces and
-- oops reports, bookmarks. Searches run in C (b:search with PCRE2); only
-- the lines around the cursor are classified in Lua, and "fold all" walks
-- the log in slices (util.each_line), so a 10M-line log stays usable.
local C = require("logview.classify")
local util = require("logview.util")

local M = {}

-- Error lines (kernel reports, panics, dtrace errors and drops), after an
-- optional dmesg timestamp. Kept in step with classify's k.oops/k.panic/
-- dt.error/dt.drop.
M.ERROR_RE = table.concat({
	"^(?:\\[ *\\d+\\.\\d+\\](?:\\[ *[TC]\\d+\\])? ?)?(?:watchdog: |kernel: )?",
	"(?:BUG: |general protection fault|kernel BUG at |WARNING: |Unable to handle kernel |",
	"Internal error: |INFO: task .* blocked for more than|INFO: rcu|rcu: INFO: |UBSAN: |",
	"Kernel panic - not syncing|list_(?:del|add) corruption|refcount_t: |divide error: |",
	"stack segment: |Oops: |invalid opcode: )",
	"|^[ \\t]*dtrace: (?:error |failed |invalid |could not |[^\\n]*drops? on CPU)",
})

local function cur_line(b)
	return b:line_of(b:cursor())
end

--- Puts the cursor at the start of line n (and the view on it).
function M.goto_line(b, n)
	local p = b:line_start(n)
	b:set_selections({ { p, p } })
end

-- Searches pattern from line n on (dir 1) or before line n (dir -1) for
-- a line the view shows; returns its number or nil.
local function search_lines(b, re, n, dir, accept)
	local last = b:lines()
	while true do
		local from
		if dir > 0 then
			if n > last then return nil end
			from = b:line_start(n)
		else
			if n <= 1 then return nil end
			from = b:line_start(n)
		end
		local s = b:search(re, from, { regex = true, backward = dir < 0 })
		if not s then return nil end
		local m = b:line_of(s)
		if (dir > 0 and m < n) or (dir < 0 and m >= n) then return nil end
		if (not b.shown or b:shown(m)) and (not accept or accept(m)) then return m end
		n = dir > 0 and m + 1 or m
	end
end

--- Next (dir 1) or previous (dir -1) error; true, or false and a message.
function M.error(b, dir)
	local n = cur_line(b)
	-- The regex finds candidates fast; the classifier has the last word
	-- (an "Oops:" line right after a BUG: line is not a second error).
	local m = search_lines(b, M.ERROR_RE, dir > 0 and n + 1 or n, dir, function(m)
		return C.ERRORS[(M.classify_at(b, m))] ~= nil
	end)
	if not m then return false, dir > 0 and "no error below" or "no error above" end
	M.goto_line(b, m)
	return true, b:line(m)
end

--- Kind and fields of line n, classified with the lines above it as context.
function M.classify_at(b, n, context)
	local st = C.new()
	local first = math.max(1, n - (context or 40))
	local kind, info
	for i = first, n do kind, info = st:line(b:line(i) or "") end
	return kind, info
end

--- A PCRE2 pattern for "the same event" as line n: the same probe
-- (FUNCTION:NAME), the same function in flow output, the same kernel frame.
function M.same_pattern(b, n)
	local kind, info = M.classify_at(b, n)
	local e = util.re_escape
	if kind == "dt.probe" and info.func then
		if info.cpu then
			return "^[ \\t]*\\S+[ \\t]+\\S+[ \\t]+" .. e(info.func) .. ":" .. e(info.name) .. "(?:[ \\t]|$)", info.probe
		end
		return "^[ \\t]*" .. e(info.func) .. ":" .. e(info.name) .. "[ \\t]*$", info.probe
	elseif kind == "dt.flow" then
		return "^[ \\t]*\\d*[ \\t]*(?:->|<-|=>|<=)[ \\t]+" .. e(info.func) .. "(?:[ \\t(]|$)", info.func
	elseif kind == "k.frame" or (kind == "k.ip" and info and info.func) then
		return "(?:^|[ \\t\\]])\\??[ \\t]*" .. e(info.func) .. "(?:\\.[a-z]+\\.\\d+)*\\+0x", info.func
	elseif kind == "dt.list" then
		return "^[ \\t]*\\S+[ \\t]+" .. e(info.provider) .. "[ \\t].*[ \\t]" .. e(info.name) .. "[ \\t]*$", info.provider .. ":" .. info.name
	end
	return nil
end

--- Next / previous firing of the probe under the cursor.
function M.same(b, dir)
	local n = cur_line(b)
	local re, what = M.same_pattern(b, n)
	if not re then return false, "not on a probe firing, flow line or stack frame" end
	local m = search_lines(b, re, dir > 0 and n + 1 or n, dir)
	if not m then return false, string.format("no %s %s", what, dir > 0 and "below" or "above") end
	M.goto_line(b, m)
	return true, what
end

--{====================================================================
-- Folds
--=====================================================================

--- The innermost fold target containing line n ({kind=, first=, last=}),
-- from the lines around it.
function M.block_at(b, n)
	local first = math.max(1, n - 400)
	local last = math.min(b:lines(), n + 4000)
	local lines = {}
	for i = first, last do lines[#lines + 1] = b:line(i) or "" end
	local r = C.classify(lines)
	local best
	for _, blk in ipairs(r.blocks) do
		local f, l = blk.first + first - 1, blk.last + first - 1
		if f <= n and n <= l and (not best or l - f < best.last - best.first) then
			best = { kind = blk.kind, first = f, last = l }
		end
	end
	return best
end

-- A fold shows "[+N lines]" after its first line (a decoration).
local FOLD_NS = "logview.fold"

local function mark_fold(b, first, last)
	if b.decorate then
		b:decorate{ line = first, virt_text = string.format("  [+%d lines]", last - first),
			virt_style = { style = "log.comment" }, ns = FOLD_NS }
	end
end

local function unmark_fold(b, first)
	if not b.decorations then return end
	for _, d in ipairs(b:decorations(FOLD_NS)) do
		if b:line_of(d.from) == first then b:undecorate(d.id) end
	end
end

function M.fold(b, first, last)
	if not b:fold(first, last) then return false end
	mark_fold(b, first, last)
	return true
end

function M.unfold(b, first)
	local n = b:unfold(first)
	unmark_fold(b, first)
	return n
end

function M.unfold_all(b)
	b:unfold_all()
	if b.clear_decorations then b:clear_decorations(FOLD_NS) end
end

--- Folds the block under the cursor, or unfolds the fold starting there.
-- Returns a message.
function M.toggle_fold(b)
	local n = cur_line(b)
	if b:fold_end(n) then
		M.unfold(b, n)
		return "unfolded"
	end
	local blk = M.block_at(b, n)
	if not blk then return nil, "nothing to fold here (stack traces, call traces, oops reports, histograms)" end
	if b:fold_end(blk.first) then
		M.unfold(b, blk.first)
		M.goto_line(b, blk.first)
		return "unfolded"
	end
	M.fold(b, blk.first, blk.last)
	M.goto_line(b, blk.first)
	return string.format("folded %s: %d lines", blk.kind, blk.last - blk.first)
end

--- Folds every block of the kinds in `which` (a set; default stack and
-- trace). Walks the log in slices; done(count) at the end.
function M.fold_all(b, which, done)
	which = which or { stack = true, trace = true }
	local st = C.new()
	local count = 0
	local bl = C.blocker(function(blk)
		if which[blk.kind] or which.all then
			if M.fold(b, blk.first, blk.last) then count = count + 1 end
		end
	end)
	return util.each_line(b, function(s, n) bl:add(n, st:line(s)) end, function()
		bl:finish()
		if done then done(count) end
	end)
end

--{====================================================================
-- Bookmarks: decorations in the "logview.bookmark" namespace (they move
-- with edits and show on screen); plain marks where there are none.
--=====================================================================

local NS = "logview.bookmark"
local plain = {} -- buffer id -> {mark ids}

local function bookmarks(b)
	local out = {}
	if b.decorations then
		for _, d in ipairs(b:decorations(NS)) do out[#out + 1] = { line = b:line_of(d.from), id = d.id } end
	else
		for _, id in ipairs(plain[b:id()] or {}) do
			local p = b:mark_pos(id)
			if p then out[#out + 1] = { line = b:line_of(p), id = id } end
		end
	end
	table.sort(out, function(x, y) return x.line < y.line end)
	return out
end
M.bookmarks = bookmarks

--- Sets or removes a bookmark on the cursor line. Returns true when set.
function M.toggle_bookmark(b)
	local n = cur_line(b)
	for _, bm in ipairs(bookmarks(b)) do
		if bm.line == n then
			if b.undecorate then
				b:undecorate(bm.id)
			else
				b:mark_free(bm.id)
				local l = plain[b:id()]
				for i, id in ipairs(l) do if id == bm.id then table.remove(l, i) break end end
			end
			return false
		end
	end
	if b.decorate then
		b:decorate{ line = n, style = "log.bookmark", virt_text = " <bookmark>", virt_style = "log.bookmark", ns = NS }
	else
		local l = plain[b:id()] or {}
		plain[b:id()] = l
		l[#l + 1] = b:mark(b:line_start(n))
	end
	return true
end

--- Next / previous bookmark (wrapping around).
function M.bookmark(b, dir)
	local bms = bookmarks(b)
	if #bms == 0 then return false, "no bookmarks" end
	local n = cur_line(b)
	local pick
	if dir > 0 then
		for _, bm in ipairs(bms) do if bm.line > n then pick = bm.line break end end
		pick = pick or bms[1].line
	else
		for i = #bms, 1, -1 do if bms[i].line < n then pick = bms[i].line break end end
		pick = pick or bms[#bms].line
	end
	M.goto_line(b, pick)
	return true
end

return M
