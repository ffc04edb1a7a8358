#!/bin/bash
# b:apply with bad edits (TAP), against ./brisk-san (ASan+UBSan, leaks on):
# each bad edit raises an error that names the edit and what is wrong with
# it, changes nothing, and leaks nothing; good batches still apply.
. "$(dirname "$0")/../lib/sanitized.sh"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; sed 's/^/# /' "$T/out" "$T/err" | head -20; }
echo "# binary: $B"
printf 'hello world\n' >"$T/f.txt"

# Each case: the edits, then the message expected from pcall.
cases=(
	'{{0, 0, "a"}, {6, 1, "W"}, {2, "x"}}|edit #3: length is string, not an integer'
	'{{0, 0, "a"}, {6, 1, "W"}, {nil, 1}}|edit #3: position is nil, not an integer'
	'{{0, 0, "a"}, "oops"}|edit #2: not a {pos, del, text} table'
	'{{0, 0, "a"}, {1.5, 0, "b"}}|edit #2: position is number, not an integer'
	'{{0, 0, {}}}|edit #1: text is table, not a string'
	'{{0, 0, "a"}, {12, 5, "b"}}|edit #2: {12, 5} is out of range (the buffer has 12 bytes)'
	'{{-1, 0, "a"}}|edit #1: {-1, 0} is out of range (the buffer has 12 bytes)'
	'{{6, 1, "W"}, {0, 0, "a"}}|edit #2: starts inside edit #1 (edits must be sorted and not overlap)'
)
for c in "${cases[@]}"; do
	edits=${c%%|*} want=${c#*|}
	timeout -k 2 60 "$B" --headless -c "
		local b = brisk.buffer()
		for i = 1, 200 do
			local ok, err = pcall(function() return b:apply($edits) end)
			if ok or not err:find('$want', 1, true) then print('got', ok, err) return end
		end
		local ok, err = pcall(function() return b:apply($edits) end)
		print(err)
		print(b:text() == 'hello world\n' and 'unchanged' or 'changed')" "$T/f.txt" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ $rc = 0 ] && grep -qF "bad argument #1 to 'apply' ($want)" "$T/out" && grep -q '^unchanged$' "$T/out" &&
		! grep -q "Sanitizer\|runtime error" "$T/err"; then
		ok "$edits: '$want', nothing changed, nothing leaked"
	else
		notok "$edits: '$want' (rc $rc)"
	fi
done

timeout -k 2 60 "$B" --headless -c "
	local b = brisk.buffer()
	print(b:apply({{0, 1, 'H'}, {6, 1}, {7, 0, 'W'}}), b:text())" "$T/f.txt" >"$T/out" 2>"$T/err" </dev/null
if [ $? = 0 ] && [ "$(cat "$T/out")" = "$(printf 'true\tHello World\n')" ] && ! grep -q "Sanitizer" "$T/err"; then
	ok "a good batch applies (nil text deletes, a number of edits at once)"
else
	notok "a good batch applies"
fi
echo "1..$n"
