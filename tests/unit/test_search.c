/* Search: literal (memmem) and PCRE2, case-insensitive (ASCII and UTF-8),
 * whole words, lookbehind from an offset, 8-bit text, backward search
 * (overlapping matches too), wrapping over a Text. */
#include "buffer/search.h"
#include "tests/unit/tap.h"
#include <stdint.h>

static Search *mk(const char *pat, int flags)
{
	char err[256] = "";
	Search *s = search_new(pat, strlen(pat), flags, err, sizeof err);
	if (!s)
		BAIL_OUT("search_new(\"%s\", %d): %s", pat, flags, err);
	return s;
}

/* First match in data from `from` as "start-end", or "none". */
static const char *find(const char *pat, int flags, const char *data, size_t len, size_t from)
{
	static char out[64];
	Search *s = mk(pat, flags);
	size_t e = 0, b = search_in(s, data, len, from, &e);
	if (b == BUF_NOPOS)
		snprintf(out, sizeof out, "none");
	else
		snprintf(out, sizeof out, "%zu-%zu", b, e);
	search_free(s);
	return out;
}

static const char *find_back(const char *pat, int flags, const char *data, size_t before)
{
	static char out[64];
	Search *s = mk(pat, flags);
	size_t e = 0, b = search_in_back(s, data, strlen(data), before, &e);
	if (b == BUF_NOPOS)
		snprintf(out, sizeof out, "none");
	else
		snprintf(out, sizeof out, "%zu-%zu", b, e);
	search_free(s);
	return out;
}

#define FIND(pat, flags, data, from) find(pat, flags, data, strlen(data), from)

static void test_literal(void)
{
	const char *d = "a foo b foo";
	is_str(FIND("foo", 0, d, 0), "2-5", "literal: first match");
	is_str(FIND("foo", 0, d, 2), "2-5", "literal: match at from");
	is_str(FIND("foo", 0, d, 3), "8-11", "literal: next match");
	is_str(FIND("foo", 0, d, 9), "none", "literal: no more");
	is_str(FIND("foo", 0, d, 11), "none", "literal: from the end");
	is_str(FIND("foo", 0, d, 12), "none", "literal: from past the end");
	is_str(FIND("", 0, d, 0), "none", "empty literal matches nothing");
	is_str(FIND("FOO", 0, d, 0), "none", "literal is case-sensitive");
	is_str(FIND("a.", 0, "ab a.", 0), "3-5", "literal: regex characters are plain");
	{
		char err[64];
		Search *s = search_new("\0b", 2, 0, err, sizeof err);
		size_t e, b = search_in(s, "a\0b\0b", 5, 2, &e);
		ok(b == 3 && e == 5, "NUL pattern by length: %zu-%zu", b, e);
		search_free(s);
	}
	is_str(FIND("\xff", 0, "ab\xff\xfe", 0), "2-3", "literal: an invalid UTF-8 byte");
}

static void test_icase_word(void)
{
	is_str(FIND("FOO", SEARCH_ICASE, "a Foo", 0), "2-5", "icase: ASCII");
	is_str(FIND("\xc3\x89T\xc3\x89", SEARCH_ICASE, "l'\xc3\xa9t\xc3\xa9", 0), "2-7", "icase: UTF-8 (ÉTÉ finds été)");
	is_str(FIND("a.b", SEARCH_ICASE, "axb A.B", 0), "4-7", "icase literal: '.' is still plain");
	is_str(FIND("(", SEARCH_ICASE, "x(", 0), "1-2", "icase literal: '(' needs no escaping");
	is_str(FIND("X", SEARCH_ICASE | SEARCH_BYTES, "\xff" "ax", 0), "2-3", "icase in bytes mode");

	const char *d = "foobar foo_x xfoo foo";
	is_str(FIND("foo", SEARCH_WORD, d, 0), "18-21", "whole word skips foobar, foo_x, xfoo");
	is_str(FIND("foo", SEARCH_WORD, "foo", 0), "0-3", "whole word: the whole text");
	is_str(FIND("foo", SEARCH_WORD, "(foo)", 0), "1-4", "whole word between punctuation");
	is_str(FIND("foo", SEARCH_WORD, "\xc3\xa9" "foo foo", 0), "6-9", "a UTF-8 letter is part of a word");
	is_str(FIND("f.o", SEARCH_WORD | SEARCH_REGEX, "fxox f-o", 0), "5-8", "whole word with a regex");
	is_str(FIND("FOO", SEARCH_WORD | SEARCH_ICASE, "foos Foo", 0), "5-8", "whole word, icase");
	is_str(find("foo", SEARCH_WORD, "xfoo foo", 8, 1), "5-8", "whole word: the byte before from counts");
	ok(search_is_word_byte('a') && search_is_word_byte('Z') && search_is_word_byte('0') &&
	   search_is_word_byte('_') && search_is_word_byte(0xc3) && search_is_word_byte(0xa9),
	   "word bytes: letters, digits, _, UTF-8 bytes");
	ok(!search_is_word_byte(' ') && !search_is_word_byte('-') && !search_is_word_byte('\n') &&
	   !search_is_word_byte(0), "not word bytes: space, -, newline, NUL");
}

static void test_regex(void)
{
	int R = SEARCH_REGEX;
	is_str(FIND("[0-9]+", R, "ab 123 4", 0), "3-6", "regex: digits");
	is_str(FIND("^b", R, "ab\nbc", 0), "3-4", "regex: ^ is per line");
	is_str(FIND("a$", R, "ba\nc", 0), "1-2", "regex: $ is per line");
	is_str(FIND("(?<=a)b", R, "abab", 1), "1-2", "regex: lookbehind sees bytes before from");
	is_str(FIND("\\bb", R, "ab b", 1), "3-4", "regex: \\b sees the byte before from");
	is_str(FIND("x*", R, "abc", 1), "1-1", "regex: an empty match at from");
	is_str(FIND("\\w+", R, "  \xc3\xa9t\xc3\xa9!", 0), "2-7", "regex: \\w is Unicode-aware");
	is_str(FIND(".", R, "\xff" "b", 0), "1-2", "regex: '.' skips an invalid byte");
	is_str(FIND("b", R, "a\xff\xfe\xc3" "b", 0), "4-5", "regex: invalid UTF-8 does not stop a search");
	is_str(FIND("b", R, "\xe2\x82" "ab", 1), "3-4", "regex: from inside a broken sequence");
	is_str(FIND("\\xff", R | SEARCH_BYTES, "a\xff", 0), "1-2", "bytes mode: \\xff is a byte");
	is_str(find("a\\x00b", R, "xa\0b", 4, 0), "1-4", "regex: NUL in the text");
	is_str(FIND("(?i)QUICK", R, "the quick", 0), "4-9", "regex: inline flags");
	is_str(FIND("Q", R | SEARCH_ICASE, "q", 0), "0-1", "regex: icase flag");

	char err[256] = "";
	Search *s = search_new("a(b", 3, R, err, sizeof err);
	ok(s == NULL, "a bad regex is refused");
	ok(strstr(err, "regex error") != NULL, "with a message: %s", err);
	s = search_new("[", 1, R, NULL, 0);
	ok(s == NULL, "a bad regex with no room for the message");
	search_free(NULL);
	ok(true, "search_free(NULL) is a no-op");
}

static void test_backward(void)
{
	const char *d = "foo foo foo";
	is_str(find_back("foo", 0, d, 11), "8-11", "backward: last match");
	is_str(find_back("foo", 0, d, 8), "4-7", "backward: a match starting at `before` is not before it");
	is_str(find_back("foo", 0, d, 9), "8-11", "backward: a match starting before `before` may end after it");
	is_str(find_back("foo", 0, d, 0), "none", "backward: nothing before 0");
	is_str(find_back("foo", SEARCH_REGEX, d, 5), "4-7", "backward regex");
	/* Backward search steps through the matches a forward scan from the
	 * start finds, which do not overlap (as vim and VS Code do): a run of
	 * a+ is one match, not one per byte. */
	is_str(find_back("aa", 0, "aaa", 3), "0-2", "backward literal: matches do not overlap");
	is_str(find_back("aa", SEARCH_REGEX, "aaa", 3), "0-2", "backward regex: matches do not overlap");
	is_str(find_back("a+", SEARCH_REGEX, "xaaa", 4), "1-4", "backward regex: a run is one match");
	is_str(find_back("aba", 0, "ababa", 5), "0-3", "backward: overlapping literal");
	is_str(find_back("aa", 0, "aaaa", 4), "2-4", "backward: the second of two matches");
	is_str(find_back("foo", SEARCH_WORD, "foo xfoo", 8), "0-3", "backward whole word");
	is_str(find_back("x*", SEARCH_REGEX, "ab", 2), "1-1", "backward: empty matches count");
}

static void test_text(void)
{
	Text *t = text_new();
	text_insert(t, 0, "one two one two", 15);
	text_insert(t, 4, "", 0);
	text_delete(t, 3, 1);
	text_insert(t, 3, " ", 1); /* the gap now sits in the middle */
	Search *s = mk("one", 0);
	size_t e = 0;
	is_size(search_next(s, t, 0, false, &e), 0, "search_next from 0");
	is_size(search_next(s, t, 1, false, &e), 8, "search_next from 1");
	is_size(e, 11, "its end");
	is_size(search_next(s, t, 9, false, &e), BUF_NOPOS, "no wrap: nothing after 9");
	is_size(search_next(s, t, 9, true, &e), 0, "wrap: back to the first");
	is_size(search_prev(s, t, 8, false, &e), 0, "search_prev before 8");
	is_size(search_prev(s, t, 0, false, &e), BUF_NOPOS, "search_prev before 0: none");
	is_size(search_prev(s, t, 0, true, &e), 8, "search_prev wraps to the last");
	search_free(s);
	s = mk("zzz", 0);
	is_size(search_next(s, t, 3, true, &e), BUF_NOPOS, "no match anywhere, wrapping");
	is_size(search_prev(s, t, 3, true, &e), BUF_NOPOS, "no match anywhere, backward");
	search_free(s);
	text_free(t);

	t = text_new();
	s = mk("x", SEARCH_REGEX);
	is_size(search_next(s, t, 0, true, &e), BUF_NOPOS, "empty text: no match");
	search_free(s);
	text_free(t);
}

/* ===== over a paged text, a window at a time ============================ */

static uint64_t rs = 88172645463325252ull;
static size_t rn(size_t n)
{
	rs ^= rs << 13, rs ^= rs >> 7, rs ^= rs << 17;
	return n ? (size_t)(rs % n) : 0;
}

/* A random text built by many inserts (so its pages are ragged). */
static Text *random_text(size_t len, char **bytes)
{
	static const char *pieces[] = {"a", "b", "c", " ", "\n", "ab", "abc", "\xc3\xa9", "\xff", "x"};
	Text *t = text_new();
	while (text_len(t) < len) {
		const char *p = pieces[rn(10)];
		text_insert(t, rn(text_len(t) + 1), p, strlen(p));
	}
	*bytes = text_dup(t, 0, text_len(t));
	return t;
}

/* search_text over the pages equals search_in over the same bytes in one
 * piece, for random subjects [lo, hi) and starts: window edges, partial
 * matches, lookbehind, \b, ^ and $ at a subject's ends, whole words. */
static void test_windows(void)
{
	static const struct { const char *pat; int flags; } pats[] = {
		{"ab", 0}, {"b\nc", 0}, {"aba", 0}, {"[a-c]+", SEARCH_REGEX}, {"^c", SEARCH_REGEX},
		{"b$", SEARCH_REGEX}, {"(?<=ab)c", SEARCH_REGEX}, {"\\bab", SEARCH_REGEX}, {"a[^\n]*c", SEARCH_REGEX},
		{"ab", SEARCH_WORD}, {"AB", SEARCH_ICASE}, {"\xc3\xa9", 0}, {"\xc3\xa9+", SEARCH_REGEX}, {"x*", SEARCH_REGEX},
		{"\\n\\n", SEARCH_REGEX}, {"c\\z", SEARCH_REGEX}, {"(a|b)+c", SEARCH_REGEX | SEARCH_WORD},
		{"abcabc", 0}, {"\\w+", SEARCH_REGEX},
	};
	size_t npat = sizeof pats / sizeof pats[0], bad = 0, tries = 0;
	for (int round = 0; round < 6; round++) {
		char *d;
		Text *t = random_text(200 + rn(2000), &d);
		size_t len = text_len(t);
		for (size_t k = 0; k < npat; k++) {
			Search *a = mk(pats[k].pat, pats[k].flags), *b = mk(pats[k].pat, pats[k].flags);
			for (int i = 0; i < 60 && !bad; i++, tries++) {
				size_t lo = rn(len + 1), hi = lo + rn(len - lo + 1), from = lo + rn(hi - lo + 1);
				if (i < 10)
					lo = 0, hi = len; /* the whole text too */
				size_t e1 = 0, e2 = 0, m1 = search_in(a, d + lo, hi - lo, from - lo, &e1);
				size_t m2 = search_text(b, t, lo, hi, from, hi, &e2);
				if (m1 != BUF_NOPOS)
					m1 += lo, e1 += lo;
				if (m1 != m2 || (m1 != BUF_NOPOS && e1 != e2)) {
					bad++;
					diag("/%s/ %d in [%zu, %zu) from %zu: want %zu-%zu, got %zu-%zu", pats[k].pat,
					     pats[k].flags, lo, hi, from, m1, e1, m2, e2);
				}
			}
			/* The walk over every match of the whole text. */
			size_t e1 = 0, e2 = 0;
			for (int i = 0; i < 3000 && !bad; i++) {
				size_t m1 = i ? search_in_after(a, d, len, e1, &e1) : search_in(a, d, len, 0, &e1);
				size_t m2 = i ? search_text_after(b, t, 0, len, e2, len, &e2) : search_text(b, t, 0, len, 0, len, &e2);
				if (m1 != m2 || (m1 != BUF_NOPOS && e1 != e2)) {
					bad++;
					diag("/%s/ walk: want %zu-%zu, got %zu-%zu", pats[k].pat, m1, e1, m2, e2);
				}
				if (m1 == BUF_NOPOS)
					break;
			}
			search_free(a);
			search_free(b);
		}
		free(d);
		text_free(t);
	}
	ok(bad == 0, "windowed search agrees with a search of the whole bytes (%zu tries)", tries);

	/* Matches across the edges of real windows, in a text bigger than one. */
	size_t n = 3 * SEARCH_WINDOW + 100;
	char *big = malloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 7);
	const char *needle = "NEEDLE";
	size_t at[] = {SEARCH_WINDOW - 3, 2 * SEARCH_WINDOW - 1, 3 * SEARCH_WINDOW - 6};
	for (size_t i = 0; i < 3; i++)
		memcpy(big + at[i], needle, 6);
	Text *t = text_new();
	char *copy = malloc(n);
	memcpy(copy, big, n);
	text_adopt(t, copy, n, n);
	Search *lit = mk("NEEDLE", 0), *re = mk("N[A-Z]+E(?=[a-g])", SEARCH_REGEX);
	size_t e, from = 0, found = 0;
	for (size_t m; (m = search_text(lit, t, 0, n, from, n, &e)) != BUF_NOPOS; from = e)
		found += m == at[found] && e == at[found] + 6;
	is_size(found, 3, "a literal found across window edges");
	from = found = 0;
	for (size_t m; (m = search_text(re, t, 0, n, from, n, &e)) != BUF_NOPOS; from = e)
		found += m == at[found] && e == at[found] + 6;
	is_size(found, 3, "a regex found across window edges");
	is_size(search_prev(lit, t, n, false, &e), at[2], "backward: the last");
	is_size(search_prev(lit, t, at[2], false, &e), at[1], "backward: the one before, a window back");
	is_size(search_text(lit, t, 0, n, 0, at[0] - 1, &e), BUF_NOPOS, "a limit before the first match stops the search");
	search_free(lit);
	search_free(re);
	text_free(t);
	free(big);
}

/* Every match of a walk (search_in, then search_in_after from each end),
 * as "s-e s-e ...". */
static const char *walk(const char *pat, int flags, const char *data)
{
	static char out[256];
	Search *s = mk(pat, flags);
	size_t len = strlen(data), e, n = 0;
	out[0] = 0;
	for (size_t m = search_in(s, data, len, 0, &e); m != BUF_NOPOS && n + 24 < sizeof out;
	     m = search_in_after(s, data, len, e, &e))
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%zu-%zu", n ? " " : "", m, e);
	search_free(s);
	return out;
}

static void test_walk(void)
{
	/* Empty matches once per position, never where a match ended (sed). */
	is_str(walk("x*", SEARCH_REGEX, "abc"), "0-0 1-1 2-2 3-3", "walk: x* once per position");
	is_str(walk("a*", SEARCH_REGEX, "baaac"), "0-0 1-4 5-5", "walk: no empty match right after a match");
	is_str(walk("^", SEARCH_REGEX, "ab\ncd\n"), "0-0 3-3", "walk: ^ at each line start");
	is_str(walk("$", SEARCH_REGEX, "ab\ncd\n"), "2-2 5-5 6-6", "walk: $ at each line end and the text end");
	is_str(walk("a*?", SEARCH_REGEX, "aa"), "0-0 0-1 1-2", "walk: after an empty match, a longer one at the same place (as pcre2_substitute)");
	is_str(walk("oo", 0, "ooooo"), "0-2 2-4", "walk: literal matches do not overlap");
	is_str(walk("\\b", SEARCH_REGEX, "ab cd"), "0-0 2-2 3-3 5-5", "walk: word boundaries");
	is_str(walk("", SEARCH_REGEX, "\xc3\xa9" "a"), "0-0 2-2 3-3", "walk: an empty match steps a whole UTF-8 character");
	is_str(walk("x", SEARCH_REGEX | SEARCH_WORD, "xx x x"), "3-4 5-6", "walk: whole words");
	is_str(find_back("$", SEARCH_REGEX, "ab\ncd", 5), "2-2", "backward walk agrees with the forward one");
}

/* A byte every match needs is looked for before matching: the rule must
 * never hide a match, in either case, nor a match whose needed byte sits
 * in its first character (PCRE2 records the last one). */
static void test_needed_byte(void)
{
	const int R = SEARCH_REGEX, B = SEARCH_REGEX | SEARCH_BYTES;
	is_str(FIND("^.*?x", R, "abcx", 0), "0-4", "the needed byte present: a match");
	is_str(FIND("^.*?x", R, "abcd", 0), "none", "absent: none");
	is_str(FIND("a.*FOO", B, "a FOO", 1), "none", "only before from: none");
	is_str(FIND("a\\d+z", B, "xa12z", 0), "1-5", "after something of variable length");
	is_str(FIND("a.*z", B | SEARCH_ICASE, "A..Z", 0), "0-4", "caseless by flag: the other case");
	is_str(FIND("(?i)a.*z", B, "A..Z", 0), "0-4", "caseless by (?i): the other case");
	is_str(FIND("a(?mi:.*z)", B, "a..Z", 0), "0-4", "caseless inside a group");
	is_str(FIND("x(?i).*k", R, "x\xe2\x84\xaa", 0), "0-4", "UTF caseless k matches the Kelvin sign");
	is_str(FIND(".*k$", R, "abc", 0), "none", "a plain letter, none");
	is_str(FIND("a(?=.*q)", B, "a..q", 0), "0-1", "a lookahead's byte is after the match: still found");
}

int main(void)
{
	test_needed_byte();
	test_literal();
	test_walk();
	test_icase_word();
	test_regex();
	test_backward();
	test_text();
	test_windows();
	{
		/* Replacement templates: groups, whole match, escapes, unset groups. */
		const char *data = "key=42; x=7";
		char err[128];
		size_t e, n;
		const char *pat = "(\\w+)=(\\d+)(z)?";
		Search *s = search_new(pat, strlen(pat), SEARCH_REGEX, err, sizeof err);
		ok(s != NULL, "group pattern compiles: %s", err);
		size_t m = search_in(s, data, strlen(data), 0, &e);
		is_size(m, 0, "first match");
		const char *tmpl = "\\2=\\1\\3|\\0\\n\\\\";
		char *r = search_expand(s, data, tmpl, strlen(tmpl), &n);
		is_mem(r, n, "42=key|key=42\n\\", 15, "groups, whole match, escapes; unset group empty");
		free(r);
		m = search_in(s, data, strlen(data), e, &e);
		r = search_expand(s, data, "<\\1>", 4, &n);
		is_mem(r, n, "<x>", 3, "groups of the next match");
		free(r);
		search_free(s);
		s = search_new("x=", 2, 0, err, sizeof err);
		m = search_in(s, data, strlen(data), 0, &e);
		r = search_expand(s, data, "[\\0\\1]", 6, &n);
		is_mem(r, n, "[x=]", 4, "literal: \\0 is the match, other groups empty");
		free(r);
		search_free(s);
	}
	return done_testing();
}
