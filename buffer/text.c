/* Text: bytes + line index + marks + undo, kept consistent by one batch
 * primitive. Allocation happens before mutation, so a failed batch leaves
 * everything as it was. */
#include "buffer/text.h"
#include "buffer/array.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

Text *text_new(void)
{
	Text *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	gapbuf_init(&t->gb);
	lines_init(&t->li);
	undo_init(&t->undo);
	t->record_undo = true;
	if (!lines_build(&t->li, &t->gb)) {
		free(t);
		return NULL;
	}
	return t;
}

void text_free(Text *t)
{
	if (!t)
		return;
	gapbuf_fini(&t->gb);
	lines_fini(&t->li);
	undo_fini(&t->undo);
	free(t->marks);
	free(t);
}

bool text_adopt(Text *t, char *data, size_t len, size_t cap)
{
	GapBuf ng;
	LineIndex nl;
	gapbuf_init(&ng);
	gapbuf_adopt(&ng, data, len, cap);
	lines_init(&nl);
	if (!lines_build(&nl, &ng)) {
		ng.data = NULL; /* the caller still owns data on failure */
		return false;
	}
	gapbuf_fini(&t->gb);
	lines_fini(&t->li);
	t->gb = ng;
	t->li = nl;
	undo_fini(&t->undo);
	undo_init(&t->undo);
	for (size_t i = 0; i < t->nmarks; i++)
		if (t->marks[i] != BUF_NOPOS && t->marks[i] > len)
			t->marks[i] = len;
	t->version++;
	return true;
}

size_t text_len(const Text *t) { return gapbuf_len(&t->gb); }
int text_byte(const Text *t, size_t pos) { return gapbuf_byte(&t->gb, pos); }
size_t text_copy(const Text *t, size_t pos, size_t len, char *out) { return gapbuf_copy(&t->gb, pos, len, out); }
const char *text_span(const Text *t, size_t pos, size_t *len) { return gapbuf_span(&t->gb, pos, len); }
const char *text_contiguous(Text *t) { return gapbuf_contiguous(&t->gb); }

char *text_dup(const Text *t, size_t pos, size_t len)
{
	size_t tl = text_len(t);
	if (pos > tl)
		pos = tl;
	if (len > tl - pos)
		len = tl - pos;
	char *s = malloc(len + 1);
	if (!s)
		return NULL;
	text_copy(t, pos, len, s);
	s[len] = '\0';
	return s;
}

/* ===== the one-pass batch ================================================ */

static bool valid_batch(const Text *t, const Edit *e, size_t n)
{
	size_t len = text_len(t), prev_end = 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i].pos < prev_end || e[i].pos > len || e[i].del > len - e[i].pos)
			return false;
		prev_end = e[i].pos + e[i].del;
	}
	return true;
}

/* Maps a mark through the batch, by binary search over the sorted edits. */
size_t text_map_pos(const Edit *e, size_t n, const size_t *new_pos, size_t m)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].pos <= m)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return m;
	const Edit *x = &e[lo - 1];
	size_t after = new_pos[lo - 1] + x->ins_len;
	if (m >= x->pos + x->del)
		return after + (m - (x->pos + x->del));
	return after;
}

/* Applies edits; if rec is given, fills it (its arrays preallocated). */
static void apply_pass(Text *t, const Edit *e, size_t n, size_t *new_pos, UndoBatch *rec)
{
	LinesPass lp;
	size_t delta_ins = 0, delta_del = 0, blob = 0;
	lines_pass_begin(&lp, &t->li);
	for (size_t i = 0; i < n; i++) {
		size_t cur = e[i].pos + delta_ins - delta_del;
		if (rec) {
			gapbuf_copy(&t->gb, cur, e[i].del, rec->blob + blob);
			rec->e[i] = (UndoEdit){cur, e[i].ins_len, e[i].del};
			blob += e[i].del;
		}
		if (e[i].del) {
			lines_pass_delete(&lp, &t->gb, cur, e[i].del);
			gapbuf_move_gap(&t->gb, cur);
			t->gb.gap_end += e[i].del;
		}
		if (e[i].ins_len) {
			gapbuf_move_gap(&t->gb, cur);
			memcpy(t->gb.data + t->gb.gap_start, e[i].ins, e[i].ins_len);
			t->gb.gap_start += e[i].ins_len;
			lines_pass_insert(&lp, cur, e[i].ins, e[i].ins_len);
		}
		if (new_pos)
			new_pos[i] = cur;
		delta_ins += e[i].ins_len;
		delta_del += e[i].del;
	}
	if (rec) {
		rec->n = n;
		rec->blob_len = blob;
	}
	lines_pass_end(&lp, &t->gb);
	t->version++;
}

static Txn *top_txn(Text *t)
{
	return t->undo.nu ? &t->undo.undo[t->undo.nu - 1] : NULL;
}

/* A typed run extends the previous batch in place: each edit inserts right
 * after the bytes its cursor inserted last time. */
static bool extends_last(Text *t, const Edit *e, size_t n)
{
	Txn *tx = top_txn(t);
	if (!t->undo.open || !tx || tx->kind != TXN_TYPING || tx->nb == 0 || tx->id == t->undo.saved_id)
		return false;
	UndoBatch *b = &tx->b[tx->nb - 1];
	if (b->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (e[i].del != 0 || e[i].pos != b->e[i].pos + b->e[i].ins_len)
			return false;
	return true;
}

static void clear_redo(Undo *u)
{
	for (size_t i = 0; i < u->nr; i++)
		txn_free(&u->redo[i]);
	u->nr = 0;
}

static bool push_batch(Txn *tx, UndoBatch *out)
{
	if (!ARRAY_RESERVE(tx->b, tx->capb, tx->nb + 1))
		return false;
	tx->b[tx->nb++] = *out;
	return true;
}

static void map_marks(Text *t, const Edit *e, size_t n, const size_t *np)
{
	for (size_t i = 0; i < t->nmarks; i++)
		if (t->marks[i] != BUF_NOPOS)
			t->marks[i] = text_map_pos(e, n, np, t->marks[i]);
}

static bool apply_batch(Text *t, const Edit *e, size_t n, size_t *new_pos, Txn *rec_into)
{
	size_t total_ins = 0, total_del = 0;
	for (size_t i = 0; i < n; i++) {
		total_ins += e[i].ins_len;
		total_del += e[i].del;
	}
	size_t *np = new_pos;
	bool extend = rec_into && rec_into == top_txn(t) && extends_last(t, e, n);
	bool need_np = t->nmarks > 0 || extend;
	if (!np && need_np && !(np = malloc((n ? n : 1) * sizeof *np)))
		return false;
	if (!gapbuf_reserve(&t->gb, total_ins))
		goto fail;
	UndoBatch rec = {0};
	if (rec_into && !extend) {
		rec.e = malloc((n ? n : 1) * sizeof *rec.e);
		rec.blob = malloc(total_del ? total_del : 1);
		if (!rec.e || !rec.blob || !push_batch(rec_into, &rec)) {
			free(rec.e);
			free(rec.blob);
			goto fail;
		}
	}
	UndoBatch *r = rec_into && !extend ? &rec_into->b[rec_into->nb - 1] : NULL;
	apply_pass(t, e, n, np, r);
	if (extend) {
		UndoBatch *b = &rec_into->b[rec_into->nb - 1];
		for (size_t i = 0; i < n; i++) {
			b->e[i].pos = np[i] - b->e[i].ins_len;
			b->e[i].ins_len += e[i].ins_len;
		}
	}
	map_marks(t, e, n, np);
	if (np != new_pos)
		free(np);
	return true;
fail:
	if (np != new_pos)
		free(np);
	errno = ENOMEM;
	return false;
}

bool text_apply(Text *t, const Edit *e, size_t n, size_t *new_pos)
{
	if (!valid_batch(t, e, n)) {
		errno = EINVAL;
		return false;
	}
	if (n == 0)
		return true;
	if (!t->record_undo)
		return apply_batch(t, e, n, new_pos, NULL);
	bool own = !t->undo.open;
	if (own) {
		text_begin(t, TXN_PLAIN, NULL);
		if (!t->undo.open) {
			/* No room for a transaction: refuse rather than record the
			 * batch into the previous one (or not at all). */
			errno = ENOMEM;
			return false;
		}
	}
	bool ok = apply_batch(t, e, n, new_pos, top_txn(t));
	if (ok)
		clear_redo(&t->undo); /* only once it happened: failure changes nothing */
	if (own)
		text_end(t, NULL);
	return ok;
}

bool text_insert(Text *t, size_t pos, const char *s, size_t len)
{
	Edit e = {pos, 0, s, len};
	return text_apply(t, &e, 1, NULL);
}

bool text_delete(Text *t, size_t pos, size_t len)
{
	Edit e = {pos, len, NULL, 0};
	return text_apply(t, &e, 1, NULL);
}

/* ===== transactions ====================================================== */

bool text_continues_run(const Text *t, int kind)
{
	const Undo *u = &t->undo;
	const Txn *tx = u->nu ? &u->undo[u->nu - 1] : NULL;
	return kind == TXN_TYPING && u->run_open && tx && tx->kind == TXN_TYPING && tx->id != u->saved_id;
}

void text_begin(Text *t, int kind, const CursorSet *before)
{
	CursorSet copy;
	if (text_continues_run(t, kind) || !cursorset_copy(&copy, before))
		copy = (CursorSet){0};
	text_begin_take(t, kind, &copy);
}

void text_begin_take(Text *t, int kind, CursorSet *before)
{
	Undo *u = &t->undo;
	Txn *tx;
	if (text_continues_run(t, kind)) {
		cursorset_free(before);
		u->open = true;
		return;
	}
	u->run_open = kind == TXN_TYPING;
	if (!ARRAY_RESERVE(u->undo, u->capu, u->nu + 1)) {
		cursorset_free(before);
		u->open = false; /* edits then go unrecorded rather than fail */
		return;
	}
	tx = &u->undo[u->nu++];
	memset(tx, 0, sizeof *tx);
	tx->kind = kind;
	tx->id = u->next_id++;
	tx->before = *before;
	*before = (CursorSet){0};
	u->open = true;
}

void text_end(Text *t, const CursorSet *after)
{
	CursorSet copy;
	if (!cursorset_copy(&copy, after))
		copy = (CursorSet){0};
	text_end_take(t, &copy);
}

void text_end_take(Text *t, CursorSet *after)
{
	Undo *u = &t->undo;
	Txn *tx = top_txn(t);
	if (!u->open || !tx) {
		cursorset_free(after);
		return;
	}
	u->open = false;
	if (tx->nb == 0) {
		/* Nothing changed: no undo step. */
		txn_free(tx);
		u->nu--;
		u->run_open = false;
		cursorset_free(after);
		return;
	}
	cursorset_free(&tx->after);
	tx->after = *after;
	*after = (CursorSet){0};
}

bool text_set_cursors_after(Text *t, CursorSet *after)
{
	Txn *tx = t->record_undo && !t->undo.open ? top_txn(t) : NULL;
	if (!tx) {
		cursorset_free(after);
		return false;
	}
	cursorset_free(&tx->after);
	tx->after = *after;
	*after = (CursorSet){0};
	return true;
}

void text_break(Text *t)
{
	t->undo.run_open = false;
}

static void free_batches(UndoBatch *b, size_t n)
{
	for (size_t i = 0; b && i < n; i++) {
		free(b[i].e);
		free(b[i].blob);
	}
	free(b);
}

/* Records for the inverse of src, in the order they are applied: recs[j]
 * inverts src batch nb - 1 - j, whose inserted bytes go to its blob. */
static UndoBatch *alloc_inverse(const Txn *src)
{
	size_t nb = src->nb;
	UndoBatch *recs = calloc(nb ? nb : 1, sizeof *recs);
	for (size_t j = 0; recs && j < nb; j++) {
		const UndoBatch *b = &src->b[nb - 1 - j];
		size_t del = 0;
		for (size_t i = 0; i < b->n; i++)
			del += b->e[i].ins_len;
		recs[j].e = malloc((b->n ? b->n : 1) * sizeof *recs[j].e);
		recs[j].blob = malloc(del ? del : 1);
		if (!recs[j].e || !recs[j].blob) {
			free_batches(recs, j + 1);
			return NULL;
		}
	}
	return recs;
}

/* Applies the inverse of every batch of src (last first), recording into
 * dst; used for both undo and redo. Everything is allocated before the
 * first batch is applied, so a failure changes nothing (a half-undone
 * transaction would leave the history out of step with the bytes). */
static bool invert_txn(Text *t, Txn *src, Txn *dst)
{
	size_t nb = src->nb, maxn = 1, ins = 0;
	for (size_t k = 0; k < nb; k++) {
		maxn = src->b[k].n > maxn ? src->b[k].n : maxn;
		ins += src->b[k].blob_len; /* the removed bytes come back */
	}
	Edit *inv = malloc(maxn * sizeof *inv);
	size_t *np = malloc(maxn * sizeof *np);
	UndoBatch *recs = inv && np ? alloc_inverse(src) : NULL;
	if (!recs || !gapbuf_reserve(&t->gb, ins)) {
		free_batches(recs, nb);
		free(np);
		free(inv);
		errno = ENOMEM;
		return false;
	}
	dst->b = recs;
	dst->capb = nb ? nb : 1;
	dst->nb = 0;
	for (size_t k = nb; k-- > 0;) {
		const UndoBatch *b = &src->b[k];
		size_t off = 0;
		for (size_t i = 0; i < b->n; i++) {
			inv[i] = (Edit){b->e[i].pos, b->e[i].ins_len, b->blob + off, b->e[i].del_len};
			off += b->e[i].del_len;
		}
		apply_pass(t, inv, b->n, np, &recs[dst->nb++]);
		map_marks(t, inv, b->n, np);
	}
	free(np);
	free(inv);
	return true;
}

static bool step(Text *t, Txn *from, size_t *nfrom, Txn **to, size_t *nto, size_t *capto, CursorSet *restore)
{
	Undo *u = &t->undo;
	if (*nfrom == 0) {
		errno = ENOENT; /* no step to take: not a failure of memory */
		return false;
	}
	if (!array_reserve_(to, capto, *nto + 1, sizeof **to))
		return false;
	Txn *src = &from[*nfrom - 1];
	Txn *dst = &(*to)[*nto];
	memset(dst, 0, sizeof *dst);
	dst->kind = TXN_PLAIN;
	dst->id = src->id;
	if (!invert_txn(t, src, dst)) {
		txn_free(dst);
		return false;
	}
	dst->before = src->after;
	dst->after = src->before;
	src->before = (CursorSet){0};
	src->after = (CursorSet){0};
	if (restore)
		cursorset_copy(restore, &dst->after);
	txn_free(src);
	(*nfrom)--;
	(*nto)++;
	u->open = false;
	u->run_open = false;
	return true;
}

bool text_undo(Text *t, CursorSet *restore)
{
	Undo *u = &t->undo;
	return step(t, u->undo, &u->nu, &u->redo, &u->nr, &u->capr, restore);
}

bool text_redo(Text *t, CursorSet *restore)
{
	Undo *u = &t->undo;
	return step(t, u->redo, &u->nr, &u->undo, &u->nu, &u->capu, restore);
}

bool text_can_undo(const Text *t) { return t->undo.nu > 0; }
bool text_can_redo(const Text *t) { return t->undo.nr > 0; }

bool text_is_modified(const Text *t)
{
	return undo_state_id(&t->undo) != t->undo.saved_id;
}

void text_mark_saved(Text *t)
{
	t->undo.saved_id = undo_state_id(&t->undo);
	t->undo.run_open = false;
}

void text_mark_unsaved(Text *t)
{
	t->undo.saved_id = (uint64_t)-1;
}

/* ===== marks ============================================================= */

size_t text_mark_new(Text *t, size_t pos)
{
	if (pos > text_len(t))
		pos = text_len(t); /* as text_mark_set; BUF_NOPOS would read as a free slot */
	/* Slots below mark_hint are all taken: creating many marks is linear. */
	for (size_t i = t->mark_hint; i < t->nmarks; i++)
		if (t->marks[i] == BUF_NOPOS) {
			t->marks[i] = pos;
			t->mark_hint = i + 1;
			return i;
		}
	if (!ARRAY_RESERVE(t->marks, t->capmarks, t->nmarks + 1))
		return BUF_NOPOS;
	t->marks[t->nmarks] = pos;
	t->mark_hint = t->nmarks + 1;
	return t->nmarks++;
}

void text_mark_free(Text *t, size_t id)
{
	if (id < t->nmarks)
		t->marks[id] = BUF_NOPOS;
	if (id < t->mark_hint)
		t->mark_hint = id;
	while (t->nmarks && t->marks[t->nmarks - 1] == BUF_NOPOS)
		t->nmarks--;
	if (t->mark_hint > t->nmarks)
		t->mark_hint = t->nmarks;
}

size_t text_mark_get(const Text *t, size_t id)
{
	return id < t->nmarks ? t->marks[id] : BUF_NOPOS;
}

void text_mark_set(Text *t, size_t id, size_t pos)
{
	if (id < t->nmarks)
		t->marks[id] = pos > text_len(t) ? text_len(t) : pos;
}

/* ===== lines ============================================================= */

size_t text_lines(const Text *t) { return lines_count(&t->li); }
size_t text_line_start(const Text *t, size_t line) { return lines_offset_of(&t->li, &t->gb, line); }
size_t text_line_of(const Text *t, size_t pos) { return lines_line_of(&t->li, &t->gb, pos); }

size_t text_line_start_at(const Text *t, size_t pos)
{
	/* Short lines: scan back (cheap even for a million cursors). Long
	 * lines: the index finds the start without reading the whole line. */
	size_t limit = pos > 4096 ? pos - 4096 : 0, p = pos;
	while (p > limit) {
		if (gapbuf_byte(&t->gb, p - 1) == '\n')
			return p;
		p--;
	}
	if (p == 0)
		return 0;
	return text_line_start(t, text_line_of(t, pos));
}

size_t text_line_end_at(const Text *t, size_t pos)
{
	for (;;) {
		size_t n;
		const char *p = text_span(t, pos, &n);
		if (n == 0)
			return pos;
		const char *q = memchr(p, '\n', n);
		if (q)
			return pos + (size_t)(q - p);
		pos += n;
	}
}

bool text_check(const Text *t)
{
	if (!gapbuf_check(&t->gb) || !lines_check(&t->li, &t->gb))
		return false;
	for (size_t i = 0; i < t->nmarks; i++)
		if (t->marks[i] != BUF_NOPOS && t->marks[i] > text_len(t))
			return false;
	return true;
}
