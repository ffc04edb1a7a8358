-- hexview.parse: the little languages of the hex view's commands.
--   offsets   0x2f0  752  2f0h  +0x10  -16  end
--   ranges    0x2f0..0x6b0 (end exclusive)  0x2f0+0x3c0 (length)
--   patterns  "00 ?? 12 00", "0012??00", "1? f?" (a ? is one nibble)
--   values    u8 i8 u16le u16be i16le ... u64be f32le f64be
local M = {}

local function number(s)
  s = s:lower()
  local n
  if s:match("^0x%x+$") then
    n = tonumber(s:sub(3), 16)
  elseif s:match("^%x+h$") then
    n = tonumber(s:sub(1, -2), 16)
  elseif s:match("^%d+$") then
    n = tonumber(s, 10)
  end
  return n and math.tointeger(n)
end
M.number = number

-- offset(text, cursor, len) -> absolute offset, or nil, message.
-- A sign makes it relative to cursor; "end" is len. Clamped to [0, len].
function M.offset(s, cur, len)
  s = (s or ""):gsub("^%s+", ""):gsub("%s+$", "")
  if s == "" then return nil, "an offset is needed (0x2f0, 752, +0x10)" end
  if s == "end" then return len end
  local sign, rest = s:match("^([+-]?)%s*(.-)$")
  local n = number(rest)
  if not n then return nil, "not an offset: " .. s end
  local at = sign == "+" and cur + n or sign == "-" and cur - n or n
  if at < 0 then at = 0 end
  if at > len then at = len end
  return at
end

-- range(text, b) -> pos, len or nil, message. "" is the primary
-- selection when it is not empty, else the whole buffer.
function M.range(s, b)
  s = (s or ""):gsub("^%s+", ""):gsub("%s+$", "")
  local len = b:len()
  if s == "" or s == "selection" then
    local sels, p = b:selections()
    local a, h = sels[p][1], sels[p][2]
    if a ~= h then return math.min(a, h), math.abs(a - h) end
    return 0, len
  end
  if s == "all" then return 0, len end
  local a, e = s:match("^(%S+)%s*%.%.%s*(%S+)$")
  local plus = false
  if not a then a, e = s:match("^(%S-)%s*%+%s*(%S+)$"); plus = a ~= nil end
  if not a then return nil, "a range is START..END or START+LENGTH: " .. s end
  local p, q = number(a), number(e)
  if not p or not q then return nil, "not a range: " .. s end
  if plus then q = p + q end
  if p > q or q > len then return nil, ("range %s is outside the buffer (%d bytes)"):format(s, len) end
  return p, q - p
end

-- hexbytes("00 ?? 1? 00") -> pattern, mask (mask bits 1 where they count:
-- "1?" is byte 0x10 under mask 0xf0), or nil, message. A pattern of
-- wildcards only would match everything: refused.
function M.hexbytes(s)
  local digits = (s or ""):gsub("[%s,]", "")
  if digits:sub(1, 2):lower() == "0x" then digits = digits:sub(3) end
  if digits == "" or #digits % 2 == 1 or digits:find("[^%x?]") then
    return nil, "hex bytes are pairs of hex digits or ?: " .. (s or "")
  end
  if not digits:find("%x") then
    return nil, "a hex pattern needs at least one fixed digit: " .. s
  end
  local pat, mask = {}, {}
  for i = 1, #digits, 2 do
    local v, m = 0, 0
    for k = 0, 1 do
      local c = digits:sub(i + k, i + k)
      local shift = k == 0 and 4 or 0
      if c ~= "?" then
        v = v | (tonumber(c, 16) << shift)
        m = m | (0xf << shift)
      end
    end
    pat[#pat + 1], mask[#mask + 1] = string.char(v), string.char(m)
  end
  return table.concat(pat), table.concat(mask)
end

-- Integer and float types: name -> string.pack format and size.
local types = {}
for _, bits in ipairs({8, 16, 32, 64}) do
  local n = bits // 8
  for _, sign in ipairs({"u", "i"}) do
    local f = (sign == "u" and "I" or "i") .. n
    if bits == 8 then
      types[sign .. "8"] = {fmt = "<" .. f, size = 1, int = true}
    else
      types[sign .. bits .. "le"] = {fmt = "<" .. f, size = n, int = true}
      types[sign .. bits .. "be"] = {fmt = ">" .. f, size = n, int = true}
    end
  end
end
types.f32le = {fmt = "<f", size = 4}
types.f32be = {fmt = ">f", size = 4}
types.f64le = {fmt = "<d", size = 8}
types.f64be = {fmt = ">d", size = 8}
M.types = types

-- Unsigned decimal text of a 64-bit integer.
function M.unsigned(v)
  if v >= 0 then return tostring(v) end
  local q = (v >> 1) // 5
  return ("%d%d"):format(q, v - q * 10)
end

-- value(type, text) -> bytes or nil, message: text is decimal, 0x hex or
-- a float, checked against the type's range.
function M.value(tname, text)
  local t = types[(tname or ""):lower()]
  if not t then return nil, "unknown type " .. tostring(tname) .. " (u8 i8 u16le ... u64be f32le f64be)" end
  text = (text or ""):gsub("^%s+", ""):gsub("%s+$", "")
  if not t.int then
    local x = tonumber(text)
    if not x then return nil, "not a number: " .. text end
    return string.pack(t.fmt, x)
  end
  local neg, body = text:match("^(%-?)(.+)$")
  local v = number(body or "")
  if not v and (body or ""):match("^%d+$") and #body <= 20 then
    -- Above 2^63: only u64 takes it, as its two's complement.
    local hi, lo = tonumber(body:sub(1, -2)), tonumber(body:sub(-1))
    if hi and hi <= 1844674407370955161 then v = math.tointeger(hi * 10 + lo) end
  end
  if not v then return nil, "not an integer: " .. text end
  if neg == "-" then v = -v end
  local bits = t.size * 8
  local signed = tname:sub(1, 1):lower() == "i"
  if bits < 64 then
    local lo = signed and -(1 << (bits - 1)) or 0
    local hi = signed and (1 << (bits - 1)) - 1 or (1 << bits) - 1
    if v < lo or v > hi then return nil, ("%s does not fit in %s"):format(text, tname) end
  elseif not signed and neg == "-" then
    return nil, "u64 is not negative"
  end
  return string.pack(t.fmt, v)
end

return M
