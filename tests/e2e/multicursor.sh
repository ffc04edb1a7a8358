#!/bin/bash
# Multi-cursor keys in a real terminal: Ctrl-D rename with the cursor count
# in the status bar, one undo step that brings the cursors back, Esc, add
# cursor below at the goal column, Alt-C column mark, align, the regex and
# sequence prompts; the screen and the saved bytes are both checked.
. "$(dirname "$0")/lib.sh"
printf 'foo x foo y\nfoo z\na=1\nbbb=2\nabcdef\nab\nabcdef\n' >"$T/m.txt"
start 80 14 m.txt
wait_for "foo x foo y" || fail "file not shown"

# Ctrl-D three times, type: every occurrence renamed, one undo step.
keys C-d C-d C-d
wait_for "3 cursors (3/3)" || fail "Ctrl-D x3 did not make 3 cursors"
text 'bar'
wait_line 1 "bar x bar y" || fail "typing at 3 cursors: $(screen | sed -n 1p)"
wait_line 2 "bar z" || fail "typing at the 3rd cursor"
keys C-z
wait_line 1 "foo x foo y" || fail "one undo did not revert the typing run"
wait_for "3 cursors" || fail "undo did not bring the 3 cursors back"
keys C-y
wait_line 1 "bar x bar y" || fail "redo"
keys Escape
wait_not "cursors (" || fail "Esc did not collapse to one cursor"

# Regex prompt: select every '=' of the buffer, then align.
keys C-k s
wait_for "select regex:" || fail "Ctrl-K s did not open the regex prompt"
text '='
keys Enter
wait_for "2 cursors" || fail "select-regex = did not make 2 selections"
keys C-k a
wait_line 3 "a  =1" || fail "align: $(screen | sed -n 3p)"
keys Escape
wait_not "cursors (" || fail "Esc after align"

# Add cursors below from column 5 of line 5: the short line gets its end.
keys C-Home Down Down Down Down End Left
keys M-S-Down M-S-Down
wait_for "3 cursors" || fail "Alt-Shift-Down did not add cursors"
text '|'
wait_line 5 "abcde|f" || fail "line 5: $(screen | sed -n 5p)"
wait_line 6 "ab|" || fail "line 6 (short): $(screen | sed -n 6p)"
wait_line 7 "abcde|f" || fail "line 7 (goal column kept): $(screen | sed -n 7p)"
keys Escape
wait_not "cursors (" || fail "Esc after cursors below"

# Column mark: Alt-C at line 1 column 1, two down, one right, type.
keys C-Home M-c
keys Down Down Right
wait_for "3 cursors" || fail "column mark did not make 3 rows"
text '#'
wait_line 1 "#ar x bar y" || fail "box row 1: $(screen | sed -n 1p)"
wait_line 3 "#  =1" || fail "box row 3: $(screen | sed -n 3p)"
keys Escape
wait_not "cursors (" || fail "Esc after the column mark"

# Sequence prompt, pre-filled with "1 1 %d": number three new cursors.
keys C-Home M-S-Down M-S-Down
keys C-k n
wait_for "insert-sequence" || fail "Ctrl-K n did not open the prompt"
keys Enter
wait_line 1 "1#ar x bar y" || fail "sequence row 1: $(screen | sed -n 1p)"
wait_line 3 "3#  =1" || fail "sequence row 3: $(screen | sed -n 3p)"
keys C-s
wait_file "$T/m.txt" "3#  =1" || fail "save"
[ "$(cat "$T/m.txt")" = $'1#ar x bar y\n2#ar z\n3#  =1\nbbb=2\nabcde|f\nab|\nabcde|f' ] ||
	fail "saved bytes: $(tr '\n' '|' <"$T/m.txt")"
pass "Ctrl-D rename + undo/redo of the cursors, regex prompt + align, cursors below, column mark, sequence prompt"
