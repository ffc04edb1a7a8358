-- logview.summary: what a log contains, as lines of text for a pane or a
-- scratch buffer. Pure (no brisk.*): an accumulator fed line by line (so
-- a followed log adds only its new lines) and a render at a given width.
--
--   local S = require("logview.summary")
--   local acc = S.new(); for n, s in ipairs(lines) do acc:add(s, n) end
--   local out = acc:render(60)          -- {"Log summary: ...", ...}
--   S.build(lines, {width = 60})        -- the same in one call
--   S.histogram(rows, 60)               -- re-render quantize rows at a width
local C = require("logview.classify")
local R = require("logview.kreport")
local util = require("logview.util")

local M = {}

local TOP = 15        -- rows per table
local KEEP_ERRORS = 20
local KEEP_HISTS = 12
local REPORT_LINES = 300

local Acc = {}
Acc.__index = Acc

function M.new()
	return setmetatable({
		st = C.new(), lines = 0, counts = {}, probes = {}, funcs = {}, cpus = {}, nprobe = 0,
		times = {}, errors = {}, nerrors = 0, hists = {}, cur_hist = nil, aggs = {}, agg_block = nil,
		gaps = {}, last_ts = nil, reports = {}, capture = nil, stacks = {}, cur_stack = nil,
	}, Acc)
end

local function bump(t, k, n) t[k] = (t[k] or 0) + (n or 1) end

-- Whether a kind is a kernel line's ("k.msg", "k.oops"...), remembered.
local KERNEL = setmetatable({}, { __index = function(t, kind)
	local v = kind:sub(1, 2) == "k."
	t[kind] = v
	return v
end })

-- A timestamp at the start of a probe's data: nanoseconds (a long integer)
-- or seconds with a fraction.
local function data_time(data)
	local v = data and data:match("^%s*(%d+%.%d+)%f[%s%z]")
	if v then return tonumber(v) end
	v = data and data:match("^%s*(%d%d%d%d%d%d%d%d%d+)%f[%s%z]")
	if v then return tonumber(v) / 1e9 end
	return nil
end

local function note_time(self, key, t)
	local r = self.times[key]
	if not r then
		self.times[key] = { last = t, n = 0, sum = 0 }
		return
	end
	local d = t - r.last
	r.last = t
	if d < 0 then return end
	r.n, r.sum = r.n + 1, r.sum + d
	if not r.min or d < r.min then r.min = d end
	if not r.max or d > r.max then r.max = d end
end

-- The five longest pauses, longest first (the earlier one first on a tie).
local function add_gap(self, d, n)
	local g = self.gaps
	if #g < 5 or d > g[#g].d then
		g[#g + 1] = { d = d, line = n }
		table.sort(g, function(a, b)
			if a.d ~= b.d then return a.d > b.d end
			return a.line < b.line
		end)
		if #g > 5 then g[#g] = nil end
	end
end

local function note_gap(self, t, n)
	if self.last_ts and t > self.last_ts then add_gap(self, t - self.last_ts, n) end
	self.last_ts = t
end

-- Names the report being captured (its lines are all read) and stops
-- capturing: the work is done while the log is read, in its slices, not
-- when the summary is drawn.
function Acc:name_report()
	local cap = self.capture
	if not cap then return end
	cap.rep = C.kernel_reports(cap.lines, C.classify(cap.lines), 1)[1] or { title = "?" }
	cap.lines = nil
	self.capture = nil
end

--- After the last line: names the report still being captured.
function Acc:finish() self:name_report() end

--- Adds line n (its text s); returns its kind.
function Acc:add(s, n)
	self.lines = n or self.lines + 1
	n = self.lines
	local kind, info = self.st:line(s)
	bump(self.counts, kind)
	if self.capture then
		local cap = self.capture
		cap.lines[#cap.lines + 1] = s
		if #cap.lines >= REPORT_LINES or kind == "k.end" then self:name_report() end
	end
	if kind == "dt.probe" then
		self.nprobe = self.nprobe + 1
		bump(self.probes, info.probe)
		bump(self.funcs, info.func)
		if info.cpu then bump(self.cpus, tostring(info.cpu)) end
		local t = data_time(info.data)
		if t then note_time(self, info.probe, t) end
	elseif kind == "dt.timed" then
		note_time(self, "printf %Y lines", info.ts)
	elseif (kind == "dt.flow" and info.dir == "entry") or kind == "dt.syscall" then
		bump(self.funcs, info.func)
	elseif kind == "dt.hist_header" then
		local key = info and info.key or (self.prev_text and util.trim(self.prev_text)) or ""
		self.cur_hist = { key = key, rows = {}, line = n }
		self.hists[#self.hists + 1] = self.cur_hist
		if #self.hists > KEEP_HISTS then table.remove(self.hists, 1) end
	elseif kind == "dt.hist_row" and self.cur_hist then
		local r = self.cur_hist.rows
		r[#r + 1] = info
	elseif kind == "dt.agg" then
		if not self.agg_block or self.agg_block.last ~= n - 1 then
			self.agg_block = { rows = {}, first = n }
			self.aggs[#self.aggs + 1] = self.agg_block
			if #self.aggs > 4 then table.remove(self.aggs, 1) end
		end
		self.agg_block.last = n
		local r = self.agg_block.rows
		if #r < 10000 then r[#r + 1] = info end
	end
	if kind ~= "dt.hist_row" and kind ~= "dt.hist_header" then self.cur_hist = nil end
	-- Aggregated stacks: frames, then a count.
	if kind == "dt.stack" then
		if not self.cur_stack then
			self.cur_stack = { head = self.prev_text and util.trim(self.prev_text) or "", line = n }
		end
		if not self.cur_stack.top then self.cur_stack.top = util.trim(s) end
	elseif kind == "dt.stack_count" and self.cur_stack then
		local st = self.stacks
		self.cur_stack.count = info.count
		st[#st + 1] = self.cur_stack
		if #st > 4 * TOP then
			table.sort(st, function(a, b) return a.count > b.count end)
			for i = #st, 2 * TOP + 1, -1 do st[i] = nil end
		end
		self.cur_stack = nil
	else
		self.cur_stack = nil
	end
	if C.ERRORS[kind] then
		self.nerrors = self.nerrors + 1
		if #self.errors < KEEP_ERRORS then self.errors[#self.errors + 1] = { line = n, text = s } end
	end
	if kind == "k.oops" and #self.reports < 5 then
		self:name_report()
		self.capture = { line = n, lines = { s } }
		self.reports[#self.reports + 1] = self.capture
	end
	if KERNEL[kind] then
		local t = C.kernel_prefix(s)
		if t then note_gap(self, t, n) end
	end
	if kind ~= "blank" then self.prev_text = s end
	return kind
end

--{====================================================================
-- Runs read in C
--=====================================================================

-- What a run of each kind counts (b:tally), by the groups of its pattern
-- in logview.classify's RUNS: probes by CPU, probe and function, with the
-- time at the start of their data; the functions flow lines enter;
-- kernel messages' timestamps.
local RUN_COUNTS = {
	["dt.probe"] = { keys = { 1, 2, 3 }, time_key = 2, time_value = 4 },
	["dt.flow"] = { keys = { 2 } },
	["dt.columns"] = {},
	["dt.stack"] = {},
	["k.msg"] = { gap = 1 },
}
local RUN_MAX = 200000 -- lines per reader:tally call (some tens of ms)

local specs = {}
-- The b:tally spec of kind k, or nil when no run can follow now.
function Acc:run_spec(k)
	local counts = RUN_COUNTS[k]
	if not counts or self.capture or not self.st:can_run(k) then return nil end
	local sp = specs[k]
	if not sp then
		local run = C.RUNS[k]
		sp = { re = R.re(run.re), stop = R.re_list(run.stop), max = RUN_MAX }
		for f, v in pairs(counts) do sp[f] = v end
		specs[k] = sp
	end
	return sp
end

local function merge_counts(into, counts)
	for key, n in pairs(counts or {}) do bump(into, key, n) end
end

-- The time series of a run after what was seen before it.
local function merge_times(self, times)
	for key, e in pairs(times) do
		local r = self.times[key]
		if not r then
			self.times[key] = { last = e.last, n = e.n, sum = e.sum, min = e.min, max = e.max }
		else
			note_time(self, key, e.first)
			r.n, r.sum = r.n + e.n, r.sum + e.sum
			if e.n > 0 then
				if not r.min or e.min < r.min then r.min = e.min end
				if not r.max or e.max > r.max then r.max = e.max end
			end
			r.last = e.last
		end
	end
end

--- Adds a run of kind k that b:tally read (r its result; last_text the
-- run's last line), as adding each of its lines would.
function Acc:add_run(k, r, last_text)
	local n, base = r.lines, self.lines + 1
	self.st:skip(k, n)
	self.lines = self.lines + n
	bump(self.counts, k, n)
	if k == "dt.probe" then
		self.nprobe = self.nprobe + n
		merge_counts(self.cpus, r.counts[1])
		merge_counts(self.probes, r.counts[2])
		merge_counts(self.funcs, r.counts[3])
		merge_times(self, r.times)
	elseif k == "dt.flow" then
		merge_counts(self.funcs, r.counts[1])
	elseif k == "k.msg" and r.first_ts then
		note_gap(self, r.first_ts, base + r.first_ts_line)
		for _, g in ipairs(r.gaps) do add_gap(self, g.d, base + g.line) end
		self.last_ts = r.last_ts
	end
	self.cur_hist = nil
	if k ~= "dt.stack" then self.cur_stack = nil end
	self.prev_text = last_text
end

--{====================================================================
-- Rendering
--=====================================================================

local function pad(s, w) return s .. (" "):rep(w - #s) end
local function lpad(s, w) return (" "):rep(w - #s) .. s end

local function clip(s, w)
	if #s <= w then return s end
	return s:sub(1, math.max(1, w - 1)) .. "~"
end

local function sorted_counts(t)
	local out = {}
	for k, v in pairs(t) do out[#out + 1] = { k = k, v = v } end
	table.sort(out, function(a, b)
		if a.v ~= b.v then return a.v > b.v end
		return tostring(a.k) < tostring(b.k)
	end)
	return out
end

local function table_lines(out, title, t, total, width)
	local rows = sorted_counts(t)
	if #rows == 0 then return end
	out[#out + 1] = ""
	local cw = 8
	out[#out + 1] = pad(title, math.max(#title, width - cw - 8)) .. lpad("count", cw) .. "      %"
	for i = 1, math.min(TOP, #rows) do
		local r = rows[i]
		local kw = math.max(10, width - cw - 10)
		out[#out + 1] = "  " .. pad(clip(tostring(r.k), kw), kw) .. lpad(tostring(r.v), cw)
			.. string.format(" %5.1f%%", total > 0 and 100 * r.v / total or 0)
	end
	if #rows > TOP then out[#out + 1] = string.format("  ... %d more", #rows - TOP) end
end

local function fmt_time(d)
	if d >= 1 then return string.format("%.3fs", d) end
	if d >= 1e-3 then return string.format("%.3fms", d * 1e3) end
	return string.format("%.1fus", d * 1e6)
end

--- Re-renders histogram rows ({label=, count=}) at `width` columns: the
-- bars are scaled to the width left by the labels and counts, as dtrace
-- draws them (each bar is count / total of the bar width).
function M.histogram(rows, width)
	local lw, cw, total = #"value", #"count", 0
	for _, r in ipairs(rows) do
		lw = math.max(lw, #r.label)
		cw = math.max(cw, #tostring(r.count))
		if r.count > 0 then total = total + r.count end
	end
	local bw = math.max(10, (width or 60) - lw - cw - 4)
	local dash = math.max(1, (bw - #" Distribution ") // 2)
	local head = lpad("value", lw) .. "  " .. ("-"):rep(dash) .. " Distribution "
		.. ("-"):rep(math.max(1, bw - dash - #" Distribution ")) .. " count"
	local out = { head }
	for _, r in ipairs(rows) do
		local n = total > 0 and r.count > 0 and math.floor(r.count / total * bw + 0.5) or 0
		out[#out + 1] = lpad(r.label, lw) .. " |" .. ("@"):rep(n) .. (" "):rep(bw - n) .. " " .. tostring(r.count)
	end
	return out
end

--- The summary as lines, `width` columns wide (default 72).
function Acc:render(width)
	width = math.max(40, width or 72)
	local out = {}
	local c = self.counts
	out[#out + 1] = string.format("Log summary: %d lines", self.lines)
	local kinds = {}
	local names = {
		{ "dt.probe", "probe firings" }, { "dt.list", "listed probes" }, { "dt.flow", "flow lines" },
		{ "dt.agg", "aggregation rows" }, { "dt.hist_header", "histograms" }, { "dt.stack", "stack frames" },
		{ "dt.columns", "printf rows" }, { "dt.timed", "timed lines" }, { "dt.error", "dtrace errors" },
		{ "dt.drop", "drop reports" }, { "k.oops", "kernel reports" }, { "k.panic", "panics" },
		{ "k.frame", "kernel frames" }, { "k.msg", "kernel messages" },
	}
	for _, kn in ipairs(names) do
		if c[kn[1]] then kinds[#kinds + 1] = string.format("%s %d", kn[2], c[kn[1]]) end
	end
	if #kinds > 0 then
		-- "Contains: a 1, b 2, ..." wrapped at the width.
		local line = "Contains:"
		for i, k in ipairs(kinds) do
			local piece = " " .. k .. (i < #kinds and "," or "")
			if #line + #piece > width then
				out[#out + 1] = line
				line = " "
			end
			line = line .. piece
		end
		out[#out + 1] = line
	end
	if self.nerrors > 0 then out[#out + 1] = string.format("Errors: %d", self.nerrors) end
	table_lines(out, "Probes (FUNCTION:NAME)", self.probes, self.nprobe, width)
	table_lines(out, "Functions", self.funcs, self.nprobe + (c["dt.flow"] or 0) // 2, width)
	table_lines(out, "CPUs", self.cpus, self.nprobe, width)
	local trows = {}
	for k, r in pairs(self.times) do
		if r.n > 0 then trows[#trows + 1] = { k = k, r = r } end
	end
	table.sort(trows, function(a, b)
		if a.r.n ~= b.r.n then return a.r.n > b.r.n end
		return a.k < b.k
	end)
	if #trows > 0 then
		out[#out + 1] = ""
		out[#out + 1] = "Time between firings (n, min, avg, max)"
		for i = 1, math.min(TOP, #trows) do
			local r = trows[i].r
			out[#out + 1] = string.format("  %s  %d  %s  %s  %s", clip(trows[i].k, width - 40), r.n,
				fmt_time(r.min), fmt_time(r.sum / r.n), fmt_time(r.max))
		end
	end
	if #self.gaps > 0 and self.gaps[1].d > 0 then
		out[#out + 1] = ""
		out[#out + 1] = "Longest pauses between kernel messages"
		for _, g in ipairs(self.gaps) do
			out[#out + 1] = string.format("  %10s before line %d", fmt_time(g.d), g.line)
		end
	end
	if #self.reports > 0 then
		out[#out + 1] = ""
		out[#out + 1] = "Kernel reports"
		for _, rep in ipairs(self.reports) do
			-- A report still being read (a followed log) is named as it is.
			local r = rep.rep or C.kernel_reports(rep.lines, C.classify(rep.lines), 1)[1] or { title = "?" }
			local extra = {}
			if r.taint and #r.taint > 0 then extra[#extra + 1] = "taint " .. table.concat(r.taint, "") end
			if r.modules then extra[#extra + 1] = #r.modules .. " modules" end
			if r.comm then extra[#extra + 1] = "comm " .. r.comm end
			out[#out + 1] = clip(string.format("  line %d: %s%s", rep.line, r.title,
				#extra > 0 and ("  (" .. table.concat(extra, ", ") .. ")") or ""), width * 2)
		end
	end
	if #self.errors > 0 then
		out[#out + 1] = ""
		out[#out + 1] = "Errors" .. (self.nerrors > #self.errors and string.format(" (first %d of %d)", #self.errors, self.nerrors) or "")
		for _, e in ipairs(self.errors) do
			out[#out + 1] = clip(string.format("  %6d  %s", e.line, (e.text:gsub("^%s+", ""))), width)
		end
	end
	if #self.stacks > 0 then
		local st = {}
		for _, x in ipairs(self.stacks) do st[#st + 1] = x end
		table.sort(st, function(a, b)
			if a.count ~= b.count then return a.count > b.count end
			return a.line < b.line
		end)
		out[#out + 1] = ""
		out[#out + 1] = "Stacks by count (key: top frame)"
		for i = 1, math.min(TOP, #st) do
			local x = st[i]
			out[#out + 1] = clip(string.format("  %8d  %s%s", x.count, x.head ~= "" and (x.head .. ": ") or "", x.top or "?"), width)
		end
	end
	for _, blk in ipairs(self.aggs) do
		local rows = {}
		for _, r in ipairs(blk.rows) do rows[#rows + 1] = r end
		table.sort(rows, function(a, b) return (a.value or 0) > (b.value or 0) end)
		if #rows > 1 then
			out[#out + 1] = ""
			out[#out + 1] = string.format("Aggregation at line %d, by value", blk.first)
			for i = 1, math.min(TOP, #rows) do
				local key = rows[i].key ~= "" and rows[i].key or "(no key)"
				out[#out + 1] = "  " .. pad(clip(key, width - 16), width - 16) .. lpad(tostring(rows[i].value), 12)
			end
			if #rows > TOP then out[#out + 1] = string.format("  ... %d more", #rows - TOP) end
		end
	end
	for _, h in ipairs(self.hists) do
		if #h.rows > 0 then
			out[#out + 1] = ""
			out[#out + 1] = string.format("Histogram at line %d%s", h.line, h.key ~= "" and (": " .. clip(h.key, width - 30)) or "")
			for _, l in ipairs(M.histogram(h.rows, width - 2)) do out[#out + 1] = "  " .. l end
		end
	end
	return out
end

--- Feeds buffer b's lines from line `first` (default 1) to the
-- accumulator: each line that starts a run in Lua, the rest of the run
-- counted in C (reader:tally), so a log of millions of lines is summed up in
-- seconds. Runs in slices (logview.util.sliced); done(last line) at the
-- end. Returns a handle whose :cancel() stops it. opts.complete: leave out
-- a last line without its newline yet (a followed log's).
function Acc:feed(b, first, done, opts)
	local last = util.line_count(b)
	if opts and opts.complete and last > 0 and b:byte(b:len() - 1) ~= 10 then last = last - 1 end
	return util.sliced(function()
		local n = first or 1
		local rd = b:reader(n > 1 and b:line_start(n) or 0)
		while n <= last do
			util.tick()
			local s = rd:line()
			if not s then break end -- the log was cut meanwhile
			local k = self:add(s, n)
			n = n + 1
			local sp = n <= last and self:run_spec(k)
			if sp then
				-- A run never goes past `last`: a partial last line is not read.
				sp.max = math.min(RUN_MAX, last - n + 1)
				local r = rd:tally(sp)
				if r.lines > 0 then
					n = n + r.lines
					self:add_run(k, r, r.last)
				end
			end
		end
		self:finish()
		return last
	end, function(ok, res)
		if not ok then error(res, 0) end
		if done then done(res) end
	end)
end

--- Summary of an array of lines, in one call.
function M.build(lines, opts)
	local acc = M.new()
	for n, s in ipairs(lines) do acc:add(s, n) end
	acc:finish()
	return acc:render(opts and opts.width)
end

return M
