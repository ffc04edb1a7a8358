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
	ed->next_id = 1;
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
	for (size_t i = 0; i < ed->clip.n; i++)
		free(ed->clip.parts[i]);
	free(ed->clip.parts);
	free(ed->clip.lens);
	free(ed->search);
	free(ed->last_command);
	keymap_free(ed->keymap);
	panes_free(ed->panes);
	macro_free(ed->macro);
	split_free(ed->splits);
	loop_free(ed->loop);
	free(ed);
}

/* ===== messages ========================================================== */

void msg_vlog(Editor *ed, bool error, const char *fmt, va_list ap)
{
	char line[1024];
	vsnprintf(line, sizeof line, fmt, ap);
	if (error)
		ed->exit_status = 1;
	if (ed->messages) {
		Text *t = ed->messages->text;
		text_insert(t, text_len(t), line, strlen(line));
		text_insert(t, text_len(t), "\n", 1);
	}
	if (ed->ui.message)
		ed->ui.message(ed, line, error);
	else if (error)
		fprintf(stderr, "brisk: %s\n", line);
	else
		fprintf(stderr, "%s\n", line); /* bare: scripts parse info messages */
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

static const char *base_name(const char *path)
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
	Buffer *b = buf_new(ed, is_stdin ? "[stdin]" : base_name(path));
	if (!b) {
		msg_error(ed, "open %s: %s", path, strerror(ENOMEM));
		return NULL;
	}
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
	if (!ed->cur)
		ed->cur = b;
	ed_focus(ed, b);
	ed_emit(ed, "open", b);
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
	if (!*pp)
		return;
	ed_emit(ed, "close", b);
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
	buf_free(b);
}

bool buf_is_modified(const Buffer *b)
{
	return !b->scratch && text_is_modified(b->text);
}

void buf_set_mode(Editor *ed, Buffer *b, const char *mode)
{
	snprintf(b->mode, sizeof b->mode, "%s", mode ? mode : "");
	ed_emit(ed, "mode", b);
}

typedef struct SaveReq {
	Buffer *b;
	char *path;
} SaveReq;

static void save_anyway(Editor *ed, bool yes, void *arg)
{
	SaveReq *r = arg;
	if (yes && ed_find_buffer(ed, r->b->id) == r->b)
		buf_save(ed, r->b, r->path, true);
	free(r->path);
	free(r);
}

bool buf_save(Editor *ed, Buffer *b, const char *path, bool force)
{
	const char *target = path ? path : b->path;
	if (!target)
		return msg_error(ed, "save %s: no file name (use save-as PATH)", b->name);
	if (b->scratch && !path)
		return msg_error(ed, "save %s: a scratch buffer has no file", b->name);
	/* Saving under another name: that file's state is not ours to check. */
	FileInfo other = {0};
	FileInfo *fi = path && (!b->path || strcmp(path, b->path) != 0) ? &other : &b->disk;
	if (fi == &other)
		file_stat(target, &other), other.exists = false;
	if (!file_save(target, b->text, fi, force)) {
		if (errno == FILEIO_ECHANGED) {
			SaveReq *r = calloc(1, sizeof *r);
			if (r) {
				r->b = b;
				r->path = path ? strdup(path) : NULL;
				ed_ask(ed, "file changed on disk since it was read; overwrite it?", save_anyway, r);
			}
			return false;
		}
		return msg_error(ed, "save %s: %s", target, strerror(errno));
	}
	if (fi == &other) {
		char real[PATH_MAX];
		free(b->path);
		b->path = strdup(realpath(target, real) ? real : target);
		free(b->name);
		b->name = strdup(base_name(target));
		b->disk = other;
		b->scratch = false;
	}
	b->is_new = false;
	journal_saved(ed, b);
	msg_info(ed, "wrote %s (%zu bytes)", b->name, text_len(b->text));
	ed_emit(ed, "save", b);
	return true;
}

/* ===== edits through the selections ===================================== */

bool buf_apply(Editor *ed, Buffer *b, const Edit *e, size_t n, int kind, int placement)
{
	if (b->readonly)
		return msg_error(ed, "%s is read-only", b->name);
	if (n == 0)
		return true;
	size_t *np = malloc(n * sizeof *np);
	CursorSet before = {0}, after;
	bool cont = text_continues_run(b->text, kind);
	if (!np || (!cont && !sel_to_cursors(&b->sels, &before))) {
		free(np);
		return msg_error(ed, "edit: %s", strerror(ENOMEM));
	}
	text_begin_take(b->text, kind, &before);
	uint64_t v0 = b->text->version;
	if (!text_apply(b->text, e, n, np)) {
		int err = errno;
		text_end(b->text, NULL);
		free(np);
		return msg_error(ed, "edit: %s", strerror(err));
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

static void note_change(Editor *ed)
{
	for (Buffer *b = ed->bufs; b; b = b->next)
		if (b->seen_version != b->text->version && b != ed->messages) {
			b->seen_version = b->text->version;
			ed_emit(ed, "change", b);
		}
}

bool ed_command(Editor *ed, const char *line)
{
	while (*line == ' ' || *line == '\t' || *line == ':')
		line++;
	if (!*line)
		return true;
	char name[64];
	size_t n = strcspn(line, " \t");
	const char *args = line + n;
	while (*args == ' ' || *args == '\t')
		args++;
	/* Structural regex commands: x/re/ y/re/ g/re/ v/re/ ... */
	bool structural = strchr("xygv", line[0]) && line[1] && !(line[1] >= 'a' && line[1] <= 'z') && line[1] != '-';
	if (structural || n >= sizeof name) {
		const Command *c = command_find("structural");
		bool ok = c && c->fn(ed, line);
		note_change(ed);
		return ok;
	}
	memcpy(name, line, n);
	name[n] = '\0';
	bool found = false, ok = false;
	if (ed->hooks.command) {
		ok = ed->hooks.command(ed->hooks.ctx, name, args, true, &found);
		if (found) {
			note_change(ed);
			return ok;
		}
	}
	const Command *c = command_find(name);
	if (c) {
		if (ed->cur && !(c->flags & CMD_TYPING))
			text_break(ed->cur->text);
		if ((c->flags & CMD_EDITS) && ed->cur && ed->cur->readonly)
			ok = msg_error(ed, "%s: %s is read-only", name, ed->cur->name);
		else
			ok = c->fn(ed, args);
		/* The goal column lives from one vertical move to the next only. */
		if (ed->cur && !(c->flags & CMD_KEEPS_GOAL))
			ed->cur->goal_col = BUF_NOPOS;
		note_change(ed);
		return ok;
	}
	if (ed->hooks.command) {
		ok = ed->hooks.command(ed->hooks.ctx, name, args, false, &found);
		if (found) {
			note_change(ed);
			return ok;
		}
	}
	char near[200];
	if (command_suggest(ed, name, near, sizeof near))
		return msg_error(ed, "unknown command: %s (did you mean %s?)", name, near);
	return msg_error(ed, "unknown command: %s (F1 lists the commands)", name);
}

static void run_binding(Editor *ed, const Binding *b)
{
	if (b->command) {
		macro_run(ed, b->command);
		return;
	}
	if (ed->hooks.call_ref) {
		if (ed->cur)
			text_break(ed->cur->text);
		ed->hooks.call_ref(ed->hooks.ctx, b->lua_ref, NULL);
		note_change(ed);
	}
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

void ed_keys(Editor *ed, const Key *keys, size_t n)
{
	/* Runs of unbound text keys are typed as one insert: the same result as
	 * key by key (one typing run), in one pass over the buffer. */
	char *run = NULL;
	size_t len = 0, cap = 0;
	for (size_t i = 0; i < n && !ed->quit; i++) {
		bool text;
		const Binding *b = resolve(ed, keys[i], &text);
		if (text) {
			if (len + 4 > cap) {
				cap = cap ? cap * 2 : 64;
				char *nr = realloc(run, cap);
				if (!nr)
					break;
				run = nr;
			}
			len += utf8_encode(BK_BASE(keys[i]), run + len);
			continue;
		}
		if (len) {
			ed_type(ed, run, len);
			note_change(ed);
			len = 0;
		}
		if (b)
			run_binding(ed, b);
	}
	if (len) {
		ed_type(ed, run, len);
		note_change(ed);
	}
	free(run);
}
