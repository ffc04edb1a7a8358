#!/bin/bash
# SUDO_EDITOR=brisk sudoedit FILE: sudo copies FILE to a temporary file,
# runs brisk on it and copies it back once brisk exits 0 with the file
# changed; a quit without saving leaves FILE as it was ("unchanged").
# Runs as root, which sudo lets edit anything without a sudoers entry.
. "$(dirname "$0")/lib.sh"
command -v sudoedit >/dev/null || skip "sudoedit is not installed (scripts/deps.sh --test: sudo)"
[ "$(id -u)" = 0 ] || skip "needs root (sudoedit without a sudoers entry)"
mkdir -p "$T/etc"
printf 'setting = old\n' >"$T/etc/app.conf"

start_sh 80 10 'SUDO_EDITOR="$B" sudoedit "$T/etc/app.conf"; echo $? >rc'
wait_for "setting = old" || fail "brisk did not show the file"
screen | grep -q " app.conf " && fail "brisk was given the file itself, not sudoedit's copy"
keys End BSpace BSpace BSpace
text 'new'
keys C-s
wait_for "wrote" || fail "Ctrl-S did not save the copy"
keys C-q
wait_exit || fail "brisk did not quit"
wait_file "$T/rc" 0 || fail "sudoedit failed: status $(cat "$T/rc" 2>/dev/null)"
[ "$(cat "$T/etc/app.conf")" = "setting = new" ] || fail "app.conf: $(cat "$T/etc/app.conf")"

rm -f "$T/rc"
start_sh 80 10 'SUDO_EDITOR="$B" sudoedit "$T/etc/app.conf" 2>err; echo $? >rc'
wait_for "setting = new" || fail "second run: the file is not shown"
keys C-q
wait_exit || fail "brisk did not quit"
wait_file "$T/rc" 0 || fail "sudoedit after a plain quit: status $(cat "$T/rc" 2>/dev/null) $(cat "$T/err")"
grep -q unchanged "$T/err" || fail "sudoedit did not see the file unchanged: $(cat "$T/err")"
[ "$(cat "$T/etc/app.conf")" = "setting = new" ] || fail "app.conf changed: $(cat "$T/etc/app.conf")"
pass "sudoedit: the saved temporary copy is installed; a plain quit leaves the file"
