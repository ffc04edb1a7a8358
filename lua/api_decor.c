/* Decorations and syntax colours for Lua: b:decorate{...},
 * b:undecorate(id), b:clear_decorations([ns]), b:decorations(),
 * b:syntax_spans(line), brisk.set_syntax(mode_or_buffer, fn),
 * brisk.style(name, spec). The model is editor/decor.c; this file reads
 * styles from tables and calls syntax functions for the lines on screen.
 * Registries (Lua registry): styles[name] = spec table,
 * syntax = {buffers = {[id] = fn}, modes = {[mode] = fn}}. */
#include "lua/api_ui.h"
#include "editor/decor.h"
#include "editor/pane.h"
#include <stdlib.h>
#include <string.h>

#define STYLES "brisk.styles"
#define SYNTAX "brisk.syntax"

/* Decorations changed: the UI redraws at its next turn (see api_pane.c). */
static void touch(lua_State *L)
{
	blua_editor(L)->panes->dirty = true;
}

/* ===== styles ============================================================ */

/* An argument error for argument arg, or a plain error when arg is 0
 * (values returned by a plugin's function). */
static int style_error(lua_State *L, int arg, const char *msg)
{
	if (arg > 0)
		return luaL_argerror(L, arg, msg);
	return luaL_error(L, "%s", msg);
}

static uint16_t check_color(lua_State *L, int idx, const char *field, int arg)
{
	uint16_t c = 0;
	int t = lua_getfield(L, idx, field);
	if (t == LUA_TNUMBER) {
		lua_Integer v = lua_tointeger(L, -1);
		if (!lua_isinteger(L, -1) || v < 0 || v > 255)
			style_error(L, arg, lua_pushfstring(L, "%s: a palette index is 0-255", field));
		c = STYLE_COLOR(v);
	} else if (t == LUA_TSTRING) {
		if (!style_parse_color(lua_tostring(L, -1), &c))
			style_error(L, arg, lua_pushfstring(L, "%s: unknown colour '%s' (a name, #rrggbb or 0-255)",
			                                      field, lua_tostring(L, -1)));
	} else if (t != LUA_TNIL && t != LUA_TBOOLEAN) {
		style_error(L, arg, lua_pushfstring(L, "%s: a colour is a string or a number", field));
	}
	lua_pop(L, 1);
	return c;
}

static Style named_style(lua_State *L, const char *name, int arg, int depth);

static Style check_style(lua_State *L, int idx, int arg, int depth)
{
	static const struct { const char *k; uint16_t bit; } attrs[] = {
		{"bold", ST_BOLD}, {"underline", ST_UNDERLINE}, {"reverse", ST_REVERSE},
		{"dim", ST_DIM}, {"italic", ST_ITALIC},
	};
	idx = lua_absindex(L, idx);
	Style base = {0}, st = {0};
	if (lua_getfield(L, idx, "style") == LUA_TSTRING)
		base = named_style(L, lua_tostring(L, -1), arg, depth + 1);
	lua_pop(L, 1);
	st.fg = check_color(L, idx, "fg", arg);
	st.bg = check_color(L, idx, "bg", arg);
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
		lua_getfield(L, idx, attrs[i].k);
		if (lua_toboolean(L, -1))
			st.attr |= attrs[i].bit;
		lua_pop(L, 1);
	}
	return style_merge(base, st);
}

/* A style defined with brisk.style (which may name another one). */
static Style named_style(lua_State *L, const char *name, int arg, int depth)
{
	luaL_getsubtable(L, LUA_REGISTRYINDEX, STYLES);
	if (lua_getfield(L, -1, name) != LUA_TTABLE)
		style_error(L, arg, lua_pushfstring(L, "no style named '%s' (see brisk.style)", name));
	if (depth > 8)
		style_error(L, arg, lua_pushfstring(L, "style '%s': styles based on each other in a loop", name));
	Style st = check_style(L, -1, arg, depth);
	lua_pop(L, 2);
	return st;
}

Style blua_check_style(lua_State *L, int idx, int arg)
{
	return check_style(L, idx, arg, 0);
}

Style blua_opt_style(lua_State *L, int idx, int arg)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		return named_style(L, lua_tostring(L, idx), arg, 0);
	if (lua_istable(L, idx))
		return blua_check_style(L, idx, arg);
	return (Style){0};
}

/* brisk.style(name[, spec]) -> spec: names a style ({fg=, bg=, bold=,
 * underline=, reverse=, dim=, italic=, style=}) that panes, decorations
 * and syntax spans can use as style = name. Without spec: the current
 * spec, or nil. */
static int api_decor_style(lua_State *L)
{
	luaL_checkstring(L, 1);
	bool query = lua_isnoneornil(L, 2); /* before the registry is pushed */
	luaL_getsubtable(L, LUA_REGISTRYINDEX, STYLES);
	if (query) {
		lua_getfield(L, -1, lua_tostring(L, 1));
		return 1;
	}
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_getfield(L, 2, "style");
	if (lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), lua_tostring(L, 1)) == 0)
		return luaL_argerror(L, 2, "a style cannot be based on itself");
	lua_pop(L, 1);
	blua_check_style(L, 2, 2);
	/* A copy, so later changes to the caller's table do not leak in. */
	lua_newtable(L);
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_settable(L, -4);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, lua_tostring(L, 1));
	decor_syntax_changed(blua_editor(L));
	touch(L);
	return 1;
}

/* ===== decorations ======================================================= */

static lua_Integer opt_int_field(lua_State *L, int idx, const char *k, lua_Integer def, bool *given)
{
	lua_getfield(L, idx, k);
	*given = !lua_isnil(L, -1);
	lua_Integer v = *given ? luaL_checkinteger(L, -1) : def;
	lua_pop(L, 1);
	return v;
}

/* The range of a decorate{} table: from=/to= (0-based bytes, to
 * exclusive), or line= (1-based) for a whole line. */
static void decor_range_arg(lua_State *L, Buffer *b, size_t *from, size_t *to)
{
	size_t len = text_len(b->text);
	bool has_from, has_to, has_line;
	lua_Integer line = opt_int_field(L, 2, "line", 0, &has_line);
	lua_Integer f = opt_int_field(L, 2, "from", 0, &has_from);
	lua_Integer t = opt_int_field(L, 2, "to", f, &has_to);
	if (has_line && !has_from) {
		if (line < 1 || !text_has_line(b->text, (size_t)line - 1))
			luaL_argerror(L, 2, "line out of range");
		f = (lua_Integer)text_line_start(b->text, (size_t)line - 1);
		if (!has_to)
			t = (lua_Integer)text_line_end_at(b->text, (size_t)f);
	} else if (!has_from) {
		luaL_argerror(L, 2, "from= (a byte offset) or line= is needed");
	}
	if (f < 0 || (size_t)f > len || t < f || (size_t)t > len)
		luaL_argerror(L, 2, "range out of the buffer (0 <= from <= to <= len)");
	*from = (size_t)f;
	*to = (size_t)t;
}

/* b:decorate{from=, to= | line=, fg=, bg=, bold=, underline=, reverse=,
 * dim=, italic=, style=, virt_text=, virt_style=, ns=} -> id
 * A styled range that moves with edits; virt_text is shown after the end
 * of the line where the range starts. Later decorations draw over
 * earlier ones.
 *   local id = b:decorate{from = 0, to = 5, fg = "red", bold = true}
 *   b:decorate{line = 3, virt_text = "<- here", virt_style = {fg = "grey"}, ns = "lint"} */
static int api_decor_decorate(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	size_t from, to, vlen = 0;
	decor_range_arg(L, b, &from, &to);
	Style st = blua_check_style(L, 2, 2);
	lua_getfield(L, 2, "virt_text");
	const char *virt = lua_isnil(L, -1) ? NULL : luaL_checklstring(L, -1, &vlen);
	lua_getfield(L, 2, "virt_style");
	Style vst = blua_opt_style(L, -1, 2);
	lua_getfield(L, 2, "ns");
	const char *ns = lua_isnil(L, -1) ? NULL : luaL_checkstring(L, -1);
	int id = decor_add(b, from, to, st, ns, virt, vlen, vst);
	lua_pop(L, 3);
	if (id < 0)
		return luaL_error(L, "out of memory");
	touch(L);
	lua_pushinteger(L, id);
	return 1;
}

/* b:undecorate(id) -> true if it existed */
static int api_decor_undecorate(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer id = luaL_checkinteger(L, 2);
	lua_pushboolean(L, id > 0 && id <= 0x7fffffff && decor_remove(b, (int)id));
	touch(L);
	return 1;
}

/* b:clear_decorations([ns]) -> count removed (no ns: every decoration) */
static int api_decor_clear(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	const char *ns = luaL_optstring(L, 2, NULL);
	lua_pushinteger(L, (lua_Integer)decor_clear(b, ns));
	touch(L);
	return 1;
}

/* b:decorations([ns]) -> {{id=, from=, to=, ns=, virt_text=}, ...} in
 * creation order, with their current (moved) ranges */
static int api_decor_list(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	const char *ns = luaL_optstring(L, 2, NULL);
	DecorSet *ds = b->decor;
	lua_newtable(L);
	for (size_t i = 0, k = 0; ds && i < ds->n; i++) {
		const Decor *d = &ds->v[i];
		if (ns && (!d->ns || strcmp(ns, d->ns) != 0))
			continue;
		size_t f, t;
		decor_range(b, d, &f, &t);
		lua_createtable(L, 0, 5);
		lua_pushinteger(L, d->id);
		lua_setfield(L, -2, "id");
		lua_pushinteger(L, (lua_Integer)f);
		lua_setfield(L, -2, "from");
		lua_pushinteger(L, (lua_Integer)t);
		lua_setfield(L, -2, "to");
		if (d->ns) {
			lua_pushstring(L, d->ns);
			lua_setfield(L, -2, "ns");
		}
		if (d->virt) {
			lua_pushlstring(L, d->virt, d->vlen);
			lua_setfield(L, -2, "virt_text");
		}
		lua_rawseti(L, -2, (lua_Integer)++k);
	}
	return 1;
}

/* ===== syntax colours ==================================================== */

/* What the protected trampoline fills in. */
typedef struct SynCall {
	SynSpan *spans;
	size_t n, len;
	int out;           /* lexing state after the line */
} SynCall;

/* Reads the spans {s, e, style...} returned at idx (s, e: 1-based,
 * inclusive byte columns, as string.find returns them). */
static void read_spans(lua_State *L, int idx, SynCall *sc)
{
	if (lua_isnil(L, idx))
		return;
	luaL_checktype(L, idx, LUA_TTABLE);
	size_t n = lua_rawlen(L, idx);
	sc->spans = calloc(n ? n : 1, sizeof *sc->spans);
	if (!sc->spans)
		luaL_error(L, "out of memory");
	for (size_t i = 1; i <= n; i++) {
		if (lua_rawgeti(L, idx, (lua_Integer)i) != LUA_TTABLE)
			luaL_error(L, "syntax: span %d is not a table {s, e, fg=...}", (int)i);
		lua_rawgeti(L, -1, 1);
		lua_rawgeti(L, -2, 2);
		lua_Integer s = luaL_checkinteger(L, -2), e = luaL_optinteger(L, -1, s);
		lua_pop(L, 2);
		Style st = blua_check_style(L, -1, 0);
		lua_pop(L, 1);
		if (s < 1)
			s = 1;
		if (e > (lua_Integer)sc->len)
			e = (lua_Integer)sc->len;
		if (e < s)
			continue;
		sc->spans[sc->n++] = (SynSpan){(uint32_t)(s - 1), (uint32_t)e, st};
	}
}

/* Called protected: (SynCall*, fn, line, text, buffer, state). */
static int syn_trampoline(lua_State *L)
{
	SynCall *sc = lua_touserdata(L, 1);
	lua_call(L, 4, 2);
	if (!lua_isnil(L, -1)) {
		lua_Integer st = lua_tointeger(L, -1);
		if (!lua_isinteger(L, -1) || st < -0x7fffffff || st > 0x7fffffff)
			return luaL_error(L, "syntax: the state returned is not a 32-bit integer");
		sc->out = (int)st;
	}
	read_spans(L, -2, sc);
	return 0;
}

/* The syntax function for b (by buffer, then by mode), pushed; false and
 * nothing pushed when there is none. */
static bool push_syntax_fn(lua_State *L, Buffer *b)
{
	int top = lua_gettop(L);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, SYNTAX);
	int reg = lua_gettop(L);
	if (lua_getfield(L, reg, "buffers") == LUA_TTABLE && lua_rawgeti(L, -1, b->id) == LUA_TFUNCTION)
		goto found;
	lua_settop(L, reg);
	if (lua_getfield(L, reg, "modes") == LUA_TTABLE && lua_getfield(L, -1, b->mode) == LUA_TFUNCTION)
		goto found;
	lua_settop(L, top);
	return false;
found:
	lua_replace(L, top + 1);
	lua_settop(L, top + 1);
	return true;
}

/* Was the function at idx set with {state = true}? */
static bool wants_state(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, SYNTAX);
	bool r = false;
	if (lua_getfield(L, -1, "stateful") == LUA_TTABLE) {
		lua_pushvalue(L, idx);
		r = lua_rawget(L, -2) != LUA_TNIL;
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
	return r;
}

static bool hook_syntax(void *ctx, Buffer *b, size_t line, const char *text, size_t len,
                        SynSpan **spans, size_t *n)
{
	lua_State *L = ctx;
	int top = lua_gettop(L);
	*spans = NULL;
	*n = 0;
	if (!push_syntax_fn(L, b))
		return false;
	bool wants = wants_state(L, -1);
	SynCall sc = {NULL, 0, len, 0};
	lua_pushcfunction(L, syn_trampoline);
	lua_insert(L, -2);
	lua_pushlightuserdata(L, &sc);
	lua_insert(L, -2);
	lua_pushinteger(L, (lua_Integer)line + 1);
	lua_pushlstring(L, text, len);
	blua_push_buffer(L, b);
	lua_pushinteger(L, b->decor ? b->decor->syn_in : 0);
	bool ok = blua_pcall(L, 6, 0); /* trampoline(sc, fn, line, text, buffer, state) */
	lua_settop(L, top);
	if (!ok) {
		/* A failing function is not called again for this buffer until
		 * a syntax function is set anew. */
		free(sc.spans);
		return false;
	}
	*spans = sc.spans;
	*n = sc.n;
	if (b->decor) {
		b->decor->syn_out = sc.out;
		b->decor->syn_wants_state = wants;
	}
	return true;
}

static void count_syntax(lua_State *L, Editor *ed)
{
	int n = 0;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, SYNTAX);
	for (int k = 0; k < 2; k++) {
		if (lua_getfield(L, -1, k ? "modes" : "buffers") == LUA_TTABLE) {
			lua_pushnil(L);
			while (lua_next(L, -2)) {
				lua_pop(L, 1);
				n++;
			}
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	ed->panes->nsyntax = n;
}

/* brisk.set_syntax(mode_or_buffer, fn | nil[, {state = true}]):
 * fn(line, text, buffer, state) returns the colours of one line as spans
 * {s, e, fg=, bg=, bold=, ..., style=} with s, e 1-based inclusive byte
 * columns (what string.find returns), and optionally the lexing state (an
 * integer, 0 by default) the next line starts in. It is called only for
 * lines on screen (and the lines above them whose end state is unknown,
 * once the function returned a state or was set with {state = true}), and
 * again only when a line's text or start state changed; a function set
 * for a buffer wins over one set for its mode. A function that raises an
 * error is not called again for that buffer until set_syntax is called
 * again.
 *   brisk.set_syntax("log", function(n, text)
 *     local s, e = text:find("ERROR")
 *     if s then return {{s, e, fg = "red", bold = true}} end
 *   end) */
static int api_decor_set_syntax(lua_State *L)
{
	Editor *ed = blua_editor(L);
	bool is_buf = lua_isuserdata(L, 1);
	Buffer *b = is_buf ? blua_check_buffer(L, 1) : NULL;
	const char *mode = is_buf ? NULL : luaL_checkstring(L, 1);
	if (!lua_isnil(L, 2))
		luaL_checktype(L, 2, LUA_TFUNCTION);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, SYNTAX);
	if (lua_getfield(L, -1, is_buf ? "buffers" : "modes") != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, is_buf ? "buffers" : "modes");
	}
	lua_pushvalue(L, 2);
	if (is_buf)
		lua_rawseti(L, -2, b->id);
	else
		lua_setfield(L, -2, mode);
	lua_pop(L, 1);
	if (lua_istable(L, 3) && lua_getfield(L, 3, "state") != LUA_TNIL && lua_toboolean(L, -1)
	    && !lua_isnil(L, 2)) {
		/* stateful[fn] = true, with weak keys. */
		if (lua_getfield(L, -2, "stateful") != LUA_TTABLE) {
			lua_pop(L, 1);
			lua_newtable(L);
			lua_newtable(L);
			lua_pushliteral(L, "k");
			lua_setfield(L, -2, "__mode");
			lua_setmetatable(L, -2);
			lua_pushvalue(L, -1);
			lua_setfield(L, -4, "stateful");
		}
		lua_pushvalue(L, 2);
		lua_pushboolean(L, 1);
		lua_rawset(L, -3);
		lua_pop(L, 1);
	}
	lua_settop(L, 3);
	count_syntax(L, ed);
	decor_syntax_changed(ed);
	touch(L);
	return 0;
}

/* b:syntax_spans(line) -> {{s, e}, ...}: the cached colours of a line
 * (1-based), computing them if needed, as the screen would. For tests
 * and tools. */
static int api_decor_syntax_spans(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer line = luaL_checkinteger(L, 2);
	if (line < 1 || !text_has_line(b->text, (size_t)line - 1))
		return luaL_argerror(L, 2, "line out of range");
	size_t n;
	const SynSpan *sp = decor_syntax_line(blua_editor(L), b, (size_t)line - 1, &n);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 2, 0);
		lua_pushinteger(L, (lua_Integer)sp[i].from + 1);
		lua_rawseti(L, -2, 1);
		lua_pushinteger(L, (lua_Integer)sp[i].to);
		lua_rawseti(L, -2, 2);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* Forgets a closed buffer's syntax function. */
static void forget_buffer(lua_State *L, int id)
{
	luaL_getsubtable(L, LUA_REGISTRYINDEX, SYNTAX);
	if (lua_getfield(L, -1, "buffers") == LUA_TTABLE) {
		lua_pushnil(L);
		lua_rawseti(L, -2, id);
	}
	lua_pop(L, 2);
}

static int on_close(lua_State *L)
{
	forget_buffer(L, blua_check_buffer(L, 1)->id);
	count_syntax(L, blua_editor(L));
	return 0;
}

void api_decor_open(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"decorate", api_decor_decorate}, {"undecorate", api_decor_undecorate},
		{"clear_decorations", api_decor_clear}, {"decorations", api_decor_list},
		{"syntax_spans", api_decor_syntax_spans}, {NULL, NULL},
	};
	static const luaL_Reg fns[] = {
		{"set_syntax", api_decor_set_syntax}, {"style", api_decor_style}, {NULL, NULL},
	};
	blua_buffer_methods(L, methods);
	luaL_setfuncs(L, fns, 0);
	Editor *ed = blua_editor(L);
	ed->panes->hooks.ctx = L;
	ed->panes->hooks.syntax = hook_syntax;
	/* brisk.on("close", ...) keeps the registry free of dead buffers. */
	lua_getfield(L, -1, "on");
	if (lua_isfunction(L, -1)) {
		lua_pushstring(L, "close");
		lua_pushcfunction(L, on_close);
		lua_call(L, 2, 0);
	} else {
		lua_pop(L, 1);
	}
}
