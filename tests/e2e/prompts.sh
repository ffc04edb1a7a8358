#!/bin/bash
# Prompts as nano/micro/Sublime users expect: a pre-filled value is
# selected (typing replaces it, an arrow keeps it), every find/replace
# prompt shows its mode from the start, Ctrl-F $ finds the empty match,
# Ctrl-R replaces zero-width matches once per position with a count, Tab
# cycles through completions with "(n more)" and Shift-Tab goes back, ~
# expands in file names (prompt and Tab completion).
. "$(dirname "$0")/lib.sh"
printf 'case 7:\ncase 3:\nab\n' >"$T/q.txt"
mkdir -p "$HOME/docs" && printf 'A\n' >"$HOME/docs/alpha.txt" && printf 'B\n' >"$HOME/docs/beta.txt"
start 80 12 q.txt
wait_for "case 3:" || fail "file not shown"

# Ctrl-K n: "1 1 %d" is selected; typing replaces it.
keys C-a
keys C-k s
wait_for "select regex:" || fail "no regex prompt"
text '\d+'
keys Enter
wait_for "2 cursors" || fail "select-regex"
keys C-k n
wait_for "1 1 %d" || fail "insert-sequence prompt not pre-filled"
text '10 -5'
wait_for "insert-sequence START STEP [FORMAT]: 10 -5" || fail "typing did not replace the pre-filled value: $(screen | tail -1)"
keys Enter
wait_line 1 "case 10:" || fail "sequence 1: $(screen | sed -n 1p)"
wait_line 2 "case 5:" || fail "sequence 2: $(screen | sed -n 2p)"
keys Escape
wait_not "2 cursors" || fail "Esc after the sequence"

# An arrow keeps the pre-filled value: Right, then typing appends.
keys C-Home C-k n
wait_for "1 1 %d" || fail "insert-sequence prompt again"
keys Right
text 'x'
wait_for ": 1 1 %dx" || fail "Right did not keep the value: $(screen | tail -1)"
keys Escape
wait_not "insert-sequence" || fail "Esc"

# The replace prompt shows the mode the last search left (regex) at once.
keys C-f M-r
text 'c.se'
keys Enter
wait_not "Find (" || fail "find"
keys C-r
wait_for "Replace (regex)" || fail "the replace prompt hides its regex mode: $(screen | tail -1)"
keys M-r
wait_for "Replace (text)" || fail "M-r does not say the new mode: $(screen | tail -1)"
keys M-r
text '^'
keys Enter
wait_for "Replace /^/ (" || fail "no replacement prompt: $(screen | tail -1)"
text '> '
keys Enter
wait_for "Replace this match?" || fail "no question for a zero-width match"
keys a
wait_for "3 replaced" || fail "zero-width matches: $(screen | tail -1)"
wait_line 3 "> ab" || fail "line 3: $(screen | sed -n 3p)"
keys C-z
wait_line 3 "ab" || fail "undo of the replacements"

# Ctrl-F $ (regex): the empty match at the line end is found, F3 goes on.
keys C-Home C-f
text '$'
wait_for "Find (regex)" || fail "find prompt"
keys Enter
wait_pos 1:9 || fail "\$ not found at the end of line 1: $(status_pos)"
screen | tail -1 | grep -q "not found" && fail "Ctrl-F \$ said not found"
keys F3
wait_pos 2:8 || fail "F3 to the next line end: $(status_pos)"

# Replacing a selection: the pre-filled pattern is selected, typing replaces.
keys C-Home S-Right S-Right S-Right S-Right
keys C-r
wait_for "case" || fail "replace prompt not pre-filled with the selection"
text 'ab'
wait_for "]: ab" || fail "typing did not replace the selected pattern: $(screen | tail -1)"
keys Escape
wait_not "Replace (" || fail "Esc did not close the replace prompt"

# Tab cycles through command names; Shift-Tab goes back; "(n more)".
keys C-e
text 'sel'
keys Tab
wait_for ": select-all" || fail "Tab: first candidate"
wait_for "more)" || fail "no (n more) in the status bar: $(screen | tail -2 | head -1)"
keys Tab
wait_for ": select-all-occurrences" || fail "Tab again: next candidate: $(screen | tail -1)"
keys BTab
wait_line 12 ": select-all" || fail "Shift-Tab: back: $(screen | tail -1)"
keys Escape
wait_not ": select-all" || fail "Esc did not close the command prompt"

# ~ in the open prompt, with Tab completion listing ~/docs/.
keys C-o
text '~/docs/a'
keys Tab
wait_for "Open: ~/docs/alpha.txt" || fail "Tab after ~/: $(screen | tail -1)"
keys Enter
wait_for "alpha.txt" || fail "~ not expanded when opening"
wait_line 1 "A" || fail "the file from ~ is not shown"

# save-as: the full path is selected; typing a name replaces it.
keys C-e
text 'save-as-prompt'
keys Enter
wait_for "Save as: $HOME/docs/alpha.txt" || fail "save-as not pre-filled: $(screen | tail -1)"
text '~/docs/gamma.txt'
keys Enter
wait_file "$HOME/docs/gamma.txt" "A" || fail "save-as over the pre-filled path did not write ~/docs/gamma.txt"
pass "pre-filled values selected, modes shown, \$ found, zero-width replace, Tab cycling, ~ in file names"
