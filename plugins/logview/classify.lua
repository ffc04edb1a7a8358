-- logview.classify: recognizes dtrace output and kernel logs, line by line.
-- No buffer and no UI (only brisk.regex, through logview.kreport, which
-- names kernel reports): usable headless, by tests and by the summary.
--
--   local C = require("logview.classify")
--   local st = C.new()                  -- state carried from line to line
--   local kind, info = st:line(text)    -- e.g. "dt.probe", {cpu=0, id=14, func="open", name="entry", data="..."}
--   local r = C.classify(lines)         -- whole text: kinds, counts, format, blocks, reports
--   local t = C.kernel_reports(lines)   -- oops reports with their headline ("BUG: ... in func")
--
-- Kinds ("dt." dtrace, "k." kernel):
--   dt.header dt.probe dt.list_header dt.list dt.description dt.error dt.drop
--   dt.info dt.hist_key dt.hist_header (dtrace's "value --- Distribution
--   --- count", bpftrace's "@name:") dt.hist_row dt.agg dt.stack dt.stack_key
--   (bpftrace's "@[" before a stack) dt.stack_count dt.flow dt.syscall
--   (dtruss) dt.columns_header dt.columns dt.timed dt.prompt dt.run (a
--   prompt running dtrace or a D script) dt.interrupt dt.stderr
--   k.meta (syzkaller header) k.oops k.oops2 (Oops:/invalid opcode: right
--   after a k.oops) k.panic k.cut k.end k.ip k.regs k.trace k.frame k.marker
--   k.modules k.cpu k.hw k.code k.msg
--   blank text
local R = require("logview.kreport")

local M = {}

-- Kinds that navigation treats as errors.
M.ERRORS = { ["k.oops"] = true, ["k.panic"] = true, ["dt.error"] = true, ["dt.drop"] = true }

-- Style names a decoration layer can map to colours.
M.STYLE = {
	["dt.header"] = "heading", ["dt.list_header"] = "heading", ["dt.hist_header"] = "heading",
	["dt.columns_header"] = "heading", ["dt.probe"] = "probe", ["dt.list"] = "probe",
	["dt.error"] = "error", ["dt.drop"] = "warning", ["dt.info"] = "comment",
	["dt.description"] = "comment", ["dt.hist_key"] = "key", ["dt.hist_row"] = "number",
	["dt.agg"] = "number", ["dt.stack"] = "frame", ["dt.stack_count"] = "number", ["dt.stack_key"] = "key",
	["dt.flow"] = "function", ["dt.syscall"] = "function", ["dt.prompt"] = "comment", ["dt.run"] = "comment", ["dt.interrupt"] = "comment",
	["dt.stderr"] = "comment", ["dt.timed"] = "time",
	["k.meta"] = "comment", ["k.oops"] = "error", ["k.oops2"] = "error", ["k.panic"] = "error",
	["k.cut"] = "warning", ["k.end"] = "warning", ["k.ip"] = "key", ["k.regs"] = "number",
	["k.trace"] = "heading", ["k.frame"] = "frame", ["k.marker"] = "frame",
	["k.modules"] = "comment", ["k.cpu"] = "key", ["k.hw"] = "comment", ["k.code"] = "comment",
}

local find, match, sub, gsub = string.find, string.match, string.sub, string.gsub

local trim = require("logview.util").trim

--{====================================================================
-- Kernel lines
--=====================================================================

-- Splits a console line into its timestamp (seconds, or nil) and body:
-- "[  772.918915] ...", "[  180.18][ T6213] ...", syslog "... kernel: ...".
local byte = string.byte
local B_LBRACKET = byte("[")

-- Console noise before a line's prefix: "syzkaller login: " (a prompt the
-- kernel wrote over), "** 3 printk messages dropped ** ", a "<4>" level.
local function console_noise(s)
	local c = byte(s, 1)
	if c == 42 then s = match(s, "^%*%* %d+ printk messages dropped %*%* ?(.*)$") or s end -- "*"
	if find(s, "login: ", 1, true) then s = match(s, "^.- login: (.*)$") or s end
	if byte(s, 1) == 60 then s = match(s, "^<%d+>(.*)$") or s end -- "<"
	return s
end

function M.kernel_prefix(s)
	local c = byte(s, 1)
	if c ~= B_LBRACKET and (c == 42 or c == 60 or find(s, "login: ", 1, true)) then
		s = console_noise(s)
		c = byte(s, 1)
	end
	if c ~= B_LBRACKET then
		-- Syslog: "Mon DD HH:MM:SS host kernel: ..."
		if byte(s, 4) ~= 32 or not find(s, " kernel:", 1, true) then return nil, s end
	end
	local ts, rest = match(s, "^%[%s*(%d+%.%d+)%]%s?(.*)$")
	if ts then
		local r2 = match(rest, "^%[%s*[TC]%d+%]%s?(.*)$")
		return tonumber(ts), r2 or rest
	end
	local body = match(s, "^%a%a%a%s+%d+%s+%d+:%d+:%d+%s+%S+%s+kernel:%s?(.*)$")
	if body then
		local t2, r3 = match(body, "^%[%s*(%d+%.%d+)%]%s?(.*)$")
		if t2 then return tonumber(t2), r3 end
		return nil, body
	end
	return nil, s
end

-- Error headlines (coloured as errors, visited by log-next-error; the
-- report's name comes from logview.kreport): patterns on the body.
local OOPS = {
	{ "BUG: " }, { "BUG kmalloc%-" }, { "kernel BUG at " }, { "Kernel BUG " }, { "Unable to handle kernel " },
	{ "general protection fault" }, { "stack segment: " }, { "divide error: " }, { "divide_error: " },
	{ "PANIC: double fault" }, { "Internal error: " }, { "Unhandled fault: " }, { "Alignment trap: " },
	{ "WARNING: " }, { "refcount_t: " }, { "list_del corruption" }, { "list_add corruption" },
	{ "UBSAN: " }, { "INFO: " }, { "rcu: INFO: " }, { "unregister_netdevice: waiting for" },
}

-- Secondary lines of a report already started (the Oops: line after a BUG:).
local OOPS2 = { "^Oops: ", "^invalid opcode: ", "^Internal error: ", "^Oops#" }

local REG_PATTERNS = {
	"^R[SB]P: ", "^RAX: ", "^RDX: ", "^R%d+: ", "^FS: ", "^CS: ", "^CR2: ", "^DR%d: ",
	"^E[A-Z][A-Z]: ", "^ESP: ", "^DS: ", "^EFLAGS: ", "^PKRU: ",
	"^pc : ", "^lr : ", "^sp : ", "^x%d+ ?: ", "^r%d+ ?: ", "^Flags: ", "^Control: ",
	"^psr: ", "^pstate: ", "^task: ", "^Stack: %(", "^%x%x%x%x: [%x ]+$", "^ ?%x+ %x+ %x+ %x+",
	"^ *ffff%x+ %x+ %x+", "^Process .+%(pid: %d+, stack limit",
	-- RISC-V (" ra : ffff... sp : ...", "status: ..."), powerpc ("MSR:  ...",
	-- "GPR00: ...", "REGS: ... TRAP: ...").
	"^ ?[a-z][a-z0-9]%d? ?: %x+ ", "^status: ", "^NIP: ", "^REGS: ", "^MSR: ", "^GPR%d%d: ", "^CR: ", "^XER: ", "^CTR: ",
}

-- Patterns grouped by the literal byte they start with (after "^"), so a
-- line is tried only against those that can match it; `any` holds the
-- ones that start with a class or an optional space.
local function by_first(list, pat_of)
	local t = { any = {} }
	for _, e in ipairs(list) do
		local p = pat_of(e)
		local c = p:sub(2, 2)
		if c:match("[%w:<%-]") and p:sub(3, 3) ~= "?" and p:sub(3, 3) ~= "*" then
			local k = byte(c)
			t[k] = t[k] or {}
			table.insert(t[k], e)
		else
			table.insert(t.any, e)
		end
	end
	return t
end

for _, o in ipairs(OOPS) do o.pat = "^" .. o[1] end
local OOPS_BY = by_first(OOPS, function(o) return o.pat end)
local OOPS2_BY = by_first(OOPS2, function(p) return p end)
local REG_BY = by_first(REG_PATTERNS, function(p) return p end)

local function first_match(index, s, pat_of)
	local l = index[byte(s, 1) or 0]
	if l then
		for _, e in ipairs(l) do
			if find(s, pat_of(e)) then return e end
		end
	end
	for _, e in ipairs(index.any) do
		if find(s, pat_of(e)) then return e end
	end
	return nil
end

local function ident(p) return p end
local function oops_pat(o) return o.pat end

-- Function name of a frame, without compiler suffixes (.isra.0, .cold...).
function M.clean_func(f)
	if not f then return nil end
	local prev
	repeat
		prev = f
		f = gsub(f, "%.cold%.?%d*$", "")
		f = gsub(f, "%.isra%.%d+$", "")
		f = gsub(f, "%.constprop%.%d+$", "")
		f = gsub(f, "%.part%.%d+$", "")
		f = gsub(f, "%.llvm%.%d+$", "")
		f = gsub(f, "%.%d+$", "")
	until f == prev
	return f
end

-- A stack frame: returns func (cleaned), reliable (false for "? f").
function M.kernel_frame(body)
	if not find(body, "+0x", 1, true) and not find(body, "[inline]", 1, true) then return nil end
	-- Leading blanks and "? " first: two %s* around an optional "?" in one
	-- pattern backtrack quadratically on indented lines.
	local sp, t = match(body, "^(%s*)(.*)$")
	local q = ""
	if byte(t, 1) == 63 then -- "?"
		q, t = "?", match(t, "^%?%s*(.*)$")
	end
	local f = match(t, "^([%a_][%w_%.]*)%+0x%x+/0x%x+")
	if not f and byte(t, 1) == B_LBRACKET then
		-- x86 "[<ffffffff81234567>] f+0x1/0x2", powerpc "[c000...] [c000...] f+0x1/0x2".
		local rest = match(t, "^%[<%x+>%]%s*(.*)$") or match(t, "^%[%x+%] %[%x+%] (.*)$")
		if rest then
			if byte(rest, 1) == 63 then q, rest = "?", match(rest, "^%?%s*(.*)$") end
			f = match(rest, "^([%a_][%w_%.]*)%+0x%x+") or match(rest, "^%(([%a_][%w_%.]*)%+0x%x+/0x%x+%)")
		end
	end
	if not f and sp ~= "" then
		f = match(t, "^([%a_][%w_%.]*) [%w_%./%-]+:%d+ %[inline%]$")
	end
	if not f then return nil end
	return M.clean_func(f), q ~= "?"
end

-- The function an IP/RIP/PC line points at (nil for a bare address).
function M.ip_func(body)
	local rest = match(body, "^R?IP: (.*)$") or match(body, "^EIP: (.*)$") or match(body, "^PC is at (.*)$")
		or match(body, "^pc : (.*)$") or match(body, "^ ?epc ?: (.*)$") or match(body, "^NIP %[%x+%] (.*)$")
	if not rest then return nil end
	local f = match(rest, "([%a_][%w_%.]*)%+0x%x+/0x%x+")
	return M.clean_func(f), true
end

local function is_marker(body)
	return find(body, "^%s*</?[A-Z]+>%s*$") ~= nil
end


local B_DASH, B_LT, B_SPACE, B_B, B_C, B_H, B_K, B_M, B_k, B_r, B_w =
	byte("-"), byte("<"), byte(" "), byte("B"), byte("C"), byte("H"), byte("K"), byte("M"), byte("k"), byte("r"), byte("w")
-- Bytes %s matches, and those an IP line (below) can start with.
local SPACE = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }
local IP_FIRST = {}
for ch in ("RIEPLNer "):gmatch(".") do IP_FIRST[byte(ch)] = true end

local function classify_kernel(st, s)
	local ts, body = M.kernel_prefix(s)
	if not ts and st.syz_header and match(s, "^[A-Z]+: ") then return "k.meta" end
	-- Most lines are plain: kernel messages, or not kernel lines at all
	-- (dtrace output). One test of a few regexes says so, instead of the
	-- dozens of patterns below.
	-- Each test below needs its first byte: c says which can match.
	local c = byte(body, 1)
	if not R.matches_any(body, M.RUNS.k_special) then
		if ts then return "k.msg", { ts = ts } end
		-- k_special leaves out one shape read below: " ra : " (k.ip).
		-- Timestamped, such a line has always been a plain message; with
		-- it in k_special that would change, and runs of k.msg with it.
		if not ((c == B_r or c == B_SPACE) and find(body, "^ ?ra ?: ")) then return nil end
	end
	if c == B_DASH then
		if find(body, "^%-%-%-%-+%[ cut here %]%-%-%-%-+") then st.ktrace = false; return "k.cut" end
		if find(body, "^%-%-%-%[ end ") then st.ktrace = false; return "k.end" end
	end
	if c == B_K and find(body, "^Kernel panic %- not syncing") then st.ktrace = false; return "k.panic" end
	if first_match(OOPS2_BY, body, ident) then
		local recent = st.last_oops and st.n - st.last_oops <= 12
		if recent then return "k.oops2" end
		st.last_oops = st.n
		st.ktrace = false
		return "k.oops", { body = body }
	end
	local b2 = body
	if c == B_w or c == B_k then
		b2 = match(body, "^watchdog: (.*)$") or match(body, "^kernel: (.*)$") or body
	end
	local o = first_match(OOPS_BY, b2, oops_pat)
	if o then
		-- A second headline right after one (list_del corruption, cut
		-- here, kernel BUG at) belongs to the same report.
		if st.last_oops and st.n - st.last_oops <= 3 then return "k.oops2" end
		st.last_oops = st.n
		st.ktrace = false
		return "k.oops", { body = b2 }
	end
	if (c == B_C or c == B_B) and (find(body, "^Call Trace:") or find(body, "^Backtrace:") or find(body, "^Call trace:")) then
		st.ktrace = true
		return "k.trace"
	end
	if IP_FIRST[c] and (find(body, "^R?IP: ") or find(body, "^EIP: ") or find(body, "^PC is at ") or find(body, "^LR is at ")
		or find(body, "^ ?epc ?: ") or find(body, "^ ?ra ?: ") or find(body, "^NIP %[") or find(body, "^LR %[")) then
		return "k.ip", { func = M.ip_func(body) }
	end
	if (c == B_LT or SPACE[c]) and is_marker(body) then return "k.marker" end
	local f, reliable = M.kernel_frame(body)
	if f then return "k.frame", { func = f, reliable = reliable } end
	if c == B_M and find(body, "^Modules linked in:") then
		local mods = {}
		for m in string.gmatch(match(body, "^Modules linked in:(.*)$"), "[%w_%-]+") do mods[#mods + 1] = m end
		return "k.modules", { modules = mods }
	end
	if c == B_C and find(body, "^CPU: %d+ .*PID: %d+") then
		local taint = match(body, " Tainted: ([A-Z ]-)%s*%d") or match(body, " Tainted: ([A-Z ]-)%s*$")
		local flags = {}
		if taint then for c in string.gmatch(taint, "%u") do flags[#flags + 1] = c end end
		return "k.cpu", { comm = match(body, "Comm: (%S+)"), pid = tonumber(match(body, "PID: (%d+)")),
			cpu = tonumber(match(body, "^CPU: (%d+)")), tainted = taint ~= nil, taint = flags,
			version = match(body, "ainted:? ?[A-Z ]-%s*(%d[%w%.%-%+_]*)") }
	end
	if c == B_H and find(body, "^Hardware name: ") then return "k.hw" end
	if c == B_C and find(body, "^Code: ") then return "k.code" end
	if first_match(REG_BY, body, ident) then return "k.regs" end
	if ts then return "k.msg", { ts = ts } end
	return nil
end

--{====================================================================
-- dtrace lines
--=====================================================================

-- A bucket bound as bpftrace prints it: 512, 1K, 4M, -8...
local SUFFIX = { K = 1 << 10, M = 1 << 20, G = 1 << 30, T = 1 << 40, P = 1 << 50 }
local function bound(s)
	local n, u = match(s, "^%s*(%-?%d+)(%a?)%s*$")
	if not n then return nil end
	return tonumber(n) * (SUFFIX[u] or 1)
end

-- A histogram row: dtrace's "value |@@@   count" (bars of spaces, '@'
-- and '|'), or bpftrace's "[4, 8)   14 |@@@@   |" (a bucket [low, high),
-- "(..., 0)" below and "[100, ...)" above the range).
local function hist_row(s)
	-- The label ends before the first " |" or " @" (a lazy label would try
	-- every end: quadratic in the line).
	local e = find(s, " [|@]")
	local label, bar, c
	if e then
		label = match(sub(s, 1, e - 1), "^%s*(.*%S)")
		bar, c = match(s, "^([ @|]+) (%-?%d+)%s*$", e + 1)
	end
	if label and bar and find(bar, "|", 1, true) then
		local v = match(label, "(%-?%d+)$")
		if not v then return nil end
		local edge = match(label, "([<>]=?)%s*%-?%d+$")
		return { edge = edge, value = tonumber(v), count = tonumber(c), bar = bar, label = label }
	end
	local lo, hi, n, bars = match(s, "^%s*[%[%(]([^,]*), ([^%]%)]*)[%]%)]%s+(%d+) (|[ @]*|?)%s*$")
	if not lo then return nil end
	local v = bound(lo)
	local edge = lo == "..." and "<" or hi == "..." and ">=" or nil
	v = v or bound(hi)
	if not v then return nil end
	return { edge = edge, value = v, count = tonumber(n), bar = bars, label = match(s, "^%s*(%S.-[%]%)])"), bpf = true,
		lo = bound(lo), hi = bound(hi) }
end

local function probe_line(s)
	-- Two columns first: most lines are not probe firings.
	if not find(s, "^%s*[#%d]+%s+%u*%d*%s") then return nil end
	local cpu, id, fn, name, data = match(s, "^%s*(%d+)%s+(%d+)%s+([%w_%.%$%-]*):([%w_%.%-]+)(.*)$")
	if not cpu then
		cpu, id, fn, name, data = match(s, "^%s*([#%d]+)%s+(%u*%d*)%s+([%w_%.%$%-]*):([%w_%.%-]+)(.*)$")
		if not cpu or id == "" then return nil end
	end
	return { cpu = tonumber(cpu) or cpu, id = tonumber(id) or id, func = fn, name = name,
		probe = fn .. ":" .. name, data = trim(data) }
end

-- The header row of printf columns: names in capitals ("PID", "TIME(us)",
-- "CLASS.METHOD") or capitalised ("Event Device RW Size Offset Path"),
-- column separators ("--"), maybe a printf("%Y") time at its end; words
-- at least two spaces apart somewhere. Returns how many columns.
local function columns_header(s)
	-- Units in parentheses may be lower case: "TIME(ns)", "TIME (ns)".
	local t = s
	if find(t, "(", 1, true) then t = gsub(t, "%s*%b()", "") end
	t = gsub(t, "%s+%d%d%d%d %u%l%l +%d+ %d+:%d%d:%d%d%s*$", "")
	if not find(t, "%u%u") and not find(t, "%u%l+%s+%u%l+") then return false end
	t = trim(t)
	if #t < 5 or find(t, "^#") then return false end
	local n, caps = 0, 0
	for w in string.gmatch(t, "%S+") do
		if find(w, "^%u[%u%d%%/_%.%-]*$") then
			caps = caps + 1
		elseif not find(w, "^%u%l+$") and not find(w, "^[%-=%%/#|]+$") then
			return false
		end
		n = n + 1
	end
	-- Capitalised words alone make a title more often than a header.
	if caps == 0 and n < 4 then return false end
	return n >= 2 and find(s, "%S  +%S") ~= nil and n
end

local MONTH = "%u%l%l"

local B_d, B_F, B_I, B_v, B_CARET, B_HASH, B_AT, B_A =
	byte("d"), byte("F"), byte("I"), byte("v"), byte("^"), byte("#"), byte("@"), byte("A")

local function is_digit(c) return c >= 48 and c <= 57 end
local function is_word(c) return (c >= 48 and c <= 57) or (c >= 65 and c <= 90) or (c >= 97 and c <= 122) or c == 95 end

-- The checks are gated by the first non-blank byte: a line is tried only
-- against the shapes that can start with it.
local function classify_dtrace(st, s, i)
	local c = byte(s, i)
	-- Lines with a "dtrace:" prefix: errors, drops, information.
	if c == B_d and find(s, "^dtrace: ", i) then
		local body = sub(s, i + 8)
		-- "12 drops on CPU 0", "3 aggregation drops on CPU 1", "99 dynamic
		-- variable drops", "... drops with non-empty dirty list".
		local n, what, rest = match(body, "^%[?[%u_]*%]?%s*(%d+) ([%a ]-)drops?%f[%A](.*)$")
		if n then
			local cpu = match(rest, "^ on CPU (%S+)")
			return "dt.drop", { drops = tonumber(n), what = trim(what), cpu = tonumber(cpu) or cpu }
		end
		if find(body, "^error on enabled probe ID") or find(body, "^failed to ") or find(body, "^invalid probe specifier")
			or find(body, "^[%w ]*error") or find(body, "^[%w ]* failed") or find(body, "^could not ") then
			local id, desc, msg = match(body, "^error on enabled probe ID (%d+) %((.-)%): (.*)$")
			return "dt.error", { id = tonumber(id), probe = desc, message = msg or body }
		end
		if find(body, "^description '") or find(body, "^script '") then
			return "dt.description", { matched = tonumber(match(body, "matched (%d+) probe")) }
		end
		return "dt.info"
	end
	if (c == B_C and find(s, "^CPU%s+ID%s+FUNCTION:NAME", i)) or (c == B_F and i > 1 and find(s, "^FUNCTION:NAME%s*$", i)) then
		st.ctx = "probe"
		return "dt.header"
	end
	if c == B_I and find(s, "^ID%s+PROVIDER%s+MODULE%s+FUNCTION%s+NAME", i) then
		st.ctx = "list"
		return "dt.list_header"
	end
	if c == B_v and find(s, "^value%s+%-+ Distribution %-+%s+count", i) then
		st.ctx = "hist"
		return "dt.hist_header"
	end
	if c == B_DASH and find(s, "^%-%- @@stderr %-%-", i) then return "dt.stderr" end
	if c == B_CARET and find(s, "^%^C%s*$", i) then st.ctx = nil; return "dt.interrupt" end
	if c == B_HASH and (find(s, "^# ", i) or find(s, "^#%s*$", i)) then
		-- A session pasted with its commands: one that runs dtrace or a D
		-- script says what the output below it is.
		if find(s, "^#%s+%S*dtr[au][cs][es]%f[%s%z]", i) or find(s, "^#%s+%S+%.d%f[%s%z]", i) then return "dt.run" end
		return "dt.prompt"
	end
	-- The banner of D scripts (BEGIN { printf("Tracing... Hit Ctrl-C to end.\n") }).
	if c == 84 and find(s, "^Tracing%.%.%..*Ctrl%-C", i) then return "dt.info" end -- "T"
	if st.ctx == "hist" then
		local r = hist_row(s)
		if r then return "dt.hist_row", r end
		st.ctx = nil
	end
	if st.ctx == "list" then
		local id, prov, rest = match(s, "^(%w+)%s+([%w_%-%$]+)%s+(.*)$", i)
		if id and (tonumber(id) or id == "XX" or id == "NNN") then
			local words = {}
			for w in string.gmatch(rest, "%S+") do words[#words + 1] = w end
			local name = table.remove(words)
			local func = table.remove(words)
			return "dt.list", { id = tonumber(id) or id, provider = prov, module = words[1], func = func, name = name }
		end
		st.ctx = nil
	end
	if st.ctx == "columns" then
		-- A two-column table (key, number) is printa output.
		if st.ncols == 2 then
			local key, val = match(s, "^(.-%S)%s%s+(%-?%d+)%s*$", i)
			if key then return "dt.agg", { key = key, value = tonumber(val) } end
		end
		return "dt.columns"
	end
	if is_digit(c) or c == B_HASH then
		local p = probe_line(s)
		if p then
			st.ctx = "probe"
			return "dt.probe", p
		end
	end
	if st.ctx == "probe" then
		local fn, name = match(s, "^([%w_%.%$%-]*):([%w_%.%-]+)%s*$", i)
		if name then return "dt.probe", { func = fn, name = name, probe = fn .. ":" .. name, data = "" } end
	end
	-- Flow: "-> func", "<- func", "=> syscall", "<= syscall", first, after
	-- a CPU number, or after columns (CPU, PID, times, FILE:LINE, type) and
	-- at least two spaces; the name right after the arrow:
	-- "  0 3114 4789  -> java/lang/Object.<init>".
	local f = find(s, "[%-<=][>%-=] ", i)
	-- (or after a CPU column and one space: "  3 -> f" at depth 0)
	if f and (f == i or find(s, "^%s%s", f - 2) or find(sub(s, 1, f - 1), "^%s*%d+ $")) then
		local arrow, fn = match(s, "^([%-<=][>%-=]) ([%w_%.%$`:/<>@%[%]%-]+)", f)
		if fn and (arrow == "->" or arrow == "<-" or arrow == "=>" or arrow == "<=") and not find(fn, "[,.:]$") then
			local cpu = match(s, "^(%d+)%s", i)
			return "dt.flow", { cpu = tonumber(cpu), dir = (arrow == "->" or arrow == "=>") and "entry" or "return", func = fn }
		end
	end
	-- Stack frames: module`func+0x.., module`func, bare addresses.
	if i > 1 and is_word(c) then
		local mod, f, rest = match(s, "^([%w_%.%-]+)`([%w_%.%$@]+)(.*)$", i)
		if mod and find(rest, "^%+?[%w{}]*%s*$") then
			st.ctx = "stack"
			return "dt.stack", { module = mod, func = gsub(f, "%+.*$", "") }
		end
	end
	if st.ctx == "stack" then
		if find(s, "^0x%x+%s*$", i) then return "dt.stack", { func = trim(s) } end
		local cnt = match(s, "^(%d+)%s*$", i)
		if cnt and i > 1 then st.ctx = nil; return "dt.stack_count", { count = tonumber(cnt) } end
		-- bpftrace: "    tcp_sendmsg+12" frames, then "]: count".
		local f = i > 1 and match(s, "^([%w_%.]+)%+%w+%s*$", i)
		if f then return "dt.stack", { func = f, bpf = true } end
		cnt = match(s, "^%]: (%d+)%s*$", i)
		if cnt then st.ctx = nil; return "dt.stack_count", { count = tonumber(cnt), bpf = true } end
		st.ctx = nil
	end
	if c >= 65 and c <= 90 then
		local ncols = columns_header(s)
		if ncols then
			st.ctx, st.ncols = "columns", ncols
			return "dt.columns_header"
		end
	end
	-- printf("%Y ...") output: a wall-clock timestamp first.
	if is_digit(c) then
		local y, mon, d, hh, mm, ss = match(s, "^(%d%d%d%d) (" .. MONTH .. ") +(%d+) (%d%d):(%d%d):(%d%d)", i)
		if y then
			return "dt.timed", { ts = ((tonumber(d) * 24 + tonumber(hh)) * 60 + tonumber(mm)) * 60 + tonumber(ss), month = mon }
		end
	end
	-- Aggregation rows: keys, two spaces or more, an integer value.
	if c == B_AT then
		local k2, v2 = match(s, "^(@[%w_]*) = (%-?%d*)%s*$", i)
		if k2 then return "dt.agg", { key = k2, value = tonumber(v2) } end
		-- bpftrace maps: "@name[key, ...]: value", "@name: value"; a
		-- histogram's name alone ("@usecs:") before its buckets; a stack
		-- key opening ("@[") before its frames and "]: count".
		local k3, v3 = match(s, "^(@[%w_]*%b[]): (%-?%d+)%s*$", i)
		if not k3 then k3, v3 = match(s, "^(@[%w_]*): (%-?%d+)%s*$", i) end
		if k3 then return "dt.agg", { key = k3, value = tonumber(v3), bpf = true } end
		local h = match(s, "^(@[%w_]*%b[]):%s*$", i) or match(s, "^(@[%w_]*):%s*$", i)
		if h then
			st.ctx = "hist"
			return "dt.hist_header", { key = h, bpf = true }
		end
		if find(s, "^@[%w_]*%[%s*$", i) then
			st.ctx = "stack"
			return "dt.stack_key", { bpf = true }
		end
	end
	-- dtruss: "SYSCALL(args) = return" and its rows, maybe after PID/LWP
	-- and time columns: " 2975/1:  6513  51  9 sigaction(0x2, 0x0) = 0 0".
	if find(s, "SYSCALL%(args%)%s+= return", i) then
		st.ctx = nil
		return "dt.columns_header", { dtruss = true }
	end
	if find(s, "%)%s+= %-?%w+") then
		local body = match(s, "^%s*%d+/%w+:%s+(.*)$", i) or sub(s, i)
		body = match(body, "^[%d%s]*(.*)$")
		local fn, ret = match(body, "^([%a_][%w_]*)%(.*%)%s+= (%-?%w+)")
		if fn then return "dt.syscall", { func = fn, ret = ret } end
	end
	-- bpftrace's banner.
	if c == B_A and find(s, "^Attaching %d+ probes?%.%.%.", i) then return "dt.info", { bpf = true } end
	if not find(s, "%d%s*$") then return nil end
	local key, val = match(s, "^(.-%S)%s%s+(%-?%d+)%s*$", i)
	if key and not find(key, "^%-?%d+$") and #key <= 120 and not find(key, "[%.,;:!?]$") then
		return "dt.agg", { key = key, value = tonumber(val) }
	end
	if key and find(key, "^[%-%d%s]+$") or find(s, "^%-?%d+%s*$", i) then
		return "dt.agg", { key = key or "", value = tonumber(val or match(s, "%-?%d+")) }
	end
	return nil
end

--{====================================================================
-- The per-line state machine
--=====================================================================

local State = {}
State.__index = State

function M.new()
	return setmetatable({ n = 0, ctx = nil, ktrace = false, syz_header = true, prev_blank = true }, State)
end

--- Classifies the next line; returns kind and a table of fields (or nil).
-- Terminal escape sequences (colours) are not part of what it says.
function State:line(s)
	self.n = self.n + 1
	s = R.plain(s)
	local i = find(s, "%S") -- the first byte that is not blank
	if not i then
		if self.ctx ~= "probe" then self.ctx = nil end
		self.syz_header = false
		self.prev_blank = true
		return "blank"
	end
	-- Inside a printf table every line is a row, up to a blank line or a
	-- line that is clearly something else (M.RUNS.columns_break).
	if self.ctx == "columns" and not R.matches_any(s, M.RUNS.columns_break) then
		local kind, info = "dt.columns", nil
		if self.ncols == 2 then
			local key, val = match(s, "^%s*(.-%S)%s%s+(%-?%d+)%s*$")
			if key then kind, info = "dt.agg", { key = key, value = tonumber(val) } end
		end
		self.prev_blank = false
		return kind, info
	end
	if self.syz_header and self.n == 1 and not find(s, "^[A-Z]+: ") and not find(s, "^#") then
		self.syz_header = false
	end
	local kind, info
	-- The common case of a big trace: a probe firing, no kernel prefix.
	local c = byte(s, 1)
	if (c == 32 or (c and c >= 48 and c <= 57)) and self.ctx ~= "hist" and self.ctx ~= "list" then
		local p = probe_line(s)
		if p then
			self.ctx = "probe"
			self.prev_blank = false
			return "dt.probe", p
		end
	end
	if not (byte(s, i) == B_d and find(s, "^dtrace: ", i)) then kind, info = classify_kernel(self, s) end
	if not kind or kind == "k.msg" then
		local k2, i2 = classify_dtrace(self, s, i)
		-- A timestamped kernel line stays kernel unless dtrace is sure.
		if k2 and (not kind or (k2 ~= "dt.agg" and k2 ~= "dt.columns" and k2 ~= "dt.columns_header")) then
			kind, info = k2, i2
		end
	end
	if not kind then kind = "text" end
	self.prev_blank = false
	return kind, info
end

--{====================================================================
-- Runs: lines of one kind in a row
--=====================================================================

-- A reader of a big log hands runs of lines to C (b:tally): after a line
-- of kind K, the lines matching RUNS[K].re and none of RUNS[K].stop (PCRE2)
-- are of kind K too, leave the state as it was, and need no look in Lua.
-- Stopping early is always right (the line is then read here); going on
-- too far is not, so each `stop` holds every shape this file reads
-- differently. The classifier itself uses k_special and columns_break.
-- Every pattern here is anchored at the line start (one try per line).
-- The stops are lists, not alternations: PCRE2 rejects a line by the
-- literal a pattern needs ("FUNCTION:NAME", "\x1b") before matching, which
-- it cannot do for an alternation of them (a printf row was 4x slower).
local HEX4 = [[^ ?[0-9a-fA-F]+ [0-9a-fA-F]+ [0-9a-fA-F]+ [0-9a-fA-F]+]]
local PROBE_RE = [[^(?=[ 0-9])\s*(\d+)\s+\d+\s+(([\w.$-]*):[\w.-]+)\s*(.*?)\s*$]]
-- Shapes dtrace output is sure of wherever they are: a flow arrow after two
-- spaces, a dtruss "...) = 0".
local DT_SURE = { [[^(?:\s*|.*?\s\s)(?:->|<-|=>|<=) ]], [[^.*?\)\s+= -?\w]] }
local DT_LINES = {
	[[^\s*(?:dtrace: |#(?:\s|$)|\^C\s*$|-- @@stderr|CPU\s+ID\s+FUNCTION:NAME|ID\s+PROVIDER\s+MODULE|value\s+-+ Distribution|@|\[)]],
	[[^.*FUNCTION:NAME\s*$]], [[^.*SYSCALL\(args\)]],
}
local ESC = "^.*?\x1b"
-- The body of a kernel line (after its "[ 12.5]" prefix) that may be more
-- than a plain message: these at its start, or KERNEL_ANY in it.
local KERNEL_START = table.concat({
	[[-{4,}\[ cut here|---\[ end |Kernel panic|Oops|invalid opcode: |Internal error: |watchdog: |kernel: ]],
	[[BUG[: ]|kernel BUG at |Kernel BUG |Unable to handle kernel |general protection fault|stack segment: |divide.error: |PANIC: double fault|Unhandled fault: |Alignment trap: |WARNING: |refcount_t: |list_(?:del|add) corruption|UBSAN: |INFO: |rcu: INFO: |unregister_netdevice: ]],
	[[Call [Tt]race:|Backtrace:|R?IP: |EIP: |PC is at |LR is at |\s*</?[A-Z]+>\s*$|Modules linked in:|CPU: \d|Hardware name: |Code: ]],
	[[R[SB]P: |RAX: |RDX: |R\d+: |FS: |CS: |CR2: |DR\d: |E[A-Z][A-Z]: |ESP: |DS: |EFLAGS: |PKRU: |pc : |lr : |sp : |x\d+ ?: |r\d+ ?: |Flags: |Control: |psr: |pstate: |task: |Stack: \(|[0-9a-fA-F]{4}: [0-9a-fA-F ]+$| *ffff[0-9a-fA-F]+ [0-9a-fA-F]+ [0-9a-fA-F]+|Process .+\(pid: \d+, stack limit]],
	[[ ?[a-z][a-z0-9]\d? ?: [0-9a-fA-F]+ |status: |NIP|REGS: |MSR: |GPR\d\d: |CR: |XER: |CTR: | ?epc ?: |LR \[|\[[0-9a-f]+\] \[]],
	[[ ?[0-9a-fA-F]+ [0-9a-fA-F]+ [0-9a-fA-F]+ [0-9a-fA-F]+]],
}, "|")
local KERNEL_ANY = { [[^.*?\+0x]], [=[^.*?\[inline\]]=] }
local KERNEL_PREFIX = [[^\[\s*(\d+\.\d+)\]\s?(?:\[\s*[TC]\d+\]\s?)?]]

-- Each pattern is matched against one line: "(?-m)" makes "^" its start
-- alone, where PCRE2 tries the pattern once (brisk.regex sets multi-line
-- mode, in which "^\s*" can start after any newline, so it was tried at
-- every byte: 5x slower on a printf row).
local function one_line(p) return "(?-m)" .. p end

-- The patterns of nested lists, as one list of one-line patterns.
local function flat(list, into)
	into = into or {}
	for _, p in ipairs(list) do
		if type(p) == "table" then flat(p, into) else into[#into + 1] = one_line(p) end
	end
	return into
end

M.RUNS = {
	k_special = flat({ "^(?:" .. KERNEL_START .. ")", KERNEL_ANY }),
	-- A line that ends a printf table's rows (or is not one of them).
	columns_break = flat({ DT_LINES, PROBE_RE, ESC }),
	["dt.probe"] = { re = one_line(PROBE_RE), stop = flat({ ESC }) },
	["dt.flow"] = {
		-- The arrow first, after a CPU number and one space, after a CPU
		-- number and blanks (flowindent's depth: a case of the next, told
		-- first as trying that one at every byte took twice as long), or
		-- after two blanks and any text without an arrow.
		re = one_line [[^(?:\s*|\s*\d+ |\s*+\d++\s\s++|(?:(?![-<=][>=-] ).)*?\s\s)(?:(->|=>) ([\w.$`:/<>@\[\]-]++)|(?:<-|<=) [\w.$`:/<>@\[\]-]++)(?<![,.:])]],
		stop = flat({ ESC, DT_LINES, PROBE_RE, HEX4, [[^ *ffff]], KERNEL_ANY }),
	},
	["k.msg"] = {
		re = one_line(KERNEL_PREFIX),
		stop = flat({ ESC, DT_SURE, KERNEL_PREFIX .. "(?:" .. KERNEL_START .. ")", KERNEL_ANY }),
	},
}
M.RUNS["dt.columns"] = { re = one_line [[\S]], stop = M.RUNS.columns_break }
-- Frames of a stack after its first: "  module`func+0x1f", "  0xffff...".
M.RUNS["dt.stack"] = {
	re = one_line [[^\s+(?:[\w.-]+`[\w.$@]+\+?[\w{}]*|0x[0-9a-fA-F]+)\s*$]],
	stop = flat({ ESC, DT_LINES, PROBE_RE, HEX4, DT_SURE }),
}

--- Whether a run of kind k can follow the current line: the context the
-- run's lines depend on is the one the runs table assumes.
function State:can_run(k)
	if k == "dt.columns" then return self.ctx == "columns" and self.ncols ~= 2 end
	if k == "dt.flow" then return self.ctx ~= "hist" and self.ctx ~= "list" and self.ctx ~= "columns" end
	if k == "dt.probe" then return self.ctx == "probe" end
	if k == "dt.stack" then return self.ctx == "stack" end
	return k == "k.msg" and self.ctx ~= "columns"
end

--- Advances the state over n lines of kind k that C read (a run).
function State:skip(k, n)
	self.n = self.n + n
	self.prev_blank = false
end

--{====================================================================
-- Whole texts
--=====================================================================

local function histogram_type(rows)
	local lt, le, step, pow2, prev = false, false, nil, true, nil
	local bpf = rows[1] and rows[1].bpf
	for _, r in ipairs(rows) do
		if r.edge == "<=" then le = true elseif r.edge == "<" then lt = true end
		if not r.edge then
			local v = math.abs(r.value)
			if math.type(v) ~= "integer" or v ~= 0 and v & (v - 1) ~= 0 then pow2 = false end
			if prev then
				local d = r.value - prev
				if step == nil then step = d elseif step ~= d then step = false end
			end
			prev = r.value
		end
	end
	-- bpftrace's hist() buckets double ([4, 8)), lhist()'s are as wide
	-- as each other ([0, 5), [5, 10)).
	if bpf then
		for _, r in ipairs(rows) do
			if r.lo and r.hi and not (r.hi == 2 * r.lo or (r.lo == 0 and r.hi == 1)) then return "lhist" end
		end
		return "hist"
	end
	if le then return "llquantize" end
	if lt then return "lquantize" end
	if pow2 then return "quantize" end
	if step then return "lquantize" end
	return "llquantize"
end

--- Classifies every line. lines: an array of strings.
-- Returns {kinds = {...}, info = {...}, counts = {kind = n}, format =
-- "dtrace"|"kernel"|"mixed"|"text", formats = {name = true}, histograms =
-- {{key=, first=, last=, type=, rows=}}, blocks = {{first=, last=, kind=}}}.
function M.classify(lines)
	local st = M.new()
	local r = { kinds = {}, info = {}, counts = {}, histograms = {}, blocks = {}, formats = {} }
	for i, s in ipairs(lines) do
		R.tick()
		local k, info = st:line(s)
		r.kinds[i], r.info[i] = k, info
		r.counts[k] = (r.counts[k] or 0) + 1
	end
	local dt, kn = 0, 0
	for k, n in pairs(r.counts) do
		if sub(k, 1, 3) == "dt." and k ~= "dt.prompt" and k ~= "dt.interrupt" then dt = dt + n end
		if sub(k, 1, 2) == "k." and k ~= "k.msg" and k ~= "k.meta" then kn = kn + n end
	end
	-- A few lines of one kind among many of the other (a "WARNING:" in a
	-- dtrace session's notes) do not make a mixed log.
	if dt > 0 and kn > 0 and (dt < kn / 10 or kn < dt / 10) then
		if dt < kn then dt = 0 else kn = 0 end
	end
	r.format = (dt > 0 and kn > 0) and "mixed" or dt > 0 and "dtrace" or kn > 0 and "kernel" or "text"
	M.find_blocks(r, lines)
	local f = r.formats
	local c = r.counts
	if c["dt.probe"] then f.probes = true end
	if c["dt.list"] then f.listing = true end
	if c["dt.flow"] then f.flow = true end
	if c["dt.syscall"] then f.dtruss = true end
	if c["dt.stack"] then f.stack = true end
	if c["dt.error"] then f.error = true end
	if c["dt.drop"] then f.drops = true end
	if c["dt.agg"] then f.aggregation = true end
	for _, info in pairs(r.info) do
		if info.bpf then f.bpftrace = true break end
	end
	if c["dt.columns"] then f.printf = true end
	if c["dt.timed"] then f.printf = true end
	for _, h in ipairs(r.histograms) do f[h.type] = true end
	if c["k.oops"] then f.oops = true end
	if c["k.trace"] or c["k.frame"] then f.call_trace = true end
	if c["k.modules"] then f.modules = true end
	if c["k.regs"] then f.registers = true end
	if c["k.msg"] then f.dmesg = true end
	return r
end

local function is_kernel_trace_line(k)
	return k == "k.frame" or k == "k.marker" or k == "k.regs" or k == "k.ip"
end

--- A streaming detector of fold targets: feed it (n, kind) for every line
-- in order; emit({kind=, first=, last=}) runs for each block once it is
-- complete: "stack" (dtrace frames with the line above them), "trace"
-- (a kernel Call Trace with its frames and registers), "histogram" (key,
-- header, rows) and "oops" (a kernel report, from its "cut here" or
-- headline to its end marker).
function M.blocker(emit)
	local B = { prev = nil }
	local run, oops
	local function close_run()
		if run and run.last > run.first then emit(run) end
		run = nil
	end
	local function close_oops()
		if oops and oops.last > oops.first then emit(oops) end
		oops = nil
	end
	function B:add(n, k, info)
		local prev = self.prev
		if run then
			local go
			if run.kind == "stack" then go = k == "dt.stack" or (k == "dt.stack_count" and not run.counted)
			elseif run.kind == "trace" then go = is_kernel_trace_line(k)
			else go = k == "dt.hist_row" end
			if go then
				run.last = n
				if k == "dt.stack_count" then run.counted = true end
			else
				close_run()
			end
		end
		if not run then
			local above = prev and prev ~= "blank" and n > 1
			if k == "dt.stack" then
				run = { kind = "stack", first = above and n - 1 or n, last = n }
			elseif k == "k.trace" then
				run = { kind = "trace", first = n, last = n }
			elseif k == "dt.hist_header" then
				-- dtrace's key is the line above; bpftrace's header is its key.
				local key_above = above and prev ~= "dt.hist_row" and not (info and info.bpf)
				run = { kind = "histogram", first = key_above and n - 1 or n, last = n }
			end
		end
		if oops then
			if k == "k.oops" or k == "blank" or k == "text" or k == "k.meta"
				or (sub(k, 1, 3) == "dt." and k ~= "dt.agg") then
				-- The "cut here" line above a new report is that report's.
				if k == "k.oops" and prev == "k.cut" and oops.last == n - 1 then oops.last = n - 2 end
				close_oops()
			else
				oops.last = n
				if k == "k.end" then close_oops() end
			end
		end
		if k == "k.oops" then
			oops = { kind = "oops", first = prev == "k.cut" and n - 1 or n, last = n }
		end
		self.prev = k
	end
	function B:finish()
		close_run()
		close_oops()
	end
	return B
end

--- Fold targets (r.blocks, sorted by first line, outer blocks first) and
-- histograms (r.histograms) of a classified text.
function M.find_blocks(r, lines)
	local K, n = r.kinds, #r.kinds
	local blocks, hists = r.blocks, r.histograms
	local bl = M.blocker(function(b) blocks[#blocks + 1] = b end)
	for i = 1, n do bl:add(i, K[i], r.info[i]) end
	bl:finish()
	local i = 1
	while i <= n do
		if K[i] == "dt.hist_header" then
			local j = i
			while j < n and K[j + 1] == "dt.hist_row" do j = j + 1 end
			local head = i
			-- bpftrace names a histogram on its first line ("@usecs:").
			for back = 1, (r.info[i] and r.info[i].key) and 0 or 3 do
				local k = K[i - back]
				if not k or k == "dt.hist_row" or k == "dt.hist_header" then break end
				if k ~= "blank" then head = i - back break end
			end
			local rows = {}
			for x = i + 1, j do rows[#rows + 1] = r.info[x] end
			local key = head < i and trim(lines[head]) or (r.info[i] and r.info[i].key) or ""
			if head < i then K[head] = "dt.hist_key" end
			hists[#hists + 1] = { key = key, first = head, header = i, last = j, rows = rows, type = histogram_type(rows) }
			i = j + 1
		else
			i = i + 1
		end
	end
	table.sort(blocks, function(x, y)
		if x.first ~= y.first then return x.first < y.first end
		return x.last > y.last
	end)
end

--{====================================================================
-- Kernel reports and their headline (named by logview.kreport)
--=====================================================================

--- The line after a syzkaller test file's metadata header (TITLE:, ALT:,
-- TYPE:... lines, then a blank line), or 1 when there is none: the header
-- is the answer, not part of the log.
function M.log_start(lines)
	local title = false
	for i, s in ipairs(lines) do
		if s == "" then return title and i + 1 or 1 end
		if find(s, "^TITLE:") then title = true
		elseif not find(s, "^[A-Z]+:") and not find(s, "^#") then return 1 end
	end
	return 1
end

-- The task, taint flags and modules a report shows (its CPU: and
-- Modules linked in: lines), from the classified lines.
local function report_context(rep, cl, last)
	local K, I = cl.kinds, cl.info
	rep.taint = {}
	for z = rep.line, math.min(last, #K) do
		local k = K[z]
		if k == "k.cpu" and not rep.comm then
			rep.comm, rep.taint, rep.tainted = I[z].comm, I[z].taint, I[z].tainted
		elseif k == "k.modules" and not rep.modules then
			rep.modules = I[z].modules
		end
	end
	return rep
end

--- Reports in the log (at most max, default 20), in order: {line=,
-- title=, alt=, corrupted=, reason=, taint=, tainted=, comm=, modules=}.
function M.kernel_reports(lines, cl, max)
	cl = cl or M.classify(lines)
	local reps = R.parse_all(lines, max or 20, M.log_start(lines))
	for i, rep in ipairs(reps) do
		local last = reps[i + 1] and reps[i + 1].line - 1 or rep.line + #rep.report
		report_context(rep, cl, last)
	end
	return reps
end

--- The syzkaller-style header of a report file: {TITLE=, ALT={...}, TYPE=, ...}.
function M.syzkaller_header(lines)
	local h = { ALT = {} }
	for _, s in ipairs(lines) do
		if find(s, "^%s*$") then break end
		local k, v = match(s, "^([A-Z]+): (.*)$")
		if k == "ALT" then h.ALT[#h.ALT + 1] = v elseif k then h[k] = v end
	end
	return h
end

--- The headline of a kernel log: its first report's title, or nil; and
-- that report.
function M.headline(lines, cl)
	local rep = R.parse(lines, M.log_start(lines))
	if not rep then return nil end
	if cl then report_context(rep, cl, rep.line + #rep.report) end
	return rep.title, rep
end

M.TAINT = {
	P = "proprietary module", G = "only GPL modules", F = "module force-loaded", S = "out of spec / SMP unsafe",
	R = "module force-unloaded", M = "machine check", B = "bad page", U = "user request", D = "died recently (oops)",
	A = "ACPI table overridden", W = "warning issued", C = "staging driver", I = "firmware workaround",
	O = "out-of-tree module", E = "unsigned module", L = "soft lockup", K = "live patched", X = "auxiliary",
	T = "struct randomization", N = "test module",
}

return M
