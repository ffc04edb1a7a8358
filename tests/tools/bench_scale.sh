#!/bin/sh
# `make bench` (called by bench.sh with the data folder): files of any
# size (issue 15's goals). The work of opening (bytes of the file read to
# show the first screen), far-apart edits and their save, headless; then
# in a terminal brisk beside vis on a 100 MB text file and a 100 MB single
# line (../shared/bench/measure_tui.py). The 1 GB hex view is bench_hex.sh.
set -u
cd "$(dirname "$0")/../.."
D=${1:-${BRISK_BENCH_DIR:-/tmp/brisk-bench}}
mkdir -p "$D"
TEXT=$D/core-100mb.c
ONE=$D/oneline-100mb.json
[ -s "$ONE" ] || python3 - "$ONE" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("[" + ",".join('{"k%d":"v%d"}' % (i, i) for i in range(5_600_000)) + "]\n")
PY
echo "== files of any size (paged buffer) =="
for f in "$TEXT" "$ONE"; do
	./brisk --headless -c '
local b = brisk.buffer()
brisk.screen({w = 120, h = 40})
local s = b:stats()
print(string.format("  %-44s %8d KB", "first screen of " .. b:name() .. " read", (s.shown + s.read + s.counted) // 1024))
brisk.quit()' "$f"
done
cp "$TEXT" "$D/scale-edit.c"
python3 - "$D/scale-edit.c" <<'PY'
import subprocess, sys, time
lua = """
local b = brisk.buffer(); local n = b:len(); local seed = 12345
local function rnd(m) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % m end
for i = 1, 2000 do
  local p = rnd(n - 10)
  if i % 2 == 1 then b:insert(p, 'XY') else b:delete(p, 2) end
end
brisk.command('save'); brisk.quit()"""
t0 = time.perf_counter()
subprocess.run(["./brisk", "--headless", "-c", lua, sys.argv[1]], check=True, stderr=subprocess.DEVNULL)
print("  %-44s %8.3f s" % ("2,000 far-apart edits + save (load included)", time.perf_counter() - t0))
PY
rm -f "$D/scale-edit.c"
if command -v tmux >/dev/null 2>&1; then
	echo "  in a terminal (tmux 120x40, median of 3; ../shared/bench/measure_tui.py):"
	python3 tests/tools/bench_scale_tui.py "$TEXT" "$ONE" --runs 3
fi
