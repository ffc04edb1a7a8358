#!/bin/bash
# Fuzz smoke (TAP): random Lua snippets built from a table of dangerous
# calls (runaway loops inside pcall and coroutines, finalizers that loop,
# huge allocations, backtracking patterns, terminal reads, bytecode,
# closing buffers and panes from every kind of callback, tasks that yield)
# run against brisk (./brisk-san when built, else ./brisk) for a bounded
# time. Any crash, sanitizer report or hang fails. Prints the seed;
# BRISK_SEED=N replays a run, BRISK_FUZZ_SECS=N sets its length (5).
. "$(dirname "$0")/../lib/sanitized.sh"
seed=${BRISK_SEED:-$(date +%s)}
secs=${BRISK_FUZZ_SECS:-5}
echo "# seed $seed ($B, ${secs}s)"
printf 'one\ntwo\n' >"$T/a.txt"; printf 'three\n' >"$T/b.txt"; mkfifo "$T/fifo"

frags=(
	"while true do end"
	"while true do pcall(function() while true do end end) end"
	"while true do coroutine.resume(coroutine.create(function() while true do end end)) end"
	"setmetatable({}, {__gc = function() while true do end end})"
	"local mt = {__gc = true}; setmetatable({}, mt); mt.__gc = function() while true do end end; collectgarbage()"
	"local s = ('x'):rep(2^31 - 1)"
	"local t = {} for i = 1, 1e6 do t[i] = ('y'):rep(100) .. i end"
	"('a'):rep(20000):find('.-.-.-.-b')"
	"('a'):rep(5000):gsub('a*a*a*b', '%0')"
	"for _ in ('a'):rep(3000):gmatch('.-.-.-c') do end"
	"io.lines()"
	"io.read('l')"
	"io.open('$T/fifo'):read('a')"
	"require('debug').sethook()"
	"load(string.dump(function() end))()"
	"package.cpath = '/tmp/?.so'; require('nope')"
	"for _, b in ipairs(brisk.buffers()) do b:close() end"
	"brisk.buffer():close()"
	"brisk.open('$T/b.txt')"
	"brisk.keys('xy<BS><C-z>')"
	"brisk.keys('z<C-s>')"
	"brisk.buffer():mode('log')"
	"brisk.buffer():insert(0, '\\27]0;T\\7')"
	"collectgarbage()"
	"coroutine.yield()"
	"brisk.pause()"
	"local p = brisk.pane{title = 'p', on_select = function(_, pn) pn:close() end}; p:set_lines({'a', 'b'}); p:show(); p:focus(); brisk.keys('<Down>')"
	"print('\\27[2J', ('\\0'):rep(3))"
	"error(setmetatable({}, {__tostring = function() while true do end end}))"
)
# Every fragment runs in a callback: the chunk itself is the user's own
# script, with no budget (as a script run with -l).
wraps=(
	"brisk.defer(function() %s end)"
	"brisk.timer(1, function() %s end)"
	"brisk.on('change', function(b) %s end)"
	"brisk.on('open', function(b) %s end)"
	"brisk.on('close', function(b) %s end)"
	"brisk.on('save', function(b) %s end)"
	"brisk.on('mode', function(b) %s end)"
	"brisk.task(function() for i = 1, 3 do %s; brisk.pause() end end)"
	"brisk.bind('<F7>', function() %s end); brisk.defer(function() brisk.keys('<F7>') end)"
	"brisk.set_syntax(brisk.buffer(), function() %s; return {} end); pcall(brisk.buffer().syntax_spans, brisk.buffer(), 1)"
)
RANDOM=$seed
n=0 fails=0 runs=0
end=$((SECONDS + secs))
while [ $SECONDS -lt $end ]; do
	code=""
	for k in 1 2 3; do
		f=${frags[RANDOM % ${#frags[@]}]}
		w=${wraps[RANDOM % ${#wraps[@]}]}
		code="$code pcall(function() $(printf "$w" "$f") end);"
	done
	code="$code brisk.timer(300, function() brisk.quit() end)"
	runs=$((runs + 1))
	timeout -k 2 20 "$B" --headless -c "$code" "$T/a.txt" >/dev/null 2>"$T/err" </dev/null
	rc=$?
	if [ $rc -ge 124 ] || grep -q "Sanitizer\|runtime error" "$T/err"; then
		fails=$((fails + 1))
		echo "# run $runs (status $rc): $code"
		grep -m5 "Sanitizer\|runtime error\|#[0-9] " "$T/err" | sed 's/^/#   /'
	fi
	printf 'one\ntwo\n' >"$T/a.txt"; printf 'three\n' >"$T/b.txt"
done
echo "ok 1 - $runs random snippets ran" 
if [ $fails = 0 ]; then echo "ok 2 - no crash, sanitizer report or hang (seed $seed)"
else echo "not ok 2 - $fails of $runs runs crashed or hung (replay: BRISK_SEED=$seed)"; fi
echo "1..2"
