/* UTF-8 helpers on top of utf8proc; a grapheme's width is the sum of its
 * characters' (combining marks and emoji joined by a ZWJ add none). */
#include "buffer/utf8.h"
#include <string.h>
#include <utf8proc.h>

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	if (len == 0) {
		*cp = UTF8_INVALID;
		return 0;
	}
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, len > 4 ? 4 : (utf8proc_ssize_t)len, &c);
	if (n <= 0 || c < 0) {
		*cp = UTF8_INVALID;
		return 1;
	}
	*cp = (uint32_t)c;
	return (size_t)n;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
	return n > 0 ? (size_t)n : 0;
}

int utf8_width(uint32_t cp)
{
	if (cp == UTF8_INVALID || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return -1;
	if (cp == 0x200b || cp == 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f))
		return 0;
	utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
	if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME)
		return 0;
	if (cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CS || cat == UTF8PROC_CATEGORY_CN)
		return -1;
	int w = utf8proc_charwidth((utf8proc_int32_t)cp);
	return w < 0 ? -1 : w;
}

int utf8_escape_width(uint32_t cp, unsigned char byte)
{
	if (cp == UTF8_INVALID)
		return 4; /* <xx> */
	if (cp < 0x20 || cp == 0x7f)
		return 2; /* ^X */
	return 6; /* <U+xx> style for other unprintables: <xxxx> */
}

size_t utf8_decode_at(const Text *t, size_t pos, uint32_t *cp)
{
	char buf[4];
	size_t n = text_copy(t, pos, 4, buf);
	return utf8_decode(buf, n, cp);
}

size_t utf8_prev_char(const Text *t, size_t pos)
{
	if (pos == 0)
		return 0;
	size_t start = pos - 1;
	for (int i = 0; i < 3 && start > 0 && (text_byte(t, start) & 0xC0) == 0x80; i++)
		start--;
	uint32_t cp;
	size_t n = utf8_decode_at(t, start, &cp);
	/* A run of stray continuation bytes: step back one byte only. */
	return start + n == pos ? start : pos - 1;
}

size_t utf8_next_grapheme(const Text *t, size_t pos)
{
	size_t len = text_len(t);
	if (pos >= len)
		return len;
	uint32_t a, b;
	size_t n = utf8_decode_at(t, pos, &a);
	pos += n;
	if (a == UTF8_INVALID || a == '\r')
		return (a == '\r' && text_byte(t, pos) == '\n') ? pos + 1 : pos;
	utf8proc_int32_t state = 0;
	while (pos < len) {
		n = utf8_decode_at(t, pos, &b);
		if (b == UTF8_INVALID || utf8proc_grapheme_break_stateful((utf8proc_int32_t)a, (utf8proc_int32_t)b, &state))
			break;
		pos += n;
		a = b;
	}
	return pos;
}

/* A break between a and b whatever precedes a: the stateless rules say
 * break, and no rule that looks further back (GB11: an emoji ZWJ sequence)
 * could join them. Pairs of regional indicators never break statelessly,
 * so a walk back over them reaches the start of their run. */
static bool sure_break(uint32_t a, uint32_t b)
{
	if (a == UTF8_INVALID || b == UTF8_INVALID)
		return true;
	if (!utf8proc_grapheme_break((utf8proc_int32_t)a, (utf8proc_int32_t)b))
		return false;
	int ca = utf8proc_get_property((utf8proc_int32_t)a)->boundclass;
	int cb = utf8proc_get_property((utf8proc_int32_t)b)->boundclass;
	return !(ca == UTF8PROC_BOUNDCLASS_ZWJ && cb == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC);
}

size_t utf8_prev_grapheme(const Text *t, size_t pos)
{
	if (pos == 0)
		return 0;
	/* Flags (regional indicator pairs) and ZWJ sequences depend on what
	 * comes before them, which only a forward walk sees: go back to a
	 * sure break, then step forward to the last boundary before pos. */
	size_t start = utf8_prev_char(t, pos);
	while (start > 0) {
		uint32_t a, b;
		size_t prev = utf8_prev_char(t, start);
		utf8_decode_at(t, prev, &a);
		utf8_decode_at(t, start, &b);
		if (sure_break(a, b))
			break;
		start = prev;
	}
	for (;;) {
		size_t next = utf8_next_grapheme(t, start);
		if (next >= pos || next <= start)
			return start;
		start = next;
	}
}

static int char_cols(uint32_t cp, unsigned char byte, size_t col, int tabw)
{
	if (cp == '\t')
		return tabw - (int)(col % (size_t)tabw);
	int w = utf8_width(cp);
	return w >= 0 ? w : utf8_escape_width(cp, byte);
}

bool utf8_joins(uint32_t prev, uint32_t cp)
{
	return prev == 0x200d && cp != UTF8_INVALID &&
	       utf8proc_get_property((utf8proc_int32_t)cp)->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC;
}

size_t utf8_columns_from(const Text *t, size_t from, size_t to, size_t col, int tabw)
{
	uint32_t prev = 0;
	while (from < to) {
		int c = text_byte(t, from);
		if (c >= 0x20 && c < 0x7f) { /* printable ASCII: the common case */
			col++;
			from++;
			prev = (uint32_t)c;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode_at(t, from, &cp);
		if (n == 0 || cp == '\n')
			break;
		if (!utf8_joins(prev, cp))
			col += (size_t)char_cols(cp, (unsigned char)c, col, tabw);
		prev = cp;
		from += n;
	}
	return col;
}

size_t utf8_columns(const Text *t, size_t from, size_t to, int tabw)
{
	return utf8_columns_from(t, from, to, 0, tabw);
}

/* The end of the grapheme cluster at pos, quickly for ASCII (a printable
 * byte followed by another ASCII byte is a cluster of its own). */
static size_t cluster_end(const Text *t, size_t pos, size_t len)
{
	int c = text_byte(t, pos);
	if (c >= 0x20 && c < 0x7f && (pos + 1 >= len || (unsigned char)text_byte(t, pos + 1) < 0x80))
		return pos + 1;
	return utf8_next_grapheme(t, pos);
}

size_t utf8_offset_at_column(const Text *t, size_t from, size_t want, int tabw)
{
	size_t col = 0, len = text_len(t);
	/* Cluster by cluster, so the result is never inside one (a flag, an
	 * emoji with its modifier, a letter with its accents). */
	while (from < len && col < want) {
		int c = text_byte(t, from);
		if (c == '\n' || (c == '\r' && from + 1 < len && text_byte(t, from + 1) == '\n'))
			break;
		size_t next = cluster_end(t, from, len);
		size_t after = utf8_columns_from(t, from, next, col, tabw);
		if (after > want && after > col)
			break;
		col = after;
		from = next;
	}
	return from;
}

const char *utf8_lib_version(void)
{
	return utf8proc_version();
}
