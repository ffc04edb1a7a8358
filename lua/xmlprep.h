/* Decoded feed text made fit for libxml2, before it parses: what the XML
 * parser would reject is repaired here, so that its recovery mode (which
 * drops every entity reference after the first error) never starts for
 * want of it. No Lua; libxml2 only for its HTML entity table. */
#ifndef LUA_XMLPREP_H
#define LUA_XMLPREP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Cleans UTF-8 text in[0..n) into *out (malloc'd, NUL-terminated, caller
 * frees; *outlen bytes):
 * - terminal escape sequences (ESC [ ... m, OSC strings, their 8-bit C1
 *   forms), raw or written as character references, are removed whole;
 *   other C0 controls but tab and line breaks are removed;
 * - a reference to another C1 control is read as windows-1252 (&#146; is
 *   a right quote), as HTML does; a raw one is left to the reader (it may
 *   be part of doubly encoded UTF-8); U+FFFE, U+FFFF and invalid
 *   references become U+FFFD;
 * - named references become numeric ones (&amp; -> &#38;, &eacute; ->
 *   &#233;), since libxml2's recovery keeps only those; an entity the
 *   internal DTD declares is left alone; an undefined one (&bogus;) and a
 *   bare '&' are escaped, so they read as written;
 * - a '<' that cannot start markup ("a < b") and "]]>" in text are escaped.
 * CDATA sections, comments, processing instructions and the DOCTYPE are
 * copied as they are, but for the control characters. False when memory
 * runs out. */
bool xmlprep_clean(const char *in, size_t n, char **out, size_t *outlen);

/* The code point of an HTML/XML named entity (name[0..n), without '&' and
 * ';'): the XML five and libxml2's HTML table. False when unknown. */
bool xmlprep_entity(const char *name, size_t n, uint32_t *cp);
/* The character reference at p (a '&') as HTML reads it: numeric (&#X41;
 * too; charset_ref's meaning), named (xmlprep_entity), or one of the few
 * names HTML also takes without ';' (&amp, &lt, &nbsp ...) when no '='
 * follows. Its length, 0 when p holds none; the code point in *cp. */
size_t xmlprep_ref(const char *p, const char *end, uint32_t *cp);
#endif
