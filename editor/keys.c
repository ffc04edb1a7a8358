/* Vim-notation key names <-> Key codes. */
#include "editor/keys.h"
#include "buffer/utf8.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	Key key;
} names[] = {
	{"CR", BK_ENTER}, {"Enter", BK_ENTER}, {"Return", BK_ENTER}, {"Tab", BK_TAB},
	{"BS", BK_BS}, {"Backspace", BK_BS}, {"Esc", BK_ESC}, {"Del", BK_DEL},
	{"Delete", BK_DEL}, {"Ins", BK_INS}, {"Insert", BK_INS}, {"Up", BK_UP},
	{"Down", BK_DOWN}, {"Left", BK_LEFT}, {"Right", BK_RIGHT}, {"Home", BK_HOME},
	{"End", BK_END}, {"PageUp", BK_PGUP}, {"PageDown", BK_PGDN}, {"PgUp", BK_PGUP},
	{"PgDn", BK_PGDN}, {"Space", ' '}, {"lt", '<'}, {"gt", '>'}, {"Bslash", '\\'},
	{"Bar", '|'}, {"Nul", BK_CTRL | ' '},
	{"F1", BK_F1}, {"F2", BK_F2}, {"F3", BK_F3}, {"F4", BK_F4}, {"F5", BK_F5},
	{"F6", BK_F6}, {"F7", BK_F7}, {"F8", BK_F8}, {"F9", BK_F9}, {"F10", BK_F10},
	{"F11", BK_F11}, {"F12", BK_F12},
};

static bool base_by_name(const char *s, size_t len, Key *k)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == len && strncasecmp(names[i].name, s, len) == 0) {
			*k = names[i].key;
			return true;
		}
	uint32_t cp;
	size_t n = utf8_decode(s, len, &cp);
	if (n == len && cp != UTF8_INVALID) {
		*k = cp;
		return true;
	}
	return false;
}

/* Parses the inside of <...>: modifiers "C-", "M-"/"A-", "S-", then a name. */
static bool parse_bracket(const char *s, size_t len, Key *k)
{
	Key mods = 0;
	while (len > 2 && s[1] == '-') {
		char m = (char)toupper((unsigned char)s[0]);
		if (m == 'C')
			mods |= BK_CTRL;
		else if (m == 'M' || m == 'A')
			mods |= BK_ALT;
		else if (m == 'S')
			mods |= BK_SHIFT;
		else
			return false;
		s += 2;
		len -= 2;
	}
	Key base;
	if (!base_by_name(s, len, &base))
		return false;
	/* Ctrl and Alt letters are case-less; Shift+letter is the capital. */
	if ((mods & (BK_CTRL)) && base < 128 && isalpha((int)base))
		base = (Key)tolower((int)base);
	if ((mods & BK_SHIFT) && base < 128 && isalpha((int)base)) {
		base = (Key)toupper((int)base);
		if (!(mods & BK_CTRL))
			mods &= ~BK_SHIFT;
	}
	*k = base | mods;
	return true;
}

long keys_parse(const char *s, Key *out, size_t max, size_t *errpos)
{
	size_t n = 0, i = 0, len = strlen(s);
	while (i < len) {
		Key k;
		if (s[i] == '<') {
			const char *close = memchr(s + i + 1, '>', len - i - 1);
			/* "<" followed by '>' right away is "<>" literally: '<' then '>'. */
			if (close && close > s + i + 1 && parse_bracket(s + i + 1, (size_t)(close - s - i - 1), &k)) {
				i = (size_t)(close - s) + 1;
			} else if (close && close > s + i + 1 && !memchr(s + i + 1, ' ', (size_t)(close - s - i - 1)) &&
			           (isupper((unsigned char)s[i + 1]) || s[i + 2] == '-')) {
				if (errpos)
					*errpos = i;
				return -1;
			} else {
				k = '<';
				i++;
			}
		} else {
			uint32_t cp;
			size_t c = utf8_decode(s + i, len - i, &cp);
			k = cp == UTF8_INVALID ? (unsigned char)s[i] : cp;
			if (k == '\n')
				k = BK_ENTER;
			else if (k == '\t')
				k = BK_TAB;
			i += c;
		}
		if (n < max)
			out[n] = k;
		n++;
	}
	return (long)n;
}

bool keys_parse_one(const char *s, Key *k)
{
	Key buf[2];
	long n = keys_parse(s, buf, 2, NULL);
	if (n != 1)
		return false;
	*k = buf[0];
	return true;
}

char *keys_name(Key k, char *out, size_t size)
{
	char mods[16] = "";
	Key base = BK_BASE(k);
	if (k & BK_CTRL)
		strcat(mods, "C-");
	if (k & BK_ALT)
		strcat(mods, "M-");
	if (k & BK_SHIFT)
		strcat(mods, "S-");
	const char *name = NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == base && base != ' ') {
			name = names[i].name;
			break;
		}
	if (base == ' ')
		name = "Space";
	char ch[8] = {0};
	if (!name) {
		size_t n = utf8_encode(base, ch);
		ch[n] = 0;
		name = ch;
	}
	if (!mods[0] && (strlen(name) == strlen(ch) && name == ch))
		snprintf(out, size, "%s", name);
	else
		snprintf(out, size, "<%s%s>", mods, name);
	return out;
}

char *keys_seq_name(const Key *seq, size_t n, char *out, size_t size)
{
	char name[32];
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strncat(out, keys_name(seq[i], name, sizeof name), size - strlen(out) - 1);
	return out;
}

bool keys_is_text(Key k)
{
	return !(k & (BK_CTRL | BK_ALT)) && BK_BASE(k) < BK_SPECIAL && BK_BASE(k) >= 0x20 && BK_BASE(k) != 0x7f;
}
