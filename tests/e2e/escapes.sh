#!/bin/bash
# Terminal escape sequences inside the text are shown as visible escapes
# (^[, ^G, <9b>, <009b>) and never reach the terminal: the title, colours
# and screen stay ours.
. "$(dirname "$0")/lib.sh"
printf 'title \033]0;PWNED\007 end\nclear \033[2J here\nred \033[31mRED\033[0m plain\nc1 \xc2\x9b2J raw \x9b2J del \x7f bs \x08\naltscreen \033[?1049l bye\nlast line\n' >"$T/e.txt"
start 80 12 e.txt
wait_for "last line" || fail "file not shown"
wait_line 1 "title ^[]0;PWNED^G end" || fail "OSC title: $(screen | sed -n 1p)"
wait_line 2 "clear ^[[2J here" || fail "CSI clear: $(screen | sed -n 2p)"
wait_line 3 "red ^[[31mRED^[[0m plain" || fail "SGR: $(screen | sed -n 3p)"
wait_line 4 "c1 <009b>2J raw <9b>2J del ^? bs ^H" || fail "C1/raw/DEL/BS: $(screen | sed -n 4p)"
wait_line 5 "altscreen ^[[?1049l bye" || fail "private mode: $(screen | sed -n 5p)"
title=$(tm display-message -p -t w '#{pane_title}')
case "$title" in *PWNED*) fail "the window title was changed: $title" ;; esac
# "RED" keeps the default colour: no red foreground anywhere on screen.
screen_e | grep -q $'\e\\[31m' && fail "a red foreground reached the terminal"
# Typing next to the escapes and saving keeps every byte.
cp "$T/e.txt" "$T/orig"
keys C-End
text 'x'
keys BSpace C-s
wait_for "wrote e.txt" || fail "not saved"
cmp -s "$T/e.txt" "$T/orig" || fail "bytes changed"
pass "escape sequences shown escaped, never sent"
