-- logview.demangle: function names of C++ and Rust frames as people read
-- them, for crash headlines: "_Z8fakeNameiii" is fakeName,
-- "_RNvMs3_NtCs1_11rust_binder7processNtB5_7Process10update_ref" is
-- <rust_binder::process::Process>::update_ref. Pure Lua.
--
--   local D = require("logview.demangle")
--   D.name("_ZN3foo3barEv")   --> "foo::bar" (nil when s is not mangled)
local M = {}

local byte, sub, find = string.byte, string.sub, string.find

--{====================================================================
-- C++ (Itanium ABI): plain and nested names, enough for a headline
--=====================================================================

local function cxx(s)
	local i, parts = 3, {}
	local nested = sub(s, i, i) == "N"
	if nested then i = i + 1 end
	repeat
		-- Qualifiers of a nested name (const, volatile) come first.
		while nested and find(sub(s, i, i), "[rVK]") do i = i + 1 end
		local len = s:match("^%d+", i)
		if not len then break end
		i = i + #len
		parts[#parts + 1] = sub(s, i, i + tonumber(len) - 1)
		i = i + tonumber(len)
	until not nested or sub(s, i, i) == "E"
	if #parts == 0 then return nil end
	return table.concat(parts, "::")
end

--{====================================================================
-- Rust (v0 mangling, RFC 2603)
--=====================================================================

local BASIC = {
	a = "i8", b = "bool", c = "char", d = "f64", e = "str", f = "f32", h = "u8", i = "isize", j = "usize",
	l = "i32", m = "u32", n = "i128", o = "u128", s = "i16", t = "u16", u = "()", v = "...", x = "i64",
	y = "u64", z = "!", p = "_",
}

-- A parser over s from position p (after "_R"); every method returns the
-- text or raises "bad" for what it cannot read.
local function rust(s)
	local start = 3
	local p = start
	local depth = 0
	local function bad() error("bad", 0) end
	local function peek() return sub(s, p, p) end
	local function take() local c = sub(s, p, p); p = p + 1; return c end

	-- base-62 number ended by "_": "_" is 0, digits are the value + 1.
	local function base62()
		if peek() == "_" then p = p + 1 return 0 end
		local v = 0
		while true do
			local c = byte(s, p)
			if not c then bad() end
			p = p + 1
			if c == 95 then return v + 1 end
			local d
			if c >= 48 and c <= 57 then d = c - 48
			elseif c >= 97 and c <= 122 then d = c - 97 + 10
			elseif c >= 65 and c <= 90 then d = c - 65 + 36
			else bad() end
			v = v * 62 + d
		end
	end
	local function disambiguator()
		if peek() == "s" then p = p + 1; base62() end
	end
	local function ident()
		disambiguator()
		if peek() == "u" then bad() end -- punycode: not read
		local len = s:match("^%d+", p)
		if not len then bad() end
		p = p + #len
		if peek() == "_" then p = p + 1 end
		local n = tonumber(len)
		local id = sub(s, p, p + n - 1)
		if #id ~= n then bad() end
		p = p + n
		return id
	end
	local path, typ
	-- A back reference: the same production read again at an earlier place.
	local function backref(fn)
		local at = base62() + start
		if at >= p then bad() end
		depth = depth + 1
		if depth > 50 then bad() end
		local save = p
		p = at
		local r = fn()
		p = save
		depth = depth - 1
		return r
	end
	local function generic_args()
		local args = {}
		while peek() ~= "E" do
			if peek() == "L" then p = p + 1; base62() -- a lifetime: not shown
			elseif peek() == "K" then p = p + 1; args[#args + 1] = "_"; typ() -- a const
			else args[#args + 1] = typ() end
		end
		p = p + 1
		return #args > 0 and ("<" .. table.concat(args, ", ") .. ">") or ""
	end
	function path()
		local c = take()
		if c == "C" then return ident() end
		if c == "N" then
			local ns = take()
			local inner = path()
			local id = ident()
			if find(ns, "%u") then
				-- Closures, shims: "{closure#0}".
				local kind = ns == "C" and "closure" or ns == "S" and "shim" or ns
				return inner .. "::{" .. kind .. "#0}"
			end
			return id ~= "" and (inner .. "::" .. id) or inner
		end
		if c == "M" then
			disambiguator(); path()
			return "<" .. typ() .. ">"
		end
		if c == "X" then
			disambiguator(); path()
			local t = typ()
			return "<" .. t .. " as " .. path() .. ">"
		end
		if c == "Y" then
			local t = typ()
			return "<" .. t .. " as " .. path() .. ">"
		end
		if c == "I" then
			local base = path()
			return base .. "::" .. generic_args()
		end
		if c == "B" then return backref(path) end
		bad()
	end
	function typ()
		local c = peek()
		if BASIC[c] then p = p + 1 return BASIC[c] end
		if c == "R" or c == "Q" then
			p = p + 1
			if peek() == "L" then p = p + 1; base62() end
			return (c == "R" and "&" or "&mut ") .. typ()
		end
		if c == "P" or c == "O" then p = p + 1 return (c == "P" and "*const " or "*mut ") .. typ() end
		if c == "S" then p = p + 1 return "[" .. typ() .. "]" end
		if c == "A" then p = p + 1; local t = typ(); return "[" .. t .. "; _]" end
		if c == "T" then
			p = p + 1
			local t = {}
			while peek() ~= "E" do t[#t + 1] = typ() end
			p = p + 1
			return "(" .. table.concat(t, ", ") .. ")"
		end
		if c == "B" then p = p + 1 return backref(typ) end
		return path()
	end
	local ok, r = pcall(path)
	return ok and r or nil
end

--- The readable name of a mangled symbol, or nil when s is not one (or
-- not one these rules read).
function M.name(s)
	if sub(s, 1, 2) == "_Z" then return cxx(s) end
	if sub(s, 1, 2) == "_R" then return rust(s) end
	return nil
end

return M
