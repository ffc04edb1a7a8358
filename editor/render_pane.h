/* Render the plugin UI into the Grid: sidebars with their panes, the
 * plugin menu/prompt popup, buffer decorations and syntax colours on the
 * rows view_render drew, and the status bar segments as text. Knows no
 * terminal (term.c draws the cells); every plugin string goes through
 * grid_text, so escape bytes in it show as ^[ and never reach the
 * terminal raw. */
#ifndef EDITOR_RENDER_PANE_H
#define EDITOR_RENDER_PANE_H
#include "editor/render.h"

/* Called by view_render after it drew row y (a row of the line starting
 * at offset `line`, 0-based line number lineno; last_row: the line's last
 * row): colours the row with the buffer's syntax spans (cached by
 * decor_prepare) and decorations, and puts virtual text after the end of
 * the line. */
void render_decor_row(View *v, Buffer *b, Grid *g, int y, size_t line, size_t lineno, bool last_row);

/* After the text window was drawn: the sidebars (as panes_layout placed
 * them) and the open menu/prompt popup over the text window. Updates the
 * text cursor: hidden while a pane has the focus, at the popup's input
 * line while one is open. */
void render_plugin_ui(Editor *ed, Grid *g, int *cx, int *cy);

/* The status bar segments as one line ("3 unread  12:00  "), or "". */
void render_status_text(Editor *ed, char *out, size_t size);
/* After the status bar drew that line at x0 on row y (maxw columns):
 * gives each segment found there its style. */
void render_status_style(Editor *ed, Grid *g, int x0, int y, int maxw);
#endif
