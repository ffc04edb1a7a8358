#!/bin/bash
# Shell completion as a user gets it, in an interactive bash and zsh in a
# terminal: Tab completes brisk's options, *.lua scripts after -l, files
# after --hex, and a command name after --log --.
. "$(dirname "$0")/lib.sh"
C=$ROOT/completions
mkdir -p "$T/w/sub"
touch "$T/w/script.lua" "$T/w/script.txt" "$T/w/savegame.bin" "$T/w/notes.txt"
prompt_cmd() { # the command line on the last non-empty screen row
	screen | grep -v '^$' | tail -1
}
wait_cmd() { # TEXT: the command line reads TEXT
	local i
	for i in $(seq 100); do [ "$(prompt_cmd | sed 's/ *$//')" = "$1" ] && return 0; sleep 0.05; done
	return 1
}
try() { # shell typed want
	keys C-u
	text "$2"
	keys Tab
	wait_cmd "\$ $3" || fail "$1: '$2<Tab>' gave '$(prompt_cmd)', want '\$ $3'"
}

tries() { # SHELL: what both shells complete
	try $1 'brisk --rea' 'brisk --readonly'
	try $1 'brisk --cl' 'brisk --clean'
	try $1 'brisk -l sc' 'brisk -l script.lua' # not script.txt
	try $1 'brisk --hex sa' 'brisk --hex savegame.bin'
	try $1 'brisk --log -- seq' 'brisk --log -- seq'
	try $1 'brisk no' 'brisk notes.txt'
}

start_sh 100 10 "cd w && PS1='\$ ' exec bash --norc --noprofile -i"
wait_for '$' || fail "bash did not start"
text "source $C/brisk.bash"
keys Enter
keys C-l
tries bash
keys C-u
text 'exit'
keys Enter
wait_exit || fail "bash did not exit"

command -v zsh >/dev/null || skip "zsh is not installed (scripts/deps.sh --test): bash passed"
start_sh 100 10 "cd w && PS1='\$ ' HOME=\$T exec zsh -f -i"
wait_for '$' || fail "zsh did not start"
text "fpath=($C \$fpath); autoload -Uz compinit; compinit -u -D; unsetopt beep"
keys Enter
keys C-l
tries zsh
pass "bash and zsh complete options, -l scripts, --hex files, commands after --log --"
