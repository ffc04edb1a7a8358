#!/bin/bash
# Search and replace: incremental find selects the first match as the
# pattern is typed and highlights every visible match; Ctrl-N steps on;
# Esc puts the cursor back; replace asks per match (y/n/a) and saves.
. "$(dirname "$0")/lib.sh"
printf 'foo bar foo\nbaz foo\nqux\n' >"$T/s.txt"
start 80 12 s.txt
wait_for "qux" || fail "file not shown"
keys C-f
wait_for "Find (text)" || fail "no find prompt"
text foo
wait_pos 1:4 || fail "first match not selected: $(status_pos)"
# Every visible match highlighted (black on yellow); the selected one in the selection colour.
n=$(screen_e | grep -o $'\e\\[43mfoo' | wc -l)
[ "$n" -ge 2 ] || fail "matches not highlighted ($n)"
keys C-n
wait_pos 1:12 || fail "Ctrl-N did not go to the next match: $(status_pos)"
keys Escape
wait_pos 1:1 || fail "Esc did not restore the cursor: $(status_pos)"
# Accepted search: F3 goes on from there.
keys C-f
text baz
keys Enter
wait_pos 2:4 || fail "Enter did not keep the match: $(status_pos)"
wait_not "Find (" || fail "prompt still open"
keys C-Home
wait_pos 1:1 || fail "Ctrl-Home"
keys C-r
wait_for "Replace (text)" || fail "no replace prompt, or its mode not shown: $(screen | tail -1)"
text foo
wait_for "Replace (text)" || fail "the replace prompt is labelled as a find: $(screen | tail -1)"
keys Enter
wait_for 'Replace "foo" with:' || fail "no replacement prompt"
text FOO
keys Enter
wait_for "Replace this match?" || fail "no confirmation"
keys y
wait_for "FOO bar foo" || fail "y did not replace the first match"
keys n
wait_pos 2:8 || fail "n did not move to the third match: $(status_pos)"
keys a
wait_for "2 replaced" || fail "a did not finish with a count"
wait_for "baz FOO" || fail "a did not replace the rest"
keys C-s
wait_file "$T/s.txt" "baz FOO" || fail "not saved"
[ "$(cat "$T/s.txt")" = "$(printf 'FOO bar foo\nbaz FOO\nqux')" ] || fail "content: $(cat "$T/s.txt")"
# One undo step per confirmed replacement.
keys C-z
wait_for "baz foo" || fail "undo of the last replacement"
# Holding Backspace to clear a prompt never goes on deleting in the text:
# once the prompt had text it stays open; an untouched one closes.
keys C-f
text ab
keys C-u
text ab
keys BSpace BSpace BSpace BSpace BSpace
sleep 0.3
wait_for "Find (text)" || fail "Backspace on a cleared prompt closed it"
screen | grep -q "^FOO bar foo" && screen | grep -q "^baz foo" || fail "Backspace went on in the text: $(screen | head -3)"
keys Escape
wait_not "Find (" || fail "Esc did not close the find prompt"
keys C-g
wait_for "Go to line" || fail "no goto prompt"
keys BSpace
wait_not "Go to line" || fail "Backspace on an untouched empty prompt did not close it"
# A regex replacement uses the match's groups.
keys C-r
wait_for "Replace (text)" || fail "no replace prompt (regex)"
keys C-u M-r
wait_for "Replace (regex)" || fail "M-r did not turn the pattern into a regex"
text '(ba)(r|z)'
keys Enter
wait_for "with:" || fail "no replacement prompt (regex)"
text '\2\1'
keys Enter
wait_for "Replace this match?" || fail "no confirmation (regex)"
keys a
wait_for "2 replaced" || fail "regex replace-all count: $(screen | tail -1)"
screen | grep -q "^FOO rba foo" && screen | grep -q "^zba foo" || fail "groups not used: $(screen | head -2)"
pass "incremental find, highlight, next, restore, replace y/n/a, regex groups, Backspace in prompts"
