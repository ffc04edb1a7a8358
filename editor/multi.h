/* The multi-cursor engine's entry points for the UI (mouse), lua/api_multi.c
 * and the cmd_multi*.c commands. Every function acts on the buffer it is
 * given (not only the current one), edits all selections as ONE batch (one
 * pass, one undo step that restores the cursor set) and reports failure as
 * a message, returning false with the selections unchanged. */
#ifndef EDITOR_MULTI_H
#define EDITOR_MULTI_H
#include "editor/editor.h"

/* ===== applying edits ===================================================== */

/* Sets the selections after a batch: e/n are the edits in the coordinates
 * before it, np[i] where edit i's insert starts afterwards. */
typedef void (*MultiPlace)(void *ctx, Buffer *b, const Edit *e, size_t n, const size_t *np);
/* buf_apply with a placement of one's own (one transaction, cursor sets
 * before and after recorded for undo/redo); place NULL maps the selections
 * through the edits like marks. n may be 0 (no change). */
bool multi_apply(Editor *ed, Buffer *b, const Edit *e, size_t n, int txn_kind, MultiPlace place, void *ctx);
/* A MultiPlace for line commands (indent, comment): like marks, except
 * that a selection starting at a line start takes in what is inserted
 * there, so selected lines stay selected whole. */
void multi_place_keep_starts(void *ctx, Buffer *b, const Edit *e, size_t n, const size_t *np);

/* ===== making selections ================================================== */

/* A cursor on the line above (dir < 0) the first selection or below
 * (dir > 0) the last one, at the goal column (kept across short lines). */
bool multi_add_line(Editor *ed, Buffer *b, int dir);
/* Each selection that spans lines becomes a cursor at the end of each of
 * its lines (the last one at the selection's end). */
bool multi_split_lines(Editor *ed, Buffer *b);

enum {
	MULTI_SELECT, /* the matches inside each selection */
	MULTI_SPLIT,  /* the non-empty pieces between the matches */
	MULTI_KEEP,   /* the selections that contain a match */
	MULTI_DROP,   /* the selections that do not */
};
/* PCRE2 regex re (len bytes) over the selections: SELECT and SPLIT use the
 * whole buffer when nothing is selected; KEEP and DROP test an empty
 * selection's line. An empty result is an error and changes nothing. */
bool multi_regex(Editor *ed, Buffer *b, int op, const char *re, size_t len);
/* Makes selection primary + delta (wrapping) the primary. */
bool multi_primary_step(Editor *ed, Buffer *b, long delta);
/* Removes the selection at pos if there is one (and another remains),
 * else adds a cursor at pos and makes it primary (Ctrl-click). */
bool multi_toggle_cursor(Editor *ed, Buffer *b, size_t pos);

/* ===== column (box) mark ================================================== */

enum {
	MULTI_BOX_UP, MULTI_BOX_DOWN, MULTI_BOX_LEFT, MULTI_BOX_RIGHT,
	MULTI_BOX_HOME, MULTI_BOX_END, MULTI_BOX_PGUP, MULTI_BOX_PGDN,
	MULTI_BOX_TOP, MULTI_BOX_BOTTOM,
};
/* A box between two corners (0-based lines, display columns): one
 * selection per line, cursors at the end of lines too short to reach it.
 * The UI calls it for a modifier + mouse drag. */
bool multi_box_set(Editor *ed, Buffer *b, size_t aline, size_t acol, size_t hline, size_t hcol);
/* Starts a column mark at the primary (its anchor and head become the
 * corners), or ends the one that is live (BRIEF Alt-C). */
bool multi_box_toggle(Editor *ed, Buffer *b);
/* Is a column mark live (the arrows move its head corner)? */
bool multi_box_active(const Buffer *b);
/* Moves the head corner (MULTI_BOX_*); false if no box is live. */
bool multi_box_move(Editor *ed, Buffer *b, int dir);
void multi_box_end(Buffer *b);
/* Pastes n rows (a box cut or copy) as a block at the primary cursor: row
 * i at its display column on the i-th line below, short lines padded with
 * spaces, lines added past the end. The cursor ends at the top-left. */
bool multi_paste_block(Editor *ed, Buffer *b, char *const *parts, const size_t *lens, size_t n);

/* ===== changing the selections' contents ================================= */

/* Pads with spaces before each selection so all starts stand in the same
 * display column (the k-th cursor of each line with the k-th of others). */
bool multi_align(Editor *ed, Buffer *b);
/* Replaces the selections with start, start+step, ... formatted by a
 * printf format with one integer conversion (%d %i %u %x %X %o, flags,
 * width, precision; "%d" when NULL). */
bool multi_insert_sequence(Editor *ed, Buffer *b, long long start, long long step, const char *fmt);
/* Rotates the contents one selection forward (the last goes first), or
 * back. */
bool multi_rotate(Editor *ed, Buffer *b, bool back);
/* Sorts the contents (bytes, shorter first), or reverses their order. */
bool multi_sort(Editor *ed, Buffer *b, bool reverse);

/* "3 cursors (2/3)" (", column" when a box is live), or "" for one. */
size_t multi_status(const Buffer *b, char *out, size_t size);
#endif
