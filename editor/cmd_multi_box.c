/* Column (box) mark, BRIEF style: Alt-C starts it at the cursor, the arrows
 * then move its head corner and the box is shown as one selection per line
 * (typing, cut, copy and paste then work on every row). Any other command
 * ends it, because the box only stays live while the selections are the
 * ones it made (SelBox in selection.h). Also the block paste of a box cut. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/multi.h"
#include "buffer/utf8.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool same_sel(Sel a, Sel b) { return a.anchor == b.anchor && a.head == b.head; }

/* Where display column col falls on the line starting at ls, never past
 * its end (nor between the CR and LF of a CRLF). */
static size_t at_col(Text *t, size_t ls, size_t col, int tabw)
{
	size_t p = utf8_offset_at_column(t, ls, col, tabw), e = text_line_end_at(t, ls);
	if (e > ls && text_byte(t, e - 1) == '\r' && text_byte(t, e) == '\n')
		e--;
	return p < e ? p : e;
}

bool multi_box_active(const Buffer *b)
{
	const SelSet *ss = &b->sels;
	const SelBox *x = &ss->box;
	return x->on && x->version == b->text->version && x->n == ss->n && ss->n > 0 &&
	       same_sel(x->first, ss->v[0]) && same_sel(x->last, ss->v[ss->n - 1]);
}

void multi_box_end(Buffer *b)
{
	b->sels.box.on = false;
}

bool multi_box_set(Editor *ed, Buffer *b, size_t aline, size_t acol, size_t hline, size_t hcol)
{
	Text *t = b->text;
	/* Lines past the last one are the last one (counted up to them only). */
	aline = text_has_line(t, aline) ? aline : text_line_of(t, text_len(t));
	hline = text_has_line(t, hline) ? hline : text_line_of(t, text_len(t));
	size_t l0 = aline < hline ? aline : hline, l1 = aline < hline ? hline : aline;
	size_t c0 = acol < hcol ? acol : hcol, c1 = acol < hcol ? hcol : acol;
	SelSet ns;
	sel_init(&ns);
	if (!sel_reserve(&ns, l1 - l0 + 1))
		return msg_error(ed, "%s", strerror(ENOMEM));
	size_t ls = text_line_start(t, l0), len = text_len(t);
	for (size_t l = l0; l <= l1; l++) {
		size_t s = at_col(t, ls, c0, ed->tabw);
		size_t e = c1 == c0 ? s : at_col(t, ls, c1, ed->tabw);
		sel_push(&ns, hcol >= acol ? (Sel){s, e} : (Sel){e, s});
		size_t le = text_line_end_at(t, ls);
		ls = le < len ? le + 1 : le;
	}
	ns.primary = hline - l0;
	sel_normalize(&ns);
	sel_replace(&b->sels, &ns, false);
	SelSet *ss = &b->sels;
	ss->box = (SelBox){true, aline, acol, hline, hcol, t->version, ss->v[0], ss->v[ss->n - 1], ss->n};
	b->goal_col = BUF_NOPOS;
	if (b == ed->cur)
		cmd_follow_primary(ed);
	return true;
}

bool multi_box_toggle(Editor *ed, Buffer *b)
{
	SelSet *ss = &b->sels;
	Text *t = b->text;
	if (multi_box_active(b)) {
		sel_collapse_to_primary(ss);
		ss->v[0].anchor = ss->v[0].head;
		msg_info(ed, "column mark off");
		return true;
	}
	Sel p = ss->v[ss->primary];
	size_t al = text_line_of(t, p.anchor), hl = text_line_of(t, p.head);
	size_t ac = utf8_columns(t, text_line_start_at(t, p.anchor), p.anchor, ed->tabw);
	size_t hc = utf8_columns(t, text_line_start_at(t, p.head), p.head, ed->tabw);
	if (!multi_box_set(ed, b, al, ac, hl, hc))
		return false;
	msg_info(ed, "column mark: arrows extend the box, Esc ends it");
	return true;
}

bool multi_box_move(Editor *ed, Buffer *b, int dir)
{
	if (!multi_box_active(b))
		return false;
	SelBox x = b->sels.box;
	Text *t = b->text;
	size_t page = ed->win.h > 2 ? (size_t)ed->win.h - 1 : 1;
	switch (dir) {
	case MULTI_BOX_UP: x.hline -= x.hline > 0; break;
	case MULTI_BOX_DOWN: x.hline += text_has_line(t, x.hline + 1); break;
	case MULTI_BOX_LEFT: x.hcol -= x.hcol > 0; break;
	case MULTI_BOX_RIGHT: x.hcol++; break;
	case MULTI_BOX_HOME: x.hcol = 0; break;
	case MULTI_BOX_END: {
		size_t ls = text_line_start(t, x.hline);
		x.hcol = utf8_columns(t, ls, text_line_end_at(t, ls), ed->tabw);
		break;
	}
	case MULTI_BOX_PGUP: x.hline = x.hline > page ? x.hline - page : 0; break;
	case MULTI_BOX_PGDN: x.hline += page; break; /* multi_box_set stops at the last line */
	case MULTI_BOX_TOP: x.hline = 0; break;
	case MULTI_BOX_BOTTOM: x.hline = text_line_of(t, text_len(t)); break;
	default: return false;
	}
	return multi_box_set(ed, b, x.aline, x.acol, x.hline, x.hcol);
}

bool cmd_column_mark(Editor *ed, const char *args) { return multi_box_toggle(ed, ed->cur); }

/* ===== block paste ======================================================= */

/* Where each row of the block ends: in edit k, `off` bytes into its
 * insert; or (k == SIZE_MAX) at `at`, a row that inserted nothing. */
typedef struct RowEnd {
	size_t k, off, at;
} RowEnd;

typedef struct BlockPlace {
	RowEnd *rows;
	size_t n;
} BlockPlace;

/* A cursor after each row of the block (as a column paste leaves them). */
static void place_block(void *ctx, Buffer *b, const Edit *e, size_t n, const size_t *np)
{
	BlockPlace *bp = ctx;
	SelSet ns;
	sel_init(&ns);
	for (size_t i = 0; i < bp->n; i++) {
		const RowEnd *r = &bp->rows[i];
		size_t pos = r->k == SIZE_MAX ? text_map_pos(e, n, np, r->at) : np[r->k] + r->off;
		if (!sel_push(&ns, (Sel){pos, pos}))
			break;
	}
	if (ns.n == 0) {
		sel_fini(&ns);
		return;
	}
	sel_normalize(&ns);
	sel_fini(&b->sels);
	b->sels = ns;
}

/* One row on an existing line: the row's text at display column col,
 * after spaces where the line is shorter (none for an empty row: padding
 * a short line for nothing leaves trailing blanks). */
static void block_row(Editor *ed, Text *t, size_t ls, size_t col, const char *part, size_t plen, char *out,
                      Edit *e, size_t *ne, RowEnd *re)
{
	size_t at = at_col(t, ls, col, ed->tabw);
	size_t have = utf8_columns(t, ls, at, ed->tabw), pad = col > have && plen ? col - have : 0;
	*re = (RowEnd){SIZE_MAX, 0, at};
	if (pad + plen == 0)
		return;
	memset(out, ' ', pad);
	memcpy(out + pad, part, plen);
	e[*ne] = (Edit){at, 0, out, pad + plen};
	*re = (RowEnd){(*ne)++, pad + plen, at};
}

/* Pastes n rows as a block at the cursor: row i at the cursor's display
 * column on the i-th line below, padding short lines with spaces where a
 * row has text, and adding lines past the end. One batch; a cursor ends
 * after each row. */
bool multi_paste_block(Editor *ed, Buffer *b, char *const *parts, const size_t *lens, size_t n)
{
	Text *t = b->text;
	Sel p = b->sels.v[b->sels.primary];
	size_t pos = sel_start(p), ls = text_line_start_at(t, pos), len = text_len(t);
	size_t col = utf8_columns(t, ls, pos, ed->tabw), total = 0;
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		total += lens[i] + col + 1;
	char *buf = malloc(total);
	Edit *e = calloc(n + 1, sizeof *e);
	BlockPlace bp = {calloc(n, sizeof *bp.rows), n};
	if (!buf || !e || !bp.rows) {
		free(buf);
		free(e);
		free(bp.rows);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	size_t used = 0, ne = 0;
	bool past_end = false;
	for (size_t i = 0; i < n; i++) {
		char *out = buf + used;
		if (!past_end) {
			block_row(ed, t, ls, col, parts[i], lens[i], out, e, &ne, &bp.rows[i]);
			used += bp.rows[i].k == SIZE_MAX ? 0 : bp.rows[i].off;
			size_t le = text_line_end_at(t, ls);
			past_end = le >= len;
			ls = le + 1;
			continue;
		}
		/* Rows past the last line: one insert at the end, grown row by
		 * row (the rows are contiguous in buf). */
		size_t k = 0;
		out[k++] = '\n';
		memset(out + k, ' ', lens[i] ? col : 0);
		k += lens[i] ? col : 0;
		memcpy(out + k, parts[i], lens[i]);
		k += lens[i];
		if (ne == 0 || e[ne - 1].pos != len || e[ne - 1].ins + e[ne - 1].ins_len != out)
			e[ne++] = (Edit){len, 0, out, 0};
		e[ne - 1].ins_len += k;
		bp.rows[i] = (RowEnd){ne - 1, e[ne - 1].ins_len, len};
		used += k;
	}
	bool ok = multi_apply(ed, b, e, ne, TXN_PLAIN, place_block, &bp);
	free(buf);
	free(e);
	free(bp.rows);
	return ok;
}
