#!/bin/bash
# Syntax colours on a real terminal (TERM=xterm-256color, dark theme):
# colours read back with capture-pane -e; a C block comment colours the
# lines below it and typing it away re-colours them; the theme command;
# a shell script found by its shebang; NO_COLOR gives attributes only.
. "$(dirname "$0")/lib.sh"

# wait_e SEQ: the screen with escapes contains SEQ (literal).
wait_e() {
	local i n=$(( DEADLINE * 20 ))
	for i in $(seq "$n"); do
		screen_e | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
wait_e_not() {
	local i n=$(( DEADLINE * 20 ))
	for i in $(seq "$n"); do
		screen_e | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	return 1
}
E=$'\033'
KW="${E}[38;5;75m"      # dark keyword: #5fafff
COMMENT="${E}[38;5;245m" # dark comment: #8a8a8a
VAR="${E}[38;5;147m"     # dark variable: #afafff

printf 'int main(void) {\n/* start\ninside while comment\nend */ return 0;\n}\n' >"$T/main.c"
start 60 10 main.c
wait_for "inside while comment" || fail "the file is not shown"
wait_e "${KW}return" || fail "keyword not coloured"
wait_e "${COMMENT}/* start" || fail "comment not coloured"
screen_e | grep -qF "${KW}while" && fail "a keyword inside the block comment is coloured as code"

# Delete "/* " on line 2: the comment is gone, "while" on line 3 is code.
keys Down Home Delete Delete Delete
wait_e "${KW}while" || fail "line 3 not re-lexed after the comment opener was deleted"
# Type it back: line 3 is inside the comment again.
text "/* "
wait_e_not "${KW}while" || fail "line 3 not re-lexed after the comment opener was typed"
wait_e "${COMMENT}/* start" || fail "comment colour not back"

keys C-e
text "theme light"
keys Enter
wait_e "${E}[38;5;19mreturn" || fail "theme light did not change the keyword colour"
keys C-e
text "filetype"
keys Enter
wait_for "filetype: c" || fail "filetype command does not report c"
tm kill-server

printf '#!/bin/sh\necho "$HOME" done\n' >"$T/run"
start 60 10 run
wait_for "done" || fail "the script is not shown"
wait_e "${VAR}\$HOME" || fail "shell variable not coloured (shebang detection)"
tm kill-server

BRISK_WRAP="env NO_COLOR=1" start 60 10 main.c
wait_for "inside while comment" || fail "NO_COLOR: the file is not shown"
wait_e "${E}[1mreturn" || fail "NO_COLOR: keyword not bold"
screen_e | grep -qF "38;5;" && fail "NO_COLOR: colours used"
pass "C comment and keyword colours, re-lex after edits, theme, shebang, NO_COLOR"
