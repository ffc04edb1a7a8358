#!/bin/bash
# The X clipboard (an Xvfb display and xclip): Ctrl-C puts the text there;
# text copied by another program since is what Ctrl-V pastes; brisk's own
# copy (a whole line) round-trips as itself and pastes as a line; with
# `set clipboard internal` the desktop's clipboard is left alone.
. "$(dirname "$0")/lib.sh"
command -v Xvfb >/dev/null || skip "Xvfb is not installed (scripts/deps.sh --test: xvfb)"
command -v xclip >/dev/null || skip "xclip is not installed"
Xvfb -displayfd 3 -nolisten tcp -screen 0 320x200x8 3>"$T/display" >/dev/null 2>&1 &
XP=$!
trap 'kill $XP 2>/dev/null; cleanup' EXIT
for i in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.05; done
[ -s "$T/display" ] || fail "Xvfb did not start"
export DISPLAY=:$(cat "$T/display")
unset WAYLAND_DISPLAY
xget() { xclip -selection clipboard -o 2>/dev/null; }
xwait() { # text: the X clipboard holds it
	for i in $(seq 100); do [ "$(xget)" = "$1" ] && return 0; sleep 0.05; done
	return 1
}

printf 'one\ntwo\nthree\n' >"$T/c.txt"
start 80 10 c.txt
wait_for "three" || fail "file not shown"
keys S-End C-c
wait_for "copied 1 selection" || fail "Ctrl-C did not copy"
xwait "one" || fail "the X clipboard has '$(xget)', not 'one'"

printf 'from the desktop' | xclip -selection clipboard -i
xwait "from the desktop" || fail "xclip -i did not set the clipboard"
keys Down End C-v
wait_for "twofrom the desktop" || fail "Ctrl-V did not paste the desktop's text"

# A line copied without a selection pastes as a line above the cursor.
keys Down Home C-c
xwait "three" || xwait "$(printf 'three\n')" || fail "the line did not reach the X clipboard: '$(xget)'"
keys Up Right C-v
wait_line 2 "three" || fail "the copied line did not paste as a line above line 2"
wait_line 3 "twofrom the desktop" || fail "line 3 should be intact"

keys C-e
text 'set clipboard internal'
keys Enter
wait_not "set clipboard" || fail "the command prompt did not close"
keys C-a C-c
wait_for "copied 1 selection" || fail "Ctrl-C after set clipboard internal"
sleep 0.3 # nothing should happen: give a wrong copy time to show
[ "$(xget)" = "$(printf 'three\n')" ] || [ "$(xget)" = three ] || fail "set clipboard internal still reached X: '$(xget)'"
keys C-q
wait_for "(y/n/Esc)" || fail "Ctrl-Q did not ask"
keys n
wait_exit || fail "did not quit"

# Headless runs (scripts, tests) leave the desktop alone unless told.
before=$(xget)
printf 'scripted\n' >"$T/h.txt"
"$B" --headless -c "brisk.command('select-all'); brisk.command('copy')" "$T/h.txt" 2>"$T/err" || fail "headless copy failed: $(cat "$T/err")"
[ "$(xget)" = "$before" ] || fail "a headless copy reached the X clipboard: '$(xget)'"
"$B" --headless -c "brisk.command('set clipboard external'); brisk.command('select-all'); brisk.command('copy')" "$T/h.txt" 2>"$T/err" ||
	fail "headless copy with set clipboard external failed"
xwait "$(printf 'scripted\n')" || fail "set clipboard external: the X clipboard has '$(xget)'"
pass "X clipboard: copy out, paste in, a line round-trips as a line; internal leaves X alone; headless only when told"
