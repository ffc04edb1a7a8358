/* Terminal escape sequences in text: find, strip, read SGR colours. */
#include "editor/ansi.h"
#include <string.h>

enum { ESC = 0x1b, BEL = 0x07 };

/* A string sequence (OSC, DCS...) from p[2]: up to BEL or ESC \. */
static size_t string_len(const char *p, size_t n)
{
	for (size_t i = 2; i < n && i < ANSI_MAX_SEQ; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == BEL)
			return i + 1;
		if (c == ESC)
			return i + 1 < n && p[i + 1] == '\\' ? i + 2 : 0;
	}
	return 0;
}

static size_t csi_len(const char *p, size_t n)
{
	size_t i = 2;
	while (i < n && i < ANSI_MAX_SEQ && (unsigned char)p[i] >= 0x30 && (unsigned char)p[i] <= 0x3f)
		i++;
	while (i < n && i < ANSI_MAX_SEQ && (unsigned char)p[i] >= 0x20 && (unsigned char)p[i] <= 0x2f)
		i++;
	if (i < n && i < ANSI_MAX_SEQ && (unsigned char)p[i] >= 0x40 && (unsigned char)p[i] <= 0x7e)
		return i + 1;
	return 0;
}

size_t ansi_seq_len(const char *p, size_t n)
{
	if (n < 2 || (unsigned char)p[0] != ESC)
		return 0;
	switch (p[1]) {
	case '[':
		return csi_len(p, n);
	case ']': case 'P': case 'X': case '^': case '_':
		return string_len(p, n);
	}
	size_t i = 1;
	while (i < n && i < ANSI_MAX_SEQ && (unsigned char)p[i] >= 0x20 && (unsigned char)p[i] <= 0x2f)
		i++;
	if (i < n && (unsigned char)p[i] >= 0x30 && (unsigned char)p[i] <= 0x7e)
		return i + 1;
	return 0;
}

/* ===== SGR ================================================================ */

/* The next number of a parameter list (';' or ':' separated), -1 when it
 * is empty (which SGR reads as 0); advances *i past its separator. */
static long param(const char *s, size_t len, size_t *i)
{
	long v = -1;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		v = (v < 0 ? 0 : v * 10) + (s[*i] - '0');
		if (v > 100000)
			v = 100000;
		(*i)++;
	}
	if (*i < len && (s[*i] == ';' || s[*i] == ':'))
		(*i)++;
	return v;
}

/* 38;5;N / 38;2;R;G;B (and 48): the colour, 0 when malformed. */
static uint16_t extended_color(const char *s, size_t len, size_t *i)
{
	long mode = param(s, len, i);
	if (mode == 5) {
		long n = param(s, len, i);
		return n >= 0 && n <= 255 ? STYLE_COLOR(n) : 0;
	}
	if (mode == 2) {
		long r = param(s, len, i), g = param(s, len, i), b = param(s, len, i);
		if (r < 0 || g < 0 || b < 0 || r > 255 || g > 255 || b > 255)
			return 0;
		return style_rgb((int)r, (int)g, (int)b);
	}
	return 0;
}

static void sgr_one(long v, const char *s, size_t len, size_t *i, Style *st)
{
	static const uint16_t attrs[10] = {0, ST_BOLD, ST_DIM, ST_ITALIC, ST_UNDERLINE, 0, 0, ST_REVERSE};
	if (v <= 0)
		*st = (Style){0};
	else if (v < 10)
		st->attr |= attrs[v];
	else if (v == 22)
		st->attr &= (uint16_t)~(ST_BOLD | ST_DIM);
	else if (v == 23)
		st->attr &= (uint16_t)~ST_ITALIC;
	else if (v == 24)
		st->attr &= (uint16_t)~ST_UNDERLINE;
	else if (v == 27)
		st->attr &= (uint16_t)~ST_REVERSE;
	else if (v >= 30 && v <= 37)
		st->fg = STYLE_COLOR(v - 30);
	else if (v == 38)
		st->fg = extended_color(s, len, i);
	else if (v == 39)
		st->fg = 0;
	else if (v >= 40 && v <= 47)
		st->bg = STYLE_COLOR(v - 40);
	else if (v == 48)
		st->bg = extended_color(s, len, i);
	else if (v == 49)
		st->bg = 0;
	else if (v >= 90 && v <= 97)
		st->fg = STYLE_COLOR(v - 90 + 8);
	else if (v >= 100 && v <= 107)
		st->bg = STYLE_COLOR(v - 100 + 8);
}

bool ansi_sgr(const char *seq, size_t len, Style *st)
{
	if (len < 3 || seq[0] != ESC || seq[1] != '[' || seq[len - 1] != 'm')
		return false;
	const char *s = seq + 2;
	size_t n = len - 3, i = 0;
	for (size_t k = 0; k < n; k++)
		if (!(s[k] >= '0' && s[k] <= '9') && s[k] != ';' && s[k] != ':')
			return false; /* private (ESC [ > 4 m...) or odd: not colours */
	Style out = *st;
	if (n == 0)
		out = (Style){0};
	while (i < n) {
		long v = param(s, n, &i);
		sgr_one(v, s, n, &i, &out);
	}
	*st = out;
	return true;
}

int32_t ansi_pack(Style st)
{
	return (int32_t)((uint32_t)(st.fg & 0x1ff) | (uint32_t)(st.bg & 0x1ff) << 9 | (uint32_t)(st.attr & 0x1f) << 18);
}

Style ansi_unpack(int32_t v)
{
	uint32_t u = (uint32_t)v;
	return (Style){.fg = (uint16_t)(u & 0x1ff), .bg = (uint16_t)(u >> 9 & 0x1ff), .attr = (uint16_t)(u >> 18 & 0x1f)};
}

/* ===== stripping ========================================================= */

size_t ansi_strip(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		const char *e = memchr(s + i, ESC, n - i);
		size_t run = e ? (size_t)(e - (s + i)) : n - i;
		memmove(out + o, s + i, run);
		o += run;
		i += run;
		if (i == n)
			break;
		size_t k = ansi_seq_len(s + i, n - i);
		if (k == 0)
			out[o++] = s[i++];
		else
			i += k;
	}
	return o;
}

/* Where a sequence may still be cut at the end of p: the first ESC of
 * the last ANSI_MAX_SEQ bytes that does not start a complete sequence
 * (what comes next may complete it); n when there is none. */
static size_t cut_at(const char *p, size_t n)
{
	size_t i = n > ANSI_MAX_SEQ ? n - ANSI_MAX_SEQ : 0;
	while (i < n) {
		const char *e = memchr(p + i, ESC, n - i);
		if (!e)
			return n;
		i = (size_t)(e - p);
		size_t k = ansi_seq_len(p + i, n - i);
		if (!k)
			return i;
		i += k;
	}
	return n;
}

static bool emit_stripped(char *p, size_t n, AnsiEmit emit, void *arg)
{
	size_t m = ansi_strip(p, n, p);
	return m == 0 || emit(arg, p, m);
}

bool ansi_stream_feed(AnsiStream *as, const char *p, size_t n, AnsiEmit emit, void *arg)
{
	char buf[4096];
	while (n > 0) {
		/* The held bytes, then as much as fits, stripped together. */
		size_t take = sizeof buf - as->nheld;
		if (take > n)
			take = n;
		memcpy(buf, as->held, as->nheld);
		memcpy(buf + as->nheld, p, take);
		size_t len = as->nheld + take;
		p += take;
		n -= take;
		/* Keep back a sequence the next piece may complete. */
		size_t cut = cut_at(buf, len);
		as->nheld = len - cut;
		memcpy(as->held, buf + cut, as->nheld);
		if (!emit_stripped(buf, cut, emit, arg))
			return false;
	}
	return true;
}

bool ansi_stream_end(AnsiStream *as, AnsiEmit emit, void *arg)
{
	size_t n = as->nheld;
	as->nheld = 0;
	return n == 0 || emit(arg, as->held, n);
}
