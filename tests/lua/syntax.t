#!/bin/sh
# File types and syntax colours (TAP): runs tests/lua/syntax.lua under
# `brisk --headless -l` (brisk.regex, detection by name, shebang and
# modeline, settings from brisk.filetypes, EditorConfig and modelines,
# spans of sample lines of every language, lexing state across lines and
# its settling after edits, themes), then checks a user language file.
cd "$(dirname "$0")/../.." || exit 1
B=${BRISK:-./brisk}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
mkdir -p "$T/work"

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }

timeout 60 "$B" --headless -l tests/lua/syntax.lua "$T/work" >"$T/out" 2>"$T/err"
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) notok "${line#not ok - }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$T/out"
if grep -q "^# done syntax.lua: [0-9]* checks, 0 failed" "$T/out"; then
	ok "syntax.lua ran to its end"
else
	notok "syntax.lua ran to its end"
	sed 's/^/# /' "$T/err" | tail -20
fi

# A language from $XDG_CONFIG_HOME/brisk/syntax/NAME.lua, and init.lua
# settings for a file type.
mkdir -p "$T/cfg/brisk/syntax"
cat >"$T/cfg/brisk/syntax/conf.lua" <<'LUA'
return {extensions = {"conf"}, comment = "# ", tabwidth = 3,
  states = {main = {{[[#.*]], "comment"}}}}
LUA
cat >"$T/cfg/brisk/init.lua" <<'LUA'
brisk.filetypes.conf = {expandtab = true}
LUA
mkdir -p "$T/conf"
printf 'a = 1 # note\n' >"$T/conf/x.conf"
got=$(timeout 20 "$B" --headless -c 'local b = brisk.buffer(); local s = require("syntax").buffer_settings(b)
print(b:filetype(), s.tabwidth, s.expandtab, #b:syntax_spans(1))' "$T/conf/x.conf" 2>"$T/err")
if [ "$got" = "$(printf 'conf\t3\ttrue\t1')" ]; then
	ok "a user language file and init.lua settings"
else
	notok "a user language file and init.lua settings"
	echo "# got: $got"
	sed 's/^/# /' "$T/err" | tail -5
fi

# The focused buffer's settings reach the editor: Tab in a Python file
# indents with 4 spaces, in a C file with a tab.
printf 'x\n' >"$T/conf/a.py"
printf 'x\n' >"$T/conf/a.c"
py=$(timeout 20 "$B" --headless -c 'brisk.keys("<Tab>"); print(("%q"):format(brisk.buffer():line(1)))' "$T/conf/a.py" 2>&1)
c=$(timeout 20 "$B" --headless -c 'brisk.keys("<Tab>"); print(("%q"):format(brisk.buffer():line(1)))' "$T/conf/a.c" 2>&1)
if [ "$py" = '"    x"' ] && [ "$c" = '"\9x"' ]; then
	ok "per-type tab settings applied (python: 4 spaces, c: a tab)"
else
	notok "per-type tab settings applied (python: 4 spaces, c: a tab)"
	echo "# python: $py c: $c"
fi

# A log buffer keeps the log viewer's colours (the file type does not take over).
printf 'x.c: [  1.0] BUG: oops\n' >"$T/work/k.c"
got=$(timeout 20 "$B" --headless --log -c 'local b = brisk.buffer(); print(b:mode())' "$T/work/k.c" 2>/dev/null)
if [ "$got" = "log" ]; then ok "--log on a .c file stays a log"; else notok "--log on a .c file stays a log ($got)"; fi

echo "1..$n"
