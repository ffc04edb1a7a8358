#!/bin/bash
# Sidebar and panes: a tiny plugin opens a pane in the sidebar on a key;
# the pane does not take the focus by itself (typed keys still echo in the
# text); Shift-F2 focuses it; arrows/PageDown scroll it; keys go to the
# plugin (not the text) while it has the focus; Enter activates; Esc gives
# the focus back; F2 hides and shows the sidebar; Ctrl-K > widens it (the
# plugin hears the new width through on_resize); a
# click selects a row; the plugin closes the pane and the text keeps
# working.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/cfg/brisk/plugins/sidetest"
cat >"$T/cfg/brisk/plugins/sidetest/init.lua" <<'LUA'
local rows = {}
for i = 1, 100 do rows[i] = {{("row %03d"):format(i), fg = i % 2 == 0 and "cyan" or nil}, {" \27[2Jx", dim = true}} end
local pane
brisk.bind("<C-k>t", function()
  pane = brisk.sidebar{title = "SideTest", width = 20, mode = "sidetest", lines = rows,
    on_activate = function(row) brisk.message("activated row " .. row) end,
    on_key = function(key) brisk.status_segment("sidetest", "key:" .. key); return true end,
    on_resize = function(cols) brisk.status_segment("sidew", "cols:" .. cols) end}
end)
brisk.bind("c", function() pane:close() end, {mode = "sidetest"})
LUA
printf 'alpha\nbeta\n' >"$T/f.txt"
start 80 16 f.txt
wait_for alpha || fail "file not shown"
screen | grep -q "row 001" && fail "a pane showed before the plugin opened one"

# The plugin opens its pane: shown, but the focus stays in the text.
keys C-k t
wait_for "row 001" || fail "the sidebar did not open"
wait_for "SideTest" || fail "no pane title"
wait_for "cols:18" || fail "on_resize did not report the pane's text width"
screen | grep -qF '^[[2Jx' || fail "an escape byte in a pane line is not shown escaped"
screen | grep -q "│alpha" || fail "the text window did not move right of the sidebar"
text 'abc'
wait_for "│abcalpha" || fail "typed keys do not echo in the text while the sidebar is open"

# Shift-F2: the pane takes the focus; keys move its selection and scroll.
keys S-F2
wait_cursor 0 || fail "Shift-F2 did not move the focus to the pane"
keys Down Down
wait_for " 3/100" || fail "Down did not move the selection in the focused pane"
keys PageDown PageDown
wait_for "/100" || fail "no position in the pane title"
wait_not "row 001" || fail "PageDown did not scroll the pane"
wait_for "row 02" || fail "the scrolled rows are not shown"
keys End
wait_for "row 100" || fail "End did not reach the last row"
wait_for "100/100" || fail "End did not select the last row"

# Keys go to the plugin, not to the text.
text 'q'
wait_for "key:q" || fail "a key did not reach the pane's on_key"
screen | grep -q "│abcalpha$\|│abcalpha " || fail "a key typed in the pane reached the text"
keys Enter
wait_for "activated row 100" || fail "Enter did not call on_activate"

# Esc: the focus is back in the text.
keys Escape
wait_cursor 1 || fail "Esc did not give the focus back to the text"
text 'def'
wait_for "│abcdefalpha" || fail "after Esc typed keys do not echo in the text"

# F2 hides and shows the sidebar; Ctrl-K > makes it wider.
keys F2
wait_not "row 100" || fail "F2 did not hide the sidebar"
wait_for "abcdefalpha" || fail "text not shown after hiding the sidebar"
screen | grep -q "^abcdefalpha" || fail "the text did not take the whole width back"
keys F2
wait_for "row 100" || fail "F2 did not show the sidebar again"
col() { screen | grep -m1 "abcdefalpha" | sed 's/│.*//' | wc -m; }
c1=$(col)
keys C-k '>'
for i in $(seq 100); do [ "$(col)" -gt "$c1" ] && break; sleep 0.05; done
[ "$(col)" -gt "$c1" ] || fail "Ctrl-K > did not widen the sidebar"
wait_for "cols:22" || fail "on_resize did not report the new width"

# A click on a row selects it and focuses the pane (screen row 4 shows
# the pane's third row: row 090); the width stays as resized.
tm send-keys -t w -l $'\e[<0;3;4M\e[<0;3;4m'
wait_for " 90/100" || fail "a click did not select the row under it"
wait_cursor 0 || fail "a click on a row did not focus the pane"
[ "$(col)" -gt "$c1" ] || fail "focusing the pane undid the resize"

# The plugin closes its pane (a key of its mode); the text keeps working.
text 'c'
wait_not "SideTest" || fail "the pane did not close"
wait_cursor 1 || fail "the focus did not come back to the text when the pane closed"
text 'ghi'
wait_for "abcdefghialpha" || fail "typed keys do not echo after the pane closed"
screen | grep -q "^abcdefghialpha" || fail "the text did not take the whole width back after closing"
alive || fail "brisk died"
pass "sidebar opened without the focus, took it by key, scrolled, routed keys, closed; text echoed throughout"
