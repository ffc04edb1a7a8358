/* Panes, sidebars, focus and status segments: the model behind plugin
 * panes (see pane.h). No terminal, no Lua. */
#include "editor/pane.h"
#include "buffer/array.h"
#include "editor/command.h"
#include "editor/input.h"
#include "editor/picker.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PAGE 10
#define WHEEL_ROWS 3

Panes *panes_new(void)
{
	Panes *ps = calloc(1, sizeof *ps);
	if (!ps)
		return NULL;
	ps->next_id = 1;
	for (int s = 0; s < 2; s++) {
		ps->side[s].open = true;
		ps->side[s].width = SIDEBAR_DEFAULT_W;
	}
	return ps;
}

void pane_lines_free(PaneLine *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < lines[i].n; k++)
			free(lines[i].segs[k].text);
		free(lines[i].segs);
	}
	free(lines);
}

static void pane_free(Pane *p)
{
	pane_lines_free(p->lines, p->nlines);
	free(p->title);
	free(p);
}

void panes_free(Panes *ps)
{
	if (!ps)
		return;
	while (ps->list) {
		Pane *p = ps->list;
		ps->list = p->next;
		pane_free(p);
	}
	panes_reap(ps);
	for (size_t i = 0; i < ps->nsegs; i++) {
		free(ps->segs[i].name);
		free(ps->segs[i].text);
	}
	free(ps->segs);
	picker_free(ps->picker);
	free(ps);
}

/* ===== panes ============================================================= */

Pane *pane_new(Editor *ed, const char *title)
{
	Panes *ps = ed->panes;
	Pane *p = calloc(1, sizeof *p);
	if (!p || !(p->title = strdup(title ? title : ""))) {
		free(p);
		return NULL;
	}
	p->id = ps->next_id++;
	p->side = SIDE_LEFT;
	Pane **pp = &ps->list;
	while (*pp)
		pp = &(*pp)->next;
	*pp = p;
	return p;
}

Pane *pane_find(Editor *ed, int id)
{
	for (Pane *p = ed->panes->list; p; p = p->next)
		if (p->id == id)
			return p;
	return NULL;
}

void pane_close(Editor *ed, Pane *p)
{
	Panes *ps = ed->panes;
	Pane **pp = &ps->list;
	while (*pp && *pp != p)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	*pp = p->next;
	int id = p->id;
	if (ps->focus == id)
		ps->focus = 0;
	/* Inside a callback the C code below may still hold p: freed later. */
	if (ed->hold) {
		p->next = ps->dead;
		ps->dead = p;
	} else {
		pane_free(p);
	}
	if (ps->hooks.closed)
		ps->hooks.closed(ps->hooks.ctx, id);
}

void panes_reap(Panes *ps)
{
	while (ps->dead) {
		Pane *p = ps->dead;
		ps->dead = p->next;
		pane_free(p);
	}
}

bool pane_set_title(Pane *p, const char *title)
{
	char *t = strdup(title ? title : "");
	if (!t)
		return false;
	free(p->title);
	p->title = t;
	return true;
}

size_t pane_page(const Pane *p)
{
	return p->rows > 0 ? (size_t)p->rows : DEFAULT_PAGE;
}

int pane_text_width(Editor *ed, const Pane *p)
{
	int w = p->h ? p->w : (p->width ? p->width : ed->panes->side[p->side].width) - 1;
	return w > 1 ? w - 1 : 1;
}

/* Keeps top in range and the selected row on screen. */
static void clamp_view(Pane *p)
{
	size_t page = pane_page(p);
	if (p->nlines == 0) {
		p->sel = p->top = 0;
		return;
	}
	if (p->sel >= p->nlines)
		p->sel = p->nlines - 1;
	if (p->sel < p->top)
		p->top = p->sel;
	else if (p->sel >= p->top + page)
		p->top = p->sel - page + 1;
	if (p->top + page > p->nlines)
		p->top = p->nlines > page ? p->nlines - page : 0;
}

void pane_set_lines(Pane *p, PaneLine *lines, size_t n)
{
	pane_lines_free(p->lines, p->nlines);
	p->lines = lines;
	p->nlines = n;
	clamp_view(p);
}

void pane_show(Editor *ed, Pane *p, bool show)
{
	bool was = p->shown;
	p->shown = show;
	if (show) {
		Sidebar *sb = &ed->panes->side[p->side];
		sb->open = true;
		/* The width it asks for applies when it appears, not after the
		 * user resized the sidebar. */
		if (!was && p->width > 0)
			sb->width = p->width;
	} else if (ed->panes->focus == p->id) {
		ed->panes->focus = 0;
	}
}

bool pane_is_visible(Editor *ed, const Pane *p)
{
	return p->shown && ed->panes->side[p->side].open;
}

void pane_select(Editor *ed, Pane *p, size_t row, bool notify)
{
	size_t old = p->sel;
	p->sel = row;
	clamp_view(p);
	PaneHooks *h = &ed->panes->hooks;
	if (notify && p->nlines && p->sel != old && h->select)
		h->select(h->ctx, p);
}

void pane_move(Editor *ed, Pane *p, long delta)
{
	size_t row = p->sel;
	if (delta < 0)
		row = (size_t)-delta > row ? 0 : row - (size_t)-delta;
	else
		row = p->nlines && (size_t)delta >= p->nlines - row ? p->nlines - 1 : row + (size_t)delta;
	pane_select(ed, p, row, true);
}

void pane_scroll(Pane *p, long delta)
{
	size_t page = pane_page(p), max = p->nlines > page ? p->nlines - page : 0;
	if (delta < 0)
		p->top = (size_t)-delta > p->top ? 0 : p->top - (size_t)-delta;
	else
		p->top = p->top + (size_t)delta > max ? max : p->top + (size_t)delta;
}

void pane_activate(Editor *ed, Pane *p)
{
	PaneHooks *h = &ed->panes->hooks;
	if (p->nlines && h->activate)
		h->activate(h->ctx, p);
}

/* ===== focus and keys ==================================================== */

void pane_focus(Editor *ed, Pane *p)
{
	Panes *ps = ed->panes;
	if (!p) {
		ps->focus = 0;
		return;
	}
	pane_show(ed, p, true);
	ps->focus = p->id;
}

Pane *pane_focused(Editor *ed)
{
	Panes *ps = ed->panes;
	if (!ps || !ps->focus)
		return NULL;
	Pane *p = pane_find(ed, ps->focus);
	if (!p || !pane_is_visible(ed, p)) {
		ps->focus = 0;
		return NULL;
	}
	return p;
}

/* True for a global binding that must not run while a pane has the focus:
 * one that edits the (unseen) text. */
static bool edits_text(const Binding *b)
{
	if (!b->command)
		return false;
	char name[64];
	size_t n = strcspn(b->command, " \t");
	if (n >= sizeof name)
		return false;
	memcpy(name, b->command, n);
	name[n] = '\0';
	const Command *c = command_find(name);
	return c && (c->flags & CMD_EDITS);
}

/* "x is not available in the news list (Esc: back to the text)": the
 * pane's mode names it, else its title. */
static void not_here(Editor *ed, const Pane *p, const Key *seq, int len)
{
	char keys[96], what[48];
	keys_seq_name(seq, (size_t)len, keys, sizeof keys);
	snprintf(what, sizeof what, "%s", p->mode[0] ? p->mode : p->title && *p->title ? p->title : "plugin");
	for (char *c = what; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 'a' - 'A' : *c);
	msg_info(ed, "%s is not available in the %s list (Esc: back to the text)", keys, what);
}

KmResult pane_lookup(Editor *ed, Pane *p, const Key *seq, int len, const Binding **out)
{
	KmResult r = KM_NONE;
	*out = NULL;
	if (p->mode[0])
		r = keymap_lookup_mode(ed->keymap, p->mode, seq, len, out);
	if (r == KM_NONE)
		r = keymap_lookup_mode(ed->keymap, PANE_MODE, seq, len, out);
	if (r != KM_NONE)
		return r;
	/* Global bindings, chord prefixes included, unless they edit text. */
	r = keymap_lookup_mode(ed->keymap, "", seq, len, out);
	if (r == KM_PREFIX || (r == KM_FOUND && !edits_text(*out)))
		return r;
	*out = NULL;
	PaneHooks *h = &ed->panes->hooks;
	if (len == 1 && h->key && h->key(h->ctx, p, seq[0]))
		return KM_FOUND;
	/* Text keys and editing commands never reach the hidden text, and
	 * are never dropped without a word. */
	if (r == KM_NONE && !(len == 1 && keys_is_text(seq[0])))
		return KM_NONE;
	not_here(ed, p, seq, len);
	return KM_FOUND;
}

/* ===== sidebars ========================================================== */

bool sidebar_visible(Editor *ed, int side)
{
	if (!ed->panes->side[side].open)
		return false;
	for (Pane *p = ed->panes->list; p; p = p->next)
		if (p->shown && p->side == side)
			return true;
	return false;
}

bool sidebar_toggle(Editor *ed)
{
	Panes *ps = ed->panes;
	bool any_shown = false, any_visible = false;
	for (Pane *p = ps->list; p; p = p->next)
		any_shown |= p->shown;
	for (int s = 0; s < 2; s++)
		any_visible |= sidebar_visible(ed, s);
	if (!any_shown)
		return msg_error(ed, "sidebar: no pane yet; plugins open them (try the news command)");
	for (int s = 0; s < 2; s++)
		ps->side[s].open = !any_visible;
	if (any_visible)
		ps->focus = 0;
	return true;
}

/* Visible panes in focus order: left sidebar, then right, top to bottom. */
size_t panes_visible(Editor *ed, Pane **out, size_t max)
{
	size_t n = 0;
	for (int s = 0; s < 2; s++)
		for (Pane *p = ed->panes->list; p; p = p->next)
			if (p->side == s && pane_is_visible(ed, p) && n < max)
				out[n++] = p;
	return n;
}

bool sidebar_focus_next(Editor *ed)
{
	Panes *ps = ed->panes;
	Pane *v[64];
	size_t n = panes_visible(ed, v, 64);
	if (n == 0) {
		/* Closed sidebars: open them and focus their first pane. */
		bool any = false;
		for (Pane *p = ps->list; p; p = p->next)
			any |= p->shown;
		if (!any)
			return msg_error(ed, "sidebar: no pane to focus (plugins open panes)");
		ps->side[0].open = ps->side[1].open = true;
		n = panes_visible(ed, v, 64);
		if (n == 0)
			return false;
	}
	Pane *cur = pane_focused(ed);
	size_t i = 0;
	while (cur && i < n && v[i] != cur)
		i++;
	if (!cur)
		pane_focus(ed, v[0]);
	else if (i + 1 < n)
		pane_focus(ed, v[i + 1]);
	else
		pane_focus(ed, NULL);
	return true;
}

void sidebar_set_width(Editor *ed, int side, int width)
{
	if (width < SIDEBAR_MIN_W)
		width = SIDEBAR_MIN_W;
	if (width > 1000)
		width = 1000;
	ed->panes->side[side].width = width;
}

int sidebar_current(Editor *ed)
{
	Pane *p = pane_focused(ed);
	if (p)
		return p->side;
	for (int s = 0; s < 2; s++)
		if (sidebar_visible(ed, s))
			return s;
	return -1;
}

/* ===== layout ============================================================ */

/* Stacks the side's shown panes in its rectangle (the separator column
 * excluded); panes that do not fit get h 0. */
static void stack_panes(Editor *ed, int side, int x, int y, int w, int h)
{
	int n = 0;
	for (Pane *p = ed->panes->list; p; p = p->next)
		if (p->shown && p->side == side)
			n++;
	int fit = h / 2 < n ? h / 2 : n; /* a title and one row at least */
	int k = 0, yy = y;
	for (Pane *p = ed->panes->list; p; p = p->next) {
		if (p->side != side)
			continue;
		p->h = p->w = p->rows = 0;
		if (!p->shown || k >= fit)
			continue;
		int ph = h / fit + (k < h % fit ? 1 : 0);
		p->x = x;
		p->y = yy;
		p->w = w;
		p->h = ph;
		p->rows = ph - 1;
		clamp_view(p);
		yy += ph;
		k++;
	}
}

/* On the loop turn after a layout: tells plugins whose panes changed
 * width (they may render their rows again). */
static void resize_notify(void *arg)
{
	Editor *ed = arg;
	Panes *ps = ed->panes;
	int ids[64], n = 0;
	ps->resize_due = false;
	for (Pane *p = ps->list; p && n < 64; p = p->next)
		if (p->h && pane_text_width(ed, p) != p->told_w)
			ids[n++] = p->id;
	for (int i = 0; i < n; i++) {
		Pane *p = pane_find(ed, ids[i]);
		if (!p || !p->h)
			continue;
		p->told_w = pane_text_width(ed, p);
		if (ps->hooks.resize)
			ps->hooks.resize(ps->hooks.ctx, p);
	}
}

static void note_widths(Editor *ed)
{
	Panes *ps = ed->panes;
	if (ps->resize_due || !ps->hooks.resize)
		return;
	for (Pane *p = ps->list; p; p = p->next)
		if (p->h && pane_text_width(ed, p) != p->told_w) {
			ps->resize_due = true;
			loop_defer(ed->loop, resize_notify, ed);
			return;
		}
}

/* Widths for the two sidebars so the text keeps TEXT_MIN_W columns. */
static void fit_widths(int avail, int *wl, int *wr)
{
	if (*wl + *wr <= avail)
		return;
	int *big = *wl >= *wr ? wl : wr, *small = big == wl ? wr : wl;
	*big = avail - *small;
	if (*big < SIDEBAR_MIN_W) {
		*big = *small ? avail / 2 : avail;
		*small = *small ? avail - *big : 0;
	}
	if (*wl && *wl < SIDEBAR_MIN_W)
		*wl = 0;
	if (*wr && *wr < SIDEBAR_MIN_W)
		*wr = 0;
}

void panes_layout(Editor *ed, int x, int y, int w, int h, int *tx, int *tw)
{
	Panes *ps = ed->panes;
	int want[2];
	for (int s = 0; s < 2; s++) {
		want[s] = sidebar_visible(ed, s) ? ps->side[s].width : 0;
		if (want[s] && want[s] < SIDEBAR_MIN_W)
			want[s] = SIDEBAR_MIN_W;
	}
	int avail = w - TEXT_MIN_W;
	if (avail < SIDEBAR_MIN_W || h < 2)
		want[0] = want[1] = 0;
	else
		fit_widths(avail, &want[0], &want[1]);
	for (Pane *p = ps->list; p; p = p->next)
		p->h = p->w = p->rows = 0;
	Sidebar *l = &ps->side[SIDE_LEFT], *r = &ps->side[SIDE_RIGHT];
	*l = (Sidebar){l->open, l->width, x, y, want[0], want[0] ? h : 0};
	*r = (Sidebar){r->open, r->width, x + w - want[1], y, want[1], want[1] ? h : 0};
	if (want[0])
		stack_panes(ed, SIDE_LEFT, x, y, want[0] - 1, h);
	if (want[1])
		stack_panes(ed, SIDE_RIGHT, x + w - want[1] + 1, y, want[1] - 1, h);
	*tx = x + want[0];
	*tw = w - want[0] - want[1];
	note_widths(ed);
}

/* ===== mouse ============================================================= */

static int sidebar_at(Panes *ps, int x, int y)
{
	for (int s = 0; s < 2; s++) {
		Sidebar *sb = &ps->side[s];
		if (sb->w && x >= sb->x && x < sb->x + sb->w && y >= sb->y && y < sb->y + sb->h)
			return s;
	}
	return -1;
}

static Pane *pane_at(Editor *ed, int x, int y)
{
	for (Pane *p = ed->panes->list; p; p = p->next)
		if (p->h && x >= p->x && x < p->x + p->w && y >= p->y && y < p->y + p->h)
			return p;
	return NULL;
}

static void mouse_press(Editor *ed, Pane *p, int y)
{
	int id = p->id;
	bool was_focused = ed->panes->focus == id;
	pane_focus(ed, p);
	if (y == p->y)
		return; /* the title row */
	size_t row = p->top + (size_t)(y - p->y - 1);
	if (row >= p->nlines)
		return;
	if (was_focused && row == p->sel) {
		pane_activate(ed, p);
		return;
	}
	pane_select(ed, p, row, true);
}

static void drag_separator(Panes *ps, int x)
{
	int s = ps->resizing - 1;
	Sidebar *sb = &ps->side[s];
	int w = s == SIDE_LEFT ? x - sb->x + 1 : sb->x + sb->w - x;
	ps->side[s].width = w < SIDEBAR_MIN_W ? SIDEBAR_MIN_W : w;
}

bool panes_mouse(Editor *ed, int action, int button, int x, int y)
{
	Panes *ps = ed->panes;
	if (ps->picker)
		return true;
	if (ps->resizing && (action == MOUSE_DRAG || action == MOUSE_RELEASE)) {
		drag_separator(ps, x);
		if (action == MOUSE_RELEASE)
			ps->resizing = 0;
		return true;
	}
	int s = sidebar_at(ps, x, y);
	bool press = action == MOUSE_PRESS && button == 0;
	if (s < 0) {
		if (press)
			ps->focus = 0;
		return false;
	}
	Sidebar *sb = &ps->side[s];
	bool on_sep = x == (s == SIDE_LEFT ? sb->x + sb->w - 1 : sb->x);
	Pane *p = pane_at(ed, x, y);
	if (press && on_sep)
		ps->resizing = s + 1;
	else if (press && p)
		mouse_press(ed, p, y);
	else if (p && action == MOUSE_WHEEL_UP)
		pane_scroll(p, -WHEEL_ROWS);
	else if (p && action == MOUSE_WHEEL_DOWN)
		pane_scroll(p, WHEEL_ROWS);
	return true;
}

bool panes_take_dirty(Editor *ed)
{
	bool d = ed->panes && ed->panes->dirty;
	if (d)
		ed->panes->dirty = false;
	return d;
}

/* ===== status segments =================================================== */

bool status_segment_set(Editor *ed, const char *name, const char *text, Style st)
{
	Panes *ps = ed->panes;
	size_t i = 0;
	while (i < ps->nsegs && strcmp(ps->segs[i].name, name) != 0)
		i++;
	if (!text) {
		if (i < ps->nsegs) {
			free(ps->segs[i].name);
			free(ps->segs[i].text);
			memmove(&ps->segs[i], &ps->segs[i + 1], (ps->nsegs - i - 1) * sizeof *ps->segs);
			ps->nsegs--;
		}
		return true;
	}
	char *t = strdup(text);
	if (!t)
		return false;
	if (i == ps->nsegs) {
		char *n = strdup(name);
		if (!n || !ARRAY_RESERVE(ps->segs, ps->capsegs, ps->nsegs + 1)) {
			free(n);
			free(t);
			return false;
		}
		ps->segs[ps->nsegs++] = (StatusSeg){n, NULL, st};
	}
	free(ps->segs[i].text);
	ps->segs[i].text = t;
	ps->segs[i].st = st;
	return true;
}
