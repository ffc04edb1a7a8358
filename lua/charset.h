/* A document's bytes to UTF-8, reading the encoding the way browsers and
 * feed readers do. Plain C (iconv from libc, no Lua), so the C unit tests
 * link it alone. */
#ifndef LUA_CHARSET_H
#define LUA_CHARSET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHARSET_NAME_MAX 40

typedef struct CharsetResult {
	char *text;                   /* UTF-8, NUL-terminated, malloc'd: caller frees */
	size_t len;
	char name[CHARSET_NAME_MAX];  /* the encoding used, e.g. "windows-1252" */
} CharsetResult;

/* Decodes doc[0..n) to UTF-8. The encoding is the first of these that
 * decodes the bytes without an error: `forced` (a caller's override), a
 * byte order mark (UTF-8/16/32, which nothing overrides), the XML
 * declaration, `http` (the Content-Type charset), UTF-8; when all fail,
 * UTF-8 with each invalid byte read as windows-1252, which never fails.
 * Of the declaration and `http`, a multi-byte encoding (UTF-8, GBK,
 * Shift_JIS...) that decodes 8-bit text goes first: a single-byte one
 * decodes anything, so its success proves nothing. A label names
 * what browsers take it to mean (ISO-8859-1 and ASCII are windows-1252,
 * GB2312 is GBK, EUC-KR is CP949...); an unknown label, or one that cannot
 * be the encoding of these bytes (UTF-16 declared in a document written
 * in ASCII), is skipped. UTF-16 and UTF-32 without a byte order mark are
 * found from how "<?xml" is written. The result has no byte order mark.
 * False only when memory runs out. */
bool charset_decode(const char *doc, size_t n, const char *forced, const char *http, CharsetResult *r);

/* What byte b (0x80-0x9F) means in windows-1252, as browsers read it (the
 * five undefined bytes stay C1 controls); other bytes are themselves. Also
 * what HTML makes of &#128;-&#159;. */
uint32_t charset_cp1252(unsigned char b);

/* What a numeric character reference &#v; means in a feed, as HTML reads
 * it: 128-159 are windows-1252, 0, surrogates and values past U+10FFFF
 * are U+FFFD; anything else is itself. */
uint32_t charset_ref(uint64_t v);

/* Writes the name brisk uses for an encoding label (upper case for iconv,
 * lower case for the ones decoded here); false when the label is unknown. */
bool charset_label(const char *label, char *out, size_t cap);
#endif
