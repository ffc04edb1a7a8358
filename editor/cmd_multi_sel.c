/* Multi-cursor commands that reshape the selection set without touching
 * the text: cursors above/below, split into lines, regex select / split /
 * keep / drop, primary cycling, Ctrl-click toggling, and the prompts that
 * ask for their arguments. Each builds the new set in one left-to-right
 * walk and swaps it in only when it is not empty. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/multi.h"
#include "buffer/search.h"
#include "buffer/utf8.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void follow(Editor *ed, Buffer *b)
{
	if (b == ed->cur)
		cmd_follow_primary(ed);
}

/* End of the line holding pos, before a CR of a CRLF. */
static size_t line_end_nocr(Text *t, size_t pos)
{
	size_t e = text_line_end_at(t, pos);
	if (e > pos && text_byte(t, e - 1) == '\r' && text_byte(t, e) == '\n')
		e--;
	return e;
}

/* ===== cursors above / below ============================================= */

/* Where display column col falls on the line starting at ls, never past
 * its end (nor between the CR and LF of a CRLF). */
static size_t at_col(Text *t, size_t ls, size_t col, int tabw)
{
	size_t p = utf8_offset_at_column(t, ls, col, tabw), e = line_end_nocr(t, ls);
	return p < e ? p : e;
}

bool multi_add_line(Editor *ed, Buffer *b, int dir)
{
	Text *t = b->text;
	SelSet *ss = &b->sels;
	multi_box_end(b);
	Sel edge = dir < 0 ? ss->v[0] : ss->v[ss->n - 1];
	size_t line = text_line_of(t, edge.head);
	if ((dir < 0 && line == 0) || (dir > 0 && !text_has_line(t, line + 1))) {
		msg_info(ed, "no line %s", dir < 0 ? "above" : "below");
		return true;
	}
	size_t ls = text_line_start_at(t, edge.head);
	size_t col = b->goal_col != BUF_NOPOS ? b->goal_col : utf8_columns(t, ls, edge.head, ed->tabw);
	size_t nls = text_line_start(t, dir < 0 ? line - 1 : line + 1);
	size_t head = at_col(t, nls, col, ed->tabw), anchor = head;
	/* A selection within one line is copied with both its columns. */
	if (!sel_is_empty(edge) && text_line_start_at(t, edge.anchor) == ls) {
		size_t acol = utf8_columns(t, ls, edge.anchor, ed->tabw);
		anchor = at_col(t, nls, acol, ed->tabw);
	}
	if (!sel_add(ss, (Sel){anchor, head}))
		return msg_error(ed, "%s", strerror(ENOMEM));
	b->goal_col = col;
	follow(ed, b);
	return true;
}

/* ===== split into lines ================================================== */

bool multi_split_lines(Editor *ed, Buffer *b)
{
	Text *t = b->text;
	SelSet *ss = &b->sels, ns;
	sel_init(&ns);
	size_t prim = BUF_NOPOS;
	bool ok = true;
	multi_box_end(b);
	for (size_t i = 0; i < ss->n && ok; i++) {
		size_t s = sel_start(ss->v[i]), e = sel_end(ss->v[i]), last = e;
		if (s == e) {
			ok = sel_push(&ns, ss->v[i]);
			last = ss->v[i].head;
		}
		for (size_t p = s; s < e && ok;) {
			size_t le = text_line_end_at(t, p);
			if (le >= e) {
				/* The last line; none when the selection ends at
				 * the start of a line it does not otherwise touch. */
				if (p < e) {
					ok = sel_push(&ns, (Sel){e, e});
					last = e;
				}
				break;
			}
			last = line_end_nocr(t, p);
			ok = sel_push(&ns, (Sel){last, last});
			p = le + 1;
		}
		if (i == ss->primary)
			prim = last;
	}
	if (!ok) {
		sel_fini(&ns);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	sel_normalize(&ns);
	size_t k = sel_find(&ns, prim);
	ns.primary = k < ns.n ? k : ns.n - 1;
	sel_replace(ss, &ns, false);
	follow(ed, b);
	if (ss->n > 1)
		msg_info(ed, "%zu cursors", ss->n);
	return true;
}

/* ===== regex over the selections ========================================= */

static const char *const regex_cmd[] = {"select-regex", "split-regex", "keep-regex", "drop-regex"};

/* Pushes the pieces of [rs, re) for op: matches, or what lies between. */
static bool regex_range(Search *s, const Text *t, int op, size_t rs, size_t re, SelSet *ns)
{
	size_t from = rs, prev = rs, m, e;
	while (from <= re && (m = search_text(s, t, 0, re, from, re, &e)) != BUF_NOPOS) {
		if (e > m) {
			if (op == MULTI_SELECT && !sel_push(ns, (Sel){m, e}))
				return false;
			if (op == MULTI_SPLIT && m > prev && !sel_push(ns, (Sel){prev, m}))
				return false;
			prev = e;
		}
		from = e > m ? e : m + 1;
	}
	if (op == MULTI_SPLIT && re > prev && !sel_push(ns, (Sel){prev, re}))
		return false;
	return true;
}

bool multi_regex(Editor *ed, Buffer *b, int op, const char *re, size_t len)
{
	const char *name = regex_cmd[op];
	if (len == 0)
		return msg_error(ed, "usage: %s REGEX", name);
	char err[256];
	Search *s = search_new(re, len, SEARCH_REGEX, err, sizeof err);
	if (!s)
		return msg_error(ed, "%s", err);
	Text *t = b->text;
	SelSet *ss = &b->sels, ns;
	sel_init(&ns);
	size_t tl = text_len(t), prim = BUF_NOPOS;
	bool whole = op <= MULTI_SPLIT && !sel_any_selected(ss), ok = true;
	for (size_t i = 0; i < (whole ? 1 : ss->n) && ok; i++) {
		Sel v = whole ? (Sel){0, tl} : ss->v[i];
		size_t rs = sel_start(v), rend = sel_end(v), before = ns.n;
		if (op <= MULTI_SPLIT) {
			ok = regex_range(s, t, op, rs, rend, &ns);
		} else {
			if (rs == rend) {
				rs = text_line_start_at(t, rs);
				rend = text_line_end_at(t, rs);
			}
			/* The selection (or the cursor's line) is the subject: ^ and $
			 * match at its ends, as in "keep-regex ^[0-9]" on split fields. */
			size_t e, m = search_text(s, t, rs, rend, rs, rend, &e);
			if ((m != BUF_NOPOS) == (op == MULTI_KEEP))
				ok = sel_push(&ns, v);
		}
		if (!whole && i == ss->primary && ns.n > before)
			prim = sel_start(ns.v[before]);
	}
	search_free(s);
	if (!ok) {
		sel_fini(&ns);
		return msg_error(ed, "%s", strerror(ENOMEM));
	}
	if (ns.n == 0) {
		sel_fini(&ns);
		static const char *const why[] = {"no match", "nothing left", "no selection matches", "every selection matches"};
		return msg_error(ed, "%s", why[op]);
	}
	if (prim == BUF_NOPOS)
		prim = sel_start(ss->v[ss->primary]);
	sel_normalize(&ns);
	size_t k = sel_find(&ns, prim);
	ns.primary = k < ns.n ? k : ns.n - 1;
	multi_box_end(b);
	sel_replace(ss, &ns, false);
	follow(ed, b);
	msg_info(ed, "%zu %s", ss->n, ss->n == 1 ? "selection" : "selections");
	return true;
}

/* ===== primary, Ctrl-click =============================================== */

bool multi_primary_step(Editor *ed, Buffer *b, long delta)
{
	SelSet *ss = &b->sels;
	long n = (long)ss->n, p = ((long)ss->primary + delta % n + n) % n;
	ss->primary = (size_t)p;
	follow(ed, b);
	return true;
}

bool multi_toggle_cursor(Editor *ed, Buffer *b, size_t pos)
{
	SelSet *ss = &b->sels;
	if (pos > text_len(b->text))
		pos = text_len(b->text);
	/* Never inside a UTF-8 sequence: back to its first byte. */
	for (int k = 0; k < 3 && pos > 0 && pos < text_len(b->text) && (text_byte(b->text, pos) & 0xC0) == 0x80; k++)
		pos--;
	multi_box_end(b);
	size_t k = sel_find(ss, pos);
	if (k < ss->n && sel_start(ss->v[k]) <= pos && ss->n > 1) {
		sel_remove(ss, k);
		return true;
	}
	if (!sel_add(ss, (Sel){pos, pos}))
		return msg_error(ed, "%s", strerror(ENOMEM));
	follow(ed, b);
	return true;
}

size_t multi_status(const Buffer *b, char *out, size_t size)
{
	const SelSet *ss = &b->sels;
	if (size == 0)
		return 0;
	out[0] = '\0';
	bool box = multi_box_active(b);
	if (ss->n < 2 && !box)
		return 0;
	int n = snprintf(out, size, "%zu cursor%s (%zu/%zu)%s", ss->n, ss->n == 1 ? "" : "s", ss->primary + 1, ss->n,
	                 box ? ", column" : "");
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* ===== commands ========================================================== */

bool cmd_add_cursor_above(Editor *ed, const char *args) { return multi_add_line(ed, ed->cur, -1); }
bool cmd_add_cursor_below(Editor *ed, const char *args) { return multi_add_line(ed, ed->cur, 1); }
bool cmd_split_selection_lines(Editor *ed, const char *args) { return multi_split_lines(ed, ed->cur); }
bool cmd_select_regex(Editor *ed, const char *args) { return multi_regex(ed, ed->cur, MULTI_SELECT, args, strlen(args)); }
bool cmd_split_regex(Editor *ed, const char *args) { return multi_regex(ed, ed->cur, MULTI_SPLIT, args, strlen(args)); }
bool cmd_keep_regex(Editor *ed, const char *args) { return multi_regex(ed, ed->cur, MULTI_KEEP, args, strlen(args)); }
bool cmd_drop_regex(Editor *ed, const char *args) { return multi_regex(ed, ed->cur, MULTI_DROP, args, strlen(args)); }
bool cmd_primary_next(Editor *ed, const char *args) { return multi_primary_step(ed, ed->cur, 1); }
bool cmd_primary_prev(Editor *ed, const char *args) { return multi_primary_step(ed, ed->cur, -1); }

bool cmd_toggle_cursor(Editor *ed, const char *args)
{
	char *end;
	unsigned long long pos = strtoull(args, &end, 0);
	if (end == args || *end)
		return msg_error(ed, "usage: toggle-cursor OFFSET");
	return multi_toggle_cursor(ed, ed->cur, (size_t)pos);
}

/* ===== prompts =========================================================== */

/* What a prompt's answer runs: a regex op on the answer as typed (spaces
 * kept: a command line would trim them), or the command line NAME ANSWER. */
typedef struct PromptCmd {
	const char *name; /* "" runs the answer as a command line */
	int regex_op;     /* MULTI_*, or -1 */
} PromptCmd;

static const PromptCmd prompt_cmds[] = {
	{"select-regex", MULTI_SELECT}, {"split-regex", MULTI_SPLIT}, {"keep-regex", MULTI_KEEP},
	{"drop-regex", MULTI_DROP}, {"insert-sequence", -1}, {"", -1},
};

static void prompt_done(Editor *ed, const char *answer, void *arg)
{
	const PromptCmd *pc = arg;
	if (!answer || !*answer || !ed->cur)
		return;
	if (pc->regex_op >= 0) {
		text_break(ed->cur->text);
		multi_regex(ed, ed->cur, pc->regex_op, answer, strlen(answer));
		return;
	}
	size_t need = strlen(pc->name) + strlen(answer) + 2;
	char *line = malloc(need);
	if (!line) {
		msg_error(ed, "%s: %s", pc->name, strerror(ENOMEM));
		return;
	}
	snprintf(line, need, "%s%s%s", pc->name, *pc->name ? " " : "", answer);
	ed_command(ed, line);
	free(line);
}

/* Opens the UI's prompt for a command's argument; headless has none. */
static bool ask_for(Editor *ed, size_t which, const char *label, const char *init, bool append)
{
	const PromptCmd *pc = &prompt_cmds[which];
	const char *name = *pc->name ? pc->name : "structural";
	if (!ed->ui.prompt)
		return msg_error(ed, "%s-prompt needs the terminal UI (give the argument: %s ...)", name,
		                 *pc->name ? pc->name : "x/RE/");
	ed->ui.prompt(ed, label, init, append, prompt_done, (void *)pc);
	return true;
}

bool cmd_select_regex_prompt(Editor *ed, const char *args) { return ask_for(ed, 0, "select regex: ", args, false); }
bool cmd_split_regex_prompt(Editor *ed, const char *args) { return ask_for(ed, 1, "split on regex: ", args, false); }
bool cmd_keep_regex_prompt(Editor *ed, const char *args) { return ask_for(ed, 2, "keep matching: ", args, false); }
bool cmd_drop_regex_prompt(Editor *ed, const char *args) { return ask_for(ed, 3, "drop matching: ", args, false); }

bool cmd_insert_sequence_prompt(Editor *ed, const char *args)
{
	return ask_for(ed, 4, "insert-sequence START STEP [FORMAT]: ", *args ? args : "1 1 %d", false);
}

bool cmd_structural_prompt(Editor *ed, const char *args)
{
	return ask_for(ed, 5, "structural: ", *args ? args : "x/", true);
}
