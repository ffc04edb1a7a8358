-- The hex view as drawn (brisk.hex.screen renders what the terminal shows):
-- row format, offset width, bytes per row and grouping, byte classes,
-- the cursor's cell, scrolling to the cursor, the cell -> byte map.
local T = assert(loadfile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/lib.lua", "t", _ENV))()
local path = T.tmp("view.sav")
T.sample_copy("candy.sav", path)
local b = T.open_hex(path)

brisk.command("goto 0x2f0")
local rows, cx, cy = brisk.hex.screen(b, {w = 80, h = 24})
local found
for i, r in ipairs(rows) do
  if r:match("^0002f0:") then found = i end
end
T.ok(found ~= nil, "the row of 0x2f0 is on screen after goto")
T.eq(rows[found], "0002f0:   0100 0000 9827 0400  0100 0000 3ea9 0400  .....'......>...",
  "row format: offset, 2-byte groups, a gap every 8 bytes, ASCII")
T.eq(cy, found - 1, "the cursor is on that row")
T.eq(cx, 10, "on the first hex digit of the first byte")
brisk.keys("0")
_, cx = brisk.hex.screen(b, {w = 80, h = 24})
T.eq(cx, 11, "after a high nibble: the low digit")
b:undo()
brisk.command("goto 0x2f0")
brisk.keys("<Tab>")
_, cx = brisk.hex.screen(b, {w = 80, h = 24})
T.eq(cx, 52, "ASCII column: the character cell")
brisk.keys("<Tab>")

-- Layouts: bytes per row and grouping.
local function first_row(opts)
  b:hex_layout(opts)
  brisk.command("goto 0")
  return brisk.hex.screen(b, {w = 200, h = 2})[1]
end
T.eq(first_row{bytes_per_row = 16, group = 1},
  "000000:   43 43 53 56 03 00 00 00  40 00 00 00 f0 02 00 00  CCSV....@.......", "group 1")
T.eq(first_row{bytes_per_row = 16, group = 4},
  "000000:   43435356 03000000  40000000 f0020000  CCSV....@.......", "group 4")
T.eq(first_row{bytes_per_row = 16, group = 8},
  "000000:   4343535603000000  40000000f0020000  CCSV....@.......", "group 8")
T.eq(first_row{bytes_per_row = 8, group = 2}, "000000:   4343 5356 0300 0000  CCSV....", "8 bytes a row")
T.eq(first_row{bytes_per_row = 32, group = 2},
  "000000:   4343 5356 0300 0000  4000 0000 f002 0000  7800 0000 6100 0000  5afc ba50 c4e9 7b95  CCSV....@.......x...a...Z..P..{.",
  "32 bytes a row")
T.ok(not pcall(b.hex_layout, b, {bytes_per_row = 12}), "12 bytes a row is refused")
T.ok(brisk.command("hex-columns 16") and brisk.command("hex-group 2"), "hex-columns / hex-group")
T.ok(not brisk.command("hex-group 3"), "hex-group 3 is refused")

-- Byte classes: NUL, printable, whitespace, other ASCII, high.
local cpath = T.tmp("classes.bin")
T.write(cpath, "\0A \t\1\127\200\255")
local c = T.open_hex(cpath)
local r, _, _, st = brisk.hex.screen(c, {w = 80, h = 2, styles = true})
T.eq(r[1], "000000:   0041 2009 017f c8ff" .. (" "):rep(23) .. ".A .....", "an 8-byte file: the ASCII column stays in place")
local S = brisk.hex.styles
local function cls(i) return st[1][10 + 2 * i + i // 2 + 1] & ~(S.selection | S.cursor) end
T.eq(cls(0), S.nul, "NUL")
T.eq(cls(1), S.print, "printable")
T.eq(cls(2), S.space, "space")
T.eq(cls(3), S.space, "tab")
T.eq(cls(4), S.ctrl, "other ASCII (control)")
T.eq(cls(5), S.ctrl, "DEL")
T.eq(cls(6), S.high, "high byte")
T.ok(S.nul ~= S.print and S.space ~= S.ctrl and S.high ~= S.print, "the classes look different")
T.eq(st[1][1], S.offset, "the offset column has its own style")

-- The offset column fits the size: 6 digits at least, more when needed.
local big = T.tmp("big.bin")
local f = assert(io.open(big, "wb"))
f:seek("set", 0x1000000)
f:write("END")
f:close()
local bb = T.open_hex(big)
brisk.command("goto end")
local rows2, _, ey = brisk.hex.screen(bb, {w = 80, h = 3})
local last = rows2[(ey or 0) + 1] or ""
T.eq(last:sub(1, 8), "1000000:", "16 MB: a 7-digit offset, the cursor's row shown")
T.ok(last:match("  END$") ~= nil, "the last bytes are visible", last)

-- Scrolling: rows never start off the grid; the cursor row stays in view.
b:focus()
brisk.command("goto 0xff0")
rows, cx, cy = brisk.hex.screen(b, {w = 80, h = 5})
T.ok(rows[cy + 1]:match("^000ff0:"), "goto near the end scrolls there")
brisk.command("goto 0")
rows, cx, cy = brisk.hex.screen(b, {w = 80, h = 5})
T.eq(rows[1]:sub(1, 7), "000000:", "and back to the top")

-- A window too narrow for the row scrolls horizontally to the cursor.
b:hex_layout{bytes_per_row = 32}
brisk.command("goto 31")
brisk.keys("<Tab>")
rows, cx = brisk.hex.screen(b, {w = 40, h = 2})
T.ok(cx ~= nil and cx < 40, "the cursor in the ASCII column of a 32-byte row fits in 40 columns")
T.done()
