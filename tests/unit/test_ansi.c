/* Escape sequences (editor/ansi.c): what is one, SGR to styles (16, 256,
 * 24-bit colours, attributes and their resets), stripping in place and
 * over a stream cut at every possible byte. */
#include "editor/ansi.h"
#include "tap.h"

#define LEN(s) (sizeof(s) - 1)

static void test_seq_len(void)
{
	is_size(ansi_seq_len("\033[31m", 5), 5, "CSI: SGR");
	is_size(ansi_seq_len("\033[1;38;5;208mx", 14), 13, "CSI with parameters, text after it");
	is_size(ansi_seq_len("\033[K", 3), 3, "CSI: erase in line");
	is_size(ansi_seq_len("\033[?25l", 6), 6, "CSI: private parameters");
	is_size(ansi_seq_len("\033]0;title\007", 10), 10, "OSC ended by BEL");
	is_size(ansi_seq_len("\033]8;;http://x\033\\", 15), 15, "OSC ended by ST");
	is_size(ansi_seq_len("\033(B", 3), 3, "ESC ( B: a character set");
	is_size(ansi_seq_len("\033[31", 4), 0, "cut before its final byte: none");
	is_size(ansi_seq_len("\033]0;never ended", 15), 0, "an OSC without its end: none");
	is_size(ansi_seq_len("\033", 1), 0, "a lone ESC");
	is_size(ansi_seq_len("x\033[m", 4), 0, "not at an ESC");
	is_size(ansi_seq_len("\033[3\n1m", 6), 0, "a newline is no parameter");
}

static void test_sgr(void)
{
	Style st = {0};
	ok(ansi_sgr("\033[31m", 5, &st) && st.fg == STYLE_COLOR(1) && !st.bg, "31: red");
	ok(ansi_sgr("\033[1;42m", 7, &st) && st.fg == STYLE_COLOR(1) && st.bg == STYLE_COLOR(2) && (st.attr & ST_BOLD),
	   "1;42: bold on green, red kept");
	ok(ansi_sgr("\033[22;39m", 8, &st) && !st.fg && !(st.attr & ST_BOLD) && st.bg == STYLE_COLOR(2), "22;39: resets");
	ok(ansi_sgr("\033[m", 3, &st) && style_is_plain(st), "ESC [ m resets all");
	ok(ansi_sgr("\033[92;104m", 9, &st) && st.fg == STYLE_COLOR(10) && st.bg == STYLE_COLOR(12), "bright 92 / 104");
	ok(ansi_sgr("\033[38;5;208m", 11, &st) && st.fg == STYLE_COLOR(208), "38;5;208: palette");
	ok(ansi_sgr("\033[38:5:33m", 10, &st) && st.fg == STYLE_COLOR(33), "colons as separators");
	ok(ansi_sgr("\033[48;2;255;0;0m", 15, &st) && st.bg == STYLE_COLOR(196), "48;2: 24-bit red is 196");
	ok(ansi_sgr("\033[38;2;0;0;0m", 13, &st) && st.fg == STYLE_COLOR(16), "24-bit black is 16");
	ok(ansi_sgr("\033[4;7;3;2m", 10, &st) && st.attr == (ST_UNDERLINE | ST_REVERSE | ST_ITALIC | ST_DIM),
	   "underline, reverse, italic, dim");
	ok(ansi_sgr("\033[24;27;23m", 11, &st) && st.attr == ST_DIM, "their resets");
	Style keep = st;
	ok(!ansi_sgr("\033[2K", 4, &st) && memcmp(&st, &keep, sizeof st) == 0, "not SGR: unchanged");
	ok(!ansi_sgr("\033[>4;2m", 7, &st), "private SGR-like sequence refused");
	ok(ansi_sgr("\033[38;5;999m", 11, &st), "an out of range colour is read");
	Style s2 = {.fg = STYLE_COLOR(200), .bg = STYLE_COLOR(255), .attr = ST_BOLD | ST_ITALIC};
	Style back = ansi_unpack(ansi_pack(s2));
	ok(back.fg == s2.fg && back.bg == s2.bg && back.attr == s2.attr, "pack / unpack");
	ok(ansi_pack((Style){0}) == 0, "the plain style packs to 0");
}

static void test_strip(void)
{
	char buf[64];
	static const char in[] = "\033[1;31merror\033[0m: \033]0;t\007x\033[";
	size_t n = ansi_strip(in, LEN(in), buf);
	is_mem(buf, n, "error: x\033[", 10, "sequences gone, a cut one kept");
	char inplace[] = "a\033[32mb\033[mc";
	n = ansi_strip(inplace, LEN(inplace), inplace);
	is_mem(inplace, n, "abc", 3, "in place");
	is_size(ansi_strip("plain", 5, buf), 5, "plain text as it is");
}

typedef struct Sink {
	char out[256];
	size_t n;
} Sink;

static bool sink(void *arg, const char *p, size_t n)
{
	Sink *s = arg;
	if (s->n + n > sizeof s->out)
		return false;
	memcpy(s->out + s->n, p, n);
	s->n += n;
	return true;
}

/* Every way of cutting the text in two pieces gives the same output. */
static void test_stream(void)
{
	static const char in[] = "ab\033[31mcd\033]8;;u\033\\ef\033(Bgh\033[0m\033[";
	char want[64];
	size_t wn = ansi_strip(in, LEN(in), want);
	bool all = true;
	for (size_t cut = 0; cut <= LEN(in); cut++) {
		AnsiStream as = {0};
		Sink s = {0};
		ansi_stream_feed(&as, in, cut, sink, &s);
		ansi_stream_feed(&as, in + cut, LEN(in) - cut, sink, &s);
		ansi_stream_end(&as, sink, &s);
		if (s.n != wn || memcmp(s.out, want, wn) != 0) {
			all = false;
			diag("cut at %zu differs", cut);
		}
	}
	ok(all, "a stream cut anywhere strips as the whole text does");
	AnsiStream as = {0};
	Sink s = {0};
	for (size_t i = 0; i < LEN(in); i++)
		ansi_stream_feed(&as, in + i, 1, sink, &s);
	ansi_stream_end(&as, sink, &s);
	is_mem(s.out, s.n, want, wn, "fed a byte at a time");
}

int main(void)
{
	test_seq_len();
	test_sgr();
	test_strip();
	test_stream();
	return done_testing();
}
