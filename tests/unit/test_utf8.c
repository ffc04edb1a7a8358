/* UTF-8: decoding (invalid bytes one at a time), display widths (CJK,
 * combining marks, emoji, controls), grapheme clusters both ways
 * (combining marks, flags, ZWJ sequences, CRLF, invalid bytes), columns. */
#include "buffer/utf8.h"
#include "tests/unit/tap.h"

static Text *text_of(const char *s, size_t n)
{
	Text *t = text_new();
	if (!t || !text_insert(t, 0, s, n))
		BAIL_OUT("cannot make a text");
	return t;
}

#define TEXT(s) text_of(s, sizeof(s) - 1)

static void test_decode(void)
{
	uint32_t cp;
	is_size(utf8_decode("a", 1, &cp), 1, "ASCII: 1 byte");
	is_int(cp, 'a', "ASCII code point");
	is_size(utf8_decode("\xc3\xa9", 2, &cp), 2, "é: 2 bytes");
	is_int(cp, 0xe9, "é code point");
	is_size(utf8_decode("\xe4\xb8\xad", 3, &cp), 3, "中: 3 bytes");
	is_int(cp, 0x4e2d, "中 code point");
	is_size(utf8_decode("\xf0\x9f\x98\x80z", 5, &cp), 4, "😀: 4 bytes");
	is_int(cp, 0x1f600, "😀 code point");
	is_size(utf8_decode("", 0, &cp), 0, "nothing: 0 bytes");
	is_int(cp, UTF8_INVALID, "nothing: invalid");
	is_size(utf8_decode("\0", 1, &cp), 1, "NUL decodes");
	is_int(cp, 0, "NUL is U+0000");

	static const struct {
		const char *s;
		size_t n;
		const char *what;
	} bad[] = {
		{"\xff", 1, "0xff"},
		{"\x80", 1, "a lone continuation byte"},
		{"\xc3", 1, "a truncated sequence at the end"},
		{"\xc3(", 2, "a lead byte followed by ASCII"},
		{"\xe2\x82", 2, "a truncated 3-byte sequence"},
		{"\xc0\x80", 2, "an overlong NUL"},
		{"\xed\xa0\x80", 3, "a UTF-16 surrogate"},
		{"\xf4\x90\x80\x80", 4, "past U+10FFFF"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t n = utf8_decode(bad[i].s, bad[i].n, &cp);
		ok(n == 1 && cp == UTF8_INVALID, "invalid: %s decodes as one invalid byte", bad[i].what);
	}

	char out[4];
	is_size(utf8_encode(0x20ac, out), 3, "encode €: 3 bytes");
	is_mem(out, 3, "\xe2\x82\xac", 3, "encode € bytes");
	is_size(utf8_encode(0x1f600, out), 4, "encode 😀: 4 bytes");
	is_size(utf8_encode(0x110000, out), 0, "encode past U+10FFFF: nothing");

	Text *t = TEXT("a\xc3\xa9\xff\xe4\xb8\xad");
	is_size(utf8_decode_at(t, 1, &cp), 2, "decode_at é");
	is_size(utf8_decode_at(t, 3, &cp), 1, "decode_at 0xff");
	is_int(cp, UTF8_INVALID, "decode_at 0xff is invalid");
	is_size(utf8_decode_at(t, 4, &cp), 3, "decode_at 中 at the end");
	is_size(utf8_decode_at(t, 7, &cp), 0, "decode_at the end: nothing");
	is_size(utf8_prev_char(t, 7), 4, "prev_char over 中");
	is_size(utf8_prev_char(t, 4), 3, "prev_char over an invalid byte");
	is_size(utf8_prev_char(t, 3), 1, "prev_char over é");
	is_size(utf8_prev_char(t, 2), 1, "prev_char from inside é: one byte back");
	is_size(utf8_prev_char(t, 0), 0, "prev_char at 0");
	text_free(t);
	t = TEXT("\xc3\xa9\xa9\xa9\xa9\xa9");
	is_size(utf8_prev_char(t, 6), 5, "prev_char over stray continuation bytes: one byte");
	is_size(utf8_prev_char(t, 2), 0, "prev_char over é before stray bytes");
	text_free(t);
}

static void test_width(void)
{
	is_int(utf8_width('a'), 1, "ASCII: width 1");
	is_int(utf8_width(0xe9), 1, "é: width 1");
	is_int(utf8_width(0x4e2d), 2, "CJK 中: width 2");
	is_int(utf8_width(0xac00), 2, "Hangul 가: width 2");
	is_int(utf8_width(0xff21), 2, "fullwidth Ａ: width 2");
	is_int(utf8_width(0x301), 0, "combining acute U+0301: width 0");
	is_int(utf8_width(0x200d), 0, "ZWJ: width 0");
	is_int(utf8_width(0xfe0f), 0, "variation selector 16: width 0");
	is_int(utf8_width(0x1f600), 2, "emoji 😀: width 2");
	is_int(utf8_width(0x1f1eb), 1, "a regional indicator alone: width 1");
	is_int(utf8_width('\t'), -1, "TAB is a control: -1");
	is_int(utf8_width(0), -1, "NUL: -1");
	is_int(utf8_width(0x1b), -1, "ESC: -1");
	is_int(utf8_width(0x7f), -1, "DEL: -1");
	is_int(utf8_width(0x9b), -1, "C1 CSI: -1");
	is_int(utf8_width(UTF8_INVALID), -1, "invalid: -1");
	is_int(utf8_width(0xe000), 1, "private use: width 1");
	is_int(utf8_width(0x0378), -1, "unassigned: -1");
	is_int(utf8_escape_width(1, 1), 2, "^A is 2 columns");
	is_int(utf8_escape_width(UTF8_INVALID, 0xff), 4, "<ff> is 4 columns");
}

/* Walks a text forward and backward by graphemes; returns the boundaries
 * as "a,b,c" for compact comparison. */
static const char *walk(Text *t, bool back)
{
	static char out[256];
	size_t len = text_len(t), pos = back ? len : 0, n = 0;
	out[0] = '\0';
	for (int guard = 0; guard < 64; guard++) {
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%zu", n ? "," : "", pos);
		if (back ? pos == 0 : pos == len)
			break;
		size_t next = back ? utf8_prev_grapheme(t, pos) : utf8_next_grapheme(t, pos);
		if (back ? next >= pos : next <= pos)
			return "stuck";
		pos = next;
	}
	return out;
}

static void graphemes(const char *s, size_t n, const char *fwd, const char *bwd, const char *what)
{
	Text *t = text_of(s, n);
	is_str(walk(t, false), fwd, "%s: forward", what);
	is_str(walk(t, true), bwd, "%s: backward", what);
	text_free(t);
}

#define GRAPHEMES(s, fwd, bwd, what) graphemes(s, sizeof(s) - 1, fwd, bwd, what)

static void test_graphemes(void)
{
	GRAPHEMES("abc", "0,1,2,3", "3,2,1,0", "ASCII");
	GRAPHEMES("e\xcc\x81x", "0,3,4", "4,3,0", "e + U+0301 is one cluster");
	GRAPHEMES("e\xcc\x81\xcc\xa3x", "0,5,6", "6,5,0", "e + two combining marks");
	GRAPHEMES("\xcc\x81" "a", "0,2,3", "3,2,0", "a combining mark at the start stands alone");
	/* 🇫🇷🇩🇪: two flags, four regional indicators. */
	GRAPHEMES("\xf0\x9f\x87\xab\xf0\x9f\x87\xb7\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa", "0,8,16", "16,8,0",
		  "two flags");
	/* Three regional indicators: a flag and a lone one. */
	GRAPHEMES("x\xf0\x9f\x87\xab\xf0\x9f\x87\xb7\xf0\x9f\x87\xa9", "0,1,9,13", "13,9,1,0",
		  "a flag and a lone regional indicator");
	/* 👨‍👩‍👧: man ZWJ woman ZWJ girl, one cluster. */
	GRAPHEMES("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7!", "0,18,19", "19,18,0",
		  "a ZWJ family");
	/* 👍🏽: thumbs up + skin tone modifier. */
	GRAPHEMES("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "0,8", "8,0", "emoji + skin tone");
	/* ❤️: heart + VS16. */
	GRAPHEMES("\xe2\x9d\xa4\xef\xb8\x8fx", "0,6,7", "7,6,0", "heart + variation selector");
	/* a ZWJ b: ZWJ after a letter joins nothing but itself (it extends a). */
	GRAPHEMES("a\xe2\x80\x8d" "b", "0,4,5", "5,4,0", "ZWJ after a letter");
	GRAPHEMES("a\r\nb", "0,1,3,4", "4,3,1,0", "CRLF is one cluster");
	GRAPHEMES("\xff\xfe" "a", "0,1,2,3", "3,2,1,0", "invalid bytes: one cluster each");
	GRAPHEMES("e\xff\xcc\x81", "0,1,2,4", "4,2,1,0", "an invalid byte breaks a cluster");
	/* Hangul jamo L V T: one syllable. */
	GRAPHEMES("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", "0,9", "9,0", "Hangul jamo");
	GRAPHEMES("", "0", "0", "empty text");

	/* From the middle of a cluster. */
	Text *t = TEXT("e\xcc\x81x");
	is_size(utf8_prev_grapheme(t, 3), 0, "prev from the end of a cluster");
	is_size(utf8_next_grapheme(t, 4), 4, "next at the end stays");
	is_size(utf8_next_grapheme(t, 9), 4, "next past the end clamps");
	text_free(t);
}

/* Random strings of tricky pieces: walking back by graphemes must stop at
 * exactly the boundaries a forward walk finds. */
static void test_graphemes_random(void)
{
	static const char *pieces[] = {
		"a", "e", "\xcc\x81", "\xe2\x80\x8d", "\xf0\x9f\x87\xab", "\xf0\x9f\x87\xb7",
		"\xf0\x9f\x91\xa8", "\xf0\x9f\x8f\xbd", "\xef\xb8\x8f", "\r", "\n", "\xff", "\x80",
		"\xe1\x84\x80", "\xe1\x85\xa1", "\xe4\xb8\xad", "\xe0\xa4\x95", "\xe0\xa5\x8d",
	};
	const size_t np = sizeof pieces / sizeof pieces[0];
	unsigned seed = 4242;
	bool good = true;
	int round;
	char buf[256];
	size_t len = 0;
	for (round = 0; round < 2000 && good; round++) {
		len = 0;
		for (int k = 0; k < 24; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % np];
			memcpy(buf + len, p, strlen(p));
			len += strlen(p);
		}
		Text *t = text_of(buf, len);
		bool fwd[256] = {false};
		for (size_t pos = 0; pos < len;) {
			fwd[pos] = true;
			size_t next = utf8_next_grapheme(t, pos);
			if (next <= pos) {
				good = false;
				break;
			}
			pos = next;
		}
		fwd[len] = true;
		size_t nb = 0;
		for (size_t pos = len; good && pos > 0;) {
			size_t prev = utf8_prev_grapheme(t, pos);
			good = prev < pos && fwd[prev];
			pos = prev;
			nb++;
		}
		size_t nf = 0;
		for (size_t i = 0; i < len; i++)
			nf += fwd[i];
		good = good && nb == nf;
		text_free(t);
	}
	if (!ok(good, "2000 random strings: backward grapheme walks stop where forward ones do")) {
		fputs("# failing string: ", stdout);
		tap_print_escaped(buf, len);
		putchar('\n');
	}
}

static void test_columns(void)
{
	Text *t = TEXT("a\t\xe4\xb8\xad" "e\xcc\x81\x01\xff|\n");
	/* a=1, tab to 4, 中=2 -> 6, é=1 -> 7, ^A=2 -> 9, <ff>=4 -> 13, |=1 -> 14 */
	is_size(utf8_columns(t, 0, 1, 4), 1, "columns of 'a'");
	is_size(utf8_columns(t, 0, 2, 4), 4, "a tab goes to the next stop");
	is_size(utf8_columns(t, 0, 5, 4), 6, "CJK counts 2");
	is_size(utf8_columns(t, 0, 8, 4), 7, "a combining mark counts 0");
	is_size(utf8_columns(t, 0, 9, 4), 9, "a control shows as ^X: 2");
	is_size(utf8_columns(t, 0, 10, 4), 13, "an invalid byte shows as <xx>: 4");
	is_size(utf8_columns(t, 0, 100, 4), 14, "columns stop at the newline");
	is_size(utf8_columns(t, 0, 2, 8), 8, "tab width 8");
	is_size(utf8_offset_at_column(t, 0, 0, 4), 0, "column 0 is offset 0");
	is_size(utf8_offset_at_column(t, 0, 1, 4), 1, "column 1 after 'a'");
	is_size(utf8_offset_at_column(t, 0, 2, 4), 1, "inside a tab: the tab's offset");
	is_size(utf8_offset_at_column(t, 0, 4, 4), 2, "after the tab");
	is_size(utf8_offset_at_column(t, 0, 5, 4), 2, "inside a wide char: its offset");
	is_size(utf8_offset_at_column(t, 0, 7, 4), 8, "after é: past its combining mark");
	is_size(utf8_offset_at_column(t, 0, 100, 4), 11, "past the end of the line: the newline");
	text_free(t);
}

/* Clusters and columns as terminals draw them: a ZWJ family is 2 columns,
 * a flag's regional indicators 1 + 1, an emoji + skin tone 2 + 2; a column
 * never maps to an offset inside a cluster; CRLF ends the line. */
static void test_cluster_columns(void)
{
	/* x | family (18 bytes, 2 cols) | flag (8 bytes, 2 cols) | thumb+tone (8 bytes, 4 cols) | y */
	const char s[] = "x\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"
	                 "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7" "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd" "y\n";
	Text *t = TEXT(s);
	size_t fam = 1, flag = fam + 18, thumb = flag + 8, y = thumb + 8;
	is_size(utf8_columns(t, 0, flag, 8), 3, "a ZWJ family is 2 columns");
	is_size(utf8_columns(t, 0, thumb, 8), 5, "a flag is 2 columns");
	is_size(utf8_columns(t, 0, y, 8), 9, "an emoji with a skin tone is 4 columns (2 + 2)");
	is_size(utf8_columns_from(t, fam, flag, 10, 8), 12, "columns from a given column");
	is_size(utf8_offset_at_column(t, 0, 2, 8), fam, "inside the family: its start");
	is_size(utf8_offset_at_column(t, 0, 3, 8), flag, "after the family");
	is_size(utf8_offset_at_column(t, 0, 4, 8), flag, "between the regional indicators: the flag's start");
	is_size(utf8_offset_at_column(t, 0, 7, 8), thumb, "between the emoji and its modifier: the start");
	is_size(utf8_offset_at_column(t, 0, 9, 8), y, "after the cluster");
	ok(utf8_joins(0x200d, 0x1f469), "an emoji after a ZWJ joins");
	ok(!utf8_joins(0x200d, 'a'), "a letter after a ZWJ does not");
	ok(!utf8_joins(0x1f468, 0x1f469), "two emoji without a joiner do not");
	text_free(t);
	t = TEXT("ab\r\ncd");
	is_size(utf8_offset_at_column(t, 0, 10, 8), 2, "CRLF: the line ends before the CR");
	text_free(t);
}

int main(void)
{
	test_decode();
	test_width();
	test_graphemes();
	test_graphemes_random();
	test_columns();
	test_cluster_columns();
	return done_testing();
}
