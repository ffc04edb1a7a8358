/* Undo: transactions of edit batches plus the cursor sets before and after.
 * Stored edits are in the coordinates just after their batch, with the
 * removed bytes kept in one blob per batch, so undoing a batch is applying
 * its inverse as another one-pass batch (see text.c). */
#ifndef BUFFER_UNDO_H
#define BUFFER_UNDO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct UndoEdit {
	size_t pos;     /* start of the inserted bytes, after the batch */
	size_t ins_len; /* bytes inserted there */
	size_t del_len; /* bytes removed there; they follow each other in blob */
} UndoEdit;

typedef struct UndoBatch {
	UndoEdit *e;
	size_t n;
	char *blob;
	size_t blob_len;
} UndoBatch;

/* A cursor set as the buffer layer sees it: n (anchor, head) pairs. */
typedef struct CursorSet {
	size_t *pos; /* 2n entries */
	size_t n;
	size_t primary;
} CursorSet;

enum { TXN_PLAIN, TXN_TYPING };

typedef struct Txn {
	UndoBatch *b;
	size_t nb, capb;
	CursorSet before, after;
	int kind;
	uint64_t id;
} Txn;

typedef struct Undo {
	Txn *undo;
	size_t nu, capu;
	Txn *redo;
	size_t nr, capr;
	bool open;        /* the top undo txn still takes edits */
	bool run_open;    /* a typing run may continue in the top txn */
	uint64_t next_id;
	uint64_t saved_id; /* id of the top txn when the text was last saved */
} Undo;

void undo_init(Undo *u);
void undo_fini(Undo *u);
void cursorset_free(CursorSet *cs);
bool cursorset_copy(CursorSet *dst, const CursorSet *src);
void txn_free(Txn *t);
/* Id of the state the text is in now (0: the loaded state). */
uint64_t undo_state_id(const Undo *u);
#endif
