/* Option tables: the `opts` table a brisk.* function takes, read one
 * field at a time with the same checks and the same error messages
 * ("http.serve: port must be an integer from 0 to 65535"). */
#ifndef LUA_OPTS_H
#define LUA_OPTS_H
#include <lua.h>
#include <stdbool.h>

/* Field k of the table at t: def when nil; raises "WHO: k must be an
 * integer from MIN to MAX" when it is not one. */
lua_Integer blua_opt_int(lua_State *L, int t, const char *k, lua_Integer def, lua_Integer min,
                         lua_Integer max, const char *who);
/* Field k of the table at t, a function: a registry reference, or
 * LUA_NOREF when nil and not required; raises otherwise. */
int blua_opt_fn(lua_State *L, int t, const char *k, bool required, const char *who);
#endif
