#!/bin/bash
# Command-line conventions in a terminal: FILE:LINE:COL and +LINE put the
# cursor there (status bar, and the line on screen) in each of several
# buffers; +/PATTERN starts at the first match; -R refuses edits and saves
# and says so; --clean starts without init.lua and user plugins (which a
# normal start runs), and a normal start after it still finds them.
. "$(dirname "$0")/lib.sh"
printf 'line one\nline two\nline three\n' >"$T/g.txt"
seq 1 300 | sed 's/^/row /' >"$T/n.txt"
{ seq 1 60 | sed 's/^/filler /'; echo 'here is the needle'; seq 61 80 | sed 's/^/filler /'; } >"$T/p.txt"

start 60 10 g.txt:2:3 +250 n.txt
wait_for "g.txt" || fail "g.txt not shown"
wait_pos 2:3 || fail "g.txt:2:3 put the cursor at $(status_pos)"
keys M-Right
wait_for "n.txt" || fail "the second file is not a buffer"
wait_pos 250:1 || fail "+250 n.txt put the cursor at $(status_pos)"
wait_for "row 250" || fail "line 250 is not on screen"
keys M-Left
wait_pos 2:3 || fail "back in g.txt the cursor is at $(status_pos)"
keys C-q
wait_exit || fail "did not quit"

start 60 10 +/needle p.txt
wait_pos 61:19 || fail "+/needle: the cursor is at $(status_pos), not after the match on line 61"
wait_for "here is the needle" || fail "the match is not on screen"
keys C-q
wait_exit || fail "did not quit"

start 60 10 -R g.txt
wait_for "[RO]" || fail "-R: no [RO] in the status bar"
text 'x'
wait_for "read-only" || fail "-R: typing did not say read-only"
keys C-s
wait_for "opened read-only" || fail "-R: Ctrl-S did not refuse"
keys C-q
wait_exit || fail "-R: did not quit"
[ "$(sed -n 1p "$T/g.txt")" = "line one" ] || fail "-R: the file changed: $(sed -n 1p "$T/g.txt")"

mkdir -p "$T/cfg/brisk/plugins/mine"
echo 'brisk.status_segment("init", "INIT-LUA-RAN")' >"$T/cfg/brisk/init.lua"
echo 'brisk.status_segment("mine", "USER-PLUGIN-RAN")' >"$T/cfg/brisk/plugins/mine/init.lua"
start 100 10 g.txt
wait_for "INIT-LUA-RAN" || fail "a normal start did not run init.lua"
wait_for "USER-PLUGIN-RAN" || fail "a normal start did not load the user plugin"
keys C-q
wait_exit || fail "did not quit"
start 100 10 --clean g.txt
wait_for "line three" || fail "--clean: the file is not shown"
wait_pos 1:1 || fail "--clean: no status bar"
screen | grep -q "INIT-LUA-RAN" && fail "--clean ran init.lua"
screen | grep -q "USER-PLUGIN-RAN" && fail "--clean loaded a user plugin"
keys C-q
wait_exit || fail "--clean: did not quit"
pass "FILE:LINE:COL, +LINE, +/PATTERN over several buffers; -R; --clean"
