#!/bin/bash
# Saving that loses nothing, headless (TAP), run as this user and, when
# root, again as nobody: save-as over an existing file asks (headless: no,
# exit 1); special files are refused and stay; hard links, owner, group
# and set-id bits survive; a 0444 file needs save-force, which keeps the
# mode; a read-only directory is written in place; symlinks (relative,
# dangling) are followed; the final newline rule; --keys stops at the
# first failing key and saves nothing. Interrupted in-place saves (strace
# kills brisk at its first / second write) are rolled back by the next
# open, and a full file system (a small tmpfs; root only) leaves the old
# file for both strategies. The UI side is tests/e2e/journals.sh.
cd "$(dirname "$0")/../.." || exit 1
B=$(pwd)/brisk
T=$(mktemp -d)
chmod 755 "$T"
MNT=""
cleanup() {
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
n=0
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; sed 's/^/#   /' "$T/err" 2>/dev/null | head -5; fi
}
skip() { n=$((n + 1)); echo "ok $n # skip $1"; }
[ -x "$B" ] || { echo "1..0 # SKIP no ./brisk"; exit 0; }

# As nobody, brisk must be reachable: a copy of what it runs from.
NB=$B
if [ "$(id -u)" = 0 ] && ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$B"; then
	mkdir -p "$T/tree/lua"
	cp -R brisk plugins "$T/tree/" && cp -R lua/runtime "$T/tree/lua/" && chmod -R a+rX "$T/tree"
	NB=$T/tree/brisk
fi

# run ARGS...: brisk --headless as the user under test ($AS), with its own
# HOME and state; stdout in $T/out, stderr in $T/err.
run() {
	if [ "$AS" = nobody ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$H" XDG_STATE_HOME="$H/state" \
			XDG_CONFIG_HOME="$H/cfg" timeout 20 "$NB" --headless "$@" >"$T/out" 2>"$T/err"
	else
		env HOME="$H" XDG_STATE_HOME="$H/state" XDG_CONFIG_HOME="$H/cfg" \
			timeout 20 "$B" --headless "$@" >"$T/out" 2>"$T/err"
	fi
}
# mine FILE...: the files belong to the user under test.
mine() { [ "$AS" = nobody ] && chown 65534:65534 "$@"; return 0; }
is() { [ "$(cat "$1")" = "$2" ]; }
bytes() { [ "$(xxd -p "$1" | tr -d '\n')" = "$2" ]; }
rollbacks() { ls "$H/state/brisk" 2>/dev/null | grep -c rollback; }

suite() {
	D=$T/$AS
	H=$D/home
	mkdir -p "$H" "$D/w"
	mine "$H" "$D/w"
	W=$D/w

	# Overwriting another file asks; headless answers no.
	printf 'precious\n' >"$W/p.txt"
	printf 'draft\n' >"$W/a.txt"
	mine "$W/p.txt" "$W/a.txt"
	run -c "brisk.command('save-as $W/p.txt')" "$W/a.txt"
	check "$AS: save-as over an existing file: exit 1" [ $? = 1 ]
	check "$AS: ... it asked (answered no)" grep -q "p.txt exists; overwrite it? (answered no" "$T/err"
	check "$AS: ... the file is untouched" is "$W/p.txt" precious
	run -c "assert(brisk.buffer():save('$W/p.txt', true))" "$W/a.txt"
	check "$AS: b:save(path, true) overwrites it" is "$W/p.txt" draft
	run -c "brisk.command('save-as $W/fresh.txt')" "$W/a.txt"
	check "$AS: save-as to a new name: no question" is "$W/fresh.txt" draft

	# Special files: refused, left as they are.
	mkfifo "$W/fifo"
	run -c "local ok, e = brisk.buffer():save('$W/fifo', true) if not ok then error(e) end" "$W/a.txt"
	check "$AS: a forced save to a FIFO fails" [ $? = 1 ]
	check "$AS: ... it says why" grep -q "a FIFO, not a regular file: left as it is" "$T/err"
	check "$AS: ... still a FIFO" [ -p "$W/fifo" ]
	ln -s /dev/null "$W/null"
	run -c "brisk.command('save-as $W/null')" "$W/a.txt"
	check "$AS: save-as through a link to /dev/null: refused" grep -q "a character device, not a regular file" "$T/err"
	check "$AS: ... /dev/null is still a device" [ -c /dev/null ]

	# Hard links: written in place, both names see it.
	printf 'old\n' >"$W/h1"
	ln -f "$W/h1" "$W/h2"
	mine "$W/h1"
	ino=$(stat -c %i "$W/h1")
	run --keys 'X<C-s>' "$W/h1"
	check "$AS: a hard-linked file: the other name sees the new text" is "$W/h2" Xold
	check "$AS: ... same inode" [ "$(stat -c %i "$W/h1")" = "$ino" ]
	check "$AS: ... no rollback journal left" [ "$(rollbacks)" = 0 ]

	# A file without write bits.
	printf 'ro\n' >"$W/ro.txt"
	mine "$W/ro.txt"
	chmod 444 "$W/ro.txt"
	run --keys 'Z<C-s>' "$W/ro.txt"
	check "$AS: plain save of a 0444 file: exit 1" [ $? = 1 ]
	check "$AS: ... the message says read-only and save-force" grep -q "read-only; save-force writes it" "$T/err"
	check "$AS: ... untouched" is "$W/ro.txt" ro
	run -c "brisk.keys('Z') assert(brisk.command('save-force'))" "$W/ro.txt"
	check "$AS: save-force writes it" is "$W/ro.txt" Zro
	check "$AS: ... and keeps mode 0444" [ "$(stat -c %a "$W/ro.txt")" = 444 ]

	# The hex view follows hexedit's rule, not vim's: a file is read-only
	# there only when the OS would refuse to open it for writing. Root
	# patches a 0444 file with a plain save; anyone else may not.
	printf '\001\002' >"$W/ro.bin"
	mine "$W/ro.bin"
	chmod 444 "$W/ro.bin"
	run --hex --keys '41<C-s>' "$W/ro.bin"
	rc=$?
	if [ "$AS" = root ]; then
		check "root: hex view, a 0444 file: a plain save writes it (exit $rc)" [ $rc = 0 ]
		check "root: ... the patched bytes" bytes "$W/ro.bin" 4102
		check "root: ... mode 0444 kept" [ "$(stat -c %a "$W/ro.bin")" = 444 ]
		run -c "brisk.keys('Z') print(brisk.command('save'))" "$W/ro.bin"
		check "root: the same file in the text view: save refused (vim's rule)" grep -q "^false$" "$T/out"
		run -c "brisk.buffer():mode('hex') print(brisk.command('save'))" "$W/ro.bin"
		check "root: ... switched to the hex view: saved" grep -q "^true$" "$T/out"
	else
		check "$AS: hex view, one's own 0444 file: plain save refused (exit 1)" [ $rc = 1 ]
		check "$AS: ... the message says read-only and save-force" grep -q "read-only; save-force writes it" "$T/err"
		check "$AS: ... untouched" bytes "$W/ro.bin" 0102
	fi

	# A writable file in a read-only directory: in place.
	mkdir "$W/rodir"
	printf 'in\n' >"$W/rodir/f"
	mine "$W/rodir" "$W/rodir/f"
	chmod 555 "$W/rodir"
	run --keys 'W<C-s>' "$W/rodir/f"
	check "$AS: read-only directory: saved in place" is "$W/rodir/f" Win
	check "$AS: ... nothing else in the directory" [ "$(ls -A "$W/rodir")" = f ]
	chmod 755 "$W/rodir"

	# Symlinks: relative through two links; dangling ones create the target.
	mkdir -p "$W/sub"
	printf 'r\n' >"$W/sub/real"
	ln -s sub/real "$W/l1"
	ln -s l1 "$W/l2"
	ln -s sub/new "$W/dangling"
	mine "$W/sub" "$W/sub/real"
	run --keys 'C<C-s>' "$W/l2"
	check "$AS: through two relative links: the target written" is "$W/sub/real" Cr
	check "$AS: ... the links are still links" [ -L "$W/l1" ] && [ -L "$W/l2" ]
	run --keys 'new<C-s>' "$W/dangling"
	check "$AS: a dangling link: its target is created" bytes "$W/sub/new" 6e65770a
	check "$AS: ... the link is still a link" [ -L "$W/dangling" ]

	# Final newline.
	run --keys 'abc<C-s>' "$W/n1.txt"
	check "$AS: a new file ends with a newline" bytes "$W/n1.txt" 6162630a
	printf 'no eol' >"$W/n2.txt"
	mine "$W/n2.txt"
	run --keys 'X<C-s>' "$W/n2.txt"
	check "$AS: a file without a final newline keeps it that way" bytes "$W/n2.txt" "$(printf 'Xno eol' | xxd -p)"
	printf 'eol\n' >"$W/n3.txt"
	mine "$W/n3.txt"
	run --keys '<C-End><BS>X<C-s>' "$W/n3.txt"
	check "$AS: a file that had one gets it back" bytes "$W/n3.txt" "$(printf 'eolX\n' | xxd -p)"
	printf 'a\r\nb\r\n' >"$W/n4.txt"
	mine "$W/n4.txt"
	run --keys '<C-End><BS>X<C-s>' "$W/n4.txt"
	check "$AS: CRLF: a CRLF comes back" bytes "$W/n4.txt" "$(printf 'a\r\nbX\r\n' | xxd -p)"
	run -c "brisk.command('set finalnewline 0') brisk.keys('abc') brisk.command('save')" "$W/n5.txt"
	check "$AS: set finalnewline 0: none added" bytes "$W/n5.txt" 616263
	run -c "brisk.buffer():final_newline(false) brisk.keys('abc') brisk.command('save')" "$W/n6.txt"
	check "$AS: b:final_newline(false): none added" bytes "$W/n6.txt" 616263
	printf 'root = true\n[*.txt]\ninsert_final_newline = false\n' >"$W/sub/.editorconfig"
	run --keys 'abc<C-s>' "$W/sub/ec.txt"
	check "$AS: EditorConfig insert_final_newline = false: none added" bytes "$W/sub/ec.txt" 616263
	printf '\x01\x02' >"$W/h.bin"
	mine "$W/h.bin"
	run --hex --keys '41<C-s>' "$W/h.bin"
	check "$AS: hex: saved exactly as edited" bytes "$W/h.bin" 4102
	printf 'a\0b' >"$W/nul.bin"
	mine "$W/nul.bin"
	run --keys 'X<C-s>' "$W/nul.bin"
	check "$AS: binary (NUL bytes): saved exactly as edited" bytes "$W/nul.bin" 58610062

	# --keys stops at the first key whose command fails.
	printf 'keep\n' >"$W/k.txt"
	mine "$W/k.txt"
	run --keys 'Q<C-g>R<C-s>' "$W/k.txt"
	check "$AS: --keys with a failing key: exit 1" [ $? = 1 ]
	check "$AS: ... nothing after it ran, nothing saved" is "$W/k.txt" keep
	check "$AS: ... the message names the key and its position" grep -q -- "--keys: key 2 of 4 (<C-g>) failed" "$T/err"
	run -c "local ok, e = brisk.keys('Q<C-g>R') print(ok, e, brisk.buffer():text())" "$W/k.txt"
	check "$AS: brisk.keys returns false, why, and stops there" grep -q "^false	key 2 (<C-g>) failed.*	Qkeep$" "$T/out"
	run -c "print(brisk.command('goto-prompt'))" "$W/k.txt"
	check "$AS: brisk.command returns false" grep -q "^false$" "$T/out"
}

AS=$(id -un)
suite
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	AS=nobody
	suite
	# Root's own guarantees: owner, group and set-id bits survive its save.
	AS=root
	H=$T/root/home
	mkdir -p "$H"
	printf 'x\n' >"$T/root/suid"
	chown 1234:1234 "$T/root/suid"
	chmod 6755 "$T/root/suid"
	run --keys 'Y<C-s>' "$T/root/suid"
	check "root: a set-id file of another owner is saved" is "$T/root/suid" Yx
	check "root: ... owner, group, mode 6755 kept" [ "$(stat -c '%a %u %g' "$T/root/suid")" = "6755 1234 1234" ]
	mknod "$T/root/dev" c 1 3
	run -c "brisk.command('save-as $T/root/dev')" "$T/root/suid"
	check "root: save-as a device node: refused, still a device" [ -c "$T/root/dev" ]
	printf 'mine\n' >"$T/root/theirs"
	AS=nobody
	H=$T/nobody/home
	run --keys 'N<C-s>' "$T/root/theirs"
	check "nobody: root's 0644 file: save refused as read-only" grep -q "read-only" "$T/err"
	check "nobody: ... untouched" is "$T/root/theirs" mine
	run --hex --keys '41<C-s>' "$T/root/theirs"
	check "nobody: root's 0644 file in the hex view: refused as read-only too" grep -q "read-only" "$T/err"
	check "nobody: ... untouched" is "$T/root/theirs" mine
else
	skip "not root: nobody, owners and device nodes are not tried"
fi

# ----- interrupted in-place saves (strace kills brisk at a write) ----------
H=$T/crash/home
AS=$(id -un)
mkdir -p "$H" "$T/crash"
crash() { # WHEN: kill at the WHEN-th write to the file (3 MB: several writes)
	printf 'precious old text\n' >"$T/crash/c1"
	ln -f "$T/crash/c1" "$T/crash/c2"
	(env HOME="$H" XDG_STATE_HOME="$H/state" strace -o /dev/null -f -P "$T/crash/c1" -e trace=pwrite64 \
		-e inject=pwrite64:signal=KILL:when="$1" "$B" --headless \
		-c "brisk.buffer():insert(0, ('NEW '):rep(750000)) brisk.command('save')" "$T/crash/c1"
		true) 2>/dev/null # (a subshell of its own, so its "Killed" goes nowhere)
}
if command -v strace >/dev/null && strace -o /dev/null -e inject=getpid:error=ENOSYS true 2>/dev/null; then
	for when in 1 2; do
		crash $when
		check "crash at write $when: brisk was killed, its rollback journal is left" [ "$(rollbacks)" = 1 ]
		[ $when = 2 ] && check "crash at write 2: the file is half written" [ "$(stat -c %s "$T/crash/c1")" != 18 ]
		run -c "" "$T/crash/c1"
		check "crash at write $when: opening rolls it back, exactly" is "$T/crash/c2" "precious old text"
		check "crash at write $when: ... and says so" grep -q "a save of it was interrupted; the file is back" "$T/err"
		check "crash at write $when: ... the journal is gone" [ "$(rollbacks)" = 0 ]
	done
else
	skip "strace cannot inject faults here: interrupted saves not tried"
	skip "strace: interrupted saves"
fi

# ----- a full file system: both strategies leave the old file -------------
MNT=$T/small
mkdir -p "$MNT"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=256k tmpfs "$MNT" 2>/dev/null; then
	H=$T/full/home
	mkdir -p "$H"
	head -c 100000 /dev/zero | tr '\0' 'o' >"$MNT/plain"
	cp "$MNT/plain" "$MNT/linked"
	ln "$MNT/linked" "$MNT/link2"
	head -c 40000 /dev/zero >"$MNT/filler"
	grow="brisk.buffer():insert(0, ('G'):rep(150000)) brisk.command('save')"
	run -c "$grow" "$MNT/plain"
	check "full disk, rename: the save fails" grep -q "No space left on device" "$T/err"
	check "full disk, rename: the old file is intact" cmp -s "$MNT/plain" "$MNT/linked"
	check "full disk, rename: no temp file left" [ -z "$(ls -A "$MNT" | grep brisk)" ]
	run -c "$grow" "$MNT/linked"
	check "full disk, in place: the save fails" grep -q "No space left on device" "$T/err"
	check "full disk, in place: the old file is intact (undone)" cmp -s "$MNT/plain" "$MNT/link2"
	check "full disk, in place: no rollback journal left" [ "$(rollbacks)" = 0 ]
	# Room for the growth but not for a second copy: rename cannot, in place can.
	rm "$MNT/filler" "$MNT/linked" "$MNT/link2"
	head -c 100000 /dev/zero >"$MNT/filler"
	run -c "brisk.buffer():insert(0, 'small growth ') brisk.command('save')" "$MNT/plain"
	check "full disk: a temp file does not fit, in place does: saved" grep -q "^small growth ooo" "$MNT/plain"
	# As nobody (permissions enforced): a hard-linked file of nobody's own.
	if command -v setpriv >/dev/null; then
		AS=nobody
		H=$T/full/nhome
		mkdir -p "$H" && chown 65534:65534 "$H" && chmod 777 "$MNT"
		head -c 20000 /dev/zero | tr '\0' 'n' >"$MNT/n1"
		ln "$MNT/n1" "$MNT/n2"
		cp "$MNT/n1" "$T/full/n.orig"
		chown 65534:65534 "$MNT/n1"
		run -c "brisk.buffer():insert(0, ('G'):rep(60000)) brisk.command('save')" "$MNT/n1"
		check "full disk, nobody, in place: the save fails" grep -q "No space left on device" "$T/err"
		check "full disk, nobody, in place: the old file is intact" cmp -s "$MNT/n2" "$T/full/n.orig"
		run -c "brisk.buffer():insert(0, 'fits ') brisk.command('save')" "$MNT/n1"
		check "full disk, nobody: a growth that fits is saved in place" grep -q "^fits nnn" "$MNT/n2"
		AS=$(id -un)
	else
		skip "no setpriv: the full file system is not tried as nobody"
	fi
	umount "$MNT" && MNT=""
else
	skip "cannot mount a small tmpfs here (needs root with mount rights): full file system not tried"
	skip "tmpfs: full file system"
fi
echo "1..$n"
