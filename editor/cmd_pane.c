/* Commands for plugin panes and the sidebars: toggling, focus, resizing,
 * and moving the selection of the focused pane (the "pane" mode keys). */
#include "editor/commands.h"
#include "editor/pane.h"
#include <stdlib.h>
#include <string.h>

/* The focused pane, or an error message for a pane command without one. */
static Pane *need_focus(Editor *ed, const char *cmd)
{
	Pane *p = pane_focused(ed);
	if (!p)
		msg_error(ed, "%s: no pane has the focus", cmd);
	return p;
}

bool cmd_sidebar_toggle(Editor *ed, const char *args)
{
	return sidebar_toggle(ed);
}

bool cmd_sidebar_focus(Editor *ed, const char *args)
{
	return sidebar_focus_next(ed);
}

/* sidebar-resize N | +N | -N: columns, separator included. */
bool cmd_sidebar_resize(Editor *ed, const char *args)
{
	int side = sidebar_current(ed);
	if (side < 0)
		return msg_error(ed, "no sidebar is shown");
	char *end;
	long n = strtol(args, &end, 10);
	if (!*args || end == args || *end)
		return msg_error(ed, "want N, +N or -N columns");
	int w = ed->panes->side[side].width;
	/* A sidebar wider than the screen allows is shown narrower: start
	 * relative changes from what is on screen. */
	if (ed->panes->side[side].w > 0 && ed->panes->side[side].w < w)
		w = ed->panes->side[side].w;
	long nw = (args[0] == '+' || args[0] == '-') ? w + n : n;
	sidebar_set_width(ed, side, nw < 0 ? 0 : nw > 1000 ? 1000 : (int)nw);
	return true;
}

bool cmd_pane_unfocus(Editor *ed, const char *args)
{
	pane_focus(ed, NULL);
	return true;
}

static bool move(Editor *ed, const char *cmd, long delta, bool page)
{
	Pane *p = need_focus(ed, cmd);
	if (!p)
		return false;
	pane_move(ed, p, page ? delta * (long)pane_page(p) : delta);
	return true;
}

bool cmd_pane_up(Editor *ed, const char *args) { return move(ed, "pane-up", -1, false); }
bool cmd_pane_down(Editor *ed, const char *args) { return move(ed, "pane-down", 1, false); }
bool cmd_pane_page_up(Editor *ed, const char *args) { return move(ed, "pane-page-up", -1, true); }
bool cmd_pane_page_down(Editor *ed, const char *args) { return move(ed, "pane-page-down", 1, true); }

bool cmd_pane_first(Editor *ed, const char *args)
{
	Pane *p = need_focus(ed, "pane-first");
	if (p)
		pane_select(ed, p, 0, true);
	return p != NULL;
}

bool cmd_pane_last(Editor *ed, const char *args)
{
	Pane *p = need_focus(ed, "pane-last");
	if (p)
		pane_select(ed, p, p->nlines ? p->nlines - 1 : 0, true);
	return p != NULL;
}

bool cmd_pane_activate(Editor *ed, const char *args)
{
	Pane *p = need_focus(ed, "pane-activate");
	if (p)
		pane_activate(ed, p);
	return p != NULL;
}
