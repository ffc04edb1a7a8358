/* Mapped files and the SIGBUS guard (see source.h).
 *
 * The handler needs to find the mapping a fault is in, so live sources
 * are listed in a fixed table (the one global of buffer/: a signal handler
 * cannot be handed a context). A fault outside every listed mapping is not
 * ours: the previous handler (or the default action) gets it. */
#include "buffer/source.h"
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SOURCES 256

struct Source {
	int fd;
	char *map;
	size_t size;        /* bytes mapped */
	size_t maplen;      /* size rounded up to whole system pages */
	dev_t dev;
	ino_t ino;
	off_t disk_size;    /* size and mtime when mapped */
	struct timespec mtime;
	volatile size_t lost_from, lost_to; /* hull of lost bytes; from == to: none */
	volatile size_t zeroed_from;        /* the mapping reads zeros from here on */
	size_t bytes_read;
};

static Source *volatile table[MAX_SOURCES];
static struct sigaction old_bus;
static bool handler_set;

static size_t sys_page(void)
{
	long p = sysconf(_SC_PAGESIZE);
	return p > 0 ? (size_t)p : 4096;
}

static void note_lost(Source *s, size_t from, size_t to)
{
	if (from >= to)
		return;
	if (s->lost_from == s->lost_to) {
		s->lost_from = from;
		s->lost_to = to;
		return;
	}
	if (from < s->lost_from)
		s->lost_from = from;
	if (to > s->lost_to)
		s->lost_to = to;
}

/* Maps zero pages over [off, maplen) of the mapping (off page-aligned).
 * Only async-signal-safe calls: it runs in the handler too. */
static void zero_from(Source *s, size_t off)
{
	if (off >= s->zeroed_from)
		return;
	if (mmap(s->map + off, s->zeroed_from - off, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
	    MAP_FAILED)
		s->zeroed_from = off;
}

/* The file is now `now` bytes long (< size): its tail is gone. The system
 * page holding the new end still maps the file (reading zeros past it). */
static void lose_tail(Source *s, size_t now)
{
	size_t ps = sys_page();
	note_lost(s, now, s->size);
	zero_from(s, (now + ps - 1) / ps * ps);
}

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	char *a = si->si_addr;
	for (size_t i = 0; i < MAX_SOURCES; i++) {
		Source *s = table[i];
		if (!s || a < s->map || a >= s->map + s->maplen)
			continue;
		size_t ps = sys_page(), off = (size_t)(a - s->map) / ps * ps;
		struct stat st;
		if (fstat(s->fd, &st) == 0 && (size_t)st.st_size <= off) {
			lose_tail(s, (size_t)st.st_size);
			if (s->zeroed_from <= off)
				return;
		} else {
			/* An I/O error, or a file cut and grown again: this page. */
			note_lost(s, off, off + ps < s->size ? off + ps : s->size);
			if (mmap(s->map + off, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED)
				return;
		}
		break; /* no zeros could be mapped: it would fault forever */
	}
	/* Not a mapping of ours (or no zeros could be mapped there): what
	 * would have happened without us. */
	if (old_bus.sa_flags & SA_SIGINFO && old_bus.sa_sigaction) {
		old_bus.sa_sigaction(sig, si, uc);
		return;
	}
	if (old_bus.sa_handler != SIG_DFL && old_bus.sa_handler != SIG_IGN && old_bus.sa_handler) {
		old_bus.sa_handler(sig);
		return;
	}
	signal(sig, SIG_DFL);
}

static bool install_handler(void)
{
	if (handler_set)
		return true;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old_bus) != 0)
		return false;
	handler_set = true;
	return true;
}

static bool enlist(Source *s)
{
	for (size_t i = 0; i < MAX_SOURCES; i++)
		if (!table[i]) {
			table[i] = s;
			return true;
		}
	errno = EMFILE;
	return false;
}

Source *source_map(int fd, size_t size)
{
	struct stat st;
	Source *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	if (size == 0 || fstat(fd, &st) != 0 || !install_handler()) {
		int e = size == 0 ? EINVAL : errno;
		free(s);
		errno = e;
		return NULL;
	}
	size_t ps = sys_page();
	s->fd = fd;
	s->size = size;
	s->maplen = (size + ps - 1) / ps * ps;
	s->zeroed_from = s->maplen;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->disk_size = st.st_size;
	s->mtime = st.st_mtim;
	s->map = mmap(NULL, s->maplen, PROT_READ, MAP_SHARED, fd, 0);
	if (s->map == MAP_FAILED || !enlist(s)) {
		int e = errno;
		if (s->map != MAP_FAILED)
			munmap(s->map, s->maplen);
		free(s);
		errno = e;
		return NULL;
	}
	return s;
}

void source_free(Source *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < MAX_SOURCES; i++)
		if (table[i] == s)
			table[i] = NULL;
	munmap(s->map, s->maplen);
	close(s->fd);
	free(s);
}

const char *source_base(const Source *s) { return s->map; }
size_t source_size(const Source *s) { return s->size; }
dev_t source_dev(const Source *s) { return s->dev; }
ino_t source_ino(const Source *s) { return s->ino; }
size_t source_bytes_read(const Source *s) { return s->bytes_read; }

bool source_read(Source *s, size_t off, size_t len, char *out)
{
	size_t done = 0;
	s->bytes_read += len;
	while (done < len) {
		ssize_t r = pread(s->fd, out + done, len - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	if (done == len)
		return true;
	/* Short: the file shrank (or cannot be read there). */
	memset(out + done, 0, len - done);
	struct stat st;
	if (fstat(s->fd, &st) == 0 && (size_t)st.st_size < s->size)
		lose_tail(s, (size_t)st.st_size);
	note_lost(s, off + done, off + len);
	return false;
}

void source_release(Source *s, size_t off, size_t len)
{
	size_t ps = sys_page(), from = off / ps * ps, to = off + len;
	if (to > s->size)
		to = s->size;
	/* Whole pages inside the range only: a neighbour may be in use. */
	to = to / ps * ps;
	if (to == s->size / ps * ps && s->size % ps)
		to = s->maplen;
	if (from < to)
		madvise(s->map + from, to - from, MADV_DONTNEED);
}

bool source_check(Source *s)
{
	struct stat st;
	if (fstat(s->fd, &st) != 0)
		return true;
	if ((size_t)st.st_size < s->size)
		lose_tail(s, (size_t)st.st_size);
	return st.st_size != s->disk_size || st.st_mtim.tv_sec != s->mtime.tv_sec ||
	       st.st_mtim.tv_nsec != s->mtime.tv_nsec;
}

bool source_lost(const Source *s, size_t *from, size_t *to)
{
	size_t f = s->lost_from, t = s->lost_to;
	if (f >= t)
		return false;
	*from = f;
	*to = t;
	return true;
}
