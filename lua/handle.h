/* Handles: what Lua holds for editor objects (buffers, panes): a full
 * userdata with the object's id, never a pointer, so a handle to a closed
 * object is detected on use instead of crashing. */
#ifndef LUA_HANDLE_H
#define LUA_HANDLE_H
#include <lua.h>

/* Pushes a handle for id with the metatable registered as mt. */
void blua_handle_push(lua_State *L, const char *mt, int id);
/* The id in the handle at idx; raises a type error if it is not one. */
int blua_handle_id(lua_State *L, int idx, const char *mt);
/* __eq for every handle type: same metatable, same id. */
int blua_handle_eq(lua_State *L);
#endif
