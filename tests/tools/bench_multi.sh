#!/bin/sh
# Multi-cursor figures for `make bench` (run by bench.sh with the data
# folder): the 1,000,000-occurrence rename on ~91 MB through
# `brisk --headless` against `sed -i` (and `vim -es` when installed) in the
# same run, outputs compared byte for byte; peak RSS at 1M cursors against
# the goal (2 x file + 64 bytes per cursor); then bench_multi.lua's
# in-process timings (a key at 100,000 cursors, the 10,000th Ctrl-D, the
# rename's phases) and bench_multi_tui.py's key at 100,000 cursors in the
# real UI (a pty). Prints figures, asserts nothing.
set -u
cd "$(dirname "$0")/../.." || exit 1
D=${1:-${BRISK_BENCH_DIR:-/tmp/brisk-bench}}
mkdir -p "$D"
B=./brisk
echo "== multi-cursor (headless) =="
F=$D/multi-1m.c
[ -s "$F" ] || python3 - "$F" <<'PY'
import sys
line_a = "    int foo_count = compute(alpha, beta) + foo_count * 2;\n"   # 2 occurrences
line_b = "    static const char *label = \"nothing to see on this line\";\n"
with open(sys.argv[1], "w") as f:
    for i in range(500000):
        f.write(line_a); f.write(line_b); f.write(line_b)
PY
size=$(stat -c %s "$F")
REN='brisk.command("select-all-occurrences foo_count"); brisk.keys("bar_total_n"); brisk.command("save"); brisk.quit()'
cp "$F" "$D/multi-ref.c"
sed -i 's/\bfoo_count\b/bar_total_n/g' "$D/multi-ref.c"

now() { date +%s.%N; }
best() { python3 -c "import sys; print('%.3f' % min(map(float, sys.argv[1:])))" "$@"; }
ts=""
tb=""
for r in 1 2 3; do
	cp "$F" "$D/multi-s.c"
	cp "$F" "$D/multi-b.c"
	sync
	t0=$(now)
	sed -i 's/\bfoo_count\b/bar_total_n/g' "$D/multi-s.c"
	sync "$D/multi-s.c"
	t1=$(now)
	$B --headless -c "$REN" "$D/multi-b.c" >/dev/null 2>&1
	t2=$(now)
	cmp -s "$D/multi-b.c" "$D/multi-ref.c" || echo "  !! brisk's output differs from sed's (run $r)"
	ts="$ts $(python3 -c "print($t1 - $t0)")"
	tb="$tb $(python3 -c "print($t2 - $t1)")"
done
s_best=$(best $ts)
b_best=$(best $tb)
printf '  %-52s %9s s\n' "rename 1M occurrences, $((size / 1000000)) MB: sed -i + sync (best of 3)" "$s_best"
printf '  %-52s %9s s  (%sx sed)\n' "  brisk --headless, select-all + type + save" "$b_best" \
	"$(python3 -c "print(round($b_best / $s_best, 2))")"
if command -v vim >/dev/null 2>&1 && [ -z "${BRISK_BENCH_NO_VIM:-}" ]; then
	cp "$F" "$D/multi-v.c"
	t0=$(now)
	timeout 120 vim --clean -es -c '%s/\<foo_count\>/bar_total_n/g' -c 'wq' "$D/multi-v.c" >/dev/null 2>&1
	t1=$(now)
	same=same
	cmp -s "$D/multi-v.c" "$D/multi-ref.c" || same="DIFFERS"
	printf '  %-52s %9.3f s  (output %s)\n' "  vim --clean -es :%s (one run)" "$(python3 -c "print($t1 - $t0)")" "$same"
fi

# Peak RSS of the rename (GNU time), against 2 x file + 64 B per cursor.
if [ -x /usr/bin/time ]; then
	cp "$F" "$D/multi-b.c"
	kb=$(/usr/bin/time -f %M $B --headless -c "$REN" "$D/multi-b.c" 2>&1 >/dev/null | tail -1)
	cp "$F" "$D/multi-b.c"
	kb0=$(/usr/bin/time -f %M $B --headless -c 'brisk.quit()' "$D/multi-b.c" 2>&1 >/dev/null | tail -1)
	cp "$F" "$D/multi-b.c"
	kb1=$(/usr/bin/time -f %M $B --headless -c 'brisk.command("select-all-occurrences foo_count"); brisk.quit()' \
		"$D/multi-b.c" 2>&1 >/dev/null | tail -1)
	goal=$(( (2 * size + 64 * 1000000) / 1024 ))
	printf '  %-52s %9.1f MB\n' "peak RSS: file loaded" "$(python3 -c "print($kb0 / 1024)")"
	printf '  %-52s %9.1f MB\n' "peak RSS: + 1,000,000 selections" "$(python3 -c "print($kb1 / 1024)")"
	printf '  %-52s %9.1f MB  (goal %.1f MB: 2 x file + 64 B/cursor)\n' "peak RSS: + typed at 1M cursors and saved" \
		"$(python3 -c "print($kb / 1024)")" "$(python3 -c "print($goal / 1024)")"
else
	echo "  (no /usr/bin/time: apt-get install time for the peak RSS figures)"
fi
rm -f "$D/multi-s.c" "$D/multi-b.c" "$D/multi-v.c" "$D/multi-ref.c"

$B --headless -l tests/tools/bench_multi.lua "$D" "$F"
python3 tests/tools/bench_multi_tui.py "$B" "$D"
exit 0
