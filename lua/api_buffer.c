/* Buffer handles for Lua: userdata holding a buffer id (never a pointer),
 * checked on every use, so a closed buffer raises "buffer is closed".
 * Positions are 0-based byte offsets; lines are 1-based, as users see them. */
#include "lua/host.h"
#include "lua/handle.h"
#include "buffer/search.h"
#include "editor/commands.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MT "brisk.buffer"

void blua_push_buffer(lua_State *L, Buffer *b)
{
	blua_handle_push(L, MT, b->id);
}

Buffer *blua_check_buffer(lua_State *L, int idx)
{
	Buffer *b = ed_find_buffer(blua_editor(L), blua_handle_id(L, idx, MT));
	if (!b)
		luaL_error(L, "buffer is closed");
	return b;
}

void blua_buffer_methods(lua_State *L, const luaL_Reg *methods)
{
	int top = lua_gettop(L);
	if (luaL_getmetatable(L, MT) == LUA_TTABLE && lua_getfield(L, -1, "__index") == LUA_TTABLE)
		luaL_setfuncs(L, methods, 0);
	lua_settop(L, top);
}

static size_t check_pos(lua_State *L, int idx, Buffer *b)
{
	lua_Integer p = luaL_checkinteger(L, idx);
	if (p < 0 || (size_t)p > text_len(b->text))
		luaL_argerror(L, idx, "position out of range");
	return (size_t)p;
}

static size_t opt_len(lua_State *L, int idx, Buffer *b, size_t pos)
{
	lua_Integer n = luaL_optinteger(L, idx, (lua_Integer)(text_len(b->text) - pos));
	if (n < 0)
		luaL_argerror(L, idx, "negative length");
	size_t max = text_len(b->text) - pos;
	return (size_t)n > max ? max : (size_t)n;
}

/* nil, "what: why" for a failed edit of b. errno is read first, as
 * luaL_fileresult does: any call before may change it. */
static int fail(lua_State *L, const char *what, const Buffer *b)
{
	if (errno != EPERM || !b->readonly)
		return blua_fail_errno(L, what);
	lua_pushnil(L);
	lua_pushfstring(L, "%s: %s is read-only", what, b->name);
	return 2;
}

/* b:id(), b:name(), b:path(), b:len(), b:modified(), b:binary() */
static int api_buffer_id(lua_State *L) { lua_pushinteger(L, blua_check_buffer(L, 1)->id); return 1; }
static int api_buffer_name(lua_State *L) { lua_pushstring(L, blua_check_buffer(L, 1)->name); return 1; }
static int api_buffer_path(lua_State *L) { lua_pushstring(L, blua_check_buffer(L, 1)->path); return 1; }
static int api_buffer_len(lua_State *L) { lua_pushinteger(L, (lua_Integer)text_len(blua_check_buffer(L, 1)->text)); return 1; }
static int api_buffer_modified(lua_State *L) { lua_pushboolean(L, buf_is_modified(blua_check_buffer(L, 1))); return 1; }
static int api_buffer_binary(lua_State *L) { lua_pushboolean(L, blua_check_buffer(L, 1)->binary); return 1; }

/* Pushes text [s, e) of b as a string. */
static void push_range(lua_State *L, Buffer *b, size_t s, size_t e)
{
	luaL_Buffer lb;
	char *p = luaL_buffinitsize(L, &lb, e - s);
	text_copy(b->text, s, e - s, p);
	luaL_pushresultsize(&lb, e - s);
}

/* b:text([pos[, len]]) -> string (bytes; 8-bit clean) */
static int api_buffer_text(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t pos = lua_isnoneornil(L, 2) ? 0 : check_pos(L, 2, b);
	push_range(L, b, pos, pos + opt_len(L, 3, b, pos));
	return 1;
}

/* b:byte(pos) -> integer 0-255, or nil past the end */
static int api_buffer_byte(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	int c = text_byte(b->text, (size_t)luaL_checkinteger(L, 2));
	if (c < 0)
		return 0;
	lua_pushinteger(L, c);
	return 1;
}

/* A bad edit in argument 2: "bad argument #2 to 'apply' (edit #3: ...)". */
static int edit_error(lua_State *L, lua_Integer i, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lua_pushfstring(L, "edit #%I: ", i);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	lua_concat(L, 2);
	return luaL_argerror(L, 2, lua_tostring(L, -1));
}

/* Edit #i of the table at argument 2 (on the stack at idx) into *e, or a
 * Lua error that names it. Raising is safe: the caller's scratch memory
 * is a userdata, which the collector frees. */
static void read_edit(lua_State *L, int idx, lua_Integer i, Buffer *b, Edit *e)
{
	if (!lua_istable(L, idx))
		edit_error(L, i, "not a {pos, del, text} table");
	int top = lua_gettop(L);
	lua_rawgeti(L, idx, 1);
	lua_rawgeti(L, idx, 2);
	lua_rawgeti(L, idx, 3);
	int isnum, isdel;
	lua_Integer pos = lua_tointegerx(L, top + 1, &isnum), del = lua_tointegerx(L, top + 2, &isdel);
	if (!isnum)
		edit_error(L, i, "position is %s, not an integer", luaL_typename(L, top + 1));
	if (lua_isnil(L, top + 2))
		del = 0;
	else if (!isdel)
		edit_error(L, i, "length is %s, not an integer", luaL_typename(L, top + 2));
	if (!lua_isnoneornil(L, top + 3) && !lua_isstring(L, top + 3))
		edit_error(L, i, "text is %s, not a string", luaL_typename(L, top + 3));
	size_t len = text_len(b->text);
	if (pos < 0 || (size_t)pos > len || del < 0 || (size_t)del > len - (size_t)pos)
		edit_error(L, i, "{%I, %I} is out of range (the buffer has %I bytes)", pos, del, (lua_Integer)len);
	*e = (Edit){.pos = (size_t)pos, .del = (size_t)del};
	e->ins = lua_isstring(L, top + 3) ? lua_tolstring(L, top + 3, &e->ins_len) : NULL;
	/* The string stays referenced by the edit table, which stays alive. */
	lua_settop(L, top);
}

/* b:apply({{pos, del, text}, ...}[, {typing=true}]): a batch of edits
 * (sorted, not overlapping) in one pass and one undo step; the cursors move
 * with them. typing=true joins the current typing run (one undo step for a
 * run of such batches, as for typed characters). */
static int api_buffer_apply(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	size_t n = lua_rawlen(L, 2);
	if (n > SIZE_MAX / sizeof(Edit) - 1)
		return luaL_error(L, "too many edits");
	Edit *e = lua_newuserdatauv(L, (n ? n : 1) * sizeof *e, 0);
	int item = lua_gettop(L) + 1;
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, 2, (lua_Integer)i + 1);
		read_edit(L, item, (lua_Integer)i + 1, b, &e[i]);
		lua_pop(L, 1);
		if (i > 0 && e[i].pos < e[i - 1].pos + e[i - 1].del)
			return edit_error(L, (lua_Integer)i + 1, "starts inside edit #%I (edits must be sorted and not overlap)",
			                  (lua_Integer)i);
	}
	int kind = TXN_PLAIN;
	if (lua_istable(L, 3)) {
		lua_getfield(L, 3, "typing");
		kind = lua_toboolean(L, -1) ? TXN_TYPING : TXN_PLAIN;
		lua_pop(L, 1);
	}
	if (!buf_try_apply(b, e, n, kind, PLACE_MAP))
		return fail(L, "apply", b);
	lua_pushboolean(L, 1);
	return 1;
}

/* b:insert(pos, s), b:delete(pos, len), b:replace(pos, len, s) */
static int one_edit(lua_State *L, size_t pos, size_t del, const char *s, size_t len)
{
	Buffer *b = blua_check_buffer(L, 1);
	Edit e = {pos, del, s, len};
	if (!buf_try_apply(b, &e, 1, TXN_PLAIN, PLACE_MAP))
		return fail(L, "edit", b);
	lua_pushboolean(L, 1);
	return 1;
}

static int api_buffer_insert(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 3, &len);
	return one_edit(L, check_pos(L, 2, b), 0, s, len);
}

static int api_buffer_delete(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t pos = check_pos(L, 2, b);
	return one_edit(L, pos, opt_len(L, 3, b, pos), NULL, 0);
}

static int api_buffer_replace(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t pos = check_pos(L, 2, b), len;
	size_t del = opt_len(L, 3, b, pos);
	const char *s = luaL_checklstring(L, 4, &len);
	return one_edit(L, pos, del, s, len);
}

/* b:lines() -> count; b:line(n) -> text of line n without its newline;
 * b:line_start(n) -> offset; b:line_of(pos) -> line number */
static int api_buffer_lines(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)text_lines(blua_check_buffer(L, 1)->text));
	return 1;
}

static int api_buffer_line(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	if (n < 1 || !text_has_line(b->text, (size_t)n - 1))
		return 0;
	size_t s = text_line_start(b->text, (size_t)n - 1);
	push_range(L, b, s, text_line_end_at(b->text, s));
	return 1;
}

/* The first n lines, each cut to max bytes, as a table; *hend: where the
 * lines after them start (BUF_NOPOS: inside a line longer than max). */
static void head_lines(lua_State *L, Buffer *b, size_t n, size_t max, size_t *hend)
{
	size_t len = text_len(b->text), pos = 0;
	lua_createtable(L, (int)n, 0);
	*hend = 0;
	for (size_t i = 0; i < n && pos <= len && len > 0; i++) {
		size_t e = text_line_end_within(b->text, pos, max);
		push_range(L, b, pos, e == BUF_NOPOS ? pos + max : e);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
		if (e == BUF_NOPOS || e >= len) {
			*hend = e == BUF_NOPOS ? BUF_NOPOS : len + 1;
			return;
		}
		pos = *hend = e + 1;
	}
}

/* The last n lines that start at or after hend (a final newline ends the
 * last line), each cut to max bytes (a line whose start is further back
 * than max: its last max bytes), as a table in text order. */
static void tail_lines(lua_State *L, Buffer *b, size_t n, size_t max, size_t hend)
{
	size_t len = text_len(b->text), end = len, k = 0;
	size_t *at = calloc(2 * (n ? n : 1), sizeof *at);
	if (!at)
		luaL_error(L, "out of memory");
	if (end > 0 && text_byte(b->text, end - 1) == '\n')
		end--;
	while (k < n && hend != BUF_NOPOS && end >= hend) {
		size_t s = text_line_start_within(b->text, end, max);
		if (s == BUF_NOPOS ? end - max < hend : s < hend)
			break; /* it may be a line of the head */
		at[2 * k] = s == BUF_NOPOS ? end - max : s;
		at[2 * k + 1] = s == BUF_NOPOS || end - s <= max ? end : s + max;
		k++;
		if (s == BUF_NOPOS || s == 0 || s == hend)
			break;
		end = s - 1;
	}
	lua_createtable(L, (int)k, 0);
	for (size_t i = 0; i < k; i++) {
		push_range(L, b, at[2 * (k - 1 - i)], at[2 * (k - 1 - i) + 1]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	free(at);
}

/* b:edge_lines(n[, max]) -> head, tail: the first n lines and the last n
 * lines after them (without their newlines), each cut to max bytes
 * (default 1024). Reads the two ends of the buffer only: what file type
 * detection needs, at the same cost for a huge file or a huge line. */
static int api_buffer_edge_lines(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2), max = luaL_optinteger(L, 3, 1024);
	luaL_argcheck(L, n >= 0 && n <= 1000, 2, "0 to 1000 lines");
	luaL_argcheck(L, max > 0 && max <= (1 << 20), 3, "1 byte to 1 MiB");
	size_t hend;
	head_lines(L, b, (size_t)n, (size_t)max, &hend);
	tail_lines(L, b, (size_t)n, (size_t)max, hend);
	return 2;
}

static int api_buffer_line_start(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	lua_pushinteger(L, (lua_Integer)text_line_start(b->text, n > 0 ? (size_t)n - 1 : 0));
	return 1;
}

static int api_buffer_line_of(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_pushinteger(L, (lua_Integer)text_line_of(b->text, check_pos(L, 2, b)) + 1);
	return 1;
}

/* b:stats() -> {len=, lines= (nil until every line is counted), mapped=,
 * lost= (nil, or {from, to} of the file: bytes it could not read),
 * shown=, read=, counted=, owned=}: what reading the text cost so far
 * (bytes of the mapped file shown, read with pread, counted for lines;
 * pages copied to be edited). */
static int api_buffer_stats(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	PagesWork w = text_work(b->text);
	size_t n, from, to;
	lua_createtable(L, 0, 8);
	lua_pushinteger(L, (lua_Integer)text_len(b->text));
	lua_setfield(L, -2, "len");
	if (text_lines_known(b->text, &n)) {
		lua_pushinteger(L, (lua_Integer)n);
		lua_setfield(L, -2, "lines");
	}
	lua_pushboolean(L, text_source(b->text) != NULL);
	lua_setfield(L, -2, "mapped");
	if (text_lost(b->text, &from, &to)) {
		lua_createtable(L, 2, 0);
		lua_pushinteger(L, (lua_Integer)from);
		lua_rawseti(L, -2, 1);
		lua_pushinteger(L, (lua_Integer)to);
		lua_rawseti(L, -2, 2);
		lua_setfield(L, -2, "lost");
	}
	static const char *const names[] = {"shown", "read", "counted", "owned"};
	size_t vals[] = {w.shown, w.read, w.counted, w.owned};
	for (int i = 0; i < 4; i++) {
		lua_pushinteger(L, (lua_Integer)vals[i]);
		lua_setfield(L, -2, names[i]);
	}
	return 1;
}

/* b:save([path[, force]]) -> true or nil, message. force: no question
 * (a file changed on disk, an existing other file, a read-only file). */
static int api_buffer_save(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	Editor *ed = blua_editor(L);
	const char *path = luaL_optstring(L, 2, NULL);
	if (!buf_save(ed, b, path, lua_toboolean(L, 3) ? SAVE_FORCE : 0)) {
		lua_pushnil(L);
		lua_pushstring(L, "save failed (see messages)");
		return 2;
	}
	lua_pushboolean(L, 1);
	return 1;
}

/* b:final_newline([on]) -> on: whether saving adds a final line break to
 * this text buffer (nil: the editor's `set finalnewline`). */
static int api_buffer_final_newline(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	if (lua_gettop(L) >= 2)
		b->final_newline = lua_isnil(L, 2) ? -1 : lua_toboolean(L, 2);
	lua_pushboolean(L, b->final_newline >= 0 ? b->final_newline : blua_editor(L)->final_newline);
	return 1;
}

/* b:undo(), b:redo() */
static int api_buffer_undo(lua_State *L) { buf_undo(blua_editor(L), blua_check_buffer(L, 1)); return 0; }
static int api_buffer_redo(lua_State *L) { buf_redo(blua_editor(L), blua_check_buffer(L, 1)); return 0; }

/* b:selections() -> {{anchor, head}, ...}, primary (1-based index) */
static int api_buffer_selections(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	SelSet *ss = &b->sels;
	lua_createtable(L, (int)ss->n, 0);
	for (size_t i = 0; i < ss->n; i++) {
		lua_createtable(L, 2, 0);
		lua_pushinteger(L, (lua_Integer)ss->v[i].anchor);
		lua_rawseti(L, -2, 1);
		lua_pushinteger(L, (lua_Integer)ss->v[i].head);
		lua_rawseti(L, -2, 2);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_pushinteger(L, (lua_Integer)ss->primary + 1);
	return 2;
}

/* b:set_selections({{anchor, head}, ...}[, primary]): sorted and merged */
static int api_buffer_set_selections(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	size_t n = lua_rawlen(L, 2), len = text_len(b->text);
	if (n == 0)
		return luaL_argerror(L, 2, "at least one selection");
	SelSet ns;
	sel_init(&ns);
	if (!sel_reserve(&ns, n))
		return luaL_error(L, "out of memory");
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, 2, (lua_Integer)i + 1);
		lua_rawgeti(L, -1, 1);
		lua_rawgeti(L, -2, 2);
		lua_Integer a = luaL_checkinteger(L, -2), h = luaL_optinteger(L, -1, a);
		lua_pop(L, 3);
		if (a < 0 || h < 0 || (size_t)a > len || (size_t)h > len) {
			sel_fini(&ns);
			return luaL_argerror(L, 2, "selection out of range");
		}
		sel_push(&ns, (Sel){(size_t)a, (size_t)h});
	}
	lua_Integer p = luaL_optinteger(L, 3, 1);
	ns.primary = p >= 1 && (size_t)p <= n ? (size_t)p - 1 : 0;
	sel_normalize(&ns);
	sel_fini(&b->sels);
	b->sels = ns;
	cmd_follow_primary(blua_editor(L));
	return 0;
}

/* b:cursor() -> head of the primary selection */
static int api_buffer_cursor(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_pushinteger(L, (lua_Integer)b->sels.v[b->sels.primary].head);
	return 1;
}

/* b:mode([name]) -> the buffer's mode ("" plain text, "hex", "log", ...) */
static int api_buffer_mode(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	if (!lua_isnoneornil(L, 2))
		buf_set_mode(blua_editor(L), b, luaL_checkstring(L, 2));
	lua_pushstring(L, b->mode);
	return 1;
}

/* b:filetype_label([name]) -> name: the file type the status bar shows
 * ("" none); the syntax plugin sets it when it detects or is told a type. */
static int api_buffer_filetype_label(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	if (!lua_isnoneornil(L, 2))
		snprintf(b->filetype, sizeof b->filetype, "%s", luaL_checkstring(L, 2));
	lua_pushstring(L, b->filetype);
	return 1;
}

/* b:readonly([flag]) -> flag */
static int api_buffer_readonly(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	if (!lua_isnoneornil(L, 2))
		b->readonly = lua_toboolean(L, 2);
	lua_pushboolean(L, b->readonly);
	return 1;
}

/* b:undo_history(flag): turn undo recording off for logs/scratch output */
static int api_buffer_undo_history(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	b->text->record_undo = lua_toboolean(L, 2);
	return 0;
}

/* b:mark(pos) -> id; b:mark_pos(id) -> pos; b:mark_set(id, pos); b:mark_free(id) */
static int api_buffer_mark(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t id = text_mark_new(b->text, check_pos(L, 2, b));
	if (id == BUF_NOPOS)
		return luaL_error(L, "out of memory");
	lua_pushinteger(L, (lua_Integer)id);
	return 1;
}

static int api_buffer_mark_pos(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t p = text_mark_get(b->text, (size_t)luaL_checkinteger(L, 2));
	if (p == BUF_NOPOS)
		return 0;
	lua_pushinteger(L, (lua_Integer)p);
	return 1;
}

static int api_buffer_mark_set(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	text_mark_set(b->text, (size_t)luaL_checkinteger(L, 2), check_pos(L, 3, b));
	return 0;
}

static int api_buffer_mark_free(lua_State *L)
{
	text_mark_free(blua_check_buffer(L, 1)->text, (size_t)luaL_checkinteger(L, 2));
	return 0;
}

/* b:search(pattern[, from[, {regex=, icase=, word=, backward=, bytes=}]])
 * -> start, end (end exclusive), or nil */
static int api_buffer_search(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t plen;
	const char *pat = luaL_checklstring(L, 2, &plen);
	size_t from = lua_isnoneornil(L, 3) ? 0 : check_pos(L, 3, b);
	int flags = 0;
	bool back = false;
	if (lua_istable(L, 4)) {
		static const struct { const char *k; int f; } opts[] = {
			{"regex", SEARCH_REGEX}, {"icase", SEARCH_ICASE}, {"word", SEARCH_WORD}, {"bytes", SEARCH_BYTES},
		};
		for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
			lua_getfield(L, 4, opts[i].k);
			if (lua_toboolean(L, -1))
				flags |= opts[i].f;
			lua_pop(L, 1);
		}
		lua_getfield(L, 4, "backward");
		back = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	char err[256];
	Search *s = search_new(pat, plen, flags, err, sizeof err);
	if (!s) {
		lua_pushnil(L);
		lua_pushstring(L, err);
		return 2;
	}
	size_t e, m = back ? search_prev(s, b->text, from, false, &e) : search_next(s, b->text, from, false, &e);
	search_free(s);
	if (m == BUF_NOPOS)
		return 0;
	lua_pushinteger(L, (lua_Integer)m);
	lua_pushinteger(L, (lua_Integer)e);
	return 2;
}

/* b:focus(): show this buffer in the main window */
static int api_buffer_focus(lua_State *L)
{
	ed_focus(blua_editor(L), blua_check_buffer(L, 1));
	return 0;
}

/* b:close() */
static int api_buffer_close(lua_State *L)
{
	ed_close(blua_editor(L), blua_check_buffer(L, 1));
	return 0;
}

static int api_buffer_tostring(lua_State *L)
{
	int id = blua_handle_id(L, 1, MT);
	Buffer *b = ed_find_buffer(blua_editor(L), id);
	lua_pushfstring(L, "buffer %d (%s)", id, b ? b->name : "closed");
	return 1;
}

/* brisk.buffer() -> the current buffer; brisk.buffers() -> all of them */
static int api_buffer_current(lua_State *L)
{
	Editor *ed = blua_editor(L);
	if (!ed->cur)
		return 0;
	blua_push_buffer(L, ed->cur);
	return 1;
}

static int api_buffer_all(lua_State *L)
{
	Editor *ed = blua_editor(L);
	lua_newtable(L);
	int i = 1;
	for (Buffer *b = ed->bufs; b; b = b->next) {
		blua_push_buffer(L, b);
		lua_rawseti(L, -2, i++);
	}
	return 1;
}

/* brisk.open(path) -> buffer or nil, message */
static int api_buffer_open_file(lua_State *L)
{
	Buffer *b = ed_open(blua_editor(L), luaL_checkstring(L, 1));
	if (!b) {
		lua_pushnil(L);
		lua_pushstring(L, "cannot open (see messages)");
		return 2;
	}
	blua_push_buffer(L, b);
	return 1;
}

/* brisk.scratch(name[, {readonly=, undo=}]) -> a new scratch buffer */
static int api_buffer_scratch(lua_State *L)
{
	Editor *ed = blua_editor(L);
	Buffer *b = ed_scratch(ed, luaL_checkstring(L, 1));
	if (!b)
		return luaL_error(L, "out of memory");
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "readonly");
		b->readonly = lua_toboolean(L, -1);
		lua_getfield(L, 2, "undo");
		if (!lua_isnil(L, -1))
			b->text->record_undo = lua_toboolean(L, -1);
		lua_pop(L, 2);
	}
	blua_push_buffer(L, b);
	return 1;
}

void api_buffer_open(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"id", api_buffer_id}, {"name", api_buffer_name}, {"path", api_buffer_path},
		{"len", api_buffer_len}, {"modified", api_buffer_modified}, {"binary", api_buffer_binary},
		{"text", api_buffer_text}, {"bytes", api_buffer_text}, {"byte", api_buffer_byte},
		{"apply", api_buffer_apply}, {"insert", api_buffer_insert}, {"delete", api_buffer_delete},
		{"replace", api_buffer_replace}, {"lines", api_buffer_lines}, {"line", api_buffer_line},
		{"line_start", api_buffer_line_start}, {"line_of", api_buffer_line_of},
		{"edge_lines", api_buffer_edge_lines}, {"stats", api_buffer_stats},
		{"save", api_buffer_save}, {"undo", api_buffer_undo}, {"redo", api_buffer_redo},
		{"final_newline", api_buffer_final_newline},
		{"selections", api_buffer_selections}, {"set_selections", api_buffer_set_selections},
		{"cursor", api_buffer_cursor}, {"mode", api_buffer_mode}, {"readonly", api_buffer_readonly},
		{"filetype_label", api_buffer_filetype_label},
		{"undo_history", api_buffer_undo_history},
		{"mark", api_buffer_mark}, {"mark_pos", api_buffer_mark_pos}, {"mark_set", api_buffer_mark_set},
		{"mark_free", api_buffer_mark_free}, {"search", api_buffer_search}, {"focus", api_buffer_focus},
		{"close", api_buffer_close}, {NULL, NULL},
	};
	luaL_newmetatable(L, MT);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, blua_handle_eq);
	lua_setfield(L, -2, "__eq");
	lua_pushcfunction(L, api_buffer_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
	static const luaL_Reg fns[] = {
		{"buffer", api_buffer_current}, {"buffers", api_buffer_all},
		{"open", api_buffer_open_file}, {"scratch", api_buffer_scratch}, {NULL, NULL},
	};
	luaL_setfuncs(L, fns, 0);
}
