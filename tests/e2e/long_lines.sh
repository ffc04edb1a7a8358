#!/bin/bash
# Long lines: a 20 MB single line opens, End reaches its end and shows it
# (horizontal scrolling), Home comes back; soft wrap shows it over rows
# and Ctrl-End gets to the end there too; typing at the end works.
. "$(dirname "$0")/lib.sh"
python3 -c '
import sys
sys.stdout.write("HEAD-MARK " + "abcdefghij\t" * 1900000 + "世界 TAIL-MARK\n")
sys.stdout.write("second line\n")' >"$T/long.txt"
start 80 12 long.txt
wait_for "HEAD-MARK" || fail "long line not shown"
wait_for "second line" || fail "next line not shown"
keys End
wait_for "世界 TAIL-MARK" || fail "End did not show the end of the line"
col=$(status_pos | cut -d: -f2)
want=$(python3 -c 'print(len(("HEAD-MARK " + "abcdefghij\t" * 1900000).expandtabs(8)) + 14 + 1)')
[ "$col" = "$want" ] || fail "column at the end: $col, want $want"
text '!'
wait_for "TAIL-MARK!" || fail "typing at the end of the long line"
keys Home
wait_for "HEAD-MARK" || fail "Home did not come back"
keys C-e
text toggle-wrap
wait_for ": toggle-wrap" || fail "no command prompt"
keys Enter
wait_for "abcdefghij" || fail "wrapped rows not shown"
keys C-End
wait_for "second line" || fail "Ctrl-End in wrap mode"
keys Up End
wait_for "TAIL-MARK!" || fail "End in wrap mode did not show the end"
keys C-s
wait_file "$T/long.txt" "TAIL-MARK!" || fail "not saved"
pass "20 MB line: End, Home, typing, wrap"
