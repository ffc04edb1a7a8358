#!/bin/bash
# A writable file in a read-only directory cannot be renamed over: it is
# saved in place (as vim, nano and micro do), behind a rollback journal in
# the state directory. With nowhere to put that journal the file is not
# touched: the status bar says [no journal] at once, the save says why,
# the text stays; once the state directory can be written, Ctrl-S saves.
# (root ignores directory permissions: then brisk runs as nobody.)
. "$(dirname "$0")/lib.sh"
mkdir "$T/ro"
printf 'original\n' >"$T/ro/f.txt"
chmod 666 "$T/ro/f.txt"
chmod 555 "$T/ro"
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || { echo "ok: skipped (root without setpriv)"; exit 0; }
	chmod 755 "$T"
	BRISK_WRAP="setpriv --reuid=65534 --regid=65534 --clear-groups --"
fi
ino=$(stat -c %i "$T/ro/f.txt")
printf 'not a directory\n' >"$T/state" # XDG_STATE_HOME cannot be made
start 80 12 ro/f.txt
wait_for "original" || fail "file not shown"
wait_for "[no journal]" || fail "the status bar does not say that nothing can be journaled"
keys End
text ' edited'
keys C-s
wait_for "nowhere to journal" || fail "no message for the refused save"
wait_for "[+]" || fail "buffer no longer marked modified after a refused save"
wait_for "original edited" || fail "the edit was lost"
[ "$(cat "$T/ro/f.txt")" = "original" ] || fail "the file on disk changed: $(cat "$T/ro/f.txt")"

rm "$T/state"
mkdir -m 700 "$T/state"
[ "$(id -u)" = 0 ] && chown 65534:65534 "$T/state"
keys C-s
wait_for "wrote f.txt" || fail "no save once the state directory is there"
wait_file "$T/ro/f.txt" "original edited" || fail "the file was not written in place"
[ "$(stat -c %i "$T/ro/f.txt")" = "$ino" ] || fail "the inode changed"
[ "$(ls -A "$T/ro")" = "f.txt" ] || fail "left files behind: $(ls -A "$T/ro")"
[ -z "$(ls -A "$T/state/brisk" | grep rollback)" ] || fail "the rollback journal was left: $(ls -A "$T/state/brisk")"
wait_not "[+]" || fail "still modified after the save"
keys C-q
wait_exit || fail "Ctrl-Q after saving"
pass "read-only directory: saved in place; nowhere to journal: refused, said, nothing lost"
