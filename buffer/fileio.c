/* Loading, stat and the changed-on-disk check. Saving is filesave.c. */
#include "buffer/fileio.h"
#include "buffer/array.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fill_info(FileInfo *fi, const struct stat *st)
{
	fi->exists = true;
	fi->dev = st->st_dev;
	fi->ino = st->st_ino;
	fi->size = st->st_size;
	fi->mtime = st->st_mtim;
	fi->mode = st->st_mode;
	fi->uid = st->st_uid;
	fi->gid = st->st_gid;
}

bool file_stat(const char *path, FileInfo *fi)
{
	struct stat st;
	memset(fi, 0, sizeof *fi);
	if (stat(path, &st) != 0)
		return false;
	fill_info(fi, &st);
	return true;
}

/* Reads fd to its end into a malloc'd block of at least cap bytes (grown
 * as needed: a file may grow or shrink while read, and /proc files say
 * they are empty); text_adopt() takes it. */
static bool load_all(int fd, size_t cap, Text *t)
{
	size_t len = 0;
	char *data = malloc(cap);
	if (!data)
		return false;
	for (;;) {
		if (len == cap && !ARRAY_RESERVE(data, cap, len + 1)) {
			free(data);
			errno = ENOMEM;
			return false;
		}
		ssize_t r = read(fd, data + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(data);
			errno = e;
			return false;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (!text_adopt(t, data, len, cap)) {
		free(data);
		errno = ENOMEM;
		return false;
	}
	return true;
}

bool file_load_fd(int fd, Text *t)
{
	return load_all(fd, 1 << 16, t);
}

bool file_load(const char *path, Text *t, FileInfo *fi)
{
	memset(fi, 0, sizeof *fi);
	if (strcmp(path, "-") == 0)
		return file_load_fd(0, t);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	int e = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : !S_ISREG(st.st_mode) ? EINVAL : 0;
	if (e) {
		close(fd);
		errno = e;
		return false;
	}
	size_t size = (size_t)st.st_size;
	if (size >= FILEIO_MAP_MIN && size > 0) {
		/* Big: mapped, nothing read until shown (fd goes with the map).
		 * What cannot be mapped (some special files) is read. */
		Source *s = source_map(fd, size);
		if (s && text_adopt_source(t, s)) {
			fill_info(fi, &st);
			return true;
		}
		if (s) {
			source_free(s); /* closes fd */
			errno = ENOMEM;
			return false;
		}
	}
	/* Room for the file plus a gap, so the first edits need no copy. */
	bool ok = load_all(fd, size + size / 16 + GAPBUF_MIN_GAP, t);
	e = errno;
	close(fd);
	errno = e;
	if (ok)
		fill_info(fi, &st);
	return ok;
}

bool file_changed_on_disk(const char *path, const FileInfo *fi)
{
	FileInfo now;
	bool exists = file_stat(path, &now);
	if (!fi->exists)
		return false; /* a new file: creating it is what the user asked */
	if (!exists)
		return true;
	return now.ino != fi->ino || now.dev != fi->dev || now.size != fi->size ||
	       now.mtime.tv_sec != fi->mtime.tv_sec || now.mtime.tv_nsec != fi->mtime.tv_nsec;
}

bool text_has_crlf(const Text *t)
{
	size_t end = text_line_end_within(t, 0, 65536);
	return end != BUF_NOPOS && end > 0 && end < text_len(t) && text_byte(t, end - 1) == '\r';
}

bool text_looks_binary(const Text *t)
{
	size_t n = text_len(t) < 65536 ? text_len(t) : 65536;
	for (size_t i = 0; i < n;) {
		size_t span;
		const char *p = text_span(t, i, &span);
		if (span > n - i)
			span = n - i;
		if (memchr(p, '\0', span))
			return true;
		i += span;
	}
	return false;
}
