/* File and buffer commands: save, save-as, save-force, save-all, quit,
 * open, buffer switching, reload, set. Questions go through ed_ask() (or
 * ui_choose() for quit's three answers), so headless runs answer no. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/journal.h"
#include "editor/path.h"
#include "editor/sysclip.h"
#include "editor/ui.h"
#include "buffer/array.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Saves b to a file name as typed (~ and $VAR expanded, editor/path.h);
 * an empty name saves to its own file. flags: buf_save's. */
static bool save_typed(Editor *ed, Buffer *b, const char *typed, int flags)
{
	if (!typed || !*typed)
		return buf_save(ed, b, NULL, flags);
	char *path = path_expand(typed);
	if (!path)
		return msg_error(ed, "save %s: %s", typed, strerror(ENOMEM));
	bool ok = buf_save(ed, b, path, flags);
	free(path);
	return ok;
}

bool cmd_save_to(Editor *ed, const char *typed) { return save_typed(ed, ed->cur, typed, 0); }

bool cmd_save(Editor *ed, const char *args) { return cmd_save_to(ed, args); }

bool cmd_save_as(Editor *ed, const char *args)
{
	if (!*args)
		return msg_error(ed, "which file name?");
	return cmd_save_to(ed, args);
}

bool cmd_save_force(Editor *ed, const char *args)
{
	return save_typed(ed, ed->cur, args, SAVE_READONLY_OK | SAVE_CHANGED_OK);
}

/* Every modified buffer that has a file; false when one was not saved. */
bool cmd_save_all(Editor *ed, const char *args)
{
	bool ok = true;
	for (Buffer *b = ed->bufs; b; b = b->next) {
		if (!buf_is_modified(b))
			continue;
		if (!b->path)
			ok = msg_error(ed, "%s has no file name (save-as PATH)", b->name);
		else
			ok = buf_save(ed, b, NULL, 0) && ok;
	}
	return ok;
}

static void quit_now(Editor *ed)
{
	ed_emit(ed, "quit", NULL);
	ed->quit = true;
}

bool cmd_quit_save_all(Editor *ed, const char *args)
{
	if (!cmd_save_all(ed, args))
		return msg_error(ed, "not everything was saved; not quitting");
	quit_now(ed);
	return true;
}

/* ----- Ctrl-Q, as in nano and micro: for each modified buffer in turn,
 * "Save changes to NAME? (y/n/Esc)": y saves it (asking for a name when
 * it has none), n drops its changes, Esc cancels the quit. */

typedef struct QuitRun {
	int *ids;          /* the modified buffers when quit was asked */
	size_t n, i;       /* the one asked about */
} QuitRun;

static void quit_step(Editor *ed, QuitRun *q);

static void quit_free(QuitRun *q)
{
	free(q->ids);
	free(q);
}

static void quit_saved_as(Editor *ed, const char *text, void *arg)
{
	QuitRun *q = arg;
	Buffer *b = ed_find_buffer(ed, q->ids[q->i]);
	/* No name, or the save failed or asks first: the quit stops there. */
	if (!text || !*text || !b || !save_typed(ed, b, text, 0)) {
		quit_free(q);
		return;
	}
	q->i++;
	quit_step(ed, q);
}

static void quit_choice(Editor *ed, int ch, void *arg)
{
	QuitRun *q = arg;
	Buffer *b = ed_find_buffer(ed, q->ids[q->i]);
	if (ch == 0) {
		msg_info(ed, "quit cancelled");
		quit_free(q);
		return;
	}
	if (b && ch == 'y' && (!b->path || b->scratch)) {
		UiPrompt p = {.label = "Save as: ", .history = UI_HIST_FILE, .complete_files = true, .done = quit_saved_as, .arg = q};
		if (!ui_prompt_open(ed, &p))
			quit_free(q);
		return;
	}
	if (b && ch == 'y' && !buf_save(ed, b, NULL, 0)) {
		quit_free(q); /* its error, or its question, is on screen */
		return;
	}
	q->i++;
	quit_step(ed, q);
}

static void quit_step(Editor *ed, QuitRun *q)
{
	for (; q->i < q->n; q->i++) {
		Buffer *b = ed_find_buffer(ed, q->ids[q->i]);
		char msg[320];
		if (!b || !buf_is_modified(b))
			continue;
		ed_focus(ed, b); /* show what the question is about */
		snprintf(msg, sizeof msg, "Save changes to %s? (y/n/Esc) ", b->name);
		if (ui_choose(ed, msg, "yn", quit_choice, q))
			return;
		break;
	}
	if (q->i >= q->n)
		quit_now(ed);
	quit_free(q);
}

/* Headless: the answer is no, so the buffer's changes are dropped; the
 * question was reported as an error (exit status 1). */
static void dropped(Editor *ed, bool yes, void *arg)
{
}

bool cmd_quit(Editor *ed, const char *args)
{
	QuitRun *q = calloc(1, sizeof *q);
	size_t cap = 0;
	for (Buffer *b = ed->bufs; q && b; b = b->next)
		if (buf_is_modified(b)) {
			if (!ARRAY_RESERVE(q->ids, cap, q->n + 1)) {
				quit_free(q);
				q = NULL;
				break;
			}
			q->ids[q->n++] = b->id;
		}
	if (!q)
		return msg_error(ed, "%s", strerror(ENOMEM));
	if (q->n == 0 || ui_is_running(ed)) {
		quit_step(ed, q);
		return true;
	}
	/* Headless: each question is answered no (reported), so nothing is saved. */
	for (size_t i = 0; i < q->n; i++) {
		char msg[320];
		snprintf(msg, sizeof msg, "Save changes to %s?", ed_find_buffer(ed, q->ids[i])->name);
		ed_ask(ed, msg, dropped, NULL);
	}
	quit_free(q);
	quit_now(ed);
	return false;
}

bool cmd_quit_force(Editor *ed, const char *args)
{
	quit_now(ed);
	return true;
}

bool cmd_open(Editor *ed, const char *args)
{
	if (!*args)
		return msg_error(ed, "which file?");
	char *path = path_expand(args);
	if (!path)
		return msg_error(ed, "open %s: %s", args, strerror(ENOMEM));
	bool ok = ed_open(ed, path) != NULL;
	free(path);
	return ok;
}

static Buffer *next_file_buffer(Editor *ed, Buffer *from, bool back)
{
	/* Cycles through buffers in list order, skipping *messages*. */
	Buffer *list[256];
	size_t n = 0, at = 0;
	for (Buffer *b = ed->bufs; b && n < 256; b = b->next)
		if (b != ed->messages || b == from) {
			if (b == from)
				at = n;
			list[n++] = b;
		}
	if (n < 2)
		return from;
	return list[(at + (back ? n - 1 : 1)) % n];
}

bool cmd_buffer_next(Editor *ed, const char *args)
{
	ed_focus(ed, next_file_buffer(ed, ed->cur, false));
	return true;
}

bool cmd_buffer_prev(Editor *ed, const char *args)
{
	ed_focus(ed, next_file_buffer(ed, ed->cur, true));
	return true;
}

static void close_answer(Editor *ed, bool yes, void *arg)
{
	Buffer *b = ed_find_buffer(ed, (int)(long)arg);
	if (yes && b)
		ed_close(ed, b);
}

bool cmd_buffer_close(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	if (!buf_is_modified(b)) {
		ed_close(ed, b);
		return true;
	}
	char q[160];
	snprintf(q, sizeof q, "%s is modified; close it and lose the changes?", b->name);
	ed_ask(ed, q, close_answer, (void *)(long)b->id);
	return !ed->headless;
}

bool buf_reload(Editor *ed, Buffer *b)
{
	Text *t = text_new();
	FileInfo fi;
	journal_rollback(ed, b->path); /* another brisk died saving it */
	if (!t || !file_load(b->path, t, &fi)) {
		int e = errno;
		text_free(t);
		return msg_error(ed, "reload %s: %s", b->name, strerror(e));
	}
	size_t len = text_len(t), keep = b->sels.v[b->sels.primary].head;
	bool ok = true;
	if (text_source(t)) {
		/* A big file is mapped, not read: its pages replace ours, and the
		 * history goes (undoing would need a copy of the whole file). */
		text_take(b->text, t);
		sel_reset(&b->sels, keep < len ? keep : len);
	} else {
		/* Reload is an edit: the whole text replaced, undoable. */
		char *all = text_dup(t, 0, len);
		Edit e = {0, text_len(b->text), all, len};
		ok = all ? buf_apply(ed, b, &e, 1, TXN_PLAIN, PLACE_MAP) : msg_error(ed, "reload %s: %s", b->name, strerror(ENOMEM));
		free(all);
		if (ok)
			sel_reset(&b->sels, keep < len ? keep : len);
	}
	if (ok) {
		b->disk = fi;
		buf_note_disk(b);
		text_mark_saved(b->text);
		msg_info(ed, "reloaded %s", b->name);
	}
	text_free(t);
	return ok;
}

static void reload_answer(Editor *ed, bool yes, void *arg)
{
	Buffer *b = ed_find_buffer(ed, (int)(long)arg);
	if (yes && b)
		buf_reload(ed, b);
}

bool cmd_reload(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	if (!b->path)
		return msg_error(ed, "%s has no file", b->name);
	if (!buf_is_modified(b)) {
		buf_reload(ed, b);
		return true;
	}
	char q[160];
	snprintf(q, sizeof q, "%s has unsaved changes; reload and lose them?", b->name);
	ed_ask(ed, q, reload_answer, (void *)(long)b->id);
	return !ed->headless;
}

/* The settings `set` knows: name, where the value is, its range. */
typedef struct Setting {
	const char *name;
	int min, max;
} Setting;

static const Setting settings[] = {
	{"tabwidth", 1, 32}, {"expandtab", 0, 1}, {"autoindent", 0, 1}, {"finalnewline", 0, 1},
};

/* The flag behind settings[i] (i > 0; tabwidth is an int). */
static bool *setting_flag(Editor *ed, size_t i)
{
	return i == 1 ? &ed->expandtab : i == 2 ? &ed->autoindent : &ed->final_newline;
}

static int setting_get(Editor *ed, size_t i)
{
	return i == 0 ? ed->tabw : *setting_flag(ed, i);
}

static void setting_store(Editor *ed, size_t i, int v)
{
	if (i == 0)
		ed->tabw = v;
	else
		*setting_flag(ed, i) = v != 0;
}

/* set NAME VALUE; set NAME shows the value; set alone shows them all
 * (clipboard takes a word: auto, terminal, external, internal). */
bool cmd_set(Editor *ed, const char *args)
{
	size_t count = sizeof settings / sizeof settings[0], nl = strcspn(args, " \t");
	const char *val = args + nl + strspn(args + nl, " \t");
	/* The clipboard's value is a word (editor/sysclip.h). */
	if (nl == 9 && strncmp(args, "clipboard", 9) == 0) {
		if (*val && !sysclip_set_mode(ed, val))
			return msg_error(ed, "set clipboard: auto, terminal, external or internal, not %s", val);
		if (!*val) {
			const char *tool = sysclip_tool(ed);
			msg_info(ed, "clipboard %s (%s)", sysclip_mode_name(ed), tool ? tool : "no clipboard tool in use");
		}
		return true;
	}
	if (nl == 0) {
		char all[200] = "";
		for (size_t i = 0; i < count; i++) {
			size_t used = strlen(all);
			snprintf(all + used, sizeof all - used, "%s %d, ", settings[i].name, setting_get(ed, i));
		}
		msg_info(ed, "%sclipboard %s", all, sysclip_mode_name(ed));
		return true;
	}
	for (size_t i = 0; i < count; i++) {
		if (strlen(settings[i].name) != nl || strncmp(args, settings[i].name, nl) != 0)
			continue;
		if (!*val) {
			msg_info(ed, "%s %d", settings[i].name, setting_get(ed, i));
			return true;
		}
		char *end;
		long v = strtol(val, &end, 10);
		end += strspn(end, " \t");
		if (end == val || *end || v < settings[i].min || v > settings[i].max)
			return msg_error(ed, "set %s: the value must be %d to %d, not %s", settings[i].name, settings[i].min,
			                 settings[i].max, val);
		setting_store(ed, i, (int)v);
		return true;
	}
	return msg_error(ed, "unknown setting %.*s (tabwidth, expandtab, autoindent, finalnewline, clipboard)", (int)nl, args);
}
