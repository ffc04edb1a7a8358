#!/bin/bash
# Resize: any size down to 1x1 (and odd ones like 1x3, 3x1) without a
# crash; keys typed while tiny still edit; the full screen comes back.
. "$(dirname "$0")/lib.sh"
printf 'one 世界 two\nsecond line\n' >"$T/r.txt"
start 80 12 r.txt
wait_for "second line" || fail "file not shown"
tm resize-window -t w -x 20 -y 5
wait_for "r.txt" || fail "no status bar at 20x5"
for size in "1 1" "2 2" "1 3" "3 1" "5 2" "1 1"; do
	set -- $size
	tm resize-window -t w -x "$1" -y "$2"
	alive || fail "died at $1x$2"
done
text 'tiny'
keys Enter
tm resize-window -t w -x 1 -y 2
alive || fail "died typing at 1x1"
tm resize-window -t w -x 100 -y 30
wait_line 1 "tiny" || fail "screen not redrawn after growing back"
wait_line 2 "one 世界 two" || fail "second row not redrawn after growing back"
wait_for "r.txt [+]" || fail "status bar not back"
# A wide character cut by a narrow width.
tm resize-window -t w -x 9 -y 6
wait_for "one 世" || fail "9 columns"
alive || fail "died at 9 columns"
tm resize-window -t w -x 80 -y 12
keys C-s
wait_file "$T/r.txt" tiny || fail "not saved after resizing"
pass "resizes down to 1x1 survived, edits kept"
