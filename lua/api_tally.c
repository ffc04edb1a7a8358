/* Reading a log's lines in order, in C, for the log viewer: b:reader
 * hands them to Lua one by one through a copied window, and b:tally or
 * reader:tally counts a run of lines without Lua (editor/tally.h): the
 * summary reads the first line of a run in Lua and hands the rest of it
 * here. */
#include "lua/host.h"
#include "buffer/search.h"
#include "editor/tally.h"
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>


/* A group number from field k of the spec table (0: absent). */
static unsigned opt_group(lua_State *L, int idx, const char *k)
{
	lua_getfield(L, idx, k);
	lua_Integer g = luaL_optinteger(L, -1, 0);
	lua_pop(L, 1);
	if (g < 0 || g > 99)
		luaL_error(L, "tally: group %s out of range", k);
	return (unsigned)g;
}

static Search *opt_regex(lua_State *L, int idx, const char *k)
{
	Search *s = NULL;
	if (lua_getfield(L, idx, k) != LUA_TNIL)
		s = blua_check_regex(L, -1);
	lua_pop(L, 1);
	return s;
}

static void read_spec(lua_State *L, int idx, TallySpec *spec)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	memset(spec, 0, sizeof *spec);
	spec->re = opt_regex(L, idx, "re");
	if (!spec->re)
		luaL_error(L, "tally: re (a brisk.regex) is needed");
	/* stop: one regex or a list of them. */
	if (lua_getfield(L, idx, "stop") == LUA_TTABLE) {
		size_t n = lua_rawlen(L, -1);
		if (n > TALLY_MAXSTOPS)
			luaL_error(L, "tally: at most %d stop patterns", TALLY_MAXSTOPS);
		for (size_t i = 1; i <= n; i++) {
			lua_rawgeti(L, -1, (lua_Integer)i);
			spec->stop[spec->nstop++] = blua_check_regex(L, -1);
			lua_pop(L, 1);
		}
	} else if (!lua_isnil(L, -1)) {
		spec->stop[spec->nstop++] = blua_check_regex(L, -1);
	}
	lua_pop(L, 1);
	if (lua_getfield(L, idx, "keys") == LUA_TTABLE) {
		size_t n = lua_rawlen(L, -1);
		if (n > TALLY_MAXKEYS)
			luaL_error(L, "tally: at most %d keys", TALLY_MAXKEYS);
		for (size_t i = 1; i <= n; i++) {
			lua_rawgeti(L, -1, (lua_Integer)i);
			spec->keys[spec->nkeys++] = (unsigned)luaL_checkinteger(L, -1);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	spec->tkey = opt_group(L, idx, "time_key");
	spec->tval = opt_group(L, idx, "time_value");
	spec->gap = opt_group(L, idx, "gap");
	lua_getfield(L, idx, "max");
	lua_Integer max = luaL_optinteger(L, -1, 1 << 20);
	lua_pop(L, 1);
	spec->max_lines = max > 0 ? (size_t)max : 0;
}

static void set_num(lua_State *L, const char *k, double v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, k);
}

static void push_counts(lua_State *L, const TallyMap *m)
{
	lua_createtable(L, 0, (int)m->used);
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key) {
			lua_pushlstring(L, m->v[i].key, m->v[i].klen);
			lua_pushinteger(L, (lua_Integer)m->v[i].count);
			lua_rawset(L, -3);
		}
}

static void push_times(lua_State *L, const TallyMap *m)
{
	lua_createtable(L, 0, (int)m->used);
	for (size_t i = 0; i < m->cap; i++) {
		const TallyEntry *e = &m->v[i];
		if (!e->key)
			continue;
		lua_pushlstring(L, e->key, e->klen);
		lua_createtable(L, 0, 6);
		set_num(L, "first", e->first);
		set_num(L, "last", e->last);
		lua_pushinteger(L, (lua_Integer)e->n);
		lua_setfield(L, -2, "n");
		set_num(L, "sum", e->sum);
		if (e->n) {
			set_num(L, "min", e->min);
			set_num(L, "max", e->max);
		}
		lua_rawset(L, -3);
	}
}

/* Pushes line [pos, e) of t, from the window when it holds it. */
static void push_line(lua_State *L, Text *t, const TextWindow *w, size_t pos, size_t e)
{
	if (text_window_has(w, t, pos) && e <= w->off + w->len) {
		lua_pushlstring(L, w->buf + (pos - w->off), e - pos);
		return;
	}
	luaL_Buffer lb;
	char *p = luaL_buffinitsize(L, &lb, e - pos);
	text_copy(t, pos, e - pos, p);
	luaL_pushresultsize(&lb, e - pos);
}

static void push_result(lua_State *L, const TallySpec *spec, const TallyResult *r, Text *t, const TextWindow *w)
{
	lua_createtable(L, 0, 9);
	if (r->lines) {
		push_line(L, t, w, r->last, r->last + r->last_len);
		lua_setfield(L, -2, "last");
	}
	lua_pushinteger(L, (lua_Integer)r->lines);
	lua_setfield(L, -2, "lines");
	lua_pushinteger(L, (lua_Integer)r->next);
	lua_setfield(L, -2, "next");
	lua_createtable(L, (int)spec->nkeys, 0);
	lua_createtable(L, (int)spec->nkeys, 0);
	for (size_t k = 0; k < spec->nkeys; k++) {
		push_counts(L, &r->maps[k]);
		lua_rawseti(L, -3, (lua_Integer)k + 1);
		lua_pushinteger(L, (lua_Integer)r->maps[k].others);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	lua_setfield(L, -3, "others");
	lua_setfield(L, -2, "counts");
	push_times(L, &r->times);
	lua_setfield(L, -2, "times");
	if (r->have_ts) {
		set_num(L, "first_ts", r->first_ts);
		set_num(L, "last_ts", r->last_ts);
		lua_pushinteger(L, (lua_Integer)r->first_ts_line);
		lua_setfield(L, -2, "first_ts_line");
	}
	lua_createtable(L, (int)r->ngaps, 0);
	for (size_t i = 0; i < r->ngaps; i++) {
		lua_createtable(L, 0, 2);
		set_num(L, "d", r->gaps[i].d);
		lua_pushinteger(L, (lua_Integer)r->gaps[i].line);
		lua_setfield(L, -2, "line");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "gaps");
}

/* ===== readers =========================================================== */

#define READER_MT "brisk.reader"
#define READER_WINDOW (256 * 1024) /* bytes read at a time */

/* A place in a buffer and the window the lines around it were read into.
 * Its user value is the buffer's handle: a closed buffer is never read. */
typedef struct Reader {
	TextWindow w;
	size_t pos;
} Reader;

static Reader *new_reader(lua_State *L, int buf_idx, size_t pos)
{
	buf_idx = lua_absindex(L, buf_idx);
	Reader *rd = lua_newuserdatauv(L, sizeof *rd, 1);
	*rd = (Reader){.pos = pos};
	luaL_setmetatable(L, READER_MT);
	lua_pushvalue(L, buf_idx);
	lua_setiuservalue(L, -2, 1);
	return rd;
}

/* The reader at idx and its buffer (raises when the buffer is closed). A
 * cut that took the text from under the reader's place leaves it at the
 * end: a walk over a log truncated meanwhile ends there. */
static Reader *check_reader(lua_State *L, int idx, Buffer **b)
{
	Reader *rd = luaL_checkudata(L, idx, READER_MT);
	lua_getiuservalue(L, idx, 1);
	*b = blua_check_buffer(L, -1);
	lua_pop(L, 1);
	size_t len = text_len((*b)->text);
	if (rd->pos > len)
		rd->pos = len;
	return rd;
}

static void reader_drop_window(Reader *rd)
{
	free(rd->w.buf);
	rd->w = (TextWindow){0};
}

static int reader_gc(lua_State *L)
{
	reader_drop_window(luaL_checkudata(L, 1, READER_MT));
	return 0;
}

/***
 * Reads the buffer's lines in order from offset `pos` (a line start,
 * default 0): reader:line() is the next line (without its newline; nil at
 * the end), reader:offset() where the next line starts, reader:tally(spec)
 * counts the run of lines there as buffer:tally does and goes past it.
 * The text is copied in windows of 256 KB, so a scan of a big log costs
 * one read of each byte, not a call per line.
 * @function buffer:reader
 * @tparam[opt=0] integer pos
 * @treturn reader
 * @usage local rd = b:reader(); for s in rd.line, rd do n = n + 1 end
 */
static int api_reader_new(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer pos = luaL_optinteger(L, 2, 0);
	luaL_argcheck(L, pos >= 0 && (size_t)pos <= text_len(b->text), 2, "offset out of range");
	new_reader(L, 1, (size_t)pos);
	return 1;
}

static int reader_line(lua_State *L)
{
	Buffer *b;
	Reader *rd = check_reader(L, 1, &b);
	Text *t = b->text;
	if (rd->pos >= text_len(t)) {
		/* Done: the window goes now, not when the collector, which
		 * does not see it, gets to the reader. */
		reader_drop_window(rd);
		return 0;
	}
	if (!text_window_has(&rd->w, t, rd->pos) && !text_window_read(&rd->w, t, rd->pos, READER_WINDOW))
		return luaL_error(L, "out of memory");
	const char *s = rd->w.buf + (rd->pos - rd->w.off);
	size_t left = rd->w.off + rd->w.len - rd->pos;
	const char *nl = memchr(s, '\n', left);
	size_t len = nl ? (size_t)(nl - s) : left;
	lua_pushlstring(L, s, len);
	rd->pos += nl ? len + 1 : len;
	return 1;
}

static int reader_offset(lua_State *L)
{
	Buffer *b;
	lua_pushinteger(L, (lua_Integer)check_reader(L, 1, &b)->pos);
	return 1;
}

/* Counts the run at the reader's place, pushes the result and goes past. */
static int reader_tally_at(lua_State *L, Reader *rd, Buffer *b, int spec_idx)
{
	TallySpec spec;
	read_spec(L, spec_idx, &spec);
	TallyResult r = {0};
	uint64_t t0 = loop_now_ms();
	bool ok = tally_run(&spec, b->text, &rd->w, rd->pos, &r);
	blua_budget_credit_since(L, t0, BLUA_SLOW_MS);
	if (!ok) {
		tally_result_free(&r);
		return luaL_error(L, "out of memory");
	}
	push_result(L, &spec, &r, b->text, &rd->w);
	rd->pos = r.next;
	tally_result_free(&r);
	return 1;
}

static int reader_tally(lua_State *L)
{
	Buffer *b;
	Reader *rd = check_reader(L, 1, &b);
	return reader_tally_at(L, rd, b, 2);
}

/***
 * Walks the run of lines from offset `pos` (0-based, a line start) that
 * match `re` (and none of `stop`, a regex or a list of them), at most
 * `max` of them, and counts them: the values of the groups in `keys`, the
 * time series of group `time_value` (seconds "1.5" or nanoseconds at its
 * start) per value of group `time_key`, and the longest pauses between
 * the seconds of group `gap`. Line numbers in the result count from 0 at
 * `pos`. A scan of many runs reads faster through buffer:reader.
 * @function buffer:tally
 * @tparam integer pos
 * @tparam table spec `{re = brisk.regex, stop = brisk.regex or {brisk.regex...}, keys = {g...}, time_key = g, time_value = g, gap = g, max = n}`
 * @treturn table `{lines = n, next = offset after the run, last = the run's last line, counts = {{value = n}...}, others = {n...}, times = {value = {first, last, n, sum, min, max}}, first_ts, last_ts, first_ts_line, gaps = {{d =, line =}...}}`
 */
static int api_tally_run(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer pos = luaL_checkinteger(L, 2);
	if (pos < 0 || (size_t)pos > text_len(b->text))
		return luaL_argerror(L, 2, "offset out of range");
	/* Through a reader of its own: its window is collected even when an
	 * error cuts the count short. Otherwise it is freed here: the
	 * collector does not count its bytes (up to 256 KB a call), so it
	 * would let many of them pile up. */
	Reader *rd = new_reader(L, 1, (size_t)pos);
	int n = reader_tally_at(L, rd, b, 3);
	reader_drop_window(rd);
	return n;
}

void api_tally_open(lua_State *L)
{
	static const luaL_Reg methods[] = {{"tally", api_tally_run}, {"reader", api_reader_new}, {NULL, NULL}};
	static const luaL_Reg reader_methods[] = {
		{"line", reader_line}, {"offset", reader_offset}, {"tally", reader_tally}, {NULL, NULL},
	};
	if (luaL_newmetatable(L, READER_MT)) {
		luaL_newlib(L, reader_methods);
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, reader_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_pop(L, 1);
	blua_buffer_methods(L, methods);
}
