/* Input: a byte-level parser for what terminals send. Bytes collect in a
 * small buffer; each call parses as many complete events as it can. An
 * incomplete tail (a lone ESC, half a CSI sequence or UTF-8 character)
 * waits INPUT_ESC_TIMEOUT_MS for the rest, then is taken as it is: a lone
 * ESC is the Esc key, "ESC x" is Alt+x.
 *
 * Bracketed paste (ESC[200~ ... ESC[201~) is collected into its own growing
 * buffer, CR/CRLF turned into LF, and delivered as one IN_PASTE event, so a
 * 10 MB paste is one insert and one undo step. */
#include "editor/input.h"
#include "buffer/array.h"
#include "buffer/utf8.h"
#include <stdlib.h>
#include <string.h>

#define PEND_MAX 256

struct Input {
	Loop *loop;
	InputFn fn;
	void *ctx;
	unsigned char pend[PEND_MAX];
	size_t npend;
	uint64_t timer;
	bool pasting;
	char *paste;
	size_t plen, pcap;
};

static const char paste_end[] = "\033[201~";

Input *input_new(Loop *loop, InputFn fn, void *ctx)
{
	Input *in = calloc(1, sizeof *in);
	if (!in)
		return NULL;
	in->loop = loop;
	in->fn = fn;
	in->ctx = ctx;
	return in;
}

void input_free(Input *in)
{
	if (!in)
		return;
	if (in->timer && in->loop)
		loop_timer_cancel(in->loop, in->timer);
	free(in->paste);
	free(in);
}

bool input_in_paste(const Input *in) { return in->pasting; }

static void emit_key(Input *in, Key k)
{
	InEvent ev = {.kind = IN_KEY, .key = k};
	in->fn(in->ctx, &ev);
}

/* ===== key decoding ====================================================== */

/* xterm modifier parameter: 1 + (shift 1, alt 2, ctrl 4, meta 8). */
static Key mods_of(long m)
{
	Key k = 0;
	if (m < 2)
		return 0;
	m--;
	if (m & 1)
		k |= BK_SHIFT;
	if (m & (2 | 8))
		k |= BK_ALT;
	if (m & 4)
		k |= BK_CTRL;
	return k;
}

/* A character with modifiers, as keys.c spells it: Ctrl+letter lower case,
 * Shift+letter is the capital letter without BK_SHIFT. */
static Key char_key(uint32_t cp, Key mods)
{
	if (cp == '\r' || cp == '\n')
		return BK_ENTER | mods;
	if (cp == '\t')
		return BK_TAB | mods;
	if (cp == 0x7f || cp == 8)
		return BK_BS | mods;
	if (cp == 0x1b)
		return BK_ESC | mods;
	if (cp < 128 && (mods & BK_CTRL) && cp >= 'A' && cp <= 'Z')
		cp = cp - 'A' + 'a';
	if (cp < 128 && (mods & BK_SHIFT) && cp >= 'a' && cp <= 'z') {
		cp = cp - 'a' + 'A';
		if (!(mods & BK_CTRL))
			mods &= ~BK_SHIFT;
	}
	if (!(mods & BK_CTRL) && cp >= 0x20 && cp != 0x7f)
		mods &= ~BK_SHIFT; /* "!" is Shift+1 already */
	return cp | mods;
}

/* A single control byte. */
static Key ctrl_key(unsigned char c)
{
	switch (c) {
	case 0:
		return BK_CTRL | ' ';
	case '\t':
		return BK_TAB;
	case '\r':
		return BK_ENTER;
	case 0x7f:
		return BK_BS;
	case 0x1b:
		return BK_ESC;
	}
	if (c < 0x1b)
		return BK_CTRL | (Key)('a' + c - 1);
	/* 0x1c..0x1f: Ctrl-\ Ctrl-] Ctrl-^ Ctrl-_ */
	return BK_CTRL | (Key)("\\]^_"[c - 0x1c]);
}

static Key tilde_key(long n)
{
	switch (n) {
	case 1: case 7: return BK_HOME;
	case 2: return BK_INS;
	case 3: return BK_DEL;
	case 4: case 8: return BK_END;
	case 5: return BK_PGUP;
	case 6: return BK_PGDN;
	case 11: return BK_F1;
	case 12: return BK_F2;
	case 13: return BK_F3;
	case 14: return BK_F4;
	case 15: return BK_F5;
	case 17: return BK_F6;
	case 18: return BK_F7;
	case 19: return BK_F8;
	case 20: return BK_F9;
	case 21: return BK_F10;
	case 23: return BK_F11;
	case 24: return BK_F12;
	}
	return BK_NONE;
}

/* Final byte of CSI/SS3 "letter" keys. */
static Key letter_key(unsigned char f)
{
	switch (f) {
	case 'A': return BK_UP;
	case 'B': return BK_DOWN;
	case 'C': return BK_RIGHT;
	case 'D': return BK_LEFT;
	case 'H': return BK_HOME;
	case 'F': return BK_END;
	case 'P': return BK_F1;
	case 'Q': return BK_F2;
	case 'R': return BK_F3;
	case 'S': return BK_F4;
	case 'M': return BK_ENTER; /* keypad Enter (SS3 M) */
	}
	return BK_NONE;
}

/* ===== CSI =============================================================== */

typedef struct Csi {
	unsigned char priv;  /* '<', '?', '>' or 0 */
	long p[4];
	int np;
	unsigned char final;
} Csi;

/* Parses "ESC [" params final from s (len bytes, s[0] = ESC). Returns the
 * length, 0 if incomplete, -1 if malformed (then skip 2 bytes). */
static long parse_csi(const unsigned char *s, size_t len, Csi *c)
{
	memset(c, 0, sizeof *c);
	size_t i = 2;
	if (i < len && (s[i] == '<' || s[i] == '?' || s[i] == '>' || s[i] == '='))
		c->priv = s[i++];
	c->np = 0;
	bool digits = false;
	for (; i < len; i++) {
		unsigned char b = s[i];
		if (b >= '0' && b <= '9') {
			if (c->np < 4 && c->p[c->np] < 100000000)
				c->p[c->np] = c->p[c->np] * 10 + (b - '0');
			digits = true;
		} else if (b == ';' || b == ':') {
			if (c->np < 4)
				c->np++;
			digits = false;
		} else if (b >= 0x40 && b <= 0x7e) {
			if (digits || c->np > 0)
				c->np++;
			if (c->np > 4)
				c->np = 4;
			c->final = b;
			return (long)i + 1;
		} else if (b < 0x20 || b > 0x7e) {
			return -1;
		}
		if (i > 64)
			return -1;
	}
	return 0;
}

static void emit_mouse(Input *in, const Csi *c)
{
	long b = c->p[0];
	InEvent ev = {.kind = IN_MOUSE, .x = (int)c->p[1] - 1, .y = (int)c->p[2] - 1};
	if (b & 4)
		ev.mods |= BK_SHIFT;
	if (b & 8)
		ev.mods |= BK_ALT;
	if (b & 16)
		ev.mods |= BK_CTRL;
	ev.button = (int)(b & 3);
	if (b & 64)
		ev.action = (b & 1) ? MOUSE_WHEEL_DOWN : MOUSE_WHEEL_UP;
	else if (c->final == 'm')
		ev.action = MOUSE_RELEASE;
	else if (b & 32)
		ev.action = MOUSE_DRAG;
	else
		ev.action = MOUSE_PRESS;
	if (ev.x < 0)
		ev.x = 0;
	if (ev.y < 0)
		ev.y = 0;
	if (!(b & 64) && ev.button == 3 && ev.action != MOUSE_RELEASE)
		return; /* motion without a button */
	in->fn(in->ctx, &ev);
}

/* Handles a complete CSI; alt adds BK_ALT (ESC ESC [ ...). */
static void do_csi(Input *in, const Csi *c, Key alt)
{
	if (c->priv == '<' && (c->final == 'M' || c->final == 'm') && c->np >= 3) {
		emit_mouse(in, c);
		return;
	}
	if (c->priv)
		return; /* replies to queries and the like: ignored */
	Key k = BK_NONE, mods = 0;
	if (c->final == '~') {
		if (c->p[0] == 200) {
			in->pasting = true;
			in->plen = 0;
			return;
		}
		if (c->p[0] == 27 && c->np >= 3) {
			/* xterm modifyOtherKeys: CSI 27 ; mod ; code ~ */
			emit_key(in, char_key((uint32_t)c->p[2], mods_of(c->p[1])) | alt);
			return;
		}
		k = tilde_key(c->p[0]);
		mods = c->np >= 2 ? mods_of(c->p[1]) : 0;
	} else if (c->final == 'u') {
		/* kitty / fixterms: CSI code ; mod u */
		uint32_t code = (uint32_t)c->p[0];
		emit_key(in, char_key(code, c->np >= 2 ? mods_of(c->p[1]) : 0) | alt);
		return;
	} else if (c->final == 'Z') {
		k = BK_TAB;
		mods = BK_SHIFT;
	} else if (c->final == 'I' || c->final == 'O') {
		InEvent ev = {.kind = IN_FOCUS, .focus_in = c->final == 'I'};
		in->fn(in->ctx, &ev);
		return;
	} else {
		k = letter_key(c->final);
		mods = c->np >= 2 ? mods_of(c->p[1]) : (c->np == 1 && c->p[0] > 1 ? mods_of(c->p[0]) : 0);
	}
	if (k != BK_NONE)
		emit_key(in, k | mods | alt);
}

/* ===== the parser ======================================================== */

/* Each parser below takes the event at s and returns the bytes it used,
 * 0 when more bytes are needed (unless final: then the bytes are taken as
 * they are). */

/* A byte that is not ESC: a control key, ASCII, or a UTF-8 character. */
static size_t parse_plain(Input *in, const unsigned char *s, size_t len, bool final)
{
	unsigned char c = s[0];
	if (c < 0x20 || c == 0x7f) {
		emit_key(in, ctrl_key(c));
		return 1;
	}
	if (c < 0x80) {
		emit_key(in, c);
		return 1;
	}
	uint32_t cp;
	size_t n = utf8_decode((const char *)s, len, &cp);
	if (cp == UTF8_INVALID) {
		/* Maybe a character cut by the read: wait, unless final. */
		size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		if (!final && len < need)
			return 0;
		return 1; /* a stray byte: dropped */
	}
	emit_key(in, cp);
	return n;
}

/* ESC [ ... (CSI), or ESC ESC [ ...: the same key with Alt. */
static size_t parse_csi_key(Input *in, const unsigned char *s, size_t len, bool final)
{
	size_t off = s[1] == 0x1b ? 1 : 0;
	Csi csi;
	long n = parse_csi(s + off, len - off, &csi);
	if (n == 0 && !final)
		return 0;
	if (n > 0) {
		do_csi(in, &csi, off ? BK_ALT : 0);
		return (size_t)n + off;
	}
	/* Malformed or cut short by the timeout: Alt+[ (or Esc). */
	emit_key(in, off ? BK_ESC | BK_ALT : '[' | BK_ALT);
	return 2;
}

/* ESC O x: SS3 (F1-F4, keypad, some cursor keys). */
static size_t parse_ss3(Input *in, const unsigned char *s, size_t len, bool final)
{
	if (len < 3)
		return final ? (emit_key(in, 'O' | BK_ALT), 2) : 0;
	Key k = letter_key(s[2]);
	if (k != BK_NONE) {
		emit_key(in, k);
		return 3;
	}
	emit_key(in, 'O' | BK_ALT);
	return 2;
}

/* ESC ESC: Alt+Esc, or ESC + an SS3 key (Alt + that key, as ESC ESC [). */
static size_t parse_esc_esc(Input *in, const unsigned char *s, size_t len, bool final)
{
	if (len == 2 && !final)
		return 0;
	if (len >= 3 && s[2] == 'O') {
		if (len == 3 && !final)
			return 0;
		Key k = len >= 4 ? letter_key(s[3]) : BK_NONE;
		if (k != BK_NONE) {
			emit_key(in, k | BK_ALT);
			return 4;
		}
	}
	emit_key(in, BK_ESC | BK_ALT);
	return 2;
}

/* ESC + the next key (a character or a control byte): Alt + that key. */
static size_t parse_alt(Input *in, const unsigned char *s, size_t len, bool final)
{
	unsigned char c1 = s[1];
	if (c1 < 0x20 || c1 == 0x7f) {
		emit_key(in, ctrl_key(c1) | BK_ALT);
		return 2;
	}
	if (c1 < 0x80) {
		emit_key(in, char_key(c1, BK_ALT));
		return 2;
	}
	uint32_t cp;
	size_t n = utf8_decode((const char *)s + 1, len - 1, &cp);
	if (cp == UTF8_INVALID) {
		size_t need = c1 >= 0xf0 ? 4 : c1 >= 0xe0 ? 3 : 2;
		if (!final && len - 1 < need)
			return 0;
		emit_key(in, BK_ESC);
		return 1;
	}
	emit_key(in, cp | BK_ALT);
	return n + 1;
}

/* One event at s: chooses the parser by its first bytes. */
static size_t parse_one(Input *in, const unsigned char *s, size_t len, bool final)
{
	if (s[0] != 0x1b)
		return parse_plain(in, s, len, final);
	if (len == 1)
		return final ? (emit_key(in, BK_ESC), 1) : 0;
	if (s[1] == '[' || (s[1] == 0x1b && len >= 3 && s[2] == '['))
		return parse_csi_key(in, s, len, final);
	if (s[1] == 'O')
		return parse_ss3(in, s, len, final);
	if (s[1] == 0x1b)
		return parse_esc_esc(in, s, len, final);
	return parse_alt(in, s, len, final);
}

static void paste_add(Input *in, const char *s, size_t n)
{
	if (n > SIZE_MAX - in->plen - 1 || !ARRAY_RESERVE(in->paste, in->pcap, in->plen + n + 1))
		return; /* out of memory: the paste is cut short */
	memcpy(in->paste + in->plen, s, n);
	in->plen += n;
}

/* Terminals send line breaks as CR: LF inside the buffer. */
static void paste_finish(Input *in)
{
	size_t o = 0;
	for (size_t i = 0; i < in->plen; i++) {
		char ch = in->paste[i];
		if (ch == '\r') {
			if (i + 1 < in->plen && in->paste[i + 1] == '\n')
				continue;
			ch = '\n';
		}
		in->paste[o++] = ch;
	}
	in->pasting = false;
	InEvent ev = {.kind = IN_PASTE, .text = in->paste ? in->paste : "", .len = o};
	in->fn(in->ctx, &ev);
	in->plen = 0;
	if (in->pcap > (1u << 20)) {
		free(in->paste);
		in->paste = NULL;
		in->pcap = 0;
	}
}

/* Inside a paste: copies bytes up to the end marker; returns bytes used. */
static size_t paste_feed(Input *in, const char *s, size_t len)
{
	const char *end = memmem(s, len, paste_end, sizeof paste_end - 1);
	if (end) {
		paste_add(in, s, (size_t)(end - s));
		paste_finish(in);
		return (size_t)(end - s) + sizeof paste_end - 1;
	}
	/* Keep a possible start of the marker for the next read. */
	size_t keep = 0;
	for (size_t k = sizeof paste_end - 2; k > 0; k--)
		if (len >= k && memcmp(s + len - k, paste_end, k) == 0) {
			keep = k;
			break;
		}
	paste_add(in, s, len - keep);
	return len - keep;
}

static void on_timeout(void *arg)
{
	Input *in = arg;
	in->timer = 0;
	input_flush(in);
}

/* Parses the pending bytes; final takes an incomplete tail as it is. */
static void drain(Input *in, bool final)
{
	size_t i = 0;
	while (i < in->npend) {
		if (in->pasting) {
			size_t n = paste_feed(in, (const char *)in->pend + i, in->npend - i);
			if (n == 0)
				break;
			i += n;
			continue;
		}
		size_t n = parse_one(in, in->pend + i, in->npend - i, final);
		if (n == 0)
			break;
		i += n;
	}
	memmove(in->pend, in->pend + i, in->npend - i);
	in->npend -= i;
}

void input_feed(Input *in, const char *buf, size_t len)
{
	if (in->timer) {
		loop_timer_cancel(in->loop, in->timer);
		in->timer = 0;
	}
	while (len > 0) {
		/* Big paste bodies skip the small buffer. */
		if (in->pasting && in->npend == 0) {
			size_t n = paste_feed(in, buf, len);
			buf += n;
			len -= n;
			if (in->pasting && len > 0 && len < sizeof paste_end) {
				memcpy(in->pend, buf, len);
				in->npend = len;
				len = 0;
			}
			continue;
		}
		size_t room = PEND_MAX - in->npend, n = len < room ? len : room;
		memcpy(in->pend + in->npend, buf, n);
		in->npend += n;
		buf += n;
		len -= n;
		drain(in, false);
		if (in->npend == PEND_MAX)
			drain(in, true); /* garbage that never completes */
	}
	/* Inside a paste a cut end marker just waits: no timeout. */
	if (in->npend && in->loop && !in->pasting)
		in->timer = loop_timer_add(in->loop, INPUT_ESC_TIMEOUT_MS, false, on_timeout, in);
}

void input_flush(Input *in)
{
	if (in->timer && in->loop) {
		loop_timer_cancel(in->loop, in->timer);
		in->timer = 0;
	}
	drain(in, true);
}
