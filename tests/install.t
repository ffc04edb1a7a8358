#!/bin/sh
# make install / make uninstall (TAP), staged with DESTDIR: every file in
# its place (binary, runtime, plugins, man page, docs, bash and zsh
# completions); the staged binary finds its runtime and plugins beside it;
# the man page renders without warnings; uninstall leaves no file behind.
# Run from the project root.
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HOME=$T/home XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
# A make of our own, not the one running `make check` (its flags and jobs).
unset MAKEFLAGS MFLAGS MAKELEVEL
[ -x ./brisk ] || { echo "1..0 # SKIP no ./brisk"; exit 0; }
. tests/lib/tap.sh
D=$T/stage
P=/usr/local
I=$D$P

check "make install DESTDIR=... PREFIX=$P" make -s install DESTDIR="$D" PREFIX=$P
files_there() {
	for f in bin/brisk share/brisk/runtime/prelude.lua share/brisk/plugins/news/init.lua \
		share/brisk/plugins/hexview/init.lua share/man/man1/brisk.1 share/doc/brisk/README.md \
		share/doc/brisk/api.md share/bash-completion/completions/brisk share/zsh/site-functions/_brisk; do
		[ -f "$I/$f" ] || { echo "missing $I/$f"; return 1; }
	done
	[ -x "$I/bin/brisk" ] || { echo "bin/brisk is not executable"; return 1; }
	cmp -s completions/brisk.bash "$I/share/bash-completion/completions/brisk" &&
		cmp -s completions/_brisk "$I/share/zsh/site-functions/_brisk" || { echo "completions differ"; return 1; }
}
check "binary, runtime, plugins, man page, docs, completions in place" files_there

staged_runs() {
	printf 'ABCD' >"$T/x.bin"
	out=$("$I/bin/brisk" --headless --hex -c "print(brisk.runtime_dir, brisk.plugin_dir)
		assert(brisk.command('hex-export $T/x.hex'))" "$T/x.bin") || return 1
	[ "$out" = "$I/bin/../share/brisk/runtime	$I/bin/../share/brisk/plugins" ] || { echo "dirs: $out"; return 1; }
	xxd "$T/x.bin" | cmp -s - "$T/x.hex" || { echo "hex-export (a plugin) did not run"; return 1; }
}
check "the staged binary runs with its own runtime and plugins" staged_runs

man_renders() {
	command -v man >/dev/null || { echo "# no man(1): skipped"; return 0; }
	warn=$(MANWIDTH=80 man --warnings -l "$I/share/man/man1/brisk.1" 2>&1 >"$T/man.txt")
	[ -z "$warn" ] || { echo "$warn"; return 1; }
	grep -q -- "--readonly" "$T/man.txt" && grep -q "XDG_STATE_HOME" "$T/man.txt"
}
check "the man page renders without warnings" man_renders

check "make uninstall with the same DESTDIR and PREFIX" make -s uninstall DESTDIR="$D" PREFIX=$P
nothing_left() {
	left=$(find "$D" -type f -o -type l)
	[ -z "$left" ] || { echo "left: $left"; return 1; }
	[ ! -e "$I/share/brisk" ] && [ ! -e "$I/share/doc/brisk" ] || { echo "brisk's directories are left"; return 1; }
}
check "uninstall leaves no file (and no brisk directory) behind" nothing_left

done_testing
