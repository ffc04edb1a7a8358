/* Term: the terminal, through ncursesw. The only file that includes
 * curses.h and the only way bytes reach the screen: every cell is checked
 * again here and anything unprintable is drawn as a visible escape.
 * Raw mode (no flow control, no signal keys), SGR mouse, bracketed paste
 * and focus reports; the terminal is restored on exit, on suspend and on
 * fatal signals. Input bytes are read by the caller from term_input_fd(). */
#ifndef EDITOR_TERM_H
#define EDITOR_TERM_H
#include "editor/render.h"
#include <stdbool.h>
#include <stddef.h>

/* Takes over the terminal (stdin/stdout, or /dev/tty when they are not
 * one). False with errno set when there is no usable terminal. */
bool term_init(void);
/* Gives the terminal back as it was. Safe to call twice. */
void term_fini(void);
int term_input_fd(void);
/* Current size (at least 1x1). */
void term_size(int *w, int *h);
/* Re-reads the size after SIGWINCH; true when it changed. */
bool term_update_size(void);
/* Draws a grid of the terminal's size (only the cells that changed),
 * places the cursor (x < 0 hides it) and flushes. */
void term_draw(const Grid *g, int cx, int cy);
/* Forgets what is on screen: the next draw repaints every cell. */
void term_invalidate(void);
/* Stops the process (SIGTSTP) with the terminal restored; returns after
 * SIGCONT with the terminal set up again (the caller redraws). */
void term_suspend(void);
/* After SIGCONT (stopped from outside): raw mode and modes again, and a
 * full repaint on the next draw. */
void term_resume(void);
/* Sets the system clipboard through OSC 52. */
void term_clipboard(const char *s, size_t len);
void term_bell(void);
/* The curses library in use, e.g. "ncurses 6.4.20221231" (for --version). */
const char *term_lib_version(void);
/* Columns the terminal will use for the code point (its own wcwidth). */
int term_cp_width(uint32_t cp);
#endif
