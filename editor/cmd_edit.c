/* Editing commands. Each builds one edit per selection and applies them
 * as one batch: one pass over the buffer, one undo step. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/multi.h"
#include "editor/sysclip.h"
#include "buffer/search.h"
#include "buffer/utf8.h"
#include "buffer/array.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cmd_fix_overlaps(Edit *e, size_t n)
{
	size_t prev_end = 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i].pos < prev_end) {
			size_t cut = prev_end - e[i].pos;
			e[i].del = e[i].del > cut ? e[i].del - cut : 0;
			e[i].pos = prev_end;
		}
		prev_end = e[i].pos + e[i].del;
	}
}

bool cmd_word_at(Buffer *b, size_t pos, size_t *start, size_t *end)
{
	Text *t = b->text;
	size_t s = pos, e = pos, len = text_len(t);
	while (s > 0 && search_is_word_byte(text_byte(t, s - 1)))
		s--;
	while (e < len && search_is_word_byte(text_byte(t, e)))
		e++;
	if (s == e)
		return false;
	*start = s;
	*end = e;
	return true;
}

static Edit *edits_for(Editor *ed, size_t n)
{
	Edit *e = calloc(n ? n : 1, sizeof *e);
	if (!e)
		msg_error(ed, "%s", strerror(ENOMEM));
	return e;
}

/* Deletes each non-empty selection, or the range motion() gives for an
 * empty one. */
static bool delete_each(Editor *ed, size_t (*from)(Text *, size_t), size_t (*to)(Text *, size_t), int kind)
{
	Buffer *b = ed->cur;
	SelSet *ss = &b->sels;
	Edit *e = edits_for(ed, ss->n);
	if (!e)
		return false;
	for (size_t i = 0; i < ss->n; i++) {
		size_t s = sel_start(ss->v[i]), en = sel_end(ss->v[i]);
		if (s == en) {
			s = from ? from(b->text, s) : s;
			en = to ? to(b->text, en) : en;
		}
		e[i] = (Edit){s, en - s, NULL, 0};
	}
	cmd_fix_overlaps(e, ss->n);
	/* Nothing to delete (every cursor at the edge): no empty undo step. */
	bool any = false;
	for (size_t i = 0; i < ss->n && !any; i++)
		any = e[i].del > 0;
	bool ok = !any || buf_apply(ed, b, e, ss->n, kind, PLACE_AFTER);
	free(e);
	return ok;
}

static size_t prev_grapheme(Text *t, size_t p)
{
	size_t q = utf8_prev_grapheme(t, p);
	/* CRLF goes as one. */
	if (q > 0 && p - q == 1 && text_byte(t, q) == '\n' && text_byte(t, q - 1) == '\r')
		q--;
	return q;
}

static size_t next_grapheme(Text *t, size_t p) { return utf8_next_grapheme(t, p); }

static size_t word_back(Text *t, size_t p)
{
	while (p > 0 && (text_byte(t, p - 1) == ' ' || text_byte(t, p - 1) == '\t'))
		p--;
	if (p > 0 && !search_is_word_byte(text_byte(t, p - 1)))
		return p - 1;
	while (p > 0 && search_is_word_byte(text_byte(t, p - 1)))
		p--;
	return p;
}

static size_t word_fwd(Text *t, size_t p)
{
	size_t len = text_len(t);
	while (p < len && (text_byte(t, p) == ' ' || text_byte(t, p) == '\t'))
		p++;
	if (p < len && !search_is_word_byte(text_byte(t, p)))
		return p + 1;
	while (p < len && search_is_word_byte(text_byte(t, p)))
		p++;
	return p;
}

bool cmd_delete_back(Editor *ed, const char *args) { return delete_each(ed, prev_grapheme, NULL, TXN_TYPING); }
bool cmd_delete_forward(Editor *ed, const char *args) { return delete_each(ed, NULL, next_grapheme, TXN_TYPING); }
bool cmd_delete_word_back(Editor *ed, const char *args) { return delete_each(ed, word_back, NULL, TXN_PLAIN); }
bool cmd_delete_word_forward(Editor *ed, const char *args) { return delete_each(ed, NULL, word_fwd, TXN_PLAIN); }

/* Leading blanks of the line holding pos, up to pos. */
static size_t indent_len(Text *t, size_t ls, size_t pos)
{
	size_t p = ls;
	int c;
	while (p < pos && ((c = text_byte(t, p)) == ' ' || c == '\t'))
		p++;
	return p - ls;
}

bool cmd_newline(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	Text *t = b->text;
	SelSet *ss = &b->sels;
	Edit *e = edits_for(ed, ss->n);
	char **ins = calloc(ss->n ? ss->n : 1, sizeof *ins);
	if (!e || !ins) {
		free(e);
		free(ins);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	const char *eol = b->crlf ? "\r\n" : "\n";
	size_t eoll = strlen(eol);
	bool ok = true;
	for (size_t i = 0; i < ss->n && ok; i++) {
		size_t s = sel_start(ss->v[i]), en = sel_end(ss->v[i]);
		size_t ls = text_line_start_at(t, s);
		size_t il = ed->autoindent ? indent_len(t, ls, s) : 0;
		ins[i] = malloc(eoll + il + 1);
		if (!ins[i]) {
			ok = false;
			break;
		}
		memcpy(ins[i], eol, eoll);
		text_copy(t, ls, il, ins[i] + eoll);
		e[i] = (Edit){s, en - s, ins[i], eoll + il};
	}
	if (ok)
		ok = buf_apply(ed, b, e, ss->n, TXN_TYPING, PLACE_AFTER);
	else
		msg_error(ed, "%s", strerror(ENOMEM));
	for (size_t i = 0; i < ss->n; i++)
		free(ins[i]);
	free(ins);
	free(e);
	return ok;
}

/* Indents (or outdents) every line touched by each selection. */
static bool shift_lines(Editor *ed, bool in)
{
	Buffer *b = ed->cur;
	Text *t = b->text;
	SelSet *ss = &b->sels;
	char unit[64];
	size_t ulen = ed->expandtab ? (size_t)(ed->tabw < 64 ? ed->tabw : 63) : 1;
	memset(unit, ed->expandtab ? ' ' : '\t', ulen);
	size_t cap = 0, n = 0;
	Edit *e = NULL;
	size_t last_line = BUF_NOPOS;
	for (size_t i = 0; i < ss->n; i++) {
		size_t s = sel_start(ss->v[i]), en = sel_end(ss->v[i]);
		size_t l0 = text_line_of(t, s), l1 = text_line_of(t, en);
		if (l1 > l0 && en == text_line_start(t, l1))
			l1--;
		for (size_t l = l0; l <= l1; l++) {
			if (l == last_line && last_line != BUF_NOPOS)
				continue;
			last_line = l;
			size_t ls = text_line_start(t, l);
			if (!ARRAY_RESERVE(e, cap, n + 1)) {
				free(e);
				return msg_error(ed, "%s", strerror(ENOMEM));
			}
			if (in) {
				if (text_line_end_at(t, ls) == ls && l0 != l1)
					continue; /* leave empty lines empty */
				e[n++] = (Edit){ls, 0, unit, ulen};
			} else {
				size_t k = 0;
				if (text_byte(t, ls) == '\t')
					k = 1;
				else
					while (k < (size_t)ed->tabw && text_byte(t, ls + k) == ' ')
						k++;
				if (k)
					e[n++] = (Edit){ls, k, NULL, 0};
			}
		}
	}
	bool ok = multi_apply(ed, b, e, n, TXN_PLAIN, multi_place_keep_starts, NULL);
	free(e);
	return ok;
}

bool cmd_indent(Editor *ed, const char *args) { return shift_lines(ed, true); }
bool cmd_outdent(Editor *ed, const char *args) { return shift_lines(ed, false); }

bool cmd_indent_or_tab(Editor *ed, const char *args)
{
	SelSet *ss = &ed->cur->sels;
	Text *t = ed->cur->text;
	for (size_t i = 0; i < ss->n; i++)
		if (text_line_of(t, sel_start(ss->v[i])) != text_line_of(t, sel_end(ss->v[i])))
			return shift_lines(ed, true);
	if (!ed->expandtab)
		return ed_type(ed, "\t", 1);
	/* Spaces to the next tab stop, per cursor. */
	Edit *e = edits_for(ed, ss->n);
	static const char spaces[] = "                                                                ";
	if (!e)
		return false;
	for (size_t i = 0; i < ss->n; i++) {
		size_t s = sel_start(ss->v[i]);
		size_t col = utf8_columns(t, text_line_start_at(t, s), s, ed->tabw);
		size_t w = (size_t)ed->tabw - col % (size_t)ed->tabw;
		e[i] = (Edit){s, sel_end(ss->v[i]) - s, spaces, w < 64 ? w : 64};
	}
	bool ok = buf_apply(ed, ed->cur, e, ss->n, TXN_TYPING, PLACE_AFTER);
	free(e);
	return ok;
}

bool cmd_undo(Editor *ed, const char *args) { return buf_undo(ed, ed->cur); }
bool cmd_redo(Editor *ed, const char *args) { return buf_redo(ed, ed->cur); }

/* ===== clipboard ========================================================= */

static void clip_clear(Clipboard *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->parts[i]);
	free(c->parts);
	free(c->lens);
	memset(c, 0, sizeof *c);
}

static char *clip_joined(Clipboard *c, size_t *len);

/* Copies each selection (or each cursor's line when nothing is selected). */
static bool copy_sels(Editor *ed)
{
	Buffer *b = ed->cur;
	Text *t = b->text;
	SelSet *ss = &b->sels;
	bool box = multi_box_active(b), lines = !box && !sel_any_selected(ss);
	Clipboard c = {0};
	c.parts = calloc(ss->n, sizeof *c.parts);
	c.lens = calloc(ss->n, sizeof *c.lens);
	if (!c.parts || !c.lens) {
		clip_clear(&c);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	c.n = ss->n;
	c.linewise = lines;
	c.box = box;
	for (size_t i = 0; i < ss->n; i++) {
		size_t s = sel_start(ss->v[i]), e = sel_end(ss->v[i]);
		bool add_nl = false;
		if (lines) {
			s = text_line_start_at(t, s);
			e = text_line_end_at(t, e);
			if (e < text_len(t))
				e++;
			else
				add_nl = true; /* the last line: a line still ends in one */
		}
		c.parts[i] = text_dup(t, s, e - s + add_nl);
		c.lens[i] = e - s + add_nl;
		if (!c.parts[i]) {
			clip_clear(&c);
			return msg_error(ed, "%s", strerror(ENOMEM));
		}
		if (add_nl)
			c.parts[i][e - s] = '\n';
	}
	clip_clear(&ed->clip);
	ed->clip = c;
	/* The desktop gets the pieces one per line. */
	size_t len;
	char *all = clip_joined(&ed->clip, &len);
	if (all)
		sysclip_copy(ed, all, len);
	free(all);
	return true;
}

bool cmd_copy(Editor *ed, const char *args)
{
	if (!copy_sels(ed))
		return false;
	msg_info(ed, "copied %zu %s", ed->clip.n, ed->clip.n == 1 ? "selection" : "selections");
	return true;
}

bool cmd_cut(Editor *ed, const char *args)
{
	if (ed->cur->readonly)
		return msg_error(ed, "%s is read-only", ed->cur->name);
	if (!copy_sels(ed))
		return false;
	Buffer *b = ed->cur;
	SelSet *ss = &b->sels;
	Edit *e = edits_for(ed, ss->n);
	if (!e)
		return false;
	size_t len = text_len(b->text);
	for (size_t i = 0; i < ss->n; i++) {
		size_t s = sel_start(ss->v[i]), en = sel_end(ss->v[i]);
		if (ed->clip.linewise) {
			s = text_line_start_at(b->text, s);
			en = s + ed->clip.lens[i];
			/* The last line (no newline of its own) takes the one
			 * before it, so no empty line is left behind. */
			if (en > len) {
				en = len;
				s -= s > 0;
			}
		}
		e[i] = (Edit){s, en - s, NULL, 0};
	}
	cmd_fix_overlaps(e, ss->n);
	bool ok = buf_apply(ed, b, e, ss->n, TXN_PLAIN, PLACE_AFTER);
	free(e);
	return ok;
}

/* Joins the clipboard's parts with newlines (malloc'd). */
static char *clip_joined(Clipboard *c, size_t *len)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		n += c->lens[i] + 1;
	char *s = malloc(n + 1), *p = s;
	if (!s)
		return NULL;
	for (size_t i = 0; i < c->n; i++) {
		memcpy(p, c->parts[i], c->lens[i]);
		p += c->lens[i];
		if (i + 1 < c->n && !(c->linewise))
			*p++ = '\n';
	}
	*len = (size_t)(p - s);
	return s;
}

static bool paste_parts(Editor *ed, char **parts, size_t *lens, size_t nparts, bool linewise)
{
	Buffer *b = ed->cur;
	SelSet *ss = &b->sels;
	Edit *e = edits_for(ed, ss->n);
	if (!e)
		return false;
	for (size_t i = 0; i < ss->n; i++) {
		size_t k = nparts == ss->n ? i : 0;
		size_t s = sel_start(ss->v[i]), en = sel_end(ss->v[i]);
		if (linewise && s == en)
			s = en = text_line_start_at(b->text, s);
		e[i] = (Edit){s, en - s, parts[k], lens[k]};
	}
	/* A line start can fall inside an earlier selection on that line. */
	cmd_fix_overlaps(e, ss->n);
	bool ok = buf_apply(ed, b, e, ss->n, TXN_PLAIN, linewise ? PLACE_MAP : PLACE_AFTER);
	free(e);
	return ok;
}

/* Text copied in another program since brisk's last copy replaces brisk's
 * clipboard (as one piece); the same text keeps brisk's pieces, so a
 * per-cursor, line or column copy pastes as such. */
static void clip_take_system(Editor *ed)
{
	size_t len, ours_len = 0;
	char *sys = sysclip_paste(ed, &len);
	if (!sys)
		return;
	char *ours = ed->clip.n ? clip_joined(&ed->clip, &ours_len) : NULL;
	bool same = ours && ours_len == len && memcmp(ours, sys, len) == 0;
	free(ours);
	Clipboard c = {0};
	c.parts = malloc(sizeof *c.parts);
	c.lens = malloc(sizeof *c.lens);
	if (same || !c.parts || !c.lens) {
		free(c.parts);
		free(c.lens);
		free(sys);
		return;
	}
	c.parts[0] = sys;
	c.lens[0] = len;
	c.n = 1;
	clip_clear(&ed->clip);
	ed->clip = c;
}

bool cmd_paste(Editor *ed, const char *args)
{
	clip_take_system(ed);
	Clipboard *c = &ed->clip;
	SelSet *ss = &ed->cur->sels;
	if (c->n == 0)
		return msg_error(ed, "the clipboard is empty");
	if (c->n == ss->n)
		return paste_parts(ed, c->parts, c->lens, c->n, c->linewise);
	/* A column cut/copy at one cursor: the rows as a block. */
	if (c->box && ss->n == 1)
		return multi_paste_block(ed, ed->cur, c->parts, c->lens, c->n);
	/* One text of N lines at N cursors: one line each. */
	if (c->n == 1 && ss->n > 1 && !c->linewise) {
		size_t nl = lines_newlines(c->parts[0], c->lens[0]);
		size_t lines = nl + (c->lens[0] && c->parts[0][c->lens[0] - 1] != '\n');
		if (lines == ss->n) {
			char **parts = calloc(lines, sizeof *parts);
			size_t *lens = calloc(lines, sizeof *lens);
			if (!parts || !lens) {
				free(parts);
				free(lens);
				return msg_error(ed, "%s", strerror(ENOMEM));
			}
			char *p = c->parts[0], *end = p + c->lens[0];
			for (size_t i = 0; i < lines; i++) {
				char *q = memchr(p, '\n', (size_t)(end - p));
				parts[i] = p;
				lens[i] = (size_t)((q ? q : end) - p);
				p = q ? q + 1 : end;
			}
			bool ok = paste_parts(ed, parts, lens, lines, false);
			free(parts);
			free(lens);
			return ok;
		}
	}
	size_t len;
	char *all = clip_joined(c, &len);
	if (!all)
		return msg_error(ed, "%s", strerror(ENOMEM));
	bool ok = paste_parts(ed, &all, &len, 1, c->linewise);
	free(all);
	return ok;
}

bool cmd_paste_joined(Editor *ed, const char *args)
{
	clip_take_system(ed);
	Clipboard *c = &ed->clip;
	if (c->n == 0)
		return msg_error(ed, "the clipboard is empty");
	size_t len;
	char *all = clip_joined(c, &len);
	if (!all)
		return msg_error(ed, "%s", strerror(ENOMEM));
	sel_collapse_to_primary(&ed->cur->sels);
	bool ok = paste_parts(ed, &all, &len, 1, false);
	free(all);
	return ok;
}

bool cmd_insert(Editor *ed, const char *args)
{
	return ed_type(ed, args, strlen(args));
}

/* ===== case ============================================================== */

static bool recase(Editor *ed, int how)
{
	Buffer *b = ed->cur;
	SelSet *ss = &b->sels;
	Edit *e = edits_for(ed, ss->n);
	char **bufs = calloc(ss->n ? ss->n : 1, sizeof *bufs);
	if (!e || !bufs) {
		free(e);
		free(bufs);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	size_t n = 0;
	for (size_t i = 0; i < ss->n; i++) {
		size_t s = sel_start(ss->v[i]), en = sel_end(ss->v[i]);
		if (s == en && !cmd_word_at(b, s, &s, &en)) {
			e[n++] = (Edit){s, 0, NULL, 0}; /* keeps edits 1:1 with cursors */
			continue;
		}
		char *p = text_dup(b->text, s, en - s);
		if (!p) {
			e[n++] = (Edit){s, 0, NULL, 0};
			continue;
		}
		for (size_t k = 0; k < en - s; k++) {
			unsigned char c = (unsigned char)p[k];
			if (c >= 0x80)
				continue; /* ASCII only: never touch a UTF-8 sequence */
			if (how == 0 || (how == 2 && islower(c)))
				p[k] = (char)toupper(c);
			else if (how == 1 || (how == 2 && isupper(c)))
				p[k] = (char)tolower(c);
		}
		bufs[n] = p;
		e[n++] = (Edit){s, en - s, p, en - s};
	}
	bool ok = buf_apply(ed, b, e, n, TXN_PLAIN, PLACE_COVER);
	for (size_t i = 0; i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(e);
	return ok;
}

bool cmd_upper_case(Editor *ed, const char *args) { return recase(ed, 0); }
bool cmd_lower_case(Editor *ed, const char *args) { return recase(ed, 1); }
bool cmd_swap_case(Editor *ed, const char *args) { return recase(ed, 2); }
