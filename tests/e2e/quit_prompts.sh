#!/bin/bash
# Quit prompts: Ctrl-Q on unsaved changes asks; n, Esc and unrelated keys
# keep everything; only y discards. A new buffer without a file asks too,
# and Ctrl-S asks for its name.
. "$(dirname "$0")/lib.sh"
printf 'keep me\n' >"$T/q.txt"
start 80 12 q.txt
wait_for "keep me" || fail "file not shown"
text 'changed '
wait_for "[+]" || fail "not modified"
keys C-q
wait_for "lose the changes? (y/n)" || fail "Ctrl-Q did not ask"
keys n
wait_not "(y/n)" || fail "n did not close the question"
alive || fail "n quit"
wait_for "changed keep me" || fail "text lost after n"
keys C-q
wait_for "(y/n)" || fail "second Ctrl-Q did not ask"
keys Escape
wait_not "(y/n)" || fail "Esc did not close the question"
alive || fail "Esc quit"
keys C-q
wait_for "(y/n)" || fail "third Ctrl-Q did not ask"
text 'x'
keys Enter
alive || fail "x/Enter quit"
wait_for "(y/n)" || fail "x/Enter answered the question"
keys y
wait_exit || fail "y did not quit"
[ "$(cat "$T/q.txt")" = "keep me" ] || fail "the file changed: $(cat "$T/q.txt")"

# No file name: typed text is not lost silently.
start 80 12
wait_raw || fail "no raw mode"
text 'unnamed text'
wait_for "unnamed text" || fail "typing into the new buffer"
keys C-q
wait_for "(y/n)" || fail "Ctrl-Q on an unnamed modified buffer did not ask"
keys n
keys C-s
wait_for "Save as:" || fail "Ctrl-S did not ask for a name"
text "$T/named.txt"
keys Enter
wait_file "$T/named.txt" "unnamed text" || fail "not saved under the name given"
wait_for "named.txt" || fail "status bar does not show the new name"
keys C-q
wait_exit || fail "Ctrl-Q after saving did not quit"
pass "quit asks; n/Esc/other keys keep; y discards; unnamed buffer asks and saves"
