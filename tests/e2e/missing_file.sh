#!/bin/bash
# Files that are not there: a missing file opens as a new, empty buffer
# (said so) and saving creates it; one in a missing directory fails to save
# with a message and keeps the text; a directory given as a file is
# reported on screen, not on the hidden stderr.
. "$(dirname "$0")/lib.sh"
mkdir "$T/adir"
start 80 12 nope.txt
wait_for "new file" || fail "no 'new file' message"
wait_for "nope.txt" || fail "missing file not opened as a buffer"
text 'created'
keys C-s
wait_file "$T/nope.txt" created || fail "saving did not create the file"
keys C-q
wait_exit || fail "did not quit"

start 80 12 adir
wait_for "adir" || fail "the directory error is not on screen"
wait_for "directory" || fail "no reason given for the directory"
keys C-q
wait_exit || fail "did not quit after the directory error"

start 80 12 nodir/x.txt
wait_for "x.txt" || fail "file in a missing directory not opened"
text 'text'
keys C-s
wait_for "No such file or directory" || fail "no message for the failed save"
wait_for "[+]" || fail "not modified after the failed save"
keys C-q
wait_for "Save changes to x.txt? (y/n/Esc)" || fail "quit did not ask"
keys y
wait_not "(y/n/Esc)" || fail "y did not answer"
wait_for "No such file or directory" || fail "y: the failed save is not shown"
alive || fail "y quit although the save failed"
pass "missing file: new buffer, created on save; missing dir: message, kept"
