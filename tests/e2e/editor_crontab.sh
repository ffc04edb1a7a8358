#!/bin/bash
# EDITOR=brisk crontab -e: crontab hands brisk a temporary file, waits, and
# installs what was saved. Runs in a private mount namespace with an empty
# tmpfs over the crontab spool, so no real crontab is read or changed.
. "$(dirname "$0")/lib.sh"
command -v crontab >/dev/null || skip "crontab is not installed (scripts/deps.sh --test: cron)"
[ "$(id -u)" = 0 ] || skip "needs root (a private crontab spool in a mount namespace)"
SPOOL=/var/spool/cron/crontabs
[ -d "$SPOOL" ] || skip "no $SPOOL"
unshare -m sh -c "mount -t tmpfs -o mode=1730 none $SPOOL" 2>/dev/null || skip "cannot mount a private spool here"

start_sh 80 14 "unshare -m sh -c 'mount -t tmpfs -o mode=1730 none $SPOOL && mountpoint -q $SPOOL && EDITOR=\"\$0\" crontab -e 2>err; echo \$? >rc; crontab -l >out 2>&1' \"\$B\""
wait_for "crontab" || fail "brisk did not open crontab's file"
wait_for "Edit this file to introduce tasks" || fail "crontab's template is not shown"
# crontab -e installs the file only if its mtime changed, and compares
# whole seconds: a save within the second crontab wrote the file in counts
# as "no changes made" (vim is treated the same).
sleep 1.1
keys C-End
text '17 3 * * * echo from-brisk'
keys Enter C-s
wait_for "wrote" || fail "Ctrl-S did not save"
keys C-q
wait_exit || fail "brisk did not quit"
wait_file "$T/rc" 0 || fail "crontab -e failed: status $(cat "$T/rc" 2>/dev/null)"
grep -qx '17 3 \* \* \* echo from-brisk' "$T/out" || fail "crontab -l: $(cat "$T/out"); crontab -e said: $(cat "$T/err" 2>/dev/null)"
crontab -l 2>/dev/null | grep -q from-brisk && fail "the real crontab was changed"
pass "crontab -e: the line typed in brisk is installed (private spool)"
