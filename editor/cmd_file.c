/* File and buffer commands: save, save-as, save-force, save-all, quit,
 * open, buffer switching, reload, set. Questions go through ed_ask() (or
 * ui_choose() for quit's three answers), so headless runs answer no. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/journal.h"
#include "editor/sysclip.h"
#include "editor/ui.h"
#include "buffer/array.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cmd_save(Editor *ed, const char *args)
{
	return buf_save(ed, ed->cur, *args ? args : NULL, 0);
}

bool cmd_save_as(Editor *ed, const char *args)
{
	if (!*args)
		return msg_error(ed, "save-as: which file name?");
	return buf_save(ed, ed->cur, args, 0);
}

bool cmd_save_force(Editor *ed, const char *args)
{
	return buf_save(ed, ed->cur, *args ? args : NULL, SAVE_READONLY_OK | SAVE_CHANGED_OK);
}

/* Every modified buffer that has a file; false when one was not saved. */
bool cmd_save_all(Editor *ed, const char *args)
{
	bool ok = true;
	for (Buffer *b = ed->bufs; b; b = b->next) {
		if (!buf_is_modified(b))
			continue;
		if (!b->path)
			ok = msg_error(ed, "save-all: %s has no file name (save-as PATH)", b->name);
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
		return msg_error(ed, "quit-save-all: not everything was saved; not quitting");
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
	if (!text || !*text || !b || !buf_save(ed, b, text, 0)) {
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
		return msg_error(ed, "quit: %s", strerror(ENOMEM));
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
		return msg_error(ed, "open: which file?");
	return ed_open(ed, args) != NULL;
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
	/* Reload is an edit: the whole text replaced, undoable. */
	size_t len = text_len(t), keep = b->sels.v[b->sels.primary].head;
	Edit e = {0, text_len(b->text), text_contiguous(t), len};
	bool ok = buf_apply(ed, b, &e, 1, TXN_PLAIN, PLACE_MAP);
	if (ok) {
		sel_reset(&b->sels, keep < len ? keep : len);
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
		return msg_error(ed, "reload: %s has no file", b->name);
	if (!buf_is_modified(b)) {
		buf_reload(ed, b);
		return true;
	}
	char q[160];
	snprintf(q, sizeof q, "%s has unsaved changes; reload and lose them?", b->name);
	ed_ask(ed, q, reload_answer, (void *)(long)b->id);
	return !ed->headless;
}

bool cmd_set(Editor *ed, const char *args)
{
	char name[32], word[32];
	int v;
	if (sscanf(args, "%31s %31s", name, word) == 2 && strcmp(name, "clipboard") == 0) {
		if (!sysclip_set_mode(ed, word))
			return msg_error(ed, "set clipboard: auto, terminal, external or internal, not %s", word);
		return true;
	}
	if (strcmp(args, "clipboard") == 0) {
		const char *tool = sysclip_tool(ed);
		msg_info(ed, "clipboard %s (%s)", sysclip_mode_name(ed), tool ? tool : "no clipboard tool in use");
		return true;
	}
	if (sscanf(args, "%31s %d", name, &v) != 2)
		return msg_error(ed, "set: usage: set NAME VALUE (tabwidth, expandtab, autoindent, finalnewline, clipboard)");
	if (strcmp(name, "tabwidth") == 0 && v > 0 && v <= 32)
		ed->tabw = v;
	else if (strcmp(name, "expandtab") == 0)
		ed->expandtab = v != 0;
	else if (strcmp(name, "autoindent") == 0)
		ed->autoindent = v != 0;
	else if (strcmp(name, "finalnewline") == 0)
		ed->final_newline = v != 0;
	else
		return msg_error(ed, "set: unknown setting or bad value: %s", args);
	return true;
}
