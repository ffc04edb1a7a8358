/* Decorations on buffer marks and the per-line syntax cache (decor.h). */
#include "editor/decor.h"
#include "editor/filter.h"
#include "editor/pane.h"
#include "buffer/array.h"
#include <stdlib.h>
#include <string.h>

static void syn_entry_free(SynLine *e)
{
	free(e->spans);
	e->spans = NULL;
	e->n = 0;
	e->used = false;
}

static void syn_flush(DecorSet *ds)
{
	for (size_t i = 0; ds->syn && i < SYN_CACHE; i++)
		syn_entry_free(&ds->syn[i]);
	for (size_t i = 0; ds->syn_text && i < SYN_TEXT_CACHE; i++)
		syn_entry_free(&ds->syn_text[i]);
}

void decor_free(DecorSet *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; i < ds->n; i++) {
		free(ds->v[i].ns);
		free(ds->v[i].virt);
	}
	free(ds->v);
	free(ds->vis);
	syn_flush(ds);
	free(ds->syn);
	free(ds->syn_text);
	free(ds->sw);
	free(ds);
}

static DecorSet *get_set(Buffer *b)
{
	if (!b->decor) {
		b->decor = calloc(1, sizeof *b->decor);
		if (b->decor)
			b->decor->next_id = 1;
	}
	return b->decor;
}

/* ===== decorations ======================================================= */

static void release(Text *t, Decor *d)
{
	text_mark_free(t, d->m_start);
	if (d->m_end != BUF_NOPOS) {
		text_mark_free(t, d->m_end);
		text_mark_free(t, d->m_last);
	}
	free(d->ns);
	free(d->virt);
}

/* Marks for [from, to); false (nothing kept) on ENOMEM. */
static bool place(Text *t, Decor *d, size_t from, size_t to)
{
	d->m_end = d->m_last = BUF_NOPOS;
	if ((d->m_start = text_mark_new(t, from)) == BUF_NOPOS)
		return false;
	if (to == from)
		return true;
	d->m_end = text_mark_new(t, to);
	d->m_last = d->m_end == BUF_NOPOS ? BUF_NOPOS : text_mark_new(t, to - 1);
	if (d->m_last != BUF_NOPOS)
		return true;
	if (d->m_end != BUF_NOPOS)
		text_mark_free(t, d->m_end);
	text_mark_free(t, d->m_start);
	return false;
}

int decor_add(Buffer *b, size_t from, size_t to, Style st, const char *ns,
              const char *virt, size_t vlen, Style vst)
{
	DecorSet *ds = get_set(b);
	size_t len = text_len(b->text);
	if (!ds)
		return -1;
	if (from > len)
		from = len;
	if (to > len)
		to = len;
	if (to < from)
		to = from;
	if (!ARRAY_RESERVE(ds->v, ds->cap, ds->n + 1))
		return -1;
	Decor d = {.st = st, .vst = vst, .vlen = virt ? vlen : 0};
	d.ns = ns ? strdup(ns) : NULL;
	d.virt = virt ? malloc(vlen ? vlen : 1) : NULL;
	if ((ns && !d.ns) || (virt && !d.virt) || !place(b->text, &d, from, to)) {
		free(d.ns);
		free(d.virt);
		return -1;
	}
	if (virt)
		memcpy(d.virt, virt, vlen);
	d.id = ds->next_id++;
	ds->v[ds->n++] = d;
	return d.id;
}

static size_t index_of(const DecorSet *ds, int id)
{
	/* Sorted by id: binary search. */
	size_t lo = 0, hi = ds->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ds->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ds->n && ds->v[lo].id == id ? lo : BUF_NOPOS;
}

const Decor *decor_find(const Buffer *b, int id)
{
	if (!b->decor)
		return NULL;
	size_t i = index_of(b->decor, id);
	return i == BUF_NOPOS ? NULL : &b->decor->v[i];
}

bool decor_remove(Buffer *b, int id)
{
	DecorSet *ds = b->decor;
	size_t i = ds ? index_of(ds, id) : BUF_NOPOS;
	if (i == BUF_NOPOS)
		return false;
	release(b->text, &ds->v[i]);
	memmove(&ds->v[i], &ds->v[i + 1], (ds->n - i - 1) * sizeof *ds->v);
	ds->n--;
	ds->nvis = 0; /* indexes moved: decor_prepare rebuilds */
	return true;
}

size_t decor_clear(Buffer *b, const char *ns)
{
	DecorSet *ds = b->decor;
	if (!ds)
		return 0;
	size_t k = 0, removed = 0;
	for (size_t i = 0; i < ds->n; i++) {
		Decor *d = &ds->v[i];
		if (!ns || (d->ns && strcmp(d->ns, ns) == 0)) {
			release(b->text, d);
			removed++;
		} else {
			ds->v[k++] = *d;
		}
	}
	ds->n = k;
	ds->nvis = 0;
	return removed;
}

void decor_range(const Buffer *b, const Decor *d, size_t *from, size_t *to)
{
	*from = text_mark_get(b->text, d->m_start);
	*to = *from;
	if (d->m_end == BUF_NOPOS)
		return;
	size_t e = text_mark_get(b->text, d->m_end), last = text_mark_get(b->text, d->m_last) + 1;
	if (last < e)
		e = last;
	if (e > *to)
		*to = e;
}

/* ===== syntax cache ====================================================== */

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

void decor_syntax_changed(Editor *ed)
{
	ed->panes->syntax_gen++;
}

/* Flushes the cache when the syntax function or the buffer's mode changed
 * since it was filled; false when there is nothing to ask for. */
static bool syn_ready(Editor *ed, Buffer *b, DecorSet *ds)
{
	Panes *ps = ed->panes;
	if (ds->syn_gen != ps->syntax_gen || strcmp(ds->syn_mode, b->mode) != 0) {
		syn_flush(ds);
		ds->syn_gen = ps->syntax_gen;
		memcpy(ds->syn_mode, b->mode, sizeof ds->syn_mode);
		ds->syn_none = false;
		ds->syn_stateful = false;
		ds->syn_pure = false;
		ds->swn = 0;
	}
	if (ds->syn_none || !ps->nsyntax || !ps->hooks.syntax)
		return false;
	if (!ds->syn && !(ds->syn = calloc(SYN_CACHE, sizeof *ds->syn)))
		return false;
	if (!ds->syn_text && !(ds->syn_text = calloc(SYN_TEXT_CACHE, sizeof *ds->syn_text)))
		return false;
	return true;
}

/* Copies what the syntax function sees of a line into buf; its length. */
static size_t line_text(DecorSet *ds, Buffer *b, size_t line, char *buf)
{
	Text *t = b->text;
	size_t start;
	bool hint = ds->hint_ok && ds->hint_version == t->version;
	if (hint && ds->hint_line == line)
		start = ds->hint_start;
	else if (hint && ds->hint_line + 1 == line && ds->hint_end < text_len(t))
		start = ds->hint_end + 1;
	else
		start = text_line_start(t, line);
	/* A syntax function sees SYN_MAX_LINE bytes at most: the end of a
	 * longer line is not looked for (the next line's start is found
	 * again from the index then). */
	size_t end = text_line_end_within(t, start, SYN_MAX_LINE + 1);
	ds->hint_ok = end != BUF_NOPOS;
	if (end == BUF_NOPOS)
		end = start + SYN_MAX_LINE;
	ds->hint_version = t->version;
	ds->hint_line = line;
	ds->hint_start = start;
	ds->hint_end = end;
	if (end > start && text_byte(t, end - 1) == '\r' && b->crlf)
		end--;
	size_t len = end - start > SYN_MAX_LINE ? SYN_MAX_LINE : end - start;
	text_copy(t, start, len, buf);
	return len;
}

/* The state window after an edit: it ends before the first line whose
 * text changed (the lines below are checked again through the cache). */
static void sw_check(Buffer *b, DecorSet *ds, char *buf)
{
	Text *t = b->text;
	if (ds->sw_version == t->version)
		return;
	ds->sw_version = t->version;
	for (size_t i = 0; i < ds->swn; i++) {
		size_t l = ds->sw0 + i;
		bool there = text_has_line(t, l);
		size_t len = there ? line_text(ds, b, l, buf) : 0;
		if (!there || len != ds->sw[i].len || fnv1a(buf, len) != ds->sw[i].hash) {
			ds->swn = i;
			return;
		}
	}
}

/* Records a line's states in the window (when it is in it or right after
 * it). A line whose end state changed makes the lines below it unknown. */
static void sw_record(DecorSet *ds, size_t line, uint64_t h, size_t len, int in, int out)
{
	if (line < ds->sw0 || line > ds->sw0 + ds->swn)
		return;
	size_t i = line - ds->sw0;
	SynState st = {h, len, in, out};
	if (i < ds->swn) {
		if (ds->sw[i].out != out || ds->sw[i].in != in)
			ds->swn = i + 1;
		ds->sw[i] = st;
		return;
	}
	if (i > 0 && ds->sw[i - 1].out != in)
		return;
	if (!ARRAY_RESERVE(ds->sw, ds->swcap, ds->swn + 1))
		return; /* a cache: the state is found again by walking further */
	ds->sw[ds->swn++] = st;
}

/* The by-content slot of a hash (FNV's low bits cluster on lines that
 * differ in a digit: mix them first). */
static size_t text_slot(uint64_t h)
{
	return (size_t)((h * 0x9E3779B97F4A7C15ull) >> 40) % SYN_TEXT_CACHE;
}

/* A copy of entry e in the by-content cache (nothing on ENOMEM). */
static void remember_text(DecorSet *ds, const SynLine *e)
{
	SynLine *c = &ds->syn_text[text_slot(e->hash)];
	SynSpan *sp = malloc((e->n ? e->n : 1) * sizeof *sp);
	if (!sp)
		return;
	memcpy(sp, e->spans, e->n * sizeof *sp);
	syn_entry_free(c);
	*c = *e;
	c->spans = sp;
}

/* Fills the (freed) entry e from the by-content cache when a line with
 * the same bytes and start state was lexed before; false if none. */
static bool reuse_by_text(DecorSet *ds, SynLine *e, size_t line, uint64_t version, uint64_t h,
                          size_t len, int in)
{
	const SynLine *c = &ds->syn_text[text_slot(h)];
	if (!ds->syn_pure || !c->used || c->hash != h || c->len != len || c->in != in)
		return false;
	SynSpan *sp = malloc((c->n ? c->n : 1) * sizeof *sp);
	if (!sp)
		return false;
	memcpy(sp, c->spans, c->n * sizeof *sp);
	*e = (SynLine){line, version, h, len, true, in, c->out, sp, c->n};
	sw_record(ds, line, h, len, in, c->out);
	return true;
}

/* Fills (or revalidates) the entry of one line lexed from state `in`.
 * NULL when there is no syntax function, or (*gone set) when the function
 * closed the buffer. */
static SynLine *syn_fill(Editor *ed, Buffer *b, DecorSet *ds, size_t line, int in, char *buf, bool *gone)
{
	Text *t = b->text;
	SynLine *e = &ds->syn[line % SYN_CACHE];
	if (e->used && e->line == line && e->version == t->version && e->in == in) {
		sw_record(ds, line, e->hash, e->len, in, e->out);
		return e;
	}
	size_t len = line_text(ds, b, line, buf);
	uint64_t h = fnv1a(buf, len);
	if (e->used && e->line == line && e->hash == h && e->len == len && e->in == in) {
		e->version = t->version;
		sw_record(ds, line, h, len, in, e->out);
		/* Keep the lines on screen findable by content (Enter moves them). */
		const SynLine *c = &ds->syn_text[text_slot(h)];
		if (ds->syn_pure && !(c->used && c->hash == h && c->len == len && c->in == in))
			remember_text(ds, e);
		return e;
	}
	syn_entry_free(e);
	if (reuse_by_text(ds, e, line, t->version, h, len, in))
		return e;
	SynSpan *spans = NULL;
	size_t n = 0;
	PaneHooks *hk = &ed->panes->hooks;
	ds->syn_calls++;
	int id = b->id;
	uint64_t version = t->version;
	ds->syn_in = in;
	ds->syn_out = 0;
	ds->syn_wants_state = false;
	bool ok = hk->syntax(hk->ctx, b, line, buf, len, &spans, &n);
	if (ed_find_buffer(ed, id) != b) {
		free(spans);
		*gone = true;
		return NULL;
	}
	e = &ds->syn[line % SYN_CACHE];
	syn_entry_free(e);
	if (!ok) {
		free(spans);
		ds->syn_none = true;
		return NULL;
	}
	int out = ds->syn_out;
	if ((out != 0 || ds->syn_wants_state) && !ds->syn_stateful) {
		/* From now on lines start in their predecessor's end state. */
		ds->syn_stateful = true;
		ds->swn = 0;
	}
	*e = (SynLine){line, version, h, len, true, in, out, spans, n};
	sw_record(ds, line, h, len, in, out);
	if (ds->syn_wants_state) {
		ds->syn_pure = true;
		remember_text(ds, e);
	}
	return e;
}

/* The state a line starts in: lexes the lines above it that the window
 * lacks, from the window's end or from a sync point SYN_SYNC lines up. */
static bool start_state(Editor *ed, Buffer *b, DecorSet *ds, size_t line, char *buf, int *state)
{
	*state = 0;
	if (line == 0 || !ds->syn_stateful)
		return true;
	sw_check(b, ds, buf);
	size_t end = ds->sw0 + ds->swn;
	if (line >= ds->sw0 && line < end) {
		*state = ds->sw[line - ds->sw0].in;
		return true;
	}
	if (line < ds->sw0 || line > end + SYN_SYNC || (ds->swn == 0 && ds->sw0 != 0)) {
		ds->sw0 = line > SYN_SYNC ? line - SYN_SYNC : 0;
		ds->swn = 0;
		end = ds->sw0;
	}
	bool gone = false;
	for (size_t l = end; l < line; l++) {
		int in = l == ds->sw0 ? 0 : ds->sw[l - 1 - ds->sw0].out;
		if (!syn_fill(ed, b, ds, l, in, buf, &gone) || !ds->syn_stateful)
			return false;
		if (ds->sw0 + ds->swn != l + 1)
			return false; /* out of memory */
	}
	*state = ds->sw[line - 1 - ds->sw0].out;
	return true;
}

/* One line through the cache, from its start state. */
static SynLine *syn_line(Editor *ed, Buffer *b, DecorSet *ds, size_t line, char *buf, bool *gone)
{
	int in;
	if (!start_state(ed, b, ds, line, buf, &in))
		return NULL;
	if (ed_find_buffer(ed, b->id) != b) {
		*gone = true;
		return NULL;
	}
	return syn_fill(ed, b, ds, line, in, buf, gone);
}

const SynSpan *decor_syntax_cached(const Buffer *b, size_t line, size_t *n)
{
	DecorSet *ds = b->decor;
	*n = 0;
	if (!ds || !ds->syn || ds->syn_none)
		return NULL;
	SynLine *e = &ds->syn[line % SYN_CACHE];
	if (!e->used || e->line != line || e->version != b->text->version)
		return NULL;
	*n = e->n;
	return e->spans;
}

const SynSpan *decor_syntax_line(Editor *ed, Buffer *b, size_t line, size_t *n)
{
	DecorSet *ds = get_set(b);
	*n = 0;
	if (!ds || !text_has_line(b->text, line) || !syn_ready(ed, b, ds))
		return NULL;
	char *buf = malloc(SYN_MAX_LINE);
	bool gone = false;
	SynLine *e = buf ? syn_line(ed, b, ds, line, buf, &gone) : NULL;
	free(buf);
	if (!e)
		return NULL;
	*n = e->n;
	return e->spans;
}

/* ===== before a frame ==================================================== */

static void collect_visible(Buffer *b, DecorSet *ds, size_t from, size_t to)
{
	size_t *nv = realloc(ds->vis, (ds->n ? ds->n : 1) * sizeof *nv);
	ds->nvis = 0;
	if (!nv)
		return;
	ds->vis = nv;
	for (size_t i = 0; i < ds->n; i++) {
		size_t s, e;
		decor_range(b, &ds->v[i], &s, &e);
		/* Overlapping, or empty (virtual text only) inside. */
		if ((s < to && e > from) || (s >= from && s <= to))
			ds->vis[ds->nvis++] = i;
	}
}

/* The line shown after line l, which starts at *start (a log view's
 * filter may hide lines); BUF_NOPOS past the end, or when the end of line
 * l is not known without reading on (a very long line: the line count in
 * the background will tell). *start becomes the next line's start. */
static size_t next_shown(Buffer *b, size_t l, size_t *start)
{
	Text *t = b->text;
	size_t end;
	if (!text_line_end_known(t, *start, &end) || end >= text_len(t))
		return BUF_NOPOS;
	*start = end + 1;
	if (!b->filter)
		return l + 1;
	size_t n = filter_next_shown(b->filter, t, l + 1);
	if (n != BUF_NOPOS)
		*start = text_line_start(t, n);
	return n;
}

static size_t first_shown(Buffer *b, size_t top)
{
	Text *t = b->text;
	size_t l = text_line_of(t, top > text_len(t) ? text_len(t) : top);
	if (b->filter) {
		size_t s = filter_next_shown(b->filter, t, l);
		l = s != BUF_NOPOS ? s : l;
	}
	return l;
}

/* Keeps at most SYN_SYNC window lines above the first line on screen, so
 * checking the window after an edit stays cheap. */
static void trim_window(DecorSet *ds, size_t first)
{
	if (first < SYN_SYNC || ds->sw0 + SYN_SYNC >= first)
		return;
	size_t k = first - SYN_SYNC - ds->sw0;
	if (k >= ds->swn) {
		ds->swn = 0;
		return;
	}
	memmove(ds->sw, ds->sw + k, (ds->swn - k) * sizeof *ds->sw);
	ds->sw0 += k;
	ds->swn -= k;
}

void decor_prepare(Editor *ed, Buffer *b, size_t top, size_t lines)
{
	Text *t = b->text;
	if (!b->decor && !ed->panes->nsyntax)
		return;
	DecorSet *ds = get_set(b);
	if (!ds)
		return;
	/* The lines on screen: `lines` shown lines from the top one. */
	size_t first = first_shown(b, top), n = lines ? lines : 1;
	size_t from = text_line_start(t, first), at = from, last_start = from;
	for (size_t k = 1, l = first; k < n && (l = next_shown(b, l, &at)) != BUF_NOPOS; k++)
		last_start = at;
	size_t to = text_line_end_within(t, last_start, SYN_MAX_LINE);
	if (to == BUF_NOPOS)
		to = last_start + SYN_MAX_LINE;
	collect_visible(b, ds, from, to);
	if (!syn_ready(ed, b, ds))
		return;
	char *buf = malloc(SYN_MAX_LINE);
	bool gone = false, stateful = ds->syn_stateful;
	trim_window(ds, first);
	at = from;
	for (size_t k = 0, l = first; buf && k < n && l != BUF_NOPOS && !gone && !ds->syn_none; k++) {
		syn_line(ed, b, ds, l, buf, &gone);
		if (!gone && !stateful && ds->syn_stateful) {
			/* The first state seen: colour the screen again with it. */
			stateful = true;
			k = (size_t)-1;
			l = first;
			at = from;
			continue;
		}
		if (!gone)
			l = next_shown(b, l, &at);
	}
	free(buf);
}
