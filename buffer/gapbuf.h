/* GapBuf: the bytes of one text, 8-bit clean, with a movable gap.
 * Knows nothing of lines, marks or undo (see text.h, which owns those). */
#ifndef BUFFER_GAPBUF_H
#define BUFFER_GAPBUF_H
#include <stdbool.h>
#include <stddef.h>

#define BUF_NOPOS ((size_t)-1)

#ifndef GAPBUF_MIN_GAP
#define GAPBUF_MIN_GAP 4096
#endif

typedef struct GapBuf {
	char *data;       /* cap bytes: [0,gap_start) text, [gap_start,gap_end) gap, [gap_end,cap) text */
	size_t cap;
	size_t gap_start;
	size_t gap_end;
} GapBuf;

void gapbuf_init(GapBuf *gb);
void gapbuf_fini(GapBuf *gb);
/* Takes ownership of a malloc'd block holding len bytes of text in cap bytes. */
void gapbuf_adopt(GapBuf *gb, char *data, size_t len, size_t cap);
size_t gapbuf_len(const GapBuf *gb);
static inline bool gapbuf_is_empty(const GapBuf *gb) { return gapbuf_len(gb) == 0; }
/* Byte at pos, or -1 past the end. */
int gapbuf_byte(const GapBuf *gb, size_t pos);
/* Copies up to len bytes from pos; returns the count copied. */
size_t gapbuf_copy(const GapBuf *gb, size_t pos, size_t len, char *out);
/* Longest contiguous run starting at pos: pointer and *len (0 at the end).
 * Valid until the next mutation. */
const char *gapbuf_span(const GapBuf *gb, size_t pos, size_t *len);
/* Ensures room for `extra` more bytes without another allocation.
 * False (errno ENOMEM) changes nothing. */
bool gapbuf_reserve(GapBuf *gb, size_t extra);
void gapbuf_move_gap(GapBuf *gb, size_t pos);
bool gapbuf_insert(GapBuf *gb, size_t pos, const char *s, size_t len);
bool gapbuf_delete(GapBuf *gb, size_t pos, size_t len);
/* The whole text as one contiguous block (moves the gap to the end). */
const char *gapbuf_contiguous(GapBuf *gb);
/* Invariant check for tests. */
bool gapbuf_check(const GapBuf *gb);
#endif
