/* The editor context: buffers and their files, edits through the selection
 * set, messages, questions, and key/command dispatch shared by the UI and
 * headless mode. */
#include "editor/editor.h"
#include "editor/command.h"
#include "editor/keymap.h"
#include "editor/filter.h"
#include "editor/decor.h"
#include "editor/pane.h"
#include "editor/picker.h"
#include "editor/macro.h"
#include "editor/split.h"
#include "editor/journal.h"
#include "editor/bgindex.h"
#include "editor/render.h"
#include "buffer/array.h"
#include "buffer/utf8.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPING_PAUSE_MS 1000

Editor *ed_new(bool headless)
{
	Editor *ed = calloc(1, sizeof *ed);
	if (!ed)
		return NULL;
	ed->headless = headless;
	ed->tabw = 8;
	ed->autoindent = true;
	ed->final_newline = true;
	ed->next_id = 1;
	ed->cmd_gen = 1; /* 0 marks a binding not resolved yet */
	ed->loop = loop_new();
	ed->keymap = keymap_new();
	ed->panes = panes_new();
	if (!ed->loop || !ed->keymap || !ed->panes) {
		ed_free(ed);
		return NULL;
	}
	keymap_load_defaults(ed->keymap);
	ed->win.h = 24;
	ed->win.w = 80;
	ed->messages = ed_scratch(ed, "*messages*");
	if (ed->messages)
		ed->messages->text->record_undo = false;
	return ed;
}

static void buf_free(Buffer *b)
{
	text_free(b->text);
	sel_fini(&b->sels);
	free(b->path);
	free(b->name);
	filter_free(b->filter);
	free(b->hex);
	decor_free(b->decor);
	free(b);
}

void ed_free(Editor *ed)
{
	if (!ed)
		return;
	journal_free(ed);
	while (ed->bufs) {
		Buffer *b = ed->bufs;
		ed->bufs = b->next;
		buf_free(b);
	}
	ed->hold = 0;
	ed_reap(ed);
	for (size_t i = 0; i < ed->clip.n; i++)
		free(ed->clip.parts[i]);
	free(ed->clip.parts);
	free(ed->clip.lens);
	free(ed->search);
	free(ed->last_command);
	free(ed->lua_cmds);
	keymap_free(ed->keymap);
	panes_free(ed->panes);
	macro_free(ed->macro);
	split_free(ed->splits);
	bgindex_free(ed);
	loop_free(ed->loop);
	free(ed);
}

/* ===== messages ========================================================== */

static void put_file(void *arg, const char *p, size_t n) { fwrite(p, 1, n, arg); }

void msg_fwrite(FILE *f, const char *s, size_t len, const char *keep)
{
	render_escape_string(s, len, keep, put_file, f);
}

void msg_print(FILE *f, bool error, const char *line)
{
	if (error)
		fputs("brisk: ", f);
	msg_fwrite(f, line, strlen(line), "\t");
	fputc('\n', f);
}

void msg_append(Editor *ed, const char *s, size_t len)
{
	if (!ed->messages)
		return;
	Text *t = ed->messages->text;
	text_insert(t, text_len(t), s, len);
	text_insert(t, text_len(t), "\n", 1);
}

size_t msg_last(const Editor *ed, char *out, size_t size)
{
	const Text *t = ed->messages ? ed->messages->text : NULL;
	size_t len = t ? text_len(t) : 0, end = len > 0 ? len - 1 : 0; /* the final newline */
	size_t start = t ? text_line_start_at(t, end) : 0, n = end - start;
	n = n < size ? n : size - 1;
	if (t)
		text_copy(t, start, n, out);
	out[n] = '\0';
	return n;
}

/* One error channel: the dispatcher names the command that runs
 * (command_call), so handlers say only what went wrong. A message that
 * already starts with the name (buf_save's "save NAME: ...") keeps it. */
static void name_command(const Editor *ed, char *line, size_t size)
{
	const char *name = ed->cmd_running;
	size_t n = name ? strlen(name) : 0;
	if (!n || (strncmp(line, name, n) == 0 && (line[n] == ':' || line[n] == ' ')))
		return;
	size_t len = strlen(line);
	if (n + 2 + len >= size)
		len = size - n - 3;
	memmove(line + n + 2, line, len + 1);
	line[n + 2 + len] = '\0';
	memcpy(line, name, n);
	memcpy(line + n, ": ", 2);
}

void msg_vlog(Editor *ed, bool error, const char *fmt, va_list ap)
{
	char line[1024];
	vsnprintf(line, sizeof line, fmt, ap);
	if (error) {
		name_command(ed, line, sizeof line);
		ed->exit_status = 1;
		ed->errors++;
	}
	msg_append(ed, line, strlen(line));
	if (ed->ui.message)
		ed->ui.message(ed, line, error);
	else
		msg_print(stderr, error, line); /* info bare: scripts parse it */
}

bool msg_error(Editor *ed, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vlog(ed, true, fmt, ap);
	va_end(ap);
	return false;
}

void msg_info(Editor *ed, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vlog(ed, false, fmt, ap);
	va_end(ap);
}

void ed_ask(Editor *ed, const char *question, void (*done)(Editor *ed, bool yes, void *arg), void *arg)
{
	if (ed->ui.ask) {
		ed->ui.ask(ed, question, done, arg);
		return;
	}
	/* Headless never prompts: the answer is no, and that is an error. */
	msg_error(ed, "%s (answered no: headless)", question);
	done(ed, false, arg);
}

void ed_emit(Editor *ed, const char *event, Buffer *b)
{
	if (ed->hooks.event)
		ed->hooks.event(ed->hooks.ctx, event, b);
}

void ed_note_change(Editor *ed, Buffer *b)
{
	if (b->seen_version != b->text->version) {
		b->seen_version = b->text->version;
		ed_emit(ed, "change", b);
	}
}

/* ===== buffers =========================================================== */

static Buffer *buf_new(Editor *ed, const char *name)
{
	Buffer *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->text = text_new();
	b->name = strdup(name);
	if (!b->text || !b->name) {
		buf_free(b);
		return NULL;
	}
	b->id = ed->next_id++;
	b->goal_col = BUF_NOPOS;
	b->had_eol = true; /* a new file gets a final line break */
	b->final_newline = -1;
	sel_init(&b->sels);
	sel_reset(&b->sels, 0);
	/* Append, so buffers keep their opening order. */
	Buffer **pp = &ed->bufs;
	while (*pp)
		pp = &(*pp)->next;
	*pp = b;
	return b;
}

Buffer *ed_untitled(Editor *ed)
{
	return buf_new(ed, "[new]");
}

Buffer *ed_scratch(Editor *ed, const char *name)
{
	Buffer *b = buf_new(ed, name);
	if (b)
		b->scratch = true;
	return b;
}

const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

Buffer *ed_open(Editor *ed, const char *path)
{
	char real[PATH_MAX];
	bool is_stdin = strcmp(path, "-") == 0;
	if (!is_stdin && realpath(path, real))
		for (Buffer *o = ed->bufs; o; o = o->next)
			if (o->path && strcmp(o->path, real) == 0) {
				ed_focus(ed, o);
				return o;
			}
	Buffer *b = buf_new(ed, is_stdin ? "[stdin]" : path_base(path));
	if (!b) {
		msg_error(ed, "open %s: %s", path, strerror(ENOMEM));
		return NULL;
	}
	if (!is_stdin)
		journal_rollback(ed, path); /* a save a crash interrupted, undone first */
	if (!file_load(path, b->text, &b->disk)) {
		if (errno != ENOENT || is_stdin) {
			int e = errno;
			ed_close(ed, b);
			msg_error(ed, "open %s: %s", path, strerror(e));
			return NULL;
		}
		b->is_new = true;
	}
	if (is_stdin) {
		b->scratch = false;
	} else {
		free(b->path);
		b->path = realpath(path, real) ? strdup(real) : strdup(path);
	}
	b->crlf = text_has_crlf(b->text);
	b->binary = text_looks_binary(b->text);
	buf_note_disk(b);
	if (!ed->cur)
		ed->cur = b;
	ed_focus(ed, b);
	ed_emit(ed, "open", b);
	if (b->closed) {
		msg_info(ed, "%s: closed by an 'open' handler", b->name);
		return NULL;
	}
	b->seen_version = b->text->version;
	journal_opened(ed, b);
	return b;
}

Buffer *ed_find_buffer(Editor *ed, int id)
{
	for (Buffer *b = ed->bufs; b; b = b->next)
		if (b->id == id)
			return b;
	return NULL;
}

void ed_focus(Editor *ed, Buffer *b)
{
	if (ed->cur != b) {
		ed->cur = b;
		ed->win.buf = b;
		ed->win.top = 0;
		ed->win.left = 0;
	}
	ed->win.buf = b;
}

void ed_close(Editor *ed, Buffer *b)
{
	Buffer **pp = &ed->bufs;
	while (*pp && *pp != b)
		pp = &(*pp)->next;
	if (!*pp || b->closing)
		return;
	b->closing = true; /* a "close" handler closing b again does nothing */
	ed_emit(ed, "close", b);
	for (pp = &ed->bufs; *pp != b;)
		pp = &(*pp)->next;
	*pp = b->next;
	if (ed->messages == b)
		ed->messages = NULL;
	if (ed->cur == b) {
		/* Focus the next file buffer, else any, else a new empty one. */
		Buffer *n = NULL;
		for (Buffer *o = ed->bufs; o; o = o->next)
			if (o != ed->messages && (!n || !o->scratch))
				n = o;
		ed->cur = NULL;
		if (!n)
			n = ed_untitled(ed);
		if (n)
			ed_focus(ed, n);
	}
	if (ed->win.buf == b)
		ed->win.buf = ed->cur;
	/* Inside a callback, C code below may still hold b: freed by ed_reap. */
	b->closed = true;
	if (ed->hold) {
		b->next_dead = ed->dead;
		ed->dead = b;
	} else {
		buf_free(b);
	}
}

void ed_reap(Editor *ed)
{
	if (ed->hold)
		return;
	while (ed->dead) {
		Buffer *b = ed->dead;
		ed->dead = b->next_dead;
		buf_free(b);
	}
	panes_reap(ed->panes);
}

bool buf_is_modified(const Buffer *b)
{
	return !b->scratch && text_is_modified(b->text);
}

void buf_set_mode(Editor *ed, Buffer *b, const char *mode)
{
	snprintf(b->mode, sizeof b->mode, "%s", mode ? mode : "");
	b->view_ops = view_ops_for(b->mode);
	/* The hex view has its own read-only rule (save.c). */
	b->ro_file = buf_file_is_read_only(b, b->path);
	ed_emit(ed, "mode", b);
}

/* ===== edits through the selections ===================================== */

bool buf_apply(Editor *ed, Buffer *b, const Edit *e, size_t n, int kind, int placement)
{
	if (buf_try_apply(b, e, n, kind, placement))
		return true;
	if (errno == EPERM)
		return msg_error(ed, "%s is read-only", b->name);
	return msg_error(ed, "%s", strerror(errno));
}

bool buf_try_apply(Buffer *b, const Edit *e, size_t n, int kind, int placement)
{
	if (b->readonly) {
		errno = EPERM;
		return false;
	}
	if (n == 0)
		return true;
	size_t *np = malloc(n * sizeof *np);
	CursorSet before = {0}, after;
	bool cont = text_continues_run(b->text, kind);
	if (!np || (!cont && !sel_to_cursors(&b->sels, &before))) {
		free(np);
		errno = ENOMEM;
		return false;
	}
	text_begin_take(b->text, kind, &before);
	uint64_t v0 = b->text->version;
	if (!text_apply(b->text, e, n, np)) {
		int err = errno;
		text_end(b->text, NULL);
		free(np);
		errno = err;
		return false;
	}
	filter_note_edit(b->filter, v0, b->text->version, e[0].pos);
	SelSet *ss = &b->sels;
	if (placement != PLACE_MAP && n == ss->n) {
		for (size_t i = 0; i < n; i++) {
			size_t end = np[i] + e[i].ins_len;
			ss->v[i] = placement == PLACE_AFTER ? (Sel){end, end} : (Sel){np[i], end};
		}
	} else {
		for (size_t i = 0; i < ss->n; i++) {
			ss->v[i].anchor = text_map_pos(e, n, np, ss->v[i].anchor);
			ss->v[i].head = text_map_pos(e, n, np, ss->v[i].head);
		}
	}
	free(np);
	sel_normalize(ss);
	b->goal_col = BUF_NOPOS;
	if (sel_to_cursors(ss, &after))
		text_end_take(b->text, &after);
	else
		text_end(b->text, NULL);
	return true;
}

static bool restore_step(Editor *ed, Buffer *b, bool undo)
{
	CursorSet cs = {0};
	bool ok = undo ? text_undo(b->text, &cs) : text_redo(b->text, &cs);
	if (!ok && errno != ENOENT)
		return msg_error(ed, "%s", strerror(errno));
	if (!ok) {
		msg_info(ed, "nothing to %s", undo ? "undo" : "redo");
		return true;
	}
	if (cs.n)
		sel_from_cursors(&b->sels, &cs);
	cursorset_free(&cs);
	sel_clamp(&b->sels, text_len(b->text));
	b->goal_col = BUF_NOPOS;
	return true;
}

bool buf_undo(Editor *ed, Buffer *b) { return restore_step(ed, b, true); }
bool buf_redo(Editor *ed, Buffer *b) { return restore_step(ed, b, false); }

bool ed_type(Editor *ed, const char *s, size_t len)
{
	Buffer *b = ed->cur;
	if (!b)
		return false;
	uint64_t now = loop_now_ms();
	if (now - ed->last_key_ms > TYPING_PAUSE_MS)
		text_break(b->text);
	ed->last_key_ms = now;
	SelSet *ss = &b->sels;
	Edit *e = malloc((ss->n ? ss->n : 1) * sizeof *e);
	if (!e)
		return msg_error(ed, "type: %s", strerror(ENOMEM));
	for (size_t i = 0; i < ss->n; i++)
		e[i] = (Edit){sel_start(ss->v[i]), sel_end(ss->v[i]) - sel_start(ss->v[i]), s, len};
	bool ok = buf_apply(ed, b, e, ss->n, TXN_TYPING, PLACE_AFTER);
	free(e);
	return ok;
}

/* ===== commands and keys ================================================= */

/* A handler may close any buffer: after each event the walk starts over
 * (each buffer is told once per version, so this ends). */
static void note_change(Editor *ed)
{
	for (Buffer *b = ed->bufs; b;) {
		if (b->seen_version != b->text->version && b != ed->messages) {
			ed_note_change(ed, b);
			b = ed->bufs;
			continue;
		}
		b = b->next;
	}
}

bool ed_command(Editor *ed, const char *line)
{
	CmdCall call;
	command_resolve(ed, line, &call);
	bool ok = command_call(ed, &call);
	note_change(ed);
	return ok;
}

/* The binding's command line, resolved on first use and kept until the
 * commands (Lua registers some after init.lua) or the buffer mode (mode
 * commands shadow global ones) change. */
static const CmdCall *binding_call(Editor *ed, const Binding *cb)
{
	Binding *b = (Binding *)cb; /* the cache is a memo (keymap.h) */
	const char *mode = ed->cur ? ed->cur->mode : "";
	if (b->call_gen != ed->cmd_gen || strcmp(b->call_mode, mode) != 0) {
		command_resolve(ed, b->command, &b->call);
		b->call_gen = ed->cmd_gen;
		snprintf(b->call_mode, sizeof b->call_mode, "%s", mode);
	}
	return &b->call;
}

static bool run_binding(Editor *ed, const Binding *b)
{
	if (b->command) {
		bool ok = macro_run_typed(ed, b->command, binding_call(ed, b));
		note_change(ed);
		return ok;
	}
	if (!ed->hooks.call_ref)
		return true;
	if (ed->cur)
		text_break(ed->cur->text);
	bool ok = ed->hooks.call_ref(ed->hooks.ctx, b->lua_ref, NULL);
	note_change(ed);
	return ok;
}

/* Resolves a key against the pending chord. Returns the binding to run, or
 * NULL with *text set when the key types itself. */
static const Binding *resolve(Editor *ed, Key k, bool *text)
{
	*text = false;
	macro_note_key(ed, k, ed->npending == 0);
	/* An open plugin menu or prompt takes every key (picker.c). */
	if (picker_key(ed, k)) {
		ed->npending = 0;
		note_change(ed);
		return NULL;
	}
	if (ed->npending < KEYMAP_MAXSEQ)
		ed->pending[ed->npending++] = k;
	const Binding *b = NULL;
	const char *mode = ed->cur ? ed->cur->mode : "";
	/* A focused pane: its mode, the pane defaults, its key hook (pane.c). */
	Pane *fp = pane_focused(ed);
	KmResult r = fp ? pane_lookup(ed, fp, ed->pending, ed->npending, &b)
	                : keymap_lookup(ed->keymap, mode, ed->pending, ed->npending, &b);
	if (r == KM_PREFIX)
		return NULL;
	int np = ed->npending;
	ed->npending = 0;
	if (r == KM_FOUND && !b)
		note_change(ed); /* used by the pane's key hook */
	if (r == KM_FOUND)
		return b;
	if (np == 1 && keys_is_text(k)) {
		*text = true;
		return NULL;
	}
	char name[32];
	msg_info(ed, "%s is not bound", keys_name(k, name, sizeof name));
	return NULL;
}

void ed_key(Editor *ed, Key k)
{
	bool text;
	const Binding *b = resolve(ed, k, &text);
	if (b) {
		run_binding(ed, b);
	} else if (text) {
		char buf[4];
		size_t n = utf8_encode(BK_BASE(k), buf);
		ed_type(ed, buf, n);
		note_change(ed);
	}
}

/* Text keys gathered to be typed as one insert. */
typedef struct TextRun {
	char *s;
	size_t len, cap;
	size_t first;      /* index of its first key */
} TextRun;

static bool run_add(TextRun *r, Key k, size_t i)
{
	if (!r->len)
		r->first = i;
	if (!ARRAY_RESERVE(r->s, r->cap, r->len + 4))
		return false;
	r->len += utf8_encode(BK_BASE(k), r->s + r->len);
	return true;
}

/* Types what was gathered; false when that failed. */
static bool run_type(Editor *ed, TextRun *r)
{
	if (!r->len)
		return true;
	unsigned long errs = ed->errors;
	bool ok = ed_type(ed, r->s, r->len);
	note_change(ed);
	r->len = 0;
	return ok && ed->errors == errs;
}

size_t ed_keys(Editor *ed, const Key *keys, size_t n)
{
	/* Runs of unbound text keys are typed as one insert: the same result as
	 * key by key (one typing run), in one pass over the buffer. */
	TextRun run = {0};
	size_t failed = n;
	for (size_t i = 0; i < n && !ed->quit && failed == n; i++) {
		bool text;
		const Binding *b = resolve(ed, keys[i], &text);
		if (text) {
			if (!run_add(&run, keys[i], i))
				failed = i;
			continue;
		}
		unsigned long errs = ed->errors;
		if (!run_type(ed, &run))
			failed = run.first;
		else if (b && (!run_binding(ed, b) || ed->errors != errs))
			failed = i;
	}
	if (failed == n && !run_type(ed, &run))
		failed = run.first;
	free(run.s);
	return failed;
}
