/* Saving a buffer: the questions (another file there, a file changed on
 * disk), the refusals (special files, read-only files without save-force),
 * the final line break, and what a failure means, said for the user. How
 * the bytes reach the disk is buffer/filesave.c. */
#include "editor/editor.h"
#include "editor/journal.h"
#include "editor/render_hex.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Two rules for one question, chosen by the view, as the tools each view
 * replaces answer it:
 * - the text view follows vim: a file with no write bit at all is
 *   read-only even for root (whose write would succeed): someone took the
 *   bits away on purpose, so a plain save asks for save-force;
 * - the hex view follows hexedit (and dd, xxd -r): a file is read-only only
 *   when the OS would refuse to open it for writing (access(W_OK) fails),
 *   so root patches a 0444 file there as with those tools, while a user
 *   still sees another's file (or a read-only mount) as read-only.
 * A buffer switched between views is asked again (buf_set_mode). */
bool buf_file_is_read_only(const Buffer *b, const char *path)
{
	if (!path)
		return false;
	return file_is_read_only(path, render_hex_is_on(b) ? FILE_RO_ACCESS : FILE_RO_MODE);
}

void buf_note_disk(Buffer *b)
{
	size_t len = text_len(b->text);
	b->had_eol = len == 0 || text_byte(b->text, len - 1) == '\n';
	b->ro_file = buf_file_is_read_only(b, b->path);
}

bool buf_final_newline(Editor *ed, Buffer *b)
{
	int want = b->final_newline >= 0 ? b->final_newline : ed->final_newline;
	size_t len = text_len(b->text);
	if (!want || !b->had_eol || b->binary || b->mode[0] || b->readonly || len == 0 || text_byte(b->text, len - 1) == '\n')
		return true;
	const char *nl = b->crlf ? "\r\n" : "\n";
	Edit e = {len, 0, nl, strlen(nl)};
	text_break(b->text);
	if (!buf_apply(ed, b, &e, 1, TXN_PLAIN, PLACE_MAP))
		return false;
	text_break(b->text);
	/* Cursors at the end stay before the added line break. */
	for (size_t i = 0; i < b->sels.n; i++) {
		Sel *s = &b->sels.v[i];
		s->anchor = s->anchor > len ? len : s->anchor;
		s->head = s->head > len ? len : s->head;
	}
	return true;
}

typedef struct SaveReq {
	int id;
	char *path;
	int flags;
} SaveReq;

static void save_anyway(Editor *ed, bool yes, void *arg)
{
	SaveReq *r = arg;
	Buffer *b = ed_find_buffer(ed, r->id);
	if (yes && b)
		buf_save(ed, b, r->path, r->flags);
	free(r->path);
	free(r);
}

/* Asks the question; a yes saves again with flags. False: not saved (yet). */
static bool ask_then_save(Editor *ed, Buffer *b, const char *path, int flags, const char *question)
{
	SaveReq *r = calloc(1, sizeof *r);
	if (!r || (path && !(r->path = strdup(path)))) {
		free(r);
		return msg_error(ed, "save %s: %s", b->name, strerror(ENOMEM));
	}
	r->id = b->id;
	r->flags = flags;
	ed_ask(ed, question, save_anyway, r);
	return false;
}

/* path is the buffer's own file (by name, or the same inode). */
static bool is_own_file(const Buffer *b, const char *path)
{
	FileInfo a, o;
	char *real = file_resolve(path);
	bool same = b->path && real && strcmp(real, b->path) == 0;
	free(real);
	if (!same && b->path && file_stat(path, &a) && file_stat(b->path, &o))
		same = a.dev == o.dev && a.ino == o.ino;
	return same;
}

typedef struct SaveCtx {
	Editor *ed;
	Buffer *b;
} SaveCtx;

/* Before a file is rewritten in place, the text being written is in this
 * instance's journal: if the write is interrupted and rolled back, the
 * next open offers it. */
static void before_inplace(void *arg)
{
	SaveCtx *c = arg;
	journal_sync(c->ed, c->b);
}

/* The failure of file_save, said for the user (name: as they gave it). */
static bool save_failed(Editor *ed, const char *name, const FileSaveOpts *o)
{
	int e = errno;
	const char *dir = journal_dir(ed);
	if (o->stuck)
		return msg_error(ed, "save %s: %s; the file is half written: its old bytes are in a rollback journal in %s, and opening it again restores them",
		                 name, strerror(e), dir ? dir : "?");
	if (o->journal_errno)
		return msg_error(ed, "save %s: nowhere to journal its old bytes (%s: %s), which writing it in place needs; the file was not touched",
		                 name, dir ? dir : "no state directory: set HOME", strerror(o->journal_errno));
	if (e == FILEIO_ESOURCE)
		return msg_error(ed, "save %s: not saved: the file this buffer maps changed on disk while open (cut short or written to by another program), so parts of it are not what was loaded; `reload` reads it again",
		                 name);
	if (e == EBUSY && (o->how == FILE_SAVE_INPLACE || o->how == FILE_SAVE_PATCH))
		return msg_error(ed, "save %s: another brisk is writing it right now; try again", name);
	return msg_error(ed, "save %s: %s (the file on disk is unchanged)", name, strerror(e));
}

/* Refusals before anything is written: special files, an existing other
 * file (asked), a read-only file without save-force. True: go on. */
static bool save_allowed(Editor *ed, Buffer *b, const char *path, const char *target, int flags, bool other)
{
	FileInfo now;
	if (!file_stat(target, &now))
		return true;
	const char *name = path ? path : b->name;
	if ((now.mode & S_IFMT) != S_IFREG)
		return msg_error(ed, "save %s: %s, not a regular file: left as it is", name, file_kind(now.mode));
	if (other && !(flags & SAVE_OVERWRITE_OK)) {
		char q[PATH_MAX + 64];
		snprintf(q, sizeof q, "%s exists; overwrite it?", target);
		return ask_then_save(ed, b, path, flags | SAVE_OVERWRITE_OK, q);
	}
	if (!(flags & SAVE_READONLY_OK) && buf_file_is_read_only(b, target))
		return msg_error(ed, "save %s: the file is read-only; save-force writes it anyway (its mode is kept)", name);
	return true;
}

bool buf_save(Editor *ed, Buffer *b, const char *path, int flags)
{
	const char *target = path ? path : b->path;
	if (!target)
		return msg_error(ed, "save %s: no file name (use save-as PATH)", b->name);
	if (b->scratch && !path)
		return msg_error(ed, "save %s: a scratch buffer has no file", b->name);
	bool other = path && !is_own_file(b, path);
	/* Opened read-only (-R, a log view): never written back over itself
	 * but by save-force. */
	if (b->readonly && !other && !(flags & SAVE_READONLY_OK))
		return msg_error(ed, "save %s: opened read-only (save-as PATH writes a copy)", b->name);
	if (!save_allowed(ed, b, path, target, flags, other) || !buf_final_newline(ed, b))
		return false;
	/* Saving under another name: that file's state is not ours to check. */
	FileInfo ofi = {0};
	SaveCtx ctx = {ed, b};
	FileSaveOpts o = {.force = other || (flags & SAVE_CHANGED_OK), .rollback_dir = journal_dir(ed),
	                  .before_inplace = before_inplace, .arg = &ctx};
	bool saved = file_save(target, b->text, other ? &ofi : &b->disk, &o);
	int err = errno;
	if (!saved) {
		if (errno == FILEIO_ECHANGED)
			return ask_then_save(ed, b, path, flags | SAVE_CHANGED_OK,
			                     "file changed on disk since it was read; overwrite it?");
		return save_failed(ed, path ? path : b->name, &o);
	}
	if (other) {
		char *real = file_resolve(target);
		free(b->path);
		b->path = real ? real : strdup(target);
		free(b->name);
		b->name = strdup(path_base(target));
		b->disk = ofi;
		b->scratch = false;
	}
	b->is_new = false;
	buf_note_disk(b);
	journal_saved(ed, b);
	if (o.journal_left)
		msg_error(ed, "wrote %s, but its rollback journal in %s could not be removed (%s): delete it, or opening the file again undoes this save",
		          b->name, journal_dir(ed), strerror(err));
	else
		msg_info(ed, "wrote %s (%zu bytes)", b->name, text_len(b->text));
	ed_emit(ed, "save", b);
	return true;
}
