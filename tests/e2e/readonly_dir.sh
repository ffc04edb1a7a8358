#!/bin/bash
# Saving into a read-only directory fails with a message; the buffer stays
# modified, the old file stays as it was, and quitting still asks.
# (root ignores directory permissions: then brisk runs as nobody.)
. "$(dirname "$0")/lib.sh"
mkdir "$T/ro" "$T/rw"
chmod 777 "$T/rw"
printf 'original\n' >"$T/ro/f.txt"
chmod 666 "$T/ro/f.txt"
chmod 555 "$T/ro"
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || { echo "ok: skipped (root without setpriv)"; exit 0; }
	chmod 755 "$T"
	BRISK_WRAP="setpriv --reuid=65534 --regid=65534 --clear-groups --"
fi
start 80 12 ro/f.txt
wait_for "original" || fail "file not shown"
keys End
text ' edited'
keys C-s
wait_for "Permission denied" || fail "no error message for the failed save"
wait_for "[+]" || fail "buffer no longer marked modified after a failed save"
wait_for "original edited" || fail "the edit was lost"
[ "$(cat "$T/ro/f.txt")" = "original" ] || fail "the file on disk changed: $(cat "$T/ro/f.txt")"
[ "$(ls -A "$T/ro")" = "f.txt" ] || fail "left files behind: $(ls -A "$T/ro")"
keys C-q
wait_for "(y/n)" || fail "quit did not ask after the failed save"
keys n
alive || fail "n quit"
# Save elsewhere: the text is still all there.
keys C-e
text "save-as $T/rw/f2.txt"
keys Enter
wait_file "$T/rw/f2.txt" "original edited" || fail "save-as elsewhere after the failure"
pass "read-only directory: message, still modified, nothing lost"
