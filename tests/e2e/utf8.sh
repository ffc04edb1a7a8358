#!/bin/bash
# UTF-8: wide (CJK, emoji) and combining characters take their columns, so
# text after them lines up; the cursor steps over whole characters; the
# bytes are saved unchanged.
. "$(dirname "$0")/lib.sh"
printf '世界|\nabcd|\ne\xcc\x81e\xcc\x81|\n\xf0\x9f\x8e\x89x|\n' >"$T/w.txt"
cp "$T/w.txt" "$T/orig"
start 80 12 w.txt
wait_for 'abcd|' || fail "file not shown"
# Column of '|' on each of the first 4 rows, counted as a terminal does.
cols=$(screen | head -4 | python3 -c '
import sys, unicodedata
for line in sys.stdin:
    col = 0
    for ch in line.rstrip("\n"):
        if ch == "|":
            print(col); break
        if unicodedata.combining(ch): continue
        col += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
')
[ "$(echo $cols)" = "4 4 2 3" ] || fail "columns of | are $(echo $cols), want 4 4 2 3"
keys End
wait_pos 1:6 || fail "End on the CJK line: $(status_pos)"
keys Left Left
wait_pos 1:3 || fail "Left over a wide character: $(status_pos)"
keys Down Down Home Right
wait_pos 3:2 || fail "Right over e+combining: $(status_pos)"
keys Down Home Right
wait_pos 4:3 || fail "Right over an emoji: $(status_pos)"
text '漢'
wait_for '🎉漢x|' || fail "typed CJK not placed"
keys BSpace C-s
wait_for "wrote w.txt" || fail "not saved"
cmp -s "$T/w.txt" "$T/orig" || fail "bytes changed: $(od -c "$T/w.txt" | head)"
pass "wide/combining columns, cursor steps, bytes kept"
