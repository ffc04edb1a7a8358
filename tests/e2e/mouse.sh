#!/bin/bash
# Mouse (SGR 1006 reports, as a terminal sends them): click places the
# cursor, drag selects, Ctrl+click adds a cursor, the wheel scrolls.
. "$(dirname "$0")/lib.sh"
seq -f 'line %g of the file' 1 100 >"$T/m.txt"
start 80 12 m.txt
wait_for "line 1 of the file" || fail "file not shown"
mouse() { text $'\e[<'"$1;$2;$3$4"; }
mouse 0 6 3 M
mouse 0 6 3 m
wait_pos 3:6 || fail "click did not place the cursor: $(status_pos)"
# Drag over "line" on row 2, then type over the selection.
mouse 0 1 2 M
mouse 32 3 2 M
mouse 32 5 2 M
mouse 0 5 2 m
text 'LINE'
wait_line 2 "LINE 2 of the file" || fail "drag did not select: $(screen | sed -n 2p)"
# Ctrl+click (button code 16) adds a second cursor.
mouse 16 1 5 M
mouse 16 1 5 m
wait_for "2 cursors (2/2)" || fail "Ctrl+click did not add a cursor"
keys Escape
wait_not "cursors" || fail "Esc did not collapse the cursors"
# Wheel down (65) scrolls three rows per notch, the cursor stays.
mouse 65 10 5 M
wait_line 1 "line 4 of the file" || fail "wheel down: $(screen | sed -n 1p)"
mouse 64 10 5 M
wait_line 1 "line 1 of the file" || fail "wheel up: $(screen | sed -n 1p)"
pass "click, drag, Ctrl+click, wheel"
