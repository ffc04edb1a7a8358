#!/bin/bash
# A terminal of 1x1 from the start: brisk runs, takes keys, and shows
# everything once the terminal grows.
. "$(dirname "$0")/lib.sh"
printf 'hello\n' >"$T/t.txt"
start 1 1 t.txt
alive || fail "did not start at 1x1"
# The one cell is the bottom-right corner, which terminals with automatic
# margins never get drawn: wait for raw mode instead.
wait_raw || fail "terminal not in raw mode at 1x1"
keys End
text ' world'
keys C-s
wait_file "$T/t.txt" "hello world" || fail "keys at 1x1 did not edit and save"
alive || fail "died at 1x1"
tm resize-window -t w -x 40 -y 6
wait_for "hello world" || fail "not redrawn when grown"
keys C-q
wait_exit || fail "did not quit"
pass "1x1: runs, edits, saves, redraws"
