/* Rollback journals (see rollback.h): the old bytes of the ranges an
 * in-place write is about to change, so that write can be undone after a
 * failure or a crash. Writes only the journal and, to undo, the file.
 *
 * The journal, mode 0600:
 *
 *	brisk rollback 1
 *	path LEN
 *	<LEN bytes>
 *	file DEV INO OLD-SIZE          (identity of the file when journaled)
 *	ranges N
 *	POS LEN                        (N lines, sorted, inside OLD-SIZE)
 *	data
 *	<the old bytes of the N ranges, one after the other>
 *	end CHECKSUM                   (FNV-1a 64, hex, of every byte before "end")
 *
 * The checksum is what makes a journal complete: written in one go and
 * fsynced once, a journal cut short by a crash cannot pass it, and such a
 * journal was never followed by a write to the file. */
#include "buffer/rollback.h"
#include "buffer/array.h"
#include "buffer/fdio.h"
#include "buffer/hash.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "brisk rollback 1\n"
#define CHUNK 65536

struct Rollback {
	int jfd;           /* the journal, open for reading it back */
	char *jpath;
	int fd;            /* the file (the caller's; never closed here) */
	RbRange *r;        /* ranges, clipped to the old size */
	size_t n;
	uint64_t old_size;
	uint64_t data_at;  /* offset of the old bytes in the journal */
};

char *rollback_path(const char *dir, const char *path)
{
	char tag[128], *out = NULL;
	hash_path_tag(path, tag, sizeof tag);
	if (asprintf(&out, "%s/%s.rollback", dir, tag) < 0)
		return NULL;
	return out;
}

/* ===== writing a journal ================================================= */

/* Buffered writer that hashes what it writes. */
typedef struct Wr {
	int fd;
	uint64_t h;
	size_t n;
	bool err;
	char buf[CHUNK];
} Wr;

static void wr_flush(Wr *w)
{
	if (!w->err && !fd_write_all(w->fd, w->buf, w->n))
		w->err = true;
	w->n = 0;
}

static void wr_put(Wr *w, const char *p, size_t n)
{
	w->h = hash_fnv1a(w->h, p, n);
	while (n > 0 && !w->err) {
		if (w->n == sizeof w->buf)
			wr_flush(w);
		size_t k = sizeof w->buf - w->n < n ? sizeof w->buf - w->n : n;
		memcpy(w->buf + w->n, p, k);
		w->n += k;
		p += k;
		n -= k;
	}
}

static void wr_fmt(Wr *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wr_fmt(Wr *w, const char *fmt, ...)
{
	char line[128];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	wr_put(w, line, (size_t)k);
}

/* Ranges checked and clipped to the old size (empty ones dropped). */
static RbRange *clip_ranges(const RbRange *r, size_t n, uint64_t size, size_t *out_n)
{
	RbRange *v = malloc((n ? n : 1) * sizeof *v);
	size_t k = 0;
	uint64_t prev_end = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (r[i].pos < prev_end || r[i].len > UINT64_MAX - r[i].pos) {
			free(v);
			errno = EINVAL;
			return NULL;
		}
		prev_end = r[i].pos + r[i].len;
		uint64_t end = prev_end < size ? prev_end : size;
		if (r[i].pos < end)
			v[k++] = (RbRange){r[i].pos, end - r[i].pos};
	}
	*out_n = k;
	return v;
}

/* Header, ranges and old bytes, then the checksum line. */
static bool write_journal(Wr *w, Rollback *rb, const char *path, const struct stat *st)
{
	wr_put(w, MAGIC, strlen(MAGIC));
	wr_fmt(w, "path %zu\n", strlen(path));
	wr_put(w, path, strlen(path));
	wr_fmt(w, "\nfile %ju %ju %ju\nranges %zu\n", (uintmax_t)st->st_dev, (uintmax_t)st->st_ino,
	       (uintmax_t)rb->old_size, rb->n);
	for (size_t i = 0; i < rb->n; i++)
		wr_fmt(w, "%" PRIu64 " %" PRIu64 "\n", rb->r[i].pos, rb->r[i].len);
	wr_put(w, "data\n", 5);
	wr_flush(w);
	rb->data_at = (uint64_t)lseek(w->fd, 0, SEEK_CUR);
	char *chunk = malloc(CHUNK);
	if (!chunk)
		return false;
	for (size_t i = 0; i < rb->n && !w->err; i++)
		for (uint64_t done = 0; done < rb->r[i].len && !w->err;) {
			size_t k = rb->r[i].len - done < CHUNK ? (size_t)(rb->r[i].len - done) : CHUNK;
			if (!fd_pread_all(rb->fd, chunk, k, rb->r[i].pos + done))
				w->err = true;
			else
				wr_put(w, chunk, k);
			done += k;
		}
	free(chunk);
	uint64_t sum = w->h;
	wr_fmt(w, "end %016" PRIx64 "\n", sum);
	wr_flush(w);
	return !w->err;
}

Rollback *rollback_begin(const char *jpath, int fd, const char *path, const RbRange *r, size_t n)
{
	struct stat st;
	Rollback *rb = calloc(1, sizeof *rb);
	Wr *w = malloc(sizeof *w);
	if (!rb || !w || fstat(fd, &st) != 0 || !(rb->jpath = strdup(jpath)))
		goto fail_early;
	rb->fd = fd;
	rb->old_size = (uint64_t)st.st_size;
	if (!(rb->r = clip_ranges(r, n, rb->old_size, &rb->n)))
		goto fail_early;
	rb->jfd = open(jpath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (rb->jfd < 0)
		goto fail_early;
	*w = (Wr){.fd = rb->jfd, .h = HASH_FNV_INIT};
	if (!write_journal(w, rb, path, &st) || fsync(rb->jfd) != 0) {
		int e = errno;
		close(rb->jfd);
		unlink(jpath);
		errno = e;
		goto fail_early;
	}
	free(w);
	fd_sync_dir_of(jpath);
	return rb;
fail_early: {
	int e = errno;
	free(w);
	if (rb) {
		free(rb->r);
		free(rb->jpath);
	}
	free(rb);
	errno = e ? e : ENOMEM;
	return NULL;
}
}

static void rb_free(Rollback *rb)
{
	close(rb->jfd);
	free(rb->jpath);
	free(rb->r);
	free(rb);
}

bool rollback_commit(Rollback *rb)
{
	bool ok = unlink(rb->jpath) == 0;
	int e = errno;
	if (ok)
		fd_sync_dir_of(rb->jpath);
	rb_free(rb);
	errno = e;
	return ok;
}

/* The old bytes back from the journal (jfd, data at data_at), the old
 * size, fsync. Reads the journal only, never the file. */
static bool restore(int jfd, uint64_t data_at, int fd, const RbRange *r, size_t n, uint64_t old_size)
{
	char *chunk = malloc(CHUNK);
	uint64_t from = data_at;
	bool ok = chunk != NULL;
	for (size_t i = 0; ok && i < n; i++)
		for (uint64_t done = 0; ok && done < r[i].len;) {
			size_t k = r[i].len - done < CHUNK ? (size_t)(r[i].len - done) : CHUNK;
			ok = fd_pread_all(jfd, chunk, k, from) && fd_pwrite_all(fd, chunk, k, r[i].pos + done);
			from += k;
			done += k;
		}
	free(chunk);
	return ok && ftruncate(fd, (off_t)old_size) == 0 && fsync(fd) == 0;
}

bool rollback_abort(Rollback *rb)
{
	bool ok = restore(rb->jfd, rb->data_at, rb->fd, rb->r, rb->n, rb->old_size);
	int e = errno;
	if (ok) {
		unlink(rb->jpath);
		fd_sync_dir_of(rb->jpath);
	}
	rb_free(rb);
	errno = e;
	return ok;
}

/* ===== reading a journal back ============================================ */

/* Buffered reader that hashes what it consumes. */
typedef struct Rd {
	int fd;
	uint64_t h, off; /* hash and offset of what was consumed */
	size_t at, len;
	char buf[CHUNK];
} Rd;

static bool rd_fill(Rd *r)
{
	if (r->at < r->len)
		return true;
	ssize_t k;
	while ((k = pread(r->fd, r->buf, sizeof r->buf, (off_t)r->off)) < 0 && errno == EINTR)
		;
	if (k <= 0)
		return false;
	r->at = 0;
	r->len = (size_t)k;
	return true;
}

/* Consumes n bytes (into out unless NULL). */
static bool rd_take(Rd *r, char *out, uint64_t n)
{
	while (n > 0) {
		if (!rd_fill(r))
			return false;
		size_t k = r->len - r->at < n ? r->len - r->at : (size_t)n;
		r->h = hash_fnv1a(r->h, r->buf + r->at, k);
		if (out) {
			memcpy(out, r->buf + r->at, k);
			out += k;
		}
		r->at += k;
		r->off += k;
		n -= k;
	}
	return true;
}

/* One line of at most size - 1 bytes, without its '\n', NUL-terminated. */
static bool rd_line(Rd *r, char *out, size_t size)
{
	for (size_t k = 0; k + 1 < size; k++) {
		if (!rd_take(r, out + k, 1))
			return false;
		if (out[k] == '\n') {
			out[k] = '\0';
			return true;
		}
	}
	return false;
}

/* What a journal says, once its checksum held. */
typedef struct JHead {
	uintmax_t dev, ino, old_size;
	RbRange *r;
	size_t n, cap;
	uint64_t data_at;
} JHead;

static bool parse_ranges(Rd *r, JHead *h)
{
	char line[128];
	size_t n;
	uint64_t prev = 0, total = 0;
	if (!rd_line(r, line, sizeof line) || sscanf(line, "ranges %zu", &n) != 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		RbRange x;
		if (!rd_line(r, line, sizeof line) || sscanf(line, "%" SCNu64 " %" SCNu64, &x.pos, &x.len) != 2)
			return false;
		if (x.pos < prev || x.len > h->old_size || x.pos > h->old_size - x.len || !ARRAY_RESERVE(h->r, h->cap, i + 1))
			return false;
		h->r[h->n++] = x;
		prev = x.pos + x.len;
		total += x.len;
	}
	if (!rd_line(r, line, sizeof line) || strcmp(line, "data") != 0)
		return false;
	h->data_at = r->off;
	return rd_take(r, NULL, total);
}

/* Parses and checks the whole journal: false for an incomplete or damaged
 * one. */
static bool parse_journal(int fd, JHead *h)
{
	Rd *r = malloc(sizeof *r);
	char line[128];
	uint64_t plen, sum;
	bool ok = false;
	if (!r)
		return false;
	*r = (Rd){.fd = fd, .h = HASH_FNV_INIT};
	if (!rd_line(r, line, sizeof line) || strcmp(line, "brisk rollback 1") != 0)
		goto out;
	if (!rd_line(r, line, sizeof line) || sscanf(line, "path %" SCNu64, &plen) != 1 || !rd_take(r, NULL, plen + 1))
		goto out;
	if (!rd_line(r, line, sizeof line) || sscanf(line, "file %ju %ju %ju", &h->dev, &h->ino, &h->old_size) != 3)
		goto out;
	if (!parse_ranges(r, h))
		goto out;
	uint64_t want = r->h;
	ok = rd_line(r, line, sizeof line) && sscanf(line, "end %" SCNx64, &sum) == 1 && sum == want && !rd_fill(r);
out:
	free(r);
	return ok;
}

/* The journal is ours (written by this user, not a link, private). */
static bool trusted(int jfd)
{
	struct stat st;
	return fstat(jfd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022);
}

/* Opens the file for the rollback, even when it has no write bits now
 * (the owner may add them for the time of the write). */
static int open_target(const char *path, mode_t *restore_mode)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_CLOEXEC);
	*restore_mode = 0;
	if (fd >= 0 || errno != EACCES || stat(path, &st) != 0 || st.st_uid != geteuid())
		return fd;
	if (chmod(path, (st.st_mode & 07777) | S_IWUSR) != 0)
		return -1;
	fd = open(path, O_RDWR | O_CLOEXEC);
	int e = errno;
	*restore_mode = (st.st_mode & 07777) | S_IFREG;
	if (fd < 0) {
		chmod(path, st.st_mode & 07777);
		errno = e;
	}
	return fd;
}

static RbResult apply(int jfd, const char *jpath, const char *path, const JHead *h)
{
	mode_t mode;
	struct stat st;
	int fd = open_target(path, &mode);
	if (fd < 0)
		return errno == ENOENT ? RB_MISMATCH : RB_FAILED;
	RbResult res = RB_FAILED;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		res = errno == EWOULDBLOCK ? RB_BUSY : RB_FAILED;
	} else if (fstat(fd, &st) != 0) {
		res = RB_FAILED;
	} else if ((uintmax_t)st.st_dev != h->dev || (uintmax_t)st.st_ino != h->ino) {
		res = RB_MISMATCH;
	} else if (restore(jfd, h->data_at, fd, h->r, h->n, h->old_size)) {
		res = RB_ROLLED_BACK;
		unlink(jpath);
		fd_sync_dir_of(jpath);
	}
	int e = errno;
	if (mode)
		fchmod(fd, mode & 07777);
	close(fd);
	errno = e;
	return res;
}

RbResult rollback_recover(const char *jpath, const char *path)
{
	int jfd = open(jpath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (jfd < 0) /* no journal, or no directory that could hold one */
		return errno == ENOENT || errno == ENOTDIR ? RB_NONE : RB_FAILED;
	if (!trusted(jfd)) {
		close(jfd);
		errno = EPERM;
		return RB_FAILED;
	}
	JHead h = {0};
	RbResult res;
	if (!parse_journal(jfd, &h)) {
		/* Cut short before its end: the file was never touched. */
		res = unlink(jpath) == 0 ? RB_DISCARDED : RB_FAILED;
	} else {
		res = apply(jfd, jpath, path, &h);
	}
	int e = errno;
	free(h.r);
	close(jfd);
	errno = e;
	return res;
}
