/* Movement and selection commands: every cursor moves; with select-* the
 * anchors stay, which extends the selections. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/render_hex.h"
#include "editor/multi.h"
#include "editor/filter.h"
#include "editor/render.h"
#include "editor/split.h"
#include "buffer/search.h"
#include "buffer/utf8.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef size_t (*Motion)(Editor *ed, Buffer *b, Sel s, size_t i);

static int box_dir(Motion m);

static bool move_all(Editor *ed, Motion m, bool extend)
{
	Buffer *b = ed->cur;
	if (!b)
		return false;
	SelSet *ss = &b->sels;
	/* A live column mark: the arrows move its corner (multi.h). */
	if (multi_box_active(b)) {
		int dir = box_dir(m);
		if (dir >= 0)
			return multi_box_move(ed, b, dir);
		multi_box_end(b);
	}
	for (size_t i = 0; i < ss->n; i++) {
		size_t to = m(ed, b, ss->v[i], i);
		ss->v[i].head = to;
		if (!extend)
			ss->v[i].anchor = to;
	}
	sel_normalize(ss);
	cmd_follow_primary(ed);
	return true;
}

static size_t m_left(Editor *ed, Buffer *b, Sel s, size_t i)
{
	b->goal_col = BUF_NOPOS;
	return utf8_prev_grapheme(b->text, s.head);
}

static size_t m_right(Editor *ed, Buffer *b, Sel s, size_t i)
{
	b->goal_col = BUF_NOPOS;
	return utf8_next_grapheme(b->text, s.head);
}

/* Plain left/right on a selection first collapse it to its edge. */
static size_t m_left_collapse(Editor *ed, Buffer *b, Sel s, size_t i)
{
	return sel_is_empty(s) ? m_left(ed, b, s, i) : sel_start(s);
}

static size_t m_right_collapse(Editor *ed, Buffer *b, Sel s, size_t i)
{
	return sel_is_empty(s) ? m_right(ed, b, s, i) : sel_end(s);
}

/* Soft-wrapped view: Up/Down go by screen rows (BUF_NOPOS: no wrap). */
static size_t wrapped(Editor *ed, Buffer *b, Sel s, size_t i, long rows)
{
	View *v = split_view(ed);
	if (!v || !v->wrap || ed->win.buf != b)
		return BUF_NOPOS;
	bool prim = i == b->sels.primary;
	size_t goal = prim ? b->goal_col : BUF_NOPOS;
	size_t to = view_move_rows(v, b, ed->tabw, s.head, rows, &goal);
	if (prim && to != BUF_NOPOS)
		b->goal_col = goal;
	return to;
}

static size_t vertical(Editor *ed, Buffer *b, Sel s, size_t i, long lines)
{
	Text *t = b->text;
	size_t by_rows = wrapped(ed, b, s, i, lines);
	if (by_rows != BUF_NOPOS)
		return by_rows;
	size_t line = text_line_of(t, s.head);
	/* Past the first or last line: no column to compute (on a 100 MB line
	 * that would mean reading the whole line). */
	if (lines < 0 && (size_t)-lines > line)
		return 0;
	size_t target = line + (size_t)lines;
	if (lines > 0 && !text_has_line(t, target))
		return text_len(t);
	bool prim = i == b->sels.primary;
	size_t col = prim && b->goal_col != BUF_NOPOS ? b->goal_col :
	             utf8_columns(t, text_line_start(t, line), s.head, ed->tabw);
	if (prim)
		b->goal_col = col;
	return utf8_offset_at_column(t, text_line_start(t, target), col, ed->tabw);
}

static size_t m_up(Editor *ed, Buffer *b, Sel s, size_t i) { return vertical(ed, b, s, i, -1); }
static size_t m_down(Editor *ed, Buffer *b, Sel s, size_t i) { return vertical(ed, b, s, i, 1); }

static long page(Editor *ed)
{
	return ed->win.h > 2 ? ed->win.h - 1 : 1;
}

static size_t m_pgup(Editor *ed, Buffer *b, Sel s, size_t i) { return vertical(ed, b, s, i, -page(ed)); }
static size_t m_pgdn(Editor *ed, Buffer *b, Sel s, size_t i) { return vertical(ed, b, s, i, page(ed)); }

static size_t m_home(Editor *ed, Buffer *b, Sel s, size_t i)
{
	/* Smart home: first non-blank, then the line start. */
	Text *t = b->text;
	size_t ls = text_line_start_at(t, s.head), p = ls;
	int c;
	while ((c = text_byte(t, p)) == ' ' || c == '\t')
		p++;
	b->goal_col = BUF_NOPOS;
	return s.head == p ? ls : p;
}

static size_t m_end(Editor *ed, Buffer *b, Sel s, size_t i)
{
	size_t e = text_line_end_at(b->text, s.head);
	if (e > 0 && text_byte(b->text, e - 1) == '\r' && text_byte(b->text, e) == '\n')
		e--;
	b->goal_col = BUF_NOPOS;
	return e;
}

static size_t m_start(Editor *ed, Buffer *b, Sel s, size_t i) { return 0; }
static size_t m_bend(Editor *ed, Buffer *b, Sel s, size_t i) { return text_len(b->text); }

static size_t m_word_right(Editor *ed, Buffer *b, Sel s, size_t i)
{
	Text *t = b->text;
	size_t p = s.head, len = text_len(t);
	while (p < len && !search_is_word_byte(text_byte(t, p)) && text_byte(t, p) != '\n')
		p++;
	if (p == s.head && p < len && text_byte(t, p) == '\n')
		return p + 1;
	while (p < len && search_is_word_byte(text_byte(t, p)))
		p++;
	b->goal_col = BUF_NOPOS;
	return p;
}

static size_t m_word_left(Editor *ed, Buffer *b, Sel s, size_t i)
{
	Text *t = b->text;
	size_t p = s.head;
	while (p > 0 && !search_is_word_byte(text_byte(t, p - 1)) && text_byte(t, p - 1) != '\n')
		p--;
	if (p == s.head && p > 0 && text_byte(t, p - 1) == '\n')
		return p - 1;
	while (p > 0 && search_is_word_byte(text_byte(t, p - 1)))
		p--;
	b->goal_col = BUF_NOPOS;
	return p;
}

static int box_dir(Motion m)
{
	static const struct { Motion m; int dir; } map[] = {
		{m_up, MULTI_BOX_UP}, {m_down, MULTI_BOX_DOWN}, {m_left, MULTI_BOX_LEFT},
		{m_left_collapse, MULTI_BOX_LEFT}, {m_right, MULTI_BOX_RIGHT}, {m_right_collapse, MULTI_BOX_RIGHT},
		{m_home, MULTI_BOX_HOME}, {m_end, MULTI_BOX_END}, {m_pgup, MULTI_BOX_PGUP}, {m_pgdn, MULTI_BOX_PGDN},
		{m_start, MULTI_BOX_TOP}, {m_bend, MULTI_BOX_BOTTOM},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].m == m)
			return map[i].dir;
	return -1;
}

#define MOVE(name, fn, ext) bool cmd_##name(Editor *ed, const char *args) { return move_all(ed, fn, ext); }
MOVE(move_left, m_left_collapse, false)
MOVE(move_right, m_right_collapse, false)
MOVE(move_up, m_up, false)
MOVE(move_down, m_down, false)
MOVE(move_home, m_home, false)
MOVE(move_end, m_end, false)
MOVE(page_up, m_pgup, false)
MOVE(page_down, m_pgdn, false)
MOVE(move_buffer_start, m_start, false)
MOVE(move_buffer_end, m_bend, false)
MOVE(move_word_left, m_word_left, false)
MOVE(move_word_right, m_word_right, false)
MOVE(select_left, m_left, true)
MOVE(select_right, m_right, true)
MOVE(select_up, m_up, true)
MOVE(select_down, m_down, true)
MOVE(select_home, m_home, true)
MOVE(select_end, m_end, true)
MOVE(select_page_up, m_pgup, true)
MOVE(select_page_down, m_pgdn, true)
MOVE(select_buffer_start, m_start, true)
MOVE(select_buffer_end, m_bend, true)
MOVE(select_word_left, m_word_left, true)
MOVE(select_word_right, m_word_right, true)

bool cmd_select_all(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	sel_reset(&b->sels, 0);
	b->sels.v[0] = (Sel){0, text_len(b->text)};
	return true;
}

bool cmd_select_line(Editor *ed, const char *args)
{
	/* Selects the cursor's whole line; again extends by one line. */
	Buffer *b = ed->cur;
	Text *t = b->text;
	SelSet *ss = &b->sels;
	for (size_t i = 0; i < ss->n; i++) {
		size_t st = text_line_start_at(t, sel_start(ss->v[i]));
		size_t en = sel_end(ss->v[i]);
		if (!sel_is_empty(ss->v[i]) && en > st && text_byte(t, en - 1) == '\n' && en < text_len(t))
			en++;
		en = text_line_end_at(t, en);
		if (en < text_len(t))
			en++;
		ss->v[i] = (Sel){st, en};
	}
	sel_normalize(ss);
	cmd_follow_primary(ed);
	return true;
}

bool cmd_collapse_selections(Editor *ed, const char *args)
{
	SelSet *ss = &ed->cur->sels;
	multi_box_end(ed->cur);
	if (ss->n > 1) {
		sel_collapse_to_primary(ss);
	} else {
		ss->v[0].anchor = ss->v[0].head;
	}
	ed->occ_word = false;
	return true;
}

/* Lines of the text to go to: the empty "line" after a final newline is
 * none. Counts the whole text (a big file's lines are counted lazily). */
static size_t goto_lines(Text *t)
{
	size_t nlines = text_lines(t), len = text_len(t);
	return nlines > 1 && text_byte(t, len - 1) == '\n' ? nlines - 1 : nlines;
}

/* want, or the last line when the text has fewer: counts only up to the
 * line after want, so a goto in a big file waits only for that part. */
static size_t goto_clamp(Text *t, size_t want)
{
	if (want < SIZE_MAX && text_has_line(t, want + 1))
		return want;
	size_t nlines = goto_lines(t);
	return want >= nlines ? nlines - 1 : want;
}

/* The line a goto argument names (0-based): N, +N / -N from the cursor's
 * line, N% of the way through; clamped to the text. *rest is what follows
 * (":COL"). False when it is none of these. */
static bool goto_target(Buffer *b, const char *args, size_t *line, const char **rest)
{
	Text *t = b->text;
	size_t cur = text_line_of(t, b->sels.v[b->sels.primary].head);
	char sign = *args == '+' || *args == '-' ? *args : 0;
	const char *p = args + (sign != 0);
	if (*p < '0' || *p > '9')
		return false;
	char *end;
	unsigned long long n = strtoull(p, &end, 10);
	if (*end == '%') {
		if (sign || n > 100)
			return false;
		/* 0% is the first line, 100% the last. */
		size_t nlines = goto_lines(t);
		*line = nlines > 1 ? (size_t)((long double)(nlines - 1) * n / 100 + 0.5L) : 0;
		end++;
	} else if (sign == '+') {
		*line = goto_clamp(t, n >= SIZE_MAX - cur ? SIZE_MAX : cur + (size_t)n);
	} else if (sign == '-') {
		*line = n > cur ? 0 : cur - (size_t)n;
	} else {
		if (n == 0)
			return false;
		*line = goto_clamp(t, n >= SIZE_MAX ? SIZE_MAX - 1 : (size_t)n - 1);
	}
	*rest = end;
	return true;
}

/* goto LINE[:COL], +N, -N, N%: COL is the 1-based display column (tabs
 * expanded, as the status bar counts), clamped to the line's end. */
bool cmd_goto_line(Editor *ed, const char *args)
{
	static const char usage[] = "goto: not a line: %s (LINE[:COL], +N, -N or N%%)";
	Buffer *b = ed->cur;
	Text *t = b->text;
	size_t line, col = 0;
	const char *rest;
	while (*args == ' ')
		args++;
	if (!goto_target(b, args, &line, &rest))
		return msg_error(ed, usage, args);
	if (*rest == ':') {
		char *end;
		unsigned long long c = strtoull(rest + 1, &end, 10);
		if (end == rest + 1 || c == 0 || rest[1] == '-')
			return msg_error(ed, usage, args);
		col = c > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)c - 1;
		rest = end;
	}
	while (*rest == ' ')
		rest++;
	if (*rest)
		return msg_error(ed, usage, args);
	size_t pos = text_line_start(t, line);
	if (col)
		pos = utf8_offset_at_column(t, pos, col, ed->tabw);
	sel_reset(&b->sels, pos);
	b->goal_col = BUF_NOPOS;
	cmd_follow_primary(ed);
	return true;
}

bool cmd_goto_matching_bracket(Editor *ed, const char *args)
{
	static const char pairs[] = "()[]{}";
	Buffer *b = ed->cur;
	Text *t = b->text;
	SelSet *ss = &b->sels;
	for (size_t i = 0; i < ss->n; i++) {
		size_t p = ss->v[i].head;
		int c = text_byte(t, p);
		const char *k = c > 0 ? strchr(pairs, c) : NULL;
		if (!k && p > 0 && (c = text_byte(t, p - 1)) > 0 && (k = strchr(pairs, c)))
			p--;
		if (!k)
			continue;
		int open = ((k - pairs) % 2 == 0), depth = 0;
		char mine = *k, other = open ? k[1] : k[-1];
		size_t len = text_len(t);
		for (size_t q = p;;) {
			int d = text_byte(t, q);
			if (d == mine)
				depth++;
			else if (d == other && --depth == 0) {
				ss->v[i] = (Sel){q, q};
				break;
			}
			if (open ? ++q >= len : q-- == 0)
				break;
		}
	}
	sel_normalize(ss);
	cmd_follow_primary(ed);
	return true;
}

void cmd_follow_primary(Editor *ed)
{
	Window *w = &ed->win;
	Buffer *b = ed->cur;
	/* The hex view scrolls by offsets (render_hex.c): no lines to count
	 * (a GB of them, for a goto near the end). */
	if (!b || w->buf != b || w->h <= 0 || render_hex_is_on(b))
		return;
	Text *t = b->text;
	size_t head = b->sels.v[b->sels.primary].head;
	size_t line = text_line_of(t, head);
	size_t top_line = text_line_of(t, w->top);
	/* A log view's filter and folds hide lines: count shown ones. */
	if (b->filter)
		w->top = text_line_start(t, filter_top_for(b->filter, t, top_line, line, (size_t)w->h));
	else if (line < top_line)
		w->top = text_line_start(t, line);
	else if (line >= top_line + (size_t)w->h)
		w->top = text_line_start(t, line - (size_t)w->h + 1);
}
