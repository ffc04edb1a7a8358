/* LineFilter: a view filter for log buffers. Hides the lines that do not
 * pass a list of regex rules, and the lines inside folds; never changes the
 * text. Owned by a Buffer (Buffer.filter, freed with filter_free).
 *
 * Rules (PCRE2 via buffer/search.h, evaluated per line as grep does):
 *   a line PASSES when it matches at least one "in" rule (or there is no
 *   "in" rule) and matches no "out" rule.
 * Folds hide lines first+1..last of a range (the first line stays as the
 * fold's headline); they matter for the view only, never for the counts
 * or filter_write().
 *
 * The index is one bit per line, computed in one pass over the text and
 * brought up to date lazily by every query (filter_sync). Edits reported
 * through filter_note_edit() (buf_apply does it) re-evaluate only from the
 * first edited line on, so appending to a followed log costs the new lines
 * only; any other change of the text rebuilds the index.
 *
 * Lines are 0-based here. The empty "line" after a final newline is not a
 * line of the log: it always shows (the cursor may sit there) and is never
 * counted or written. */
#ifndef EDITOR_FILTER_H
#define EDITOR_FILTER_H
#include "buffer/text.h"
#include <stdio.h>

typedef struct LineFilter LineFilter;

enum { FILTER_IN, FILTER_OUT };

LineFilter *filter_new(void);
void filter_free(LineFilter *f); /* NULL is a no-op */

/* Adds a rule (re: len bytes, PCRE2 syntax). False with a one-line reason
 * in err on a bad regex or ENOMEM; the filter is unchanged then. */
bool filter_add(LineFilter *f, int kind, const char *re, size_t len, char *err, size_t errlen);
/* Removes rule i (0-based, in the order added); false if there is none. */
bool filter_remove(LineFilter *f, size_t i);
/* Removes every rule (folds stay). */
void filter_clear(LineFilter *f);
size_t filter_rules(const LineFilter *f);
/* Rule i: its kind and pattern (not NUL-terminated: *len bytes). */
const char *filter_rule(const LineFilter *f, size_t i, int *kind, size_t *len);

/* Tells the filter that a batch changed the text from version v0 to v1,
 * touching nothing before offset pos. */
void filter_note_edit(LineFilter *f, uint64_t v0, uint64_t v1, size_t pos);
/* Brings the index up to date with t. False on ENOMEM (then every line
 * passes until a later sync succeeds). */
bool filter_sync(LineFilter *f, Text *t);

/* Counts after a sync: lines of the log, and those that pass the rules. */
size_t filter_total(LineFilter *f, Text *t);
size_t filter_passing(LineFilter *f, Text *t);
bool filter_passes(LineFilter *f, Text *t, size_t line);
/* The k-th passing line (0-based k), or BUF_NOPOS. */
size_t filter_nth(LineFilter *f, Text *t, size_t k);
/* How many lines before `line` pass. */
size_t filter_rank(LineFilter *f, Text *t, size_t line);

/* Writes every passing line, each ending in a newline, to fp. False with
 * errno on a write error. */
bool filter_write(LineFilter *f, Text *t, FILE *fp);

/* Folds: hide lines first+1..last. Folds may nest; false on ENOMEM or an
 * empty range. filter_unfold removes the folds whose first line is
 * `first`; it returns how many it removed. */
bool filter_fold(LineFilter *f, size_t first, size_t last);
size_t filter_unfold(LineFilter *f, size_t first);
void filter_unfold_all(LineFilter *f);
/* The last line of the widest fold starting at `first`, or BUF_NOPOS. */
size_t filter_fold_end(const LineFilter *f, size_t first);
size_t filter_folds(const LineFilter *f);

/* What the view shows: lines that pass and are not inside a fold. f may
 * be NULL (everything shows). */
bool filter_shown(LineFilter *f, Text *t, size_t line);
/* The first shown line at or after `line` / the last at or before it;
 * BUF_NOPOS when there is none. */
size_t filter_next_shown(LineFilter *f, Text *t, size_t line);
size_t filter_prev_shown(LineFilter *f, Text *t, size_t line);
/* The same on line start offsets, for the renderer: the start of the first
 * shown line whose start is >= start (start itself when f is NULL), or
 * BUF_NOPOS when none is left. */
size_t filter_shown_from(LineFilter *f, Text *t, size_t start);
size_t filter_shown_before(LineFilter *f, Text *t, size_t start);

/* For the renderer, without wrapping. filter_step: the line n shown lines
 * below (n > 0) or above (n < 0) `line`, stopping at the first / last
 * shown line. filter_top_for: the top line that keeps line `cur` in `rows`
 * rows, counting shown lines only: `top` when cur is on screen already,
 * cur when it is just above, cur's line `rows - 1` shown lines up when it
 * is just below, and cur centred when it is far. Line numbers in, line
 * numbers out; both snap hidden lines to shown ones. */
size_t filter_step(LineFilter *f, Text *t, size_t line, long n);
size_t filter_top_for(LineFilter *f, Text *t, size_t top, size_t cur, size_t rows);

bool filter_check(LineFilter *f, Text *t);
#endif
