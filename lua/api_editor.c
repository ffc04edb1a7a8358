/* brisk.* core: the stable names (command, keys, quit), events, key
 * bindings, plugin commands, messages; and the editor hooks that call them.
 * Registries live in the Lua registry: events[name] = {fn...},
 * commands[name] = {[mode] = {fn=, help=}} (mode "" is global). */
#include "lua/host.h"
#include "buffer/array.h"
#include "editor/command.h"
#include "editor/decor.h"
#include "editor/keymap.h"
#include "editor/render.h"
#include "editor/path.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EVENTS "brisk.events"
#define COMMANDS "brisk.commands"
#define BINDHELP "brisk.bindhelp" /* [ref] = help text of a key bound to a function */

#ifndef BRISK_VERSION
#define BRISK_VERSION "0.1.0"
#endif

/* In headless mode a command or key that starts asynchronous work returns
 * only when that work has ended, so the next line sees its result. */
static void settle(lua_State *L, int before)
{
	Editor *ed = blua_editor(L);
	while (ed->headless && !ed->quit && loop_pending(ed->loop) > before)
		loop_run_once(ed->loop, 100);
}

/* brisk.command(line) -> ok: runs a prompt command line as typed. */
static int api_editor_command(lua_State *L)
{
	const char *line = luaL_checkstring(L, 1);
	Editor *ed = blua_editor(L);
	int before = loop_pending(ed->loop);
	bool ok = ed_command(ed, line);
	settle(L, before);
	lua_pushboolean(L, ok);
	return 1;
}

/* brisk.keys(keys) -> true, or false, message: feeds keys in vim
 * notation, as if typed, up to the first whose command fails. */
static int api_editor_keys(lua_State *L)
{
	const char *s = luaL_checkstring(L, 1);
	Editor *ed = blua_editor(L);
	size_t cap = strlen(s) + 1, errpos = 0;
	Key *keys = malloc(cap * sizeof *keys);
	if (!keys)
		return luaL_error(L, "out of memory");
	long n = keys_parse(s, keys, cap, &errpos);
	if (n < 0) {
		free(keys);
		return luaL_error(L, "bad key name at byte %d of '%s'", (int)errpos + 1, s);
	}
	int before = loop_pending(ed->loop);
	size_t at = ed_keys(ed, keys, (size_t)n);
	char name[32] = "";
	if (at < (size_t)n)
		keys_name(keys[at], name, sizeof name);
	free(keys);
	settle(L, before);
	lua_pushboolean(L, at == (size_t)n);
	if (at == (size_t)n)
		return 1;
	lua_pushfstring(L, "key %d (%s) failed; the keys after it were not typed", (int)at + 1, name);
	return 2;
}

/* brisk.quit(): leave the editor (headless: end the run). */
static int api_editor_quit(lua_State *L)
{
	blua_editor(L)->quit = true;
	return 0;
}

/* brisk.on(event, fn): call fn(buffer) on "open", "save", "change",
 * "close", "quit", "resize", "idle", "mode". Returns fn (for brisk.off). */
static int api_editor_on(lua_State *L)
{
	const char *ev = luaL_checkstring(L, 1);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, EVENTS);
	if (lua_getfield(L, -1, ev) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, ev);
	}
	lua_pushvalue(L, 2);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	lua_pushvalue(L, 2);
	return 1;
}

/* brisk.off(event, fn): removes a handler. */
static int api_editor_off(lua_State *L)
{
	const char *ev = luaL_checkstring(L, 1);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, EVENTS);
	if (lua_getfield(L, -1, ev) != LUA_TTABLE)
		return 0;
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		bool same = lua_rawequal(L, -1, 2);
		lua_pop(L, 1);
		if (same) {
			for (lua_Integer k = i; k < n; k++) {
				lua_rawgeti(L, -1, k + 1);
				lua_rawseti(L, -2, k);
			}
			lua_pushnil(L);
			lua_rawseti(L, -2, n);
			break;
		}
	}
	return 0;
}

static const char *opt_mode(lua_State *L, int idx)
{
	if (!lua_istable(L, idx))
		return "";
	lua_getfield(L, idx, "mode");
	const char *m = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
	lua_pop(L, 1);
	return m;
}

/* Forgets the help text of a binding's function reference. */
static void drop_help(lua_State *L, int ref)
{
	luaL_getsubtable(L, LUA_REGISTRYINDEX, BINDHELP);
	lua_pushnil(L);
	lua_rawseti(L, -2, ref);
	lua_pop(L, 1);
}

/* brisk.bind(keys, fn_or_command_line[, {mode=, help=}]): binds keys (vim
 * notation, chords allowed: "<C-k>x"), globally or for a buffer mode;
 * help describes a function's key in the help buffer (F1). */
static int api_editor_bind(lua_State *L)
{
	const char *keys = luaL_checkstring(L, 1);
	const char *mode = opt_mode(L, 3);
	Editor *ed = blua_editor(L);
	int old = -1;
	bool ok;
	if (lua_isstring(L, 2)) {
		ok = keymap_bind(ed->keymap, mode, keys, lua_tostring(L, 2), -1, &old);
	} else {
		luaL_checktype(L, 2, LUA_TFUNCTION);
		lua_pushvalue(L, 2);
		int ref = blua_ref(L);
		ok = keymap_bind(ed->keymap, mode, keys, NULL, ref, &old);
		if (!ok)
			blua_unref(L, ref);
		if (ok && lua_istable(L, 3) && lua_getfield(L, 3, "help") == LUA_TSTRING) {
			luaL_getsubtable(L, LUA_REGISTRYINDEX, BINDHELP);
			lua_pushvalue(L, -2);
			lua_rawseti(L, -2, ref);
			lua_pop(L, 1);
		}
	}
	if (old >= 0) {
		drop_help(L, old);
		blua_unref(L, old);
	}
	if (!ok)
		return luaL_argerror(L, 1, "bad key sequence");
	return 0;
}

/* brisk.unbind(keys[, {mode=}]) */
static int api_editor_unbind(lua_State *L)
{
	int old = -1;
	keymap_unbind(blua_editor(L)->keymap, opt_mode(L, 2), luaL_checkstring(L, 1), &old);
	if (old >= 0) {
		drop_help(L, old);
		blua_unref(L, old);
	}
	return 0;
}

/* brisk.register_command(name, fn(args)[, {mode=, help=}]): a prompt
 * command. fn returns false[, message] to report failure. A mode command
 * shadows a built-in of the same name in buffers of that mode. */
static int api_editor_register_command(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	const char *mode = opt_mode(L, 3);
	/* Noted in C first: the dispatcher asks Lua only for these names. */
	if (!command_note_lua(blua_editor(L), name, mode))
		return luaL_error(L, "register_command %s: %s", name, strerror(errno));
	luaL_getsubtable(L, LUA_REGISTRYINDEX, COMMANDS);
	if (lua_getfield(L, -1, name) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, name);
	}
	lua_newtable(L);
	lua_pushvalue(L, 2);
	lua_setfield(L, -2, "fn");
	if (lua_istable(L, 3)) {
		lua_getfield(L, 3, "help");
		lua_setfield(L, -2, "help");
	}
	lua_setfield(L, -2, mode);
	return 0;
}

/* brisk.message(text) / brisk.error(text): a line in the message area and
 * *messages* (headless: errors to stderr, and the exit status becomes 1). */
static int api_editor_message(lua_State *L)
{
	msg_info(blua_editor(L), "%s", luaL_checkstring(L, 1));
	return 0;
}

static int api_editor_error(lua_State *L)
{
	msg_error(blua_editor(L), "%s", luaL_checkstring(L, 1));
	return 0;
}

/* brisk.list_dir(path) -> {names...} (sorted) or nil, message */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int api_editor_list_dir(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	DIR *d = opendir(path);
	if (!d)
		return blua_fail_errno(L, path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	bool oom = false;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!ARRAY_RESERVE(names, cap, n + 1) || !(names[n] = strdup(de->d_name))) {
			oom = true; /* a partial list would look like the whole one */
			break;
		}
		n++;
	}
	closedir(d);
	if (oom) {
		while (n > 0)
			free(names[--n]);
		free(names);
		errno = ENOMEM;
		return blua_fail_errno(L, path);
	}
	qsort(names, n, sizeof *names, cmp_str);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushstring(L, names[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
		free(names[i]);
	}
	free(names);
	return 1;
}

/* brisk.expand_path(name) -> name with ~, ~user, $VAR and ${VAR} expanded
 * as in the file-name prompts (editor/path.h); for plugin commands that
 * take a file name. */
static int api_editor_expand_path(lua_State *L)
{
	char *p = path_expand(luaL_checkstring(L, 1));
	if (!p)
		return luaL_error(L, "out of memory");
	lua_pushstring(L, p);
	free(p);
	return 1;
}

/* brisk.clock() -> seconds on a monotonic clock (float), for timing */
static int api_editor_clock(lua_State *L)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec / 1e9);
	return 1;
}

/* brisk.screen([{w=80, h=24}]) -> {rows}, pending: the focused buffer's
 * window as the terminal UI would draw it (scrolled to the primary
 * cursor, syntax colours worked out, non-ASCII as '?'); pending is true
 * when rows were left empty below a line whose end is not known yet. For
 * tests, headless or not. */
static int api_editor_screen(lua_State *L)
{
	Editor *ed = blua_editor(L);
	lua_Integer w = 80, h = 24;
	if (lua_istable(L, 1)) {
		lua_getfield(L, 1, "w");
		lua_getfield(L, 1, "h");
		w = luaL_optinteger(L, -2, 80);
		h = luaL_optinteger(L, -1, 24);
		lua_pop(L, 2);
	}
	luaL_argcheck(L, w >= 1 && h >= 1 && w <= 1000 && h <= 1000, 1, "w and h from 1 to 1000");
	Buffer *b = ed->cur;
	if (!b)
		return luaL_error(L, "no buffer");
	Window win = ed->win;
	win.buf = b;
	win.x = win.y = 0;
	win.w = (int)w;
	win.h = (int)h;
	View v;
	Grid g = {0};
	view_init(&v, &win);
	if (!grid_resize(&g, (int)w, (int)h))
		return luaL_error(L, "out of memory");
	view_show(&v, b, ed->tabw, b->sels.v[b->sels.primary].head);
	decor_prepare(ed, b, win.top, (size_t)h);
	view_render(&v, b, ed->tabw, &g);
	char *row = malloc((size_t)w + 1);
	lua_createtable(L, (int)h, 0);
	for (int y = 0; row && y < (int)h; y++) {
		int n = 0;
		for (int x = 0; x < (int)w; x++) {
			const Cell *c = grid_at(&g, x, y);
			row[n++] = c->cp < 128 && c->kind != RC_ESC_BYTE && c->kind != RC_ESC_CP ? (char)c->cp : '?';
		}
		while (n > 0 && row[n - 1] == ' ')
			n--;
		lua_pushlstring(L, row, (size_t)n);
		lua_rawseti(L, -2, y + 1);
	}
	free(row);
	lua_pushboolean(L, v.pending);
	grid_fini(&g);
	view_fini(&v);
	return 2;
}

/* brisk.commands() -> sorted list of every command name (built-in + Lua) */
static void add_name(void *arg, const char *name)
{
	/* The result table is at index 1: completion sources may have pushed
	 * their own values above it. */
	lua_State *L = arg;
	lua_pushstring(L, name);
	lua_rawseti(L, 1, (lua_Integer)lua_rawlen(L, 1) + 1);
}

static int api_editor_commands(lua_State *L)
{
	const char *prefix = luaL_optstring(L, 1, "");
	lua_settop(L, 0);
	lua_newtable(L);
	cmd_complete(blua_editor(L), prefix, add_name, L);
	return 1;
}

void api_editor_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"command", api_editor_command}, {"keys", api_editor_keys}, {"quit", api_editor_quit},
		{"on", api_editor_on}, {"off", api_editor_off}, {"bind", api_editor_bind},
		{"unbind", api_editor_unbind}, {"register_command", api_editor_register_command},
		{"message", api_editor_message}, {"error", api_editor_error},
		{"list_dir", api_editor_list_dir}, {"commands", api_editor_commands},
		{"clock", api_editor_clock}, {"screen", api_editor_screen},
		{"clock", api_editor_clock}, {"expand_path", api_editor_expand_path},
		{NULL, NULL},
	};
	luaL_setfuncs(L, fns, 0);
	lua_pushboolean(L, blua_editor(L)->headless);
	lua_setfield(L, -2, "headless");
	lua_pushstring(L, BRISK_VERSION);
	lua_setfield(L, -2, "version");
}

/* ===== hooks: the editor calling into Lua ================================ */

static void hook_event(void *ctx, const char *name, Buffer *b)
{
	lua_State *L = ctx;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, EVENTS);
	if (lua_getfield(L, -1, name) != LUA_TTABLE) {
		lua_pop(L, 2);
		return;
	}
	/* Iterate over a copy: a handler may add or remove handlers. */
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	for (lua_Integer i = 1; i <= n && !(b && b->closed); i++) { /* a handler may close b */
		lua_rawgeti(L, -1 - (lua_Integer)0, i);
		if (!lua_isfunction(L, -1)) {
			lua_pop(L, 1);
			continue;
		}
		if (b)
			blua_push_buffer(L, b);
		else
			lua_pushnil(L);
		blua_pcall(L, 1, 0);
	}
	lua_pop(L, 2);
}

static bool hook_call_ref(void *ctx, int ref, const char *arg)
{
	lua_State *L = ctx;
	blua_push_ref(L, ref);
	int nargs = 0;
	if (arg) {
		lua_pushstring(L, arg);
		nargs = 1;
	}
	return blua_pcall(L, nargs, 0);
}

static void hook_unref(void *ctx, int ref)
{
	blua_unref(ctx, ref);
}

static bool hook_command(void *ctx, const char *name, const char *args, bool mode_only, bool *found)
{
	lua_State *L = ctx;
	Editor *ed = blua_editor(L);
	const char *mode = ed->cur ? ed->cur->mode : "";
	int top = lua_gettop(L);
	*found = false;
	if (mode_only && !mode[0])
		return false;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, COMMANDS);
	if (lua_getfield(L, -1, name) != LUA_TTABLE || lua_getfield(L, -1, mode_only ? mode : "") != LUA_TTABLE) {
		lua_settop(L, top);
		return false;
	}
	*found = true;
	lua_getfield(L, -1, "fn");
	lua_pushstring(L, args);
	bool ok = blua_pcall(L, 1, 2);
	if (ok && lua_isboolean(L, -2) && !lua_toboolean(L, -2)) {
		ok = false;
		if (lua_isstring(L, -1))
			msg_error(ed, "%s", lua_tostring(L, -1)); /* ed_command names it */
	}
	lua_settop(L, top);
	return ok;
}

static int hook_command_names(void *ctx, const char *prefix, void (*add)(void *arg, const char *name), void *arg)
{
	lua_State *L = ctx;
	size_t pl = strlen(prefix);
	int n = 0;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, COMMANDS);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pop(L, 1);
		const char *name = lua_tostring(L, -1);
		if (name && strncmp(name, prefix, pl) == 0 && !command_find(name)) {
			add(arg, name);
			n++;
		}
	}
	lua_pop(L, 1);
	return n;
}

static void hook_command_list(void *ctx, void (*add)(void *arg, const char *name, const char *mode, const char *help), void *arg)
{
	lua_State *L = ctx;
	int top = lua_gettop(L);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, COMMANDS);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		const char *name = lua_tostring(L, -2);
		if (name && lua_istable(L, -1)) {
			lua_pushnil(L);
			while (lua_next(L, -2)) {
				const char *mode = lua_tostring(L, -2);
				const char *help = NULL;
				if (lua_istable(L, -1) && lua_getfield(L, -1, "help") == LUA_TSTRING)
					help = lua_tostring(L, -1);
				lua_settop(L, top + 4); /* COMMANDS, name, entry, mode */
				if (mode)
					add(arg, name, mode, help ? help : "");
			}
		}
		lua_pop(L, 1);
	}
	lua_settop(L, top);
}

static const char *hook_ref_help(void *ctx, int ref)
{
	lua_State *L = ctx;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, BINDHELP);
	const char *help = lua_rawgeti(L, -1, ref) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	lua_pop(L, 2); /* the string stays alive in the table */
	return help;
}

static bool hook_eval(void *ctx, const char *code)
{
	lua_State *L = ctx;
	if (luaL_loadbufferx(L, code, strlen(code), "=prompt", "t") != LUA_OK) {
		msg_error(blua_editor(L), "lua: %s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return false;
	}
	return blua_pcall(L, 0, 0);
}

void blua_install_hooks(lua_State *L, Editor *ed)
{
	ed->hooks = (Hooks){
		.ctx = L,
		.event = hook_event,
		.call_ref = hook_call_ref,
		.unref = hook_unref,
		.command = hook_command,
		.command_names = hook_command_names,
		.command_list = hook_command_list,
		.ref_help = hook_ref_help,
		.eval = hook_eval,
	};
}
