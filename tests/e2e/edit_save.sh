#!/bin/bash
# Open, edit, save: typed text shows, the status bar marks the buffer
# modified until Ctrl-S writes it, and the file holds exactly the edit.
. "$(dirname "$0")/lib.sh"
printf 'alpha\nbeta\ngamma\n' >"$T/f.txt"
start 80 12 f.txt
wait_for alpha || fail "file not shown"
wait_for "f.txt" || fail "no name in the status bar"
keys Down End
text ' two'
keys Enter
text 'inserted'
wait_for "beta two" || fail "typed text not shown"
wait_for "[+]" || fail "modified mark missing"
keys C-s
wait_file "$T/f.txt" inserted || fail "Ctrl-S did not write the file"
[ "$(cat "$T/f.txt")" = "$(printf 'alpha\nbeta two\ninserted\ngamma')" ] || fail "file content: $(cat -A "$T/f.txt")"
wait_not "[+]" || fail "still marked modified after saving"
wait_for "wrote f.txt" || fail "no message after saving"
keys C-q
wait_exit || fail "Ctrl-Q on a saved buffer did not quit"
pass "edit shown, saved, quit"
