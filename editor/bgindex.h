/* Counting the lines of big files in the background: opening a file
 * counts nothing (buffer/lines.h), so the first screen never waits; the
 * terminal UI then counts a slice per loop turn, the focused buffer
 * first, until every line is known. Until then the status bar shows "?"
 * for the line number and rows below a line whose end is not found yet
 * stay empty; the UI draws again as the count goes on. Headless runs
 * count on demand only (goto, b:lines() wait for the part they need). */
#ifndef EDITOR_BGINDEX_H
#define EDITOR_BGINDEX_H
#include "editor/editor.h"

/* Starts counting when a buffer has lines left to count (cheap when none
 * has: call it every loop turn). */
void bgindex_kick(Editor *ed);
/* True (once) when the count went on in a way the screen shows: the
 * focused buffer's count ended, or went on a good deal. */
bool bgindex_take_progress(Editor *ed);
void bgindex_free(Editor *ed);
#endif
