/* Decoded feed text made fit for libxml2 (xmlprep.h). One pass over the
 * text; CDATA sections, comments, processing instructions and the DOCTYPE
 * are copied raw, everything else has its references and stray '<' fixed.
 * Control characters are handled everywhere, as code points: an escape
 * sequence is recognized whether its parts are raw or written as numeric
 * references (&#27;[31m). */
#include "lua/xmlprep.h"
#include "buffer/array.h"
#include "buffer/utf8.h"
#include "lua/charset.h"
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ESC 0x1B
#define MAX_PARAMS 64       /* parameter bytes of a CSI sequence */
#define MAX_STRING 1024     /* bytes of an OSC/DCS string before its end */
#define MAX_NAME 64         /* of an entity name */
#define MAX_DEPTH 1024      /* open elements tracked (libxml2 stops at 256) */

/* An open element: its name in the input. */
typedef struct Open {
	const char *name;
	size_t len;
} Open;

typedef struct Prep {
	const char *subset, *subset_end; /* the DOCTYPE's internal subset */
	StrBuf out;                      /* ok false: memory ran out */
	Open *open;                      /* the elements open, outermost first */
	size_t depth, open_cap;
} Prep;

static void put(Prep *x, const char *s, size_t n)
{
	strbuf_put(&x->out, s, n);
}

static void put_cp(Prep *x, uint32_t cp)
{
	char buf[4];
	put(x, buf, utf8_encode(cp, buf));
}

static void put_ref(Prep *x, uint32_t cp)
{
	char buf[16];
	put(x, buf, (size_t)snprintf(buf, sizeof buf, "&#%u;", (unsigned)cp));
}

static bool starts(const char *p, const char *end, const char *what)
{
	size_t n = strlen(what);
	return (size_t)(end - p) >= n && memcmp(p, what, n) == 0;
}

/* {======================================================================
 * Code points, raw or as numeric references
 * ======================================================================= */

/* A numeric character reference at p ("&#38;", "&#x26;", "&#X26;"): its
 * length, or 0 when there is none; its value (past U+10FFFF: 0x110000). */
static size_t numeric_ref(const char *p, const char *end, uint32_t *v)
{
	if (end - p < 4 || p[0] != '&' || p[1] != '#')
		return 0;
	const char *q = p + 2;
	bool hex = *q == 'x' || *q == 'X';
	q += hex;
	uint32_t x = 0;
	const char *digits = q;
	for (; q < end && (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q)); q++) {
		int d = isdigit((unsigned char)*q) ? *q - '0' : tolower((unsigned char)*q) - 'a' + 10;
		x = x > 0x10FFFF ? 0x110000 : x * (hex ? 16 : 10) + (uint32_t)d;
	}
	if (q == digits || q >= end || *q != ';')
		return 0;
	*v = x > 0x10FFFF ? 0x110000 : x;
	return (size_t)(q + 1 - p);
}

/* The code point at p and its length: a numeric reference when refs (in
 * text), else UTF-8 (an invalid byte reads as U+FFFD). */
static uint32_t next_cp(const char *p, const char *end, bool refs, size_t *len)
{
	uint32_t v;
	if (refs && *p == '&' && (*len = numeric_ref(p, end, &v)))
		return v;
	*len = utf8_decode(p, (size_t)(end - p), &v);
	return v == UTF8_INVALID ? 0xFFFD : v;
}

/* }====================================================================== */

/* {======================================================================
 * Escape sequences: how many bytes after an introducer belong to it (0:
 * what follows is not a sequence, only the introducer goes)
 * ======================================================================= */

/* Parameters, intermediates and a final byte; 8-bit CSI needs a
 * parameter, since a lone U+009B before a letter is windows-1252 text. */
static size_t csi_body(const char *p, const char *end, bool refs, bool need_param)
{
	const char *q = p;
	size_t len = 0;
	uint32_t c = 0;
	int params = 0;
	while (q < end && (c = next_cp(q, end, refs, &len)) >= 0x30 && c <= 0x3F && params <= MAX_PARAMS)
		q += len, params++;
	while (q < end && c >= 0x20 && c <= 0x2F && (q - p) < MAX_STRING)
		q += len, c = q < end ? next_cp(q, end, refs, &len) : 0;
	if (q >= end || params > MAX_PARAMS || (need_param && params == 0) || c < 0x40 || c > 0x7E)
		return 0;
	return (size_t)(q + len - p);
}

/* An OSC/DCS/SOS/PM/APC string up to its terminator (BEL, ST, ESC \). */
static size_t string_body(const char *p, const char *end, bool refs)
{
	const char *q = p;
	while (q < end && q - p < MAX_STRING) {
		size_t len;
		uint32_t c = next_cp(q, end, refs, &len);
		if (c == 0x07 || c == 0x9C)
			return (size_t)(q + len - p);
		if (c == ESC) {
			size_t l2;
			bool st = q + len < end && next_cp(q + len, end, refs, &l2) == '\\';
			return st ? (size_t)(q + len + l2 - p) : 0;
		}
		q += len;
	}
	return 0;
}

static bool is_string_intro(uint32_t c)
{
	return c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_' || /* after ESC */
	       c == 0x9D || c == 0x90 || c == 0x98 || c == 0x9E || c == 0x9F; /* 8-bit */
}

static size_t esc_body(const char *p, const char *end, bool refs)
{
	if (p >= end)
		return 0;
	size_t len, body;
	uint32_t c = next_cp(p, end, refs, &len);
	if (c == '[')
		return (body = csi_body(p + len, end, refs, false)) ? len + body : 0;
	if (is_string_intro(c) && c < 0x80)
		return (body = string_body(p + len, end, refs)) ? len + body : 0;
	const char *q = p;
	while (c >= 0x20 && c <= 0x2F && q + len < end && q - p < 16) /* ESC ( B */
		q += len, c = next_cp(q, end, refs, &len);
	return c >= 0x30 && c <= 0x7E ? (size_t)(q + len - p) : 0;
}

/* After a C1 control: the rest of its sequence, or 0 when it stands alone
 * (and is then windows-1252 text). */
static size_t c1_body(uint32_t c, const char *p, const char *end, bool refs)
{
	if (c == 0x9B)
		return csi_body(p, end, refs, true);
	return is_string_intro(c) ? string_body(p, end, refs) : 0;
}

/* }====================================================================== */

/* {======================================================================
 * Characters and references
 * ======================================================================= */

/* One code point c (read from p[0..len)) of text: dropped, replaced or
 * copied. Returns where the text goes on. */
static const char *code_point(Prep *x, uint32_t c, const char *p, size_t len, const char *end,
                              bool refs, bool is_ref)
{
	const char *after = p + len;
	if (c == ESC)
		return after + esc_body(after, end, refs);
	if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
		return after; /* not allowed in XML, and nothing to show */
	if (c >= 0x80 && c < 0xA0) {
		size_t body = c1_body(c, after, end, refs);
		if (body)
			return after + body;
		if (!is_ref) { /* legal XML: news.text reads it, after its repairs */
			put(x, p, len);
			return after;
		}
		c = charset_cp1252((unsigned char)c);
	} else if (c == 0xFFFE || c == 0xFFFF || c > 0x10FFFF) {
		c = 0xFFFD;
	} else if (is_ref) {
		c = charset_ref(c);
	} else if (c != 0xFFFD || starts(p, end, "\xEF\xBF\xBD")) {
		put(x, p, len); /* the common case: copied as it is */
		return after;
	}
	if (is_ref)
		put_ref(x, c);
	else
		put_cp(x, c);
	return after;
}

bool xmlprep_entity(const char *name, size_t n, uint32_t *cp)
{
	static const struct {
		const char *name;
		uint32_t cp;
	} XML[] = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
	char z[MAX_NAME + 1];
	if (n == 0 || n > MAX_NAME)
		return false;
	memcpy(z, name, n);
	z[n] = 0;
	for (size_t i = 0; i < sizeof XML / sizeof XML[0]; i++)
		if (strcmp(z, XML[i].name) == 0)
			return *cp = XML[i].cp, true;
	const htmlEntityDesc *h = htmlEntityLookup((const xmlChar *)z);
	if (!h)
		return false;
	*cp = h->value;
	return true;
}

size_t xmlprep_ref(const char *p, const char *end, uint32_t *cp)
{
	static const char *const LEGACY[] = {"amp", "lt", "gt", "quot", "nbsp", "copy", "reg"};
	uint32_t v;
	size_t len = numeric_ref(p, end, &v);
	if (len) {
		*cp = v > 0x10FFFF ? 0xFFFD : charset_ref(v);
		return len;
	}
	const char *q = p + 1;
	while (q < end && q - p <= MAX_NAME && isalnum((unsigned char)*q))
		q++;
	size_t n = (size_t)(q - p - 1);
	if (n == 0 || *p != '&')
		return 0;
	if (q < end && *q == ';')
		return xmlprep_entity(p + 1, n, cp) ? n + 2 : 0;
	if (q < end && *q == '=')
		return 0; /* a query string: "?a=1&lt=2" */
	for (size_t i = 0; i < sizeof LEGACY / sizeof LEGACY[0]; i++)
		if (strlen(LEGACY[i]) == n && memcmp(p + 1, LEGACY[i], n) == 0)
			return xmlprep_entity(p + 1, n, cp) ? n + 1 : 0;
	return 0;
}

/* Whether the DOCTYPE's internal subset declares entity name[0..n). */
static bool declared(Prep *x, const char *name, size_t n)
{
	const char *p = x->subset;
	while (p && p < x->subset_end) {
		const char *e = memmem(p, (size_t)(x->subset_end - p), "<!ENTITY", 8);
		if (!e)
			return false;
		const char *q = e + 8;
		while (q < x->subset_end && isspace((unsigned char)*q))
			q++;
		if ((size_t)(x->subset_end - q) > n && memcmp(q, name, n) == 0 && isspace((unsigned char)q[n]))
			return true;
		p = e + 8;
	}
	return false;
}

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_' || c == ':';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == ':' || c == '-' || c == '.';
}

/* A '&' in text: a reference made numeric, or an escaped '&'. */
static const char *reference(Prep *x, const char *p, const char *end)
{
	uint32_t v;
	size_t len = numeric_ref(p, end, &v);
	if (len)
		return code_point(x, v, p, len, end, true, true);
	const char *q = p + 1;
	while (q < end && q - p <= MAX_NAME && name_char(*q))
		q++;
	if (q < end && *q == ';' && q > p + 1 && name_start(p[1])) {
		size_t n = (size_t)(q - p - 1);
		if (declared(x, p + 1, n)) {
			put(x, p, n + 2);
			return q + 1;
		}
		if (xmlprep_entity(p + 1, n, &v)) {
			put_ref(x, v);
			return q + 1;
		}
	}
	put(x, "&#38;", 5); /* bare, or undefined: the rest reads as written */
	return p + 1;
}

/* }====================================================================== */

/* {======================================================================
 * Markup
 * ======================================================================= */

/* Printable ASCII other than '<', '&' and ']' (and tab, line breaks):
 * copied in runs, the common case by far. */
static bool plain(unsigned char c, bool markup_too)
{
	if (c >= 0x20 && c < 0x7F)
		return markup_too || (c != '<' && c != '&' && c != ']');
	return c == '\t' || c == '\n' || c == '\r';
}

static const char *plain_run(Prep *x, const char *p, const char *end, bool markup_too)
{
	const char *q = p;
	while (q < end && plain((unsigned char)*q, markup_too))
		q++;
	put(x, p, (size_t)(q - p));
	return q;
}

/* Copies p[0..stop) raw, but for control characters. */
static const char *raw(Prep *x, const char *p, const char *stop)
{
	while (p < stop) {
		p = plain_run(x, p, stop, true);
		if (p >= stop)
			break;
		size_t len;
		uint32_t c = next_cp(p, stop, false, &len);
		p = code_point(x, c, p, len, stop, false, false);
	}
	return stop;
}

/* End of the DOCTYPE at p, past its internal subset; *open and *close delimit
 * the subset (NULL when it has none). */
static const char *doctype_end(const char *p, const char *end, const char **open, const char **close)
{
	const char *gt = memchr(p, '>', (size_t)(end - p));
	const char *br = memchr(p, '[', (size_t)(end - p));
	*open = *close = NULL;
	if (!br || (gt && gt < br))
		return gt ? gt + 1 : end;
	*open = br + 1;
	*close = end;
	for (const char *q = br + 1; (q = memchr(q, ']', (size_t)(end - q))); q++) {
		const char *r = q + 1; /* "]>" or "] >" */
		while (r < end && isspace((unsigned char)*r))
			r++;
		if (r < end && *r == '>') {
			*close = q;
			return r + 1;
		}
	}
	return end;
}

/* {======================================================================
 * Tags, balanced: libxml2's recovery takes a mismatched end tag as the end
 * of the innermost element, so one unclosed <br> or <b> in an item would
 * nest every later element, and item, inside it. Here an end tag closes
 * the open element it names (in any case), closing those opened inside it
 * first; an end tag that closes nothing open is dropped; what is still
 * open at the end is closed. A well-formed document is unchanged.
 * ======================================================================= */

static bool tag_name_char(char c)
{
	return name_char(c) || (unsigned char)c >= 0x80;
}

/* The '>' that ends the tag whose name ended at q (quoted values may hold
 * '>'), or NULL when it never ends. */
static const char *tag_end(const char *q, const char *end)
{
	char quote = 0;
	for (const char *r = q; r < end; r++) {
		if (quote) {
			if (*r == quote)
				quote = 0;
		} else if (*r == '"' || *r == '\'') {
			quote = *r;
		} else if (*r == '>') {
			return r;
		} else if (*r == '<') {
			break;
		}
	}
	const char *gt = memchr(q, '>', (size_t)(end - q)); /* a quote never closed */
	const char *lt = memchr(q, '<', (size_t)(end - q));
	return gt && (!lt || gt < lt) ? gt : NULL;
}

static void put_end(Prep *x, const Open *o)
{
	put(x, "</", 2);
	put(x, o->name, o->len);
	put(x, ">", 1);
}

/* The innermost open element named name[0..n): exactly, else in another
 * case; -1 when none is. */
static long find_open(Prep *x, const char *name, size_t n)
{
	for (int exact = 1; exact >= 0; exact--)
		for (size_t i = x->depth; i-- > 0;)
			if (x->open[i].len == n &&
			    (exact ? memcmp(x->open[i].name, name, n) == 0 : strncasecmp(x->open[i].name, name, n) == 0))
				return (long)i;
	return -1;
}

static void close_to(Prep *x, size_t i)
{
	while (x->depth > i)
		put_end(x, &x->open[--x->depth]);
}

/* Local name (after any prefix) of an open element, compared in any case. */
static bool local_is(const Open *o, const char *what)
{
	const char *colon = memchr(o->name, ':', o->len);
	const char *l = colon ? colon + 1 : o->name;
	size_t n = o->len - (size_t)(l - o->name);
	return strlen(what) == n && strncasecmp(l, what, n) == 0;
}

static bool is_entry(const Open *o)
{
	return local_is(o, "item") || local_is(o, "entry");
}

/* An item or entry starts: items never nest, and no markup left open in
 * the channel (an unclosed <p> in its description) holds one. */
static void entry_starts(Prep *x)
{
	for (size_t i = x->depth; i-- > 0;) {
		const Open *o = &x->open[i];
		if (is_entry(o)) {
			close_to(x, i);
			return;
		}
		if (local_is(o, "channel") || local_is(o, "feed") || local_is(o, "rdf") || local_is(o, "rss")) {
			close_to(x, i + 1);
			return;
		}
	}
}

/* The attributes of a start tag, up to and with its '>': references fixed
 * and controls handled as in text, a '<' (not allowed there) escaped. */
static void attributes(Prep *x, const char *p, const char *gt)
{
	while (p <= gt && x->out.ok) {
		size_t len;
		if (*p == '&') {
			p = reference(x, p, gt + 1);
		} else if (*p == '<') {
			put(x, "&#60;", 5);
			p++;
		} else {
			uint32_t c = next_cp(p, gt + 1, false, &len);
			p = code_point(x, c, p, len, gt + 1, false, false);
		}
	}
}

/* A start or end tag at p ("<name" or "</name"). */
static const char *tag(Prep *x, const char *p, const char *end)
{
	bool closing = p[1] == '/';
	const char *name = p + 1 + closing, *q = name;
	while (q < end && tag_name_char(*q))
		q++;
	size_t n = (size_t)(q - name);
	const char *gt = n ? tag_end(q, end) : NULL;
	if (!gt) {
		put(x, "&#60;", 5); /* never a tag: text */
		return p + 1;
	}
	if (closing) {
		long i = find_open(x, name, n);
		if (i >= 0)
			close_to(x, (size_t)i);
		return gt + 1;
	}
	Open self = {name, n};
	if (is_entry(&self))
		entry_starts(x);
	put(x, p, (size_t)(q - p));
	attributes(x, q, gt);
	if (gt[-1] != '/' && x->depth < MAX_DEPTH) {
		if (!ARRAY_RESERVE(x->open, x->open_cap, x->depth + 1)) {
			x->out.ok = false;
			return end;
		}
		x->open[x->depth++] = (Open){name, n};
	}
	return gt + 1;
}

/* }====================================================================== */

/* A '<': markup copied raw (CDATA, comment, PI, DOCTYPE), a tag, or a
 * literal '<' escaped. */
static const char *markup(Prep *x, const char *p, const char *end)
{
	static const struct {
		const char *open, *close;
	} RAW[] = {{"<![CDATA[", "]]>"}, {"<!--", "-->"}, {"<?", "?>"}};
	for (size_t i = 0; i < sizeof RAW / sizeof RAW[0]; i++) {
		size_t ol = strlen(RAW[i].open), cl = strlen(RAW[i].close);
		if (!starts(p, end, RAW[i].open))
			continue;
		const char *c = memmem(p + ol, (size_t)(end - p - ol), RAW[i].close, cl);
		return raw(x, p, c ? c + cl : end);
	}
	if (starts(p, end, "<!DOCTYPE")) {
		const char *o, *c;
		return raw(x, p, doctype_end(p, end, &o, &c));
	}
	char n = p + 1 < end ? p[1] : 0;
	if (name_start(n) || n == '/' || (unsigned char)n >= 0x80)
		return tag(x, p, end);
	put(x, "&#60;", 5); /* "a < b": not markup */
	return p + 1;
}

/* }====================================================================== */

bool xmlprep_clean(const char *in, size_t n, char **out, size_t *outlen)
{
	Prep x = {.out.ok = true};
	const char *p = in, *end = in + n;
	const char *dt = memmem(in, n, "<!DOCTYPE", 9);
	if (dt)
		doctype_end(dt, end, &x.subset, &x.subset_end);
	put(&x, "", 0);
	while (p < end && x.out.ok) {
		if (*p == '<')
			p = markup(&x, p, end);
		else if (*p == '&')
			p = reference(&x, p, end);
		else if (*p == ']' && starts(p, end, "]]>")) {
			put(&x, "]]&#62;", 7);
			p += 3;
		} else if (plain((unsigned char)*p, false)) {
			p = plain_run(&x, p, end, false);
		} else {
			size_t len;
			uint32_t c = next_cp(p, end, false, &len);
			p = code_point(&x, c, p, len, end, true, false);
		}
	}
	close_to(&x, 0);
	free(x.open);
	if (!x.out.ok) {
		free(x.out.s);
		return false;
	}
	*out = x.out.s;
	*outlen = x.out.n;
	return true;
}
