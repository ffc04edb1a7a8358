/* lua/charset.c: a document's bytes to UTF-8. Which encoding wins when
 * the byte order mark, the XML declaration, the HTTP charset and the bytes
 * disagree; labels as browsers read them; UTF-16/32 with and without a
 * byte order mark; the last resort that never fails; a random byte soup
 * always comes out as valid UTF-8. */
#include "lua/charset.h"
#include "buffer/utf8.h"
#include "tests/unit/tap.h"
#include <stdint.h>
#include <time.h>

#define DOC(s) s, sizeof(s) - 1

static void decodes(const char *doc, size_t n, const char *forced, const char *http, const char *want_text,
                    const char *want_name, const char *what)
{
	CharsetResult r;
	if (!ok(charset_decode(doc, n, forced, http, &r), "%s: decoded", what))
		return;
	ok(strstr(r.text, want_text) != NULL, "%s: text holds \"%s\" (got \"%.80s\")", what, want_text, r.text);
	is_str(r.name, want_name, "%s: read as %s", what, want_name);
	free(r.text);
}

static void test_choice(void)
{
	decodes(DOC("<?xml version='1.0'?><t>caf\xe9</t>"), NULL, NULL, "café", "utf-8+windows-1252",
	        "undeclared Latin-1: UTF-8 with windows-1252 for the bytes that are not");
	decodes(DOC("<?xml version='1.0' encoding='ISO-8859-1'?><t>It\x92s \x96</t>"), NULL, NULL, "It’s –",
	        "windows-1252", "ISO-8859-1 is read as windows-1252");
	decodes(DOC("<?xml version='1.0' encoding='us-ascii'?><t>\x80</t>"), NULL, NULL, "€", "windows-1252",
	        "ASCII too");
	decodes(DOC("<?xml version='1.0' encoding='utf-8'?><t>na\xefve</t>"), NULL, NULL, "naïve",
	        "utf-8+windows-1252", "declared UTF-8 that is not: the invalid bytes as windows-1252");
	decodes(DOC("<?xml version='1.0' encoding='koi8-r'?><t>\xf0\xd2\xc9</t>"), NULL, "iso-8859-1", "При",
	        "KOI8-R", "a declaration beats a single-byte HTTP charset");
	decodes(DOC("<?xml version='1.0' encoding='iso-8859-1'?><t>Gr\xc3\xbc\xc3\x9f""e</t>"), NULL, "utf-8",
	        "Grüße", "utf-8", "HTTP UTF-8 that decodes beats a single-byte declaration");
	decodes(DOC("<?xml version='1.0' encoding='iso-8859-1'?><t>\xd6\xd0\xce\xc4</t>"), NULL, "gb2312", "中文",
	        "GBK", "HTTP GB2312 that decodes beats a single-byte declaration");
	decodes(DOC("<?xml version='1.0' encoding='utf-8'?><t>\xe9t\xe9</t>"), NULL, "utf-8", "été",
	        "utf-8+windows-1252", "UTF-8 everywhere, Latin-1 bytes: the last resort");
	decodes(DOC("<t>\xf0\xd2\xc9</t>"), NULL, "koi8-r", "При", "KOI8-R", "HTTP charset for an undeclared document");
	decodes(DOC("<t>\xe9</t>"), "iso-8859-15", NULL, "é", "ISO-8859-15", "a forced encoding");
	decodes(DOC("<?xml version='1.0' encoding='x-no-such-thing'?><t>ok</t>"), NULL, NULL, "<t>ok</t>", "utf-8",
	        "an unknown label is skipped");
	decodes(DOC("<?xml version='1.0' encoding='utf-16'?><t>ascii</t>"), NULL, NULL, "<t>ascii</t>", "utf-8",
	        "UTF-16 declared in an ASCII document is skipped");
	decodes(DOC("<?xml version='1.0' encoding='cp037'?><t>x</t>"), NULL, NULL, "<t>x</t>", "utf-8",
	        "EBCDIC declared in an ASCII document is skipped");
	decodes(DOC("\xef\xbb\xbf<?xml version='1.0' encoding='windows-1252'?><t>\xc3\xa9</t>"), NULL, NULL, "é",
	        "utf-8", "a UTF-8 byte order mark beats the declaration");
	CharsetResult r;
	if (charset_decode(DOC("\xef\xbb\xbf<t/>"), NULL, NULL, &r)) {
		is_str(r.text, "<t/>", "the byte order mark is not in the text");
		free(r.text);
	}
}

/* s (ASCII) written as UTF-16/32 in the given byte order. */
static size_t wide(const char *s, int unit, bool big, char *out)
{
	size_t k = 0;
	for (; *s; s++)
		for (int i = 0; i < unit; i++)
			out[k++] = (char)((big ? i == unit - 1 : i == 0) ? *s : 0);
	return k;
}

static void test_wide(void)
{
	char buf[512];
	static const struct {
		int unit;
		bool big, bom;
		const char *name;
	} CASES[] = {
		{2, false, true, "UTF-16LE"}, {2, true, true, "UTF-16BE"}, {2, false, false, "UTF-16LE"},
		{2, true, false, "UTF-16BE"}, {4, false, true, "UTF-32LE"}, {4, true, true, "UTF-32BE"},
		{4, false, false, "UTF-32LE"}, {4, true, false, "UTF-32BE"},
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		size_t n = 0;
		if (CASES[i].bom) {
			uint32_t bom = 0xFEFF;
			for (int b = 0; b < CASES[i].unit; b++) {
				int shift = CASES[i].big ? 8 * (CASES[i].unit - 1 - b) : 8 * b;
				buf[n++] = (char)((bom >> shift) & 0xFF);
			}
		}
		n += wide("<?xml version='1.0' encoding='utf-16'?><t>wide</t>", CASES[i].unit, CASES[i].big, buf + n);
		char what[64];
		snprintf(what, sizeof what, "%s %s a byte order mark", CASES[i].name, CASES[i].bom ? "with" : "without");
		decodes(buf, n, NULL, NULL, "<t>wide</t>", CASES[i].name, what);
	}
}

static void test_labels(void)
{
	static const char *const PAIRS[][2] = {
		{"latin1", "windows-1252"}, {"ISO_8859-1", "windows-1252"}, {"UTF8", "utf-8"},
		{"  \"utf-8\" ", "utf-8"}, {"gb2312", "GBK"}, {"EUC-KR", "CP949"}, {"shift_jis", "CP932"},
		{"iso-8859-9", "WINDOWS-1254"}, {"koi8-r", "KOI8-R"}, {"windows-1251", "WINDOWS-1251"},
		{"ebcdic_cp_be", "EBCDIC-CP-BE"}, {"cp_is", "IBM861"}, {"macintosh", "MACINTOSH"},
	};
	char out[CHARSET_NAME_MAX];
	for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++)
		ok(charset_label(PAIRS[i][0], out, sizeof out) && strcmp(out, PAIRS[i][1]) == 0,
		   "label \"%s\" is %s (got %s)", PAIRS[i][0], PAIRS[i][1], out);
	ok(!charset_label("no-such-charset", out, sizeof out), "an unknown label");
	ok(!charset_label("", out, sizeof out), "an empty label");
	ok(!charset_label("utf-8\x01", out, sizeof out) || strcmp(out, "utf-8") == 0, "a control ends a label");
	is_int(charset_cp1252(0x92), 0x2019, "0x92 is a right quote");
	is_int(charset_cp1252(0x81), 0x81, "0x81 stays itself");
	is_int(charset_ref(146), 0x2019, "&#146; is a right quote");
	is_int(charset_ref(0xD800), 0xFFFD, "a surrogate reference is U+FFFD");
	is_int(charset_ref(0x110000), 0xFFFD, "past U+10FFFF is U+FFFD");
	is_int(charset_ref(0), 0xFFFD, "&#0; is U+FFFD");
}

/* Whatever the bytes and labels, the result is valid UTF-8 (the seed is
 * printed; BRISK_SEED=n replays it). */
static void test_random(void)
{
	const char *env = getenv("BRISK_SEED");
	unsigned seed = env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
	printf("# seed %u\n", seed);
	srand(seed);
	static const char *const LABELS[] = {NULL, "utf-8", "iso-8859-1", "gb2312", "utf-16", "koi8-r", "bogus", "shift_jis"};
	bool all = true;
	for (int round = 0; round < 300 && all; round++) {
		char doc[256];
		size_t n = (size_t)(rand() % (int)sizeof doc);
		for (size_t i = 0; i < n; i++)
			doc[i] = (char)(rand() % 256);
		if (n > 40 && rand() % 2)
			memcpy(doc, "<?xml version='1.0' encoding='", 30);
		CharsetResult r;
		const char *http = LABELS[rand() % 8], *forced = LABELS[rand() % 8];
		if (!charset_decode(doc, n, forced, http, &r))
			continue;
		for (size_t i = 0; i < r.len && all;) {
			uint32_t cp;
			i += utf8_decode(r.text + i, r.len - i, &cp);
			all = cp != UTF8_INVALID;
		}
		all = all && r.text[r.len] == 0;
		free(r.text);
	}
	ok(all, "300 random documents: always valid UTF-8, NUL-terminated");
}

int main(void)
{
	test_choice();
	test_wide();
	test_labels();
	test_random();
	return done_testing();
}
