-- logview.classify: recognizes dtrace output and kernel logs, line by line.
-- Pure Lua without brisk.*: usable headless, by tests and by the summary.
--
--   local C = require("logview.classify")
--   local st = C.new()                  -- state carried from line to line
--   local kind, info = st:line(text)    -- e.g. "dt.probe", {cpu=0, id=14, func="open", name="entry", data="..."}
--   local r = C.classify(lines)         -- whole text: kinds, counts, format, blocks, reports
--   local t = C.kernel_reports(lines)   -- oops reports with their headline ("BUG: ... in func")
--
-- Kinds ("dt." dtrace, "k." kernel):
--   dt.header dt.probe dt.list_header dt.list dt.description dt.error dt.drop
--   dt.info dt.hist_key dt.hist_header dt.hist_row dt.agg dt.stack
--   dt.stack_count dt.flow dt.columns_header dt.columns dt.timed dt.prompt
--   dt.interrupt dt.stderr
--   k.meta (syzkaller header) k.oops k.oops2 (Oops:/invalid opcode: right
--   after a k.oops) k.panic k.cut k.end k.ip k.regs k.trace k.frame k.marker
--   k.modules k.cpu k.hw k.code k.msg
--   blank text
local M = {}

-- Kinds that navigation treats as errors.
M.ERRORS = { ["k.oops"] = true, ["k.panic"] = true, ["dt.error"] = true, ["dt.drop"] = true }

-- Style names a decoration layer can map to colours.
M.STYLE = {
	["dt.header"] = "heading", ["dt.list_header"] = "heading", ["dt.hist_header"] = "heading",
	["dt.columns_header"] = "heading", ["dt.probe"] = "probe", ["dt.list"] = "probe",
	["dt.error"] = "error", ["dt.drop"] = "warning", ["dt.info"] = "comment",
	["dt.description"] = "comment", ["dt.hist_key"] = "key", ["dt.hist_row"] = "number",
	["dt.agg"] = "number", ["dt.stack"] = "frame", ["dt.stack_count"] = "number",
	["dt.flow"] = "function", ["dt.prompt"] = "comment", ["dt.interrupt"] = "comment",
	["dt.stderr"] = "comment", ["dt.timed"] = "time",
	["k.meta"] = "comment", ["k.oops"] = "error", ["k.oops2"] = "error", ["k.panic"] = "error",
	["k.cut"] = "warning", ["k.end"] = "warning", ["k.ip"] = "key", ["k.regs"] = "number",
	["k.trace"] = "heading", ["k.frame"] = "frame", ["k.marker"] = "frame",
	["k.modules"] = "comment", ["k.cpu"] = "key", ["k.hw"] = "comment", ["k.code"] = "comment",
}

local find, match, sub, gsub = string.find, string.match, string.sub, string.gsub

local function trim(s) return (match(s, "^%s*(.-)%s*$")) end

--{====================================================================
-- Kernel lines
--=====================================================================

-- Splits a console line into its timestamp (seconds, or nil) and body:
-- "[  772.918915] ...", "[  180.18][ T6213] ...", syslog "... kernel: ...".
local byte = string.byte
local B_LBRACKET = byte("[")

function M.kernel_prefix(s)
	local c = byte(s, 1)
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

-- Oops headlines: pattern on the body, title, and how to name the guilty
-- function: "line" (from this line's func+off), "lock" (the line after
-- "is trying to acquire lock"), "stack" (the first frame worth blaming).
local OOPS = {
	{ "BUG: unable to handle kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference" },
	{ "BUG: kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference" },
	{ "Unable to handle kernel NULL pointer dereference", "BUG: unable to handle kernel NULL pointer dereference" },
	{ "BUG: unable to handle kernel paging request", "BUG: unable to handle kernel paging request" },
	{ "BUG: unable to handle page fault", "BUG: unable to handle kernel paging request" },
	{ "Unable to handle kernel paging request", "BUG: unable to handle kernel paging request" },
	{ "BUG: KASAN: ", "KASAN", "kasan" },
	{ "BUG: KMSAN: ", "KMSAN", "kmsan" },
	{ "BUG: KFENCE: ", "KFENCE", "kasan" },
	{ "BUG: soft lockup", "BUG: soft lockup" },
	{ "BUG: sleeping function called from invalid context", "BUG: sleeping function called from invalid context" },
	{ "BUG: scheduling while atomic", "BUG: scheduling while atomic" },
	{ "BUG: spinlock", "BUG: spinlock" },
	{ "BUG: Bad page", "BUG: Bad page" },
	{ "BUG: workqueue lockup", "BUG: workqueue lockup" },
	{ "BUG: ", "BUG" },
	{ "general protection fault", "general protection fault" },
	{ "kernel BUG at ", "kernel BUG" },
	{ "WARNING: possible circular locking dependency detected", "possible deadlock", "lock" },
	{ "WARNING: possible recursive locking detected", "possible deadlock", "lock" },
	{ "WARNING: inconsistent lock state", "inconsistent lock state" },
	{ "WARNING: suspicious RCU usage", "WARNING: suspicious RCU usage" },
	{ "refcount_t: ", "WARNING: refcount bug" },
	{ "list_del corruption", "BUG: corrupted list" },
	{ "list_add corruption", "BUG: corrupted list" },
	{ "WARNING: CPU: %d+ PID: %d+ at ", "WARNING", "line" },
	{ "WARNING: at ", "WARNING", "line" },
	{ "WARNING: ", "WARNING" },
	{ "UBSAN: Undefined behaviour in", "UBSAN: undefined-behaviour" },
	{ "UBSAN: ", "UBSAN", "ubsan" },
	{ "INFO: task .- blocked for more than", "INFO: task hung" },
	{ "INFO: rcu_%w+ self%-detected stall", "INFO: rcu detected stall" },
	{ "INFO: rcu_%w+ detected stall", "INFO: rcu detected stall" },
	{ "rcu: INFO: rcu_%w+ self%-detected stall", "INFO: rcu detected stall" },
	{ "rcu: INFO: rcu_%w+ detected stall", "INFO: rcu detected stall" },
	{ "INFO: ", "INFO" },
	{ "divide error: ", "divide error" },
	{ "stack segment: ", "stack segment fault" },
	{ "Internal error: Oops", "Oops" },
	{ "unregister_netdevice: waiting for", "unregister_netdevice: waiting for DEV to become free" },
}

-- Secondary lines of a report already started (the Oops: line after a BUG:).
local OOPS2 = { "^Oops: ", "^invalid opcode: ", "^Internal error: ", "^Oops#" }

local REG_PATTERNS = {
	"^R[SB]P: ", "^RAX: ", "^RDX: ", "^R%d+: ", "^FS: ", "^CS: ", "^CR2: ", "^DR%d: ",
	"^E[A-Z][A-Z]: ", "^ESP: ", "^DS: ", "^EFLAGS: ", "^PKRU: ",
	"^pc : ", "^lr : ", "^sp : ", "^x%d+ ?: ", "^r%d+ ?: ", "^Flags: ", "^Control: ",
	"^psr: ", "^pstate: ", "^task: ", "^Stack: %(", "^%x%x%x%x: [%x ]+$", "^ ?%x+ %x+ %x+ %x+",
	"^ *ffff%x+ %x+ %x+", "^Process .+%(pid: %d+, stack limit",
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
		local rest = match(t, "^%[<%x+>%]%s*(.*)$")
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
		or match(body, "^pc : (.*)$")
	if not rest then return nil end
	local f = match(rest, "([%a_][%w_%.]*)%+0x%x+/0x%x+")
	return M.clean_func(f), true
end

local function is_marker(body)
	return find(body, "^%s*</?[A-Z]+>%s*$") ~= nil
end

local function classify_kernel(st, s)
	local ts, body = M.kernel_prefix(s)
	if not ts and st.syz_header and match(s, "^[A-Z]+: ") then return "k.meta" end
	if find(body, "^%-%-%-%-+%[ cut here %]%-%-%-%-+") then st.ktrace = false; return "k.cut" end
	if find(body, "^%-%-%-%[ end ") then st.ktrace = false; return "k.end" end
	if find(body, "^Kernel panic %- not syncing") then st.ktrace = false; return "k.panic" end
	if first_match(OOPS2_BY, body, ident) then
		local recent = st.last_oops and st.n - st.last_oops <= 12
		if recent then return "k.oops2" end
		st.last_oops = st.n
		st.ktrace = false
		return "k.oops", { title = "Oops" }
	end
	local b2 = body
	if byte(body, 1) == byte("w") or byte(body, 1) == byte("k") then
		b2 = match(body, "^watchdog: (.*)$") or match(body, "^kernel: (.*)$") or body
	end
	local o = first_match(OOPS_BY, b2, oops_pat)
	if o then
		-- A second headline right after one (list_del corruption, cut
		-- here, kernel BUG at) belongs to the same report.
		if st.last_oops and st.n - st.last_oops <= 3 then return "k.oops2" end
		st.last_oops = st.n
		st.ktrace = false
		return "k.oops", { title = o[2], how = o[3], body = b2 }
	end
	if find(body, "^Call Trace:") or find(body, "^Backtrace:") or find(body, "^Call trace:") then
		st.ktrace = true
		return "k.trace"
	end
	if find(body, "^R?IP: ") or find(body, "^EIP: ") or find(body, "^PC is at ") or find(body, "^LR is at ") then
		return "k.ip", { func = M.ip_func(body) }
	end
	if is_marker(body) then return "k.marker" end
	local f, reliable = M.kernel_frame(body)
	if f then return "k.frame", { func = f, reliable = reliable } end
	if find(body, "^Modules linked in:") then
		local mods = {}
		for m in string.gmatch(match(body, "^Modules linked in:(.*)$"), "[%w_%-]+") do mods[#mods + 1] = m end
		return "k.modules", { modules = mods }
	end
	if find(body, "^CPU: %d+ .*PID: %d+") then
		local taint = match(body, " Tainted: ([A-Z ]-)%s*%d") or match(body, " Tainted: ([A-Z ]-)%s*$")
		local flags = {}
		if taint then for c in string.gmatch(taint, "%u") do flags[#flags + 1] = c end end
		return "k.cpu", { comm = match(body, "Comm: (%S+)"), pid = tonumber(match(body, "PID: (%d+)")),
			cpu = tonumber(match(body, "^CPU: (%d+)")), tainted = taint ~= nil, taint = flags,
			version = match(body, "ainted:? ?[A-Z ]-%s*(%d[%w%.%-%+_]*)") }
	end
	if find(body, "^Hardware name: ") then return "k.hw" end
	if find(body, "^Code: ") then return "k.code" end
	if first_match(REG_BY, body, ident) then return "k.regs" end
	if ts then return "k.msg", { ts = ts } end
	return nil
end

--{====================================================================
-- dtrace lines
--=====================================================================

-- Bars of a histogram row: spaces, '@' and '|' only.
local function hist_row(s)
	local label, bar, c = match(s, "^%s*(.-%S) ([ @|]+) (%-?%d+)%s*$")
	if not label or not find(bar, "|", 1, true) then return nil end
	local v = match(label, "(%-?%d+)$")
	if not v then return nil end
	local edge = match(label, "([<>]=?)%s*%-?%d+$")
	return { edge = edge, value = tonumber(v), count = tonumber(c), bar = bar, label = label }
end

local function probe_line(s)
	local cpu, id, fn, name, data = match(s, "^%s*(%d+)%s+(%d+)%s+([%w_%.%$%-]*):([%w_%.%-]+)%s*(.-)%s*$")
	if not cpu then
		cpu, id, fn, name, data = match(s, "^%s*([#%d]+)%s+(%u*%d*)%s+([%w_%.%$%-]*):([%w_%.%-]+)%s*(.-)%s*$")
		if not cpu or id == "" then return nil end
	end
	return { cpu = tonumber(cpu) or cpu, id = tonumber(id) or id, func = fn, name = name,
		probe = fn .. ":" .. name, data = data }
end

local function columns_header(s)
	-- Units in parentheses may be lower case: "TIME(ns)", "TIME (ns)".
	local t = s
	if find(t, "(", 1, true) then t = gsub(t, "%s*%b()", "") end
	if find(t, "%l") or not find(t, "%u%u") then return false end
	t = trim(t)
	if #t < 5 or find(t, "^#") then return false end
	local n = 0
	for w in string.gmatch(t, "%S+") do
		if not find(w, "^[%u%%/_%-]+$") or not find(w, "%u%u") and not find(w, "^%u$") then
			return false
		end
		n = n + 1
	end
	return n >= 2 and find(s, "  ") ~= nil and n
end

local MONTH = "%u%l%l"

local B_d, B_C, B_F, B_I, B_v, B_DASH, B_CARET, B_HASH, B_LT, B_EQ, B_AT =
	byte("d"), byte("C"), byte("F"), byte("I"), byte("v"), byte("-"), byte("^"), byte("#"), byte("<"), byte("="), byte("@")

local function is_digit(c) return c >= 48 and c <= 57 end
local function is_word(c) return (c >= 48 and c <= 57) or (c >= 65 and c <= 90) or (c >= 97 and c <= 122) or c == 95 end

-- The checks are gated by the first non-blank byte: a line is tried only
-- against the shapes that can start with it.
local function classify_dtrace(st, s)
	local i = find(s, "%S")
	if not i then return nil end
	local c = byte(s, i)
	-- Lines with a "dtrace:" prefix: errors, drops, information.
	if c == B_d and find(s, "^dtrace: ", i) then
		local body = sub(s, i + 8)
		local n, what, cpu = match(body, "^%[?[%u_]*%]?%s*(%d+) (.-)drops? on CPU (%S+)")
		if n then return "dt.drop", { drops = tonumber(n), what = trim(what), cpu = tonumber(cpu) or cpu } end
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
	if c == B_HASH and (find(s, "^# ", i) or find(s, "^#%s*$", i)) then return "dt.prompt" end
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
	-- Flow: "-> func", "<- func", "=> syscall", "<= syscall", with an
	-- optional CPU column.
	if is_digit(c) or c == B_DASH or c == B_LT or c == B_EQ then
		local cpu, arrow, fn = match(s, "^(%d*) *([%-<=][>%-=])%s+([%w_%.%$`:]+)", i)
		if arrow == "->" or arrow == "<-" or arrow == "=>" or arrow == "<=" then
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
	end
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
	return setmetatable({ n = 0, ctx = nil, ktrace = false, syz_header = true, prev_blank = true,
		last_key = nil }, State)
end

--- Classifies the next line; returns kind and a table of fields (or nil).
function State:line(s)
	self.n = self.n + 1
	if find(s, "^%s*$") then
		if self.ctx ~= "probe" then self.ctx = nil end
		self.syz_header = false
		self.prev_blank = true
		return "blank"
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
			self.last_key = { n = self.n, kind = "dt.probe" }
			return "dt.probe", p
		end
	end
	if not find(s, "^%s*dtrace: ") then kind, info = classify_kernel(self, s) end
	if not kind or kind == "k.msg" then
		local k2, i2 = classify_dtrace(self, s)
		-- A timestamped kernel line stays kernel unless dtrace is sure.
		if k2 and (not kind or (k2 ~= "dt.agg" and k2 ~= "dt.columns" and k2 ~= "dt.columns_header")) then
			kind, info = k2, i2
		end
	end
	if kind == "dt.hist_header" and self.last_key and self.last_key.n == self.n - 1 then
		self.last_key.is_key = true
	end
	if not kind then kind = "text" end
	if kind ~= "dt.hist_row" and kind ~= "dt.hist_header" then self.last_key = { n = self.n, kind = kind } end
	self.prev_blank = false
	return kind, info
end

--{====================================================================
-- Whole texts
--=====================================================================

local function histogram_type(rows)
	local lt, le, step, pow2, prev = false, false, nil, true, nil
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
		local k, info = st:line(s)
		r.kinds[i], r.info[i] = k, info
		r.counts[k] = (r.counts[k] or 0) + 1
	end
	local dt, kn = 0, 0
	for k, n in pairs(r.counts) do
		if sub(k, 1, 3) == "dt." and k ~= "dt.prompt" and k ~= "dt.interrupt" then dt = dt + n end
		if sub(k, 1, 2) == "k." and k ~= "k.msg" and k ~= "k.meta" then kn = kn + n end
	end
	r.format = (dt > 0 and kn > 0) and "mixed" or dt > 0 and "dtrace" or kn > 0 and "kernel" or "text"
	M.find_blocks(r, lines)
	local f = r.formats
	local c = r.counts
	if c["dt.probe"] then f.probes = true end
	if c["dt.list"] then f.listing = true end
	if c["dt.flow"] then f.flow = true end
	if c["dt.stack"] then f.stack = true end
	if c["dt.error"] then f.error = true end
	if c["dt.drop"] then f.drops = true end
	if c["dt.agg"] then f.aggregation = true end
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
	function B:add(n, k)
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
				run = { kind = "histogram", first = (above and prev ~= "dt.hist_row") and n - 1 or n, last = n }
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
	for i = 1, n do bl:add(i, K[i]) end
	bl:finish()
	local i = 1
	while i <= n do
		if K[i] == "dt.hist_header" then
			local j = i
			while j < n and K[j + 1] == "dt.hist_row" do j = j + 1 end
			local head = i
			for back = 1, 3 do
				local k = K[i - back]
				if not k or k == "dt.hist_row" or k == "dt.hist_header" then break end
				if k ~= "blank" then head = i - back break end
			end
			local rows = {}
			for x = i + 1, j do rows[#rows + 1] = r.info[x] end
			local key = head < i and trim(lines[head]) or ""
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
-- Kernel reports and their headline
--=====================================================================

-- Frames never blamed: the machinery of reporting, locking, waiting,
-- printing and entering the kernel (as syzkaller skips them).
local SKIP = {
	"^dump_stack", "^show_stack", "^__dump_stack", "^panic$", "^__warn", "^warn_slowpath", "^report_bug",
	"^fixup_bug", "^do_trap", "^do_error_trap", "^do_invalid_op", "^invalid_op", "^handle_bug",
	"^exc_", "^asm_exc_", "^do_general_protection", "^general_protection", "page_fault",
	"^no_context", "^__?bad_area", "^do_user_addr_fault", "^do_kern_addr_fault", "^spurious_fault",
	"ubsan", "kasan", "kmsan", "^__msan", "^kmsan", "^check_memory_region", "^__asan",
	"^__?mem[cs][pem][ytv]", "^__?memmove", "^__?str[a-z]*$", "^refcount_", "^__?list_",
	"^lock_", "^__lock_", "^_raw_", "^__raw_", "^do_raw_", "spin_lock", "spin_unlock", "mutex_lock", "mutex_unlock",
	"^__mutex_", "^down_", "^up_", "^__down", "^__up", "^rwsem", "^__rwsem",
	"schedule", "^wait_", "_wait", "^__?filemap_", "fdatawait", "^io_serial", "^serial8250",
	"^uart_", "console", "printk", "^vprintk", "^print_", "^__print", "^hrtimer", "apic_timer_interrupt",
	"^irq_", "^__irq_", "^do_IRQ", "^__do_softirq", "^do_softirq", "^invoke_softirq",
	"^debug_", "^trace_", "^__trace_", "^rcu_", "^__rcu", "^kfree", "^kmalloc", "^__kmalloc",
	"^kmem_cache", "^slab_", "^__slab", "^___slab", "^should_fail", "^fail_dump",
	"^entry_SYSCALL", "^do_syscall", "^syscall_", "^__x64_sys_", "^__ia32_sys_", "^ret_from_fork",
	"^kthread$", "^warn_", "^WARN", "^__WARN", "^bug_handler", "^die$", "^__die", "^oops_",
	"^native_", "^arch_local_", "^smp_call_function_many", "^on_each_cpu",
}

local function skipped(f)
	for _, p in ipairs(SKIP) do
		if find(f, p) then return true end
	end
	return false
end

--- Reports in the log: one per oops headline, in order. Each has line,
-- title ("BUG: unable to handle ... in func" / "... in corrupted"),
-- guilty, corrupted, kind, taint (flags list), modules, comm.
function M.kernel_reports(lines, cl)
	cl = cl or M.classify(lines)
	local K, I, n = cl.kinds, cl.info, #lines
	local reports = {}
	for a = 1, n do
		if K[a] == "k.oops" then
			reports[#reports + 1] = M.report_at(lines, cl, a)
		end
	end
	return reports
end

local function ts_of(s)
	local ts = M.kernel_prefix(s)
	return ts
end

-- Where the report that starts at line a ends (exclusive): the end marker
-- or the next headline of another kind, within a few hundred lines.
local function report_end(K, a, n)
	for z = a + 1, math.min(n, a + 400) do
		if K[z] == "k.end" then return z end
	end
	return math.min(n, a + 400)
end

function M.report_at(lines, cl, a)
	local K, I, n = cl.kinds, cl.info, #lines
	local info = I[a] or {}
	local rep = { line = a, kind = info.title, taint = {}, modules = nil }
	local title = info.title or "BUG"
	local body = info.body or select(2, M.kernel_prefix(lines[a]))
	local how = info.how
	local guilty
	if how == "kasan" then
		-- "BUG: KASAN: use-after-free in func+0x../0x.." + "Read of size N"
		local what, f = match(body, "^BUG: K%u+: ([%w%-]+) in ([%a_][%w_%.]*)")
		local rw
		for z = a + 1, math.min(n, a + 3) do
			rw = match(select(2, M.kernel_prefix(lines[z])), "^(%u%l+) of size %d+")
			if rw then break end
		end
		title = match(body, "^BUG: (K%u+):") .. ": " .. (what or "bug") .. (rw and (" " .. rw) or "")
		guilty = M.clean_func(f)
	elseif how == "kmsan" then
		local what, f = match(body, "^BUG: KMSAN: ([%w%-]+) in ([%a_][%w_%.]*)")
		title = "KMSAN: " .. (what or "bug")
		guilty = M.clean_func(f)
	elseif how == "ubsan" then
		local what = match(body, "^UBSAN: ([%w%-]+)")
		title = "UBSAN: " .. (what or "bug")
	elseif how == "lock" then
		for z = a + 1, math.min(n, a + 20) do
			if find(lines[z], "is trying to acquire") then
				local _, b2 = M.kernel_prefix(lines[z + 1] or "")
				guilty = M.clean_func(match(b2, "([%a_][%w_%.]*)%+0x%x+/0x%x+"))
				break
			end
		end
	elseif how == "line" then
		guilty = M.clean_func(match(body, " ([%a_][%w_%.]*)%+0x%x+/0x%x+"))
	end
	local last = report_end(K, a, n)
	-- Corrupted: a call trace interrupted by another report before its
	-- first frame, or console lines of other times interleaved.
	local corrupted, frames, seen_trace = false, 0, false
	local prev_ts = ts_of(lines[a])
	for z = a + 1, last do
		local k = K[z]
		if k == "k.trace" then
			seen_trace = true
		elseif k == "k.frame" then
			frames = frames + 1
		elseif k == "k.oops" and seen_trace and frames == 0 then
			corrupted = true
			break
		end
		local t = ts_of(lines[z])
		if t and prev_ts and t < prev_ts then corrupted = true end
		if t then prev_ts = t end
		if k == "k.cpu" and not rep.comm then
			rep.comm, rep.taint, rep.tainted = I[z].comm, I[z].taint, I[z].tainted
		elseif k == "k.modules" and not rep.modules then
			rep.modules = I[z].modules
		end
	end
	-- The guilty frame: the first reliable frame not skipped, from the
	-- IP/RIP lines and the call traces, in the order they appear.
	if not guilty and not corrupted then
		local in_trace = false
		for z = a, last do
			local k = K[z]
			if k == "k.trace" then in_trace = true end
			local f, ok
			if k == "k.ip" and not find(lines[z], "LR is at") then
				f, ok = I[z] and I[z].func, true
			elseif k == "k.frame" and (in_trace or how == "kasan" or how == "kmsan") then
				f, ok = I[z].func, I[z].reliable
			end
			if f and ok and not skipped(f) then guilty = f; break end
		end
	end
	if not guilty or corrupted then
		rep.corrupted = true
		rep.title = title .. " in corrupted"
	else
		rep.guilty = guilty
		rep.title = title .. " in " .. guilty
	end
	rep.last = last
	return rep
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

--- The headline of a kernel log: its first report's title, or nil.
function M.headline(lines, cl)
	local reps = M.kernel_reports(lines, cl)
	return reps[1] and reps[1].title, reps[1]
end

M.TAINT = {
	P = "proprietary module", G = "only GPL modules", F = "module force-loaded", S = "out of spec / SMP unsafe",
	R = "module force-unloaded", M = "machine check", B = "bad page", U = "user request", D = "died recently (oops)",
	A = "ACPI table overridden", W = "warning issued", C = "staging driver", I = "firmware workaround",
	O = "out-of-tree module", E = "unsigned module", L = "soft lockup", K = "live patched", X = "auxiliary",
	T = "struct randomization", N = "test module",
}

return M
