#!/bin/bash
# Coloured tool output in a log view: the SGR escapes are drawn as colours
# (red, bold green, 256 colours, underline) and never shown as text, other
# escapes (ESC [ K) take no room either; R (log-raw) shows them as text
# and back; write-visible writes the lines without them.
. "$(dirname "$0")/lib.sh"
F=$T/colours.log
printf 'plain line\n\033[31mzebra red line\033[0m and after\n\033[1;32mquokka bold green\033[0m\033[K\n\033[38;5;208mamber\033[0m \033[4mwombat\033[24m end\n' >"$F"

start 100 20 --log "$F"
wait_for "zebra red line and after" || fail "the coloured line is not shown as its text"
screen | grep -q '\^\[\|<1b>\|31m' && fail "escape codes shown as text: $(screen | head -5)"
wait_for "quokka bold green" || fail "bold green line missing"
# capture-pane -e: the attributes tmux drew, in the sequences right
# before each word.
drawn() { screen_e | grep -aqE $'\033\\[('"$1"$')m(\033\\[[0-9;]*m)*'"$2"; }
drawn '31|91|38;5;1' zebra || fail "zebra is not red: $(screen_e | grep -a zebra | cat -v)"
drawn '32|92|38;5;2' quokka || fail "quokka is not green: $(screen_e | grep -a quokka | cat -v)"
drawn '1' quokka || fail "quokka is not bold: $(screen_e | grep -a quokka | cat -v)"
drawn '38;5;208' amber || fail "amber is not colour 208: $(screen_e | grep -a amber | cat -v)"
drawn '4' wombat || fail "wombat is not underlined: $(screen_e | grep -a wombat | cat -v)"
keys R
wait_for "escape sequences shown as text" || fail "log-raw: no message"
wait_for '^[[31mzebra red line^[[0m and after' || fail "log-raw: the codes are not shown: $(screen | head -4)"
keys R
wait_for "escape sequences drawn as colours" || fail "log-raw again: no message"
wait_not '^[[31mzebra' || fail "log-raw again: codes still shown"
keys C-e
text "write-visible $T/out.txt"
keys Enter
wait_for "wrote 4 lines" || fail "write-visible: no message"
printf 'plain line\nzebra red line and after\nquokka bold green\namber wombat end\n' | cmp -s - "$T/out.txt" ||
	fail "write-visible: $(cat -v "$T/out.txt")"
keys C-q
wait_exit || fail "no quit"
pass "SGR colours drawn (16, bold, 256, underline), escapes never as text, R shows them raw and back, write-visible without them"
