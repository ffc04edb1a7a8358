/* File I/O: byte-exact load/save round trips (NUL, invalid UTF-8, CRLF, no
 * final newline), atomic save (new inode, mode kept, old file intact on
 * failure, no temp file left), refusing to overwrite a file changed on
 * disk unless forced, new files, symlinks, descriptors; the save strategy
 * per file (rename only when it loses nothing, else in place behind a
 * rollback journal): hard links, owner, group and set-id bits, extended
 * attributes, 0444 files, read-only directories (as an unprivileged user:
 * nobody when run as root), special files refused, dangling and relative
 * symlinks, a write that fails (undone) or a writer killed mid-write
 * (rolled back at the next open); a big mapped file patched in place
 * (only the patched ranges journaled and written; killed midway, rolled
 * back; as nobody). */
#include "buffer/fdio.h"
#include "buffer/fileio.h"
#include "buffer/rollback.h"
#include "tests/unit/testfs.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <stdint.h>
#include <unistd.h>

/* The bytes of t equal want[0, n). */
static bool bytes_are(const Text *t, const char *want, size_t n, const char *what)
{
	char *all = text_dup(t, 0, text_len(t));
	bool good = is_mem(all, text_len(t), want, n, "%s", what);
	free(all);
	return good;
}

#define DIFF_GAP_ALLOWED 16 /* equal bytes a range may take in between (pages.c) */

static char state[300];              /* rollback journals */
static FileSaveOpts force = {.force = true};

/* Files in the test directory whose names contain ".brisk-" (temp files). */
static int temp_files(void)
{
	DIR *d = opendir(test_dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += strstr(e->d_name, ".brisk-") != NULL;
	if (d)
		closedir(d);
	return n;
}

static ino_t inode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static void test_round_trip(void)
{
	/* NUL bytes, invalid UTF-8, a lone CR, CRLF endings, no final newline. */
	static const char bytes[] = "line one\r\n\0nul\xff\xfe\xc3(bad\r\n\xe2\x82\xac ok\rlast";
	size_t n = sizeof bytes - 1;
	const char *path = in_dir("round.txt");
	write_file(path, bytes, n);
	Text *t = text_new();
	FileInfo fi;
	ok(file_load(path, t, &fi), "load");
	ok(fi.exists && (size_t)fi.size == n, "FileInfo: exists, size %lld", (long long)fi.size);
	bytes_are(t, bytes, n, "loaded bytes are the file's bytes");
	ok(text_check(t), "loaded text is valid");
	is_size(text_lines(t), 3, "three lines (CR alone is no line break)");
	ok(text_has_crlf(t), "CRLF noticed");
	ok(text_looks_binary(t), "NUL makes it binary");
	ok(!text_is_modified(t) && !text_can_undo(t), "loaded: clean, no history");

	ino_t before = inode_of(path);
	ok(file_save(path, t, &fi, NULL), "save unchanged");
	file_is(path, bytes, n, "saved bytes are byte-identical");
	ok(inode_of(path) != before, "save writes a new file (new inode)");
	ok(fi.ino == inode_of(path), "FileInfo describes the new file");
	is_int(temp_files(), 0, "no temp file left");

	/* Edit, save, load again. */
	ok(text_insert(t, text_len(t), "\n", 1), "add a final newline");
	ok(text_is_modified(t), "modified");
	ok(file_save(path, t, &fi, NULL), "save edited");
	ok(!text_is_modified(t), "saving marks the text clean");
	Text *u = text_new();
	FileInfo fu;
	ok(file_load(path, u, &fu), "load again");
	char *tb = text_dup(t, 0, text_len(t));
	bytes_are(u, tb, text_len(t), "reloaded bytes match");
	free(tb);
	text_free(u);
	text_free(t);

	/* An empty file and a plain one. */
	path = in_dir("empty");
	write_file(path, "", 0);
	t = text_new();
	ok(file_load(path, t, &fi) && text_len(t) == 0, "load an empty file");
	ok(!text_has_crlf(t) && !text_looks_binary(t), "empty: no CRLF, not binary");
	ok(file_save(path, t, &fi, NULL), "save an empty file");
	file_is(path, "", 0, "still empty");
	text_free(t);
	path = in_dir("lf.txt");
	write_file(path, "a\nb\r\n", 5);
	t = text_new();
	ok(file_load(path, t, &fi) && !text_has_crlf(t), "the first line break decides: LF");
	text_free(t);
}

static void test_big(void)
{
	size_t n = 3 * 1000 * 1000 + 17;
	char *s = malloc(n);
	for (size_t i = 0; i < n; i++)
		s[i] = i % 61 == 60 ? '\n' : (char)(i * 131 >> 3);
	const char *path = in_dir("big.bin");
	write_file(path, s, n);
	Text *t = text_new();
	FileInfo fi;
	ok(file_load(path, t, &fi), "load 3 MB");
	bytes_are(t, s, n, "3 MB loaded exactly");
	ok(text_check(t), "index of 3 MB valid");
	text_insert(t, n / 2, "middle", 6);
	ok(file_save(path, t, &fi, NULL), "save 3 MB");
	size_t m;
	char *back = read_file(path, &m);
	ok(back && m == n + 6 && memcmp(back, s, n / 2) == 0 && memcmp(back + n / 2, "middle", 6) == 0 &&
	   memcmp(back + n / 2 + 6, s + n / 2, n - n / 2) == 0, "3 MB saved exactly");
	free(back);
	text_free(t);

	/* From a descriptor (a pipe), more than the first 64 KiB chunk. */
	int fd[2];
	if (pipe(fd) != 0)
		BAIL_OUT("pipe");
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		size_t off = 0;
		while (off < 200000) {
			ssize_t w = write(fd[1], s + off, 200000 - off);
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fd[1]);
	t = text_new();
	ok(file_load_fd(fd[0], t), "load from a pipe");
	close(fd[0]);
	waitpid(pid, NULL, 0);
	bytes_are(t, s, 200000, "pipe bytes exact");
	ok(text_check(t), "pipe text valid");
	text_free(t);
	free(s);
}

/* Files whose size on disk is not what stat says: /proc files say 0,
 * sysfs files say 4096 and hold less (like a file truncated while read). */
static void test_odd_sizes(void)
{
	const char *proc = "/proc/self/status";
	const char *sys = "/sys/kernel/mm/transparent_hugepage/enabled";
	Text *t = text_new();
	FileInfo fi;
	if (access(proc, R_OK) != 0) {
		skip(1, "no /proc");
	} else {
		ok(file_load(proc, t, &fi) && text_len(t) > 5 && text_byte(t, 0) == 'N' && text_byte(t, 4) == ':',
		   "a /proc file (stat size 0) loads its bytes");
	}
	struct stat st;
	if (stat(sys, &st) != 0 || access(sys, R_OK) != 0 || st.st_size != 4096) {
		skip(2, "no sysfs file with a 4096-byte stat size");
	} else {
		size_t n = 0;
		char *want = read_file(sys, &n);
		errno = ENOENT; /* a stale errno must not turn a short read into an error */
		ok(file_load(sys, t, &fi), "a file shorter than its stat size loads");
		bytes_are(t, want, n, "with the bytes there are");
		free(want);
	}
	text_free(t);
}

static void test_changed_on_disk(void)
{
	const char *path = in_dir("changed.txt");
	write_file(path, "original\n", 9);
	Text *t = text_new();
	FileInfo fi;
	file_load(path, t, &fi);
	ok(!file_changed_on_disk(path, &fi), "not changed right after load");
	text_insert(t, 0, "mine: ", 6);

	write_file(path, "someone else's\n", 15);
	ok(file_changed_on_disk(path, &fi), "a rewrite is noticed");
	errno = 0;
	ok(!file_save(path, t, &fi, NULL), "save refused");
	is_int(errno, FILEIO_ECHANGED, "errno is FILEIO_ECHANGED");
	file_is(path, "someone else's\n", 15, "the other writer's bytes are untouched");
	ok(text_is_modified(t), "still modified after a refused save");
	is_int(temp_files(), 0, "no temp file left");
	ok(file_save(path, t, &fi, &force), "forced save succeeds");
	file_is(path, "mine: original\n", 15, "forced save wrote our bytes");
	ok(!file_changed_on_disk(path, &fi), "FileInfo updated by the save");
	ok(!text_is_modified(t), "clean after the forced save");

	/* Same size, only the mtime differs. */
	struct timespec ts[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
	utimensat(AT_FDCWD, path, ts, 0);
	ok(file_changed_on_disk(path, &fi), "an mtime change is noticed");
	ok(!file_save(path, t, &fi, NULL) && errno == FILEIO_ECHANGED, "and refused");

	/* Replaced by another file (new inode). */
	file_stat(path, &fi);
	const char *other = in_dir("other.txt");
	write_file(other, "mine: original\n", 15);
	rename(other, path);
	ok(file_changed_on_disk(path, &fi), "a replaced file is noticed");

	/* Deleted. */
	file_stat(path, &fi);
	unlink(path);
	ok(file_changed_on_disk(path, &fi), "a deleted file counts as changed");
	ok(!file_save(path, t, &fi, NULL) && errno == FILEIO_ECHANGED, "save over a deleted file refused");
	ok(file_save(path, t, &fi, &force), "forced save recreates it");
	file_is(path, "mine: original\n", 15, "recreated bytes");
	text_free(t);
}

/* Files of FILEIO_MAP_MIN bytes and more are mapped: opening reads
 * nothing, saving streams the pages; a file cut or rewritten in place by
 * another program is found out, its lost bytes read as zeros, and no save
 * (not even a forced one) writes them over anything. */
static void test_mapped(void)
{
	size_t n = FILEIO_MAP_MIN + FILEIO_MAP_MIN / 2 + 11;
	char *s = malloc(n);
	for (size_t i = 0; i < n; i++)
		s[i] = i % 50 == 49 ? '\n' : (char)('a' + i % 23);
	const char *path = in_dir("mapped.txt");
	write_file(path, s, n);
	Text *t = text_new();
	FileInfo fi;
	ok(file_load(path, t, &fi) && text_source(t) != NULL, "a big file is mapped");
	PagesWork w = text_work(t);
	ok(w.shown == 0 && w.read == 0 && w.counted == 0, "opening it read nothing (%zu %zu %zu)", w.shown, w.read, w.counted);
	bytes_are(t, s, n, "its bytes");
	text_insert(t, 1, "HEAD", 4);
	text_insert(t, text_len(t) - 1, "TAIL", 4);
	ino_t ino = inode_of(path);
	ok(file_save(path, t, &fi, NULL), "save the edited mapped file");
	char *want = malloc(n + 8);
	memcpy(want, s, 1);
	memcpy(want + 1, "HEAD", 4);
	memcpy(want + 5, s + 1, n - 2);
	memcpy(want + 3 + n, "TAIL", 4);
	want[n + 7] = s[n - 1];
	file_is(path, want, n + 8, "saved bytes: both ends edited, the rest streamed from the map");
	ok(inode_of(path) != ino, "through a temp file (new inode)");
	bytes_are(t, want, n + 8, "the text reads the same bytes");
	size_t owned = 0;
	for (size_t k = 0; k < t->pg.n; k++)
		owned += !t->pg.v[k].src;
	ok(text_source(t) && source_ino(text_source(t)) == inode_of(path) && owned == 0 && text_check(t),
	   "from the saved file, mapped anew: nothing owned (%zu pages)", owned);
	ok(text_undo(t, NULL) && text_len(t) == n + 4, "the history kept");
	ok(file_save(path, t, &fi, NULL), "saved again");
	want[n + 3] = s[n - 1]; /* TAIL undone */
	file_is(path, want, n + 4, "from the pages over the file saved before");
	text_free(t);

	/* As pieces (a big file's journal): only the edits are bytes. */
	t = text_new();
	file_load(path, t, &fi);
	text_insert(t, 7, "one", 3);
	text_delete(t, n / 2, 100);
	text_insert(t, text_len(t), "end", 3);
	PagesPiece pc[16];
	size_t np = 0, own = 0;
	for (size_t pos = 0, so; pos < text_len(t) && np < 16; np++) {
		size_t len = text_piece(t, pos, &so);
		pc[np] = (PagesPiece){so, len, so == BUF_NOPOS ? text_dup(t, pos, len) : NULL};
		own += so == BUF_NOPOS ? len : 0;
		pos += len;
	}
	ok(np < 16 && own < 1024, "%zu pieces, %zu bytes of the text's own (the rest is the file's)", np, own);
	int mfd = open(path, O_RDONLY);
	Source *src = mfd >= 0 ? source_map(mfd, (size_t)fi.size) : NULL;
	Text *u = text_new();
	ok(src && text_adopt_pieces(u, src, pc, np), "a text rebuilt from the pieces over the file mapped again");
	char *tb = text_dup(t, 0, text_len(t));
	bytes_are(u, tb, text_len(t), "with the same bytes");
	ok(text_check(u), "and valid pages and lines");
	free(tb);
	for (size_t i = 0; i < np; i++)
		free((char *)pc[i].bytes);
	text_free(u);
	text_free(t);

	/* Cut short in place by another program. */
	write_file(path, s, n);
	t = text_new();
	file_load(path, t, &fi);
	text_insert(t, 0, "x", 1);
	size_t from, to;
	ok(!text_lost(t, &from, &to) && !text_source_changed(t), "nothing lost while the file stands");
	if (truncate(path, (off_t)(n / 2)) != 0)
		BAIL_OUT("truncate");
	ok(text_source_changed(t), "a cut file is found out");
	ok(text_lost(t, &from, &to) && from == n / 2 && to == n, "its lost bytes: [%zu, %zu)", from, to);
	char tail[8];
	text_copy(t, text_len(t) - 8, 8, tail);
	is_mem(tail, 8, "\0\0\0\0\0\0\0\0", 8, "lost bytes read as zeros");
	errno = 0;
	ok(!file_save(path, t, &fi, &force) && errno == FILEIO_ESOURCE, "even a forced save is refused");
	errno = 0;
	ok(!file_save(in_dir("elsewhere.txt"), t, &fi, &force) && errno == FILEIO_ESOURCE, "and a save elsewhere");
	file_is(path, s, n / 2, "the file is left as the other program left it");
	text_free(t);

	/* Rewritten in place: the same size, other bytes. */
	write_file(path, s, n);
	t = text_new();
	file_load(path, t, &fi);
	struct timespec ts[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
	int fd = open(path, O_WRONLY);
	if (fd < 0 || pwrite(fd, "ZZZZ", 4, (off_t)(n / 3)) != 4)
		BAIL_OUT("pwrite");
	futimens(fd, ts);
	close(fd);
	ok(text_source_changed(t), "a file rewritten in place is found out");
	ok(!file_save(path, t, &fi, &force) && errno == FILEIO_ESOURCE, "and not saved over");
	text_free(t);

	/* Replaced (a new file renamed over it): the mapped bytes stand. */
	write_file(path, s, n);
	t = text_new();
	file_load(path, t, &fi);
	const char *other = in_dir("other.bin");
	write_file(other, "new", 3);
	rename(other, path);
	ok(!text_source_changed(t) && !text_lost(t, &from, &to), "a replaced file leaves the mapped one whole");
	ok(file_save(path, t, &fi, &force), "a forced save goes through");
	file_is(path, s, n, "with our bytes");
	text_free(t);
	free(want);
	free(s);
}

/* Writing a mapped text over its own file (an in-place save): the ranges
 * it changes hold every changed byte, and writing in the safe order never
 * reads a clean byte after its place was written: the file ends up equal
 * to the text whatever the edits moved. Same-size overwrites change only
 * their bytes. */
static void test_overwrite(void)
{
	unsigned seed = 42;
	int bad = 0, rounds = 12;
	size_t small_ranges = 0;
	for (int round = 0; round < rounds && !bad; round++) {
		size_t n = FILEIO_MAP_MIN + 3000 + (size_t)(round * 977);
		char *s = malloc(n);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = i % 41 == 40 ? '\n' : (char)('a' + (seed >> 16) % 26);
		}
		const char *path = in_dir("over.txt");
		write_file(path, s, n);
		Text *t = text_new();
		FileInfo fi;
		file_load(path, t, &fi);
		bool same_size = round % 3 == 0;
		for (int k = 0; k < 8; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = (seed >> 8) % text_len(t), len = 1 + (seed >> 4) % 700;
			if (same_size || k % 3 == 0) {
				len = len < text_len(t) - pos ? len : text_len(t) - pos;
				char *r = malloc(len);
				memset(r, 'X' + k % 3, len);
				Edit e = {pos, len, r, len};
				text_apply(t, &e, 1, NULL);
				free(r);
			} else if (k % 3 == 1) {
				static char ins[9 * 50];
				for (size_t i = 0; i < sizeof ins; i++)
					ins[i] = "INSERTED\n"[i % 9];
				text_insert(t, pos, ins, 9 * (1 + (seed >> 20) % 50));
			} else {
				text_delete(t, pos, len < text_len(t) - pos ? len : text_len(t) - pos);
			}
		}
		size_t nl = text_len(t), lines = text_lines(t);
		char *want = text_dup(t, 0, nl);
		int fd = open(path, O_RDWR);
		PagesRange *r = NULL;
		size_t nr = 0;
		if (fd < 0 || !pages_overwrite_ranges(&t->pg, fd, n, &r, &nr))
			BAIL_OUT("pages_overwrite_ranges: %s", strerror(errno));
		/* Every changed byte is in a range. */
		size_t end = nl > n ? nl : n, covered = 0;
		for (size_t i = 0, k = 0; i < end && !bad; i++) {
			while (k < nr && r[k].pos + r[k].len <= i)
				k++;
			bool in = k < nr && r[k].pos <= i;
			covered += in;
			bool changed = i >= nl || i >= n || want[i] != s[i];
			if (changed && !in) {
				bad++;
				diag("round %d: byte %zu changes and is in no range", round, i);
			}
		}
		if (same_size)
			small_ranges += covered <= 8 * 700 + 8 * DIFF_GAP_ALLOWED;
		/* Until the rebase below, clean pages view bytes now written
		 * over: nothing reads the text in between. */
		if (!pages_overwrite(&t->pg, fd, n) || ftruncate(fd, (off_t)nl) != 0)
			BAIL_OUT("pages_overwrite: %s", strerror(errno));
		close(fd);
		size_t got = 0;
		char *back = read_file(path, &got);
		if (got != nl || memcmp(back, want, nl) != 0) {
			bad++;
			diag("round %d: the file written in place is not the text (%zu bytes, want %zu)", round, got, nl);
		}
		free(back);
		/* The text now views the file as written: nothing owned, the
		 * same bytes, lines and history; and it can be patched again. */
		int rfd = open(path, O_RDONLY);
		Source *src = rfd >= 0 ? source_map(rfd, nl) : NULL;
		if (!src || !text_rebase(t, src))
			BAIL_OUT("text_rebase: %s", strerror(errno));
		char *again = text_dup(t, 0, text_len(t));
		size_t owned = 0;
		for (size_t k = 0; k < t->pg.n; k++)
			owned += !t->pg.v[k].src;
		if (!text_check(t) || text_len(t) != nl || memcmp(again, want, nl) != 0 || owned || !t->same_size ||
		    text_lines(t) != lines) {
			bad++;
			diag("round %d: rebased text differs (%zu owned pages, check %d, len %zu/%zu, lines %zu/%zu)", round, owned, text_check(t), text_len(t), nl, text_lines(t), lines);
		}
		free(again);
		Edit e = {nl / 2, 3, "abc", 3};
		text_apply(t, &e, 1, NULL);
		fd = open(path, O_RDWR);
		if (fd < 0 || !text_overwrite(t, fd, nl))
			BAIL_OUT("text_overwrite: %s", strerror(errno));
		close(fd);
		back = read_file(path, &got);
		bad += got != nl || memcmp(back + nl / 2, "abc", 3) != 0 || memcmp(back, want, nl / 2) != 0;
		free(back);
		if (!text_undo(t, NULL) || !text_undo(t, NULL)) {
			bad++;
			diag("round %d: no undo after the rebase", round);
		}
		free(r);
		free(want);
		free(s);
		text_free(t);
	}
	ok(!bad, "%d rounds of edits written over their own mapped file: every change covered, file == text, rebased", rounds);
	ok(small_ranges == (size_t)(rounds + 2) / 3, "same-size overwrites: only about their bytes are written");
}

static void test_modes_and_new(void)
{
	const char *path = in_dir("mode.sh");
	write_file(path, "#!/bin/sh\n", 10);
	chmod(path, 0751);
	Text *t = text_new();
	FileInfo fi;
	file_load(path, t, &fi);
	text_insert(t, 10, "exit 0\n", 7);
	ok(file_save(path, t, &fi, NULL), "save a 0751 file");
	struct stat st;
	stat(path, &st);
	is_int(st.st_mode & 07777, 0751, "mode bits kept");
	text_free(t);

	mode_t old = umask(022);
	path = in_dir("new.txt");
	t = text_new();
	errno = 0;
	ok(!file_load(path, t, &fi) && errno == ENOENT, "load of a missing file: ENOENT");
	ok(!fi.exists, "FileInfo: does not exist");
	ok(text_len(t) == 0, "text stays empty");
	text_insert(t, 0, "fresh\n", 6);
	ok(file_save(path, t, &fi, NULL), "save a new file");
	file_is(path, "fresh\n", 6, "new file's bytes");
	stat(path, &st);
	is_int(st.st_mode & 07777, 0644, "new file: 0666 minus umask");
	ok(fi.exists && fi.ino == st.st_ino, "FileInfo describes the new file");
	umask(old);
	text_free(t);

	/* Through a symlink: the link stays a link, the target gets the bytes. */
	const char *target = in_dir("target.txt"), *link = in_dir("link.txt");
	write_file(target, "via link\n", 9);
	symlink("target.txt", link);
	t = text_new();
	file_load(link, t, &fi);
	text_insert(t, 0, "edited ", 7);
	ok(file_save(link, t, &fi, NULL), "save through a symlink");
	struct stat lst;
	ok(lstat(link, &lst) == 0 && S_ISLNK(lst.st_mode), "the symlink is still a symlink");
	file_is(target, "edited via link\n", 16, "the target got the bytes");
	text_free(t);

	/* Errors. */
	t = text_new();
	errno = 0;
	ok(!file_load(test_dir, t, &fi) && errno == EISDIR, "loading a directory: EISDIR");
	errno = 0;
	ok(!file_load(in_dir("nodir/x"), t, &fi) && errno == ENOENT, "missing directory: ENOENT");
	errno = 0;
	ok(!file_save(in_dir("nodir/x"), t, &fi, &force) && errno == ENOENT, "save into a missing directory: ENOENT");
	text_free(t);
}

static void test_failed_saves(void)
{
	const char *path = in_dir("keep.txt");
	write_file(path, "precious\n", 9);
	Text *t = text_new();
	FileInfo fi;
	file_load(path, t, &fi);
	char big[100000];
	memset(big, 'x', sizeof big);
	text_insert(t, 0, big, sizeof big);

	/* A disk that fills up, simulated by a file size limit (works as root). */
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 4096;
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &lim);
	errno = 0;
	bool saved = file_save(path, t, &fi, NULL);
	int e = errno;
	setrlimit(RLIMIT_FSIZE, &old);
	ok(!saved, "save fails when the disk is full");
	is_int(e, EFBIG, "with the write's errno (EFBIG)");
	file_is(path, "precious\n", 9, "the old file is intact");
	is_int(temp_files(), 0, "the temp file is removed");
	ok(text_is_modified(t), "still modified");

	ok(file_save(path, t, &fi, NULL), "the same save succeeds once possible");
	text_free(t);
}

/* ===== strategies ======================================================== */

static FileSaveOpts journaled(void)
{
	return (FileSaveOpts){.rollback_dir = state};
}

/* The text of path loaded, with ins inserted at 0, saved by opts. */
static bool edit_save(const char *path, const char *ins, FileSaveOpts *o)
{
	Text *t = text_new();
	FileInfo fi;
	bool ok = t && (file_load(path, t, &fi) || errno == ENOENT) && text_insert(t, 0, ins, strlen(ins)) &&
	          file_save(path, t, &fi, o);
	int e = errno;
	text_free(t);
	errno = e;
	return ok;
}

static struct stat stat_of(const char *path)
{
	struct stat st = {0};
	stat(path, &st);
	return st;
}

/* Files left in state (rollback journals). */
static int journals_left(void)
{
	DIR *d = opendir(state);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_hard_links(void)
{
	const char *a = in_dir("h1"), *b = in_dir("h2");
	write_file(a, "old\n", 4);
	unlink(b);
	link(a, b);
	ino_t ino = inode_of(a);
	FileSaveOpts o = journaled();
	ok(edit_save(a, "X", &o), "save a file with two links");
	is_int(o.how, FILE_SAVE_INPLACE, "written in place");
	is_int(inode_of(a), ino, "same inode");
	file_is(b, "Xold\n", 5, "the other name sees the new text");
	is_int(journals_left(), 0, "the rollback journal is gone");
	is_int(temp_files(), 0, "no temp file");

	/* Without a place for the rollback journal it is not written at all. */
	errno = 0;
	ok(!edit_save(a, "Y", NULL), "no rollback directory: refused");
	ok(journaled().rollback_dir && errno == ENOENT, "errno ENOENT");
	file_is(b, "Xold\n", 5, "the file was not touched");

	/* A file capability (a write drops it, even root's): kept. */
	struct {
		uint32_t magic, perm0, inh0, perm1, inh1;
	} cap = {0x02000001, 1u << 10, 0, 0, 0}, got;
	if (setxattr(a, "security.capability", &cap, sizeof cap, 0) != 0) {
		skip(2, "cannot set a file capability here (not root?)");
	} else {
		ok(edit_save(a, "C", &o) && o.how == FILE_SAVE_INPLACE, "save a hard-linked file with a capability");
		ssize_t n = getxattr(b, "security.capability", &got, sizeof got);
		ok(n == (ssize_t)sizeof cap && memcmp(&cap, &got, sizeof cap) == 0, "the capability is still there");
	}
	write_file(a, "Xold\n", 5);

	/* Shorter text: truncated. */
	Text *t = text_new();
	FileInfo fi;
	file_load(a, t, &fi);
	text_delete(t, 1, 3);
	ok(file_save(a, t, &fi, &o) && o.how == FILE_SAVE_INPLACE, "save a shorter text in place");
	file_is(b, "X\n", 2, "truncated to the new size");
	text_free(t);
}

static void test_owner_and_modes(void)
{
	const char *p = in_dir("suid");
	write_file(p, "x\n", 2);
	if (geteuid() != 0) {
		skip(4, "not root: cannot give a file to another owner");
	} else {
		ok(chown(p, 1234, 1234) == 0 && chmod(p, 06755) == 0, "a set-id file of uid/gid 1234");
		FileSaveOpts o = journaled();
		ok(edit_save(p, "Y", &o), "saved by root");
		struct stat st = stat_of(p);
		ok(st.st_uid == 1234 && st.st_gid == 1234 && (st.st_mode & 07777) == 06755,
		   "owner, group and set-id bits kept: %o %u:%u", (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
		   (unsigned)st.st_gid);
		file_is(p, "Yx\n", 3, "new text");
	}
	/* No write bit at all: fileio writes it (save-force decides that) and
	 * keeps the mode. */
	p = in_dir("ro444");
	write_file(p, "ro\n", 3);
	chmod(p, 0444);
	ok(file_is_read_only(p, FILE_RO_MODE), "a 0444 file is read-only, even for root");
	is_int(file_is_read_only(p, FILE_RO_ACCESS), geteuid() != 0,
	       "by access(W_OK) (hexedit's rule): %s", geteuid() == 0 ? "writable for root" : "read-only");
	FileSaveOpts o = journaled();
	ok(edit_save(p, "Z", &o), "written anyway");
	is_int(stat_of(p).st_mode & 07777, 0444, "mode 0444 kept");
	file_is(p, "Zro\n", 4, "new text");
	chmod(p, 0644);
	ok(!file_is_read_only(p, FILE_RO_MODE), "0644, our own: not read-only");
	ok(!file_is_read_only(p, FILE_RO_ACCESS), "0644, our own: not read-only by access(W_OK) either");
}

static void test_xattrs(void)
{
	const char *p = in_dir("attr.txt");
	write_file(p, "a\n", 2);
	if (setxattr(p, "user.brisk", "kept", 4, 0) != 0) {
		skip(3, "no user extended attributes on this file system");
		return;
	}
	FileSaveOpts o = journaled();
	ok(edit_save(p, "B", &o), "save a file with an extended attribute");
	char v[16] = "";
	ssize_t n = getxattr(p, "user.brisk", v, sizeof v);
	is_mem(n > 0 ? v : NULL, n > 0 ? (size_t)n : 0, "kept", 4, "user.brisk kept");
	file_is(p, "Ba\n", 3, "new text");
}

static void test_special_files(void)
{
	const char *fifo = in_dir("fifo"), *devlink = in_dir("null-link");
	mkfifo(fifo, 0644);
	symlink("/dev/null", devlink);
	FileSaveOpts o = journaled();
	Text *t = text_new();
	FileInfo fi = {0};
	text_insert(t, 0, "x", 1);
	errno = 0;
	ok(!file_save(fifo, t, &fi, &o) && errno == FILEIO_ESPECIAL, "a FIFO is refused (FILEIO_ESPECIAL)");
	ok(S_ISFIFO(stat_of(fifo).st_mode), "and stays a FIFO");
	errno = 0;
	ok(!file_save(devlink, t, &fi, &o) && errno == FILEIO_ESPECIAL, "a link to /dev/null is refused");
	ok(S_ISCHR(stat_of("/dev/null").st_mode), "/dev/null is still a device");
	struct stat lst;
	ok(lstat(devlink, &lst) == 0 && S_ISLNK(lst.st_mode), "the link is still a link");
	mkdir(in_dir("adir"), 0755);
	errno = 0;
	ok(!file_save(in_dir("adir"), t, &fi, &force) && errno == EISDIR, "a directory: EISDIR");
	text_free(t);
	is_str(file_kind(S_IFIFO), "a FIFO", "file_kind names it");
}

static void test_symlinks(void)
{
	/* Relative, through a chain of two links. */
	mkdir(in_dir("sub"), 0755);
	write_file(in_dir("sub/real.txt"), "r\n", 2);
	symlink("sub/real.txt", in_dir("l1"));
	symlink("l1", in_dir("l2"));
	FileSaveOpts o = journaled();
	ok(edit_save(in_dir("l2"), "C", &o), "save through two relative links");
	file_is(in_dir("sub/real.txt"), "Cr\n", 3, "the target got it");
	struct stat st;
	ok(lstat(in_dir("l2"), &st) == 0 && S_ISLNK(st.st_mode) && lstat(in_dir("l1"), &st) == 0 && S_ISLNK(st.st_mode),
	   "both links are still links");

	/* Dangling: relative and absolute. The target is created. */
	symlink("sub/new.txt", in_dir("dangling"));
	ok(edit_save(in_dir("dangling"), "fresh\n", &o), "save through a dangling relative link");
	file_is(in_dir("sub/new.txt"), "fresh\n", 6, "its target was created");
	ok(lstat(in_dir("dangling"), &st) == 0 && S_ISLNK(st.st_mode), "the link is still a link");
	symlink(in_dir("sub/abs.txt"), in_dir("dangling-abs"));
	ok(edit_save(in_dir("dangling-abs"), "abs\n", &o), "save through a dangling absolute link");
	file_is(in_dir("sub/abs.txt"), "abs\n", 4, "its target was created");

	char *r = file_resolve(in_dir("dangling"));
	char want[600];
	char real[512];
	ok(realpath(test_dir, real) != NULL, "realpath of the test directory");
	snprintf(want, sizeof want, "%s/sub/new.txt", real);
	is_str(r, want, "file_resolve follows links to an absolute canonical path");
	free(r);
	symlink("loop-b", in_dir("loop-a"));
	symlink("loop-a", in_dir("loop-b"));
	errno = 0;
	ok(!file_resolve(in_dir("loop-a")) && errno == ELOOP, "a symlink loop: ELOOP");
	errno = 0;
	ok(!edit_save(in_dir("loop-a"), "x", &o) && errno == ELOOP, "saving through it: ELOOP");
}

/* A write that fails half way (a file size limit: EFBIG) is undone from
 * the journal; a writer killed by it leaves the journal, and the next
 * open rolls the file back. */
static void test_interrupted(void)
{
	const char *a = in_dir("i1"), *b = in_dir("i2");
	write_file(a, "precious\n", 9);
	unlink(b);
	link(a, b);
	static char big[200000];
	memset(big, 'n', sizeof big);
	big[sizeof big - 1] = '\0';
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 50000;
	FileSaveOpts o = journaled();
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &lim);
	errno = 0;
	bool saved = edit_save(a, big, &o);
	int e = errno;
	setrlimit(RLIMIT_FSIZE, &old);
	ok(!saved && e == EFBIG && o.how == FILE_SAVE_INPLACE && !o.stuck, "in place, the write fails half way (EFBIG)");
	file_is(b, "precious\n", 9, "undone: the old file, byte for byte");
	is_int(journals_left(), 0, "no journal left");

	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGXFSZ, SIG_DFL);
		setrlimit(RLIMIT_FSIZE, &lim);
		FileSaveOpts co = journaled();
		edit_save(a, big, &co);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ, "a writer killed in the middle of an in-place save");
	ok(stat_of(a).st_size == 50000, "the file is half written (%lld bytes)", (long long)stat_of(a).st_size);
	is_int(journals_left(), 1, "its rollback journal is left");
	char *target = file_resolve(a), *jpath = rollback_path(state, target);
	is_int(rollback_recover(jpath, target), RB_ROLLED_BACK, "recovering rolls it back");
	file_is(b, "precious\n", 9, "the old file, byte for byte");
	is_int(journals_left(), 0, "and the journal is gone");
	free(target);
	free(jpath);
}

/* ----- a patch of a big mapped file, saved in place ------------------------ */

#define PATCH_SIZE (FILEIO_PATCH_MIN + 4096 + 123)
#define PATCH_AT 8192 /* the first patch: past a small journal's size */

/* Bytes this process wrote so far (write and pwrite calls: file and
 * journal alike), from /proc/self/io; SIZE_MAX when unknown. */
static size_t bytes_written(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	char line[128];
	size_t n = SIZE_MAX;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "wchar: %zu", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

/* A sparse file of PATCH_SIZE bytes with text at the places patched. */
static void make_patch_file(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)PATCH_SIZE) != 0 || pwrite(fd, "first", 5, PATCH_AT) != 5 ||
	    pwrite(fd, "middle", 6, (off_t)(PATCH_SIZE / 2)) != 6 || pwrite(fd, "last", 4, (off_t)(PATCH_SIZE - 4)) != 4)
		BAIL_OUT("make_patch_file: %s", strerror(errno));
	close(fd);
}

/* Three same-size overwrites (the hex view's patches) of a loaded file. */
static void patch_three(Text *t)
{
	Edit e[] = {{PATCH_AT, 5, "FIRST", 5}, {PATCH_SIZE / 2, 6, "MIDDLE", 6}, {PATCH_SIZE - 4, 4, "LAST", 4}};
	for (int i = 0; i < 3; i++)
		text_apply(t, &e[i], 1, NULL);
}

/* The n bytes at off in path equal want. */
static bool mem_at(const char *path, off_t off, const char *want, size_t n)
{
	char got[16] = "";
	int fd = open(path, O_RDONLY);
	bool good = fd >= 0 && pread(fd, got, n, off) == (ssize_t)n && memcmp(got, want, n) == 0;
	if (fd >= 0)
		close(fd);
	return good;
}

static bool bytes_at(const char *path, off_t off, const char *want)
{
	return mem_at(path, off, want, strlen(want));
}

static bool patched_on_disk(const char *path, const char *a, const char *b, const char *c)
{
	return stat_of(path).st_size == (off_t)PATCH_SIZE && bytes_at(path, PATCH_AT, a) &&
	       bytes_at(path, (off_t)(PATCH_SIZE / 2), b) && bytes_at(path, (off_t)(PATCH_SIZE - 4), c);
}

/* Patched, saved in place: journal and file get about the patched bytes. */
static void test_patch(void)
{
	const char *path = in_dir("patch.bin");
	make_patch_file(path);
	ino_t ino = inode_of(path);
	Text *t = text_new();
	FileInfo fi;
	ok(file_load(path, t, &fi) && text_source(t), "a %zu-byte file is mapped", (size_t)PATCH_SIZE);
	patch_three(t);
	FileSaveOpts o = journaled();
	size_t w0 = bytes_written();
	ok(file_save(path, t, &fi, &o), "the patched file saved");
	size_t wrote = bytes_written() - w0;
	is_int(o.how, FILE_SAVE_PATCH, "as a patch in place");
	is_int(inode_of(path), ino, "the inode kept");
	ok(patched_on_disk(path, "FIRST", "MIDDLE", "LAST"), "the three patches on disk");
	ok(mem_at(path, 0, "\0\0\0", 3) && mem_at(path, PATCH_AT - 1, "\0FIRST\0", 7),
	   "the bytes around them as they were");
	size_t most = PATCH_SIZE / 4 < 16384 ? PATCH_SIZE / 4 : 16384;
	if (w0 == SIZE_MAX)
		skip(1, "no /proc/self/io");
	else
		ok(wrote < most, "%zu bytes written, journal included, for 15 patched in %zu", wrote, (size_t)PATCH_SIZE);
	is_int(journals_left(), 0, "the journal removed");
	size_t owned = 0;
	for (size_t k = 0; k < t->pg.n; k++)
		owned += !t->pg.v[k].src;
	ok(owned == 0 && t->same_size && text_check(t) && source_ino(text_source(t)) == ino,
	   "the text views the file again (nothing owned), patchable again");
	Edit again = {PATCH_AT + 1, 2, "ir", 2};
	text_apply(t, &again, 1, NULL);
	errno = 0;
	bool saved = file_save(path, t, &fi, &o);
	ok(saved && o.how == FILE_SAVE_PATCH && bytes_at(path, PATCH_AT, "FirST"), "patched and saved again");
	if (!saved || o.how != FILE_SAVE_PATCH)
		diag("saved %d, how %d: %s", saved, o.how, strerror(errno));
	text_insert(t, 0, "x", 1);
	ok(file_save(path, t, &fi, &o) && o.how == FILE_SAVE_RENAME && inode_of(path) != ino,
	   "a change of size: saved through a temp file");
	ok(text_undo(t, NULL) && file_save(path, t, &fi, &o) && o.how != FILE_SAVE_PATCH,
	   "undone: not a patch either (the size changed since the last save)");
	text_free(t);

	/* No rollback directory: never in place. */
	make_patch_file(path);
	t = text_new();
	file_load(path, t, &fi);
	patch_three(t);
	FileSaveOpts none = {0};
	ok(file_save(path, t, &fi, &none) && none.how == FILE_SAVE_RENAME, "no rollback directory: no patch");
	text_free(t);
}

/* A writer killed while patching (SIGXFSZ at the first write past the
 * limit: the journal is written, a patch below the limit too, the ones
 * above not): the next open's recovery puts the old bytes back. */
static void test_patch_killed(void)
{
	const char *path = in_dir("patchk.bin");
	for (int k = 0; k < 2; k++) {
		make_patch_file(path);
		/* k = 0: killed at the first write (the limit is below every
		 * patch, above the journal's size); 1: at the second. */
		struct rlimit lim = {k == 0 ? 4096 : (PATCH_AT + PATCH_SIZE / 2) / 2, RLIM_INFINITY};
		pid_t pid = fork();
		if (pid == 0) {
			Text *t = text_new();
			FileInfo fi;
			if (!file_load(path, t, &fi))
				_exit(3);
			patch_three(t);
			FileSaveOpts o = journaled();
			signal(SIGXFSZ, SIG_DFL);
			setrlimit(RLIMIT_FSIZE, &lim);
			file_save(path, t, &fi, &o);
			_exit(0);
		}
		int st;
		waitpid(pid, &st, 0);
		ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ, "a patch writer killed %s", k ? "half way" : "before it wrote");
		if (k == 1)
			ok(patched_on_disk(path, "FIRST", "middle", "last"), "the file half patched");
		char *target = file_resolve(path), *jpath = rollback_path(state, target);
		struct stat js = stat_of(jpath);
		ok(js.st_size > 0 && js.st_size < 4096, "its journal holds the patched ranges only (%lld bytes)", (long long)js.st_size);
		is_int(rollback_recover(jpath, target), RB_ROLLED_BACK, "recovering rolls it back");
		ok(patched_on_disk(path, "first", "middle", "last"), "the old file");
		is_int(journals_left(), 0, "no journal left");
		free(target);
		free(jpath);
	}
}

static bool user_patch(const char *path)
{
	Text *t = text_new();
	FileInfo fi;
	FileSaveOpts o = journaled();
	ino_t ino = inode_of(path);
	bool good = file_load(path, t, &fi);
	patch_three(t);
	good = good && file_save(path, t, &fi, &o) && o.how == FILE_SAVE_PATCH && inode_of(path) == ino;
	text_free(t);
	return good && patched_on_disk(path, "FIRST", "MIDDLE", "LAST");
}

/* ----- as an unprivileged user (nobody when we are root) ----------------- */

static bool drop_privileges(void)
{
	if (geteuid() != 0)
		return true;
	return setgroups(0, NULL) == 0 && setgid(65534) == 0 && setuid(65534) == 0;
}

/* Runs fn in a child as that user; its result. */
static bool as_user(bool (*fn)(const char *), const char *arg)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(drop_privileges() && fn(arg) ? 0 : 1);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static bool user_save(const char *path)
{
	FileSaveOpts o = journaled();
	return edit_save(path, "W", &o) && o.how == FILE_SAVE_INPLACE;
}

static bool user_save_unjournaled(const char *path)
{
	return edit_save(path, "U", NULL);
}

static bool user_sees_read_only(const char *path)
{
	return file_is_read_only(path, FILE_RO_MODE);
}

/* The hex view's rule (hexedit's): what access(W_OK) says. */
static bool user_sees_read_only_hex(const char *path)
{
	return file_is_read_only(path, FILE_RO_ACCESS);
}

static void test_unprivileged(void)
{
	uid_t u = geteuid() == 0 ? 65534 : geteuid();
	gid_t g = geteuid() == 0 ? 65534 : getegid();
	char ro[512], f[600], f444[600], fsuid[600];
	/* The state directory and a read-only directory, the user's own. */
	snprintf(ro, sizeof ro, "%s/rodir", test_dir);
	snprintf(f, sizeof f, "%s/f", ro);
	snprintf(f444, sizeof f444, "%s/f444", ro);
	chmod(test_dir, 0755);
	mkdir(ro, 0755);
	write_file(f, "in\n", 3);
	write_file(f444, "ro\n", 3);
	chmod(f444, 0444);
	snprintf(fsuid, sizeof fsuid, "%s/fsuid", ro);
	write_file(fsuid, "s\n", 2);
	if (chown(state, u, g) || chown(f, u, g) || chown(f444, u, g) || chown(fsuid, u, g) || chmod(fsuid, 06755) ||
	    chmod(ro, 0555))
		BAIL_OUT("chown/chmod: %s", strerror(errno));
	ino_t ino = inode_of(f);
	/* The two read-only rules, for a user who is not root: the same. */
	ok(as_user(user_sees_read_only, f444) && as_user(user_sees_read_only_hex, f444),
	   "a 0444 file of the user's own: read-only by both rules (text and hex view)");
	ok(!as_user(user_sees_read_only, f) && !as_user(user_sees_read_only_hex, f),
	   "a 0644 file of the user's own: writable by both rules");
	ok(!as_user(user_save_unjournaled, f), "read-only directory, no rollback directory: not saved");
	file_is(f, "in\n", 3, "the file was not touched");
	ok(as_user(user_save, f), "read-only directory: saved in place (%s)", geteuid() == 0 ? "as nobody" : "as this user");
	file_is(f, "Win\n", 4, "new text");
	is_int(inode_of(f), ino, "same inode");
	ok(as_user(user_save, f444), "a 0444 file of the user's own in a read-only directory");
	file_is(f444, "Wro\n", 4, "new text");
	is_int(stat_of(f444).st_mode & 07777, 0444, "mode 0444 back");
	ok(as_user(user_save, fsuid), "a set-id file of the user's own, in place");
	file_is(fsuid, "Ws\n", 3, "new text");
	is_int(stat_of(fsuid).st_mode & 07777, 06755, "the set-id bits the write cleared are back");
	is_int(journals_left(), 0, "no journal left");
	chmod(ro, 0755);
	/* A big file of the user's own patched in place. */
	const char *big = in_dir("nobody-patch.bin");
	make_patch_file(big);
	if (chown(big, u, g))
		BAIL_OUT("chown: %s", strerror(errno));
	ok(as_user(user_patch, big), "a big file patched in place (%s)", geteuid() == 0 ? "as nobody" : "as this user");
	is_int(journals_left(), 0, "no journal left");
	unlink(big);
	/* Someone else's file that the user may not write. */
	if (geteuid() == 0) {
		const char *other = in_dir("roots.txt");
		write_file(other, "root's\n", 7);
		chmod(other, 0644);
		ok(as_user(user_sees_read_only, other), "nobody sees root's 0644 file as read-only");
		ok(as_user(user_sees_read_only_hex, other), "... in the hex view too (access(W_OK) fails)");
		ok(!as_user(user_save, other), "and cannot save it");
		file_is(other, "root's\n", 7, "which stays as it was");
	} else {
		skip(4, "not root: no other user to test with");
	}
}
static bool fill_ok(int fd, void *arg) { return fd_write_all(fd, arg, strlen(arg)); }

static bool fill_fails(int fd, void *arg)
{
	fd_write_all(fd, arg, strlen(arg));
	errno = ENOSPC;
	return false;
}

/* Whole or not at all: a fill that fails leaves the old file and no temp
 * file; one that works replaces it. */
static void test_write_atomic(void)
{
	const char *path = in_dir("atomic");
	write_file(path, "old\n", 4);
	errno = 0;
	ok(!file_write_atomic(path, fill_fails, "half") && errno == ENOSPC, "a failing fill: false, its errno kept");
	file_is(path, "old\n", 4, "the old file is untouched");
	ok(temp_files() == 0, "no temp file left behind");
	ok(file_write_atomic(path, fill_ok, "new\n"), "a fill that works");
	file_is(path, "new\n", 4, "the file is replaced");
	ok(temp_files() == 0, "no temp file left");
	ok(!file_write_atomic(in_dir("none/f"), fill_ok, "x") && errno == ENOENT, "no directory: ENOENT");
}

/* mkdir -p: every missing directory made, existing ones kept; a file in
 * the way fails with its errno. */
static void test_mkdir_p(void)
{
	struct stat st;
	ok(fd_mkdir_p(in_dir("p/q/r"), 0700) && stat(in_dir("p/q/r"), &st) == 0 && S_ISDIR(st.st_mode),
	   "mkdir -p makes every level");
	ok(fd_mkdir_p(in_dir("p/q"), 0700), "an existing directory is fine");
	write_file(in_dir("p/file"), "x", 1);
	errno = 0;
	ok(!fd_mkdir_p(in_dir("p/file/sub"), 0700) && errno == ENOTDIR, "a file in the way: false, ENOTDIR");
	errno = 0;
	ok(!fd_mkdir_p(in_dir("p/file"), 0700) && errno == ENOTDIR, "a file by the name: false, ENOTDIR");
}

int main(void)
{
	test_dir_make("brisk-fileio");
	test_mkdir_p();
	test_round_trip();
	test_big();
	test_odd_sizes();
	test_changed_on_disk();
	test_mapped();
	test_overwrite();
	test_modes_and_new();
	snprintf(state, sizeof state, "%s/state", test_dir);
	mkdir(state, 0700);
	test_failed_saves();
	test_hard_links();
	test_owner_and_modes();
	test_xattrs();
	test_special_files();
	test_symlinks();
	test_interrupted();
	test_patch();
	test_patch_killed();
	test_unprivileged();
	test_write_atomic();
	test_dir_remove();
	return done_testing();
}
