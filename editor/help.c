/* The help screen: lines built from the keymap and the command table. */
#include "editor/help.h"
#include "editor/command.h"
#include "editor/keymap.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Help {
	Editor *ed;
	bool open;
	char **lines;
	size_t n, top;
};

Help *help_new(Editor *ed)
{
	Help *h = calloc(1, sizeof *h);
	if (h)
		h->ed = ed;
	return h;
}

static void help_clear(Help *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->lines[i]);
	free(h->lines);
	h->lines = NULL;
	h->n = 0;
}

void help_free(Help *h)
{
	if (!h)
		return;
	help_clear(h);
	free(h);
}

bool help_is_open(const Help *h) { return h && h->open; }

static void help_add(Help *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void help_add(Help *h, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	char **nv = realloc(h->lines, (h->n + 1) * sizeof *nv);
	if (!nv)
		return;
	h->lines = nv;
	if ((h->lines[h->n] = strdup(line)))
		h->n++;
}

static void help_build(Help *h)
{
	help_clear(h);
	help_add(h, "brisk help");
	help_add(h, "%s", "");
	help_add(h, "tmux users: Esc and Alt+key arrive late with tmux's default escape-time");
	help_add(h, "(500 ms). Add this line to ~/.tmux.conf:  set -sg escape-time 10");
	help_add(h, "%s", "");
	help_add(h, "Every action is a named command: Ctrl-E opens the command prompt");
	help_add(h, "(Tab completes names, Up/Down recall history). Mouse: click, drag to select,");
	help_add(h, "Ctrl+click adds or removes a cursor, wheel scrolls. Shift+drag: terminal selection.");
	help_add(h, "%s", "");
	help_add(h, "Key bindings");
	size_t n = 0;
	const Binding *b = keymap_all(h->ed->keymap, &n);
	for (size_t i = 0; i < n; i++) {
		char keys[96] = "", name[32];
		for (int k = 0; k < b[i].len; k++)
			strncat(keys, keys_name(b[i].seq[k], name, sizeof name), sizeof keys - strlen(keys) - 1);
		const char *what = b[i].command ? b[i].command : "(Lua function)";
		if (b[i].mode[0])
			help_add(h, "  %-18s %s   [%s]", keys, what, b[i].mode);
		else
			help_add(h, "  %-18s %s", keys, what);
	}
	help_add(h, "%s", "");
	help_add(h, "Commands");
	for (size_t i = 0; i < ncommands; i++) {
		char syn[128];
		snprintf(syn, sizeof syn, "%s %s", commands[i].name, commands[i].args);
		help_add(h, "  %-34s %s", syn, commands[i].help);
	}
}

void help_toggle(Help *h)
{
	h->open = !h->open;
	if (h->open) {
		help_build(h);
		h->top = 0;
	}
}

void help_key(Help *h, Key k, int rows)
{
	size_t page = rows > 0 ? (size_t)rows : 1;
	size_t max = h->n > page ? h->n - page : 0;
	switch (k) {
	case BK_UP:
	case 'k':
		if (h->top)
			h->top--;
		break;
	case BK_DOWN:
	case 'j':
	case BK_ENTER:
		h->top++;
		break;
	case BK_PGUP:
		h->top = h->top > page ? h->top - page : 0;
		break;
	case BK_PGDN:
	case ' ':
		h->top += page;
		break;
	case BK_HOME:
	case BK_CTRL | BK_HOME:
		h->top = 0;
		break;
	case BK_END:
	case BK_CTRL | BK_END:
		h->top = max;
		break;
	default:
		h->open = false;
		break;
	}
	if (h->top > max)
		h->top = max;
}

void help_draw(const Help *h, Grid *g, int rows, int w)
{
	grid_clear(g, 0, rows, 0);
	for (int r = 0; r < rows && h->top + (size_t)r < h->n; r++) {
		const char *s = h->lines[h->top + (size_t)r];
		bool title = s[0] && s[0] != ' ' && (strcmp(s, "Key bindings") == 0 || strcmp(s, "Commands") == 0 || strcmp(s, "brisk help") == 0);
		grid_text(g, 0, r, w, title ? RS_TITLE : 0, s, strlen(s));
	}
}
