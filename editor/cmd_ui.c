/* UI commands: the prompts (command, find, replace, goto, open, save-as),
 * help, view toggles and suspend. They work through ui.h and fail with a
 * message when there is no terminal (headless). Incremental find selects
 * the first match after the cursor as the pattern is typed and highlights
 * every visible match; Esc puts the cursors and the view back. */
#include "editor/ui.h"
#include "buffer/array.h"
#include "buffer/search.h"
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/help.h"
#include "editor/macro.h"
#include "editor/render_hex.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool need_ui(Editor *ed, const char *what)
{
	if (ui_is_running(ed))
		return true;
	return msg_error(ed, "%s needs the terminal UI", what);
}

/* The primary selection's text when it is short and on one line. */
static char *selected_text(Buffer *b)
{
	Sel s = b->sels.v[b->sels.primary];
	size_t len = sel_end(s) - sel_start(s);
	if (len == 0 || len > 200)
		return NULL;
	char *t = text_dup(b->text, sel_start(s), len);
	if (t && (memchr(t, '\n', len) || strlen(t) != len)) {
		free(t);
		return NULL;
	}
	return t;
}

/* ===== the command prompt ================================================ */

static void command_done(Editor *ed, const char *text, void *arg)
{
	if (text && *text)
		macro_run_typed(ed, text, NULL);
}

bool cmd_command_prompt(Editor *ed, const char *args)
{
	if (!need_ui(ed, "command-prompt"))
		return false;
	/* A text given to the command prompt starts a command line. */
	UiPrompt p = {.label = ": ", .text = args, .history = UI_HIST_COMMAND, .complete_commands = true, .append = true,
	              .done = command_done};
	return ui_prompt_open(ed, &p);
}

/* ===== find ============================================================== */

typedef struct FindState {
	SelSet origin;        /* put back by Esc */
	size_t top, left, row;
	size_t from;          /* where the search starts (Ctrl-N moves it) */
	int flags;
	bool found;           /* the pattern as it stands has a match */
	const char *verb;     /* "Find", or "Replace" for the replace prompt's pattern */
} FindState;

static void find_label(Editor *ed, FindState *fs, const char *what)
{
	char label[96];
	const char *re = fs->flags & SEARCH_REGEX ? "regex" : "text";
	const char *ic = fs->flags & SEARCH_ICASE ? ", any case" : "";
	snprintf(label, sizeof label, "%s (%s%s%s%s) [M-r M-c C-n C-p]: ", fs->verb, re, ic, what ? ", " : "",
	         what ? what : "");
	ui_prompt_label(ed, label);
}

static void restore_origin(Editor *ed, FindState *fs)
{
	sel_copy(&ed->cur->sels, &fs->origin);
	ui_view_set(ed, fs->top, fs->left, fs->row);
}

static void select_match(Editor *ed, size_t m, size_t e)
{
	Buffer *b = ed->cur;
	sel_reset(&b->sels, e);
	b->sels.v[0].anchor = m;
	ui_follow(ed);
}

static Search *compile(Editor *ed, const char *pat, int flags, char *err, size_t errlen)
{
	if (!pat || !*pat)
		return NULL;
	return search_new(pat, strlen(pat), flags, err, errlen);
}

static void find_change(Editor *ed, const char *text, void *arg)
{
	FindState *fs = arg;
	Buffer *b = ed->cur;
	restore_origin(ed, fs);
	fs->found = false;
	if (!*text) {
		ui_highlight(ed, "", 0);
		find_label(ed, fs, NULL);
		return;
	}
	char err[128];
	Search *s = compile(ed, text, fs->flags, err, sizeof err);
	if (!s) {
		ui_highlight(ed, "", 0);
		find_label(ed, fs, "bad regex");
		return;
	}
	size_t e, m = search_next(s, b->text, fs->from, true, &e);
	search_free(s);
	ui_highlight(ed, text, fs->flags);
	if (m == BUF_NOPOS) {
		find_label(ed, fs, "not found");
		return;
	}
	fs->found = true;
	find_label(ed, fs, NULL);
	select_match(ed, m, e);
}

/* Next/previous match while the prompt is open; the search goes on from
 * there as the pattern changes. */
static void find_step(Editor *ed, const char *text, FindState *fs, bool back)
{
	Buffer *b = ed->cur;
	char err[128];
	Search *s = compile(ed, text, fs->flags, err, sizeof err);
	if (!s)
		return;
	Sel p = b->sels.v[b->sels.primary];
	size_t e, m;
	if (back) {
		m = search_prev(s, b->text, sel_start(p), true, &e);
	} else {
		m = search_next_after(s, b->text, sel_end(p), true, &e);
	}
	search_free(s);
	if (m == BUF_NOPOS)
		return;
	select_match(ed, m, e);
	fs->from = m;
}

static bool find_key(Editor *ed, Key k, const char *text, void *arg)
{
	FindState *fs = arg;
	if (k == (BK_ALT | 'r') || k == (BK_ALT | 'c')) {
		fs->flags ^= k == (BK_ALT | 'r') ? SEARCH_REGEX : SEARCH_ICASE;
		find_change(ed, text, fs);
		return true;
	}
	if (k == (BK_CTRL | 'n') || k == BK_F3 || k == (BK_CTRL | 'p') || k == (BK_SHIFT | BK_F3)) {
		find_step(ed, text, fs, k == (BK_CTRL | 'p') || k == (BK_SHIFT | BK_F3));
		return true;
	}
	return false;
}

static void find_done(Editor *ed, const char *text, void *arg)
{
	FindState *fs = arg;
	ui_highlight(ed, NULL, 0);
	if (!text || !*text) {
		if (!text)
			restore_origin(ed, fs);
	} else {
		char *p = strdup(text);
		if (p) {
			free(ed->search);
			ed->search = p;
			ed->search_flags = fs->flags;
		}
		/* An empty match ($, ^) is found too: the cursor stands on it. */
		if (!fs->found)
			msg_error(ed, "not found: %s", text);
	}
	sel_fini(&fs->origin);
	free(fs);
}

static FindState *find_state(Editor *ed)
{
	FindState *fs = calloc(1, sizeof *fs);
	if (!fs)
		return NULL;
	sel_init(&fs->origin);
	if (!sel_copy(&fs->origin, &ed->cur->sels)) {
		free(fs);
		return NULL;
	}
	ui_view_get(ed, &fs->top, &fs->left, &fs->row);
	fs->from = sel_start(fs->origin.v[fs->origin.primary]);
	fs->flags = ed->search_flags & (SEARCH_REGEX | SEARCH_ICASE);
	fs->verb = "Find";
	return fs;
}

bool cmd_find_prompt(Editor *ed, const char *args)
{
	if (!need_ui(ed, "find-prompt"))
		return false;
	FindState *fs = find_state(ed);
	if (!fs)
		return msg_error(ed, "%s", strerror(ENOMEM));
	char *sel = *args ? NULL : selected_text(ed->cur);
	/* A selection to search for starts from the selection itself. */
	UiPrompt p = {.label = "Find: ", .text = *args ? args : sel, .history = UI_HIST_FIND,
	              .done = find_done, .change = find_change, .key = find_key, .arg = fs};
	bool ok = ui_prompt_open(ed, &p);
	free(sel);
	if (!ok) {
		sel_fini(&fs->origin);
		free(fs);
		return false;
	}
	find_label(ed, fs, NULL);
	return true;
}

/* ===== replace =========================================================== */

typedef struct RepState {
	FindState *fs;     /* the pattern prompt's state */
	char *pat, *rep;
	size_t replen;
	int flags;
	Search *s;
	size_t origin;     /* where it started; wraps to the start up to here */
	size_t pos;        /* next search position */
	bool after;        /* pos is where a match ended: no empty match there */
	size_t limit;      /* phase 1: matches must end by here */
	int phase;         /* 0: origin..end, 1: start..origin */
	size_t m, e;       /* the match asked about */
	size_t count;
} RepState;

static void rep_free(RepState *rs)
{
	if (rs->fs) {
		sel_fini(&rs->fs->origin);
		free(rs->fs);
	}
	search_free(rs->s);
	free(rs->pat);
	free(rs->rep);
	free(rs);
}

static void rep_finish(Editor *ed, RepState *rs)
{
	ui_highlight(ed, NULL, 0);
	msg_info(ed, "%zu replaced", rs->count);
	rep_free(rs);
}

/* The next match, by phase; false when there is none. Empty matches
 * (^, $) count, once per position, as find and replace-all see them. */
static bool rep_find(Editor *ed, RepState *rs, size_t *m, size_t *e)
{
	Text *t = ed->cur->text;
	size_t len = text_len(t);
	for (;;) {
		if (rs->pos > len)
			*m = BUF_NOPOS;
		else if (rs->after)
			*m = search_text_after(rs->s, t, 0, len, rs->pos, len, e);
		else
			*m = search_text(rs->s, t, 0, len, rs->pos, len, e);
		/* After the wrap, matches end by the origin (those at it were seen). */
		if (*m != BUF_NOPOS && rs->phase == 1 && (*e > rs->limit || *m >= rs->limit))
			*m = BUF_NOPOS;
		if (*m != BUF_NOPOS)
			return true;
		if (rs->phase == 1 || rs->origin == 0)
			return false;
		rs->phase = 1;
		rs->pos = 0;
		rs->after = false;
		rs->limit = rs->origin;
	}
}

static void rep_ask(Editor *ed, RepState *rs);

/* The replacement for the match just found: a regex template expands its
 * \0-\9 groups and \n \t \\ escapes; plain text is taken as typed. */
static char *rep_text(Editor *ed, RepState *rs, size_t *len)
{
	char *r;
	if (rs->flags & SEARCH_REGEX) {
		r = search_expand_text(rs->s, ed->cur->text, rs->rep, rs->replen, len);
	} else {
		*len = rs->replen;
		r = malloc(rs->replen ? rs->replen : 1);
		if (r)
			memcpy(r, rs->rep, rs->replen);
	}
	if (!r)
		msg_error(ed, "replace: %s", strerror(ENOMEM));
	return r;
}

static void rep_one(Editor *ed, RepState *rs)
{
	size_t len;
	char *r = rep_text(ed, rs, &len);
	if (!r)
		return;
	Edit ed1 = {rs->m, rs->e - rs->m, r, len};
	bool ok = buf_apply(ed, ed->cur, &ed1, 1, TXN_PLAIN, PLACE_MAP);
	free(r);
	if (!ok)
		return;
	rs->count++;
	size_t removed = rs->e - rs->m;
	if (rs->phase == 1)
		rs->limit = rs->limit + len - removed;
	else if (rs->origin > rs->m)
		rs->origin = rs->origin + len - removed;
	rs->pos = rs->m + len;
	rs->after = true;
}

/* "a": every remaining match in one undo step. */
static void rep_all(Editor *ed, RepState *rs)
{
	Edit *v = NULL;
	size_t n = 0, cap = 0, split = BUF_NOPOS, m = rs->m, e = rs->e;
	int phase = rs->phase;
	bool ok = true;
	for (;;) {
		size_t len;
		char *r = NULL;
		/* Each match's text is expanded while its groups are current. */
		if (!ARRAY_RESERVE(v, cap, n + 1) || !(r = rep_text(ed, rs, &len))) {
			ok = false;
			break;
		}
		if (rs->phase != phase && split == BUF_NOPOS)
			split = n;
		v[n++] = (Edit){m, e - m, r, len};
		rs->pos = e;
		rs->after = true;
		if (!rep_find(ed, rs, &m, &e))
			break;
	}
	/* The wrapped part lies before the origin: it goes first. */
	Edit *all = ok ? malloc(n * sizeof *all) : NULL;
	if (all) {
		size_t k = split == BUF_NOPOS ? 0 : n - split;
		if (k)
			memcpy(all, v + split, k * sizeof *all);
		memcpy(all + k, v, (n - k) * sizeof *all);
		if (buf_apply(ed, ed->cur, all, n, TXN_PLAIN, PLACE_MAP))
			rs->count += n;
	} else if (ok) {
		msg_error(ed, "replace: %s", strerror(ENOMEM));
	}
	for (size_t i = 0; i < n; i++)
		free((char *)v[i].ins);
	free(all);
	free(v);
}

static void rep_choice(Editor *ed, int choice, void *arg)
{
	RepState *rs = arg;
	switch (choice) {
	case 'y':
		rep_one(ed, rs);
		break;
	case 'n':
		rs->pos = rs->e;
		rs->after = true;
		break;
	case 'a':
		rep_all(ed, rs);
		rep_finish(ed, rs);
		return;
	default:
		rep_finish(ed, rs);
		return;
	}
	rep_ask(ed, rs);
}

static void rep_ask(Editor *ed, RepState *rs)
{
	if (!rep_find(ed, rs, &rs->m, &rs->e)) {
		rep_finish(ed, rs);
		return;
	}
	select_match(ed, rs->m, rs->e);
	if (!ui_choose(ed, "Replace this match? (y)es (n)o (a)ll (q)uit ", "ynaq", rep_choice, rs))
		rep_finish(ed, rs);
}

static void rep_with_done(Editor *ed, const char *text, void *arg)
{
	RepState *rs = arg;
	char err[128];
	if (!text) {
		ui_highlight(ed, NULL, 0);
		rep_free(rs);
		return;
	}
	rs->rep = strdup(text);
	rs->s = compile(ed, rs->pat, rs->flags, err, sizeof err);
	if (!rs->rep || !rs->s) {
		msg_error(ed, "replace: %s", rs->s ? strerror(ENOMEM) : err);
		ui_highlight(ed, NULL, 0);
		rep_free(rs);
		return;
	}
	rs->replen = strlen(rs->rep);
	Buffer *b = ed->cur;
	rs->origin = rs->pos = sel_start(b->sels.v[b->sels.primary]);
	ui_highlight(ed, rs->pat, rs->flags);
	rep_ask(ed, rs);
}

static void rep_pat_done(Editor *ed, const char *text, void *arg)
{
	RepState *rs = arg;
	FindState *fs = rs->fs;
	if (!text || !*text) {
		restore_origin(ed, fs);
		ui_highlight(ed, NULL, 0);
		rep_free(rs);
		return;
	}
	rs->flags = fs->flags;
	/* Replacing starts where the search started. */
	restore_origin(ed, fs);
	rs->pat = strdup(text);
	if (!rs->pat) {
		rep_free(rs);
		return;
	}
	/* The mode stays in sight: groups only mean something in a regex. */
	char label[128];
	if (rs->flags & SEARCH_REGEX)
		snprintf(label, sizeof label, "Replace /%.60s/%s (\\1: group 1) with: ", text, rs->flags & SEARCH_ICASE ? "i" : "");
	else
		snprintf(label, sizeof label, "Replace \"%.60s\"%s with: ", text, rs->flags & SEARCH_ICASE ? " (any case)" : "");
	UiPrompt p = {.label = label, .history = UI_HIST_REPLACE, .done = rep_with_done, .arg = rs};
	ui_highlight(ed, text, rs->flags);
	if (!ui_prompt_open(ed, &p))
		rep_free(rs);
}

static bool rep_key(Editor *ed, Key k, const char *text, void *arg)
{
	RepState *rs = arg;
	return find_key(ed, k, text, rs->fs);
}

static void rep_change(Editor *ed, const char *text, void *arg)
{
	find_change(ed, text, ((RepState *)arg)->fs);
}

bool cmd_replace_prompt(Editor *ed, const char *args)
{
	if (!need_ui(ed, "replace-prompt"))
		return false;
	RepState *rs = calloc(1, sizeof *rs);
	if (!rs || !(rs->fs = find_state(ed))) {
		free(rs);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	rs->fs->verb = "Replace";
	char *sel = selected_text(ed->cur);
	UiPrompt p = {.label = "Replace: ", .text = sel, .history = UI_HIST_FIND, .done = rep_pat_done,
	              .change = rep_change, .key = rep_key, .arg = rs};
	bool ok = ui_prompt_open(ed, &p);
	free(sel);
	if (!ok) {
		rep_free(rs);
		return false;
	}
	/* The mode (from the last search) shows from the start. */
	find_label(ed, rs->fs, NULL);
	return true;
}

/* ===== small prompts ===================================================== */

static void run_with(Editor *ed, const char *cmd, const char *text)
{
	size_t n = strlen(cmd) + strlen(text) + 2;
	char *line = malloc(n);
	if (!line) {
		msg_error(ed, "%s: %s", cmd, strerror(ENOMEM));
		return;
	}
	snprintf(line, n, "%s %s", cmd, text);
	ed_command(ed, line);
	free(line);
}

static void goto_done(Editor *ed, const char *text, void *arg)
{
	if (text && *text)
		run_with(ed, "goto", text);
}

bool cmd_goto_prompt(Editor *ed, const char *args)
{
	if (!need_ui(ed, "goto-prompt"))
		return false;
	/* The hex view's goto takes a byte offset (0x2f0, 752, +16, end). */
	bool hex = ed->cur->hex && render_hex_is_on(ed->cur);
	UiPrompt p = {.label = hex ? "Go to offset: " : "Go to line: ", .text = args, .history = UI_HIST_GOTO,
	              .done = goto_done};
	return ui_prompt_open(ed, &p);
}

static void open_done(Editor *ed, const char *text, void *arg)
{
	if (text && *text)
		run_with(ed, "open", text);
}

bool cmd_open_prompt(Editor *ed, const char *args)
{
	if (!need_ui(ed, "open-prompt"))
		return false;
	UiPrompt p = {.label = "Open: ", .text = args, .history = UI_HIST_FILE, .complete_files = true, .done = open_done};
	return ui_prompt_open(ed, &p);
}

static void save_as_done(Editor *ed, const char *text, void *arg)
{
	if (text && *text)
		cmd_save_to(ed, text);
}

bool cmd_save_as_prompt(Editor *ed, const char *args)
{
	if (!need_ui(ed, "save-as-prompt"))
		return false;
	const char *pre = *args ? args : ed->cur->path;
	UiPrompt p = {.label = "Save as: ", .text = pre, .history = UI_HIST_FILE, .complete_files = true, .done = save_as_done};
	return ui_prompt_open(ed, &p);
}

/* Saves; a buffer without a file asks for a name first. */
bool cmd_save_prompt(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	if (*args || (b->path && !(b->scratch && b != ed->messages)))
		return cmd_save_to(ed, args);
	if (!ui_is_running(ed))
		return buf_save(ed, b, NULL, 0);
	return cmd_save_as_prompt(ed, "");
}

/* ===== view and terminal ================================================= */

bool cmd_help(Editor *ed, const char *args)
{
	return help_toggle(ed);
}

bool cmd_toggle_line_numbers(Editor *ed, const char *args)
{
	return need_ui(ed, "toggle-line-numbers") && ui_toggle_numbers(ed);
}

bool cmd_toggle_wrap(Editor *ed, const char *args)
{
	return need_ui(ed, "toggle-wrap") && ui_toggle_wrap(ed);
}

bool cmd_suspend(Editor *ed, const char *args)
{
	if (!ed->ui.suspend)
		return msg_error(ed, "suspend needs the terminal UI");
	ed->ui.suspend(ed);
	return true;
}
