/* Pages (see pages.h): lookups, copies and the page side of a one-pass
 * batch.
 *
 * Lookups. Page starts are a prefix cache, valid below `nstart`; an edit
 * of page k invalidates the starts after it, and a lookup past the valid
 * part extends it (O(pages) at worst: 16k pages for a GB). A one-page hint
 * makes runs of lookups nearby O(1).
 *
 * Clean bytes are read through the mapping for short runs (what the screen
 * shows) and with pread for long ones (indexing, searching, saving), so a
 * scan over a big file does not leave it resident in memory. */
#include "buffer/pages.h"
#include "buffer/array.h"
#include "buffer/fdio.h"
#include "buffer/lines.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_MIN 16384 /* clean runs at least this long are read with pread */
#define MERGE_BELOW (PAGES_LOAD / 4)
#define PIECE (PAGES_LOAD < 512 ? PAGES_LOAD / 2 : 256) /* an owned piece cut off a clean page to insert into */

void pages_init(Pages *P)
{
	memset(P, 0, sizeof *P);
}

static void free_pages(Page *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!v[k].src)
			gapbuf_fini(&v[k].gb);
	free(v);
}

void pages_fini(Pages *P)
{
	if (P->in_step)
		pages_step_abort(P);
	free_pages(P->v, P->n);
	free(P->start);
	free(P->before);
	free(P->retired);
	source_free(P->src);
	memset(P, 0, sizeof *P);
}

/* A new page list: pages, their prefix caches, their bytes. */
typedef struct List {
	Page *v;
	size_t n, cap, len;
	size_t *start, *before;
} List;

/* Room for n pages and their caches; false on ENOMEM (nothing kept). */
static bool list_alloc(List *l, size_t n)
{
	size_t cap = n ? n : 1;
	memset(l, 0, sizeof *l);
	l->v = calloc(cap, sizeof *l->v);
	l->start = malloc(cap * sizeof *l->start);
	l->before = malloc(cap * sizeof *l->before);
	l->cap = cap;
	l->n = n;
	if (l->v && l->start && l->before)
		return true;
	free(l->v);
	free(l->start);
	free(l->before);
	return false;
}

/* Frees a list not installed, whose first n pages were made. */
static void list_free(List *l, size_t n)
{
	free_pages(l->v, n);
	free(l->start);
	free(l->before);
}

/* Installs a page list (and source), freeing what P held. */
static void replace(Pages *P, const List *l, Source *src)
{
	free_pages(P->v, P->n);
	free(P->start);
	free(P->before);
	free(P->retired);
	if (P->src != src)
		source_free(P->src);
	PagesWork w = P->work;
	memset(P, 0, sizeof *P); /* the run too */
	P->v = l->v;
	P->n = l->n;
	P->cap = P->ccap = l->cap;
	P->start = l->start;
	P->before = l->before;
	P->len = l->len;
	P->src = src;
	P->work = w;
}

bool pages_load_source(Pages *P, Source *s)
{
	size_t size = source_size(s), n = (size + PAGES_LOAD - 1) / PAGES_LOAD;
	List l;
	if (!list_alloc(&l, n))
		return false;
	Page *v = l.v;
	const char *base = source_base(s);
	for (size_t k = 0; k < n; k++) {
		size_t off = k * (size_t)PAGES_LOAD;
		v[k].len = size - off < PAGES_LOAD ? size - off : PAGES_LOAD;
		v[k].nl = PAGES_NL_UNKNOWN;
		v[k].src = base + off;
	}
	l.len = size;
	replace(P, &l, s);
	return true;
}

/* A new owned page holding len bytes of p, room for `room` more. */
static bool make_owned(GapBuf *gb, const char *p, size_t len, size_t room)
{
	size_t cap = len + room + GAPBUF_MIN_GAP;
	char *d = malloc(cap ? cap : 1);
	if (!d)
		return false;
	if (len)
		memcpy(d, p, len);
	gapbuf_init(gb);
	gapbuf_adopt(gb, d, len, cap);
	return true;
}

bool pages_load_block(Pages *P, char *data, size_t len, size_t cap)
{
	size_t n = len <= PAGES_MAX ? (len ? 1 : 0) : (len + PAGES_LOAD - 1) / PAGES_LOAD;
	List l;
	if (!list_alloc(&l, n))
		return false;
	Page *v = l.v;
	l.len = len;
	if (n == 0) {
		free(data);
		replace(P, &l, NULL);
		return true;
	}
	if (n == 1) {
		/* One page: the block itself, no copy. */
		gapbuf_adopt(&v[0].gb, data, len, cap);
		v[0].len = len;
		v[0].nl = lines_newlines(data, len);
		replace(P, &l, NULL);
		return true;
	}
	for (size_t k = 0; k < n; k++) {
		size_t off = k * (size_t)PAGES_LOAD, pl = len - off < PAGES_LOAD ? len - off : PAGES_LOAD;
		if (!make_owned(&v[k].gb, data + off, pl, 0)) {
			list_free(&l, k);
			errno = ENOMEM;
			return false;
		}
		v[k].len = pl;
		v[k].nl = lines_newlines(data + off, pl);
	}
	free(data);
	replace(P, &l, NULL);
	return true;
}

/* Pages for piece p: clean ones of at most PAGES_LOAD bytes, or owned
 * ones (copies); false on ENOMEM. Appends to l (room reserved). */
static bool piece_pages(List *l, Source *s, const PagesPiece *p)
{
	for (size_t done = 0; done < p->len;) {
		size_t n = p->len - done < PAGES_LOAD ? p->len - done : PAGES_LOAD;
		Page *pg = &l->v[l->n];
		memset(pg, 0, sizeof *pg);
		pg->len = n;
		if (p->src_off != BUF_NOPOS) {
			pg->src = source_base(s) + p->src_off + done;
			pg->nl = PAGES_NL_UNKNOWN;
		} else if (make_owned(&pg->gb, p->bytes + done, n, 0)) {
			pg->nl = lines_newlines(p->bytes + done, n);
		} else {
			return false;
		}
		l->n++;
		l->len += n;
		done += n;
	}
	return true;
}

bool pages_load_pieces(Pages *P, Source *s, const PagesPiece *p, size_t n)
{
	size_t pages = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i].src_off != BUF_NOPOS && (p[i].src_off > source_size(s) || p[i].len > source_size(s) - p[i].src_off)) {
			errno = EINVAL;
			return false;
		}
		pages += (p[i].len + PAGES_LOAD - 1) / PAGES_LOAD;
	}
	List l;
	if (!list_alloc(&l, pages))
		return false;
	l.n = 0;
	for (size_t i = 0; i < n; i++)
		if (!piece_pages(&l, s, &p[i])) {
			list_free(&l, l.n);
			errno = ENOMEM;
			return false;
		}
	replace(P, &l, s);
	return true;
}

bool pages_rebase(Pages *P, Source *s)
{
	if (P->in_step || (s ? source_size(s) != P->len : P->len != 0)) {
		errno = EINVAL;
		return false;
	}
	/* Pages joined while they fit in PAGES_LOAD: at most twice as many
	 * as that needs. */
	size_t most = 2 * (P->len / PAGES_LOAD + 1);
	List l;
	if (!list_alloc(&l, most < P->n ? most : P->n))
		return false;
	l.n = 0;
	const char *base = s ? source_base(s) : NULL;
	for (size_t k = 0, at = 0; k < P->n; at += P->v[k++].len) {
		const Page *o = &P->v[k];
		Page *last = l.n ? &l.v[l.n - 1] : NULL;
		if (o->len == 0)
			continue;
		if (last && last->len + o->len <= PAGES_LOAD) {
			last->len += o->len;
			last->nl = last->nl == PAGES_NL_UNKNOWN || o->nl == PAGES_NL_UNKNOWN ? PAGES_NL_UNKNOWN : last->nl + o->nl;
			continue;
		}
		Page *pg = &l.v[l.n++];
		memset(pg, 0, sizeof *pg);
		pg->len = o->len;
		pg->nl = o->nl;
		pg->src = base + at;
	}
	l.len = P->len;
	replace(P, &l, s);
	return true;
}

void pages_take(Pages *P, Pages *from)
{
	List l = {from->v, from->n, from->cap, from->len, from->start, from->before};
	size_t ccap = from->ccap; /* >= n always; < cap after a failed reserve */
	replace(P, &l, from->src);
	P->ccap = ccap;
	free(from->retired);
	memset(from, 0, sizeof *from);
}

bool pages_reserve(Pages *P, size_t n)
{
	if (!ARRAY_RESERVE(P->v, P->cap, n))
		return false;
	if (P->ccap >= P->cap)
		return true;
	size_t *s = realloc(P->start, P->cap * sizeof *s);
	if (s)
		P->start = s;
	size_t *b = s ? realloc(P->before, P->cap * sizeof *b) : NULL;
	if (b)
		P->before = b;
	if (!s || !b)
		return false; /* the caches keep their old room: ccap unchanged */
	P->ccap = P->cap;
	return true;
}

/* ===== lookups =========================================================== */

/* Extends the start cache to cover page k (< n). */
static void starts_upto(Pages *P, size_t k)
{
	while (P->nstart <= k) {
		size_t i = P->nstart;
		P->start[i] = i ? P->start[i - 1] + P->v[i - 1].len : 0;
		P->nstart++;
	}
}

size_t pages_start(const Pages *P, size_t k)
{
	Pages *M = (Pages *)P; /* the caches are not the value */
	starts_upto(M, k);
	return M->start[k];
}

static bool holds(Pages *P, size_t k, size_t pos)
{
	if (k >= P->n)
		return false;
	starts_upto(P, k);
	return pos >= P->start[k] && pos - P->start[k] < P->v[k].len;
}

size_t pages_find(const Pages *P, size_t pos, size_t *off)
{
	Pages *M = (Pages *)P;
	size_t k = M->hint;
	if (!holds(M, k, pos) && !holds(M, ++k, pos)) {
		size_t valid = M->nstart;
		if (valid && pos >= M->start[valid - 1] + M->v[valid - 1].len) {
			k = valid;
			while (k < M->n && !holds(M, k, pos))
				k++;
		} else {
			/* The last valid start <= pos, then past empty pages. */
			size_t lo = 0, hi = valid;
			while (lo + 1 < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (M->start[mid] <= pos)
					lo = mid;
				else
					hi = mid;
			}
			k = lo;
			while (k < M->n && !holds(M, k, pos))
				k++;
		}
	}
	M->hint = k;
	*off = k < M->n ? pos - M->start[k] : 0;
	return k;
}

static void note_seen(Pages *P, Page *p)
{
	if (!p->seen) {
		p->seen = true;
		P->work.shown += p->len;
	}
}

/* Forgets the run (its bytes may move or go). */
static void forget_run(Pages *P)
{
	P->run = NULL;
	P->run_len = 0;
}

/* Makes the run the whole contiguous stretch holding pos (< len): a page,
 * or the part of an owned page on one side of its gap. */
static void fill_run(Pages *M, size_t pos)
{
	size_t off, k = pages_find(M, pos, &off);
	Page *p = &M->v[k];
	size_t start = pos - off;
	if (p->src) {
		note_seen(M, p);
		M->run = p->src;
		M->run_at = start;
		M->run_len = p->len;
		return;
	}
	const GapBuf *g = &p->gb;
	if (off < g->gap_start) {
		M->run = g->data;
		M->run_at = start;
		M->run_len = g->gap_start;
	} else {
		M->run = g->data + g->gap_end;
		M->run_at = start + g->gap_start;
		M->run_len = g->cap - g->gap_end;
	}
}

const char *pages_span(const Pages *P, size_t pos, size_t *len)
{
	Pages *M = (Pages *)P;
	if (pos >= P->len) {
		*len = 0;
		return "";
	}
	if (pos - P->run_at >= P->run_len)
		fill_run(M, pos);
	*len = P->run_len - (pos - P->run_at);
	return P->run + (pos - P->run_at);
}

const char *pages_span_back(const Pages *P, size_t pos, size_t *len)
{
	if (pos == 0 || pos > P->len) {
		*len = 0;
		return "";
	}
	size_t off, k = pages_find(P, pos - 1, &off);
	Page *p = &((Pages *)P)->v[k];
	if (p->src) {
		note_seen((Pages *)P, p);
		*len = off + 1;
		return p->src;
	}
	const GapBuf *g = &p->gb;
	if (off < g->gap_start) {
		*len = off + 1;
		return g->data;
	}
	*len = off + 1 - g->gap_start;
	return g->data + g->gap_end;
}

int pages_byte(const Pages *P, size_t pos)
{
	if (pos - P->run_at < P->run_len)
		return (unsigned char)P->run[pos - P->run_at];
	if (pos >= P->len)
		return -1;
	fill_run((Pages *)P, pos);
	return (unsigned char)P->run[pos - P->run_at];
}

bool pages_is_clean(const Pages *P, size_t k, size_t *src_off)
{
	if (k >= P->n || !P->v[k].src)
		return false;
	*src_off = (size_t)(P->v[k].src - source_base(P->src));
	return true;
}

bool pages_sync_lost(Pages *P)
{
	size_t from, to;
	if (!P->src || !source_lost(P->src, &from, &to) || (from == P->lost_from && to == P->lost_to))
		return false;
	P->lost_from = from;
	P->lost_to = to;
	const char *base = source_base(P->src);
	for (size_t k = 0; k < P->n; k++) {
		Page *p = &P->v[k];
		size_t so = p->src ? (size_t)(p->src - base) : 0;
		if (p->src && so < to && so + p->len > from) {
			p->nl = PAGES_NL_UNKNOWN;
			if (P->nlines > k)
				P->nlines = k;
		}
	}
	return true;
}

size_t pages_piece(const Pages *P, size_t pos, size_t *src_off)
{
	size_t off, k = pages_find(P, pos, &off), n = P->v[k].len - off;
	if (P->v[k].src) {
		*src_off = (size_t)(P->v[k].src - source_base(P->src)) + off;
		for (size_t j = k + 1; j < P->n && P->v[j].src == P->v[j - 1].src + P->v[j - 1].len; j++)
			n += P->v[j].len;
		return n;
	}
	*src_off = BUF_NOPOS;
	for (size_t j = k + 1; j < P->n && !P->v[j].src; j++)
		n += P->v[j].len;
	return n;
}

/* Bytes from page k, offset off on, that lie contiguous in the source
 * (a run of clean pages), at most max. */
static size_t clean_run(const Pages *P, size_t k, size_t off, size_t max)
{
	size_t n = P->v[k].len - off;
	const char *next = P->v[k].src + P->v[k].len;
	for (size_t j = k + 1; n < max && j < P->n && P->v[j].src == next; j++) {
		n += P->v[j].len;
		next += P->v[j].len;
	}
	return n < max ? n : max;
}

size_t pages_copy(const Pages *P, size_t pos, size_t len, char *out)
{
	Pages *M = (Pages *)P;
	size_t done = 0;
	if (pos > P->len)
		return 0;
	if (len > P->len - pos)
		len = P->len - pos;
	while (done < len) {
		size_t off, k = pages_find(P, pos + done, &off);
		Page *p = &M->v[k];
		size_t n;
		if (!p->src) {
			n = gapbuf_copy(&p->gb, off, len - done, out + done);
		} else if ((n = clean_run(P, k, off, len - done)) >= READ_MIN || !p->seen) {
			/* Long, or never mapped in: pread (on some machines a
			 * fault on the mapping costs more than the system call). */
			size_t so = (size_t)(p->src - source_base(P->src)) + off;
			source_read(M->src, so, n, out + done);
			M->work.read += n;
		} else {
			n = p->len - off < len - done ? p->len - off : len - done;
			note_seen(M, p);
			memcpy(out + done, p->src + off, n);
		}
		done += n;
	}
	return done;
}

/* Writes at *off, advancing it (BUF_NOPOS: at the file position). */
static bool write_at(int fd, const char *p, size_t n, size_t *off)
{
	if (*off == BUF_NOPOS)
		return fd_write_all(fd, p, n);
	if (!fd_pwrite_all(fd, p, n, *off))
		return false;
	*off += n;
	return true;
}

#define CHUNK ((size_t)1 << 20) /* bytes moved per read/write */

bool pages_write(const Pages *P, size_t pos, size_t len, int fd, size_t off)
{
	char *buf = NULL;
	bool ok = true;
	while (ok && len > 0) {
		size_t o, k = pages_find(P, pos, &o), n;
		const Page *p = &P->v[k];
		if (!p->src) {
			const char *s = gapbuf_span(&p->gb, o, &n);
			n = n < len ? n : len;
			ok = write_at(fd, s, n, &off);
		} else {
			/* Clean runs through a buffer: pread, then write. */
			if (!buf && !(buf = malloc(CHUNK))) {
				errno = ENOMEM;
				return false;
			}
			n = clean_run(P, k, o, len < CHUNK ? len : CHUNK);
			ok = pages_copy(P, pos, n, buf) == n && write_at(fd, buf, n, &off);
		}
		pos += n;
		len -= n;
	}
	int e = errno;
	free(buf);
	errno = e;
	return ok;
}

/* ===== writing over the file itself ====================================== */

#define DIFF_GAP 16            /* equal bytes between changes kept in one range */

typedef struct Ranges {
	PagesRange *v;
	size_t n, cap;
} Ranges;

/* Appends [pos, pos + len), merged with the last range when close. */
static bool range_add(Ranges *r, size_t pos, size_t len)
{
	if (r->n && pos <= r->v[r->n - 1].pos + r->v[r->n - 1].len + DIFF_GAP) {
		PagesRange *l = &r->v[r->n - 1];
		if (pos + len > l->pos + l->len)
			l->len = pos + len - l->pos;
		return true;
	}
	if (!ARRAY_RESERVE(r->v, r->cap, r->n + 1))
		return false;
	r->v[r->n++] = (PagesRange){pos, len};
	return true;
}

/* The bytes of owned text [pos, pos + len) that differ from fd's at the
 * same offsets (past old_size: all of them). */
static bool owned_diff(const Pages *P, int fd, size_t old_size, size_t pos, size_t len, Ranges *r)
{
	char *a = malloc(2 * CHUNK), *b = a ? a + CHUNK : NULL; /* no arithmetic on NULL */
	bool ok = a != NULL;
	for (size_t done = 0; ok && done < len;) {
		size_t n = len - done < CHUNK ? len - done : CHUNK, at = pos + done;
		size_t old = at < old_size ? (old_size - at < n ? old_size - at : n) : 0;
		pages_copy(P, at, n, a);
		ssize_t got = old ? pread(fd, b, old, (off_t)at) : 0;
		ok = got >= 0;
		for (size_t i = 0; ok && i < n;) {
			if (i < (size_t)got && a[i] == b[i]) {
				i++;
				continue;
			}
			size_t j = i + 1;
			while (j < n && (j >= (size_t)got || a[j] != b[j]))
				j++;
			ok = range_add(r, at + i, j - i);
			i = j;
		}
		done += n;
	}
	free(a);
	return ok;
}

bool pages_overwrite_ranges(const Pages *P, int fd, size_t old_size, PagesRange **out, size_t *nout)
{
	Ranges r = {0};
	bool ok = true;
	for (size_t pos = 0, n, so; ok && pos < P->len; pos += n) {
		n = pages_piece(P, pos, &so);
		if (so == pos)
			continue; /* already there */
		ok = so != BUF_NOPOS ? range_add(&r, pos, n) : owned_diff(P, fd, old_size, pos, n, &r);
	}
	if (ok && P->len < old_size)
		ok = range_add(&r, P->len, old_size - P->len);
	if (!ok) {
		int e = errno;
		free(r.v);
		errno = e;
		return false;
	}
	*out = r.v;
	*nout = r.n;
	return true;
}

/* Copies clean text [pos, pos + len) to fd at the same offset, a chunk at
 * a time: front to back, or back to front (bytes moving toward the end
 * would overwrite their own next chunk's source otherwise). */
static bool move_piece(const Pages *P, int fd, size_t pos, size_t len, bool backward, char *buf)
{
	for (size_t done = 0; done < len;) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;
		size_t at = backward ? pos + len - done - n : pos + done;
		if (pages_copy(P, at, n, buf) != n || !write_at(fd, buf, n, &(size_t){at}))
			return false;
		done += n;
	}
	return true;
}

/* One pass over the clean pieces: those moving toward the start
 * (src > pos, front to back) or toward the end (src < pos, back to
 * front). */
static bool move_pieces(const Pages *P, int fd, bool toward_end, char *buf)
{
	size_t pos = toward_end ? P->len : 0;
	while (toward_end ? pos > 0 : pos < P->len) {
		size_t so, n, at;
		if (toward_end) {
			/* The piece ending at pos: walk back to its start. */
			size_t k = pages_find(P, pos - 1, &at);
			at = pages_start(P, k);
			while (k > 0 && ((P->v[k].src && P->v[k - 1].src && P->v[k - 1].src + P->v[k - 1].len == P->v[k].src) ||
			                 (!P->v[k].src && !P->v[k - 1].src)))
				at = pages_start(P, --k);
			n = pages_piece(P, at, &so);
			if (at + n > pos)
				n = pos - at;
		} else {
			at = pos;
			n = pages_piece(P, at, &so);
		}
		if (so != BUF_NOPOS && (toward_end ? so < at : so > at) && !move_piece(P, fd, at, n, toward_end, buf))
			return false;
		pos = toward_end ? at : at + n;
	}
	return true;
}

bool pages_overwrite(const Pages *P, int fd, size_t old_size)
{
	char *buf = malloc(CHUNK);
	if (!buf)
		return false;
	bool ok = move_pieces(P, fd, false, buf) && move_pieces(P, fd, true, buf);
	/* Owned bytes last, those that differ only (the clean pieces are read). */
	Ranges r = {0};
	for (size_t pos = 0, n, so; ok && pos < P->len; pos += n) {
		n = pages_piece(P, pos, &so);
		r.n = 0;
		ok = so != BUF_NOPOS || owned_diff(P, fd, old_size, pos, n, &r);
		for (size_t i = 0; ok && i < r.n; i++)
			ok = move_piece(P, fd, r.v[i].pos, r.v[i].len, false, buf); /* in memory: any order */
	}
	int e = errno;
	free(r.v);
	free(buf);
	errno = e;
	return ok;
}

/* ===== batches: preparing ================================================ */

size_t pages_target(const Pages *P, size_t pos)
{
	size_t off;
	if (pos == 0 || P->n == 0)
		return 0;
	return pages_find(P, pos - 1, &off);
}

/* Gives up page p's owned bytes: freed, or kept for an abort when they
 * belong to the state before the current step. */
static void release(Pages *P, Page *p)
{
	if (p->src)
		return;
	if (P->in_step && !p->fresh)
		P->retired[P->nretired++] = p->gb; /* room reserved by step_begin */
	else
		gapbuf_fini(&p->gb);
	gapbuf_init(&p->gb);
}

/* Page k writable in this pass with room for `room` more bytes: a clean
 * page or (in a step) one of before the step gets owned bytes of its own. */
static bool writable(Pages *P, size_t k, size_t room)
{
	Page *p = &P->v[k];
	forget_run(P); /* the page's bytes may move */
	if (!p->src && (!P->in_step || p->fresh))
		return gapbuf_reserve(&p->gb, room);
	GapBuf gb;
	/* A small piece gets a small gap: it grows as it is typed into. */
	size_t slack = p->len < MERGE_BELOW && GAPBUF_MIN_GAP > 64 ? 64 : GAPBUF_MIN_GAP;
	size_t cap = p->len + room + slack;
	char *d = malloc(cap);
	if (!d)
		return false;
	pages_copy(P, pages_start(P, k), p->len, d);
	gapbuf_init(&gb);
	gapbuf_adopt(&gb, d, p->len, cap);
	release(P, p);
	p->gb = gb;
	p->src = NULL;
	p->fresh = P->in_step;
	P->work.owned++;
	return true;
}

/* Splits clean page k at offset off (0 < off < len) into two clean
 * pages (the bytes stay where they are). Their newline counts are
 * counted again when asked for. */
static bool cut(Pages *P, size_t k, size_t off)
{
	if (!pages_reserve(P, P->n + 1))
		return false;
	memmove(&P->v[k + 2], &P->v[k + 1], (P->n - k - 1) * sizeof *P->v);
	Page *a = &P->v[k], *b = &P->v[k + 1];
	*b = *a;
	b->src = a->src + off;
	b->len = a->len - off;
	a->len = off;
	if (a->nl != 0)
		a->nl = b->nl = PAGES_NL_UNKNOWN;
	P->n++;
	if (P->nstart > k + 1)
		P->nstart = k + 1;
	if (P->nlines > k)
		P->nlines = k;
	forget_run(P);
	return true;
}

/* Makes position c (< len) the edge of a clean page, when it falls inside
 * one: the page is split there, or copied to be owned when edit `next`
 * (the next edit of the batch; BUF_NOPOS: none) falls inside it too, so a
 * page with many edits is copied once rather than cut to pieces. */
static bool edge_at(Pages *P, size_t c, size_t next)
{
	if (c >= P->len)
		return true;
	size_t off, k = pages_find(P, c, &off);
	Page *p = &P->v[k];
	if (!p->src || off == 0)
		return true;
	if (next != BUF_NOPOS && next - (c - off) < p->len)
		return writable(P, k, 0);
	return cut(P, k, off);
}

/* A delete of [pos, pos + len) changes owned pages that it covers in part:
 * writable (in a step, copies of their own). Clean pages it covers in
 * part lose a head or a tail only (edge_at made it so). */
static bool owned_for_delete(Pages *P, size_t pos, size_t len)
{
	size_t end = pos + len;
	while (pos < end) {
		size_t off, k = pages_find(P, pos, &off);
		Page *p = &P->v[k];
		size_t take = p->len - off < end - pos ? p->len - off : end - pos;
		bool whole = off == 0 && take == p->len;
		bool trim = p->src && (off == 0 || off + take == p->len);
		if (!whole && !trim && !writable(P, k, 0))
			return false;
		pos += take;
	}
	return true;
}

/* The page an insert at pos goes to, owned: a clean page there gives a
 * small owned piece (PIECE bytes at the edge) rather than a copy of all
 * of it. BUF_NOPOS on ENOMEM. */
static size_t insert_page(Pages *P, size_t pos)
{
	if (P->n == 0) {
		/* An empty text: a first, empty page. */
		if (!pages_reserve(P, 1))
			return BUF_NOPOS;
		memset(&P->v[0], 0, sizeof P->v[0]);
		gapbuf_init(&P->v[0].gb);
		P->v[0].fresh = P->in_step;
		P->n = 1;
		P->nstart = P->nlines = 0;
		return 0;
	}
	size_t k = pages_target(P, pos);
	Page *p = &P->v[k];
	if (!p->src)
		return k;
	/* Clean, so pos is its end (edge_at), or 0 at its start. */
	if (p->len > PIECE) {
		size_t at = pos == 0 ? PIECE : p->len - PIECE;
		if (!cut(P, k, at))
			return BUF_NOPOS;
		k += pos != 0;
	}
	return writable(P, k, 0) ? k : BUF_NOPOS;
}

bool pages_prepare(Pages *P, const Edit *e, size_t n, size_t *tgt)
{
	/* Edges first: they change page numbers, not positions. */
	for (size_t i = 0; i < n; i++) {
		size_t next = i + 1 < n ? e[i + 1].pos : BUF_NOPOS;
		/* Only where it begins: a delete takes the head of what follows. */
		if (!edge_at(P, e[i].pos, next))
			return false;
	}
	for (size_t i = 0; i < n; i++)
		if (e[i].del && !owned_for_delete(P, e[i].pos, e[i].del))
			return false;
	/* Inserts: their pages, with room for all that goes to each. */
	for (size_t i = 0; i < n;) {
		if (!e[i].ins_len) {
			i++;
			continue;
		}
		size_t k = insert_page(P, e[i].pos), room = 0, j = i;
		if (k == BUF_NOPOS)
			return false;
		for (; j < n && (!e[j].ins_len || pages_target(P, e[j].pos) == k); j++) {
			tgt[j] = k;
			room += e[j].ins_len;
		}
		if (!writable(P, k, room))
			return false;
		i = j;
	}
	return true;
}

/* ===== batches: the pass ================================================= */

void pages_pass_begin(Pages *P, PagesPass *pp)
{
	forget_run(P);
	pp->k = 0;
	pp->start = 0;
	pp->kmin = BUF_NOPOS;
	pp->kmax = 0;
}

/* Moves the cursor on to page k. */
static void seek(Pages *P, PagesPass *pp, size_t k)
{
	if (pp->kmin == BUF_NOPOS && k > pp->k) {
		/* The first edit: start from the cached start, not page 0. */
		pp->start = pages_start(P, k);
		pp->k = k;
	}
	while (pp->k < k) {
		pp->start += P->v[pp->k].len;
		pp->k++;
	}
}

static void touch(PagesPass *pp, size_t k)
{
	if (pp->kmin == BUF_NOPOS || k < pp->kmin)
		pp->kmin = k;
	if (k > pp->kmax)
		pp->kmax = k;
}

static size_t gap_newlines(const GapBuf *gb, size_t off, size_t len)
{
	size_t n = 0;
	while (len > 0) {
		size_t span;
		const char *p = gapbuf_span(gb, off, &span);
		span = span < len ? span : len;
		n += lines_newlines(p, span);
		off += span;
		len -= span;
	}
	return n;
}

void pages_pass_delete(Pages *P, PagesPass *pp, size_t pos, size_t len)
{
	if (len == 0)
		return;
	if (pp->kmin == BUF_NOPOS)
		seek(P, pp, pages_target(P, pos));
	while (pp->k + 1 < P->n && pp->start + P->v[pp->k].len < pos)
		seek(P, pp, pp->k + 1);
	size_t k = pp->k, start = pp->start;
	while (len > 0) {
		while (start + P->v[k].len <= pos)
			start += P->v[k++].len;
		Page *p = &P->v[k];
		size_t off = pos - start, take = p->len - off < len ? p->len - off : len;
		touch(pp, k);
		if (p->src) {
			/* Clean: only whole pages, heads and tails (prepared so). */
			if (off == 0)
				p->src += take;
			p->nl = take == p->len ? 0 : PAGES_NL_UNKNOWN;
		} else {
			if (p->nl != PAGES_NL_UNKNOWN)
				p->nl -= gap_newlines(&p->gb, off, take);
			gapbuf_delete(&p->gb, off, take);
		}
		p->len -= take;
		P->len -= take;
		len -= take;
	}
}

void pages_pass_insert(Pages *P, PagesPass *pp, size_t k, size_t pos, const char *s, size_t len)
{
	if (len == 0)
		return;
	seek(P, pp, k);
	Page *p = &P->v[k];
	touch(pp, k);
	gapbuf_insert(&p->gb, pos - pp->start, s, len); /* room prepared: no allocation */
	if (p->nl != PAGES_NL_UNKNOWN)
		p->nl += lines_newlines(s, len);
	p->len += len;
	P->len += len;
}

/* ===== batches: settling ================================================= */

/* Splits owned page k (too big) into pages of about PAGES_LOAD bytes;
 * returns how many pages it became (1: left as it was, short of memory). */
static size_t split(Pages *P, size_t k)
{
	Page *p = &P->v[k];
	size_t len = p->len, m = (len + PAGES_LOAD - 1) / PAGES_LOAD, piece = len / m;
	if (p->src || (P->in_step && !p->fresh) || !pages_reserve(P, P->n + m - 1))
		return 1;
	p = &P->v[k];
	Page *np = calloc(m - 1, sizeof *np);
	size_t j = 0, nl = 0;
	for (; np && j < m - 1; j++) {
		size_t from = piece * (j + 1), n = j == m - 2 ? len - from : piece;
		GapBuf *g = &np[j].gb;
		char *d = malloc(n + GAPBUF_MIN_GAP);
		if (!d)
			break;
		gapbuf_copy(&p->gb, from, n, d);
		gapbuf_init(g);
		gapbuf_adopt(g, d, n, n + GAPBUF_MIN_GAP);
		np[j].len = n;
		np[j].fresh = P->in_step;
		np[j].nl = p->nl == PAGES_NL_UNKNOWN ? PAGES_NL_UNKNOWN : lines_newlines(d, n);
		if (np[j].nl != PAGES_NL_UNKNOWN)
			nl += np[j].nl;
	}
	if (!np || j < m - 1) {
		for (size_t i = 0; np && i < j; i++)
			gapbuf_fini(&np[i].gb);
		free(np);
		return 1;
	}
	gapbuf_delete(&p->gb, piece, len - piece);
	p->len = piece;
	if (p->nl != PAGES_NL_UNKNOWN)
		p->nl -= nl;
	memmove(&P->v[k + m], &P->v[k + 1], (P->n - k - 1) * sizeof *P->v);
	memcpy(&P->v[k + 1], np, (m - 1) * sizeof *np);
	P->n += m - 1;
	free(np);
	return m;
}

/* Moves the bytes of page k + 1 to the end of page k when both are owned
 * and small (a page worn down by deletes); best effort. */
static void merge_next(Pages *P, size_t k)
{
	Page *a = &P->v[k], *b = &P->v[k + 1];
	if (a->src || b->src || !a->len || a->len + b->len > PAGES_LOAD || (a->len >= MERGE_BELOW && b->len >= MERGE_BELOW))
		return;
	if (P->in_step && (!a->fresh || !b->fresh))
		return;
	if (!gapbuf_reserve(&a->gb, b->len))
		return;
	for (size_t pos = 0, n; pos < b->len; pos += n) {
		const char *s = gapbuf_span(&b->gb, pos, &n);
		gapbuf_insert(&a->gb, a->len + pos, s, n);
	}
	a->len += b->len;
	a->nl = a->nl == PAGES_NL_UNKNOWN || b->nl == PAGES_NL_UNKNOWN ? PAGES_NL_UNKNOWN : a->nl + b->nl;
	gapbuf_delete(&b->gb, 0, b->len); /* empty: dropped when the pass settles */
	b->len = 0;
}

void pages_pass_end(Pages *P, PagesPass *pp)
{
	forget_run(P);
	if (pp->kmin == BUF_NOPOS)
		return;
	size_t lo = pp->kmin, hi = pp->kmax + 1;
	for (size_t k = lo; k < hi && k < P->n; k++)
		if (P->v[k].len > PAGES_MAX) {
			size_t m = split(P, k);
			k += m - 1;
			hi += m - 1;
		}
	for (size_t k = lo; k + 1 < P->n && k < hi; k++)
		merge_next(P, k);
	/* Empty pages go (touched ones and a merged neighbour). */
	size_t w = lo, end = hi + 1 < P->n ? hi + 1 : P->n;
	for (size_t k = lo; k < end; k++) {
		if (P->v[k].len == 0) {
			release(P, &P->v[k]);
			continue;
		}
		P->v[w++] = P->v[k];
	}
	if (w < end) {
		memmove(&P->v[w], &P->v[end], (P->n - end) * sizeof *P->v);
		P->n -= end - w;
	}
	/* Page lo may be another page now (the old one emptied): its start
	 * is worked out again too. */
	if (P->nstart > lo)
		P->nstart = lo;
	if (P->nlines > lo)
		P->nlines = lo;
	P->hint = lo < P->n ? lo : 0;
}

/* ===== steps ============================================================= */

bool pages_step_begin(Pages *P)
{
	size_t owned = 0;
	for (size_t k = 0; k < P->n; k++)
		owned += !P->v[k].src;
	Page *base = malloc((P->n ? P->n : 1) * sizeof *base);
	if (!base || !ARRAY_RESERVE(P->retired, P->capretired, owned)) {
		free(base);
		return false;
	}
	memcpy(base, P->v, P->n * sizeof *base);
	P->base = base;
	P->nbase = P->n;
	P->baselen = P->len;
	P->nretired = 0;
	P->in_step = true;
	return true;
}

void pages_step_commit(Pages *P)
{
	for (size_t i = 0; i < P->nretired; i++)
		gapbuf_fini(&P->retired[i]);
	for (size_t k = 0; k < P->n; k++)
		P->v[k].fresh = false;
	free(P->base);
	P->base = NULL;
	P->nretired = 0;
	P->in_step = false;
}

void pages_step_abort(Pages *P)
{
	for (size_t k = 0; k < P->n; k++)
		if (!P->v[k].src && P->v[k].fresh)
			gapbuf_fini(&P->v[k].gb);
	free(P->v);
	forget_run(P);
	P->v = P->base;
	P->n = P->nbase;
	P->cap = P->nbase ? P->nbase : 1; /* base has room for one at least */
	P->len = P->baselen;
	P->base = NULL;
	P->nretired = 0;
	P->nstart = P->nlines = P->hint = 0;
	P->in_step = false;
}

bool pages_check(const Pages *P)
{
	size_t sum = 0;
	for (size_t k = 0; k < P->n; k++) {
		const Page *p = &P->v[k];
		/* Empty pages go when a pass settles; an empty text may keep one. */
		if (p->len == 0 && P->n > 1)
			return false;
		if (!p->src && (!gapbuf_check(&p->gb) || gapbuf_len(&p->gb) != p->len))
			return false;
		if (p->src && (!P->src || p->src < source_base(P->src) ||
		               p->src + p->len > source_base(P->src) + source_size(P->src)))
			return false;
		if (k < P->nstart && P->start[k] != sum)
			return false;
		if (!P->in_step && p->fresh)
			return false;
		sum += p->len;
	}
	return sum == P->len;
}
