/* UTF-8 decoding, display width and grapheme clusters (utf8proc). Invalid
 * bytes decode as one byte each, so any byte sequence can be walked. A
 * cluster takes the columns terminals give it: its characters' widths,
 * with combining marks and emoji joined by a ZWJ taking none (so a ZWJ
 * family is 2 columns, a flag's two regional indicators 1 + 1, an emoji
 * with a skin-tone modifier 2 + 2, as tmux draws them). */
#ifndef BUFFER_UTF8_H
#define BUFFER_UTF8_H
#include "buffer/text.h"
#include <stdint.h>

#define UTF8_INVALID 0xFFFFFFFFu

/* Decodes one character; returns bytes used (>= 1 when len > 0). An invalid
 * sequence yields *cp = UTF8_INVALID and length 1. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
size_t utf8_encode(uint32_t cp, char out[4]);
/* Columns a character takes: 0 (combining), 1 or 2. Control characters and
 * invalid bytes are not printable: -1 (the renderer escapes them). */
int utf8_width(uint32_t cp);
/* Decodes the character at pos in a Text. */
size_t utf8_decode_at(const Text *t, size_t pos, uint32_t *cp);
/* Start of the character before pos (never splits a sequence). */
size_t utf8_prev_char(const Text *t, size_t pos);
/* Grapheme cluster boundaries around pos. */
size_t utf8_next_grapheme(const Text *t, size_t pos);
size_t utf8_prev_grapheme(const Text *t, size_t pos);
/* True when cp, after prev, joins the glyph before it and takes no column
 * of its own: an emoji after a zero width joiner (a ZWJ sequence such as a
 * family is 2 columns, as terminals draw it). Every column count below and
 * the renderer use this rule. */
bool utf8_joins(uint32_t prev, uint32_t cp);
/* Display columns of [from, to) on one line, tabs expanded to tabw. */
size_t utf8_columns(const Text *t, size_t from, size_t to, int tabw);
/* The column reached after [from, to) when from is at column col (tab
 * stops depend on it). */
size_t utf8_columns_from(const Text *t, size_t from, size_t to, size_t col, int tabw);
/* Offset in [from, line end] where display column col is reached, walking
 * grapheme clusters: never inside one, and never between the CR and LF of
 * a CRLF line end; a cluster that would go past col is not taken. */
size_t utf8_offset_at_column(const Text *t, size_t from, size_t col, int tabw);
/* Width of the escape shown for a non-printable byte/char: ^X or <xx>. */
int utf8_escape_width(uint32_t cp, unsigned char byte);
/* The utf8proc library in use (for --version). */
const char *utf8_lib_version(void);
#endif
