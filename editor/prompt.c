/* The bottom-row prompt: a line of text with a cursor, history per kind of
 * prompt and Tab completion. Callers see it through UiPrompt callbacks:
 * change() after every edit, key() before the prompt's own keys, done()
 * once with the text (NULL: cancelled). */
#include "editor/prompt.h"
#include "buffer/utf8.h"
#include "editor/command.h"
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
	char *completions;    /* shown in the status bar while completing */
	History hist[UI_HIST_N];
};

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
	free(p->completions);
	for (int i = 0; i < UI_HIST_N; i++) {
		for (size_t k = 0; k < p->hist[i].n; k++)
			free(p->hist[i].v[k]);
		free(p->hist[i].v);
	}
	free(p);
}

bool prompt_is_active(const Prompt *p) { return p && p->active; }

const char *prompt_completions(const Prompt *p) { return p->completions; }

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

static void prompt_changed(Prompt *p)
{
	free(p->completions);
	p->completions = NULL;
	if (p->spec.change)
		p->spec.change(p->ed, p->text, p->spec.arg);
}

static void prompt_close(Prompt *p, bool accept)
{
	UiPrompt spec = p->spec;
	char *text = accept ? strdup(p->text ? p->text : "") : NULL;
	p->active = false;
	free(p->hist_saved);
	p->hist_saved = NULL;
	free(p->completions);
	p->completions = NULL;
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
	if ((c->v[c->n] = strdup(name)))
		c->n++;
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
static void prompt_complete(Prompt *p)
{
	size_t start = p->cur;
	while (start > 0 && p->text[start - 1] != ' ')
		start--;
	bool first_word = start == 0;
	Cands c = {0};
	char *word = strndup(p->text + start, p->cur - start);
	if (!word)
		return;
	if (p->spec.complete_commands && first_word)
		cmd_complete(p->ed, word, cand_add, &c);
	else if (p->spec.complete_files || (p->spec.complete_commands && !first_word))
		file_cands(word, &c);
	free(word);
	free(p->completions);
	p->completions = NULL;
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
		p->completions = malloc(len + 1);
		if (p->completions) {
			p->completions[0] = 0;
			for (size_t i = 0; i < c.n; i++) {
				strcat(p->completions, c.v[i]);
				strcat(p->completions, " ");
			}
		}
	}
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i]);
	free(c.v);
	char *keep = p->completions;
	p->completions = NULL;
	if (p->spec.change)
		p->spec.change(p->ed, p->text, p->spec.arg);
	p->completions = keep;
}

/* ===== keys ============================================================== */

void prompt_paste(Prompt *p, const char *s, size_t len)
{
	prompt_insert(p, s, len);
	prompt_changed(p);
}

void prompt_key(Prompt *p, Key k)
{
	if (p->spec.key && p->spec.key(p->ed, k, p->text, p->spec.arg))
		return;
	size_t before_len = p->len;
	char *before = NULL;
	switch (k) {
	case BK_ENTER:
		prompt_close(p, true);
		return;
	case BK_ESC:
	case BK_CTRL | 'c':
	case BK_CTRL | 'g':
	case BK_CTRL | 'q':
		prompt_close(p, false);
		return;
	case BK_TAB:
		prompt_complete(p);
		return;
	case BK_UP:
		hist_move(p, -1);
		return;
	case BK_DOWN:
		hist_move(p, 1);
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
		before = strdup(p->text);
		if (!before)
			return;
		if (k == BK_BS || k == (BK_CTRL | 'h')) {
			if (p->cur > 0)
				prompt_delete(p, prev_char(p->text, p->cur), p->cur);
			else if (p->len == 0 && !p->had_text) {
				/* Backspace on a prompt that was never written in: leave. Once
				 * it had text, it stays open (Esc leaves), so holding Backspace
				 * to clear it never goes on deleting in the buffer. */
				free(before);
				prompt_close(p, false);
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
			prompt_changed(p);
		free(before);
	}
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
	grid_text(g, lw, y, room + 1, 0, p->text + start, p->len - start);
	return lw + (int)render_text_width(p->text + start, p->cur - start);
}
