/* LineIndex: counts, line <-> offset both ways, and the one-pass updates
 * (deletes and inserts spanning several blocks, big inserts that split
 * blocks), checked against a plain scan of the bytes. */
#include "buffer/lines.h"
#include "buffer/text.h"
#include "tests/unit/tap.h"

/* Reference answers from a plain scan of the bytes. */
typedef struct Ref {
	char *s;
	size_t n;
	size_t *start; /* start of each line */
	size_t nlines;
} Ref;

static void ref_make(Ref *r, const GapBuf *gb)
{
	r->n = gapbuf_len(gb);
	r->s = malloc(r->n + 1);
	gapbuf_copy(gb, 0, r->n, r->s);
	r->nlines = lines_newlines(r->s, r->n) + 1;
	r->start = malloc(r->nlines * sizeof *r->start);
	size_t l = 0;
	r->start[l++] = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->s[i] == '\n')
			r->start[l++] = i + 1;
}

static size_t ref_start(const Ref *r, size_t line)
{
	return r->start[line < r->nlines ? line : r->nlines - 1];
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

/* Compares line starts and offsets' lines with a scan: all of them on a
 * short text, else block edges and a sample. Prints one result. */
static bool agrees(const LineIndex *li, const GapBuf *gb, const char *what)
{
	Ref r;
	ref_make(&r, gb);
	bool good = lines_check(li, gb) && lines_count(li) == r.nlines;
	size_t bad = BUF_NOPOS, got = 0, want = 0;
	const char *kind = "check/count";
	bool all = r.n < 3000;
	unsigned seed = 1;
	for (size_t i = 0; good && i <= (all ? r.nlines + 1 : 400); i++) {
		seed = seed * 1103515245u + 12345u;
		size_t l = all ? i : (seed >> 4) % (r.nlines + 2);
		got = lines_offset_of(li, gb, l), want = ref_start(&r, l);
		if (got != want)
			good = false, bad = l, kind = "start of line";
	}
	/* Offsets: block edges +-1, then everything or a sample. */
	size_t edge = 0;
	for (size_t k = 0; good && k < li->n; k++) {
		edge += li->b[k].len;
		for (size_t p = edge ? edge - 1 : 0; good && p <= edge + 1; p++) {
			got = lines_line_of(li, gb, p), want = ref_line_of(&r, p);
			if (got != want)
				good = false, bad = p, kind = "line of offset";
		}
	}
	for (size_t i = 0; good && i <= (all ? r.n + 1 : 400); i++) {
		seed = seed * 1103515245u + 12345u;
		size_t p = all ? i : (seed >> 4) % (r.n + 2);
		got = lines_line_of(li, gb, p), want = ref_line_of(&r, p);
		if (got != want)
			good = false, bad = p, kind = "line of offset";
	}
	if (!ok(good, "%s: index agrees with a scan (%zu bytes, %zu lines)", what, r.n, r.nlines))
		diag("%s %zu: got %zu, want %zu (check %d, count %zu)", kind, bad, got, want,
		     lines_check(li, gb), lines_count(li));
	free(r.s);
	free(r.start);
	return good;
}

static void fill_lines(char *s, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		s[i] = (seed >> 16) % 7 == 0 ? '\n' : (char)('a' + (seed >> 20) % 26);
	}
}

static void test_basics(void)
{
	is_size(lines_newlines("a\nb\n\n", 5), 3, "lines_newlines counts newlines");
	is_size(lines_newlines("", 0), 0, "lines_newlines of nothing");
	is_size(lines_newlines("\n\0\n", 3), 2, "lines_newlines looks past NUL");

	GapBuf gb;
	LineIndex li;
	gapbuf_init(&gb);
	lines_init(&li);
	ok(lines_build(&li, &gb), "build on empty");
	is_size(lines_count(&li), 1, "empty text has one line");
	is_size(lines_offset_of(&li, &gb, 0), 0, "line 0 starts at 0");
	is_size(lines_offset_of(&li, &gb, 5), 0, "line 5 clamps to 0");
	is_size(lines_line_of(&li, &gb, 0), 0, "offset 0 is line 0");

	gapbuf_insert(&gb, 0, "ab\ncd\n\nef", 9);
	ok(lines_build(&li, &gb), "build on a short text");
	is_size(lines_count(&li), 4, "4 lines");
	is_size(lines_offset_of(&li, &gb, 1), 3, "line 1 at 3");
	is_size(lines_offset_of(&li, &gb, 2), 6, "line 2 at 6 (empty line)");
	is_size(lines_offset_of(&li, &gb, 3), 7, "line 3 at 7");
	is_size(lines_offset_of(&li, &gb, 4), 7, "line 4 clamps to the last line");
	is_size(lines_line_of(&li, &gb, 2), 0, "the newline belongs to its line");
	is_size(lines_line_of(&li, &gb, 3), 1, "the byte after a newline starts the next line");
	is_size(lines_line_of(&li, &gb, 9), 3, "the end is on the last line");
	is_size(lines_line_of(&li, &gb, 100), 3, "past the end clamps");
	agrees(&li, &gb, "short text");

	gapbuf_delete(&gb, 0, 9);
	gapbuf_insert(&gb, 0, "x\n", 2);
	lines_build(&li, &gb);
	is_size(lines_count(&li), 2, "final newline: an empty last line");
	is_size(lines_offset_of(&li, &gb, 1), 2, "the empty last line starts at the end");

	/* A wrong count is noticed. */
	li.b[0].nl++;
	ok(!lines_check(&li, &gb), "lines_check notices a wrong newline count");
	li.b[0].nl--;
	li.b[0].len++;
	ok(!lines_check(&li, &gb), "lines_check notices a wrong length");
	li.b[0].len--;
	ok(lines_check(&li, &gb), "and is happy again once repaired");
	lines_fini(&li);
	gapbuf_fini(&gb);
}

/* Many blocks: build, then passes that span block boundaries. */
static void test_blocks(void)
{
	size_t n = 5 * LINES_BLOCK + 3;
	char *s = malloc(n);
	fill_lines(s, n, 7);
	GapBuf gb;
	LineIndex li;
	gapbuf_init(&gb);
	lines_init(&li);
	gapbuf_insert(&gb, 0, s, n);
	ok(lines_build(&li, &gb), "build over several blocks");
	ok(li.n == 6, "5 full blocks and a short one (%zu)", li.n);
	agrees(&li, &gb, "several blocks");

	/* One delete across three block boundaries. */
	LinesPass lp;
	size_t pos = LINES_BLOCK / 2, len = 3 * LINES_BLOCK;
	lines_pass_begin(&lp, &li);
	lines_pass_delete(&lp, &gb, pos, len);
	gapbuf_delete(&gb, pos, len);
	ok(lines_pass_end(&lp, &gb), "pass end after a delete over 3 boundaries");
	agrees(&li, &gb, "delete across blocks");

	/* Several edits in one pass, left to right, in current coordinates. */
	lines_pass_begin(&lp, &li);
	lines_pass_insert(&lp, 0, "\n\n", 2);
	gapbuf_insert(&gb, 0, "\n\n", 2);
	lines_pass_delete(&lp, &gb, LINES_BLOCK - 1, 2); /* across a boundary */
	gapbuf_delete(&gb, LINES_BLOCK - 1, 2);
	size_t end = gapbuf_len(&gb);
	lines_pass_insert(&lp, end, "tail\nx", 6);
	gapbuf_insert(&gb, end, "tail\nx", 6);
	ok(lines_pass_end(&lp, &gb), "pass end after three edits");
	agrees(&li, &gb, "insert, delete over a boundary, append");

	/* A big insert splits blocks again. */
	size_t big = 3 * LINES_BLOCK + 5;
	char *b = malloc(big);
	fill_lines(b, big, 99);
	lines_pass_begin(&lp, &li);
	lines_pass_insert(&lp, 1, b, big);
	gapbuf_insert(&gb, 1, b, big);
	ok(lines_pass_end(&lp, &gb), "pass end after a big insert");
	bool small = true;
	for (size_t k = 0; k < li.n; k++)
		small = small && li.b[k].len <= 2 * LINES_BLOCK;
	ok(small, "no block is over twice the block size after a big insert");
	agrees(&li, &gb, "big insert");

	/* Delete everything in one pass. */
	lines_pass_begin(&lp, &li);
	lines_pass_delete(&lp, &gb, 0, gapbuf_len(&gb));
	gapbuf_delete(&gb, 0, gapbuf_len(&gb));
	ok(lines_pass_end(&lp, &gb), "pass end after deleting everything");
	ok(li.n >= 1, "at least one block remains");
	agrees(&li, &gb, "everything deleted");
	free(b);
	free(s);
	lines_fini(&li);
	gapbuf_fini(&gb);
}

/* The same through Text, which drives the passes, plus the line helpers. */
static void test_text_lines(void)
{
	Text *t = text_new();
	size_t n = 4 * LINES_BLOCK;
	char *s = malloc(n);
	fill_lines(s, n, 3);
	ok(text_insert(t, 0, s, n), "insert 4 blocks of lines");
	ok(text_check(t), "check after a big insert");
	ok(text_delete(t, 5, 2 * LINES_BLOCK + 7), "delete over two blocks");
	ok(text_check(t), "check after a delete over two blocks");
	size_t l = text_len(t);
	Edit e[3] = {
		{1, l / 3, "a\nb", 3},
		{l / 2, 0, "\n", 1},
		{l / 2, l / 4, "", 0},
	};
	ok(text_apply(t, e, 3, NULL), "a batch over block boundaries");
	ok(text_check(t), "check after the batch");
	free(s);
	text_free(t);

	t = text_new();
	text_insert(t, 0, "one\ntwo\r\n\nlast", 14);
	is_size(text_lines(t), 4, "text_lines");
	is_size(text_line_start(t, 1), 4, "text_line_start(1)");
	is_size(text_line_start(t, 3), 10, "text_line_start(3)");
	is_size(text_line_of(t, 9), 2, "text_line_of the empty line");
	is_size(text_line_end_at(t, 5), 8, "line end is the offset of its newline (CR is content)");
	is_size(text_line_end_at(t, 11), 14, "last line ends at the end of the text");
	is_size(text_line_end_at(t, 3), 3, "line end at the newline itself");
	is_size(text_line_start_at(t, 7), 4, "line start from the middle of a line");
	is_size(text_line_start_at(t, 4), 4, "line start at a line start");
	is_size(text_line_start_at(t, 14), 10, "line start at the end of the text");
	is_size(text_line_start_at(t, 0), 0, "line start at 0");

	/* A long line: the start is found without a scan (and correctly). */
	text_free(t);
	t = text_new();
	size_t ll = 3 * 4096 + 100;
	char *line = malloc(ll);
	memset(line, 'x', ll);
	line[10] = '\n';
	text_insert(t, 0, line, ll);
	is_size(text_line_start_at(t, ll), 11, "line start of a 12 KiB line");
	is_size(text_line_start_at(t, 4096 + 20), 11, "line start inside a long line");
	free(line);
	text_free(t);
}

int main(void)
{
	test_basics();
	test_blocks();
	test_text_lines();
	return done_testing();
}
