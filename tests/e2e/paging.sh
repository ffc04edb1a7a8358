#!/bin/bash
# Paging and scrolling: PageDown/PageUp move the view by a page and keep the
# cursor's row; Ctrl-End shows the last line at the bottom (no empty rows
# while lines above are hidden); growing the terminal fills the new rows.
. "$(dirname "$0")/lib.sh"
seq -f 'row %g' 1 100 >"$T/p.txt"
start 80 12 p.txt
wait_line 1 "row 1" || fail "file not shown"
keys Down Down
keys PageDown
wait_line 1 "row 10" || fail "PageDown did not scroll a page: $(screen | sed -n 1p)"
wait_pos 12:1 || fail "PageDown cursor: $(status_pos)"
keys PageDown
wait_line 1 "row 19" || fail "second PageDown: $(screen | sed -n 1p)"
keys PageUp
wait_line 1 "row 10" || fail "PageUp: $(screen | sed -n 1p)"
wait_pos 12:1 || fail "PageUp cursor: $(status_pos)"
keys C-End
wait_line 9 "row 100" || fail "Ctrl-End: last lines not at the bottom: $(screen | sed -n 9p)"
wait_line 1 "row 92" || fail "Ctrl-End left empty rows: $(screen | sed -n 1p)"
tm resize-window -t w -x 80 -y 22
wait_line 1 "row 82" || fail "growing did not fill from above: $(screen | sed -n 1p)"
keys C-Home
wait_line 1 "row 1" || fail "Ctrl-Home"
pass "page moves keep the row, the end fills the window"
