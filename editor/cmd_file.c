/* File and buffer commands: save, save-as, quit, open, buffer switching,
 * reload, set. Questions go through ed_ask(), so headless runs answer no. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/path.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Saves the current buffer to a file name as typed (~ and $VAR expanded,
 * editor/path.h); an empty name saves to its own file. */
bool cmd_save_to(Editor *ed, const char *typed)
{
	if (!*typed)
		return buf_save(ed, ed->cur, NULL, false);
	char *path = path_expand(typed);
	if (!path)
		return msg_error(ed, "save %s: %s", typed, strerror(ENOMEM));
	bool ok = buf_save(ed, ed->cur, path, false);
	free(path);
	return ok;
}

bool cmd_save(Editor *ed, const char *args) { return cmd_save_to(ed, args); }

bool cmd_save_as(Editor *ed, const char *args)
{
	if (!*args)
		return msg_error(ed, "save-as: which file name?");
	return cmd_save_to(ed, args);
}

static size_t count_modified(Editor *ed)
{
	size_t n = 0;
	for (Buffer *b = ed->bufs; b; b = b->next)
		n += buf_is_modified(b);
	return n;
}

static void quit_answer(Editor *ed, bool yes, void *arg)
{
	if (yes) {
		ed_emit(ed, "quit", NULL);
		ed->quit = true;
	}
}

bool cmd_quit(Editor *ed, const char *args)
{
	size_t n = count_modified(ed);
	if (n == 0) {
		ed_emit(ed, "quit", NULL);
		ed->quit = true;
		return true;
	}
	char q[128];
	snprintf(q, sizeof q, "%zu modified buffer%s not saved; quit and lose the changes?", n, n == 1 ? "" : "s");
	ed_ask(ed, q, quit_answer, NULL);
	return !ed->headless;
}

bool cmd_quit_force(Editor *ed, const char *args)
{
	ed_emit(ed, "quit", NULL);
	ed->quit = true;
	return true;
}

bool cmd_open(Editor *ed, const char *args)
{
	if (!*args)
		return msg_error(ed, "open: which file?");
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

/* The settings `set` knows: name, where the value is, its range. */
typedef struct Setting {
	const char *name;
	int min, max;
} Setting;

static const Setting settings[] = {{"tabwidth", 1, 32}, {"expandtab", 0, 1}, {"autoindent", 0, 1}};

static int *setting_value(Editor *ed, size_t i, int *tmp)
{
	if (i == 0)
		return &ed->tabw;
	*tmp = i == 1 ? ed->expandtab : ed->autoindent;
	return tmp;
}

static void setting_store(Editor *ed, size_t i, int v)
{
	if (i == 0)
		ed->tabw = v;
	else if (i == 1)
		ed->expandtab = v != 0;
	else
		ed->autoindent = v != 0;
}

/* set NAME VALUE; set NAME shows the value; set alone shows them all. */
bool cmd_set(Editor *ed, const char *args)
{
	size_t count = sizeof settings / sizeof settings[0], nl = strcspn(args, " \t");
	int tmp;
	if (nl == 0) {
		char all[160] = "";
		for (size_t i = 0; i < count; i++) {
			size_t used = strlen(all);
			snprintf(all + used, sizeof all - used, "%s%s %d", i ? ", " : "", settings[i].name, *setting_value(ed, i, &tmp));
		}
		msg_info(ed, "%s", all);
		return true;
	}
	const char *val = args + nl + strspn(args + nl, " \t");
	for (size_t i = 0; i < count; i++) {
		if (strlen(settings[i].name) != nl || strncmp(args, settings[i].name, nl) != 0)
			continue;
		if (!*val) {
			msg_info(ed, "%s %d", settings[i].name, *setting_value(ed, i, &tmp));
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
	return msg_error(ed, "set: unknown setting %.*s (tabwidth, expandtab, autoindent)", (int)nl, args);
}
