/* Counting runs of lines (editor/tally.c): where a run ends (re, stop,
 * max, the end of the text, a line across the gap), keys, time series,
 * the longest pauses, timestamps as Lua reads them. */
#include "editor/tally.h"
#include "tap.h"
#include <math.h>

static Search *re(const char *p)
{
	char err[128];
	Search *s = search_new(p, strlen(p), SEARCH_REGEX | SEARCH_BYTES, err, sizeof err);
	if (!s)
		BAIL_OUT("regex %s: %s", p, err);
	return s;
}

/* One run through a window of its own. */
static bool run(const TallySpec *sp, Text *t, size_t pos, TallyResult *r)
{
	TextWindow w = {0};
	bool ok = tally_run(sp, t, &w, pos, r);
	free(w.buf);
	return ok;
}

static Text *text_of(const char *s)
{
	Text *t = text_new();
	text_insert(t, 0, s, strlen(s));
	return t;
}

static uint64_t count_of(const TallyMap *m, const char *key)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key && m->v[i].klen == strlen(key) && memcmp(m->v[i].key, key, m->v[i].klen) == 0)
			return m->v[i].count;
	return 0;
}

static const TallyEntry *entry_of(const TallyMap *m, const char *key)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key && m->v[i].klen == strlen(key) && memcmp(m->v[i].key, key, m->v[i].klen) == 0)
			return &m->v[i];
	return NULL;
}

static void test_probe_run(void)
{
	Text *t = text_of("CPU ID FUNCTION:NAME\n"
	                  "  0  12 read:entry 1.5\n"
	                  "  1  12 read:entry 2.0\n"
	                  "  0  13 write:entry 2.25\n"
	                  "  1  12 read:entry 1.75\n"
	                  "text again\n"
	                  "  0  12 read:entry 9.0\n");
	TallySpec sp = {.re = re("^\\s*(\\d+)\\s+\\d+\\s+(([\\w.$-]*):[\\w.-]+)\\s*(.*?)\\s*$"), .keys = {1, 2, 3},
	                .nkeys = 3, .tkey = 2, .tval = 4, .max_lines = 100};
	TallyResult r = {0};
	size_t start = text_line_start(t, 1);
	ok(run(&sp, t, start, &r), "a run of probe lines");
	is_size(r.lines, 4, "four lines, up to the text line");
	is_size(r.next, text_line_start(t, 5), "next: the text line's start");
	is_size(r.last, text_line_start(t, 4), "last: the run's last line");
	ok(count_of(&r.maps[0], "0") == 2 && count_of(&r.maps[0], "1") == 2, "by CPU");
	ok(count_of(&r.maps[1], "read:entry") == 3 && count_of(&r.maps[1], "write:entry") == 1, "by probe");
	ok(count_of(&r.maps[2], "read") == 3, "by function");
	const TallyEntry *e = entry_of(&r.times, "read:entry");
	ok(e && e->first == 1.5 && e->last == 1.75 && e->n == 1 && e->sum == 0.5 && e->min == 0.5,
	   "time series: one delta (2.0 - 1.5); the step back is no delta");
	tally_result_free(&r);

	TallyResult r2 = {0};
	sp.max_lines = 2;
	run(&sp, t, start, &r2);
	ok(r2.lines == 2 && r2.next == text_line_start(t, 3), "max lines");
	tally_result_free(&r2);

	TallyResult r3 = {0};
	sp.max_lines = 100;
	sp.stop[0] = re("nothing");
	sp.stop[1] = re("write");
	sp.nstop = 2;
	run(&sp, t, start, &r3);
	is_size(r3.lines, 2, "a line matching any stop pattern ends the run");
	tally_result_free(&r3);
	search_free(sp.stop[0]);
	search_free(sp.stop[1]);
	sp.nstop = 0;

	TallyResult r4 = {0};
	run(&sp, t, text_line_start(t, 6), &r4);
	ok(r4.lines == 1 && r4.next == text_len(t), "a run up to the end of the text");
	tally_result_free(&r4);
	search_free(sp.re);
	text_free(t);
}

static void test_gaps(void)
{
	/* Pauses: 1, 3, 0 (no pause), -1 (back), 5, 2, 4: the five longest. */
	Text *t = text_of("[ 1.0] a\n[ 2.0] b\n[ 5.0] c\n[ 5.0] d\n[ 4.0] e\n[ 9.0] f\n[ 11.0] g\n[ 15.0] h\n");
	TallySpec sp = {.re = re("^\\[\\s*(\\d+\\.\\d+)\\]"), .gap = 1, .max_lines = 100};
	TallyResult r = {0};
	run(&sp, t, 0, &r);
	is_size(r.lines, 8, "all eight lines");
	ok(r.have_ts && r.first_ts == 1.0 && r.last_ts == 15.0 && r.first_ts_line == 0, "first and last timestamps");
	is_size(r.ngaps, 5, "five pauses kept");
	ok(r.gaps[0].d == 5 && r.gaps[0].line == 5, "the longest: 5 s before line 5 (from 0)");
	ok(r.gaps[1].d == 4 && r.gaps[2].d == 3 && r.gaps[3].d == 2 && r.gaps[4].d == 1, "then 4, 3, 2, 1");
	tally_result_free(&r);
	search_free(sp.re);
	text_free(t);
}

static void test_times(void)
{
	double v;
	ok(tally_time("  772.918915", 12, &v) && v == strtod("772.918915", NULL), "seconds, read as strtod reads them");
	ok(tally_time("1394000000001234567 rest", 24, &v) && v == 1394000000001234567.0 / 1e9, "nanoseconds");
	ok(!tally_time("12345678", 8, &v), "eight digits: no time");
	ok(!tally_time("12.5x", 5, &v), "glued to text: no time");
	ok(!tally_time("12.", 3, &v), "no fraction digits");
	ok(!tally_time("", 0, &v) && !tally_time("abc", 3, &v), "no number");
}

/* A line across the gap of the gap buffer is read whole. */
static void test_gap_buffer(void)
{
	Text *t = text_of("k1 a\nk2 b\n");
	text_insert(t, 8, "XX", 2); /* the gap now sits inside line 2 */
	TallySpec sp = {.re = re("^(k\\d) (\\w+)$"), .keys = {2}, .nkeys = 1, .max_lines = 10};
	TallyResult r = {0};
	run(&sp, t, 0, &r);
	ok(r.lines == 2 && count_of(&r.maps[0], "XXb") == 1, "a line split by the gap");
	tally_result_free(&r);
	search_free(sp.re);
	text_free(t);
}

/* More distinct keys than kept are counted as others. */
static void test_others(void)
{
	size_t n = TALLY_MAXDISTINCT + 10, len = n * 8;
	char *s = malloc(len + 1), *p = s;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "k%06zu\n", i);
	Text *t = text_new();
	text_insert(t, 0, s, (size_t)(p - s));
	TallySpec sp = {.re = re("^(k\\d+)$"), .keys = {1}, .nkeys = 1, .max_lines = n};
	TallyResult r = {0};
	ok(run(&sp, t, 0, &r), "many keys");
	ok(r.maps[0].used == TALLY_MAXDISTINCT && r.maps[0].others == 10, "the excess counted as others");
	tally_result_free(&r);
	search_free(sp.re);
	text_free(t);
	free(s);
}

/* A window kept from run to run (a reader's) is read on, and read again
 * once the text changed under it. */
static void test_kept_window(void)
{
	Text *t = text_of("a 1\na 2\nb 3\na 4\n");
	TallySpec sp = {.re = re("^a (\\d)$"), .keys = {1}, .nkeys = 1, .max_lines = 10};
	TextWindow w = {0};
	TallyResult r = {0};
	ok(tally_run(&sp, t, &w, 0, &r) && r.lines == 2 && w.off == 0 && w.len == text_len(t),
	   "the first run reads the window");
	tally_result_free(&r);
	char *before = w.buf;
	TallyResult r2 = {0};
	tally_run(&sp, t, &w, text_line_start(t, 3), &r2);
	ok(r2.lines == 1 && count_of(&r2.maps[0], "4") == 1 && w.buf == before && w.off == 0,
	   "the next run reads on in the same window");
	tally_result_free(&r2);
	text_delete(t, text_line_start(t, 2), 1);
	text_insert(t, text_line_start(t, 2), "a", 1); /* "b 3" is now "a 3" */
	TallyResult r3 = {0};
	tally_run(&sp, t, &w, 0, &r3);
	ok(r3.lines == 4 && count_of(&r3.maps[0], "3") == 1, "a changed text is read again, not the stale window");
	tally_result_free(&r3);
	free(w.buf);
	search_free(sp.re);
	text_free(t);
}

int main(void)
{
	test_probe_run();
	test_gaps();
	test_times();
	test_gap_buffer();
	test_others();
	test_kept_window();
	return done_testing();
}
