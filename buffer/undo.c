/* Undo storage helpers; the logic that applies and inverts batches lives in
 * text.c, which owns the bytes. */
#include "buffer/undo.h"
#include <stdlib.h>
#include <string.h>

void undo_init(Undo *u)
{
	memset(u, 0, sizeof *u);
	u->next_id = 1;
}

void cursorset_free(CursorSet *cs)
{
	free(cs->pos);
	memset(cs, 0, sizeof *cs);
}

bool cursorset_copy(CursorSet *dst, const CursorSet *src)
{
	memset(dst, 0, sizeof *dst);
	if (!src || src->n == 0)
		return true;
	dst->pos = malloc(2 * src->n * sizeof *dst->pos);
	if (!dst->pos)
		return false;
	memcpy(dst->pos, src->pos, 2 * src->n * sizeof *dst->pos);
	dst->n = src->n;
	dst->primary = src->primary;
	return true;
}

void txn_free(Txn *t)
{
	for (size_t i = 0; i < t->nb; i++) {
		free(t->b[i].e);
		free(t->b[i].blob);
	}
	free(t->b);
	cursorset_free(&t->before);
	cursorset_free(&t->after);
	memset(t, 0, sizeof *t);
}

void undo_fini(Undo *u)
{
	for (size_t i = 0; i < u->nu; i++)
		txn_free(&u->undo[i]);
	for (size_t i = 0; i < u->nr; i++)
		txn_free(&u->redo[i]);
	free(u->undo);
	free(u->redo);
	memset(u, 0, sizeof *u);
}

uint64_t undo_state_id(const Undo *u)
{
	return u->nu ? u->undo[u->nu - 1].id : 0;
}
