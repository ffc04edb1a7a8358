-- Split windows and keystroke macros from headless brisk (editor/split.c,
-- editor/macro.c): each window keeps its own cursors on a shared buffer,
-- a parked window's cursors move with edits made elsewhere, closing the
-- buffer a parked window shows is harmless; macro and repeat errors.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()

local function sels(b)
  local out = {}
  for _, s in ipairs((b:selections())) do out[#out + 1] = s[1] .. "-" .. s[2] end
  return table.concat(out, " ")
end

local b = brisk.scratch("w.txt")
b:focus()
b:insert(0, "aaa\nbbb\nccc\n")
b:set_selections({{0, 0}})

T.is(brisk.command("window-next"), false, "window-next with one window fails")
T.is(brisk.command("window-close"), false, "window-close of the only window fails")
T.is(brisk.command("split-horizontal"), true, "split-horizontal")
brisk.keys("<Down><Down>")
T.is(sels(b), "8-8", "the first window's cursor moved")
T.is(brisk.command("window-next"), true, "window-next")
T.is(sels(b), "0-0", "the second window has its own cursor")
b:set_selections({{1, 1}, {5, 5}})
brisk.keys("X")
T.is(b:text(), "aXaa\nbXbb\nccc\n", "typing at the second window's two cursors")
T.is(brisk.command("window-prev"), true, "window-prev")
T.is(sels(b), "10-10", "the parked cursor moved with the edits (8 + 2)")
brisk.keys("Z")
T.is(brisk.command("window-next"), true, "back to the second window")
T.is(sels(b), "2-2 7-7", "its two cursors are back")
T.is(brisk.command("split-vertical"), true, "split-vertical")
T.is(brisk.command("window-next"), true, "to the third window")
T.is(sels(b), "2-2 7-7", "a split copies the cursors")

-- A parked window whose buffer is closed shows the focused buffer.
local other = brisk.scratch("other.txt")
other:insert(0, "other text\n")
other:focus()
T.is(brisk.command("window-next"), true, "park a window on other.txt")
other:close()
T.is(brisk.command("window-prev"), true, "focus the window whose buffer was closed")
T.ok(brisk.buffer() ~= nil, "a buffer has the focus")
T.is(brisk.command("window-only"), true, "window-only")
T.is(brisk.command("window-next"), false, "one window left")
T.is(b:text(), "aXaa\nbXbb\nZccc\n", "the text")

-- Macros: errors and a count.
T.is(brisk.command("macro-play"), false, "macro-play with no macro fails")
T.is(brisk.command("macro-stop"), false, "macro-stop when not recording fails")
T.is(brisk.command("macro-play 0"), false, "macro-play 0 fails")
T.is(brisk.command("repeat-command x"), false, "repeat-command with a bad count fails")
b:focus()
b:set_selections({{0, 0}})
T.is(brisk.command("macro-record"), true, "macro-record")
brisk.keys("<End>;<Down>")
T.is(brisk.command("macro-record"), true, "macro-record again stops")
T.is(brisk.command("macro-play 2"), true, "macro-play 2")
T.is(b:text(), "aXaa;\nbXbb;\nZccc;\n", "three lines end in ';'")
T.finish()
