/* Split windows: a tree of splits over the text area, the unfocused
 * windows' cursors kept as Text marks, and the window commands. The
 * focused window is ed->win (see split.h); nothing here writes to the
 * terminal: split_draw fills the UI's grid. */
#include "editor/split.h"
#include "editor/pane.h"
#include "editor/commands.h"
#include "editor/decor.h"
#include "editor/render_hex.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NODE_LEAF, NODE_ABOVE, NODE_BESIDE };

typedef struct SplitWin {
	Window win;        /* unfocused: its text rectangle and scroll */
	int buf_id;        /* unfocused: its buffer (it may be closed meanwhile) */
	size_t *marks;     /* unfocused: anchor and head mark of each selection */
	size_t nsel, primary;
	size_t top_mark;   /* unfocused: mark at win.top */
	size_t hex_mark;   /* unfocused: mark at the hex view's top row */
	size_t goal_col;
	View view;         /* unfocused: its view; the UI holds the focused one */
	int tx, ty, tw;    /* title row */
} SplitWin;

typedef struct Node {
	int kind;                 /* NODE_* */
	struct Node *a, *b;       /* above/left, below/right */
	struct Node *parent;
	SplitWin *w;              /* leaf */
	int x, y, w_, h;          /* area, from the last layout */
} Node;

struct Splits {
	Node *root;
	SplitWin *focus;
	View *ui_view;            /* the UI's view of the focused window */
};

static void node_free(Node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	if (n->w) {
		view_fini(&n->w->view);
		free(n->w->marks);
		free(n->w);
	}
	free(n);
}

void split_free(struct Splits *s)
{
	if (!s)
		return;
	node_free(s->root);
	free(s);
}

static struct Splits *get(Editor *ed)
{
	struct Splits *s = ed->splits;
	if (s && s->root)
		return s;
	if (!s && !(s = calloc(1, sizeof *s)))
		return NULL;
	ed->splits = s;
	Node *n = calloc(1, sizeof *n);
	SplitWin *w = calloc(1, sizeof *w);
	if (!n || !w) {
		free(n);
		free(w);
		return NULL;
	}
	view_init(&w->view, &w->win);
	n->kind = NODE_LEAF;
	n->w = w;
	s->root = n;
	s->focus = w;
	return s;
}

void split_set_view(Editor *ed, View *focused)
{
	struct Splits *s = get(ed);
	if (s)
		s->ui_view = focused;
}

View *split_view(Editor *ed)
{
	return ed->splits ? ed->splits->ui_view : NULL;
}

/* Leaves in screen order (top to bottom, left to right). */
static void leaves(Node *n, SplitWin **out, int *k)
{
	if (!n)
		return;
	if (n->kind == NODE_LEAF) {
		out[(*k)++] = n->w;
		return;
	}
	leaves(n->a, out, k);
	leaves(n->b, out, k);
}

static int count_of(Node *n)
{
	if (!n)
		return 0;
	return n->kind == NODE_LEAF ? 1 : count_of(n->a) + count_of(n->b);
}

int split_count(const Editor *ed)
{
	return ed->splits && ed->splits->root ? count_of(ed->splits->root) : 1;
}

static Node *leaf_of(Node *n, const SplitWin *w)
{
	if (!n)
		return NULL;
	if (n->kind == NODE_LEAF)
		return n->w == w ? n : NULL;
	Node *r = leaf_of(n->a, w);
	return r ? r : leaf_of(n->b, w);
}

/* ===== focus: selections in and out of marks ============================= */

/* Keeps the focused window's state (ed->win, the buffer's selections) in
 * its slot, as marks. */
static bool park(Editor *ed, struct Splits *s)
{
	SplitWin *w = s->focus;
	Buffer *b = ed->cur;
	if (!b)
		return false;
	SelSet *ss = &b->sels;
	size_t *m = malloc((ss->n ? ss->n : 1) * 2 * sizeof *m);
	if (!m)
		return msg_error(ed, "window: %s", strerror(ENOMEM));
	for (size_t i = 0; i < ss->n; i++) {
		m[2 * i] = text_mark_new(b->text, ss->v[i].anchor);
		m[2 * i + 1] = text_mark_new(b->text, ss->v[i].head);
	}
	free(w->marks);
	w->marks = m;
	w->nsel = ss->n;
	w->primary = ss->primary;
	w->top_mark = text_mark_new(b->text, ed->win.top);
	w->hex_mark = text_mark_new(b->text, b->hex ? b->hex->top : 0);
	w->goal_col = b->goal_col;
	w->win = ed->win;
	w->buf_id = b->id;
	return true;
}

/* The selections a parked window keeps, read from its marks (which stay
 * allocated); a lone cursor at 0 when its buffer is gone. */
static void sels_of(SplitWin *w, Buffer *b, SelSet *out)
{
	sel_init(out);
	size_t len = text_len(b->text);
	if (b->id == w->buf_id && sel_reserve(out, w->nsel)) {
		for (size_t i = 0; i < w->nsel; i++) {
			size_t a = text_mark_get(b->text, w->marks[2 * i]);
			size_t h = text_mark_get(b->text, w->marks[2 * i + 1]);
			sel_push(out, (Sel){a < len ? a : len, h < len ? h : len});
		}
		out->primary = w->primary < out->n ? w->primary : 0;
		sel_normalize(out);
	}
	if (out->n == 0)
		sel_reset(out, 0);
}

static void unmark(Editor *ed, SplitWin *w)
{
	Buffer *b = ed_find_buffer(ed, w->buf_id);
	if (b && w->marks) {
		for (size_t i = 0; i < 2 * w->nsel; i++)
			text_mark_free(b->text, w->marks[i]);
		text_mark_free(b->text, w->top_mark);
		text_mark_free(b->text, w->hex_mark);
	}
	free(w->marks);
	w->marks = NULL;
	w->nsel = 0;
}

/* The buffer a parked window shows: its own, else the focused one. */
static Buffer *buf_of(Editor *ed, SplitWin *w)
{
	Buffer *b = ed_find_buffer(ed, w->buf_id);
	return b ? b : ed->cur;
}

/* The line start at a parked window's top mark. */
static size_t top_of(SplitWin *w, Buffer *b)
{
	if (b->id != w->buf_id || !w->marks)
		return 0;
	size_t top = text_mark_get(b->text, w->top_mark), len = text_len(b->text);
	if (top > len)
		top = len;
	return text_line_start(b->text, text_line_of(b->text, top));
}

/* The hex view's scroll lives in the buffer (b->hex): each window keeps
 * its own, put in place while it is focused or drawn. */
static size_t hex_top_of(SplitWin *w, Buffer *b)
{
	if (!b->hex || b->id != w->buf_id || !w->marks)
		return b->hex ? b->hex->top : 0;
	size_t top = text_mark_get(b->text, w->hex_mark);
	return top > text_len(b->text) ? text_len(b->text) : top;
}

static void swap_views(struct Splits *s, SplitWin *from, SplitWin *to, Editor *ed)
{
	if (!s->ui_view)
		return;
	View parked = *s->ui_view;
	*s->ui_view = to->view;
	s->ui_view->win = &ed->win;
	from->view = parked;
	from->view.win = &from->win;
	view_init(&to->view, &to->win);
}

/* Moves the focus to w: parks the focused window, unparks w. */
static bool focus_win(Editor *ed, struct Splits *s, SplitWin *w)
{
	SplitWin *from = s->focus;
	if (w == from)
		return true;
	if (!park(ed, s))
		return false;
	Buffer *b = buf_of(ed, w);
	SelSet ss;
	sels_of(w, b, &ss);
	size_t top = top_of(w, b), hex_top = hex_top_of(w, b);
	size_t goal = b->id == w->buf_id ? w->goal_col : BUF_NOPOS;
	unmark(ed, w);
	ed->cur = b;
	ed->win = w->win;
	ed->win.buf = b;
	ed->win.top = top;
	sel_replace(&b->sels, &ss, false);
	sel_fini(&ss);
	b->goal_col = goal;
	if (b->hex)
		b->hex->top = hex_top;
	if (b->text)
		text_break(b->text);
	s->focus = w;
	swap_views(s, from, w, ed);
	return true;
}

int split_focus_of(const Editor *ed)
{
	struct Splits *s = ed->splits;
	if (!s || !s->root)
		return 0;
	int n = count_of(s->root), k = 0;
	SplitWin **v = malloc((size_t)n * sizeof *v);
	if (!v)
		return 0;
	leaves(s->root, v, &k);
	int r = 0;
	for (int i = 0; i < k; i++)
		if (v[i] == s->focus)
			r = i;
	free(v);
	return r;
}

bool split_focus_index(Editor *ed, int i)
{
	struct Splits *s = ed->splits;
	if (!s || !s->root)
		return i == 0;
	int n = count_of(s->root), k = 0;
	if (i < 0 || i >= n)
		return false;
	SplitWin **v = malloc((size_t)n * sizeof *v);
	if (!v)
		return false;
	leaves(s->root, v, &k);
	bool ok = focus_win(ed, s, v[i]);
	free(v);
	return ok;
}

/* ===== layout and drawing ================================================ */

static void layout(Editor *ed, struct Splits *s, Node *n, int x, int y, int w, int h)
{
	n->x = x, n->y = y, n->w_ = w, n->h = h;
	if (n->kind == NODE_LEAF) {
		/* The last row is the window's title. */
		Window *win = n->w == s->focus ? &ed->win : &n->w->win;
		win->x = x;
		win->y = y;
		win->w = w > 0 ? w : 0;
		win->h = h > 1 ? h - 1 : 0;
		n->w->tx = x, n->w->ty = y + h - 1, n->w->tw = h > 0 ? w : 0;
		return;
	}
	if (n->kind == NODE_ABOVE) {
		int ha = h / 2;
		layout(ed, s, n->a, x, y, w, ha);
		layout(ed, s, n->b, x, y + ha, w, h - ha);
	} else {
		int wa = w / 2;
		/* The left window's last column is the separator. */
		layout(ed, s, n->a, x, y, wa > 0 ? wa - 1 : 0, h);
		layout(ed, s, n->b, x + wa, y, w - wa, h);
	}
}

void split_layout(Editor *ed)
{
	struct Splits *s = ed->splits;
	if (!s || !s->root || s->root->kind == NODE_LEAF)
		return;
	Window area = ed->win;
	layout(ed, s, s->root, area.x, area.y, area.w, area.h);
}

static void draw_title(Editor *ed, struct Splits *s, SplitWin *w, Grid *g)
{
	if (w->tw <= 0 || w->ty < 0 || w->ty >= g->h)
		return;
	bool focused = w == s->focus;
	Buffer *b = focused ? ed->cur : buf_of(ed, w);
	if (!b)
		return;
	uint16_t st = RS_STATUS | (focused ? RS_BOLD : RS_DIM);
	for (int x = w->tx; x < w->tx + w->tw && x < g->w; x++) {
		Cell *c = grid_at(g, x, w->ty);
		*c = (Cell){.cp = ' ', .kind = RC_BLANK, .style = st};
	}
	char item[64];
	size_t head = focused ? b->sels.v[b->sels.primary].head
	                      : (w->marks && w->nsel ? text_mark_get(b->text, w->marks[2 * w->primary + 1]) : 0);
	if (head > text_len(b->text))
		head = text_len(b->text);
	snprintf(item, sizeof item, "%s%s  %zu ", focused ? " *" : "  ", buf_is_modified(b) ? " [+]" : "",
	         text_line_of(b->text, head) + 1);
	int x = w->tx;
	x += grid_text(g, x, w->ty, w->tw, st, item, 2);
	x += grid_text(g, x, w->ty, w->tx + w->tw - x, st, b->name, strlen(b->name));
	grid_text(g, x, w->ty, w->tx + w->tw - x, st, item + 2, strlen(item + 2));
}

static void draw_parked(Editor *ed, SplitWin *w, Grid *g, Search *hl)
{
	if (w->win.w <= 0 || w->win.h <= 0)
		return;
	Buffer *b = buf_of(ed, w);
	if (!b)
		return;
	w->win.buf = b;
	w->win.top = top_of(w, b);
	SelSet mine, saved = b->sels;
	sels_of(w, b, &mine);
	b->sels = mine;
	w->view.hl = hl;
	/* The hex view scrolls by its own top offset: this window's, for now. */
	bool own_top = render_hex_is_on(b) && b->hex;
	size_t focused_top = own_top ? b->hex->top : 0;
	if (own_top)
		b->hex->top = hex_top_of(w, b);
	if (view_ops_of(b)->decorated)
		decor_prepare(ed, b, w->win.top, (size_t)w->win.h);
	view_render(&w->view, b, ed->tabw, g);
	if (own_top)
		b->hex->top = focused_top;
	sel_fini(&b->sels);
	b->sels = saved;
	/* Its primary cursor, which the terminal's cursor does not show. */
	if (w->view.cx >= 0 && w->view.cy >= 0 && w->view.cx < g->w && w->view.cy < g->h)
		grid_at(g, w->view.cx, w->view.cy)->style |= RS_CURSOR;
}

static void draw_node(Editor *ed, struct Splits *s, Node *n, Grid *g, Search *hl)
{
	if (n->kind == NODE_LEAF) {
		if (n->w != s->focus)
			draw_parked(ed, n->w, g, hl);
		draw_title(ed, s, n->w, g);
		return;
	}
	draw_node(ed, s, n->a, g, hl);
	draw_node(ed, s, n->b, g, hl);
	if (n->kind == NODE_BESIDE) {
		int x = n->a->x + n->a->w_;
		for (int y = n->y; y < n->y + n->h && y < g->h; y++)
			if (x >= 0 && x < g->w)
				*grid_at(g, x, y) = (Cell){.cp = 0x2502, .kind = RC_TEXT, .style = RS_STATUS};
	}
}

void split_draw(Editor *ed, Grid *g, Search *hl)
{
	struct Splits *s = ed->splits;
	if (!s || !s->root || s->root->kind == NODE_LEAF)
		return;
	draw_node(ed, s, s->root, g, hl);
}

static SplitWin *win_at(Node *n, int x, int y)
{
	if (!n || x < n->x || y < n->y || x >= n->x + n->w_ || y >= n->y + n->h)
		return NULL;
	if (n->kind == NODE_LEAF)
		return n->w;
	SplitWin *w = win_at(n->a, x, y);
	return w ? w : win_at(n->b, x, y);
}

bool split_focus_at(Editor *ed, int x, int y)
{
	struct Splits *s = ed->splits;
	if (!s || !s->root || s->root->kind == NODE_LEAF)
		return false;
	SplitWin *w = win_at(s->root, x, y);
	if (!w || w == s->focus)
		return false;
	return focus_win(ed, s, w);
}

/* ===== commands ========================================================== */

static bool split(Editor *ed, int kind, const char *what)
{
	if (!ed->cur)
		return msg_error(ed, "%s: no buffer", what);
	struct Splits *s = get(ed);
	Node *leaf = s ? leaf_of(s->root, s->focus) : NULL;
	if (!leaf)
		return msg_error(ed, "%s: %s", what, strerror(ENOMEM));
	/* Each half needs a text row (or two columns) besides its title. */
	if (kind == NODE_ABOVE ? ed->win.h < 3 : ed->win.w < 5)
		return msg_error(ed, "%s: the window is too small", what);
	Node *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	SplitWin *nw = calloc(1, sizeof *nw);
	if (!a || !b || !nw) {
		free(a);
		free(b);
		free(nw);
		return msg_error(ed, "%s: %s", what, strerror(ENOMEM));
	}
	/* The new window: the same buffer, cursors and scroll, parked. */
	SplitWin *keep = s->focus;
	s->focus = nw;
	if (!park(ed, s)) {
		s->focus = keep;
		free(a);
		free(b);
		free(nw);
		return false;
	}
	s->focus = keep;
	view_init(&nw->view, &nw->win);
	if (s->ui_view) {
		nw->view.numbers = s->ui_view->numbers;
		nw->view.wrap = s->ui_view->wrap;
	}
	/* The leaf becomes the split node; its window moves to child a. */
	*a = (Node){.kind = NODE_LEAF, .w = leaf->w, .parent = leaf};
	*b = (Node){.kind = NODE_LEAF, .w = nw, .parent = leaf};
	leaf->kind = kind;
	leaf->w = NULL;
	leaf->a = a;
	leaf->b = b;
	return true;
}

bool cmd_split_horizontal(Editor *ed, const char *args)
{
	(void)args;
	return split(ed, NODE_ABOVE, "split-horizontal");
}

bool cmd_split_vertical(Editor *ed, const char *args)
{
	(void)args;
	return split(ed, NODE_BESIDE, "split-vertical");
}

/* F6 / Shift-F6: the windows in screen order, then the visible panes of
 * the sidebars, round. */
static bool step(Editor *ed, int d)
{
	Pane *v[64];
	int n = split_count(ed), np = (int)panes_visible(ed, v, 64), total = n + np;
	if (total < 2)
		return msg_error(ed, "there is only one window");
	Pane *fp = pane_focused(ed);
	int cur = split_focus_of(ed);
	for (int i = 0; fp && i < np; i++)
		if (v[i] == fp)
			cur = n + i;
	int to = (cur + d + total) % total;
	if (to >= n) {
		pane_focus(ed, v[to - n]);
		return true;
	}
	pane_focus(ed, NULL);
	return split_focus_index(ed, to);
}

bool cmd_window_next(Editor *ed, const char *args)
{
	(void)args;
	return step(ed, 1);
}

bool cmd_window_prev(Editor *ed, const char *args)
{
	(void)args;
	return step(ed, -1);
}

/* Removes a parked window's leaf: its sibling takes the parent's place. */
static void remove_leaf(Editor *ed, Node *leaf)
{
	Node *p = leaf->parent;
	Node *sib = p->a == leaf ? p->b : p->a;
	unmark(ed, leaf->w);
	node_free(leaf);
	sib->parent = p->parent;
	*p = *sib;
	if (p->a)
		p->a->parent = p;
	if (p->b)
		p->b->parent = p;
	free(sib);
}

bool cmd_window_close(Editor *ed, const char *args)
{
	(void)args;
	struct Splits *s = ed->splits;
	if (split_count(ed) < 2)
		return msg_error(ed, "window-close: this is the only window");
	int i = split_focus_of(ed);
	SplitWin *gone = s->focus;
	if (!split_focus_index(ed, i > 0 ? i - 1 : 1))
		return false;
	remove_leaf(ed, leaf_of(s->root, gone));
	return true;
}

bool cmd_window_only(Editor *ed, const char *args)
{
	(void)args;
	struct Splits *s = ed->splits;
	while (split_count(ed) > 1) {
		int n = count_of(s->root), k = 0;
		SplitWin **v = malloc((size_t)n * sizeof *v);
		if (!v)
			return msg_error(ed, "window-only: %s", strerror(ENOMEM));
		leaves(s->root, v, &k);
		SplitWin *other = v[0] == s->focus ? v[1] : v[0];
		free(v);
		remove_leaf(ed, leaf_of(s->root, other));
	}
	return true;
}
