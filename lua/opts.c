/* Option tables (see opts.h). */
#include "lua/opts.h"
#include "lua/host.h"

lua_Integer blua_opt_int(lua_State *L, int t, const char *k, lua_Integer def, lua_Integer min,
                         lua_Integer max, const char *who)
{
	lua_getfield(L, t, k);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return def;
	}
	int isnum;
	lua_Integer v = lua_tointegerx(L, -1, &isnum);
	if (!isnum || v < min || v > max) {
		if (max == LUA_MAXINTEGER)
			luaL_error(L, "%s: %s must be an integer >= %I", who, k, min);
		luaL_error(L, "%s: %s must be an integer from %I to %I", who, k, min, max);
	}
	lua_pop(L, 1);
	return v;
}

int blua_opt_fn(lua_State *L, int t, const char *k, bool required, const char *who)
{
	lua_getfield(L, t, k);
	if (lua_isnil(L, -1) && !required) {
		lua_pop(L, 1);
		return LUA_NOREF;
	}
	if (!lua_isfunction(L, -1))
		luaL_error(L, "%s: %s must be a function", who, k);
	return blua_ref(L);
}
