#!/bin/bash
# Bracketed paste: pasted text goes in as typed text would (line breaks
# kept, no auto-indent), a 10 MB paste arrives as one insert and is one
# undo step; saved with the final newline the file had.
. "$(dirname "$0")/lib.sh"
printf 'top\n' >"$T/p.txt"
start 80 12 p.txt
wait_for top || fail "file not shown"
keys C-End
tm set-buffer -b small "$(printf '  indented\n  kept')"
tm paste-buffer -p -b small -t w
wait_for "  kept" || fail "small paste not shown"
wait_line 2 "  indented" || fail "paste was re-indented or lost its line break: $(screen | sed -n 2p)"
# 10 MB in one paste.
awk 'BEGIN { for (i = 1; i <= 200000; i++) printf "pasted line %06d ..................................\n", i }' >"$T/big"
printf 'END-OF-PASTE' >>"$T/big"
size=$(wc -c <"$T/big")
tm load-buffer -b big "$T/big"
tm paste-buffer -p -b big -t w
wait_for "END-OF-PASTE" 60 || fail "10 MB paste did not arrive"
wait_for "200003:13" || fail "cursor not after the paste: $(status_pos)"
keys C-z
wait_for "  kept" || fail "undo removed more than the big paste"
wait_not "END-OF-PASTE" || fail "the big paste was not one undo step"
wait_pos 3:7 || fail "cursor not back before the paste: $(status_pos)"
keys C-y
wait_for "END-OF-PASTE" || fail "redo of the big paste"
keys C-s
wait_file "$T/p.txt" "END-OF-PASTE" || fail "not saved"
want=$(( 4 + 17 + size + 1 )) # the file ended with a newline: saving puts one back
got=$(wc -c <"$T/p.txt")
[ "$got" = "$want" ] || fail "saved $got bytes, want $want"
pass "small and 10 MB pastes, one undo step"
