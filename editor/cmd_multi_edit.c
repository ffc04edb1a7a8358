/* Multi-cursor commands that change the text: align, insert a sequence,
 * rotate / sort / reverse the selections' contents, and the line commands
 * (duplicate, move up/down, toggle comment) at every cursor. Each builds
 * one batch of sorted edits: one pass over the buffer, one undo step that
 * restores the cursor set. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/multi.h"
#include "buffer/utf8.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ===== applying ========================================================== */

/* buf_apply does the edit (and whatever else an edit must tell: filters,
 * undo); then the selections are placed from where they were, and the
 * transaction's "after" cursor set is made to match. */
bool multi_apply(Editor *ed, Buffer *b, const Edit *e, size_t n, int kind, MultiPlace place, void *ctx)
{
	if (!place || n == 0)
		return buf_apply(ed, b, e, n, kind, PLACE_MAP);
	size_t *np = malloc(n * sizeof *np);
	SelSet orig;
	if (!np || !sel_copy(&orig, &b->sels)) {
		free(np);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	size_t delta_ins = 0, delta_del = 0;
	for (size_t i = 0; i < n; i++) {
		np[i] = e[i].pos + delta_ins - delta_del;
		delta_ins += e[i].ins_len;
		delta_del += e[i].del;
	}
	bool ok = buf_apply(ed, b, e, n, kind, PLACE_MAP);
	if (ok) {
		sel_replace(&b->sels, &orig, true);
		place(ctx, b, e, n, np);
		sel_normalize(&b->sels);
		CursorSet cs;
		if (sel_to_cursors(&b->sels, &cs))
			text_set_cursors_after(b->text, &cs);
	} else {
		sel_fini(&orig);
	}
	free(np);
	return ok;
}

/* The first edit at pos or after it (binary search: edits are sorted). */
static size_t edit_at(const Edit *e, size_t n, size_t pos)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void multi_place_keep_starts(void *ctx, Buffer *b, const Edit *e, size_t n, const size_t *np)
{
	SelSet *ss = &b->sels;
	for (size_t i = 0; i < ss->n; i++) {
		Sel v = ss->v[i];
		size_t s = sel_start(v), en = sel_end(v), k = edit_at(e, n, s);
		size_t ns = text_map_pos(e, n, np, s), nen = text_map_pos(e, n, np, en);
		/* A selection starting where text is inserted takes it in. */
		if (s < en && k < n && e[k].pos == s && e[k].del == 0 && s == text_line_start_at(b->text, s))
			ns = np[k];
		ss->v[i] = v.anchor <= v.head ? (Sel){ns, nen} : (Sel){nen, ns};
	}
}

/* ===== align ============================================================= */

typedef struct AlignTmp {
	size_t *col, *lvl, *grp, *order, *cnt, *shift;
} AlignTmp;

static void align_free(AlignTmp *a)
{
	free(a->col);
	free(a->lvl);
	free(a->grp);
	free(a->order);
	free(a->cnt);
	free(a->shift);
}

/* Columns of each selection start, its rank on its line (lvl) and its
 * line (grp); returns the highest rank. */
static size_t align_measure(Editor *ed, Buffer *b, AlignTmp *a, size_t *ngrp)
{
	Text *t = b->text;
	SelSet *ss = &b->sels;
	size_t prev_ls = BUF_NOPOS, prev_pos = 0, prev_col = 0, g = 0, k = 0, maxk = 0;
	for (size_t i = 0; i < ss->n; i++) {
		size_t s = sel_start(ss->v[i]), ls = text_line_start_at(t, s);
		if (ls == prev_ls) {
			prev_col = utf8_columns_from(t, prev_pos, s, prev_col, ed->tabw);
			k++;
		} else {
			prev_col = utf8_columns_from(t, ls, s, 0, ed->tabw);
			g += i > 0;
			k = 0;
		}
		prev_ls = ls;
		prev_pos = s;
		a->col[i] = prev_col;
		a->lvl[i] = k;
		a->grp[i] = g;
		maxk = k > maxk ? k : maxk;
	}
	*ngrp = g + 1;
	return maxk;
}

bool multi_align(Editor *ed, Buffer *b)
{
	SelSet *ss = &b->sels;
	size_t n = ss->n, ngrp;
	AlignTmp a = {malloc(n * sizeof(size_t)), malloc(n * sizeof(size_t)), malloc(n * sizeof(size_t)),
	              malloc(n * sizeof(size_t)), NULL, NULL};
	if (!a.col || !a.lvl || !a.grp || !a.order) {
		align_free(&a);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	size_t maxk = align_measure(ed, b, &a, &ngrp);
	a.cnt = calloc(maxk + 2, sizeof(size_t));
	a.shift = calloc(ngrp, sizeof(size_t));
	Edit *e = calloc(n, sizeof *e);
	if (!a.cnt || !a.shift || !e) {
		align_free(&a);
		free(e);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	/* Rank by rank (a counting sort), so each line's earlier pads shift
	 * its later cursors: O(cursors) even with many cursors per line. */
	for (size_t i = 0; i < n; i++)
		a.cnt[a.lvl[i] + 1]++;
	for (size_t k = 1; k <= maxk + 1; k++)
		a.cnt[k] += a.cnt[k - 1];
	for (size_t i = 0; i < n; i++)
		a.order[a.cnt[a.lvl[i]]++] = i;
	size_t maxpad = 0, lo = 0;
	for (size_t k = 0; k <= maxk; k++) {
		size_t hi = a.cnt[k], target = 0;
		for (size_t j = lo; j < hi; j++) {
			size_t i = a.order[j], c = a.col[i] + a.shift[a.grp[i]];
			target = c > target ? c : target;
		}
		for (size_t j = lo; j < hi; j++) {
			size_t i = a.order[j], pad = target - (a.col[i] + a.shift[a.grp[i]]);
			a.shift[a.grp[i]] += pad;
			e[i] = (Edit){sel_start(ss->v[i]), 0, NULL, pad};
			maxpad = pad > maxpad ? pad : maxpad;
		}
		lo = hi;
	}
	char *spaces = malloc(maxpad ? maxpad : 1);
	bool ok = spaces != NULL;
	size_t ne = 0;
	if (ok) {
		memset(spaces, ' ', maxpad);
		for (size_t i = 0; i < n; i++)
			if (e[i].ins_len)
				e[ne++] = (Edit){e[i].pos, 0, spaces, e[i].ins_len};
		ok = multi_apply(ed, b, e, ne, TXN_PLAIN, NULL, NULL);
	} else {
		msg_error(ed, "%s", strerror(ENOMEM));
	}
	free(spaces);
	free(e);
	align_free(&a);
	return ok;
}

/* ===== insert a sequence ================================================= */

/* Turns a user's printf format with exactly one integer conversion into
 * one for long long; false when it has none, several or another kind. */
static bool seq_format(const char *fmt, char *out, size_t size, bool *is_unsigned)
{
	size_t k = 0;
	int convs = 0;
	for (const char *p = fmt; *p; p++) {
		if (k + 16 >= size)
			return false;
		if (*p != '%' || p[1] == '%') {
			out[k++] = *p;
			if (*p == '%')
				out[k++] = *++p;
			continue;
		}
		out[k++] = *p++;
		while (*p && strchr("-+ #0", *p) && k + 16 < size)
			out[k++] = *p++;
		for (int part = 0; part < 2; part++) {
			int digits = 0;
			while (isdigit((unsigned char)*p) && digits++ < 3)
				out[k++] = *p++;
			if (isdigit((unsigned char)*p))
				return false; /* a width of 1000 or more */
			if (part == 0 && *p == '.')
				out[k++] = *p++;
			else
				break;
		}
		while (*p && strchr("hljzt", *p))
			p++;
		if (!*p || !strchr("diouxX", *p))
			return false;
		out[k++] = 'l';
		out[k++] = 'l';
		out[k++] = *p;
		*is_unsigned = !strchr("di", *p);
		convs++;
	}
	out[k] = '\0';
	return convs == 1;
}

static int seq_print(char *out, size_t size, const char *fmt, bool is_unsigned, long long v)
{
	if (is_unsigned)
		return snprintf(out, size, fmt, (unsigned long long)v);
	return snprintf(out, size, fmt, v);
}

bool multi_insert_sequence(Editor *ed, Buffer *b, long long start, long long step, const char *fmt)
{
	char f[256];
	bool uns = false;
	if (!fmt || !*fmt)
		fmt = "%d";
	if (!seq_format(fmt, f, sizeof f, &uns))
		return msg_error(ed, "the format needs exactly one of %%d %%i %%u %%x %%X %%o: %s", fmt);
	SelSet *ss = &b->sels;
	size_t n = ss->n, total = 0;
	unsigned long long v = (unsigned long long)start;
	for (size_t i = 0; i < n; i++, v += (unsigned long long)step) {
		int w = seq_print(NULL, 0, f, uns, (long long)v);
		if (w < 0)
			return msg_error(ed, "bad format: %s", fmt);
		total += (size_t)w;
	}
	char *buf = malloc(total + 1);
	Edit *e = malloc((n ? n : 1) * sizeof *e);
	if (!buf || !e) {
		free(buf);
		free(e);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	size_t off = 0;
	v = (unsigned long long)start;
	for (size_t i = 0; i < n; i++, v += (unsigned long long)step) {
		size_t w = (size_t)seq_print(buf + off, total + 1 - off, f, uns, (long long)v);
		size_t s = sel_start(ss->v[i]);
		e[i] = (Edit){s, sel_end(ss->v[i]) - s, buf + off, w};
		off += w;
	}
	bool ok = buf_apply(ed, b, e, n, TXN_PLAIN, PLACE_AFTER);
	free(buf);
	free(e);
	return ok;
}

/* ===== rotate, sort, reverse ============================================= */

/* Every selection's bytes, one block. */
typedef struct Contents {
	char *buf;
	size_t *off, *len;
} Contents;

static void contents_free(Contents *c)
{
	free(c->buf);
	free(c->off);
	free(c->len);
}

static bool contents_get(Buffer *b, Contents *c, size_t *total)
{
	SelSet *ss = &b->sels;
	size_t n = ss->n, sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += sel_end(ss->v[i]) - sel_start(ss->v[i]);
	c->buf = malloc(sum ? sum : 1);
	c->off = malloc(n * sizeof(size_t));
	c->len = malloc(n * sizeof(size_t));
	if (!c->buf || !c->off || !c->len) {
		contents_free(c);
		return false;
	}
	sum = 0;
	for (size_t i = 0; i < n; i++) {
		size_t s = sel_start(ss->v[i]), l = sel_end(ss->v[i]) - s;
		text_copy(b->text, s, l, c->buf + sum);
		c->off[i] = sum;
		c->len[i] = l;
		sum += l;
	}
	*total = sum;
	return true;
}

/* Replaces selection i with the contents of selection from[i]; each
 * selection then covers what it got. */
static bool permute(Editor *ed, Buffer *b, const char *name, const size_t *from, const Contents *c)
{
	SelSet *ss = &b->sels;
	Edit *e = malloc(ss->n * sizeof *e);
	if (!e)
		return msg_error(ed, "%s", strerror(ENOMEM));
	for (size_t i = 0; i < ss->n; i++) {
		size_t s = sel_start(ss->v[i]), k = from[i];
		e[i] = (Edit){s, sel_end(ss->v[i]) - s, c->buf + c->off[k], c->len[k]};
	}
	bool ok = buf_apply(ed, b, e, ss->n, TXN_PLAIN, PLACE_COVER);
	free(e);
	return ok;
}

static int cmp_contents(const void *x, const void *y, void *arg)
{
	const Contents *c = arg;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	size_t li = c->len[i], lj = c->len[j];
	int r = memcmp(c->buf + c->off[i], c->buf + c->off[j], li < lj ? li : lj);
	if (r)
		return r;
	if (li != lj)
		return li < lj ? -1 : 1;
	return i < j ? -1 : i > j; /* stable */
}

enum { ORDER_ROTATE, ORDER_ROTATE_BACK, ORDER_SORT, ORDER_REVERSE };

static bool reorder(Editor *ed, Buffer *b, int how)
{
	static const char *const names[] = {"rotate-contents", "rotate-contents-back", "sort-selections", "reverse-selections"};
	const char *name = names[how];
	SelSet *ss = &b->sels;
	size_t n = ss->n, total;
	if (n < 2)
		return true;
	Contents c = {0};
	size_t *from = malloc(n * sizeof *from);
	if (!from || !contents_get(b, &c, &total)) {
		free(from);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	if (total == 0) {
		free(from);
		contents_free(&c);
		return msg_error(ed, "%s: the selections are empty", name);
	}
	for (size_t i = 0; i < n; i++) {
		if (how == ORDER_ROTATE)
			from[i] = (i + n - 1) % n;
		else if (how == ORDER_ROTATE_BACK)
			from[i] = (i + 1) % n;
		else if (how == ORDER_REVERSE)
			from[i] = n - 1 - i;
		else
			from[i] = i;
	}
	if (how == ORDER_SORT)
		qsort_r(from, n, sizeof *from, cmp_contents, &c);
	bool ok = permute(ed, b, name, from, &c);
	free(from);
	contents_free(&c);
	return ok;
}

bool multi_rotate(Editor *ed, Buffer *b, bool back) { return reorder(ed, b, back ? ORDER_ROTATE_BACK : ORDER_ROTATE); }
bool multi_sort(Editor *ed, Buffer *b, bool reverse) { return reorder(ed, b, reverse ? ORDER_REVERSE : ORDER_SORT); }

/* ===== line blocks ======================================================= */

/* The whole lines a set of selections touches, merged into blocks: bytes
 * [bs, be), be just after the last line's newline (or the end). */
typedef struct Blocks {
	size_t *bs, *be;
	size_t n;
	size_t *of;   /* of[i]: the block of selection i */
	size_t *pre;  /* per block: where the moved/copied block starts in its insert */
} Blocks;

static void blocks_free(Blocks *k)
{
	free(k->bs);
	free(k->be);
	free(k->of);
	free(k->pre);
}

/* A non-empty selection that ends at a line start does not touch that line.
 * touching: merge blocks that only touch (for moves). */
static bool blocks_get(Buffer *b, Blocks *k, bool touching)
{
	Text *t = b->text;
	SelSet *ss = &b->sels;
	size_t n = ss->n, len = text_len(t);
	k->bs = malloc(n * sizeof(size_t));
	k->be = malloc(n * sizeof(size_t));
	k->of = malloc(n * sizeof(size_t));
	k->pre = calloc(n, sizeof(size_t));
	k->n = 0;
	if (!k->bs || !k->be || !k->of || !k->pre) {
		blocks_free(k);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		size_t s = sel_start(ss->v[i]), e = sel_end(ss->v[i]);
		if (e > s && text_line_start_at(t, e) == e)
			e--;
		size_t bs = text_line_start_at(t, s), be = text_line_end_at(t, e);
		if (be < len)
			be++;
		if (k->n && (bs < k->be[k->n - 1] || (touching && bs == k->be[k->n - 1]))) {
			if (be > k->be[k->n - 1])
				k->be[k->n - 1] = be;
		} else {
			k->bs[k->n] = bs;
			k->be[k->n++] = be;
		}
		k->of[i] = k->n - 1;
	}
	return true;
}

/* Selections follow their block: offset within the block kept, from where
 * the block's bytes now start (np[k] + pre[k]), clamped to the insert. */
static void place_lines(void *ctx, Buffer *b, const Edit *e, size_t n, const size_t *np)
{
	Blocks *k = ctx;
	SelSet *ss = &b->sels;
	for (size_t i = 0; i < ss->n; i++) {
		size_t j = k->of[i], base = np[j] + k->pre[j], max = np[j] + e[j].ins_len;
		size_t a = base + (ss->v[i].anchor - k->bs[j]), h = base + (ss->v[i].head - k->bs[j]);
		ss->v[i] = (Sel){a < max ? a : max, h < max ? h : max};
	}
}

static bool lines_oom(Editor *ed, const char *name, Blocks *k, Edit *e, char *buf)
{
	blocks_free(k);
	free(e);
	free(buf);
	return msg_error(ed, "%s", strerror(ENOMEM));
}

bool cmd_duplicate_line(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	Text *t = b->text;
	Blocks k;
	if (!blocks_get(b, &k, false))
		return msg_error(ed, "%s", strerror(ENOMEM));
	size_t total = 0;
	for (size_t j = 0; j < k.n; j++)
		total += k.be[j] - k.bs[j] + 1;
	char *buf = malloc(total ? total : 1);
	Edit *e = malloc(k.n * sizeof *e);
	if (!buf || !e)
		return lines_oom(ed, "duplicate-line", &k, e, buf);
	size_t off = 0;
	for (size_t j = 0; j < k.n; j++) {
		size_t bs = k.bs[j], be = k.be[j], l = be - bs;
		bool nl = be > bs && text_byte(t, be - 1) == '\n';
		char *p = buf + off;
		/* The last line without a newline gets one before its copy. */
		k.pre[j] = !nl;
		if (!nl)
			p[0] = '\n';
		text_copy(t, bs, l, p + !nl);
		e[j] = (Edit){be, 0, p, l + !nl};
		off += l + !nl;
	}
	bool ok = multi_apply(ed, b, e, k.n, TXN_PLAIN, place_lines, &k);
	blocks_free(&k);
	free(e);
	free(buf);
	return ok;
}

/* Moves every block of lines one line up (dir < 0) or down: one edit per
 * block rewrites the block and the line it swaps with. */
static bool move_lines(Editor *ed, int dir)
{
	const char *name = dir < 0 ? "move-lines-up" : "move-lines-down";
	Buffer *b = ed->cur;
	Text *t = b->text;
	size_t len = text_len(t);
	Blocks k;
	if (!blocks_get(b, &k, true))
		return msg_error(ed, "%s", strerror(ENOMEM));
	if ((dir < 0 && k.bs[0] == 0) || (dir > 0 && k.be[k.n - 1] >= len)) {
		blocks_free(&k);
		msg_info(ed, "no line %s to swap with", dir < 0 ? "above" : "below");
		return true;
	}
	/* Each block's edit rewrites its region, plus maybe one newline. */
	size_t total = 0;
	for (size_t j = 0; j < k.n; j++)
		total += (dir < 0 ? k.be[j] - text_line_start_at(t, k.bs[j] - 1) : text_line_end_at(t, k.be[j]) - k.bs[j]) + 2;
	char *buf = malloc(total);
	Edit *e = malloc(k.n * sizeof *e);
	if (!buf || !e)
		return lines_oom(ed, name, &k, e, buf);
	size_t off = 0;
	for (size_t j = 0; j < k.n; j++) {
		size_t bs = k.bs[j], be = k.be[j], bl = be - bs;
		bool bnl = be > bs && text_byte(t, be - 1) == '\n';
		char *p = buf + off;
		if (dir < 0) {
			/* [above][block] -> [block][above]; above ends with '\n'. */
			size_t as = text_line_start_at(t, bs - 1), al = bs - as;
			text_copy(t, bs, bl, p);
			if (!bnl)
				p[bl++] = '\n';
			text_copy(t, as, bnl ? al : al - 1, p + bl);
			e[j] = (Edit){as, be - as, p, bl + (bnl ? al : al - 1)};
			k.pre[j] = 0;
		} else {
			/* [block][below] -> [below][block]; block ends with '\n'. */
			size_t ne = text_line_end_at(t, be);
			ne = ne < len ? ne + 1 : ne;
			size_t wl = ne - be;
			bool wnl = text_byte(t, ne - 1) == '\n';
			text_copy(t, be, wl, p);
			if (!wnl)
				p[wl++] = '\n';
			text_copy(t, bs, wnl ? bl : bl - 1, p + wl);
			e[j] = (Edit){bs, ne - bs, p, wl + (wnl ? bl : bl - 1)};
			k.pre[j] = wl;
		}
		off += e[j].ins_len;
	}
	bool ok = multi_apply(ed, b, e, k.n, TXN_PLAIN, place_lines, &k);
	blocks_free(&k);
	free(e);
	free(buf);
	return ok;
}

bool cmd_move_lines_up(Editor *ed, const char *args) { return move_lines(ed, -1); }
bool cmd_move_lines_down(Editor *ed, const char *args) { return move_lines(ed, 1); }

/* ===== toggle comment ==================================================== */

/* Line comment syntax by file extension (or name), until syntax
 * highlighting brings its own; "#" for anything else. */
static const char *const comment_table[][2] = {
	{"c", "//"}, {"h", "//"}, {"cc", "//"}, {"cpp", "//"}, {"cxx", "//"}, {"hpp", "//"}, {"hh", "//"},
	{"hxx", "//"}, {"m", "//"}, {"mm", "//"}, {"js", "//"}, {"mjs", "//"}, {"cjs", "//"}, {"ts", "//"},
	{"jsx", "//"}, {"tsx", "//"}, {"go", "//"}, {"rs", "//"}, {"java", "//"}, {"kt", "//"}, {"kts", "//"},
	{"swift", "//"}, {"cs", "//"}, {"scala", "//"}, {"dart", "//"}, {"zig", "//"}, {"php", "//"},
	{"proto", "//"}, {"groovy", "//"}, {"gradle", "//"}, {"v", "//"}, {"d", "//"}, {"glsl", "//"},
	{"sh", "#"}, {"bash", "#"}, {"zsh", "#"}, {"ksh", "#"}, {"fish", "#"}, {"py", "#"}, {"pl", "#"},
	{"pm", "#"}, {"rb", "#"}, {"mk", "#"}, {"mak", "#"}, {"yaml", "#"}, {"yml", "#"}, {"toml", "#"},
	{"conf", "#"}, {"cfg", "#"}, {"r", "#"}, {"cmake", "#"}, {"nim", "#"}, {"awk", "#"}, {"tcl", "#"},
	{"ps1", "#"}, {"nix", "#"}, {"jl", "#"}, {"ex", "#"}, {"exs", "#"}, {"cr", "#"}, {"t", "#"},
	{"lua", "--"}, {"sql", "--"}, {"hs", "--"}, {"elm", "--"}, {"ada", "--"}, {"adb", "--"}, {"ads", "--"},
	{"lisp", ";"}, {"el", ";"}, {"scm", ";"}, {"clj", ";"}, {"asm", ";"}, {"ini", ";"},
	{"vim", "\""}, {"tex", "%"}, {"sty", "%"}, {"erl", "%"}, {"hrl", "%"}, {"m4", "dnl"},
	{"Makefile", "#"}, {"makefile", "#"}, {"GNUmakefile", "#"}, {"Dockerfile", "#"},
	{"CMakeLists.txt", "#"}, {"meson.build", "#"}, {".bashrc", "#"}, {".profile", "#"}, {".zshrc", "#"},
};

static const char *comment_for(const Buffer *b)
{
	const char *path = b->path ? b->path : b->name ? b->name : "";
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	for (size_t i = 0; i < sizeof comment_table / sizeof comment_table[0]; i++)
		if (strcmp(base, comment_table[i][0]) == 0 || (dot && dot != base && strcmp(dot + 1, comment_table[i][0]) == 0))
			return comment_table[i][1];
	return "#";
}

/* Calls fn for each line of each block: its start and first non-blank. */
static void each_line(Text *t, const Blocks *k, void (*fn)(void *arg, size_t blk, size_t ls, size_t fnb, size_t le), void *arg)
{
	size_t len = text_len(t);
	for (size_t j = 0; j < k->n; j++) {
		size_t ls = k->bs[j];
		do {
			size_t le = text_line_end_at(t, ls), p = ls;
			int c;
			while (p < le && ((c = text_byte(t, p)) == ' ' || c == '\t'))
				p++;
			fn(arg, j, ls, p, le);
			ls = le + 1;
		} while (ls < k->be[j] && ls <= len);
	}
}

typedef struct Commenter {
	Text *t;
	const char *pfx; /* the prefix and a space */
	size_t plen;     /* the prefix without the space */
	size_t nonblank, commented;
	size_t *minind;  /* per block */
	Edit *e;
	size_t ne;
	bool uncomment, all_blank;
} Commenter;

static bool is_blank_line(size_t fnb, size_t le, Text *t)
{
	return fnb == le || (fnb + 1 == le && text_byte(t, fnb) == '\r');
}

static bool has_prefix(Commenter *c, size_t fnb)
{
	for (size_t i = 0; i < c->plen; i++)
		if (text_byte(c->t, fnb + i) != (unsigned char)c->pfx[i])
			return false;
	return true;
}

static void scan_line(void *arg, size_t blk, size_t ls, size_t fnb, size_t le)
{
	Commenter *c = arg;
	if (is_blank_line(fnb, le, c->t))
		return;
	c->nonblank++;
	c->commented += has_prefix(c, fnb);
	if (fnb - ls < c->minind[blk])
		c->minind[blk] = fnb - ls;
}

static void edit_line(void *arg, size_t blk, size_t ls, size_t fnb, size_t le)
{
	Commenter *c = arg;
	bool blank = is_blank_line(fnb, le, c->t);
	if (c->uncomment) {
		if (blank || !has_prefix(c, fnb))
			return;
		size_t del = c->plen + (text_byte(c->t, fnb + c->plen) == ' ');
		c->e[c->ne++] = (Edit){fnb, del, NULL, 0};
		return;
	}
	if (blank && !c->all_blank)
		return;
	size_t at = c->all_blank ? fnb : ls + c->minind[blk];
	c->e[c->ne++] = (Edit){at, 0, c->pfx, c->plen + 1};
}

static void count_line(void *arg, size_t blk, size_t ls, size_t fnb, size_t le)
{
	(*(size_t *)arg)++;
}

bool cmd_toggle_comment(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	Text *t = b->text;
	char pfx[40];
	snprintf(pfx, sizeof pfx, "%s ", *args ? args : comment_for(b));
	Blocks k;
	if (!blocks_get(b, &k, false))
		return msg_error(ed, "%s", strerror(ENOMEM));
	size_t nlines = 0;
	each_line(t, &k, count_line, &nlines);
	Commenter c = {t, pfx, strlen(pfx) - 1, 0, 0, malloc(k.n * sizeof(size_t)), malloc(nlines * sizeof(Edit)), 0, false, false};
	if (!c.minind || !c.e) {
		free(c.minind);
		return lines_oom(ed, "toggle-comment", &k, c.e, NULL);
	}
	for (size_t j = 0; j < k.n; j++)
		c.minind[j] = BUF_NOPOS;
	each_line(t, &k, scan_line, &c);
	c.uncomment = c.nonblank > 0 && c.commented == c.nonblank;
	c.all_blank = c.nonblank == 0;
	each_line(t, &k, edit_line, &c);
	bool ok = multi_apply(ed, b, c.e, c.ne, TXN_PLAIN, multi_place_keep_starts, NULL);
	free(c.minind);
	free(c.e);
	blocks_free(&k);
	return ok;
}

/* ===== commands ========================================================== */

bool cmd_align(Editor *ed, const char *args) { return multi_align(ed, ed->cur); }
bool cmd_rotate_contents(Editor *ed, const char *args) { return multi_rotate(ed, ed->cur, false); }
bool cmd_rotate_contents_back(Editor *ed, const char *args) { return multi_rotate(ed, ed->cur, true); }
bool cmd_sort_selections(Editor *ed, const char *args) { return multi_sort(ed, ed->cur, false); }
bool cmd_reverse_selections(Editor *ed, const char *args) { return multi_sort(ed, ed->cur, true); }

/* A decimal integer followed by a blank or the end. */
static bool read_int(const char **p, long long *out)
{
	char *end;
	while (**p == ' ' || **p == '\t')
		(*p)++;
	errno = 0;
	long long v = strtoll(*p, &end, 10);
	if (end == *p || errno || (*end && *end != ' ' && *end != '\t'))
		return false;
	*out = v;
	*p = end;
	return true;
}

bool cmd_insert_sequence(Editor *ed, const char *args)
{
	long long start = 1, step = 1;
	const char *p = args;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p && !read_int(&p, &start))
		return msg_error(ed, "usage: insert-sequence [START [STEP [FORMAT]]]");
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p && !read_int(&p, &step))
		return msg_error(ed, "usage: insert-sequence [START [STEP [FORMAT]]]");
	while (*p == ' ' || *p == '\t')
		p++;
	return multi_insert_sequence(ed, ed->cur, start, step, p);
}
