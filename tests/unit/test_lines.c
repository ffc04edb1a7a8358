/* The line index over pages: counts, line <-> offset both ways on texts
 * read into memory and on mapped files, checked against a plain scan of
 * the bytes; counted lazily (opening counts nothing, a query counts what
 * it needs, lines_step a slice at a time, a budget is kept); and kept
 * right by edits that cross pages. */
#include "buffer/fileio.h"
#include "buffer/text.h"
#include "tests/unit/tap.h"
#include <fcntl.h>
#include <unistd.h>

/* Reference answers from a plain scan of the bytes. */
typedef struct Ref {
	char *s;
	size_t n;
	size_t *start; /* start of each line */
	size_t nlines;
} Ref;

static void ref_make(Ref *r, const Text *t)
{
	r->n = text_len(t);
	r->s = malloc(r->n + 1);
	text_copy(t, 0, r->n, r->s);
	r->nlines = lines_newlines(r->s, r->n) + 1;
	r->start = malloc(r->nlines * sizeof *r->start);
	size_t l = 0;
	r->start[l++] = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->s[i] == '\n')
			r->start[l++] = i + 1;
}

static void ref_free(Ref *r)
{
	free(r->s);
	free(r->start);
}

static size_t ref_line_of(const Ref *r, size_t pos)
{
	size_t lo = 0, hi = r->nlines; /* the last line starting at or before pos */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->start[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Compares line starts and lines of offsets with a scan: all of them on a
 * short text, else a sample. Prints one result. */
static bool agrees(Text *t, const char *what)
{
	Ref r;
	ref_make(&r, t);
	bool good = text_check(t) && text_lines(t) == r.nlines;
	size_t bad = BUF_NOPOS, got = 0, want = 0;
	const char *kind = "check/count";
	bool all = r.n < 3000;
	unsigned seed = 1;
	for (size_t i = 0; good && i <= (all ? r.nlines + 1 : 400); i++) {
		seed = seed * 1103515245u + 12345u;
		size_t l = all ? i : (seed >> 4) % (r.nlines + 2);
		got = text_line_start(t, l), want = r.start[l < r.nlines ? l : r.nlines - 1];
		if (got != want)
			good = false, bad = l, kind = "start of line";
	}
	for (size_t i = 0; good && i <= (all ? r.n + 1 : 400); i++) {
		seed = seed * 1103515245u + 12345u;
		size_t p = all ? i : (seed >> 4) % (r.n + 2);
		got = text_line_of(t, p), want = ref_line_of(&r, p < r.n ? p : r.n);
		if (got != want)
			good = false, bad = p, kind = "line of offset";
	}
	ok(good, "%s", what);
	if (!good && bad != BUF_NOPOS)
		diag("%s %zu: got %zu, want %zu", kind, bad, got, want);
	ref_free(&r);
	return good;
}

static Text *text_of(const char *s, size_t n)
{
	Text *t = text_new();
	char *copy = malloc(n + 1);
	memcpy(copy, s, n);
	if (!t || !text_adopt(t, copy, n, n + 1))
		BAIL_OUT("text_adopt");
	return t;
}

/* Bytes with a newline every `every` bytes or so (a varying line length). */
static char *lines_text(size_t n, size_t every)
{
	char *s = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = (i * 7919 + i / 3) % every == 0 ? '\n' : (char)('a' + i % 26);
	s[n] = '\0';
	return s;
}

static const char *dir;

/* A text over a mapped file holding s[0, n). */
static Text *mapped(const char *s, size_t n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/f%zu", dir, n);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, s, n) != (ssize_t)n)
		BAIL_OUT("write %s", path);
	Source *src = source_map(fd, n);
	Text *t = text_new();
	if (!src || !t || !text_adopt_source(t, src))
		BAIL_OUT("map %s", path);
	return t;
}

static void test_basics(void)
{
	is_size(lines_newlines("a\nb\n\n", 5), 3, "lines_newlines counts newlines");
	is_size(lines_newlines("\n\0\n", 3), 2, "lines_newlines looks past NUL");
	char *big = lines_text(1000, 13);
	size_t slow = 0;
	for (size_t i = 0; i < 1000; i++)
		slow += big[i] == '\n';
	is_size(lines_newlines(big, 1000), slow, "the fast count is a plain count");
	is_size(lines_newlines(big + 3, 997), slow - lines_newlines(big, 3), "from an unaligned start");
	free(big);

	Text *t = text_of("", 0);
	is_size(text_lines(t), 1, "empty: one line");
	is_size(text_line_start(t, 0), 0, "empty: line 0 at 0");
	is_size(text_line_start(t, 3), 0, "empty: line 3 clamps to 0");
	is_size(text_line_of(t, 0), 0, "empty: offset 0 on line 0");
	text_free(t);

	t = text_of("ab\ncde\n\nf", 9);
	is_size(text_lines(t), 4, "four lines");
	is_size(text_line_start(t, 1), 3, "line 1 at 3");
	is_size(text_line_start(t, 2), 7, "line 2 at 7 (empty line)");
	is_size(text_line_start(t, 3), 8, "line 3 at 8");
	is_size(text_line_start(t, 9), 8, "line 9 clamps to the last line");
	is_size(text_line_of(t, 7), 2, "offset 7 on line 2");
	is_size(text_line_of(t, 9), 3, "the end on the last line");
	ok(text_has_line(t, 0) && text_has_line(t, 3) && !text_has_line(t, 4) && !text_has_line(t, 99),
	   "text_has_line: lines 0-3, not 4 or 99");
	is_size(text_line_end_within(t, 3, 10), 6, "line end within reach");
	is_size(text_line_end_within(t, 3, 2), BUF_NOPOS, "line end out of reach");
	is_size(text_line_end_within(t, 8, 1), 9, "the text's end is a line end");
	is_size(text_line_start_within(t, 6, 10), 3, "line start within reach");
	is_size(text_line_start_within(t, 6, 2), BUF_NOPOS, "line start out of reach");
	is_size(text_line_start_within(t, 2, 1), BUF_NOPOS, "the text's start is out of reach too");
	is_size(text_line_start_within(t, 2, 2), 0, "the text's start is a line start");
	text_free(t);
}

static void test_in_memory(void)
{
	size_t n = 5 * PAGES_LOAD + 3;
	char *s = lines_text(n, 11);
	Text *t = text_of(s, n);
	agrees(t, "a text read into memory, several pages");
	free(s);
	text_free(t);
	s = lines_text(n, 3 * PAGES_LOAD); /* lines longer than pages */
	t = text_of(s, n);
	agrees(t, "lines longer than pages");
	free(s);
	text_free(t);
}

static void test_lazy(void)
{
	size_t n = 40 * PAGES_LOAD + 5;
	char *s = lines_text(n, 17);
	Text *t = mapped(s, n);
	is_size(text_work(t).counted, 0, "mapping a file counts nothing");
	ok(!text_index_done(t), "the index is not built yet");
	size_t lines_known;
	ok(!text_lines_known(t, &lines_known), "the line count is not known yet");
	size_t line;
	ok(text_line_of_within(t, 5, 2 * PAGES_LOAD, &line) && line == lines_newlines(s, 5),
	   "the line of an offset on the first page, within a budget");
	ok(text_work(t).counted <= PAGES_LOAD, "counted at most a page (%zu bytes)", text_work(t).counted);
	ok(!text_line_of_within(t, n - 1, 4 * PAGES_LOAD, &line), "the last line is beyond a small budget");
	ok(text_work(t).counted <= PAGES_LOAD, "and the refusal counted nothing");
	size_t before = text_work(t).counted;
	bool done = text_index_step(t, 8 * PAGES_LOAD);
	size_t step = text_work(t).counted - before;
	ok(!done && step >= 8 * PAGES_LOAD && step <= 10 * PAGES_LOAD, "a slice counts about its budget (%zu)", step);
	size_t third = 0;
	for (size_t i = 0, k = 0; i < n && k < 3; i++)
		if (s[i] == '\n' && ++k == 3)
			third = i + 1;
	is_size(text_line_start(t, 3), third, "a line start inside the counted part");
	while (!text_index_step(t, 8 * PAGES_LOAD))
		;
	ok(text_index_done(t) && text_lines_known(t, &lines_known) && lines_known == lines_newlines(s, n) + 1,
	   "slices end with every line known");
	ok(text_work(t).counted <= n + PAGES_LOAD, "each byte counted once (%zu of %zu)", text_work(t).counted, n);
	agrees(t, "a mapped file, indexed in slices");
	text_free(t);

	/* Queries far into the file count what they pass, no more. */
	t = mapped(s, n);
	size_t at_mid = lines_newlines(s, n / 2);
	ok(text_has_line(t, at_mid), "a line half way exists");
	ok(text_work(t).counted <= n / 2 + LINES_WINDOW + PAGES_LOAD, "and asking counted about half (%zu)",
	   text_work(t).counted);
	ok(!text_has_line(t, lines_newlines(s, n) + 1), "a line past the last does not");
	text_free(t);
	t = mapped(s, n);
	size_t mid = n / 2;
	is_size(text_line_of(t, mid), lines_newlines(s, mid), "line of the middle");
	ok(text_work(t).counted <= mid + LINES_WINDOW + PAGES_LOAD, "counted the first half only (%zu)",
	   text_work(t).counted);
	agrees(t, "then everything");
	free(s);
	text_free(t);
}

static void test_edits(void)
{
	size_t n = 12 * PAGES_LOAD + 7;
	char *s = lines_text(n, 9);
	Text *t = mapped(s, n);
	ok(text_insert(t, 3, "x\ny\n", 4), "insert into a page not counted yet");
	ok(text_delete(t, PAGES_LOAD - 2, 3 * PAGES_LOAD), "delete over three pages");
	agrees(t, "counts right after edits on an uncounted text");
	char *big = lines_text(3 * PAGES_LOAD + 5, 5);
	ok(text_insert(t, 10, big, 3 * PAGES_LOAD + 5), "a big insert (the page splits)");
	agrees(t, "counts right after a split");
	ok(text_delete(t, 0, text_len(t)), "delete everything");
	agrees(t, "counts right on the emptied text");
	ok(text_undo(t, NULL) && text_undo(t, NULL), "undo twice");
	agrees(t, "counts right after undo");
	free(big);
	free(s);
	text_free(t);
}

int main(void)
{
	char tmpl[] = "/tmp/brisk-lines-XXXXXX";
	dir = mkdtemp(tmpl);
	if (!dir)
		BAIL_OUT("mkdtemp");
	test_basics();
	test_in_memory();
	test_lazy();
	test_edits();
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
