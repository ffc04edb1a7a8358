/* Line index over the pages' newline counts (see lines.h).
 *
 * Pages.before[k] (newlines before page k) is a prefix cache valid below
 * Pages.nlines: it needs every page before k counted. Queries extend it,
 * counting what they pass; an edit of page k cuts it back to k. */
#include "buffer/lines.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW LINES_WINDOW

#define ONES ((uint64_t)0x0101010101010101)
#define HIGHS ((uint64_t)0x8080808080808080)

/* 16 bytes a step (GCC vector extensions: SSE2 or what the target has,
 * no intrinsics header): each '\n' subtracts -1 from its byte lane, at
 * most 255 steps before the lanes are added up. */
typedef unsigned char V16 __attribute__((vector_size(16), aligned(1)));

size_t lines_newlines(const char *p, size_t n)
{
	size_t c = 0, i = 0;
	const V16 nl = {'\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n'};
	while (n - i >= 16) {
		V16 acc = {0};
		size_t lim = n - i >= 16 * 255 ? i + 16 * 255 : n - 15;
		for (; i < lim; i += 16) {
			V16 v;
			memcpy(&v, p + i, 16);
			acc -= (V16)(v == nl); /* true lanes are all ones: -1 */
		}
		for (int k = 0; k < 16; k++)
			c += acc[k];
	}
	for (; i + 8 <= n; i += 8) {
		uint64_t w, x;
		memcpy(&w, p + i, 8);
		x = w ^ (ONES * '\n'); /* zero bytes where w has '\n' */
		uint64_t m = ~(((x & ~HIGHS) + ~HIGHS) | x) & HIGHS;
		c += (size_t)(((m >> 7) * ONES) >> 56);
	}
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/* Newlines of [pos, pos + len), read with pages_copy (pread for clean
 * runs) through buf, or span by span when there is no buffer. */
static size_t count_range(Pages *P, size_t pos, size_t len, char *buf)
{
	size_t n = 0;
	while (len > 0) {
		size_t got;
		const char *p;
		if (buf) {
			got = pages_copy(P, pos, len < WINDOW ? len : WINDOW, buf);
			p = buf;
		} else {
			p = pages_span(P, pos, &got);
			got = got < len ? got : len;
		}
		if (got == 0)
			break;
		n += lines_newlines(p, got);
		P->work.counted += got;
		pos += got;
		len -= got;
	}
	return n;
}

/* Counts the uncounted pages among [k, end), about `budget` bytes, reading
 * runs of clean pages in one go. Returns the bytes counted. */
static size_t count_pages(Pages *P, size_t k, size_t end, size_t budget)
{
	char *buf = NULL;
	size_t done = 0;
	for (; k < end && k < P->n && done < budget; k++) {
		Page *p = &P->v[k];
		if (p->nl != PAGES_NL_UNKNOWN)
			continue;
		if (p->src && !buf)
			buf = malloc(WINDOW);
		if (!p->src || !buf) {
			p->nl = count_range(P, pages_start(P, k), p->len, NULL);
			done += p->len;
			continue;
		}
		/* A run of clean pages read once, each page counted apart. */
		size_t j = k + 1, run = p->len;
		while (j < end && j < P->n && P->v[j].src == P->v[j - 1].src + P->v[j - 1].len &&
		       P->v[j].nl == PAGES_NL_UNKNOWN && run + P->v[j].len <= WINDOW && done + run + P->v[j].len <= budget)
			run += P->v[j++].len;
		pages_copy(P, pages_start(P, k), run, buf);
		P->work.counted += run;
		for (size_t i = k, off = 0; i < j; off += P->v[i].len, i++)
			P->v[i].nl = lines_newlines(buf + off, P->v[i].len);
		done += run;
		k = j - 1;
	}
	free(buf);
	return done;
}

/* Extends the prefix cache over page k (< n), counting what it needs. */
static void prefix_upto(Pages *P, size_t k)
{
	pages_sync_lost(P); /* a file cut under us: recount what it showed */
	if (P->nlines > k)
		return;
	size_t from = P->nlines ? P->nlines - 1 : 0;
	for (size_t i = from; i < k; i++)
		if (P->v[i].nl == PAGES_NL_UNKNOWN) {
			count_pages(P, i, k, (size_t)-1);
			break;
		}
	while (P->nlines <= k) {
		size_t i = P->nlines;
		P->before[i] = i ? P->before[i - 1] + P->v[i - 1].nl : 0;
		P->nlines++;
	}
}

bool lines_done(const Pages *P)
{
	pages_sync_lost((Pages *)P);
	for (size_t k = P->nlines ? P->nlines - 1 : 0; k < P->n; k++)
		if (P->v[k].nl == PAGES_NL_UNKNOWN)
			return false;
	return true;
}

size_t lines_left(const Pages *P)
{
	size_t left = 0;
	for (size_t k = P->nlines ? P->nlines - 1 : 0; k < P->n; k++)
		if (P->v[k].nl == PAGES_NL_UNKNOWN)
			left += P->v[k].len;
	return left;
}

bool lines_step(Pages *P, size_t budget)
{
	pages_sync_lost(P);
	size_t k = P->nlines ? P->nlines - 1 : 0;
	while (k < P->n && P->v[k].nl != PAGES_NL_UNKNOWN)
		k++;
	if (k < P->n)
		count_pages(P, k, P->n, budget);
	/* The prefix over what is counted now (no more counting). */
	while (P->nlines < P->n && (P->nlines == 0 || P->v[P->nlines - 1].nl != PAGES_NL_UNKNOWN))
		prefix_upto(P, P->nlines);
	return lines_done(P);
}

size_t lines_estimate(const Pages *P)
{
	size_t cb = 0, nl = 0, ub = 0;
	for (size_t k = 0; k < P->n; k++) {
		if (P->v[k].nl == PAGES_NL_UNKNOWN) {
			ub += P->v[k].len;
			continue;
		}
		cb += P->v[k].len;
		nl += P->v[k].nl;
	}
	/* Uncounted bytes at the density seen, or at 60 bytes a line. */
	return nl + 1 + (size_t)(cb ? (double)ub * (double)nl / (double)cb : (double)ub / 60);
}

size_t lines_count(Pages *P)
{
	if (P->n == 0)
		return 1;
	pages_sync_lost(P);
	prefix_upto(P, P->n - 1);
	Page *last = &P->v[P->n - 1];
	if (last->nl == PAGES_NL_UNKNOWN)
		count_pages(P, P->n - 1, P->n, 1);
	return P->before[P->n - 1] + last->nl + 1;
}

/* Newlines in page k before offset off inside it. */
static size_t page_lines_before(Pages *P, size_t k, size_t off)
{
	Page *p = &P->v[k];
	if (off == p->len && p->nl != PAGES_NL_UNKNOWN)
		return p->nl;
	return count_range(P, pages_start(P, k), off, NULL);
}

bool lines_has(Pages *P, size_t line)
{
	/* Line `line` exists when there are that many newlines: counted
	 * pages tell, no page is read for the newline itself. */
	if (line == 0 || P->n == 0)
		return line == 0;
	pages_sync_lost(P);
	for (size_t k = P->nlines ? P->nlines - 1 : 0; k < P->n; k++) {
		prefix_upto(P, k);
		if (P->v[k].nl == PAGES_NL_UNKNOWN)
			count_pages(P, k, P->n, WINDOW);
		if (P->before[k] + P->v[k].nl >= line)
			return true;
	}
	return false;
}

size_t lines_line_of(Pages *P, size_t pos)
{
	if (P->n == 0)
		return 0;
	size_t off, k;
	if (pos >= P->len) {
		k = P->n - 1;
		off = P->v[k].len;
	} else {
		k = pages_find(P, pos, &off);
	}
	prefix_upto(P, k);
	return P->before[k] + page_lines_before(P, k, off);
}

bool lines_line_of_within(Pages *P, size_t pos, size_t budget, size_t *line)
{
	if (P->n == 0) {
		*line = 0;
		return true;
	}
	size_t off = 0, k = pos >= P->len ? P->n - 1 : pages_find(P, pos, &off), need = 0;
	for (size_t i = P->nlines ? P->nlines - 1 : 0; i < k && need <= budget; i++)
		if (P->v[i].nl == PAGES_NL_UNKNOWN)
			need += P->v[i].len;
	if (need > budget)
		return false;
	*line = lines_line_of(P, pos);
	return true;
}

/* Offset just after the want-th newline (want >= 1) of page k, which has
 * that many. */
static size_t nth_newline(Pages *P, size_t k, size_t want)
{
	size_t pos = pages_start(P, k), end = pos + P->v[k].len;
	while (pos < end) {
		size_t span;
		const char *p = pages_span(P, pos, &span);
		span = span < end - pos ? span : end - pos;
		for (const char *q = p, *e = p + span; (q = memchr(q, '\n', (size_t)(e - q))); q++)
			if (--want == 0)
				return pos + (size_t)(q - p) + 1;
		pos += span;
	}
	return end;
}

size_t lines_offset_of(Pages *P, size_t line)
{
	if (line == 0 || P->n == 0)
		return 0;
	pages_sync_lost(P);
	/* The last page whose lines before it are fewer than `line`. */
	size_t k;
	if (P->nlines && P->before[P->nlines - 1] >= line) {
		size_t lo = 0, hi = P->nlines;
		while (lo + 1 < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (P->before[mid] < line)
				lo = mid;
			else
				hi = mid;
		}
		k = lo;
	} else {
		k = P->nlines ? P->nlines - 1 : 0;
		for (;;) {
			prefix_upto(P, k);
			if (P->v[k].nl == PAGES_NL_UNKNOWN)
				count_pages(P, k, P->n, WINDOW);
			if (P->before[k] + P->v[k].nl >= line || k + 1 == P->n)
				break;
			k++;
		}
	}
	size_t before = P->before[k], nl = P->v[k].nl;
	if (before + nl < line) {
		/* Past the last line: the start of the last one. */
		return before + nl ? lines_offset_of(P, before + nl) : 0;
	}
	return nth_newline(P, k, line - before);
}

/* The first newline in [pos, end), or BUF_NOPOS. */
static size_t newline_in(Pages *P, size_t pos, size_t end)
{
	while (pos < end) {
		size_t span;
		const char *p = pages_span(P, pos, &span);
		span = span < end - pos ? span : end - pos;
		const char *q = memchr(p, '\n', span);
		if (q)
			return pos + (size_t)(q - p);
		pos += span;
	}
	return BUF_NOPOS;
}

bool lines_end_known(Pages *P, size_t pos, size_t *end)
{
	if (pos >= P->len) {
		*end = P->len;
		return true;
	}
	pages_sync_lost(P);
	size_t off, k = pages_find(P, pos, &off);
	for (size_t j = k; j < P->n; j++) {
		const Page *p = &P->v[j];
		if (j > k && p->nl == 0)
			continue;
		if (j > k && p->nl == PAGES_NL_UNKNOWN)
			return false;
		size_t start = pages_start(P, j), nl = newline_in(P, j == k ? pos : start, start + p->len);
		if (nl != BUF_NOPOS) {
			*end = nl;
			return true;
		}
	}
	*end = P->len;
	return true;
}

bool lines_check(const Pages *P)
{
	Pages *M = (Pages *)P;
	pages_sync_lost(M);
	size_t before = 0;
	for (size_t k = 0; k < P->n; k++) {
		const Page *p = &P->v[k];
		if (k < P->nlines && P->before[k] != before)
			return false;
		if (p->nl == PAGES_NL_UNKNOWN) {
			if (k + 1 < P->nlines)
				return false; /* the prefix cache needs it counted */
			continue;
		}
		size_t w = M->work.counted;
		size_t real = count_range(M, pages_start(P, k), p->len, NULL);
		M->work.counted = w;
		if (real != p->nl)
			return false;
		before += p->nl;
	}
	return true;
}
