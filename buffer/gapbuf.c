/* Gap buffer: one allocation, the gap moved to each edit. Fails cleanly
 * (nothing changed) when memory runs out. */
#include "buffer/gapbuf.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void gapbuf_init(GapBuf *gb)
{
	memset(gb, 0, sizeof *gb);
}

void gapbuf_fini(GapBuf *gb)
{
	free(gb->data);
	memset(gb, 0, sizeof *gb);
}

void gapbuf_adopt(GapBuf *gb, char *data, size_t len, size_t cap)
{
	free(gb->data);
	gb->data = data;
	gb->cap = cap;
	gb->gap_start = len;
	gb->gap_end = cap;
}

size_t gapbuf_len(const GapBuf *gb)
{
	return gb->cap - (gb->gap_end - gb->gap_start);
}

int gapbuf_byte(const GapBuf *gb, size_t pos)
{
	if (pos < gb->gap_start)
		return (unsigned char)gb->data[pos];
	pos += gb->gap_end - gb->gap_start;
	return pos < gb->cap ? (unsigned char)gb->data[pos] : -1;
}

const char *gapbuf_span(const GapBuf *gb, size_t pos, size_t *len)
{
	if (pos < gb->gap_start) {
		*len = gb->gap_start - pos;
		return gb->data + pos;
	}
	size_t phys = pos + (gb->gap_end - gb->gap_start);
	if (phys >= gb->cap) {
		*len = 0;
		return gb->data ? gb->data + gb->cap : "";
	}
	*len = gb->cap - phys;
	return gb->data + phys;
}

size_t gapbuf_copy(const GapBuf *gb, size_t pos, size_t len, char *out)
{
	size_t done = 0;
	while (done < len) {
		size_t n;
		const char *p = gapbuf_span(gb, pos + done, &n);
		if (n == 0)
			break;
		if (n > len - done)
			n = len - done;
		memcpy(out + done, p, n);
		done += n;
	}
	return done;
}

bool gapbuf_reserve(GapBuf *gb, size_t extra)
{
	size_t gap = gb->gap_end - gb->gap_start;
	if (gap >= extra)
		return true;
	size_t len = gapbuf_len(gb);
	size_t want = len + extra;
	/* Grow by an eighth: amortized, and little slack on a 100 MB text. */
	size_t ncap = want + want / 8 + GAPBUF_MIN_GAP;
	if (want < len || ncap < want) {
		/* Overflow: a wrapped size would shrink the block. */
		errno = ENOMEM;
		return false;
	}
	char *nd = realloc(gb->data, ncap);
	if (!nd)
		return false;
	/* Slide the text after the gap to the new end. */
	size_t tail = gb->cap - gb->gap_end;
	memmove(nd + ncap - tail, nd + gb->gap_end, tail);
	gb->data = nd;
	gb->gap_end = ncap - tail;
	gb->cap = ncap;
	return true;
}

void gapbuf_move_gap(GapBuf *gb, size_t pos)
{
	size_t gap = gb->gap_end - gb->gap_start;
	if (pos < gb->gap_start) {
		size_t n = gb->gap_start - pos;
		memmove(gb->data + gb->gap_end - n, gb->data + pos, n);
	} else if (pos > gb->gap_start) {
		size_t n = pos - gb->gap_start;
		memmove(gb->data + gb->gap_start, gb->data + gb->gap_end, n);
	}
	gb->gap_start = pos;
	gb->gap_end = pos + gap;
}

bool gapbuf_insert(GapBuf *gb, size_t pos, const char *s, size_t len)
{
	if (pos > gapbuf_len(gb)) {
		errno = EINVAL;
		return false;
	}
	if (len == 0)
		return true;
	if (!gapbuf_reserve(gb, len))
		return false;
	gapbuf_move_gap(gb, pos);
	memcpy(gb->data + gb->gap_start, s, len);
	gb->gap_start += len;
	return true;
}

bool gapbuf_delete(GapBuf *gb, size_t pos, size_t len)
{
	if (pos > gapbuf_len(gb) || len > gapbuf_len(gb) - pos) {
		errno = EINVAL;
		return false;
	}
	gapbuf_move_gap(gb, pos);
	gb->gap_end += len;
	return true;
}

const char *gapbuf_contiguous(GapBuf *gb)
{
	gapbuf_move_gap(gb, gapbuf_len(gb));
	return gb->data ? gb->data : "";
}

bool gapbuf_check(const GapBuf *gb)
{
	return gb->gap_start <= gb->gap_end && gb->gap_end <= gb->cap &&
	       (gb->data != NULL || gb->cap == 0);
}
