/* Render hex: visible rows of a buffer as offset / hex / ASCII cells.
 *
 * One frame reads the visible bytes once (plus a pattern's length on each
 * side, for match highlighting across the edges), computes a flag per
 * visible byte (selected, cursor, match, modified) in one forward pass over
 * the selections that touch the view, then draws. "Modified" compares the
 * visible bytes with the same offsets of the file on disk (a pread of a few
 * KB), so it is exact after any edit, undo or save, and costs nothing when
 * the buffer is unmodified. */
#include "editor/render_hex.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAD_COLON 4 /* ":" and three spaces after the offset */

enum { F_SEL = 1, F_CUR = 2, F_PRIMARY = 4, F_MATCH = 8, F_MOD = 16 };

HexView *render_hex_view(Buffer *b)
{
	if (!b->hex) {
		b->hex = calloc(1, sizeof *b->hex);
		if (!b->hex)
			return NULL;
		b->hex->bpr = 16;
		b->hex->group = 2;
	}
	return b->hex;
}

bool render_hex_is_on(const Buffer *b)
{
	return b->view_ops == &render_hex_ops;
}

bool render_hex_layout_ok(int bpr, int group)
{
	bool bok = bpr == 8 || bpr == 16 || bpr == 32;
	bool gok = group == 1 || group == 2 || group == 4 || group == 8;
	return bok && gok && group <= bpr;
}

int render_hex_offset_width(size_t len)
{
	int d = 1;
	while (d < 16 && (len >> (4 * d)))
		d++;
	return d < 6 ? 6 : d;
}

/* Column of byte i's first hex digit, from the first hex digit. */
static int hex_col(const HexView *h, int i)
{
	return i * 2 + i / h->group + (h->bpr > 8 ? i / 8 : 0);
}

static int hex0(size_t len)
{
	return render_hex_offset_width(len) + PAD_COLON;
}

static int ascii0(const HexView *h, size_t len)
{
	return hex0(len) + hex_col(h, h->bpr - 1) + 2 + 2;
}

int render_hex_row_width(const HexView *h, size_t len)
{
	return ascii0(h, len) + h->bpr;
}

/* ===== what one frame needs ============================================= */

typedef struct Frame {
	View *v;
	Buffer *b;
	HexView *h;
	Grid *g;
	size_t len, top, n;  /* visible bytes: [top, top + n) */
	size_t end;          /* last visible offset + 1 (EOF slot included) */
	unsigned char *data; /* [top - pre, top + n + post) */
	size_t pre, have;
	unsigned char *flags;/* per visible offset, end - top entries */
} Frame;

static int clamp_rows(const Window *w)
{
	return w->h > 0 ? w->h : 1;
}

/* Bytes at the visible offsets in the file on disk, when it is still the
 * file the buffer was loaded from; false when there is nothing to compare. */
static bool read_disk(const Buffer *b, size_t off, size_t n, unsigned char *out, size_t *got)
{
	*got = 0;
	if (!text_is_modified(b->text) || !b->path || !b->disk.exists || file_changed_on_disk(b->path, &b->disk))
		return false;
	int fd = open(b->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (*got < n) {
		ssize_t r = pread(fd, out + *got, n - *got, (off_t)(off + *got));
		if (r <= 0)
			break;
		*got += (size_t)r;
	}
	close(fd);
	return true;
}

static void flag_modified(Frame *f)
{
	unsigned char *disk = malloc(f->n ? f->n : 1);
	size_t got;
	if (disk && read_disk(f->b, f->top, f->n, disk, &got))
		for (size_t i = 0; i < f->n; i++)
			if (i >= got || disk[i] != f->data[f->pre + i])
				f->flags[i] |= F_MOD;
	free(disk);
}

static bool match_at(const HexView *h, const unsigned char *p)
{
	for (size_t k = 0; k < h->hl_len; k++)
		if ((p[k] ^ h->hl[k]) & h->hl_mask[k])
			return false;
	return true;
}

/* Every match that overlaps the view marks its visible bytes. */
static void flag_matches(Frame *f)
{
	const HexView *h = f->h;
	if (!h->hl_len)
		return;
	size_t start = 0, stop = f->pre + f->n;
	for (size_t s = start; s < stop && s + h->hl_len <= f->have; s++) {
		if (!match_at(h, f->data + s))
			continue;
		for (size_t k = 0; k < h->hl_len; k++) {
			size_t at = s + k;
			if (at >= f->pre && at < f->pre + f->n)
				f->flags[at - f->pre] |= F_MATCH;
		}
	}
}

/* First selection whose end is at or after off. */
static size_t first_sel(const SelSet *ss, size_t off)
{
	size_t lo = 0, hi = ss->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sel_end(ss->v[mid]) < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void flag_sels(Frame *f)
{
	const SelSet *ss = &f->b->sels;
	for (size_t j = first_sel(ss, f->top); j < ss->n && sel_start(ss->v[j]) < f->end; j++) {
		Sel s = ss->v[j];
		size_t a = sel_start(s) > f->top ? sel_start(s) : f->top;
		size_t e = sel_end(s) < f->end ? sel_end(s) : f->end;
		for (size_t o = a; o < e; o++)
			f->flags[o - f->top] |= F_SEL;
		if (s.head >= f->top && s.head < f->end)
			f->flags[s.head - f->top] |= j == ss->primary ? F_PRIMARY : F_CUR;
	}
}

/* ===== drawing =========================================================== */

/* Puts one cell at column col of screen row r (window-relative, after
 * horizontal scrolling); off is the byte it shows, BUF_NOPOS for none. */
static void put(Frame *f, int r, int col, uint32_t cp, uint16_t style, size_t off)
{
	Window *w = f->v->win;
	long x = (long)col - (long)w->left;
	if (x < 0 || x >= w->w || w->x + x >= f->g->w)
		return;
	*grid_at(f->g, w->x + (int)x, w->y + r) = (Cell){.cp = cp, .kind = RC_TEXT, .style = style};
	if (off != BUF_NOPOS)
		f->v->cell_off[(size_t)r * (size_t)w->w + (size_t)x] = off;
}

static uint16_t class_style(unsigned c)
{
	if (c == 0)
		return HEX_S_NUL;
	if (c >= 0x80)
		return HEX_S_HIGH;
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return HEX_S_SPACE;
	return c < 0x20 || c == 0x7f ? HEX_S_CTRL : HEX_S_PRINT;
}

static uint16_t flag_style(unsigned fl)
{
	uint16_t s = 0;
	if (fl & F_MOD)
		s |= HEX_S_MOD;
	if (fl & F_MATCH)
		s |= RS_MATCH;
	if (fl & F_SEL)
		s |= RS_SEL;
	return s;
}

/* The cursor of a byte: the active column's cell (the nibble being typed)
 * is the cursor; the other column shows where it is. */
static void draw_cursor(Frame *f, int r, int hexc, int ascc, unsigned fl)
{
	const HexView *h = f->h;
	Window *w = f->v->win;
	int cell = h->ascii ? ascc : hexc + (h->low ? 1 : 0);
	int mirror = h->ascii ? hexc : ascc;
	long x = (long)cell - (long)w->left;
	if (fl & F_PRIMARY && x >= 0 && x < w->w) {
		f->v->cx = w->x + (int)x;
		f->v->cy = w->y + r;
	} else if (fl & F_CUR && x >= 0 && x < w->w) {
		grid_at(f->g, w->x + (int)x, w->y + r)->style |= RS_CURSOR;
	}
	long mx = (long)mirror - (long)w->left;
	if (fl & F_PRIMARY && mx >= 0 && mx < w->w)
		grid_at(f->g, w->x + (int)mx, w->y + r)->style |= RS_CURSOR;
}

static void draw_row(Frame *f, int r, size_t off)
{
	static const char digits[] = "0123456789abcdef";
	const HexView *h = f->h;
	char buf[32];
	int ow = render_hex_offset_width(f->len), x0 = hex0(f->len), a0 = ascii0(h, f->len);
	int n = snprintf(buf, sizeof buf, "%0*zx:", ow, off);
	for (int i = 0; i < n; i++)
		put(f, r, i, (unsigned char)buf[i], HEX_S_OFFSET, BUF_NOPOS);
	for (int i = 0; i < h->bpr; i++) {
		size_t o = off + (size_t)i;
		if (o > f->len || o >= f->end)
			break;
		unsigned fl = f->flags[o - f->top];
		int hc = x0 + hex_col(h, i), ac = a0 + i;
		if (o == f->len) {
			/* The end of the buffer: a slot for the cursor only. */
			put(f, r, hc, ' ', 0, o);
			put(f, r, hc + 1, ' ', 0, o);
			put(f, r, ac, ' ', 0, o);
		} else {
			unsigned c = f->data[f->pre + (o - f->top)];
			uint16_t st = class_style(c) | flag_style(fl);
			put(f, r, hc, (unsigned char)digits[c >> 4], st, o);
			put(f, r, hc + 1, (unsigned char)digits[c & 15], st, o);
			put(f, r, ac, c >= 0x20 && c < 0x7f ? c : '.', st, o);
			/* The gap inside a selection is selected too. */
			if ((fl & F_SEL) && i + 1 < h->bpr && o + 1 < f->end && (f->flags[o + 1 - f->top] & F_SEL))
				for (int k = hc + 2; k < x0 + hex_col(h, i + 1); k++)
					put(f, r, k, ' ', RS_SEL, BUF_NOPOS);
		}
		draw_cursor(f, r, hc, ac, fl);
	}
}

static bool frame_init(Frame *f, View *v, Buffer *b, Grid *g)
{
	Window *w = v->win;
	HexView *h = render_hex_view(b);
	if (!h)
		return false;
	*f = (Frame){.v = v, .b = b, .h = h, .g = g, .len = text_len(b->text)};
	size_t rows = (size_t)clamp_rows(w), bpr = (size_t)h->bpr;
	h->top -= h->top % bpr;
	if (h->top > f->len)
		h->top = f->len - f->len % bpr;
	f->top = h->top;
	f->n = rows * bpr < f->len - f->top ? rows * bpr : f->len - f->top;
	f->end = f->top + rows * bpr < f->len + 1 ? f->top + rows * bpr : f->len + 1;
	f->pre = f->top < HEX_HL_MAX ? f->top : HEX_HL_MAX;
	size_t want = f->pre + f->n + HEX_HL_MAX;
	f->data = malloc(want);
	f->flags = calloc(f->end - f->top + 1, 1);
	if (!f->data || !f->flags) {
		free(f->data);
		free(f->flags);
		return false;
	}
	f->have = text_copy(b->text, f->top - f->pre, want, (char *)f->data);
	return true;
}

void render_hex(View *v, Buffer *b, Grid *g)
{
	Window *w = v->win;
	v->cx = v->cy = -1;
	v->gutter = 0;
	v->textw = w->w;
	int rows = clamp_rows(w);
	if (w->w <= 0 || !view_maps_alloc(v, w->w, rows))
		return;
	for (int y = w->y; y < w->y + rows && y < g->h; y++)
		for (int x = w->x; x < w->x + w->w && x < g->w; x++)
			*grid_at(g, x, y) = (Cell){.cp = ' ', .kind = RC_BLANK};
	Frame f;
	if (!frame_init(&f, v, b, g))
		return;
	flag_sels(&f);
	flag_matches(&f);
	flag_modified(&f);
	for (int r = 0; r < rows && w->y + r < g->h; r++) {
		size_t off = f.top + (size_t)r * (size_t)f.h->bpr;
		v->row_line[r] = BUF_NOPOS;
		v->row_end[r] = f.len;
		if (off > f.len)
			continue;
		v->row_line[r] = off;
		v->row_end[r] = off + (size_t)f.h->bpr - 1 < f.len ? off + (size_t)f.h->bpr - 1 : f.len;
		draw_row(&f, r, off);
	}
	free(f.data);
	free(f.flags);
}

/* ===== scrolling ========================================================= */

/* Keeps column col inside the window. */
static void show_col(Window *w, int col)
{
	if ((size_t)col < w->left)
		w->left = (size_t)col;
	else if ((size_t)col >= w->left + (size_t)(w->w > 0 ? w->w : 1))
		w->left = (size_t)col - (size_t)(w->w > 0 ? w->w : 1) + 1;
}

void render_hex_show(View *v, Buffer *b, size_t pos)
{
	Window *w = v->win;
	HexView *h = render_hex_view(b);
	if (!h)
		return;
	size_t len = text_len(b->text), bpr = (size_t)h->bpr, rows = (size_t)clamp_rows(w);
	if (pos > len)
		pos = len;
	size_t row = pos / bpr, trow = h->top / bpr;
	if (row < trow)
		trow = trow - row > rows ? (row > rows / 2 ? row - rows / 2 : 0) : row;
	else if (row >= trow + rows)
		trow = row - (trow + rows) >= rows ? row - rows / 2 : row - rows + 1;
	h->top = trow * bpr;
	int i = (int)(pos % bpr);
	int col = h->ascii ? ascii0(h, len) + i : hex0(len) + hex_col(h, i) + (h->low ? 1 : 0);
	/* The offset column stays in view while the row fits. */
	if (render_hex_row_width(h, len) <= w->w)
		w->left = 0;
	else
		show_col(w, col);
}

void render_hex_scroll(View *v, Buffer *b, long n)
{
	HexView *h = render_hex_view(b);
	if (!h)
		return;
	size_t bpr = (size_t)h->bpr, len = text_len(b->text);
	size_t trow = h->top / bpr, last = len / bpr;
	if (n < 0)
		trow = (size_t)-n > trow ? 0 : trow - (size_t)-n;
	else
		trow = trow + (size_t)n > last ? last : trow + (size_t)n;
	h->top = trow * bpr;
}

/* ===== as a view mode ==================================================== */

static void hex_render(View *v, Buffer *b, int tabw, Grid *g) { render_hex(v, b, g); }
static void hex_show(View *v, Buffer *b, int tabw, size_t pos) { render_hex_show(v, b, pos); }
/* Rows are offsets here: the position shows, on whatever row. */
static void hex_place(View *v, Buffer *b, int tabw, size_t pos, int row) { render_hex_show(v, b, pos); }
static void hex_scroll(View *v, Buffer *b, int tabw, long n) { render_hex_scroll(v, b, n); }

const ViewOps render_hex_ops = {hex_render, hex_show, hex_place, hex_scroll, NULL, false};
