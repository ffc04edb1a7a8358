/* A document's bytes to UTF-8 (charset.h). Candidates are tried in order
 * and the first that decodes without an error wins; UTF-8 and
 * windows-1252 are decoded here (they are the common case and the last
 * resort), every other encoding through iconv. */
#include "lua/charset.h"
#include "buffer/array.h"
#include "buffer/utf8.h"
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct Out {
	char *p;
	size_t len, cap;
} Out;

static bool out_add(Out *o, const char *s, size_t n)
{
	if (!ARRAY_RESERVE(o->p, o->cap, o->len + n + 1))
		return false;
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = 0;
	return true;
}

static bool out_cp(Out *o, uint32_t cp)
{
	char buf[4];
	return out_add(o, buf, utf8_encode(cp, buf));
}

/* {======================================================================
 * Labels: what browsers take each name to mean (the WHATWG Encoding
 * Standard's table, the parts feeds use), then iconv's own names.
 * ======================================================================= */

static const struct {
	const char *label, *name;
} ALIASES[] = {
	/* Latin-1 and ASCII labels mean windows-1252, its superset */
	{"iso-8859-1", "windows-1252"}, {"iso8859-1", "windows-1252"}, {"iso_8859-1", "windows-1252"},
	{"latin1", "windows-1252"}, {"latin-1", "windows-1252"}, {"l1", "windows-1252"},
	{"iso-ir-100", "windows-1252"}, {"cp819", "windows-1252"}, {"ibm819", "windows-1252"},
	{"csisolatin1", "windows-1252"}, {"iso_8859-1:1987", "windows-1252"},
	{"us-ascii", "windows-1252"}, {"ascii", "windows-1252"}, {"ansi_x3.4-1968", "windows-1252"},
	{"x-cp1252", "windows-1252"}, {"cp1252", "windows-1252"}, {"windows-1252", "windows-1252"},
	{"utf-8", "utf-8"}, {"utf8", "utf-8"}, {"unicode-1-1-utf-8", "utf-8"}, {"x-unicode20utf8", "utf-8"},
	/* supersets, as browsers decode them */
	{"iso-8859-9", "WINDOWS-1254"}, {"latin5", "WINDOWS-1254"}, {"l5", "WINDOWS-1254"},
	{"iso-8859-11", "CP874"}, {"tis-620", "CP874"}, {"windows-874", "CP874"},
	{"gb2312", "GBK"}, {"gb_2312-80", "GBK"}, {"x-gbk", "GBK"}, {"chinese", "GBK"},
	{"csgb2312", "GBK"}, {"euc-kr", "CP949"}, {"ks_c_5601-1987", "CP949"}, {"korean", "CP949"},
	{"csksc56011987", "CP949"}, {"windows-949", "CP949"}, {"shift_jis", "CP932"},
	{"shift-jis", "CP932"}, {"sjis", "CP932"}, {"x-sjis", "CP932"}, {"ms_kanji", "CP932"},
	{"windows-31j", "CP932"}, {"csshiftjis", "CP932"}, {"big5", "BIG5-HKSCS"},
	{"cn-big5", "BIG5-HKSCS"}, {"x-x-big5", "BIG5-HKSCS"}, {"csbig5", "BIG5-HKSCS"},
	/* names iconv spells differently */
	{"x-mac-roman", "MACINTOSH"}, {"mac", "MACINTOSH"}, {"cp_is", "IBM861"}, {"cp-is", "IBM861"},
	{"csibm861", "IBM861"}, {"unicode", "UTF-16"}, {"ucs-2", "UTF-16"}, {"ucs-4", "UTF-32"},
	{"iso-10646-ucs-2", "UTF-16"}, {"iso-10646-ucs-4", "UTF-32"},
};

static bool iconv_knows(const char *name)
{
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

bool charset_label(const char *label, char *out, size_t cap)
{
	char l[CHARSET_NAME_MAX];
	size_t n = 0;
	while (*label == ' ' || *label == '"' || *label == '\'')
		label++;
	for (; *label && *label != '"' && *label != '\'' && *label != ' ' && *label != ';'; label++) {
		if (n + 1 >= sizeof l || (unsigned char)*label >= 0x80 || iscntrl((unsigned char)*label))
			return false;
		l[n++] = (char)tolower((unsigned char)*label);
	}
	l[n] = 0;
	if (n == 0)
		return false;
	for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
		if (strcmp(l, ALIASES[i].label) == 0) {
			snprintf(out, cap, "%s", ALIASES[i].name);
			return true;
		}
	/* iconv's names, also with Python's underscores for hyphens */
	for (int pass = 0; pass < 2; pass++) {
		char up[CHARSET_NAME_MAX];
		for (size_t i = 0; i <= n; i++)
			up[i] = (char)(pass && l[i] == '_' ? '-' : toupper((unsigned char)l[i]));
		if (iconv_knows(up)) {
			snprintf(out, cap, "%s", up);
			return true;
		}
	}
	return false;
}

/* }====================================================================== */

/* {======================================================================
 * Decoders
 * ======================================================================= */

/* windows-1252 0x80-0x9F; the five bytes it leaves undefined map to the
 * C1 controls of the same value, as browsers map them. */
static const uint16_t CP1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

uint32_t charset_cp1252(unsigned char b)
{
	return b >= 0x80 && b < 0xA0 ? CP1252[b - 0x80] : b;
}

uint32_t charset_ref(uint64_t v)
{
	if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0xFFFD;
	return v < 0x100 ? charset_cp1252((unsigned char)v) : (uint32_t)v;
}

static bool dec_cp1252(const char *in, size_t n, Out *o)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)in[i];
		if (!(b < 0x80 ? out_add(o, in + i, 1) : out_cp(o, charset_cp1252(b))))
			return false;
	}
	return true;
}

/* Length of the valid UTF-8 at the start of in[0..n). */
static size_t utf8_valid(const char *in, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if ((unsigned char)in[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t len = utf8_decode(in + i, n - i, &cp);
		if (cp == UTF8_INVALID)
			break;
		i += len;
	}
	return i;
}

/* Strict UTF-8: *bad at the first invalid sequence. With lenient, each
 * invalid byte is read as windows-1252 instead. */
static bool dec_utf8(const char *in, size_t n, Out *o, bool lenient, bool *bad)
{
	size_t i;
	while ((i = utf8_valid(in, n)) < n) {
		*bad = true;
		if (!lenient)
			return true;
		if (!out_add(o, in, i) || !out_cp(o, charset_cp1252((unsigned char)in[i])))
			return false;
		in += i + 1, n -= i + 1;
	}
	return out_add(o, in, n);
}

/* Any other encoding, strictly: *bad on an invalid or truncated sequence
 * or an encoding iconv does not have. */
static bool dec_iconv(const char *name, const char *in, size_t n, Out *o, bool *bad)
{
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1) {
		*bad = true;
		return true;
	}
	char *ip = (char *)in;
	size_t left = n;
	bool ok = true;
	while (ok && left > 0) {
		if (!ARRAY_RESERVE(o->p, o->cap, o->len + left * 2 + 16)) {
			ok = false;
			break;
		}
		char *op = o->p + o->len;
		size_t room = o->cap - o->len - 1;
		size_t r = iconv(cd, &ip, &left, &op, &room);
		o->len = (size_t)(op - o->p);
		o->p[o->len] = 0;
		if (r == (size_t)-1 && errno != E2BIG) {
			*bad = true;
			break;
		}
	}
	if (ok && !*bad && ARRAY_RESERVE(o->p, o->cap, o->len + 64)) {
		char *op = o->p + o->len; /* the shift sequence a stateful encoding ends with */
		size_t room = o->cap - o->len - 1;
		if (iconv(cd, NULL, NULL, &op, &room) == (size_t)-1)
			*bad = true;
		o->len = (size_t)(op - o->p);
		o->p[o->len] = 0;
	}
	iconv_close(cd);
	return ok;
}

/* Decodes with one encoding; *bad when the bytes are not in it. */
static bool decode_as(const char *name, const char *in, size_t n, Out *o, bool *bad)
{
	o->len = 0;
	if (!ARRAY_RESERVE(o->p, o->cap, 1))
		return false;
	o->p[0] = 0;
	*bad = false;
	if (strcmp(name, "utf-8") == 0)
		return dec_utf8(in, n, o, false, bad);
	if (strcmp(name, "windows-1252") == 0)
		return dec_cp1252(in, n, o);
	return dec_iconv(name, in, n, o, bad);
}

/* }====================================================================== */

/* {======================================================================
 * What the first bytes say: byte order mark, how "<?xml" is written, and
 * the encoding declared.
 * ======================================================================= */

typedef enum Family { ASCII, EBCDIC, U16LE, U16BE, U32LE, U32BE } Family;

static const char *const FAMILY_NAME[] = {"utf-8", "CP037", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"};

static bool has(const char *doc, size_t n, const char *bytes, size_t k)
{
	return n >= k && memcmp(doc, bytes, k) == 0;
}

/* The byte order mark's length (0: none) and family. */
static size_t bom(const char *doc, size_t n, Family *f)
{
	if (has(doc, n, "\xEF\xBB\xBF", 3))
		return *f = ASCII, 3;
	if (has(doc, n, "\xFF\xFE\0\0", 4))
		return *f = U32LE, 4;
	if (has(doc, n, "\0\0\xFE\xFF", 4))
		return *f = U32BE, 4;
	if (has(doc, n, "\xFF\xFE", 2))
		return *f = U16LE, 2;
	if (has(doc, n, "\xFE\xFF", 2))
		return *f = U16BE, 2;
	return 0;
}

/* XML 1.0 appendix F: "<?" as its encoding writes it. */
static Family sniff(const char *doc, size_t n)
{
	if (has(doc, n, "\0\0\0<", 4))
		return U32BE;
	if (has(doc, n, "<\0\0\0", 4))
		return U32LE;
	if (has(doc, n, "\0<\0?", 4))
		return U16BE;
	if (has(doc, n, "<\0?\0", 4))
		return U16LE;
	if (has(doc, n, "\x4C\x6F\xA7\x94", 4))
		return EBCDIC;
	return ASCII;
}

/* The encoding="..." of an XML declaration in ASCII text, into out. */
static bool declared_in(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (n - i < 5 || memcmp(s + i, "<?xml", 5) != 0)
		return false;
	const char *end = memmem(s + i, n - i, "?>", 2);
	const char *e = memmem(s + i, end ? (size_t)(end - s - i) : n - i, "encoding", 8);
	if (!e)
		return false;
	const char *p = e + 8, *lim = end ? end : s + n;
	while (p < lim && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= lim || *p++ != '=')
		return false;
	while (p < lim && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= lim || (*p != '"' && *p != '\''))
		return false;
	char q = *p++;
	size_t k = 0;
	while (p < lim && *p != q && k + 1 < cap)
		out[k++] = *p++;
	out[k] = 0;
	return p < lim && *p == q && k > 0;
}

/* The declared encoding, read in the family the first bytes show. */
static bool declared(const char *doc, size_t n, Family f, char *out, size_t cap)
{
	size_t head = n < 1024 ? n : 1024;
	if (f == ASCII)
		return declared_in(doc, head, out, cap);
	head -= head % 4; /* whole code units */
	Out o = {0};
	bool bad, found = false;
	if (decode_as(FAMILY_NAME[f], doc, head, &o, &bad) && o.p)
		found = declared_in(o.p, o.len, out, cap);
	free(o.p);
	return found;
}

/* }====================================================================== */

/* {======================================================================
 * Choosing
 * ======================================================================= */

typedef struct Chooser {
	const char *doc;
	size_t n;
	Family family;
	Out out;
	char tried[8][CHARSET_NAME_MAX];
	int ntried;
} Chooser;

/* Whether an encoding can be this document's: it must read the document's
 * first ASCII bytes as the family the document is written in does. */
static bool fits(Chooser *c, const char *name)
{
	size_t k = 0;
	if (c->family == EBCDIC)
		k = 4; /* "<?xm" */
	else
		while (k < c->n && k < 64 && (unsigned char)c->doc[k] < 0x80 && c->doc[k])
			k++;
	k -= k % 4;
	if (k == 0)
		return true;
	Out a = {0}, b = {0};
	bool bad1 = false, bad2 = false, same = false;
	if (decode_as(name, c->doc, k, &a, &bad1) && decode_as(FAMILY_NAME[c->family], c->doc, k, &b, &bad2))
		same = !bad1 && !bad2 && a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
	free(a.p);
	free(b.p);
	return same;
}

/* Tries one label: 1 when it decoded the document, 0 when not, -1 when
 * out of memory. */
static int try_label(Chooser *c, const char *label, CharsetResult *r)
{
	char name[CHARSET_NAME_MAX];
	if (!label || !charset_label(label, name, sizeof name))
		return 0;
	for (int i = 0; i < c->ntried; i++)
		if (strcmp(c->tried[i], name) == 0)
			return 0;
	if (c->ntried < 8)
		snprintf(c->tried[c->ntried++], CHARSET_NAME_MAX, "%s", name);
	/* UTF-16/32 labels name a family that the first bytes already fixed */
	bool wide = strncasecmp(name, "UTF-16", 6) == 0 || strncasecmp(name, "UTF-32", 6) == 0;
	if (wide != (c->family >= U16LE))
		return 0;
	if (wide)
		snprintf(name, sizeof name, "%s", FAMILY_NAME[c->family]);
	else if (!fits(c, name))
		return 0;
	bool bad;
	if (!decode_as(name, c->doc, c->n, &c->out, &bad))
		return -1;
	if (bad)
		return 0;
	snprintf(r->name, sizeof r->name, "%s", name);
	return 1;
}

/* Whether a label names a multi-byte encoding: one whose decoding fails on
 * most text written in another, so that success is evidence. */
static bool is_multibyte(const char *label)
{
	static const char *const MB[] = {"utf-", "UTF-", "GB", "CP949", "EUC", "CP932", "SHIFT",
		"BIG5", "ISO-2022", "HZ", "CP936", "CP950", "JOHAB"};
	char name[CHARSET_NAME_MAX];
	if (!label || !charset_label(label, name, sizeof name))
		return false;
	for (size_t i = 0; i < sizeof MB / sizeof MB[0]; i++)
		if (strncmp(name, MB[i], strlen(MB[i])) == 0)
			return true;
	return false;
}

static bool has_8bit(const char *doc, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)doc[i] >= 0x80)
			return true;
	return false;
}

/* Drops a U+FEFF left at the start (iconv keeps a UTF-16 BOM as text). */
static void drop_bom(Out *o)
{
	if (o->len >= 3 && memcmp(o->p, "\xEF\xBB\xBF", 3) == 0) {
		memmove(o->p, o->p + 3, o->len - 2);
		o->len -= 3;
	}
}

bool charset_decode(const char *doc, size_t n, const char *forced, const char *http, CharsetResult *r)
{
	Chooser c = {.doc = doc, .n = n};
	memset(r, 0, sizeof *r);
	size_t skip = bom(doc, n, &c.family);
	if (!skip)
		c.family = sniff(doc, n);
	char decl[CHARSET_NAME_MAX] = "";
	bool has_decl = declared(doc, n, c.family, decl, sizeof decl);
	const char *order[8];
	int k = 0;
	order[k++] = forced;
	if (skip) /* a byte order mark is the one sure sign */
		order[k++] = FAMILY_NAME[c.family];
	/* A multi-byte label that decodes 8-bit text is better evidence than a
	 * single-byte one, which decodes anything: tried first. */
	if (has_8bit(doc, n)) {
		if (is_multibyte(decl))
			order[k++] = decl;
		if (is_multibyte(http))
			order[k++] = http;
	}
	order[k++] = has_decl ? decl : NULL;
	order[k++] = http;
	order[k++] = c.family == ASCII ? "utf-8" : FAMILY_NAME[c.family];
	int got = 0;
	for (int i = 0; i < k && got == 0; i++)
		got = try_label(&c, order[i], r);
	if (got < 0) {
		free(c.out.p);
		return false;
	}
	if (got == 0) { /* the last resort never fails */
		bool bad = false;
		c.out.len = 0;
		if (!dec_utf8(doc, n, &c.out, true, &bad)) {
			free(c.out.p);
			return false;
		}
		snprintf(r->name, sizeof r->name, "%s", bad ? "utf-8+windows-1252" : "utf-8");
	}
	if (!c.out.p && !out_add(&c.out, "", 0))
		return false;
	drop_bom(&c.out);
	r->text = c.out.p;
	r->len = c.out.len;
	return true;
}
