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
	pages_init(&t->pg);
	undo_init(&t->undo);
	t->record_undo = true;
	t->same_size = true;
	return t;
}

void text_free(Text *t)
{
	if (!t)
		return;
	pages_fini(&t->pg);
	undo_fini(&t->undo);
	free(t->marks);
	free(t);
}

/* New bytes in: history dropped, marks clamped. */
static void reset(Text *t, Pages *np)
{
	pages_take(&t->pg, np);
	undo_fini(&t->undo);
	undo_init(&t->undo);
	size_t len = text_len(t);
	for (size_t i = 0; i < t->nmarks; i++)
		if (t->marks[i] != BUF_NOPOS && t->marks[i] > len)
			t->marks[i] = len;
	t->same_size = true;
	t->version++;
}

bool text_adopt(Text *t, char *data, size_t len, size_t cap)
{
	Pages np;
	pages_init(&np);
	if (!pages_load_block(&np, data, len, cap)) {
		errno = ENOMEM;
		return false;
	}
	reset(t, &np);
	return true;
}

bool text_adopt_source(Text *t, Source *s)
{
	Pages np;
	pages_init(&np);
	if (!pages_load_source(&np, s)) {
		errno = ENOMEM;
		return false;
	}
	reset(t, &np);
	return true;
}

bool text_adopt_pieces(Text *t, Source *s, const PagesPiece *p, size_t n)
{
	Pages np;
	pages_init(&np);
	if (!pages_load_pieces(&np, s, p, n))
		return false;
	reset(t, &np);
	return true;
}

size_t text_piece(const Text *t, size_t pos, size_t *src_off)
{
	return pages_piece(&t->pg, pos, src_off);
}

bool text_overwrite_ranges(const Text *t, int fd, size_t old_size, PagesRange **r, size_t *n)
{
	return pages_overwrite_ranges(&t->pg, fd, old_size, r, n);
}

bool text_overwrite(const Text *t, int fd, size_t old_size)
{
	return pages_overwrite(&t->pg, fd, old_size);
}

bool text_rebase(Text *t, Source *s)
{
	if (!pages_rebase(&t->pg, s))
		return false;
	t->same_size = true;
	return true;
}

void text_take(Text *t, Text *from)
{
	reset(t, &from->pg);
	from->version++;
}

size_t text_len(const Text *t) { return pages_len(&t->pg); }
int text_byte(const Text *t, size_t pos) { return pages_byte(&t->pg, pos); }
size_t text_copy(const Text *t, size_t pos, size_t len, char *out) { return pages_copy(&t->pg, pos, len, out); }
const char *text_span(const Text *t, size_t pos, size_t *len) { return pages_span(&t->pg, pos, len); }

bool text_write(const Text *t, size_t pos, size_t len, int fd, size_t off)
{
	return pages_write(&t->pg, pos, len, fd, off);
}

bool text_window_read(TextWindow *w, const Text *t, size_t off, size_t want)
{
	size_t len = text_len(t);
	if (off >= len)
		return false;
	for (;;) {
		size_t n = len - off < want ? len - off : want;
		if (!ARRAY_RESERVE(w->buf, w->cap, n))
			return false;
		n = text_copy(t, off, n, w->buf);
		const char *nl = off + n < len ? memrchr(w->buf, '\n', n) : NULL;
		if (off + n >= len || nl) {
			w->off = off;
			w->len = nl ? (size_t)(nl - w->buf) + 1 : n;
			w->version = t->version;
			return true;
		}
		want *= 2; /* one line longer than the window */
	}
}

bool text_window_has(const TextWindow *w, const Text *t, size_t pos)
{
	return w->version == t->version && pos >= w->off && pos < w->off + w->len;
}

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

/* Gets the pages ready for a batch (pages.h); false on ENOMEM. */
static bool prepare(Text *t, const Edit *e, size_t n, size_t *tgt)
{
	return pages_prepare(&t->pg, e, n, tgt);
}

/* Fills rec (its arrays preallocated) with the bytes the batch removes
 * and where its inserts land; before the pass, in the coordinates the
 * edits use. */
static void record(Text *t, const Edit *e, size_t n, UndoBatch *rec)
{
	size_t delta_ins = 0, delta_del = 0, blob = 0;
	for (size_t i = 0; i < n; i++) {
		size_t cur = e[i].pos + delta_ins - delta_del;
		pages_copy(&t->pg, e[i].pos, e[i].del, rec->blob + blob);
		rec->e[i] = (UndoEdit){cur, e[i].ins_len, e[i].del};
		blob += e[i].del;
		delta_ins += e[i].ins_len;
		delta_del += e[i].del;
	}
	rec->n = n;
	rec->blob_len = blob;
}

/* The pass itself (prepared: it cannot fail). */
static void apply_pass(Text *t, const Edit *e, size_t n, const size_t *tgt, size_t *new_pos)
{
	PagesPass pp;
	size_t delta_ins = 0, delta_del = 0;
	pages_pass_begin(&t->pg, &pp);
	for (size_t i = 0; i < n; i++) {
		size_t cur = e[i].pos + delta_ins - delta_del;
		if (e[i].del)
			pages_pass_delete(&t->pg, &pp, cur, e[i].del);
		if (e[i].ins_len)
			pages_pass_insert(&t->pg, &pp, tgt[i], cur, e[i].ins, e[i].ins_len);
		if (e[i].del != e[i].ins_len)
			t->same_size = false;
		if (new_pos)
			new_pos[i] = cur;
		delta_ins += e[i].ins_len;
		delta_del += e[i].del;
	}
	pages_pass_end(&t->pg, &pp);
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
	size_t total_del = 0;
	for (size_t i = 0; i < n; i++)
		total_del += e[i].del;
	size_t *np = new_pos, *tgt = malloc((n ? n : 1) * sizeof *tgt);
	bool extend = rec_into && rec_into == top_txn(t) && extends_last(t, e, n);
	bool need_np = t->nmarks > 0 || extend;
	if (!tgt || (!np && need_np && !(np = malloc((n ? n : 1) * sizeof *np))))
		goto fail;
	if (!prepare(t, e, n, tgt))
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
		record(t, e, n, &rec_into->b[rec_into->nb - 1]);
	}
	apply_pass(t, e, n, tgt, np);
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
	free(tgt);
	return true;
fail:
	if (np != new_pos)
		free(np);
	free(tgt);
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

/* The inverse of stored batch b as edits. */
static void inverse(const UndoBatch *b, Edit *inv)
{
	size_t off = 0;
	for (size_t i = 0; i < b->n; i++) {
		inv[i] = (Edit){b->e[i].pos, b->e[i].ins_len, b->blob + off, b->e[i].del_len};
		off += b->e[i].del_len;
	}
}

/* Applies the inverse of every batch of src (last first), recording into
 * dst; used for both undo and redo. All or nothing: the records are
 * allocated first, and several batches run as one page step (pages.h)
 * with the marks kept aside, so a failure half way puts everything back
 * (a half-undone transaction would leave the history out of step with
 * the bytes). */
static bool invert_txn(Text *t, Txn *src, Txn *dst)
{
	size_t nb = src->nb, maxn = 1;
	for (size_t k = 0; k < nb; k++)
		maxn = src->b[k].n > maxn ? src->b[k].n : maxn;
	bool several = nb > 1, stepping = false;
	Edit *inv = malloc(maxn * sizeof *inv);
	size_t *np = malloc(maxn * sizeof *np), *tgt = malloc(maxn * sizeof *tgt);
	size_t *marks = several ? malloc((t->nmarks ? t->nmarks : 1) * sizeof *marks) : NULL;
	UndoBatch *recs = inv && np && tgt && (marks || !several) ? alloc_inverse(src) : NULL;
	uint64_t version = t->version;
	bool same = t->same_size;
	if (!recs || (several && !(stepping = pages_step_begin(&t->pg))))
		goto fail;
	if (several && t->nmarks)
		memcpy(marks, t->marks, t->nmarks * sizeof *marks);
	dst->b = recs;
	dst->capb = nb ? nb : 1;
	dst->nb = 0;
	for (size_t k = nb; k-- > 0;) {
		const UndoBatch *b = &src->b[k];
		inverse(b, inv);
		if (!prepare(t, inv, b->n, tgt))
			goto fail;
		record(t, inv, b->n, &recs[dst->nb++]);
		apply_pass(t, inv, b->n, tgt, np);
		map_marks(t, inv, b->n, np);
	}
	if (stepping)
		pages_step_commit(&t->pg);
	free(marks);
	free(tgt);
	free(np);
	free(inv);
	return true;
fail:
	if (stepping) {
		pages_step_abort(&t->pg);
		if (t->nmarks)
			memcpy(t->marks, marks, t->nmarks * sizeof *marks);
		t->version = version;
		t->same_size = same;
	}
	dst->b = NULL;
	dst->nb = dst->capb = 0;
	free_batches(recs, nb);
	free(marks);
	free(tgt);
	free(np);
	free(inv);
	errno = ENOMEM;
	return false;
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

static Pages *pg(const Text *t) { return (Pages *)&t->pg; } /* counting fills caches only */

size_t text_lines(const Text *t) { return lines_count(pg(t)); }
bool text_has_line(const Text *t, size_t line) { return lines_has(pg(t), line); }
size_t text_line_start(const Text *t, size_t line) { return lines_offset_of(pg(t), line); }
size_t text_line_of(const Text *t, size_t pos) { return lines_line_of(pg(t), pos); }
bool text_index_step(Text *t, size_t budget) { return lines_step(&t->pg, budget); }
bool text_index_done(const Text *t) { return lines_done(&t->pg); }

bool text_line_of_within(const Text *t, size_t pos, size_t budget, size_t *line)
{
	return lines_line_of_within(pg(t), pos, budget, line);
}

size_t text_lines_estimate(const Text *t) { return lines_estimate(&t->pg); }

bool text_lines_known(const Text *t, size_t *n)
{
	if (!lines_done(&t->pg))
		return false;
	*n = lines_count(pg(t));
	return true;
}

size_t text_line_start_within(const Text *t, size_t pos, size_t max)
{
	size_t limit = pos > max ? pos - max : 0;
	while (pos > limit) {
		size_t n;
		const char *p = pages_span_back(&t->pg, pos, &n);
		if (n > pos - limit)
			p += n - (pos - limit), n = pos - limit;
		const char *q = memrchr(p, '\n', n);
		if (q)
			return pos - n + (size_t)(q - p) + 1;
		pos -= n;
	}
	return pos == 0 ? 0 : BUF_NOPOS;
}

size_t text_line_start_at(const Text *t, size_t pos)
{
	/* Short lines: scan back (cheap even for a million cursors). Long
	 * lines: the index finds the start without reading the whole line. */
	size_t s = text_line_start_within(t, pos, 4096);
	return s != BUF_NOPOS ? s : text_line_start(t, text_line_of(t, pos));
}

/* The first '\n' in [pos, pos + max), through spans (what is on screen,
 * mapped in anyway) or copies (pread of long clean runs: a scan far into
 * a big file leaves nothing resident). */
static size_t line_end_scan(const Text *t, size_t pos, size_t max, bool copy)
{
	enum { COPY = 65536 };
	size_t len = text_len(t);
	if (pos >= len)
		return len;
	size_t limit = len - pos > max ? pos + max : len;
	char *buf = copy ? malloc(COPY) : NULL;
	while (pos < limit) {
		size_t n;
		const char *p;
		if (buf) {
			n = text_copy(t, pos, limit - pos < COPY ? limit - pos : COPY, buf);
			p = buf;
		} else {
			p = text_span(t, pos, &n);
		}
		if (n > limit - pos)
			n = limit - pos;
		const char *q = memchr(p, '\n', n);
		if (q) {
			free(buf);
			return pos + (size_t)(q - p);
		}
		pos += n;
	}
	free(buf);
	return pos >= len ? len : BUF_NOPOS;
}

size_t text_line_end_within(const Text *t, size_t pos, size_t max)
{
	/* The first 64 KiB through spans: most lines end there. */
	size_t near = max < 65536 ? max : 65536, e = line_end_scan(t, pos, near, false);
	return e != BUF_NOPOS || near == max ? e : line_end_scan(t, pos + near, max - near, true);
}

size_t text_line_end_far(const Text *t, size_t pos, size_t max)
{
	return line_end_scan(t, pos, max, true);
}

bool text_line_end_known(const Text *t, size_t pos, size_t *end)
{
	return lines_end_known(pg(t), pos, end);
}

size_t text_line_end_at(const Text *t, size_t pos)
{
	return text_line_end_within(t, pos, (size_t)-1);
}

/* ===== the file under the text =========================================== */

const Source *text_source(const Text *t) { return t->pg.src; }
PagesWork text_work(const Text *t) { return t->pg.work; }

bool text_lost(const Text *t, size_t *from, size_t *to)
{
	return t->pg.src && source_lost(t->pg.src, from, to);
}

bool text_source_changed(Text *t)
{
	return t->pg.src && source_check(t->pg.src);
}

bool text_check(const Text *t)
{
	if (!pages_check(&t->pg) || !lines_check(&t->pg))
		return false;
	for (size_t i = 0; i < t->nmarks; i++)
		if (t->marks[i] != BUF_NOPOS && t->marks[i] > text_len(t))
			return false;
	return true;
}
