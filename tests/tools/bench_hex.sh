#!/bin/sh
# `make bench` (called by bench.sh with the data folder): hex view figures
# on a 1 GB binary. Headless: open to first paint (whole process, median of
# 3), peak RSS, paging, search, checksums, a million cursors. In a terminal
# (tmux, the shared harness): brisk --hex beside hexedit and bvi.
set -u
cd "$(dirname "$0")/../.."
D=${1:-${BRISK_BENCH_DIR:-/tmp/brisk-bench}}
mkdir -p "$D"
F=$D/hex-1g.bin
if [ ! -s "$F" ] || ! head -c 10 "$F" | grep -q BRISK-MARK; then
	python3 - "$F" <<'PY'
import os, random, sys
random.seed(3)
blk = bytes(random.randrange(256) for _ in range(1 << 16)) * 16  # 1 MiB
with open(sys.argv[1], "wb") as f:
    f.write(b"BRISK-MARK" + blk[10:])
    for i in range(1, 1024):
        f.write(blk if i % 4 else bytes(1 << 20))
PY
fi
echo "== hex view (1 GB binary: random and zero blocks) =="
python3 - "$F" <<'PY'
import resource, statistics, subprocess, sys, time
f = sys.argv[1]
cmd = ["./brisk", "--headless", "--hex", "-c", "brisk.hex.screen(brisk.buffer(), {w = 120, h = 40}); brisk.quit()", f]
t = []
for _ in range(3):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    t.append(time.perf_counter() - t0)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("  %-44s %.3f s (median of 3; peak RSS %.0f MB)" % ("open to first paint, headless (whole run)", statistics.median(t), rss))
PY
./brisk --headless --hex -l tests/tools/bench_hex.lua "$F"
if command -v tmux >/dev/null 2>&1; then
	echo "  in a terminal (tmux 120x40, median of 3; measure_tui.py of the bench tools):"
	python3 tests/tools/bench_hex_tui.py "$F" --runs 3
fi
