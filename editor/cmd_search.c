/* Search commands: find (regex), next/previous, every match as a cursor
 * (replace-all: cmd_structural.c). The pattern is remembered for
 * find-next/find-prev. Matches are walked as search_in_after() says, so
 * find, find-all, replace and the highlight agree on what matches. */
#include "editor/command.h"
#include "editor/commands.h"
#include "buffer/search.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Search *compile_last(Editor *ed)
{
	char err[256];
	if (!ed->search || !*ed->search) {
		msg_error(ed, "no search pattern yet");
		return NULL;
	}
	Search *s = search_new(ed->search, strlen(ed->search), ed->search_flags, err, sizeof err);
	if (!s)
		msg_error(ed, "%s", err);
	return s;
}

static bool remember(Editor *ed, const char *pat)
{
	char *p = strdup(pat);
	if (!p)
		return msg_error(ed, "%s", strerror(ENOMEM));
	free(ed->search);
	ed->search = p;
	if (!ed->search_flags)
		ed->search_flags = SEARCH_REGEX;
	return true;
}

static bool find_dir(Editor *ed, bool back)
{
	Buffer *b = ed->cur;
	Search *s = compile_last(ed);
	if (!s)
		return false;
	Sel p = b->sels.v[b->sels.primary];
	size_t e, m;
	if (back) {
		m = search_prev(s, b->text, sel_start(p), true, &e);
	} else {
		/* On from the selection (or cursor), never the empty match there
		 * again; then round from the top. */
		m = search_next_after(s, b->text, sel_end(p), true, &e);
	}
	search_free(s);
	if (m == BUF_NOPOS)
		return msg_error(ed, "not found: %s", ed->search);
	sel_reset(&b->sels, e);
	b->sels.v[0].anchor = m;
	cmd_follow_primary(ed);
	return true;
}

bool cmd_find(Editor *ed, const char *args)
{
	if (*args && !remember(ed, args))
		return false;
	return find_dir(ed, false);
}

bool cmd_find_next(Editor *ed, const char *args) { return find_dir(ed, false); }
bool cmd_find_prev(Editor *ed, const char *args) { return find_dir(ed, true); }

bool cmd_find_all_as_cursors(Editor *ed, const char *args)
{
	if (*args && !remember(ed, args))
		return false;
	Buffer *b = ed->cur;
	Search *s = compile_last(ed);
	if (!s)
		return false;
	size_t len = text_len(b->text), e;
	SelSet ns;
	sel_init(&ns);
	for (size_t m = search_text(s, b->text, 0, len, 0, len, &e); m != BUF_NOPOS;
	     m = search_text_after(s, b->text, 0, len, e, len, &e))
		if (!sel_push(&ns, (Sel){m, e}))
			break;
	search_free(s);
	if (ns.n == 0) {
		sel_fini(&ns);
		return msg_error(ed, "not found: %s", ed->search);
	}
	sel_normalize(&ns);
	sel_fini(&b->sels);
	b->sels = ns;
	cmd_follow_primary(ed);
	msg_info(ed, "%zu matches", ns.n);
	return true;
}
