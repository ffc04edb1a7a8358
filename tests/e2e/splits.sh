#!/bin/bash
# Split windows: Ctrl-K 2 puts a second window on the same buffer below,
# Ctrl-K 3 one beside; each keeps its own cursor and scroll, and a parked
# cursor moves with edits made in the other window; F6 / Shift-F6 and a
# mouse click move the focus; Ctrl-K 0 closes a window, Ctrl-K 1 keeps one.
. "$(dirname "$0")/lib.sh"
seq -f 'line %g' 1 40 >"$T/s.txt"
start 80 20 s.txt
wait_for "line 1" || fail "file not shown"
keys C-k 2
wait_line 9 " *s.txt  1" || fail "no title for the focused top window: $(screen | sed -n 9p)"
wait_line 18 "  s.txt  1" || fail "no title for the bottom window: $(screen | sed -n 18p)"
wait_line 10 "line 1" || fail "the bottom window does not show the buffer"
# The top window scrolls to the end, the bottom one stays.
keys C-End
wait_pos 41:1 || fail "C-End in the top window: $(status_pos)"
wait_line 7 "line 40" || fail "top window did not follow its cursor: $(screen | sed -n 7p)"
wait_line 10 "line 1" || fail "the bottom window moved with the top one"
# F6: the bottom window has its own cursor, at the start.
keys F6
wait_pos 1:1 || fail "F6: the bottom window's cursor is not its own: $(status_pos)"
wait_line 18 " *s.txt  1" || fail "F6 did not move the focus mark: $(screen | sed -n 18p)"
text 'A'
wait_line 10 "Aline 1" || fail "typing in the bottom window"
# Shift-F6 back: the top cursor is where it was.
keys S-F6
wait_pos 41:1 || fail "Shift-F6: the top cursor moved: $(status_pos)"
keys C-Home Down Down
wait_pos 3:1 || fail "top window: line 3"
# Lines inserted above it from the other window move the parked cursor.
keys F6
wait_pos 1:2 || fail "bottom cursor after A: $(status_pos)"
keys Home
text 'new'
keys Enter
text 'new'
keys Enter
wait_pos 3:1 || fail "typing two lines in the bottom window: $(status_pos)"
keys F6
wait_pos 5:1 || fail "the parked top cursor did not move with the edit: $(status_pos)"
text 'T'
wait_line 3 "Tline 3" || fail "typing at the kept top cursor: $(screen | sed -n 3p)"
# Side by side: a separator column; a click in the other window focuses it.
keys C-k 3
wait_for "│" || fail "no separator after Ctrl-K 3"
mouse() { text $'\e[<'"$1;$2;$3$4"; }
mouse 0 70 2 M
mouse 0 70 2 m
wait_pos 4:7 || fail "click in the right window: $(status_pos)"
text 'R'
wait_for "line 2R" || fail "typing after the click"
# Close the focused window, then keep only one.
keys C-k 0
wait_not "│" || fail "Ctrl-K 0 did not close the right window"
keys C-k 1
wait_not " *s.txt" || fail "Ctrl-K 1 left window titles"
keys C-s
wait_file "$T/s.txt" "Tline 3" || fail "save"
[ "$(head -5 "$T/s.txt" | tr '\n' ' ')" = "new new Aline 1 line 2R Tline 3 " ] || fail "saved: $(head -5 "$T/s.txt" | tr '\n' ' ')"
# The hex view: each window keeps its own scroll too.
keys C-q
wait_exit || fail "quit"
head -c 2000 /dev/zero >"$T/h.bin"
start 80 24 --hex h.bin
wait_for "000000:" || fail "hex view not shown"
keys C-k 2 C-End
wait_for "0007d0:" || fail "C-End in the top hex window"
wait_line 11 " *h.bin  1" || fail "top hex window title: $(screen | sed -n 11p)"
screen | sed -n 12p | grep -q '^000000:' || fail "the bottom hex window scrolled with the top one"
keys F6
wait_line 22 " *h.bin  1" || fail "F6 in the hex view"
screen | sed -n 1p | grep -q '^000780:' || fail "the top hex window lost its scroll: $(screen | sed -n 1p)"
screen | sed -n 12p | grep -q '^000000:' || fail "the bottom hex window: $(screen | sed -n 12p)"
pass "two windows on one buffer: own cursors and scroll, focus by key and mouse, close, only; hex view"
