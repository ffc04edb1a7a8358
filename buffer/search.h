/* Search: literal and PCRE2 (JIT) regex matching over a Text or a byte
 * range, forward and backward, optionally case-insensitive / whole word.
 * Over a Text it reads a window at a time (never the whole text at once):
 * a match that may go on past a window (PCRE2 hard partial matching)
 * makes the window grow, so the result is the one a search of the whole
 * text would give. */
#ifndef BUFFER_SEARCH_H
#define BUFFER_SEARCH_H
#include "buffer/text.h"

enum {
	SEARCH_REGEX = 1, /* pattern is a PCRE2 regex, else a literal */
	SEARCH_ICASE = 2,
	SEARCH_WORD = 4,  /* whole words only (letters, digits, _) */
	SEARCH_BYTES = 8, /* match bytes, not UTF-8 characters */
};

#ifndef SEARCH_WINDOW
#define SEARCH_WINDOW ((size_t)1 << 20) /* bytes of a text searched at a time */
#endif

typedef struct Search Search;

/* Compiles a pattern; NULL with a message in err on a bad regex. */
Search *search_new(const char *pat, size_t len, int flags, char *err, size_t errlen);
void search_free(Search *s);
/* First match starting at or after from within data[0,len); returns its
 * start and sets *mend, or BUF_NOPOS. `from` may point inside data, so
 * lookbehind and \b see the bytes before it. */
size_t search_in(Search *s, const char *data, size_t len, size_t from, size_t *mend);
/* The next match after one that ended at prev_end: as search_in from
 * there, but an empty match at prev_end itself is refused. A walk over
 * every match (find all, replace all, x//, highlighting) is search_in once,
 * then search_in_after from each match's end: matches never overlap and an
 * empty match is found once per position, never right where a match ended
 * (as in sed and PCRE2's global substitution: every match of "x*" in
 * "abc" replaced by "-" gives "-a-b-c-"). */
size_t search_in_after(Search *s, const char *data, size_t len, size_t prev_end, size_t *mend);
/* Last match starting before `before`, of the same walk. */
size_t search_in_back(Search *s, const char *data, size_t len, size_t before, size_t *mend);
/* Over a Text: the first match starting in [from, limit] when the text
 * [lo, hi) is the subject (lookbehind, ^ and \b see bytes before `from`
 * down to lo; $ and \z match at hi). It reads no further than it must:
 * a limit far below hi keeps a search short. A search keeps its last
 * window, so stepping through many matches reads the text once. */
size_t search_text(Search *s, const Text *t, size_t lo, size_t hi, size_t from, size_t limit, size_t *mend);
/* search_in_after over a Text: the walk over every match of [lo, hi) is
 * search_text once, then search_text_after from each match's end. */
size_t search_text_after(Search *s, const Text *t, size_t lo, size_t hi, size_t prev_end, size_t limit, size_t *mend);
/* Over a whole Text: forward from pos (wrapping if asked), or backward
 * (the last match starting before `before`, stepping through the matches
 * a forward scan from the line start a window back finds). */
size_t search_next(Search *s, Text *t, size_t from, bool wrap, size_t *mend);
size_t search_prev(Search *s, Text *t, size_t before, bool wrap, size_t *mend);
/* Find-next: the next match after prev_end as search_in_after has it (not
 * the empty match there again), then round from the top when asked. */
size_t search_next_after(Search *s, Text *t, size_t prev_end, bool wrap, size_t *mend);
/* Expands a replacement template for the last match search_in() or
 * search_next() found in data: \0-\9 are that match's groups (empty when
 * unset), \n \t \\ a newline, a tab, a backslash; any other escaped byte
 * stands for itself. Malloc'd (not NUL-terminated), length in *outlen;
 * NULL on ENOMEM. For a literal pattern only \0 is the match. */
char *search_expand(const Search *s, const char *data, const char *tmpl, size_t tlen, size_t *outlen);
/* The same for the last match search_text() (or search_next/prev) found:
 * the groups are read from t. */
char *search_expand_text(const Search *s, const Text *t, const char *tmpl, size_t tlen, size_t *outlen);
/* The groups of that last match: how many the pattern has (group 0, the
 * match, included; 1 for a literal), and the offsets of group n (in data,
 * or in the text after a search over a Text); false when group n is unset
 * or absent. */
unsigned search_group_count(const Search *s);
bool search_group(const Search *s, unsigned n, size_t *gb, size_t *ge);
/* True for bytes that make up words: ASCII letters, digits, '_' and any
 * byte of a multibyte UTF-8 character. */
bool search_is_word_byte(int c);
/* The PCRE2 library in use, e.g. "10.42 2022-12-11, JIT" (for --version). */
void search_lib_version(char *out, size_t size);
#endif
