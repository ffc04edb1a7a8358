/* Input: terminal bytes -> events. Keys (controls, CSI/SS3 with modifiers,
 * Home/End variants, F-keys, Alt as ESC prefix, kitty/modifyOtherKeys),
 * sequences and UTF-8 split across reads, the lone-ESC flush, bracketed
 * paste (CR -> LF, marker split across reads, escapes kept as text, one
 * event for a big paste), SGR mouse, focus, and garbage. Builds in
 * editor/input.c, keys.c and loop.c; links buffer/. */
/* The editor objects are compiled in here, so the test links against
 * buffer/ alone as the Makefile's unit rule does. */
#include "editor/input.c"
#include "editor/keys.c"
#include "editor/loop.c"
#include "tests/unit/tap.h"

typedef struct Rec {
	char log[4096];   /* events as text: "<C-s> a paste(3) mouse(...)" */
	char paste[256];  /* the last paste (short ones) */
	size_t plen, npastes;
} Rec;

static void on_ev(void *arg, const InEvent *ev)
{
	Rec *r = arg;
	char one[128], name[32];
	switch (ev->kind) {
	case IN_KEY:
		snprintf(one, sizeof one, "%s ", keys_name(ev->key, name, sizeof name));
		break;
	case IN_PASTE:
		snprintf(one, sizeof one, "paste(%zu) ", ev->len);
		r->npastes++;
		r->plen = ev->len;
		memcpy(r->paste, ev->text, ev->len < sizeof r->paste ? ev->len : sizeof r->paste);
		break;
	case IN_MOUSE:
		snprintf(one, sizeof one, "mouse(%d,%d,%d,%d,%s%s%s) ", ev->action, ev->button, ev->x, ev->y,
		         ev->mods & BK_CTRL ? "C" : "", ev->mods & BK_ALT ? "M" : "", ev->mods & BK_SHIFT ? "S" : "");
		break;
	case IN_FOCUS:
		snprintf(one, sizeof one, "focus(%s) ", ev->focus_in ? "in" : "out");
		break;
	}
	strncat(r->log, one, sizeof r->log - strlen(r->log) - 1);
}

/* Feeds the pieces one by one, flushes, and compares the log. */
static void check(const char *what, const char *want, int n, const char *const *pieces, const size_t *lens, bool flush)
{
	Rec r = {0};
	Input *in = input_new(NULL, on_ev, &r);
	for (int i = 0; i < n; i++)
		input_feed(in, pieces[i], lens[i]);
	if (flush)
		input_flush(in);
	size_t l = strlen(r.log);
	if (l && r.log[l - 1] == ' ')
		r.log[l - 1] = 0;
	is_str(r.log, want, "%s", what);
	input_free(in);
}

#define FEED(what, want, s) \
	do { \
		const char *p_[] = {s}; \
		size_t l_[] = {sizeof(s) - 1}; \
		check(what, want, 1, p_, l_, true); \
	} while (0)

#define FEED2(what, want, a, b) \
	do { \
		const char *p_[] = {a, b}; \
		size_t l_[] = {sizeof(a) - 1, sizeof(b) - 1}; \
		check(what, want, 2, p_, l_, false); \
	} while (0)

static void test_plain(void)
{
	FEED("letters", "a b", "ab");
	FEED("UTF-8", "é 世 🎉", "é世🎉");
	FEED2("UTF-8 split across reads", "é", "\xc3", "\xa9");
	FEED("control keys", "<C-s> <C-q> <C-z> <C-c> <C-v> <C-a>", "\x13\x11\x1a\x03\x16\x01");
	FEED("NUL is Ctrl-Space", "<C-Space>", "\0");
	FEED("Enter, Tab, Backspace, Ctrl-H", "<CR> <Tab> <BS> <C-h>", "\r\t\x7f\x08");
	FEED("Ctrl-J is not Enter", "<C-j>", "\n");
	FEED("Ctrl-\\ ] ^ _", "<C-Bslash> <C-]> <C-^> <C-_>", "\x1c\x1d\x1e\x1f");
	FEED("invalid byte dropped", "a b", "a\xff" "b");
}

static void test_csi(void)
{
	FEED("arrows", "<Up> <Down> <Right> <Left>", "\x1b[A\x1b[B\x1b[C\x1b[D");
	FEED("SS3 arrows", "<Up> <Left>", "\x1bOA\x1bOD");
	FEED("modified arrows", "<C-Up> <S-Left> <M-Up> <M-S-Down> <C-S-Right>",
	     "\x1b[1;5A\x1b[1;2D\x1b[1;3A\x1b[1;4B\x1b[1;6C");
	FEED("Home/End xterm", "<Home> <End> <Home> <End>", "\x1b[H\x1b[F\x1bOH\x1bOF");
	FEED("Home/End vt/rxvt", "<Home> <End> <Home> <End>", "\x1b[1~\x1b[4~\x1b[7~\x1b[8~");
	FEED("Ctrl-Home/End", "<C-Home> <C-End> <C-S-End>", "\x1b[1;5H\x1b[1;5F\x1b[1;6F");
	FEED("editing keys", "<Ins> <Del> <PageUp> <PageDown> <C-PageDown>", "\x1b[2~\x1b[3~\x1b[5~\x1b[6~\x1b[6;5~");
	FEED("F-keys", "<F1> <F3> <S-F3> <F5> <F12> <M-F3>", "\x1bOP\x1bOR\x1b[1;2R\x1b[15~\x1b[24~\x1b[1;3R");
	FEED("Shift-Tab", "<S-Tab>", "\x1b[Z");
	FEED("modifyOtherKeys", "<C-i> <C-CR>", "\x1b[27;5;105~\x1b[27;5;13~");
	FEED("kitty CSI u", "<C-S-L> <M-x> <Esc>", "\x1b[108;6u\x1b[120;3u\x1b[27u");
	FEED2("CSI split across reads", "<C-Up>", "\x1b[1;", "5A");
	FEED("focus reports", "focus(in) focus(out)", "\x1b[I\x1b[O");
	FEED("unknown CSI ignored", "a", "\x1b[99X" "a");
	FEED("huge parameter", "<C-Up> b", "\x1b[99999999999999999999;5A" "b");
	FEED("device replies ignored", "z", "\x1b[?62;22c" "z");
}

static void test_alt(void)
{
	FEED("Alt letters", "<M-n> <M-L> <M-)>", "\x1bn\x1bL\x1b)");
	FEED("Alt Backspace", "<M-BS>", "\x1b\x7f");
	FEED("Alt control", "<C-M-s>", "\x1b\x13");
	FEED("Alt UTF-8", "<M-é>", "\x1b\xc3\xa9");
	FEED("Alt arrow (rxvt)", "<M-Up>", "\x1b\x1b[A");
	FEED("lone Esc, after the timeout", "<Esc>", "\x1b");
	FEED("Esc Esc", "<M-Esc>", "\x1b\x1b");
	FEED("Alt F1 (ESC + SS3)", "<M-F1> <M-Up>", "\x1b\x1bOP\x1b\x1bOA");
	FEED2("ESC ESC O split across reads", "<M-F2>", "\x1b\x1bO", "Q");
	FEED("ESC [ timed out is Alt-[", "<M-[>", "\x1b[");
	Rec r = {0};
	Input *in = input_new(NULL, on_ev, &r);
	input_feed(in, "\x1b", 1);
	is_str(r.log, "", "a lone Esc waits for the timeout");
	input_flush(in);
	is_str(r.log, "<Esc> ", "then it is Esc");
	input_free(in);
}

static void test_paste(void)
{
	Rec r = {0};
	Input *in = input_new(NULL, on_ev, &r);
	const char *p = "\x1b[200~one\r\ntwo\rthree\x1b[A\ttab\x1b[201~x";
	input_feed(in, p, strlen(p));
	static const char want[] = "one\ntwo\nthree\x1b[A\ttab";
	is_str(r.log, "paste(20) x ", "a paste is one event, then keys again");
	is_mem(r.paste, r.plen, want, sizeof want - 1, "CR/CRLF become LF, escapes stay text");
	input_free(in);

	memset(&r, 0, sizeof r);
	in = input_new(NULL, on_ev, &r);
	input_feed(in, "\x1b[200~abc\x1b[20", 13);
	ok(r.npastes == 0, "no event while the end marker is cut");
	input_flush(in);
	ok(r.npastes == 0 && input_in_paste(in), "the timeout does not end a paste");
	input_feed(in, "1~q", 3);
	is_str(r.log, "paste(3) q ", "end marker split across reads");
	input_free(in);

	/* 10 MB in 64 KiB reads: one event with every byte. */
	memset(&r, 0, sizeof r);
	in = input_new(NULL, on_ev, &r);
	size_t total = 10u << 20, chunk = 65536;
	char *buf = malloc(chunk);
	memset(buf, 'x', chunk);
	input_feed(in, "\x1b[200~", 6);
	for (size_t done = 0; done < total; done += chunk)
		input_feed(in, buf, chunk);
	input_feed(in, "\x1b[201~", 6);
	ok(r.npastes == 1 && r.plen == total, "10 MB paste: one event of %zu bytes (got %zu events, %zu bytes)", total, r.npastes, r.plen);
	free(buf);
	input_free(in);
}

static void test_mouse(void)
{
	FEED("press and release", "mouse(0,0,9,4,) mouse(2,0,9,4,)", "\x1b[<0;10;5M\x1b[<0;10;5m");
	FEED("drag", "mouse(1,0,10,4,)", "\x1b[<32;11;5M");
	FEED("wheel", "mouse(3,0,0,0,) mouse(4,1,0,0,)", "\x1b[<64;1;1M\x1b[<65;1;1M");
	FEED("Ctrl+click, Alt+click", "mouse(0,0,2,2,C) mouse(0,0,2,2,M)", "\x1b[<16;3;3M\x1b[<8;3;3M");
	FEED("right button", "mouse(0,2,0,0,)", "\x1b[<2;1;1M");
	FEED("motion without a button ignored", "a", "\x1b[<35;4;4M" "a");
	FEED("coordinates past 223", "mouse(0,0,299,199,)", "\x1b[<0;300;200M");
}

static void test_garbage(void)
{
	/* A CSI that never ends: dropped at the buffer limit, no crash. */
	char big[600];
	memcpy(big, "\x1b[", 2);
	memset(big + 2, '1', sizeof big - 2);
	Rec r = {0};
	Input *in = input_new(NULL, on_ev, &r);
	input_feed(in, big, sizeof big);
	input_feed(in, "q", 1);
	input_flush(in);
	ok(strstr(r.log, "q") != NULL, "an endless CSI does not eat the input for ever");
	input_free(in);
	/* Every byte value in every position: no crash, no hang. */
	memset(&r, 0, sizeof r);
	in = input_new(NULL, on_ev, &r);
	unsigned seed = 1;
	for (int i = 0; i < 20000; i++) {
		char b[7];
		for (int k = 0; k < 7; k++) {
			seed = seed * 1103515245u + 12345u;
			b[k] = (char)(seed >> 16);
		}
		input_feed(in, b, (size_t)(seed % 7) + 1);
		r.log[0] = 0;
	}
	input_flush(in);
	ok(1, "random bytes parsed without a crash");
	input_free(in);
}

int main(void)
{
	test_plain();
	test_csi();
	test_alt();
	test_paste();
	test_mouse();
	test_garbage();
	return done_testing();
}
