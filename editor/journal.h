/* Journal: unsaved changes kept on disk so no crash, kill -9, lost
 * terminal or power cut loses work. A modified buffer's full text is
 * written, a while after a burst of edits (a loop timer, never on the key
 * path), to $XDG_STATE_HOME/brisk/ (default ~/.local/state/brisk/),
 * atomically (temp file, fsync, rename), one file per buffer AND per
 * running brisk: two instances editing one file each keep their own, and
 * saving removes only this instance's. Undoing back to the saved text,
 * closing or a clean quit removes it too; SIGHUP/SIGTERM write every
 * journal and keep them. When a journal cannot be written, the status bar
 * says so at once, and a hangup writes the text next to its file
 * (FILE.brisk-save), else in $HOME, else in /tmp.
 *
 * The same directory holds the rollback journals of in-place saves
 * (buffer/rollback.h): opening a file first rolls back a save a crash
 * interrupted. Offering other instances' journals back is recover.c.
 *
 * A journal file, NAME-HASH.PID-START.journal (NAME-HASH: hash_path_tag of
 * the absolute path; PID-START: the instance; unnamed buffers:
 * unnamed-PID-ID.journal), mode 0600:
 *
 *	brisk journal 1
 *	pid PID
 *	time UNIX-SECONDS                       (when written)
 *	disk EXISTS SIZE MTIME-SEC MTIME-NSEC   (the file as loaded or saved)
 *	path LEN
 *	<LEN bytes>
 *	text LEN
 *	<LEN bytes: the whole buffer>
 *	end
 *
 * A full snapshot, never a log of edits: a journal is complete or absent,
 * and the trailing "end" catches a truncated copy. A journal the user
 * declined is kept as FILE~ for `recover`. */
#ifndef EDITOR_JOURNAL_H
#define EDITOR_JOURNAL_H
#include "editor/editor.h"

/* Starts background journaling (the terminal UI); says at once when the
 * journal directory cannot be written. */
void journal_start(Editor *ed);
/* A buffer was opened: offers the journals other instances left (recover.c). */
void journal_opened(Editor *ed, Buffer *b);
/* Before a file is read: rolls back a save of it a crash interrupted, and
 * says so (buffer/rollback.h). */
void journal_rollback(Editor *ed, const char *path);
/* A buffer was saved: this instance's journal of it goes. */
void journal_saved(Editor *ed, Buffer *b);
/* Before b's file is written in place: the state directory exists (for
 * the rollback journal) and, when journaling runs, b's journal holds the
 * text being saved (a save that is rolled back loses nothing). */
void journal_sync(Editor *ed, Buffer *b);
/* Writes every modified buffer's journal now and keeps them at exit
 * (SIGHUP, SIGTERM, a vanished terminal); a buffer whose journal cannot be
 * written goes to a FILE.brisk-save (reported on stderr at exit). Returns
 * how many buffers are in no file at all. */
int journal_flush(Editor *ed);
/* Frees the state; on a clean exit removes this session's journals. */
void journal_free(Editor *ed);
/* The state directory (it may not exist yet), NULL when there is none. */
const char *journal_dir(Editor *ed);
/* Journals cannot be written now (the status bar shows it). */
bool journal_failing(Editor *ed);

/* For recover.c. */
/* name (a file name in the directory) is one of this instance's journals. */
bool journal_is_mine(Editor *ed, const char *name);
/* b now holds the text of journal file `source` written by brisk `pid`:
 * journaled as this instance's at once (when journaling runs); source is
 * removed once that is on disk, or when b is saved, if pid no longer runs. */
void journal_took(Editor *ed, Buffer *b, const char *source, long pid);
/* Deletes this instance's journal of b (written again while b stays
 * modified); true when there was one. */
bool journal_drop(Editor *ed, Buffer *b);
/* The brisk with this pid (not this one) still runs. */
bool journal_writer_runs(long pid);
#endif
