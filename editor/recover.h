/* Recover: the journals of unsaved changes other brisk instances left for
 * a file (journal.h has the format), offered back when it is opened,
 * newest first, each saying which instance wrote it and whether that one
 * still runs; `recover` and `recover-discard`. */
#ifndef EDITOR_RECOVER_H
#define EDITOR_RECOVER_H
#include "editor/editor.h"

/* b was opened: asks about every other journal of its file whose text
 * differs from the file (once the UI runs; headless: a line each, never
 * applied). Journals equal to the file, of instances that are gone, go. */
void recover_offer(Editor *ed, Buffer *b);
/* Deletes a journal file and the copy kept aside (FILE~). */
void recover_remove(const char *file);

/* Commands: recover the current buffer from the newest other journal of
 * its file (or from a JOURNAL file); delete the ones of gone instances. */
bool cmd_recover(Editor *ed, const char *args);
bool cmd_recover_discard(Editor *ed, const char *args);
#endif
