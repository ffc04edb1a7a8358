#!/bin/sh
# Runs every built unit-test binary (build/tests, ASan+UBSan build/san/tests,
# tiny sizes build/tiny/tests) and reports one TAP line per binary; a
# failing binary's output follows as "# " diagnostics. Binaries run
# $(nproc) at a time. No binaries at all is a failure: run `make unit`.
cd "$(dirname "$0")/.." || exit 1

bins=""
for dir in build/tests build/san/tests build/tiny/tests; do
	for f in "$dir"/test_*; do
		case $f in *.*) continue ;; esac # test_x.d and friends
		[ -f "$f" ] && [ -x "$f" ] && bins="$bins $f"
	done
done
if [ -z "$bins" ]; then
	echo "1..1"
	echo "not ok 1 - unit test binaries are built (none in build/*tests: run make unit)"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/brisk-unit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
jobs=$(nproc 2>/dev/null || echo 2)
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout 300"

# Run, at most $jobs at a time; results in $tmp/N.out and $tmp/N.rc.
set -- $bins
n=0
running=0
for f in "$@"; do
	n=$((n + 1))
	( $limit "./$f" >"$tmp/$n.out" 2>&1; echo $? >"$tmp/$n.rc" ) &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

echo "1..$#"
n=0
for f in "$@"; do
	n=$((n + 1))
	rc=$(cat "$tmp/$n.rc" 2>/dev/null || echo 255)
	out="$tmp/$n.out"
	why=""
	if [ "$rc" != 0 ]; then
		why="exit status $rc"
	elif ! grep -q '^1\.\.[0-9]' "$out"; then
		why="no TAP plan"
	elif grep -q '^not ok' "$out"; then
		why="a test failed"
	elif grep -q '^Bail out!' "$out"; then
		why="bailed out"
	fi
	# The seed of a randomized test is worth seeing every time.
	grep '^# seed ' "$out" | sed "s|^# |# $f: |"
	if [ -z "$why" ]; then
		echo "ok $n - $f"
	else
		echo "not ok $n - $f ($why)"
		tail -n 200 "$out" | sed 's/^/#   /'
	fi
done
exit 0
