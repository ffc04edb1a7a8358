# bash completion for brisk(1). Installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/brisk; or source it.
# Options; files for --hex, --log and file arguments; *.lua for -l; a
# command, then its own arguments, after `--log --`; nothing for the Lua
# code of -c or the keys of --keys.

_brisk_files() {
	local IFS=$'\n'
	COMPREPLY=($(compgen -f -- "$1"))
}

_brisk() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} i
	local opts="--help -h --version -v --readonly -R --clean --hex --log --headless --keys -c -l --"
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--log)
			# --log -- CMD ARGS...: complete as if CMD were typed alone
			if [[ ${COMP_WORDS[i + 1]} == -- ]] && ((COMP_CWORD > i + 1)); then
				if declare -F _command_offset >/dev/null; then
					_command_offset $((i + 2))
				elif ((COMP_CWORD == i + 2)); then
					COMPREPLY=($(compgen -c -- "$cur"))
				else
					_brisk_files "$cur"
				fi
				return
			fi
			;;
		-l)
			# the script's own arguments
			((COMP_CWORD > i + 1)) && { _brisk_files "$cur"; return; }
			;;
		--)
			_brisk_files "$cur"
			return
			;;
		esac
	done
	case $prev in
	-c | --keys)
		COMPREPLY=()
		return
		;;
	-l)
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -X '!*.lua' -- "$cur") $(compgen -d -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		_brisk_files "$cur"
	fi
}

complete -o filenames -F _brisk brisk
