#!/bin/bash
# The sandbox (TAP): each hole an adversarial pass found, as a regression
# test against brisk built with ASan+UBSan (./brisk-san; ./brisk when it
# is missing): no native code, no bytecode, no debug hooks, a budget no
# pcall, coroutine or finalizer gets around, patterns that backtrack are
# stopped, nothing reads the terminal, buffers and panes closed from any
# callback, and untrusted bytes reach stderr and a terminal escaped.
. "$(dirname "$0")/../lib/sanitized.sh"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
mkdir -p "$T/cfg/brisk"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; sed 's/^/# /' "$T/err" | head -20; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }
echo "# binary: $B"

# run SECONDS LUA [FILES...]: headless, time-limited; rc, el (seconds), out, err
run() {
	local s=$SECONDS
	timeout -k 2 "$1" "$B" --headless -c "$2" "${@:3}" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	el=$((SECONDS - s))
}
clean() { [ $rc -lt 128 ] && ! grep -q "Sanitizer\|runtime error" "$T/err"; }
alive() { clean && grep -q '^alive$' "$T/out"; }
has_err() { grep -q "$1" "$T/err"; }

# ---- no native code, no bytecode, no debug ---------------------------------
cat >"$T/evil.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor)) static void pwn(void) { FILE *f = fopen(getenv("PWNFILE"), "w"); if (f) fclose(f); }
int luaopen_evil(void *L) { (void)L; return 0; }
C
if cc -shared -fPIC -o "$T/evil.so" "$T/evil.c" 2>/dev/null; then
	PWNFILE=$T/pwned run 10 "package.cpath = '$T/?.so'; package.path = '$T/?.so'
		print(pcall(require, 'evil')); print(package.loadlib, package.searchers[3])"
	check "a shared library is never loaded (cpath, path, loadlib)" test ! -e "$T/pwned" -a "$(tail -1 "$T/out")" = "nil	nil"
else
	ok "a shared library is never loaded # SKIP no cc"
fi
run 10 "local d = string.dump(function() print('BYTECODE') end)
	local f = io.open('$T/m.lua', 'wb'); f:write(d); f:close(); package.path = '$T/?.lua'
	print(pcall(require, 'm')); print(load(d)); print(loadfile('$T/m.lua'))"
check "bytecode is refused by require, load and loadfile" eval 'clean && ! grep -q BYTECODE "$T/out" && [ $(grep -c "binary chunk" "$T/out") = 3 ]'
# Corrupted bytecode never reaches the VM: 25 seeds, no crash.
run 60 "local d = string.dump(function(a) local t = {} for i = 1, 10 do t[i] = a .. i end return t end)
	package.path = '$T/?.lua'
	for seed = 1, 25 do
		math.randomseed(seed)
		local b = {d:byte(1, -1)}
		for k = 1, 8 do local i = math.random(#b); b[i] = math.random(0, 255) end
		local f = io.open('$T/c' .. seed .. '.lua', 'wb'); f:write(string.char(table.unpack(b))); f:close()
		pcall(require, 'c' .. seed)
	end
	print('alive')"
check "25 corrupted bytecode files through require: no crash" alive
run 10 "local d = require('debug'); local n = 0; for k in pairs(d) do n = n + 1 end
	print(n, d.traceback ~= nil, d == debug, debug.sethook, debug.getregistry, debug.setupvalue, debug.getinfo)"
check "debug is {traceback} as a global and through require" test "$(cat "$T/out")" = "1	true	true	nil	nil	nil	nil"

# ---- a budget nothing gets around -------------------------------------------
for how in \
	"brisk.defer(function() while true do pcall(function() while true do end end) end end)" \
	"brisk.timer(1, function() while true do pcall(pcall, function() while true do end end) end end)" \
	"brisk.defer(function() while true do coroutine.resume(coroutine.create(function() while true do end end)) end end)" \
	"brisk.defer(function() while true do pcall(string.gsub, ('x'):rep(100), '.', function() while true do end end) end end)" \
	"brisk.bind('<F5>', function() while true do pcall(function() while true do end end) end end); brisk.defer(function() brisk.keys('<F5>') end)" \
	"brisk.register_command('spin', function() while true do pcall(error, 'x') end end); brisk.defer(function() brisk.command('spin') end)" \
	"brisk.on('change', function() while true do pcall(function() while true do end end) end end); brisk.defer(function() brisk.keys('x') end)"; do
	run 20 "$how; brisk.timer(400, function() print('alive'); brisk.quit() end)"
	check "stopped within the budget, editor goes on: ${how:0:70}" eval 'alive && [ $el -le 5 ] && has_err "time budget"'
done

# Time in C work brisk gives back to the budget (XML, filters, SQLite) is
# capped: a loop of such calls still ends, headless too (no Ctrl-C there).
run 40 "local doc = '<r>' .. ('<i>text</i>'):rep(40000) .. '</r>'
	brisk.defer(function() while true do brisk.xml.parse(doc) end end)
	brisk.timer(400, function() print('alive'); brisk.quit() end)"
check "a loop of credited C calls is stopped once the credit is spent" eval 'alive && [ $el -le 15 ] && has_err "time budget"'

# The budget is wall time, but a process the machine does not run is not
# the plugin's fault: a callback stopped (SIGSTOP) for 0.6 s in the middle
# of 150 ms of work finishes; stopped for 2.5 s (over 10x its budget), it
# is interrupted all the same.
for stop in 0.6 2.5; do
	run 20 "brisk.defer(function()
			brisk.spawn{cmd = 'sh', args = {'-c', 'sleep 0.05; kill -STOP \$PPID; sleep $stop; kill -CONT \$PPID'}}
			local t0 = os.clock(); while os.clock() - t0 < 0.15 do end
			print('finished')
		end)
		brisk.timer(300, function() print('alive'); brisk.quit() end)"
	if [ $stop = 0.6 ]; then
		check "a callback starved of CPU for ${stop} s is not interrupted" eval 'alive && grep -q "^finished$" "$T/out" && ! has_err "time budget"'
	else
		check "a callback stopped for ${stop} s is interrupted (10x its budget)" eval 'alive && ! grep -q "^finished$" "$T/out" && has_err "time budget"'
	fi
done

# Finalizers: under a budget at run time and at exit, however __gc is set.
run 20 "setmetatable({}, {__gc = function() while true do end end}); brisk.quit()"
check "a looping __gc does not keep brisk from exiting" eval 'clean && [ $el -le 5 ]'
run 20 "brisk.defer(function() local mt = {__gc = function() end}; setmetatable({}, mt)
		mt.__gc = function() while true do end end; collectgarbage(); collectgarbage() end)
	brisk.timer(300, function() print('alive'); brisk.quit() end)"
check "a __gc swapped in later is bounded too (collectgarbage in a callback)" eval 'alive && [ $el -le 5 ] && has_err "__gc"'
run 10 "local log = {}; local t = setmetatable({}, {__gc = function(o) log[#log + 1] = o end})
	local mt = {}; local u = setmetatable({}, mt); mt.__gc = function() log[#log + 1] = 'late' end
	t, u = nil, nil; collectgarbage(); collectgarbage(); print(#log, getmetatable(setmetatable({}, {__gc = 1})).__gc)"
check "finalizers keep Lua's rules (set at setmetatable time; __gc stays visible)" test "$(cat "$T/out")" = "1	1"

# Patterns that backtrack: stopped with "pattern too complex".
for pat in "s:find('.-.-.-.-b')" "s:match('(.*)*%1b')" "s:gsub('a*a*a*a*a*b', 'x')" "for _ in s:gmatch('.-.-.-c') do end"; do
	run 20 "brisk.defer(function() local s = ('a'):rep(20000); $pat end)
		brisk.timer(300, function() print('alive'); brisk.quit() end)"
	check "$pat on 20,000 bytes: pattern too complex, in ${el}s" eval 'alive && [ $el -le 5 ] && has_err "pattern too complex"'
done
run 10 "local ok, e = pcall(string.rep, 'x', 2^31 - 1); print(ok, e)"
check "an allocation over the cap fails at once" eval 'clean && [ $el -le 3 ] && grep -q "not enough memory" "$T/out"'

# ---- nothing reads the terminal; io.open never blocks ------------------------
mkfifo "$T/fifo"
run 10 "print(pcall(io.lines)); print(pcall(io.read)); print(pcall(io.input)); print(io.stdin)
	local f, e = io.open('$T/fifo', 'r'); print(f ~= nil, f and f:read('a'))
	print(io.open('/dev/tty'))"
check "io.lines()/io.read/io.input refused, no io.stdin" eval 'clean && [ $(grep -c "^false" "$T/out") = 3 ] && grep -q "^nil$" "$T/out"'
check "io.open on a FIFO with no writer returns at once (${el}s)" eval '[ $el -le 3 ] && grep -q "^true" "$T/out"'

# ---- handles never dangle -----------------------------------------------------
printf 'x\n' >"$T/a.txt"; printf 'y\n' >"$T/b.txt"
while IFS= read -r how; do
	run 20 "$how; brisk.timer(100, function() print('alive'); brisk.quit() end)" "$T/a.txt" "$T/b.txt"
	check "no crash: ${how:0:80}" alive
done <<'CASES'
brisk.on('open', function(b) b:close() end); brisk.open(os.getenv('HOME') .. '/c.txt')
brisk.on('change', function(b) b:close() end); brisk.keys('zz')
brisk.on('change', function() for _, o in ipairs(brisk.buffers()) do pcall(o.close, o) end end); brisk.keys('zz<C-s>')
brisk.on('mode', function(b) b:close() end); brisk.buffer():mode('log'); brisk.buffer():mode('hex')
brisk.on('close', function() for _, o in ipairs(brisk.buffers()) do pcall(o.close, o) end end); brisk.buffer():close()
brisk.on('save', function(b) for _, o in ipairs(brisk.buffers()) do pcall(o.close, o) end end); brisk.keys('q<C-s>')
brisk.bind('<F6>', function() brisk.buffer():close(); brisk.keys('abc') end); brisk.keys('<F6>x<F6>y')
brisk.register_command('zap', function() for _, o in ipairs(brisk.buffers()) do pcall(o.close, o) end end); brisk.command('zap'); brisk.keys('q')
local p; p = brisk.pane{title = 't', on_select = function() p:close() end}; p:set_lines({'a', 'b'}); p:show(); p:focus(); brisk.keys('<Down><Down>')
brisk.task(function() for _, o in ipairs(brisk.buffers()) do o:close(); brisk.pause() end end)
brisk.set_syntax(brisk.buffer(), function(line, text, b) b:close(); return {} end); brisk.buffer():syntax_spans(1)
CASES

# ---- one path to the terminal: escaped ---------------------------------------
d=$(printf '%s/d\033]0;PWNED\007\033]52;c;UFdO\007' "$T"); mkdir -p "$d"
timeout 10 "$B" --headless -c 'brisk.quit()' "$d" >/dev/null 2>"$T/err" </dev/null
check "a file name's escape sequence reaches stderr escaped" eval '! grep -q $'"'"'\033'"'"' "$T/err" && grep -q "d^\[\]0;PWNED^G" "$T/err"'
timeout 10 "$B" "--$(printf 'x\033]0;T\007')" >/dev/null 2>"$T/err" </dev/null
check "an unknown option is quoted escaped" eval '! grep -q $'"'"'\033'"'"' "$T/err" && grep -q "unknown option" "$T/err"'
if python3 -c 'import pty' 2>/dev/null; then
	python3 - "$B" >"$T/out" 2>"$T/err" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--headless", "-c",
             "print('a\\27]0;X\\7b'); io.write('c\\27[2Jd\\n'); io.stdout:write('e\\rf\\n'); brisk.error('g\\27h')"])
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.write(repr(out))
PY
	check "print, io.write and messages reach a terminal escaped" eval '! grep -q "x1b" "$T/out" && grep -q "a^\[\]0;X^Gb" "$T/out" && grep -q "c^\[\[2Jd" "$T/out" && grep -q "e^Mf" "$T/out"'
else
	ok "print, io.write and messages reach a terminal escaped # SKIP no python3 pty"
fi
run 10 "print('a\27b'); io.write('c\0d\n')"
check "stdout to a pipe or file stays as written (8-bit clean)" eval 'clean && [ "$(od -An -c "$T/out" | tr -d " \n")" = "a033bn\0cd\n" ] || [ "$(cat -v "$T/out")" = "$(printf "a^[b\nc^@d")" ]'

# ---- brisk.task ---------------------------------------------------------------
run 60 "local slices, last = 0, brisk.clock()
	brisk.task(function(n) local s = 0 for i = 1, n do s = s + i; if i % 1000 == 0 then brisk.pause() end end return s end,
		{on_done = function(ok, s) print(ok, s) end}, 2e7)
	local t = brisk.timer(5, function() slices = slices + 1 end, {['repeat'] = true})
	brisk.task(function() while true do end end)
	local c = brisk.task(function() for i = 1, 1e9 do brisk.pause() end end, {on_done = function(ok, e) print(ok, e); t:cancel(); print(slices > 5 and 'timers ran between slices' or slices) end})
	brisk.timer(1000, function() c:cancel() end)"
check "a task runs past the budget in slices; a task that never pauses fails alone; cancel" eval 'clean && grep -q "^true	200000010000000$" "$T/out" && grep -q "^false	cancelled$" "$T/out" && grep -q "timers ran between slices" "$T/out" && has_err "time budget"'

echo "1..$n"
