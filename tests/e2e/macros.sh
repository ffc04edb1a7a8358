#!/bin/bash
# Keystroke macros in the real UI: F7 records (the status bar shows "rec"),
# F7 again stops, F8 plays; keys typed into the command prompt are part of
# the macro and reach the prompt again when it plays; macro-play COUNT from
# the prompt; Ctrl-K . repeats the last command line.
. "$(dirname "$0")/lib.sh"
printf 'a\nb\nc\nd\ne\nf\ng\nh\n' >"$T/m.txt"
start 80 14 m.txt
wait_for "m.txt" || fail "file not shown"
keys F7
wait_for "rec  " || fail "no rec mark in the status bar while recording"
keys Home
text '- '
keys Down F7
wait_for "macro recorded: 4 keys" || fail "stopping did not report the macro"
[ "$(screen | tail -2 | head -1 | grep -c 'rec  ')" = 0 ] || fail "rec mark still shown"
wait_line 1 "- a" || fail "recording did not type"
keys F8
wait_line 2 "- b" || fail "F8 did not play the macro"
# A macro through the command prompt.
keys F7 Home C-e
text 'insert >'
keys Enter Down F7
wait_line 3 ">c" || fail "prompt command while recording"
wait_for "macro recorded: 12 keys" || fail "prompt keys not recorded"
keys C-e
text 'macro-play 2'
keys Enter
wait_line 5 ">e" || fail "macro-play 2 from the prompt"
wait_line 4 ">d" || fail "macro-play 2: first run"
keys C-k .
wait_line 7 ">g" || fail "Ctrl-K . did not repeat macro-play 2"
wait_line 6 ">f" || fail "repeat: first run"
wait_line 8 "h" || fail "repeat ran too often"
keys C-s
wait_file "$T/m.txt" ">g" || fail "save"
[ "$(cat "$T/m.txt")" = "$(printf -- '- a\n- b\n>c\n>d\n>e\n>f\n>g\nh')" ] || fail "saved text: $(cat "$T/m.txt")"
pass "record, stop, play, play with a count through the prompt, repeat"
