/* The status bar of the focused buffer. What it can show, by priority:
 * the name, [+], [no journal], the position, a pending chord, the cursor
 * count, "rec", [RO] or [read-only], the selection's size, the line ending and encoding (only when not
 * LF / UTF-8), the file type, the view's mode, the plugins' segments.
 * When the row is too narrow the least important item goes first, down to
 * the name alone (cut at its end as a last resort). */
#include "editor/status.h"
#include "buffer/utf8.h"
#include "editor/journal.h"
#include "editor/macro.h"
#include "editor/render_hex.h"
#include "editor/render_pane.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Bytes of selection counted as characters; beyond it, bytes are shown
 * (counting would read the whole selection at every frame). */
#define COUNT_CHARS_MAX (1u << 20)
/* Selections whose lines are counted (each costs a line index lookup). */
#define COUNT_LINES_MAX 10000
#define STATUS_COUNT (1u << 20) /* bytes the status bar may count for a line number */

enum { I_NAME, I_MOD, I_RO, I_NEW, I_NOJOURNAL, I_TYPE, I_FORMAT, I_SEGS, I_MODE, I_REC, I_CHORD, I_SEL, I_CURSORS, I_POS, I_N };

/* Which items stay longest (higher first) and which side they are on. */
static const struct {
	int prio;
	bool right;
} items[I_N] = {
	[I_NAME] = {100, false}, [I_MOD] = {90, false}, [I_RO] = {60, false}, [I_NEW] = {35, false},
	[I_NOJOURNAL] = {85, false},
	[I_TYPE] = {30, false}, [I_FORMAT] = {40, false}, [I_SEGS] = {10, true}, [I_MODE] = {20, true},
	[I_REC] = {65, true}, [I_CHORD] = {75, true}, [I_SEL] = {50, true}, [I_CURSORS] = {70, true},
	[I_POS] = {80, true},
};

typedef struct Bar {
	char text[I_N][256];
	int w[I_N];
} Bar;

static void set(Bar *bar, int i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set(Bar *bar, int i, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(bar->text[i], sizeof bar->text[i], fmt, ap);
	va_end(ap);
	bar->w[i] = (int)render_text_width(bar->text[i], strlen(bar->text[i]));
}

/* Characters (bytes that do not continue one) in [from, to): a span at
 * a time (the pages text_byte would read), as this runs at every frame. */
static size_t count_chars(const Text *t, size_t from, size_t to)
{
	size_t chars = 0;
	while (from < to) {
		size_t n;
		const unsigned char *p = (const unsigned char *)text_span(t, from, &n);
		if (n == 0)
			break;
		n = n < to - from ? n : to - from;
		for (size_t i = 0; i < n; i++)
			chars += (p[i] & 0xC0) != 0x80;
		from += n;
	}
	return chars;
}

/* "12 chars", "2 lines, 30 chars" (bytes for a huge selection), or "". */
static void selection_size(const Buffer *b, char *out, size_t size)
{
	const SelSet *ss = &b->sels;
	size_t bytes = 0, lines = 0;
	for (size_t i = 0; i < ss->n; i++)
		bytes += sel_end(ss->v[i]) - sel_start(ss->v[i]);
	out[0] = '\0';
	if (bytes == 0)
		return;
	for (size_t i = 0; i < ss->n && ss->n <= COUNT_LINES_MAX; i++) {
		Sel s = ss->v[i];
		if (sel_is_empty(s))
			continue;
		/* A selection ending at a line start does not take that line. */
		size_t last = sel_end(s) - 1;
		lines += text_line_of(b->text, last) - text_line_of(b->text, sel_start(s)) + 1;
	}
	char count[48];
	if (bytes > COUNT_CHARS_MAX) {
		snprintf(count, sizeof count, "%zu bytes", bytes);
	} else {
		size_t chars = 0;
		for (size_t i = 0; i < ss->n; i++)
			chars += count_chars(b->text, sel_start(ss->v[i]), sel_end(ss->v[i]));
		snprintf(count, sizeof count, "%zu %s", chars, chars == 1 ? "char" : "chars");
	}
	if (lines > 1)
		snprintf(out, size, "%zu lines, %s", lines, count);
	else
		snprintf(out, size, "%s", count);
}

static void fill_items(Editor *ed, Buffer *b, size_t col, Bar *bar)
{
	const SelSet *ss = &b->sels;
	size_t head = ss->v[ss->primary].head, line;
	char buf[128];
	set(bar, I_NAME, "%s", b->name);
	set(bar, I_MOD, "%s", buf_is_modified(b) ? " [+]" : "");
	/* [RO]: a view that takes no edits (-R, a log, help); else
	 * [read-only]: a file save refuses without save-force (b->ro_file,
	 * by the view's rule: editor/save.c; it follows a chmod). */
	set(bar, I_RO, "%s", b->readonly ? " [RO]" : b->ro_file ? " [read-only]" : "");
	set(bar, I_NEW, "%s", b->is_new ? " [new]" : "");
	/* Unsaved changes have nowhere to go: said at once (journal.c). */
	set(bar, I_NOJOURNAL, "%s", journal_failing(ed) ? " [no journal]" : "");
	set(bar, I_TYPE, "%s%s", b->filetype[0] ? "  " : "", b->filetype);
	set(bar, I_FORMAT, "%s%s%s", b->crlf || b->binary ? " " : "", b->crlf ? " CRLF" : "", b->binary ? " binary" : "");
	render_status_text(ed, buf, sizeof buf); /* plugins' segments, each + 2 spaces */
	set(bar, I_SEGS, "%s", buf);
	set(bar, I_MODE, "%s%s%s", b->mode[0] ? "[" : "", b->mode, b->mode[0] ? "]  " : "");
	set(bar, I_REC, "%s", macro_is_recording(ed) ? "rec  " : "");
	keys_seq_name(ed->pending, (size_t)ed->npending, buf, sizeof buf - 3);
	set(bar, I_CHORD, "%s%s", buf, buf[0] ? "-  " : "");
	selection_size(b, buf, sizeof buf);
	set(bar, I_SEL, "%s%s", buf, buf[0] ? "  " : "");
	if (ss->n > 1)
		set(bar, I_CURSORS, "%zu cursors (%zu/%zu)  ", ss->n, ss->primary + 1, ss->n);
	else
		set(bar, I_CURSORS, "%s", "");
	if (render_hex_is_on(b))
		set(bar, I_POS, "0x%zx/0x%zx", head, text_len(b->text));
	else if (text_line_of_within(b->text, head, STATUS_COUNT, &line))
		set(bar, I_POS, "%zu:%zu", line + 1, col + 1);
	else /* not counted that far yet (bgindex.c goes on) */
		set(bar, I_POS, "?:%zu", col + 1);
}

/* Drops the least important items until the bar fits in w columns: a
 * leading space, the left items, then (if any) at least a space, the right
 * items and a trailing space. */
static void fit(Bar *bar, bool shown[I_N], int w)
{
	for (;;) {
		int total = 1, right = 0, worst = -1;
		for (int i = 0; i < I_N; i++) {
			if (!shown[i] || !bar->w[i])
				continue;
			total += bar->w[i];
			right += items[i].right;
			if (i != I_NAME && (worst < 0 || items[i].prio < items[worst].prio))
				worst = i;
		}
		total += right > 0 ? 2 : 0;
		if (total <= w || worst < 0)
			return;
		shown[worst] = false;
	}
}

void status_draw(Editor *ed, Buffer *b, size_t col, Grid *g, int y, int w)
{
	Bar bar;
	bool shown[I_N];
	fill_items(ed, b, col, &bar);
	for (int i = 0; i < I_N; i++)
		shown[i] = true;
	fit(&bar, shown, w);
	int x = grid_text(g, 0, y, w, RS_STATUS, " ", 1);
	for (int i = 0; i < I_N; i++)
		if (shown[i] && !items[i].right)
			x += grid_text(g, x, y, w - x, RS_STATUS | (i == I_NAME ? RS_BOLD : 0), bar.text[i], strlen(bar.text[i]));
	int rw = 0;
	for (int i = 0; i < I_N; i++)
		rw += shown[i] && items[i].right ? bar.w[i] : 0;
	int rx = w - 1 - rw;
	if (rx <= x || rw == 0)
		return;
	for (int i = 0; i < I_N; i++) {
		if (!shown[i] || !items[i].right)
			continue;
		int used = grid_text(g, rx, y, w - rx, RS_STATUS, bar.text[i], strlen(bar.text[i]));
		if (i == I_SEGS)
			render_status_style(ed, g, rx, y, used); /* the plugins' colours */
		rx += used;
	}
}
