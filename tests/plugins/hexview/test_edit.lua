-- Editing in the hex view: nibbles at every cursor (one undo step per
-- byte), the ASCII column, moves, goto, overwrite never changes the size,
-- insert/delete only by command, undo/redo, modified bytes until saved.
local T = assert(loadfile((arg[0]:match("^(.*)/[^/]*$") or ".") .. "/lib.lua", "t", _ENV))()
local path = T.tmp("edit.bin")
local orig = T.random_bytes(1000, 4242)
T.write(path, orig)
local b = T.open_hex(path)

-- goto forms.
local function goto_(s) brisk.command("goto " .. s); return b:cursor() end
T.eq(goto_("0x2f0"), 0x2f0, "goto 0x2f0")
T.eq(goto_("+0x10"), 0x300, "goto +0x10")
T.eq(goto_("-16"), 0x2f0, "goto -16")
T.eq(goto_("100"), 100, "goto 100 (decimal)")
T.eq(goto_("1fh"), 31, "goto 1fh")
T.eq(goto_("end"), 1000, "goto end")
T.eq(goto_("99999"), 1000, "goto past the end: the end")
T.ok(not brisk.command("goto nowhere"), "goto nowhere is an error")

-- Nibbles: the high one stays on the byte, the low one advances.
brisk.command("goto 10")
brisk.keys("a")
T.eq(b:byte(10), 0xa0 | (orig:byte(11) & 0x0f), "high nibble written")
T.eq(b:cursor(), 10, "the cursor stays for the low nibble")
T.eq(brisk.hex.layout(b).nibble, 1, "the view knows the low nibble is next")
brisk.keys("B")
T.eq(b:byte(10), 0xab, "low nibble written (upper-case digits too)")
T.eq(b:cursor(), 11, "then the next byte")
brisk.keys("c0d1")
T.eq(b:text(10, 3), "\171\192\209", "two more bytes")
T.eq(b:len(), 1000, "overwrite keeps the size")
b:undo()
T.eq(b:text(10, 3), "\171\192" .. orig:sub(13, 13), "one undo takes back one byte (both nibbles)")
T.eq(b:cursor(), 12, "and puts the cursor back on it")
b:undo()
b:undo()
T.eq(b:text(), orig, "three undos: the original bytes")
b:redo()
T.eq(b:byte(10), 0xab, "redo")
b:undo()

-- A move between the nibbles starts a new byte.
brisk.command("goto 20")
brisk.keys("7<Right>")
T.eq(brisk.hex.layout(b).nibble, 0, "a move resets the nibble")
brisk.keys("5")
T.eq(b:byte(21) >> 4, 5, "the next digit is a high nibble again")
b:undo()
b:undo()
T.eq(b:text(), orig, "undone")

-- Many cursors: one undo step per byte for all of them.
brisk.command("goto 0")
brisk.command("stride 100 10")
brisk.keys("ff")
local all = true
for i = 0, 9 do all = all and b:byte(i * 100) == 0xff end
T.ok(all, "ff at 10 cursors")
b:undo()
T.eq(b:text(), orig, "one undo for the byte at 10 cursors")
T.eq(#b:selections(), 10, "the 10 cursors are back")

-- The ASCII column.
brisk.command("goto 0")
brisk.keys("<Tab>")
T.eq(brisk.hex.layout(b).column, "ascii", "Tab: the ASCII column")
brisk.keys("Hi <lt>")
T.eq(b:text(0, 4), "Hi <", "characters overwrite bytes")
T.eq(b:len(), 1000, "size kept")
brisk.keys("<Tab>")
T.eq(brisk.hex.layout(b).column, "hex", "Tab again: the hex column")
brisk.keys("z")
T.eq(b:byte(4), orig:byte(5), "z is not a hex digit: nothing written")

-- Moves.
brisk.command("goto 0x20")
brisk.keys("<Down>")
T.eq(b:cursor(), 0x30, "Down: one row (16 bytes)")
brisk.keys("<Up><Up>")
T.eq(b:cursor(), 0x10, "Up twice")
brisk.keys("<End>")
T.eq(b:cursor(), 0x1f, "End: the row's last byte")
brisk.keys("<Home>")
T.eq(b:cursor(), 0x10, "Home: the row's first byte")
brisk.keys("<PageDown>")
T.eq(b:cursor(), 0x10 + (brisk.hex.rows(b) - 1) * 16, "PageDown: a page of rows")
brisk.keys("<C-End>")
T.eq(b:cursor(), 1000, "Ctrl-End: the end")
brisk.keys("<C-Home>")
T.eq(b:cursor(), 0, "Ctrl-Home: the start")
brisk.keys("<S-Right><S-Right>")
local s = b:selections()[1]
T.eq(s[1] .. "," .. s[2], "0,2", "Shift-Right selects bytes")
brisk.keys("<C-Right>")
T.eq(brisk.hex.layout(b).nibble, 1, "Ctrl-Right: the low nibble")
brisk.keys("<C-Right>")
T.eq(b:cursor() .. "/" .. brisk.hex.layout(b).nibble, "3/0", "Ctrl-Right again: the next byte")
brisk.keys("<C-Left>")
T.eq(b:cursor() .. "/" .. brisk.hex.layout(b).nibble, "2/1", "Ctrl-Left: back a nibble")

-- At the end nothing is written; the size never changes by typing.
brisk.command("goto end")
brisk.keys("12")
T.eq(b:len(), 1000, "typing at the end adds nothing")
brisk.keys("<CR><Del><BS>")
T.eq(b:len(), 1000, "Enter, Del, Backspace do not change the size")

-- Insert and delete only by command.
brisk.command("goto 0")
local before = b:text()
T.ok(brisk.command("hex-insert de ad"), "hex-insert de ad")
T.eq(b:len(), 1002, "two bytes more")
T.eq(b:text(0, 2), "\222\173", "inserted")
T.eq(b:cursor(), 2, "the cursor after them")
brisk.command("goto 0")
T.ok(brisk.command("hex-delete 2"), "hex-delete 2")
T.eq(b:text(), before, "the inserted bytes are gone")
T.eq(b:len(), 1000, "two bytes less")
T.ok(brisk.command("hex-write 01 02 03"), "hex-write")
T.eq(b:text(0, 3), "\1\2\3", "hex-write overwrites")
T.eq(b:len(), 1000, "and keeps the size")

-- Modified bytes are highlighted until saved; none after an undo back
-- to the saved state.
local function modified_cells()
  local _, _, _, st = brisk.hex.screen(b, {w = 80, h = 3, styles = true})
  local n = 0
  for _, row in ipairs(st) do
    for _, v in ipairs(row) do
      if v & brisk.hex.styles.modified ~= 0 then n = n + 1 end
    end
  end
  return n
end
brisk.command("goto 0")
T.ok(modified_cells() > 0, "changed bytes are highlighted")
T.ok(brisk.command("save"), "save")
T.eq(modified_cells(), 0, "none once saved")
brisk.command("goto 5")
brisk.keys("00")
T.eq(modified_cells(), 3, "one changed byte: its two hex digits and its character")
b:undo()
T.eq(modified_cells(), 0, "undo back to the saved bytes: none")

-- hex-diff against the file on disk.
brisk.command("goto 0x40")
brisk.keys("<Tab>XY<Tab>")
brisk.command("goto 0x80")
brisk.keys("00")
T.ok(brisk.command("hex-diff"), "hex-diff")
local ranges = brisk.hex.diff(b)
T.ok(#ranges >= 1 and ranges[1][1] == 0x40, "the first range is at 0x40")
brisk.command("goto 0")
brisk.command("hex-diff-next")
T.eq(b:cursor(), 0x40, "hex-diff-next goes there")

-- Toggle text <-> hex.
T.ok(brisk.command("hex-toggle"), "hex-toggle")
T.eq(b:mode(), "", "text again")
brisk.command("hex-toggle")
T.eq(b:mode(), "hex", "hex again")

-- Read-only buffers refuse edits.
b:readonly(true)
brisk.keys("11")
T.eq(b:byte(0), 1, "a read-only buffer is not edited")
b:readonly(false)
T.done()
