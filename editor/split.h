/* Split windows: the text area divided into windows (one above the other,
 * or side by side), each showing a buffer with its own cursors and scroll.
 *
 * The focused window always lives in ed->win, its buffer is ed->cur and its
 * selections are that buffer's SelSet, so every command works unchanged.
 * An unfocused window keeps its selections and its top line as marks in its
 * buffer's Text (they move with every edit, from any window); moving the
 * focus swaps them in and out. The UI's View of the focused window is
 * swapped the same way (split_set_view), so each window keeps its scroll,
 * toggles and last render (mouse hits). */
#ifndef EDITOR_SPLIT_H
#define EDITOR_SPLIT_H
#include "editor/render.h"

void split_free(struct Splits *s);
/* The UI's View of the focused window (NULL: none, headless). */
void split_set_view(Editor *ed, View *focused);
/* That view, or NULL (headless). */
View *split_view(Editor *ed);
/* Number of windows (1 without splits). */
int split_count(const Editor *ed);
/* Divides the text area (ed->win's rectangle on entry) between the windows;
 * ed->win gets the focused one's text rectangle. */
void split_layout(Editor *ed);
/* Draws the unfocused windows, the window titles and the separators (the
 * focused window is drawn by the caller, with hl as its search). */
void split_draw(Editor *ed, Grid *g, Search *hl);
/* Focuses the window under screen cell x,y; true when the focus moved. */
bool split_focus_at(Editor *ed, int x, int y);
/* Focuses window i (0-based, in screen order); false if there is none. */
bool split_focus_index(Editor *ed, int i);
/* The focused window's index (0-based, in screen order). */
int split_focus_of(const Editor *ed);
#endif
