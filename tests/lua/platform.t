#!/bin/sh
# Plugin platform tests (TAP): runs tests/lua/{http,spawn,xml,json,time,db,crypto,
# timer,watch}.lua under `brisk --headless -l`, with tests/tools/httpd.py on
# 127.0.0.1 for the HTTP ones, plus a few checks of headless waiting.
# Each script prints "ok - ..." lines; this numbers them and adds the plan.
cd "$(dirname "$0")/../.." || exit 1
B=${BRISK:-./brisk}
T=$(mktemp -d)
SP=
cleanup() { [ -n "$SP" ] && kill "$SP" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }

python3 tests/tools/httpd.py "$T/port" "$T/log" 2>"$T/httpd.err" & SP=$!
for i in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(cat "$T/port" 2>/dev/null)
check "test server listening on 127.0.0.1" test -n "$PORT"

for s in http spawn xml json time db timer watch crypto; do
	timeout 60 "$B" --headless -l "tests/lua/$s.lua" "$PORT" "$T/log" >"$T/out" 2>"$T/err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "$s: ${line#ok - }" ;;
		"not ok - "*) notok "$s: ${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done <"$T/out"
	grep -q "^# done $s.lua" "$T/out" && [ $rc = 0 ]
	check "$s.lua ran to its end and exited 0 (status $rc)" test $? = 0
	[ -s "$T/err" ] && sed 's/^/# stderr: /' "$T/err" | head -20
done

# Headless runs wait for pending work (one-shot timers, children, requests).
out=$(timeout 10 "$B" --headless -c 'brisk.timer(300, function() print("waited") end)' 2>&1)
check "headless waits for a one-shot timer" test "$out" = waited
out=$(timeout 10 "$B" --headless -c 'brisk.spawn{cmd = "sh", args = {"-c", "sleep 0.2; echo child"}, on_stdout = io.write}' 2>&1)
check "headless waits for a child" test "$out" = child
out=$(timeout 10 "$B" --headless -c "brisk.http.request{url = 'http://127.0.0.1:$PORT/text', on_response = function(r) io.write(r.body) end}" 2>&1)
check "headless waits for a request" test "$out" = hello
out=$(timeout 10 "$B" --headless -c 'brisk.timer(10, function() error("boom") end); brisk.timer(100, function() print("alive") end)' 2>"$T/err")
rc=$?
check "an error in a callback is reported and not fatal" test "$out" = alive -a $rc = 1
check "the error names the cause" grep -q boom "$T/err"
out=$(timeout 10 "$B" --headless -c 'brisk.timer(100000, function() end, {["repeat"] = true}); brisk.watch_file("/", function() end); print("x")' 2>&1)
check "repeating timers and watchers are not pending work" test "$out" = x
echo "1..$n"
