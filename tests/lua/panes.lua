-- Panes and sidebars, headless: lines and segments, selection movement and
-- scrolling, the focus (never taken by itself), key routing while a pane
-- has the focus, callbacks, closing, status segments. Run by ui-api.t.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()

local function raises(fn, word, desc)
  local ok, err = pcall(fn)
  T.ok(not ok and tostring(err):find(word, 1, true) ~= nil, desc, err)
end

-- lines: strings, styled segments, a single-segment table
local p = brisk.pane{title = "Files", mode = "files"}
p:set_lines{"alpha", {{"be", fg = "red"}, {"ta", bold = true, bg = "#0000ff"}}, {"gamma", underline = true},
  {text = "delta", reverse = true}, 42, {}}
T.is(p:count(), 6, "six lines stored")
T.is(p:line(2), "beta", "segments are joined in a row's text")
T.is(p:line(3), "gamma", "a table with [1] is one segment")
T.is(p:line(4), "delta", "text= works too")
T.is(p:line(5), "42", "a number is shown as text")
T.is(p:line(6), "", "an empty table is an empty line")
T.is(p:line(7), nil, "no row past the end")
T.is(p:selected(), 1, "the first row is selected")
T.is(p:title(), "Files", "title")
raises(function() p:set_lines{{{"x", fg = "nocolour"}}} end, "unknown colour", "a bad colour name is an error")
raises(function() p:set_lines{true} end, "a line is a string", "a boolean line is an error")
T.is(p:count(), 6, "a failed set_lines keeps the old lines")
raises(function() brisk.pane{side = "top"} end, "side", "side must be left or right")
raises(function() brisk.pane{on_activate = 1} end, "must be a function", "callbacks must be functions")

-- never takes the focus by itself
T.is(p:visible(), false, "a new pane is not shown")
p:show()
T.is(p:visible(), true, "shown after :show()")
T.is(brisk.focused_pane(), nil, "showing does not take the focus")
local q = brisk.sidebar{title = "Right", side = "right", width = 24}
T.is(q:visible(), true, "brisk.sidebar{} shows at once")
T.is(brisk.focused_pane(), nil, "and does not take the focus either")
T.is(q:width(), 24, "width")
T.is(q:text_width(), 22, "text_width before any layout: the width less separator and margin")

-- routing keys: the focused pane gets Up/Down/..., the text gets nothing
local b = brisk.buffer()
b:insert(0, "text\n")
local events = {}
local function log(e) events[#events + 1] = e end
local r = brisk.pane{title = "List", mode = "lst",
  on_activate = function(row, pane) log("activate " .. row .. " " .. pane:title()) end,
  on_select = function(row) log("select " .. row) end,
  on_key = function(key) log("key " .. key); return key == "x" end}
local rows = {}
for i = 1, 100 do rows[i] = "row " .. i end
r:set_lines(rows)
r:show()
brisk.keys("<S-F2>")
T.ok(brisk.focused_pane() == p, "Shift-F2 focuses the first pane (left sidebar)")
brisk.keys("<S-F2>")
T.ok(brisk.focused_pane() == r, "again: the next pane")
brisk.keys("<Down><Down><End><Up><Home>")
T.is(table.concat(events, ","), "select 2,select 3,select 100,select 99,select 1", "arrows, End, Home move the selection")
events = {}
brisk.keys("<PageDown>")
T.is(r:selected(), 11, "PageDown moves a page (10 rows before any layout)")
T.ok(r:top() > 1, "and scrolls the selection into view")
brisk.keys("<CR>")
T.is(events[#events], "activate 11 List", "Enter calls on_activate(row, pane)")
events = {}
brisk.keys("xyz")
T.is(table.concat(events, ","), "key x,key y,key z", "other keys go to on_key")
T.is(b:text(), "text\n", "typed keys never reach the text while a pane has the focus")
events = {}
brisk.keys("<BS><C-v>")
T.is(b:text(), "text\n", "neither do editing keys")
T.is(table.concat(events, ","), "key <BS>,key <C-v>", "editing keys are offered to on_key instead")
local greedy = brisk.sidebar{title = "Greedy", on_key = function() return true end, lines = {"g"}}
greedy:focus()
brisk.keys("<C-k>o")
T.ok(brisk.focused_pane() ~= greedy, "a greedy on_key does not take global chords (Ctrl-K o still moves the focus)")
greedy:close()
r:focus()
brisk.bind("d", function() log("bound d") end, {mode = "lst"})
brisk.keys("d")
T.is(events[#events], "bound d", "the pane's mode bindings come first")
brisk.keys("<Esc>")
T.is(brisk.focused_pane(), nil, "Esc gives the focus back to the text")
b:set_selections{{0, 0}}
brisk.keys("hi")
T.is(b:text(), "hitext\n", "typed keys echo in the text again")
r:focus()
brisk.keys("<Tab>")
T.is(brisk.focused_pane(), nil, "Tab gives the focus back too")

-- select() does not call on_select; set_lines keeps / sets the selection
events = {}
r:select(50)
T.is(r:selected(), 50, ":select(row)")
T.is(#events, 0, ":select does not call on_select")
r:select(1000)
T.is(r:selected(), 100, ":select clamps")
r:set_lines({"a", "b", "c"})
T.is(r:selected(), 3, "fewer lines: the selection is clamped")
r:set_lines({"a", "b", "c", "d"}, 2)
T.is(r:selected(), 2, "set_lines(lines, selected)")
r:set_lines({})
T.is(r:selected(), nil, "no lines: nothing selected")

-- sidebar toggle and focus
r:focus()
T.ok(brisk.focused_pane() == r, ":focus()")
brisk.keys("<F2>")
T.is(r:visible(), false, "F2 hides the sidebars")
T.is(brisk.focused_pane(), nil, "hiding the focused pane returns the focus")
brisk.keys("<F2>")
T.is(r:visible(), true, "F2 shows them again")
T.is(brisk.focused_pane(), nil, "showing them does not take the focus")
T.ok(brisk.command("sidebar-toggle"), "sidebar-toggle command")
T.is(p:visible(), false, "hidden by the command")
T.ok(brisk.sidebar_toggle(), "brisk.sidebar_toggle()")
T.is(p:visible(), true, "shown by the function")
brisk.keys("<C-k>o")
T.ok(brisk.focused_pane() ~= nil, "Ctrl-K o focuses a pane")
brisk.command("pane-unfocus")
T.ok(brisk.command("sidebar-resize 40"), "sidebar-resize N")
T.is(p:width(), 40, "the left sidebar is 40 columns wide")
brisk.command("sidebar-resize -5")
T.is(p:width(), 35, "sidebar-resize -N")
T.is(brisk.command("sidebar-resize wide"), false, "sidebar-resize wants a number")
T.is(brisk.command("pane-down"), false, "pane commands need a focused pane")

-- hide / close
r:focus()
r:hide()
T.is(brisk.focused_pane(), nil, "hiding the focused pane returns the focus")
r:close()
raises(function() r:count() end, "pane is closed", "a closed pane's handle raises")
raises(function() r:show() end, "pane is closed", "for every method")
T.is(#brisk.panes(), 2, "brisk.panes() lists the open panes")
q:close(); p:close()
T.is(brisk.command("sidebar-toggle"), false, "nothing to toggle without panes")

-- a callback that errors or closes its own pane does not break anything
local s
s = brisk.sidebar{title = "S", on_activate = function() s:close() end,
  on_select = function() error("boom in on_select") end}
s:set_lines{"one", "two"}
s:focus()
brisk.keys("<Down>")
T.is(s:selected(), 2, "an error in on_select is reported, the move stays")
brisk.keys("<CR>")
raises(function() s:count() end, "pane is closed", "on_activate may close its pane")
T.is(brisk.focused_pane(), nil, "and the focus is back on the text")
b:set_selections{{0, 0}}
brisk.keys("ok")
T.is(b:text(), "okhitext\n", "keys reach the text again")

-- status bar segments
brisk.status_segment("news", "3 unread", {fg = "yellow"})
brisk.status_segment("clock", "12:00")
brisk.status_segment("news", "2 unread")
local segs = brisk.status_segments()
T.is(#segs, 2, "two segments")
T.is(segs[1].name .. "=" .. segs[1].text, "news=2 unread", "set again: updated in place")
brisk.status_segment("news", nil)
T.is(#brisk.status_segments(), 1, "nil removes a segment")
raises(function() brisk.status_segment("x", "y", "nostyle") end, "no style named", "unknown style names are errors")

-- named styles
brisk.style("header", {fg = "cyan", bold = true})
brisk.style("warn", {style = "header", fg = "yellow"})
local w = brisk.pane{lines = {{{"x", style = "warn"}}}}
T.is(w:line(1), "x", "segments may use named styles")
raises(function() brisk.style("loop", {style = "loop"}) end, "itself", "a style cannot be based on itself")
w:close()
brisk.style("a", {}); brisk.style("b", {style = "a"}); brisk.style("a", {style = "b"})
raises(function() brisk.status_segment("x", "y", "a") end, "loop", "styles based on each other in a loop are an error")

T.finish()
