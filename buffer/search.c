/* Literal search is memmem (fast, exact bytes); regexes are PCRE2 with JIT
 * and MATCH_INVALID_UTF, so invalid UTF-8 in the text never breaks a search. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "buffer/search.h"
#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Search {
	int flags;
	size_t last_b, last_e; /* the last match found (literal patterns) */
	char *lit; /* literal pattern (lower-cased with ICASE is done by PCRE2) */
	size_t litlen;
	pcre2_code *re;
	pcre2_match_data *md;
};

bool search_is_word_byte(int c)
{
	return c == '_' || isalnum(c & 0xff) || (c & 0x80);
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
	pcre2_jit_compile(s->re, PCRE2_JIT_COMPLETE);
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

static size_t raw_next(Search *s, const char *data, size_t len, size_t from, uint32_t opts, size_t *mend)
{
	if (s->lit) {
		if (s->litlen == 0 || from > len)
			return BUF_NOPOS;
		const char *p = memmem(data + from, len - from, s->lit, s->litlen);
		if (!p)
			return BUF_NOPOS;
		*mend = (size_t)(p - data) + s->litlen;
		s->last_b = (size_t)(p - data);
		s->last_e = *mend;
		return (size_t)(p - data);
	}
	for (;;) {
		if (from > len)
			return BUF_NOPOS;
		int rc = pcre2_match(s->re, (PCRE2_SPTR)data, len, from, opts, s->md, NULL);
		if (rc < 0)
			return BUF_NOPOS;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		*mend = ov[1];
		return ov[0];
	}
}

/* opts apply at the first start position only (NOTEMPTY_ATSTART). */
static size_t next_match(Search *s, const char *data, size_t len, size_t from, uint32_t opts, size_t *mend)
{
	for (;;) {
		size_t b = raw_next(s, data, len, from, opts, mend);
		if (b == BUF_NOPOS || !(s->flags & SEARCH_WORD) || word_ok(data, len, b, *mend))
			return b;
		from = b + 1;
		opts = 0;
	}
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

char *search_expand(const Search *s, const char *data, const char *tmpl, size_t tlen, size_t *outlen)
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
						memcpy(out + n, data + gb, ge - gb);
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

unsigned search_group_count(const Search *s)
{
	return s->re ? (unsigned)pcre2_get_ovector_count(s->md) : 1;
}

bool search_group(const Search *s, unsigned n, size_t *gb, size_t *ge)
{
	return group(s, n, gb, ge);
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

size_t search_next(Search *s, Text *t, size_t from, bool wrap, size_t *mend)
{
	size_t len = text_len(t);
	const char *data = text_contiguous(t);
	size_t b = search_in(s, data, len, from, mend);
	if (b == BUF_NOPOS && wrap && from > 0)
		b = search_in(s, data, len, 0, mend);
	return b;
}

size_t search_next_after(Search *s, Text *t, size_t prev_end, bool wrap, size_t *mend)
{
	size_t len = text_len(t);
	const char *data = text_contiguous(t);
	size_t b = search_in_after(s, data, len, prev_end, mend);
	if (b == BUF_NOPOS && wrap)
		b = search_in(s, data, len, 0, mend);
	return b;
}

size_t search_prev(Search *s, Text *t, size_t before, bool wrap, size_t *mend)
{
	size_t len = text_len(t);
	const char *data = text_contiguous(t);
	size_t b = search_in_back(s, data, len, before, mend);
	if (b == BUF_NOPOS && wrap)
		b = search_in_back(s, data, len, len + 1, mend);
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
