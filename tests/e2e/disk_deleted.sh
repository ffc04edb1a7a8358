#!/bin/bash
# The file deleted on disk while open: a message says so, the buffer
# counts as unsaved (quitting asks), and saving (after a question: the
# disk changed) writes it again.
. "$(dirname "$0")/lib.sh"
printf 'precious\n' >"$T/gone.txt"
start 80 12 gone.txt
wait_for "precious" || fail "file not shown"
rm "$T/gone.txt"
wait_for "deleted on disk" || fail "deletion not noticed"
keys C-q
wait_for "Save changes to gone.txt? (y/n/Esc)" || fail "quit did not ask about the deleted file's buffer"
keys Escape
wait_for "quit cancelled" || fail "Esc did not cancel the quit"
alive || fail "Esc quit"
keys C-s
wait_for "overwrite it? (y/n)" || fail "saving over the vanished file did not ask"
keys y
wait_file "$T/gone.txt" "precious" || fail "save did not write the file again"
wait_not "[+]" || fail "still modified after saving"
keys C-q
wait_exit || fail "did not quit after saving"
pass "deletion noticed, quit asks, save restores"
