#!/bin/sh
# The command dispatch path, headless (TAP): arguments checked against the
# command table before the handler (usage in the error), the command's
# name put before its errors once by the dispatcher, a key binding's
# resolution cached and dropped when commands or the buffer mode change,
# and b:apply() on a read-only buffer failing once (nil, message; no error
# posted, exit status 0).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/headless.sh
# A failure shows what brisk wrote.
notok() { n=$((n + 1)); echo "not ok $n - $*"; sed 's/^/# /' "$T/out" "$T/err"; }
hl() { timeout 20 "$B" --headless "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc() { test "$(cat "$T/rc")" = "$1"; }
printf 'abcdef\nline 2\n' >"$T/f.txt"

# Arguments are checked before the handler runs.
hl -c 'print(brisk.command("move-left 5 garbage"))' "$T/f.txt"
check "move-left 5 garbage fails" test "$(cat "$T/out")" = false
check "... with the usage, named once" grep -qx 'brisk: move-left: usage: move-left \[N\] (too many arguments: garbage)' "$T/err"
check "... exit status 1" rc 1
hl -c 'print(brisk.command("align please"))' "$T/f.txt"
check "align please fails with its usage" grep -qx 'brisk: align: usage: align (takes no arguments: please)' "$T/err"
hl -c 'brisk.command("move-right x")' "$T/f.txt"
check "a count that is not a number" grep -q 'move-right: usage: move-right \[N\] (not a count from 1 to 1000000: x)' "$T/err"
hl -c 'brisk.command("goto")' "$T/f.txt"
check "a required argument missing" grep -q '^brisk: goto: usage: goto LINE' "$T/err"
hl -c 'brisk.command("sidebar-resize wide")' "$T/f.txt"
check "an integer argument that is not one" grep -q 'sidebar-resize: usage: sidebar-resize N|+N|-N (not a number: wide)' "$T/err"

# A count repeats the command; a rest-of-line argument keeps its blanks.
hl -c 'brisk.command("move-right 4"); io.write(brisk.buffer():cursor(), "\n")
brisk.command("insert a  b"); io.write(brisk.buffer():text(0, 10), "\n")
brisk.command("undo 1"); brisk.command("move-down 1"); io.write(brisk.buffer():cursor(), "\n")' "$T/f.txt"
check "move-right 4 moves four characters" test "$(sed -n 1p "$T/out")" = 4
check "insert takes the rest of the line" test "$(sed -n 2p "$T/out")" = "abcda  bef"
check "undo 1, move-down 1" test "$(sed -n 3p "$T/out")" = 11
check "... and no error" rc 0

# Errors are named once, by the dispatcher.
hl -c 'brisk.command("find (")' "$T/f.txt"
check "a handler's error gets its command's name once" grep -qx 'brisk: find: regex error at 1: missing closing parenthesis' "$T/err"
hl -c 'brisk.register_command("my-fail", function() return false, "it broke" end); brisk.command("my-fail")'
check "a Lua command's failure is named once" grep -qx 'brisk: my-fail: it broke' "$T/err"
hl -c 'brisk.register_command("my-named", function() return false, "my-named: said it" end); brisk.command("my-named")'
check "a message that names its command is not named twice" grep -qx 'brisk: my-named: said it' "$T/err"
hl -c 'brisk.command("paste")'
check "an info message stays bare; an error is named" grep -qx 'brisk: paste: the clipboard is empty' "$T/err"

# A key's command is resolved on first use and the cache follows changes.
hl -c '
brisk.bind("<C-k>z", "my-late")
io.write(tostring(brisk.keys("<C-k>z")), "\n")
brisk.register_command("my-late", function() print("late ran") end)
io.write(tostring(brisk.keys("<C-k>z")), "\n")
brisk.bind("<C-k>z", "move-right")
brisk.keys("<C-k>z<C-k>z"); io.write(brisk.buffer():cursor(), "\n")
brisk.register_command("move-right", function() print("demo right") end, {mode = "demo"})
brisk.buffer():mode("demo"); brisk.keys("<C-k>z<Right>")
brisk.buffer():mode(""); brisk.keys("<C-k>z"); io.write(brisk.buffer():cursor(), "\n")' "$T/f.txt"
check "a key bound to a command not registered yet fails" test "$(sed -n 1p "$T/out")" = false
check "... and runs it once a plugin registers it" test "$(sed -n 2,3p "$T/out" | tr '\n' ' ')" = "late ran true "
check "a key bound again runs its new command" test "$(sed -n 4p "$T/out")" = 2
check "a mode command shadows the built-in for its mode (key and bound key)" test "$(sed -n 5,6p "$T/out" | tr '\n' ' ')" = "demo right demo right "
check "... and the built-in is back in another mode" test "$(sed -n 7p "$T/out")" = 3

# b:apply() on a read-only buffer: nil and a true message, reported once.
hl -c 'local b = brisk.scratch("notes", {readonly = true})
print(b:apply({{0, 0, "x"}})); print(b:insert(0, "y")); print(b:len())'
check "b:apply on a read-only buffer: nil and why" test "$(sed -n 1p "$T/out")" = "nil	apply: notes is read-only"
check "b:insert says the same" test "$(sed -n 2p "$T/out")" = "nil	edit: notes is read-only"
check "nothing changed" test "$(sed -n 3p "$T/out")" = 0
check "no error posted" test ! -s "$T/err"
check "exit status 0" rc 0
hl -c 'local b = brisk.buffer(); print(b:apply({{0, 0, "x"}})); print(b:text(0, 3))' "$T/f.txt"
check "a writable buffer still takes the edit" test "$(cat "$T/out" | tr '\n' ' ')" = "true xab "

echo "1..$n"
