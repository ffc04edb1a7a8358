#!/bin/bash
# `cmd | brisk -`: the text comes from the pipe and the keys still from the
# terminal; the buffer has no file, so Ctrl-S asks for a name and nothing is
# written anywhere unless one is given; quitting with changes asks first.
# `brisk - < FILE` never writes FILE back. brisk exits 0 after a quit.
. "$(dirname "$0")/lib.sh"
start_sh 80 10 'printf "alpha\nbeta\n" | "$B" -; echo $? >rc'
wait_for "alpha" || fail "the piped text is not shown"
wait_for "[stdin]" || fail "no [stdin] buffer"
keys Down End
text ' gamma'
wait_for "beta gamma" || fail "the keyboard does not reach brisk"
wait_for "[+]" || fail "not modified after typing"
keys C-q
wait_for "(y/n/Esc)" || fail "quitting with changes did not ask"
keys Escape
wait_for "quit cancelled" || fail "Esc did not cancel the quit"
keys C-s
wait_for "Save as" || fail "Ctrl-S did not ask for a name"
text 'saved.txt'
keys Enter
wait_file "$T/saved.txt" "beta gamma" || fail "save-as did not write saved.txt"
keys C-q
wait_exit || fail "did not quit after saving"
wait_file "$T/rc" 0 || fail "exit status $(cat "$T/rc" 2>/dev/null)"
[ "$(cat "$T/saved.txt")" = "$(printf 'alpha\nbeta gamma')" ] || fail "saved.txt: $(cat "$T/saved.txt")"

# Nothing saved under a name: nothing written.
rm -f rc saved.txt "$T/rc" "$T/saved.txt"
printf 'from a file\n' >"$T/in.txt"
before=$(ls -A "$T" | grep -vxE 'rc|state')
start_sh 80 10 '"$B" - <in.txt; echo $? >rc'
wait_for "from a file" || fail "'- <FILE' not shown"
text 'typed '
wait_for "typed from a file" || fail "typing into the stdin buffer"
keys C-s
wait_for "Save as" || fail "Ctrl-S wrote somewhere instead of asking"
keys Escape
wait_not "Save as" || fail "Esc did not close the prompt"
keys C-q
wait_for "(y/n/Esc)" || fail "quit did not ask"
keys n
wait_exit || fail "n (do not save) did not quit"
wait_file "$T/rc" 0 || fail "exit status $(cat "$T/rc" 2>/dev/null)"
[ "$(cat "$T/in.txt")" = "from a file" ] || fail "in.txt was written: $(cat "$T/in.txt")"
# (the journal of unsaved text lives in $XDG_STATE_HOME until a clean quit)
after=$(ls -A "$T" | grep -vxE 'rc|state')
[ "$after" = "$before" ] || fail "files appeared: $(echo "$after" | tr '\n' ' ') (before: $(echo "$before" | tr '\n' ' '))"
left=$(find "$T/state" -type f 2>/dev/null)
[ -z "$left" ] || fail "left behind after the quit: $left"
pass "piped text with the keyboard live; saved only under a name given; nothing written otherwise"
