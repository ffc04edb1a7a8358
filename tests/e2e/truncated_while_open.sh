#!/bin/bash
# A big (mapped) file cut short by another program while open: brisk does
# not crash (the pages past the new end read as zero bytes: a SIGBUS
# handler), says which bytes could not be read, and never saves them over
# the file, not even when told to overwrite; reload reads it again.
. "$(dirname "$0")/lib.sh"
python3 - "$T/cut.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(200000):
        f.write("line %06d of a file that will be cut short\n" % i)
PY
size=$(stat -c %s "$T/cut.txt")
[ "$size" -gt 4194304 ] || fail "the test file ($size bytes) is too small to be mapped"
# Unprivileged when we can (root runs tests/e2e/big_file.sh).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 777 "$T"
	chmod 666 "$T/cut.txt"
	BRISK_WRAP="setpriv --reuid=65534 --regid=65534 --clear-groups --"
fi
start 100 16 cut.txt
wait_for "line 000000" || fail "file not shown"
keys C-End
wait_for "line 199999" || fail "the end not shown"
truncate -s 1000000 "$T/cut.txt"
wait_for "bytes 1000000-$size" 15 || fail "the lost bytes were not reported"
alive || fail "brisk died when the file was cut under it"
keys n
keys C-Home
wait_for "line 000000" || fail "not alive after the cut (no redraw)"
keys C-s
wait_for "overwrite it? (y/n)" || fail "saving over the changed file did not ask"
keys y
wait_for "not saved" || fail "a forced save over the cut file was not refused"
[ "$(stat -c %s "$T/cut.txt")" = 1000000 ] || fail "the file was written over ($(stat -c %s "$T/cut.txt") bytes)"
keys C-e
text "reload"
keys Enter
wait_for "reload and lose them? (y/n)" || fail "reload did not ask (the buffer counts as unsaved)"
keys y
wait_for "reloaded cut.txt" || fail "reload did not read it again"
keys C-End
wait_for "line 022221" || fail "the reloaded end (the last whole line of the cut file) not shown"
keys C-q
wait_exit || fail "did not quit"
pass "a mapped file cut short: no crash, lost bytes named, never saved over, reload works"
