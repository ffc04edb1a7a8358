/* The bottom-row prompt: a line of text with a cursor, history per kind of
 * prompt and Tab completion. Callers see it through UiPrompt callbacks:
 * change() after every edit, key() before the prompt's own keys, done()
 * once with the text (NULL: cancelled).
 *
 * As in a GUI text field, a pre-filled value is selected: typing or
 * pasting replaces it, Backspace/Del clear it, the arrows keep it (the
 * cursor goes to its start or end). Tab cycles through the completions of
 * the word before the cursor (Shift-Tab back); the status bar lists them
 * with the current one marked and "(n more)" for those that do not fit. */
#include "editor/prompt.h"
#include "buffer/array.h"
#include "buffer/utf8.h"
#include "editor/command.h"
#include "editor/path.h"
#include "editor/term.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HIST_MAX 200

typedef struct History {
	char **v;
	size_t n;
} History;

struct Prompt {
	Editor *ed;
	bool active;
	char label[96];
	char *text;
	size_t len, cap, cur; /* bytes; cur is the cursor */
	UiPrompt spec;
	size_t hist_pos;
	char *hist_saved;
	bool had_text;        /* not empty at some point: Backspace on empty no longer leaves */
	bool selected;        /* the whole (pre-filled) text is selected */
	/* Tab cycling: the candidates for the word at [cstart, cur). */
	char **cands;
	size_t ncands, candcap, ci; /* ci: the one in the text, ncands: none yet */
	size_t cstart;
	History hist[UI_HIST_N];
};

static void cands_clear(Prompt *p);

Prompt *prompt_new(Editor *ed)
{
	Prompt *p = calloc(1, sizeof *p);
	if (p)
		p->ed = ed;
	return p;
}

void prompt_free(Prompt *p)
{
	if (!p)
		return;
	free(p->text);
	free(p->hist_saved);
	cands_clear(p);
	free(p->cands);
	for (int i = 0; i < UI_HIST_N; i++) {
		for (size_t k = 0; k < p->hist[i].n; k++)
			free(p->hist[i].v[k]);
		free(p->hist[i].v);
	}
	free(p);
}

bool prompt_is_active(const Prompt *p) { return p && p->active; }


/* ===== history =========================================================== */

static void hist_add(Prompt *p, int slot, const char *s)
{
	if (slot < 0 || slot >= UI_HIST_N || !*s)
		return;
	History *h = &p->hist[slot];
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
	if ((h->v[h->n] = strdup(s)))
		h->n++;
}

/* ===== text ============================================================== */

static void prompt_set(Prompt *p, const char *s, size_t len)
{
	if (!ARRAY_RESERVE(p->text, p->cap, len + 1))
		return;
	memmove(p->text, s, len);
	p->len = p->cur = len;
	p->text[len] = 0;
	p->had_text |= len > 0;
}

static void prompt_insert(Prompt *p, const char *s, size_t len)
{
	if (!ARRAY_RESERVE(p->text, p->cap, p->len + len + 1))
		return;
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

static void prompt_changed(Prompt *p)
{
	cands_clear(p);
	if (p->spec.change)
		p->spec.change(p->ed, p->text, p->spec.arg);
}

static void prompt_close(Prompt *p, bool accept)
{
	UiPrompt spec = p->spec;
	char *text = accept ? strdup(p->text ? p->text : "") : NULL;
	p->active = false;
	p->selected = false;
	free(p->hist_saved);
	p->hist_saved = NULL;
	cands_clear(p);
	if (text)
		hist_add(p, spec.history, text);
	if (spec.done)
		spec.done(p->ed, text, spec.arg);
	free(text);
}

void prompt_cancel(Prompt *p)
{
	if (p->active)
		prompt_close(p, false);
}

void prompt_open(Prompt *p, const UiPrompt *spec)
{
	if (p->active)
		prompt_close(p, false);
	p->spec = *spec;
	snprintf(p->label, sizeof p->label, "%s", spec->label ? spec->label : "");
	p->spec.label = p->label;
	p->spec.text = NULL;
	p->had_text = false;
	prompt_set(p, spec->text ? spec->text : "", spec->text ? strlen(spec->text) : 0);
	p->selected = p->len > 0 && !spec->append;
	p->hist_pos = spec->history >= 0 && spec->history < UI_HIST_N ? p->hist[spec->history].n : 0;
	p->active = true;
	if (spec->text && *spec->text && p->spec.change)
		p->spec.change(p->ed, p->text, p->spec.arg);
}

void prompt_set_label(Prompt *p, const char *label)
{
	if (p->active)
		snprintf(p->label, sizeof p->label, "%s", label);
}

static void hist_move(Prompt *p, int dir)
{
	int slot = p->spec.history;
	if (slot < 0 || slot >= UI_HIST_N)
		return;
	History *h = &p->hist[slot];
	if (dir < 0 && p->hist_pos > 0) {
		if (p->hist_pos == h->n) {
			free(p->hist_saved);
			p->hist_saved = strdup(p->text);
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
	prompt_changed(p);
}

/* ===== completion ======================================================== */

static void cands_clear(Prompt *p)
{
	for (size_t i = 0; i < p->ncands; i++)
		free(p->cands[i]);
	p->ncands = 0;
}

static void cand_add(void *arg, const char *name)
{
	Prompt *p = arg;
	for (size_t i = 0; i < p->ncands; i++)
		if (strcmp(p->cands[i], name) == 0)
			return;
	if (!ARRAY_RESERVE(p->cands, p->candcap, p->ncands + 1))
		return;
	if ((p->cands[p->ncands] = strdup(name)))
		p->ncands++;
}

/* File names starting with word; "~/" and "$VAR/" are expanded to list
 * the directory, and the candidates keep what was typed. */
static void file_cands(Prompt *p, const char *word)
{
	const char *slash = strrchr(word, '/');
	const char *base = slash ? slash + 1 : word;
	char *typed = strndup(word, slash ? (size_t)(slash - word + 1) : 0);
	char *dir = typed ? path_expand(typed) : NULL;
	DIR *d = dir ? opendir(*dir ? dir : ".") : NULL;
	size_t bl = strlen(base);
	struct dirent *e;
	while (d && (e = readdir(d)) && p->ncands < 1000) {
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
		snprintf(full, sizeof full, "%s%s%s", typed, e->d_name, isdir ? "/" : "");
		cand_add(p, full);
	}
	if (d)
		closedir(d);
	free(dir);
	free(typed);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the candidates for the word before the cursor (a command name
 * as the first word of the command prompt, else a file name where asked). */
static void find_cands(Prompt *p)
{
	size_t start = p->cur;
	while (start > 0 && p->text[start - 1] != ' ')
		start--;
	bool first_word = start == 0;
	char *word = strndup(p->text + start, p->cur - start);
	cands_clear(p);
	if (!word)
		return;
	if (p->spec.complete_commands && first_word)
		cmd_complete(p->ed, word, cand_add, p);
	else if (p->spec.complete_files || (p->spec.complete_commands && !first_word))
		file_cands(p, word);
	free(word);
	qsort(p->cands, p->ncands, sizeof *p->cands, cmp_str);
	p->cstart = start;
	p->ci = p->ncands; /* none chosen yet */
}

/* Tab / Shift-Tab: the next / previous candidate replaces the word. A
 * single command name is completed with a space after it. */
static void prompt_complete(Prompt *p, int dir)
{
	if (p->ncands == 0)
		find_cands(p);
	if (p->ncands == 0) {
		term_bell();
		return;
	}
	if (p->ci == p->ncands)
		p->ci = dir > 0 ? 0 : p->ncands - 1;
	else
		p->ci = (p->ci + p->ncands + (size_t)(dir > 0 ? 1 : -1)) % p->ncands;
	const char *c = p->cands[p->ci];
	prompt_delete(p, p->cstart, p->cur);
	prompt_insert(p, c, strlen(c));
	bool done = p->ncands == 1;
	if (done && p->spec.complete_commands && p->cstart == 0)
		prompt_insert(p, " ", 1);
	/* The candidates stay listed while Tab cycles; the caller hears the
	 * change without the list being dropped. */
	if (p->spec.change)
		p->spec.change(p->ed, p->text, p->spec.arg);
	if (done)
		cands_clear(p);
}

/* How many candidates from `first` fit in w columns, leaving room for
 * "(n more)" unless they run to the last one (at least one). */
static size_t fit_cands(const Prompt *p, size_t first, int w)
{
	int used = 0, more = 12;
	size_t n = 0;
	for (size_t i = first; i < p->ncands; i++, n++) {
		int cw = (int)render_text_width(p->cands[i], strlen(p->cands[i])) + 1;
		if (n > 0 && used + cw + (i + 1 < p->ncands ? more : 0) > w)
			break;
		used += cw;
	}
	return n;
}

/* Draws the candidates from x on row y, a page at a time (the page with
 * the current one, which is shown plain on the reversed bar), then
 * "(n more)" for those not shown. */
static void draw_cands(const Prompt *p, Grid *g, int x, int y, int w, uint16_t style)
{
	size_t first = 0, shown;
	for (;;) {
		shown = fit_cands(p, first, w);
		if (p->ci >= p->ncands || p->ci < first + shown || first + shown >= p->ncands)
			break;
		first += shown;
	}
	int x0 = x;
	for (size_t i = first; i < first + shown; i++) {
		uint16_t st = i == p->ci ? (style & ~RS_STATUS) | RS_BOLD : style;
		x += grid_text(g, x, y, w - (x - x0), st, p->cands[i], strlen(p->cands[i]));
		x += grid_text(g, x, y, w - (x - x0), style, " ", 1);
	}
	if (shown < p->ncands) {
		char more[40];
		snprintf(more, sizeof more, "(%zu more)", p->ncands - shown);
		grid_text(g, x, y, w - (x - x0), style, more, strlen(more));
	}
}

bool prompt_draw_completions(const Prompt *p, Grid *g, int x, int y, int w, uint16_t style)
{
	if (!p->active || p->ncands < 2)
		return false;
	draw_cands(p, g, x, y, w, style);
	return true;
}

/* ===== keys ============================================================== */

/* Typing over a selected pre-filled value replaces it. */
static void take_selection(Prompt *p)
{
	if (p->selected)
		prompt_set(p, "", 0);
	p->selected = false;
}

void prompt_paste(Prompt *p, const char *s, size_t len)
{
	take_selection(p);
	prompt_insert(p, s, len);
	prompt_changed(p);
}

/* Cursor movement; false when k is none. A selection collapses to the
 * side the key goes to. */
static bool move_key(Prompt *p, Key k)
{
	bool was = p->selected;
	p->selected = false;
	switch (k) {
	case BK_LEFT:
		p->cur = was ? 0 : prev_char(p->text, p->cur);
		return true;
	case BK_RIGHT:
		p->cur = was ? p->len : next_char(p->text, p->len, p->cur);
		return true;
	case BK_HOME:
	case BK_CTRL | 'a':
		p->cur = 0;
		return true;
	case BK_END:
	case BK_CTRL | 'e':
		p->cur = p->len;
		return true;
	case BK_CTRL | BK_LEFT:
	case BK_ALT | 'b':
		while (p->cur > 0 && !is_word(p->text[p->cur - 1]))
			p->cur--;
		while (p->cur > 0 && is_word(p->text[p->cur - 1]))
			p->cur--;
		return true;
	case BK_CTRL | BK_RIGHT:
	case BK_ALT | 'f':
		while (p->cur < p->len && !is_word(p->text[p->cur]))
			p->cur++;
		while (p->cur < p->len && is_word(p->text[p->cur]))
			p->cur++;
		return true;
	default:
		p->selected = was;
		return false;
	}
}

/* Backspace: on a prompt that was never written in it leaves. Once it had
 * text it stays open (Esc leaves), so holding Backspace to clear it never
 * goes on deleting in the buffer. False when it closed the prompt. */
static bool backspace(Prompt *p)
{
	if (p->selected)
		take_selection(p);
	else if (p->cur > 0)
		prompt_delete(p, prev_char(p->text, p->cur), p->cur);
	else if (p->len == 0 && !p->had_text) {
		prompt_close(p, false);
		return false;
	}
	return true;
}

/* Keys that change the text; false when k is none of them, or when it
 * closed the prompt (Backspace). */
static bool edit_key(Prompt *p, Key k)
{
	if (k == BK_BS || k == (BK_CTRL | 'h'))
		return backspace(p);
	if (k == BK_DEL && p->selected)
		take_selection(p);
	else if (k == BK_DEL && p->cur < p->len)
		prompt_delete(p, p->cur, next_char(p->text, p->len, p->cur));
	else if (k == (BK_CTRL | 'u'))
		prompt_delete(p, 0, p->cur);
	else if (k == (BK_CTRL | 'k'))
		prompt_delete(p, p->cur, p->len);
	else if (k == (BK_CTRL | 'w') || k == (BK_ALT | BK_BS)) {
		size_t s = p->cur;
		while (s > 0 && p->text[s - 1] == ' ')
			s--;
		while (s > 0 && p->text[s - 1] != ' ')
			s--;
		prompt_delete(p, s, p->cur);
	} else if (keys_is_text(k)) {
		char buf[4];
		size_t n = utf8_encode(BK_BASE(k), buf);
		take_selection(p);
		prompt_insert(p, buf, n);
	} else if (k != BK_DEL) {
		return false;
	}
	p->selected = false;
	return true;
}

void prompt_key(Prompt *p, Key k)
{
	if (p->spec.key && p->spec.key(p->ed, k, p->text, p->spec.arg))
		return;
	if (k == BK_TAB || k == (BK_SHIFT | BK_TAB)) {
		p->selected = false;
		prompt_complete(p, k == BK_TAB ? 1 : -1);
		return;
	}
	if (k == BK_ENTER) {
		prompt_close(p, true);
		return;
	}
	if (k == BK_ESC || k == (BK_CTRL | 'c') || k == (BK_CTRL | 'g') || k == (BK_CTRL | 'q')) {
		prompt_close(p, false);
		return;
	}
	if (k == BK_UP || k == BK_DOWN) {
		p->selected = false;
		hist_move(p, k == BK_UP ? -1 : 1);
		return;
	}
	if (move_key(p, k)) {
		cands_clear(p);
		return;
	}
	char *before = strdup(p->text);
	if (!before)
		return;
	bool open = edit_key(p, k);
	if (open && strcmp(before, p->text) != 0)
		prompt_changed(p);
	else if (open)
		cands_clear(p);
	free(before);
}

/* ===== drawing =========================================================== */

int prompt_draw(const Prompt *p, Grid *g, int y, int w)
{
	int lw = grid_text(g, 0, y, w, RS_BOLD, p->label, strlen(p->label));
	int room = w - lw - 1;
	if (room < 1)
		return w - 1;
	/* Scroll the text so the cursor shows. */
	size_t start = 0;
	while (start < p->cur && render_text_width(p->text + start, p->cur - start) > (size_t)room)
		start = next_char(p->text, p->len, start);
	grid_text(g, lw, y, room + 1, p->selected ? RS_SEL : 0, p->text + start, p->len - start);
	return lw + (int)render_text_width(p->text + start, p->cur - start);
}
