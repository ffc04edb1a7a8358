/* SelSet: the multi-cursor model. A sorted set of selections (anchor +
 * head, byte offsets), one of them primary; overlapping or touching
 * selections merge. Positions are bytes, so the hex view uses it as is. */
#ifndef EDITOR_SELECTION_H
#define EDITOR_SELECTION_H
#include "buffer/undo.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Sel {
	size_t anchor, head;
} Sel;

/* A column (box) mark: two corners in lines and display columns. The box
 * is drawn as one selection per line (see editor/multi.h); it stays live
 * while the selections are exactly the ones it made (first/last/count) on
 * the text version it saw, so any other command ends it. */
typedef struct SelBox {
	bool on;
	size_t aline, acol;  /* anchor corner (where the mark started) */
	size_t hline, hcol;  /* head corner (moves with the arrows) */
	uint64_t version;    /* text version the selections were made on */
	Sel first, last;     /* the selections it made, to see they are ours */
	size_t n;
} SelBox;

typedef struct SelSet {
	Sel *v;
	size_t n, cap;
	size_t primary;
	/* Order in which cursors were added (for "remove last added"): the
	 * position of the newest added selection, BUF_NOPOS when unknown. */
	size_t *added;
	size_t nadded, capadded;
	SelBox box;
} SelSet;

static inline size_t sel_start(Sel s) { return s.anchor < s.head ? s.anchor : s.head; }
static inline size_t sel_end(Sel s) { return s.anchor < s.head ? s.head : s.anchor; }
static inline bool sel_is_empty(Sel s) { return s.anchor == s.head; }

void sel_init(SelSet *ss);
void sel_fini(SelSet *ss);
/* One cursor at pos. */
void sel_reset(SelSet *ss, size_t pos);
bool sel_reserve(SelSet *ss, size_t n);
/* Appends without ordering; call sel_normalize() after a series. */
bool sel_push(SelSet *ss, Sel s);
/* Sorts by start, merges overlapping (and touching non-empty) selections,
 * keeps the primary pointing at the selection that contains it. */
void sel_normalize(SelSet *ss);
/* Adds one selection, keeps the set normalized, makes it primary. */
bool sel_add(SelSet *ss, Sel s);
/* Keeps only the primary (and ends a column mark). */
void sel_collapse_to_primary(SelSet *ss);
/* Removes selection i; the primary stays on the same selection, or moves
 * to the one before a removed primary. Never removes the last one. */
void sel_remove(SelSet *ss, size_t i);
/* Replaces ss by src (taken over: src is left empty); keeps nothing of the
 * old set but the added-cursor history when keep_added. */
void sel_replace(SelSet *ss, SelSet *src, bool keep_added);
/* Index of the first selection whose end is >= pos (ss->n if none). */
size_t sel_find(const SelSet *ss, size_t pos);
void sel_clamp(SelSet *ss, size_t len);
bool sel_copy(SelSet *dst, const SelSet *src);
/* Conversions to the buffer layer's CursorSet (undo records them). */
bool sel_to_cursors(const SelSet *ss, CursorSet *cs);
void sel_from_cursors(SelSet *ss, const CursorSet *cs);
bool sel_any_selected(const SelSet *ss);
bool sel_check(const SelSet *ss);
#endif
