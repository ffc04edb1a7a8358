/* Render: visible rows -> styled cells. No terminal here (term.c draws).
 *
 * Layout model. A line is walked character by character with a state
 * (offset, display column, wrap row, column inside that row). Tabs expand
 * to the tab width, control characters and invalid bytes take the width
 * of their escape (as utf8_columns counts them), combining marks take 0,
 * and so do terminal escape sequences in a buffer that hides them.
 * With soft wrap a character that does not fit in the rest of a row starts
 * the next row; the end of the line counts as one column for this rule, so
 * a cursor at the end of a full row shows on the next one.
 *
 * Long lines. Walking a 100 MB line from its start on every frame would
 * cost tens of milliseconds, so lines longer than LONG_LINE get a ColCache:
 * walk states every CK_STEP bytes, filled lazily (only as far as a query
 * needs) with a fast path for runs of printable ASCII. A query starts from
 * the nearest checkpoint, so it walks at most CK_STEP bytes. Caches are
 * keyed by (line start, text version, tab width, wrap width, hidden escapes).
 *
 * Nor is a line's end looked for further than a walk goes: a Lay knows
 * how far its line goes on (`le`), pushed on LONG_LINE bytes at a time as
 * walks near it (reach). The next line's start, when a long line's rows
 * are drawn, comes from a short scan or from what the line index already
 * counted (lay_final): never from reading the rest of the line, so the
 * first screen of a 100 MB single-line file reads a screenful. Rows below
 * a line whose end is not known yet stay empty until the background count
 * (editor/bgindex.c) finds it. */
#include "editor/render.h"
#include "buffer/utf8.h"
#include "buffer/array.h"
#include "editor/ansi.h"
#include "editor/filter.h"
#include "editor/render_hex.h"
#include "editor/render_pane.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LONG_LINE 8192
#define CK_STEP 16384
#define NCACHE 16
#define EXTEND_STEP (256u << 10)
#define HL_MARGIN 256
#define NEXT_SCAN (64u << 10) /* bytes scanned for the end of a line drawn */
#define WALK_COPY 32768       /* bytes a long walk copies at a time */

/* ===== grid ============================================================== */

bool grid_resize(Grid *g, int w, int h)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (w == g->w && h == g->h && g->cells)
		return true;
	Cell *c = calloc((size_t)w * (size_t)h, sizeof *c);
	if (!c)
		return false;
	free(g->cells);
	g->cells = c;
	g->w = w;
	g->h = h;
	return true;
}

void grid_fini(Grid *g)
{
	free(g->cells);
	g->cells = NULL;
	g->w = g->h = 0;
}

void grid_clear(Grid *g, int y0, int y1, uint16_t style)
{
	for (int y = y0 < 0 ? 0 : y0; y < y1 && y < g->h; y++)
		for (int x = 0; x < g->w; x++)
			*grid_at(g, x, y) = (Cell){.cp = ' ', .kind = RC_BLANK, .style = style};
}

int render_escape_text(const Cell *c, char out[12])
{
	static const char hex[] = "0123456789abcdef";
	uint32_t cp = c->cp;
	if (c->kind == RC_ESC_BYTE) {
		out[0] = '<';
		out[1] = hex[(cp >> 4) & 15];
		out[2] = hex[cp & 15];
		out[3] = '>';
		return 4;
	}
	if (cp < 0x20 || cp == 0x7f) {
		out[0] = '^';
		out[1] = (char)(cp == 0x7f ? '?' : cp + 64);
		return 2;
	}
	/* Six columns, as utf8_escape_width counts: <hhhh> or <hhhhh / hhhhhh. */
	char h[8];
	int n = 0;
	for (int s = 20; s >= 0; s -= 4)
		if ((cp >> s) || s < 16)
			h[n++] = hex[(cp >> s) & 15];
	int o = 0;
	if (n <= 4) {
		out[o++] = '<';
		memcpy(out + o, h, 4);
		o += 4;
		out[o++] = '>';
	} else if (n == 5) {
		out[o++] = '<';
		memcpy(out + o, h, 5);
		o += 5;
	} else {
		memcpy(out + o, h, 6);
		o += 6;
	}
	return o;
}

void render_escape_string(const char *s, size_t len, const char *keep,
                          void (*put)(void *arg, const char *p, size_t n), void *arg)
{
	size_t run = 0; /* start of the pending run of printable text */
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		bool invalid = cp == UTF8_INVALID;
		bool kept = !invalid && cp < 0x80 && cp && strchr(keep, (int)cp);
		if (kept || (!invalid && utf8_width((uint32_t)cp) >= 0)) {
			i += n;
			continue;
		}
		if (i > run)
			put(arg, s + run, i - run);
		Cell c = {.cp = invalid ? (unsigned char)s[i] : cp, .kind = invalid ? RC_ESC_BYTE : RC_ESC_CP};
		char esc[12];
		put(arg, esc, (size_t)render_escape_text(&c, esc));
		i += n;
		run = i;
	}
	if (len > run)
		put(arg, s + run, len - run);
}

/* Width a character takes at display column col. */
static int char_w(uint32_t cp, size_t col, int tabw)
{
	if (cp == '\t')
		return tabw - (int)(col % (size_t)tabw);
	int w = utf8_width(cp);
	return w >= 0 ? w : utf8_escape_width(cp, 0);
}

/* Fills cells for one character (w columns) starting at column x of row y,
 * clipped at xend; cols [skip, w) of the character are shown. */
static void put_char(Grid *g, int x, int xend, int y, uint32_t cp, bool invalid, int w, int skip, uint16_t style)
{
	Cell proto = {.cp = cp, .style = style};
	if (cp == '\t') {
		proto.kind = RC_BLANK;
		proto.cp = ' ';
	} else if (invalid) {
		proto.kind = RC_ESC_BYTE;
	} else if (utf8_width(cp) < 0) {
		proto.kind = RC_ESC_CP;
	} else {
		proto.kind = RC_TEXT;
	}
	for (int i = skip; i < w && x < xend; i++, x++) {
		Cell c = proto;
		if (proto.kind == RC_ESC_CP || proto.kind == RC_ESC_BYTE)
			c.part = (uint8_t)i;
		else if (proto.kind == RC_TEXT && (i > 0 || skip > 0 || (w == 2 && x + 1 >= xend)))
			c = (Cell){.cp = ' ', .kind = RC_BLANK, .style = style | RS_DIM};
		if (proto.kind == RC_TEXT && i == 1 && skip == 0 && w == 2)
			c = (Cell){.cp = ' ', .kind = RC_CONT, .style = style};
		*grid_at(g, x, y) = c;
	}
}

static void add_comb(Cell *c, uint32_t cp)
{
	if (c->kind != RC_TEXT)
		return;
	for (int i = 0; i < RENDER_MAXCOMB; i++)
		if (!c->comb[i]) {
			c->comb[i] = cp;
			return;
		}
}

size_t render_text_width(const char *s, size_t len)
{
	size_t col = 0;
	uint32_t prev = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (!utf8_joins(prev, cp))
			col += cp == UTF8_INVALID ? 4 : (size_t)char_w(cp == '\t' ? ' ' : cp, col, 8);
		prev = cp;
		i += n;
	}
	return col;
}

int grid_text(Grid *g, int x, int y, int maxw, uint16_t style, const char *s, size_t len)
{
	if (y < 0 || y >= g->h || x >= g->w)
		return 0;
	int xend = x + maxw > g->w ? g->w : x + maxw, x0 = x;
	Cell *last = NULL;
	uint32_t prev = 0;
	for (size_t i = 0; i < len && x < xend;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		bool invalid = cp == UTF8_INVALID;
		if (invalid)
			cp = (unsigned char)s[i];
		if (cp == '\t')
			cp = ' ';
		int w = invalid ? 4 : utf8_joins(prev, cp) ? 0 : char_w(cp, 0, 8);
		prev = invalid ? 0 : cp;
		if (w == 0 && !invalid) {
			if (last)
				add_comb(last, cp);
		} else {
			if (w == 2 && x + 1 >= xend)
				break;
			put_char(g, x, xend, y, cp, invalid, w, 0, style);
			last = grid_at(g, x, y);
			x += w;
		}
		i += n;
	}
	if (x > xend)
		x = xend;
	return x - x0;
}

/* ===== walking a line ==================================================== */

typedef struct St {
	size_t off, col, row, rcol;
} St;

/* What one walk needs to know. */
typedef struct Lay {
	Text *t;
	int tabw;
	int textw;  /* wrap width, 0: no wrap */
	bool crlf;  /* hide the '\r' of "\r\n" */
	size_t start; /* the line's start */
	size_t le;  /* the line end (offset of '\n' or text end) when final, else
	               how far the line is known to go on */
	bool final;
	bool hide_esc; /* escape sequences take no room (Buffer.hide_escapes) */
} Lay;

/* How far the line is known to go on from off: at least 8 bytes past it
 * (a whole character) unless the line ends first. */
static size_t reach(Lay *L, size_t off)
{
	while (!L->final && off + 8 >= L->le) {
		/* A long line is read ahead by copies: walking it leaves none
		 * of the file mapped in. */
		bool far = L->le - L->start >= LONG_LINE;
		size_t step = far ? NEXT_SCAN : LONG_LINE;
		size_t e = far ? text_line_end_far(L->t, L->le, step) : text_line_end_within(L->t, L->le, step);
		if (e != BUF_NOPOS) {
			L->le = e;
			L->final = true;
		} else {
			L->le += step;
		}
	}
	return L->le;
}

/* Makes le the line's end if a scan of `far` more bytes or the line index
 * (what it counted so far) tells it; false if neither does. */
static bool lay_final(Lay *L, size_t far)
{
	size_t until = L->le + far < L->le ? (size_t)-1 : L->le + far;
	while (!L->final && L->le < until)
		reach(L, L->le - 8);
	size_t e;
	if (!L->final && text_line_end_known(L->t, L->le, &e)) {
		L->le = e;
		L->final = true;
	}
	return L->final;
}

typedef struct Ch {
	uint32_t cp;
	size_t len;
	bool invalid;
	bool hidden; /* an escape sequence, len bytes, not drawn */
	int w;
} Ch;

/* Does the character cp at off join the glyph before it (utf8_joins)? The
 * one before is read back, so walks need no state for this. */
static bool joined(Text *t, size_t off, uint32_t cp)
{
	static const char zwj[3] = {'\xe2', '\x80', '\x8d'};
	char prev[3];
	if (off < 3 || !utf8_joins(0x200d, cp) || text_copy(t, off - 3, 3, prev) != 3)
		return false;
	return memcmp(prev, zwj, 3) == 0;
}

/* Length of the escape sequence at off when the view hides them, else 0. */
static size_t hidden_seq(Lay *L, size_t off)
{
	char tmp[ANSI_MAX_SEQ];
	size_t n, max = reach(L, off + ANSI_MAX_SEQ) - off;
	const char *p = text_span(L->t, off, &n);
	if (n < max && n < ANSI_MAX_SEQ) {
		n = text_copy(L->t, off, max < ANSI_MAX_SEQ ? max : ANSI_MAX_SEQ, tmp);
		p = tmp;
	}
	return ansi_seq_len(p, n < max ? n : max);
}

/* Decodes the character at st->off (< le) and its width there. */
static void peek(Lay *L, const St *st, Ch *c)
{
	size_t n, max = reach(L, st->off) - st->off;
	const char *p = text_span(L->t, st->off, &n);
	char tmp[4];
	if (n < 4 && n < max) {
		n = text_copy(L->t, st->off, max < 4 ? max : 4, tmp);
		p = tmp;
	}
	if (n > max)
		n = max;
	c->len = utf8_decode(p, n, &c->cp);
	c->invalid = c->cp == UTF8_INVALID;
	c->hidden = false;
	if (c->cp == 0x1b && L->hide_esc) {
		size_t k = hidden_seq(L, st->off);
		if (k) {
			c->len = k;
			c->hidden = true;
			c->w = 0;
			return;
		}
	}
	if (c->invalid)
		c->cp = (unsigned char)p[0];
	if (c->invalid)
		c->w = 4;
	else if (c->cp == '\r' && L->crlf && L->final && st->off + 1 == L->le && L->le < text_len(L->t))
		c->w = 0;
	else if (c->cp >= 0x80 && joined(L->t, st->off, c->cp))
		c->w = 0; /* drawn with the emoji before it (a ZWJ sequence) */
	else
		c->w = char_w(c->cp, st->col, L->tabw);
}

/* True when a character of width w at st starts a new wrap row. */
static bool wraps(const Lay *L, const St *st, int w)
{
	return L->textw > 0 && w > 0 && st->rcol > 0 && st->rcol + (size_t)w > (size_t)L->textw;
}

static void step(const Lay *L, St *st, const Ch *c)
{
	if (wraps(L, st, c->w)) {
		st->row++;
		st->rcol = 0;
	}
	st->rcol += (size_t)c->w;
	st->col += (size_t)c->w;
	st->off += c->len;
}

/* Length of the run of printable ASCII at p (at most n). */
static size_t ascii_run(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t v;
		memcpy(&v, p + i, 8);
		uint64_t lt20 = (v - ones * 0x20) & ~v;
		uint64_t x7f = v ^ (ones * 0x7f);
		uint64_t eq7f = (x7f - ones) & ~x7f;
		if ((v | lt20 | eq7f) & highs)
			break;
		i += 8;
	}
	while (i < n && (unsigned char)p[i] >= 0x20 && (unsigned char)p[i] < 0x7f)
		i++;
	return i;
}

/* Advances over k printable ASCII characters. */
static void step_run(const Lay *L, St *st, size_t k)
{
	st->off += k;
	st->col += k;
	if (L->textw <= 0) {
		st->rcol += k;
		return;
	}
	size_t tw = (size_t)L->textw, room = st->rcol < tw ? tw - st->rcol : 0;
	if (k <= room) {
		st->rcol += k;
		return;
	}
	size_t rest = k - room, rows = (rest + tw - 1) / tw;
	st->row += rows;
	st->rcol = rest - (rows - 1) * tw;
}

/* ===== the checkpoint cache ============================================== */

struct ColCache {
	size_t line;
	uint64_t version;
	int tabw, textw;
	bool crlf, hide_esc, used;
	bool done;      /* the walk reached the line's end */
	St *v;          /* checkpoints, v[0] = line start */
	size_t n, cap;
	St cur;         /* how far the walk got */
};

static void cache_reset(ColCache *c, const Lay *L, size_t line)
{
	c->line = line;
	c->done = false;
	c->version = L->t->version;
	c->tabw = L->tabw;
	c->textw = L->textw;
	c->crlf = L->crlf;
	c->hide_esc = L->hide_esc;
	c->used = true;
	c->n = 0;
	c->cur = (St){line, 0, 0, 0};
}

static void cache_push(ColCache *c, St st)
{
	if (!ARRAY_RESERVE(c->v, c->cap, c->n + 1))
		return; /* queries still work, walking further */
	c->v[c->n++] = st;
}

/* Walks the line on by about `bytes`, leaving a checkpoint every CK_STEP. */
static void cache_extend(ColCache *c, Lay *L, size_t bytes)
{
	St st = c->cur;
	size_t stop = st.off + bytes;
	size_t next = c->n ? c->v[c->n - 1].off + CK_STEP : st.off;
	/* Read by copies of WALK_COPY bytes, not through the mapping: a walk
	 * over a 100 MB line leaves none of it resident (pages.c reads copies
	 * that long with pread). */
	char *buf = malloc(WALK_COPY);
	size_t wat = 0, wlen = 0; /* buf holds text [wat, wat + wlen) */
	while (st.off < stop && st.off < reach(L, st.off)) {
		if (st.off >= next) {
			cache_push(c, st);
			next = st.off + CK_STEP;
		}
		size_t lim = (next < stop ? next : stop) - st.off, n;
		if (lim > L->le - st.off)
			lim = L->le - st.off;
		const char *p;
		if (buf) {
			if (st.off < wat || st.off >= wat + wlen) {
				wat = st.off;
				wlen = text_copy(L->t, wat, WALK_COPY, buf);
			}
			p = buf + (st.off - wat);
			n = wat + wlen - st.off;
		} else {
			p = text_span(L->t, st.off, &n);
		}
		size_t k = ascii_run(p, n < lim ? n : lim);
		if (k > 0) {
			step_run(L, &st, k);
			continue;
		}
		Ch ch;
		peek(L, &st, &ch);
		step(L, &st, &ch);
	}
	free(buf);
	if (c->n == 0)
		cache_push(c, st);
	c->cur = st;
	c->done = L->final && st.off >= L->le;
}

static bool cache_done(const ColCache *c) { return c->done; }

static ColCache *cache_get(View *v, const Lay *L, size_t line)
{
	if (!v->cache) {
		v->cache = calloc(NCACHE, sizeof *v->cache);
		if (!v->cache)
			return NULL;
	}
	for (int i = 0; i < NCACHE; i++) {
		ColCache *c = &v->cache[i];
		if (c->used && c->line == line && c->version == L->t->version && c->tabw == L->tabw &&
		    c->textw == L->textw && c->crlf == L->crlf && c->hide_esc == L->hide_esc)
			return c;
	}
	ColCache *c = &v->cache[v->cache_next];
	v->cache_next = (v->cache_next + 1) % NCACHE;
	cache_reset(c, L, line);
	return c;
}

/* Kinds of target a query walks to. */
enum { BY_OFF, BY_COL, BY_ROW };

static size_t key_of(const St *s, int by)
{
	return by == BY_OFF ? s->off : by == BY_COL ? s->col : s->row;
}

/* A state at or before the target to walk from. BY_ROW wants a state
 * strictly before the row (the row may start before a checkpoint on it). */
static St start_for(View *v, Lay *L, size_t line, int by, size_t target)
{
	St zero = {line, 0, 0, 0};
	/* Near the line start a walk is cheaper than any cache. */
	if ((L->final && L->le - line < LONG_LINE) || target == 0 || (by == BY_OFF && target - line < LONG_LINE))
		return zero;
	ColCache *c = cache_get(v, L, line);
	if (!c)
		return zero;
	while (!cache_done(c) && key_of(&c->cur, by) <= target)
		cache_extend(c, L, EXTEND_STEP);
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		size_t k = key_of(&c->v[mid], by);
		if (by == BY_ROW ? k < target : k <= target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? c->v[lo - 1] : zero;
}

static void lay_init(Lay *L, View *v, Buffer *b, int tabw, size_t line)
{
	L->t = b->text;
	L->tabw = tabw > 0 ? tabw : 8;
	L->textw = v->wrap ? (v->textw > 0 ? v->textw : 1) : 0;
	L->crlf = b->crlf;
	L->hide_esc = b->hide_escapes;
	L->start = L->le = line;
	L->final = false;
	reach(L, line);
}

/* Walks to the state at offset pos (the character there not taken). */
static St walk_to_off(View *v, Lay *L, size_t line, size_t pos)
{
	St st = start_for(v, L, line, BY_OFF, pos);
	while (st.off < pos && st.off < reach(L, st.off)) {
		Ch ch;
		peek(L, &st, &ch);
		step(L, &st, &ch);
	}
	return st;
}

/* Row and column inside the row where the character at pos is placed
 * (the end of the line counts as a 1-column character). */
static St place_of(View *v, Lay *L, size_t line, size_t pos)
{
	St st = walk_to_off(v, L, line, pos);
	int w = 1;
	if (st.off < reach(L, st.off)) {
		Ch ch;
		peek(L, &st, &ch);
		w = ch.w;
	}
	if (wraps(L, &st, w)) {
		st.row++;
		st.rcol = 0;
	}
	return st;
}

/* Rows of the whole line (wrap: it is walked to its end). */
static size_t line_rows(View *v, Lay *L, size_t line)
{
	if (!L->textw)
		return 1;
	lay_final(L, (size_t)-1);
	return place_of(v, L, line, L->le).row + 1;
}

static St row_start(View *v, Lay *L, size_t line, size_t r);

/* The line's rows, counted up to cap: a line with more is walked no
 * further than row cap. */
static size_t rows_upto(View *v, Lay *L, size_t line, size_t cap)
{
	if (!L->textw || cap <= 1)
		return 1;
	if (row_start(v, L, line, cap - 1).row == cap - 1)
		return cap;
	return line_rows(v, L, line); /* it ended: walked already */
}

/* The state at the start of wrap row r (the first character placed on
 * it); the line end state when the row holds only the end. */
static St row_start(View *v, Lay *L, size_t line, size_t r)
{
	if (r == 0)
		return (St){line, 0, 0, 0};
	St st = start_for(v, L, line, BY_ROW, r);
	while (st.off < reach(L, st.off)) {
		Ch ch;
		peek(L, &st, &ch);
		if (wraps(L, &st, ch.w) && st.row + 1 == r) {
			st.row++;
			st.rcol = 0;
			return st;
		}
		if (st.row >= r)
			return st;
		step(L, &st, &ch);
	}
	if (st.row + 1 == r && wraps(L, &st, 1)) {
		st.row++;
		st.rcol = 0;
	}
	return st;
}

/* The state at the character covering display column col (no wrap). */
static St col_start(View *v, Lay *L, size_t line, size_t col)
{
	St st = start_for(v, L, line, BY_COL, col);
	while (st.off < reach(L, st.off)) {
		Ch ch;
		peek(L, &st, &ch);
		if (st.col + (size_t)ch.w > col)
			break;
		step(L, &st, &ch);
	}
	return st;
}

/* ===== view ============================================================== */

void view_init(View *v, Window *win)
{
	memset(v, 0, sizeof *v);
	v->win = win;
	v->cx = v->cy = -1;
}

void view_invalidate(View *v)
{
	if (!v->cache)
		return;
	for (int i = 0; i < NCACHE; i++)
		v->cache[i].used = false;
}

void view_fini(View *v)
{
	if (v->cache)
		for (int i = 0; i < NCACHE; i++)
			free(v->cache[i].v);
	free(v->cache);
	free(v->cell_off);
	free(v->row_end);
	free(v->row_line);
	v->cache = NULL;
	v->cell_off = v->row_end = v->row_line = NULL;
}

static int digits(size_t n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* Gutter and text width for the window's size. */
static void layout(View *v, Buffer *b)
{
	Window *w = v->win;
	v->gutter = 0;
	if (v->numbers) {
		/* Until every line is counted: about as many (never a wait). */
		int d = digits(text_lines_estimate(b->text));
		v->gutter = (d < 3 ? 3 : d) + 1;
		if (v->gutter + 2 > w->w)
			v->gutter = 0;
	}
	v->textw = w->w - v->gutter;
	if (v->textw < 1)
		v->textw = 1;
}

size_t view_col_of(View *v, Text *t, int tabw, size_t pos)
{
	Buffer fake = {.text = t};
	size_t line = text_line_start_at(t, pos);
	Lay L;
	bool wrap = v->wrap;
	v->wrap = false; /* columns do not depend on wrapping */
	lay_init(&L, v, &fake, tabw, line);
	v->wrap = wrap;
	return walk_to_off(v, &L, line, pos).col;
}

static size_t top_line_start(Buffer *b, Window *w)
{
	size_t len = text_len(b->text);
	if (w->top > len)
		w->top = len;
	w->top = text_line_start_at(b->text, w->top);
	/* A log view's filter or folds may hide that line: the next shown. */
	if (b->filter) {
		size_t s = filter_shown_from(b->filter, b->text, w->top);
		if (s == BUF_NOPOS)
			s = filter_shown_before(b->filter, b->text, w->top);
		if (s != BUF_NOPOS)
			w->top = s;
	}
	return w->top;
}

/* The start of the first line shown at or after start (len + 1: none);
 * only log views (editor/filter.h) hide lines. */
static size_t shown_from(Buffer *b, size_t start)
{
	size_t s = filter_shown_from(b->filter, b->text, start);
	return s == BUF_NOPOS ? text_len(b->text) + 1 : s;
}

/* Horizontal scrolling so column col is visible (no wrap). */
static void show_col(View *v, size_t col)
{
	Window *w = v->win;
	size_t tw = (size_t)v->textw, ctx = tw / 3;
	if (col < w->left)
		w->left = col > ctx ? col - ctx : 0;
	else if (col >= w->left + tw)
		w->left = col - tw + 1 + (ctx < tw - 1 ? ctx : 0);
	if (col < w->left || col >= w->left + tw)
		w->left = col;
	/* No scrolling when the column fits from the line start. */
	if (col < tw)
		w->left = 0;
}

static void show_nowrap(View *v, Buffer *b, int tabw, size_t pos)
{
	Window *w = v->win;
	Text *t = b->text;
	size_t h = (size_t)(w->h > 0 ? w->h : 1);
	size_t tl = text_line_of(t, top_line_start(b, w)), cl = text_line_of(t, pos);
	if (b->filter)
		tl = filter_top_for(b->filter, t, tl, cl, h);
	else if (cl < tl)
		tl = tl - cl > h ? (cl > h / 2 ? cl - h / 2 : 0) : cl;
	else if (cl >= tl + h)
		tl = cl - (tl + h) >= h ? cl - h / 2 : cl - h + 1;
	w->top = text_line_start(t, tl);
	Lay L;
	size_t line = text_line_start_at(t, pos);
	lay_init(&L, v, b, tabw, line);
	show_col(v, walk_to_off(v, &L, line, pos).col);
}

/* Wrap: moves (line, row) back by n rows; false at the top of the text. */
static void rows_back(View *v, Buffer *b, int tabw, size_t *line, size_t *row, size_t n)
{
	while (n > 0) {
		if (*row >= n) {
			*row -= n;
			return;
		}
		n -= *row + 1;
		if (*line == 0) {
			*row = 0;
			return;
		}
		size_t prev = filter_shown_before(b->filter, b->text, text_line_start_at(b->text, *line - 1));
		if (prev == BUF_NOPOS) {
			*row = 0;
			return;
		}
		Lay L;
		lay_init(&L, v, b, tabw, prev);
		*line = prev;
		*row = line_rows(v, &L, prev) - 1;
	}
}

static void show_wrap(View *v, Buffer *b, int tabw, size_t pos)
{
	Window *w = v->win;
	size_t h = (size_t)(w->h > 0 ? w->h : 1);
	size_t line = text_line_start_at(b->text, pos), top = top_line_start(b, w);
	Lay L;
	lay_init(&L, v, b, tabw, line);
	size_t crow = place_of(v, &L, line, pos).row;
	w->left = 0;
	if (line < top || (line == top && crow < v->top_row)) {
		w->top = line;
		v->top_row = crow;
		return;
	}
	/* Rows from the top to the cursor, counted up to h. */
	size_t count = 0, l = top, r = v->top_row;
	while (l < line && count < h) {
		Lay Lt;
		lay_init(&Lt, v, b, tabw, l);
		count += rows_upto(v, &Lt, l, h - count + r + 1) - r;
		r = 0;
		if (count >= h || !lay_final(&Lt, NEXT_SCAN))
			break;
		l = shown_from(b, Lt.le + 1);
	}
	if (l == line)
		count += crow - r;
	if (l == line && count < h)
		return;
	size_t nl = line, nr = crow;
	rows_back(v, b, tabw, &nl, &nr, h - 1);
	w->top = nl;
	v->top_row = nr;
}

/* No empty rows below the end of the text while lines above the top are
 * hidden (after a resize, a jump to the end): scrolls back to fill. */
static void fill_up(View *v, Buffer *b, int tabw)
{
	Window *w = v->win;
	size_t h = (size_t)(w->h > 0 ? w->h : 1), len = text_len(b->text);
	size_t line = top_line_start(b, w), count = 0, r = v->wrap ? v->top_row : 0;
	while (count < h) {
		Lay L;
		lay_init(&L, v, b, tabw, line);
		count += rows_upto(v, &L, line, h - count + r) - r;
		r = 0;
		if (count >= h || !lay_final(&L, NEXT_SCAN) || L.le >= len || (line = shown_from(b, L.le + 1)) > len)
			break;
	}
	if (count >= h || (w->top == 0 && v->top_row == 0))
		return;
	size_t tl = w->top, tr = v->wrap ? v->top_row : 0;
	rows_back(v, b, tabw, &tl, &tr, h - count);
	w->top = tl;
	v->top_row = v->wrap ? tr : 0;
}

static void text_place(View *v, Buffer *b, int tabw, size_t pos, int row)
{
	layout(v, b);
	if (pos > text_len(b->text))
		pos = text_len(b->text);
	size_t pl = text_line_start_at(b->text, pos), line = pl, r = 0;
	Lay L;
	lay_init(&L, v, b, tabw, pl);
	if (v->wrap)
		r = place_of(v, &L, pl, pos).row;
	rows_back(v, b, tabw, &line, &r, row > 0 ? (size_t)row : 0);
	v->win->top = line;
	v->top_row = v->wrap ? r : 0;
	fill_up(v, b, tabw);
	if (!v->wrap)
		show_col(v, walk_to_off(v, &L, pl, pos).col);
}

static void text_show(View *v, Buffer *b, int tabw, size_t pos)
{
	layout(v, b);
	if (pos > text_len(b->text))
		pos = text_len(b->text);
	if (v->wrap)
		show_wrap(v, b, tabw, pos);
	else
		show_nowrap(v, b, tabw, pos);
	fill_up(v, b, tabw);
}

static void text_scroll(View *v, Buffer *b, int tabw, long n)
{
	layout(v, b);
	Window *w = v->win;
	Text *t = b->text;
	size_t top = top_line_start(b, w);
	if (!v->wrap) {
		size_t tl = text_line_of(t, top);
		if (b->filter)
			tl = filter_step(b->filter, t, tl, n);
		else if (n < 0)
			tl = (size_t)-n > tl ? 0 : tl - (size_t)-n;
		else
			tl += (size_t)n; /* text_line_start stops at the last line */
		w->top = text_line_start(t, tl);
		return;
	}
	if (n < 0) {
		size_t line = top, row = v->top_row;
		rows_back(v, b, tabw, &line, &row, (size_t)-n);
		w->top = line;
		v->top_row = row;
		return;
	}
	for (long i = 0; i < n; i++) {
		Lay L;
		lay_init(&L, v, b, tabw, w->top);
		if (v->top_row + 1 < rows_upto(v, &L, w->top, v->top_row + 2)) {
			v->top_row++;
		} else if (lay_final(&L, NEXT_SCAN) && shown_from(b, L.le + 1) <= text_len(t)) {
			w->top = shown_from(b, L.le + 1);
			v->top_row = 0;
		}
	}
}

/* Wrap: moves (line, row) on by n rows; stays on the last row of the
 * text at its end. */
static void rows_fwd(View *v, Buffer *b, int tabw, size_t *line, size_t *row, size_t n)
{
	size_t len = text_len(b->text);
	while (n > 0) {
		Lay L;
		lay_init(&L, v, b, tabw, *line);
		size_t rows = line_rows(v, &L, *line);
		if (*row + n < rows) {
			*row += n;
			return;
		}
		size_t next = L.le < len ? shown_from(b, L.le + 1) : len + 1;
		if (next > len) {
			*row = rows - 1;
			return;
		}
		n -= rows - *row;
		*line = next;
		*row = 0;
	}
}

static size_t text_move_rows(View *v, Buffer *b, int tabw, size_t pos, long rows, size_t *goal)
{
	if (!v->wrap)
		return BUF_NOPOS;
	layout(v, b);
	Text *t = b->text;
	size_t line = text_line_start_at(t, pos);
	Lay L;
	lay_init(&L, v, b, tabw, line);
	St at = place_of(v, &L, line, pos);
	if (*goal == BUF_NOPOS)
		*goal = at.rcol;
	size_t row = at.row;
	if (rows < 0)
		rows_back(v, b, tabw, &line, &row, (size_t)-rows);
	else
		rows_fwd(v, b, tabw, &line, &row, (size_t)rows);
	/* The character under the goal column on that row, or its end. */
	lay_init(&L, v, b, tabw, line);
	St st = row_start(v, &L, line, row);
	while (st.off < L.le) {
		Ch ch;
		peek(&L, &st, &ch);
		if (st.row != row || wraps(&L, &st, ch.w) || st.rcol + (size_t)ch.w > *goal)
			break;
		step(&L, &st, &ch);
	}
	/* Never inside a grapheme cluster (an emoji and its modifier). */
	return st.off < L.le ? utf8_prev_grapheme(t, utf8_next_grapheme(t, st.off)) : st.off;
}

/* ===== rendering ========================================================= */

bool view_maps_alloc(View *v, int w, int h)
{
	size_t cells = (size_t)w * (size_t)h;
	size_t *co = realloc(v->cell_off, (cells ? cells : 1) * sizeof *co);
	if (co)
		v->cell_off = co;
	size_t *re = realloc(v->row_end, (size_t)(h ? h : 1) * sizeof *re);
	if (re)
		v->row_end = re;
	size_t *rl = realloc(v->row_line, (size_t)(h ? h : 1) * sizeof *rl);
	if (rl)
		v->row_line = rl;
	if (!co || !re || !rl)
		return false;
	v->rows = h;
	for (size_t i = 0; i < cells; i++)
		v->cell_off[i] = BUF_NOPOS;
	return true;
}

/* Draws one row from state st: columns [st.col + skip .. ) until the row
 * is full (no wrap) or the next character wraps; returns the state after. */
static St draw_row(View *v, Lay *L, Grid *g, int y, St st, size_t left)
{
	Window *w = v->win;
	int x0 = w->x + v->gutter, xend = w->x + w->w;
	size_t *offs = &v->cell_off[(size_t)(y - w->y) * (size_t)w->w];
	Cell *last = NULL;
	size_t row = st.row;
	while (st.off < reach(L, st.off)) {
		Ch ch;
		peek(L, &st, &ch);
		if (L->textw && (wraps(L, &st, ch.w) || st.row != row))
			break;
		size_t cs = L->textw ? st.rcol : st.col;
		if (!L->textw && cs >= left + (size_t)v->textw)
			break;
		if (ch.w == 0) {
			if (last && !ch.invalid && !ch.hidden && ch.cp != '\r')
				add_comb(last, ch.cp);
			step(L, &st, &ch);
			continue;
		}
		size_t skip = !L->textw && cs < left ? left - cs : 0;
		int x = x0 + (int)(cs + skip - (L->textw ? 0 : left));
		put_char(g, x, xend, y, ch.cp, ch.invalid, ch.w, (int)skip, 0);
		for (int i = 0; i < ch.w - (int)skip && x + i < xend; i++)
			offs[x + i - w->x] = st.off;
		last = skip ? NULL : grid_at(g, x, y);
		step(L, &st, &ch);
	}
	/* The end of the line, where a cursor there is drawn. */
	if (L->final && st.off == L->le && (!L->textw || !wraps(L, &st, 1))) {
		size_t cs = L->textw ? st.rcol : st.col;
		if (cs >= (L->textw ? 0 : left)) {
			int x = x0 + (int)(cs - (L->textw ? 0 : left));
			if (x < xend)
				offs[x - w->x] = L->le;
		}
	}
	return st;
}

static void draw_gutter(View *v, Grid *g, int y, size_t lineno, bool first, bool current)
{
	if (!v->gutter)
		return;
	char buf[32];
	int n = first ? snprintf(buf, sizeof buf, "%*zu ", v->gutter - 1, lineno + 1) : snprintf(buf, sizeof buf, "%*s", v->gutter, "");
	grid_text(g, v->win->x, y, v->gutter, RS_LINENO | (current ? RS_LINENO_CUR : 0), buf, (size_t)n);
}

/* Marks selections and cursors on the text cells of one row. */
static void overlay_sels(View *v, Buffer *b, Grid *g, int y)
{
	Window *w = v->win;
	SelSet *ss = &b->sels;
	size_t *offs = &v->cell_off[(size_t)(y - w->y) * (size_t)w->w];
	size_t first = BUF_NOPOS;
	for (int x = 0; x < w->w && first == BUF_NOPOS; x++)
		first = offs[x];
	if (first == BUF_NOPOS || ss->n == 0)
		return;
	/* First selection that ends at or after the row's first offset. */
	size_t lo = 0, hi = ss->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sel_end(ss->v[mid]) < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t si = lo;
	for (int x = 0; x < w->w; x++) {
		size_t o = offs[x];
		if (o == BUF_NOPOS)
			continue;
		while (si < ss->n && sel_end(ss->v[si]) < o)
			si++;
		for (size_t j = si; j < ss->n && sel_start(ss->v[j]) <= o; j++) {
			Sel s = ss->v[j];
			Cell *c = grid_at(g, w->x + x, y);
			if (o >= sel_start(s) && o < sel_end(s))
				c->style |= RS_SEL;
			if (s.head != o)
				continue;
			if (j == ss->primary) {
				if (v->cx < 0) {
					v->cx = w->x + x;
					v->cy = y;
				}
			} else {
				c->style |= RS_CURSOR;
			}
		}
	}
}

/* Highlights matches of v->hl on one row. */
static void overlay_matches(View *v, Buffer *b, Grid *g, int y)
{
	Window *w = v->win;
	size_t *offs = &v->cell_off[(size_t)(y - w->y) * (size_t)w->w];
	size_t first = BUF_NOPOS, lastoff = 0;
	for (int x = 0; x < w->w; x++)
		if (offs[x] != BUF_NOPOS) {
			if (first == BUF_NOPOS)
				first = offs[x];
			lastoff = offs[x];
		}
	if (first == BUF_NOPOS)
		return;
	size_t len = text_len(b->text);
	size_t from = first > HL_MARGIN ? first - HL_MARGIN : 0;
	size_t to = lastoff + HL_MARGIN < len ? lastoff + HL_MARGIN : len;
	char *buf = malloc(to - from + 1);
	if (!buf)
		return;
	size_t n = text_copy(b->text, from, to - from, buf);
	/* Cells and matches both go left to right: one pass over each. */
	size_t me = 0, ms = search_in(v->hl, buf, n, 0, &me);
	for (int x = 0; x < w->w && ms != BUF_NOPOS; x++) {
		size_t o = offs[x];
		if (o == BUF_NOPOS)
			continue;
		while (ms != BUF_NOPOS && from + me <= o)
			ms = search_in_after(v->hl, buf, n, me, &me);
		if (ms != BUF_NOPOS && o >= from + ms)
			grid_at(g, w->x + x, y)->style |= RS_MATCH;
	}
	free(buf);
}

/* Where the top row starts: a wrapped line may show from one of its rows. */
static St first_row(View *v, Lay *L, size_t line)
{
	St st = {line, 0, 0, 0};
	if (!v->wrap)
		v->top_row = 0;
	else if (v->top_row > 0) {
		st = row_start(v, L, line, v->top_row);
		if (st.row != v->top_row || (L->final && st.off == L->le && st.rcol > 0)) {
			v->top_row = 0; /* the line got shorter */
			st = (St){line, 0, 0, 0};
		}
	}
	return st;
}

/* Where the next screen row of a wrapped line starts, after a row that
 * ended at `after`. */
static St next_wrapped_row(Lay *L, St after)
{
	bool wrap = L->final && after.off == L->le;
	if (!wrap && after.off < reach(L, after.off)) {
		Ch ch;
		peek(L, &after, &ch);
		wrap = wraps(L, &after, ch.w);
	}
	if (wrap) {
		after.row++;
		after.rcol = 0;
	}
	return after;
}

static void text_render(View *v, Buffer *b, int tabw, Grid *g)
{
	Window *w = v->win;
	Text *t = b->text;
	layout(v, b);
	v->cx = v->cy = -1;
	v->pending = false;
	if (w->w <= 0 || w->h <= 0 || !view_maps_alloc(v, w->w, w->h))
		return;
	for (int y = w->y; y < w->y + w->h && y < g->h; y++)
		for (int x = w->x; x < w->x + w->w && x < g->w; x++)
			*grid_at(g, x, y) = (Cell){.cp = ' ', .kind = RC_BLANK};
	size_t len = text_len(t);
	size_t line = top_line_start(b, w);
	size_t lineno = text_line_of(t, line);
	size_t cur_line = text_line_start_at(t, b->sels.n ? b->sels.v[b->sels.primary].head : 0);
	bool fresh = true; /* st is at the start of a line */
	Lay L;
	lay_init(&L, v, b, tabw, line);
	St st = first_row(v, &L, line);
	for (int r = 0; r < w->h && w->y + r < g->h; r++) {
		int y = w->y + r;
		v->row_line[r] = BUF_NOPOS;
		v->row_end[r] = len;
		if (line > len)
			continue;
		if (fresh && !v->wrap)
			st = col_start(v, &L, line, w->left);
		v->row_line[r] = line;
		draw_gutter(v, g, y, lineno, st.row == 0, line == cur_line);
		St after = draw_row(v, &L, g, y, st, w->left);
		bool more = v->wrap && (after.off < reach(&L, after.off) || wraps(&L, &after, 1));
		v->row_end[r] = (more && after.off < L.le) || !L.final ? after.off : L.le;
		overlay_sels(v, b, g, y);
		if (v->hl)
			overlay_matches(v, b, g, y);
		if (b->decor) /* plugin colours and virtual text (render_pane.c) */
			render_decor_row(v, b, g, y, line, lineno, !more);
		if (more) {
			st = next_wrapped_row(&L, after);
			fresh = false;
			continue;
		}
		if (!lay_final(&L, NEXT_SCAN)) {
			/* Its end is not known yet: the rows below wait for the
			 * background count (the UI draws again when it goes on). */
			v->pending = true;
			line = len + 1;
			continue;
		}
		if (L.le >= len) {
			line = len + 1;
			continue;
		}
		line = shown_from(b, L.le + 1);
		if (line > len)
			continue;
		lineno = b->filter ? text_line_of(t, line) : lineno + 1;
		fresh = true;
		lay_init(&L, v, b, tabw, line);
		st = (St){line, 0, 0, 0};
	}
}

bool view_pos_at(const View *v, int x, int y, size_t *pos)
{
	const Window *w = v->win;
	int r = y - w->y, c = x - w->x;
	if (r < 0 || r >= w->h || r >= v->rows || !v->cell_off)
		return false;
	if (v->row_line[r] == BUF_NOPOS) {
		/* Below the text: the end of the last line. */
		for (int k = r; k >= 0; k--)
			if (v->row_line[k] != BUF_NOPOS) {
				*pos = v->row_end[k];
				return true;
			}
		return false;
	}
	if (c < v->gutter)
		c = v->gutter;
	if (c >= w->w)
		c = w->w - 1;
	const size_t *offs = &v->cell_off[(size_t)r * (size_t)w->w];
	/* On a character: it; right of the text: the row's end. */
	if (offs[c] != BUF_NOPOS) {
		*pos = offs[c];
		return true;
	}
	*pos = v->row_end[r];
	return true;
}

/* ===== view modes ======================================================== */

const ViewOps view_text_ops = {text_render, text_show, text_place, text_scroll, text_move_rows, true};

const ViewOps *view_ops_for(const char *mode)
{
	return strcmp(mode, "hex") == 0 ? &render_hex_ops : &view_text_ops;
}

const ViewOps *view_ops_of(const Buffer *b)
{
	return b->view_ops ? b->view_ops : &view_text_ops;
}

void view_render(View *v, Buffer *b, int tabw, Grid *g) { view_ops_of(b)->render(v, b, tabw, g); }
void view_show(View *v, Buffer *b, int tabw, size_t pos) { view_ops_of(b)->show(v, b, tabw, pos); }
void view_place(View *v, Buffer *b, int tabw, size_t pos, int row) { view_ops_of(b)->place(v, b, tabw, pos, row); }
void view_scroll(View *v, Buffer *b, int tabw, long n) { view_ops_of(b)->scroll(v, b, tabw, n); }

size_t view_move_rows(View *v, Buffer *b, int tabw, size_t pos, long rows, size_t *goal)
{
	const ViewOps *o = view_ops_of(b);
	return o->move_rows ? o->move_rows(v, b, tabw, pos, rows, goal) : BUF_NOPOS;
}
