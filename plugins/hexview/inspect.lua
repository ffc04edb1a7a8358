-- hexview.inspect: the data inspector. decode(b, pos) reads up to 8 bytes
-- at pos and returns every reading of them; encode(kind, text) turns what
-- the user typed into the bytes to write.
local parse = require("hexview.parse")
local M = {}

-- The rows of the inspector, in order: name, pack format (nil: special).
M.kinds = {
  "u8", "i8", "u16le", "i16le", "u16be", "i16be", "u32le", "i32le", "u32be", "i32be",
  "u64le", "i64le", "u64be", "i64be", "f32le", "f32be", "f64le", "f64be",
  "binary", "char", "time32le", "time32be", "time64le",
}

local function float_text(x, size)
  if x ~= x then return "nan" end
  if x == math.huge then return "inf" elseif x == -math.huge then return "-inf" end
  return ("%." .. (size == 4 and 9 or 17) .. "g"):format(x)
end

local function char_text(c)
  if c >= 0x20 and c < 0x7f then return ("'%s'"):format(string.char(c)) end
  local names = {[0] = "NUL", [9] = "TAB", [10] = "LF", [13] = "CR", [27] = "ESC", [127] = "DEL"}
  return names[c] or ("\\x%02x"):format(c)
end

local function time_text(v)
  if v < 0 or v > 253402300799 then return "out of range" end
  return os.date("!%Y-%m-%d %H:%M:%S UTC", v)
end

-- decode(bytes) -> {{name, text}, ...} for the readings that fit in bytes.
function M.decode_bytes(s)
  local out = {}
  for _, k in ipairs(M.kinds) do
    local t = parse.types[k]
    local text
    if t and #s >= t.size then
      local v = string.unpack(t.fmt, s)
      if not t.int then
        text = float_text(v, t.size)
      elseif k:sub(1, 1) == "u" then
        text = parse.unsigned(v)
      else
        text = tostring(v)
      end
    elseif k == "binary" and #s >= 1 then
      local c, bits = s:byte(1), {}
      for i = 7, 0, -1 do bits[#bits + 1] = (c >> i) & 1 end
      text = table.concat(bits)
    elseif k == "char" and #s >= 1 then
      text = char_text(s:byte(1))
    elseif k:match("^time") then
      local size = k == "time64le" and 8 or 4
      if #s >= size then
        local fmt = ({time32le = "<I4", time32be = ">I4", time64le = "<i8"})[k]
        text = time_text(string.unpack(fmt, s))
      end
    end
    if text then out[#out + 1] = {k, text} end
  end
  return out
end

function M.decode(b, pos)
  return M.decode_bytes(b:text(pos, 8))
end

-- Days since 1970-01-01 of a civil date (proleptic Gregorian).
local function days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

-- encode(kind, text) -> bytes or nil, message.
function M.encode(kind, text)
  kind = (kind or ""):lower()
  text = (text or ""):gsub("^%s+", ""):gsub("%s+$", "")
  if parse.types[kind] then return parse.value(kind, text) end
  if kind == "binary" then
    if not text:match("^[01]+$") or #text > 8 then return nil, "binary is up to 8 digits 0/1" end
    return string.char(tonumber(text, 2))
  elseif kind == "char" then
    local c = text:match("^'(.)'$") or text
    if #c ~= 1 then return nil, "one ASCII character" end
    return c
  elseif kind:match("^time") then
    local v = math.tointeger(tonumber(text))
    if not v then
      local y, mo, d, h, mi, s = text:match("^(%d+)-(%d+)-(%d+)[ T]?(%d*):?(%d*):?(%d*)")
      if not y then return nil, "a time is seconds or YYYY-MM-DD HH:MM:SS (UTC)" end
      v = days_from_civil(tonumber(y), tonumber(mo), tonumber(d)) * 86400
        + (tonumber(h) or 0) * 3600 + (tonumber(mi) or 0) * 60 + (tonumber(s) or 0)
    end
    local fmt = ({time32le = "<I4", time32be = ">I4", time64le = "<i8"})[kind]
    if not fmt then return nil, "unknown type " .. kind end
    if fmt ~= "<i8" and (v < 0 or v > 0xffffffff) then return nil, "does not fit in 32 bits" end
    return string.pack(fmt, v)
  end
  return nil, "unknown type " .. kind .. " (" .. table.concat(M.kinds, " ") .. ")"
end

-- text(b, pos) -> the inspector as lines of text.
function M.text(b, pos)
  local lines = {("offset 0x%x (%d) of %d"):format(pos, pos, b:len())}
  for _, r in ipairs(M.decode(b, pos)) do
    lines[#lines + 1] = ("%-9s %s"):format(r[1], r[2])
  end
  return lines
end

return M
