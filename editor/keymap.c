/* Keymap: a flat list of bindings, searched linearly (a few hundred at
 * most). Mode bindings shadow global ones. */
#include "editor/keymap.h"
#include "buffer/array.h"
#include <stdlib.h>
#include <string.h>

struct Keymap {
	Binding *b;
	size_t n, cap;
};

Keymap *keymap_new(void)
{
	return calloc(1, sizeof(Keymap));
}

void keymap_free(Keymap *km)
{
	if (!km)
		return;
	for (size_t i = 0; i < km->n; i++)
		free(km->b[i].command);
	free(km->b);
	free(km);
}

static Binding *find(Keymap *km, const char *mode, const Key *seq, int len)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].len == len && strcmp(km->b[i].mode, mode) == 0 &&
		    memcmp(km->b[i].seq, seq, (size_t)len * sizeof *seq) == 0)
			return &km->b[i];
	return NULL;
}

bool keymap_bind(Keymap *km, const char *mode, const char *keys, const char *command, int lua_ref, int *old_ref)
{
	Key seq[KEYMAP_MAXSEQ];
	long len = keys_parse(keys, seq, KEYMAP_MAXSEQ, NULL);
	if (old_ref)
		*old_ref = -1;
	if (len <= 0 || len > KEYMAP_MAXSEQ || strlen(mode) >= sizeof km->b[0].mode)
		return false;
	char *cmd = command ? strdup(command) : NULL;
	if (command && !cmd)
		return false;
	Binding *b = find(km, mode, seq, (int)len);
	if (!b) {
		if (!ARRAY_RESERVE(km->b, km->cap, km->n + 1)) {
			free(cmd);
			return false;
		}
		b = &km->b[km->n++];
		memset(b, 0, sizeof *b);
		memcpy(b->seq, seq, (size_t)len * sizeof *seq);
		b->len = (int)len;
		strcpy(b->mode, mode);
	} else {
		if (old_ref && !b->command)
			*old_ref = b->lua_ref;
		free(b->command);
	}
	b->command = cmd;
	b->lua_ref = command ? -1 : lua_ref;
	b->call_gen = 0;
	return true;
}

bool keymap_unbind(Keymap *km, const char *mode, const char *keys, int *old_ref)
{
	Key seq[KEYMAP_MAXSEQ];
	long len = keys_parse(keys, seq, KEYMAP_MAXSEQ, NULL);
	if (old_ref)
		*old_ref = -1;
	if (len <= 0 || len > KEYMAP_MAXSEQ)
		return false;
	Binding *b = find(km, mode, seq, (int)len);
	if (!b)
		return false;
	if (old_ref && !b->command)
		*old_ref = b->lua_ref;
	free(b->command);
	*b = km->b[--km->n];
	return true;
}

static KmResult lookup_in(const Keymap *km, const char *mode, const Key *seq, int len, const Binding **out)
{
	KmResult r = KM_NONE;
	for (size_t i = 0; i < km->n; i++) {
		const Binding *b = &km->b[i];
		/* The first key rules out nearly every binding: test it first. */
		if (b->seq[0] != seq[0] || b->len < len || strcmp(b->mode, mode) != 0 ||
		    memcmp(b->seq, seq, (size_t)len * sizeof *seq) != 0)
			continue;
		if (b->len == len) {
			*out = b;
			return KM_FOUND;
		}
		r = KM_PREFIX;
	}
	return r;
}

KmResult keymap_lookup(const Keymap *km, const char *mode, const Key *seq, int len, const Binding **out)
{
	if (mode && mode[0]) {
		KmResult r = lookup_in(km, mode, seq, len, out);
		if (r != KM_NONE)
			return r;
	}
	return lookup_in(km, "", seq, len, out);
}

KmResult keymap_lookup_mode(const Keymap *km, const char *mode, const Key *seq, int len, const Binding **out)
{
	return lookup_in(km, mode, seq, len, out);
}

const Binding *keymap_all(const Keymap *km, size_t *n)
{
	*n = km->n;
	return km->b;
}

/* The default modeless keymap: Sublime/VS Code/micro habits, only keys a
 * plain xterm and tmux deliver (see KEYMAP.md). */
static const char *const defaults[][2] = {
	{"<C-s>", "save-prompt"}, {"<C-q>", "quit"}, {"<C-z>", "undo"}, {"<C-y>", "redo"},
	{"<C-c>", "copy"}, {"<C-x>", "cut"}, {"<C-v>", "paste"}, {"<C-a>", "select-all"},
	{"<C-f>", "find-prompt"}, {"<F3>", "find-next"}, {"<S-F3>", "find-prev"},
	{"<C-n>", "find-next"}, {"<C-p>", "find-prev"}, {"<C-r>", "replace-prompt"},
	{"<C-g>", "goto-prompt"}, {"<C-e>", "command-prompt"}, {"<F1>", "help"},
	{"<C-o>", "open-prompt"}, {"<C-w>", "buffer-close"}, {"<M-Right>", "buffer-next"},
	{"<M-Left>", "buffer-prev"}, {"<C-b>", "goto-matching-bracket"},
	{"<Left>", "move-left"}, {"<Right>", "move-right"}, {"<Up>", "move-up"},
	{"<Down>", "move-down"}, {"<Home>", "move-home"}, {"<End>", "move-end"},
	{"<PageUp>", "page-up"}, {"<PageDown>", "page-down"},
	{"<C-Home>", "move-buffer-start"}, {"<C-End>", "move-buffer-end"},
	{"<C-Left>", "move-word-left"}, {"<C-Right>", "move-word-right"},
	{"<S-Left>", "select-left"}, {"<S-Right>", "select-right"}, {"<S-Up>", "select-up"},
	{"<S-Down>", "select-down"}, {"<S-Home>", "select-home"}, {"<S-End>", "select-end"},
	{"<S-PageUp>", "select-page-up"}, {"<S-PageDown>", "select-page-down"},
	{"<C-S-Home>", "select-buffer-start"}, {"<C-S-End>", "select-buffer-end"},
	{"<C-S-Left>", "select-word-left"}, {"<C-S-Right>", "select-word-right"},
	{"<CR>", "newline"}, {"<BS>", "delete-back"}, {"<C-h>", "delete-back"},
	{"<Del>", "delete-forward"}, {"<Tab>", "indent-or-tab"}, {"<S-Tab>", "outdent"},
	{"<M-BS>", "delete-word-back"}, {"<C-Del>", "delete-word-forward"},
	{"<Esc>", "collapse-selections"},
	{"<C-d>", "add-next-occurrence"}, {"<M-n>", "add-next-occurrence"},
	{"<C-k><C-d>", "skip-occurrence"}, {"<M-x>", "skip-occurrence"},
	{"<C-u>", "remove-last-cursor"}, {"<M-p>", "remove-last-cursor"},
	{"<M-L>", "select-all-occurrences"}, {"<M-F3>", "select-all-occurrences"},
	{"<M-S-Up>", "add-cursor-above"}, {"<M-S-Down>", "add-cursor-below"},
	{"<C-k><Up>", "add-cursor-above"}, {"<C-k><Down>", "add-cursor-below"},
	{"<M-I>", "split-selection-lines"}, {"<C-k>l", "split-selection-lines"},
	{"<M-c>", "column-mark"},
	{"<C-k>s", "select-regex-prompt"}, {"<C-k>S", "split-regex-prompt"},
	{"<C-k>k", "keep-regex-prompt"}, {"<C-k>K", "drop-regex-prompt"},
	{"<C-k>a", "align"}, {"<C-k>n", "insert-sequence-prompt"},
	{"<C-k>r", "rotate-contents"}, {"<C-k>R", "rotate-contents-back"},
	{"<M-)>", "primary-next"}, {"<M-(>", "primary-prev"},
	{"<C-k><C-u>", "upper-case"}, {"<C-k><C-l>", "lower-case"}, {"<C-k>~", "swap-case"},
	{"<C-k>:", "structural-prompt"}, {"<C-k><C-v>", "paste-joined"},
	{"<C-k>/", "find-all-as-cursors"}, {"<C-k>t", "sort-selections"}, {"<C-k>T", "reverse-selections"},
	{"<C-l>", "select-line"}, {"<C-k>d", "duplicate-line"},
	{"<M-Up>", "move-lines-up"}, {"<M-Down>", "move-lines-down"},
	{"<C-_>", "toggle-comment"}, {"<C-k>c", "toggle-comment"},
	/* Keystroke macros, BRIEF style (macro.c). */
	{"<F7>", "macro-record"}, {"<C-k>(", "macro-record"}, {"<F8>", "macro-play"},
	{"<C-k>)", "macro-play"}, {"<C-k>.", "repeat-command"},
	/* Split windows (split.c): Ctrl-K 2/3/0/1 as Emacs C-x 2/3/0/1. */
	{"<C-k>2", "split-horizontal"}, {"<C-k>3", "split-vertical"}, {"<C-k>0", "window-close"},
	{"<C-k>1", "window-only"}, {"<F6>", "window-next"}, {"<S-F6>", "window-prev"},
};

/* Plugin panes and sidebars (cmd_pane.c): F2 / Ctrl-K b toggle the
 * sidebars, Shift-F2 / Ctrl-K o move the focus text -> panes -> text,
 * Ctrl-K < and > resize. */
static const char *const pane_defaults[][2] = {
	{"<F2>", "sidebar-toggle"}, {"<C-k>b", "sidebar-toggle"},
	{"<S-F2>", "sidebar-focus"}, {"<C-k>o", "sidebar-focus"},
	{"<C-k><lt>", "sidebar-resize -4"}, {"<C-k>>", "sidebar-resize +4"},
};

/* Mode "pane": the keys of every focused pane, before the global ones (a
 * plugin's pane mode comes first; see pane.h). */
static const char *const pane_mode_keys[][2] = {
	{"<Up>", "pane-up"}, {"<Down>", "pane-down"}, {"<PageUp>", "pane-page-up"},
	{"<PageDown>", "pane-page-down"}, {"<Home>", "pane-first"}, {"<End>", "pane-last"},
	{"<C-Home>", "pane-first"}, {"<C-End>", "pane-last"},
	{"<CR>", "pane-activate"}, {"<Esc>", "pane-unfocus"}, {"<Tab>", "pane-unfocus"},
};

void keymap_load_defaults(Keymap *km)
{
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		keymap_bind(km, "", defaults[i][0], defaults[i][1], -1, NULL);
	for (size_t i = 0; i < sizeof pane_defaults / sizeof pane_defaults[0]; i++)
		keymap_bind(km, "", pane_defaults[i][0], pane_defaults[i][1], -1, NULL);
	for (size_t i = 0; i < sizeof pane_mode_keys / sizeof pane_mode_keys[0]; i++)
		keymap_bind(km, "pane", pane_mode_keys[i][0], pane_mode_keys[i][1], -1, NULL);
}
