#!/bin/bash
# A 2 GB file (sparse: no disk used) opens at once and both of its ends
# can be edited: the first screen reads a screenful, going to the end
# counts lines without mapping the file in, and memory stays small.
. "$(dirname "$0")/lib.sh"
f=$T/big.txt
printf 'first line of a big file\n' >"$f"
truncate -s 2G "$f"
printf '\nlast line of a big file\n' | dd of="$f" bs=1 seek=$((2147483648 - 25)) conv=notrunc status=none
[ "$(stat -c %s "$f")" = 2147483648 ] || fail "the test file is not 2 GiB"
start 100 16 big.txt
wait_for "first line of a big file" || fail "the first screen did not show"
text "HEAD>"
wait_for "HEAD>first line of a big file" || fail "typing at the start did not show"
keys C-End
wait_for "last line of a big file" 60 || fail "the end was not reached"
text "<TAIL"
wait_for "<TAIL" || fail "typing at the end did not show"
keys C-Home
wait_for "HEAD>first line of a big file" || fail "the start lost its edit"
keys C-End
wait_for "<TAIL" || fail "the end lost its edit"
pid=$(tm list-panes -t w -F '#{pane_pid}')
hwm=$(awk '/VmHWM/{print $2}' /proc/"$pid"/status)
[ "${hwm:-999999}" -lt 102400 ] || fail "peak memory ${hwm} KiB for a 2 GB file (want < 100 MiB)"
keys C-e
text "quit-force"
keys Enter
wait_exit || fail "did not quit"
[ "$(stat -c %s "$f")" = 2147483648 ] || fail "the file changed without a save"
pass "2 GB: both ends edited, peak memory ${hwm} KiB"
