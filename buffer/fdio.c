/* Whole reads and writes on descriptors (fdio.h): the one retry loop for
 * journals, rollback journals and saves. */
#include "buffer/fdio.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* One loop for the three: off < 0 means write(2) at the file position. */
static bool move_all(int fd, char *p, size_t n, int64_t off, bool reading)
{
	while (n > 0) {
		ssize_t k = reading ? pread(fd, p, n, (off_t)off)
		          : off < 0 ? write(fd, p, n) : pwrite(fd, p, n, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = reading ? EIO : ENOSPC;
			return false;
		}
		p += k;
		n -= (size_t)k;
		if (off >= 0)
			off += k;
	}
	return true;
}

bool fd_write_all(int fd, const void *p, size_t n)
{
	return move_all(fd, (char *)p, n, -1, false);
}

bool fd_pwrite_all(int fd, const void *p, size_t n, uint64_t off)
{
	return move_all(fd, (char *)p, n, (int64_t)off, false);
}

bool fd_pread_all(int fd, void *p, size_t n, uint64_t off)
{
	return move_all(fd, p, n, (int64_t)off, true);
}

void fd_sync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int dl = slash ? (slash == path ? 1 : (int)(slash - path)) : 1;
	if (snprintf(dir, sizeof dir, "%.*s", dl, slash ? path : ".") >= (int)sizeof dir)
		return;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

bool fd_mkdir_p(const char *dir, unsigned mode)
{
	char p[PATH_MAX];
	if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p) {
		errno = ENAMETOOLONG;
		return false;
	}
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		bool ok = mkdir(p, mode) == 0 || errno == EEXIST;
		*s = '/';
		if (!ok)
			return false;
	}
	if (mkdir(p, mode) == 0)
		return true;
	struct stat st;
	if (errno != EEXIST || stat(p, &st) != 0)
		return false;
	if (!S_ISDIR(st.st_mode))
		errno = ENOTDIR;
	return S_ISDIR(st.st_mode);
}
