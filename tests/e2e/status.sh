#!/bin/bash
# The status bar and the message line: name, [+], [read-only] (a file
# save refuses) or [RO] (a view that takes no edits), file type, CRLF
# (LF/UTF-8 are not shown), the selection's size, the cursor count and
# primary, the position; at narrow widths the least important items go
# first, down to the name alone (10x3 reads " sel.txt", never a name cut
# by the position). A long message wraps over several rows instead of
# being cut. F1 opens the help buffer, read-only and searchable.
. "$(dirname "$0")/lib.sh"
printf 'int main(void)\r\n{\r\n\treturn 0;\r\n}\r\n' >"$T/sel.c"
printf 'plain\n' >"$T/ro.txt"
chmod 444 "$T/ro.txt"
mkdir -p "$XDG_CONFIG_HOME/brisk"
cat >"$XDG_CONFIG_HOME/brisk/init.lua" <<'EOF'
brisk.register_command("long-message", function()
	local t = {}
	for i = 1, 40 do t[#t + 1] = "word" .. i end
	brisk.message(table.concat(t, " "))
end)
-- A view that takes no edits: [RO] (it takes the place of [read-only]).
brisk.register_command("read-only", function() brisk.buffer():readonly(true) end)
EOF
status() { screen | tail -2 | head -1 | sed 's/ *$//'; }
status_is() { [ "$(status)" = "$1" ]; }
wait_status() { poll status_is "$1"; }
start 80 10 sel.c
wait_for "return 0;" || fail "file not shown"
wait_for " sel.c  c  CRLF" || fail "name, file type and CRLF: $(status)"
status | grep -qE '1:1$' || fail "position: $(status)"
status | grep -q 'UTF-8' && fail "UTF-8 shown although it is the default: $(status)"

# A selection's size, in characters and lines.
keys S-Down S-Down
wait_for "2 lines, 19 chars" || fail "selection size: $(status)"
keys Right
wait_not "chars" || fail "selection size after collapsing: $(status)"
# Cursors and the primary; [+] once modified.
keys M-S-Down
wait_for "2 cursors (2/2)" || fail "cursor count: $(status)"
text x
wait_for "sel.c [+]" || fail "modified flag: $(status)"

# Narrower: items drop by importance; the name stays whole.
tm resize-window -t w -x 40
wait_status " sel.c [+]  CRLF   2 cursors (2/2)  4:2" || fail "40 columns: the file type goes first: '$(status)'"
tm resize-window -t w -x 34
wait_status " sel.c [+]   2 cursors (2/2)  4:2" || fail "34 columns: then the line ending: '$(status)'"
tm resize-window -t w -x 20
wait_status " sel.c [+]      4:2" || fail "20 columns: then the cursor count: '$(status)'"
tm resize-window -t w -x 10 -y 3
wait_status " sel.c [+]" || fail "10x3: '$(status)'"
tm resize-window -t w -x 5
wait_status " sel." || fail "5 columns: the name, cut at its end: '$(status)'"
tm resize-window -t w -x 60 -y 20
wait_for "sel.c [+]  c  CRLF" || fail "back to 60 columns: $(status)"

# A long message wraps over rows instead of being cut.
keys C-e
text 'long-message'
keys Enter
wait_for "word40" || fail "the end of a long message is cut: $(screen | tail -4)"
wait_for "word1 word2" || fail "the start of a long message"
keys Escape
wait_not "word1 word2" || fail "Esc did not clear the message"

# Read-only buffers say so.
keys C-o
text 'ro.txt'
keys Enter
wait_for " ro.txt" || fail "ro.txt not opened: $(status)"
# A file without write bits: [read-only], even for root (vim's rule).
wait_for " ro.txt [read-only]" || fail "read-only file flag: $(status)"
keys C-e
text 'read-only'
keys Enter
wait_for " ro.txt [RO]" || fail "read-only view flag: $(status)"

# F1: the help buffer, read-only, searchable; F1 again goes back.
keys F1
wait_for "First steps" || fail "F1 did not open the help"
wait_for "*help* [RO]" || fail "help buffer not read-only: $(status)"
keys C-f
text 'replace-all'
keys Enter
wait_for "11 chars  " || fail "Find in the help: $(status)"
wait_for "replace-all /RE/TEXT/" || fail "the match is not shown"
text 'q'
wait_for "read-only" || fail "typing in the help is not refused"
keys F1
wait_for "plain" || fail "F1 did not close the help"
pass "status bar items, selection size, narrow widths down to the name, long messages wrap, read-only, F1 help buffer"
