/* Journal: unsaved changes kept on disk so no crash, kill -9, lost
 * terminal or power cut loses work. A modified buffer's full text is
 * written, a while after a burst of edits (a loop timer, never on the key
 * path), to $XDG_STATE_HOME/brisk/ (default ~/.local/state/brisk/), one
 * file per buffer path, atomically (temp file, fsync, rename). Saving,
 * undoing back to the saved text, closing or a clean quit removes it;
 * SIGHUP/SIGTERM write every journal and keep them. Opening a file with a
 * journal left by an earlier session offers to recover it (headless: a
 * one-line message; `recover` and `recover-discard` act explicitly). */
#ifndef EDITOR_JOURNAL_H
#define EDITOR_JOURNAL_H
#include "editor/editor.h"

/* Starts background journaling (the terminal UI). */
void journal_start(Editor *ed);
/* A buffer was opened: looks for a journal an earlier session left and
 * offers it (asked once the UI runs; headless: reported, never applied). */
void journal_opened(Editor *ed, Buffer *b);
/* A buffer was saved: its journal goes. */
void journal_saved(Editor *ed, Buffer *b);
/* Writes every modified buffer's journal now and keeps them at exit
 * (SIGHUP, SIGTERM, a vanished terminal). Returns how many failed. */
int journal_flush(Editor *ed);
/* Frees the state; on a clean exit removes this session's journals. */
void journal_free(Editor *ed);
/* The journal file of a path (for tests and messages); malloc'd. */
char *journal_path_of(Editor *ed, const char *path);

/* Commands: recover the current buffer from its journal; delete it. */
bool cmd_recover(Editor *ed, const char *args);
bool cmd_recover_discard(Editor *ed, const char *args);
#endif
