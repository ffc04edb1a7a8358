/* Term: ncursesw set-up, cell drawing and terminal restore. The only file
 * that includes curses.h. Every cell is checked again before it is drawn:
 * control characters, invalid bytes and anything the terminal's wcwidth
 * does not know become visible escapes (^X, <xx>) or '?', never raw bytes.
 *
 * The terminal is a process-wide resource and the fatal-signal handler
 * must restore it, so its state lives in one static struct (the only
 * global here, like a signal flag). */
#define NCURSES_WIDECHAR 1
#include "editor/term.h"
#include "buffer/utf8.h"
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

/* Modes we turn on: button + drag mouse reports in SGR form, bracketed
 * paste, focus in/out reports. */
#define MODES_ON "\033[?1000h\033[?1002h\033[?1006h\033[?2004h\033[?1004h"
#define MODES_OFF "\033[?1006l\033[?1002l\033[?1000l\033[?2004l\033[?1004l"
/* What the fatal-signal handler writes: modes off, attributes reset,
 * cursor shown, alternate screen left. */
#define RESTORE MODES_OFF "\033[0m\033[?25h\033[?1049l\r\n"

enum { P_SEL = 1, P_MATCH, P_LINENO, P_ESC, P_ERR, P_SELESC, P_DYN };

static struct {
	bool active;
	SCREEN *scr;
	FILE *out, *in;
	int infd, outfd, ttyfd;
	struct termios orig;
	bool have_orig;
	bool colors;
	bool utf8;
	int w, h;
	Cell *prev;        /* what is on screen, w * h */
	uint32_t dyn[256]; /* plugin colours: pair P_DYN + i is (fg << 16 | bg) */
	int ndyn;
	bool prev_valid;
} T = {.infd = -1, .outfd = -1, .ttyfd = -1};

static void put(const char *s)
{
	size_t len = strlen(s);
	while (len > 0) {
		ssize_t n = write(T.outfd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* ===== fatal signals ===================================================== */

static const int fatal_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGHUP, SIGQUIT, SIGINT};

/* Async-signal-safe: write() and tcsetattr() only, then die by the signal. */
static void on_fatal(int sig)
{
	if (T.active) {
		static const char r[] = RESTORE;
		(void)!write(T.outfd, r, sizeof r - 1);
		if (T.have_orig)
			tcsetattr(T.outfd, TCSANOW, &T.orig);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void fatal_handlers(bool on)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on ? on_fatal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = on ? (int)(SA_RESETHAND | SA_NODEFER) : 0;
	for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++)
		sigaction(fatal_sigs[i], &sa, NULL);
}

/* ===== set-up ============================================================ */

/* Raw input: no echo, no line editing, no signal keys, no flow control, no
 * CR/NL translation, so Ctrl-S/Q/Z/C/V arrive as bytes. */
static void raw_mode(void)
{
	struct termios tio;
	if (tcgetattr(T.outfd, &tio) != 0)
		return;
	tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | ICRNL | INLCR | IGNCR | ISTRIP | BRKINT | PARMRK);
	tio.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	tio.c_cflag |= CS8;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	tcsetattr(T.outfd, TCSANOW, &tio);
	def_prog_mode();
}

static void colors_init(void)
{
	T.colors = has_colors() && start_color() == OK;
	if (!T.colors)
		return;
	use_default_colors();
	init_pair(P_SEL, COLOR_WHITE, COLOR_BLUE);
	init_pair(P_MATCH, COLOR_BLACK, COLOR_YELLOW);
	init_pair(P_LINENO, COLOR_YELLOW, -1);
	init_pair(P_ESC, COLOR_MAGENTA, -1);
	init_pair(P_ERR, COLOR_RED, -1);
	init_pair(P_SELESC, COLOR_MAGENTA, COLOR_BLUE);
	T.ndyn = 0;
}

static int tty_fd(int fd, int flags)
{
	if (isatty(fd))
		return fd;
	if (T.ttyfd < 0)
		T.ttyfd = open("/dev/tty", flags | O_CLOEXEC);
	return T.ttyfd;
}

bool term_init(void)
{
	if (T.active)
		return true;
	setlocale(LC_CTYPE, "");
	T.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	T.infd = tty_fd(0, O_RDWR);
	T.outfd = tty_fd(1, O_RDWR);
	if (T.infd < 0 || T.outfd < 0) {
		errno = ENOTTY;
		return false;
	}
	T.have_orig = tcgetattr(T.outfd, &T.orig) == 0;
	T.out = fdopen(dup(T.outfd), "w");
	T.in = fdopen(dup(T.infd), "r");
	if (!T.out || !T.in) {
		errno = ENOTTY;
		return false;
	}
	use_env(FALSE);
	T.scr = newterm(NULL, T.out, T.in);
	if (!T.scr) {
		/* An unknown TERM, or one without cursor addressing. */
		errno = EINVAL;
		return false;
	}
	set_term(T.scr);
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, FALSE);
	meta(stdscr, TRUE);
	typeahead(-1);
	scrollok(stdscr, FALSE);
	leaveok(stdscr, FALSE);
	raw_mode();
	colors_init();
	T.active = true;
	fatal_handlers(true);
	term_update_size();
	refresh();
	put(MODES_ON);
	return true;
}

void term_fini(void)
{
	if (!T.active)
		return;
	put(MODES_OFF);
	endwin();
	if (T.have_orig)
		tcsetattr(T.outfd, TCSANOW, &T.orig);
	T.active = false;
	fatal_handlers(false);
	delscreen(T.scr);
	T.scr = NULL;
	fclose(T.out);
	fclose(T.in);
	if (T.ttyfd >= 0)
		close(T.ttyfd);
	T.ttyfd = -1;
	free(T.prev);
	T.prev = NULL;
	T.prev_valid = false;
}

int term_input_fd(void) { return T.infd; }

void term_size(int *w, int *h)
{
	*w = T.w > 0 ? T.w : 1;
	*h = T.h > 0 ? T.h : 1;
}

bool term_update_size(void)
{
	struct winsize ws;
	int w = COLS, h = LINES;
	if (ioctl(T.outfd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
		w = ws.ws_col;
		h = ws.ws_row;
	}
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (w == T.w && h == T.h && T.prev)
		return false;
	if (w != COLS || h != LINES)
		resizeterm(h, w);
	Cell *np = calloc((size_t)w * (size_t)h, sizeof *np);
	if (np) {
		free(T.prev);
		T.prev = np;
	}
	T.w = w;
	T.h = h;
	T.prev_valid = false;
	clearok(curscr, TRUE);
	return true;
}

void term_invalidate(void)
{
	T.prev_valid = false;
	clearok(curscr, TRUE);
}

/* ===== cells ============================================================= */

int term_cp_width(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return -1;
	if (cp >= 0x80 && !T.utf8)
		return -1;
	return wcwidth((wchar_t)cp);
}

/* A plugin colour (Cell.fg/bg: 0 default, else 1 + a 256-colour index)
 * as the terminal has it: the index itself, or the nearest of 8. */
static short fit_color(uint16_t c)
{
	static const int lv[6] = {0, 95, 135, 175, 215, 255};
	int i = (int)c - 1, r, g, b;
	if (c == 0)
		return -1;
	if (i < COLORS)
		return (short)i;
	if (i < 16)
		return (short)(i - 8);
	if (i >= 232) {
		r = g = b = 8 + 10 * (i - 232);
	} else {
		i -= 16;
		r = lv[i / 36];
		g = lv[i / 6 % 6];
		b = lv[i % 6];
	}
	return (short)((r >= 128) | (g >= 128) << 1 | (b >= 128) << 2);
}

/* The colour pair for plugin colours, made on first use (0 once the
 * terminal's pairs run out). */
static short dyn_pair(uint16_t fg, uint16_t bg)
{
	uint32_t key = (uint32_t)fg << 16 | bg;
	for (int i = 0; i < T.ndyn; i++)
		if (T.dyn[i] == key)
			return (short)(P_DYN + i);
	if (T.ndyn == (int)(sizeof T.dyn / sizeof T.dyn[0]) || P_DYN + T.ndyn >= COLOR_PAIRS)
		return 0;
	if (init_pair((short)(P_DYN + T.ndyn), fit_color(fg), fit_color(bg)) != OK)
		return 0;
	T.dyn[T.ndyn] = key;
	return (short)(P_DYN + T.ndyn++);
}

static void style_attr(uint16_t s, uint16_t fg, uint16_t bg, attr_t *a, short *pair)
{
	*a = A_NORMAL;
	*pair = 0;
	if (s & RS_LINENO)
		*pair = P_LINENO;
	if (s & RS_LINENO_CUR)
		*a |= A_BOLD;
	if (s & RS_ESCAPE)
		*pair = P_ESC;
	if (s & RS_MATCH)
		*pair = P_MATCH;
	if (s & RS_SEL)
		*pair = (s & RS_ESCAPE) ? P_SELESC : P_SEL;
	if (s & RS_ERROR) {
		*pair = P_ERR;
		*a |= A_BOLD;
	}
	if (s & (RS_STATUS | RS_CURSOR | RS_PRIMARY))
		*a |= A_REVERSE;
	if (s & RS_DIM)
		*a |= A_DIM;
	if (s & RS_BOLD)
		*a |= A_BOLD;
	if (s & RS_TITLE)
		*a |= A_BOLD | A_UNDERLINE;
	if (s & RS_UNDERLINE)
		*a |= A_UNDERLINE;
	if (s & RS_REVERSE)
		*a |= A_REVERSE;
#ifdef A_ITALIC
	if (s & RS_ITALIC)
		*a |= A_ITALIC;
#endif
	if (*pair == 0 && (fg || bg) && T.colors)
		*pair = dyn_pair(fg, bg);
	if (!T.colors) {
		if (*pair == P_SEL || *pair == P_MATCH || *pair == P_SELESC)
			*a |= A_REVERSE;
		if (*pair == P_ESC || *pair == P_LINENO)
			*a |= A_DIM;
		*pair = 0;
	}
}

static void put_wch(int x, int y, const wchar_t *wc, uint16_t style, const Cell *c)
{
	attr_t a;
	short pair;
	cchar_t cc;
	style_attr(style, c->fg, c->bg, &a, &pair);
	if (setcchar(&cc, wc, a, pair, NULL) != OK) {
		static const wchar_t q[] = L"?";
		setcchar(&cc, q, a, pair, NULL);
	}
	mvadd_wch(y, x, &cc);
}

/* True when the text cell at x will be drawn 2 columns wide. */
static bool drawn_wide(const Grid *g, int x, int y)
{
	const Cell *c = &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
	return c->kind == RC_TEXT && x + 1 < g->w && c[1].kind == RC_CONT && term_cp_width(c->cp) == 2;
}

/* A cell whose character has emoji joined to it (a ZWJ sequence such as a
 * family): a cchar_t holds combining marks only, so ncurses gets the first
 * emoji (its width right) and the whole sequence is written over it after
 * the refresh (overlay_joined). */
static bool has_joined(const Cell *c)
{
	for (int i = 0; i < RENDER_MAXCOMB && c->comb[i]; i++)
		if (term_cp_width(c->comb[i]) > 0)
			return true;
	return false;
}

static void draw_text(const Grid *g, int x, int y, const Cell *c)
{
	wchar_t wc[CCHARW_MAX + 1];
	int want = (x + 1 < g->w && c[1].kind == RC_CONT) ? 2 : 1;
	int n = 0;
	if (has_joined(c) && term_cp_width(c->cp) == want) {
		wc[0] = (wchar_t)c->cp;
		wc[1] = 0;
		put_wch(x, y, wc, c->style, c);
		return;
	}
	if (term_cp_width(c->cp) != want) {
		/* The terminal disagrees about this character: a placeholder. */
		wc[n++] = L'?';
		wc[n] = 0;
		put_wch(x, y, wc, c->style | RS_ESCAPE, c);
		return;
	}
	wc[n++] = (wchar_t)c->cp;
	for (int i = 0; i < RENDER_MAXCOMB && c->comb[i] && n < CCHARW_MAX; i++)
		if (c->comb[i] >= 0x300 && term_cp_width(c->comb[i]) == 0)
			wc[n++] = (wchar_t)c->comb[i];
	wc[n] = 0;
	put_wch(x, y, wc, c->style, c);
}

static void draw_cell(const Grid *g, int x, int y)
{
	const Cell *c = &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
	wchar_t wc[2] = {L' ', 0};
	switch (c->kind) {
	case RC_TEXT:
		draw_text(g, x, y, c);
		return;
	case RC_CONT:
		if (x > 0 && drawn_wide(g, x - 1, y))
			return;
		break;
	case RC_ESC_CP:
	case RC_ESC_BYTE: {
		char esc[12];
		int n = render_escape_text(c, esc);
		wc[0] = (wchar_t)(unsigned char)(c->part < n ? esc[c->part] : '?');
		put_wch(x, y, wc, c->style | RS_ESCAPE, c);
		return;
	}
	default:
		break;
	}
	put_wch(x, y, wc, c->style, c);
}

static bool same_cell(const Cell *a, const Cell *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* The SGR sequence for a cell's attributes and colour pair (xterm
 * codes, as the modes brisk turns on). */
static size_t sgr_of(const Cell *c, char *out, size_t size)
{
	attr_t a;
	short pair, fg = -1, bg = -1;
	style_attr(c->style, c->fg, c->bg, &a, &pair);
	if (pair > 0)
		pair_content(pair, &fg, &bg);
	int n = snprintf(out, size, "\033[0%s%s%s%s%s", a & A_BOLD ? ";1" : "", a & A_DIM ? ";2" : "",
#ifdef A_ITALIC
	                 a & A_ITALIC ? ";3" : "",
#else
	                 "",
#endif
	                 a & A_UNDERLINE ? ";4" : "", a & A_REVERSE ? ";7" : "");
	if (fg >= 0)
		n += snprintf(out + n, size - (size_t)n, ";38;5;%d", fg);
	if (bg >= 0)
		n += snprintf(out + n, size - (size_t)n, ";48;5;%d", bg);
	n += snprintf(out + n, size - (size_t)n, "m");
	return (size_t)n;
}

/* Writes the joined sequences of the rows that changed over what ncurses
 * drew there (their first emoji), after its refresh. The cursor and the
 * attributes are saved and restored around it (DECSC/DECRC), so ncurses'
 * idea of the terminal stays true. */
static void overlay_joined(const Grid *g, const bool *dirty, int h, int w)
{
	char out[4096];
	size_t n = 0;
	bool saved = false;
	for (int y = 0; y < h; y++) {
		for (int x = 0; dirty[y] && x + 1 < w; x++) {
			const Cell *c = &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
			if (c->kind != RC_TEXT || c[1].kind != RC_CONT || !has_joined(c) || term_cp_width(c->cp) != 2)
				continue;
			if (n + 128 + 4 * RENDER_MAXCOMB > sizeof out) {
				put(out);
				n = 0;
			}
			if (!saved)
				n = (size_t)snprintf(out, sizeof out, "\0337");
			saved = true;
			n += (size_t)snprintf(out + n, sizeof out - n, "\033[%d;%dH", y + 1, x + 1);
			n += sgr_of(c, out + n, sizeof out - n);
			n += utf8_encode(c->cp, out + n);
			/* Only printable code points (and the joiner) reach the terminal. */
			for (int i = 0; i < RENDER_MAXCOMB && c->comb[i]; i++)
				if (c->comb[i] == 0x200d || term_cp_width(c->comb[i]) >= 0)
					n += utf8_encode(c->comb[i], out + n);
			out[n] = '\0';
		}
	}
	if (!saved)
		return;
	snprintf(out + n, sizeof out - n, "\0338");
	put(out);
}

void term_draw(const Grid *g, int cx, int cy)
{
	if (!T.active || !T.prev)
		return;
	int w = g->w < T.w ? g->w : T.w, h = g->h < T.h ? g->h : T.h;
	bool dirty[h > 0 ? h : 1];
	for (int y = 0; y < h; y++) {
		const Cell *row = &g->cells[(size_t)y * (size_t)g->w];
		Cell *prow = &T.prev[(size_t)y * (size_t)T.w];
		bool left_changed = false;
		dirty[y] = false;
		for (int x = 0; x < w; x++) {
			bool changed = !T.prev_valid || g->w != T.w || !same_cell(&row[x], &prow[x]);
			if (changed || left_changed)
				draw_cell(g, x, y);
			dirty[y] |= changed;
			left_changed = changed;
			prow[x] = row[x];
		}
	}
	T.prev_valid = g->w == T.w && g->h == T.h;
	if (cx >= 0 && cy >= 0 && cx < T.w && cy < T.h) {
		move(cy, cx);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
	overlay_joined(g, dirty, h, w);
}

/* ===== suspend, clipboard ================================================ */

void term_suspend(void)
{
	if (!T.active)
		return;
	put(MODES_OFF);
	endwin();
	if (T.have_orig)
		tcsetattr(T.outfd, TCSANOW, &T.orig);
	struct sigaction dfl, old;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &old);
	kill(0, SIGTSTP);
	/* Stopped here until SIGCONT. */
	sigaction(SIGTSTP, &old, NULL);
	reset_prog_mode();
	raw_mode();
	refresh();
	put(MODES_ON);
	term_update_size();
	term_invalidate();
}

void term_resume(void)
{
	if (!T.active)
		return;
	raw_mode();
	put(MODES_ON);
	term_update_size();
	term_invalidate();
}

void term_clipboard(const char *s, size_t len)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	if (!T.active || len > (1u << 20))
		return;
	char *out = malloc(len / 3 * 4 + 16);
	if (!out)
		return;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)(unsigned char)s[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)(unsigned char)s[i + 1] << 8;
		if (i + 2 < len)
			v |= (unsigned char)s[i + 2];
		out[o++] = b64[(v >> 18) & 63];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? b64[v & 63] : '=';
	}
	out[o] = 0;
	put("\033]52;c;");
	put(out);
	put("\a");
	free(out);
}

void term_bell(void)
{
	if (T.active)
		put("\a");
}

const char *term_lib_version(void)
{
	return curses_version();
}
