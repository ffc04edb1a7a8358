/* Render: escapes for unprintable bytes, grid_text, and the window view:
 * rows, tabs, wide and combining characters, the cursor cell, selections,
 * line numbers, horizontal scrolling and soft wrap, mouse mapping, and a
 * long line whose end shows without walking it from the start each time.
 * Builds in editor/render.c, selection.c and filter.c (log views hide
 * lines); links buffer/. Plugin decorations and the hex
 * layout are stubbed. */
#include "editor/filter.c"
#include "editor/render.c"
#include "editor/selection.c"
#include "tests/unit/tap.h"

/* Plugin decorations and the hex view are other layouts: stubs. */
void render_decor_row(View *v, Buffer *b, Grid *g, int y, size_t line, size_t lineno, bool last_row)
{
	(void)v, (void)b, (void)g, (void)y, (void)line, (void)lineno, (void)last_row;
}
bool render_hex_is_on(const Buffer *b) { return (void)b, false; }
const ViewOps render_hex_ops = {0};

/* One screen row as text: escapes spelled out, wide characters once. */
static void row_text(Grid *g, int y, char *out, size_t size)
{
	size_t o = 0;
	for (int x = 0; x < g->w && o + 12 < size; x++) {
		Cell *c = grid_at(g, x, y);
		if (c->kind == RC_CONT)
			continue;
		if (c->kind == RC_ESC_CP || c->kind == RC_ESC_BYTE) {
			char esc[12];
			render_escape_text(c, esc);
			out[o++] = esc[c->part];
			continue;
		}
		if (c->kind == RC_BLANK) {
			out[o++] = ' ';
			continue;
		}
		o += utf8_encode(c->cp, out + o);
		for (int i = 0; i < RENDER_MAXCOMB && c->comb[i]; i++)
			o += utf8_encode(c->comb[i], out + o);
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = 0;
}

typedef struct Fix {
	Buffer b;
	Window win;
	View v;
	Grid g;
} Fix;

static void fix_init(Fix *f, const char *s, size_t len, int w, int h)
{
	memset(f, 0, sizeof *f);
	f->b.text = text_new();
	text_insert(f->b.text, 0, s, len);
	sel_init(&f->b.sels);
	sel_reset(&f->b.sels, 0);
	f->win = (Window){.buf = &f->b, .w = w, .h = h};
	view_init(&f->v, &f->win);
	grid_resize(&f->g, w, h);
}

static void fix_fini(Fix *f)
{
	view_fini(&f->v);
	grid_fini(&f->g);
	sel_fini(&f->b.sels);
	text_free(f->b.text);
}

static void draw(Fix *f) { view_render(&f->v, &f->b, 8, &f->g); }

static void row_is(Fix *f, int y, const char *want, const char *what)
{
	char got[1024];
	row_text(&f->g, y, got, sizeof got);
	is_str(got, want, "%s", what);
}

static void test_escapes(void)
{
	char out[12];
	Cell c = {.cp = 0xff, .kind = RC_ESC_BYTE};
	int n = render_escape_text(&c, out);
	is_mem(out, (size_t)n, "<ff>", 4, "invalid byte: <ff>");
	c = (Cell){.cp = 0x1b, .kind = RC_ESC_CP};
	n = render_escape_text(&c, out);
	is_mem(out, (size_t)n, "^[", 2, "ESC: ^[");
	c.cp = 0x7f;
	n = render_escape_text(&c, out);
	is_mem(out, (size_t)n, "^?", 2, "DEL: ^?");
	c.cp = 0x9b;
	n = render_escape_text(&c, out);
	is_mem(out, (size_t)n, "<009b>", 6, "C1 CSI: <009b>, as wide as utf8_escape_width says");

	Grid g = {0};
	grid_resize(&g, 12, 1);
	grid_clear(&g, 0, 1, 0);
	int used = grid_text(&g, 0, 0, 12, 0, "a\x1b[1m\xff" "b", 7);
	char row[64];
	row_text(&g, 0, row, sizeof row);
	is_str(row, "a^[[1m<ff>b", "grid_text escapes controls and invalid bytes");
	ok(used == 11, "and counts their columns (%d)", used);
	grid_clear(&g, 0, 1, 0);
	used = grid_text(&g, 11, 0, 1, 0, "\xe4\xb8\x96", 3);
	ok(used == 0, "a wide character that does not fit is left out");
	grid_fini(&g);
}

static void test_rows(void)
{
	Fix f;
	const char s[] = "a\tb\n世界x\ne\xcc\x81z\n\x01\x7f\n";
	fix_init(&f, s, sizeof s - 1, 20, 6);
	draw(&f);
	row_is(&f, 0, "a       b", "tab to the next stop");
	row_is(&f, 1, "世界x", "wide characters");
	ok(grid_at(&f.g, 1, 1)->kind == RC_CONT && grid_at(&f.g, 4, 1)->cp == 'x', "a wide character takes two cells");
	row_is(&f, 2, "e\xcc\x81z", "a combining mark joins its base cell");
	ok(grid_at(&f.g, 1, 2)->cp == 'z', "and takes no column");
	row_is(&f, 3, "^A^?", "control characters escaped");
	ok(grid_at(&f.g, 0, 3)->kind == RC_ESC_CP, "as escape cells");
	ok(f.v.cx == 0 && f.v.cy == 0, "cursor at 0,0 (%d,%d)", f.v.cx, f.v.cy);
	/* Selections and a second cursor. */
	f.b.sels.v[0] = (Sel){4, 10};
	sel_add(&f.b.sels, (Sel){15, 15});
	f.b.sels.primary = 0;
	draw(&f);
	ok((grid_at(&f.g, 0, 1)->style & RS_SEL) && (grid_at(&f.g, 2, 1)->style & RS_SEL), "selection on 世界");
	ok(!(grid_at(&f.g, 4, 1)->style & RS_SEL), "x not selected");
	ok(f.v.cx == 4 && f.v.cy == 1, "primary cursor at the head (%d,%d)", f.v.cx, f.v.cy);
	ok(grid_at(&f.g, 1, 2)->style & RS_CURSOR, "secondary cursor drawn on its cell");
	/* Mouse mapping. */
	size_t pos = 99;
	ok(view_pos_at(&f.v, 3, 1, &pos) && pos == 7, "click on the second half of 界 -> its offset (%zu)", pos);
	ok(view_pos_at(&f.v, 15, 0, &pos) && pos == 3, "click right of the text -> line end (%zu)", pos);
	ok(view_pos_at(&f.v, 5, 5, &pos) && pos == sizeof s - 1, "click below the text -> the end (%zu)", pos);
	/* Line numbers. */
	f.v.numbers = true;
	draw(&f);
	row_is(&f, 1, "  2 世界x", "line numbers in a gutter");
	fix_fini(&f);
}

static void test_hscroll(void)
{
	Fix f;
	char line[400];
	for (int i = 0; i < 399; i++)
		line[i] = (char)('a' + i % 26);
	line[399] = '\n';
	fix_init(&f, line, sizeof line, 30, 3);
	sel_reset(&f.b.sels, 399);
	view_show(&f.v, &f.b, 8, 399);
	draw(&f);
	ok(f.v.cx >= 0 && f.v.cx < 30 && f.v.cy == 0, "end of a long line visible (%d,%d)", f.v.cx, f.v.cy);
	ok(f.win.left > 0 && f.win.left + (size_t)f.v.cx == 399, "left %zu + cursor column %d = 399", f.win.left, f.v.cx);
	ok(view_col_of(&f.v, f.b.text, 8, 399) == 399, "column of the line end");
	sel_reset(&f.b.sels, 3);
	view_show(&f.v, &f.b, 8, 3);
	ok(f.win.left == 0, "back at the start: no scrolling");
	fix_fini(&f);
}

static void test_wrap(void)
{
	Fix f;
	const char s[] = "0123456789abcdefghijKLMNO\nnext\n";
	fix_init(&f, s, sizeof s - 1, 10, 2);
	f.v.wrap = true;
	draw(&f);
	row_is(&f, 0, "0123456789", "wrap: first row");
	row_is(&f, 1, "abcdefghij", "wrap: second row");
	sel_reset(&f.b.sels, 25);
	view_show(&f.v, &f.b, 8, 25);
	draw(&f);
	row_is(&f, 0, "abcdefghij", "scrolled by rows inside the line");
	row_is(&f, 1, "KLMNO", "last row of the line");
	ok(f.v.cx == 5 && f.v.cy == 1, "cursor at the end of the wrapped line (%d,%d)", f.v.cx, f.v.cy);
	view_scroll(&f.v, &f.b, 8, 1);
	draw(&f);
	row_is(&f, 0, "KLMNO", "scroll one row down");
	row_is(&f, 1, "next", "next line after the wrapped one");
	view_scroll(&f.v, &f.b, 8, -3);
	draw(&f);
	row_is(&f, 0, "0123456789", "scroll back up across rows");
	/* A wide character that does not fit the row goes to the next one. */
	fix_fini(&f);
	const char w[] = "123456789世x\n";
	fix_init(&f, w, sizeof w - 1, 10, 2);
	f.v.wrap = true;
	draw(&f);
	row_is(&f, 0, "123456789", "wide character does not split");
	row_is(&f, 1, "世x", "it starts the next row");
	fix_fini(&f);
}

static void test_long_line(void)
{
	/* 8 MB line: the end shows; the second query is served from the
	 * checkpoints (walks at most one step). */
	size_t n = 8u << 20;
	char *s = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = i % 1000 == 500 ? '\t' : 'x';
	memcpy(s + n - 4, "END!", 4);
	s[n] = '\n';
	Fix f;
	fix_init(&f, s, n + 1, 40, 3);
	free(s);
	sel_reset(&f.b.sels, n);
	view_show(&f.v, &f.b, 8, n);
	draw(&f);
	char row[256];
	row_text(&f.g, 0, row, sizeof row);
	ok(strstr(row, "END!") != NULL, "end of an 8 MB line shown: %s", row);
	size_t col = view_col_of(&f.v, f.b.text, 8, n);
	ok(col > n, "its column counts the tabs (%zu)", col);
	ColCache *c = NULL;
	for (int i = 0; i < NCACHE; i++)
		if (f.v.cache && f.v.cache[i].used && f.v.cache[i].line == 0 && f.v.cache[i].textw == 0)
			c = &f.v.cache[i];
	ok(c && c->n > n / CK_STEP / 2, "checkpoints kept (%zu)", c ? c->n : 0);
	/* Wrapped, the last row holds the end. */
	f.v.wrap = true;
	view_show(&f.v, &f.b, 8, n);
	draw(&f);
	row_text(&f.g, f.v.cy, row, sizeof row);
	ok(strstr(row, "END!") != NULL, "wrapped: the cursor's row holds the end: %s", row);
	fix_fini(&f);
}

/* A ZWJ sequence is one 2-column cell holding every code point; the rest
 * of the row lines up; soft-wrapped rows: Up/Down by screen row. */
static void test_joined(void)
{
	Fix f;
	const char s[] = "a\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9z\n";
	fix_init(&f, s, sizeof s - 1, 20, 3);
	draw(&f);
	row_is(&f, 0, "a\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9z", "the family drawn whole");
	ok(grid_at(&f.g, 1, 0)->cp == 0x1f468 && grid_at(&f.g, 1, 0)->comb[1] == 0x1f469, "one cell holds the sequence");
	ok(grid_at(&f.g, 2, 0)->kind == RC_CONT && grid_at(&f.g, 3, 0)->cp == 'z', "it takes 2 columns; z lines up");
	is_size(view_col_of(&f.v, f.b.text, 8, 12), 3, "the column after it is 3");
	is_size(render_text_width(s, sizeof s - 2), 4, "render_text_width agrees");
	fix_fini(&f);
}

static void test_wrap_rows(void)
{
	Fix f;
	const char s[] = "abcdefghijKLMNOPQRSTuv\nxy\n";
	fix_init(&f, s, sizeof s - 1, 10, 6);
	f.v.wrap = true;
	draw(&f);
	size_t goal = BUF_NOPOS;
	is_size(view_move_rows(&f.v, &f.b, 8, 3, 1, &goal), 13, "down one screen row, same column");
	is_size(goal, 3, "the goal is the column in the row");
	is_size(view_move_rows(&f.v, &f.b, 8, 13, 1, &goal), 22, "onto the short last row: its end");
	is_size(view_move_rows(&f.v, &f.b, 8, 22, 1, &goal), 25, "then the next line, clamped to its end");
	is_size(view_move_rows(&f.v, &f.b, 8, 25, -2, &goal), 13, "up two rows keeps the goal");
	f.v.wrap = false;
	ok(view_move_rows(&f.v, &f.b, 8, 3, 1, &goal) == BUF_NOPOS, "no wrap: lines are rows");
	fix_fini(&f);
}

int main(void)
{
	test_joined();
	test_wrap_rows();
	test_escapes();
	test_rows();
	test_hscroll();
	test_wrap();
	test_long_line();
	return done_testing();
}
