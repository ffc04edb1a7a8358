#!/bin/bash
# The terminal goes away (the window is closed: SIGHUP) or brisk gets
# SIGTERM with unsaved changes: they are written to FILE.brisk-save (an
# unnamed buffer's to $HOME), the file itself is not touched.
. "$(dirname "$0")/lib.sh"
printf 'on disk\n' >"$T/h.txt"
start 80 12 h.txt
wait_for "on disk" || fail "file not shown"
text 'typed '
wait_for "typed on disk" || fail "typing"
tm kill-pane -t w
wait_file "$T/h.txt.brisk-save" "typed on disk" || fail "closing the window lost the changes"
[ "$(cat "$T/h.txt")" = "on disk" ] || fail "the file was changed"
start 80 12
wait_raw || fail "no raw mode"
text 'no name yet'
wait_for "no name yet" || fail "typing into the new buffer"
kill -TERM "$(tm display-message -p -t w '#{pane_pid}')"
wait_exit || fail "SIGTERM did not end brisk"
ls "$T"/brisk-*.brisk-save >/dev/null 2>&1 || fail "no save file for the unnamed buffer"
grep -q "no name yet" "$T"/brisk-*.brisk-save || fail "save file content"
pass "SIGHUP/SIGTERM keep unsaved changes in .brisk-save files"
