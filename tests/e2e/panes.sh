#!/bin/bash
# Keys in a focused pane are never dropped silently: a global key (F6,
# Ctrl-S) goes to the window, any other the pane does not use says "not
# available in the ... list". F6 / Shift-F6 cycle through the windows and
# the panes. A row wider than its pane ends in a marker. The news list
# keeps the selected feed when Backspace goes back from its items.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/cfg/brisk/plugins/panetest"
cat >"$T/cfg/brisk/plugins/panetest/init.lua" <<'LUA'
local rows = {}
for i = 1, 5 do rows[i] = {{("row %d"):format(i)}} end
rows[6] = {{"a row much wider than the pane is 0123456789"}}
brisk.bind("<C-k>t", function()
  brisk.sidebar{title = "Records", width = 20, lines = rows,
    on_key = function(key) return key == "x" end}
end)
LUA
printf 'alpha\nbeta\n' >"$T/f.txt"
start 80 14 f.txt
wait_for alpha || fail "file not shown"
keys C-k t
wait_for "row 1" || fail "the pane did not open"
# A cut row ends in a marker (U+2026) in the pane's last column.
screen | grep 'a row much wider' | grep -q $'\xe2\x80\xa6\xe2\x94\x82' || fail "no marker on the cut row: $(screen | grep 'a row much')"
screen | grep 'row 1 ' | grep -q $'\xe2\x80\xa6' && fail "a short row got a marker"

# F6 cycles: the text -> the pane -> the text (Shift-F6 the other way).
keys F6
wait_cursor 0 || fail "F6 did not focus the pane"
keys Down
wait_for "2/6" || fail "Down in the pane"
# A key the pane does not use is not dropped silently.
keys C-z
wait_for "<C-z> is not available in the records list" || fail "Ctrl-Z vanished: $(screen | tail -1)"
text 'q'
wait_for "q is not available in the records list" || fail "a typed key vanished: $(screen | tail -1)"
text 'x'
wait_not "is not available" || fail "a key the pane used still got the message"
screen | grep -q $'\xe2\x94\x82alpha$' || fail "the text changed"
# A global key goes to the window: Ctrl-S saves the file behind the pane.
keys C-s
wait_for "wrote f.txt" || fail "Ctrl-S in a pane did not save: $(screen | tail -1)"
keys F6
wait_not "not available" || true
text 'Z'
wait_for $'\xe2\x94\x82Zalpha' || fail "F6 from the pane did not give the focus to the text: $(screen | sed -n 1p)"
keys S-F6
wait_for "2/6" || fail "Shift-F6 did not focus the pane"
text 'q'
wait_for "not available in the records list" || fail "Shift-F6: the pane does not have the focus"
keys S-F6
text 'Y'
wait_for $'\xe2\x94\x82ZYalpha' || fail "Shift-F6 back to the text: $(screen | sed -n 1p)"
keys C-q
wait_for "quit" || true
text 'y'
wait_exit || fail "no quit"

# The news list: back from a feed's items to the same feed.
printf 'x\n' >"$T/n.txt"
start 100 20 n.txt
wait_for "x" || fail "news: file not shown"
keys C-e
text 'news'
keys Enter
wait_for "1/3" || fail "the news list did not open: $(screen | head -3)"
keys Down Down
wait_for "3/3" || fail "the third feed"
keys Enter
wait_not "3/3" || fail "Enter did not list the items"
keys BSpace
wait_for "3/3" || fail "back did not keep the third feed selected: $(screen | head -2)"
pass "unhandled pane keys say so, global keys reach the window, F6/Shift-F6 cycle windows and panes, cut rows marked, news back keeps the row"
