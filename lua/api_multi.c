/* brisk.multi: the multi-cursor engine (editor/multi.h) for Lua. Every
 * function takes an optional buffer handle first (default: the current
 * buffer), acts on all its selections as one undo step, and returns true,
 * or nil and the message when it could not (the message also goes to
 * *messages*, as for brisk.command). Lines and columns are 1-based. */
#include "lua/host.h"
#include "editor/commands.h"
#include "editor/multi.h"
#include <string.h>

/* The buffer argument, if any: returns it and sets *arg to the index of
 * the first argument after it. */
static Buffer *opt_buffer(lua_State *L, int *arg)
{
	if (lua_isuserdata(L, 1)) {
		*arg = 2;
		return blua_check_buffer(L, 1);
	}
	*arg = 1;
	Buffer *b = blua_editor(L)->cur;
	if (!b)
		luaL_error(L, "no buffer");
	return b;
}

/* true, or nil and the last message (the reason). */
static int result(lua_State *L, Editor *ed, Buffer *b, bool ok)
{
	if (ed_find_buffer(ed, b->id) == b) /* "change" once per call that edited */
		ed_note_change(ed, b);
	if (ok) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushnil(L);
	char line[512];
	size_t n = msg_last(ed, line, sizeof line);
	lua_pushlstring(L, line, n);
	return 2;
}

/* Runs a command handler on b as if b had the focus. */
static int on_buffer(lua_State *L, Buffer *b, bool (*fn)(Editor *, const char *), const char *args)
{
	Editor *ed = blua_editor(L);
	Buffer *saved = ed->cur;
	ed->cur = b;
	bool ok = fn(ed, args ? args : "");
	if (!saved || ed_find_buffer(ed, saved->id) == saved)
		ed->cur = saved;
	return result(L, ed, b, ok);
}

#define ON_BUFFER(name, fn)                        \
	static int name(lua_State *L)              \
	{                                          \
		int a;                             \
		Buffer *b = opt_buffer(L, &a);     \
		return on_buffer(L, b, fn, NULL);  \
	}

/* add_next, skip, remove_last, add_above, add_below, split_lines, align,
 * primary_next, primary_prev, collapse, column_mark, sort, reverse */
ON_BUFFER(api_multi_add_next, cmd_add_next_occurrence)
ON_BUFFER(api_multi_skip, cmd_skip_occurrence)
ON_BUFFER(api_multi_remove_last, cmd_remove_last_cursor)
ON_BUFFER(api_multi_add_above, cmd_add_cursor_above)
ON_BUFFER(api_multi_add_below, cmd_add_cursor_below)
ON_BUFFER(api_multi_split_lines, cmd_split_selection_lines)
ON_BUFFER(api_multi_align, cmd_align)
ON_BUFFER(api_multi_primary_next, cmd_primary_next)
ON_BUFFER(api_multi_primary_prev, cmd_primary_prev)
ON_BUFFER(api_multi_collapse, cmd_collapse_selections)
ON_BUFFER(api_multi_column_mark, cmd_column_mark)
ON_BUFFER(api_multi_sort, cmd_sort_selections)
ON_BUFFER(api_multi_reverse, cmd_reverse_selections)

/* select_all([b,] [text]): every whole-word occurrence of text (or of the
 * word under the cursor / the selection) */
static int api_multi_select_all(lua_State *L)
{
	int a;
	Buffer *b = opt_buffer(L, &a);
	return on_buffer(L, b, cmd_select_all_occurrences, luaL_optstring(L, a, ""));
}

/* structural([b,] "x/re/ c/text/") */
static int api_multi_structural(lua_State *L)
{
	int a;
	Buffer *b = opt_buffer(L, &a);
	return on_buffer(L, b, cmd_structural, luaL_checkstring(L, a));
}

/* select_regex, split_regex, keep_regex, drop_regex ([b,] re) */
static int regex_op(lua_State *L, int op)
{
	int a;
	Buffer *b = opt_buffer(L, &a);
	size_t len;
	const char *re = luaL_checklstring(L, a, &len);
	Editor *ed = blua_editor(L);
	return result(L, ed, b, multi_regex(ed, b, op, re, len));
}

static int api_multi_select_regex(lua_State *L) { return regex_op(L, MULTI_SELECT); }
static int api_multi_split_regex(lua_State *L) { return regex_op(L, MULTI_SPLIT); }
static int api_multi_keep_regex(lua_State *L) { return regex_op(L, MULTI_KEEP); }
static int api_multi_drop_regex(lua_State *L) { return regex_op(L, MULTI_DROP); }

static size_t check_pos1(lua_State *L, int idx)
{
	lua_Integer v = luaL_checkinteger(L, idx);
	if (v < 1)
		luaL_argerror(L, idx, "lines and columns start at 1");
	return (size_t)v - 1;
}

/* box([b,] line1, col1, line2, col2): a column selection between two
 * corners (display columns); the arrows then extend it as after Alt-C */
static int api_multi_box(lua_State *L)
{
	int a;
	Buffer *b = opt_buffer(L, &a);
	size_t l1 = check_pos1(L, a), c1 = check_pos1(L, a + 1), l2 = check_pos1(L, a + 2), c2 = check_pos1(L, a + 3);
	Editor *ed = blua_editor(L);
	return result(L, ed, b, multi_box_set(ed, b, l1, c1, l2, c2));
}

/* box_active([b]) -> a column mark is live */
static int api_multi_box_active(lua_State *L)
{
	int a;
	lua_pushboolean(L, multi_box_active(opt_buffer(L, &a)));
	return 1;
}

/* sequence([b,] [start[, step[, format]]]) */
static int api_multi_sequence(lua_State *L)
{
	int a;
	Buffer *b = opt_buffer(L, &a);
	lua_Integer start = luaL_optinteger(L, a, 1), step = luaL_optinteger(L, a + 1, 1);
	const char *fmt = luaL_optstring(L, a + 2, "%d");
	Editor *ed = blua_editor(L);
	return result(L, ed, b, multi_insert_sequence(ed, b, (long long)start, (long long)step, fmt));
}

/* rotate([b,] [back]) */
static int api_multi_rotate(lua_State *L)
{
	int a;
	Buffer *b = opt_buffer(L, &a);
	Editor *ed = blua_editor(L);
	return result(L, ed, b, multi_rotate(ed, b, lua_toboolean(L, a)));
}

/* toggle_cursor([b,] pos): a cursor at pos, or none there (Ctrl-click) */
static int api_multi_toggle_cursor(lua_State *L)
{
	int a;
	Buffer *b = opt_buffer(L, &a);
	lua_Integer p = luaL_checkinteger(L, a);
	if (p < 0 || (size_t)p > text_len(b->text))
		return luaL_argerror(L, a, "position out of range");
	Editor *ed = blua_editor(L);
	return result(L, ed, b, multi_toggle_cursor(ed, b, (size_t)p));
}

/* count([b]) -> number of selections, primary (1-based) */
static int api_multi_count(lua_State *L)
{
	int a;
	Buffer *b = opt_buffer(L, &a);
	lua_pushinteger(L, (lua_Integer)b->sels.n);
	lua_pushinteger(L, (lua_Integer)b->sels.primary + 1);
	return 2;
}

/* primary([b,] [i]) -> the primary's index (1-based), after making
 * selection i primary when given */
static int api_multi_primary(lua_State *L)
{
	int a;
	Buffer *b = opt_buffer(L, &a);
	SelSet *ss = &b->sels;
	if (!lua_isnoneornil(L, a)) {
		lua_Integer i = luaL_checkinteger(L, a);
		if (i < 1 || (size_t)i > ss->n)
			return luaL_argerror(L, a, "no such selection");
		ss->primary = (size_t)i - 1;
		if (b == blua_editor(L)->cur)
			cmd_follow_primary(blua_editor(L));
	}
	lua_pushinteger(L, (lua_Integer)ss->primary + 1);
	return 1;
}

/* status([b]) -> "3 cursors (2/3)" or "" */
static int api_multi_status(lua_State *L)
{
	int a;
	char buf[96];
	size_t n = multi_status(opt_buffer(L, &a), buf, sizeof buf);
	lua_pushlstring(L, buf, n);
	return 1;
}

void api_multi_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"add_next", api_multi_add_next}, {"skip", api_multi_skip}, {"remove_last", api_multi_remove_last},
		{"select_all", api_multi_select_all}, {"add_above", api_multi_add_above},
		{"add_below", api_multi_add_below}, {"split_lines", api_multi_split_lines},
		{"select_regex", api_multi_select_regex}, {"split_regex", api_multi_split_regex},
		{"keep_regex", api_multi_keep_regex}, {"drop_regex", api_multi_drop_regex},
		{"box", api_multi_box}, {"box_active", api_multi_box_active}, {"column_mark", api_multi_column_mark},
		{"align", api_multi_align}, {"sequence", api_multi_sequence}, {"rotate", api_multi_rotate},
		{"sort", api_multi_sort}, {"reverse", api_multi_reverse}, {"primary", api_multi_primary},
		{"primary_next", api_multi_primary_next}, {"primary_prev", api_multi_primary_prev},
		{"toggle_cursor", api_multi_toggle_cursor}, {"collapse", api_multi_collapse},
		{"structural", api_multi_structural}, {"count", api_multi_count}, {"status", api_multi_status},
		{NULL, NULL},
	};
	luaL_newlib(L, fns);
	lua_setfield(L, -2, "multi");
}
