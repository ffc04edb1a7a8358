#!/bin/bash
# A file of NUL bytes: shown as ^@, edited, and saved byte for byte.
. "$(dirname "$0")/lib.sh"
head -c 3000 /dev/zero >"$T/z.bin"
start 80 12 z.bin
wait_for "^@^@^@^@^@^@^@^@" || fail "NUL bytes not shown as ^@"
wait_for "binary" || fail "status bar does not say binary"
row=$(screen | head -1)
[ "$row" = "$(printf '^@%.0s' $(seq 40))" ] || fail "first row: $row"
text 'A'
keys End
wait_pos 1:6002 || fail "End over 3000 NULs (2 columns each): $(status_pos)"
text 'Z'
keys C-s
wait_for "wrote z.bin" || fail "not saved"
{ printf 'A'; head -c 3000 /dev/zero; printf 'Z'; } >"$T/want"
cmp -s "$T/z.bin" "$T/want" || fail "saved bytes differ: $(od -c "$T/z.bin" | head -3)"
pass "NUL bytes shown escaped, edited, saved exactly"
