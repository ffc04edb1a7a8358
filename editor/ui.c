/* UI: the terminal front end. Owns the screen grid, the view of the main
 * window, the prompt, questions, the help screen and the mouse; wires the
 * terminal's input fd, SIGWINCH/SIGTSTP/SIGCONT and an idle timer into the
 * editor's loop and draws once per loop turn when something changed.
 *
 * Keys go to the open question, else the prompt, else the help screen,
 * else the editor (ed_key); runs of plain text typed in one read go to
 * ed_keys() as one insert. A bracketed paste is one ed_type() between two
 * undo breaks: one undo step however large. Nothing here writes to the
 * terminal but term.c. */
#include "editor/ui.h"
#include "buffer/search.h"
#include "buffer/utf8.h"
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/decor.h"
#include "editor/input.h"
#include "editor/journal.h"
#include "editor/keymap.h"
#include "editor/macro.h"
#include "editor/pane.h"
#include "editor/picker.h"
#include "editor/render.h"
#include "editor/render_hex.h"
#include "editor/render_pane.h"
#include "editor/split.h"
#include "editor/term.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HIST_MAX 200
#define TEXT_BATCH 4096
#define DISK_CHECK_MS 1000
#define DOUBLE_CLICK_MS 400
#define WHEEL_ROWS 3

typedef struct Prompt {
	bool active;
	char label[96];
	char *text;
	size_t len, cap, cur; /* bytes; cur is the cursor */
	UiPrompt spec;
	size_t hist_pos;
	char *hist_saved;
	bool had_text;        /* not empty at some point: Backspace on empty no longer leaves */
} Prompt;

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

typedef struct History {
	char **v;
	size_t n;
} History;

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
	char *completions;    /* shown in the status bar while completing */
	Prompt prompt;
	Choice *choices;      /* a queue: the first one is on screen */
	size_t nchoices;
	bool help;
	char **help_lines;
	size_t nhelp, help_top;
	/* Search highlight: an override (the find prompt) or the last search. */
	char *hl_override;
	int hl_override_flags;
	bool hl_on;
	char *seen_search;
	int seen_flags;
	Search *hl;
	char *hl_pat;
	int hl_flags;
	History hist[UI_HIST_N];
	Key tk[TEXT_BATCH];   /* text keys waiting for ed_keys() */
	size_t ntk;
	bool dragging;
	uint64_t last_click_ms;
	size_t last_click_pos;
	DiskSeen *seen;
	size_t nseen;
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

/* Text rows, the status row (-1: none) and the bottom row (-1: none). */
static void rows_of(Ui *u, int H, int *text_h, int *status_y, int *bottom_y)
{
	bool bottom_busy = u->prompt.active || u->nchoices || u->msg;
	if (H >= 3) {
		*text_h = H - 2;
		*status_y = H - 2;
		*bottom_y = H - 1;
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
	rows_of(u, H, &th, &sy, &by);
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

/* The hex view (a buffer in mode "hex") has its own layout. */
static void show_pos(Ui *u, Buffer *b, size_t pos)
{
	if (render_hex_is_on(b))
		render_hex_show(&u->view, b, pos);
	else
		view_show(&u->view, b, u->ed->tabw, pos);
}

static void scroll_rows(Ui *u, Buffer *b, long n)
{
	if (render_hex_is_on(b))
		render_hex_scroll(&u->view, b, n);
	else
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

/* ===== history =========================================================== */

static void hist_add(Ui *u, int slot, const char *s)
{
	if (slot < 0 || slot >= UI_HIST_N || !*s)
		return;
	History *h = &u->hist[slot];
	if (h->n && strcmp(h->v[h->n - 1], s) == 0)
		return;
	if (h->n == HIST_MAX) {
		free(h->v[0]);
		memmove(h->v, h->v + 1, (h->n - 1) * sizeof *h->v);
		h->n--;
	}
	char **nv = realloc(h->v, (h->n + 1) * sizeof *nv);
	if (!nv)
		return;
	h->v = nv;
	h->v[h->n++] = xstrdup(s);
}

/* ===== prompt ============================================================ */

static void prompt_set(Prompt *p, const char *s, size_t len)
{
	if (len + 1 > p->cap) {
		size_t nc = p->cap ? p->cap : 64;
		while (nc < len + 1)
			nc *= 2;
		char *nt = realloc(p->text, nc);
		if (!nt)
			return;
		p->text = nt;
		p->cap = nc;
	}
	memmove(p->text, s, len);
	p->len = p->cur = len;
	p->text[len] = 0;
	p->had_text |= len > 0;
}

static void prompt_insert(Prompt *p, const char *s, size_t len)
{
	if (p->len + len + 1 > p->cap) {
		size_t nc = p->cap ? p->cap : 64;
		while (nc < p->len + len + 1)
			nc *= 2;
		char *nt = realloc(p->text, nc);
		if (!nt)
			return;
		p->text = nt;
		p->cap = nc;
	}
	memmove(p->text + p->cur + len, p->text + p->cur, p->len - p->cur);
	/* One line: control characters (a pasted newline, NUL) become spaces. */
	for (size_t i = 0; i < len; i++)
		p->text[p->cur + i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	p->len += len;
	p->cur += len;
	p->text[p->len] = 0;
	p->had_text |= p->len > 0;
}

static void prompt_delete(Prompt *p, size_t from, size_t to)
{
	memmove(p->text + from, p->text + to, p->len - to);
	p->len -= to - from;
	p->cur = from;
	p->text[p->len] = 0;
}

static size_t prev_char(const char *s, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t next_char(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return len;
	i++;
	while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static bool is_word(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (unsigned char)c >= 0x80;
}

static void prompt_changed(Ui *u)
{
	Prompt *p = &u->prompt;
	free(u->completions);
	u->completions = NULL;
	if (p->spec.change)
		p->spec.change(u->ed, p->text, p->spec.arg);
	u->dirty = true;
}

static void prompt_close(Ui *u, bool accept)
{
	Prompt *p = &u->prompt;
	UiPrompt spec = p->spec;
	char *text = accept ? xstrdup(p->text) : NULL;
	p->active = false;
	free(p->hist_saved);
	p->hist_saved = NULL;
	free(u->completions);
	u->completions = NULL;
	if (text)
		hist_add(u, spec.history, text);
	u->dirty = true;
	if (spec.done)
		spec.done(u->ed, text, spec.arg);
	free(text);
}

bool ui_prompt_open(Editor *ed, const UiPrompt *spec)
{
	Ui *u = ui_of(ed);
	if (!u)
		return msg_error(ed, "%s needs the terminal UI", spec->label ? spec->label : "the prompt");
	if (u->prompt.active)
		prompt_close(u, false);
	Prompt *p = &u->prompt;
	p->spec = *spec;
	snprintf(p->label, sizeof p->label, "%s", spec->label ? spec->label : "");
	p->spec.label = p->label;
	p->spec.text = NULL;
	p->had_text = false;
	prompt_set(p, spec->text ? spec->text : "", spec->text ? strlen(spec->text) : 0);
	p->hist_pos = spec->history >= 0 && spec->history < UI_HIST_N ? u->hist[spec->history].n : 0;
	p->active = true;
	u->dirty = true;
	if (spec->text && *spec->text && p->spec.change)
		p->spec.change(ed, p->text, p->spec.arg);
	return true;
}

void ui_prompt_label(Editor *ed, const char *label)
{
	Ui *u = ui_of(ed);
	if (u && u->prompt.active) {
		snprintf(u->prompt.label, sizeof u->prompt.label, "%s", label);
		u->dirty = true;
	}
}

static void hist_move(Ui *u, int dir)
{
	Prompt *p = &u->prompt;
	int slot = p->spec.history;
	if (slot < 0 || slot >= UI_HIST_N)
		return;
	History *h = &u->hist[slot];
	if (dir < 0 && p->hist_pos > 0) {
		if (p->hist_pos == h->n) {
			free(p->hist_saved);
			p->hist_saved = xstrdup(p->text);
		}
		p->hist_pos--;
		prompt_set(p, h->v[p->hist_pos], strlen(h->v[p->hist_pos]));
	} else if (dir > 0 && p->hist_pos < h->n) {
		p->hist_pos++;
		const char *s = p->hist_pos == h->n ? (p->hist_saved ? p->hist_saved : "") : h->v[p->hist_pos];
		prompt_set(p, s, strlen(s));
	} else {
		return;
	}
	prompt_changed(u);
}

/* ----- completion -------------------------------------------------------- */

typedef struct Cands {
	char **v;
	size_t n, cap;
} Cands;

static void cand_add(void *arg, const char *name)
{
	Cands *c = arg;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i], name) == 0)
			return;
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 16;
		char **nv = realloc(c->v, nc * sizeof *nv);
		if (!nv)
			return;
		c->v = nv;
		c->cap = nc;
	}
	c->v[c->n++] = xstrdup(name);
}

static void file_cands(const char *word, Cands *c)
{
	const char *slash = strrchr(word, '/');
	char dir[4096];
	const char *base = slash ? slash + 1 : word;
	if (slash)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - word + 1), word);
	else
		dir[0] = 0;
	DIR *d = opendir(dir[0] ? dir : ".");
	if (!d)
		return;
	struct dirent *e;
	size_t bl = strlen(base);
	while ((e = readdir(d)) && c->n < 1000) {
		if (strncmp(e->d_name, base, bl) != 0 || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_name[0] == '.' && base[0] != '.')
			continue;
		char full[8192];
		snprintf(full, sizeof full, "%s%s", dir, e->d_name);
		bool isdir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
			DIR *t = opendir(full);
			isdir = t != NULL;
			if (t)
				closedir(t);
		}
		if (isdir)
			strncat(full, "/", sizeof full - strlen(full) - 1);
		cand_add(c, full);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Tab: completes the word before the cursor (a command name as the first
 * word of the command prompt, else a file name where asked). */
static void prompt_complete(Ui *u)
{
	Prompt *p = &u->prompt;
	size_t start = p->cur;
	while (start > 0 && p->text[start - 1] != ' ')
		start--;
	bool first_word = start == 0;
	Cands c = {0};
	char *word = strndup(p->text + start, p->cur - start);
	if (!word)
		return;
	if (p->spec.complete_commands && first_word)
		cmd_complete(u->ed, word, cand_add, &c);
	else if (p->spec.complete_files || (p->spec.complete_commands && !first_word))
		file_cands(word, &c);
	free(word);
	free(u->completions);
	u->completions = NULL;
	if (c.n == 0) {
		term_bell();
		return;
	}
	qsort(c.v, c.n, sizeof *c.v, cmp_str);
	/* The common prefix of the candidates. */
	size_t common = strlen(c.v[0]);
	for (size_t i = 1; i < c.n; i++) {
		size_t k = 0;
		while (k < common && c.v[i][k] == c.v[0][k])
			k++;
		common = k;
	}
	char *add = strndup(c.v[0], common);
	if (add) {
		prompt_delete(p, start, p->cur);
		prompt_insert(p, add, common);
		if (c.n == 1 && p->spec.complete_commands && first_word)
			prompt_insert(p, " ", 1);
		free(add);
	}
	if (c.n > 1) {
		size_t len = 0;
		for (size_t i = 0; i < c.n; i++)
			len += strlen(c.v[i]) + 1;
		u->completions = malloc(len + 1);
		if (u->completions) {
			u->completions[0] = 0;
			for (size_t i = 0; i < c.n; i++) {
				strcat(u->completions, c.v[i]);
				strcat(u->completions, " ");
			}
		}
	}
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i]);
	free(c.v);
	char *keep = u->completions;
	u->completions = NULL;
	if (p->spec.change)
		p->spec.change(u->ed, p->text, p->spec.arg);
	u->completions = keep;
	u->dirty = true;
}

/* ----- prompt keys ------------------------------------------------------- */

static void prompt_key(Ui *u, Key k)
{
	Prompt *p = &u->prompt;
	if (p->spec.key && p->spec.key(u->ed, k, p->text, p->spec.arg)) {
		u->dirty = true;
		return;
	}
	size_t before_len = p->len;
	char *before = NULL;
	switch (k) {
	case BK_ENTER:
		prompt_close(u, true);
		return;
	case BK_ESC:
	case BK_CTRL | 'c':
	case BK_CTRL | 'g':
	case BK_CTRL | 'q':
		prompt_close(u, false);
		return;
	case BK_TAB:
		prompt_complete(u);
		return;
	case BK_UP:
		hist_move(u, -1);
		return;
	case BK_DOWN:
		hist_move(u, 1);
		return;
	case BK_LEFT:
		p->cur = prev_char(p->text, p->cur);
		break;
	case BK_RIGHT:
		p->cur = next_char(p->text, p->len, p->cur);
		break;
	case BK_HOME:
	case BK_CTRL | 'a':
		p->cur = 0;
		break;
	case BK_END:
	case BK_CTRL | 'e':
		p->cur = p->len;
		break;
	case BK_CTRL | BK_LEFT:
	case BK_ALT | 'b':
		while (p->cur > 0 && !is_word(p->text[p->cur - 1]))
			p->cur--;
		while (p->cur > 0 && is_word(p->text[p->cur - 1]))
			p->cur--;
		break;
	case BK_CTRL | BK_RIGHT:
	case BK_ALT | 'f':
		while (p->cur < p->len && !is_word(p->text[p->cur]))
			p->cur++;
		while (p->cur < p->len && is_word(p->text[p->cur]))
			p->cur++;
		break;
	default:
		before = xstrdup(p->text);
		if (k == BK_BS || k == (BK_CTRL | 'h')) {
			if (p->cur > 0)
				prompt_delete(p, prev_char(p->text, p->cur), p->cur);
			else if (p->len == 0 && !p->had_text) {
				/* Backspace on a prompt that was never written in: leave. Once
				 * it had text, it stays open (Esc leaves), so holding Backspace
				 * to clear it never goes on deleting in the buffer. */
				free(before);
				prompt_close(u, false);
				return;
			}
		} else if (k == BK_DEL) {
			if (p->cur < p->len)
				prompt_delete(p, p->cur, next_char(p->text, p->len, p->cur));
		} else if (k == (BK_CTRL | 'u')) {
			prompt_delete(p, 0, p->cur);
		} else if (k == (BK_CTRL | 'k')) {
			prompt_delete(p, p->cur, p->len);
		} else if (k == (BK_CTRL | 'w') || k == (BK_ALT | BK_BS)) {
			size_t s = p->cur;
			while (s > 0 && p->text[s - 1] == ' ')
				s--;
			while (s > 0 && p->text[s - 1] != ' ')
				s--;
			prompt_delete(p, s, p->cur);
		} else if (keys_is_text(k)) {
			char buf[4];
			size_t n = utf8_encode(BK_BASE(k), buf);
			prompt_insert(p, buf, n);
		}
		if (p->len != before_len || strcmp(before, p->text) != 0)
			prompt_changed(u);
		free(before);
	}
	u->dirty = true;
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

static void op_prompt(Editor *ed, const char *label, const char *text, void (*done)(Editor *ed, const char *answer, void *arg), void *arg)
{
	OpPrompt *op = malloc(sizeof *op);
	if (!op) {
		done(ed, NULL, arg);
		return;
	}
	*op = (OpPrompt){done, arg};
	UiPrompt p = {.label = label, .text = text, .history = UI_HIST_OTHER, .done = op_prompt_done, .arg = op};
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
	Choice *nc = realloc(u->choices, (u->nchoices + 1) * sizeof *nc);
	if (!nc)
		return msg_error(ed, "%s: %s", question, strerror(ENOMEM));
	u->choices = nc;
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

/* ===== help ============================================================== */

static void help_add(Ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void help_add(Ui *u, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	char **nv = realloc(u->help_lines, (u->nhelp + 1) * sizeof *nv);
	if (!nv)
		return;
	u->help_lines = nv;
	u->help_lines[u->nhelp++] = xstrdup(line);
}

static void help_free(Ui *u)
{
	for (size_t i = 0; i < u->nhelp; i++)
		free(u->help_lines[i]);
	free(u->help_lines);
	u->help_lines = NULL;
	u->nhelp = 0;
}

static void help_build(Ui *u)
{
	help_free(u);
	help_add(u, "brisk help");
	help_add(u, "%s", "");
	help_add(u, "tmux users: Esc and Alt+key arrive late with tmux's default escape-time");
	help_add(u, "(500 ms). Add this line to ~/.tmux.conf:  set -sg escape-time 10");
	help_add(u, "%s", "");
	help_add(u, "Every action is a named command: Ctrl-E opens the command prompt");
	help_add(u, "(Tab completes names, Up/Down recall history). Mouse: click, drag to select,");
	help_add(u, "Ctrl+click adds or removes a cursor, wheel scrolls. Shift+drag: terminal selection.");
	help_add(u, "%s", "");
	help_add(u, "Key bindings");
	size_t n = 0;
	const Binding *b = keymap_all(u->ed->keymap, &n);
	for (size_t i = 0; i < n; i++) {
		char keys[96] = "", name[32];
		for (int k = 0; k < b[i].len; k++)
			strncat(keys, keys_name(b[i].seq[k], name, sizeof name), sizeof keys - strlen(keys) - 1);
		const char *what = b[i].command ? b[i].command : "(Lua function)";
		if (b[i].mode[0])
			help_add(u, "  %-18s %s   [%s]", keys, what, b[i].mode);
		else
			help_add(u, "  %-18s %s", keys, what);
	}
	help_add(u, "%s", "");
	help_add(u, "Commands");
	for (size_t i = 0; i < ncommands; i++) {
		char syn[128];
		snprintf(syn, sizeof syn, "%s %s", commands[i].name, commands[i].args);
		help_add(u, "  %-34s %s", syn, commands[i].help);
	}
}

void ui_help(Editor *ed)
{
	Ui *u = ui_of(ed);
	if (!u)
		return;
	u->help = !u->help;
	if (u->help) {
		help_build(u);
		u->help_top = 0;
	}
	u->dirty = true;
}

static void help_key(Ui *u, Key k)
{
	int W, H;
	term_size(&W, &H);
	size_t page = H > 2 ? (size_t)H - 2 : 1;
	size_t max = u->nhelp > page ? u->nhelp - page : 0;
	switch (k) {
	case BK_UP:
	case 'k':
		if (u->help_top)
			u->help_top--;
		break;
	case BK_DOWN:
	case 'j':
	case BK_ENTER:
		u->help_top++;
		break;
	case BK_PGUP:
		u->help_top = u->help_top > page ? u->help_top - page : 0;
		break;
	case BK_PGDN:
	case ' ':
		u->help_top += page;
		break;
	case BK_HOME:
	case BK_CTRL | BK_HOME:
		u->help_top = 0;
		break;
	case BK_END:
	case BK_CTRL | BK_END:
		u->help_top = max;
		break;
	default:
		u->help = false;
		break;
	}
	if (u->help_top > max)
		u->help_top = max;
	u->dirty = true;
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
	DiskSeen *ns = realloc(u->seen, (u->nseen + 1) * sizeof *ns);
	if (!ns)
		return NULL;
	u->seen = ns;
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
	if (!b || !b->path || b->scratch || u->prompt.active || u->nchoices || !b->disk.exists)
		return;
	/* A read-only plugin view (the log viewer) follows its file itself:
	 * asking to reload at every appended line would be in its way. */
	if (b->readonly && b->mode[0])
		return;
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
	char q[600];
	if (buf_is_modified(b))
		snprintf(q, sizeof q, "%s changed on disk and has unsaved changes here; reload and lose them? (y/n) ", b->name);
	else
		snprintf(q, sizeof q, "%s changed on disk; reload it? (y/n) ", b->name);
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
	} else if (u->prompt.active) {
		flush_text(u);
		macro_note_key(u->ed, k, false); /* ed_key notes the editor's keys */
		Snap s = snap(u->ed);
		prompt_key(u, k);
		after_dispatch(u, s);
	} else if (u->help) {
		help_key(u, k);
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

static void emit_change(Editor *ed, Buffer *b)
{
	if (b->seen_version != b->text->version) {
		b->seen_version = b->text->version;
		ed_emit(ed, "change", b);
	}
}

static void on_paste(Ui *u, const char *s, size_t len)
{
	Editor *ed = u->ed;
	flush_text(u);
	if (u->nchoices || u->help)
		return;
	if (u->prompt.active) {
		prompt_insert(&u->prompt, s, len);
		prompt_changed(u);
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
	emit_change(ed, b);
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

static void on_mouse(Ui *u, const InEvent *ev)
{
	Editor *ed = u->ed;
	Buffer *b = ed->cur;
	flush_text(u);
	if (u->help) {
		if (ev->action == MOUSE_WHEEL_UP)
			help_key(u, BK_UP);
		else if (ev->action == MOUSE_WHEEL_DOWN)
			help_key(u, BK_DOWN);
		return;
	}
	if (!b || u->nchoices)
		return;
	set_layout(u);
	sync_view(u);
	Window *w = &ed->win;
	if (panes_mouse(ed, ev->action, ev->button, ev->x, ev->y)) { /* sidebars (pane.c) */
		u->dirty = true;
		return;
	}
	/* A click or the wheel over another window focuses it (split.c). */
	if ((ev->action == MOUSE_PRESS || ev->action == MOUSE_WHEEL_UP || ev->action == MOUSE_WHEEL_DOWN) &&
	    !u->prompt.active && split_focus_at(ed, ev->x, ev->y)) {
		set_layout(u);
		sync_view(u);
		b = ed->cur;
		u->dirty = true;
	}
	if (ev->action == MOUSE_WHEEL_UP || ev->action == MOUSE_WHEEL_DOWN) {
		scroll_rows(u, b, ev->action == MOUSE_WHEEL_UP ? -WHEEL_ROWS : WHEEL_ROWS);
		u->my_top = w->top;
		u->dirty = true;
		return;
	}
	if (ev->button != 0 && ev->action != MOUSE_RELEASE)
		return;
	if (ev->action == MOUSE_RELEASE) {
		u->dragging = false;
		return;
	}
	if (u->prompt.active)
		return;
	int y = ev->y;
	if (ev->action == MOUSE_DRAG && u->dragging) {
		/* Dragging past the edges scrolls. */
		if (y < w->y) {
			scroll_rows(u, b, -1);
			y = w->y;
		} else if (y >= w->y + w->h) {
			scroll_rows(u, b, 1);
			y = w->y + w->h - 1;
		}
		u->my_top = w->top;
	}
	size_t pos;
	if (!view_pos_at(&u->view, ev->x, y, &pos))
		return;
	text_break(b->text);
	b->goal_col = BUF_NOPOS;
	if (ev->action == MOUSE_DRAG) {
		if (u->dragging) {
			b->sels.v[b->sels.primary].head = pos;
			sel_normalize(&b->sels);
		}
		u->dirty = true;
		return;
	}
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

/* Appends a status item when it still fits beside the name. */
static void status_add(char *right, size_t size, const char *item, int room)
{
	char tmp[256];
	snprintf(tmp, sizeof tmp, "%s%s", item, right);
	if ((int)render_text_width(tmp, strlen(tmp)) <= room || !right[0])
		snprintf(right, size, "%s", tmp);
}

static void draw_status(Ui *u, int y, int W)
{
	Editor *ed = u->ed;
	Buffer *b = ed->cur;
	Grid *g = &u->grid;
	grid_clear(g, y, y + 1, RS_STATUS);
	if (!b)
		return;
	int x = grid_text(g, 0, y, W, RS_STATUS, " ", 1);
	if (u->completions) {
		grid_text(g, x, y, W - x, RS_STATUS, u->completions, strlen(u->completions));
		return;
	}
	if ((u->prompt.active || u->nchoices) && u->msg) {
		grid_text(g, x, y, W - x, RS_STATUS | (u->msg_error ? RS_BOLD : 0), u->msg, strlen(u->msg));
		return;
	}
	SelSet *ss = &b->sels;
	size_t head = ss->v[ss->primary].head;
	char flags[64], item[96], right[256] = "";
	snprintf(flags, sizeof flags, "%s%s%s%s%s", buf_is_modified(b) ? " [+]" : "", b->readonly ? " [RO]" : "",
	         b->ro_file ? " [read-only]" : "", b->is_new ? " [new]" : "", journal_failing(ed) ? " [no journal]" : "");
	/* Right side, most important first: position, cursors, chord, format. */
	int namew = (int)render_text_width(b->name, strlen(b->name)) + (int)strlen(flags) + 2;
	int room = W - (namew < W / 2 ? namew : W / 2);
	if (render_hex_is_on(b))
		snprintf(item, sizeof item, "0x%zx/0x%zx ", head, text_len(b->text));
	else
		snprintf(item, sizeof item, "%zu:%zu ", text_line_of(b->text, head) + 1,
		         view_col_of(&u->view, b->text, ed->tabw, head) + 1);
	status_add(right, sizeof right, item, room);
	if (ss->n > 1) {
		snprintf(item, sizeof item, "%zu cursors (%zu/%zu)  ", ss->n, ss->primary + 1, ss->n);
		status_add(right, sizeof right, item, room);
	}
	if (macro_is_recording(ed))
		status_add(right, sizeof right, "rec  ", room);
	if (ed->npending) {
		char pend[64] = "", name[32];
		for (int i = 0; i < ed->npending; i++)
			strncat(pend, keys_name(ed->pending[i], name, sizeof name), sizeof pend - strlen(pend) - 4);
		snprintf(item, sizeof item, "%s-  ", pend);
		status_add(right, sizeof right, item, room);
	}
	snprintf(item, sizeof item, "%s  %s ", b->crlf ? "CRLF" : "LF", b->binary ? "binary" : "UTF-8");
	size_t len = strlen(right);
	if ((int)render_text_width(right, len) + 2 + (int)strlen(item) <= room)
		snprintf(right + len, sizeof right - len, " %s", item);
	if (b->mode[0]) {
		snprintf(item, sizeof item, "[%s]  ", b->mode);
		status_add(right, sizeof right, item, room);
	}
	render_status_text(ed, item, sizeof item); /* plugins' segments */
	if (item[0])
		status_add(right, sizeof right, item, room);
	int rw = (int)render_text_width(right, strlen(right));
	int avail = W - rw - x;
	if (avail > 0) {
		x += grid_text(g, x, y, avail, RS_STATUS | RS_BOLD, b->name, strlen(b->name));
		grid_text(g, x, y, W - rw - x, RS_STATUS, flags, strlen(flags));
	}
	if (rw <= W) {
		grid_text(g, W - rw, y, rw, RS_STATUS, right, strlen(right));
		render_status_style(ed, g, W - rw, y, rw); /* plugins' segment colours */
	}
}

/* The bottom row; returns the cursor column there, or -1. */
static int draw_bottom(Ui *u, int y, int W)
{
	Grid *g = &u->grid;
	grid_clear(g, y, y + 1, 0);
	if (u->nchoices) {
		const char *q = u->choices[0].question;
		return grid_text(g, 0, y, W, RS_BOLD, q, strlen(q));
	}
	if (u->prompt.active) {
		Prompt *p = &u->prompt;
		int lw = grid_text(g, 0, y, W, RS_BOLD, p->label, strlen(p->label));
		int room = W - lw - 1;
		if (room < 1)
			return W - 1;
		/* Scroll the text so the cursor shows. */
		size_t start = 0;
		while (start < p->cur && render_text_width(p->text + start, p->cur - start) > (size_t)room)
			start = next_char(p->text, p->len, start);
		grid_text(g, lw, y, room + 1, 0, p->text + start, p->len - start);
		return lw + (int)render_text_width(p->text + start, p->cur - start);
	}
	if (u->msg)
		grid_text(g, 0, y, W, u->msg_error ? RS_ERROR : 0, u->msg, strlen(u->msg));
	return -1;
}

static void draw_help(Ui *u, int rows, int W)
{
	Grid *g = &u->grid;
	grid_clear(g, 0, rows, 0);
	for (int r = 0; r < rows && u->help_top + (size_t)r < u->nhelp; r++) {
		const char *s = u->help_lines[u->help_top + (size_t)r];
		bool title = s[0] && s[0] != ' ' && (strcmp(s, "Key bindings") == 0 || strcmp(s, "Commands") == 0 || strcmp(s, "brisk help") == 0);
		grid_text(g, 0, r, W, title ? RS_TITLE : 0, s, strlen(s));
	}
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
	rows_of(u, H, &th, &sy, &by);
	set_layout(u);
	sync_view(u);
	int cx = -1, cy = -1;
	if (u->help) {
		int rows = H > 1 ? H - 1 : 1;
		draw_help(u, rows, W);
		if (H > 1) {
			grid_clear(&u->grid, H - 1, H, RS_STATUS);
			const char *s = " Help: Up/Down/PgUp/PgDn scroll, any other key closes";
			grid_text(&u->grid, 0, H - 1, W, RS_STATUS, s, strlen(s));
		}
		term_draw(&u->grid, -1, -1);
		return;
	}
	if (th > 0 && ed->cur) {
		u->view.hl = current_hl(u);
		if (render_hex_is_on(ed->cur)) {
			render_hex(&u->view, ed->cur, &u->grid);
		} else {
			decor_prepare(ed, ed->cur, ed->win.top, (size_t)ed->win.h);
			view_render(&u->view, ed->cur, ed->tabw, &u->grid);
		}
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
		int bx = draw_bottom(u, by, W);
		if (bx >= 0 && (u->prompt.active || u->nchoices)) {
			cx = bx < W ? bx : W - 1;
			cy = by;
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
	free(u->completions);
	free(u->prompt.text);
	free(u->prompt.hist_saved);
	for (size_t i = 0; i < u->nchoices; i++)
		free(u->choices[i].question);
	free(u->choices);
	help_free(u);
	free(u->hl_override);
	free(u->seen_search);
	search_free(u->hl);
	free(u->hl_pat);
	for (int i = 0; i < UI_HIST_N; i++) {
		for (size_t k = 0; k < u->hist[i].n; k++)
			free(u->hist[i].v[k]);
		free(u->hist[i].v);
	}
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
	if (!u->in || !term_init()) {
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
		if (panes_take_dirty(ed)) /* a plugin changed a pane from a timer */
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
