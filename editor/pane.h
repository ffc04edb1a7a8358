/* Pane: plugin panes and the sidebars that show them, the focus between
 * the panes and the text, status bar segments. A model only: no terminal
 * here (render_pane.c draws the last layout) and no Lua (lua/api_pane.c
 * fills the PaneHooks).
 *
 * A pane is a titled list of lines, each a run of styled segments, with a
 * selected row and a scroll offset. A shown pane sits in the sidebar of
 * its side (left or right); the panes of one side are stacked top to
 * bottom in opening order and share the sidebar's width. The sidebar
 * toggle hides or shows both sidebars without changing which panes are
 * shown. The focus is the text (0) or one visible pane; it moves only
 * when the user (a key, a click, a plugin's pane:focus() called from one)
 * asks: opening or showing a pane never takes it.
 *
 * While a pane has the focus, keys are looked up in the pane's mode, then
 * in mode "pane" (the defaults: arrows/Page/Home/End move the selection,
 * Enter activates, Esc and Tab give the focus back), then in the global
 * bindings that do not edit text (chord prefixes included); what is left
 * (text keys, editing keys like Backspace) is offered to the plugin's key
 * hook and otherwise swallowed: it never reaches the hidden text. */
#ifndef EDITOR_PANE_H
#define EDITOR_PANE_H
#include "editor/editor.h"
#include "editor/keymap.h"
#include "editor/style.h"

#define PANE_MODE "pane"   /* keymap mode of the defaults in every pane */
#define SIDEBAR_MIN_W 8
#define SIDEBAR_DEFAULT_W 30
#define TEXT_MIN_W 10      /* a sidebar never leaves the text less */

typedef struct PaneSeg {
	char *text;        /* untrusted bytes, not NUL-terminated; owned */
	size_t len;
	Style st;
} PaneSeg;

typedef struct PaneLine {
	PaneSeg *segs;     /* owned */
	size_t n;
} PaneLine;

enum { SIDE_LEFT, SIDE_RIGHT };

typedef struct Pane {
	int id;            /* unique, never reused (Lua handles check it) */
	char *title;       /* owned; may be empty */
	char mode[16];     /* keymap mode while focused ("": only the defaults) */
	int side;          /* SIDE_* */
	int width;         /* wanted sidebar width, 0: keep the sidebar's */
	bool shown;        /* in its sidebar (which may be toggled off) */
	PaneLine *lines;   /* owned */
	size_t nlines;
	size_t sel;        /* selected row, < nlines (0 when empty) */
	size_t top;        /* first row on screen */
	/* The last layout: the whole rectangle (title row included), h 0 when
	 * not on screen; rows of lines it shows. */
	int x, y, w, h, rows;
	int told_w;        /* text width the resize hook last reported */
	struct Pane *next;
} Pane;

typedef struct Sidebar {
	bool open;         /* not toggled off */
	int width;         /* columns, separator included */
	/* Last layout: the sidebar's rectangle, w 0 when not on screen. */
	int x, y, w, h;
} Sidebar;

typedef struct StatusSeg {
	char *name, *text; /* owned */
	Style st;
} StatusSeg;

struct SynSpan; /* decor.h */

/* How panes reach the plugin layer (filled by lua/; any may be NULL).
 * A hook may close panes: callers look panes up again by id afterwards. */
typedef struct PaneHooks {
	void *ctx;
	void (*activate)(void *ctx, Pane *p);      /* Enter on the selected row */
	void (*select)(void *ctx, Pane *p);        /* the selected row changed */
	bool (*key)(void *ctx, Pane *p, Key k);    /* an unbound key; true: used */
	void (*closed)(void *ctx, int pane_id);    /* forget its callbacks */
	/* The pane's text width on screen changed (called on the loop turn
	 * after the layout, never while drawing). */
	void (*resize)(void *ctx, Pane *p);
	/* Syntax colours of one line (0-based) of b: false when b has no
	 * syntax function; else *spans (malloc'd, caller frees) and *n. */
	bool (*syntax)(void *ctx, Buffer *b, size_t line, const char *text, size_t len,
	               struct SynSpan **spans, size_t *n);
} PaneHooks;

typedef struct Picker Picker;

typedef struct Panes {
	Pane *list;        /* in opening order */
	int next_id;
	int focus;         /* id of the focused pane, 0: the text */
	Sidebar side[2];
	int resizing;      /* mouse drag on a separator: side + 1, 0: none */
	StatusSeg *segs;   /* status bar segments, in the order first set */
	size_t nsegs, capsegs;
	Picker *picker;    /* the open plugin menu or prompt, or NULL */
	unsigned syntax_gen; /* bumped when a syntax function changes (decor.c) */
	int nsyntax;       /* syntax functions registered (0: skip the hook) */
	bool dirty;        /* changed outside a key (a plugin's timer): redraw */
	bool resize_due;   /* a deferred resize notification is queued */
	PaneHooks hooks;
	Pane *dead;        /* closed inside a callback, freed by panes_reap */
} Panes;

Panes *panes_new(void);
/* Frees everything without calling hooks (the Lua state may be gone). */
void panes_free(Panes *ps);

/* ---- panes (p may be closed by any hook: use pane_find afterwards) ---- */
/* A new pane, not shown; NULL on ENOMEM. */
Pane *pane_new(Editor *ed, const char *title);
Pane *pane_find(Editor *ed, int id);
/* Takes p out of the list; frees it now, or (inside a callback, ed->hold)
 * when ed_reap calls panes_reap. */
void pane_close(Editor *ed, Pane *p);
void panes_reap(Panes *ps);
bool pane_set_title(Pane *p, const char *title);
/* Replaces the lines (takes ownership of lines[0..n), even on failure);
 * keeps the selected row where it can. */
void pane_set_lines(Pane *p, PaneLine *lines, size_t n);
void pane_lines_free(PaneLine *lines, size_t n);
/* Shows the pane in its sidebar (opening the sidebar) or hides it; hiding
 * the focused pane gives the focus back to the text. */
void pane_show(Editor *ed, Pane *p, bool show);
/* True when the pane is on screen: shown and its sidebar open. */
bool pane_is_visible(Editor *ed, const Pane *p);
/* Selects row (clamped) and scrolls it into view; calls the select hook
 * when the row changed and notify is set. */
void pane_select(Editor *ed, Pane *p, size_t row, bool notify);
/* Moves the selection by delta rows (clamped). */
void pane_move(Editor *ed, Pane *p, long delta);
/* Rows of lines the pane shows (its last layout; 10 before any). */
size_t pane_page(const Pane *p);
/* Columns a row's text gets: from the last layout, else from the width
 * the pane or its sidebar asks for (less separator and margin). */
int pane_text_width(Editor *ed, const Pane *p);
/* Scrolls by delta rows without moving the selection. */
void pane_scroll(Pane *p, long delta);
void pane_activate(Editor *ed, Pane *p);

/* ---- focus ---- */
/* Focuses p (showing it and opening its sidebar), or the text when p is
 * NULL. */
void pane_focus(Editor *ed, Pane *p);
/* The focused pane, or NULL when the text has the focus (a pane that was
 * hidden or closed loses it). */
Pane *pane_focused(Editor *ed);
/* Key lookup while p has the focus (see the top of this file). KM_FOUND
 * with *out NULL: the key was used (or swallowed) already. */
KmResult pane_lookup(Editor *ed, Pane *p, const Key *seq, int len, const Binding **out);

/* ---- sidebars ---- */
/* True when the side's sidebar is open and shows at least one pane. */
/* The panes on screen, left sidebar first, top to bottom (at most max). */
size_t panes_visible(Editor *ed, Pane **out, size_t max);
bool sidebar_visible(Editor *ed, int side);
/* Toggles both sidebars: hides them when one is visible, else opens them
 * (false with a message when no pane is shown). */
bool sidebar_toggle(Editor *ed);
/* Focus cycle: text -> each visible pane (top to bottom, left first) ->
 * text. Opens the sidebars when closed; false when there is no pane. */
bool sidebar_focus_next(Editor *ed);
/* Sets a sidebar's width (clamped at layout time to leave the text
 * TEXT_MIN_W columns). */
void sidebar_set_width(Editor *ed, int side, int width);
/* The side a resize applies to: the focused pane's, else the first
 * visible sidebar's (left first); -1 when none is visible. */
int sidebar_current(Editor *ed);

/* Lays out the sidebars inside the area (x, y, w, h) and stores each
 * pane's rectangle; the text window gets what is left (*tx, *tw). */
void panes_layout(Editor *ed, int x, int y, int w, int h, int *tx, int *tw);

/* Mouse (action: MOUSE_* of input.h; button 0 left): a press on a pane
 * row selects it and focuses the pane; a press on the selected row of the
 * focused pane activates it; the wheel scrolls; a drag on a separator
 * resizes. While a menu/prompt is open every event is swallowed. False
 * when the event is for the text window (a press there gives the focus
 * back to the text). */
bool panes_mouse(Editor *ed, int action, int button, int x, int y);

/* True once after the plugin UI changed outside the UI's own events (the
 * UI redraws then). */
bool panes_take_dirty(Editor *ed);

/* ---- status bar segments ---- */
/* Sets (text non-NULL) or removes a named segment. False on ENOMEM. */
bool status_segment_set(Editor *ed, const char *name, const char *text, Style st);
#endif
