/* Literal search is memmem (fast, exact bytes); regexes are PCRE2 with JIT
 * and MATCH_INVALID_UTF, so invalid UTF-8 in the text never breaks a search.
 *
 * Over a Text the subject is a window of the text copied into the Search
 * (WINDOW bytes, more when a match needs it), with `back` bytes of context
 * before the start so lookbehind and \b see what they would in the whole
 * text. When the window ends before the subject does, matching is hard
 * partial: PCRE2 then reports a match that more text could complete or
 * change (and $, \z, \b at the window's end) as partial, and the window
 * is loaded again from there, bigger if need be. "No match" means none can
 * start in the window, so the next window starts where this one ended. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "buffer/search.h"
#include "buffer/array.h"
#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW SEARCH_WINDOW

enum { R_NONE, R_MATCH, R_PARTIAL };

struct Search {
	int flags;
	size_t last_b, last_e; /* the last match found (literal patterns) */
	char *lit; /* literal pattern (lower-cased with ICASE is done by PCRE2) */
	size_t litlen;
	pcre2_code *re;
	bool jit;        /* compiled by the JIT: matched through its fast path */
	int need[2];     /* a byte any match needs (either one), or -1 */
	pcre2_match_data *md;
	size_t back;     /* bytes of context a search start needs before it */
	size_t base;     /* text offset of the bytes the last match's offsets count from */
	/* The window of the last search over a text: bytes [ws, ws + wlen)
	 * of text wt at version wver. */
	char *win;
	size_t wcap, ws, wlen;
	const Text *wt;
	uint64_t wver;
};

bool search_is_word_byte(int c)
{
	return c == '_' || isalnum(c & 0xff) || (c & 0x80);
}

/* Whether the pattern may turn on caseless matching inside: "(?i)",
 * "(?mi:...)". A letter in a caseless part matches either case. */
static bool may_ignore_case(const char *pat, size_t len)
{
	for (size_t i = 0; i + 2 < len; i++) {
		if (pat[i] != '(' || pat[i + 1] != '?')
			continue;
		for (size_t j = i + 2; j < len && (isalpha((unsigned char)pat[j]) || pat[j] == '-' || pat[j] == '^'); j++)
			if (pat[j] == 'i')
				return true;
	}
	return false;
}

/* The byte every match of re holds (PCRE2's "last code unit"), in both
 * cases where the match may ignore case: a line without it cannot match,
 * which a memchr says faster than a call into PCRE2. In UTF mode a
 * caseless letter also matches non-ASCII letters (K, KELVIN SIGN): none. */
static void find_needed(Search *s, const char *pat, size_t len)
{
	s->need[0] = s->need[1] = -1;
	uint32_t type = 0, cu = 0;
	if (pcre2_pattern_info(s->re, PCRE2_INFO_LASTCODETYPE, &type) != 0 || type != 1 ||
	    pcre2_pattern_info(s->re, PCRE2_INFO_LASTCODEUNIT, &cu) != 0 || cu > 127)
		return;
	bool caseless = (s->flags & SEARCH_ICASE) || may_ignore_case(pat, len);
	if (caseless && isalpha((int)cu)) {
		if (!(s->flags & SEARCH_BYTES))
			return;
		s->need[1] = islower((int)cu) ? toupper((int)cu) : tolower((int)cu);
	}
	s->need[0] = (int)cu;
}

Search *search_new(const char *pat, size_t len, int flags, char *err, size_t errlen)
{
	Search *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->flags = flags;
	if (!(flags & SEARCH_REGEX) && !(flags & SEARCH_ICASE)) {
		s->lit = malloc(len ? len : 1);
		if (!s->lit) {
			free(s);
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		memcpy(s->lit, pat, len);
		s->litlen = len;
		s->back = 16;
		return s;
	}
	uint32_t opts = 0;
	if (!(flags & SEARCH_BYTES))
		opts |= PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	/* PCRE2_LITERAL refuses MULTILINE and UCP (meaningless for it anyway;
	 * UTF alone gives Unicode case folding). */
	if (!(flags & SEARCH_REGEX))
		opts |= PCRE2_LITERAL;
	else
		opts |= PCRE2_MULTILINE | (flags & SEARCH_BYTES ? 0 : PCRE2_UCP);
	if (flags & SEARCH_ICASE)
		opts |= PCRE2_CASELESS;
	int ec;
	PCRE2_SIZE eo;
	s->re = pcre2_compile((PCRE2_SPTR)pat, len, opts, &ec, &eo, NULL);
	if (!s->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		snprintf(err, errlen, "regex error at %zu: %s", (size_t)eo, (char *)msg);
		free(s);
		return NULL;
	}
	s->jit = pcre2_jit_compile(s->re, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD) == 0;
	find_needed(s, pat, len);
	uint32_t lb = 0;
	pcre2_pattern_info(s->re, PCRE2_INFO_MAXLOOKBEHIND, &lb);
	s->back = 4 * (size_t)lb + 16; /* characters of up to 4 bytes, and \b */
	s->md = pcre2_match_data_create_from_pattern(s->re, NULL);
	if (!s->md) {
		pcre2_code_free(s->re);
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return s;
}

void search_free(Search *s)
{
	if (!s)
		return;
	free(s->lit);
	free(s->win);
	if (s->md)
		pcre2_match_data_free(s->md);
	if (s->re)
		pcre2_code_free(s->re);
	free(s);
}

static bool word_ok(const char *data, size_t len, size_t b, size_t e)
{
	if (b > 0 && search_is_word_byte((unsigned char)data[b - 1]))
		return false;
	if (e < len && search_is_word_byte((unsigned char)data[e]))
		return false;
	return true;
}

/* One match attempt in data[0, len) from `from`. `more`: the subject goes
 * on after len, so a match that could use what follows is R_PARTIAL at *b
 * (the earliest place one may start). opts: PCRE2_NOTEMPTY_ATSTART or 0
 * (a literal is never empty). */
static int raw(Search *s, const char *data, size_t len, size_t from, uint32_t opts, bool more, size_t *b, size_t *e)
{
	if (from > len)
		return R_NONE;
	if (s->lit) {
		if (s->litlen == 0)
			return R_NONE;
		const char *p = memmem(data + from, len - from, s->lit, s->litlen);
		if (p) {
			*b = s->last_b = (size_t)(p - data);
			*e = s->last_e = *b + s->litlen;
			return R_MATCH;
		}
		/* The tail could be the start of a match. */
		size_t tail = len - from < s->litlen - 1 ? len - from : s->litlen - 1;
		*b = len - tail;
		return more && tail ? R_PARTIAL : R_NONE;
	}
	/* A subject without the byte every match needs has no match (a
	 * partial one at its end may not hold it yet). */
	if (!more && s->need[0] >= 0 && !memchr(data + from, s->need[0], len - from) &&
	    (s->need[1] < 0 || !memchr(data + from, s->need[1], len - from)))
		return R_NONE;
	/* pcre2_jit_match skips pcre2_match's checks of its arguments: the log
	 * summary matches millions of short lines, where they cost as much as
	 * the match. */
	uint32_t mo = opts | (more ? PCRE2_PARTIAL_HARD : 0);
	int rc = s->jit ? pcre2_jit_match(s->re, (PCRE2_SPTR)data, len, from, mo, s->md, NULL)
	                : pcre2_match(s->re, (PCRE2_SPTR)data, len, from, mo, s->md, NULL);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	if (rc == PCRE2_ERROR_PARTIAL) {
		*b = ov[0];
		return R_PARTIAL;
	}
	if (rc < 0)
		return R_NONE;
	*b = ov[0];
	*e = ov[1];
	return R_MATCH;
}

/* raw() with whole-word matches only; opts apply at `from` only. */
static int raw_word(Search *s, const char *data, size_t len, size_t from, uint32_t opts, bool more, size_t *b, size_t *e)
{
	for (;;) {
		int r = raw(s, data, len, from, opts, more, b, e);
		if (r != R_MATCH || !(s->flags & SEARCH_WORD))
			return r;
		if (*e == len && more)
			return R_PARTIAL; /* the byte after it is not here yet */
		if (word_ok(data, len, *b, *e))
			return r;
		from = *b + 1;
		opts = 0;
	}
}

static size_t next_match(Search *s, const char *data, size_t len, size_t from, uint32_t opts, size_t *mend)
{
	size_t b, e;
	s->base = 0;
	if (raw_word(s, data, len, from, opts, false, &b, &e) != R_MATCH)
		return BUF_NOPOS;
	*mend = e;
	return b;
}

size_t search_in(Search *s, const char *data, size_t len, size_t from, size_t *mend)
{
	return next_match(s, data, len, from, 0, mend);
}

size_t search_in_after(Search *s, const char *data, size_t len, size_t prev_end, size_t *mend)
{
	/* A literal is never empty; a regex refuses the empty match at the
	 * start and tries on, as PCRE2's own global substitution does. */
	return next_match(s, data, len, prev_end, PCRE2_NOTEMPTY_ATSTART, mend);
}

/* Offsets of group n of the last match; false when unset or absent. */
static bool group(const Search *s, unsigned n, size_t *gb, size_t *ge)
{
	if (!s->re) {
		*gb = s->last_b;
		*ge = s->last_e;
		return n == 0;
	}
	if (n >= pcre2_get_ovector_count(s->md))
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	if (ov[2 * n] == PCRE2_UNSET)
		return false;
	*gb = ov[2 * n];
	*ge = ov[2 * n + 1];
	return true;
}

/* Copies len bytes at pos of a source (bytes in memory, or a Text). */
typedef void (*Fetch)(const void *src, size_t pos, size_t len, char *out);

static void fetch_mem(const void *src, size_t pos, size_t len, char *out)
{
	memcpy(out, (const char *)src + pos, len);
}

static void fetch_text(const void *src, size_t pos, size_t len, char *out)
{
	text_copy(src, pos, len, out);
}

static char *expand(const Search *s, Fetch fetch, const void *src, const char *tmpl, size_t tlen, size_t *outlen)
{
	/* Two passes: measure, then copy. */
	char *out = NULL;
	for (int pass = 0; pass < 2; pass++) {
		size_t n = 0;
		for (size_t i = 0; i < tlen; i++) {
			char c = tmpl[i];
			size_t gb, ge;
			if (c != '\\' || i + 1 == tlen) {
				if (out)
					out[n] = c;
				n++;
				continue;
			}
			c = tmpl[++i];
			if (c >= '0' && c <= '9') {
				if (group(s, (unsigned)(c - '0'), &gb, &ge)) {
					if (out)
						fetch(src, s->base + gb, ge - gb, out + n);
					n += ge - gb;
				}
				continue;
			}
			if (out)
				out[n] = c == 'n' ? '\n' : c == 't' ? '\t' : c;
			n++;
		}
		if (out) {
			*outlen = n;
			return out;
		}
		if (!(out = malloc(n ? n : 1)))
			return NULL;
	}
	return out;
}

char *search_expand(const Search *s, const char *data, const char *tmpl, size_t tlen, size_t *outlen)
{
	return expand(s, fetch_mem, data, tmpl, tlen, outlen);
}

char *search_expand_text(const Search *s, const Text *t, const char *tmpl, size_t tlen, size_t *outlen)
{
	return expand(s, fetch_text, t, tmpl, tlen, outlen);
}

unsigned search_group_count(const Search *s)
{
	return s->re ? (unsigned)pcre2_get_ovector_count(s->md) : 1;
}

bool search_group(const Search *s, unsigned n, size_t *gb, size_t *ge)
{
	if (!group(s, n, gb, ge))
		return false;
	*gb += s->base;
	*ge += s->base;
	return true;
}

size_t search_in_back(Search *s, const char *data, size_t len, size_t before, size_t *mend)
{
	/* Walk the matches forward (as find-all sees them) and keep the last
	 * before `before`: simple and linear in the text. */
	size_t best = BUF_NOPOS, bend = 0, e;
	for (size_t b = search_in(s, data, len, 0, &e); b != BUF_NOPOS && b < before;
	     b = search_in_after(s, data, len, e, &e)) {
		best = b;
		bend = e;
	}
	if (best != BUF_NOPOS)
		*mend = bend;
	return best;
}

/* ===== over a Text ====================================================== */

/* Whether the window can serve a search of subject [lo, hi) from `from`:
 * same text and version, the context before `from` in it (or the
 * subject's start), and bytes after `from` (or the subject's end). One
 * window serves many subjects: x/re/ over a million selections reads the
 * text once. */
static bool window_serves(const Search *s, const Text *t, size_t lo, size_t hi, size_t from)
{
	size_t we = s->ws + s->wlen, need = from - lo < s->back ? from - lo : s->back;
	if (s->wt != t || s->wver != t->version || from < s->ws || from > we)
		return false;
	if (s->ws > lo && from - s->ws < need)
		return false;
	return from < we || we >= hi;
}

/* Loads text [from - back, from + want) (not before lo) as the window,
 * ending on a character boundary. False on ENOMEM. */
static bool window_load(Search *s, const Text *t, size_t lo, size_t from, size_t want)
{
	size_t len = text_len(t);
	size_t ws = from - (from - lo < s->back ? from - lo : s->back);
	size_t we = len - from > want ? from + want : len;
	if (we < len && !(s->flags & SEARCH_BYTES))
		for (int k = 0; k < 3 && we > from + 1 && (text_byte(t, we) & 0xc0) == 0x80; k++)
			we--;
	size_t n = we - ws;
	if (!ARRAY_RESERVE(s->win, s->wcap, n))
		return false;
	s->wlen = text_copy(t, ws, n, s->win);
	s->ws = ws;
	s->wt = t;
	s->wver = t->version;
	return true;
}

/* The first match starting in [from, limit] of the subject [lo, hi);
 * opts (PCRE2_NOTEMPTY_ATSTART) apply at the first `from` only. */
static size_t find(Search *s, const Text *t, size_t lo, size_t hi, size_t from, size_t limit, uint32_t opts, size_t *mend)
{
	size_t want = WINDOW, last_partial = BUF_NOPOS, start = from;
	for (;;) {
		if (from > hi || from > limit)
			return BUF_NOPOS;
		if (!window_serves(s, t, lo, hi, from) && !window_load(s, t, lo, from, want))
			return BUF_NOPOS;
		size_t sub = s->ws > lo ? s->ws : lo, we = s->ws + s->wlen, end = we < hi ? we : hi, b, e;
		bool more = end < hi;
		int r = raw_word(s, s->win + (sub - s->ws), end - sub, from - sub, from == start ? opts : 0, more, &b, &e);
		if (r == R_MATCH) {
			if (sub + b > limit)
				return BUF_NOPOS;
			s->base = sub;
			*mend = sub + e;
			return sub + b;
		}
		if (r == R_NONE) {
			if (!more || end > limit)
				return BUF_NOPOS;
			from = end; /* nothing starts before the window's end */
			want = WINDOW;
			continue;
		}
		/* Partial: load from its start; again there means too small. */
		size_t p = sub + b;
		if (p == last_partial)
			want = want < (hi - lo) / 2 ? want * 2 : hi - lo;
		last_partial = p;
		from = p;
		s->wt = NULL;
	}
}

/* find() over the subject [lo, hi) clipped to the text. */
static size_t find_clipped(Search *s, const Text *t, size_t lo, size_t hi, size_t from, size_t limit, uint32_t opts,
                           size_t *mend)
{
	size_t len = text_len(t);
	hi = hi < len ? hi : len;
	lo = lo < hi ? lo : hi;
	return find(s, t, lo, hi, from < lo ? lo : from, limit < hi ? limit : hi, opts, mend);
}

size_t search_text(Search *s, const Text *t, size_t lo, size_t hi, size_t from, size_t limit, size_t *mend)
{
	return find_clipped(s, t, lo, hi, from, limit, 0, mend);
}

size_t search_text_after(Search *s, const Text *t, size_t lo, size_t hi, size_t prev_end, size_t limit, size_t *mend)
{
	return find_clipped(s, t, lo, hi, prev_end, limit, PCRE2_NOTEMPTY_ATSTART, mend);
}

size_t search_next(Search *s, Text *t, size_t from, bool wrap, size_t *mend)
{
	size_t len = text_len(t);
	size_t b = from <= len ? find(s, t, 0, len, from, len, 0, mend) : BUF_NOPOS;
	if (b == BUF_NOPOS && wrap && from > 0)
		b = find(s, t, 0, len, 0, len, 0, mend);
	return b;
}

size_t search_next_after(Search *s, Text *t, size_t prev_end, bool wrap, size_t *mend)
{
	size_t len = text_len(t);
	size_t b = prev_end <= len ? find(s, t, 0, len, prev_end, len, PCRE2_NOTEMPTY_ATSTART, mend) : BUF_NOPOS;
	if (b == BUF_NOPOS && wrap)
		b = find(s, t, 0, len, 0, len, 0, mend);
	return b;
}

/* The last match starting before `before`: windows back from it, each
 * scanned forward from a line start. */
static size_t prev_in(Search *s, Text *t, size_t before, size_t *mend)
{
	size_t len = text_len(t), end = before;
	while (end > 0) {
		size_t ws = end > WINDOW ? end - WINDOW : 0, best = BUF_NOPOS, bend = 0, e;
		size_t ls = ws ? text_line_start_within(t, ws, WINDOW) : 0;
		ws = ls != BUF_NOPOS ? ls : ws;
		/* The walk of search_in_after, from the window's line start. */
		for (size_t m = find(s, t, 0, len, ws, end - 1, 0, &e); m != BUF_NOPOS;
		     m = find(s, t, 0, len, e, end - 1, PCRE2_NOTEMPTY_ATSTART, &e)) {
			best = m;
			bend = e;
		}
		if (best != BUF_NOPOS) {
			find(s, t, 0, len, best, best, 0, &e); /* its groups, for expand */
			*mend = bend;
			return best;
		}
		end = ws;
	}
	return BUF_NOPOS;
}

size_t search_prev(Search *s, Text *t, size_t before, bool wrap, size_t *mend)
{
	size_t len = text_len(t);
	size_t b = prev_in(s, t, before < len + 1 ? before : len + 1, mend);
	if (b == BUF_NOPOS && wrap)
		b = prev_in(s, t, len + 1, mend);
	return b;
}

void search_lib_version(char *out, size_t size)
{
	char v[64] = "?";
	uint32_t jit = 0;
	pcre2_config(PCRE2_CONFIG_VERSION, v);
	pcre2_config(PCRE2_CONFIG_JIT, &jit);
	snprintf(out, size, "%s%s", v, jit ? ", JIT" : "");
}
