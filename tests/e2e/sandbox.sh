#!/bin/bash
# The sandbox in a real terminal: a file name full of escape sequences
# neither sets the window title nor reaches the screen raw; a callback that
# stays busy (a loop over C work that is credited back to its budget)
# shows "... is busy" after a second and Ctrl-C interrupts it; the keys
# typed while it ran are not lost.
. "$(dirname "$0")/lib.sh"
d=$(printf 'd\033]0;PWNED\007x')
mkdir -p "$T/$d" "$T/cfg/brisk"
printf 'text\n' >"$T/a.txt"
cat >"$T/cfg/brisk/init.lua" <<'LUA'
local doc = "<r>" .. ("<i>x</i>"):rep(20000) .. "</r>"
brisk.bind("<F5>", function() while true do brisk.xml.parse(doc) end end)
LUA
start 100 12 "$d" a.txt
wait_for "text" || fail "file not shown"
title=$(tm display-message -p -t w '#{pane_title}')
[ "${title#*PWNED}" = "$title" ] || fail "the file name set the title: $title"
wait_for "d^[]0;PWNED^Gx" || fail "the file name's error is not shown escaped: $(screen | tail -1)"
keys F5
wait_for "init.lua is busy: Ctrl-C interrupts it" 10 || fail "no busy notice: $(screen | tail -1)"
keys C-c
wait_for "interrupted (Ctrl-C)" 10 || fail "Ctrl-C did not interrupt: $(screen | tail -1)"
keys F5
wait_for "init.lua is busy: Ctrl-C interrupts it" 10 || fail "no busy notice the second time"
text "typed"
keys C-c
wait_for "typedtext" 10 || fail "the keys typed while busy were lost"
pass "escaped file name, no title change; busy notice, Ctrl-C, keys kept"
