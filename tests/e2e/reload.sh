#!/bin/bash
# Changed on disk: noticed while idle; an unmodified buffer offers a
# reload (one undoable edit); a modified one asks before losing anything,
# and a later save asks before overwriting the other version.
. "$(dirname "$0")/lib.sh"
printf 'version one\n' >"$T/d.txt"
start 80 12 d.txt
wait_for "version one" || fail "file not shown"
printf 'version two, longer\n' >"$T/d.txt"
wait_for "changed on disk; reload it? (y/n)" || fail "change on disk not noticed"
keys y
wait_for "version two, longer" || fail "y did not reload"
wait_not "[+]" || fail "reloaded buffer marked modified"
keys C-z
wait_for "version one" || fail "reload was not undoable"
keys C-y
wait_for "version two, longer" || fail "redo of the reload"
# Modified here and changed there.
keys C-End
text 'mine'
wait_for "mine" || fail "typing"
printf 'version three\n' >"$T/d.txt"
wait_for "has unsaved changes here; reload and lose them? (y/n)" || fail "no question for a modified buffer"
keys n
wait_for "kept the buffer" || fail "n did not keep the buffer"
wait_for "mine" || fail "our text lost"
[ "$(cat "$T/d.txt")" = "version three" ] || fail "the disk file was touched"
keys C-s
wait_for "overwrite it? (y/n)" || fail "saving over a changed file did not ask"
keys y
wait_file "$T/d.txt" "mine" || fail "y did not save"
pass "reload offered, undoable; modified buffer kept; overwrite asked"
