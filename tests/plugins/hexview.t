#!/bin/sh
# Hex view tests (TAP): the stride patch of the sample save file, export ==
# xxd and xxd -r round trips, search, inspector against python's struct,
# editing and undo, the view's rows, checksums and layouts, a large file.
# Run from the project root. Needs python3 and xxd (apt-get install xxd).
B=$(pwd)/brisk
D=tests/plugins/hexview
S=tests/data/hex
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state HEX_TEST_TMP=$T
n=0
check() { # name, command...
	name=$1; shift
	n=$((n + 1))
	if "$@" >"$T/out" 2>&1; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		grep -v '^ok ' "$T/out" | head -40 | sed 's/^/#   /'
	fi
}
lua_test() { timeout 120 "$B" --headless --hex -l "$@"; }

[ -x "$B" ] || { echo "1..0 # SKIP no ./brisk"; exit 0; }

# The sample must be there: no sample, no pass.
samples() { [ -f $S/candy.sav ] && [ -f $S/candy.json ] || { echo "missing $S/candy.sav or candy.json"; return 1; }; }
check "the sample save file is in tests/data/hex" samples

# Stride patch: only the stars fields change; the CRC fix-up matches
# candy.json's definition (zlib crc32 of covers, u32le at stored_at).
crc_ok() {
	python3 - "$T/patched.sav" $S/candy.sav $S/candy.json <<'PY'
import json, struct, sys, zlib
got, orig, meta = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read(), json.load(open(sys.argv[3]))
ck, tab = meta["checksum"], meta["record_table"]
a, e = ck["covers"]
stored = struct.unpack_from("<I", got, ck["stored_at"])[0]
assert stored == zlib.crc32(got[a:e]), "stored %08x, crc32 %08x" % (stored, zlib.crc32(got[a:e]))
want = bytearray(orig)
for i in range(tab["count"]):
    struct.pack_into("<I", want, tab["offset"] + i * tab["stride"], 3)
struct.pack_into("<I", want, ck["stored_at"], zlib.crc32(bytes(want[a:e])))
diff = [i for i in range(len(got)) if got[i] != want[i]]
assert not diff, "%d bytes differ from the expected patch, first at %#x" % (len(diff), diff[0])
PY
}
check "stride patch of candy.sav (stars := 3), undo/redo, stride defaults" lua_test $D/test_stride.lua "$T/patched.sav"
check "the saved patch: stars fields and the CRC, nothing else (python zlib)" crc_ok

# Export == xxd for random files of many sizes; xxd -r rebuilds them.
export_case() { # size seed
	python3 -c "import random,sys; random.seed($2); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range($1)))" >"$T/r.bin" || return 1
	timeout 20 "$B" --headless --hex -c "assert(brisk.command('hex-export $T/r.hex')); brisk.quit()" "$T/r.bin" || return 1
	xxd "$T/r.bin" >"$T/ref.hex"
	cmp "$T/r.hex" "$T/ref.hex" || { diff "$T/r.hex" "$T/ref.hex" | head -5; return 1; }
	xxd -r "$T/r.hex" >"$T/back.bin" && cmp "$T/back.bin" "$T/r.bin"
}
export_all() {
	command -v xxd >/dev/null || { echo "xxd is not installed"; return 1; }
	for c in "0 1" "1 2" "15 3" "16 4" "17 5" "255 6" "4096 7" "100003 11" "1048593 12"; do
		export_case $c || { echo "size/seed $c"; return 1; }
	done
	# Every byte value, as text and as control characters.
	python3 -c "import sys; sys.stdout.buffer.write(bytes(range(256)) * 3)" >"$T/all.bin"
	timeout 20 "$B" --headless -c "brisk.hex.export(brisk.buffer(), '$T/all.hex'); brisk.quit()" "$T/all.bin" || return 1
	xxd "$T/all.bin" | cmp - "$T/all.hex"
}
check "hex-export == xxd (9 random files, 0 B to 1 MB, every byte value); xxd -r round trip" export_all

# Search against a naive scan.
check "search: hex with wildcards, text, integers, regex; next/prev/wrap; all matches" lua_test $D/test_search.lua

# Inspector against python's struct.
inspect_case() {
	python3 $D/gen_inspect.py "$T/inspect.json" && lua_test $D/test_inspect.lua "$T/inspect.json"
}
check "inspector readings and written values == python struct" inspect_case

check "editing: nibbles at N cursors (one undo step a byte), ASCII column, moves, insert/delete, modified bytes, diff, toggle" lua_test $D/test_edit.lua
check "view: row format, groups, bytes per row, byte classes, cursor cell, scrolling" lua_test $D/test_view.lua

tools_case() {
	sums=$(python3 - $S/candy.sav <<'PY'
import hashlib, sys, zlib
d = open(sys.argv[1], "rb").read()
for part in (d[0x2f0:0x6b0], d):
    print(" ".join(["%08x" % zlib.crc32(part), hashlib.md5(part).hexdigest(), hashlib.sha1(part).hexdigest(), hashlib.sha256(part).hexdigest()]))
PY
) || return 1
	lua_test $D/test_tools.lua "$(echo "$sums" | sed -n 1p)" "$(echo "$sums" | sed -n 2p)" || return 1
	xxd -s 0x2f0 -l 960 $S/candy.sav | cmp - "$T/range.hex" || { echo "range export != xxd -s -l"; return 1; }
	xxd -c 8 -g 4 $S/candy.sav | cmp - "$T/c8g4.hex" || { echo "8 columns, groups of 4 != xxd -c 8 -g 4"; return 1; }
}
check "checksums == zlib/hashlib; layouts, table, kept per file; range export == xxd -s -l" tools_case

large_case() {
	size=$((256 * 1024 * 1024))
	truncate -s $((size - 9)) "$T/large.bin" && printf 'BRISK-END' >>"$T/large.bin" || return 1
	lua_test $D/test_large.lua "$T/large.bin" $size
}
check "a 256 MB file: last page, search, export, a million cursors" large_case

echo "1..$n"
