/* The standard library plugins see (sandbox.c) and brisk's Lua patterns
 * for it (strlib.c). Used by host.c only. */
#ifndef LUA_SANDBOX_H
#define LUA_SANDBOX_H
#include "lua/host.h"

/* Opens the standard library, less what could crash, hang or escape. */
void blua_sandbox_open(lua_State *L);
/* Replaces string.find/match/gmatch/gsub with the step-counting matcher. */
void blua_strlib_open(lua_State *L);
#endif
