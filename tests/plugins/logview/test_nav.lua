-- Navigation (next/previous error, next/previous firing of the same
-- probe), folds, bookmarks and Up/Down over hidden lines, on real samples,
-- through the commands a user runs.
local T = assert(loadfile("tests/plugins/logview/lib.lua", "t", _ENV))()
local C = require("logview.classify")
local util = require("logview.util")

local function open_log(path)
	local b = assert(brisk.open(path))
	b:mode("log")
	b:focus()
	return b
end

local function cur(b) return b:line_of(b:cursor()) end

local function goto_line(b, n)
	local p = b:line_start(n)
	b:set_selections({ { p, p } })
end

-- The lines visited by repeating a command until it fails.
local function walk(b, cmd)
	local seen = {}
	for _ = 1, 500 do
		if not brisk.command(cmd) then break end
		seen[#seen + 1] = cur(b)
	end
	return table.concat(seen, ",")
end

local function lines_where(lines, pred)
	local out = {}
	local r = C.classify(lines)
	for i, k in ipairs(r.kinds) do
		if pred(k, r.info[i], i) then out[#out + 1] = i end
	end
	return out
end

-- ===== errors ==========================================================

local kdir = T.samples .. "/kernel"
for _, name in ipairs({ "syzkaller-linux-report-4.txt", "syzkaller-linux-report-142.txt", "syzkaller-linux-report-57.txt" }) do
	local path = kdir .. "/" .. name
	local lines = util.read_lines(path)
	local want = lines_where(lines, function(k) return C.ERRORS[k] end)
	local b = open_log(path)
	goto_line(b, 1)
	T.is(walk(b, "log-next-error"), table.concat(want, ","), name .. ": log-next-error visits every report and panic line")
	local rev = {}
	for i = #want - 1, 1, -1 do rev[#rev + 1] = want[i] end
	T.is(walk(b, "log-prev-error"), table.concat(rev, ","), name .. ": log-prev-error goes back")
	b:close()
end
do
	local b = open_log(T.samples .. "/dtrace/dtu-drops-drp.DTRACEDROP_AGGREGATION.r")
	goto_line(b, 1)
	T.ok(brisk.command("log-next-error") and cur(b) == 4, "dtrace drops: log-next-error")
	T.ok(not brisk.command("log-next-error"), "no error below: the command fails")
	b:close()
	b = open_log(T.samples .. "/dtrace/dtu-pointers-err.InvalidAddress3.r")
	goto_line(b, 1)
	T.ok(brisk.command("log-next-error") and cur(b) == 3, "dtrace error on enabled probe: log-next-error")
	b:close()
end
do
	-- Errors hidden by a filter are skipped.
	local path = kdir .. "/syzkaller-linux-report-4.txt"
	local b = open_log(path)
	goto_line(b, 1)
	brisk.command("log-filter-out WARNING")
	brisk.command("log-next-error")
	T.ok(b:line(cur(b)):find("Kernel panic"), "a filtered-out error is skipped", b:line(cur(b)))
	brisk.command("log-filter-clear")
	b:close()
end

-- ===== same probe ======================================================

do
	local path = T.samples .. "/dtrace/toolkit-oneliners_examples.txt"
	local lines = util.read_lines(path)
	local b = open_log(path)
	for _, probe in ipairs({ "open:entry", "bdev_strategy:start", "sigtoproc:signal-send" }) do
		local want = lines_where(lines, function(k, info) return k == "dt.probe" and info.probe == probe end)
		goto_line(b, want[1])
		local got = walk(b, "log-next-firing")
		T.is(got, table.concat(want, ",", 2), "oneliners: log-next-firing walks every " .. probe)
		local back = walk(b, "log-prev-firing")
		local rev = {}
		for i = #want - 1, 1, -1 do rev[#rev + 1] = want[i] end
		T.is(back, table.concat(rev, ","), "oneliners: log-prev-firing walks back over " .. probe)
	end
	goto_line(b, 1)
	T.ok(not brisk.command("log-next-firing"), "not on a probe: log-next-firing fails")
	b:close()
end
do
	local path = T.samples .. "/dtrace/dtu-options-tst.flowindent.x86_64.r"
	local lines = util.read_lines(path)
	local want = lines_where(lines, function(k, info) return k == "dt.flow" and info.func == "read" end)
	local b = open_log(path)
	goto_line(b, 1)
	T.is(walk(b, "log-next-firing"), table.concat(want, ",", 2), "flowindent: next firing of 'read' (entries and returns)")
	b:close()
end
do
	local b = open_log(T.samples .. "/dtrace/dtu-stack-tst.stack_fbt.x86_64.r")
	local nav = require("logview.nav")
	local _, what = nav.same_pattern(b, 3)
	T.is(what, "__vfs_write:entry", "stack_fbt: a header-less probe line (FUNCTION:NAME only) is a firing")
	b:close()
end

-- ===== folds ===========================================================

do
	local path = T.samples .. "/dtrace/toolkit-putnexts_example.txt"
	local lines = util.read_lines(path)
	local r = C.classify(lines)
	local b = open_log(path)
	local blk = r.blocks[1]
	goto_line(b, blk.first + 2)
	T.ok(brisk.command("log-fold"), "log-fold on a stack frame")
	T.is(cur(b), blk.first, "the cursor goes to the fold's first line")
	T.ok(b:shown(blk.first) and not b:shown(blk.first + 1) and not b:shown(blk.last) and b:shown(blk.last + 1),
		"the frames hide, the line above them shows")
	T.is(b:fold_end(blk.first), blk.last, "fold range")
	brisk.command("write-visible " .. T.tmp .. "/fold.out")
	T.is(T.read(T.tmp .. "/fold.out"), T.read(path), "folds do not change write-visible")
	T.ok(brisk.command("log-fold") and b:folds() == 0, "log-fold again unfolds")
	local want = 0
	for _, x in ipairs(r.blocks) do if x.kind == "stack" then want = want + 1 end end
	T.ok(brisk.command("log-fold-all"), "log-fold-all")
	T.is(b:folds(), want, "log-fold-all folds every stack (" .. want .. ")")
	local shown = 0
	for i = 1, b:lines() do if b:shown(i) then shown = shown + 1 end end
	local hidden = 0
	for _, x in ipairs(r.blocks) do if x.kind == "stack" then hidden = hidden + x.last - x.first end end
	T.is(shown, b:lines() - hidden, "every frame hidden, every other line shown")
	-- Up/Down step over folds and filters.
	goto_line(b, blk.first)
	brisk.keys("<Down>")
	T.is(cur(b), b:next_shown(blk.first + 1), "Down skips a folded stack")
	brisk.keys("<Up>")
	T.is(cur(b), blk.first, "Up comes back to the fold's line")
	T.ok(brisk.command("log-unfold-all") and b:folds() == 0, "log-unfold-all")
	b:close()
end
do
	local path = kdir .. "/syzkaller-linux-report-112.txt"
	local lines = util.read_lines(path)
	local b = open_log(path)
	local trace
	for i, l in ipairs(lines) do if l:find("Call Trace:") then trace = i break end end
	goto_line(b, trace + 2)
	brisk.command("log-fold")
	T.ok(cur(b) == trace and b:fold_end(trace) == trace + 4, "a kernel Call Trace folds under its header", b:fold_end(trace))
	goto_line(b, 6)
	brisk.command("log-fold")
	local e = b:fold_end(6)
	T.ok(e and lines[e]:find("end trace"), "the oops report folds from its headline to its end marker", e)
	T.ok(not b:shown(trace) and b:next_shown(7) == e + 1, "the outer fold hides the inner one")
	brisk.command("log-unfold-all")
	brisk.command("log-fold-all oops")
	T.is(b:folds(), 1, "log-fold-all oops")
	goto_line(b, 2)
	T.ok(not brisk.command("log-fold") or b:folds() == 1, "nothing to fold on a plain line")
	b:close()
end

-- ===== bookmarks =======================================================

do
	local b = open_log(kdir .. "/syzkaller-linux-report-70.txt")
	goto_line(b, 20)
	brisk.command("log-bookmark")
	goto_line(b, 8)
	brisk.command("log-bookmark")
	goto_line(b, 1)
	T.ok(brisk.command("log-next-bookmark") and cur(b) == 8, "next bookmark")
	T.ok(brisk.command("log-next-bookmark") and cur(b) == 20, "next bookmark again")
	T.ok(brisk.command("log-next-bookmark") and cur(b) == 8, "next bookmark wraps around")
	T.ok(brisk.command("log-prev-bookmark") and cur(b) == 20, "previous bookmark wraps around")
	brisk.command("log-bookmark")
	goto_line(b, 1)
	brisk.command("log-next-bookmark")
	T.ok(cur(b) == 8 and brisk.command("log-next-bookmark") and cur(b) == 8, "a removed bookmark is gone")
	b:close()
end

-- ===== filters and the cursor ==========================================

do
	local path = T.samples .. "/dtrace/toolkit-newproc_example.txt"
	local b = open_log(path)
	goto_line(b, 1)
	T.ok(brisk.command("log-filter-in exec_common:exec-success"), "filter in")
	T.is(cur(b), 6, "the cursor moves to the first shown line")
	brisk.keys("<Down>")
	T.is(cur(b), 7, "Down: next shown line")
	T.ok(brisk.command("log-filter-cpu 0"), "log-filter-cpu")
	local shown = b:filter_stats()
	T.is(shown, 10, "CPU 0 and exec-success: 10 lines (rules in: any)")
	brisk.command("log-filter-clear")
	goto_line(b, 8)
	T.ok(brisk.command("log-filter-probe"), "log-filter-probe: the probe under the cursor")
	T.is((b:filter_stats()), 10, "10 firings of exec_common:exec-success")
	T.ok(not brisk.command("log-filter-in ("), "a bad regex fails")
	T.is(#b:filter_rules(), 1, "and adds no rule")
	b:close()
end

T.done()
