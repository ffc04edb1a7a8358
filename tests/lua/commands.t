#!/bin/sh
# Discoverability and command-line details, headless (TAP): the help
# buffer (grouped, read-only, plugin and init.lua commands and key help
# included, nothing cut), "did you mean" for unknown commands, `set NAME`
# showing a value, ~ and $VAR in file names of save/save-as/open, counts in
# replace messages, and messages on stderr (info bare, errors "brisk: ").
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/headless.sh
hl() { timeout 20 "$B" --headless "$@" >"$T/out" 2>"$T/err"; }

# A user command and a key bound to a function with help, from init.lua.
cat >"$XDG_CONFIG_HOME/brisk/init.lua" <<'EOF'
brisk.register_command("my-greeting", function() brisk.message("hi") end, {help = "say hi from init.lua"})
brisk.bind("<C-k>g", function() end, {help = "the key help of init.lua"})
EOF

hl -c 'brisk.command("help"); local b = brisk.buffer(); io.write(b:name(), "\n", tostring(b:readonly()), "\n", b:text())'
check "help opens the *help* buffer" test "$(sed -n 1p "$T/out")" = "*help*"
check "the help buffer is read-only" test "$(sed -n 2p "$T/out")" = true
check "help starts with first steps" grep -q '^First steps$' "$T/out"
for g in Files Editing "Moving and selecting" "Multiple cursors" "Search and replace" \
	"Windows, panes and the screen" "Hex view" Logs News "Plugins and your commands"; do
	check "help has the section '$g'" grep -qx "$g" "$T/out"
done
check "a built-in command with its keys and description" grep -qE '^  <C-s> +save-prompt +save; ask for a name' "$T/out"
check "a command that takes arguments shows them" grep -q 'goto LINE\[:COL\]|+N|-N|N%' "$T/out"
check "plugin commands are listed (hex-export)" grep -q 'hex-export' "$T/out"
check "a user command from init.lua, with its help" grep -qE 'my-greeting +say hi from init.lua' "$T/out"
check "a key bound to a function, with its help" grep -q '<C-k>g.*the key help of init.lua' "$T/out"
check "no (Lua function) rows" sh -c "! grep -q 'Lua function' '$T/out'"
check "nothing cut: every line fits 80 columns" sh -c "! awk 'length(\$0) > 80' '$T/out' | grep -q ."
check "every command of the table is in the help" sh -c "
	$B --headless -c 'for _, c in ipairs(brisk.commands()) do print(c) end' >'$T/names' 2>/dev/null
	while read -r c; do grep -qE \"(^| )\$c( |\$)\" '$T/out' || { echo \"# missing: \$c\"; exit 1; }; done <'$T/names'"

# F1 twice: open, then back to the file.
printf 'x\n' >"$T/f.txt"
hl -c 'brisk.command("help"); brisk.command("help"); print(brisk.buffer():name())' "$T/f.txt"
check "help again closes it" test "$(cat "$T/out")" = f.txt

# Did you mean.
hl -c 'brisk.command("sav")'
check "an unknown command suggests close names" grep -q 'unknown command: sav (did you mean save, save-all, save-as?)' "$T/err"
hl -c 'brisk.command("quti")'
check "a transposition is caught" grep -q 'did you mean quit?' "$T/err"
hl -c 'brisk.command("xyzzy")'
check "no suggestion: a pointer to F1" grep -q 'unknown command: xyzzy (F1 lists the commands)' "$T/err"
check "unknown command: exit status 1" test "$(hl -c 'brisk.command("xyzzy")'; echo $?)" = 1

# set NAME shows the value; set shows all.
hl -c 'brisk.command("set tabwidth 4"); brisk.command("set tabwidth"); brisk.command("set")'
check "set NAME shows the value" test "$(sed -n 1p "$T/err")" = "tabwidth 4"
check "set alone shows every setting" test "$(sed -n 2p "$T/err")" = "tabwidth 4, expandtab 0, autoindent 1, finalnewline 1, clipboard auto"
hl -c 'brisk.command("set finalnewline 0"); brisk.command("set finalnewline"); brisk.command("set clipboard internal"); brisk.command("set clipboard")'
check "set finalnewline and set clipboard in the same table" test "$(head -2 "$T/err" | tr '\n' '|')" = "finalnewline 0|clipboard internal (no clipboard tool in use)|"
hl -c 'brisk.command("set tabwidth 99")'
check "a bad value is refused with the range" grep -q 'brisk: set tabwidth: the value must be 1 to 32, not 99' "$T/err"

# ~ and $VAR in file names.
printf 'data\n' >"$T/t.txt"
hl -c 'brisk.command("save-as ~/a.txt"); brisk.command("save $HOME/b.txt"); brisk.command("save-as ${HOME}/c.txt")' "$T/t.txt"
check "save-as ~/ writes under \$HOME" test -f "$HOME/a.txt"
check "save \$HOME/ writes there" test -f "$HOME/b.txt"
check "\${HOME} works too" test -f "$HOME/c.txt"
hl -c 'brisk.command("open ~/a.txt"); print(brisk.buffer():text())'
check "open ~/ reads under \$HOME" test "$(cat "$T/out")" = data
hl -c 'brisk.command("open $NO_SUCH_VAR_BRISK/x"); print(brisk.buffer():path())'
check "an unset variable is kept in the name" grep -q 'NO_SUCH_VAR_BRISK/x$' "$T/out"
hl -c 'print(brisk.expand_path("~/x"), brisk.expand_path("$HOME"))'
check "brisk.expand_path for plugins" test "$(cat "$T/out")" = "$HOME/x	$HOME"

# replace-all and structural edits report a count; info messages are bare.
printf 'a1 a2 b3\n' >"$T/r.txt"
hl -c 'brisk.command([[replace-all /a(\d)/<\1>/]]); brisk.command("x/b/ c/B/")' "$T/r.txt"
check "replace-all says how many it replaced" test "$(sed -n 1p "$T/err")" = "2 replaced"
check "structural c// says how many" test "$(sed -n 2p "$T/err")" = "1 replaced"
hl -c 'brisk.command([[replace-all /zzz/y/]])' "$T/r.txt"
check "replace-all with no match is an error" grep -q '^brisk: replace-all: no match' "$T/err"
echo "1..$n"
