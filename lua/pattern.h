/* Lua's pattern language (Lua 5.4 manual, section 6.4.1) with brisk's own
 * matcher, so that a match can be stopped: Lua's string library backtracks
 * inside one C call that no hook can interrupt.
 *
 * A pattern is compiled once into items: a byte set (256 bits) with its
 * quantifier (1, *, +, -, ?), a capture's start or end, a position
 * capture, %bxy, %f[set], a back-reference %1-%9, a final $, and the end.
 * A match walks the items left to right and backtracks with an explicit
 * stack; every item on the current path pushes at most one entry (a choice
 * point or the undo of a capture), so the stack never outgrows the items.
 * Steps (items tried, bytes scanned, choices retried) are counted, and
 * every PATTERN_TICK steps the caller's tick() may stop the match.
 *
 * A malformed pattern compiles to an error item at the place of the fault:
 * the error surfaces only when a match reaches it, as in Lua's own library
 * (("b"):find("a[") finds nothing; ("a"):find("a[") raises). No Lua here:
 * the binding is lua/strlib.c. */
#ifndef LUA_PATTERN_H
#define LUA_PATTERN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PATTERN_MAXCAP 32     /* captures in one pattern, as Lua's */
#define PATTERN_TICK 4096

enum { PATTERN_CAP_OPEN = -1, PATTERN_CAP_POSITION = -2 };

typedef struct PatternCap {
	size_t start;
	ptrdiff_t len;     /* bytes, or PATTERN_CAP_OPEN / _POSITION */
} PatternCap;

typedef struct Pattern Pattern;

typedef struct PatternMatch {
	const char *s;     /* the subject */
	size_t len;
	size_t end;        /* after a match: where it ends */
	PatternCap cap[PATTERN_MAXCAP];
	int ncap;          /* captures in the pattern */
	const char *err;   /* after PATTERN_ERROR: printf format, one %d = err_arg */
	int err_arg;
	uint64_t steps;
	bool (*tick)(void *arg); /* false: stop (PATTERN_STOPPED) */
	void *arg;
} PatternMatch;

enum { PATTERN_NOMATCH, PATTERN_FOUND, PATTERN_ERROR, PATTERN_STOPPED };

/* Bytes of memory pattern_compile needs for a pattern of plen bytes. */
size_t pattern_size(size_t plen);
/* Compiles p into mem (pattern_size(plen) bytes, aligned for any type).
 * anchor: a leading '^' anchors the match (find, match, gsub; gmatch
 * takes '^' as a plain character). */
Pattern *pattern_compile(void *mem, const char *p, size_t plen, bool anchor);
bool pattern_anchored(const Pattern *pt);
/* Where a match could start in s[0, len) at or after at, by the first
 * byte the pattern needs (len + 1: nowhere): an unanchored search tries
 * only those places. */
size_t pattern_next_start(const Pattern *pt, const char *s, size_t len, size_t at);
/* Tries to match at offset at of m->s (m->s, len, tick, arg set; steps
 * accumulate across calls). PATTERN_FOUND: m->end and m->cap[0..ncap). */
int pattern_match(Pattern *pt, PatternMatch *m, size_t at);
#endif
