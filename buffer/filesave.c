/* Saving a Text to a file by the strategy that loses nothing (fileio.h):
 *
 *  - rename: the bytes go to a temp file in the file's directory that gets
 *    the old file's owner, group, mode (set-id bits too) and extended
 *    attributes, is fsynced and renamed over it. Atomic, but it makes a
 *    new inode: only when the old file has one link, the directory is
 *    writable and every attribute was carried over (checked, not assumed).
 *  - in place: the old bytes go to a rollback journal first
 *    (buffer/rollback.h), then the file itself is rewritten from memory,
 *    truncated, fsynced, and the journal removed. Hard links, owners,
 *    attributes and a read-only directory survive; a failure is undone
 *    from the journal, a crash by the next open.
 *  - patch: a big mapped file whose every change kept the size (a hex
 *    patch) is written in place too, but only the ranges that changed are
 *    journaled and written: a byte patched in 1 GB writes a page or so.
 *
 * The text is streamed from its pages, never made contiguous. A text that
 * views the very file it is written over (a mapped big file saved in
 * place) is written in an order that never reads a byte of the file after
 * its place was written over (text_overwrite), journaling only what that
 * write changes; any mapped text views the saved file afterwards
 * (text_rebase), and one whose file changed under it is never saved
 * (FILEIO_ESOURCE): some of its bytes would be garbage.
 *
 * Special files and directories are never written. */
#include "buffer/fileio.h"
#include "buffer/fdio.h"
#include "buffer/rollback.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/* ===== paths ============================================================= */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

/* "dir/rel" for a relative symlink target read in dir's link. */
static bool join_dir(char *out, size_t size, const char *link_path, const char *rel)
{
	const char *slash = strrchr(link_path, '/');
	int dl = slash ? (int)(slash - link_path) : 1;
	int n = snprintf(out, size, "%.*s/%s", dl, slash ? link_path : ".", rel);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return false;
	}
	return true;
}

/* Follows symlinks by hand: realpath() gives up on a dangling one, whose
 * target a save must create. */
static bool follow_links(const char *path, char *cur, size_t size)
{
	char link[PATH_MAX], next[PATH_MAX];
	if ((size_t)snprintf(cur, size, "%s", path) >= size) {
		errno = ENAMETOOLONG;
		return false;
	}
	for (int hops = 0;; hops++) {
		struct stat st;
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			return true;
		ssize_t n = hops < 40 ? readlink(cur, link, sizeof link - 1) : -1;
		if (hops >= 40)
			errno = ELOOP;
		if (n < 0)
			return false;
		link[n] = '\0';
		if (link[0] == '/')
			snprintf(next, sizeof next, "%s", link);
		else if (!join_dir(next, sizeof next, cur, link))
			return false;
		snprintf(cur, size, "%s", next);
	}
}

char *file_resolve(const char *path)
{
	char cur[PATH_MAX], real[PATH_MAX], out[PATH_MAX * 2];
	if (!follow_links(path, cur, sizeof cur))
		return NULL;
	if (realpath(cur, real))
		return strdup(real);
	/* A file still to be created: its directory made canonical. */
	char *dir = dir_of(cur);
	const char *slash = strrchr(cur, '/');
	bool ok = dir && realpath(dir, real);
	free(dir);
	if (!ok)
		return strdup(cur); /* a missing directory: the save says ENOENT */
	snprintf(out, sizeof out, "%s/%s", strcmp(real, "/") ? real : "", slash ? slash + 1 : cur);
	return strdup(out);
}

bool file_is_read_only(const char *path, FileRoRule rule)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	/* vim's rule: no write bit means "do not write", even to root, who
	 * could; the access check below then covers everyone else. */
	if (rule == FILE_RO_MODE && !(st.st_mode & 0222))
		return true;
	return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0 &&
	       (errno == EACCES || errno == EROFS || errno == EPERM || errno == ETXTBSY);
}

const char *file_kind(mode_t mode)
{
	return S_ISDIR(mode) ? "a directory" : S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device"
	     : S_ISFIFO(mode) ? "a FIFO" : S_ISSOCK(mode) ? "a socket" : S_ISREG(mode) ? "a regular file" : "a special file";
}

/* ===== writing the text ================================================== */

/* The text at the start of fd, streamed from its pages (text_write
 * copies a chunk at a time: a mapped file is not made resident). */
static bool write_text(int fd, const Text *t)
{
	return text_write(t, 0, text_len(t), fd, 0);
}

/* fd (taken) is the file just written with exactly the text: a mapped
 * text views it from now on (text_rebase), so the pages it copied are
 * freed and the old file, if replaced, is let go. Best effort: a text that
 * cannot be remapped keeps viewing what it viewed, which is still there
 * (a renamed-over file stays as long as it is mapped). */
static void view_saved(Text *t, int fd)
{
	size_t len = text_len(t);
	Source *s = fd >= 0 && len > 0 ? source_map(fd, len) : NULL;
	if (s ? text_rebase(t, s) : len == 0 && text_rebase(t, NULL)) {
		if (!s && fd >= 0)
			close(fd);
		return;
	}
	if (s)
		source_free(s); /* closes fd */
	else if (fd >= 0)
		close(fd);
}

/* Whether the text's clean pages view the file st describes: writing over
 * that file must not read what it already wrote (text_overwrite). */
static bool views_file(const Text *t, const struct stat *st)
{
	const Source *s = text_source(t);
	return s && source_dev(s) == st->st_dev && source_ino(s) == st->st_ino;
}

/* ===== writing a whole file ============================================= */

/* Allocates nothing (a forked child may call it): the paths are on the stack. */
bool file_write_atomic(const char *path, bool (*fill)(int fd, void *arg), void *arg)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	int dl = slash ? (slash == path ? 1 : (int)(slash - path)) : 1;
	if (snprintf(dir, sizeof dir, "%.*s", dl, slash ? path : ".") >= (int)sizeof dir ||
	    snprintf(tmp, sizeof tmp, "%s/.%s.brisk-XXXXXX", dir, base) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return false;
	}
	int fd = mkostemp(tmp, O_CLOEXEC);
	bool ok = fd >= 0 && fill(fd, arg) && fsync(fd) == 0;
	int e = errno;
	if (fd >= 0 && close(fd) != 0 && ok)
		ok = false, e = errno;
	if (ok && rename(tmp, path) != 0)
		ok = false, e = errno;
	if (ok)
		fd_sync_dir_of(path);
	else if (fd >= 0)
		unlink(tmp);
	errno = e;
	return ok;
}

/* ===== strategy: rename ================================================== */

enum { DONE, FAILED, CANNOT_CARRY };

/* Rename loses nothing here, as far as can be told before trying. */
static bool rename_is_safe(const char *target, const struct stat *st)
{
	char *dir = dir_of(target);
	bool ok = dir && st->st_nlink == 1 && (st->st_uid == geteuid() || geteuid() == 0) &&
	          faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0;
	free(dir);
	return ok;
}

/* Every extended attribute of src (ACLs, capabilities, labels) onto fd. */
static bool copy_xattrs(const char *src, int fd)
{
	ssize_t n = llistxattr(src, NULL, 0);
	if (n < 0)
		return errno == ENOTSUP;
	if (n == 0)
		return true;
	char *names = malloc((size_t)n), *val = NULL;
	bool ok = names && (n = llistxattr(src, names, (size_t)n)) >= 0;
	for (char *k = names; ok && k < names + n; k += strlen(k) + 1) {
		ssize_t vl = lgetxattr(src, k, NULL, 0);
		char *nv = vl >= 0 ? realloc(val, (size_t)vl + 1) : NULL;
		ok = nv && (val = nv, vl = lgetxattr(src, k, val, (size_t)vl)) >= 0 && fsetxattr(fd, k, val, (size_t)vl, 0) == 0;
	}
	free(names);
	free(val);
	return ok;
}

/* Owner, group, mode and attributes of the old file onto the temp file;
 * false when one did not take (a user cannot give a file away, nor keep a
 * set-gid bit for a group they are not in). */
static bool carry(int fd, const char *target, const struct stat *st)
{
	struct stat now;
	if ((st->st_uid != geteuid() || st->st_gid != getegid()) && fchown(fd, st->st_uid, st->st_gid) != 0)
		return false;
	/* After the chown, which clears set-id bits. */
	if (fchmod(fd, st->st_mode & 07777) != 0 || !copy_xattrs(target, fd) || fstat(fd, &now) != 0)
		return false;
	return now.st_uid == st->st_uid && now.st_gid == st->st_gid && (now.st_mode & 07777) == (st->st_mode & 07777);
}

/* What save_by_rename gives file_write_atomic to fill the temp file. */
typedef struct Fill {
	const char *target;
	const Text *t;
	const struct stat *old;
	int res;
	int view; /* a duplicate of the temp file's descriptor, or -1 */
} Fill;

/* The text and the old file's attributes (umask's mode for a new file). */
static bool fill_temp(int fd, void *arg)
{
	Fill *f = arg;
	mode_t um = umask(0);
	umask(um);
	if (!write_text(fd, f->t))
		return f->res = FAILED, false;
	if (f->old ? !carry(fd, f->target, f->old) : fchmod(fd, 0666 & ~um) != 0)
		return f->res = f->old ? CANNOT_CARRY : FAILED, false;
	/* A mapped text will view the new file: its descriptor kept (best
	 * effort: without it the text keeps viewing the old file). */
	if (text_source(f->t))
		f->view = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return f->res = DONE, true;
}

static int save_by_rename(const char *target, Text *t, const struct stat *old)
{
	Fill f = {target, t, old, FAILED, -1};
	bool ok = file_write_atomic(target, fill_temp, &f);
	int e = errno;
	if (ok && f.view >= 0)
		view_saved(t, f.view);
	else if (f.view >= 0)
		close(f.view);
	errno = e;
	return ok ? DONE : f.res == CANNOT_CARRY ? CANNOT_CARRY : FAILED;
}

/* ===== strategy: in place ================================================ */

/* The file for reading and writing; an owner without those permissions
 * gets them for the time of the write (privs_restore takes them back). */
static int open_rw(const char *target, const struct stat *st)
{
	int fd = open(target, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0 || errno != EACCES || st->st_uid != geteuid())
		return fd;
	if (chmod(target, (st->st_mode & 07777) | S_IRUSR | S_IWUSR) != 0)
		return -1;
	if ((fd = open(target, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		int e = errno;
		chmod(target, st->st_mode & 07777);
		errno = e;
	}
	return fd;
}

/* What a write into a file may strip from it: a write by a user other than
 * root clears the set-id bits, and any write drops file capabilities. */
typedef struct Privs {
	mode_t mode;
	char cap[64];
	ssize_t caplen;
} Privs;

static void privs_save(int fd, const struct stat *st, Privs *p)
{
	p->mode = st->st_mode & 07777;
	p->caplen = fgetxattr(fd, "security.capability", p->cap, sizeof p->cap);
}

/* Puts back what the write took (the owner or root may). */
static void privs_restore(int fd, const Privs *p)
{
	struct stat now;
	char cap[64];
	if (fstat(fd, &now) == 0 && (now.st_mode & 07777) != p->mode)
		fchmod(fd, p->mode);
	if (p->caplen > 0 && fgetxattr(fd, "security.capability", cap, sizeof cap) < 0)
		fsetxattr(fd, "security.capability", p->cap, (size_t)p->caplen, 0);
}

/* A journal an interrupted save left is rolled back before a new one. */
static bool clear_old_journal(const char *jpath, const char *target, FileSaveOpts *o)
{
	RbResult r = rollback_recover(jpath, target);
	if (r == RB_NONE || r == RB_DISCARDED || r == RB_ROLLED_BACK)
		return true;
	o->journal_errno = r == RB_BUSY ? EBUSY : r == RB_MISMATCH ? EEXIST : errno;
	errno = o->journal_errno;
	return false;
}

/* The ranges of fd an in-place write of t changes, for the journal: the
 * whole old file, or for a text viewing fd's own file only what the write
 * changes (text_overwrite_ranges: a patch journals the patched bytes). */
static bool changed_ranges(int fd, const Text *t, const struct stat *st, bool own, RbRange **r, size_t *n)
{
	if (!own) {
		*n = 1;
		if (!(*r = malloc(sizeof **r)))
			return false;
		(*r)[0] = (RbRange){0, (uint64_t)st->st_size};
		return true;
	}
	PagesRange *pr;
	if (!text_overwrite_ranges(t, fd, (size_t)st->st_size, &pr, n))
		return false;
	RbRange *v = malloc((*n ? *n : 1) * sizeof *v);
	for (size_t i = 0; v && i < *n; i++)
		v[i] = (RbRange){pr[i].pos, pr[i].len};
	free(pr);
	*r = v;
	return v != NULL;
}

/* Journal, write, truncate, fsync, commit; undone from the journal when a
 * write fails. fd is locked by the caller. A text viewing fd's own file
 * views it anew afterwards (its clean pages may have moved). */
static bool write_journaled(int fd, const char *jpath, const char *target, Text *t, FileSaveOpts *o)
{
	struct stat st;
	RbRange *r = NULL;
	size_t n = 0;
	if (fstat(fd, &st) != 0)
		return false;
	bool own = views_file(t, &st);
	if (!changed_ranges(fd, t, &st, own, &r, &n))
		return false;
	Rollback *rb = rollback_begin(jpath, fd, target, r, n);
	free(r);
	if (!rb) {
		o->journal_errno = errno;
		return false;
	}
	bool wrote = own ? text_overwrite(t, fd, (size_t)st.st_size) : write_text(fd, t);
	if (!wrote || ftruncate(fd, (off_t)text_len(t)) != 0 || fsync(fd) != 0) {
		int e = errno;
		o->stuck = !rollback_abort(rb); /* the old bytes back: the text's views hold again */
		errno = e;
		return false;
	}
	if (!rollback_commit(rb))
		o->journal_left = true;
	if (text_source(t))
		view_saved(t, fcntl(fd, F_DUPFD_CLOEXEC, 0));
	return true;
}

static bool save_in_place(const char *target, Text *t, const struct stat *st, FileSaveOpts *o)
{
	char *jpath = o->rollback_dir ? rollback_path(o->rollback_dir, target) : NULL;
	bool ok = false;
	if (!jpath) {
		o->journal_errno = o->rollback_dir ? ENOMEM : ENOENT;
		errno = o->journal_errno;
		return false;
	}
	if (o->before_inplace)
		o->before_inplace(o->arg);
	int fd = clear_old_journal(jpath, target, o) ? open_rw(target, st) : -1;
	if (fd >= 0) {
		Privs p;
		privs_save(fd, st, &p);
		if (flock(fd, LOCK_EX | LOCK_NB) != 0)
			errno = errno == EWOULDBLOCK ? EBUSY : errno; /* another writer, now */
		else
			ok = write_journaled(fd, jpath, target, t, o);
		int e = errno;
		/* Let go now: a mapped text keeps a duplicate of fd (its view
		 * of the file), which would hold the lock against its next save. */
		flock(fd, LOCK_UN);
		privs_restore(fd, &p);
		close(fd);
		errno = e;
	}
	free(jpath);
	return ok;
}

/* ===== file_save ========================================================= */

/* The file to write: symlinks followed; refused when not a regular file.
 * *exists says whether it is there (else st is unset). */
static char *target_of(const char *path, struct stat *st, bool *exists)
{
	char *target = file_resolve(path);
	if (!target)
		return NULL;
	*exists = stat(target, st) == 0;
	int e = *exists ? (S_ISDIR(st->st_mode) ? EISDIR : !S_ISREG(st->st_mode) ? FILEIO_ESPECIAL : 0)
	                : errno == ENOENT ? 0 : errno;
	if (e) {
		free(target);
		errno = e;
		return NULL;
	}
	return target;
}

/* A big file viewed by the text, whose every change kept the size (hex
 * patches): written in place, only what changed. */
static bool is_patch(const Text *t, const struct stat *st)
{
	return views_file(t, st) && t->same_size && text_len(t) >= FILEIO_PATCH_MIN &&
	       (uint64_t)st->st_size == text_len(t);
}

/* A temp file that does not fit may fit in place (only the growth is new). */
static bool no_room(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

bool file_save(const char *path, Text *t, FileInfo *fi, FileSaveOpts *o)
{
	FileSaveOpts none = {0};
	struct stat st;
	bool exists;
	if (!o)
		o = &none;
	o->how = o->journal_errno = 0;
	o->stuck = o->journal_left = false;
	if (!o->force && file_changed_on_disk(path, fi)) {
		errno = FILEIO_ECHANGED;
		return false;
	}
	size_t lf, lt;
	if (text_lost(t, &lf, &lt) || text_source_changed(t)) {
		errno = FILEIO_ESOURCE; /* never garbage over a file, forced or not */
		return false;
	}
	char *target = target_of(path, &st, &exists);
	if (!target)
		return false;
	int r = FAILED;
	if (exists && o->rollback_dir && is_patch(t, &st)) {
		o->how = FILE_SAVE_PATCH;
		r = save_in_place(target, t, &st, o) ? DONE : FAILED;
	} else if (!exists || rename_is_safe(target, &st)) {
		o->how = FILE_SAVE_RENAME;
		r = save_by_rename(target, t, exists ? &st : NULL);
	}
	int e = errno;
	if (r != DONE && exists && o->how != FILE_SAVE_PATCH &&
	    (o->how == 0 || r == CANNOT_CARRY || (no_room(e) && o->rollback_dir))) {
		o->how = FILE_SAVE_INPLACE;
		r = save_in_place(target, t, &st, o) ? DONE : FAILED;
		/* Out of room for a temp file, and in place failed too: say so. */
		if (r != DONE && no_room(e) && !o->journal_errno && !o->stuck)
			errno = e;
		e = errno;
	}
	free(target);
	if (r != DONE) {
		errno = e;
		return false;
	}
	file_stat(path, fi);
	text_mark_saved(t);
	return true;
}
