-- Format recognition over every sample in tests/data/dtrace and
-- tests/data/kernel: each file is recognized as what it is. A sample
-- without an expectation here fails, so new samples get one.
local T = assert(loadfile("tests/plugins/logview/lib.lua", "t", _ENV))()
local C = require("logview.classify")
local util = require("logview.util")

-- file -> formats that must be recognized (classify(...).formats keys),
-- and optional checks of its lines.
local DTRACE = {
	["dtu-aggs-tst.llquantize_basic.r"] = { "llquantize" },
	["dtu-aggs-tst.neglquant.r"] = { "lquantize" },
	["dtu-drops-drp.DTRACEDROP_AGGREGATION.r"] = { "drops", "aggregation" },
	["dtu-dtrace-util-tst.ListProbesName.r"] = { "listing" },
	["dtu-multiaggs-tst.many.r"] = { "aggregation", "quantize" },
	["dtu-options-tst.flowindent.x86_64.r"] = { "flow" },
	["dtu-pointers-err.InvalidAddress3.r"] = { "error" },
	["dtu-printa-tst.basics.r"] = { "aggregation", "quantize" },
	["dtu-stack-tst.stack_fbt.x86_64.r"] = { "probes", "stack" },
	["dtu-ustack-tst.ustack_profile.r"] = { "stack" },
	["toolkit-bitesize_example.txt"] = { "quantize" },
	["toolkit-cpudists_example.txt"] = { "quantize" },
	["toolkit-crash_example.txt"] = { "stack" },
	["toolkit-dapptrace_example.txt"] = { "flow" },
	["toolkit-errinfo_example.txt"] = { "printf" },
	["toolkit-execsnoop_example.txt"] = { "printf" },
	["toolkit-hotkernel_example.txt"] = { "printf", "stack" },
	["toolkit-iosnoop_example.txt"] = { "printf" },
	["toolkit-iotop_example.txt"] = { "printf" },
	["toolkit-newproc_example.txt"] = { "probes" },
	["toolkit-oneliners_examples.txt"] = { "probes", "aggregation", "quantize" },
	["toolkit-pridist_example.txt"] = { "lquantize" },
	["toolkit-procsystime_example.txt"] = { "aggregation" },
	["toolkit-putnexts_example.txt"] = { "stack" },
}

-- Kernel samples: formats beyond the headline, which comes from the
-- syzkaller header (TITLE or one of the ALTs).
local KERNEL = {
	["syzkaller-linux-report-0.txt"] = { "oops", "registers", "modules" },
	["syzkaller-linux-report-112.txt"] = { "oops", "call_trace", "registers" },
	["syzkaller-linux-report-142.txt"] = { "oops", "call_trace" },
	["syzkaller-linux-report-157.txt"] = { "oops", "call_trace" },
	["syzkaller-linux-report-183.txt"] = { "oops", "call_trace", "modules" },
	["syzkaller-linux-report-238.txt"] = { "oops", "registers" },
	["syzkaller-linux-report-26.txt"] = { "oops", "call_trace" },
	["syzkaller-linux-report-4.txt"] = { "oops", "call_trace" },
	["syzkaller-linux-report-44.txt"] = { "oops", "call_trace", "registers" },
	["syzkaller-linux-report-453.txt"] = { "oops", "call_trace" },
	["syzkaller-linux-report-57.txt"] = { "oops", "call_trace" },
	["syzkaller-linux-report-626.txt"] = { "oops", "call_trace" },
	["syzkaller-linux-report-65.txt"] = { "oops", "call_trace", "modules" },
	["syzkaller-linux-report-70.txt"] = { "oops", "call_trace" },
}

local function load(path)
	local lines = assert(util.read_lines(path))
	return lines, C.classify(lines)
end

local function has_all(r, want)
	local missing = {}
	for _, f in ipairs(want) do
		if not r.formats[f] then missing[#missing + 1] = f end
	end
	local got = {}
	for k in pairs(r.formats) do got[#got + 1] = k end
	table.sort(got)
	return #missing == 0, "missing " .. table.concat(missing, ",") .. "; got " .. table.concat(got, ",")
end

local function count_kind(r, kind)
	return r.counts[kind] or 0
end

local function first_of(r, kind)
	for i, k in ipairs(r.kinds) do
		if k == kind then return i, r.info[i] end
	end
end

-- ===== dtrace ==========================================================

local dir, names = T.sample_files("dtrace")
T.is(#names, 24, "24 dtrace samples")
for _, name in ipairs(names) do
	local want = DTRACE[name]
	if not T.ok(want ~= nil, "dtrace/" .. name .. " has an expectation") then goto continue end
	local _, r = load(dir .. "/" .. name)
	T.is(r.format, "dtrace", name .. ": a dtrace log")
	T.ok(has_all(r, want), name .. ": " .. table.concat(want, ", "), select(2, has_all(r, want)))
	::continue::
end
for name in pairs(DTRACE) do
	T.ok(io.open(dir .. "/" .. name) ~= nil, "sample present: dtrace/" .. name)
end

-- Line-level checks: what each recognized line says.
do
	local _, r = load(dir .. "/toolkit-newproc_example.txt")
	T.is(count_kind(r, "dt.probe"), 10, "newproc: 10 probe firings")
	local _, p = first_of(r, "dt.probe")
	T.ok(p.cpu == 0 and p.id == 3297 and p.probe == "exec_common:exec-success" and p.data == "man ls",
		"newproc: CPU, ID, FUNCTION:NAME and trace() data of a firing")
	T.is(count_kind(r, "dt.header"), 1, "newproc: the CPU ID FUNCTION:NAME header")
end
do
	local _, r = load(dir .. "/dtu-drops-drp.DTRACEDROP_AGGREGATION.r")
	local _, d = first_of(r, "dt.drop")
	T.ok(d and d.drops == 3 and d.what == "aggregation", "drops: 3 aggregation drops")
end
do
	local _, r = load(dir .. "/dtu-pointers-err.InvalidAddress3.r")
	local _, e = first_of(r, "dt.error")
	T.ok(e and e.id == 3 and e.probe == "ID 1: dtrace:::BEGIN" and e.message:find("invalid address"),
		"error: enabled probe ID 3, its description and the message", e and e.message)
	T.is(count_kind(r, "dt.stderr"), 1, "error: the stderr marker")
end
do
	local _, r = load(dir .. "/dtu-dtrace-util-tst.ListProbesName.r")
	T.is(count_kind(r, "dt.list_header"), 14, "dtrace -l: 14 headers")
	T.is(count_kind(r, "dt.list"), 41, "dtrace -l: 41 probes")
	local _, l = first_of(r, "dt.list")
	T.ok(l.provider == "dtrace" and l.name == "BEGIN", "dtrace -l: provider and name", l.provider .. " " .. tostring(l.name))
	T.is(count_kind(r, "dt.error"), 3, "dtrace -l: 3 'failed to match' errors")
end
do
	local _, r = load(dir .. "/dtu-options-tst.flowindent.x86_64.r")
	local entries, returns = 0, 0
	for i, k in ipairs(r.kinds) do
		if k == "dt.flow" then
			if r.info[i].dir == "entry" then entries = entries + 1 else returns = returns + 1 end
		end
	end
	T.ok(entries == 40 and returns == 40, "flowindent: 40 entries and 40 returns", entries .. "/" .. returns)
end
do
	local _, r = load(dir .. "/dtu-stack-tst.stack_fbt.x86_64.r")
	T.is(count_kind(r, "dt.stack"), 5, "stack(): 5 frames")
	local _, f = first_of(r, "dt.stack")
	T.ok(f.module == "vmlinux" and f.func == "__vfs_write", "stack(): module`function")
	T.is(#r.blocks, 1, "stack(): one fold target")
	T.ok(r.blocks[1] and r.blocks[1].first == 3 and r.blocks[1].last == 8, "stack(): folds under its probe line")
end
do
	local _, r = load(dir .. "/toolkit-putnexts_example.txt")
	local stacks = 0
	for _, b in ipairs(r.blocks) do if b.kind == "stack" then stacks = stacks + 1 end end
	T.is(stacks, count_kind(r, "dt.stack_count"), "putnexts: one fold target per aggregated stack")
end
do
	local _, r = load(dir .. "/dtu-aggs-tst.llquantize_basic.r")
	local h = r.histograms[1]
	T.ok(h and h.type == "llquantize" and #h.rows == 11 and h.rows[1].edge == "<=" and h.rows[1].value == -16
		and h.rows[1].count == 164, "llquantize: rows, edges, counts")
	T.ok(h and h.key == "basicA (steps<factor)", "llquantize: its key", h and h.key)
end
do
	local _, r = load(dir .. "/dtu-aggs-tst.neglquant.r")
	local types = {}
	for _, h in ipairs(r.histograms) do types[h.type] = (types[h.type] or 0) + 1 end
	T.is(#r.histograms, 7, "neglquant: 7 histograms")
	T.ok((types.lquantize or 0) >= 1, "neglquant: lquantize ('< 0' rows)")
	local neg
	for _, h in ipairs(r.histograms) do
		for _, row in ipairs(h.rows) do if row.count < 0 then neg = true end end
	end
	T.ok(neg, "neglquant: negative counts read")
end
do
	local _, r = load(dir .. "/toolkit-oneliners_examples.txt")
	local quant = 0
	for _, h in ipairs(r.histograms) do if h.type == "quantize" then quant = quant + 1 end end
	T.is(quant, 4, "oneliners: 4 quantize histograms")
	T.is(r.histograms[1].key, "gnome-terminal", "oneliners: histogram key")
	T.is(count_kind(r, "dt.description"), 14, "oneliners: 14 'matched N probes' lines")
	local i = first_of(r, "dt.agg")
	T.ok(r.info[i].key == "snmpd" and r.info[i].value == 1, "oneliners: count() aggregation key and value")
end
do
	local _, r = load(dir .. "/dtu-printa-tst.basics.r")
	local _, a = first_of(r, "dt.agg")
	T.ok(a.key == "@a" and a.value == 1, "printa: @a = 1")
	T.is(#r.histograms, 3, "printa: 3 histograms")
end
do
	local _, r = load(dir .. "/toolkit-crash_example.txt")
	T.is(count_kind(r, "dt.stack"), 19, "crash: ustack() and stack() frames")
end

-- ===== kernel ==========================================================

local kdir, knames = T.sample_files("kernel")
T.is(#knames, 14, "14 kernel samples")
for _, name in ipairs(knames) do
	local want = KERNEL[name]
	if not T.ok(want ~= nil, "kernel/" .. name .. " has an expectation") then goto next end
	local lines, r = load(kdir .. "/" .. name)
	T.ok(r.format == "kernel" or r.format == "mixed", name .. ": a kernel log", r.format)
	T.ok(has_all(r, want), name .. ": " .. table.concat(want, ", "), select(2, has_all(r, want)))
	local h = C.syzkaller_header(lines)
	T.ok(h.TITLE ~= nil, name .. ": has a syzkaller TITLE")
	local head = C.headline(lines, r)
	local good = head == h.TITLE
	for _, alt in ipairs(h.ALT) do good = good or head == alt end
	T.ok(good, name .. ": headline '" .. tostring(head) .. "'", "TITLE: " .. tostring(h.TITLE))
	T.ok(r.counts["k.meta"] and r.counts["k.meta"] >= 2, name .. ": the header is metadata, not log")
	::next::
end
for name in pairs(KERNEL) do
	T.ok(io.open(kdir .. "/" .. name) ~= nil, "sample present: kernel/" .. name)
end

do
	local lines, r = load(kdir .. "/syzkaller-linux-report-453.txt")
	local _, rep = C.headline(lines, r)
	T.ok(rep.tainted and table.concat(rep.taint) == "GE", "UBSAN: taint flags G and E", table.concat(rep.taint or {}))
	T.is(rep.comm, "bash", "UBSAN: the task")
end
do
	local lines, r = load(kdir .. "/syzkaller-linux-report-0.txt")
	local i, ip = first_of(r, "k.ip")
	T.ok(i == 8 and ip.func == "__memset", "report-0: IP: line and its function")
	local _, m = first_of(r, "k.modules")
	T.ok(m and #m.modules == 0, "report-0: an empty module list")
	local _, rep = C.headline(lines, r)
	T.ok(rep.corrupted, "report-0: no frame to blame: corrupted")
	local _, cut = first_of(r, "k.regs")
	T.ok(cut ~= nil or r.counts["k.regs"], "report-0: register dump lines")
	T.is(C.kernel_prefix(lines[6]), 772.918915, "report-0: dmesg timestamp read")
end
do
	local lines, r = load(kdir .. "/syzkaller-linux-report-183.txt")
	local oops
	for _, b in ipairs(r.blocks) do if b.kind == "oops" then oops = b break end end
	T.ok(oops and lines[oops.first]:find("list_del corruption") and lines[oops.last]:find("end trace"),
		"report-183: the oops block runs from its headline to 'end trace'", oops and (oops.first .. "-" .. oops.last))
	local tr
	for _, b in ipairs(r.blocks) do if b.kind == "trace" then tr = b break end end
	T.ok(tr and lines[tr.first]:find("Call Trace:"), "report-183: a Call Trace fold target")
	local reps = C.kernel_reports(lines, r)
	T.is(#reps, 1, "report-183: one report (the invalid opcode line belongs to it)")
end
do
	local lines, r = load(kdir .. "/syzkaller-linux-report-142.txt")
	local reps = C.kernel_reports(lines, r)
	T.is(#reps, 2, "report-142: the WARNING and the GPF interrupting it")
	T.is(reps[2].title, "general protection fault in native_write_cr4", "report-142: the second report's headline (its RIP, as syzkaller names it)")
end
do
	local lines, r = load(kdir .. "/syzkaller-linux-report-238.txt")
	T.ok(r.counts["k.regs"] >= 5, "report-238: arm register dump", r.counts["k.regs"])
	T.ok(r.counts["k.ip"] >= 2, "report-238: PC is at / LR is at")
	local _ = lines
end

T.done()
