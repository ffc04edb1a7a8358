/* The help buffer: "first steps", then every command grouped by area with
 * its keys and one-line description: the built-in table, the commands
 * plugins and init.lua register (through hooks.h), and the keys bound to
 * Lua functions (with their help, or listed together). Long rows wrap
 * with a hanging indent: nothing is cut. Built afresh each time it opens,
 * so it shows the keymap as it is now. */
#include "editor/help.h"
#include "buffer/array.h"
#include "editor/command.h"
#include "editor/keymap.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELP_NAME "*help*"
#define WRAP 78
#define INDENT 6

enum { G_FILES, G_EDIT, G_MOVE, G_MULTI, G_SEARCH, G_WINDOWS, G_HEX, G_LOGS, G_NEWS, G_OTHER, G_N };

static const char *const group_title[G_N] = {
	"Files", "Editing", "Moving and selecting", "Multiple cursors", "Search and replace",
	"Windows, panes and the screen", "Hex view", "Logs", "News", "Plugins and your commands",
};

/* Which group a command is in: the first rule that matches its name
 * (exactly, or a prefix ending in '-'). Lua commands not named here go to
 * G_OTHER, built-in ones to G_EDIT. */
static const struct {
	const char *name;
	int group;
} rules[] = {
	{"save", G_FILES}, {"save-", G_FILES}, {"open", G_FILES}, {"open-", G_FILES}, {"quit", G_FILES},
	{"quit-", G_FILES}, {"buffer-", G_FILES}, {"reload", G_FILES}, {"recover", G_FILES}, {"recover-", G_FILES},
	{"suspend", G_FILES},
	{"find", G_SEARCH}, {"find-all-as-cursors", G_MULTI}, {"find-", G_SEARCH}, {"replace-", G_SEARCH},
	{"add-", G_MULTI}, {"skip-occurrence", G_MULTI}, {"remove-last-cursor", G_MULTI},
	{"select-all-occurrences", G_MULTI}, {"select-regex", G_MULTI}, {"select-regex-", G_MULTI},
	{"split-regex", G_MULTI}, {"split-regex-", G_MULTI}, {"split-selection-lines", G_MULTI},
	{"keep-regex", G_MULTI}, {"keep-regex-", G_MULTI}, {"drop-regex", G_MULTI}, {"drop-regex-", G_MULTI},
	{"primary-", G_MULTI}, {"toggle-cursor", G_MULTI}, {"column-mark", G_MULTI}, {"align", G_MULTI},
	{"insert-sequence", G_MULTI}, {"insert-sequence-", G_MULTI}, {"rotate-", G_MULTI},
	{"sort-selections", G_MULTI}, {"reverse-selections", G_MULTI}, {"collapse-selections", G_MULTI},
	{"structural", G_MULTI}, {"structural-", G_MULTI}, {"paste-joined", G_MULTI},
	{"move-lines-", G_EDIT}, {"move-", G_MOVE}, {"select-", G_MOVE}, {"page-", G_MOVE}, {"goto", G_MOVE},
	{"goto-", G_MOVE},
	{"window-", G_WINDOWS}, {"split-horizontal", G_WINDOWS}, {"split-vertical", G_WINDOWS},
	{"sidebar-", G_WINDOWS}, {"pane-", G_WINDOWS}, {"toggle-line-numbers", G_WINDOWS},
	{"toggle-wrap", G_WINDOWS}, {"help", G_WINDOWS}, {"command-prompt", G_WINDOWS}, {"theme", G_WINDOWS},
	{"hex", G_HEX}, {"hex-", G_HEX}, {"stride", G_HEX},
	{"log", G_LOGS}, {"log-", G_LOGS}, {"write-visible", G_LOGS},
	{"news", G_NEWS}, {"news-", G_NEWS},
};

static int group_of(const char *name, bool builtin)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const char *r = rules[i].name;
		size_t n = strlen(r);
		if (r[n - 1] == '-' ? strncmp(name, r, n) == 0 : strcmp(name, r) == 0)
			return rules[i].group;
	}
	return builtin ? G_EDIT : G_OTHER;
}

/* The group of a buffer mode's keys. */
static int group_of_mode(const char *mode)
{
	if (strcmp(mode, "hex") == 0)
		return G_HEX;
	if (strcmp(mode, "log") == 0)
		return G_LOGS;
	if (strcmp(mode, "news") == 0)
		return G_NEWS;
	return strcmp(mode, "pane") == 0 ? G_WINDOWS : G_OTHER;
}

/* ===== text ============================================================== */

/* Appends a line, wrapped at spaces to WRAP columns; continuation lines
 * are indented. Column counts are bytes: the help's own text is ASCII
 * (key names and plugin help may not be; they wrap a little early). */
static void line(StrBuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(StrBuf *o, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	const char *s = buf;
	size_t width = WRAP;
	for (;;) {
		size_t len = strlen(s);
		if (len <= width) {
			strbuf_put(o, s, len);
			strbuf_put(o, "\n", 1);
			return;
		}
		size_t cut = width;
		while (cut > width / 2 && s[cut] != ' ')
			cut--;
		if (s[cut] != ' ')
			cut = width; /* one long word: break it */
		strbuf_put(o, s, cut);
		strbuf_put(o, "\n", 1);
		strbuf_put(o, "                ", INDENT);
		s += cut;
		while (*s == ' ')
			s++;
		width = WRAP - INDENT;
	}
}

static void seq_name(const Binding *b, char *seq, size_t size)
{
	keys_seq_name(b->seq, (size_t)b->len, seq, size);
}

/* "<C-k>s <F3> <Up>[pane]": every key sequence bound to the command line
 * `cmd` (as the whole binding, or as its first word): in `mode`, or when
 * mode is "", in any mode (those marked with theirs). */
static void keys_of(const Keymap *km, const char *cmd, const char *mode, char *out, size_t size)
{
	size_t n = 0, cl = strlen(cmd);
	const Binding *b = keymap_all(km, &n);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!b[i].command || (*mode && strcmp(b[i].mode, mode) != 0) || strncmp(b[i].command, cmd, cl) != 0 ||
		    (b[i].command[cl] && b[i].command[cl] != ' '))
			continue;
		char seq[96];
		seq_name(&b[i], seq, sizeof seq);
		size_t used = strlen(out);
		bool other = !*mode && b[i].mode[0];
		snprintf(out + used, size - used, "%s%s%s%s%s", used ? " " : "", seq, other ? "[" : "", other ? b[i].mode : "",
		         other ? "]" : "");
	}
}

/* A single plain key (no modifier, one character): its code point, else 0. */
static Key plain_key(const Binding *b)
{
	Key k = b->seq[0];
	return b->len == 1 && !(k & BK_MODS) && keys_is_text(k) && BK_BASE(k) > ' ' ? BK_BASE(k) : 0;
}

/* One command row: keys, name and arguments, description. */
static void row(StrBuf *o, const char *keys, const char *name, const char *args, const char *mode, const char *help)
{
	char syn[160];
	snprintf(syn, sizeof syn, "%s%s%s%s%s%s", name, *args ? " " : "", args, *mode ? " [" : "", mode, *mode ? "]" : "");
	line(o, "  %-16s %-30s %s", *keys ? keys : "-", syn, help);
}

/* ===== sections ========================================================== */

static void first_steps(StrBuf *o)
{
	line(o, "brisk help: F1 again (or Ctrl-W) closes it; Ctrl-F finds in it.");
	line(o, "%s", "");
	line(o, "First steps");
	line(o, "  Type to edit. Ctrl-S saves, Ctrl-Q quits (it asks about unsaved changes).");
	line(o, "  Ctrl-Z / Ctrl-Y undo and redo; Ctrl-C, Ctrl-X, Ctrl-V copy, cut and paste.");
	line(o, "  Ctrl-F finds (Alt-R: regex, Alt-C: case), F3 goes on; Ctrl-R replaces; Ctrl-G goes to a line (LINE:COL, +N, 50%%).");
	line(o, "  Ctrl-E opens the command prompt: every action below is a named command there. Tab cycles through names and file names, Up/Down recall history.");
	line(o, "  Ctrl-D selects the word under the cursor, then adds its next occurrence: what you type changes them all. Esc goes back to one cursor.");
	line(o, "  Mouse: click, drag to select, Ctrl+click adds or removes a cursor, the wheel scrolls. Shift+drag selects for the terminal.");
	line(o, "  In prompts, a pre-filled value is selected: typing replaces it, an arrow keeps it. ~ and $VAR work in file names.");
	line(o, "  tmux users: Esc and Alt keys arrive late with tmux's default escape-time. Add to ~/.tmux.conf:  set -sg escape-time 10");
	line(o, "%s", "");
	line(o, "Keys are in vim notation: <C-s> is Ctrl-S, <M-x> Alt-X, <S-F3> Shift-F3; <C-k>s is Ctrl-K then s. [mode]: only in such views.");
}

/* A Lua command: name, mode, help, and which group it goes to. */
typedef struct LuaCmd {
	char *name, *mode, *help;
	int group;
} LuaCmd;

typedef struct LuaCmds {
	LuaCmd *v;
	size_t n, cap;
} LuaCmds;

static void add_lua(void *arg, const char *name, const char *mode, const char *help)
{
	LuaCmds *c = arg;
	if (!ARRAY_RESERVE(c->v, c->cap, c->n + 1))
		return;
	LuaCmd *e = &c->v[c->n];
	*e = (LuaCmd){strdup(name), strdup(mode), strdup(help ? help : ""), group_of(name, false)};
	if (!e->name || !e->mode || !e->help) {
		free(e->name);
		free(e->mode);
		free(e->help);
		return;
	}
	if (e->group == G_OTHER && *mode)
		e->group = group_of_mode(mode);
	c->n++;
}

static int cmp_lua(const void *a, const void *b)
{
	const LuaCmd *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->mode, y->mode);
}

/* Keys of mode `mode` bound to Lua functions: each with its help, the
 * others together in one (wrapped) row. */
static void lua_keys(Editor *ed, StrBuf *o, const char *mode)
{
	size_t n = 0;
	const Binding *b = keymap_all(ed->keymap, &n);
	char plain[2048] = "";
	for (size_t i = 0; i < n; i++) {
		if (b[i].command || strcmp(b[i].mode, mode) != 0)
			continue;
		char seq[96];
		seq_name(&b[i], seq, sizeof seq);
		const char *help = ed->hooks.ref_help ? ed->hooks.ref_help(ed->hooks.ctx, b[i].lua_ref) : NULL;
		if (help && *help) {
			row(o, seq, "", "", mode, help);
			continue;
		}
		/* A run of three or more consecutive plain keys shows as "a-z". */
		size_t j = i;
		Key first = plain_key(&b[i]);
		while (first && j + 1 < n && !b[j + 1].command && strcmp(b[j + 1].mode, mode) == 0 &&
		       plain_key(&b[j + 1]) == plain_key(&b[j]) + 1)
			j++;
		char last[96] = "";
		if (j >= i + 2) {
			seq_name(&b[j], last, sizeof last);
			i = j;
		}
		size_t used = strlen(plain);
		snprintf(plain + used, sizeof plain - used, "%s%s%s%s", used ? " " : "", seq, last[0] ? "-" : "", last);
	}
	if (plain[0] && *mode)
		line(o, "  other keys of the %s view (plugin functions): %s", mode, plain);
	else if (plain[0])
		line(o, "  other keys bound by plugins or init.lua: %s", plain);
}

static bool mode_in_group(const Keymap *km, int g, char seen[][16], size_t *nseen, const char **mode)
{
	size_t n = 0;
	const Binding *b = keymap_all(km, &n);
	for (size_t i = 0; i < n; i++) {
		if (b[i].command || group_of_mode(b[i].mode) != g)
			continue;
		bool dup = false;
		for (size_t k = 0; k < *nseen && !dup; k++)
			dup = strcmp(seen[k], b[i].mode) == 0;
		if (dup || *nseen == 16)
			continue;
		snprintf(seen[*nseen], 16, "%s", b[i].mode);
		*mode = seen[(*nseen)++];
		return true;
	}
	return false;
}

static void section(Editor *ed, StrBuf *o, int g, const LuaCmds *lc)
{
	char keys[512];
	line(o, "%s", "");
	line(o, "%s", group_title[g]);
	for (size_t i = 0; i < ncommands; i++) {
		if (group_of(commands[i].name, true) != g)
			continue;
		keys_of(ed->keymap, commands[i].name, "", keys, sizeof keys);
		row(o, keys, commands[i].name, commands[i].args, "", commands[i].help);
	}
	for (size_t i = 0; i < lc->n; i++) {
		if (lc->v[i].group != g)
			continue;
		keys_of(ed->keymap, lc->v[i].name, lc->v[i].mode, keys, sizeof keys);
		row(o, keys, lc->v[i].name, "", lc->v[i].mode, lc->v[i].help);
	}
	char seen[16][16];
	size_t nseen = 0;
	const char *mode;
	while (mode_in_group(ed->keymap, g, seen, &nseen, &mode))
		lua_keys(ed, o, mode);
}

/* The whole help text; NULL when out of memory. */
static char *help_text(Editor *ed, size_t *len)
{
	StrBuf o = {.ok = true};
	LuaCmds lc = {0};
	if (ed->hooks.command_list)
		ed->hooks.command_list(ed->hooks.ctx, add_lua, &lc);
	qsort(lc.v, lc.n, sizeof *lc.v, cmp_lua);
	first_steps(&o);
	for (int g = 0; g < G_N; g++)
		section(ed, &o, g, &lc);
	for (size_t i = 0; i < lc.n; i++) {
		free(lc.v[i].name);
		free(lc.v[i].mode);
		free(lc.v[i].help);
	}
	free(lc.v);
	if (!o.ok) {
		free(o.s);
		return NULL;
	}
	*len = o.n;
	return o.s;
}

/* ===== the buffer ======================================================== */

static Buffer *help_buffer(Editor *ed)
{
	for (Buffer *b = ed->bufs; b; b = b->next)
		if (b->scratch && strcmp(b->name, HELP_NAME) == 0)
			return b;
	return NULL;
}

bool help_is_buffer(Editor *ed, const Buffer *b)
{
	return b && b == help_buffer(ed);
}

bool help_toggle(Editor *ed)
{
	Buffer *b = help_buffer(ed);
	if (b && ed->cur == b) {
		ed_close(ed, b);
		return true;
	}
	size_t len;
	char *text = help_text(ed, &len);
	if (!text)
		return msg_error(ed, "help: %s", strerror(ENOMEM));
	if (!b && !(b = ed_scratch(ed, HELP_NAME))) {
		free(text);
		return msg_error(ed, "help: %s", strerror(ENOMEM));
	}
	/* Rebuilt as it is now (plugins may have bound keys since). */
	b->text->record_undo = false;
	b->readonly = false;
	Edit e = {0, text_len(b->text), text, len};
	bool ok = text_apply(b->text, &e, 1, NULL);
	free(text);
	b->readonly = true;
	if (!ok)
		return msg_error(ed, "help: %s", strerror(errno));
	sel_reset(&b->sels, 0);
	ed_focus(ed, b);
	return true;
}
