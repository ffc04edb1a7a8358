/* brisk.ansi: terminal escape sequences in text (editor/ansi.h) for Lua:
 * stripped, or read as colour spans for a syntax function; and
 * b:hide_escapes, which makes a view give them no room on screen. The log
 * viewer draws coloured tool output with these. */
#include "lua/host.h"
#include "editor/ansi.h"
#include "editor/pane.h"
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

/***
 * The text without its escape sequences (CSI, OSC...; an incomplete one
 * stays as it is).
 * @function brisk.ansi.strip
 * @tparam string s
 * @treturn string
 * @usage brisk.ansi.strip("\27[31mred\27[0m") --> "red"
 */
static int api_ansi_strip(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	if (!memchr(s, 0x1b, n)) {
		lua_settop(L, 1);
		return 1;
	}
	luaL_Buffer B;
	char *out = luaL_buffinitsize(L, &B, n);
	luaL_pushresultsize(&B, ansi_strip(s, n, out));
	return 1;
}

static void set_color(lua_State *L, const char *k, uint16_t c)
{
	if (!c)
		return;
	lua_pushinteger(L, STYLE_INDEX(c));
	lua_setfield(L, -2, k);
}

/* Pushes {s, e, fg=, bg=, bold=...} (1-based inclusive) onto the list at
 * the top of the stack, when the style is not the default one. */
static void add_span(lua_State *L, size_t from, size_t to, Style st)
{
	static const struct { const char *k; uint16_t bit; } attrs[] = {
		{"bold", ST_BOLD}, {"underline", ST_UNDERLINE}, {"reverse", ST_REVERSE},
		{"dim", ST_DIM}, {"italic", ST_ITALIC},
	};
	if (to <= from || style_is_plain(st))
		return;
	lua_createtable(L, 2, 4);
	lua_pushinteger(L, (lua_Integer)from + 1);
	lua_rawseti(L, -2, 1);
	lua_pushinteger(L, (lua_Integer)to);
	lua_rawseti(L, -2, 2);
	set_color(L, "fg", st.fg);
	set_color(L, "bg", st.bg);
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (st.attr & attrs[i].bit) {
			lua_pushboolean(L, 1);
			lua_setfield(L, -2, attrs[i].k);
		}
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

/***
 * The colours SGR sequences give a line, as syntax spans ({s, e, fg=,
 * bg=, bold=, underline=, reverse=, dim=, italic=}; colours are indexes of
 * the 256-colour palette, 24-bit ones the nearest), and the style in force
 * at its end (a lexing state for the next line).
 * @function brisk.ansi.spans
 * @tparam string line
 * @tparam[opt=0] integer state the style at its start (what the previous line returned)
 * @treturn table spans
 * @treturn integer state
 * @usage local spans, st = brisk.ansi.spans("\27[1;31merror\27[0m: x", 0)
 */
static int api_ansi_spans(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	Style st = ansi_unpack((int32_t)luaL_optinteger(L, 2, 0));
	lua_newtable(L);
	size_t run = 0; /* where the text in style st started */
	for (size_t i = 0; i < n;) {
		const char *e = memchr(s + i, 0x1b, n - i);
		if (!e)
			break;
		i = (size_t)(e - s);
		size_t k = ansi_seq_len(s + i, n - i);
		if (!k) {
			i++;
			continue;
		}
		/* The text before it keeps the style so far; other sequences
		 * than SGR change nothing (hidden all the same). */
		add_span(L, run, i, st);
		ansi_sgr(s + i, k, &st);
		i += k;
		run = i;
	}
	add_span(L, run, n, st);
	lua_pushinteger(L, ansi_pack(st));
	return 2;
}

/***
 * Whether the views of this buffer give terminal escape sequences no room
 * (they are still in the text); sets it when a flag is given.
 * @function buffer:hide_escapes
 * @tparam[opt] boolean flag
 * @treturn boolean
 */
static int api_ansi_hide_escapes(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	if (!lua_isnoneornil(L, 2)) {
		b->hide_escapes = lua_toboolean(L, 2);
		blua_editor(L)->panes->dirty = true; /* the UI redraws at its next turn */
	}
	lua_pushboolean(L, b->hide_escapes);
	return 1;
}

void api_ansi_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"strip", api_ansi_strip}, {"spans", api_ansi_spans}, {NULL, NULL},
	};
	static const luaL_Reg methods[] = {{"hide_escapes", api_ansi_hide_escapes}, {NULL, NULL}};
	luaL_newlib(L, fns);
	lua_setfield(L, -2, "ansi");
	blua_buffer_methods(L, methods);
}
