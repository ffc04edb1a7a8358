-- Search: hex patterns with wildcards, text, integers and byte regexes,
-- next / previous with wrap-around, checked against a naive scan; matches
-- across the gap of the gap buffer; cursors at all matches.
local T = assert(loadfile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/lib.lua", "t", _ENV))()
local hv = require("hexview")
local parse = hv.parse

local path = T.tmp("search.bin")
-- Random bytes over a small alphabet (so patterns recur), some planted.
local raw = T.random_bytes(70000, 12345):gsub(".", function(c) return string.char(c:byte() % 4) end)
raw = raw:sub(1, 30000) .. "\0\7\18\0" .. raw:sub(30005, 50000) .. "CCSV" .. string.pack("<I4", 272280)
  .. string.pack(">I2", 0xbeef) .. raw:sub(50015)
T.write(path, raw)
local b = T.open_hex(path)
-- An edit and its undo leave the gap in the middle: spans are split.
b:apply({{40000, 1, "\1"}})
b:undo()
T.eq(b:text(), raw, "buffer is the file (gap moved to the middle)")

local function naive(s, pat, mask, from, back)
  local function at(i)
    for k = 1, #pat do
      local m = mask and mask:byte(k) or 0xff
      if (s:byte(i + k - 1) ~ pat:byte(k)) & m ~= 0 then return false end
    end
    return true
  end
  if back then
    for i = math.min(from, #s - #pat + 1), 1, -1 do
      if i <= from and at(i) then return i - 1 end
    end
  else
    for i = from + 1, #s - #pat + 1 do
      if at(i) then return i - 1 end
    end
  end
end

-- brisk.hex.find against the naive scan: random patterns with wildcards,
-- random starting points, both directions.
local bad = 0
local seed = 99
for trial = 1, 200 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  local len = 1 + seed % 5
  local at = (seed >> 4) % (#raw - len)
  local pat = raw:sub(at + 1, at + len)
  -- Per byte: any (1 in 4), a nibble wildcard either way (1 in 4), fixed.
  local kinds = {"\0", "\15", "\240", "\255", "\255", "\255", "\255", "\255"}
  local mask = {}
  for k = 1, len do mask[k] = kinds[1 + ((seed >> (k * 3 + 6)) & 7)] end
  if not table.concat(mask):find("[^\0]") then mask[1] = "\240" end -- at least one fixed digit
  mask = table.concat(mask)
  local from = (seed >> 3) % #raw
  local back = trial % 2 == 0
  local want = naive(raw, pat, mask, from, back)
  local got = brisk.hex.find(b, pat, mask, from, back)
  if got ~= want then
    bad = bad + 1
    if bad < 4 then T.ok(false, ("find %s mask %s from %d %s"):format(T.hex(pat), T.hex(mask), from, back and "back" or "fwd"), ("got %s want %s"):format(got, want)) end
  end
end
T.eq(bad, 0, "200 random masked searches (byte and nibble wildcards) agree with a naive scan")
T.ok(not pcall(brisk.hex.find, b, "\0\0", "\0\0"), "a mask of wildcards only is refused")
T.eq(brisk.hex.find(b, "CCSV"), 50000, "a literal across nothing special")
T.eq(brisk.hex.find(b, "\0\7\18\0", nil, 0), 30000, "a planted pattern")
T.eq(brisk.hex.find(b, "\255\255\255"), nil, "no match: nil")

-- The parser of hex patterns.
local p, m = parse.hexbytes("00 ?? 12 00")
T.eq(T.hex(p) .. "/" .. T.hex(m), "00001200/ff00ffff", "00 ?? 12 00")
p, m = parse.hexbytes("1?f?")
T.eq(T.hex(p) .. "/" .. T.hex(m), "10f0/f0f0", "nibble wildcards 1?f?")
T.eq(parse.hexbytes("0g"), nil, "0g is not hex")
local none, why = parse.hexbytes("?? ??")
T.ok(none == nil and why:find("at least one fixed digit"), "?? ?? is refused: " .. tostring(why))

-- Nibble wildcards match exactly the bytes whose other nibble matches.
local nib = T.tmp("nibble.bin")
T.write(nib, "\67\16\31\32\26\0\241\1")
local nb = brisk.open(nib)
local function all_of(pat)
  local p2, m2 = parse.hexbytes(pat)
  local at, out = 0, {}
  while true do
    local r = brisk.hex.find(nb, p2, m2, at)
    if not r then return table.concat(out, " ") end
    out[#out + 1] = r
    at = r + 1
  end
end
T.eq(all_of("1?"), "1 2 4", "1? matches 0x10 0x1f 0x1a, not 0x43 0x20 0x00 0xa1 0x01")
T.eq(all_of("?1"), "6 7", "?1 matches 0xa1 0x01 only")
T.eq(all_of("?0 1?"), "1 3", "?0 1? matches 0x10 0x1f and 0x20 0x1a")
nb:focus()
T.ok(not brisk.command("hex-find ??"), "hex-find ?? is refused")
T.ok(not brisk.command("hex-find ? ?"), "hex-find ? ? is refused")
b:focus()

-- Commands: hex (wildcards), text, integers, regex; next / prev / wrap.
brisk.command("goto 0")
T.ok(brisk.command("hex-find 00 07 ?? 00"), "hex-find 00 07 ?? 00")
T.eq(b:cursor(), naive(raw, "\0\7\0\0", "\255\255\0\255", 0), "found the first match")
local sels = b:selections()
T.eq(sels[1][1] - sels[1][2], 4, "the match is selected, cursor at its start")
T.ok(brisk.command("hex-find \"CCSV\""), "hex-find \"CCSV\"")
T.eq(b:cursor(), 50000, "text")
brisk.command("goto 0")
T.ok(brisk.command("hex-find-int u32le 272280"), "hex-find-int u32le 272280")
T.eq(b:cursor(), 50004, "u32le")
brisk.command("goto 0")
T.ok(brisk.command("hex-find u16be 0xbeef"), "hex-find u16be 0xbeef (guessed)")
T.eq(b:cursor(), 50008, "u16be")
brisk.command("goto 0")
local v64 = string.unpack("<i8", raw, 1001)
T.ok(brisk.command("hex-find-int u64le " .. parse.unsigned(v64)), "hex-find-int u64le " .. parse.unsigned(v64))
T.eq(b:cursor(), naive(raw, string.pack("<i8", v64), nil, 0), "u64le")
brisk.command("goto 0")
T.ok(brisk.command("hex-find-int u32be " .. string.unpack(">I4", raw, 2001)), "hex-find-int u32be")
T.eq(b:cursor(), naive(raw, raw:sub(2001, 2004), nil, 0), "u32be")
brisk.command("goto 0")
T.ok(brisk.command("hex-find /CC[A-Z]V/"), "hex-find /regex/")
T.eq(b:cursor(), 50000, "regex over bytes")
brisk.command("goto 0")
T.ok(brisk.command("hex-find-regex \\x00\\x07\\x12"), "hex-find-regex with \\x escapes")
T.eq(b:cursor(), 30000, "regex finds binary bytes")

brisk.command("goto 0")
brisk.command("hex-find-hex 03 03 03 03")
local first = b:cursor()
T.eq(first, naive(raw, "\3\3\3\3", nil, 0), "hex-find-hex first")
brisk.command("hex-find-next")
local second = b:cursor()
T.eq(second, naive(raw, "\3\3\3\3", nil, first + 1), "hex-find-next")
brisk.command("hex-find-prev")
T.eq(b:cursor(), first, "hex-find-prev goes back")
brisk.command("hex-find-prev")
T.eq(b:cursor(), naive(raw, "\3\3\3\3", nil, #raw, true), "prev from the first wraps to the last")
brisk.keys("<F3>")
T.eq(b:cursor(), first, "F3 wraps to the first")

-- Cursors at every match; the view highlights matches.
T.ok(brisk.command("hex-find-all"), "hex-find-all")
local n, from = 0, 0
while true do
  local at = naive(raw, "\3\3\3\3", nil, from)
  if not at then break end
  n = n + 1
  from = at + 4
end
T.eq(#b:selections(), n, "a cursor at every (non-overlapping) match")
brisk.command("goto " .. first)
local _, _, _, styles = brisk.hex.screen(b, {w = 80, h = 4, styles = true})
local matched = false
for _, row in ipairs(styles) do
  for _, s in ipairs(row) do
    if s & brisk.hex.styles.match ~= 0 then matched = true end
  end
end
T.ok(matched, "matches are highlighted in the view")
T.ok(brisk.command("hex-find-clear"), "hex-find-clear")
T.ok(not brisk.command("hex-find-hex zz"), "a bad pattern is an error")
T.ok(not brisk.command("hex-find-int u8 300"), "300 does not fit in u8")
T.done()
