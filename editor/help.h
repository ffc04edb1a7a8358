/* Help: the help screen (F1): the key bindings and the commands, built
 * from the keymap and the command table when it opens, scrolled with the
 * arrows and closed by any other key. The UI sends it keys and draws it. */
#ifndef EDITOR_HELP_H
#define EDITOR_HELP_H
#include "editor/editor.h"
#include "editor/render.h"

typedef struct Help Help;

/* NULL when out of memory. help_free(NULL) does nothing. */
Help *help_new(Editor *ed);
void help_free(Help *h);
bool help_is_open(const Help *h);
/* Opens (built afresh) or closes the help screen. */
void help_toggle(Help *h);
/* A key while open: scrolls by rows of a screen `rows` high, or closes. */
void help_key(Help *h, Key k, int rows);
void help_draw(const Help *h, Grid *g, int rows, int w);
#endif
