/* brisk.regex: PCRE2 (JIT) regexes on Lua strings, through buffer/search.h,
 * for syntax rule tables and plugins. No pattern cache: compile once, keep
 * the object. */
#include "lua/host.h"
#include "buffer/search.h"
#include <lauxlib.h>
#include <string.h>

#define REGEX_MT "brisk.regex"

typedef struct Regex {
	Search *s;
} Regex;

static Regex *check_regex(lua_State *L, int idx)
{
	Regex *r = luaL_checkudata(L, idx, REGEX_MT);
	if (!r->s)
		luaL_argerror(L, idx, "regex is freed");
	return r;
}

Search *blua_check_regex(lua_State *L, int idx)
{
	return check_regex(L, idx)->s;
}

/* brisk.regex.new(pattern[, flags]) -> re, or nil, message for a bad
 * pattern. flags: a string of "i" (ignore case), "w" (whole words),
 * "b" (bytes, not UTF-8 characters). ^ and $ match at line ends.
 *   local re = brisk.regex.new([[\b(if|else|while)\b]])
 *   local s, e = re:find("  while x do", 1)   --> 3, 7 */
static int api_regex_new(lua_State *L)
{
	size_t len;
	const char *pat = luaL_checklstring(L, 1, &len);
	const char *fl = luaL_optstring(L, 2, "");
	int flags = SEARCH_REGEX;
	for (; *fl; fl++) {
		if (*fl == 'i')
			flags |= SEARCH_ICASE;
		else if (*fl == 'w')
			flags |= SEARCH_WORD;
		else if (*fl == 'b')
			flags |= SEARCH_BYTES;
		else
			return luaL_argerror(L, 2, "flags are letters of \"iwb\"");
	}
	char err[256];
	Regex *r = lua_newuserdatauv(L, sizeof *r, 0);
	r->s = NULL;
	luaL_setmetatable(L, REGEX_MT);
	r->s = search_new(pat, len, flags, err, sizeof err);
	if (!r->s) {
		lua_pushnil(L);
		lua_pushfstring(L, "regex: %s", err);
		return 2;
	}
	return 1;
}

/* re:find(s[, init]) -> start, end, captures... (1-based, inclusive, as
 * string.find; an empty match gives end = start - 1) or nil. The match
 * starts at or after byte init (default 1); lookbehind sees the bytes
 * before init. Each group of the pattern adds its text (false when it did
 * not take part in the match). */
static int api_regex_find(lua_State *L)
{
	Regex *r = check_regex(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	lua_Integer init = luaL_optinteger(L, 3, 1);
	if (init < 0)
		init = (lua_Integer)len + init + 1;
	if (init < 1)
		init = 1;
	if ((size_t)init > len + 1) {
		lua_pushnil(L);
		return 1;
	}
	size_t mend, at = search_in(r->s, s, len, (size_t)init - 1, &mend);
	if (at == BUF_NOPOS) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)at + 1);
	lua_pushinteger(L, (lua_Integer)mend);
	unsigned ng = search_group_count(r->s);
	luaL_checkstack(L, (int)ng, "too many groups");
	for (unsigned g = 1; g < ng; g++) {
		size_t gb, ge;
		if (search_group(r->s, g, &gb, &ge))
			lua_pushlstring(L, s + gb, ge - gb);
		else
			lua_pushboolean(L, 0);
	}
	return 1 + (int)ng;
}

/* re:match(s[, init]) -> the matched text or nil. */
static int api_regex_match(lua_State *L)
{
	int n = api_regex_find(L);
	if (n == 1)
		return 1;
	size_t len;
	const char *s = lua_tolstring(L, 2, &len);
	lua_Integer a = lua_tointeger(L, -n), b = lua_tointeger(L, -n + 1);
	lua_pushlstring(L, s + a - 1, (size_t)(b - a + 1));
	return 1;
}

static int api_regex_gc(lua_State *L)
{
	Regex *r = luaL_checkudata(L, 1, REGEX_MT);
	search_free(r->s);
	r->s = NULL;
	return 0;
}

void api_regex_open(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"find", api_regex_find}, {"match", api_regex_match}, {NULL, NULL},
	};
	static const luaL_Reg fns[] = {{"new", api_regex_new}, {NULL, NULL}};
	if (luaL_newmetatable(L, REGEX_MT)) {
		luaL_newlib(L, methods);
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, api_regex_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_pop(L, 1);
	luaL_newlib(L, fns);
	lua_setfield(L, -2, "regex");
}
