-- Summaries: counts per probe / function / CPU, time deltas, kernel
-- reports, histograms re-drawn at a width; the accumulator fed in pieces
-- equals one fed at once; log-summary writes a scratch buffer.
local T = assert(loadfile("tests/plugins/logview/lib.lua", "t", _ENV))()
local C = require("logview.classify")
local S = require("logview.summary")
local util = require("logview.util")

local function has_line(out, pat)
	for _, l in ipairs(out) do
		if l:find(pat) then return l end
	end
	return nil
end

local one = T.samples .. "/dtrace/toolkit-oneliners_examples.txt"
local lines = util.read_lines(one)
local r = C.classify(lines)
local want = {}
for i, k in ipairs(r.kinds) do
	if k == "dt.probe" then want[r.info[i].probe] = (want[r.info[i].probe] or 0) + 1 end
end

local out = S.build(lines, { width = 60 })
for probe, n in pairs(want) do
	local l = has_line(out, "^  " .. probe:gsub("%p", "%%%0") .. " ")
	T.ok(l and l:match("%s(%d+)%s+[%d%.]+%%$") == tostring(n), "oneliners summary: " .. probe .. " fired " .. n .. " times", l)
end
T.ok(has_line(out, "^CPUs"), "a table per CPU")
T.ok(has_line(out, "^  0%s+41 100.0%%$"), "all 41 firings on CPU 0")
T.ok(has_line(out, "^Functions"), "a table per function")
local wide = 0
for _, l in ipairs(out) do wide = math.max(wide, #l) end
T.ok(wide <= 60, "every line fits in 60 columns", wide)
T.ok(has_line(out, "^Histogram at line %d+: gnome%-terminal"), "histograms listed with their key")
T.ok(has_line(out, "^Aggregation at line %d+, by value"), "aggregations re-sorted by value")
local last_agg
for i, l in ipairs(out) do
	if l:find("^Aggregation at line") then last_agg = i end
end
T.ok(last_agg and out[last_agg + 1]:find("genunix%s+10023$") and out[last_agg + 2]:find("unix%s+6347$"),
	"the biggest value first", last_agg and out[last_agg + 1])

-- Histograms re-rendered at a width.
do
	local h = r.histograms[2] -- Xorg
	local total = 0
	for _, row in ipairs(h.rows) do total = total + math.max(0, row.count) end
	for _, w in ipairs({ 40, 80 }) do
		local hl = S.histogram(h.rows, w)
		T.is(#hl, #h.rows + 1, "histogram at " .. w .. ": header and every row")
		local maxw, ats, best, bestn = 0, 0, nil, -1
		for i = 2, #hl do
			maxw = math.max(maxw, #hl[i])
			local n = select(2, hl[i]:gsub("@", "@"))
			ats = ats + n
			if n > bestn then best, bestn = i, n end
		end
		T.ok(maxw <= w, "histogram at " .. w .. ": fits", maxw)
		local bw = w - 5 - 5 - 4
		T.ok(math.abs(ats - bw) <= #h.rows, "histogram at " .. w .. ": bars add up to the bar width", ats .. " vs " .. bw)
		local maxc = 0
		for _, row in ipairs(h.rows) do maxc = math.max(maxc, row.count) end
		T.ok(h.rows[best - 1].count == maxc, "histogram at " .. w .. ": the longest bar is the biggest count")
		T.ok(hl[2]:find("^ *%-1 |") and hl[#hl]:find("^ *512 |") and hl[#hl - 1]:find(" 4$"),
			"histogram at " .. w .. ": labels and counts kept", hl[#hl])
	end
end

-- Incremental: in two pieces, the same summary.
do
	local a, b = S.new(), S.new()
	for n, s in ipairs(lines) do a:add(s, n) end
	for n = 1, 100 do b:add(lines[n], n) end
	local mid = b:render(60)
	for n = 101, #lines do b:add(lines[n], n) end
	T.is(table.concat(a:render(60), "\n"), table.concat(b:render(60), "\n"), "fed in two pieces: the same summary")
	T.ok(#mid > 0 and mid[1] == "Log summary: 100 lines", "a partial summary while following")
end

-- Time deltas between firings (nanosecond timestamps in the data).
do
	local gen = { "CPU     ID                    FUNCTION:NAME" }
	for i = 0, 99 do
		gen[#gen + 1] = string.format("%3d %6d %32s %d", i % 2, 1234, i % 4 == 0 and "sys_chdir:entry" or "sys_open:entry",
			1000000000000 + i * 1000000)
	end
	local o = S.build(gen, { width = 72 })
	local l = has_line(o, "^  sys_chdir:entry  24  ")
	T.ok(l and l:find("4%.000ms  4%.000ms  4%.000ms$"), "deltas between sys_chdir firings: 4 ms", l)
	T.ok(has_line(o, "^  sys_open:entry  74  "), "deltas between sys_open firings")
	T.ok(has_line(o, "^  0%s+50%s+50%.0%%$") and has_line(o, "^  1%s+50%s+50%.0%%$"), "per CPU: 50 and 50")
end

-- Aggregated stacks, by count.
do
	local o = S.build(util.read_lines(T.samples .. "/dtrace/toolkit-putnexts_example.txt"), { width = 72 })
	local i
	for k, l in ipairs(o) do if l:find("^Stacks by count") then i = k end end
	T.ok(i and o[i + 1]:find("^%s+261  mouse8042: mouse8042`mouse8042_intr%+0x68$"), "putnexts: the busiest stack first", i and o[i + 1])
	T.ok(i and o[i + 2]:find("^%s+214  tl: "), "then the next one", i and o[i + 2])
end

-- Kernel: reports with their headline, pauses between messages.
do
	local k = util.read_lines(T.samples .. "/kernel/syzkaller-linux-report-453.txt")
	local o = S.build(k, { width = 100 })
	T.ok(has_line(o, "line 5: UBSAN: undefined%-behaviour in lkdtm_ARRAY_BOUNDS  %(taint GE, comm bash%)"),
		"kernel summary: the report's headline, taint and task")
	T.ok(has_line(o, "^Longest pauses between kernel messages"), "kernel summary: pauses")
	local s4 = S.build(util.read_lines(T.samples .. "/kernel/syzkaller-linux-report-4.txt"), { width = 100 })
	T.ok(has_line(s4, "WARNING in kvm_arch_vcpu_ioctl_run"), "report-4: headline")
	T.ok(has_line(s4, "^Errors: %d"), "report-4: error count")
end

-- The command: a scratch buffer with the summary.
do
	local b = assert(brisk.open(one))
	b:mode("log")
	b:focus()
	T.ok(brisk.command("log-summary 60"), "log-summary 60")
	local sb = brisk.buffer()
	T.is(sb:name(), "*log-summary*", "into the *log-summary* buffer")
	T.is(sb:line(1), "Log summary: " .. #lines .. " lines", "its first line")
	T.is(sb:text(), table.concat(out, "\n") .. "\n", "the same text as summary.build")
end

T.done()
