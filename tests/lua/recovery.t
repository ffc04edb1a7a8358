#!/bin/bash
# Journals headless (TAP): a journal an earlier session left (the format of
# editor/journal.c, written here by hand) is reported in one line and never
# applied silently; `recover` applies it, saving removes it; a journal equal
# to the file goes silently; a damaged one is left alone; `recover-discard`.
# The background writing, kill -9 and SIGHUP are in tests/e2e/recovery.sh.
cd "$(dirname "$0")/../.." || exit 1
B=${BRISK:-./brisk}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
J=$T/state/brisk
mkdir -p "$J"
n=0
check() { desc=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi; }

# FNV-1a 64 of a string (bash arithmetic wraps modulo 2^64).
fnv() {
	local s=$1 h=-3750763034362895579 i c
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$(( (h ^ (c & 255)) * 1099511628211 ))
	done
	printf '%016x' "$h"
}
# journal FILE TEXT [TAIL]: writes FILE's journal holding TEXT.
journal() {
	local p; p=$(realpath "$1")
	local j=$J/$(basename "$p")-$(fnv "$p").journal
	printf 'brisk journal 1\npid 999999\ntime %s\ndisk 1 0 0 0\npath %s\n%s\ntext %s\n%s\n%s' \
		"$(date +%s)" "${#p}" "$p" "${#2}" "$2" "${3-end
}" >"$j"
	echo "$j"
}

printf 'one\ntwo\n' >"$T/a.txt"
JA=$(journal "$T/a.txt" "one
TWO changed
three
")
"$B" --headless -c '' "$T/a.txt" 2>"$T/err"; st=$?
check "a journal alone: exit status 0" [ $st = 0 ]
check "reported in one line" [ "$(wc -l <"$T/err")" = 1 ]
check "the message names the change, the instance and the commands" grep -q 'a.txt: unsaved changes of .*+14 bytes, +1 lines, from line 2 "TWO changed"; written by brisk 999999, which has ended; the file changed on disk since; `recover`' "$T/err"
check "not applied: file and journal untouched" [ "$(cat "$T/a.txt")" = "$(printf 'one\ntwo')" -a -f "$JA" ]
"$B" --headless -c 'brisk.command("recover") brisk.command("save")' "$T/a.txt" 2>"$T/err"
check "recover + save writes the journal's text" cmp -s "$T/a.txt" <(printf 'one\nTWO changed\nthree\n')
check "saving removes the journal" [ ! -e "$JA" ]
"$B" --headless -c 'brisk.command("recover")' "$T/a.txt" 2>"$T/err"; st=$?
check "recover without a journal fails" [ $st = 1 ] && grep -q "no journal" "$T/err"

JA=$(journal "$T/a.txt" "$(cat "$T/a.txt")
")
"$B" --headless -c '' "$T/a.txt" 2>"$T/err"
check "a journal equal to the file goes silently" [ ! -e "$JA" -a ! -s "$T/err" ]

JA=$(journal "$T/a.txt" "lost" "en")
"$B" --headless -c '' "$T/a.txt" 2>"$T/err"
check "a damaged journal is reported and left alone" grep -q "damaged" "$T/err" && [ -f "$JA" ]
"$B" --headless -c 'brisk.command("recover-discard")' "$T/a.txt" 2>"$T/err"
check "recover-discard deletes it" [ ! -e "$JA" ]
check "the file never changed meanwhile" cmp -s "$T/a.txt" <(printf 'one\nTWO changed\nthree\n')

# recover JOURNAL: an unnamed buffer's journal into the current buffer.
printf 'brisk journal 1\npid 1\ntime 0\ndisk 0 0 0 0\npath 0\n\ntext 6\nhello\n\nend\n' >"$J/unnamed-1-2.journal"
"$B" --headless -c "brisk.command('recover $J/unnamed-1-2.journal') brisk.command('save-as $T/u.txt')" 2>"$T/err"
check "recover JOURNAL puts an unnamed buffer's text in the current one" cmp -s "$T/u.txt" <(printf 'hello\n')
"$B" --headless -c "brisk.command('recover ~/state/brisk/unnamed-1-2.journal') brisk.command('save-as \$HOME/u2.txt')" 2>"$T/err"
check "recover JOURNAL expands ~ (and save-as \$HOME) as every file name" cmp -s "$T/u2.txt" <(printf 'hello\n')
"$B" --headless -c "brisk.command('recover $T/a.txt')" 2>"$T/err"; st=$?
check "recover of a file that is not a journal fails" [ $st = 1 ] && grep -q "not a journal" "$T/err"
echo "1..$n"
