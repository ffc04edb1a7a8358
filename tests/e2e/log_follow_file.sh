#!/bin/bash
# A log file followed in the UI (brisk --log FILE): appended lines show up
# and brisk never asks whether to reload the file (the log viewer follows
# it), so no question piles up and Ctrl-Q quits at once.
. "$(dirname "$0")/lib.sh"
printf 'first line\n' >"$T/grow.log"
start 100 12 --log grow.log
wait_for "first line" || fail "log not shown"
wait_for "follow" || fail "not following"
for i in 2 3 4; do
	echo "line $i appended" >>"$T/grow.log"
	sleep 0.6
done
wait_for "line 4 appended" || fail "appended lines not shown"
sleep 2.5 # past the editor's on-disk check
screen | grep -q "changed on disk" && fail "asked to reload a followed log: $(screen | tail -1)"
keys C-q
wait_exit || fail "Ctrl-Q did not quit: $(screen | tail -1)"
pass "a followed log file shows appended lines and never asks to reload"
