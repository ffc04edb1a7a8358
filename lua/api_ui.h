/* What lua/api_pane.c and lua/api_decor.c share: reading a style from a
 * Lua table (colours, attributes, a named style from brisk.style). */
#ifndef LUA_API_UI_H
#define LUA_API_UI_H
#include "lua/host.h"
#include "editor/style.h"

/* Reads the style fields of the table at idx: fg=, bg= (a colour name,
 * "#rrggbb" or a palette index), bold=, underline=, reverse=, dim=,
 * italic=, and style= (a name given to brisk.style, applied first).
 * Raises an argument error (for argument arg) on a bad colour or name. */
Style blua_check_style(lua_State *L, int idx, int arg);
/* A style given as a name (brisk.style) or a table at idx; nil: plain. */
Style blua_opt_style(lua_State *L, int idx, int arg);
#endif
