#!/bin/bash
# Log viewer in a terminal: open a dtrace sample with --log, filter it in
# with the i key (only matching lines on screen, matched/total in the
# status), clear; jump between kernel errors with e / E; follow a command
# flooding output while typing at the prompt (keys echo at once), and
# filter what keeps streaming in.
. "$(dirname "$0")/lib.sh"
SM=$ROOT/tests/data
ONE=$SM/dtrace/toolkit-oneliners_examples.txt
K4=$SM/kernel/syzkaller-linux-report-4.txt
[ -f "$ONE" ] && [ -f "$K4" ] || fail "samples missing in $SM"
total=$(wc -l <"$ONE")
n=$(grep -c 'ld.config' "$ONE")

start 100 30 --log "$ONE"
wait_for "DTrace OneLiners" || fail "sample not shown"
wait_for "$total lines" || fail "no line count in the status"
keys i
wait_for "filter in:" || fail "no filter prompt"
text "ld.config"
keys Enter
wait_for "$n/$total lines" || fail "status does not show $n/$total"
wait_for "open:entry man /var/ld/ld.config" || fail "matching lines not shown"
screen | grep -q "exec_common" && fail "a filtered-out line is on screen"
screen | grep -q "DTrace OneLiners" && fail "the banner should be hidden"
wait_pos 28:1 || fail "the cursor is not on the first shown line: $(status_pos)"
keys Down Down
wait_pos 37:1 || fail "Down does not step over hidden lines: $(status_pos)"
keys c
wait_for " $total lines" || fail "filter not cleared"
wait_for "open:entry man /lib/libc.so.1" || fail "hidden lines not back"
keys C-q
wait_exit || fail "no quit"

start 100 30 --log "$K4"
wait_for "executing program" || fail "kernel sample not shown"
keys e
wait_pos 19:1 || fail "e: not on the WARNING line: $(status_pos)"
keys e
wait_pos 20:1 || fail "e: not on the panic line: $(status_pos)"
keys E
wait_pos 19:1 || fail "E: not back on the WARNING: $(status_pos)"
keys C-q
wait_exit || fail "no quit"

start 100 30 --log -- sh -c "seq -f 'tick %.0f' 1 2000000; sleep 60"
wait_for "running" || fail "no running command"
keys C-e
text "log-filter-in 0000\$"
wait_for "log-filter-in 0000\$" 2 || fail "typed keys did not echo at once while output streams"
keys Enter
wait_for "tick 2000000" || fail "the filtered view does not follow the end"
wait_for "/2000000 lines | running" || fail "matched/total while following"
screen | grep "^tick" | grep -vq "0000 *$" && fail "an unfiltered line on screen"
keys C-q
wait_exit || fail "no quit while the command runs"
pass "filter in/out of a sample, status counts, e/E between kernel errors, typing while 2M lines stream in"
