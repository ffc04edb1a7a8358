-- Crash headlines the syzkaller way (logview.kreport), dtrace and bpftrace
-- formats, ANSI colours in log buffers, and the summary read in runs (C)
-- against the same summary read line by line. Reads tests/data/logview
-- (fixtures copied into the repository) and texts written here.
local T = assert(loadfile("tests/plugins/logview/lib.lua", "t", _ENV))()
local C = require("logview.classify")
local R = require("logview.kreport")
local S = require("logview.summary")
local util = require("logview.util")
local logview = require("logview")

local D = "tests/data/logview"

local function kinds(text)
	local st, out = C.new(), {}
	for _, l in ipairs(T.lines_of(text)) do out[#out + 1] = (st:line(l)) end
	return out
end

local function headline(text)
	local rep = R.parse(T.lines_of(text))
	return rep and rep.title, rep
end

-- ===== kernel headlines ====================================================

T.is(headline("syzkaller login: [  62.1] Unable to handle kernel paging request at virtual address dead\n" ..
	"[  62.2] Internal error: Oops: 96000005 [#1] PREEMPT SMP\n[  62.3] pc : ext4_find_dest_de+0x10/0x200\n" ..
	"[  62.4] lr : ext4_add_entry+0x40/0x300\n[  62.5] Call trace:\n[  62.6]  ext4_find_dest_de+0x10/0x200\n" ..
	"[  62.7]  ext4_add_entry+0x40/0x300\n"),
	"BUG: unable to handle kernel paging request in ext4_find_dest_de",
	"console noise before the crash line, arm64 pc : and Call trace:")
T.is(headline("[ 1.0] hello\n[ 2.0] usb 1-1: new device\n"), nil, "no crash: no headline")
T.is(headline("[ 1.0] \27[1;31mBUG: KASAN: use-after-free in tcp_close+0x1/0x2\27[0m\n[ 1.1] Read of size 4\n" ..
	"[ 1.2] Call Trace:\n[ 1.3]  tcp_close+0x1/0x2\n[ 1.4]  inet_release+0x3/0x4\n"),
	"KASAN: use-after-free Read in tcp_close", "a coloured report: escapes are not part of it")
local title, rep = headline("[ 5.0] WARNING: possible circular locking dependency detected\n")
T.is(title, "WARNING: possible circular locking dependency detected", "a headline alone: its line, as syzkaller")
T.ok(rep and rep.corrupted, "and corrupted (no stack)")
T.is(headline("[ 9.0] BTF_INFO: 7\n[ 9.1] CAM_INFO: x\n"), nil, "INFO: glued to a name is no crash")
T.is(headline("Dec  4 15:56:11 host kern.warn kernel: [ 62.2] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2\n"), nil,
	"a syslog copy of a console line starts no report")
T.is(headline("XFS (loop0): WARNING: Reset corrupted AGFL on AG 0.\n"), nil, "a subsystem's WARNING: message is no splat")
T.is(headline("fatal error: cannot create timer\n"), nil, "fatal error: without a Go traceback")
T.is(headline("fatal error: out of memory\n\ngoroutine 1 [running]:\nruntime.throw()\n"), "go runtime error",
	"fatal error: with one")
T.is(headline("[ 7.0] WARNING: fs/jfs/jfs_dmap.c:2867 at dbAdjTree+0x454/0x4e0, CPU#0: jfsCommit/112\n" ..
	"[ 7.1] RIP: 0010:dbAdjTree+0x454/0x4e0\n[ 7.2] Call Trace:\n[ 7.3]  dbAdjTree+0x454/0x4e0\n"),
	"WARNING in dbAdjTree", "the WARNING line of Linux 6.15")
T.is(headline("[ 8.0] Oops: int3: 0000 [#1] SMP KASAN NOPTI\n[ 8.1] RIP: 0010:kmem_cache_alloc_noprof+0x83/0x3b0\n" ..
	"[ 8.2] Call Trace:\n[ 8.3]  __pmd_alloc+0x1/0x2\n"), "int3 in __pmd_alloc", "a trap named by Oops: (Linux 6.9)")
T.is(headline("[ 9.0] WARNING: [time_after(j, t)] io_uring/io_uring.c:3026 at 0x0, CPU#0: kworker/u8:0/1\n" ..
	"[ 9.1] RIP: 0010:io_ring_exit_work+0x44c/0xbc0\n"), "WARNING in io_ring_exit_work",
	"a WARNING with its condition and no function: named after RIP")
T.is(headline("[ 3.0] rust_kernel: panicked at drivers/android/binder/node.rs:877:13:\n[ 3.0] attempt to subtract with overflow\n" ..
	"[ 3.1] Call Trace:\n[ 3.2]  _RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind+0x15b/0x160\n" ..
	"[ 3.3]  _RNvNtCs9jEwPDbx20M_4core9panicking9panic_fmt+0x84/0x90\n" ..
	"[ 3.4]  _RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref+0x17e5/0x1860\n"),
	"attempt to subtract with overflow in <rust_binder::process::Process>::update_ref", "a Rust panic, its frame demangled")
do
	local D = require("logview.demangle")
	T.is(D.name("_Z8fakeNameiii"), "fakeName", "C++: a plain name")
	T.is(D.name("_ZN3foo3barEv"), "foo::bar", "C++: a nested name")
	T.is(D.name("_RNvXs1_CscPPBqWtAqum_11ashmem_rustNtB5_6AshmemNtNtCs43vyB533jt3_6kernel10miscdevice10MiscDevice4mmap"),
		"<ashmem_rust::Ashmem as kernel::miscdevice::MiscDevice>::mmap", "Rust: a trait method, back references")
	T.is(D.name("tcp_close"), nil, "not mangled")
	T.is(D.name("_RNvB99_3foo"), nil, "a bad back reference: not read")
end
T.is(R.clean_title("BUG: soft lockup - CPU#3 stuck for 22s! [syz-executor.4:1234]"),
	"BUG: soft lockup - CPU stuck for 22s! [syz-executor]", "titles: CPU numbers and pids replaced")

-- Every fixture report: the title syzkaller gave it (the corpus script
-- in its strict mode, as `make corpus` runs it on the whole corpus).
do
	local kfiles = assert(brisk.list_dir(D .. "/kernel"))
	T.ok(#kfiles >= 40, "kernel fixtures", #kfiles)
	local reps = C.kernel_reports(T.lines_of(T.read(D .. "/kernel/syzkaller-116.txt")))
	T.is(#reps, 1, "one report in a file whose header is metadata")
	T.is(reps[1] and reps[1].title, "BUG: bad unlock balance in ipmr_mfc_seq_stop", "its title")
end

-- RISC-V and powerpc traces and register dumps.
do
	local k = kinds(table.concat({
		"[ 12.1] epc : ext4_readdir+0x10/0x200", "[ 12.1]  ra : iterate_dir+0x40/0x300",
		"[ 12.1]  gp : ffffffff81e3f3f8 tp : ff60000003a10000 t0 : 0000000000000000",
		"[ 12.1] status: 0000000200000120 badaddr: 0000000000000000 cause: 000000000000000d",
		"[ 12.2] NIP:  c0000000001234a0 LR: c000000000123400 CTR: 0000000000000000",
		"[ 12.2] GPR00: c000000000123400 c00000000e7bfb50 c000000001a2e000 0000000000000000",
		"[ 12.2] NIP [c0000000001234a0] do_thing+0x20/0x80", "[ 12.2] Call Trace:",
		"[ 12.2] [c00000000e7bfb50] [c000000000123400] caller+0x40/0x90 (unreliable)",
		"[ 12.3] just a message: 12 ab",
	}, "\n"))
	T.is(table.concat(k, " "), "k.ip k.ip k.regs k.regs k.regs k.regs k.ip k.trace k.frame k.msg",
		"epc/ra, RISC-V and powerpc registers, NIP, powerpc frames")
end

-- ===== dtrace and bpftrace =================================================

do
	local k = kinds("  C    PID TIME(us)         -- CLASS.METHOD\n" ..
		"  0 311403 4789112583163    -> java/lang/Object.<clinit>\n" ..
		"  0 311403 4789112583207      <- java/lang/Object.registerNatives\n" ..
		"the raw device is simple -> read:entry, strategy, biodone\n")
	T.is(k[1], "dt.columns_header", "a header with -- and CLASS.METHOD")
	T.is(k[2], "dt.columns", "its rows are rows (the flow inside a table)")
	local k2 = kinds("  0 311403 4789112583163    -> java/lang/Object.<clinit>\n" ..
		"  0  11651  75   func_clock.html:30   func       <- getElementById\n" ..
		"the raw device is simple -> read:entry, strategy, biodone\n")
	T.ok(k2[1] == "dt.flow" and k2[2] == "dt.flow", "flow after columns (CPU, PID, time, FILE:LINE, type)")
	T.is(k2[3], "text", "an arrow in prose is no flow")
end
do
	-- " ra : " reads as k.ip without a timestamp; with one it is a plain
	-- message unless something else in it is special (k_special).
	local k = kinds("ra : 0000000000000000\n[    1.000000] ra : 0000000000000000\n" ..
		"[    5.100000] ra: the ra driver\n[    5.200000]  ra : ffffffff80001234 sp : ffffffff\n")
	T.is(table.concat(k, " "), "k.ip k.msg k.msg k.ip", "ra: k.ip untimed, k.msg timed unless a register dump")
end
do
	local k = kinds("# dtruss -p 2975\n PID/LWP    RELATIVE  ELAPSD    CPU SYSCALL(args)           = return\n" ..
		" 2975/1:      6513      51      9 sigaction(0x2, 0x8046B60, 0x8046BA0)\t\t = 0 0\n" ..
		"read(0x0, \"\\n\\0\", 0x400)\t\t = 1 0\n" ..
		"dtrace: 99 dynamic variable drops\ndtrace: 3 aggregation drops on CPU 1\n")
	T.is(table.concat(k, " "), "dt.run dt.columns_header dt.syscall dt.syscall dt.drop dt.drop",
		"dtruss: its command, header and rows; drops of every kind")
	T.ok(C.ERRORS["dt.drop"], "drops are errors for log-next-error")
end
local BPF = table.concat({
	"Attaching 1 probe...", "^C", "", "@usecs:",
	"[256, 512)             3 |@@@@                                                |",
	"[512, 1K)             10 |@@@@@@@@@@@@@@                                      |",
	"[1K, 2K)              36 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|",
	"", "@[bash]: 12", "@[sshd]: 345", "@[", "    tcp_sendmsg+1", "    sock_sendmsg+62", "]: 88",
	"@lat:", "(..., 0)               1 |@@                                                  |",
	"[0, 5)                 3 |@@@@@                                               |",
	"[100, ...)             1 |@@                                                  |",
}, "\n")
do
	local r = C.classify(T.lines_of(BPF))
	T.is(r.format, "dtrace", "bpftrace output is of the dtrace family")
	T.ok(r.formats.bpftrace and r.formats.hist and r.formats.lhist and r.formats.aggregation and r.formats.stack,
		"bpftrace: maps, hist, lhist, a stack key")
	T.ok(#r.histograms == 2 and r.histograms[1].key == "@usecs" and r.histograms[1].rows[3].value == 1024,
		"histograms named by their map, 1K read as 1024")
	local folds = {}
	for _, b in ipairs(r.blocks) do folds[#folds + 1] = b.kind .. ":" .. b.first .. "-" .. b.last end
	T.is(table.concat(folds, " "), "histogram:4-7 stack:11-14 histogram:15-18", "folds: both histograms and the stack")
	local out = table.concat(S.build(T.lines_of(BPF), { width = 50 }), "\n")
	T.ok(out:find("Histogram at line 4: @usecs", 1, true) and out:find("[1K, 2K) |", 1, true),
		"summary: the histogram re-drawn at the width")
end

-- Every dtrace fixture (flows, Title Case headers, printf("%Y"), sessions).
for _, fn in ipairs(assert(brisk.list_dir(D .. "/dtrace"))) do
	T.is(C.classify(T.lines_of(T.read(D .. "/dtrace/" .. fn))).format, "dtrace", fn .. ": dtrace")
end

-- ===== ANSI colours ========================================================

do
	T.is(brisk.ansi.strip("\27[1;31merror\27[0m: \27]0;t\7x"), "error: x", "brisk.ansi.strip")
	local spans, st = brisk.ansi.spans("ab\27[31mred\27[1mbold\27[0m plain \27[38;5;208mo", 0)
	T.ok(#spans == 3 and spans[1][1] == 8 and spans[1][2] == 10 and spans[1].fg == 1
		and spans[2].bold and spans[2].fg == 1 and spans[3].fg == 208, "spans: red, bold red, 256 colours", #spans)
	T.ok(st ~= 0, "the style in force at the end is the state")
	local s2 = brisk.ansi.spans("carried on", st)
	T.ok(#s2 == 1 and s2[1][1] == 1 and s2[1][2] == 10 and s2[1].fg == 208, "the next line starts in it")
	local s3 = brisk.ansi.spans("\27[38;2;0;200;0mg\27[48;2;255;0;0mr", 0)
	T.ok(s3[1].fg == 40 and s3[2].bg == 196, "24-bit colours: the nearest of the palette")
end
do
	local path = T.tmp .. "/ansi.log"
	local f = assert(io.open(path, "wb"))
	f:write("plain\n\27[31mzebra red\27[0m and after\n\27[1;32mquokka\27[0m\n\27[\n")
	f:close()
	local b = assert(brisk.open(path))
	b:mode("log")
	T.ok(b:hide_escapes(), "a log view hides escape sequences")
	T.ok(brisk.command("write-visible " .. T.tmp .. "/wv.txt"), "write-visible")
	T.is(T.read(T.tmp .. "/wv.txt"), "plain\nzebra red and after\nquokka\n\27[\n",
		"written without the sequences (a cut one stays)")
	T.ok(brisk.command("log-raw"), "log-raw")
	T.ok(not b:hide_escapes(), "log-raw shows them")
	brisk.command("write-visible " .. T.tmp .. "/wv2.txt")
	T.is(T.read(T.tmp .. "/wv2.txt"), T.read(path), "raw: written as they are")
	brisk.command("log-raw")
	T.ok(b:hide_escapes(), "log-raw again: colours")
	local info = logview.info(b)
	T.is(info.format, "text", "log-info reads the text without its escapes")
	b:close()
end

-- ===== the summary in runs ==================================================

-- The same summary, read in runs through b:tally or line by line.
local function same_summary(path, name)
	local lines = util.read_lines(path)
	local want = table.concat(S.build(lines, { width = 72 }), "\n")
	local b = assert(brisk.open(path))
	local acc = S.new()
	return function(k)
		acc:feed(b, 1, function()
			T.is(table.concat(acc:render(72), "\n"), want, "summary in runs = line by line: " .. name)
			b:close()
			k()
		end)
	end
end

-- A log of every shape the runs read, long enough for many runs.
local function synth(path)
	local f = assert(io.open(path, "wb"))
	local fns = { "read", "write", "open", "close" }
	for blk = 1, 40 do
		f:write("CPU     ID                    FUNCTION:NAME\n")
		for i = 1, 50 do
			f:write(("%3d %6d %24s %d\n"):format(i % 4, 100 + i % 7, "sys_" .. fns[i % 4 + 1] .. ":entry",
				1394000000000000000 + blk * 100000 + i * 37 * (i % 3)))
		end
		f:write("\nTIME(ns)            PID    TID COMM  FD PATH\n")
		for i = 1, 30 do f:write(("%-18d %6d %6d bash  %3d /etc/passwd\n"):format(1000000000 + i, i, i, i % 9)) end
		f:write("\nCPU FUNCTION\n")
		for i = 1, 20 do f:write(("%3d  %s%s %s\n"):format(i % 2, ("  "):rep(i % 3), i % 2 == 0 and "->" or "<-", fns[i % 4 + 1])) end
		f:write("\n              vmlinux`vfs_read+0x1f\n              vmlinux`sys_read+0x20\n           " .. blk .. "\n\n")
		for i = 1, 25 do f:write(("[%5d.%06d] message %d\n"):format(blk * 10 + i, (i * 7919) % 1000000, i)) end
		if blk % 9 == 0 then
			f:write(("[%5d.000000] BUG: unable to handle kernel NULL pointer dereference at 0000000000000010\n"):format(blk * 10 + 30))
			f:write(("[%5d.000001] RIP: 0010:vfs_read+0x1f/0x80\n"):format(blk * 10 + 30))
		end
		f:write("dtrace: 12 drops on CPU 1\n\n")
	end
	f:close()
end

local steps = {}
for _, sub in ipairs({ "kernel", "dtrace" }) do
	for _, fn in ipairs(assert(brisk.list_dir(D .. "/" .. sub))) do
		steps[#steps + 1] = same_summary(D .. "/" .. sub .. "/" .. fn, fn)
	end
end
synth(T.tmp .. "/synth.log")
steps[#steps + 1] = same_summary(T.tmp .. "/synth.log", "a synthetic log of every run")
steps[#steps + 1] = function(k)
	local b = assert(brisk.open(T.tmp .. "/synth.log"))
	T.ok(not pcall(b.tally, b, 0, {}), "b:tally without re: an error")
	T.ok(not pcall(b.tally, b, b:len() + 1, { re = brisk.regex.new(".") }), "b:tally past the end: an error")
	local r = b:tally(0, { re = brisk.regex.new("^CPU"), max = 10 })
	T.ok(r.lines == 1 and r.next == b:line_start(2), "b:tally: one line, next is the next line's offset")
	T.is(r.last, b:line(1), "b:tally: the run's last line")
	local r2 = b:tally(b:line_start(2), { re = brisk.regex.new("^ *\\d"), stop = { brisk.regex.new("nothing"), brisk.regex.new("sys_close") } })
	T.ok(r2.lines == 2 and r2.next == b:line_start(4), "b:tally: a list of stop patterns", r2.lines)
	T.ok(b:line(4):find("sys_close"), "the run ends before the line a stop pattern matches")
	b:close()
	k()
end
-- b:reader: the lines in order, runs counted on the way.
steps[#steps + 1] = function(k)
	local path = T.tmp .. "/reader.log"
	local f = assert(io.open(path, "wb"))
	f:write("head\n1 a\n2 b\n3 c\ntail\nno newline")
	f:close()
	local b = assert(brisk.open(path))
	local rd = b:reader()
	T.is(rd:line(), "head", "reader: the first line")
	T.is(rd:offset(), 5, "reader: where the next line starts")
	local r = rd:tally({ re = brisk.regex.new("^(\\d) (\\w)$"), keys = { 2 } })
	T.ok(r.lines == 3 and r.last == "3 c" and r.counts[1].b == 1, "reader:tally counts the run", r.lines)
	T.is(rd:offset(), b:line_start(5), "reader:tally goes past the run")
	T.is(rd:line(), "tail", "reader: the line after the run")
	T.is(rd:line(), "no newline", "reader: a last line without its newline")
	T.is(rd:line(), nil, "reader: nil at the end")
	local rd2 = b:reader(b:line_start(2))
	T.is(rd2:line(), "1 a", "reader from an offset")
	b:insert(b:line_start(3), "X")
	T.is(rd2:line(), "X2 b", "reader: a changed buffer is read again")
	T.ok(not pcall(b.reader, b, b:len() + 1), "reader past the end: an error")
	local n, rd3 = 0, b:reader()
	for _ in rd3.line, rd3 do n = n + 1 end
	T.is(n, 6, "reader in a for loop")
	local rd4 = b:reader(b:line_start(5))
	b:delete(b:line_start(3), b:len() - b:line_start(3))
	T.is(rd4:line(), nil, "a reader whose place a cut took away is at the end")
	T.ok(rd4:offset() == b:len() and rd4:tally({ re = brisk.regex.new(".") }).lines == 0, "there: offset at the end, no run")
	b:close()
	T.ok(not pcall(rd.line, rd), "reader of a closed buffer: an error")
	k()
end
T.steps(steps)
