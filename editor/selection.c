/* The selection set: kept sorted by start, merged when overlapping, with a
 * primary index. Sorting only happens when pushes arrive out of order, so
 * the common multi-cursor paths (built left to right) stay linear. */
#include "editor/selection.h"
#include "buffer/array.h"
#include "buffer/gapbuf.h"
#include <stdlib.h>
#include <string.h>

void sel_init(SelSet *ss)
{
	memset(ss, 0, sizeof *ss);
}

void sel_fini(SelSet *ss)
{
	free(ss->v);
	free(ss->added);
	memset(ss, 0, sizeof *ss);
}

bool sel_reserve(SelSet *ss, size_t n)
{
	return ARRAY_RESERVE(ss->v, ss->cap, n);
}

void sel_reset(SelSet *ss, size_t pos)
{
	if (!sel_reserve(ss, 1))
		return;
	ss->v[0] = (Sel){pos, pos};
	ss->n = 1;
	ss->primary = 0;
	ss->nadded = 0;
	ss->box.on = false;
}

bool sel_push(SelSet *ss, Sel s)
{
	if (!sel_reserve(ss, ss->n + 1))
		return false;
	ss->v[ss->n++] = s;
	return true;
}

static int cmp_sel(const void *a, const void *b)
{
	size_t x = sel_start(*(const Sel *)a), y = sel_start(*(const Sel *)b);
	if (x != y)
		return x < y ? -1 : 1;
	size_t ex = sel_end(*(const Sel *)a), ey = sel_end(*(const Sel *)b);
	return ex < ey ? -1 : ex > ey;
}

void sel_normalize(SelSet *ss)
{
	if (ss->n == 0)
		return;
	Sel prim = ss->v[ss->primary < ss->n ? ss->primary : 0];
	bool sorted = true;
	for (size_t i = 1; i < ss->n && sorted; i++)
		sorted = cmp_sel(&ss->v[i - 1], &ss->v[i]) <= 0;
	if (!sorted)
		qsort(ss->v, ss->n, sizeof *ss->v, cmp_sel);
	size_t w = 0, pidx = 0;
	bool pfound = false;
	for (size_t i = 0; i < ss->n; i++) {
		Sel s = ss->v[i];
		bool is_prim = s.anchor == prim.anchor && s.head == prim.head;
		if (w > 0) {
			Sel *last = &ss->v[w - 1];
			size_t le = sel_end(*last), ss_ = sel_start(s);
			/* Overlap, two cursors at one place, or two selections
			 * that touch; a cursor touching a selection stays apart. */
			bool merge = ss_ < le || (ss_ == le && sel_is_empty(s) == sel_is_empty(*last));
			if (merge) {
				size_t st = sel_start(*last), en = sel_end(s) > le ? sel_end(s) : le;
				bool fwd = last->head >= last->anchor;
				*last = fwd ? (Sel){st, en} : (Sel){en, st};
				if (is_prim) {
					pidx = w - 1;
					pfound = true;
				}
				continue;
			}
		}
		if (is_prim && !pfound) {
			pidx = w;
			pfound = true;
		}
		ss->v[w++] = s;
	}
	ss->n = w;
	ss->primary = pfound ? pidx : 0;
}

bool sel_add(SelSet *ss, Sel s)
{
	if (!sel_push(ss, s))
		return false;
	ss->primary = ss->n - 1;
	sel_normalize(ss);
	/* Without room the history is shorter; the cursor is added anyway. */
	if (ARRAY_RESERVE(ss->added, ss->capadded, ss->nadded + 1))
		ss->added[ss->nadded++] = sel_start(s);
	return true;
}

void sel_collapse_to_primary(SelSet *ss)
{
	if (ss->n == 0)
		return;
	ss->v[0] = ss->v[ss->primary < ss->n ? ss->primary : 0];
	ss->n = 1;
	ss->primary = 0;
	ss->nadded = 0;
	ss->box.on = false;
}

void sel_remove(SelSet *ss, size_t i)
{
	if (ss->n < 2 || i >= ss->n)
		return;
	memmove(&ss->v[i], &ss->v[i + 1], (ss->n - i - 1) * sizeof *ss->v);
	ss->n--;
	if (ss->primary > i || (ss->primary == i && i > 0))
		ss->primary--;
	if (ss->primary >= ss->n)
		ss->primary = ss->n - 1;
}

void sel_replace(SelSet *ss, SelSet *src, bool keep_added)
{
	size_t *added = ss->added, nadded = ss->nadded, capadded = ss->capadded;
	if (keep_added) {
		ss->added = NULL;
		free(src->added);
	} else {
		added = src->added;
		nadded = src->nadded;
		capadded = src->capadded;
	}
	sel_fini(ss);
	*ss = *src;
	ss->added = added;
	ss->nadded = nadded;
	ss->capadded = capadded;
	memset(src, 0, sizeof *src);
}

size_t sel_find(const SelSet *ss, size_t pos)
{
	size_t lo = 0, hi = ss->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sel_end(ss->v[mid]) < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void sel_clamp(SelSet *ss, size_t len)
{
	for (size_t i = 0; i < ss->n; i++) {
		if (ss->v[i].anchor > len)
			ss->v[i].anchor = len;
		if (ss->v[i].head > len)
			ss->v[i].head = len;
	}
	sel_normalize(ss);
}

bool sel_copy(SelSet *dst, const SelSet *src)
{
	sel_init(dst);
	if (!sel_reserve(dst, src->n ? src->n : 1))
		return false;
	memcpy(dst->v, src->v, src->n * sizeof *src->v);
	dst->n = src->n;
	dst->primary = src->primary;
	return true;
}

bool sel_to_cursors(const SelSet *ss, CursorSet *cs)
{
	memset(cs, 0, sizeof *cs);
	if (ss->n == 0)
		return true;
	cs->pos = malloc(2 * ss->n * sizeof *cs->pos);
	if (!cs->pos)
		return false;
	for (size_t i = 0; i < ss->n; i++) {
		cs->pos[2 * i] = ss->v[i].anchor;
		cs->pos[2 * i + 1] = ss->v[i].head;
	}
	cs->n = ss->n;
	cs->primary = ss->primary;
	return true;
}

void sel_from_cursors(SelSet *ss, const CursorSet *cs)
{
	if (!cs || cs->n == 0 || !sel_reserve(ss, cs->n))
		return;
	for (size_t i = 0; i < cs->n; i++)
		ss->v[i] = (Sel){cs->pos[2 * i], cs->pos[2 * i + 1]};
	ss->n = cs->n;
	ss->primary = cs->primary < cs->n ? cs->primary : 0;
	ss->nadded = 0;
	ss->box.on = false;
}

bool sel_any_selected(const SelSet *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		if (!sel_is_empty(ss->v[i]))
			return true;
	return false;
}

bool sel_check(const SelSet *ss)
{
	if (ss->n == 0 || ss->primary >= ss->n)
		return false;
	for (size_t i = 1; i < ss->n; i++)
		if (sel_start(ss->v[i]) < sel_end(ss->v[i - 1]) ||
		    (sel_start(ss->v[i]) == sel_end(ss->v[i - 1]) && sel_is_empty(ss->v[i]) == sel_is_empty(ss->v[i - 1])))
			return false;
	return true;
}
