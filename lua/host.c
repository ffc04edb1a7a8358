/* The Lua host: one lua_State with a memory cap (our allocator), an
 * instruction budget for callbacks (a count hook that raises an error once
 * a deadline passes), a standard library without blocking calls, and the
 * single protected entry point blua_pcall(). Also the editor hooks that
 * route events, key bindings and commands into Lua. */
#include "lua/host.h"
#include <dirent.h>
#include <errno.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MEM_CAP_DEFAULT ((size_t)1 << 30) /* 1 GiB for all of Lua */
#define CALLBACK_BUDGET_MS 200
#define CONFIG_BUDGET_MS 2000  /* init.lua and each plugin's loading */
#define HOOK_EVERY 1000 /* instructions between clock checks */

struct Blua {
	lua_State *L;
	Editor *ed;
	size_t mem, mem_cap;
	uint64_t deadline; /* 0: no budget (a script the user ran) */
	uint64_t credit;   /* ms granted by blua_budget_credit, ever */
	int budget_ms;     /* the running call's budget, for the message */
	int depth;
};

static const char *const REG_KEY = "brisk.host";

/* ===== memory cap ======================================================== */

static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	Blua *B = ud;
	if (!ptr)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		B->mem -= osize;
		return NULL;
	}
	if (nsize > osize && (nsize - osize > B->mem_cap || B->mem + (nsize - osize) > B->mem_cap))
		return NULL; /* Lua raises "not enough memory" */
	void *np = realloc(ptr, nsize);
	if (np)
		B->mem = B->mem - osize + nsize;
	return np;
}

/* ===== instruction budget ================================================ */

static Blua *host_of(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, REG_KEY);
	Blua *B = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return B;
}

static void budget_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	Blua *B = host_of(L);
	if (B->deadline && loop_now_ms() > B->deadline)
		luaL_error(L, "interrupted: ran past its time budget (%d ms for %s)", B->budget_ms,
		           B->budget_ms == CONFIG_BUDGET_MS ? "loading" : "a callback");
}

Editor *blua_editor(lua_State *L) { return host_of(L)->ed; }
Loop *blua_loop(lua_State *L) { return host_of(L)->ed->loop; }
lua_State *blua_state(Blua *B) { return B->L; }

/* ===== protected calls =================================================== */

static int traceback(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (!msg)
		msg = luaL_typename(L, 1);
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* "plugins/news/fetch.lua:12: ..." -> "news"; init.lua -> "init.lua". */
static void source_name(const char *msg, char *out, size_t size)
{
	const char *p = strstr(msg, "plugins/");
	if (p) {
		p += 8;
		size_t n = strcspn(p, "/:.");
		snprintf(out, size, "plugin %.*s", (int)n, p);
		return;
	}
	if (strstr(msg, "init.lua")) {
		snprintf(out, size, "init.lua");
		return;
	}
	snprintf(out, size, "lua");
}

static void report(Blua *B, const char *err)
{
	char who[64];
	source_name(err, who, sizeof who);
	size_t first = strcspn(err, "\n");
	Editor *ed = B->ed;
	msg_error(ed, "%s: %.*s", who, (int)first, err);
	/* The full traceback goes to *messages* only. */
	if (ed->messages && err[first]) {
		Text *t = ed->messages->text;
		text_insert(t, text_len(t), err + first + 1, strlen(err + first + 1));
		text_insert(t, text_len(t), "\n", 1);
	}
}

/* budget_ms 0: no budget (scripts the user runs); nested calls get their
 * own budget and restore the caller's. */
static bool pcall_budget(lua_State *L, int nargs, int nresults, int budget_ms)
{
	Blua *B = host_of(L);
	uint64_t saved = B->deadline, credit0 = B->credit;
	int saved_ms = B->budget_ms;
	B->deadline = budget_ms ? loop_now_ms() + (uint64_t)budget_ms : 0;
	B->budget_ms = budget_ms;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, traceback);
	lua_insert(L, base);
	B->depth++;
	int rc = lua_pcall(L, nargs, nresults, base);
	B->depth--;
	/* Time credited inside the nested call counts for the caller too. */
	B->deadline = saved ? saved + (B->credit - credit0) : 0;
	B->budget_ms = saved_ms;
	lua_remove(L, base);
	if (rc != LUA_OK) {
		report(B, lua_tostring(L, -1) ? lua_tostring(L, -1) : "error object is not a string");
		lua_pop(L, 1);
		return false;
	}
	return true;
}

void blua_budget_credit(lua_State *L, uint64_t ms)
{
	Blua *B = host_of(L);
	B->credit += ms;
	if (B->deadline)
		B->deadline += ms;
}

bool blua_pcall(lua_State *L, int nargs, int nresults)
{
	return pcall_budget(L, nargs, nresults, CALLBACK_BUDGET_MS);
}

int blua_ref(lua_State *L) { return luaL_ref(L, LUA_REGISTRYINDEX); }
void blua_unref(lua_State *L, int ref) { luaL_unref(L, LUA_REGISTRYINDEX, ref); }
void blua_push_ref(lua_State *L, int ref) { lua_rawgeti(L, LUA_REGISTRYINDEX, ref); }

/* ===== a standard library without blocking calls ========================= */

static int safe_print(lua_State *L)
{
	Editor *ed = blua_editor(L);
	int n = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
		if (i < n)
			luaL_addchar(&b, '\t');
	}
	luaL_pushresult(&b);
	size_t len;
	const char *s = lua_tolstring(L, -1, &len);
	if (ed->headless) {
		fwrite(s, 1, len, stdout);
		fputc('\n', stdout);
	} else {
		msg_info(ed, "%s", s);
	}
	return 0;
}

static int safe_exit(lua_State *L)
{
	Editor *ed = blua_editor(L);
	if (!ed->headless)
		return luaL_error(L, "os.exit is not available in the editor; use brisk.quit()");
	int code = lua_isboolean(L, 1) ? (lua_toboolean(L, 1) ? 0 : 1) : (int)luaL_optinteger(L, 1, 0);
	fflush(stdout);
	fflush(stderr);
	_exit(code);
}

static int no_blocking(lua_State *L)
{
	return luaL_error(L, "%s is not available to plugins (use brisk.spawn / brisk.http)",
	                  lua_tostring(L, lua_upvalueindex(1)));
}

static void forbid(lua_State *L, const char *lib, const char *fn)
{
	lua_getglobal(L, lib);
	if (lua_istable(L, -1)) {
		char name[64];
		snprintf(name, sizeof name, "%s.%s", lib, fn);
		lua_pushstring(L, name);
		lua_pushcclosure(L, no_blocking, 1);
		lua_setfield(L, -2, fn);
	}
	lua_pop(L, 1);
}

/* load/loadfile/dofile accept text only: bytecode can crash the VM. */
static int safe_load(lua_State *L)
{
	/* Pass env only when given: an explicit nil would become _ENV. */
	int n = lua_gettop(L) >= 4 ? 4 : 3;
	lua_settop(L, n);
	lua_pushstring(L, "t");
	lua_replace(L, 3);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, n, LUA_MULTRET);
	return lua_gettop(L);
}

static int safe_loadfile(lua_State *L)
{
	const char *path = luaL_optstring(L, 1, NULL);
	if (!path)
		return luaL_error(L, "loadfile: reading stdin is not available");
	int n = lua_gettop(L) >= 3 ? 3 : 2;
	lua_settop(L, n);
	lua_pushstring(L, "t");
	lua_replace(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, n, LUA_MULTRET);
	return lua_gettop(L);
}

static void open_safe_libs(Blua *B)
{
	lua_State *L = B->L;
	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base}, {LUA_LOADLIBNAME, luaopen_package},
		{LUA_COLIBNAME, luaopen_coroutine}, {LUA_TABLIBNAME, luaopen_table},
		{LUA_IOLIBNAME, luaopen_io}, {LUA_OSLIBNAME, luaopen_os},
		{LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
		{LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_DBLIBNAME, luaopen_debug},
	};
	for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
		luaL_requiref(L, libs[i].name, libs[i].func, 1);
		lua_pop(L, 1);
	}
	lua_register(L, "print", safe_print);
	forbid(L, "os", "execute");
	forbid(L, "io", "popen");
	forbid(L, "io", "read");
	forbid(L, "io", "input");
	forbid(L, "package", "loadlib");
	lua_getglobal(L, "os");
	lua_pushcfunction(L, safe_exit);
	lua_setfield(L, -2, "exit");
	lua_pop(L, 1);
	lua_getglobal(L, "io");
	lua_pushnil(L);
	lua_setfield(L, -2, "stdin");
	lua_pop(L, 1);
	/* debug: only traceback; sethook would remove the budget. */
	lua_getglobal(L, "debug");
	lua_getfield(L, -1, "traceback");
	lua_newtable(L);
	lua_insert(L, -2);
	lua_setfield(L, -2, "traceback");
	lua_setglobal(L, "debug");
	lua_pop(L, 1);
	lua_getglobal(L, "load");
	lua_pushcclosure(L, safe_load, 1);
	lua_setglobal(L, "load");
	lua_getglobal(L, "loadfile");
	lua_pushcclosure(L, safe_loadfile, 1);
	lua_setglobal(L, "loadfile");
	lua_pushnil(L);
	lua_setglobal(L, "dofile");
	lua_getglobal(L, "package");
	lua_pushstring(L, "");
	lua_setfield(L, -2, "cpath");
	lua_pop(L, 1);
}

/* ===== directories ======================================================= */

static void dir_from_env(char *out, size_t size, const char *var, const char *fallback)
{
	const char *v = getenv(var), *home = getenv("HOME");
	if (v && *v)
		snprintf(out, size, "%s/brisk", v);
	else
		snprintf(out, size, "%s/%s/brisk", home ? home : ".", fallback);
}

static void set_paths(Blua *B)
{
	lua_State *L = B->L;
	Editor *ed = B->ed;
	char cfg[1024], data[1024], state[1024], path[8192];
	dir_from_env(cfg, sizeof cfg, "XDG_CONFIG_HOME", ".config");
	dir_from_env(data, sizeof data, "XDG_DATA_HOME", ".local/share");
	dir_from_env(state, sizeof state, "XDG_STATE_HOME", ".local/state");
	snprintf(path, sizeof path, "%s/?.lua;%s/?/init.lua;%s/plugins/?.lua;%s/plugins/?/init.lua;%s/?.lua;%s/?/init.lua",
	         ed->runtime_dir, ed->runtime_dir, cfg, cfg, ed->plugin_dir, ed->plugin_dir);
	lua_getglobal(L, "package");
	lua_pushstring(L, path);
	lua_setfield(L, -2, "path");
	lua_pop(L, 1);
	lua_getglobal(L, "brisk");
	lua_pushstring(L, cfg);
	lua_setfield(L, -2, "config_dir");
	lua_pushstring(L, data);
	lua_setfield(L, -2, "data_dir");
	lua_pushstring(L, state);
	lua_setfield(L, -2, "state_dir");
	lua_pushstring(L, ed->runtime_dir);
	lua_setfield(L, -2, "runtime_dir");
	lua_pushstring(L, ed->plugin_dir);
	lua_setfield(L, -2, "plugin_dir");
	lua_pop(L, 1);
}

/* ===== the module table ================================================== */

static void (*const modules[])(lua_State *) = {
	api_editor_open,
	api_buffer_open,
	api_multi_open,
	api_json_open,
	api_time_open,
	api_timer_open,
	api_http_open,
	api_serve_open,    /* after api_http_open: adds brisk.http.serve */
	api_crypto_open,
	api_proc_open,
	api_xml_open,
	api_db_open,
	api_watch_open,
	api_filter_open,
	api_hex_open,      /* after api_buffer_open: adds b:hex_layout */
	api_pane_open,     /* brisk.pane, sidebar, status segments, menu, prompt */
	api_decor_open,    /* after api_buffer_open: adds b:decorate */
	api_regex_open,    /* brisk.regex */
};

Blua *blua_new(Editor *ed)
{
	Blua *B = calloc(1, sizeof *B);
	if (!B)
		return NULL;
	B->ed = ed;
	B->mem_cap = MEM_CAP_DEFAULT;
	B->L = lua_newstate(alloc, B);
	if (!B->L) {
		free(B);
		return NULL;
	}
	lua_State *L = B->L;
	lua_pushlightuserdata(L, B);
	lua_setfield(L, LUA_REGISTRYINDEX, REG_KEY);
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
	open_safe_libs(B);
	lua_newtable(L);
	lua_setglobal(L, "brisk");
	lua_getglobal(L, "brisk");
	for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++)
		modules[i](L);
	lua_pop(L, 1);
	set_paths(B);
	blua_install_hooks(L, ed);
	/* brisk is also require("brisk"). */
	lua_getglobal(L, "package");
	lua_getfield(L, -1, "loaded");
	lua_getglobal(L, "brisk");
	lua_setfield(L, -2, "brisk");
	lua_pop(L, 2);
	return B;
}

void blua_free(Blua *B)
{
	if (!B)
		return;
	B->ed->hooks = (Hooks){0};
	lua_close(B->L);
	free(B);
}

bool blua_run_string(Blua *B, const char *code, const char *chunkname)
{
	lua_State *L = B->L;
	if (luaL_loadbufferx(L, code, strlen(code), chunkname, "t") != LUA_OK) {
		report(B, lua_tostring(L, -1));
		lua_pop(L, 1);
		return false;
	}
	return pcall_budget(L, 0, 0, 0);
}

bool blua_run_file(Blua *B, const char *path, int argc, char **argv)
{
	lua_State *L = B->L;
	/* The arg table as lua(1) builds it. */
	lua_createtable(L, argc, 1);
	lua_pushstring(L, path);
	lua_rawseti(L, -2, 0);
	for (int i = 0; i < argc; i++) {
		lua_pushstring(L, argv[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setglobal(L, "arg");
	if (luaL_loadfilex(L, path, "t") != LUA_OK) {
		report(B, lua_tostring(L, -1));
		lua_pop(L, 1);
		return false;
	}
	for (int i = 0; i < argc; i++)
		lua_pushstring(L, argv[i]);
	return pcall_budget(L, argc, 0, 0);
}

static bool file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static bool plugin_disabled(lua_State *L, const char *name)
{
	lua_getglobal(L, "brisk");
	lua_getfield(L, -1, "disabled_plugins");
	int top = lua_gettop(L) - 2;
	bool off = lua_istable(L, -1) && (lua_getfield(L, -1, name), lua_toboolean(L, -1));
	lua_settop(L, top);
	return off;
}

static bool plugin_loaded(lua_State *L, const char *name)
{
	lua_getglobal(L, "package");
	lua_getfield(L, -1, "loaded");
	lua_getfield(L, -1, name);
	bool loaded = !lua_isnil(L, -1);
	lua_pop(L, 3);
	return loaded;
}

/* require()s every plugin in dir not loaded or disabled yet, each with its
 * own budget, so one broken plugin never stops the others. */
static void load_plugins_in(Blua *B, const char *dir)
{
	lua_State *L = B->L;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	char path[4096];
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s/init.lua", dir, de->d_name);
		if (!file_exists(path) || plugin_loaded(L, de->d_name) || plugin_disabled(L, de->d_name))
			continue;
		lua_getglobal(L, "require");
		lua_pushstring(L, de->d_name);
		pcall_budget(L, 1, 0, CONFIG_BUDGET_MS);
	}
	closedir(d);
}

void blua_load_config(Blua *B)
{
	lua_State *L = B->L;
	char path[2048];
	/* The runtime prelude first, then the user's init.lua, then plugins. */
	snprintf(path, sizeof path, "%s/prelude.lua", B->ed->runtime_dir);
	if (file_exists(path)) {
		if (luaL_loadfilex(L, path, "t") == LUA_OK)
			pcall_budget(L, 0, 0, 0);
		else
			report(B, lua_tostring(L, -1)), lua_pop(L, 1);
	}
	lua_getglobal(L, "brisk");
	lua_getfield(L, -1, "config_dir");
	char cfg[1024];
	snprintf(cfg, sizeof cfg, "%s", lua_tostring(L, -1));
	lua_pop(L, 2);
	snprintf(path, sizeof path, "%s/init.lua", cfg);
	if (file_exists(path)) {
		if (luaL_loadfilex(L, path, "t") != LUA_OK) {
			report(B, lua_tostring(L, -1));
			lua_pop(L, 1);
		} else {
			pcall_budget(L, 0, 0, CONFIG_BUDGET_MS);
		}
	}
	lua_settop(L, 0);
	load_plugins_in(B, B->ed->plugin_dir);
	snprintf(path, sizeof path, "%s/plugins", cfg);
	load_plugins_in(B, path);
}
