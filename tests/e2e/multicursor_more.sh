#!/bin/bash
# More multi-cursor keys in a real terminal: skip / remove-last, select all
# occurrences, split into lines, keep/drop prompts, rotate, primary cycling,
# the structural prompt, the per-cursor clipboard and a column cut pasted
# as a block; each step checks the screen, the end the saved bytes.
. "$(dirname "$0")/lib.sh"
printf 'foo foo foo\nab\ncd\nef\nk1 k2 k3\n' >"$T/m.txt"
start 80 14 m.txt
wait_for "foo foo foo" || fail "file not shown"

# Ctrl-D, Ctrl-D, Ctrl-K Ctrl-D: the 1st and 3rd foo; Ctrl-U then drops the 3rd.
keys C-d C-d C-k C-d
wait_for "2 cursors (2/2)" || fail "skip-occurrence"
text 'X'
wait_line 1 "X foo X" || fail "skip: $(screen | sed -n 1p)"
keys C-z
wait_line 1 "foo foo foo" || fail "undo after skip"
keys Escape
wait_not "cursors (" || fail "Esc"
keys C-Home C-d C-d C-d C-u
wait_for "2 cursors" || fail "remove-last-cursor"
text 'Y'
wait_line 1 "Y Y foo" || fail "remove-last: $(screen | sed -n 1p)"
keys Escape
wait_not "cursors (" || fail "Esc"

# Alt-Shift-L on "Y": every whole-word Y.
keys C-Home M-L
wait_for "2 cursors" || fail "select-all-occurrences"
text 'ZZ'
wait_line 1 "ZZ ZZ foo" || fail "select all: $(screen | sed -n 1p)"
keys Escape
wait_not "cursors (" || fail "Esc"

# Split lines: select lines 2-4, Alt-Shift-I, type at each line end.
keys C-Home Down S-Down S-Down S-Down M-I
wait_for "3 cursors" || fail "split-selection-lines"
text '!'
wait_line 2 "ab!" || fail "split: $(screen | sed -n 2p)"
wait_line 4 "ef!" || fail "split: $(screen | sed -n 4p)"
keys Escape
wait_not "cursors (" || fail "Esc"

# Line 5: select it, split on spaces via the prompt, keep k2/k3, rotate.
keys C-Home Down Down Down Down Home S-End
keys C-k S
wait_for "split on regex:" || fail "Ctrl-K S prompt"
text ' '
keys Enter
wait_for "3 cursors" || fail "split-regex"
keys C-k K
wait_for "drop matching:" || fail "Ctrl-K K prompt"
text '1'
keys Enter
wait_for "2 cursors" || fail "drop-regex"
keys C-k r
wait_line 5 "k1 k3 k2" || fail "rotate: $(screen | sed -n 5p)"
keys M-')'
wait_for "(2/2)" || fail "primary-next"
keys Escape
wait_not "cursors (" || fail "Esc"
keys Right

# Structural prompt: x/foo/ c/F/ over the whole buffer.
keys C-k :
wait_for "x/" || fail "Ctrl-K : prompt"
text 'foo/ c/F/'
keys Enter
wait_line 1 "ZZ ZZ F" || fail "structural: $(screen | sed -n 1p)"

# Per-cursor clipboard: copy the two ZZ, paste at the ends of lines 2-3.
keys C-Home M-L C-c Escape
wait_not "cursors (" || fail "Esc after copy"
keys C-Home Down End M-S-Down
wait_for "2 cursors" || fail "add-cursor-below"
keys C-v
wait_line 2 "ab!ZZ" || fail "paste per cursor: $(screen | sed -n 2p)"
wait_line 3 "cd!ZZ" || fail "paste per cursor: $(screen | sed -n 3p)"
keys Escape
wait_not "cursors (" || fail "Esc"

# Column cut of "ab" "cd" (2 columns, lines 2-3) pasted as a block at line 4.
keys C-Home Down M-c Down Right Right
wait_for "2 cursors" || fail "column mark"
keys C-x
wait_line 2 "!ZZ" || fail "box cut: $(screen | sed -n 2p)"
keys C-Home Down Down Down End C-v
wait_line 4 "ef!ab" || fail "block paste row 1: $(screen | sed -n 4p)"
wait_line 5 "k1 cdk3 k2" || fail "block paste row 2: $(screen | sed -n 5p)"
keys C-s
wait_file "$T/m.txt" "ef!ab" || fail "save"
[ "$(cat "$T/m.txt")" = $'ZZ ZZ F\n!ZZ\n!ZZ\nef!ab\nk1 cdk3 k2' ] || fail "saved bytes: $(tr '\n' '|' <"$T/m.txt")"
pass "skip, remove-last, select all, split lines, split/drop prompts, rotate, primary, structural, per-cursor paste, box cut + block paste"
