/* Rollback journals: begin + commit leaves the new file and no journal;
 * begin + abort puts back the old bytes and size of every range; a crash
 * (SIGKILL) after the journal, in the middle of the writes, or before the
 * commit is rolled back by rollback_recover to the exact old file; a
 * journal cut short is discarded without touching the file; a journal of
 * a replaced file, of a file another process is writing, or not ours is
 * left alone; bad ranges are refused. */
#include "buffer/rollback.h"
#include "tests/unit/testfs.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* A 4000-byte old file: "old-0000 old-0001 ...". */
static char old_text[4000];

static void make_old(const char *path)
{
	for (size_t i = 0; i < sizeof old_text; i++)
		old_text[i] = "old-0123456789\n"[i % 15];
	write_file(path, old_text, sizeof old_text);
}

static void pwrite_str(int fd, const char *s, off_t at)
{
	if (pwrite(fd, s, strlen(s), at) != (ssize_t)strlen(s))
		BAIL_OUT("pwrite: %s", strerror(errno));
}

static void test_commit_and_abort(void)
{
	const char *path = in_dir("f.txt"), *jpath = in_dir("f.rollback");
	make_old(path);
	int fd = open(path, O_RDWR);
	RbRange r[] = {{0, 10}, {100, 50}, {3990, 100}};
	Rollback *rb = rollback_begin(jpath, fd, path, r, 3);
	ok(rb != NULL, "begin: three ranges (the last reaching past the end)");
	ok(exists(jpath), "the journal exists");
	struct stat st;
	ok(stat(jpath, &st) == 0 && (st.st_mode & 0777) == 0600, "the journal is private (0600)");
	file_is(path, old_text, sizeof old_text, "begin changes nothing in the file");
	pwrite_str(fd, "NEW-START!", 0);
	pwrite_str(fd, "in the middle", 100);
	pwrite_str(fd, "past the old end: the file grows", 3995);
	ok(rollback_abort(rb), "abort");
	file_is(path, old_text, sizeof old_text, "abort: old bytes of every range and the old size back");
	ok(!exists(jpath), "abort removes the journal");

	rb = rollback_begin(jpath, fd, path, (RbRange[]){{0, 4000}}, 1);
	pwrite_str(fd, "short", 0);
	ok(ftruncate(fd, 5) == 0 && fsync(fd) == 0, "truncated to 5 bytes");
	ok(rb && rollback_commit(rb), "commit");
	ok(!exists(jpath), "commit removes the journal");
	file_is(path, "short", 5, "the new file stands");
	is_int(rollback_recover(jpath, path), RB_NONE, "nothing to recover after a commit");

	/* Truncation is undone too. */
	make_old(path);
	rb = rollback_begin(jpath, fd, path, (RbRange[]){{3000, 1000}}, 1);
	ok(ftruncate(fd, 3000) == 0, "cut the tail");
	ok(rb && rollback_abort(rb), "abort after a truncation");
	file_is(path, old_text, sizeof old_text, "the cut tail is back");
	close(fd);
}

static void test_refusals(void)
{
	const char *path = in_dir("g.txt"), *jpath = in_dir("g.rollback");
	make_old(path);
	int fd = open(path, O_RDWR);
	errno = 0;
	ok(!rollback_begin(jpath, fd, path, (RbRange[]){{10, 5}, {12, 5}}, 2) && errno == EINVAL,
	   "overlapping ranges: EINVAL");
	ok(!rollback_begin(jpath, fd, path, (RbRange[]){{50, 5}, {10, 5}}, 2) && errno == EINVAL, "unsorted: EINVAL");
	ok(!exists(jpath), "no journal left by a refused begin");
	write_file(jpath, "x", 1);
	errno = 0;
	ok(!rollback_begin(jpath, fd, path, (RbRange[]){{0, 5}}, 1) && errno == EEXIST,
	   "a journal already there: EEXIST (recover it first)");
	unlink(jpath);
	errno = 0;
	ok(!rollback_begin(in_dir("no/such/dir.rollback"), fd, path, (RbRange[]){{0, 5}}, 1) && errno == ENOENT,
	   "nowhere to journal: ENOENT");
	file_is(path, old_text, sizeof old_text, "the file was never touched");
	close(fd);
	char *p = rollback_path("/state", "/home/u/My File.txt");
	ok(p && strncmp(p, "/state/My_File.txt-", 19) == 0 && strstr(p, ".rollback"), "rollback_path: %s", p ? p : "NULL");
	char *q = rollback_path("/state", "/other/My File.txt");
	ok(q && strcmp(p, q) != 0, "another path, another journal");
	free(p);
	free(q);
}

/* In a child: journal, then write `writes` chunks of new text, then die
 * by SIGKILL (before commit). */
static void crash_after(const char *path, const char *jpath, int writes)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDWR);
		flock(fd, LOCK_EX);
		if (!rollback_begin(jpath, fd, path, (RbRange[]){{0, 4000}}, 1))
			_exit(3);
		for (int i = 0; i < writes; i++)
			pwrite_str(fd, "NEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEW", (off_t)i * 60);
		if (writes > 2)
			(void)!ftruncate(fd, 120);
		raise(SIGKILL);
		_exit(4);
	}
	int st;
	waitpid(pid, &st, 0);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the writer was killed (-9) after %d writes", writes);
}

static void test_crashes(void)
{
	const char *path = in_dir("c.txt"), *jpath = in_dir("c.rollback");
	for (int writes = 0; writes <= 3; writes++) {
		make_old(path);
		crash_after(path, jpath, writes);
		ok(exists(jpath), "a complete journal is left");
		is_int(rollback_recover(jpath, path), RB_ROLLED_BACK, "recover rolls back (%d writes)", writes);
		file_is(path, old_text, sizeof old_text, "the file is exactly the old one again");
		ok(!exists(jpath), "and the journal is gone");
	}

	/* A journal cut short (the crash came while it was written). */
	make_old(path);
	crash_after(path, jpath, 1);
	struct stat st;
	stat(jpath, &st);
	for (off_t cut = st.st_size - 1; cut > 0; cut = cut > 300 ? cut - 997 : cut / 2) {
		int jfd = open(jpath, O_RDWR);
		(void)!ftruncate(jfd, cut);
		close(jfd);
		int fd = open(path, O_RDWR);
		pwrite_str(fd, "untouched by a rollback", 0);
		close(fd);
		RbResult r = rollback_recover(jpath, path);
		char head[24] = "";
		fd = open(path, O_RDONLY);
		(void)!read(fd, head, 23);
		close(fd);
		if (r != RB_DISCARDED || exists(jpath) || strcmp(head, "untouched by a rollback") != 0) {
			ok(false, "a journal cut at %lld bytes is discarded (got %d)", (long long)cut, (int)r);
			return;
		}
		crash_after(path, jpath, 1);
	}
	ok(true, "a journal cut at any length is discarded, the file left as it is");
	is_int(rollback_recover(jpath, path), RB_ROLLED_BACK, "the last complete one still rolls back");

	/* A damaged byte in the middle fails the checksum. */
	make_old(path);
	crash_after(path, jpath, 2);
	int jfd = open(jpath, O_RDWR);
	pwrite_str(jfd, "X", 2000);
	close(jfd);
	is_int(rollback_recover(jpath, path), RB_DISCARDED, "a damaged journal is never written back");
}

static void test_left_alone(void)
{
	const char *path = in_dir("m.txt"), *jpath = in_dir("m.rollback");
	make_old(path);
	crash_after(path, jpath, 1);
	/* The file was replaced by another one since. */
	write_file(in_dir("m.new"), "replaced", 8);
	rename(in_dir("m.new"), path);
	is_int(rollback_recover(jpath, path), RB_MISMATCH, "a journal of a replaced file: mismatch");
	file_is(path, "replaced", 8, "the new file is left alone");
	ok(exists(jpath), "and the journal kept");
	unlink(path);
	is_int(rollback_recover(jpath, path), RB_MISMATCH, "the file is gone: mismatch");
	unlink(jpath);

	/* Another process holds the file (it is saving it right now). */
	make_old(path);
	crash_after(path, jpath, 1);
	int fd = open(path, O_RDWR);
	pid_t pid = fork();
	if (pid == 0) {
		int cfd = open(path, O_RDWR);
		flock(cfd, LOCK_EX);
		pause();
		_exit(0);
	}
	for (int i = 0; i < 200 && flock(fd, LOCK_EX | LOCK_NB) == 0; i++) {
		flock(fd, LOCK_UN);
		usleep(10000);
	}
	is_int(rollback_recover(jpath, path), RB_BUSY, "a file another process writes: busy");
	ok(exists(jpath), "the journal is kept for later");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fd);
	is_int(rollback_recover(jpath, path), RB_ROLLED_BACK, "once it is gone: rolled back");

	/* A journal anyone could have written is not trusted. */
	make_old(path);
	crash_after(path, jpath, 1);
	chmod(jpath, 0666);
	is_int(rollback_recover(jpath, path), RB_FAILED, "a world-writable journal is refused");
	chmod(jpath, 0600);
	is_int(rollback_recover(jpath, path), RB_ROLLED_BACK, "a private one is rolled back");
}

int main(void)
{
	test_dir_make("brisk-rollback");
	test_commit_and_abort();
	test_refusals();
	test_crashes();
	test_left_alone();
	test_dir_remove();
	return done_testing();
}
