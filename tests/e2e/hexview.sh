#!/bin/bash
# The hex view in a real terminal: open the sample save file with --hex, go
# to the record table, put a cursor on every record (stride), type 03,
# save: the file differs from the original exactly at the stars fields.
# Then a file with NUL bytes opened as text: the hint, and Ctrl-K h.
. "$(dirname "$0")/lib.sh"
SAMPLE=$ROOT/tests/data/hex/candy.sav
[ -f "$SAMPLE" ] || fail "missing $SAMPLE"
cp "$SAMPLE" "$T/candy.sav"
cp "$SAMPLE" "$T/orig.sav"
chmod u+w "$T/candy.sav" # a checkout may make it 0444: read-only in the hex view for all but root
start 100 30 --hex candy.sav
wait_for "000000:   4343 5356 0300 0000  4000 0000 f002 0000  CCSV....@......." || fail "no hex rows"
wait_for "[hex]" || fail "status bar does not say hex"
keys C-g
wait_for "Go to offset:" || fail "no goto prompt asking for an offset: $(screen | tail -1)"
text "0x2f0"
keys Enter
wait_for "0002f0:   0100 0000 9827 0400" || fail "goto 0x2f0 did not show the table"
wait_for "0x2f0/0x1000" || fail "the status bar does not show the offset"
keys C-e
text "stride 8 120"
keys Enter
wait_for "120 cursors" || fail "stride did not make 120 cursors"
text "03"
wait_for "0002f0:   0300 0000 9827 0400  0300 0000 3ea9 0400" || fail "typing 03 did not patch the records"
wait_for "0x2f1/0x1000" || fail "the cursors did not move to the next byte"
keys C-s
wait_for "wrote candy.sav" || fail "not saved"
python3 - "$T/orig.sav" "$T/candy.sav" >"$T/why" <<'PY' || fail "saved bytes: $(cat "$T/why")"
import sys
a, b = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
want = bytearray(a)
for i in range(120):
    want[0x2f0 + 8 * i] = 3
diff = [i for i in range(len(b)) if i >= len(want) or b[i] != want[i]]
if len(a) != len(b) or diff:
    print("size %d -> %d, %d bytes differ" % (len(a), len(b), len(diff)))
    sys.exit(1)
PY
keys C-q
wait_exit || fail "did not quit"

head -c 64 /dev/zero >"$T/z.bin"
printf 'hello' >>"$T/z.bin"
start 100 12 z.bin
wait_for "contains NUL bytes" || fail "no hint for a file with NUL bytes"
keys C-k h
wait_for "000040:   6865 6c6c 6f" || fail "Ctrl-K h did not show it in hex"
keys C-k h
wait_for "^@^@^@" || fail "Ctrl-K h again: text again"
pass "stride patch of the sample typed in the hex view saves exactly the stars fields; NUL hint and toggle"
