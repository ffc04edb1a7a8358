#!/bin/bash
# Grapheme clusters take the columns the terminal gives them: a ZWJ family
# is 2 columns (drawn whole), a flag's regional indicators 1 + 1, an emoji
# with a skin-tone modifier 2 + 2 (as tmux draws them); the rest of each
# line lines up (capture-pane, and a character typed at the end lands
# right after the line), Up/Down never land inside a cluster, and typing
# there never splits one. Also the multi-cursor details: soft-wrapped
# Up/Down move by screen row, a goal column does not outlive Ctrl-Home, a
# box pasted back leaves no trailing blanks and the cursors after it.
. "$(dirname "$0")/lib.sh"
FLAG=$'\xf0\x9f\x87\xab\xf0\x9f\x87\xb7'
FAMILY=$'\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7'
THUMB=$'\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd'
printf 'A%sB|x\nA%sB|x\nA%sB|x\nabcdefgh|x\n' "$FLAG" "$FAMILY" "$THUMB" >"$T/g.txt"
start 60 10 g.txt
wait_for "abcdefgh|x" || fail "file not shown"
wait_line 1 "A${FLAG}B|x" || fail "flag line: $(screen | sed -n 1p)"
wait_line 2 "A${FAMILY}B|x" || fail "the ZWJ family is not drawn whole: $(screen | sed -n 2p | od -c | head -3)"
wait_line 3 "A${THUMB}B|x" || fail "skin-tone line: $(screen | sed -n 3p)"

# The rest of each line lines up: what is typed at its end lands right
# after it (a wrong width would leave a gap or overwrite).
keys Down End
text 'Z'
wait_line 2 "A${FAMILY}B|xZ" || fail "typed after the family line: $(screen | sed -n 2p)"
wait_pos 2:8 || fail "column after the family line: $(status_pos)"
keys Down End
text 'Z'
wait_line 3 "A${THUMB}B|xZ" || fail "typed after the skin-tone line: $(screen | sed -n 3p)"
wait_pos 3:10 || fail "column after the skin-tone line: $(status_pos)"
keys Up Up End
text 'Z'
wait_line 1 "A${FLAG}B|xZ" || fail "typed after the flag line: $(screen | sed -n 1p)"
# Right steps over a cluster as one character.
keys Home Right Right
wait_pos 1:4 || fail "Right over the flag: $(status_pos)"

# Up/Down from a column in the middle of a cluster land on its start;
# typing there does not split it.
keys Down Down Down Home Right Right Right Right
wait_pos 4:5 || fail "column 5 on the plain line: $(status_pos)"
keys Up
wait_pos 3:2 || fail "Up into the emoji + modifier: $(status_pos)"
text '1'
keys Up
wait_pos 2:2 || fail "Up onto the family: $(status_pos)"
keys Up
wait_pos 1:2 || fail "Up (goal column 2) into the flag: $(status_pos)"
text '2'
keys C-s
wait_file "$T/g.txt" "A2" || fail "not saved"
[ "$(cat "$T/g.txt")" = "$(printf 'A2%sB|xZ\nA%sB|xZ\nA1%sB|xZ\nabcdefgh|x' "$FLAG" "$FAMILY" "$THUMB")" ] ||
	fail "a cluster was split: $(od -c "$T/g.txt" | head -8)"
keys C-q
wait_exit || fail "no quit"

# Soft wrap: Up/Down move by screen row, keeping the column in the row.
python3 -c "
print('short')
print(' '.join('w%03d' % i for i in range(60)))
print('tail')" >"$T/w.txt"
start 40 12 w.txt
wait_for "tail" || fail "wrap file not shown"
keys C-e
text 'toggle-wrap'
keys Enter
wait_for "w056 w057 w058 w059" || fail "not wrapped"
keys Down Right Right Right
wait_pos 2:4 || fail "start: $(status_pos)"
keys Down
wait_pos 2:44 || fail "Down in a wrapped line moves one screen row: $(status_pos)"
keys Down Down
wait_pos 2:124 || fail "two more rows: $(status_pos)"
keys Up
wait_pos 2:84 || fail "Up one screen row: $(status_pos)"
keys C-q
wait_exit || fail "no quit (wrap)"

# A goal column does not outlive Ctrl-Home; a box cut and pasted back
# pads nothing and leaves a cursor after each row.
printf 'abcdef\nab\nabcdef\n' >"$T/b.txt"
start 40 10 b.txt
wait_for "abcdef" || fail "box file not shown"
keys End M-S-Down
wait_for "2 cursors" || fail "add-cursor-below"
keys Escape
wait_not "cursors" || fail "Esc"
keys C-Home M-S-Down
text 'X'
wait_line 1 "Xabcdef" || fail "line 1 after Ctrl-Home + add-cursor-below: $(screen | sed -n 1p)"
wait_line 2 "Xab" || fail "stale goal column: $(screen | sed -n 2p)"
keys C-z
wait_line 1 "abcdef" || fail "undo"
keys Escape
wait_not "cursors" || fail "Esc after undo"
keys C-Home Right Right Right
keys M-c Down Down Right Right
keys C-x
wait_line 1 "abcf" || fail "box cut: $(screen | sed -n 1p)"
keys Escape
wait_not "cursors" || fail "Esc after the cut"
keys C-Home Right Right Right C-v
wait_line 1 "abcdef" || fail "box pasted back, row 1: $(screen | sed -n 1p)"
wait_for "3 cursors" || fail "a cursor after each row: $(screen | tail -2)"
text '.'
wait_line 1 "abcde.f" || fail "cursor after row 1: $(screen | sed -n 1p)"
keys C-s
wait_file "$T/b.txt" "abcde.f" || fail "box not saved"
[ "$(cat "$T/b.txt")" = "$(printf 'abcde.f\nab.\nabcde.f')" ] || fail "box paste bytes: $(cat -A "$T/b.txt")"
pass "ZWJ/flag/modifier lines line up, Up/Down never inside a cluster, soft-wrap rows, goal column reset, box paste"
