/* Status bar: one row about the focused buffer (name, [+], [RO] or
 * [read-only], [no journal], file type, line ending and encoding when not
 * LF/UTF-8, position, cursors, selection size, chord, macro, mode, plugin
 * segments), dropping the least important items first so that a narrow
 * terminal still shows the name. */
#ifndef EDITOR_STATUS_H
#define EDITOR_STATUS_H
#include "editor/editor.h"
#include "editor/render.h"

/* Draws b's status on row y of g, w columns wide (the row is cleared to
 * RS_STATUS first by the caller); col is the cursor's display column. */
void status_draw(Editor *ed, Buffer *b, size_t col, Grid *g, int y, int w);
#endif
