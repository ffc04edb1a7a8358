#!/bin/bash
# The terminal goes away (the window is closed: SIGHUP) or brisk gets
# SIGTERM with unsaved changes: every modified buffer's journal is written
# to $XDG_STATE_HOME/brisk/ (an unnamed buffer's too) and brisk exits; the
# file itself is not touched. recovery.sh covers offering them back.
. "$(dirname "$0")/lib.sh"
J=$T/state/brisk
printf 'on disk\n' >"$T/h.txt"
start 80 12 h.txt
wait_for "on disk" || fail "file not shown"
text 'typed '
wait_for "typed on disk" || fail "typing"
tm kill-pane -t w
wait_glob "$J/h.txt-*.journal" "typed on disk" || fail "closing the window lost the changes"
[ "$(cat "$T/h.txt")" = "on disk" ] || fail "the file was changed"
start 80 12
wait_raw || fail "no raw mode"
text 'no name yet'
wait_for "no name yet" || fail "typing into the new buffer"
kill -TERM "$(tm display-message -p -t w '#{pane_pid}')"
wait_exit || fail "SIGTERM did not end brisk"
wait_glob "$J/unnamed-*.journal" "no name yet" || fail "no journal for the unnamed buffer"
pass "SIGHUP/SIGTERM keep unsaved changes in journals"
