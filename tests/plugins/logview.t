#!/bin/sh
# Log viewer tests (TAP), run from the project root: recognition of every
# dtrace and kernel sample (tests/data), crash headlines, dtrace and
# bpftrace formats, colours and the summary on tests/data/logview, the
# corpus smoke subset, filters against grep on
# every sample, navigation, folds, bookmarks, summaries, following a child
# and a growing / truncated / rotated file. The Lua scripts print
# "ok - ..." lines; this numbers them.
cd "$(dirname "$0")/../.." || exit 1
B=${BRISK:-./brisk}
SM=${LOGVIEW_SAMPLES:-tests/data}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
export LOGVIEW_SAMPLES=$SM LOGVIEW_TMP=$T LC_ALL=C.UTF-8
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

if [ ! -x "$B" ]; then echo "1..0 # SKIP no $B"; exit 0; fi
if [ ! -d "$SM/dtrace" ] || [ ! -d "$SM/kernel" ]; then
	echo "1..1"
	echo "not ok 1 - samples missing: $SM/dtrace and $SM/kernel are read from there"
	exit 1
fi

# Lua scripts: number their "ok - " lines; a crash or a missing end fails.
lua_test() {
	name=$1
	shift
	timeout 120 "$B" --headless -l "tests/plugins/logview/$name.lua" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "$name: ${line#ok - }" ;;
		"not ok - "*) notok "$name: ${line#not ok - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$T/out"
	if [ $rc != 0 ] && ! grep -q "^not ok" "$T/out"; then
		notok "$name: exit status $rc"
		sed 's/^/#   /' "$T/err" | head -20
	fi
}

lua_test test_classify
lua_test test_nav
lua_test test_summary
lua_test test_follow
lua_test test_formats

# Headlines and formats on real logs copied into tests/data/logview (a
# smoke subset of the corpus `make corpus` measures): every one right.
if out=$("$B" --headless -l tests/corpus/logs.lua tests/data/logview/kernel tests/data/logview/dtrace --strict --misses 20 2>"$T/err"); then
	ok "corpus smoke: $(echo "$out" | tail -1)"
else
	notok "corpus smoke: $(echo "$out" | tail -1)"
	echo "$out" | sed 's/^/#   /'
	sed 's/^/#   /' "$T/err" | head -5
fi

# Filters against grep on every sample: one brisk run per file, cases as
# a user types them; each answer compared byte for byte with grep -E.
US=$(printf '\037')
cat >"$T/cases" <<CASES
in1	log-filter-in [0-9]+
out1	log-filter-out ^ *[0-9]
in2	log-filter-in ^\[
out2	log-filter-out ^$
in3	log-filter-in (BUG|WARNING|dtrace):
in4	log-filter-in e\$
out3	log-filter-out [[:space:]]\$
in5	log-filter-in [A-Z]{3,}
or	log-filter-in entry${US}log-filter-in return
inout	log-filter-in [0-9]${US}log-filter-out ^ *[0-9]
pop	log-filter-in xyz${US}log-filter-out ^\$${US}log-filter-pop
none	log-filter-in [0-9]${US}log-filter-clear
CASES
grep_case() { # id file -> grep's answer on stdout
	case $1 in
	in1) grep -E '[0-9]+' "$2" ;;
	out1) grep -vE '^ *[0-9]' "$2" ;;
	in2) grep -E '^\[' "$2" ;;
	out2) grep -vE '^$' "$2" ;;
	in3) grep -E '(BUG|WARNING|dtrace):' "$2" ;;
	in4) grep -E 'e$' "$2" ;;
	out3) grep -vE '[[:space:]]$' "$2" ;;
	in5) grep -E '[A-Z]{3,}' "$2" ;;
	or) grep -E 'entry|return' "$2" ;;
	inout) grep -E '[0-9]' "$2" | grep -vE '^ *[0-9]' ;;
	pop) grep -E 'xyz' "$2" ;;
	none) cat "$2"; [ -n "$(tail -c1 "$2")" ] && echo ;;
	esac
}
files=0
bad=
for f in "$SM"/dtrace/* "$SM"/kernel/*; do
	files=$((files + 1))
	rm -rf "$T/f" && mkdir "$T/f"
	timeout 30 "$B" --headless -l tests/plugins/logview/filters.lua "$f" "$T/cases" "$T/f" >"$T/stats" 2>"$T/err" || bad="$bad $(basename "$f"):exit"
	while IFS='	' read -r id rest; do
		grep_case "$id" "$f" >"$T/g"
		if ! cmp -s "$T/g" "$T/f/$id.out"; then
			bad="$bad $(basename "$f"):$id"
			continue
		fi
		want=$(wc -l <"$T/g")
		got=$(awk -v id="$id" '$1 == id { print $2 }' "$T/stats")
		[ "$got" = "$want" ] || bad="$bad $(basename "$f"):$id:count($got/$want)"
	done <"$T/cases"
done
if [ -z "$bad" ] && [ $files = 38 ]; then
	ok "filters equal grep -E / grep -vE on all $files samples, 12 cases each (counts too)"
else
	notok "filters equal grep on every sample ($files files):$bad"
fi

# The acceptance shape: --log FILE -c ... from the command line.
f=$SM/kernel/syzkaller-linux-report-4.txt
"$B" --headless --log "$f" -c "brisk.command('log-filter-in Call Trace|RIP'); brisk.command('write-visible $T/cli'); brisk.quit()" 2>"$T/err"
grep -E 'Call Trace|RIP' "$f" | cmp -s - "$T/cli" && ok "--log FILE -c: filter with a space in the regex" || notok "--log FILE -c: filter with a space in the regex"
"$B" --headless --log "$f" -c "brisk.command('log-filter-in ('); brisk.quit()" 2>"$T/err"
grep -q "regex error" "$T/err" && ok "a bad regex is a one-line error" || notok "a bad regex is a one-line error: $(cat "$T/err")"

# log-run through --log -- CMD: the child's output lands in a log buffer.
out=$("$B" --headless -c "brisk.command([[log-run sh -c 'seq 1 20000; echo done']]); local b = brisk.buffer(); print(b:mode(), b:readonly(), b:lines(), b:line(20001))" 2>"$T/err")
[ "$out" = "log	true	20002	done" ] && ok "log-run: 20001 lines of a child, read-only log buffer" || notok "log-run: got '$out' $(cat "$T/err")"

echo "1..$n"
[ $fails = 0 ]
