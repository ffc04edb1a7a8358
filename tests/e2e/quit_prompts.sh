#!/bin/bash
# Quit as in nano and micro: Ctrl-Q asks about each unsaved buffer in turn,
# "Save changes to NAME? (y/n/Esc)": y saves it (asking for a name when it
# has none), n drops its changes, Esc cancels the quit; other keys do not
# answer. A save that fails stops the quit. quit-save-all saves every
# buffer and quits.
. "$(dirname "$0")/lib.sh"
printf 'keep me\n' >"$T/q.txt"
start 80 12 q.txt
wait_for "keep me" || fail "file not shown"
text 'changed '
wait_for "[+]" || fail "not modified"
keys C-q
wait_for "Save changes to q.txt? (y/n/Esc)" || fail "Ctrl-Q did not ask"
keys Escape
wait_for "quit cancelled" || fail "Esc did not cancel"
alive || fail "Esc quit"
wait_for "changed keep me" || fail "text lost after Esc"
keys C-q
wait_for "(y/n/Esc)" || fail "second Ctrl-Q did not ask"
text 'x'
keys Enter
alive || fail "x/Enter quit"
wait_for "(y/n/Esc)" || fail "x/Enter answered the question"
keys n
wait_exit || fail "n did not quit"
[ "$(cat "$T/q.txt")" = "keep me" ] || fail "n saved the file: $(cat "$T/q.txt")"

# y saves, then quits.
start 80 12 q.txt
wait_for "keep me" || fail "reopen"
text 'saved '
keys C-q
wait_for "Save changes to q.txt?" || fail "Ctrl-Q did not ask (y)"
keys y
wait_exit || fail "y did not quit"
[ "$(cat "$T/q.txt")" = "saved keep me" ] || fail "y did not save: $(cat "$T/q.txt")"

# Two buffers: asked one after the other; y for one, n for the other.
printf 'one\n' >"$T/a.txt"
printf 'two\n' >"$T/b.txt"
start 80 12 a.txt b.txt
wait_for "one" || fail "a.txt not shown"
text 'A'
keys M-Right
wait_for "two" || fail "b.txt not shown"
text 'B'
keys C-q
wait_for "Save changes to a.txt?" || fail "not asked about a.txt first"
wait_for "Aone" || fail "the buffer asked about is not shown"
keys y
wait_for "Save changes to b.txt?" || fail "not asked about b.txt next"
keys n
wait_exit || fail "did not quit after both answers"
[ "$(cat "$T/a.txt")" = Aone ] || fail "a.txt (y) not saved: $(cat "$T/a.txt")"
[ "$(cat "$T/b.txt")" = two ] || fail "b.txt (n) saved: $(cat "$T/b.txt")"

# A save that fails (a read-only file) stops the quit.
chmod 444 "$T/b.txt"
start 80 12 b.txt
wait_for "two" || fail "b.txt not shown (read-only)"
wait_for "[read-only]" || fail "the status bar does not say read-only"
text 'R'
keys C-q
wait_for "Save changes to b.txt?" || fail "not asked (read-only)"
keys y
wait_for "read-only; save-force" || fail "no read-only message"
alive || fail "quit although the save was refused"
keys C-q
wait_for "Save changes to b.txt?" || fail "not asked again"
keys n
wait_exit || fail "n did not quit (read-only)"
[ "$(cat "$T/b.txt")" = two ] || fail "the read-only file changed"

# No file name: y asks for one.
start 80 12
wait_raw || fail "no raw mode"
text 'unnamed text'
wait_for "unnamed text" || fail "typing into the new buffer"
keys C-q
wait_for "Save changes to [new]?" || fail "Ctrl-Q on an unnamed modified buffer did not ask"
keys y
wait_for "Save as:" || fail "y did not ask for a name"
text "$T/named.txt"
keys Enter
wait_exit || fail "did not quit after saving under a name"
[ "$(cat "$T/named.txt")" = "unnamed text" ] || fail "not saved under the name given: $(cat "$T/named.txt" 2>&1)"

# quit-save-all saves every buffer and quits.
start 80 12 a.txt q.txt
wait_for "Aone" || fail "a.txt (save-all)"
text '1'
keys M-Right
wait_for "saved keep me" || fail "q.txt (save-all)"
text '2'
keys C-e
text 'quit-save-all'
keys Enter
wait_exit || fail "quit-save-all did not quit"
[ "$(cat "$T/a.txt")" = 1Aone ] && [ "$(cat "$T/q.txt")" = "2saved keep me" ] ||
	fail "quit-save-all did not save both: $(cat "$T/a.txt" "$T/q.txt")"
pass "Ctrl-Q asks per buffer: y saves, n drops, Esc stays; failed save stops; unnamed asks a name; quit-save-all"
