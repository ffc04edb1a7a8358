/* LineFilter: regex rules and folds over a log buffer's lines, as one bit
 * per line. Knows nothing of windows or Lua; the renderer asks it which
 * lines show, lua/api_filter.c exposes it to plugins.
 *
 * Data model:
 *   bits      bit i set: line i passes the rules (unused while there are
 *             no rules: every line passes);
 *   nlines    lines the index covers (the text's lines at the last sync);
 *   npass     passing lines, the phantom line after a final '\n' excluded;
 *   cum       passing lines before each CUM_LINES-line block (built on
 *             demand, for filter_nth / filter_rank);
 *   version   the text version the index reflects; tracked/dirty: edits
 *             reported since (see filter_note_edit);
 *   folds     ranges sorted by first line on demand, maxend[i] the largest
 *             last line among folds[0..i], so "is line L inside a fold" is
 *             one binary search.
 *
 * Speed. The text is read a window of whole lines at a time (FILTER_WINDOW
 * bytes; pread for a mapped file, so a GB log costs a MB of memory), and
 * every rule runs over a window before the next is read: one pass over
 * the text, which also counts its lines (the line index is not needed).
 * A rule whose pattern cannot match a newline is run over the whole
 * window at once and its matches are mapped to lines (PCRE2 JIT skips
 * non-matching stretches much faster than one call per line); any other
 * rule runs once per line. */
#include "editor/filter.h"
#include "buffer/array.h"
#include "buffer/search.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef FILTER_WINDOW
#define FILTER_WINDOW ((size_t)1 << 20) /* bytes of whole lines read at a time */
#endif

#define CUM_SHIFT 12 /* a cumulative count every 4096 lines (64 words) */
#define CUM_LINES ((size_t)1 << CUM_SHIFT)

typedef struct Rule {
	Search *s;
	char *pat;
	size_t len;
	int kind;
	bool per_line; /* may match across a newline: one call per line */
} Rule;

typedef struct Fold {
	size_t first, last;
} Fold;

struct LineFilter {
	Rule *rules;
	size_t nrules, caprules;
	uint64_t *bits;
	size_t capwords;
	size_t nlines, npass;
	bool phantom;     /* the last line is the empty one after a final '\n' */
	size_t *cum;
	size_t capcum;
	bool cum_ok;
	bool built;
	uint64_t version;
	uint64_t tracked; /* text version after the last edit we were told of */
	size_t dirty;     /* lowest offset edited since `version`, or BUF_NOPOS */
	Fold *folds;
	size_t *maxend;
	size_t nfolds, capfolds;
	bool folds_sorted;
};

LineFilter *filter_new(void)
{
	LineFilter *f = calloc(1, sizeof *f);
	if (f) {
		f->dirty = BUF_NOPOS;
		f->folds_sorted = true;
	}
	return f;
}

static void rule_fini(Rule *r)
{
	search_free(r->s);
	free(r->pat);
}

void filter_free(LineFilter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nrules; i++)
		rule_fini(&f->rules[i]);
	free(f->rules);
	free(f->bits);
	free(f->cum);
	free(f->folds);
	free(f->maxend);
	free(f);
}

/* ===== rules ============================================================= */

/* Conservative: false only when no match can contain a newline (nor look
 * behind the start of its line), so the whole-text scan equals per-line
 * matching. Escapes of punctuation are literals; \d \w \S \b \B \t \f \e
 * \a \N \h never match '\n'; negated classes, \s, \D, \W, \n, \x.., \p..,
 * inline options other than (?i) and lookbehinds may. */
static bool may_span_lines(const char *p, size_t n)
{
	bool in_class = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\n' || c == '\r')
			return true;
		if (c == '\\') {
			if (++i >= n)
				return true;
			unsigned char d = (unsigned char)p[i];
			bool alnum = (d >= '0' && d <= '9') || ((d | 0x20) >= 'a' && (d | 0x20) <= 'z');
			if (alnum && !strchr("dwSbBtfeaNh", d))
				return true;
			continue;
		}
		if (in_class) {
			if (c == ']')
				in_class = false;
			else if (c == '[' && i + 1 < n && p[i + 1] == ':' &&
			         (i + 2 >= n || p[i + 2] == '^' || !strncmp(p + i, "[:space:]", 9) || !strncmp(p + i, "[:cntrl:]", 9)))
				return true;
			continue;
		}
		if (c == '[') {
			if (i + 1 < n && p[i + 1] == '^')
				return true;
			in_class = true;
			if (i + 1 < n && p[i + 1] == ']')
				i++; /* "[]...]": the first ']' is a literal */
			continue;
		}
		if (c == '(' && i + 1 < n && p[i + 1] == '?') {
			size_t k = i + 2;
			while (k < n && p[k] == 'i')
				k++;
			if (k >= n || (p[k] != ':' && p[k] != ')') || (k == i + 2 && p[k] == ')'))
				return true;
		}
	}
	return in_class;
}

bool filter_add(LineFilter *f, int kind, const char *re, size_t len, char *err, size_t errlen)
{
	if (!ARRAY_RESERVE(f->rules, f->caprules, f->nrules + 1)) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	Rule r = {.kind = kind == FILTER_OUT ? FILTER_OUT : FILTER_IN, .len = len};
	r.s = search_new(re, len, SEARCH_REGEX, err, errlen);
	if (!r.s)
		return false;
	r.pat = malloc(len + 1);
	if (!r.pat) {
		search_free(r.s);
		snprintf(err, errlen, "out of memory");
		return false;
	}
	memcpy(r.pat, re, len);
	r.pat[len] = '\0';
	r.per_line = may_span_lines(re, len);
	f->rules[f->nrules++] = r;
	f->built = false;
	return true;
}

bool filter_remove(LineFilter *f, size_t i)
{
	if (i >= f->nrules)
		return false;
	rule_fini(&f->rules[i]);
	memmove(&f->rules[i], &f->rules[i + 1], (f->nrules - i - 1) * sizeof *f->rules);
	f->nrules--;
	f->built = false;
	return true;
}

void filter_clear(LineFilter *f)
{
	for (size_t i = 0; i < f->nrules; i++)
		rule_fini(&f->rules[i]);
	f->nrules = 0;
	f->built = false;
}

size_t filter_rules(const LineFilter *f) { return f->nrules; }

const char *filter_rule(const LineFilter *f, size_t i, int *kind, size_t *len)
{
	if (i >= f->nrules)
		return NULL;
	*kind = f->rules[i].kind;
	*len = f->rules[i].len;
	return f->rules[i].pat;
}

/* ===== the index ========================================================= */

static inline bool bit_get(const uint64_t *b, size_t i) { return b[i >> 6] >> (i & 63) & 1; }
static inline void bit_set(uint64_t *b, size_t i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }
static inline void bit_clear(uint64_t *b, size_t i) { b[i >> 6] &= ~((uint64_t)1 << (i & 63)); }

static bool reserve_bits(LineFilter *f, size_t nlines)
{
	size_t old = f->capwords;
	if (!ARRAY_RESERVE(f->bits, f->capwords, nlines / 64 + 1))
		return false;
	memset(f->bits + old, 0, (f->capwords - old) * sizeof *f->bits);
	return true;
}

/* Sets lines [from, to) to v, a word at a time in the middle. */
static void fill_bits(uint64_t *b, size_t from, size_t to, bool v)
{
	for (; from < to && (from & 63); from++)
		v ? bit_set(b, from) : bit_clear(b, from);
	for (; from + 64 <= to; from += 64)
		b[from >> 6] = v ? ~(uint64_t)0 : 0;
	for (; from < to; from++)
		v ? bit_set(b, from) : bit_clear(b, from);
}

static void apply_hit(uint64_t *b, size_t line, int kind)
{
	if (kind == FILTER_IN)
		bit_set(b, line);
	else
		bit_clear(b, line);
}

static bool line_matches(Rule *r, const char *data, size_t ls, size_t le)
{
	size_t e;
	return search_in(r->s, data + ls, le - ls, 0, &e) != BUF_NOPOS;
}

/* One call per line, from line `line` starting at offset off. */
static void scan_lines(Rule *r, uint64_t *b, const char *data, size_t len, size_t line, size_t off)
{
	for (;;) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t le = nl ? (size_t)(nl - data) : len;
		if (line_matches(r, data, off, le))
			apply_hit(b, line, r->kind);
		if (!nl)
			return;
		off = le + 1;
		line++;
	}
}

/* The whole text at once: each match marks its line, and the search goes
 * on from the next line. A match that crosses a line end (the analysis
 * was wrong) is checked against its line alone, and the rest of the text
 * is matched per line. */
static void scan_whole(Rule *r, uint64_t *b, const char *data, size_t len, size_t line, size_t off)
{
	while (off <= len) {
		size_t e, m = search_in(r->s, data, len, off, &e);
		if (m == BUF_NOPOS)
			return;
		size_t ls = off;
		size_t k = lines_newlines(data + off, m - off);
		if (k) {
			line += k;
			ls = (size_t)((const char *)memrchr(data + off, '\n', m - off) - data) + 1;
		}
		const char *nl = memchr(data + m, '\n', len - m);
		size_t le = nl ? (size_t)(nl - data) : len;
		if (e <= le || line_matches(r, data, ls, le))
			apply_hit(b, line, r->kind);
		if (!nl)
			return;
		if (e > le) {
			r->per_line = true;
			scan_lines(r, b, data, len, line + 1, le + 1);
			return;
		}
		off = le + 1;
		line++;
	}
}

static size_t popcount_range(const uint64_t *b, size_t from, size_t to)
{
	size_t n = 0;
	while (from < to && (from & 63))
		n += bit_get(b, from++);
	for (; from + 64 <= to; from += 64)
		n += (size_t)__builtin_popcountll(b[from >> 6]);
	while (from < to)
		n += bit_get(b, from++);
	return n;
}

/* Runs every rule over one window ("in" rules set bits, "out" clear). */
static void eval_window(LineFilter *f, const TextWindow *w, size_t line)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < f->nrules; i++) {
			Rule *r = &f->rules[i];
			if (r->kind != (pass ? FILTER_OUT : FILTER_IN))
				continue;
			if (r->per_line)
				scan_lines(r, f->bits, w->buf, w->len, line, 0);
			else
				scan_whole(r, f->bits, w->buf, w->len, line, 0);
		}
}

/* Re-evaluates lines from `from` to the end, window by window; counts the
 * lines as it goes (from 0, it needs no line index). */
static bool eval_from(LineFilter *f, Text *t, size_t from)
{
	size_t len = text_len(t), off = from ? text_line_start(t, from) : 0, line = from;
	bool any_in = false;
	for (size_t i = 0; i < f->nrules; i++)
		any_in |= f->rules[i].kind == FILTER_IN;
	f->phantom = len == 0 || text_byte(t, len - 1) == '\n';
	f->cum_ok = false;
	TextWindow w = {0};
	bool ok = true;
	while (text_window_read(&w, t, off, FILTER_WINDOW)) {
		size_t nl = lines_newlines(w.buf, w.len);
		if (f->nrules && !(ok = reserve_bits(f, line + nl + 1)))
			break;
		if (f->nrules) {
			fill_bits(f->bits, line, line + nl + 1, !any_in);
			eval_window(f, &w, line);
		}
		line += nl;
		off += w.len;
	}
	free(w.buf);
	f->nlines = line + 1;
	if (!ok || (off < len && f->nrules)) {
		f->nrules = 0; /* every line passes rather than a stale view */
		ok = false;
	}
	if (f->nrules == 0) {
		f->npass = f->nlines - f->phantom;
		return ok;
	}
	if (!reserve_bits(f, f->nlines)) {
		f->nrules = 0;
		f->npass = f->nlines - f->phantom;
		return false;
	}
	fill_bits(f->bits, f->nlines, f->capwords * 64, false);
	if (f->phantom)
		bit_set(f->bits, f->nlines - 1);
	f->npass = popcount_range(f->bits, 0, f->nlines) - f->phantom;
	return true;
}

void filter_note_edit(LineFilter *f, uint64_t v0, uint64_t v1, size_t pos)
{
	if (!f || !f->built)
		return;
	if (f->tracked != v0)
		pos = 0; /* we missed a change: start over */
	f->tracked = v1;
	if (pos < f->dirty)
		f->dirty = pos;
}

bool filter_sync(LineFilter *f, Text *t)
{
	if (f->built && f->version == t->version)
		return true;
	size_t from = 0;
	if (f->built && f->tracked == t->version && f->dirty != BUF_NOPOS) {
		size_t d = f->dirty < text_len(t) ? f->dirty : text_len(t);
		from = text_line_of(t, d);
		if (f->nlines && from > f->nlines - 1)
			from = f->nlines - 1;
	}
	bool ok = eval_from(f, t, from);
	f->built = true;
	f->version = f->tracked = t->version;
	f->dirty = BUF_NOPOS;
	return ok;
}

size_t filter_total(LineFilter *f, Text *t)
{
	filter_sync(f, t);
	return f->nlines - f->phantom;
}

size_t filter_passing(LineFilter *f, Text *t)
{
	filter_sync(f, t);
	return f->npass;
}

bool filter_passes(LineFilter *f, Text *t, size_t line)
{
	filter_sync(f, t);
	if (line >= f->nlines)
		return false;
	return f->nrules == 0 || bit_get(f->bits, line);
}

/* First passing line >= line, or nlines. */
static size_t next_passing(const LineFilter *f, size_t line)
{
	if (line >= f->nlines)
		return f->nlines;
	if (f->nrules == 0)
		return line;
	size_t w = line >> 6;
	uint64_t word = f->bits[w] & (~(uint64_t)0 << (line & 63));
	size_t nw = (f->nlines + 63) >> 6;
	while (!word) {
		if (++w >= nw)
			return f->nlines;
		word = f->bits[w];
	}
	size_t r = (w << 6) + (size_t)__builtin_ctzll(word);
	return r < f->nlines ? r : f->nlines;
}

/* Last passing line <= line, or BUF_NOPOS. */
static size_t prev_passing(const LineFilter *f, size_t line)
{
	if (f->nlines == 0)
		return BUF_NOPOS;
	if (line >= f->nlines)
		line = f->nlines - 1;
	if (f->nrules == 0)
		return line;
	size_t w = line >> 6;
	unsigned sh = 63 - (unsigned)(line & 63);
	uint64_t word = f->bits[w] << sh >> sh;
	while (!word) {
		if (w == 0)
			return BUF_NOPOS;
		word = f->bits[--w];
	}
	return (w << 6) + 63 - (size_t)__builtin_clzll(word);
}

static bool build_cum(LineFilter *f)
{
	if (f->cum_ok)
		return true;
	size_t nb = f->nlines / CUM_LINES + 2;
	if (nb > f->capcum) {
		size_t *nc = realloc(f->cum, nb * sizeof *nc);
		if (!nc)
			return false;
		f->cum = nc;
		f->capcum = nb;
	}
	f->cum[0] = 0;
	for (size_t k = 1; k < nb; k++) {
		size_t a = (k - 1) * CUM_LINES, z = k * CUM_LINES;
		if (a > f->nlines)
			a = f->nlines;
		if (z > f->nlines)
			z = f->nlines;
		f->cum[k] = f->cum[k - 1] + popcount_range(f->bits, a, z);
	}
	f->cum_ok = true;
	return true;
}

size_t filter_rank(LineFilter *f, Text *t, size_t line)
{
	filter_sync(f, t);
	if (line > f->nlines)
		line = f->nlines;
	if (f->nrules == 0)
		return line;
	if (!build_cum(f))
		return popcount_range(f->bits, 0, line);
	size_t k = line >> CUM_SHIFT;
	return f->cum[k] + popcount_range(f->bits, k << CUM_SHIFT, line);
}

size_t filter_nth(LineFilter *f, Text *t, size_t k)
{
	filter_sync(f, t);
	if (k >= f->npass)
		return BUF_NOPOS;
	if (f->nrules == 0)
		return k;
	size_t blk = 0;
	if (build_cum(f)) {
		size_t lo = 0, hi = f->nlines / CUM_LINES + 1; /* cum[lo] <= k */
		while (lo + 1 < hi) {
			size_t mid = (lo + hi) / 2;
			if (f->cum[mid] <= k)
				lo = mid;
			else
				hi = mid;
		}
		blk = lo;
		k -= f->cum[blk];
	}
	for (size_t w = (blk << CUM_SHIFT) >> 6;; w++) {
		size_t c = (size_t)__builtin_popcountll(f->bits[w]);
		if (k < c) {
			uint64_t word = f->bits[w];
			while (k--)
				word &= word - 1;
			return (w << 6) + (size_t)__builtin_ctzll(word);
		}
		k -= c;
	}
}

bool filter_write(LineFilter *f, Text *t, FILE *fp)
{
	filter_sync(f, t);
	size_t n = f->nlines - f->phantom, len = text_len(t), off = 0, line = 0;
	bool wrote = false, ok = true, last_nl = true;
	TextWindow w = {0};
	/* Window by window: runs of passing lines go out as they are. */
	while (ok && line < n && text_window_read(&w, t, off, FILTER_WINDOW)) {
		size_t at = 0;
		while (at < w.len && line < n) {
			const char *nl = memchr(w.buf + at, '\n', w.len - at);
			size_t end = nl ? (size_t)(nl - w.buf) + 1 : w.len;
			if (f->nrules == 0 || bit_get(f->bits, line)) {
				ok = fwrite(w.buf + at, 1, end - at, fp) == end - at;
				wrote = true;
				last_nl = w.buf[end - 1] == '\n';
			}
			at = end;
			line++;
		}
		off += w.len;
	}
	free(w.buf);
	/* The last line of a text without a final newline gets one. */
	if (ok && wrote && !last_nl && len > 0 && fputc('\n', fp) == EOF)
		ok = false;
	return ok;
}

/* ===== folds ============================================================= */

static int cmp_fold(const void *a, const void *b)
{
	const Fold *x = a, *y = b;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->last < y->last ? -1 : x->last > y->last;
}

static void sort_folds(LineFilter *f)
{
	if (f->folds_sorted)
		return;
	qsort(f->folds, f->nfolds, sizeof *f->folds, cmp_fold);
	for (size_t i = 0; i < f->nfolds; i++) {
		size_t m = f->folds[i].last;
		f->maxend[i] = i && f->maxend[i - 1] > m ? f->maxend[i - 1] : m;
	}
	f->folds_sorted = true;
}

bool filter_fold(LineFilter *f, size_t first, size_t last)
{
	if (last <= first)
		return false;
	/* maxend runs beside folds: both grow to the same capacity. */
	size_t capmax = f->capfolds;
	if (!ARRAY_RESERVE(f->maxend, capmax, f->nfolds + 1) || !ARRAY_RESERVE(f->folds, f->capfolds, f->nfolds + 1))
		return false;
	f->folds[f->nfolds++] = (Fold){first, last};
	f->folds_sorted = false;
	return true;
}

size_t filter_unfold(LineFilter *f, size_t first)
{
	size_t k = 0;
	for (size_t i = 0; i < f->nfolds; i++)
		if (f->folds[i].first != first)
			f->folds[k++] = f->folds[i];
	size_t removed = f->nfolds - k;
	f->nfolds = k;
	f->folds_sorted = false;
	return removed;
}

void filter_unfold_all(LineFilter *f)
{
	f->nfolds = 0;
	f->folds_sorted = true;
}

size_t filter_fold_end(const LineFilter *f, size_t first)
{
	size_t end = BUF_NOPOS;
	for (size_t i = 0; i < f->nfolds; i++)
		if (f->folds[i].first == first && (end == BUF_NOPOS || f->folds[i].last > end))
			end = f->folds[i].last;
	return end;
}

size_t filter_folds(const LineFilter *f) { return f->nfolds; }

/* Index of the last fold with first < line, or BUF_NOPOS. */
static size_t folds_before(const LineFilter *f, size_t line)
{
	size_t lo = 0, hi = f->nfolds;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->folds[mid].first < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : BUF_NOPOS;
}

/* The last line of the folds that hide `line`, or BUF_NOPOS if none does. */
static size_t hidden_until(LineFilter *f, size_t line)
{
	sort_folds(f);
	size_t i = folds_before(f, line);
	if (i == BUF_NOPOS || f->maxend[i] < line)
		return BUF_NOPOS;
	return f->maxend[i];
}

/* The first line of the outermost fold that hides `line`, or BUF_NOPOS. */
static size_t hidden_from(LineFilter *f, size_t line)
{
	sort_folds(f);
	size_t i = folds_before(f, line);
	if (i == BUF_NOPOS || f->maxend[i] < line)
		return BUF_NOPOS;
	size_t lo = 0, hi = i; /* the first j with maxend[j] >= line */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->maxend[mid] >= line)
			hi = mid;
		else
			lo = mid + 1;
	}
	return f->folds[lo].first;
}

/* ===== what the view shows =============================================== */

bool filter_shown(LineFilter *f, Text *t, size_t line)
{
	if (!f)
		return line < text_lines(t);
	return filter_passes(f, t, line) && hidden_until(f, line) == BUF_NOPOS;
}

size_t filter_next_shown(LineFilter *f, Text *t, size_t line)
{
	if (!f)
		return line < text_lines(t) ? line : BUF_NOPOS;
	filter_sync(f, t);
	while (line < f->nlines) {
		line = next_passing(f, line);
		if (line >= f->nlines)
			break;
		size_t e = hidden_until(f, line);
		if (e == BUF_NOPOS)
			return line;
		line = e + 1;
	}
	return BUF_NOPOS;
}

size_t filter_prev_shown(LineFilter *f, Text *t, size_t line)
{
	if (!f) {
		size_t n = text_lines(t);
		return line < n ? line : n - 1;
	}
	filter_sync(f, t);
	for (;;) {
		line = prev_passing(f, line);
		if (line == BUF_NOPOS)
			return BUF_NOPOS;
		size_t s = hidden_from(f, line);
		if (s == BUF_NOPOS)
			return line;
		line = s;
	}
}

size_t filter_shown_from(LineFilter *f, Text *t, size_t start)
{
	if (!f || (f->nrules == 0 && f->nfolds == 0))
		return start;
	if (start > text_len(t))
		return BUF_NOPOS;
	size_t l = filter_next_shown(f, t, text_line_of(t, start) + (start > text_line_start_at(t, start)));
	return l == BUF_NOPOS ? BUF_NOPOS : text_line_start(t, l);
}

size_t filter_shown_before(LineFilter *f, Text *t, size_t start)
{
	if (!f || (f->nrules == 0 && f->nfolds == 0))
		return start;
	size_t l = filter_prev_shown(f, t, text_line_of(t, start > text_len(t) ? text_len(t) : start));
	return l == BUF_NOPOS ? BUF_NOPOS : text_line_start(t, l);
}

/* A shown line at or near `line`: itself, the next shown, else the last. */
static size_t snap(LineFilter *f, Text *t, size_t line)
{
	size_t s = filter_next_shown(f, t, line);
	if (s == BUF_NOPOS)
		s = filter_prev_shown(f, t, line);
	return s == BUF_NOPOS ? line : s;
}

size_t filter_step(LineFilter *f, Text *t, size_t line, long n)
{
	line = snap(f, t, line);
	for (; n > 0; n--) {
		size_t s = filter_next_shown(f, t, line + 1);
		if (s == BUF_NOPOS)
			break;
		line = s;
	}
	for (; n < 0 && line > 0; n++) {
		size_t s = filter_prev_shown(f, t, line - 1);
		if (s == BUF_NOPOS)
			break;
		line = s;
	}
	return line;
}

/* Shown lines in [a, b], counting up to cap. */
static size_t count_shown(LineFilter *f, Text *t, size_t a, size_t b, size_t cap)
{
	size_t k = 0;
	for (size_t l = filter_next_shown(f, t, a); l != BUF_NOPOS && l <= b && k < cap; l = filter_next_shown(f, t, l + 1))
		k++;
	return k;
}

size_t filter_top_for(LineFilter *f, Text *t, size_t top, size_t cur, size_t rows)
{
	if (rows == 0)
		rows = 1;
	top = snap(f, t, top);
	cur = snap(f, t, cur);
	size_t k, nt;
	if (cur < top)
		nt = count_shown(f, t, cur, top, rows) >= rows ? filter_step(f, t, cur, -(long)(rows / 2)) : cur;
	else if ((k = count_shown(f, t, top, cur, 2 * rows)) <= rows)
		nt = top;
	else if (k >= 2 * rows)
		nt = filter_step(f, t, cur, -(long)(rows / 2));
	else
		nt = filter_step(f, t, cur, -(long)(rows - 1));
	/* No empty rows below the last line while lines above could fill
	 * them (a filter just hid most of a followed log). */
	size_t last = filter_prev_shown(f, t, text_lines(t) - 1);
	if (last != BUF_NOPOS && count_shown(f, t, nt, last, rows) < rows)
		nt = filter_step(f, t, last, -(long)(rows - 1));
	return nt;
}

bool filter_check(LineFilter *f, Text *t)
{
	filter_sync(f, t);
	if (f->nlines != text_lines(t))
		return false;
	if (f->nrules == 0)
		return f->npass == f->nlines - f->phantom;
	if (f->phantom && !bit_get(f->bits, f->nlines - 1))
		return false;
	for (size_t i = f->nlines; i < f->capwords * 64; i++)
		if (bit_get(f->bits, i))
			return false;
	return popcount_range(f->bits, 0, f->nlines) - f->phantom == f->npass;
}
