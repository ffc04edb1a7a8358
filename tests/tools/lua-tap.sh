#!/bin/sh
# Runs one headless Lua test script that prints unnumbered "ok - ..." /
# "not ok - ..." lines and ends with "# done NAME: ... 0 failed" (see
# tests/lua/tap.lua); numbers the lines and adds the plan, for prove.
# Usage (from a .t file): exec tests/tools/lua-tap.sh tests/lua/NAME.lua [ARGS]
cd "$(dirname "$0")/../.." || exit 1
script=$1
shift
name=$(basename "$script")
B=${BRISK:-./brisk}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
n=0
timeout 60 "$B" --headless -l "$script" "$@" >"$T/out" 2>"$T/err"
rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) n=$((n + 1)); echo "ok $n - ${line#ok - }" ;;
	"not ok - "*) n=$((n + 1)); echo "not ok $n - ${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done <"$T/out"
n=$((n + 1))
# The exit status may be 1: the failures a script provokes are errors.
if grep -q "^# done $name: .* 0 failed" "$T/out"; then
	echo "ok $n - $name ran to its end"
else
	echo "not ok $n - $name ran to its end (status $rc)"
	sed 's/^/# stderr: /' "$T/err" | head -20
fi
echo "1..$n"
