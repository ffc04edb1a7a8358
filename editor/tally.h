/* Tally: counts a run of log lines in C. A log summary reads each kind of
 * line in Lua, but a log of millions of lines is mostly long runs of one
 * kind (probe firings, flow lines, printf rows, kernel messages): the
 * summary reads the first line of a run, then tally_run() walks the rest
 * of it (the lines that match one regex), counting the values of some
 * groups, the time between timestamps per key, and the longest pauses,
 * and says where the run ended. No Lua, no terminal: lua/api_tally.c
 * binds it.
 *
 * The run is the lines from offset `pos` (a line start) on that match
 * spec->re (and none of spec->stop), at most spec->max_lines of them. Line
 * numbers in a result count from 0 at `pos`: the caller knows where that
 * is (looking it up in a big text costs more than the walk). */
#ifndef EDITOR_TALLY_H
#define EDITOR_TALLY_H
#include "buffer/search.h"
#include <stdint.h>

#define TALLY_MAXKEYS 4
#define TALLY_MAXDISTINCT 65536 /* keys kept per map; more are counted as others */
#define TALLY_GAPS 5
#define TALLY_MAXSTOPS 16

/* One key and what was counted for it. */
typedef struct TallyEntry {
	char *key;       /* owned, klen bytes */
	size_t klen;
	uint64_t count;
	/* Time series (TallySpec.tval): first and last timestamps seen, and
	 * the deltas between consecutive ones (n, sum, min, max). */
	double first, last, sum, min, max;
	uint64_t n;
} TallyEntry;

typedef struct TallyMap {
	TallyEntry *v;   /* open addressing, cap a power of 2 */
	size_t cap, used;
	uint64_t others; /* counts of keys past TALLY_MAXDISTINCT */
} TallyMap;

typedef struct TallySpec {
	Search *re;          /* the lines of the run */
	/* A line matching any of these is not in the run. Several regexes
	 * rather than one alternation: PCRE2 rejects most lines by the literal
	 * each one needs (a memchr) without matching at all, which it cannot
	 * do for an alternation of them. */
	Search *stop[TALLY_MAXSTOPS];
	size_t nstop;
	unsigned keys[TALLY_MAXKEYS]; /* groups whose values are counted */
	size_t nkeys;
	unsigned tkey, tval; /* both set: per value of group tkey, the time at
	                      * the start of group tval (seconds "12.5" or
	                      * nanoseconds, 9 digits or more) */
	unsigned gap;        /* set: group holding seconds; longest pauses */
	size_t max_lines;
} TallySpec;

typedef struct TallyGap {
	double d;
	size_t line;         /* the line after the pause */
} TallyGap;

typedef struct TallyResult {
	size_t lines;        /* lines in the run */
	size_t next;         /* offset of the first line after it */
	size_t last, last_len; /* its last line (when lines > 0) */
	TallyMap maps[TALLY_MAXKEYS];
	TallyMap times;
	bool have_ts;        /* gap: first and last timestamps seen */
	double first_ts, last_ts;
	size_t first_ts_line;
	TallyGap gaps[TALLY_GAPS]; /* longest first */
	size_t ngaps;
} TallyResult;

/* Walks the run from offset pos, reading t through w (zeroed, or a
 * caller's window kept from line to line: reading goes on in it); false on
 * ENOMEM (what was counted stays in r, to be freed). */
bool tally_run(const TallySpec *spec, Text *t, TextWindow *w, size_t pos, TallyResult *r);
void tally_result_free(TallyResult *r);

/* The leading timestamp of s as tval reads it, in seconds; false if none. */
bool tally_time(const char *s, size_t n, double *sec);
#endif
