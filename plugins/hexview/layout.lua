-- hexview.layout: record layouts described in Lua, shown as a table.
--
--   layout.define{name = "candy", start = 0x2f0, count = 120,   -- or until_zero = true
--                 fields = {{"stars", "u32le"}, {"score", "u32le"}}}
--
-- Fields take the types of hexview.parse (u8 ... u64be, f32le ...) or
-- "bytes[N]" / "char[N]"; their offsets follow each other unless given
-- ({name, type, offset}); the record size is the end of the last field
-- unless `size` says more. Layouts are kept per file (SQLite, state dir).
local parse = require("hexview.parse")
local M = {}

local function field_size(ty)
  local n = ty:match("^bytes%[(%d+)%]$") or ty:match("^char%[(%d+)%]$")
  if n then return tonumber(n) end
  local t = parse.types[ty]
  return t and t.size
end

-- define(spec) -> layout or nil, message (a checked copy with offsets).
function M.define(spec)
  if type(spec) ~= "table" or type(spec.fields) ~= "table" or #spec.fields == 0 then
    return nil, "a layout needs fields = {{name, type}, ...}"
  end
  local L = {name = spec.name or "records", start = spec.start or 0, count = spec.count,
             until_zero = spec.until_zero, fields = {}}
  if not math.tointeger(L.start) or L.start < 0 then return nil, "start must be an offset" end
  if L.count and (not math.tointeger(L.count) or L.count < 0) then return nil, "count must be an integer" end
  if not L.count and not L.until_zero then L.until_zero = true end
  local at = 0
  for i, f in ipairs(spec.fields) do
    local name, ty, off = f.name or f[1], (f.type or f[2] or ""):lower(), f.offset or f[3]
    local size = field_size(ty)
    if type(name) ~= "string" or not size then
      return nil, ("field %d: a name and a type (u8 ... u64be, f32le, bytes[N], char[N])"):format(i)
    end
    off = off or at
    L.fields[i] = {name = name, type = ty, offset = off, size = size}
    at = math.max(at, off + size)
  end
  L.size = spec.size or at
  if L.size < at or L.size < 1 then return nil, "size is smaller than the fields" end
  return L
end

-- How many records the buffer holds: count (clipped to the end), or up to
-- the first all-zero record.
function M.records(b, L)
  local room = (b:len() - L.start) // L.size
  if room < 0 then return 0 end
  if L.count then return math.min(L.count, room) end
  local zero = string.rep("\0", L.size)
  for i = 0, room - 1 do
    if b:text(L.start + i * L.size, L.size) == zero then return i end
  end
  return room
end

function M.record_at(L, i)
  return L.start + i * L.size
end

function M.field(L, name)
  for _, f in ipairs(L.fields) do
    if f.name == name then return f end
  end
end

-- The value of one field as text.
function M.read(b, L, i, f)
  local s = b:text(M.record_at(L, i) + f.offset, f.size)
  local t = parse.types[f.type]
  if t then
    if #s < t.size then return "" end
    local v = string.unpack(t.fmt, s)
    if not t.int then return ("%.9g"):format(v) end
    return f.type:sub(1, 1) == "u" and parse.unsigned(v) or tostring(v)
  end
  if f.type:match("^char") then return (s:gsub("%z+$", ""):gsub("[^\32-\126]", ".")) end
  return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end))
end

-- The bytes of a field's new value.
function M.encode(f, text)
  if parse.types[f.type] then return parse.value(f.type, text) end
  local s = text
  if f.type:match("^bytes") then
    local p, m = parse.hexbytes(text)
    if not p or m:find("[^\255]") then return nil, "bytes are hex digits" end
    s = p
  end
  if #s > f.size then return nil, ("%s holds %d bytes"):format(f.name, f.size) end
  return s .. string.rep("\0", f.size - #s)
end

-- lines(b, L) -> the table: a header, then one line per record.
function M.lines(b, L)
  local n = M.records(b, L)
  local head = {("%-5s %-8s"):format("#", "offset")}
  for _, f in ipairs(L.fields) do head[#head + 1] = ("%12s"):format(f.name) end
  local out = {("%s: %d records of %d bytes at 0x%x"):format(L.name, n, L.size, L.start), table.concat(head, " ")}
  for i = 0, n - 1 do
    local row = {("%-5d %08x"):format(i, M.record_at(L, i))}
    for _, f in ipairs(L.fields) do row[#row + 1] = ("%12s"):format(M.read(b, L, i, f)) end
    out[#out + 1] = table.concat(row, " ")
  end
  return out
end

-- ===== kept per file =====

local db
local function store()
  if db and db:is_open() then return db end
  if not brisk.db then return nil, "no SQLite" end
  local d, err = brisk.db.open(brisk.state_dir .. "/hexview.db")
  if not d then return nil, err end
  d:exec("CREATE TABLE IF NOT EXISTS layouts(path TEXT PRIMARY KEY, spec TEXT NOT NULL)")
  db = d
  return db
end

function M.save(path, L)
  local d, err = store()
  if not d then return nil, err end
  local spec = {name = L.name, start = L.start, count = L.count, until_zero = L.until_zero,
                size = L.size, fields = {}}
  for i, f in ipairs(L.fields) do spec.fields[i] = {f.name, f.type, f.offset} end
  d:exec("INSERT OR REPLACE INTO layouts(path, spec) VALUES (?, ?)", path, brisk.json.encode(spec))
  return true
end

function M.load(path)
  local d = store()
  if not d then return nil end
  local row = d:first("SELECT spec FROM layouts WHERE path = ?", path)
  if not row then return nil end
  local spec = brisk.json.decode(row.spec)
  return spec and M.define(spec)
end

return M
