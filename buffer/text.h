/* Text: one document's bytes with its line index, marks and undo history.
 * Every change goes through text_apply(): a batch of sorted, non-overlapping
 * edits applied in ONE left-to-right pass over the bytes, with the line
 * index, the marks and the undo record updated in that same pass, so N
 * cursors cost O(size + N), never O(size x N).
 *
 * The bytes are pages (pages.h): a big file is mapped, not read, and a
 * page is copied only when edited; the line index is counted lazily
 * (lines.h). Nothing here is O(file) unless asked for the whole file. */
#ifndef BUFFER_TEXT_H
#define BUFFER_TEXT_H
#include "buffer/lines.h"
#include "buffer/pages.h"
#include "buffer/undo.h"

typedef struct Text {
	Pages pg;
	Undo undo;
	bool record_undo; /* false for logs and scratch buffers */
	size_t *marks;    /* mark positions; BUF_NOPOS marks a free slot */
	size_t nmarks, capmarks;
	size_t mark_hint; /* every slot below it is in use */
	uint64_t version; /* bumped by every batch, for caches */
	bool same_size;   /* every change since the load or the last save
	                     over the mapped file (text_rebase) kept the
	                     size: a patch save writes only the changes */
} Text;

Text *text_new(void);
void text_free(Text *t);
/* Adopts a malloc'd block (len bytes of cap); resets lines, marks stay
 * clamped, history is dropped. False on ENOMEM (text unchanged). */
bool text_adopt(Text *t, char *data, size_t len, size_t cap);
/* The same with a mapped file (taken): nothing is read yet. */
bool text_adopt_source(Text *t, Source *s);
/* Takes the bytes of `from` (left empty) as text_adopt does. */
void text_take(Text *t, Text *from);
/* A text made of pieces (pages.h: runs of the mapped file s, or bytes),
 * as text_adopt does; s is taken (it may be the text's own). For the
 * journal of a big file's unsaved changes, which holds only what is not
 * in the file. False (errno) changes nothing. */
bool text_adopt_pieces(Text *t, Source *s, const PagesPiece *p, size_t n);
/* The piece of the text at pos (< len): its length, and where the mapped
 * file holds it (*src_off), or BUF_NOPOS for bytes of the text's own. */
size_t text_piece(const Text *t, size_t pos, size_t *src_off);
/* An in-place save over the mapped file the text views (fd, old_size
 * bytes long; pages.h): the ranges of the file it changes, and the write
 * itself, in an order that never reads a clean byte after its place was
 * written over. The caller truncates to text_len and syncs, then calls
 * text_rebase before anything reads the text (moved clean pages view the
 * new bytes), or puts the old bytes back. */
bool text_overwrite_ranges(const Text *t, int fd, size_t old_size, PagesRange **r, size_t *n);
bool text_overwrite(const Text *t, int fd, size_t old_size);
/* After that write (or any save that left the file holding exactly the
 * text): the text views s, the file mapped anew (taken), instead of what
 * it owned and viewed before; undo, marks and counted lines are kept, and
 * a patch save is possible again (same_size). s is NULL only for an empty
 * text. The bytes do not change (nor the version); spans handed out
 * before are invalid. False (errno) changes nothing, s not taken. */
bool text_rebase(Text *t, Source *s);

size_t text_len(const Text *t);
int text_byte(const Text *t, size_t pos);
size_t text_copy(const Text *t, size_t pos, size_t len, char *out);
/* Malloc'd copy, NUL-terminated for convenience (may contain NULs). */
char *text_dup(const Text *t, size_t pos, size_t len);
/* Longest contiguous run at pos (inside one page); valid until the next
 * edit. Use text_copy for long reads: it does not map the file in. */
const char *text_span(const Text *t, size_t pos, size_t *len);
/* A window of whole lines, copied: buf holds the text's [off, off + len).
 * Scans over a whole text read through one (text_copy reads a mapped file
 * with pread, so none of it stays resident). Zero it to start; free buf. */
typedef struct TextWindow {
	char *buf;
	size_t cap, off, len;
	uint64_t version; /* the text's when read */
} TextWindow;
/* Reads the lines from `off` (a line start) on: about `want` bytes, ending
 * after a newline (or at the text's end; a longer line makes the window
 * grow). False at the end of the text or on ENOMEM. */
bool text_window_read(TextWindow *w, const Text *t, size_t off, size_t want);
/* Whether w holds the line that starts at pos, as t is now (a window kept
 * across changes of the text is stale). */
bool text_window_has(const TextWindow *w, const Text *t, size_t pos);
/* Writes [pos, pos + len) to fd: at offset off (pwrite), or at the file
 * position when off is BUF_NOPOS. False with errno. */
bool text_write(const Text *t, size_t pos, size_t len, int fd, size_t off);

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

/* Lines are 0-based; a line's end is the offset of its '\n' (or the end).
 * text_lines, text_line_start and text_line_of count the lines they need
 * first (the whole file for text_lines): see text_index_step. */
size_t text_lines(const Text *t);
/* Whether line `line` exists: counts up to it, not the whole text (the
 * question to ask before moving down a line in a big file). */
bool text_has_line(const Text *t, size_t line);
size_t text_line_start(const Text *t, size_t line);
size_t text_line_of(const Text *t, size_t pos);
size_t text_line_end_at(const Text *t, size_t pos);
size_t text_line_start_at(const Text *t, size_t pos);
/* The end of the line at pos if it is within `max` bytes, else BUF_NOPOS
 * (the line goes on: nothing past pos + max was read). */
size_t text_line_end_within(const Text *t, size_t pos, size_t max);
/* The same, read by copies from the start: for scans past what is on
 * screen (none of a mapped file stays resident). */
size_t text_line_end_far(const Text *t, size_t pos, size_t max);
/* The end of the line at pos if known without counting lines (lines.h:
 * lines_end_known); false when only counting would tell. */
bool text_line_end_known(const Text *t, size_t pos, size_t *end);
/* The start of the line at pos if it is within `max` bytes back, else
 * BUF_NOPOS. */
size_t text_line_start_within(const Text *t, size_t pos, size_t max);
/* The line index in the background: counts about `budget` more bytes;
 * true when every line is known. */
bool text_index_step(Text *t, size_t budget);
bool text_index_done(const Text *t);
/* Line of pos if it costs counting at most `budget` bytes, else false. */
bool text_line_of_within(const Text *t, size_t pos, size_t budget, size_t *line);
/* The number of lines if known without counting, else false. */
bool text_lines_known(const Text *t, size_t *n);
/* The number of lines, or an estimate until they are all counted. */
size_t text_lines_estimate(const Text *t);

/* The mapped file under the text (NULL when it was read into memory). */
const Source *text_source(const Text *t);
/* Bytes of the mapped file that could not be read (it shrank on disk):
 * [*from, *to) of the file; false when none. */
bool text_lost(const Text *t, size_t *from, size_t *to);
/* True when the mapped file may have changed under the text since it was
 * mapped (size, time; a shrunk file's tail is recorded as lost). */
bool text_source_changed(Text *t);
/* What reading the text has cost so far (tests bound the open path). */
PagesWork text_work(const Text *t);

bool text_check(const Text *t);
#endif
