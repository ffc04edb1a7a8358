#!/bin/sh
# The command line without a terminal (TAP): usage errors (one line, exit
# 2), --version (each library's version as pkg-config knows it), positions
# (FILE:LINE:COL, +LINE:COL, +/PATTERN, +, `--`), -R, --clean (no init.lua,
# no user plugin, nothing written to the XDG directories, its private
# directory removed), and --help, brisk.1 and both completions naming the
# same options. Run from the project root.
cd "$(dirname "$0")/.." || exit 1
B=${BRISK:-./brisk}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME=$T/home XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state TMPDIR=$T/tmp
mkdir -p "$HOME" "$TMPDIR"
[ -x "$B" ] || { echo "1..0 # SKIP no $B"; exit 0; }
. tests/lib/tap.sh
hl() { timeout 20 "$B" --headless "$@"; }

# usage errors: status 2, the reason on the first line of stderr
usage_error() { # want-text args...
	want=$1
	shift
	"$B" "$@" >"$T/o" 2>"$T/e" </dev/null
	rc=$?
	[ $rc = 2 ] || { echo "status $rc"; return 1; }
	head -1 "$T/e" | grep -q "^brisk: " && head -1 "$T/e" | grep -qF -- "$want" || { echo "stderr: $(head -1 "$T/e")"; return 1; }
	[ ! -s "$T/o" ] || { echo "stdout: $(cat "$T/o")"; return 1; }
}
check "unknown option" usage_error "unknown option: --bogus" --bogus
check "+abc is no position" usage_error "+abc: use +LINE" +abc f
check "'-' twice" usage_error "can be read only once" - -
check "-c without --headless" usage_error "need --headless" -c 'print(1)'

versions() {
	"$B" --version >"$T/v" || return 1
	head -1 "$T/v" | grep -qE '^brisk [0-9]+\.[0-9]+' || { cat "$T/v"; return 1; }
	for lib in "PCRE2 libpcre2-8" "SQLite sqlite3" "libxml2 libxml-2.0" "libcurl libcurl" "Lua lua5.4" "zlib zlib"; do
		set -- $lib
		want=$(pkg-config --modversion "$2" 2>/dev/null) || { echo "no pkg-config for $2"; return 1; }
		grep -qE "^  $1 +$want([ ,]|\$)" "$T/v" || { echo "$1: want $want in:"; cat "$T/v"; return 1; }
	done
	grep -qE '^  utf8proc +[0-9]' "$T/v" && grep -qE '^  curses +ncurses' "$T/v" || { cat "$T/v"; return 1; }
}
check "--version: brisk and the versions of PCRE2, SQLite, libxml2, libcurl, Lua, zlib (= pkg-config), utf8proc, curses" versions

# positions: the cursor (byte offset) after opening
printf 'line one\nline two\nline three\n' >"$T/g.txt"
printf 'x\ny\nz\n' >"$T/odd:2" # three lines: +3 is a line of its own
cursor_is() { # want args...
	want=$1
	shift
	got=$(hl -c "print(brisk.buffer():name(), brisk.buffer():cursor())" "$@" 2>"$T/e") || { echo "status $? $(cat "$T/e")"; return 1; }
	[ "$got" = "$want" ] || { echo "got '$got', want '$want' $(cat "$T/e")"; return 1; }
}
check "FILE:LINE:COL" cursor_is "g.txt	11" "$T/g.txt:2:3"
check "FILE:LINE: (grep -n)" cursor_is "g.txt	18" "$T/g.txt:3:"
check "+LINE:COL FILE" cursor_is "g.txt	23" +3:6 "$T/g.txt"
check "+/PATTERN: the first match selected (the cursor at its end)" cursor_is "g.txt	17" "+/t[wz]o" "$T/g.txt"
check "FILE +: the last line" cursor_is "g.txt	18" "$T/g.txt" +
check "an existing file named odd:2 is opened as named" cursor_is "odd:2	0" "$T/odd:2"
check "after --, g.txt:2 is a (new) file of that name" cursor_is "g.txt:2	0" -- "$T/g.txt:2"
two_files() {
	got=$(hl -c "for _, b in ipairs(brisk.buffers()) do if b:path() then io.write(b:name(), '@', b:cursor(), ' ') end end print(brisk.buffer():name())" \
		"$T/g.txt:2" +3 "$T/odd:2" 2>"$T/e")
	[ "$got" = "g.txt@9 odd:2@4 g.txt" ] || { echo "got '$got' $(cat "$T/e")"; return 1; }
}
check "several files: each at its own position, the first focused" two_files

readonly_refuses() {
	hl --keys 'abc<C-s>' -R "$T/g.txt" 2>"$T/e" && { echo "exit 0"; return 1; }
	grep -q "read-only" "$T/e" || { cat "$T/e"; return 1; }
	[ "$(sed -n 1p "$T/g.txt")" = "line one" ] || { echo "changed: $(cat "$T/g.txt")"; return 1; }
	hl -R -c "assert(brisk.command('save-as $T/copy.txt'))" "$T/g.txt" 2>"$T/e" || { cat "$T/e"; return 1; }
	cmp -s "$T/g.txt" "$T/copy.txt" || { echo "save-as did not write the copy"; return 1; }
}
check "-R: edits and save refused (exit 1), file unchanged; save-as writes a copy" readonly_refuses

mkdir -p "$XDG_CONFIG_HOME/brisk/plugins/mine"
echo 'print("init.lua ran")' >"$XDG_CONFIG_HOME/brisk/init.lua"
echo 'print("user plugin ran")' >"$XDG_CONFIG_HOME/brisk/plugins/mine/init.lua"
clean_start() {
	out=$(hl -c 'print("chunk")' 2>&1)
	[ "$out" = "$(printf 'init.lua ran\nuser plugin ran\nchunk')" ] || { echo "normal start: $out"; return 1; }
	out=$(hl --clean -c 'print("chunk")' 2>&1)
	[ "$out" = chunk ] || { echo "--clean: $out"; return 1; }
}
check "--clean: no init.lua, no user plugin (a normal start runs both)" clean_start
clean_state() {
	rm -rf "$XDG_DATA_HOME" "$XDG_STATE_HOME"
	printf 'ABCDEFGH' >"$T/h.bin"
	hl --clean --hex -c "assert(brisk.command('news-refresh')); assert(brisk.command([[hex-layout {name='r', start=0, count=2, fields={{'v','u32le'}}}]])); assert(brisk.command('hex-layout-save'))
		print(brisk.data_dir:find('$TMPDIR', 1, true) == 1, brisk.state_dir:find('$TMPDIR', 1, true) == 1)" "$T/h.bin" >"$T/o" 2>"$T/e" ||
		{ cat "$T/e"; return 1; }
	[ "$(cat "$T/o")" = "true	true" ] || { echo "dirs: $(cat "$T/o")"; return 1; }
	[ -z "$(find "$XDG_DATA_HOME" "$XDG_STATE_HOME" -type f 2>/dev/null)" ] || { find "$XDG_DATA_HOME" "$XDG_STATE_HOME" -type f; return 1; }
	[ -z "$(ls -A "$TMPDIR")" ] || { echo "left in TMPDIR: $(ls -A "$TMPDIR")"; return 1; }
}
check "--clean: news and hex layouts keep nothing in XDG_DATA/STATE_HOME; the private dir is removed" clean_state

# Every option of --help is in the man page and in both completions.
options_documented() {
	# the option column of the Options: block
	opts=$("$B" --help | sed -n '/^Options:/,/^$/p' | grep '^  [-+]' | cut -c1-30 |
		grep -oE '(^|[ ,])--?[a-zA-Z][-a-zA-Z]*' | tr -d ' ,' | sort -u)
	[ -n "$opts" ] || return 1
	for o in $opts; do
		esc=$(echo "$o" | sed 's/-/\\\\-/g')
		grep -qE -- "(^|[^a-z-])$esc([^a-z-]|\$)" docs/brisk.1 || { echo "$o: not in docs/brisk.1"; bad=1; }
		grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" completions/brisk.bash || { echo "$o: not in completions/brisk.bash"; bad=1; }
		grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" completions/_brisk || { echo "$o: not in completions/_brisk"; bad=1; }
	done
	[ -z "${bad:-}" ]
}
check "every option of --help is in brisk.1 and in the bash and zsh completions" options_documented

done_testing
