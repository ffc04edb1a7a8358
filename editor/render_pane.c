/* Plugin UI -> cells: sidebars, the menu/prompt popup, decorations and
 * syntax colours on text rows, status segments (render_pane.h). */
#include "editor/render_pane.h"
#include "editor/decor.h"
#include "editor/pane.h"
#include "editor/picker.h"
#include "buffer/utf8.h"
#include <stdio.h>
#include <string.h>

#define POPUP_MAX_W 72
#define VIRT_GAP 2 /* columns between the end of a line and its virtual text */

/* ===== styles on cells =================================================== */

static uint16_t attr_bits(uint16_t attr)
{
	uint16_t s = 0;
	if (attr & ST_BOLD)
		s |= RS_BOLD;
	if (attr & ST_UNDERLINE)
		s |= RS_UNDERLINE;
	if (attr & ST_REVERSE)
		s |= RS_REVERSE;
	if (attr & ST_DIM)
		s |= RS_DIM;
	if (attr & ST_ITALIC)
		s |= RS_ITALIC;
	return s;
}

static void style_cell(Cell *c, Style st)
{
	if (st.fg)
		c->fg = st.fg;
	if (st.bg)
		c->bg = st.bg;
	c->style |= attr_bits(st.attr);
}

/* Styles the cells [x0, x1) of row y. */
static void style_cells(Grid *g, int y, int x0, int x1, Style st)
{
	if (style_is_plain(st))
		return;
	for (int x = x0; x < x1 && x < g->w; x++)
		style_cell(grid_at(g, x, y), st);
}

/* Untrusted text, styled, clipped to maxw; returns the columns used. */
static int styled_text(Grid *g, int x, int y, int maxw, uint16_t base, Style st, const char *s, size_t len)
{
	if (maxw <= 0)
		return 0;
	int n = grid_text(g, x, y, maxw, base, s, len);
	style_cells(g, y, x, x + n, st);
	return n;
}

static void fill(Grid *g, int x0, int x1, int y, uint16_t style)
{
	for (int x = x0 < 0 ? 0 : x0; x < x1 && x < g->w; x++)
		*grid_at(g, x, y) = (Cell){.cp = ' ', .kind = RC_BLANK, .style = style};
}

/* ===== decorations on a text row ======================================== */

/* Applies a span [from, to) of buffer offsets to the row's cells. */
static void span_on_row(View *v, Grid *g, int y, size_t from, size_t to, Style st)
{
	Window *w = v->win;
	const size_t *offs = &v->cell_off[(size_t)(y - w->y) * (size_t)w->w];
	for (int x = v->gutter; x < w->w; x++)
		if (offs[x] != BUF_NOPOS && offs[x] >= from && offs[x] < to)
			style_cell(grid_at(g, w->x + x, y), st);
}

/* Column just past the row's end-of-line cell, or -1 when the line end
 * is not on this row (scrolled away). */
static int after_line_end(View *v, int y, size_t le)
{
	Window *w = v->win;
	const size_t *offs = &v->cell_off[(size_t)(y - w->y) * (size_t)w->w];
	for (int x = w->w - 1; x >= v->gutter; x--)
		if (offs[x] == le)
			return w->x + x + 1;
	return -1;
}

static void virt_texts(View *v, Buffer *b, Grid *g, int y, size_t line, size_t le)
{
	DecorSet *ds = b->decor;
	int x = after_line_end(v, y, le), xend = v->win->x + v->win->w;
	if (x < 0)
		return;
	x += VIRT_GAP - 1;
	for (size_t i = 0; i < ds->nvis && x < xend; i++) {
		const Decor *d = &ds->v[ds->vis[i]];
		size_t s = text_mark_get(b->text, d->m_start);
		if (!d->virt || s < line || s > le)
			continue;
		uint16_t base = style_is_plain(d->vst) ? RS_DIM : 0;
		x += styled_text(g, x, y, xend - x, base, d->vst, d->virt, d->vlen) + 1;
	}
}

void render_decor_row(View *v, Buffer *b, Grid *g, int y, size_t line, size_t lineno, bool last_row)
{
	DecorSet *ds = b->decor;
	if (!ds || !v->cell_off || y < v->win->y || y >= v->win->y + v->win->h || y >= g->h)
		return;
	size_t n;
	const SynSpan *sp = decor_syntax_cached(b, lineno, &n);
	for (size_t i = 0; i < n; i++)
		span_on_row(v, g, y, line + sp[i].from, line + sp[i].to, sp[i].st);
	/* Decorations after syntax; later ones over earlier ones. */
	for (size_t i = 0; i < ds->nvis; i++) {
		const Decor *d = &ds->v[ds->vis[i]];
		size_t from, to;
		decor_range(b, d, &from, &to);
		if (to > from)
			span_on_row(v, g, y, from, to, d->st);
	}
	if (last_row)
		virt_texts(v, b, g, y, line, v->row_end[y - v->win->y]);
}

/* ===== sidebars ========================================================== */

static void draw_title(Editor *ed, Grid *g, const Pane *p, bool focused)
{
	uint16_t st = RS_STATUS | (focused ? RS_BOLD : 0);
	fill(g, p->x, p->x + p->w, p->y, st);
	char pos[48] = "";
	if (p->nlines)
		snprintf(pos, sizeof pos, " %zu/%zu ", p->sel + 1, p->nlines);
	int pw = (int)strlen(pos);
	if (pw >= p->w)
		pw = 0;
	int x = p->x + grid_text(g, p->x, p->y, p->w - pw, st, " ", 1);
	grid_text(g, x, p->y, p->x + p->w - pw - x, st, p->title, strlen(p->title));
	if (pw)
		grid_text(g, p->x + p->w - pw, p->y, pw, st, pos, (size_t)pw);
	(void)ed;
}

static void draw_row(Grid *g, const Pane *p, int y, size_t row, bool focused)
{
	bool sel = row == p->sel;
	uint16_t base = sel ? (focused ? RS_SEL : RS_REVERSE) : 0;
	fill(g, p->x, p->x + p->w, y, base);
	const PaneLine *ln = &p->lines[row];
	int x = p->x + 1, xend = p->x + p->w;
	/* A row wider than the pane ends in a marker, so a cut column (the
	 * hex records) never passes for the whole value. */
	size_t need = 0;
	for (size_t i = 0; i < ln->n; i++)
		need += render_text_width(ln->segs[i].text, ln->segs[i].len);
	bool cut = need > (size_t)(xend - x) && xend - x > 1;
	if (cut)
		xend--;
	for (size_t i = 0; i < ln->n && x < xend; i++)
		x += styled_text(g, x, y, xend - x, base, ln->segs[i].st, ln->segs[i].text, ln->segs[i].len);
	if (cut)
		grid_text(g, xend, y, 1, base | RS_DIM, "\xe2\x80\xa6", 3); /* U+2026 */
}

static void draw_pane(Editor *ed, Grid *g, const Pane *p)
{
	bool focused = ed->panes->focus == p->id;
	draw_title(ed, g, p, focused);
	for (int r = 0; r < p->rows; r++) {
		int y = p->y + 1 + r;
		size_t row = p->top + (size_t)r;
		if (row < p->nlines)
			draw_row(g, p, y, row, focused);
		else
			fill(g, p->x, p->x + p->w, y, 0);
	}
}

static void draw_sidebar(Editor *ed, Grid *g, int side)
{
	const Sidebar *sb = &ed->panes->side[side];
	if (!sb->w || !sb->h)
		return;
	int sep = side == SIDE_LEFT ? sb->x + sb->w - 1 : sb->x;
	for (int y = sb->y; y < sb->y + sb->h && y < g->h; y++) {
		fill(g, sb->x, sb->x + sb->w, y, 0);
		grid_text(g, sep, y, 1, RS_DIM, "\xe2\x94\x82", 3); /* U+2502 */
	}
	for (const Pane *p = ed->panes->list; p; p = p->next)
		if (p->side == side && p->h)
			draw_pane(ed, g, p);
}

/* ===== the menu / prompt popup =========================================== */

static int popup_width(const Picker *pk, int avail)
{
	int w = (int)render_text_width(pk->title, strlen(pk->title)) + 12;
	for (size_t i = 0; i < pk->nshown && i < 200; i++) {
		const char *s = picker_row(pk, i);
		int iw = (int)render_text_width(s, strlen(s)) + 4;
		if (iw > w)
			w = iw;
	}
	if (w < 30)
		w = 30;
	if (w > POPUP_MAX_W)
		w = POPUP_MAX_W;
	return w > avail ? avail : w;
}

static void draw_popup_rows(Grid *g, Picker *pk, int x, int y, int w)
{
	for (int r = 0; r < pk->rows; r++) {
		size_t i = pk->top + (size_t)r;
		uint16_t st = i == pk->sel ? RS_SEL : 0;
		fill(g, x, x + w, y + r, st);
		const char *s = picker_row(pk, i);
		if (s)
			grid_text(g, x + 1, y + r, w - 2, st, s, strlen(s));
	}
}

static void draw_picker(Editor *ed, Grid *g, int *cx, int *cy)
{
	Picker *pk = ed->panes->picker;
	const Window *win = &ed->win;
	if (win->w < 4 || win->h < 2) {
		pk->h = 0;
		return;
	}
	int w = popup_width(pk, win->w);
	int rows = (int)(pk->nshown < PICKER_MAX_ROWS ? pk->nshown : PICKER_MAX_ROWS);
	if (rows > win->h - 2)
		rows = win->h - 2 > 0 ? win->h - 2 : 0;
	if (pk->top + (size_t)rows <= pk->sel && rows > 0)
		pk->top = pk->sel - (size_t)rows + 1;
	if (pk->top > pk->sel)
		pk->top = pk->sel;
	pk->rows = rows;
	pk->w = w;
	pk->h = rows + 2;
	pk->x = win->x + (win->w - w) / 2;
	pk->y = win->y + win->h - pk->h;
	/* Title row with the match count, the list, the input row. */
	char count[48] = "";
	if (pk->kind == PICK_MENU || pk->nshown)
		snprintf(count, sizeof count, " %zu/%zu ", pk->nshown, pk->nitems);
	int cw = (int)strlen(count) < w ? (int)strlen(count) : 0;
	fill(g, pk->x, pk->x + w, pk->y, RS_STATUS | RS_BOLD);
	const char *title = pk->kind == PICK_MENU ? pk->title : "";
	int tx = pk->x + grid_text(g, pk->x, pk->y, w - cw, RS_STATUS | RS_BOLD, " ", 1);
	grid_text(g, tx, pk->y, pk->x + w - cw - tx, RS_STATUS | RS_BOLD, title, strlen(title));
	grid_text(g, pk->x + w - cw, pk->y, cw, RS_STATUS, count, (size_t)cw);
	draw_popup_rows(g, pk, pk->x, pk->y + 1, w);
	int iy = pk->y + 1 + rows;
	fill(g, pk->x, pk->x + w, iy, RS_REVERSE);
	const char *label = pk->kind == PICK_MENU ? "> " : pk->title;
	int lw = grid_text(g, pk->x, iy, w - 1, RS_REVERSE | RS_BOLD, label, strlen(label));
	/* Show the end of a long line: the cursor is there. */
	int room = w - lw - 1;
	size_t start = 0;
	while (start < pk->len && (int)render_text_width(pk->text + start, pk->len - start) > room)
		start++;
	while (start < pk->len && ((unsigned char)pk->text[start] & 0xc0) == 0x80)
		start++;
	int tw = grid_text(g, pk->x + lw, iy, room, pk->fresh ? RS_SEL : RS_REVERSE, pk->text + start, pk->len - start);
	pk->cx = pk->x + lw + tw;
	pk->cy = iy;
	*cx = pk->cx;
	*cy = pk->cy;
}

void render_plugin_ui(Editor *ed, Grid *g, int *cx, int *cy)
{
	if (!ed->panes)
		return;
	for (int s = 0; s < 2; s++)
		draw_sidebar(ed, g, s);
	if (pane_focused(ed))
		*cx = *cy = -1;
	if (ed->panes->picker)
		draw_picker(ed, g, cx, cy);
}

void render_status_text(Editor *ed, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; ed->panes && i < ed->panes->nsegs && n + 1 < size; i++) {
		int k = snprintf(out + n, size - n, "%s  ", ed->panes->segs[i].text);
		if (k < 0)
			break;
		n += (size_t)k;
	}
	if (n >= size)
		out[size - 1] = '\0';
}

/* True when the cells from x on row y show the text s (as grid_text put
 * it: one cell per character here, as status text is plain). */
static bool cells_show(const Grid *g, int x, int y, int xend, const char *s, int *w)
{
	size_t len = strlen(s);
	int x0 = x;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (x >= xend || cp == UTF8_INVALID || g->cells[(size_t)y * (size_t)g->w + (size_t)x].cp != cp)
			return false;
		x += utf8_width(cp) == 2 ? 2 : 1;
	}
	*w = x - x0;
	return true;
}

void render_status_style(Editor *ed, Grid *g, int x0, int y, int maxw)
{
	if (!ed->panes || y < 0 || y >= g->h || x0 < 0)
		return;
	int x = x0, xend = x0 + maxw > g->w ? g->w : x0 + maxw, w;
	for (size_t i = 0; i < ed->panes->nsegs; i++) {
		const StatusSeg *sg = &ed->panes->segs[i];
		if (!cells_show(g, x, y, xend, sg->text, &w))
			return; /* not shown (no room), or text with escapes */
		style_cells(g, y, x, x + w, sg->st);
		x += w + 2;
	}
}
