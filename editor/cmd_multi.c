/* Multi-cursor commands that create selections: next occurrence (Ctrl-D)
 * and all occurrences (structural regexes: cmd_structural.c). Each scans
 * the text once and builds the new set in order, so a million matches cost
 * one pass plus one linear normalize. */
#include "editor/command.h"
#include "editor/commands.h"
#include "buffer/array.h"
#include "buffer/search.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is [s,e) already one of the selections? Binary search: the set is sorted. */
static bool is_selected(const SelSet *ss, size_t s, size_t e)
{
	size_t lo = 0, hi = ss->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sel_start(ss->v[mid]) < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ss->n && sel_start(ss->v[lo]) == s && sel_end(ss->v[lo]) == e;
}

/* First press on a cursor: select the word under it. */
static bool select_word_under(Editor *ed, Buffer *b)
{
	Sel *p = &b->sels.v[b->sels.primary];
	size_t s, e;
	if (!cmd_word_at(b, p->head, &s, &e))
		return msg_error(ed, "no word under the cursor");
	*p = (Sel){s, e};
	sel_normalize(&b->sels);
	ed->occ_word = true;
	return true;
}

/* Whole-word matching: only for a selection Ctrl-D made from a cursor
 * (ed->occ_word) that still covers exactly a word; a selection made by
 * hand matches as a substring, as in Sublime and VS Code. */
static bool word_mode(Editor *ed, Buffer *b, Sel s)
{
	Text *t = b->text;
	size_t st = sel_start(s), en = sel_end(s);
	return ed->occ_word && st < en && (st == 0 || !search_is_word_byte(text_byte(t, st - 1))) &&
	       !search_is_word_byte(text_byte(t, en));
}

static bool add_next(Editor *ed, bool skip)
{
	Buffer *b = ed->cur;
	SelSet *ss = &b->sels;
	Sel prim = ss->v[ss->primary];
	if (sel_is_empty(prim)) {
		if (skip)
			return msg_error(ed, "nothing to skip");
		return select_word_under(ed, b);
	}
	size_t plen = sel_end(prim) - sel_start(prim);
	char *pat = text_dup(b->text, sel_start(prim), plen);
	if (!pat)
		return msg_error(ed, "%s", strerror(ENOMEM));
	char err[128];
	Search *s = search_new(pat, plen, word_mode(ed, b, prim) ? SEARCH_WORD : 0, err, sizeof err);
	free(pat);
	if (!s)
		return msg_error(ed, "%s", err);
	size_t len = text_len(b->text), from = sel_end(prim), e = 0, m = BUF_NOPOS;
	bool wrapped = false;
	for (;;) {
		m = search_text(s, b->text, 0, len, from, len, &e);
		if (m == BUF_NOPOS) {
			if (wrapped)
				break;
			wrapped = true;
			from = 0;
			continue;
		}
		if (!is_selected(ss, m, e))
			break;
		if (wrapped && m >= sel_end(prim)) {
			m = BUF_NOPOS;
			break;
		}
		from = m + 1;
	}
	search_free(s);
	if (skip) {
		/* Drop the primary, then add the next one. */
		if (ss->n > 1 || m != BUF_NOPOS) {
			memmove(&ss->v[ss->primary], &ss->v[ss->primary + 1], (ss->n - ss->primary - 1) * sizeof *ss->v);
			ss->n--;
			ss->primary = 0;
		}
	}
	if (m == BUF_NOPOS) {
		msg_info(ed, "no more occurrences");
		if (skip && ss->n == 0)
			sel_reset(ss, sel_end(prim));
		return true;
	}
	sel_add(ss, (Sel){m, e});
	cmd_follow_primary(ed);
	return true;
}

bool cmd_add_next_occurrence(Editor *ed, const char *args) { return add_next(ed, false); }
bool cmd_skip_occurrence(Editor *ed, const char *args) { return add_next(ed, true); }

bool cmd_remove_last_cursor(Editor *ed, const char *args)
{
	SelSet *ss = &ed->cur->sels;
	if (ss->n < 2)
		return true;
	/* The newest added still present; else the primary. */
	size_t victim = ss->primary;
	while (ss->nadded > 0) {
		size_t pos = ss->added[--ss->nadded];
		size_t k;
		for (k = 0; k < ss->n && sel_start(ss->v[k]) != pos; k++)
			;
		if (k < ss->n) {
			victim = k;
			break;
		}
	}
	memmove(&ss->v[victim], &ss->v[victim + 1], (ss->n - victim - 1) * sizeof *ss->v);
	ss->n--;
	ss->primary = ss->nadded ? ss->n - 1 : (victim > 0 ? victim - 1 : 0);
	for (size_t k = 0; ss->nadded && k < ss->n; k++)
		if (sel_start(ss->v[k]) == ss->added[ss->nadded - 1])
			ss->primary = k;
	cmd_follow_primary(ed);
	return true;
}

bool cmd_select_all_occurrences(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	SelSet *ss = &b->sels;
	Sel prim = ss->v[ss->primary];
	char *pat;
	size_t plen;
	int flags = SEARCH_WORD;
	if (*args) {
		pat = strdup(args);
		plen = strlen(args);
	} else if (!sel_is_empty(prim)) {
		plen = sel_end(prim) - sel_start(prim);
		pat = text_dup(b->text, sel_start(prim), plen);
		if (!word_mode(ed, b, prim))
			flags = 0;
	} else {
		size_t s, e;
		if (!cmd_word_at(b, prim.head, &s, &e))
			return msg_error(ed, "no word under the cursor");
		plen = e - s;
		pat = text_dup(b->text, s, plen);
	}
	if (!pat)
		return msg_error(ed, "%s", strerror(ENOMEM));
	char err[128];
	Search *s = search_new(pat, plen, flags, err, sizeof err);
	free(pat);
	if (!s)
		return msg_error(ed, "%s", err);
	/* The whole buffer, whatever is selected (as Sublime's Alt+F3). */
	size_t len = text_len(b->text), e;
	SelSet ns;
	sel_init(&ns);
	bool ok = true;
	for (size_t m = search_text(s, b->text, 0, len, 0, len, &e); m != BUF_NOPOS && ok;
	     m = search_text_after(s, b->text, 0, len, e, len, &e))
		ok = sel_push(&ns, (Sel){m, e});
	search_free(s);
	if (!ok) {
		sel_fini(&ns);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	if (ns.n == 0) {
		sel_fini(&ns);
		return msg_error(ed, "no occurrence");
	}
	sel_normalize(&ns);
	sel_fini(ss);
	*ss = ns;
	ed->occ_word = flags & SEARCH_WORD;
	cmd_follow_primary(ed);
	msg_info(ed, "%zu %s", ns.n, ns.n == 1 ? "cursor" : "cursors");
	return true;
}
