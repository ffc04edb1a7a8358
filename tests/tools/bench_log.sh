#!/bin/bash
# Log viewer figures (called by tests/tools/bench.sh with its data dir):
# open and filter a large synthetic dtrace/dmesg log (1 GB when the disk
# allows, LOGVIEW_BENCH_MB to choose) beside `grep -c` and `lnav -n` on the
# same file in the same run; then follow a fast producer (log-run). Prints
# figures, asserts nothing. Times are the best of 3 runs (wall clock), RSS
# the peak of one run.
set -u
cd "$(dirname "$0")/../.." || exit 1
D=${1:-${BRISK_BENCH_DIR:-/tmp/brisk-bench}}
mkdir -p "$D"
B=./brisk
GEN=${BRISK_BENCH_TOOLS:-}/gen_logs.py # the project's generator (Makefile)
echo "== log viewer (filter in C, lnav and grep on the same file) =="
[ -f "$GEN" ] || { echo "  $GEN missing: skipped"; exit 0; }

MB=${LOGVIEW_BENCH_MB:-}
if [ -z "$MB" ]; then
	free_mb=$(df -Pm "$D" | awk 'NR == 2 { print $4 }')
	MB=1024
	[ "${free_mb:-0}" -lt 4096 ] && MB=256
fi
F=$D/dtrace-synth-${MB}M.log
[ -s "$F" ] || python3 "$GEN" --size-mb "$MB" --out "$D" >/dev/null || { echo "  gen_logs.py failed"; exit 0; }
lines=$(wc -l <"$F")
echo "  file: $F ($((($(stat -c %s "$F") + 500000) / 1000000)) MB, $lines lines)"

# best WALL SECONDS of 3 runs of a command (output read and dropped)
best() {
	python3 - "$@" <<'PY'
import subprocess, sys, time
ts = []
for _ in range(3):
    t0 = time.monotonic()
    # A pipe, not /dev/null: GNU grep stops at the first match when its
    # output is /dev/null.
    subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ts.append(time.monotonic() - t0)
print("%.2f" % min(ts))
PY
}
# peak RSS in MB of one run
rss() {
	python3 -c 'import resource,subprocess,sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.0f" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))' "$@"
}
lua() { echo "$1; brisk.quit()"; }

row() { printf '  %-52s %8s s %8s MB\n' "$1" "$2" "${3:--}"; }

RE1=sys_chdir
RE2='^ *[0-9]+ +[0-9]+ +sys_(open|read):entry'
OUT=$D/logview-out.txt

row "brisk --log: open only" \
	"$(best $B --headless --log "$F" -c "$(lua '')")" "$(rss $B --headless --log "$F" -c "$(lua '')")"
row "brisk: open + log-filter-in $RE1 + count" \
	"$(best $B --headless --log "$F" -c "$(lua "brisk.command('log-filter-in $RE1'); brisk.buffer():filter_stats()")")" \
	"$(rss $B --headless --log "$F" -c "$(lua "brisk.command('log-filter-in $RE1')")")"
row "grep -c $RE1" "$(best grep -c "$RE1" "$F")" "$(rss grep -c "$RE1" "$F")"
row "brisk: open + filter + write-visible" \
	"$(best $B --headless --log "$F" -c "$(lua "brisk.command('log-filter-in $RE1'); brisk.command('write-visible $OUT')")")"
row "grep $RE1 > file" "$(best sh -c "grep '$RE1' '$F' >'$OUT.g'")"
row "brisk: open + filter-in (regex, per line)" \
	"$(best $B --headless --log "$F" -c "$(lua "brisk.command('log-filter-in $RE2'); brisk.buffer():filter_stats()")")"
row "grep -cE (same regex)" "$(best grep -cE "$RE2" "$F")"
row "brisk: open + filter-out '^ *[0-9]' + count" \
	"$(best $B --headless --log "$F" -c "$(lua "brisk.command('log-filter-out ^ *[0-9]'); brisk.buffer():filter_stats()")")"
row "grep -cvE '^ *[0-9]'" "$(best grep -cvE '^ *[0-9]' "$F")"
# The summary runs in slices; it quits when done.
SUM="require('logview').summarize(brisk.buffer(), 72, function() brisk.quit() end)"
row "brisk: open + log-summary of the whole log" \
	"$(best $B --headless --log "$F" -c "$SUM")" "$(rss $B --headless --log "$F" -c "$SUM")"
counts="brisk $($B --headless --log "$F" -c "brisk.command('log-filter-in $RE1'); print((brisk.buffer():filter_stats())); brisk.quit()" 2>/dev/null), grep $(grep -c "$RE1" "$F")"
echo "  matches of $RE1: $counts"
if command -v lnav >/dev/null 2>&1; then
	# lnav -n: headless, prints the (filtered) view; one run (it is slow).
	s=$(python3 - "$F" "$RE1" <<'PY'
import subprocess, sys, time
t0 = time.monotonic()
p = subprocess.run(["lnav", "-n", "-c", ":filter-in " + sys.argv[2], sys.argv[1]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
print("%.2f %d" % (time.monotonic() - t0, p.stdout.count(b"\n")))
PY
)
	row "lnav -n -c ':filter-in $RE1' (1 run; $(echo "$s" | cut -d' ' -f2) lines out)" "$(echo "$s" | cut -d' ' -f1)" \
		"$(rss lnav -n -c ":filter-in $RE1" "$F")"
else
	echo "  lnav not installed (apt-get install -y lnav): skipped"
fi
cmp -s "$OUT" "$OUT.g" && echo "  write-visible output = grep output" || echo "  write-visible output DIFFERS from grep"
rm -f "$OUT" "$OUT.g"

echo "== log viewer: following a fast producer (log-run) =="
N=${LOGVIEW_BENCH_LINES:-5000000}
P="seq -f '%.0f cpu0 sys_chdir:entry' 1 $N"
prod=$(best sh -c "$P")
fol=$(best $B --headless -c "$(lua "brisk.command([[log-run sh -c \"$P\"]])")")
folf=$(best $B --headless -c "$(lua "brisk.command([[log-run sh -c \"$P\"]]); brisk.command('log-filter-in 7 cpu')")")
row "producer alone: $N lines" "$prod"
row "brisk log-run: the same into a log buffer" "$fol" "$(rss $B --headless -c "$(lua "brisk.command([[log-run sh -c \"$P\"]])")")"
python3 -c "import sys; n=int(sys.argv[1]); f=float(sys.argv[2]); print('  %.0f lines/s through log-run (%.1f MB of output)' % (n / f, n * 26 / 1e6))" "$N" "$fol"
row "brisk log-run + filter afterwards" "$folf"
if command -v lnav >/dev/null 2>&1; then
	row "lnav -n reading the same from a pipe" "$(best sh -c "$P | lnav -n >/dev/null")"
fi
exit 0
