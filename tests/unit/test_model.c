/* Randomized differential test of Text against a naive model: a plain byte
 * string rebuilt on every batch, marks moved edit by edit, undo/redo as
 * stored batches replayed inverted. Ops: single inserts/deletes/replaces,
 * sorted batches of 1-50 edits, transactions of several batches, typing
 * runs with several cursors, undo, redo, marks, saves, history resets and
 * edits/undos under an injected allocation failure (which must change
 * nothing). The text is also loaded from a mapped file now and then (its
 * pages clean views of the file until edited), and that file is cut short
 * under the mapping (SIGBUS injection): bytes shown from the lost tail
 * must read as zeros, never crash, and be reported lost. After every op:
 * bytes, line index at random spots, marks, history state, text_check().
 * Built with tiny pages too (the Makefile's tiny build), so every edit
 * crosses pages.
 *
 * Prints "# seed N"; BRISK_SEED=N replays a run, BRISK_OPS=N sets its
 * length. Links with -Wl,--wrap=malloc,realloc,calloc (see Makefile). */
#include "buffer/text.h"
#include "tests/unit/tap.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#if PAGES_LOAD <= 64
#define DEFAULT_OPS 40000 /* tiny sizes: sanitized and index-heavy */
#else
#define DEFAULT_OPS 120000
#endif
#define MAX_MARKS 24
#define MAX_BATCH 50

/* ===== allocation failure injection ====================================== */

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void *__real_calloc(size_t n, size_t m);
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_calloc(size_t n, size_t m);

static long fail_countdown = -1; /* the allocation that fails: 0 = next */
static long fail_hits;

static bool fail_now(void)
{
	if (fail_countdown < 0)
		return false;
	if (fail_countdown-- > 0)
		return false;
	fail_hits++;
	errno = ENOMEM;
	return true;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
void *__wrap_calloc(size_t n, size_t m) { return fail_now() ? NULL : __real_calloc(n, m); }

/* ===== random numbers ==================================================== */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 when n is 0. */
static size_t rnd(size_t n)
{
	return n ? (size_t)(rnd64() % n) : 0;
}

static bool chance(unsigned percent)
{
	return rnd(100) < percent;
}

/* Random bytes biased to what matters: newlines, UTF-8, NUL, CR. */
static void rnd_bytes(char *out, size_t n)
{
	static const char alphabet[] = "abcdefghij \n\n\t\r\0\xc3\xa9\xe2\x82\xac\xff";
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[rnd(sizeof alphabet - 1)];
}

/* ===== the model ========================================================= */

typedef struct MEdit {
	size_t pos, del; /* pos before the batch */
	char *ins, *gone; /* inserted bytes, removed bytes */
	size_t ins_len;
} MEdit;

typedef struct MBatch {
	MEdit *e;
	size_t n;
} MBatch;

typedef struct MTxn {
	MBatch *b;
	size_t nb;
	CursorSet before, after;
	int kind;
	uint64_t id;
} MTxn;

typedef struct Model {
	char *s;
	size_t len;
	size_t mark[MAX_MARKS]; /* by Text mark id; BUF_NOPOS = not ours */
	MTxn *undo, *redo;
	size_t nu, nr, cap;
	bool open, run_open;
	uint64_t next_id, saved;
} Model;

static void *xmalloc(size_t n)
{
	void *p = __real_malloc(n ? n : 1);
	if (!p)
		BAIL_OUT("out of memory");
	return p;
}

static char *xmemdup(const char *s, size_t n)
{
	char *p = xmalloc(n);
	if (n)
		memcpy(p, s, n);
	return p;
}

static void cs_copy(CursorSet *dst, const CursorSet *src)
{
	*dst = (CursorSet){0};
	if (!src || src->n == 0)
		return;
	dst->pos = (void *)xmemdup((const char *)src->pos, 2 * src->n * sizeof *src->pos);
	dst->n = src->n;
	dst->primary = src->primary;
}

static void m_txn_free(MTxn *tx)
{
	for (size_t k = 0; k < tx->nb; k++) {
		for (size_t i = 0; i < tx->b[k].n; i++) {
			free(tx->b[k].e[i].ins);
			free(tx->b[k].e[i].gone);
		}
		free(tx->b[k].e);
	}
	free(tx->b);
	free(tx->before.pos);
	free(tx->after.pos);
	memset(tx, 0, sizeof *tx);
}

static void m_clear_history(Model *m)
{
	for (size_t i = 0; i < m->nu; i++)
		m_txn_free(&m->undo[i]);
	for (size_t i = 0; i < m->nr; i++)
		m_txn_free(&m->redo[i]);
	m->nu = m->nr = 0;
	m->open = m->run_open = false;
	m->next_id = 1;
	m->saved = 0;
}

/* Where edit i's inserted bytes start after the batch. */
static void m_new_pos(const Edit *e, size_t n, size_t *np)
{
	size_t ins = 0, del = 0;
	for (size_t i = 0; i < n; i++) {
		np[i] = e[i].pos + ins - del;
		ins += e[i].ins_len;
		del += e[i].del;
	}
}

/* Applies a valid batch: the string rebuilt, marks moved by the rule
 * text.h states (right gravity; a mark in a removed range goes past the
 * insert), worked out naively per mark. rec, if given, receives copies of
 * the inserted and removed bytes. */
static void m_apply(Model *m, const Edit *e, size_t n, MBatch *rec)
{
	size_t nlen = m->len;
	for (size_t i = 0; i < n; i++)
		nlen = nlen - e[i].del + e[i].ins_len;
	char *ns = xmalloc(nlen), *w = ns;
	size_t from = 0;
	if (rec) {
		rec->e = xmalloc(n * sizeof *rec->e);
		rec->n = n;
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(w, m->s + from, e[i].pos - from);
		w += e[i].pos - from;
		if (e[i].ins_len)
			memcpy(w, e[i].ins, e[i].ins_len);
		w += e[i].ins_len;
		if (rec)
			rec->e[i] = (MEdit){e[i].pos, e[i].del, xmemdup(e[i].ins, e[i].ins_len),
					    xmemdup(m->s + e[i].pos, e[i].del), e[i].ins_len};
		from = e[i].pos + e[i].del;
	}
	memcpy(w, m->s + from, m->len - from);
	free(m->s);
	m->s = ns;
	m->len = nlen;

	/* A mark goes with the last edit starting at or before it (in the
	 * coordinates before the batch): past that edit's insert when the mark
	 * is in its removed range or at either end of it, else shifted by the
	 * size changes of all the edits up to there. */
	for (size_t k = 0; k < MAX_MARKS; k++) {
		size_t mk = m->mark[k], res = mk, ins = 0, del = 0;
		if (mk == BUF_NOPOS)
			continue;
		for (size_t i = 0; i < n && e[i].pos <= mk; i++) {
			size_t cur = e[i].pos + ins - del;
			ins += e[i].ins_len;
			del += e[i].del;
			res = mk <= e[i].pos + e[i].del ? cur + e[i].ins_len : mk + ins - del;
		}
		m->mark[k] = res;
	}
}

static MTxn *m_top(Model *m)
{
	return m->nu ? &m->undo[m->nu - 1] : NULL;
}

static void m_begin(Model *m, int kind, const CursorSet *before)
{
	MTxn *top = m_top(m);
	if (kind == TXN_TYPING && m->run_open && top && top->kind == TXN_TYPING && top->id != m->saved) {
		m->open = true;
		return;
	}
	m->run_open = kind == TXN_TYPING;
	MTxn *tx = &m->undo[m->nu++];
	memset(tx, 0, sizeof *tx);
	tx->kind = kind;
	tx->id = m->next_id++;
	cs_copy(&tx->before, before);
	m->open = true;
}

static void m_end(Model *m, const CursorSet *after)
{
	MTxn *tx = m_top(m);
	if (!m->open || !tx)
		return;
	m->open = false;
	if (tx->nb == 0) {
		m_txn_free(tx);
		m->nu--;
		m->run_open = false;
		return;
	}
	free(tx->after.pos);
	cs_copy(&tx->after, after);
}

/* A keystroke that goes on typing right after each cursor's last insert
 * extends the previous batch of the run instead of adding one (text.c
 * does so; it matters for marks: undoing one merged batch moves them
 * differently from undoing its pieces one by one). */
static bool m_extends_last(Model *m, const Edit *e, size_t n)
{
	MTxn *tx = m_top(m);
	if (!m->open || !tx || tx->kind != TXN_TYPING || tx->nb == 0 || tx->id == m->saved)
		return false;
	const MBatch *b = &tx->b[tx->nb - 1];
	if (b->n != n)
		return false;
	size_t ins = 0, del = 0;
	for (size_t i = 0; i < n; i++) {
		size_t after = b->e[i].pos + ins - del; /* its inserted bytes, now */
		ins += b->e[i].ins_len;
		del += b->e[i].del;
		if (e[i].del != 0 || e[i].pos != after + b->e[i].ins_len)
			return false;
	}
	return true;
}

/* text_apply() as the model sees it. */
static void m_text_apply(Model *m, const Edit *e, size_t n)
{
	bool own = !m->open;
	if (own)
		m_begin(m, TXN_PLAIN, NULL);
	for (size_t i = 0; i < m->nr; i++)
		m_txn_free(&m->redo[i]);
	m->nr = 0;
	MTxn *tx = m_top(m);
	if (m_extends_last(m, e, n)) {
		MBatch *b = &tx->b[tx->nb - 1];
		for (size_t i = 0; i < n; i++) {
			MEdit *x = &b->e[i];
			char *ins = xmalloc(x->ins_len + e[i].ins_len);
			memcpy(ins, x->ins, x->ins_len);
			memcpy(ins + x->ins_len, e[i].ins, e[i].ins_len);
			free(x->ins);
			x->ins = ins;
			x->ins_len += e[i].ins_len;
		}
		m_apply(m, e, n, NULL);
	} else {
		tx->b = realloc(tx->b, (tx->nb + 1) * sizeof *tx->b);
		m_apply(m, e, n, &tx->b[tx->nb++]);
	}
	if (own)
		m_end(m, NULL);
}

/* Replays a stored batch forward (redo) or inverted (undo). */
static void m_replay(Model *m, const MBatch *b, bool invert)
{
	Edit *e = xmalloc(b->n * sizeof *e);
	size_t ins = 0, del = 0;
	for (size_t i = 0; i < b->n; i++) {
		const MEdit *x = &b->e[i];
		if (invert)
			e[i] = (Edit){x->pos + ins - del, x->ins_len, x->gone, x->del};
		else
			e[i] = (Edit){x->pos, x->del, x->ins, x->ins_len};
		ins += x->ins_len;
		del += x->del;
	}
	m_apply(m, e, b->n, NULL);
	free(e);
}

static bool m_undo(Model *m)
{
	if (m->nu == 0)
		return false;
	MTxn tx = m->undo[--m->nu];
	for (size_t k = tx.nb; k-- > 0;)
		m_replay(m, &tx.b[k], true);
	m->redo[m->nr++] = tx;
	m->open = m->run_open = false;
	return true;
}

static bool m_redo(Model *m)
{
	if (m->nr == 0)
		return false;
	MTxn tx = m->redo[--m->nr];
	for (size_t k = 0; k < tx.nb; k++)
		m_replay(m, &tx.b[k], false);
	m->undo[m->nu++] = tx;
	m->open = m->run_open = false;
	return true;
}

static uint64_t m_state(const Model *m)
{
	return m->nu ? m->undo[m->nu - 1].id : 0;
}

/* ===== the run =========================================================== */

typedef struct Run {
	Text *t;
	Model m;
	long op;
	char dir[64];       /* where mapped files go */
	char path[128];     /* the file the text is mapped from ("": none) */
	long nfile, maps, cuts, faults;
	char log[16][160];  /* the last ops, for failure reports */
	size_t *starts;     /* scratch: model line starts */
	size_t cap_starts;
	long checks, oom_tries, oom_failed;
} Run;

static void note(Run *r, const char *fmt, ...) TAP_PRINTF(2, 3);
static void note(Run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->log[r->op % 16], sizeof r->log[0], fmt, ap);
	va_end(ap);
}

static bool fail(Run *r, const char *fmt, ...) TAP_PRINTF(2, 3);
static bool fail(Run *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ok(false, "model and Text agree (op %ld: %s)", r->op, msg);
	for (long k = r->op - 8 < 0 ? 0 : r->op - 8; k <= r->op; k++)
		diag("%s op %ld: %s", k == r->op ? "failing" : "       ", k, r->log[k % 16]);
	diag("text length %zu, model length %zu", text_len(r->t), r->m.len);
	return false;
}

/* Line starts of the model string into r->starts; returns the count. */
static size_t model_lines(Run *r)
{
	size_t n = 1;
	if (r->cap_starts < r->m.len + 1) {
		r->cap_starts = 2 * r->m.len + 16;
		r->starts = __real_realloc(r->starts, r->cap_starts * sizeof *r->starts);
	}
	r->starts[0] = 0;
	for (size_t i = 0; i < r->m.len; i++)
		if (r->m.s[i] == '\n')
			r->starts[n++] = i + 1;
	return n;
}

static bool check(Run *r)
{
	Text *t = r->t;
	Model *m = &r->m;
	r->checks++;
	if (!text_check(t))
		return fail(r, "text_check failed");
	if (text_len(t) != m->len)
		return fail(r, "length %zu, model %zu", text_len(t), m->len);
	for (size_t pos = 0, n; pos < m->len; pos += n) {
		const char *p = text_span(t, pos, &n);
		if (n == 0 || n > m->len - pos || memcmp(p, m->s + pos, n) != 0)
			return fail(r, "bytes differ in the span at %zu (%zu bytes)", pos, n);
	}
	size_t nl = model_lines(r);
	if (text_lines(t) != nl)
		return fail(r, "text_lines %zu, model %zu", text_lines(t), nl);
	for (int k = 0; k < 4; k++) {
		size_t l = k == 0 ? nl - 1 : k == 1 ? nl + rnd(3) : rnd(nl);
		size_t want = r->starts[l < nl ? l : nl - 1];
		if (text_line_start(t, l) != want)
			return fail(r, "text_line_start(%zu) = %zu, model %zu", l, text_line_start(t, l), want);
		size_t pos = k == 0 ? m->len : rnd(m->len + 1);
		size_t line = 0;
		for (size_t lo = 0, hi = nl; lo < hi;) { /* last start <= pos */
			size_t mid = (lo + hi) / 2;
			if (r->starts[mid] <= pos)
				line = mid, lo = mid + 1;
			else
				hi = mid;
		}
		if (text_line_of(t, pos) != line)
			return fail(r, "text_line_of(%zu) = %zu, model %zu", pos, text_line_of(t, pos), line);
		if (text_line_start_at(t, pos) != r->starts[line])
			return fail(r, "text_line_start_at(%zu) = %zu, model %zu", pos, text_line_start_at(t, pos),
				    r->starts[line]);
		size_t end = line + 1 < nl ? r->starts[line + 1] - 1 : m->len;
		if (text_line_end_at(t, pos) != end)
			return fail(r, "text_line_end_at(%zu) = %zu, model %zu", pos, text_line_end_at(t, pos), end);
	}
	for (size_t k = 0; k < MAX_MARKS; k++)
		if (m->mark[k] != BUF_NOPOS && text_mark_get(t, k) != m->mark[k])
			return fail(r, "mark %zu at %zu, model %zu", k, text_mark_get(t, k), m->mark[k]);
	if (t->undo.nu != m->nu || t->undo.nr != m->nr)
		return fail(r, "history %zu undo / %zu redo, model %zu / %zu", t->undo.nu, t->undo.nr, m->nu, m->nr);
	if (text_can_undo(t) != (m->nu > 0) || text_can_redo(t) != (m->nr > 0))
		return fail(r, "can_undo/can_redo disagree");
	bool mod = m_state(m) != m->saved;
	if (text_is_modified(t) != mod)
		return fail(r, "text_is_modified %d, model %d", text_is_modified(t), mod);
	return true;
}

/* ----- generators ----- */

/* Byte storage for one batch's inserts. */
static char pool[MAX_BATCH * 64 + 300000];

static size_t ins_len_for(size_t len)
{
	/* Keep texts around a few KB: insert less as they grow. */
	if (len > 6000 && chance(70))
		return 0;
	return chance(10) ? rnd(60) : rnd(8);
}

/* A random sorted, non-overlapping batch of 1..max edits (adjacent edits
 * and several pure inserts at one offset included). */
static size_t gen_batch(size_t len, Edit *e, size_t max)
{
	size_t n = 1 + rnd(max), pts[2 * MAX_BATCH], used = 0;
	for (size_t i = 0; i < 2 * n; i++)
		pts[i] = chance(5) && i ? pts[i - 1] : rnd(len + 1);
	for (size_t i = 1; i < 2 * n; i++) /* insertion sort: n is small */
		for (size_t j = i; j > 0 && pts[j - 1] > pts[j]; j--) {
			size_t x = pts[j];
			pts[j] = pts[j - 1];
			pts[j - 1] = x;
		}
	for (size_t i = 0; i < n; i++) {
		size_t del = pts[2 * i + 1] - pts[2 * i];
		if (chance(30) || (del > 64 && len < 6000 && chance(80)))
			del = chance(50) ? 0 : del % 8;
		size_t il = ins_len_for(len);
		rnd_bytes(pool + used, il);
		e[i] = (Edit){pts[2 * i], del, pool + used, il};
		used += il;
	}
	return n;
}

static CursorSet gen_cursors(size_t *buf, size_t len)
{
	size_t n = rnd(4);
	for (size_t i = 0; i < 2 * n; i++)
		buf[i] = rnd(len + 1);
	return (CursorSet){buf, n, n ? rnd(n) : 0};
}

static bool same_cursors(const CursorSet *a, const CursorSet *b)
{
	if (a->n != b->n || (a->n && a->primary != b->primary))
		return false;
	return a->n == 0 || memcmp(a->pos, b->pos, 2 * a->n * sizeof *a->pos) == 0;
}

/* ----- ops ----- */

static bool apply_both(Run *r, const Edit *e, size_t n)
{
	size_t np[MAX_BATCH], mp[MAX_BATCH];
	if (!text_apply(r->t, e, n, np))
		return fail(r, "text_apply failed: %s", strerror(errno));
	m_new_pos(e, n, mp);
	if (memcmp(np, mp, n * sizeof *np) != 0)
		return fail(r, "text_apply new_pos differs from the model's");
	m_text_apply(&r->m, e, n);
	return true;
}

static bool op_single(Run *r)
{
	size_t len = r->m.len, pos = rnd(len + 1);
	size_t del = rnd(len - pos < 40 ? len - pos + 1 : 40);
	int kind = (int)rnd(3);
	if (len > 6000 && chance(50))
		kind = 1, del = rnd(len - pos + 1); /* shrink */
	size_t il = kind == 1 ? 0 : ins_len_for(len);
	rnd_bytes(pool, il);
	Edit e = {pos, kind == 0 ? 0 : del, pool, il};
	note(r, "%s at %zu: del %zu, ins %zu", kind == 0 ? "insert" : kind == 1 ? "delete" : "replace", pos,
	     e.del, il);
	if (kind == 0) {
		if (!text_insert(r->t, pos, pool, il))
			return fail(r, "text_insert failed");
		m_text_apply(&r->m, &e, 1);
		return true;
	}
	if (kind == 1) {
		if (!text_delete(r->t, pos, e.del))
			return fail(r, "text_delete failed");
		m_text_apply(&r->m, &e, 1);
		return true;
	}
	return apply_both(r, &e, 1);
}

static bool op_batch(Run *r)
{
	Edit e[MAX_BATCH];
	size_t n = gen_batch(r->m.len, e, MAX_BATCH);
	note(r, "batch of %zu edits, first at %zu", n, e[0].pos);
	return apply_both(r, e, n);
}

/* Several batches in one transaction, with cursor sets. */
static bool op_txn(Run *r)
{
	size_t bb[8], ba[8];
	CursorSet before = gen_cursors(bb, r->m.len);
	size_t k = 2 + rnd(3);
	note(r, "transaction of %zu batches", k);
	text_begin(r->t, TXN_PLAIN, &before);
	m_begin(&r->m, TXN_PLAIN, &before);
	for (size_t i = 0; i < k; i++) {
		Edit e[MAX_BATCH];
		size_t n = gen_batch(r->m.len, e, 10);
		if (!apply_both(r, e, n))
			return false;
	}
	CursorSet after = gen_cursors(ba, r->m.len);
	text_end(r->t, &after);
	m_end(&r->m, &after);
	return true;
}

/* Keystrokes with 1-4 cursors; the first may replace selections. The run
 * stays open afterwards unless a break comes, so the next typing op may
 * join it. */
static bool op_typing(Run *r)
{
	size_t n = 1 + rnd(4), len = r->m.len;
	size_t pts[8], cur[4], buf[8];
	for (size_t i = 0; i < 2 * n; i++)
		pts[i] = rnd(len + 1);
	for (size_t i = 1; i < 2 * n; i++)
		for (size_t j = i; j > 0 && pts[j - 1] > pts[j]; j--) {
			size_t x = pts[j];
			pts[j] = pts[j - 1];
			pts[j - 1] = x;
		}
	bool replace = chance(30);
	size_t keys = 1 + rnd(8);
	note(r, "typing: %zu keys (some may be Delete/Backspace), %zu cursors, %s", keys, n,
	     replace ? "over selections" : "at carets");
	for (size_t k = 0; k < keys; k++) {
		Edit e[4];
		char ch[4][3];
		/* Now and then Delete (the byte after each caret) or Backspace
		 * (the byte before) instead of a character, where cursors allow. */
		int key = k == 0 || chance(85) ? 0 : chance(50) ? 1 : 2;
		for (size_t i = 0; key && i < n; i++)
			if (key == 1 ? cur[i] + 1 > (i + 1 < n ? cur[i + 1] : r->m.len)
				     : cur[i] == 0 || (i > 0 && cur[i] - 1 < cur[i - 1]))
				key = 0;
		for (size_t i = 0; i < n; i++) {
			size_t pos = replace && k == 0 ? pts[2 * i] : k == 0 ? pts[2 * i + 1] : cur[i];
			size_t del = replace && k == 0 ? pts[2 * i + 1] - pts[2 * i] : 0;
			size_t il = chance(10) ? 2 : 1;
			if (il == 2)
				memcpy(ch[i], "\xc3\xa9", 2);
			else
				rnd_bytes(ch[i], 1);
			if (key)
				pos -= key == 2, del = 1, il = 0;
			e[i] = (Edit){pos, del, ch[i], il};
			buf[2 * i] = replace && k == 0 ? pts[2 * i] : pos;
			buf[2 * i + 1] = replace && k == 0 ? pts[2 * i + 1] : pos;
		}
		CursorSet before = {buf, n, 0};
		text_begin(r->t, TXN_TYPING, &before);
		m_begin(&r->m, TXN_TYPING, &before);
		size_t np[4];
		if (!apply_both(r, e, n))
			return false;
		m_new_pos(e, n, np);
		for (size_t i = 0; i < n; i++) {
			cur[i] = np[i] + e[i].ins_len;
			buf[2 * i] = buf[2 * i + 1] = cur[i];
		}
		CursorSet after = {buf, n, 0};
		text_end(r->t, &after);
		m_end(&r->m, &after);
	}
	if (chance(50)) {
		text_break(r->t);
		r->m.run_open = false;
	}
	return true;
}

static bool op_undo_redo(Run *r, bool undo)
{
	CursorSet got = {0};
	note(r, "%s", undo ? "undo" : "redo");
	MTxn *tx = undo ? (r->m.nu ? &r->m.undo[r->m.nu - 1] : NULL) : (r->m.nr ? &r->m.redo[r->m.nr - 1] : NULL);
	CursorSet want = {0};
	if (tx)
		cs_copy(&want, undo ? &tx->before : &tx->after);
	bool done = undo ? text_undo(r->t, &got) : text_redo(r->t, &got);
	bool mdone = undo ? m_undo(&r->m) : m_redo(&r->m);
	bool good = done == mdone && (!done || same_cursors(&got, &want));
	if (done)
		cursorset_free(&got);
	free(want.pos);
	return good || fail(r, "%s: done %d (model %d) or cursors differ", undo ? "undo" : "redo", done, mdone);
}

static bool op_mark(Run *r)
{
	Model *m = &r->m;
	size_t k = rnd(MAX_MARKS);
	size_t pos = rnd(m->len + 1);
	if (m->mark[k] != BUF_NOPOS && chance(50)) {
		note(r, "free mark %zu", k);
		text_mark_free(r->t, k);
		m->mark[k] = BUF_NOPOS;
	} else if (m->mark[k] != BUF_NOPOS) {
		size_t p = chance(10) ? m->len + 5 : pos;
		note(r, "set mark %zu to %zu", k, p);
		text_mark_set(r->t, k, p);
		m->mark[k] = p > m->len ? m->len : p;
	} else {
		note(r, "new mark at %zu", pos);
		size_t id = text_mark_new(r->t, pos);
		if (id >= MAX_MARKS || m->mark[id] != BUF_NOPOS)
			return fail(r, "text_mark_new gave id %zu", id);
		m->mark[id] = pos;
	}
	return true;
}

static bool op_save(Run *r)
{
	int what = (int)rnd(3);
	if (what == 0) {
		note(r, "break");
		text_break(r->t);
		r->m.run_open = false;
	} else if (what == 1) {
		note(r, "mark saved");
		text_mark_saved(r->t);
		r->m.saved = m_state(&r->m);
		r->m.run_open = false;
	} else {
		note(r, "mark unsaved");
		text_mark_unsaved(r->t);
		r->m.saved = (uint64_t)-1;
	}
	return true;
}

/* Loads the current bytes afresh (bounds the history's memory). */
static bool op_reset(Run *r)
{
	note(r, "adopt the bytes (history dropped)");
	size_t len = r->m.len, cap = len + rnd(64);
	char *copy = malloc(cap ? cap : 1);
	memcpy(copy, r->m.s, len);
	if (!text_adopt(r->t, copy, len, cap))
		return fail(r, "text_adopt failed");
	m_clear_history(&r->m);
	return true;
}

/* A big insert and delete: blocks split, the index rebuilt. */
static bool op_big(Run *r)
{
	size_t n = 2 * PAGES_MAX + 1 + rnd(PAGES_LOAD);
	if (n > sizeof pool)
		n = sizeof pool;
	rnd_bytes(pool, n);
	size_t pos = rnd(r->m.len + 1);
	Edit e = {pos, 0, pool, n};
	note(r, "big insert of %zu at %zu", n, pos);
	if (!apply_both(r, &e, 1))
		return false;
	if (!check(r))
		return false;
	e = (Edit){pos + rnd(n / 2), n / 2 + rnd(n / 2), NULL, 0};
	if (e.pos + e.del > r->m.len)
		e.del = r->m.len - e.pos;
	note(r, "big delete of %zu at %zu", e.del, e.pos);
	return apply_both(r, &e, 1);
}

static bool op_cut(Run *r);

/* Writes the model's bytes to a new file and maps it: the text becomes
 * clean pages over the file (history dropped). */
static bool op_map(Run *r)
{
	Model *m = &r->m;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	if (m->len < 3 * ps) {
		/* Several system pages, so cutting the file can fault. */
		size_t n = 3 * ps - m->len + rnd(ps);
		static char grow[5 * 65536];
		if (n > sizeof grow)
			n = sizeof grow;
		rnd_bytes(grow, n);
		Edit e = {rnd(m->len + 1), 0, grow, n};
		note(r, "map: first insert %zu bytes at %zu", n, e.pos);
		if (!apply_both(r, &e, 1))
			return false;
	}
	char path[128];
	snprintf(path, sizeof path, "%s/f%ld", r->dir, r->nfile++);
	note(r, "map the bytes from %s (history dropped)", path);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, m->s, m->len) != (ssize_t)m->len)
		return fail(r, "cannot write %s", path);
	Source *src = source_map(fd, m->len);
	if (!src || !text_adopt_source(r->t, src))
		return fail(r, "cannot map %s", path);
	if (r->path[0])
		unlink(r->path); /* the old mapping went with the old pages */
	snprintf(r->path, sizeof r->path, "%s", path);
	m_clear_history(m);
	r->maps++;
	/* Often cut at once: pages are still clean then. */
	return !chance(40) || (check(r) && op_cut(r));
}

/* Another program cuts the mapped file short. Clean pages showing bytes of
 * the lost tail now show zeros; the model follows them (what undo records
 * copied before stays). Half the time the bytes are read through the
 * mapping first, so the read faults (SIGBUS) and the handler must turn the
 * fault into zeros and a report; else the cut is found by a look at the
 * file first, as the editor's check on focus does. */
static bool op_cut(Run *r)
{
	const Source *src = text_source(r->t);
	if (!src || !r->path[0]) {
		note(r, "cut: no mapped file");
		return true;
	}
	size_t size = source_size(src), cut = rnd(size + 1), from, to;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE), faults_from = (cut + ps - 1) / ps * ps;
	bool fault = chance(50), faulted = false;
	note(r, "cut %s to %zu bytes (of %zu), %s", r->path, cut, size, fault ? "read first" : "looked at first");
	if (truncate(r->path, (off_t)cut) != 0)
		return fail(r, "truncate: %s", strerror(errno));
	r->cuts++;
	bool lost_before = text_lost(r->t, &from, &to);
	size_t low = lost_before && from < cut ? from : cut;
	const Pages *P = &r->t->pg;
	for (size_t k = 0, so; k < P->n; k++) {
		if (!pages_is_clean(P, k, &so) || so + P->v[k].len <= cut)
			continue;
		size_t start = pages_start(P, k), skip = so < cut ? cut - so : 0;
		memset(r->m.s + start + skip, 0, P->v[k].len - skip);
		faulted |= so + P->v[k].len > faults_from;
	}
	if (fault) {
		unsigned sum = 0;
		for (size_t pos = 0, n; pos < text_len(r->t); pos += n) {
			const unsigned char *p = (const unsigned char *)text_span(r->t, pos, &n);
			for (size_t i = 0; i < n; i++)
				sum += p[i];
		}
		note(r, "cut %s to %zu bytes (of %zu), read first (sum %u)", r->path, cut, size, sum);
		if (faulted && (!text_lost(r->t, &from, &to) || to != size))
			return fail(r, "a read past the cut was not reported lost");
		r->faults += faulted; /* only the SIGBUS handler reports those */
	}
	if (!text_source_changed(r->t))
		return fail(r, "the cut file does not show as changed");
	if (cut < size && (!text_lost(r->t, &from, &to) || from != low || to != size))
		return fail(r, "lost bytes not reported as [%zu, %zu)", low, size);
	return true;
}

/* An edit or undo/redo with one allocation failing: it either succeeds
 * or fails with ENOMEM having changed nothing. */
static bool op_oom(Run *r)
{
	Model *m = &r->m;
	int what = (int)rnd(4);
	Edit e[MAX_BATCH];
	size_t n = 0;
	if (what < 2)
		n = gen_batch(m->len, e, what == 0 ? 1 : 8);
	long at = (long)rnd(8);
	note(r, "%s under a failure of allocation #%ld",
	     what < 2 ? "batch" : what == 2 ? "undo" : "redo", at);
	r->oom_tries++;
	fail_hits = 0;
	fail_countdown = at;
	errno = 0;
	bool done;
	if (what < 2)
		done = text_apply(r->t, e, n, NULL);
	else if (what == 2)
		done = text_undo(r->t, NULL);
	else
		done = text_redo(r->t, NULL);
	int err = errno;
	fail_countdown = -1;
	if (!done && fail_hits) {
		r->oom_failed++;
		if (err != ENOMEM && what < 2)
			return fail(r, "failed with errno %d, not ENOMEM", err);
		/* Nothing changed but the typing run, which a failed edit ends
		 * (its text_begin(TXN_PLAIN) did); the check that follows
		 * compares with the unchanged model. */
		if (what < 2)
			m->run_open = false;
		return true;
	}
	if (!done && what < 2)
		return fail(r, "text_apply failed without an allocation failure");
	if (!done)
		return (what == 2 ? m->nu : m->nr) == 0 || fail(r, "nothing to %s, the model has", what == 2 ? "undo" : "redo");
	if (what < 2)
		m_text_apply(m, e, n);
	else if (what == 2 ? !m_undo(m) : !m_redo(m))
		return fail(r, "%s succeeded, the model had nothing to do", what == 2 ? "undo" : "redo");
	return true;
}

static bool step(Run *r)
{
	size_t dice = rnd(1000);
	if (dice < 150)
		return op_single(r);
	if (dice < 400)
		return op_batch(r);
	if (dice < 470)
		return op_txn(r);
	if (dice < 640)
		return op_typing(r);
	if (dice < 760)
		return op_undo_redo(r, true);
	if (dice < 850)
		return op_undo_redo(r, false);
	if (dice < 920)
		return op_mark(r);
	if (dice < 950)
		return op_save(r);
	if (dice < 990)
		return op_oom(r);
	if (dice < 992)
		return op_reset(r);
	if (dice < 993)
		return op_big(r);
	if (dice < 996)
		return op_map(r);
	if (dice < 998)
		return op_cut(r);
	note(r, "nothing");
	return true;
}

int main(void)
{
	const char *env = getenv("BRISK_SEED");
	uint64_t seed = env && *env ? strtoull(env, NULL, 0)
				    : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	env = getenv("BRISK_OPS");
	long nops = env && *env ? atol(env) : DEFAULT_OPS;
	printf("# seed %" PRIu64 "\n", seed);
	printf("# replay: BRISK_SEED=%" PRIu64 " %s\n", seed, "<this binary>");
	rng_state = seed;

	Run r;
	memset(&r, 0, sizeof r);
	snprintf(r.dir, sizeof r.dir, "/tmp/brisk-model-XXXXXX");
	if (!mkdtemp(r.dir))
		BAIL_OUT("mkdtemp: %s", strerror(errno));
	r.t = text_new();
	r.m.s = xmalloc(1);
	r.m.cap = (size_t)nops + 16; /* at most one txn per op */
	r.m.undo = xmalloc(r.m.cap * sizeof *r.m.undo);
	r.m.redo = xmalloc(r.m.cap * sizeof *r.m.redo);
	m_clear_history(&r.m);
	for (size_t k = 0; k < MAX_MARKS; k++)
		r.m.mark[k] = BUF_NOPOS;

	bool good = r.t != NULL;
	clock_t t0 = clock();
	for (r.op = 0; good && r.op < nops; r.op++)
		good = step(&r) && check(&r);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	if (good)
		ok(true, "%ld random ops: Text and model agree after each one", nops);
	diag("%ld ops, %ld checks, %ld allocation-failure ops (%ld failed cleanly), %ld mapped files, %ld cut short "
	     "(%ld read through SIGBUS), %.2f s", r.op, r.checks, r.oom_tries, r.oom_failed, r.maps, r.cuts, r.faults, secs);
	ok(r.oom_failed > 0 || nops < 1000, "some injected allocation failures made an op fail");
	ok(r.faults > 0 || nops < 5000, "some mapped files were cut short under the text, and read (SIGBUS)");

	text_free(r.t);
	if (r.path[0])
		unlink(r.path);
	rmdir(r.dir);
	m_clear_history(&r.m);
	free(r.m.s);
	free(r.m.undo);
	free(r.m.redo);
	free(r.starts);
	if (!good)
		diag("replay with BRISK_SEED=%" PRIu64, seed);
	return done_testing();
}
