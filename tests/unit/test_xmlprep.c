/* lua/xmlprep.c: decoded feed text made fit for libxml2. A table of what
 * real feeds send and what libxml2 must be given instead: escape
 * sequences raw and as references, C0 and C1 controls, references that
 * recovery would drop, bare '&' and '<', unbalanced tags; raw sections
 * left alone; then random text, which must never grow unbounded or break
 * a UTF-8 character. */
#include "lua/xmlprep.h"
#include "buffer/utf8.h"
#include "tests/unit/tap.h"
#include <time.h>

static const struct {
	const char *in, *out, *what;
} CASES[] = {
	{"<t>a\x1b[31mred\x1b[0m b</t>", "<t>ared b</t>", "CSI sequences removed whole"},
	{"<t>\x1b]0;title\x07x</t>", "<t>x</t>", "an OSC string up to BEL"},
	{"<t>\x1b]8;;http://x\x1b\\link</t>", "<t>link</t>", "an OSC string up to ESC \\"},
	{"<t>\x1b(Bx</t>", "<t>x</t>", "a charset escape"},
	{"<t>a&#27;[1mb</t>", "<t>ab</t>", "an escape written as a reference"},
	{"<t>a&#x1B;[1mb</t>", "<t>ab</t>", "... in hex"},
	{"<t>\xc2\x9b" "2Jx</t>", "<t>x</t>", "an 8-bit CSI with its parameters"},
	{"<t>&#x9b;2Jx</t>", "<t>x</t>", "... written as a reference"},
	{"<t>a \xc2\x9b b</t>", "<t>a \xc2\x9b b</t>", "a lone U+009B stays (the reader maps it)"},
	{"<t>don&#146;t</t>", "<t>don&#8217;t</t>", "&#146; is windows-1252's quote"},
	{"<t>a\x07\x01\x02 b\tc\r\nd</t>", "<t>a b\tc\r\nd</t>", "C0 controls removed, tab and line breaks kept"},
	{"<t>&#7;&#0;x</t>", "<t>x</t>", "control references removed"},
	{"<t>&#xD800;&#1114112;</t>", "<t>&#65533;&#65533;</t>", "invalid references are U+FFFD"},
	{"<t>\xef\xbf\xbe</t>", "<t>\xef\xbf\xbd</t>", "U+FFFE is U+FFFD"},
	{"<t>AT&amp;T &lt;b&gt; &quot;&apos;</t>", "<t>AT&#38;T &#60;b&#62; &#34;&#39;</t>", "the XML five become numeric"},
	{"<t>caf&eacute; &mdash;</t>", "<t>caf&#233; &#8212;</t>", "HTML entities become numeric"},
	{"<t>&#X41;</t>", "<t>&#65;</t>", "&#X41; (capital X)"},
	{"<t>Fish & Chips</t>", "<t>Fish &#38; Chips</t>", "a bare ampersand"},
	{"<t>a &bogus; b</t>", "<t>a &#38;bogus; b</t>", "an undefined entity reads as written"},
	{"<!DOCTYPE t [<!ENTITY me \"Me\">]><t>&me;</t>", "<!DOCTYPE t [<!ENTITY me \"Me\">]><t>&me;</t>",
	 "a declared entity is left to libxml2"},
	{"<t>1 < 2 <= 3</t>", "<t>1 &#60; 2 &#60;= 3</t>", "a '<' that opens nothing"},
	{"<t>x ]]> y</t>", "<t>x ]]&#62; y</t>", "]]> in text"},
	{"<t><![CDATA[a & b < c \x1b[1m]]></t>", "<t><![CDATA[a & b < c ]]></t>", "CDATA raw, but for controls"},
	{"<!-- a & b --><t/>", "<!-- a & b --><t/>", "comments raw"},
	{"<?xml version='1.0'?><t/>", "<?xml version='1.0'?><t/>", "processing instructions raw"},
	{"<t a=\"x &amp; y\" b='1 < 2'>z</t>", "<t a=\"x &#38; y\" b='1 &#60; 2'>z</t>", "attribute values fixed"},
	{"<r><d>a <br> b</d><e>c</e></r>", "<r><d>a <br> b</br></d><e>c</e></r>", "an unclosed element closed by its parent's end tag"},
	{"<r><Title>x</title></r>", "<r><Title>x</Title></r>", "an end tag in another case"},
	{"<r>a</b>c</r>", "<r>ac</r>", "an end tag that closes nothing is dropped"},
	{"<r><x>", "<r><x></x></r>", "what is open at the end is closed"},
	{"<rss><channel><description><p>x</description><item>i</item></channel></rss>",
	 "<rss><channel><description><p>x</p></description><item>i</item></channel></rss>", "balanced from the inside"},
	{"<rss><channel><p>x<item>i</item></channel></rss>", "<rss><channel><p>x</p><item>i</item></channel></rss>",
	 "an item is never inside markup left open"},
	{"<r><item>a<item>b</item></r>", "<r><item>a</item><item>b</item></r>", "items never nest"},
	{"<r><a href=\"x>y\">t</a></r>", "<r><a href=\"x>y\">t</a></r>", "a quoted '>' is not the end of a tag"},
	{"<r>text <unterminated", "<r>text &#60;unterminated</r>", "a tag that never ends is text"},
};

static void test_table(void)
{
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		char *out;
		size_t n;
		if (!ok(xmlprep_clean(CASES[i].in, strlen(CASES[i].in), &out, &n), "%s: cleaned", CASES[i].what))
			continue;
		is_mem(out, n, CASES[i].out, strlen(CASES[i].out), "%s", CASES[i].what);
		free(out);
	}
}

static void test_entities(void)
{
	uint32_t cp;
	ok(xmlprep_entity("eacute", 6, &cp) && cp == 0xE9, "eacute");
	ok(xmlprep_entity("apos", 4, &cp) && cp == '\'', "apos");
	ok(!xmlprep_entity("bogus", 5, &cp), "bogus is unknown");
	static const struct {
		const char *in;
		size_t len;
		uint32_t cp;
	} REFS[] = {{"&amp;x", 5, '&'}, {"&#X41;", 6, 'A'}, {"&#146;", 6, 0x2019}, {"&amp x", 4, '&'},
	            {"&nbsp", 5, 0xA0}, {"&lt=2", 0, 0}, {"&bogus;", 0, 0}, {"&#;", 0, 0}, {"&", 0, 0}};
	for (size_t i = 0; i < sizeof REFS / sizeof REFS[0]; i++) {
		cp = 0;
		size_t n = xmlprep_ref(REFS[i].in, REFS[i].in + strlen(REFS[i].in), &cp);
		ok(n == REFS[i].len && (n == 0 || cp == REFS[i].cp), "reference %s: %zu bytes, U+%04X (got %zu, U+%04X)",
		   REFS[i].in, REFS[i].len, (unsigned)REFS[i].cp, n, (unsigned)cp);
	}
}

/* Random feed-like text: the output is valid UTF-8 when the input is, and
 * bounded (each input byte becomes at most a reference or two end tags). */
static void test_random(void)
{
	const char *env = getenv("BRISK_SEED");
	unsigned seed = env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
	printf("# seed %u\n", seed);
	srand(seed);
	static const char *const BITS[] = {"<", ">", "</", "&", ";", "#", "x", "amp", "<item>", "</item>", "<![CDATA[",
		"]]>", "<!--", "-->", "\x1b[", "\x1b]", "\x07", "\xc2\x9b", "\xc2\x9d", "\"", "'", "=", "a", " ",
		"&#27;", "&#x9b;", "é", "<br>", "</p>", "<?", "?>", "<!DOCTYPE x [", "<!ENTITY e \"v\">", "]>"};
	bool valid = true, bounded = true;
	for (int round = 0; round < 2000 && valid && bounded; round++) {
		char doc[400];
		size_t n = 0;
		while (n < 300) {
			const char *b = BITS[rand() % (int)(sizeof BITS / sizeof BITS[0])];
			memcpy(doc + n, b, strlen(b));
			n += strlen(b);
		}
		char *out;
		size_t on;
		if (!xmlprep_clean(doc, n, &out, &on))
			continue;
		for (size_t i = 0; i < on && valid;) {
			uint32_t cp;
			i += utf8_decode(out + i, on - i, &cp);
			valid = cp != UTF8_INVALID;
		}
		bounded = on <= n * 12 + 16 && out[on] == 0;
		if (!valid || !bounded)
			diag("input: %.*s", (int)n, doc);
		free(out);
	}
	ok(valid, "2000 random documents: valid UTF-8 out");
	ok(bounded, "2000 random documents: output bounded and NUL-terminated");
}

int main(void)
{
	test_table();
	test_entities();
	test_random();
	return done_testing();
}
