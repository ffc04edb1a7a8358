#!/bin/sh
# Syntax colour figures for `make bench` (run by bench.sh with the data
# folder as $1): key-to-screen latency in the real UI (a pty) on the 97 MB
# C file text100.c (made by gen.py of $BRISK_BENCH_TOOLS when missing),
# opened at its middle line, without and with highlighting; then the
# headless cost of lexing one screen of C lines with the bundled rules.
# Prints figures, asserts nothing.
set -u
cd "$(dirname "$0")/../.." || exit 1
D=${1:-${BRISK_BENCH_DIR:-/tmp/brisk-bench}}
mkdir -p "$D"
echo "== syntax colours =="
F=$D/text100.c
G=${BRISK_BENCH_TOOLS:-}/gen.py
if [ ! -s "$F" ] && [ -f "$G" ]; then
	BRISK_BENCH_DIR=$D python3 "$G" >/dev/null 2>&1
fi
if [ ! -s "$F" ]; then
	echo "  (no $F: run gen.py of the bench tools, BRISK_BENCH_TOOLS=DIR)"
	exit 0
fi
mid=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["files"]["text100.c"]; print(m["mid_line"])' "$D/meta.json" 2>/dev/null || echo 840001)
python3 tests/tools/bench_syntax_tui.py ./brisk "$D" "$F" "$mid" "brisk-bench middle line $mid"
./brisk --headless -c '
local S = require("syntax")
local b = brisk.buffer()
local n, t0 = 0, brisk.clock()
local mid = math.floor(b:lines() / 2)
local st = 0
for i = mid, mid + 9999 do
  local _, s = S.lexer.lex(S.langs.c, b:line(i), st)
  st = s
  n = n + 1
end
local dt = brisk.clock() - t0
print(("  %-52s %9.2f us"):format("lex one C line (Lua + PCRE2 rules, mean of 10000)", dt / n * 1e6))
brisk.quit()' "$F"
exit 0
