#!/bin/bash
# Saving under a name in the terminal: Ctrl-S's name prompt onto an
# existing file asks before replacing it (n keeps it, y replaces it); a
# FIFO is refused and left as it is; a read-only file shows [read-only],
# Ctrl-S refuses it naming save-force, save-force writes it (mode kept);
# in the hex view a 0444 file is read-only for all but root (hexedit).
. "$(dirname "$0")/lib.sh"
printf 'precious\n' >"$T/p.txt"
mkfifo "$T/fifo"
start 80 12
wait_raw || fail "no raw mode"
text 'draft'
keys C-s
wait_for "Save as:" || fail "Ctrl-S did not ask for a name"
text "$T/p.txt"
keys Enter
wait_for "exists; overwrite it? (y/n)" || fail "an existing file was not asked about"
keys n
wait_not "(y/n)" || fail "n did not answer"
[ "$(cat "$T/p.txt")" = precious ] || fail "n replaced the file"
wait_for "[+]" || fail "the buffer is no longer modified after n"
keys C-s
wait_for "Save as:" || fail "second Ctrl-S"
text "$T/fifo"
keys Enter
wait_for "a FIFO, not a regular file" || fail "saving to a FIFO was not refused"
[ -p "$T/fifo" ] || fail "the FIFO was replaced"
keys C-s
wait_for "Save as:" || fail "third Ctrl-S"
text "$T/p.txt"
keys Enter
wait_for "overwrite it? (y/n)" || fail "not asked again"
keys y
wait_file "$T/p.txt" draft || fail "y did not replace the file"
wait_not "[+]" || fail "still modified after saving"
wait_for "p.txt" || fail "the buffer is not named after the file"
keys C-q
wait_exit || fail "quit after saving"

printf 'ro\n' >"$T/ro.txt"
chmod 444 "$T/ro.txt"
start 80 12 ro.txt
wait_for "[read-only]" || fail "no [read-only] in the status bar"
text 'X'
keys C-s
wait_for "read-only; save-force" || fail "Ctrl-S on a read-only file: no message naming save-force"
[ "$(cat "$T/ro.txt")" = ro ] || fail "Ctrl-S wrote the read-only file"
keys C-e
text 'save-force'
keys Enter
wait_file "$T/ro.txt" Xro || fail "save-force did not write it"
[ "$(stat -c %a "$T/ro.txt")" = 444 ] || fail "save-force changed the mode to $(stat -c %a "$T/ro.txt")"
chmod 644 "$T/ro.txt"
wait_not "[read-only]" || fail "[read-only] does not follow a chmod"
keys C-q
wait_exit || fail "quit after save-force"

# The hex view follows hexedit's rule: a 0444 file is read-only there only
# for a user the OS would not let open it for writing (everyone but root).
chmod 444 "$T/ro.txt"
start 80 12 --hex ro.txt
wait_for "[hex]" || fail "the hex view did not open"
if [ "$(id -u)" = 0 ]; then
	screen | grep -qF "[read-only]" && fail "root, hex view: a 0444 file shown [read-only]"
	keys C-k h
	wait_not "[hex]" || fail "Ctrl-K h did not leave the hex view"
	wait_for "[read-only]" || fail "root, back in the text view: no [read-only] (vim's rule)"
else
	wait_for "[read-only]" || fail "hex view: no [read-only] for a 0444 file"
fi
keys C-q
wait_exit || fail "quit the hex view"
pass "save-as asks before replacing, refuses a FIFO; read-only: [read-only] (text and hex rules), refused, save-force keeps the mode"
