/* Counting a run of log lines: keys, time series, pauses (editor/tally.h). */
#include "editor/tally.h"
#include <stdlib.h>
#include <string.h>

/* ===== maps ============================================================== */

static uint64_t hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static bool map_grow(TallyMap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	TallyEntry *v = calloc(cap, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		TallyEntry *e = &m->v[i];
		if (!e->key)
			continue;
		size_t j = hash(e->key, e->klen) & (cap - 1);
		while (v[j].key)
			j = (j + 1) & (cap - 1);
		v[j] = *e;
	}
	free(m->v);
	m->v = v;
	m->cap = cap;
	return true;
}

/* The entry of key, added when new; NULL when the map is full (counted in
 * others) or on ENOMEM (*oom set). */
static TallyEntry *map_get(TallyMap *m, const char *key, size_t klen, bool *oom)
{
	if (m->cap) {
		size_t j = hash(key, klen) & (m->cap - 1);
		for (; m->v[j].key; j = (j + 1) & (m->cap - 1))
			if (m->v[j].klen == klen && memcmp(m->v[j].key, key, klen) == 0)
				return &m->v[j];
	}
	if (m->used >= TALLY_MAXDISTINCT)
		return NULL;
	if ((m->used + 1) * 4 > m->cap * 3 && !map_grow(m)) {
		*oom = true;
		return NULL;
	}
	char *k = malloc(klen ? klen : 1);
	if (!k) {
		*oom = true;
		return NULL;
	}
	memcpy(k, key, klen);
	size_t j = hash(key, klen) & (m->cap - 1);
	while (m->v[j].key)
		j = (j + 1) & (m->cap - 1);
	m->v[j] = (TallyEntry){.key = k, .klen = klen};
	m->used++;
	return &m->v[j];
}

static void map_free(TallyMap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	*m = (TallyMap){0};
}

void tally_result_free(TallyResult *r)
{
	for (int i = 0; i < TALLY_MAXKEYS; i++)
		map_free(&r->maps[i]);
	map_free(&r->times);
}

/* ===== numbers =========================================================== */

/* Seconds "12.5" or nanoseconds (9 digits or more) at the start of s
 * (after blanks), ended by a blank or the end. Read with strtod, as Lua's
 * tonumber reads it, so C and Lua agree to the last bit. */
bool tally_time(const char *s, size_t n, double *sec)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t d0 = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	size_t digits = i - d0;
	bool frac = false;
	if (digits && i < n && s[i] == '.') {
		size_t f0 = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f0)
			return false;
		frac = true;
	}
	if (!digits || (i < n && s[i] != ' ' && s[i] != '\t') || (!frac && digits < 9) || i - d0 > 63)
		return false;
	char num[64];
	memcpy(num, s + d0, i - d0);
	num[i - d0] = 0;
	double v = strtod(num, NULL);
	*sec = frac ? v : v / 1e9;
	return true;
}

static void note_time(TallyEntry *e, double t)
{
	if (e->count == 0) {
		e->first = e->last = t;
		e->count = 1;
		return;
	}
	double d = t - e->last;
	e->last = t;
	e->count++;
	if (d < 0)
		return;
	if (e->n == 0 || d < e->min)
		e->min = d;
	if (e->n == 0 || d > e->max)
		e->max = d;
	e->sum += d;
	e->n++;
}

static void note_gap(TallyResult *r, double t, size_t line)
{
	if (!r->have_ts) {
		r->have_ts = true;
		r->first_ts = r->last_ts = t;
		r->first_ts_line = line;
		return;
	}
	double d = t - r->last_ts;
	r->last_ts = t;
	if (d <= 0)
		return;
	size_t k = r->ngaps;
	if (k == TALLY_GAPS) {
		if (d <= r->gaps[k - 1].d)
			return;
		k--;
	} else {
		r->ngaps++;
	}
	/* Insert, longest first. */
	while (k > 0 && r->gaps[k - 1].d < d) {
		r->gaps[k] = r->gaps[k - 1];
		k--;
	}
	r->gaps[k] = (TallyGap){d, line};
}

/* ===== the walk ========================================================== */

/* Counts one line of the run (its groups from the last match). */
static bool count_line(const TallySpec *spec, const char *s, size_t line, TallyResult *r)
{
	bool oom = false;
	size_t gb, ge;
	for (size_t k = 0; k < spec->nkeys; k++) {
		if (!search_group(spec->re, spec->keys[k], &gb, &ge))
			continue;
		TallyEntry *e = map_get(&r->maps[k], s + gb, ge - gb, &oom);
		if (e)
			e->count++;
		else if (!oom)
			r->maps[k].others++;
	}
	size_t vb, ve;
	double t;
	if (spec->tkey && spec->tval && search_group(spec->re, spec->tkey, &gb, &ge) &&
	    search_group(spec->re, spec->tval, &vb, &ve) && tally_time(s + vb, ve - vb, &t)) {
		TallyEntry *e = map_get(&r->times, s + gb, ge - gb, &oom);
		if (e)
			note_time(e, t);
	}
	if (spec->gap && search_group(spec->re, spec->gap, &gb, &ge) && tally_time(s + gb, ge - gb, &t))
		note_gap(r, t, line);
	return !oom;
}

static bool stops(const TallySpec *spec, const char *s, size_t len)
{
	size_t e;
	for (size_t i = 0; i < spec->nstop; i++)
		if (search_in(spec->stop[i], s, len, 0, &e) != BUF_NOPOS)
			return true;
	return false;
}

/* Runs are read through a window of whole lines (text_window_read). A
 * fresh window starts small, as most runs are a few lines, and doubles
 * with each read up to TALLY_WINDOW; a caller's window that grew is read
 * on at its size. */
enum { TALLY_FIRST = 4096, TALLY_WINDOW = 256 * 1024 };

bool tally_run(const TallySpec *spec, Text *t, TextWindow *w, size_t pos, TallyResult *r)
{
	size_t total = text_len(t), line = 0, want = w->cap > TALLY_FIRST ? w->cap : TALLY_FIRST;
	bool oom = false;
	r->lines = 0;
	while (pos < total && r->lines < spec->max_lines) {
		if (!text_window_has(w, t, pos)) {
			if (!text_window_read(w, t, pos, want)) {
				oom = true; /* pos < total: out of memory */
				break;
			}
			if (want < TALLY_WINDOW)
				want *= 2;
		}
		const char *s = w->buf + (pos - w->off), *nl = memchr(s, '\n', w->off + w->len - pos);
		size_t len = nl ? (size_t)(nl - s) : w->off + w->len - pos;
		/* The stop patterns first: re's groups are read after its match. */
		if (stops(spec, s, len))
			break;
		size_t e;
		if (search_in(spec->re, s, len, 0, &e) == BUF_NOPOS)
			break;
		if (!count_line(spec, s, line, r)) {
			oom = true;
			break;
		}
		r->last = pos;
		r->last_len = len;
		r->lines++;
		line++;
		pos += len + 1;
	}
	r->next = pos < total ? pos : total;
	return !oom;
}
