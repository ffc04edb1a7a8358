/* Structural regular expressions (sam/vis) and replace-all: the one
 * replacement engine. x/re/ y/re/ g/re/ v/re/ narrow ranges (the
 * selections, or the whole buffer), then c/text/ i/text/ a/text/ or d
 * edits every range in one pass; without an action the ranges become the
 * selections. Matches are walked as search_in_after() defines (no overlap,
 * an empty match once per position; over the text a window at a time,
 * search_text_after), and the text of c// i// a// expands
 * \0-\9 (search_expand_text: the match of the last x// and its groups), \n \t
 * \\ per range. replace-all /RE/TEXT/ is x/RE/ c/TEXT/ over the whole
 * buffer, keeping the cursors. */
#include "editor/command.h"
#include "editor/commands.h"
#include "buffer/array.h"
#include "buffer/search.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 16

/* A parsed command line: the narrowing steps and the action. */
typedef struct Plan {
	char op[MAX_STEPS];
	Search *re[MAX_STEPS];
	int nsteps;
	char action;       /* 0 (select the ranges), 'c', 'i', 'a' or 'd' */
	char *text;        /* the action's template, escapes not yet expanded */
	size_t textlen;
} Plan;

/* The ranges between steps; with a template, each range's expanded text. */
typedef struct Ranges {
	Sel *v;            /* anchor = start, head = end */
	char **rep;        /* NULL, or one expansion per range */
	size_t *replen;
	size_t n, cap, repcap, lencap;
} Ranges;

static void plan_fini(Plan *pl)
{
	for (int i = 0; i < pl->nsteps; i++)
		search_free(pl->re[i]);
	free(pl->text);
}

static void ranges_fini(Ranges *r)
{
	if (r->rep)
		for (size_t i = 0; i < r->n; i++)
			free(r->rep[i]);
	free(r->rep);
	free(r->replen);
	free(r->v);
	*r = (Ranges){0};
}

/* Appends [s,e) with its expansion (owned by the ranges from here on). */
static bool push_range(Ranges *r, size_t s, size_t e, char *rep, size_t replen)
{
	if (!ARRAY_RESERVE(r->v, r->cap, r->n + 1) ||
	    (rep && (!ARRAY_RESERVE(r->rep, r->repcap, r->n + 1) || !ARRAY_RESERVE(r->replen, r->lencap, r->n + 1)))) {
		free(rep);
		return false;
	}
	r->v[r->n] = (Sel){s, e};
	if (rep) {
		r->rep[r->n] = rep;
		r->replen[r->n] = replen;
	}
	r->n++;
	return true;
}

/* ===== parsing ============================================================ */

/* Reads a /delimited/ argument starting at *p (the delimiter). Only \delim
 * is unescaped: a pattern keeps its escapes for PCRE2, a text for
 * search_expand_text. An argument that runs to the end of the line without its
 * closing delimiter is taken whole when `open_end` allows it. Returns
 * malloc'd text or NULL (unterminated, or out of memory: errno). */
static char *delimited(const char **p, bool open_end, size_t *outlen)
{
	char d = **p;
	const char *s = *p + 1;
	char *out = malloc(strlen(s) + 1);
	size_t n = 0;
	if (!out)
		return NULL;
	for (; *s && *s != d; s++) {
		if (*s == '\\' && s[1] == d)
			s++;
		else if (*s == '\\' && s[1])
			out[n++] = *s++;
		out[n++] = *s;
	}
	if (*s != d && !open_end) {
		free(out);
		errno = EINVAL;
		return NULL;
	}
	*p = *s ? s + 1 : s;
	out[n] = '\0';
	*outlen = n;
	return out;
}

static bool parse_step(Editor *ed, Plan *pl, char op, const char **p, const char *line)
{
	size_t plen;
	if (pl->nsteps == MAX_STEPS)
		return msg_error(ed, "more than %d steps in: %s", MAX_STEPS, line);
	char *pat = delimited(p, false, &plen);
	if (!pat)
		return msg_error(ed, "%c: unterminated pattern in: %s", op, line);
	char err[256];
	Search *s = search_new(pat, plen, SEARCH_REGEX, err, sizeof err);
	free(pat);
	if (!s)
		return msg_error(ed, "%c: %s", op, err);
	pl->op[pl->nsteps] = op;
	pl->re[pl->nsteps++] = s;
	return true;
}

static bool parse_plan(Editor *ed, const char *line, Plan *pl)
{
	const char *p = line;
	*pl = (Plan){0};
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return true;
		char op = *p++;
		if (strchr("xygv", op) && *p && *p != ' ') {
			if (!parse_step(ed, pl, op, &p, line))
				return false;
		} else if (strchr("cia", op) && *p && *p != ' ') {
			pl->text = delimited(&p, false, &pl->textlen);
			if (!pl->text)
				return msg_error(ed, "%c: unterminated text in: %s", op, line);
			pl->action = op;
			break;
		} else if (op == 'd' && (!*p || *p == ' ')) {
			pl->action = 'd';
			break;
		} else {
			return msg_error(ed, "unknown command at: %s", p - 1);
		}
	}
	while (*p == ' ' || *p == '\t')
		p++;
	return !*p || msg_error(ed, "text after the action: %s", p);
}

/* ===== running ============================================================ */

typedef struct Run {
	const Text *t;
	const Plan *pl;
	int last_x;        /* the step whose matches expand the template, -1 */
} Run;

/* The template expanded for the match s just found (\0 is [m,e)). */
static bool push_match(const Run *run, Search *s, bool expand, size_t m, size_t e, Ranges *out)
{
	char *rep = NULL;
	size_t replen = 0;
	if (expand && !(rep = search_expand_text(s, run->t, run->pl->text, run->pl->textlen, &replen)))
		return false;
	return push_range(out, m, e, rep, replen);
}

/* x or y over one range [rs, re). */
static bool split_range(const Run *run, char op, Search *s, bool expand, size_t rs, size_t re, Ranges *out)
{
	const Text *t = run->t;
	size_t prev = rs, e;
	for (size_t m = search_text(s, t, 0, re, rs, re, &e); m != BUF_NOPOS; m = search_text_after(s, t, 0, re, e, re, &e)) {
		/* An empty match after a range's final newline is no line end:
		 * x/$/ gives one piece per line, as x/^/ does. */
		bool past_last_line = m == e && m == re && m > rs && text_byte(t, m - 1) == '\n';
		if (op == 'x' && !past_last_line && !push_match(run, s, expand, m, e, out))
			return false;
		if (op == 'y' && !push_range(out, prev, m, NULL, 0))
			return false;
		prev = e;
	}
	return op != 'y' || push_range(out, prev, re, NULL, 0);
}

/* Applies step k to every range of in. g and v keep a range (and its
 * expansion) when it does / does not contain a match. */
static bool run_step(const Run *run, int k, Ranges *in, Ranges *out)
{
	char op = run->pl->op[k];
	Search *s = run->pl->re[k];
	bool expand = k == run->last_x;
	for (size_t i = 0; i < in->n; i++) {
		size_t rs = in->v[i].anchor, re = in->v[i].head, e;
		if (op == 'x' || op == 'y') {
			if (!split_range(run, op, s, expand, rs, re, out))
				return false;
			continue;
		}
		if ((search_text(s, run->t, 0, re, rs, re, &e) != BUF_NOPOS) != (op == 'g'))
			continue;
		char *rep = in->rep ? in->rep[i] : NULL;
		if (rep)
			in->rep[i] = NULL;
		if (!push_range(out, rs, re, rep, in->rep ? in->replen[i] : 0))
			return false;
	}
	return true;
}

/* Ranges with no match to expand against (no x step, or a y after it):
 * \0 is the range itself. */
static bool expand_plain(const Run *run, Ranges *r)
{
	char err[64];
	/* Bytes, so that invalid UTF-8 in a range is part of \0 too. */
	Search *any = search_new("(?s).*", 6, SEARCH_REGEX | SEARCH_BYTES, err, sizeof err);
	if (!any || !ARRAY_RESERVE(r->rep, r->repcap, r->n) || !ARRAY_RESERVE(r->replen, r->lencap, r->n)) {
		search_free(any);
		return false;
	}
	memset(r->rep, 0, r->n * sizeof *r->rep);
	bool ok = true;
	for (size_t i = 0; i < r->n && ok; i++) {
		size_t rs = r->v[i].anchor, re = r->v[i].head, e;
		search_text(any, run->t, rs, re, rs, re, &e);
		r->rep[i] = search_expand_text(any, run->t, run->pl->text, run->pl->textlen, &r->replen[i]);
		ok = r->rep[i] != NULL;
	}
	search_free(any);
	return ok;
}

/* Runs every step from the start ranges; on success *cur holds the result. */
static bool run_plan(Editor *ed, const Run *run, Ranges *cur)
{
	Ranges next = {0};
	for (int k = 0; k < run->pl->nsteps; k++) {
		next.n = 0;
		if (!run_step(run, k, cur, &next)) {
			ranges_fini(&next);
			return msg_error(ed, "%c: %s", run->pl->op[k], strerror(ENOMEM));
		}
		ranges_fini(cur);
		*cur = next;
		next = (Ranges){0};
	}
	if (run->pl->text && run->last_x < 0 && !expand_plain(run, cur))
		return msg_error(ed, "%s", strerror(ENOMEM));
	return true;
}

/* ===== applying ============================================================ */

static void select_ranges(Editor *ed, Buffer *b, const Ranges *r)
{
	SelSet ns;
	sel_init(&ns);
	if (!sel_reserve(&ns, r->n)) {
		msg_error(ed, "%s", strerror(ENOMEM));
		return;
	}
	memcpy(ns.v, r->v, r->n * sizeof *r->v);
	ns.n = r->n;
	sel_normalize(&ns);
	sel_fini(&b->sels);
	b->sels = ns;
}

/* Edits every range; the selections become the changed ranges unless
 * keep_cursors (replace-all), when they move with the edits. */
static bool edit_ranges(Editor *ed, Buffer *b, char action, const Ranges *r, bool keep_cursors)
{
	Edit *e = malloc((r->n ? r->n : 1) * sizeof *e);
	if (!e)
		return msg_error(ed, "%s", strerror(ENOMEM));
	for (size_t i = 0; i < r->n; i++) {
		size_t s = r->v[i].anchor, en = r->v[i].head;
		const char *ins = r->rep ? r->rep[i] : NULL;
		size_t il = r->rep ? r->replen[i] : 0;
		if (action == 'c' || action == 'd')
			e[i] = (Edit){s, en - s, ins, il};
		else
			e[i] = (Edit){action == 'i' ? s : en, 0, ins, il};
	}
	int place = PLACE_MAP;
	if (!keep_cursors) {
		select_ranges(ed, b, r);
		if (b->sels.n == r->n)
			place = action == 'd' ? PLACE_AFTER : PLACE_COVER;
	}
	bool ok = buf_apply(ed, b, e, r->n, TXN_PLAIN, place);
	free(e);
	return ok;
}

static const char *done_verb(char action)
{
	return action == 'c' ? "replaced" : action == 'd' ? "deleted" : "inserted";
}

/* Runs a parsed plan over the start ranges; `name` is for messages. */
static bool structural(Editor *ed, Buffer *b, const char *name, const Plan *pl, Ranges *cur, bool keep_cursors)
{
	Run run = {b->text, pl, -1};
	/* The template's groups come from the last x, unless a y follows it. */
	for (int k = 0; pl->text && k < pl->nsteps; k++)
		if (pl->op[k] == 'x' || pl->op[k] == 'y')
			run.last_x = pl->op[k] == 'x' ? k : -1;
	if (!run_plan(ed, &run, cur))
		return false;
	if (cur->n == 0)
		return msg_error(ed, "%s: no match", name);
	if (!pl->action) {
		select_ranges(ed, b, cur);
		cmd_follow_primary(ed);
		return true;
	}
	if (!edit_ranges(ed, b, pl->action, cur, keep_cursors))
		return false;
	cmd_follow_primary(ed);
	msg_info(ed, "%zu %s", cur->n, done_verb(pl->action));
	return true;
}

/* The start: the selections, or the whole buffer when nothing is selected. */
static bool start_ranges(Editor *ed, Buffer *b, Ranges *r)
{
	SelSet *ss = &b->sels;
	bool ok = true;
	if (!sel_any_selected(ss))
		ok = push_range(r, 0, text_len(b->text), NULL, 0);
	for (size_t i = 0; i < ss->n && ok && sel_any_selected(ss); i++)
		if (!sel_is_empty(ss->v[i]))
			ok = push_range(r, sel_start(ss->v[i]), sel_end(ss->v[i]), NULL, 0);
	return ok || msg_error(ed, "%s", strerror(ENOMEM));
}

bool cmd_structural(Editor *ed, const char *line)
{
	Plan pl;
	Ranges cur = {0};
	bool ok = parse_plan(ed, line, &pl) && start_ranges(ed, ed->cur, &cur) &&
	          structural(ed, ed->cur, "structural", &pl, &cur, false);
	ranges_fini(&cur);
	plan_fini(&pl);
	return ok;
}

/* replace-all /RE/TEXT/ (any delimiter; the last one may be left out). */
bool cmd_replace_all(Editor *ed, const char *args)
{
	static const char usage[] = "replace-all: usage: replace-all /RE/TEXT/";
	if (!args[0] || !args[1])
		return msg_error(ed, usage);
	Plan pl = {.op = {'x'}, .action = 'c'};
	const char *p = args;
	size_t plen;
	char err[256];
	char *pat = delimited(&p, false, &plen);
	if (!pat)
		return msg_error(ed, usage);
	pl.re[0] = search_new(pat, plen, SEARCH_REGEX, err, sizeof err);
	free(pat);
	if (!pl.re[0])
		return msg_error(ed, "%s", err);
	pl.nsteps = 1;
	p--; /* the middle delimiter opens the text */
	pl.text = delimited(&p, true, &pl.textlen);
	Ranges cur = {0};
	bool ok = pl.text && push_range(&cur, 0, text_len(ed->cur->text), NULL, 0);
	if (!ok)
		msg_error(ed, "%s", strerror(ENOMEM));
	else if (*p)
		ok = msg_error(ed, "text after /RE/TEXT/: %s", p);
	ok = ok && structural(ed, ed->cur, "replace-all", &pl, &cur, true);
	ranges_fini(&cur);
	plan_fini(&pl);
	return ok;
}
