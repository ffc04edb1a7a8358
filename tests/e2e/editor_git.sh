#!/bin/bash
# EDITOR=brisk git commit: git waits for brisk, which opens .git/COMMIT_EDITMSG;
# the message typed and saved becomes the commit's, and brisk exits 0. A quit
# without saving leaves git the empty template: git aborts the commit itself
# (brisk still exits 0: quitting is not a failure).
. "$(dirname "$0")/lib.sh"
command -v git >/dev/null || skip "git is not installed (scripts/deps.sh --test)"
R=$T/repo
git init -q "$R" && git -C "$R" config user.name "brisk test" && git -C "$R" config user.email test@example.org || fail "git init"
echo one >"$R/a.txt" && git -C "$R" add a.txt || fail "git add"

start_sh 80 16 'cd repo && EDITOR="$B" git commit; echo $? >../git.rc'
wait_for "COMMIT_EDITMSG" || fail "brisk did not open COMMIT_EDITMSG"
wait_for "Please enter the commit message" || fail "git's template is not shown"
wait_pos 1:1 || fail "the cursor is not on the first line: $(status_pos)"
text 'Add a.txt, written in brisk'
keys C-s
wait_for "wrote" || fail "Ctrl-S did not save the message"
keys C-q
wait_exit || fail "brisk did not quit"
wait_file "$T/git.rc" 0 || fail "git commit failed: status $(cat "$T/git.rc" 2>/dev/null)"
[ "$(git -C "$R" log -1 --format=%s)" = "Add a.txt, written in brisk" ] || fail "commit message: $(git -C "$R" log -1 --format=%s)"

# Quit without saving: brisk exits 0, git aborts on the empty message.
echo two >>"$R/a.txt" && git -C "$R" add a.txt
cat >"$T/ed.sh" <<ED
#!/bin/sh
"$B" "\$@"
echo \$? >"$T/brisk.rc"
ED
chmod +x "$T/ed.sh"
rm -f "$T/git.rc"
start_sh 80 16 'cd repo && EDITOR="$T/ed.sh" git commit >../git.out 2>&1; echo $? >../git.rc'
wait_for "COMMIT_EDITMSG" || fail "second commit: brisk did not open COMMIT_EDITMSG"
keys C-q
wait_exit || fail "brisk did not quit without changes"
wait_file "$T/brisk.rc" 0 || fail "brisk's exit status after a plain quit: $(cat "$T/brisk.rc" 2>/dev/null)"
wait_file "$T/git.rc" 1 || fail "git did not abort: status $(cat "$T/git.rc" 2>/dev/null)"
grep -q "empty commit message" "$T/git.out" || fail "git said: $(cat "$T/git.out")"
[ "$(git -C "$R" rev-list --count HEAD)" = 1 ] || fail "a second commit was made"
pass "git commit: message typed in brisk committed, exit 0; quit without saving: git aborts, brisk exit 0"
