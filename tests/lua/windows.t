#!/bin/sh
# Split windows and macros headless: runs tests/lua/windows.lua under
# `brisk --headless -l` and numbers its "ok - ..." lines.
cd "$(dirname "$0")/../.." || exit 1
B=${BRISK:-./brisk}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
n=0
timeout 60 "$B" --headless -l tests/lua/windows.lua >"$T/out" 2>"$T/err"
rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) n=$((n + 1)); echo "ok $n - ${line#ok - }" ;;
	"not ok - "*) n=$((n + 1)); echo "not ok $n - ${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done <"$T/out"
n=$((n + 1))
# Exit status 1 is expected: the failures the script provokes are errors.
if grep -q "^# done windows.lua: .* 0 failed" "$T/out"; then
	echo "ok $n - windows.lua ran to its end"
else
	echo "not ok $n - windows.lua ran to its end (status $rc)"
	sed 's/^/# stderr: /' "$T/err" | head -20
fi
echo "1..$n"
