#!/bin/sh
# Layer check: greps #include lines and fails on an include that points up
# (HACKING.md "Layers"; the project's STYLE.md, "Module map"):
#   buffer/   libc, buffer/ headers, pcre2.h (search.c), utf8proc.h (utf8.c)
#   editor/   no Lua, libcurl, libxml2, SQLite, zlib, OpenSSL; no lua/ or
#             plugins/ headers, except in main.c (the wiring, which is not
#             part of libbrisk: it creates the Lua host and fills hooks.h);
#             curses only in editor/term.c
#   plugins/  no C at all (a plugin's C helper lives in lua/)
# Prints "file:line: reason: the line" per offender; exit 0 when clean.
cd "$(dirname "$0")/../.." || exit 2

status=0
offend() { # file line reason text
	printf '%s:%s: %s: %s\n' "$1" "$2" "$3" "$4"
	status=1
}

# C standard library and POSIX/Linux system headers buffer/ may use.
LIBC='assert|complex|ctype|errno|fenv|float|inttypes|iso646|limits|locale|math|setjmp|signal|stdalign|stdarg|stdatomic|stdbool|stddef|stdint|stdio|stdlib|stdnoreturn|string|tgmath|threads|time|uchar|wchar|wctype|alloca|dirent|endian|err|fcntl|fnmatch|glob|grp|iconv|langinfo|libgen|malloc|poll|pthread|pwd|regex|sched|spawn|strings|syslog|termios|unistd|utime|wordexp|sys/[a-z_]+|linux/[a-z_]+'

# Lists "file:line:name:kind" for every include (kind: < or ").
includes() { # files...
	[ $# -gt 0 ] || return 0
	grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$@" /dev/null |
		sed -E 's/^([^:]*):([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*([<"])([^>"]*)[>"].*/\1:\2:\4:\3/'
}

files_in() { # dir: C sources and headers, if any
	find "$1" -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort
}

# ----- buffer/ -----
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT INT TERM
includes $(files_in buffer) >"$tmp"
while IFS=: read -r file line name kind; do
	base=${file##*/}
	case "$kind:$name" in
	'":buffer/'*)
		[ -f "$name" ] || offend "$file" "$line" "no such buffer/ header" "$name" ;;
	'":'*)
		[ -f "buffer/$name" ] || offend "$file" "$line" "buffer/ may include only buffer/ headers" "$name" ;;
	'<:pcre2.h')
		[ "$base" = search.c ] || offend "$file" "$line" "pcre2.h only in buffer/search.c" "<$name>" ;;
	'<:utf8proc.h')
		[ "$base" = utf8.c ] || offend "$file" "$line" "utf8proc.h only in buffer/utf8.c" "<$name>" ;;
	*)
		echo "$name" | grep -qxE "($LIBC)\.h" ||
			offend "$file" "$line" "buffer/ may include only libc" "<$name>" ;;
	esac
done <"$tmp"

# ----- editor/ -----
includes $(files_in editor) >"$tmp"
while IFS=: read -r file line name kind; do
	case "$kind:$name" in
	'<:lua.h' | '<:lauxlib.h' | '<:lualib.h' | '<:lua.hpp' | '<:luaconf.h' | '<:lua5'*)
		offend "$file" "$line" "editor/ must not use Lua (lua/ owns it)" "<$name>" ;;
	'<:curl/'* | '<:libxml/'* | '<:sqlite3.h' | '<:zlib.h' | '<:openssl/'*)
		offend "$file" "$line" "editor/ must not use lua/'s libraries" "<$name>" ;;
	'":lua/'*)
		[ "$file" = editor/main.c ] ||
			offend "$file" "$line" "editor/ must not include an upper layer" "\"$name\"" ;;
	'":plugins/'*)
		offend "$file" "$line" "editor/ must not include an upper layer" "\"$name\"" ;;
	'<:curses.h' | '<:ncurses.h' | '<:ncursesw/'* | '<:ncurses/'* | '<:term.h' | '<:termcap.h' | \
	'<:panel.h' | '<:menu.h' | '<:form.h')
		[ "$file" = editor/term.c ] ||
			offend "$file" "$line" "curses only in editor/term.c" "<$name>" ;;
	esac
done <"$tmp"

# ----- plugins/ -----
if [ -d plugins ]; then
	find plugins -type f \( -name '*.c' -o -name '*.h' -o -name '*.cc' -o -name '*.cpp' \
		-o -name '*.o' -o -name '*.so' \) | sort | while read -r f; do
		printf '%s:1: plugins/ hold Lua only (C helpers live in lua/)\n' "$f"
	done >"$tmp"
	if [ -s "$tmp" ]; then
		cat "$tmp"
		status=1
	fi
fi

[ "$status" = 0 ] || echo "check-layers: upward includes found (see above)" >&2
exit "$status"
