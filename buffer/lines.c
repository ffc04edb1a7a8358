/* Line index as a flat array of (len, newlines) blocks. A flat array is
 * enough: 1 GB is 16k blocks of 64 KB, walked in microseconds. */
#include "buffer/lines.h"
#include "buffer/array.h"
#include <stdlib.h>
#include <string.h>

void lines_init(LineIndex *li)
{
	memset(li, 0, sizeof *li);
}

void lines_fini(LineIndex *li)
{
	free(li->b);
	memset(li, 0, sizeof *li);
}

size_t lines_newlines(const char *p, size_t len)
{
	size_t n = 0;
	const char *end = p + len;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
	}
	return n;
}

static size_t count_range(const GapBuf *gb, size_t pos, size_t len)
{
	size_t n = 0;
	while (len > 0) {
		size_t span;
		const char *p = gapbuf_span(gb, pos, &span);
		if (span == 0)
			break;
		if (span > len)
			span = len;
		n += lines_newlines(p, span);
		pos += span;
		len -= span;
	}
	return n;
}

static bool reserve(LineIndex *li, size_t n)
{
	return ARRAY_RESERVE(li->b, li->cap, n);
}

bool lines_build(LineIndex *li, const GapBuf *gb)
{
	size_t len = gapbuf_len(gb);
	size_t n = len / LINES_BLOCK + 1;
	if (!reserve(li, n))
		return false; /* the old index stays */
	li->n = 0;
	for (size_t pos = 0; pos < len || li->n == 0; pos += LINES_BLOCK) {
		size_t bl = len - pos < LINES_BLOCK ? len - pos : LINES_BLOCK;
		li->b[li->n].len = bl;
		li->b[li->n].nl = count_range(gb, pos, bl);
		li->n++;
	}
	return true;
}

void lines_pass_begin(LinesPass *lp, LineIndex *li)
{
	lp->li = li;
	lp->k = 0;
	lp->start = 0;
}

/* Advances to the block holding pos; a pos on a boundary stays in the
 * earlier block, so inserts at the end of the text have a home. */
static void seek(LinesPass *lp, size_t pos)
{
	LineIndex *li = lp->li;
	while (lp->k + 1 < li->n && lp->start + li->b[lp->k].len < pos) {
		lp->start += li->b[lp->k].len;
		lp->k++;
	}
}

void lines_pass_delete(LinesPass *lp, const GapBuf *gb, size_t pos, size_t len)
{
	LineIndex *li = lp->li;
	seek(lp, pos);
	/* Blocks shrink as the delete proceeds, so pos stays put in index
	 * coordinates, while gb still holds every byte: the next bytes to
	 * count are at `from`, which runs ahead of pos. */
	size_t k = lp->k, start = lp->start, from = pos;
	while (len > 0 && k < li->n) {
		size_t end = start + li->b[k].len;
		if (pos >= end) {
			start = end;
			k++;
			continue;
		}
		size_t take = end - pos < len ? end - pos : len;
		li->b[k].nl -= count_range(gb, from, take);
		li->b[k].len -= take;
		from += take;
		len -= take;
	}
}

void lines_pass_insert(LinesPass *lp, size_t pos, const char *s, size_t len)
{
	seek(lp, pos);
	lp->li->b[lp->k].len += len;
	lp->li->b[lp->k].nl += lines_newlines(s, len);
}

/* Splits the blocks longer than 2 * LINES_BLOCK into LINES_BLOCK pieces,
 * recounting only their bytes: rebuilding the whole index instead made
 * appending to a growing log quadratic (each 64 KB appended rescanned it
 * all). Fills from the end, so no block is overwritten before it is read.
 * False (nothing changed) when memory is short. */
static bool split_big(LineIndex *li, const GapBuf *gb)
{
	size_t newn = 0, total = 0;
	for (size_t k = 0; k < li->n; k++) {
		size_t len = li->b[k].len;
		newn += len > 2 * LINES_BLOCK ? (len + LINES_BLOCK - 1) / LINES_BLOCK : 1;
		total += len;
	}
	if (!reserve(li, newn))
		return false;
	size_t w = newn, end = total;
	for (size_t k = li->n; k-- > 0;) {
		LineBlock b = li->b[k];
		size_t start = end - b.len;
		if (b.len > 2 * LINES_BLOCK) {
			size_t pieces = (b.len + LINES_BLOCK - 1) / LINES_BLOCK;
			for (size_t p = pieces; p-- > 0;) {
				size_t ps = start + p * LINES_BLOCK;
				size_t pl = p == pieces - 1 ? b.len - p * LINES_BLOCK : LINES_BLOCK;
				li->b[--w] = (LineBlock){pl, count_range(gb, ps, pl)};
			}
		} else {
			li->b[--w] = b;
		}
		end = start;
	}
	li->n = newn;
	return true;
}

bool lines_pass_end(LinesPass *lp, const GapBuf *gb)
{
	LineIndex *li = lp->li;
	bool big = false;
	for (size_t k = 0; k < li->n; k++)
		if (li->b[k].len > 2 * LINES_BLOCK)
			big = true;
	/* A big insert: split its blocks. Short of memory, the big block
	 * stays: still right, only slower. */
	if (big)
		split_big(li, gb);
	/* Common case: just drop empty blocks (keep at least one). */
	size_t w = 0;
	for (size_t k = 0; k < li->n; k++)
		if (li->b[k].len > 0 || (w == 0 && k == li->n - 1))
			li->b[w++] = li->b[k];
	li->n = w ? w : 1;
	if (w == 0)
		li->b[0] = (LineBlock){0, 0};
	return true;
}

size_t lines_count(const LineIndex *li)
{
	size_t n = 1;
	for (size_t k = 0; k < li->n; k++)
		n += li->b[k].nl;
	return n;
}

size_t lines_offset_of(const LineIndex *li, const GapBuf *gb, size_t line)
{
	if (line == 0)
		return 0;
	size_t acc = 0, start = 0;
	for (size_t k = 0; k < li->n; k++) {
		if (acc + li->b[k].nl >= line) {
			/* The line-th newline is in this block. */
			size_t want = line - acc, pos = start;
			for (;;) {
				size_t span;
				const char *p = gapbuf_span(gb, pos, &span);
				if (span == 0)
					return gapbuf_len(gb);
				const char *q = p, *end = p + span;
				while ((q = memchr(q, '\n', (size_t)(end - q)))) {
					if (--want == 0)
						return pos + (size_t)(q - p) + 1;
					q++;
				}
				pos += span;
			}
		}
		acc += li->b[k].nl;
		start += li->b[k].len;
	}
	/* Past the last line: the start of the last line. */
	return acc ? lines_offset_of(li, gb, acc) : 0;
}

size_t lines_line_of(const LineIndex *li, const GapBuf *gb, size_t pos)
{
	size_t acc = 0, start = 0, k = 0;
	while (k + 1 < li->n && start + li->b[k].len <= pos) {
		acc += li->b[k].nl;
		start += li->b[k].len;
		k++;
	}
	size_t len = gapbuf_len(gb);
	if (pos > len)
		pos = len;
	return acc + count_range(gb, start, pos - start);
}

bool lines_check(const LineIndex *li, const GapBuf *gb)
{
	size_t start = 0;
	if (li->n == 0)
		return false;
	for (size_t k = 0; k < li->n; k++) {
		if (li->b[k].nl != count_range(gb, start, li->b[k].len))
			return false;
		start += li->b[k].len;
	}
	return start == gapbuf_len(gb);
}
