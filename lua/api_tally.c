/* b:tally: counting a run of log lines in C (editor/tally.h) for the log
 * viewer's summary, which reads the first line of a run in Lua and hands
 * the rest of it here. */
#include "lua/host.h"
#include "buffer/search.h"
#include "editor/tally.h"
#include <lauxlib.h>
#include <string.h>

#define SLOW_MS 20 /* C work longer than this is credited to the Lua budget */

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
	spec->stop = opt_regex(L, idx, "stop");
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

static void push_result(lua_State *L, const TallySpec *spec, const TallyResult *r)
{
	lua_createtable(L, 0, 8);
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

/***
 * Walks the run of lines from offset `pos` (0-based, a line start) that
 * match `re` (and not `stop`), at most `max` of them, and counts them: the
 * values of the groups in `keys`, the time series of group `time_value`
 * (seconds "1.5" or nanoseconds at its start) per value of group
 * `time_key`, and the longest pauses between the seconds of group `gap`.
 * Line numbers in the result count from 0 at `pos`.
 * @function buffer:tally
 * @tparam integer pos
 * @tparam table spec `{re = brisk.regex, stop = brisk.regex, keys = {g...}, time_key = g, time_value = g, gap = g, max = n}`
 * @treturn table `{lines = n, next = offset after the run, counts = {{value = n}...}, others = {n...}, times = {value = {first, last, n, sum, min, max}}, first_ts, last_ts, first_ts_line, gaps = {{d =, line =}...}}`
 */
static int api_tally_run(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer pos = luaL_checkinteger(L, 2);
	TallySpec spec;
	read_spec(L, 3, &spec);
	TallyResult r = {0};
	uint64_t t0 = loop_now_ms();
	if (pos < 0 || (size_t)pos > text_len(b->text))
		return luaL_argerror(L, 2, "offset out of range");
	bool ok = tally_run(&spec, b->text, (size_t)pos, &r);
	uint64_t dt = loop_now_ms() - t0;
	if (dt > SLOW_MS)
		blua_budget_credit(L, dt);
	if (!ok) {
		tally_result_free(&r);
		return luaL_error(L, "out of memory");
	}
	push_result(L, &spec, &r);
	tally_result_free(&r);
	return 1;
}

void api_tally_open(lua_State *L)
{
	static const luaL_Reg methods[] = {{"tally", api_tally_run}, {NULL, NULL}};
	blua_buffer_methods(L, methods);
}
