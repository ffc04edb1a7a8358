/* Handles: userdata holding an id (see handle.h). */
#include "lua/handle.h"
#include <lauxlib.h>
#include <stdbool.h>

typedef struct Handle {
	int id;
} Handle;

void blua_handle_push(lua_State *L, const char *mt, int id)
{
	Handle *h = lua_newuserdatauv(L, sizeof *h, 0);
	h->id = id;
	luaL_setmetatable(L, mt);
}

int blua_handle_id(lua_State *L, int idx, const char *mt)
{
	return ((Handle *)luaL_checkudata(L, idx, mt))->id;
}

int blua_handle_eq(lua_State *L)
{
	bool same = lua_getmetatable(L, 1) && lua_getmetatable(L, 2) && lua_rawequal(L, -1, -2);
	Handle *a = lua_touserdata(L, 1), *b = lua_touserdata(L, 2);
	lua_pushboolean(L, same && a && b && a->id == b->id);
	return 1;
}
