-- The log viewer measured on real logs (brisk --headless -l): each kernel
-- report's headline against syzkaller's own TITLE (or an ALT), and
-- whether each DTraceToolkit example is recognized as dtrace, the way
-- log-info sees them (a log buffer; logview.info).
--
--   brisk --headless -l tests/corpus/logs.lua KERNEL_DIR DTRACE_DIR [--halves] [--strict] [--misses N]
--
-- A kernel file starts with syzkaller's expected result (TITLE:, ALT:,
-- CORRUPTED: ... lines, "#" comments, then a blank line): it is taken
-- off before the log is read. No TITLE (or an empty one) means no crash:
-- then no headline is right. Prints the agreement for clean reports,
-- corrupted ones and logs without a crash, and the dtrace recognition
-- rate; --halves also for the files whose names sort into the first and
-- the second half; --strict exits 1 on any miss (a smoke test over
-- fixtures that all pass); --misses N lists the first N misses.
local logview = require("logview")

local kdir, ddir = arg[1], arg[2]
local halves, strict, show = false, false, 0
local i = 3
while arg[i] do
	if arg[i] == "--halves" then halves = true
	elseif arg[i] == "--strict" then strict = true
	elseif arg[i] == "--misses" then show = tonumber(arg[i + 1]) or 10; i = i + 1
	end
	i = i + 1
end
if not kdir or not ddir then
	io.stderr:write("usage: logs.lua KERNEL_DIR DTRACE_DIR [--halves] [--strict] [--misses N]\n")
	os.exit(2)
end

local read_file = require("logview.util").read_file
local function read(path) return assert(read_file(path)) end

-- The header (its fields) and the log after it.
local function split_header(data)
	local h, pos = { ALT = {} }, 1
	while pos <= #data do
		local e = data:find("\n", pos, true) or #data + 1
		local line = data:sub(pos, e - 1)
		if line:sub(1, 1) == "#" then
			pos = e + 1
		elseif line:match("^[A-Z]+:") then
			local k, v = line:match("^([A-Z]+):(.*)$")
			v = v:match("^%s*(.-)%s*$")
			if k == "ALT" then h.ALT[#h.ALT + 1] = v elseif h[k] == nil then h[k] = v end
			pos = e + 1
		else
			break
		end
	end
	if data:sub(pos, pos) == "\n" then pos = pos + 1 end
	return h, data:sub(pos)
end

-- What log-info says of a text: format and headline.
local function info_of(name, text)
	local b = brisk.scratch("*corpus: " .. name .. "*", { undo = false })
	b:insert(0, text)
	b:mode("log")
	local info = logview.info(b)
	b:close()
	return info.format, info.report and info.report.title
end

local function files_of(dir)
	local t = assert(brisk.list_dir(dir))
	table.sort(t)
	return t
end

local misses, nmiss = {}, 0
local function miss(s)
	nmiss = nmiss + 1
	if #misses < show then misses[#misses + 1] = s end
end

-- Kernel: {clean = {ok, n}, corrupted = ..., none = ...} per part.
local function new_stats() return { clean = { 0, 0 }, corrupted = { 0, 0 }, none = { 0, 0 }, dtrace = { 0, 0 } } end
local all, first, second = new_stats(), new_stats(), new_stats()
local function count(part, cat, good)
	for _, st in ipairs({ all, part }) do
		st[cat][2] = st[cat][2] + 1
		if good then st[cat][1] = st[cat][1] + 1 end
	end
end

local kfiles = files_of(kdir)
for k, fn in ipairs(kfiles) do
	local h, log = split_header(read(kdir .. "/" .. fn))
	local fmt, head = info_of(fn, log)
	local want = h.TITLE ~= "" and h.TITLE or nil
	local good
	if want then
		good = head == want
		for _, a in ipairs(h.ALT) do good = good or head == a end
	else
		good = head == nil and fmt ~= nil
	end
	local cat = not want and "none" or (h.CORRUPTED or ""):match("^Y") and "corrupted" or "clean"
	count(k <= #kfiles // 2 and first or second, cat, good)
	if not good then miss(("%s: want %q, got %q"):format(fn, tostring(want), tostring(head))) end
end

local dfiles = files_of(ddir)
for k, fn in ipairs(dfiles) do
	local fmt = info_of(fn, read(ddir .. "/" .. fn))
	count(k <= #dfiles // 2 and first or second, "dtrace", fmt == "dtrace")
	if fmt ~= "dtrace" then miss(("%s: format %s, not dtrace"):format(fn, tostring(fmt))) end
end

local function pct(p) return p[2] > 0 and 100 * p[1] / p[2] or 100 end
local function figures(label, st)
	print(("%skernel headlines: %.1f%% of %d clean, %.1f%% of %d corrupted, %.1f%% of %d without a crash; dtrace recognized %.1f%% of %d")
		:format(label, pct(st.clean), st.clean[2], pct(st.corrupted), st.corrupted[2], pct(st.none), st.none[2],
			pct(st.dtrace), st.dtrace[2]))
end
for _, m in ipairs(misses) do print("  miss: " .. m) end
if halves then
	figures("first half:  ", first)
	figures("second half: ", second)
end
figures("", all)
if strict and nmiss > 0 then
	print(("%d miss(es)"):format(nmiss))
	os.exit(1)
end
