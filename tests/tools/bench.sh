#!/bin/sh
# `make bench`: prints figures, asserts nothing (machines are noisy).
# Each area adds its own script below; data goes to $BRISK_BENCH_DIR.
# Every figure is shown beside the one of the previous run (kept in
# build/bench-prev.txt), so a change that makes something slower shows.
set -u
cd "$(dirname "$0")/../.."
D=${BRISK_BENCH_DIR:-/tmp/brisk-bench}
mkdir -p "$D" build
export HOME=$D/home XDG_CONFIG_HOME=$D/home/cfg XDG_DATA_HOME=$D/home/data XDG_STATE_HOME=$D/home/state
PREV=build/bench-prev.txt
LAST=build/bench-last.txt

# Lines with figures: their numbers are kept under the line with the
# numbers blanked out, and the previous run's are shown after them.
compare() {
	awk -v prev="$PREV" -v last="$LAST" '
	BEGIN { while ((getline l < prev) > 0) { split(l, a, "\t"); was[a[1]] = a[2] } printf "" > last }
	{
		line = $0; key = line; gsub(/[0-9]+(\.[0-9]+)?/, "#", key)
		nums = ""; s = line
		while (match(s, /[0-9]+(\.[0-9]+)?/)) {
			nums = nums (nums == "" ? "" : " ") substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
		}
		if (nums != "" && key ~ /[a-z]/) {
			print key "\t" nums >> last
			if (key in was && was[key] != nums)
				line = line "   (before: " was[key] ")"
		}
		print line; fflush()
	}'
}

run_all() {

# Peak RSS of a command, in MB (children's ru_maxrss).
peak() {
	python3 -c 'import resource,subprocess,sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.1f" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))' "$@"
}

echo "== core (buffer + editor, headless) =="
F=$D/core-100mb.c
[ -s "$F" ] || python3 - "$F" <<'PY'
import random, sys
random.seed(1)
words = ["int", "return", "static", "const", "char", "value", "count", "buffer", "size_t", "if", "for"]
with open(sys.argv[1], "w") as f:
    n = 0
    while n < 100_000_000:
        line = "    " + " ".join(random.choice(words) for _ in range(random.randint(3, 12))) + ";\n"
        f.write(line); n += len(line)
PY
./brisk --headless -l tests/tools/bench_core.lua "$F"
echo "  peak RSS loading it: $(peak ./brisk --headless -c 'brisk.quit()' "$F") MB (file: $(($(stat -c %s "$F") / 1000000)) MB)"

for s in tests/tools/bench_*.sh; do
	[ -x "$s" ] && "$s" "$D"
done
}

run_all 2>&1 | compare
mv "$LAST" "$PREV"
exit 0
