-- The data inspector against readings computed independently by python's
-- struct (arg[1]: the JSON gen_inspect.py wrote); values typed into it
-- (hex-set) write the bytes struct.pack gives.
local T = assert(loadfile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/lib.lua", "t", _ENV))()
local hv = require("hexview")
local data = brisk.json.decode(assert(T.read(arg[1] or "")))

local function unhex(h) return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)) end

-- Floats: the same number (f64) or the same float32 bytes (f32, shown
-- with 9 digits, which round-trip).
local function same(kind, got, want)
  if got == want then return true end
  if not kind:match("^f") then return false end
  local g, w = tonumber(got), tonumber(want)
  if not g or not w then return false end
  if kind:match("^f32") then return g == w or string.pack("<f", g) == string.pack("<f", w) end
  return g == w
end

local path = T.tmp("inspect.bin")
local all = {}
for _, c in ipairs(data.cases) do all[#all + 1] = unhex(c.hex) end
T.write(path, table.concat(all))
local b = T.open_hex(path)

local bad, checked = 0, 0
for i, c in ipairs(data.cases) do
  local got = {}
  for _, r in ipairs(hv.inspect(b, (i - 1) * 8)) do got[r[1]] = r[2] end
  for kind, want in pairs(c.want) do
    checked = checked + 1
    if not same(kind, got[kind], want) then
      bad = bad + 1
      if bad <= 5 then T.ok(false, ("%s of %s"):format(kind, c.hex), ("got %s want %s"):format(got[kind], want)) end
    end
  end
end
T.ok(checked > 1000, "over a thousand readings checked (" .. checked .. ")")
T.eq(bad, 0, "every reading matches python's struct")

-- The last group has fewer than 8 bytes after it at the end: only the
-- readings that fit.
local short = hv.inspect(b, b:len() - 2)
local kinds = {}
for _, r in ipairs(short) do kinds[r[1]] = true end
T.ok(kinds.u16le and not kinds.u32le and not kinds.f64le, "2 bytes left: u16 yes, u32 and f64 no")

-- Writing values: at every cursor, the bytes struct.pack gives.
bad = 0
for _, w in ipairs(data.writes) do
  brisk.command("goto 0")
  brisk.command("stride 16 2")
  local ok = brisk.command(("hex-set %s %s"):format(w.kind, w.text))
  local want = unhex(w.hex)
  local got1, got2 = b:text(0, #want), b:text(16, #want)
  if not ok or got1 ~= want or got2 ~= want then
    bad = bad + 1
    T.ok(false, ("hex-set %s %s"):format(w.kind, w.text), ("got %s want %s"):format(T.hex(got1), w.hex))
  end
end
T.eq(bad, 0, #data.writes .. " values written as struct.pack writes them, at both cursors")
T.ok(not brisk.command("hex-set u16le 70000"), "70000 does not fit in u16")
T.ok(not brisk.command("hex-set i8 -129"), "-129 does not fit in i8")
T.ok(not brisk.command("hex-set nosuch 1"), "unknown type")

-- The inspector pane follows the cursor; Enter on a row asks for a value.
brisk.command("goto 8")
T.ok(brisk.command("hex-inspect"), "hex-inspect")
local p = hv.panes.inspector
T.ok(p and p:line(1):match("^offset 0x8 "), "the pane shows the cursor's offset", p and p:line(1))
brisk.keys("<Right>")
T.ok(p:line(1):match("^offset 0x9 "), "and follows it", p:line(1))
p:focus()
p:select(8)
T.ok(p:line(8):match("^u32le ") ~= nil, "row 8 is u32le", p:line(8))
brisk.keys("<CR>")
local pk = brisk.picker()
T.ok(pk and pk.kind == "prompt" and pk.title == "u32le = ", "Enter asks for a u32le value")
for _ = 1, #(pk and pk.text or "") do brisk.keys("<BS>") end
brisk.keys("305419896<CR>")
T.eq(b:text(9, 4), "\120\86\52\18", "entering 305419896 writes 78 56 34 12 at the cursor")
T.ok(p:line(8):match("305419896$") ~= nil, "the pane shows the new value", p:line(8))
-- The pre-filled value is selected: typing replaces it (70000, not 30541989670000).
brisk.keys("<CR>")
pk = brisk.picker()
T.ok(pk and pk.text == "305419896", "the prompt is pre-filled with the value", pk and pk.text)
brisk.keys("70000<CR>")
T.eq(string.unpack("<I4", b:text(9, 4)), 70000, "typing over the pre-filled value writes 70000")
T.done()
