#!/bin/bash
# An error in init.lua shows on the message line at startup as its first
# line (the message), not as the last line of the Lua traceback; a runaway
# init.lua is interrupted with the budget it really had.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/cfg/brisk"
printf 'local function f() error("boom from init") end\nf()\n' >"$T/cfg/brisk/init.lua"
printf 'text\n' >"$T/a.txt"
start 100 10 a.txt
wait_for "text" || fail "file not shown"
wait_for "boom from init" || fail "the error is not on the message line: $(screen | tail -1)"
screen | tail -1 | grep -q "in main chunk" && fail "a traceback line instead of the message"
keys C-q
wait_exit || fail "did not quit"
printf 'while true do end\n' >"$T/cfg/brisk/init.lua"
start 100 10 a.txt
wait_for "time budget (2000 ms" 10 || fail "the interruption does not give init.lua's budget: $(screen | tail -1)"
pass "init.lua errors: the message, not the traceback; the real budget"
