#!/bin/bash
# Never lose work: unsaved edits are journaled in the background to
# $XDG_STATE_HOME/brisk/; after kill -9 the next start on the file offers
# them (what would change is shown), y recovers (undoable), Ctrl-S saves.
# SIGHUP writes the journal at once and exits cleanly; n keeps the journal
# aside for `recover`; `recover-discard` deletes it.
. "$(dirname "$0")/lib.sh"
J=$T/state/brisk

# wait_journal TEXT: a journal of r.txt holds TEXT.
wait_journal() { wait_glob "$J/r.txt-*.journal" "$1"; }
# journals: how many journal files (kept-aside ones included) exist.
journals() { ls "$J" 2>/dev/null | grep -c 'journal'; }
wait_no_journal() {
	local i n=$(( DEADLINE * 20 ))
	for i in $(seq "$n"); do
		[ "$(journals)" = 0 ] && return 0
		sleep 0.05
	done
	return 1
}
pane_pid() { tm display-message -p -t w '#{pane_pid}'; }

printf 'line one\nline two\n' >"$T/r.txt"
start 80 12 r.txt
wait_for "line one" || fail "file not shown"
text 'EDITED '
wait_for "EDITED line one" || fail "typing"
wait_journal "EDITED line one" || fail "no journal written after a pause"
stat -c %a "$J"/r.txt-*.journal | grep -qx 600 || fail "journal is not private (mode 600)"
kill -KILL "$(pane_pid)"
wait_exit || fail "kill -9 did not end brisk"
[ "$(cat "$T/r.txt")" = "$(printf 'line one\nline two')" ] || fail "the file itself changed"

start 80 12 r.txt
wait_for "Recover" || fail "no recovery offered after kill -9"
wait_for "line 1" || fail "the question does not show what would change"
keys y
wait_for "EDITED line one" || fail "recovered text not shown"
wait_for "recovered" || fail "no message after recovering"
wait_for "[+]" || fail "recovered buffer not marked modified"
keys C-z
wait_not "EDITED" || fail "undo does not go back to the file on disk"
keys C-y
wait_for "EDITED line one" || fail "redo"
keys C-s
wait_file "$T/r.txt" "EDITED" || fail "save after recovery"
cmp -s "$T/r.txt" <(printf 'EDITED line one\nline two\n') || fail "saved bytes: $(od -c "$T/r.txt" | head -3)"
wait_no_journal || fail "journal not removed on save: $(ls "$J")"
keys C-q
wait_exit || fail "Ctrl-Q after saving"

# SIGHUP right after typing: journal written at once, clean exit.
start 80 12 r.txt
wait_for "EDITED line one" || fail "reopen"
alive && ! screen | grep -q Recover || fail "recovery offered after a save"
text 'HUP '
wait_for "HUP EDITED" || fail "typing before SIGHUP"
kill -HUP "$(pane_pid)"
wait_exit || fail "SIGHUP did not end brisk"
wait_journal "HUP EDITED line one" || fail "SIGHUP did not write the journal"
[ "$(head -1 "$T/r.txt")" = "EDITED line one" ] || fail "SIGHUP touched the file"

# n keeps it aside; `recover` brings it back; `recover-discard` deletes it.
start 80 12 r.txt
wait_for "Recover" || fail "no recovery offered after SIGHUP"
keys n
wait_for "not recovered" || fail "n: no message"
screen | grep -q "HUP" && fail "n recovered anyway"
[ "$(journals)" = 1 ] || fail "n did not keep the journal: $(ls "$J")"
keys C-e
text 'recover'
keys Enter
wait_for "HUP EDITED line one" || fail "recover command"
keys C-e
text 'recover-discard'
keys Enter
wait_for "journal deleted" || fail "recover-discard"
keys C-e
text 'quit-force'
keys Enter
wait_exit || fail "quit-force"
[ "$(journals)" = 0 ] || fail "journals left: $(ls "$J")"
# A clean quit that drops the changes drops their journal too.
start 80 12 r.txt
wait_for "EDITED line one" || fail "reopen before quitting"
text 'DROP '
wait_journal "DROP EDITED" || fail "no journal before quitting"
keys C-q
wait_for "Save changes to r.txt? (y/n/Esc)" || fail "Ctrl-Q did not ask"
keys n
wait_exit || fail "n did not quit"
[ "$(journals)" = 0 ] || fail "a clean quit left journals: $(ls "$J")"
grep -q DROP "$T/r.txt" && fail "n saved the changes"

# A big buffer is written by a child process; still journaled and removed.
seq 1 200000 >"$T/big.txt"
start 80 12 big.txt
wait_for "big.txt" || fail "big file not shown"
text 'BIG '
wait_for "BIG 1" || fail "typing in the big file"
wait_glob "$J/big.txt-*.journal" "BIG 1" || fail "no journal for the big buffer"
kill -KILL "$(pane_pid)"
wait_exit || fail "kill -9 (big)"
start 80 12 big.txt
wait_for "Recover" || fail "no recovery offered (big)"
keys y
wait_for "BIG 1" || fail "big recovery"
keys C-s
wait_file "$T/big.txt" "BIG 1" || fail "save (big)"
wait_no_journal || fail "journal not removed (big): $(ls "$J")"
[ "$(wc -l <"$T/big.txt")" = 200000 ] || fail "big file lines"
keys C-q
wait_exit || fail "quit (big)"
pass "kill -9 and SIGHUP: journal, offer, recover, undo, save; n, recover, recover-discard; clean quit; big buffer"
