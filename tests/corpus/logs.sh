#!/bin/sh
# Log viewer figures on the real-world corpora (`make corpus`): headline
# agreement with syzkaller's own titles (clean reports, corrupted ones,
# logs without a crash) and the dtrace recognition rate of DTraceToolkit
# examples, for each half of the files (by name) and in all. Reads
# $BRISK_CORPUS (kernel/ and dtrace/; `make corpus` sets it);
# says so and exits 0 when it is absent. Figures only: nothing is asserted here
# (the smoke test over tests/data/logview is in tests/plugins/logview.t).
cd "$(dirname "$0")/../.." || exit 1
C=${BRISK_CORPUS:-}
echo "== log viewer on the corpus ($C) =="
if [ ! -d "$C/kernel" ] || [ ! -d "$C/dtrace" ]; then
	echo "  corpus absent ($C/kernel, $C/dtrace): skipped"
	exit 0
fi
[ -x ./brisk ] || { echo "  no ./brisk (run make)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state \
	./brisk --headless -l tests/corpus/logs.lua "$C/kernel" "$C/dtrace" --halves --misses "${MISSES:-0}" | sed 's/^/  /'
