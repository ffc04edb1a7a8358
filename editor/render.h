/* Render: a window's visible rows -> styled cells. Knows no terminal (term.c
 * draws the cells); touches only the visible rows, so a 100 MB line costs
 * what a short one does: columns inside long lines come from a checkpoint
 * cache (offset, column, wrap row) filled once per text version.
 *
 * A Grid is the whole screen as cells. Text cells hold one character plus
 * its combining marks; bytes that must not reach the terminal as they are
 * (controls, invalid UTF-8, unprintables) become escape cells that term.c
 * shows as ^X, <xx> or <xxxx>, one cell per column of the escape. */
#ifndef EDITOR_RENDER_H
#define EDITOR_RENDER_H
#include "buffer/search.h"
#include "editor/editor.h"
#include <stdint.h>

/* Combining marks and joined emoji kept with a cell's character: a ZWJ
 * family of four is 6 more code points. */
#define RENDER_MAXCOMB 8

enum {
	RC_BLANK,    /* empty (a space) */
	RC_TEXT,     /* cp (+ comb) printable, 1 or 2 columns */
	RC_CONT,     /* the right half of a 2-column character */
	RC_ESC_CP,   /* column `part` of the escape of code point cp */
	RC_ESC_BYTE, /* column `part` of the escape <xx> of the invalid byte cp */
};

/* Style bits; term.c maps combinations to colours. */
enum {
	RS_SEL = 1 << 0,      /* inside a selection */
	RS_CURSOR = 1 << 1,   /* a secondary cursor */
	RS_MATCH = 1 << 2,    /* a search match */
	RS_LINENO = 1 << 3,   /* gutter */
	RS_LINENO_CUR = 1 << 4,
	RS_ESCAPE = 1 << 5,   /* an escaped byte */
	RS_STATUS = 1 << 6,   /* status bar */
	RS_ERROR = 1 << 7,    /* error message */
	RS_DIM = 1 << 8,      /* wrap / scroll markers */
	RS_BOLD = 1 << 9,
	RS_TITLE = 1 << 10,   /* help screen headings */
	RS_PRIMARY = 1 << 11, /* the primary cursor (only when it is hidden) */
	RS_UNDERLINE = 1 << 12, /* plugin styles (panes, decorations) */
	RS_REVERSE = 1 << 13,
	RS_ITALIC = 1 << 14,
};

typedef struct Cell {
	uint32_t cp;
	uint32_t comb[RENDER_MAXCOMB]; /* combining marks, ZWJ and joined emoji after cp, 0-ended */
	uint16_t style;
	uint8_t kind;
	uint8_t part;
	uint16_t fg, bg; /* plugin colours (editor/style.h): 0 default, else 1 + palette index */
} Cell;

typedef struct Grid {
	int w, h;
	Cell *cells; /* w * h, row-major */
} Grid;

bool grid_resize(Grid *g, int w, int h);
void grid_fini(Grid *g);
void grid_clear(Grid *g, int y0, int y1, uint16_t style);
static inline Cell *grid_at(Grid *g, int x, int y) { return &g->cells[(size_t)y * (size_t)g->w + (size_t)x]; }
/* Puts untrusted bytes (UTF-8 or not) at x,y, clipped to maxw columns;
 * returns the columns used. */
int grid_text(Grid *g, int x, int y, int maxw, uint16_t style, const char *s, size_t len);
/* Columns grid_text would use for s. */
size_t render_text_width(const char *s, size_t len);
/* The text of an escape cell's whole escape ("^[", "<ff>", "<0085>"). */
int render_escape_text(const Cell *c, char out[12]);
/* Walks untrusted bytes the way the screen shows them: put() gets runs of
 * printable text as they are and, for each control character, invalid
 * byte or unprintable character, its escape text; characters in keep
 * (such as "\n\t") pass as they are. */
void render_escape_string(const char *s, size_t len, const char *keep,
                          void (*put)(void *arg, const char *p, size_t n), void *arg);

/* A window's view state: scrolling, toggles, caches. Lives in the UI. */
typedef struct ColCache ColCache;
typedef struct View {
	Window *win;
	bool numbers, wrap;
	size_t top_row;   /* wrap: first visible row inside the top line */
	int gutter;       /* columns of the line numbers (0: off) */
	int textw;        /* width of the text area */
	Search *hl;       /* matches to highlight, or NULL */
	int cx, cy;       /* primary cursor on screen after render, -1: hidden */
	size_t *cell_off; /* per text cell: byte offset shown there */
	size_t *row_end;  /* per row: offset just after its last character */
	size_t *row_line; /* per row: its line start, BUF_NOPOS past the end */
	int rows;         /* rows allocated in the maps above */
	bool pending;     /* rows were left empty below a line whose end is not
	                     known yet (the line count in the background will tell) */
	ColCache *cache;
	int cache_next;
} View;

void view_init(View *v, Window *win);
void view_fini(View *v);
/* Forgets cached columns (tab width changed...). */
void view_invalidate(View *v);
/* Display column of pos inside its line. */
size_t view_col_of(View *v, Text *t, int tabw, size_t pos);
/* Scrolls so pos is visible (with a little context horizontally). */
void view_show(View *v, Buffer *b, int tabw, size_t pos);
/* Scrolls so pos shows on screen row `row` of the window (as near as the
 * text allows): a page move keeps the cursor's row. */
void view_place(View *v, Buffer *b, int tabw, size_t pos, int row);
/* With soft wrap: the position `rows` screen rows above (< 0) or below
 * pos, at screen column *goal of that row (*goal BUF_NOPOS: pos's own,
 * which is stored there), never inside a cluster. BUF_NOPOS when the view
 * does not wrap (lines are rows: move by lines). */
size_t view_move_rows(View *v, Buffer *b, int tabw, size_t pos, long rows, size_t *goal);
/* Scrolls by n rows (negative: up) without moving the cursor. */
void view_scroll(View *v, Buffer *b, int tabw, long n);
/* Renders the window into g (at win->x, win->y, win->w x win->h). */
void view_render(View *v, Buffer *b, int tabw, Grid *g);

/* A view mode's layout: the functions above go to the one of the buffer's
 * mode, chosen when the mode changes (buf_set_mode -> view_ops_for), so
 * nothing tests the mode on the way. The text layout is here; the hex
 * view's is render_hex.c's render_hex_ops. */
typedef struct ViewOps {
	void (*render)(View *v, Buffer *b, int tabw, Grid *g);
	void (*show)(View *v, Buffer *b, int tabw, size_t pos);
	void (*place)(View *v, Buffer *b, int tabw, size_t pos, int row);
	void (*scroll)(View *v, Buffer *b, int tabw, long n);
	/* NULL: no screen rows apart from lines (view_move_rows: BUF_NOPOS). */
	size_t (*move_rows)(View *v, Buffer *b, int tabw, size_t pos, long rows, size_t *goal);
	bool decorated; /* shows decorations: decor_prepare() comes first */
} ViewOps;
extern const ViewOps view_text_ops;
/* The layout of a mode ("hex": the hex view; any other: text). */
const ViewOps *view_ops_for(const char *mode);
/* The buffer's layout (a buffer made without a mode: text). */
const ViewOps *view_ops_of(const Buffer *b);
/* Sizes the cell and row maps for a w x h window, cells mapped to no
 * offset (each layout fills them as it draws); false when out of memory. */
bool view_maps_alloc(View *v, int w, int h);
/* Buffer offset under a screen cell of the last render; false outside. */
bool view_pos_at(const View *v, int x, int y, size_t *pos);
#endif
