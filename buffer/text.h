/* Text: one document's bytes with its line index, marks and undo history.
 * Every change goes through text_apply(): a batch of sorted, non-overlapping
 * edits applied in ONE left-to-right pass over the bytes, with the line
 * index, the marks and the undo record updated in that same pass, so N
 * cursors cost O(size + N), never O(size x N). */
#ifndef BUFFER_TEXT_H
#define BUFFER_TEXT_H
#include "buffer/gapbuf.h"
#include "buffer/lines.h"
#include "buffer/undo.h"

typedef struct Edit {
	size_t pos;       /* in the coordinates before the batch */
	size_t del;       /* bytes removed at pos */
	const char *ins;  /* bytes inserted at pos (not NUL-terminated) */
	size_t ins_len;
} Edit;

typedef struct Text {
	GapBuf gb;
	LineIndex li;
	Undo undo;
	bool record_undo; /* false for logs and scratch buffers */
	size_t *marks;    /* mark positions; BUF_NOPOS marks a free slot */
	size_t nmarks, capmarks;
	size_t mark_hint; /* every slot below it is in use */
	uint64_t version; /* bumped by every batch, for caches */
} Text;

Text *text_new(void);
void text_free(Text *t);
/* Adopts a malloc'd block (len bytes of cap); resets lines, marks stay
 * clamped, history is dropped. False on ENOMEM (text unchanged). */
bool text_adopt(Text *t, char *data, size_t len, size_t cap);

size_t text_len(const Text *t);
int text_byte(const Text *t, size_t pos);
size_t text_copy(const Text *t, size_t pos, size_t len, char *out);
/* Malloc'd copy, NUL-terminated for convenience (may contain NULs). */
char *text_dup(const Text *t, size_t pos, size_t len);
const char *text_span(const Text *t, size_t pos, size_t *len);
/* The whole text contiguous; valid until the next edit. */
const char *text_contiguous(Text *t);

/* Applies a batch. new_pos (optional, n entries) receives where each
 * edit's inserted bytes start afterwards. False changes nothing (errno). */
bool text_apply(Text *t, const Edit *edits, size_t n, size_t *new_pos);
bool text_insert(Text *t, size_t pos, const char *s, size_t len);
/* Where a position goes through an applied batch (the rule marks follow). */
size_t text_map_pos(const Edit *e, size_t n, const size_t *new_pos, size_t pos);
bool text_delete(Text *t, size_t pos, size_t len);

/* Transactions group batches into one undo step, with cursor sets. A
 * TXN_TYPING transaction continues the previous one while the run is open;
 * text_break() ends the run (cursor move, pause, other command). */
void text_begin(Text *t, int kind, const CursorSet *before);
void text_end(Text *t, const CursorSet *after);
/* The same, taking ownership of the cursor set (no copy of a million
 * cursors); it is left empty. */
void text_begin_take(Text *t, int kind, CursorSet *before);
void text_end_take(Text *t, CursorSet *after);
/* The cursors the last undo step leaves behind become `after` (taken; a
 * command that places its cursors once its edits are made). False, and
 * `after` freed, when no closed step is there to take them. */
bool text_set_cursors_after(Text *t, CursorSet *after);
/* True when a text_begin(kind) would continue the open typing run (its
 * cursor set would not be recorded: callers may skip building it). */
bool text_continues_run(const Text *t, int kind);
void text_break(Text *t);
/* Undo/redo one step; *restore gets the cursor set to show (caller frees
 * with cursorset_free). False with errno ENOENT when there is nothing to
 * undo/redo, ENOMEM when memory ran out (nothing changed). */
bool text_undo(Text *t, CursorSet *restore);
bool text_redo(Text *t, CursorSet *restore);
bool text_can_undo(const Text *t);
bool text_can_redo(const Text *t);
bool text_is_modified(const Text *t);
void text_mark_saved(Text *t);
/* Forget the saved state (the file on disk changed). */
void text_mark_unsaved(Text *t);

/* Marks: positions that move with edits (right gravity: an insert at the
 * mark goes before it; a mark in a removed range moves past the insert). */
size_t text_mark_new(Text *t, size_t pos);
void text_mark_free(Text *t, size_t id);
size_t text_mark_get(const Text *t, size_t id);
void text_mark_set(Text *t, size_t id, size_t pos);

/* Lines are 0-based; a line's end is the offset of its '\n' (or the end). */
size_t text_lines(const Text *t);
size_t text_line_start(const Text *t, size_t line);
size_t text_line_of(const Text *t, size_t pos);
size_t text_line_end_at(const Text *t, size_t pos);
size_t text_line_start_at(const Text *t, size_t pos);

bool text_check(const Text *t);
#endif
