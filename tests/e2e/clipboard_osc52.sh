#!/bin/bash
# Ctrl-C gives the text to the terminal through OSC 52: tmux with
# set-clipboard on keeps it as its paste buffer (and passes it on to the
# terminal around it, which puts it on the desktop, over ssh too). With
# `set clipboard internal` nothing is sent.
. "$(dirname "$0")/lib.sh"
printf 'hello world\nsecond line\n' >"$T/c.txt"
start 80 10 c.txt
tm set-option -s set-clipboard on
wait_for "hello world" || fail "file not shown"
keys S-End C-c
wait_for "copied 1 selection" || fail "Ctrl-C did not copy"
for i in $(seq 100); do [ "$(tm show-buffer 2>/dev/null)" = "hello world" ] && break; sleep 0.05; done
[ "$(tm show-buffer 2>/dev/null)" = "hello world" ] || fail "tmux got '$(tm show-buffer 2>&1)' through OSC 52"

keys Home C-e
wait_line 10 ":" || fail "no command prompt"
text 'set clipboard internal'
keys Enter
wait_not "set clipboard" || fail "the command prompt did not close"
keys Down S-End C-c
wait_pos 2:12 || fail "the second line is not selected: $(status_pos)"
keys End C-v
wait_for "second linesecond line" || fail "the internal clipboard does not paste"
[ "$(tm show-buffer 2>/dev/null)" = "hello world" ] || fail "set clipboard internal still sent '$(tm show-buffer)'"
pass "OSC 52 reaches tmux's buffer; set clipboard internal keeps the text inside brisk"
