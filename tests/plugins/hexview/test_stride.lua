-- The motivating case: every level's stars := 3 in the sample save file
-- with a stride edit, then the checksum fixed; arg[1] is where the
-- patched file is left for the .t wrapper to check with python's zlib.
local T = assert(loadfile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/lib.lua", "t", _ENV))()
local out = arg[1] or T.tmp("candy-patched.sav")
local orig = T.sample_copy("candy.sav", out)
local meta = brisk.json.decode(T.read(T.samples .. "/candy.json"))
local tab = meta.record_table
T.eq(tab.offset, 0x2f0, "candy.json: the table is at 0x2f0")

local b = T.open_hex(out)
T.eq(b:mode(), "hex", "opened in the hex view")
T.ok(brisk.command("goto 0x2f0"), "goto 0x2f0")
T.eq(b:cursor(), 0x2f0, "the cursor is at 0x2f0")
T.ok(brisk.command("stride " .. tab.stride .. " " .. tab.count), "stride 8 120")
local sels = b:selections()
T.eq(#sels, tab.count, "120 cursors")
T.eq(sels[#sels][1], 0x2f0 + 8 * 119, "the last one on the last record")
brisk.keys("03")
T.eq(b:cursor(), 0x2f1, "typing 03 moves every cursor to the next byte")
T.ok(brisk.command("save"), "save")

local got = T.read(out)
T.eq(#got, #orig, "the size is the same")
local stars = {}
for _, f in ipairs(tab.fields) do if f.name == "stars" then stars = f end end
local diffs, unexpected = 0, 0
for i = 1, #orig do
  if got:byte(i) ~= orig:byte(i) then
    diffs = diffs + 1
    local off = i - 1
    local rel = (off - tab.offset) % tab.stride
    if off < tab.offset or off >= tab.offset + tab.stride * tab.count or rel ~= stars.offset then
      unexpected = unexpected + 1
    end
  end
end
local changed = 0
for i, r in ipairs(meta.records) do
  if r.stars ~= 3 then changed = changed + 1 end
  local v = string.unpack("<I4", got, tab.offset + (i - 1) * tab.stride + stars.offset + 1)
  if v ~= 3 then T.ok(false, "record " .. i .. " stars = 3", "got " .. v) end
end
T.eq(unexpected, 0, "no byte changed outside the stars fields")
T.eq(diffs, changed, "exactly the records whose stars were not 3 changed")

-- One undo step takes the whole stride edit back, cursors included.
b:undo()
T.eq(b:text(), orig, "undo restores every record")
T.eq(#b:selections(), 120, "undo restores the 120 cursors")
b:redo()
T.eq(b:text(), got, "redo patches them again")

-- The checksum: candy.json says crc32 over [752, 1712) stored at 32 (LE).
local ck = meta.checksum
T.ok(brisk.command(("hex-crc-fix 0x%x..0x%x 0x%x le"):format(ck.covers[1], ck.covers[2], ck.stored_at)), "hex-crc-fix")
T.eq(string.unpack("<I4", b:text(ck.stored_at, 4)), brisk.hex.crc32(b, ck.covers[1], ck.covers[2] - ck.covers[1]),
  "the stored CRC is the CRC of the table")
T.ok(brisk.command("save"), "save with the checksum fixed")
T.ok(not brisk.command("hex-crc-fix 0x2f0..0x6b0 0x300 le"), "a CRC inside its own range is refused")

-- stride without COUNT: to the end of the table (with a layout), of a
-- selection, or of the buffer; without N: the layout's record size.
T.ok(brisk.command("hex-layout " .. T.samples .. "/candy.json"), "hex-layout FILE.json")
brisk.command("goto 0x2f0")
T.ok(brisk.command("stride"), "stride with the layout's record size")
T.eq(#b:selections(), 120, "to the end of the table: 120 cursors")
b:set_selections({{0x2f0, 0x2f0 + 80}})
brisk.command("stride 8")
T.eq(#b:selections(), 10, "inside a selection of 80 bytes: 10 cursors")
brisk.command("goto 0xff0")
brisk.command("stride 4")
T.eq(#b:selections(), 4, "outside the table: to the end of the buffer")
T.ok(not brisk.command("stride x"), "stride x is an error")
T.ok(not brisk.command("stride 0"), "stride 0 is an error")
brisk.command("goto 0")
brisk.command("stride 1 5")
brisk.keys("ab")
T.eq(b:text(0, 5), ("\171"):rep(5), "stride 1 5 then ab writes 5 bytes")
T.done()
