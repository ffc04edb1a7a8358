/* Files for the unit tests that touch the disk (with tap.h): a private
 * temp directory, paths in it, whole-file writes and checks. */
#ifndef TESTS_UNIT_TESTFS_H
#define TESTS_UNIT_TESTFS_H
#include "tests/unit/tap.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char test_dir[256];

/* $TMPDIR/NAME-XXXXXX (default /tmp), made now; bails out when it cannot. */
static inline void test_dir_make(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(test_dir, sizeof test_dir, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (!mkdtemp(test_dir))
		BAIL_OUT("mkdtemp: %s", strerror(errno));
}

/* Removes it with all it holds, read-only parts too. */
static inline void test_dir_remove(void)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", test_dir, test_dir);
	if (system(cmd) != 0)
		diag("could not remove %s", test_dir);
}

/* test_dir/name; the last four results stay valid. */
static inline const char *in_dir(const char *name)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", test_dir, name);
	return buf[k];
}

static inline void write_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(s, 1, n, f) != n || fclose(f) != 0)
		BAIL_OUT("cannot write %s", path);
}

/* The file's bytes, malloc'd; *n gets the size (NULL if unreadable). */
static inline char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0, r;
	char *s = malloc(cap);
	while (s && (r = fread(s + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap)
			s = realloc(s, cap *= 2);
	}
	fclose(f);
	*n = len;
	return s;
}

static inline bool file_is(const char *path, const char *want, size_t wlen, const char *what)
{
	size_t n = 0;
	char *s = read_file(path, &n);
	bool r = is_mem(s, n, want, wlen, "%s", what);
	free(s);
	return r;
}
#endif
