/* The line index: the newline count of every page (Page.nl), counted
 * lazily. A page is counted when a query needs it (the lines up to a
 * position, a line's start) or in the background, a slice at a time
 * (lines_step), so opening a file costs nothing per line. Counting reads
 * clean pages with pread, so it leaves nothing resident. Edits keep the
 * counts up to date in their pass (pages.c). */
#ifndef BUFFER_LINES_H
#define BUFFER_LINES_H
#include "buffer/pages.h"

#ifndef LINES_WINDOW
#define LINES_WINDOW (1u << 20) /* bytes of clean pages counted per read */
#endif

/* Newlines in p[0, len). */
size_t lines_newlines(const char *p, size_t len);
/* Counts pages not counted yet, from the first one on, until about budget
 * bytes were counted. True when every page is counted. */
bool lines_step(Pages *P, size_t budget);
/* Every page counted (no work left for lines_step). */
bool lines_done(const Pages *P);
/* Bytes not counted yet (the work lines_step has left). */
size_t lines_left(const Pages *P);
/* The number of lines if every page is counted, else an estimate from
 * the pages counted so far (nothing is counted). */
size_t lines_estimate(const Pages *P);
/* Number of lines (newlines + 1); counts every page first. */
size_t lines_count(Pages *P);
/* Start offset of 0-based line (clamped to the last line); counts pages
 * up to that line. */
size_t lines_offset_of(Pages *P, size_t line);
/* Whether 0-based line `line` exists; counts up to it (to the end only
 * when it does not). */
bool lines_has(Pages *P, size_t line);
/* 0-based line of pos; counts the pages before it. */
size_t lines_line_of(Pages *P, size_t pos);
/* The same without counting more than `budget` bytes: false (nothing
 * counted) when it would take more. */
bool lines_line_of_within(Pages *P, size_t pos, size_t budget, size_t *line);
/* The end of the line at pos (its '\n', or the text's end) when it is
 * known without counting: the rest of pos's page is read, then pages
 * counted free of newlines are skipped. False at a page not counted yet
 * (nothing is counted). */
bool lines_end_known(Pages *P, size_t pos, size_t *end);
/* Every count right (a recount of each page): for tests. */
bool lines_check(const Pages *P);
#endif
