#!/bin/sh
# TAP wrapper for prove: runs every tests/e2e/*.sh (each drives ./brisk in
# its own private tmux server), four at a time, and reports them in order
# with the failing test's screen as diagnostics. A test that fails in the
# parallel run is run once more alone; both outcomes are reported.
# BRISK=path overrides the binary; BRISK_E2E_JOBS the parallelism.
dir=$(cd "$(dirname "$0")" && pwd)
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/brisk-e2e-tap.XXXXXX")
trap 'rm -rf "$out"' EXIT
set -- $(ls "$dir"/*.sh | grep -v '/lib\.sh$')
echo "1..$#"
jobs=${BRISK_E2E_JOBS:-4}
i=0
for t in "$@"; do
	i=$((i + 1))
	(bash "$t" >"$out/$i.log" 2>&1; echo $? >"$out/$i.rc") &
	[ $((i % jobs)) -eq 0 ] && wait
done
wait
i=0
for t in "$@"; do
	i=$((i + 1))
	name=$(basename "$t" .sh)
	if [ "$(cat "$out/$i.rc" 2>/dev/null)" = 0 ]; then
		last=$(tail -1 "$out/$i.log")
		case $last in
		"skip: "*) echo "ok $i - $name # SKIP ${last#skip: }" ;;
		*) echo "ok $i - $name: ${last#ok: }" ;;
		esac
		continue
	fi
	# A failure under the load of parallel runs is tried once more, alone;
	# the first failure is always shown (on stderr, which prove prints),
	# so a flaky test is visible even when the retry passes.
	echo "# $name failed in the parallel run:" >&2
	sed 's/^/#   /' "$out/$i.log" >&2
	if bash "$t" >"$out/$i.retry" 2>&1; then
		echo "ok $i - $name: passed when run again alone (see the failure above)"
	else
		echo "not ok $i - $name"
		sed 's/^/# /' "$out/$i.retry" >&2
	fi
done
