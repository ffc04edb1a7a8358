/* LineFilter (editor/filter.c): rules against a naive per-line model,
 * incremental updates on appends and edits, folds, the renderer's helpers,
 * and filter_write. Random cases print their seed; BRISK_SEED=n replays. */
#include "editor/filter.h"
#include "buffer/search.h"
#include "tap.h"
#include <time.h>

/* ===== the naive model =================================================== */

typedef struct ModelRule {
	const char *re;
	int kind;
} ModelRule;

static bool model_line_matches(const char *re, const char *s, size_t len)
{
	char err[128];
	Search *sr = search_new(re, strlen(re), SEARCH_REGEX, err, sizeof err);
	size_t e;
	bool m = sr && search_in(sr, s, len, 0, &e) != BUF_NOPOS;
	search_free(sr);
	return m;
}

/* Passing lines of text (grep's view: a final newline ends the last line). */
static size_t model_pass(const char *text, size_t len, const ModelRule *r, size_t nr, bool *out, size_t cap)
{
	size_t n = 0, off = 0;
	bool any_in = false;
	for (size_t i = 0; i < nr; i++)
		any_in |= r[i].kind == FILTER_IN;
	while (off < len && n < cap) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t le = nl ? (size_t)(nl - text) : len;
		bool in = !any_in, outm = false;
		for (size_t i = 0; i < nr; i++) {
			bool m = model_line_matches(r[i].re, text + off, le - off);
			if (r[i].kind == FILTER_IN)
				in |= m;
			else
				outm |= m;
		}
		out[n++] = in && !outm;
		off = nl ? le + 1 : len;
	}
	return n;
}

static char *write_to_string(LineFilter *f, Text *t, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);
	filter_write(f, t, fp);
	fclose(fp);
	return buf;
}

static char *model_write(const char *text, size_t len, const bool *pass, size_t n, size_t *olen)
{
	char *o = malloc(len + 2), *p = o;
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t le = nl ? (size_t)(nl - text) : len;
		if (pass[i]) {
			memcpy(p, text + off, le - off);
			p += le - off;
			*p++ = '\n';
		}
		off = le + 1;
	}
	*olen = (size_t)(p - o);
	return o;
}

/* ===== fixed cases ======================================================= */

static Text *text_of(const char *s)
{
	Text *t = text_new();
	text_insert(t, 0, s, strlen(s));
	return t;
}

static void test_basics(void)
{
	Text *t = text_of("cpu 0 open\ncpu 1 read\nnothing\ncpu 2 open\n");
	LineFilter *f = filter_new();
	char err[128];
	is_size(filter_total(f, t), 4, "4 lines (the empty one after the final newline is not one)");
	is_size(filter_passing(f, t), 4, "no rules: every line passes");
	ok(filter_add(f, FILTER_IN, "open", 4, err, sizeof err), "add in rule");
	is_size(filter_passing(f, t), 2, "in 'open': 2 lines");
	ok(filter_passes(f, t, 0) && !filter_passes(f, t, 1) && filter_passes(f, t, 3), "which lines");
	ok(filter_add(f, FILTER_IN, "read", 4, err, sizeof err), "second in rule");
	is_size(filter_passing(f, t), 3, "in rules combine with or");
	ok(filter_add(f, FILTER_OUT, "cpu [12]", 8, err, sizeof err), "out rule");
	is_size(filter_passing(f, t), 1, "out rules remove");
	is_size(filter_nth(f, t, 0), 0, "nth 0");
	is_size(filter_nth(f, t, 1), BUF_NOPOS, "nth past the end");
	ok(!filter_add(f, FILTER_IN, "(", 1, err, sizeof err), "bad regex refused: %s", err);
	is_size(filter_rules(f), 3, "filter unchanged after a bad regex");
	ok(filter_remove(f, 2), "remove the out rule");
	is_size(filter_passing(f, t), 3, "back to 3");
	filter_clear(f);
	is_size(filter_passing(f, t), 4, "clear: all pass");
	ok(filter_check(f, t), "check");
	filter_free(f);
	text_free(t);
	filter_free(NULL);
}

static void test_write(void)
{
	Text *t = text_of("a1\nb\nc2\nd3");
	LineFilter *f = filter_new();
	char err[128];
	size_t len;
	char *s = write_to_string(f, t, &len);
	is_mem(s, len, "a1\nb\nc2\nd3\n", 11, "no rules: every line, the last one gets a newline");
	free(s);
	filter_add(f, FILTER_IN, "[0-9]", 5, err, sizeof err);
	s = write_to_string(f, t, &len);
	is_mem(s, len, "a1\nc2\nd3\n", 9, "in [0-9]");
	free(s);
	filter_clear(f);
	filter_add(f, FILTER_OUT, "^[a-c]", 6, err, sizeof err);
	s = write_to_string(f, t, &len);
	is_mem(s, len, "d3\n", 3, "out ^[a-c]");
	free(s);
	filter_free(f);
	text_free(t);
	t = text_of("");
	f = filter_new();
	s = write_to_string(f, t, &len);
	is_size(len, 0, "empty text writes nothing");
	is_size(filter_total(f, t), 0, "and has no lines");
	free(s);
	filter_free(f);
	text_free(t);
}

static void test_append(void)
{
	Text *t = text_of("x 1\ny\n");
	LineFilter *f = filter_new();
	char err[128];
	filter_add(f, FILTER_IN, "[0-9]", 5, err, sizeof err);
	is_size(filter_passing(f, t), 1, "1 line with a digit");
	/* Appends reported as buf_apply reports them. */
	for (int i = 0; i < 100; i++) {
		uint64_t v0 = t->version;
		size_t pos = text_len(t);
		const char *add = i % 3 == 0 ? "partial " : i % 3 == 1 ? "7 end\n" : "none\n";
		text_insert(t, pos, add, strlen(add));
		filter_note_edit(f, v0, t->version, pos);
		if (i % 7 == 0)
			filter_passing(f, t); /* sync in the middle of a partial line */
	}
	size_t len = text_len(t);
	char *s = text_dup(t, 0, len);
	bool pass[400];
	ModelRule r[] = {{"[0-9]", FILTER_IN}};
	size_t n = model_pass(s, len, r, 1, pass, 400), np = 0;
	for (size_t i = 0; i < n; i++)
		np += pass[i];
	is_size(filter_total(f, t), n, "appends: total");
	is_size(filter_passing(f, t), np, "appends: passing");
	ok(filter_check(f, t), "appends: check");
	/* An edit in the middle, reported, and one not reported. */
	uint64_t v0 = t->version;
	text_insert(t, 2, "\n9\n", 3);
	filter_note_edit(f, v0, t->version, 2);
	free(s);
	len = text_len(t);
	s = text_dup(t, 0, len);
	n = model_pass(s, len, r, 1, pass, 400);
	np = 0;
	for (size_t i = 0; i < n; i++)
		np += pass[i];
	is_size(filter_passing(f, t), np, "edit in the middle");
	text_delete(t, 0, 4);
	free(s);
	len = text_len(t);
	s = text_dup(t, 0, len);
	n = model_pass(s, len, r, 1, pass, 400);
	np = 0;
	for (size_t i = 0; i < n; i++)
		np += pass[i];
	is_size(filter_passing(f, t), np, "unreported edit: rebuilt");
	ok(filter_check(f, t), "check");
	free(s);
	filter_free(f);
	text_free(t);
}

static void test_span(void)
{
	/* Patterns that can match a newline must still work per line. */
	Text *t = text_of("a\nb\nab\na b\n");
	LineFilter *f = filter_new();
	char err[128];
	filter_add(f, FILTER_IN, "a\\s*b", 5, err, sizeof err);
	is_size(filter_passing(f, t), 2, "a\\s*b: only within lines");
	filter_clear(f);
	filter_add(f, FILTER_IN, "a[^x]*b", 7, err, sizeof err);
	is_size(filter_passing(f, t), 2, "negated class: only within lines");
	filter_clear(f);
	filter_add(f, FILTER_OUT, "^$", 2, err, sizeof err);
	is_size(filter_passing(f, t), 4, "^$ out on a text without empty lines");
	filter_free(f);
	text_free(t);
}

static void test_folds(void)
{
	Text *t = text_of("0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
	LineFilter *f = filter_new();
	ok(filter_fold(f, 2, 4), "fold 2..4");
	ok(filter_fold(f, 6, 8), "fold 6..8");
	ok(!filter_fold(f, 5, 5), "an empty fold is refused");
	ok(filter_shown(f, t, 2) && !filter_shown(f, t, 3) && !filter_shown(f, t, 4) && filter_shown(f, t, 5), "headline shows, body hides");
	is_size(filter_next_shown(f, t, 3), 5, "next shown skips the fold");
	is_size(filter_prev_shown(f, t, 4), 2, "prev shown goes to the headline");
	is_size(filter_next_shown(f, t, 7), 9, "next after the second fold");
	ok(filter_fold(f, 1, 7), "an enclosing fold");
	is_size(filter_next_shown(f, t, 2), 9, "the outer fold hides the inner one's rest");
	is_size(filter_prev_shown(f, t, 8), 1, "prev: the outer headline");
	is_size(filter_fold_end(f, 1), 7, "fold end");
	is_size(filter_unfold(f, 1), 1, "unfold the outer one");
	is_size(filter_next_shown(f, t, 3), 5, "inner folds still there");
	is_size(filter_passing(f, t), 10, "folds never change the counts");
	size_t len;
	char *s = write_to_string(f, t, &len);
	is_size(len, 20, "folds never change what is written");
	free(s);
	/* Offsets, as the renderer asks. */
	is_size(filter_shown_from(f, t, text_line_start(t, 3)), text_line_start(t, 5), "shown_from offset");
	is_size(filter_shown_before(f, t, text_line_start(t, 4)), text_line_start(t, 2), "shown_before offset");
	is_size(filter_shown_from(NULL, t, 7), 7, "no filter: identity");
	filter_unfold_all(f);
	is_size(filter_folds(f), 0, "unfold all");
	char err[128];
	filter_add(f, FILTER_OUT, "[0-9]", 5, err, sizeof err);
	is_size(filter_next_shown(f, t, 0), 10, "only the empty last line shows");
	is_size(filter_prev_shown(f, t, 9), BUF_NOPOS, "nothing before it");
	filter_free(f);
	text_free(t);
}

static void test_view(void)
{
	/* 100 lines "0".."99" and an out rule. */
	char buf[400];
	size_t n = 0;
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(buf + n, "%d\n", i);
	Text *t = text_new();
	text_insert(t, 0, buf, n);
	LineFilter *f = filter_new();
	char err[128];
	filter_add(f, FILTER_OUT, "[12457]$", 8, err, sizeof err);
	/* shown: lines ending in 0, 3, 6, 8, 9 and the empty last line */
	is_size(filter_step(f, t, 0, 1), 3, "step down one shown line");
	is_size(filter_step(f, t, 3, 3), 9, "step down three");
	is_size(filter_step(f, t, 9, -2), 6, "step up two");
	is_size(filter_step(f, t, 1, 0), 3, "a hidden line snaps to the next shown");
	is_size(filter_step(f, t, 98, 50), 100, "stops at the last shown line");
	is_size(filter_step(f, t, 3, -50), 0, "stops at the first");
	is_size(filter_top_for(f, t, 0, 9, 10), 0, "cursor on screen: the top stays");
	is_size(filter_top_for(f, t, 0, 19, 6), 9, "just below: the cursor on the last row");
	is_size(filter_top_for(f, t, 0, 19, 4), 16, "far below: the cursor centred");
	is_size(filter_top_for(f, t, 50, 40, 10), 40, "just above: cursor on the top row");
	size_t top = filter_top_for(f, t, 0, 100, 5);
	is_size(filter_step(f, t, top, 4), 100, "at the end: no empty rows below the last line");
	filter_free(f);
	text_free(t);
}

/* ===== random differential test ========================================== */

static const char *const WORDS[] = {"open", "read", "0", "42", " ", "  ", "x", "é", "\xff", "CPU", "\t", "a:b"};
static const ModelRule RULES[] = {
	{"open", FILTER_IN}, {"[0-9]+", FILTER_IN}, {"^ *[0-9]", FILTER_OUT}, {"read$", FILTER_OUT},
	{"^$", FILTER_OUT}, {"x\\s+x", FILTER_IN}, {"(?i)cpu", FILTER_IN}, {"é", FILTER_OUT},
	{"a:b|open", FILTER_IN}, {"[^o]pen", FILTER_IN}, {"\\bx", FILTER_OUT}, {".", FILTER_IN},
};

static size_t rnd(unsigned *seed, size_t n) { return (size_t)rand_r(seed) % n; }

static void random_text(unsigned *seed, char *buf, size_t *len, size_t cap)
{
	size_t n = 0, lines = rnd(seed, 40);
	for (size_t l = 0; l < lines; l++) {
		size_t w = rnd(seed, 6);
		for (size_t i = 0; i < w; i++) {
			const char *s = WORDS[rnd(seed, sizeof WORDS / sizeof *WORDS)];
			size_t sl = strlen(s);
			if (n + sl + 2 >= cap)
				break;
			memcpy(buf + n, s, sl);
			n += sl;
		}
		if (l + 1 < lines || rnd(seed, 2))
			buf[n++] = '\n';
	}
	*len = n;
}

static bool random_case(unsigned *seed)
{
	char buf[4096];
	size_t len;
	random_text(seed, buf, &len, sizeof buf);
	Text *t = text_new();
	text_insert(t, 0, buf, len);
	LineFilter *f = filter_new();
	ModelRule r[4];
	size_t nr = rnd(seed, 4);
	char err[128];
	for (size_t i = 0; i < nr; i++) {
		r[i] = RULES[rnd(seed, sizeof RULES / sizeof *RULES)];
		filter_add(f, r[i].kind, r[i].re, strlen(r[i].re), err, sizeof err);
	}
	/* Sometimes build first, then append a random tail. */
	if (rnd(seed, 2)) {
		filter_passing(f, t);
		char more[1024];
		size_t ml;
		random_text(seed, more, &ml, sizeof more);
		uint64_t v0 = t->version;
		size_t pos = text_len(t);
		text_insert(t, pos, more, ml);
		filter_note_edit(f, v0, t->version, pos);
	}
	len = text_len(t);
	char *s = text_dup(t, 0, len);
	bool pass[256];
	size_t n = model_pass(s, len, r, nr, pass, 256), np = 0;
	bool good = filter_total(f, t) == n && filter_check(f, t);
	for (size_t i = 0; i < n && good; i++) {
		good = filter_passes(f, t, i) == pass[i];
		if (pass[i]) {
			good = good && filter_nth(f, t, np) == i && filter_rank(f, t, i) == np;
			np++;
		}
	}
	good = good && filter_passing(f, t) == np;
	size_t wl, ml;
	char *w = write_to_string(f, t, &wl), *m = model_write(s, len, pass, n, &ml);
	good = good && wl == ml && memcmp(w, m, wl) == 0;
	free(w);
	free(m);
	free(s);
	filter_free(f);
	text_free(t);
	return good;
}

static void test_random(void)
{
	const char *env = getenv("BRISK_SEED");
	unsigned seed = env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
	diag("seed %u (BRISK_SEED=%u replays)", seed, seed);
	unsigned s = seed;
	int bad = 0, i;
	for (i = 0; i < 2000 && !bad; i++)
		if (!random_case(&s))
			bad = i + 1;
	ok(!bad, "2000 random texts and rules agree with the per-line model (first failure: case %d)", bad);
}

int main(void)
{
	test_basics();
	test_write();
	test_append();
	test_span();
	test_folds();
	test_view();
	test_random();
	return done_testing();
}
