#!/bin/bash
# docs/demo.md, replayed step by step as written, as `make run` opens it
# (from the project root, here a copy of docs/). Each step first checks
# that the demo still says it, then types it and reads the screen back; the
# files it writes are checked too (the hex patch: stars and CRC).
. "$(dirname "$0")/lib.sh"
DEMO=$ROOT/docs/demo.md
cp -R "$ROOT/docs" "$T/docs"
says() { # TEXT: the demo tells the user this, word for word
	grep -qF -- "$1" "$DEMO" || fail "docs/demo.md no longer says: $1"
}
prompt() { # COMMAND: Ctrl-E COMMAND Enter, as the demo writes it
	says "Ctrl-E \`$1\`"
	keys C-e
	wait_line 40 ":" || fail "no command prompt for $1"
	text "$1"
	keys Enter
	wait_not ": $1" || fail "the prompt did not run: $1"
}
# The status bar (the demo's text is on screen too: it says "4 cursors").
status() { screen | tail -2 | head -1; }
wait_status() { # TEXT
	local i
	for i in $(seq 200); do status | grep -qF -- "$1" && return 0; sleep 0.05; done
	return 1
}
go_line() { # N: Ctrl-G N
	keys C-g
	wait_for "Go to" || fail "Ctrl-G did not ask"
	text "$1"
	keys Enter
}

# `make run` (the README's first command) opens the demo.
start_sh 160 40 "cd $(printf %q "$ROOT") && unset MAKEFLAGS MFLAGS MAKELEVEL && exec make -s run"
wait_for "Welcome to brisk" || fail "make run did not open docs/demo.md"
wait_for " demo.md " || fail "make run: no demo.md in the status bar"
keys C-q
wait_exit || fail "make run: Ctrl-Q did not quit"

start 160 40 docs/demo.md
wait_for "Welcome to brisk" || fail "the demo is not shown"

# 1. A multi-cursor refactor
says 'Ctrl-G `12` (go to line 12'
says "Home: the cursor is on \`count\`"
go_line 12
keys Home
wait_pos 12:5 || fail "Ctrl-G 12, Home: the cursor is at $(status_pos), not on count"
says "Ctrl-D three times more"
keys C-d C-d C-d C-d
wait_status "4 cursors" || fail "Ctrl-D x4 did not give 4 cursors"
says "Type \`total\`: all four change at once"
text 'total'
wait_for "    total = 0;" || fail "line 12 not renamed"
wait_for "        total += weight(total, i);" || fail "line 14 not renamed"
wait_for 'printf("%d items\n", total);' || fail "line 15 not renamed"
keys Escape
wait_status "15:31" && ! status | grep -q cursors || fail "Esc did not leave one cursor"
says "Ctrl-Z puts the four back in one step, Ctrl-Y renames them again"
keys C-z
wait_for "        count += weight(count, i);" || fail "Ctrl-Z did not put count back in one step"
keys C-y
wait_for "        total += weight(total, i);" || fail "Ctrl-Y did not rename again"
says 'Ctrl-G `13`, then
Alt-Shift-Down twice'
says 'Alt-Shift-Down twice (a cursor on each line), Home, and type `// `'
go_line 13
keys M-S-Down M-S-Down
wait_status "3 cursors" || fail "Alt-Shift-Down twice did not give 3 cursors"
keys Home
text '// '
wait_for "    // for (i = 0; i < len; i++)" || fail "line 13 not commented"
wait_for "        // total += weight(total, i);" || fail "line 14 not commented"
wait_for '    // printf("%d items\n", total);' || fail "line 15 not commented"
keys Escape
wait_status "15:8" && ! status | grep -q cursors || fail "Esc did not leave one cursor"
keys C-z
wait_for "    for (i = 0; i < len; i++)" || fail "Ctrl-Z did not take the comments back"

# 2. A hex patch
prompt "open docs/demo/candy.sav"
wait_for "candy.sav" || fail "candy.sav not opened"
says "then Ctrl-K h for the hex view"
keys C-k h
wait_for "000000:" || fail "Ctrl-K h: no hex view"
says 'Ctrl-G `0x2f0`: the first record, `0100 0000` (1 star)'
keys C-g
wait_for "Go to offset" || fail "Ctrl-G did not ask for an offset"
text '0x2f0'
keys Enter
wait_for "0002f0:   0100 0000" || fail "the first record is not shown"
prompt "stride 8 120"
wait_status "120 cursors" || fail "stride: not 120 cursors"
says 'Type `03`: every level has 3 stars'
text '03'
wait_for "0002f0:   0300 0000" || fail "typing 03 did not patch the first record"
prompt "hex-crc-fix 0x2f0..0x6b0 0x20 le"
prompt "save-as candy-3stars.sav"
OUT=$T/candy-3stars.sav
wait_file "$OUT" "" || fail "save-as did not write $OUT"
python3 - "$OUT" "$T/docs/demo/candy.sav" <<'PY' || fail "the patched file is wrong"
import struct, sys, zlib
got, orig = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
want = bytearray(orig)
for i in range(120):
    struct.pack_into("<I", want, 0x2f0 + 8 * i, 3)
struct.pack_into("<I", want, 0x20, zlib.crc32(bytes(want[0x2f0:0x6b0])))
assert got == bytes(want), "differs at %#x" % next(i for i in range(len(got)) if got[i] != want[i])
PY
cmp -s "$T/docs/demo/candy.sav" "$ROOT/docs/demo/candy.sav" || fail "the demo's candy.sav changed"
says "Alt-Left comes back to this file"
keys M-Left
wait_for "Welcome to brisk" || fail "Alt-Left did not come back to the demo"

# 3. A kernel oops
prompt "log-run cat docs/demo/kernel-oops.log"
wait_for "IP: 0x286" || fail "the log is not shown"
prompt "log-info"
says "BUG: unable to handle kernel NULL pointer dereference in process_one_work"
wait_for "BUG: unable to handle kernel NULL pointer dereference in process_one_work" || fail "log-info: no headline"
says '`e` jumps to the next error line'
keys C-Home
wait_pos 1:1 || fail "Ctrl-Home: $(status_pos)"
keys e
wait_not " 1:1 " || fail "e did not move"
at=$(status_pos)
says '`E` to the previous one'
keys E
wait_not " $at " || fail "E did not move from $at"
[ "$(status_pos | cut -d: -f1)" -lt "${at%%:*}" ] || fail "E went down: $at to $(status_pos)"
says '`i`, then `RIP|Workqueue|Call Trace`: only those lines are shown'
keys i
wait_for "filter in:" || fail "i did not ask"
text 'RIP|Workqueue|Call Trace'
keys Enter
n=$(grep -cE 'RIP|Workqueue|Call Trace' "$T/docs/demo/kernel-oops.log")
total=$(wc -l <"$T/docs/demo/kernel-oops.log")
wait_for "$n/$total lines" || fail "the status does not count $n/$total lines"
wait_not "PGD 1d8d6a067" || fail "a filtered-out line is shown"
says '`c` shows everything again'
keys c
wait_status " $total lines" && ! status | grep -q "$n/$total" || fail "c did not clear the filter"
says '`Z` folds the call trace, `U` unfolds it'
keys Z
wait_not "worker_thread+0x223" || fail "Z did not fold the call trace"
wait_for "Call Trace:" || fail "the fold's headline is not shown"
keys U
wait_for "worker_thread+0x223" || fail "U did not unfold"
says "Alt-Right comes back to this file"
keys M-Right
wait_for "Welcome to brisk" || fail "Alt-Left did not come back from the log"

# 4. The news sidebar
sidebar_shown() { screen | head -1 | grep -q "│"; }
wait_sidebar() { # shown|hidden
	local i
	for i in $(seq 200); do
		if sidebar_shown; then [ "$1" = shown ] && return 0; else [ "$1" = hidden ] && return 0; fi
		sleep 0.05
	done
	return 1
}
prompt "news"
wait_for "brisk news: welcome" || fail "the news sidebar does not show the demo feeds"
wait_sidebar shown || fail "no sidebar"
says "Down and Up move, Enter opens a feed, then Enter opens an item as
   text"
keys Down Up Enter
wait_for "brisk news: formats ·" || fail "Enter did not open the first feed"
keys Enter
wait_for "*news item*" || fail "Enter did not open the item"
wait_for "Feed:   brisk news: formats" || fail "the item's text is not shown"
says "Esc gives the focus back to the text"
keys Escape
wait_pos 1:1 || fail "the item's cursor is not at 1:1: $(status_pos)"
keys Down
wait_pos 2:1 || fail "after Esc, Down did not move in the text: the focus is not there"
says "F2 hides and shows the
   sidebar"
keys F2
wait_sidebar hidden || fail "F2 did not hide the sidebar"
keys F2
wait_sidebar shown || fail "F2 did not show the sidebar again"
says "Ctrl-Q quits (it asks about unsaved changes)"
keys C-q
wait_for "Save changes to demo.md? (y/n/Esc)" || fail "Ctrl-Q did not ask about the unsaved demo"
keys n
wait_exit || fail "did not quit"
cmp -s "$T/docs/demo.md" "$DEMO" || fail "the demo file was written"
pass "docs/demo.md: the refactor, the hex patch (stars and CRC checked), the kernel oops, the news sidebar"
