/* UI: the terminal front end. Owns the screen grid, the view of the main
 * window, the prompt (prompt.c), questions and the mouse; wires the
 * terminal's input fd, SIGWINCH/SIGTSTP/SIGCONT and an idle timer into the
 * editor's loop and draws once per loop turn when something changed.
 *
 * Keys go to the open question, else the prompt, else the editor
 * (ed_key); runs of plain text typed in one read go to ed_keys() as one
 * insert. A bracketed paste is one ed_type() between two undo breaks: one
 * undo step however large. Nothing here writes to the terminal but
 * term.c. */
#include "editor/ui.h"
#include "buffer/array.h"
#include "buffer/search.h"
#include "buffer/utf8.h"
#include "editor/command.h"
#include "editor/bgindex.h"
#include "editor/commands.h"
#include "editor/decor.h"
#include "editor/input.h"
#include "editor/journal.h"
#include "editor/keymap.h"
#include "editor/macro.h"
#include "editor/mapped.h"
#include "editor/pane.h"
#include "editor/picker.h"
#include "editor/render.h"
#include "editor/render_hex.h"
#include "editor/render_pane.h"
#include "editor/split.h"
#include "editor/status.h"
#include "editor/term.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEXT_BATCH 4096
#define DISK_CHECK_MS 1000
#define DOUBLE_CLICK_MS 400
#define WHEEL_ROWS 3

typedef struct Choice {
	char *question;
	char keys[16];
	void (*done)(Editor *ed, int choice, void *arg);
	void *arg;
} Choice;

/* A question from ed_ask(), answered through a Choice. */
typedef struct AskReq {
	void (*done)(Editor *ed, bool yes, void *arg);
	void *arg;
} AskReq;

/* What a buffer looked like on disk when we last asked about it. */
typedef struct DiskSeen {
	int id;
	FileInfo fi;
} DiskSeen;

typedef struct Ui {
	Editor *ed;
	Input *in;
	Grid grid;
	View view;
	Buffer *view_buf;
	size_t my_top;        /* win.top as the view last set it */
	bool dirty;
	char *msg;
	bool msg_error;
	Prompt *prompt;
	Choice *choices;      /* a queue: the first one is on screen */
	size_t nchoices, capchoices;
	/* Search highlight: an override (the find prompt) or the last search. */
	char *hl_override;
	int hl_override_flags;
	bool hl_on;
	char *seen_search;
	int seen_flags;
	Search *hl;
	char *hl_pat;
	int hl_flags;
	Key tk[TEXT_BATCH];   /* text keys waiting for ed_keys() */
	size_t ntk;
	bool dragging;
	uint64_t last_click_ms;
	size_t last_click_pos;
	DiskSeen *seen;
	size_t nseen, capseen;
	uint64_t disk_timer;
	int err_fd;           /* read end of the pipe that is stderr now, -1 */
	int saved_stderr;     /* the terminal's stderr, put back at exit */
	char errline[512];    /* a stderr line not ended yet */
	size_t nerr;
	char typed[4096];     /* keys read while a plugin was busy (op_busy) */
	size_t ntyped;
} Ui;

static Ui *ui_of(Editor *ed) { return ed && ed->ui.ctx ? ed->ui.ctx : NULL; }

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p) {
		term_fini();
		fputs("brisk: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

/* ===== layout ============================================================ */

/* Lays out s (a message, a question) on rows of w columns, breaking at
 * spaces where it can, at most maxrows rows (the last one ends with "..."
 * when it does not fit); draws it from row y when g is set. Returns the
 * rows used; *endx is the column after the text on the last row. */
static int wrap_text(Grid *g, int y, int w, int maxrows, uint16_t style, const char *s, int *endx)
{
	size_t len = strlen(s), at = 0;
	int rows = 0;
	*endx = 0;
	while (rows < maxrows && (at < len || rows == 0)) {
		size_t end = at, brk = 0, cols = 0;
		uint32_t prev = 0;
		while (end < len) {
			/* The row's width so far plus this character's, as
			 * render_text_width counts it (0 when it joins the one
			 * before), without measuring the row again per character. */
			uint32_t cp;
			size_t n = utf8_decode(s + end, len - end, &cp);
			size_t cw = utf8_joins(prev, cp) ? 0 : render_text_width(s + end, n);
			if ((int)(cols + cw) > w)
				break;
			if (s[end] == ' ')
				brk = end;
			cols += cw;
			prev = cp;
			end += n;
		}
		bool last = rows + 1 == maxrows, more = end < len;
		if (more && !last && brk > at)
			end = brk;
		if (more && last) /* no room left: say so */
			while (end > at && (int)render_text_width(s + at, end - at) > w - 3)
				end--;
		if (g) {
			int x = grid_text(g, 0, y + rows, w, style, s + at, end - at);
			if (more && last)
				x += grid_text(g, x, y + rows, w - x, style, "...", 3);
			*endx = x;
		}
		rows++;
		at = end;
		while (at < len && s[at] == ' ')
			at++;
	}
	return rows;
}

/* The text on the bottom rows when it is not the prompt: the question
 * asked, else the message. */
static const char *bottom_text(Ui *u, uint16_t *style)
{
	*style = u->nchoices ? RS_BOLD : u->msg_error ? RS_ERROR : 0;
	if (u->nchoices)
		return u->choices[0].question;
	return prompt_is_active(u->prompt) ? NULL : u->msg;
}

/* Rows at the bottom: one, or as many as a long message or question needs,
 * up to a third of the screen. */
static int bottom_rows(Ui *u, int W, int H)
{
	uint16_t style;
	int endx;
	const char *s = bottom_text(u, &style);
	int most = H / 3 > 1 ? H / 3 : 1;
	return s ? wrap_text(NULL, 0, W, most, style, s, &endx) : 1;
}

/* Text rows, the status row (-1: none) and the first bottom row (-1: none). */
static void rows_of(Ui *u, int W, int H, int *text_h, int *status_y, int *bottom_y)
{
	bool bottom_busy = prompt_is_active(u->prompt) || u->nchoices || u->msg;
	if (H >= 3) {
		int n = bottom_rows(u, W, H);
		*text_h = H - 1 - n;
		*status_y = H - 1 - n;
		*bottom_y = H - n;
	} else if (H == 2) {
		*text_h = 1;
		*status_y = bottom_busy ? -1 : 1;
		*bottom_y = bottom_busy ? 1 : -1;
	} else {
		*text_h = bottom_busy ? 0 : 1;
		*status_y = -1;
		*bottom_y = bottom_busy ? 0 : -1;
	}
}

static void set_layout(Ui *u)
{
	int W, H, th, sy, by;
	term_size(&W, &H);
	rows_of(u, W, H, &th, &sy, &by);
	Window *w = &u->ed->win;
	w->x = 0;
	w->y = 0;
	w->w = W;
	w->h = th;
	w->buf = u->ed->cur;
	/* Plugin sidebars take columns from the text window (pane.c). */
	panes_layout(u->ed, 0, 0, W, th, &w->x, &w->w);
	split_layout(u->ed); /* split windows share the rest (split.c) */
}

/* The view follows the focused buffer; someone else moving win.top (a
 * command, a buffer switch) resets the wrap row. */
static void sync_view(Ui *u)
{
	Editor *ed = u->ed;
	if (ed->cur != u->view_buf) {
		u->view_buf = ed->cur;
		u->view.top_row = 0;
		view_invalidate(&u->view);
	}
	if (ed->win.top != u->my_top)
		u->view.top_row = 0;
}

static void show_pos(Ui *u, Buffer *b, size_t pos)
{
	view_show(&u->view, b, u->ed->tabw, pos);
}

static void scroll_rows(Ui *u, Buffer *b, long n)
{
	view_scroll(&u->view, b, u->ed->tabw, n);
}

static void follow(Ui *u)
{
	Editor *ed = u->ed;
	Buffer *b = ed->cur;
	if (!b)
		return;
	set_layout(u);
	sync_view(u);
	if (ed->win.h > 0)
		show_pos(u, b, b->sels.v[b->sels.primary].head);
	u->my_top = ed->win.top;
	u->dirty = true;
}

void ui_follow(Editor *ed)
{
	Ui *u = ui_of(ed);
	if (u)
		follow(u);
}

/* ===== messages ========================================================== */

static void set_msg(Ui *u, const char *text, bool error)
{
	free(u->msg);
	u->msg = text ? xstrdup(text) : NULL;
	u->msg_error = error;
	u->dirty = true;
}

static void flush_text(Ui *u);

/* ===== a busy plugin =======================================================
 * lua/host.c calls this while a plugin's call has run for a second: the
 * message line says who is busy, drawn over the last frame (no render, no
 * Lua), and the keys typed meanwhile are read and kept for later; a Ctrl-C
 * among them interrupts the call. */

static void feed_typed(void *arg)
{
	Ui *u = arg;
	size_t n = u->ntyped;
	u->ntyped = 0;
	if (n)
		input_feed(u->in, u->typed, n);
	flush_text(u);
	u->dirty = true;
}

static bool op_busy(Editor *ed, const char *who)
{
	Ui *u = ui_of(ed);
	if (who && !*who) { /* no longer busy: the keys kept go in now */
		loop_defer(ed->loop, feed_typed, u);
		return false;
	}
	if (who) {
		char line[160];
		snprintf(line, sizeof line, "%s is busy: Ctrl-C interrupts it", who);
		int y = u->grid.h - 1;
		grid_clear(&u->grid, y, y + 1, 0);
		grid_text(&u->grid, 0, y, u->grid.w, RS_ERROR, line, strlen(line));
		term_draw(&u->grid, -1, -1);
	}
	struct pollfd pfd = {term_input_fd(), POLLIN, 0};
	bool stop = false;
	while (u->ntyped < sizeof u->typed && poll(&pfd, 1, 0) > 0) {
		ssize_t n = read(pfd.fd, u->typed + u->ntyped, sizeof u->typed - u->ntyped);
		if (n <= 0)
			break;
		/* Ctrl-C (a raw 0x03) is spent on the interruption. */
		char *c = memchr(u->typed + u->ntyped, 3, (size_t)n);
		if (c) {
			stop = true;
			memmove(c, c + 1, (size_t)(u->typed + u->ntyped + n - c - 1));
			n--;
		}
		u->ntyped += (size_t)n;
	}
	return stop;
}

static void op_message(Editor *ed, const char *text, bool error)
{
	Ui *u = ui_of(ed);
	if (u)
		set_msg(u, text, error);
}

/* The prompt and the editor share UiOps.prompt. */
typedef struct OpPrompt {
	void (*done)(Editor *ed, const char *answer, void *arg);
	void *arg;
} OpPrompt;

static void op_prompt_done(Editor *ed, const char *text, void *arg)
{
	OpPrompt op = *(OpPrompt *)arg;
	free(arg);
	op.done(ed, text, op.arg);
}

static void op_prompt(Editor *ed, const char *label, const char *text, bool append,
                      void (*done)(Editor *ed, const char *answer, void *arg), void *arg)
{
	OpPrompt *op = malloc(sizeof *op);
	if (!op) {
		done(ed, NULL, arg);
		return;
	}
	*op = (OpPrompt){done, arg};
	UiPrompt p = {.label = label, .text = text, .history = UI_HIST_OTHER, .append = append, .done = op_prompt_done, .arg = op};
	if (!ui_prompt_open(ed, &p)) {
		free(op);
		done(ed, NULL, arg);
	}
}

/* ===== questions ========================================================= */

bool ui_choose(Editor *ed, const char *question, const char *keys, void (*done)(Editor *ed, int choice, void *arg), void *arg)
{
	Ui *u = ui_of(ed);
	if (!u)
		return msg_error(ed, "%s (no terminal to ask)", question);
	if (!ARRAY_RESERVE(u->choices, u->capchoices, u->nchoices + 1))
		return msg_error(ed, "%s: %s", question, strerror(ENOMEM));
	Choice *c = &u->choices[u->nchoices++];
	c->question = xstrdup(question);
	snprintf(c->keys, sizeof c->keys, "%s", keys);
	c->done = done;
	c->arg = arg;
	u->dirty = true;
	return true;
}

static void choice_key(Ui *u, Key k)
{
	Choice c = u->choices[0];
	int ch = -1;
	if (k == BK_ESC || k == (BK_CTRL | 'c') || k == (BK_CTRL | 'g') || k == (BK_CTRL | 'q'))
		ch = 0;
	else if (keys_is_text(k) && BK_BASE(k) < 128) {
		int lc = (int)BK_BASE(k);
		if (lc >= 'A' && lc <= 'Z')
			lc += 'a' - 'A';
		if (strchr(c.keys, lc))
			ch = lc;
	}
	if (ch < 0) {
		term_bell();
		return;
	}
	memmove(u->choices, u->choices + 1, (u->nchoices - 1) * sizeof *u->choices);
	u->nchoices--;
	u->dirty = true;
	free(c.question);
	if (c.done)
		c.done(u->ed, ch, c.arg);
}

static void ask_done(Editor *ed, int choice, void *arg)
{
	AskReq r = *(AskReq *)arg;
	free(arg);
	r.done(ed, choice == 'y', r.arg);
}

static void op_ask(Editor *ed, const char *question, void (*done)(Editor *ed, bool yes, void *arg), void *arg)
{
	AskReq *r = malloc(sizeof *r);
	char q[1100];
	snprintf(q, sizeof q, "%s (y/n) ", question);
	if (!r || (*r = (AskReq){done, arg}, !ui_choose(ed, q, "yn", ask_done, r))) {
		free(r);
		done(ed, false, arg);
	}
}

/* ===== highlight ========================================================= */

void ui_highlight(Editor *ed, const char *pattern, int flags)
{
	Ui *u = ui_of(ed);
	if (!u)
		return;
	free(u->hl_override);
	u->hl_override = pattern ? xstrdup(pattern) : NULL;
	u->hl_override_flags = flags;
	u->dirty = true;
}

/* Notices a new search (a find from anywhere) and turns highlighting on. */
static void note_search(Ui *u)
{
	Editor *ed = u->ed;
	if (!ed->search)
		return;
	if (u->seen_search && strcmp(u->seen_search, ed->search) == 0 && u->seen_flags == ed->search_flags)
		return;
	free(u->seen_search);
	u->seen_search = xstrdup(ed->search);
	u->seen_flags = ed->search_flags;
	u->hl_on = true;
}

/* The compiled pattern to highlight now, or NULL. */
static Search *current_hl(Ui *u)
{
	const char *pat = u->hl_override;
	int flags = u->hl_override_flags;
	if (!pat && u->hl_on && u->ed->search) {
		pat = u->ed->search;
		flags = u->ed->search_flags;
	}
	if (!pat || !*pat) {
		search_free(u->hl);
		u->hl = NULL;
		free(u->hl_pat);
		u->hl_pat = NULL;
		return NULL;
	}
	if (u->hl && u->hl_pat && strcmp(u->hl_pat, pat) == 0 && u->hl_flags == flags)
		return u->hl;
	search_free(u->hl);
	free(u->hl_pat);
	char err[128];
	u->hl = search_new(pat, strlen(pat), flags, err, sizeof err);
	u->hl_pat = xstrdup(pat);
	u->hl_flags = flags;
	return u->hl;
}

/* ===== toggles and view state ============================================ */

bool ui_toggle_numbers(Editor *ed)
{
	Ui *u = ui_of(ed);
	if (!u)
		return false;
	u->view.numbers = !u->view.numbers;
	view_invalidate(&u->view);
	follow(u);
	return true;
}

bool ui_toggle_wrap(Editor *ed)
{
	Ui *u = ui_of(ed);
	if (!u)
		return false;
	u->view.wrap = !u->view.wrap;
	u->view.top_row = 0;
	ed->win.left = 0;
	view_invalidate(&u->view);
	follow(u);
	return true;
}

bool ui_is_running(Editor *ed) { return ui_of(ed) != NULL; }

bool ui_prompt_open(Editor *ed, const UiPrompt *spec)
{
	Ui *u = ui_of(ed);
	if (!u)
		return msg_error(ed, "%s needs the terminal UI", spec->label ? spec->label : "the prompt");
	prompt_open(u->prompt, spec);
	u->dirty = true;
	return true;
}

void ui_prompt_label(Editor *ed, const char *label)
{
	Ui *u = ui_of(ed);
	if (u) {
		prompt_set_label(u->prompt, label);
		u->dirty = true;
	}
}


void ui_view_get(Editor *ed, size_t *top, size_t *left, size_t *row)
{
	Ui *u = ui_of(ed);
	*top = ed->win.top;
	*left = ed->win.left;
	*row = u ? u->view.top_row : 0;
}

void ui_view_set(Editor *ed, size_t top, size_t left, size_t row)
{
	Ui *u = ui_of(ed);
	ed->win.top = top;
	ed->win.left = left;
	if (u) {
		u->view.top_row = row;
		u->my_top = top;
		u->dirty = true;
	}
}

/* ===== changed on disk =================================================== */

static DiskSeen *seen_of(Ui *u, int id)
{
	for (size_t i = 0; i < u->nseen; i++)
		if (u->seen[i].id == id)
			return &u->seen[i];
	if (!ARRAY_RESERVE(u->seen, u->capseen, u->nseen + 1))
		return NULL;
	u->seen[u->nseen] = (DiskSeen){.id = id};
	return &u->seen[u->nseen++];
}

static bool same_file(const FileInfo *a, const FileInfo *b)
{
	return a->exists == b->exists && a->ino == b->ino && a->dev == b->dev && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static void reload_answer(Editor *ed, int choice, void *arg)
{
	Ui *u = ui_of(ed);
	Buffer *b = ed_find_buffer(ed, (int)(long)arg);
	if (!b || !u)
		return;
	if (choice == 'y') {
		buf_reload(ed, b);
		follow(u);
	} else {
		/* Kept ours: it differs from the disk now, so quitting asks. */
		text_mark_unsaved(b->text);
		msg_info(ed, "kept the buffer; saving will ask before overwriting %s", b->name);
	}
}

static void check_disk(Ui *u)
{
	Editor *ed = u->ed;
	Buffer *b = ed->cur;
	if (!b || !b->path || b->scratch || prompt_is_active(u->prompt) || u->nchoices || !b->disk.exists)
		return;
	/* A read-only plugin view (the log viewer) follows its file itself:
	 * asking to reload at every appended line would be in its way. */
	if (b->readonly && b->mode[0])
		return;
	if (mapped_check(ed, b)) /* a big file cut or written under us: said first */
		u->dirty = true;
	if (!file_changed_on_disk(b->path, &b->disk))
		return;
	FileInfo now = {0};
	if (!file_stat(b->path, &now))
		now.exists = false;
	DiskSeen *s = seen_of(u, b->id);
	if (!s || same_file(&s->fi, &now))
		return;
	s->fi = now;
	if (!now.exists) {
		text_mark_unsaved(b->text);
		msg_error(ed, "%s was deleted on disk; save to write it again", b->name);
		return;
	}
	char q[600], why[96] = "";
	size_t lf, lt;
	if (text_lost(b->text, &lf, &lt)) /* a mapped file cut short: mapped.c */
		snprintf(why, sizeof why, " (bytes %zu-%zu of it could not be read)", lf, lt);
	if (buf_is_modified(b))
		snprintf(q, sizeof q, "%s changed on disk%s and has unsaved changes here; reload and lose them? (y/n) ",
		         b->name, why);
	else
		snprintf(q, sizeof q, "%s changed on disk%s; reload it? (y/n) ", b->name, why);
	ui_choose(ed, q, "yn", reload_answer, (void *)(long)b->id);
}

static void on_disk_timer(void *arg)
{
	Ui *u = arg;
	Buffer *b = u->ed->cur;
	check_disk(u);
	/* A chmod since: [read-only] follows it. */
	if (b && b->path && b->ro_file != buf_file_is_read_only(b, b->path)) {
		b->ro_file = !b->ro_file;
		u->dirty = true;
	}
}

/* ===== dispatch ========================================================== */

typedef struct Snap {
	Buffer *buf;
	size_t head, nsel;
	uint64_t version;
	int row;            /* the cursor's screen row in the last frame, -1 */
} Snap;

static Snap snap(Editor *ed)
{
	Ui *u = ui_of(ed);
	Snap s = {ed->cur, 0, 0, 0, -1};
	if (ed->cur) {
		s.head = ed->cur->sels.v[ed->cur->sels.primary].head;
		s.nsel = ed->cur->sels.n;
		s.version = ed->cur->text->version;
		if (u && u->view_buf == ed->cur && u->view.cy >= ed->win.y)
			s.row = u->view.cy - ed->win.y;
	}
	return s;
}

/* A move of exactly one page (page-up/down: the window's height less one
 * line) scrolls by the same page: the cursor keeps its screen row. */
static bool paged(Ui *u, Snap s, Snap now)
{
	Editor *ed = u->ed;
	size_t page = ed->win.h > 2 ? (size_t)ed->win.h - 1 : 1;
	if (now.buf != s.buf || now.version != s.version || s.row < 0 || ed->win.h < 3)
		return false;
	size_t a = text_line_of(now.buf->text, s.head), b = text_line_of(now.buf->text, now.head);
	return (a > b ? a - b : b - a) == page;
}

static void after_dispatch(Ui *u, Snap s)
{
	Editor *ed = u->ed;
	note_search(u);
	Snap now = snap(ed);
	if (paged(u, s, now)) {
		set_layout(u);
		sync_view(u);
		view_place(&u->view, now.buf, ed->tabw, now.head, s.row);
		u->my_top = ed->win.top;
	} else if (now.buf != s.buf || now.head != s.head || now.version != s.version || now.nsel != s.nsel) {
		follow(u);
	}
	u->dirty = true;
}

static void flush_text(Ui *u)
{
	if (!u->ntk)
		return;
	Snap s = snap(u->ed);
	size_t n = u->ntk;
	u->ntk = 0;
	ed_keys(u->ed, u->tk, n);
	after_dispatch(u, s);
}

static void editor_key(Ui *u, Key k)
{
	Editor *ed = u->ed;
	if (keys_is_text(k) && ed->npending == 0) {
		if (u->ntk == TEXT_BATCH)
			flush_text(u);
		u->tk[u->ntk++] = k;
		if (u->msg)
			set_msg(u, NULL, false);
		return;
	}
	flush_text(u);
	if (u->msg)
		set_msg(u, NULL, false);
	if (k == BK_ESC)
		u->hl_on = false;
	Snap s = snap(ed);
	ed_key(ed, k);
	after_dispatch(u, s);
}

static void on_key(Ui *u, Key k)
{
	if (u->nchoices) {
		flush_text(u);
		macro_note_key(u->ed, k, false);
		choice_key(u, k);
	} else if (prompt_is_active(u->prompt)) {
		flush_text(u);
		macro_note_key(u->ed, k, false); /* ed_key notes the editor's keys */
		Snap s = snap(u->ed);
		prompt_key(u->prompt, k);
		after_dispatch(u, s);
	} else {
		editor_key(u, k);
	}
}

/* Macro replay (macro.c): keys reach the prompt and questions as typed. */
static void feed_keys(Editor *ed, const Key *keys, size_t n)
{
	Ui *u = ui_of(ed);
	if (!u) {
		ed_keys(ed, keys, n);
		return;
	}
	for (size_t i = 0; i < n && !ed->quit; i++)
		on_key(u, keys[i]);
	flush_text(u);
}

static void on_paste(Ui *u, const char *s, size_t len)
{
	Editor *ed = u->ed;
	flush_text(u);
	if (u->nchoices)
		return;
	if (prompt_is_active(u->prompt)) {
		prompt_paste(u->prompt, s, len);
		return;
	}
	/* A plugin's menu/prompt takes it; a focused pane drops it. */
	if (picker_type(ed, s, len) || pane_focused(ed))
		return;
	Buffer *b = ed->cur;
	if (!b || len == 0)
		return;
	if (b->readonly) {
		msg_error(ed, "%s is read-only", b->name);
		return;
	}
	Snap sn = snap(ed);
	/* One undo step of its own, however large. */
	text_break(b->text);
	ed_type(ed, s, len);
	text_break(b->text);
	ed->last_key_ms = 0;
	ed_note_change(ed, b);
	after_dispatch(u, sn);
}

/* ----- mouse ------------------------------------------------------------- */

static void toggle_cursor(Buffer *b, size_t pos)
{
	SelSet *ss = &b->sels;
	for (size_t i = 0; i < ss->n; i++)
		if (sel_is_empty(ss->v[i]) && ss->v[i].head == pos && ss->n > 1) {
			memmove(ss->v + i, ss->v + i + 1, (ss->n - i - 1) * sizeof *ss->v);
			ss->n--;
			if (ss->primary >= ss->n || ss->primary > i)
				ss->primary = ss->primary > 0 ? ss->primary - 1 : 0;
			sel_normalize(ss);
			return;
		}
	sel_add(ss, (Sel){pos, pos});
}

static void select_word(Ui *u, Buffer *b, size_t pos)
{
	size_t s, e;
	if (cmd_word_at(b, pos, &s, &e)) {
		sel_reset(&b->sels, e);
		b->sels.v[0].anchor = s;
	}
	(void)u;
}

/* The text offset under a press or a drag in the focused window (dragging
 * past its edges scrolls); false outside the text. */
static bool mouse_pos(Ui *u, Buffer *b, const InEvent *ev, size_t *pos)
{
	Window *w = &u->ed->win;
	int y = ev->y;
	if (ev->action == MOUSE_DRAG && u->dragging) {
		if (y < w->y) {
			scroll_rows(u, b, -1);
			y = w->y;
		} else if (y >= w->y + w->h) {
			scroll_rows(u, b, 1);
			y = w->y + w->h - 1;
		}
		u->my_top = w->top;
	}
	if (!view_pos_at(&u->view, ev->x, y, pos))
		return false;
	/* A click on the second half of a cluster (a skin-tone modifier, a
	 * flag's second indicator) goes to its start. */
	if (*pos < text_len(b->text))
		*pos = utf8_prev_grapheme(b->text, utf8_next_grapheme(b->text, *pos));
	return true;
}

/* A press at pos: Ctrl/Alt toggles a cursor, Shift extends, a double
 * click selects the word, a plain click places the cursor and may drag. */
static void mouse_press(Ui *u, Buffer *b, const InEvent *ev, size_t pos)
{
	if (ev->mods & (BK_CTRL | BK_ALT)) {
		toggle_cursor(b, pos);
	} else if (ev->mods & BK_SHIFT) {
		b->sels.v[b->sels.primary].head = pos;
		sel_normalize(&b->sels);
	} else {
		uint64_t now = loop_now_ms();
		if (now - u->last_click_ms < DOUBLE_CLICK_MS && pos == u->last_click_pos) {
			select_word(u, b, pos);
		} else {
			sel_reset(&b->sels, pos);
			u->dragging = true;
		}
		u->last_click_ms = now;
		u->last_click_pos = pos;
	}
}

/* Sidebars, then focus by a click or the wheel over another window, then
 * the wheel; true when one of them took the event. */
static bool mouse_elsewhere(Ui *u, const InEvent *ev)
{
	Editor *ed = u->ed;
	bool wheel = ev->action == MOUSE_WHEEL_UP || ev->action == MOUSE_WHEEL_DOWN;
	if (panes_mouse(ed, ev->action, ev->button, ev->x, ev->y)) { /* sidebars (pane.c) */
		u->dirty = true;
		return true;
	}
	/* A click or the wheel over another window focuses it (split.c). */
	if ((ev->action == MOUSE_PRESS || wheel) && !prompt_is_active(u->prompt) && split_focus_at(ed, ev->x, ev->y)) {
		set_layout(u);
		sync_view(u);
		u->dirty = true;
	}
	if (!wheel)
		return false;
	scroll_rows(u, ed->cur, ev->action == MOUSE_WHEEL_UP ? -WHEEL_ROWS : WHEEL_ROWS);
	u->my_top = ed->win.top;
	u->dirty = true;
	return true;
}

static void on_mouse(Ui *u, const InEvent *ev)
{
	Editor *ed = u->ed;
	flush_text(u);
	if (!ed->cur || u->nchoices)
		return;
	set_layout(u);
	sync_view(u);
	if (mouse_elsewhere(u, ev))
		return;
	if (ev->action == MOUSE_RELEASE) {
		u->dragging = false;
		return;
	}
	Buffer *b = ed->cur;
	size_t pos;
	if (ev->button != 0 || prompt_is_active(u->prompt) || !mouse_pos(u, b, ev, &pos))
		return;
	text_break(b->text);
	b->goal_col = BUF_NOPOS;
	if (ev->action == MOUSE_DRAG && u->dragging) {
		b->sels.v[b->sels.primary].head = pos;
		sel_normalize(&b->sels);
	} else if (ev->action != MOUSE_DRAG) {
		mouse_press(u, b, ev, pos);
	}
	u->dirty = true;
}

static void on_event(void *arg, const InEvent *ev)
{
	Ui *u = arg;
	switch (ev->kind) {
	case IN_KEY:
		on_key(u, ev->key);
		break;
	case IN_PASTE:
		on_paste(u, ev->text, ev->len);
		break;
	case IN_MOUSE:
		on_mouse(u, ev);
		break;
	case IN_FOCUS:
		if (ev->focus_in)
			check_disk(u);
		break;
	}
	u->dirty = true;
}

static void on_hangup(void *arg);

static void on_input(void *arg, int fd, int revents)
{
	Ui *u = arg;
	char buf[65536];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* The terminal is gone: keep what is unsaved, and leave. */
		if (!u->ed->quit)
			on_hangup(u);
		return;
	}
	input_feed(u->in, buf, (size_t)n);
	flush_text(u);
}

/* ===== drawing =========================================================== */

static void draw_status(Ui *u, int y, int W)
{
	Editor *ed = u->ed;
	Buffer *b = ed->cur;
	Grid *g = &u->grid;
	grid_clear(g, y, y + 1, RS_STATUS);
	if (!b)
		return;
	int x = grid_text(g, 0, y, W, RS_STATUS, " ", 1);
	if (prompt_draw_completions(u->prompt, g, x, y, W - x, RS_STATUS))
		return;
	if ((prompt_is_active(u->prompt) || u->nchoices) && u->msg) {
		grid_text(g, x, y, W - x, RS_STATUS | (u->msg_error ? RS_BOLD : 0), u->msg, strlen(u->msg));
		return;
	}
	size_t head = b->sels.v[b->sels.primary].head;
	status_draw(ed, b, render_hex_is_on(b) ? 0 : view_col_of(&u->view, b->text, ed->tabw, head), g, y, W);
}

/* The bottom rows from y to the screen's end: the prompt, or a question
 * or message wrapped over them. Returns the cursor column on the last row
 * (after a question), or -1. */
static int draw_bottom(Ui *u, int y, int W, int H)
{
	Grid *g = &u->grid;
	uint16_t style;
	int endx;
	grid_clear(g, y, H, 0);
	if (prompt_is_active(u->prompt) && !u->nchoices)
		return prompt_draw(u->prompt, g, y, W);
	const char *s = bottom_text(u, &style);
	if (s)
		wrap_text(g, y, W, H - y, style, s, &endx);
	return u->nchoices ? endx : -1;
}

static void draw(Ui *u)
{
	Editor *ed = u->ed;
	flush_text(u);
	u->dirty = false;
	int W, H, th, sy, by;
	term_size(&W, &H);
	if (!grid_resize(&u->grid, W, H))
		return;
	rows_of(u, W, H, &th, &sy, &by);
	set_layout(u);
	sync_view(u);
	int cx = -1, cy = -1;
	if (th > 0 && ed->cur) {
		u->view.hl = current_hl(u);
		if (view_ops_of(ed->cur)->decorated)
			decor_prepare(ed, ed->cur, ed->win.top, (size_t)ed->win.h);
		view_render(&u->view, ed->cur, ed->tabw, &u->grid);
		u->my_top = ed->win.top;
		cx = u->view.cx;
		cy = u->view.cy;
		split_draw(ed, &u->grid, u->view.hl); /* the other windows (split.c) */
	}
	/* Sidebars and a plugin's menu/prompt (render_pane.c). */
	if (th > 0)
		render_plugin_ui(ed, &u->grid, &cx, &cy);
	if (sy >= 0)
		draw_status(u, sy, W);
	if (by >= 0) {
		int bx = draw_bottom(u, by, W, H);
		if (bx >= 0 && (prompt_is_active(u->prompt) || u->nchoices)) {
			cx = bx < W ? bx : W - 1;
			cy = H - 1;
		}
	}
	term_draw(&u->grid, cx, cy);
}

/* ===== UiOps and the run loop ============================================ */

static void op_suspend(Editor *ed)
{
	Ui *u = ui_of(ed);
	term_suspend();
	if (u) {
		u->dirty = true;
		check_disk(u);
	}
}

static void op_redraw(Editor *ed)
{
	Ui *u = ui_of(ed);
	if (u) {
		term_invalidate();
		u->dirty = true;
	}
}

static void op_clipboard(Editor *ed, const char *s, size_t len) { term_clipboard(s, len); }

static void on_winch(void *arg)
{
	Ui *u = arg;
	if (term_update_size()) {
		view_invalidate(&u->view);
		follow(u);
		ed_emit(u->ed, "resize", NULL);
	}
	u->dirty = true;
}

static void on_tstp(void *arg) { op_suspend(((Ui *)arg)->ed); }

static void on_cont(void *arg)
{
	Ui *u = arg;
	term_resume();
	u->dirty = true;
}

/* SIGHUP (the terminal went away) or SIGTERM: every modified buffer's
 * journal is written and kept (journal.c), then brisk quits cleanly: the
 * next start on the file offers to recover. The real files are untouched. */
static void on_hangup(void *arg)
{
	Ui *u = arg;
	Editor *ed = u->ed;
	if (ed->quit)
		return;
	journal_flush(ed);
	ed->quit = true;
}

/* A line of a Lua traceback in *messages*: "stack traceback:" or a frame. */
static bool traceback_line(const Text *t, size_t start, size_t end)
{
	static const char head[] = "stack traceback:";
	if (start < end && text_byte(t, start) == '\t')
		return true;
	if (end - start != sizeof head - 1)
		return false;
	for (size_t i = 0; i < sizeof head - 1; i++)
		if (text_byte(t, start + i) != head[i])
			return false;
	return true;
}

/* Messages from before the UI started (a file that could not be opened). */
static void startup_message(Ui *u)
{
	Editor *ed = u->ed;
	Buffer *m = ed->messages;
	if (m && text_len(m->text) > 1) {
		Text *t = m->text;
		size_t end = text_len(t) - 1, start = text_line_start_at(t, end);
		/* The last message, not the tail of a Lua traceback that follows
		 * it ("stack traceback:", then lines that start with a tab). */
		while (start > 0 && traceback_line(t, start, end)) {
			end = start - 1;
			start = text_line_start_at(t, end);
		}
		char *s = text_dup(t, start, end - start);
		if (s)
			set_msg(u, s, ed->exit_status != 0);
		free(s);
	} else if (ed->cur && ed->cur->is_new && ed->cur->path) {
		char line[600];
		snprintf(line, sizeof line, "%s: new file", ed->cur->name);
		set_msg(u, line, false);
	}
}

/* ===== stderr =============================================================
 * While the screen is ours, a stray write to the terminal's stderr (a
 * library warning, a child process) would garble it: stderr becomes a
 * pipe whose lines go to *messages* and the message line. Only when
 * stderr is that terminal; `2>file` keeps working for debugging. */

static void err_line(Ui *u)
{
	if (u->nerr == 0)
		return;
	u->errline[u->nerr] = 0;
	msg_info(u->ed, "stderr: %s", u->errline);
	u->nerr = 0;
}

static void on_stderr(void *arg, int fd, int revents)
{
	Ui *u = arg;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf);
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || u->nerr + 1 >= sizeof u->errline)
			err_line(u);
		if (buf[i] != '\n')
			u->errline[u->nerr++] = buf[i];
	}
}

static void stderr_capture(Ui *u)
{
	int p[2];
	u->err_fd = u->saved_stderr = -1;
	if (!isatty(2) || pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
		return;
	/* Non-blocking: a flood fails its writes instead of blocking us. */
	u->saved_stderr = fcntl(2, F_DUPFD_CLOEXEC, 3);
	if (u->saved_stderr < 0 || dup2(p[1], 2) < 0) {
		close(p[0]);
		close(p[1]);
		return;
	}
	close(p[1]);
	u->err_fd = p[0];
	loop_fd_watch(u->ed->loop, u->err_fd, POLLIN, on_stderr, u);
}

static void stderr_restore(Ui *u)
{
	if (u->err_fd < 0)
		return;
	loop_fd_unwatch(u->ed->loop, u->err_fd);
	dup2(u->saved_stderr, 2);
	close(u->saved_stderr);
	/* What is left goes to the real stderr now. */
	on_stderr(u, u->err_fd, POLLIN);
	err_line(u);
	close(u->err_fd);
	u->err_fd = -1;
}

static void ui_free(Ui *u)
{
	input_free(u->in);
	grid_fini(&u->grid);
	view_fini(&u->view);
	free(u->msg);
	prompt_free(u->prompt);
	for (size_t i = 0; i < u->nchoices; i++)
		free(u->choices[i].question);
	free(u->choices);
	free(u->hl_override);
	free(u->seen_search);
	search_free(u->hl);
	free(u->hl_pat);
	free(u->seen);
	free(u);
}

int ui_run(Editor *ed)
{
	Ui *u = calloc(1, sizeof *u);
	if (!u) {
		fputs("brisk: out of memory\n", stderr);
		return 1;
	}
	u->ed = ed;
	u->in = input_new(ed->loop, on_event, u);
	u->prompt = prompt_new(ed);
	if (!u->in || !u->prompt || !term_init()) {
		int e = errno;
		ui_free(u);
		if (e == EINVAL)
			msg_error(ed, "terminal type '%s' is unknown or cannot move the cursor (set TERM, e.g. xterm-256color)",
			          getenv("TERM") ? getenv("TERM") : "");
		else
			msg_error(ed, "no terminal to run in: %s (use --headless for scripts)", strerror(e));
		return 1;
	}
	view_init(&u->view, &ed->win);
	ed->ui = (UiOps){.ctx = u, .ask = op_ask, .prompt = op_prompt, .message = op_message,
	                 .suspend = op_suspend, .redraw = op_redraw, .clipboard_set = op_clipboard,
	                 .busy = op_busy};
	macro_set_feed(ed, feed_keys);
	split_set_view(ed, &u->view);
	loop_fd_watch(ed->loop, term_input_fd(), POLLIN, on_input, u);
	loop_signal(ed->loop, SIGWINCH, on_winch, u);
	loop_signal(ed->loop, SIGTSTP, on_tstp, u);
	loop_signal(ed->loop, SIGCONT, on_cont, u);
	loop_signal(ed->loop, SIGHUP, on_hangup, u);
	loop_signal(ed->loop, SIGTERM, on_hangup, u);
	u->disk_timer = loop_timer_add(ed->loop, DISK_CHECK_MS, true, on_disk_timer, u);
	journal_start(ed);
	if (ed->cur && ed->cur->path && ed->cur->disk.exists) {
		DiskSeen *s = seen_of(u, ed->cur->id);
		if (s)
			s->fi = ed->cur->disk;
	}
	stderr_capture(u);
	startup_message(u);
	follow(u);
	u->dirty = true;
	while (!ed->quit) {
		bgindex_kick(ed); /* lines of big files are counted between keys */
		if (panes_take_dirty(ed) || bgindex_take_progress(ed)) /* a pane changed from a timer, more lines counted */
			u->dirty = true;
		if (u->dirty)
			draw(u);
		loop_run_once(ed->loop, -1);
		ed_reap(ed); /* buffers and panes closed inside callbacks */
	}
	loop_fd_unwatch(ed->loop, term_input_fd());
	loop_timer_cancel(ed->loop, u->disk_timer);
	term_fini();
	ed->ui.message = NULL; /* from here on, messages go to stderr again */
	stderr_restore(u);
	/* Questions never answered: their callbacks hear "no". */
	while (u->nchoices) {
		Choice c = u->choices[--u->nchoices];
		free(c.question);
		if (c.done)
			c.done(ed, 0, c.arg);
	}
	macro_set_feed(ed, NULL);
	split_set_view(ed, NULL);
	ed->ui = (UiOps){0};
	ui_free(u);
	return 0;
}
