/* Keys: vim notation parsing (<C-s> <M-x> <S-Up> <C-End> named keys,
 * <lt>, UTF-8 text, errors with their position), names back to notation
 * round-trip, and which keys type text. Links editor/keys.c + buffer/. */
#include "editor/keys.h"
#include "tests/unit/tap.h"

/* Parses s expecting exactly the n keys given. */
static void parses(const char *s, const Key *want, long n, const char *what)
{
	Key out[32];
	size_t errpos = 12345;
	long got = keys_parse(s, out, 32, &errpos);
	bool good = got == n;
	for (long i = 0; good && i < n; i++)
		good = out[i] == want[i];
	if (!ok(good, "%s", what)) {
		diag("parsing \"%s\": got %ld keys", s, got);
		for (long i = 0; i < got && i < 32; i++)
			diag("  key %ld: 0x%08x (want 0x%08x)", i, out[i], i < n ? want[i] : 0);
	}
}

#define PARSES(s, what, ...)                                      \
	do {                                                      \
		const Key want_[] = {__VA_ARGS__};                \
		parses(s, want_, sizeof want_ / sizeof *want_, what); \
	} while (0)

static void fails_at(const char *s, size_t pos, const char *what)
{
	Key out[8];
	size_t errpos = 12345;
	long n = keys_parse(s, out, 8, &errpos);
	ok(n == -1 && errpos == pos, "%s (got %ld, errpos %zu)", what, n, errpos);
}

static void test_parse(void)
{
	PARSES("abc", "plain letters", 'a', 'b', 'c');
	PARSES("<C-s>", "<C-s>", BK_CTRL | 's');
	PARSES("<C-S>", "<C-S> is <C-s> (Ctrl letters are case-less)", BK_CTRL | 's');
	PARSES("<c-s>", "lower-case modifier", BK_CTRL | 's');
	PARSES("<M-x>", "<M-x>", BK_ALT | 'x');
	PARSES("<A-x>", "<A-x> is Alt too", BK_ALT | 'x');
	PARSES("<M-L>", "<M-L>: Alt + capital", BK_ALT | 'L');
	PARSES("<M-S-l>", "<M-S-l> is <M-L>", BK_ALT | 'L');
	PARSES("<S-a>", "<S-a> is A", 'A');
	PARSES("<S-Up>", "<S-Up>", BK_SHIFT | BK_UP);
	PARSES("<M-S-Up>", "<M-S-Up>", BK_ALT | BK_SHIFT | BK_UP);
	PARSES("<C-End>", "<C-End>", BK_CTRL | BK_END);
	PARSES("<C-Left><C-Right>", "two modified arrows", BK_CTRL | BK_LEFT, BK_CTRL | BK_RIGHT);
	PARSES("<Esc>", "<Esc>", BK_ESC);
	PARSES("<esc>", "names are case-insensitive", BK_ESC);
	PARSES("<CR>", "<CR>", BK_ENTER);
	PARSES("<Enter><Return>", "<Enter> and <Return>", BK_ENTER, BK_ENTER);
	PARSES("<Tab>", "<Tab>", BK_TAB);
	PARSES("<BS>", "<BS>", BK_BS);
	PARSES("<Del><Ins>", "<Del> <Ins>", BK_DEL, BK_INS);
	PARSES("<Home><End>", "<Home> <End>", BK_HOME, BK_END);
	PARSES("<PageDown><PageUp>", "<PageDown> <PageUp>", BK_PGDN, BK_PGUP);
	PARSES("<F1><F12>", "function keys", BK_F1, BK_F12);
	PARSES("<S-F3>", "<S-F3>", BK_SHIFT | BK_F3);
	PARSES("<Space>", "<Space>", ' ');
	PARSES("<lt>", "<lt> is <", '<');
	PARSES("<lt>C-s>", "<lt> escapes a would-be key", '<', 'C', '-', 's', '>');
	PARSES("<M-lt>", "<M-lt>", BK_ALT | '<');
	PARSES("<Bar><Bslash>", "<Bar> <Bslash>", '|', '\\');
	PARSES("a<C-k><C-d>b", "text and chords mixed", 'a', BK_CTRL | 'k', BK_CTRL | 'd', 'b');
	PARSES("x<", "a lone < at the end", 'x', '<');
	PARSES("<>", "<> is two characters", '<', '>');
	PARSES("a < b", "< with spaces is text", 'a', ' ', '<', ' ', 'b');
	PARSES("if a<b>c", "<b> is just b", 'i', 'f', ' ', 'a', 'b', 'c');
	PARSES("\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", "UTF-8 text: one key per character", 0xe9, 0x4e2d, 0x1f600);
	PARSES("<M-\xc3\xa9>", "Alt + a UTF-8 character", BK_ALT | 0xe9);
	PARSES("a\nb\t", "newline and tab in text are Enter and Tab", 'a', BK_ENTER, 'b', BK_TAB);
	parses("", NULL, 0, "empty string: no keys");

	Key out[2];
	is_int(keys_parse("abcd", out, 2, NULL), 4, "the count goes past max");
	ok(out[0] == 'a' && out[1] == 'b', "only max keys are stored");

	fails_at("<Foo>", 0, "an unknown name is an error");
	fails_at("ab<C-Foo>", 2, "an unknown name after modifiers: error at its '<'");
	fails_at("<X-a>", 0, "an unknown modifier is an error");
	fails_at("ok<C->", 2, "a modifier with no key is an error");
	fails_at("<F13>", 0, "F13 does not exist");
}

static void test_one_and_names(void)
{
	Key k = 0;
	ok(keys_parse_one("<C-s>", &k) && k == (BK_CTRL | 's'), "parse_one <C-s>");
	ok(keys_parse_one("\xc3\xa9", &k) && k == 0xe9, "parse_one é");
	ok(!keys_parse_one("ab", &k), "parse_one refuses two keys");
	ok(!keys_parse_one("", &k), "parse_one refuses none");
	ok(!keys_parse_one("<Nope>", &k), "parse_one refuses an error");

	static const struct {
		Key k;
		const char *name;
	} names[] = {
		{'a', "a"},
		{BK_CTRL | 's', "<C-s>"},
		{BK_ALT | 'x', "<M-x>"},
		{BK_SHIFT | BK_UP, "<S-Up>"},
		{BK_CTRL | BK_END, "<C-End>"},
		{BK_CTRL | BK_ALT | BK_SHIFT | BK_LEFT, "<C-M-S-Left>"},
		{BK_ESC, "<Esc>"},
		{BK_ENTER, "<CR>"},
		{'<', "<lt>"},
		{' ', "<Space>"},
		{0xe9, "\xc3\xa9"},
		{BK_F5, "<F5>"},
		{BK_PGDN, "<PageDown>"},
	};
	char buf[64];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		is_str(keys_name(names[i].k, buf, sizeof buf), names[i].name, "name of %s", names[i].name);
		ok(keys_parse_one(buf, &k) && k == names[i].k, "%s parses back to the same key", names[i].name);
	}
	ok(keys_name(BK_CTRL | 's', buf, 3) == buf && strlen(buf) == 2, "keys_name truncates to the buffer");
	Key seq[] = {BK_CTRL | 'k', 's', BK_CTRL | BK_ALT | BK_SHIFT | BK_PGDN};
	is_str(keys_seq_name(seq, 3, buf, sizeof buf), "<C-k>s<C-M-S-PageDown>", "keys_seq_name joins the names");
	is_str(keys_seq_name(seq, 0, buf, sizeof buf), "", "keys_seq_name of no keys is empty");
	is_str(keys_seq_name(seq, 3, buf, 8), "<C-k>s<", "keys_seq_name cuts to the buffer");
}

static void test_is_text(void)
{
	ok(keys_is_text('a') && keys_is_text(' ') && keys_is_text(0xe9) && keys_is_text(0x1f600),
	   "letters, space, é, emoji type text");
	ok(!keys_is_text(BK_CTRL | 'a') && !keys_is_text(BK_ALT | 'a'), "Ctrl/Alt chords do not");
	ok(!keys_is_text(BK_UP) && !keys_is_text(BK_ENTER) && !keys_is_text(BK_ESC), "special keys do not");
	ok(!keys_is_text(0x01) && !keys_is_text(0x7f), "control characters do not");
}

int main(void)
{
	test_parse();
	test_one_and_names();
	test_is_text();
	return done_testing();
}
