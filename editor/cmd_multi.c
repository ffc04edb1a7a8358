/* Multi-cursor commands that create selections: next occurrence (Ctrl-D),
 * all occurrences, and sam/vis structural regular expressions. Each scans
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
		return msg_error(ed, "add-next-occurrence: %s", strerror(ENOMEM));
	char err[128];
	Search *s = search_new(pat, plen, word_mode(ed, b, prim) ? SEARCH_WORD : 0, err, sizeof err);
	free(pat);
	if (!s)
		return msg_error(ed, "add-next-occurrence: %s", err);
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
			return msg_error(ed, "select-all-occurrences: no word under the cursor");
		plen = e - s;
		pat = text_dup(b->text, s, plen);
	}
	if (!pat)
		return msg_error(ed, "select-all-occurrences: %s", strerror(ENOMEM));
	char err[128];
	Search *s = search_new(pat, plen, flags, err, sizeof err);
	free(pat);
	if (!s)
		return msg_error(ed, "select-all-occurrences: %s", err);
	size_t len = text_len(b->text), e;
	SelSet ns;
	sel_init(&ns);
	bool ok = true;
	/* TEXT given with a selection: only inside the selections (a match
	 * must fit in one; word edges are judged on the whole text). */
	bool inside = *args && sel_any_selected(ss);
	for (size_t i = 0; i < (inside ? ss->n : 1) && ok; i++) {
		size_t from = inside ? sel_start(ss->v[i]) : 0, end = inside ? sel_end(ss->v[i]) : len;
		while (from < end || (from == end && !inside)) {
			size_t m = search_text(s, b->text, 0, len, from, inside ? end : len, &e);
			if (m == BUF_NOPOS || m >= end || e > end)
				break;
			if (!sel_push(&ns, (Sel){m, e})) {
				ok = false;
				break;
			}
			from = e > m ? e : m + 1;
		}
	}
	search_free(s);
	if (!ok) {
		sel_fini(&ns);
		return msg_error(ed, "select-all-occurrences: %s", strerror(ENOMEM));
	}
	if (ns.n == 0) {
		sel_fini(&ns);
		return msg_error(ed, "select-all-occurrences: no occurrence");
	}
	sel_normalize(&ns);
	sel_fini(ss);
	*ss = ns;
	ed->occ_word = flags & SEARCH_WORD;
	cmd_follow_primary(ed);
	msg_info(ed, "%zu cursors", ns.n);
	return true;
}

/* ===== structural regular expressions ==================================== */

/* Reads a /delimited/ argument starting at *p (the delimiter); unescapes
 * \delim (and, for text, \n \t \\). Returns malloc'd text. */
static char *delimited(const char **p, bool text, size_t *outlen)
{
	char d = **p;
	const char *s = *p + 1;
	size_t cap = strlen(s) + 1, n = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	for (; *s && *s != d; s++) {
		if (*s == '\\' && s[1]) {
			char c = s[1];
			if (c == d) {
				out[n++] = d;
				s++;
				continue;
			}
			if (text) {
				s++;
				out[n++] = c == 'n' ? '\n' : c == 't' ? '\t' : c;
				continue;
			}
		}
		out[n++] = *s;
	}
	if (*s != d) {
		free(out);
		return NULL;
	}
	*p = s + 1;
	out[n] = '\0';
	*outlen = n;
	return out;
}

typedef struct Ranges {
	Sel *v;
	size_t n, cap;
} Ranges;

static bool push_range(Ranges *r, size_t s, size_t e)
{
	if (!ARRAY_RESERVE(r->v, r->cap, r->n + 1))
		return false;
	r->v[r->n++] = (Sel){s, e};
	return true;
}

/* Applies one x/y/g/v step to every range. */
static bool step(char op, Search *s, const Text *t, Ranges *in, Ranges *out)
{
	for (size_t i = 0; i < in->n; i++) {
		size_t rs = in->v[i].anchor, re = in->v[i].head, from = rs, e;
		if (op == 'g' || op == 'v') {
			size_t m = search_text(s, t, 0, re, rs, re, &e);
			if ((m != BUF_NOPOS) == (op == 'g') && !push_range(out, rs, re))
				return false;
			continue;
		}
		size_t prev = rs;
		for (;;) {
			size_t m = search_text(s, t, 0, re, from, re, &e);
			if (m == BUF_NOPOS)
				break;
			/* An empty match after a range's final newline is no line
			 * end: x/$/ gives one piece per line, as x/^/ does. */
			bool past_last_line = m == e && m == re && m > rs && text_byte(t, m - 1) == '\n';
			if (op == 'x' && !past_last_line && !push_range(out, m, e))
				return false;
			if (op == 'y' && !push_range(out, prev, m))
				return false;
			prev = e;
			from = e > m ? e : m + 1;
			if (from > re)
				break;
		}
		if (op == 'y' && !push_range(out, prev, re))
			return false;
	}
	return true;
}

bool cmd_structural(Editor *ed, const char *line)
{
	Buffer *b = ed->cur;
	SelSet *ss = &b->sels;
	size_t len = text_len(b->text);
	Ranges cur = {0}, next = {0};
	bool ok = true;
	/* Start: the selections, or the whole buffer when nothing is selected. */
	if (sel_any_selected(ss)) {
		for (size_t i = 0; i < ss->n && ok; i++)
			if (!sel_is_empty(ss->v[i]))
				ok = push_range(&cur, sel_start(ss->v[i]), sel_end(ss->v[i]));
	} else {
		ok = push_range(&cur, 0, len);
	}
	const char *p = line;
	char action = 0, *atext = NULL;
	size_t alen = 0;
	while (ok && *p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		char op = *p++;
		if (strchr("xygv", op) && *p && *p != ' ') {
			size_t plen;
			char *pat = delimited(&p, false, &plen);
			if (!pat) {
				ok = msg_error(ed, "%c: unterminated pattern in: %s", op, line);
				break;
			}
			char err[256];
			Search *s = search_new(pat, plen, SEARCH_REGEX, err, sizeof err);
			free(pat);
			if (!s) {
				ok = msg_error(ed, "%c: %s", op, err);
				break;
			}
			next.n = 0;
			ok = step(op, s, b->text, &cur, &next) || msg_error(ed, "%c: %s", op, strerror(ENOMEM));
			search_free(s);
			Ranges t = cur;
			cur = next;
			next = t;
		} else if (strchr("cia", op) && *p && *p != ' ') {
			atext = delimited(&p, true, &alen);
			if (!atext) {
				ok = msg_error(ed, "%c: unterminated text in: %s", op, line);
				break;
			}
			action = op;
			while (*p == ' ')
				p++;
			if (*p)
				ok = msg_error(ed, "structural: text after the action: %s", p);
			break;
		} else if (op == 'd' && (!*p || *p == ' ')) {
			action = 'd';
			break;
		} else {
			ok = msg_error(ed, "structural: unknown command at: %s", p - 1);
		}
	}
	if (ok && cur.n == 0)
		ok = msg_error(ed, "structural: no match");
	if (ok && !action) {
		SelSet ns;
		sel_init(&ns);
		if (!sel_reserve(&ns, cur.n)) {
			ok = msg_error(ed, "structural: %s", strerror(ENOMEM));
		} else {
			memcpy(ns.v, cur.v, cur.n * sizeof *cur.v);
			ns.n = cur.n;
			sel_normalize(&ns);
			sel_fini(ss);
			*ss = ns;
			cmd_follow_primary(ed);
		}
	} else if (ok) {
		Edit *e = malloc(cur.n * sizeof *e);
		if (!e) {
			ok = msg_error(ed, "structural: %s", strerror(ENOMEM));
		} else {
			for (size_t i = 0; i < cur.n; i++) {
				size_t s = cur.v[i].anchor, en = cur.v[i].head;
				if (action == 'c')
					e[i] = (Edit){s, en - s, atext, alen};
				else if (action == 'i')
					e[i] = (Edit){s, 0, atext, alen};
				else if (action == 'a')
					e[i] = (Edit){en, 0, atext, alen};
				else
					e[i] = (Edit){s, en - s, NULL, 0};
			}
			/* The selections become the changed ranges. */
			SelSet ns;
			sel_init(&ns);
			if (sel_reserve(&ns, cur.n)) {
				memcpy(ns.v, cur.v, cur.n * sizeof *cur.v);
				ns.n = cur.n;
				sel_normalize(&ns);
				if (ns.n == cur.n) {
					sel_fini(ss);
					*ss = ns;
				} else {
					sel_fini(&ns);
				}
			}
			int place = ss->n == cur.n ? (action == 'd' ? PLACE_AFTER : PLACE_COVER) : PLACE_MAP;
			if (action == 'i' || action == 'a')
				place = ss->n == cur.n ? PLACE_COVER : PLACE_MAP;
			ok = buf_apply(ed, b, e, cur.n, TXN_PLAIN, place);
			free(e);
		}
	}
	free(atext);
	free(cur.v);
	free(next.v);
	return ok;
}
