/* Plugin panes and UI for Lua: brisk.pane{...} / brisk.sidebar{...}
 * handles, brisk.sidebar_toggle(), brisk.sidebar_focus(),
 * brisk.focused_pane(), brisk.status_segment(), brisk.menu{...},
 * brisk.prompt{...}, brisk.picker(). The models are editor/pane.c and
 * editor/picker.c; this file converts lines and styles and calls the
 * plugin's callbacks (protected, through blua_pcall).
 *
 * A pane handle holds the pane's id, checked on every use, so a closed
 * pane raises "pane is closed". Callbacks live in the Lua registry:
 * panes[id] = {on_activate=, on_select=, on_key=}; an open picker's
 * options are referenced by the picker (PickerOps.ref). Rows are 1-based. */
#include "lua/api_ui.h"
#include "lua/handle.h"
#include "editor/pane.h"
#include "editor/picker.h"
#include <stdlib.h>
#include <string.h>

#define MT "brisk.pane"
#define PANES "brisk.panes"

/* The plugin UI changed: the UI redraws at its next turn, even when the
 * change came from a timer or a request rather than a key. */
static void touch(lua_State *L)
{
	blua_editor(L)->panes->dirty = true;
}

static void push_pane(lua_State *L, const Pane *p)
{
	blua_handle_push(L, MT, p->id);
}

static Pane *check_pane(lua_State *L, int idx)
{
	Pane *p = pane_find(blua_editor(L), blua_handle_id(L, idx, MT));
	if (!p)
		luaL_error(L, "pane is closed");
	return p;
}

/* ===== lines: strings or lists of styled segments ======================= */

/* One segment: a string, or {text or [1], style fields...}. The text is
 * stored in sg at once, so an error later leaves nothing unowned. */
static void read_segment(lua_State *L, int idx, PaneSeg *sg, int arg)
{
	size_t len = 0;
	idx = lua_absindex(L, idx);
	if (lua_istable(L, idx)) {
		if (lua_getfield(L, idx, "text") == LUA_TNIL) {
			lua_pop(L, 1);
			lua_rawgeti(L, idx, 1);
		}
	} else {
		lua_pushvalue(L, idx);
	}
	int t = lua_type(L, -1);
	if (t != LUA_TSTRING && t != LUA_TNUMBER && !(t == LUA_TNIL && lua_istable(L, idx)))
		luaL_argerror(L, arg, "a line is a string or a list of segments {text, fg=, ...}");
	const char *s = t == LUA_TNIL ? "" : lua_tolstring(L, -1, &len);
	sg->text = malloc(len ? len : 1);
	if (!sg->text)
		luaL_error(L, "out of memory");
	memcpy(sg->text, s, len);
	sg->len = len;
	lua_pop(L, 1);
	if (lua_istable(L, idx))
		sg->st = blua_check_style(L, idx, arg);
}

/* A line table is one segment when [1] is a string or it has text=;
 * otherwise a list of segments. */
static bool is_one_segment(lua_State *L, int idx)
{
	if (!lua_istable(L, idx))
		return true;
	int t1 = lua_rawgeti(L, idx, 1);
	lua_pop(L, 1);
	int tt = lua_getfield(L, idx, "text");
	lua_pop(L, 1);
	return t1 == LUA_TSTRING || t1 == LUA_TNUMBER || tt != LUA_TNIL;
}

/* Reads line idx into ln; its segments array is owned by ln even when an
 * error is raised halfway (the caller's cleanup frees it). */
static void read_line(lua_State *L, int idx, PaneLine *ln, int arg)
{
	idx = lua_absindex(L, idx);
	size_t n = is_one_segment(L, idx) ? 1 : lua_rawlen(L, idx);
	ln->segs = calloc(n ? n : 1, sizeof *ln->segs);
	if (!ln->segs)
		luaL_error(L, "out of memory");
	if (is_one_segment(L, idx)) {
		ln->n = 1;
		read_segment(L, idx, &ln->segs[0], arg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, idx, (lua_Integer)i + 1);
		ln->n = i + 1;
		read_segment(L, -1, &ln->segs[i], arg);
		lua_pop(L, 1);
	}
}

/* Lines being read, freed by __gc if an error interrupts the reading. */
typedef struct LinesBox {
	PaneLine *lines;
	size_t n;
} LinesBox;

static int lines_box_gc(lua_State *L)
{
	LinesBox *bx = lua_touserdata(L, 1);
	pane_lines_free(bx->lines, bx->n);
	bx->lines = NULL;
	bx->n = 0;
	return 0;
}

/* Reads the list of lines at idx; the result is the caller's. */
static PaneLine *read_lines(lua_State *L, int idx, int arg, size_t *count)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	size_t n = lua_rawlen(L, idx);
	LinesBox *bx = lua_newuserdatauv(L, sizeof *bx, 0);
	bx->lines = NULL;
	bx->n = 0;
	lua_newtable(L);
	lua_pushcfunction(L, lines_box_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	bx->lines = calloc(n ? n : 1, sizeof *bx->lines);
	if (!bx->lines)
		luaL_error(L, "out of memory");
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, idx, (lua_Integer)i + 1);
		bx->n = i + 1;
		read_line(L, -1, &bx->lines[i], arg);
		lua_pop(L, 1);
	}
	PaneLine *lines = bx->lines;
	*count = bx->n = n;
	bx->lines = NULL;
	bx->n = 0;
	lua_pop(L, 1);
	return lines;
}

/* ===== the pane's callbacks ============================================== */

/* Pushes panes[id].name (a function) and returns true, or pushes nothing. */
static bool push_callback(lua_State *L, int id, const char *name)
{
	int top = lua_gettop(L);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, PANES);
	if (lua_rawgeti(L, -1, id) == LUA_TTABLE && lua_getfield(L, -1, name) == LUA_TFUNCTION) {
		lua_replace(L, top + 1);
		lua_settop(L, top + 1);
		return true;
	}
	lua_settop(L, top);
	return false;
}

/* fn(row, pane) for on_activate and on_select. */
static void call_row(lua_State *L, Pane *p, const char *name)
{
	if (!push_callback(L, p->id, name))
		return;
	lua_pushinteger(L, (lua_Integer)p->sel + 1);
	push_pane(L, p);
	blua_pcall(L, 2, 0);
}

static void hook_activate(void *ctx, Pane *p) { call_row(ctx, p, "on_activate"); }
static void hook_select(void *ctx, Pane *p) { call_row(ctx, p, "on_select"); }

static bool hook_key(void *ctx, Pane *p, Key k)
{
	lua_State *L = ctx;
	if (!push_callback(L, p->id, "on_key"))
		return false;
	char name[32];
	lua_pushstring(L, keys_name(k, name, sizeof name));
	push_pane(L, p);
	if (!blua_pcall(L, 2, 1))
		return true; /* it failed, reported: the key is spent */
	bool used = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return used;
}

static void hook_resize(void *ctx, Pane *p)
{
	lua_State *L = ctx;
	if (!push_callback(L, p->id, "on_resize"))
		return;
	lua_pushinteger(L, pane_text_width(blua_editor(L), p));
	push_pane(L, p);
	blua_pcall(L, 2, 0);
}

static void hook_closed(void *ctx, int id)
{
	lua_State *L = ctx;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, PANES);
	lua_pushnil(L);
	lua_rawseti(L, -2, id);
	lua_pop(L, 1);
}

/* ===== brisk.pane{} and its methods ====================================== */

static const char *opt_string_field(lua_State *L, int idx, const char *k, const char *def)
{
	lua_getfield(L, idx, k);
	const char *s = lua_isnil(L, -1) ? def : luaL_checkstring(L, -1);
	lua_pop(L, 1);
	return s; /* still referenced by the table */
}

static void set_mode(lua_State *L, Pane *p, const char *mode, int arg)
{
	if (strlen(mode) >= sizeof p->mode)
		luaL_argerror(L, arg, "mode name too long (15 bytes at most)");
	strcpy(p->mode, mode);
}

static int check_side(lua_State *L, const char *side, int arg)
{
	if (strcmp(side, "left") == 0)
		return SIDE_LEFT;
	if (strcmp(side, "right") == 0)
		return SIDE_RIGHT;
	return luaL_argerror(L, arg, "side is \"left\" or \"right\"");
}

/* Stores the callbacks of the options table at idx (checked) as panes[id]. */
static void store_callbacks(lua_State *L, int idx, int id)
{
	static const char *const names[] = {"on_activate", "on_select", "on_key", "on_resize"};
	luaL_getsubtable(L, LUA_REGISTRYINDEX, PANES);
	lua_newtable(L);
	for (size_t i = 0; i < 4; i++) {
		lua_getfield(L, idx, names[i]);
		lua_setfield(L, -2, names[i]);
	}
	lua_rawseti(L, -2, id);
	lua_pop(L, 1);
}

/* brisk.pane{title=, side="left"|"right", width=, mode=, lines=,
 * on_activate=fn(row, pane), on_select=fn(row, pane),
 * on_key=fn(key, pane) -> used, on_resize=fn(columns, pane)} -> pane
 * (not shown yet)
 *   local p = brisk.pane{title = "Files", mode = "files",
 *     on_activate = function(row) brisk.open(files[row]) end}
 *   p:set_lines(files); p:show() */
static Pane *new_pane(lua_State *L)
{
	Editor *ed = blua_editor(L);
	lua_settop(L, 1);
	if (lua_isnil(L, 1)) {
		lua_newtable(L);
		lua_replace(L, 1);
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	const char *title = opt_string_field(L, 1, "title", opt_string_field(L, 1, "name", ""));
	int side = check_side(L, opt_string_field(L, 1, "side", "left"), 1);
	const char *mode = opt_string_field(L, 1, "mode", "");
	if (strlen(mode) >= sizeof ((Pane *)0)->mode)
		luaL_argerror(L, 1, "mode name too long (15 bytes at most)");
	lua_getfield(L, 1, "width");
	lua_Integer width = luaL_optinteger(L, -1, 0);
	lua_pop(L, 1);
	if (width < 0 || width > 1000)
		luaL_argerror(L, 1, "width is 0-1000 columns");
	static const char *const cbs[] = {"on_activate", "on_select", "on_key", "on_resize"};
	for (size_t i = 0; i < 4; i++) {
		int t = lua_getfield(L, 1, cbs[i]);
		if (t != LUA_TNIL && t != LUA_TFUNCTION)
			luaL_argerror(L, 1, lua_pushfstring(L, "%s must be a function", cbs[i]));
		lua_pop(L, 1);
	}
	size_t n = 0;
	PaneLine *lines = NULL;
	if (lua_getfield(L, 1, "lines") != LUA_TNIL)
		lines = read_lines(L, 2, 1, &n);
	lua_pop(L, 1);
	Pane *p = pane_new(ed, title);
	if (!p) {
		pane_lines_free(lines, n);
		luaL_error(L, "out of memory");
	}
	p->side = side;
	p->width = (int)width;
	strcpy(p->mode, mode);
	pane_set_lines(p, lines, n);
	store_callbacks(L, 1, p->id);
	touch(L);
	return p;
}

static int api_pane_new(lua_State *L)
{
	push_pane(L, new_pane(L));
	return 1;
}

/* brisk.sidebar{...} -> pane: brisk.pane{...} shown at once (it does not
 * take the focus). */
static int api_pane_sidebar(lua_State *L)
{
	Pane *p = new_pane(L);
	pane_show(blua_editor(L), p, true);
	push_pane(L, p);
	return 1;
}

/* p:set_lines(lines[, selected]): lines are strings or lists of segments
 * ({text, fg=, bg=, bold=, underline=, reverse=, dim=, italic=, style=});
 * selected (1-based) moves the selection without calling on_select.
 *   p:set_lines{"plain", {{"bold ", bold = true}, {"red", fg = "red"}}} */
static int api_pane_set_lines(lua_State *L)
{
	Pane *p = check_pane(L, 1);
	size_t n;
	PaneLine *lines = read_lines(L, 2, 2, &n);
	lua_Integer sel = luaL_optinteger(L, 3, 0);
	p = check_pane(L, 1); /* reading lines ran no Lua, but stay safe */
	pane_set_lines(p, lines, n);
	if (sel > 0)
		pane_select(blua_editor(L), p, (size_t)sel - 1, false);
	touch(L);
	return 0;
}

/* p:select(row): selects a row (1-based, clamped) without calling
 * on_select, and scrolls it into view. */
static int api_pane_select(lua_State *L)
{
	Pane *p = check_pane(L, 1);
	lua_Integer row = luaL_checkinteger(L, 2);
	pane_select(blua_editor(L), p, row > 0 ? (size_t)row - 1 : 0, false);
	touch(L);
	return 0;
}

/* p:selected() -> row (1-based), or nil when the pane has no lines */
static int api_pane_selected(lua_State *L)
{
	Pane *p = check_pane(L, 1);
	if (!p->nlines)
		return 0;
	lua_pushinteger(L, (lua_Integer)p->sel + 1);
	return 1;
}

/* p:show(), p:hide(): in or out of its sidebar; neither moves the focus
 * to the pane (hiding the focused pane gives it back to the text). */
static int api_pane_show(lua_State *L)
{
	pane_show(blua_editor(L), check_pane(L, 1), true);
	touch(L);
	return 0;
}

static int api_pane_hide(lua_State *L)
{
	pane_show(blua_editor(L), check_pane(L, 1), false);
	touch(L);
	return 0;
}

/* p:focus(): gives the pane the focus (showing it). For a key or command
 * the user chose: a pane must never take the focus by itself. */
static int api_pane_focus(lua_State *L)
{
	pane_focus(blua_editor(L), check_pane(L, 1));
	touch(L);
	return 0;
}

/* p:close(): removes the pane; its handle raises "pane is closed" after. */
static int api_pane_close(lua_State *L)
{
	pane_close(blua_editor(L), check_pane(L, 1));
	touch(L);
	return 0;
}

/* p:title([text]) -> title */
static int api_pane_title(lua_State *L)
{
	Pane *p = check_pane(L, 1);
	if (!lua_isnoneornil(L, 2) && !pane_set_title(p, luaL_checkstring(L, 2)))
		return luaL_error(L, "out of memory");
	touch(L);
	lua_pushstring(L, p->title);
	return 1;
}

/* p:mode([name]) -> keymap mode while focused */
static int api_pane_mode(lua_State *L)
{
	Pane *p = check_pane(L, 1);
	if (!lua_isnoneornil(L, 2))
		set_mode(L, p, luaL_checkstring(L, 2), 2);
	lua_pushstring(L, p->mode);
	return 1;
}

/* p:width([columns]) -> the width the pane asks of its sidebar; setting
 * it resizes the sidebar when the pane is shown */
static int api_pane_width(lua_State *L)
{
	Pane *p = check_pane(L, 1);
	if (!lua_isnoneornil(L, 2)) {
		lua_Integer w = luaL_checkinteger(L, 2);
		if (w < 0 || w > 1000)
			return luaL_argerror(L, 2, "width is 0-1000 columns");
		p->width = (int)w;
		if (p->shown && w > 0)
			sidebar_set_width(blua_editor(L), p->side, (int)w);
		touch(L);
	}
	lua_pushinteger(L, p->width ? p->width : blua_editor(L)->panes->side[p->side].width);
	return 1;
}

/* p:text_width() -> columns a row's text gets on screen (before the
 * first layout: what the width asked for leaves) */
static int api_pane_text_width(lua_State *L)
{
	lua_pushinteger(L, pane_text_width(blua_editor(L), check_pane(L, 1)));
	return 1;
}

/* p:id(), p:count() (lines), p:top() (first row on screen, 1-based),
 * p:visible() (shown and its sidebar open), p:focused() */
static int api_pane_id(lua_State *L) { lua_pushinteger(L, check_pane(L, 1)->id); return 1; }
static int api_pane_count(lua_State *L) { lua_pushinteger(L, (lua_Integer)check_pane(L, 1)->nlines); return 1; }
static int api_pane_top(lua_State *L) { lua_pushinteger(L, (lua_Integer)check_pane(L, 1)->top + 1); return 1; }

static int api_pane_visible(lua_State *L)
{
	lua_pushboolean(L, pane_is_visible(blua_editor(L), check_pane(L, 1)));
	return 1;
}

static int api_pane_focused(lua_State *L)
{
	Pane *p = check_pane(L, 1);
	lua_pushboolean(L, pane_focused(blua_editor(L)) == p);
	return 1;
}

/* p:line(row) -> the row's text (its segments joined), or nil */
static int api_pane_line(lua_State *L)
{
	Pane *p = check_pane(L, 1);
	lua_Integer row = luaL_checkinteger(L, 2);
	if (row < 1 || (size_t)row > p->nlines)
		return 0;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	const PaneLine *ln = &p->lines[row - 1];
	for (size_t i = 0; i < ln->n; i++)
		luaL_addlstring(&b, ln->segs[i].text, ln->segs[i].len);
	luaL_pushresult(&b);
	return 1;
}

static int api_pane_tostring(lua_State *L)
{
	int id = blua_handle_id(L, 1, MT);
	Pane *p = pane_find(blua_editor(L), id);
	lua_pushfstring(L, "pane %d (%s)", id, p ? p->title : "closed");
	return 1;
}

/* ===== sidebar and focus ================================================= */

/* brisk.sidebar_toggle() -> ok: hides or shows the sidebars (F2) */
static int api_pane_sidebar_toggle(lua_State *L)
{
	lua_pushboolean(L, sidebar_toggle(blua_editor(L)));
	touch(L);
	return 1;
}

/* brisk.sidebar_focus() -> ok: focus text -> each pane -> text (Shift-F2) */
static int api_pane_sidebar_focus(lua_State *L)
{
	lua_pushboolean(L, sidebar_focus_next(blua_editor(L)));
	touch(L);
	return 1;
}

/* brisk.focused_pane() -> pane, or nil when the text has the focus */
static int api_pane_focused_pane(lua_State *L)
{
	Pane *p = pane_focused(blua_editor(L));
	if (!p)
		return 0;
	push_pane(L, p);
	return 1;
}

/* brisk.panes() -> {pane...} in opening order */
static int api_pane_all(lua_State *L)
{
	lua_newtable(L);
	int i = 1;
	for (Pane *p = blua_editor(L)->panes->list; p; p = p->next) {
		push_pane(L, p);
		lua_rawseti(L, -2, i++);
	}
	return 1;
}

/* ===== status bar segments =============================================== */

/* brisk.status_segment(name, text[, style]): a named piece of the status
 * bar (shown in the order first set); text nil removes it.
 *   brisk.status_segment("news", "3 unread", {fg = "yellow"}) */
static int api_pane_status_segment(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	const char *text = lua_isnoneornil(L, 2) ? NULL : luaL_checkstring(L, 2);
	Style st = blua_opt_style(L, 3, 3);
	if (!status_segment_set(blua_editor(L), name, text, st))
		return luaL_error(L, "out of memory");
	touch(L);
	return 0;
}

/* brisk.status_segments() -> {{name=, text=}, ...} */
static int api_pane_status_segments(lua_State *L)
{
	Panes *ps = blua_editor(L)->panes;
	lua_createtable(L, (int)ps->nsegs, 0);
	for (size_t i = 0; i < ps->nsegs; i++) {
		lua_createtable(L, 0, 2);
		lua_pushstring(L, ps->segs[i].name);
		lua_setfield(L, -2, "name");
		lua_pushstring(L, ps->segs[i].text);
		lua_setfield(L, -2, "text");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* ===== menus and prompts ================================================= */

/* Called when the picker closes: opts (by ref) has kind, items and the
 * callbacks. */
static void picker_done(void *ctx, int ref, const char *text, long index)
{
	lua_State *L = ctx;
	int top = lua_gettop(L);
	blua_push_ref(L, ref);
	blua_unref(L, ref);
	int opts = lua_gettop(L);
	bool menu = lua_getfield(L, opts, "items") == LUA_TTABLE;
	if (menu && index >= 0) {
		if (lua_getfield(L, opts, "on_choose") == LUA_TFUNCTION) {
			lua_rawgeti(L, opts + 1, index + 1);
			lua_pushinteger(L, index + 1);
			blua_pcall(L, 2, 0);
		}
	} else if (menu) {
		if (lua_getfield(L, opts, "on_cancel") == LUA_TFUNCTION)
			blua_pcall(L, 0, 0);
	} else if (lua_getfield(L, opts, "on_done") == LUA_TFUNCTION) {
		if (text)
			lua_pushstring(L, text);
		else
			lua_pushnil(L);
		blua_pcall(L, 1, 0);
	}
	lua_settop(L, top);
}

/* A prompt's text changed: complete(text) -> {strings} become its list. */
static void picker_complete(void *ctx, int ref, const char *text)
{
	lua_State *L = ctx;
	Editor *ed = blua_editor(L);
	int top = lua_gettop(L);
	blua_push_ref(L, ref);
	if (lua_getfield(L, -1, "complete") != LUA_TFUNCTION) {
		lua_settop(L, top);
		return;
	}
	lua_pushstring(L, text);
	if (blua_pcall(L, 1, 1) && lua_istable(L, -1) && ed->panes->picker && ed->panes->picker->ops.ref == ref) {
		size_t n = lua_rawlen(L, -1), k = 0;
		const char **items = calloc(n ? n : 1, sizeof *items);
		for (size_t i = 1; items && i <= n; i++) {
			/* Strings only (converting anything else could raise); the
			 * table keeps them alive. */
			if (lua_rawgeti(L, -1, (lua_Integer)i) == LUA_TSTRING)
				items[k++] = lua_tostring(L, -1);
			lua_pop(L, 1);
		}
		if (items)
			picker_set_items(ed->panes->picker, items, k);
		free(items);
	}
	lua_settop(L, top);
}

static bool open_picker(lua_State *L, int kind, const char *title, const char *text,
                        const char *const *items, size_t n, size_t sel)
{
	lua_pushvalue(L, 1);
	PickerOps ops = {L, blua_ref(L), picker_done, kind == PICK_PROMPT ? picker_complete : NULL};
	if (!picker_open(blua_editor(L), kind, title, text, items, n, sel, &ops)) {
		blua_unref(L, ops.ref);
		return false;
	}
	touch(L);
	return true;
}

/* An item's label: a string, or a table's text field (or [1]). */
static const char *item_label(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		return lua_tostring(L, idx);
	if (lua_istable(L, idx)) {
		if (lua_getfield(L, idx, "text") != LUA_TSTRING) {
			lua_pop(L, 1);
			lua_rawgeti(L, idx, 1);
		}
		const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		lua_pop(L, 1); /* the table keeps the string alive */
		if (s)
			return s;
	}
	luaL_argerror(L, 1, "items are strings or tables with a text field");
	return NULL;
}

/* brisk.menu{items=, title=, selected=, on_choose=fn(item, index),
 * on_cancel=fn()} -> ok: a list to pick from (typing filters it; Enter
 * chooses, Esc cancels). Items are strings or tables with text=; the
 * chosen item itself is passed back. Opening it closes (as cancelled)
 * any menu or prompt still open.
 *   brisk.menu{title = "Theme", items = {"dark", "light"},
 *     on_choose = function(item) brisk.command("theme " .. item) end} */
static int api_pane_menu(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (lua_getfield(L, 1, "items") != LUA_TTABLE)
		return luaL_argerror(L, 1, "items= (a list) is needed");
	int it = lua_gettop(L);
	size_t n = lua_rawlen(L, it);
	const char **labels = lua_newuserdatauv(L, (n ? n : 1) * sizeof *labels, 0);
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, it, (lua_Integer)i + 1);
		labels[i] = item_label(L, -1);
		lua_pop(L, 1); /* items keeps every label alive */
	}
	const char *title = opt_string_field(L, 1, "title", "");
	lua_getfield(L, 1, "selected");
	lua_Integer sel = luaL_optinteger(L, -1, 1);
	lua_pop(L, 1);
	bool ok = open_picker(L, PICK_MENU, title, "", labels, n, sel > 0 ? (size_t)sel - 1 : 0);
	lua_pushboolean(L, ok);
	return 1;
}

/* brisk.prompt{label=, text=, complete=fn(text) -> {strings},
 * on_done=fn(text_or_nil)} -> ok: asks for a line of text; complete
 * (optional) lists candidates after every change (Tab takes the selected
 * one); on_done gets nil when cancelled.
 *   brisk.prompt{label = "Feed URL: ", on_done = function(url)
 *     if url then news.add(url) end end} */
static int api_pane_prompt(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	const char *label = opt_string_field(L, 1, "label", "");
	const char *text = opt_string_field(L, 1, "text", "");
	lua_getfield(L, 1, "complete");
	if (!lua_isnil(L, -1))
		luaL_checktype(L, -1, LUA_TFUNCTION);
	lua_pop(L, 1);
	bool ok = open_picker(L, PICK_PROMPT, label, text, NULL, 0, 0);
	lua_pushboolean(L, ok);
	return 1;
}

/* brisk.picker() -> {kind = "menu"|"prompt", title=, text=, items = {the
 * rows shown}, selected=} for the open menu or prompt, or nil */
static int api_pane_picker(lua_State *L)
{
	Picker *pk = blua_editor(L)->panes->picker;
	if (!pk)
		return 0;
	lua_createtable(L, 0, 5);
	lua_pushstring(L, pk->kind == PICK_MENU ? "menu" : "prompt");
	lua_setfield(L, -2, "kind");
	lua_pushstring(L, pk->title);
	lua_setfield(L, -2, "title");
	lua_pushlstring(L, pk->text, pk->len);
	lua_setfield(L, -2, "text");
	lua_createtable(L, (int)pk->nshown, 0);
	for (size_t i = 0; i < pk->nshown; i++) {
		lua_pushstring(L, picker_row(pk, i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "items");
	if (pk->nshown) {
		lua_pushinteger(L, (lua_Integer)pk->sel + 1);
		lua_setfield(L, -2, "selected");
	}
	return 1;
}

void api_pane_open(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"set_lines", api_pane_set_lines}, {"select", api_pane_select},
		{"selected", api_pane_selected}, {"show", api_pane_show}, {"hide", api_pane_hide},
		{"focus", api_pane_focus}, {"close", api_pane_close}, {"title", api_pane_title},
		{"mode", api_pane_mode}, {"width", api_pane_width}, {"id", api_pane_id},
		{"count", api_pane_count}, {"top", api_pane_top}, {"visible", api_pane_visible},
		{"focused", api_pane_focused}, {"line", api_pane_line},
		{"text_width", api_pane_text_width}, {NULL, NULL},
	};
	static const luaL_Reg fns[] = {
		{"pane", api_pane_new}, {"sidebar", api_pane_sidebar},
		{"sidebar_toggle", api_pane_sidebar_toggle}, {"sidebar_focus", api_pane_sidebar_focus},
		{"focused_pane", api_pane_focused_pane}, {"panes", api_pane_all},
		{"status_segment", api_pane_status_segment}, {"status_segments", api_pane_status_segments},
		{"menu", api_pane_menu}, {"prompt", api_pane_prompt}, {"picker", api_pane_picker},
		{NULL, NULL},
	};
	luaL_newmetatable(L, MT);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, blua_handle_eq);
	lua_setfield(L, -2, "__eq");
	lua_pushcfunction(L, api_pane_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
	luaL_setfuncs(L, fns, 0);
	PaneHooks *h = &blua_editor(L)->panes->hooks;
	h->ctx = L;
	h->activate = hook_activate;
	h->select = hook_select;
	h->key = hook_key;
	h->closed = hook_closed;
	h->resize = hook_resize;
}
