#!/bin/bash
# Undo/redo: a typed run is one undo step; redo brings it back; a cursor
# move ends the run; undo back to the saved state clears the modified mark.
. "$(dirname "$0")/lib.sh"
printf 'start\n' >"$T/u.txt"
start 80 12 u.txt
wait_for start || fail "file not shown"
keys End
text ' one'
keys Left Right
text ' two'
wait_for "start one two" || fail "typed text not shown"
keys C-z
wait_line 1 "start one" || fail "undo did not remove the last run"
keys C-z
wait_line 1 "start" || fail "second undo did not remove the first run"
wait_not "[+]" || fail "back at the saved text but still marked modified"
keys C-y
wait_line 1 "start one" || fail "redo did not restore the first run"
keys C-y
wait_line 1 "start one two" || fail "redo did not restore the second run"
keys C-s
wait_file "$T/u.txt" "start one two" || fail "save after redo"
pass "typed runs undo/redo as steps"
