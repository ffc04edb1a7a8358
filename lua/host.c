/* The Lua host: one lua_State with a memory cap (our allocator), a time
 * budget for every call into Lua that nothing inside Lua can get around,
 * and the single protected entry point blua_pcall(). The standard library
 * the plugins see is lua/sandbox.c's. Also config and plugin loading. */
#include "lua/host.h"
#include "lua/sandbox.h"
#include "buffer/fdio.h"
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
#define EXIT_BUDGET_MS 300     /* every finalizer at exit, together */
#define HOOK_EVERY 1000 /* instructions between clock checks */
#define BUSY_MS 1000    /* a call this long is shown as busy (UI) */
#define POLL_MS 50      /* how often a busy call looks for Ctrl-C */
/* Time spent in bounded C work (filters, XML, SQLite) is given back to a
 * call's budget, but only this much in all: a Lua loop of such calls
 * must still end, also headless where no Ctrl-C can stop it. */
#define CREDIT_MAX_MS 5000
/* The budget is wall time, but a process the machine does not run (a
 * loaded box, a stopped terminal) is not the plugin's fault: past its
 * deadline a call is over once it has also used its budget in CPU time,
 * or this many times its budget in wall time, whichever comes first. */
#define STARVED_MAX 10

/* One per call into Lua, on the C stack, linked to the call it is nested
 * in. Once a call is over (past its deadline, or interrupted), every hook
 * raises again until that call returns to C: a pcall inside Lua cannot
 * swallow the interruption. */
typedef struct Budget {
	uint64_t start;
	uint64_t cpu_start; /* this thread's CPU time at start (ms) */
	uint64_t deadline; /* 0: none (a script the user ran) */
	uint64_t next_poll;
	int ms;            /* the budget, for the message */
	bool over;
	bool interrupted;  /* by the user: Ctrl-C while shown busy */
	bool busy_shown;
	uint64_t credited; /* ms given back so far, at most CREDIT_MAX_MS */
	const char *why;   /* the first raise's message, raised again */
	struct Budget *outer;
} Budget;

struct Blua {
	lua_State *L;
	Editor *ed;
	size_t mem, mem_cap;
	Budget *run;       /* the innermost running call, NULL: none */
	bool closing;      /* lua_close: finalizers get what is left */
	char late[256];    /* an error from a finalizer, reported later */
};

/* Every thread of the state carries B in its extra space (Lua copies the
 * main thread's into each new coroutine). */
static Blua *host_of(lua_State *L) { return *(Blua **)lua_getextraspace(L); }

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
	/* Larger than the cap in one piece: fails at once, before any work. */
	if (nsize > osize && (nsize - osize > B->mem_cap || B->mem + (nsize - osize) > B->mem_cap))
		return NULL; /* Lua raises "not enough memory" */
	void *np = realloc(ptr, nsize);
	if (np)
		B->mem = B->mem - osize + nsize;
	return np;
}

/* ===== the time budget =================================================== */

/* "@.../plugins/news/fetch.lua" or an error message that names it ->
 * "plugin news"; init.lua -> "init.lua"; anything else "lua". */
static void source_name(const char *src, char *out, size_t size)
{
	const char *p = strstr(src, "plugins/");
	if (p) {
		p += 8;
		size_t n = strcspn(p, "/:.");
		snprintf(out, size, "plugin %.*s", (int)n, p);
		return;
	}
	snprintf(out, size, "%s", strstr(src, "init.lua") ? "init.lua" : "lua");
}

/* Who is running: the innermost Lua function on the stack. */
static void running_name(lua_State *L, char *out, size_t size)
{
	lua_Debug ar;
	for (int level = 0; lua_getstack(L, level, &ar); level++)
		if (lua_getinfo(L, "S", &ar) && ar.source[0] == '@') {
			source_name(ar.source, out, size);
			return;
		}
	snprintf(out, size, "lua");
}

/* A call past a second shows in the status bar, and Ctrl-C there stops
 * it (only with the UI; the poll is rate-limited). */
static bool user_interrupts(Blua *B, Budget *bg, lua_State *L, uint64_t now)
{
	Editor *ed = B->ed;
	if (!ed->ui.busy || now - bg->start < BUSY_MS || now < bg->next_poll)
		return false;
	bg->next_poll = now + POLL_MS;
	char who[64] = "";
	if (!bg->busy_shown)
		running_name(L, who, sizeof who);
	bool stop = ed->ui.busy(ed, bg->busy_shown ? NULL : who);
	bg->busy_shown = true;
	return stop;
}

static uint64_t thread_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Past the wall deadline: was the call starved of CPU rather than slow?
 * Then the deadline moves by the CPU time it still has (credited C work
 * is taken as CPU time spent for the call, so this never adds to it). */
static bool starved(Budget *bg, uint64_t now)
{
	uint64_t ms = (uint64_t)bg->ms;
	if (now - bg->start >= bg->credited + STARVED_MAX * ms)
		return false;
	uint64_t cpu = thread_cpu_ms() - bg->cpu_start;
	uint64_t used = cpu > bg->credited ? cpu - bg->credited : 0;
	if (used >= ms)
		return false;
	bg->deadline = now + (ms - used);
	return true;
}

/* Is the running call over? Once it is, it stays so. */
static bool budget_over(Blua *B, lua_State *L)
{
	Budget *bg = B->run;
	if (!bg)
		return false;
	if (bg->over)
		return true;
	uint64_t now = loop_now_ms();
	if (bg->deadline && now > bg->deadline && (B->closing || !starved(bg, now)))
		bg->over = true;
	else if (user_interrupts(B, bg, L, now))
		bg->over = bg->interrupted = true;
	return bg->over;
}

static int raise_over(lua_State *L, Blua *B)
{
	Budget *bg = B->run;
	if (bg->interrupted)
		return luaL_error(L, "interrupted (Ctrl-C)");
	if (bg->why)
		return luaL_error(L, "%s", bg->why);
	return luaL_error(L, "interrupted: ran past its time budget (%d ms for %s)", bg->ms,
	                  bg->ms == CONFIG_BUDGET_MS ? "loading" : "a callback");
}

/* The count hook: every HOOK_EVERY instructions, or every instruction
 * once the call is over, so the raise escapes each pcall in turn. */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	Blua *B = host_of(L);
	if (budget_over(B, L)) {
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
		raise_over(L, B);
	}
	if (lua_gethookcount(L) != HOOK_EVERY)
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

static void budget_enter(Blua *B, Budget *bg, int ms)
{
	uint64_t now = loop_now_ms();
	*bg = (Budget){.start = now, .deadline = ms ? now + (uint64_t)ms : 0, .ms = ms, .outer = B->run};
	if (ms)
		bg->cpu_start = thread_cpu_ms();
	/* Inside finalizers at exit, nothing outlives what is left. */
	if (B->closing && bg->outer && bg->outer->deadline && (!bg->deadline || bg->outer->deadline < bg->deadline))
		bg->deadline = bg->outer->deadline;
	B->run = bg;
}

static void budget_leave(Blua *B, Budget *bg, lua_State *L)
{
	B->run = bg->outer;
	if (bg->busy_shown && B->ed->ui.busy && !(B->run && B->run->busy_shown))
		B->ed->ui.busy(B->ed, ""); /* no longer busy */
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, B->run && B->run->over ? 1 : HOOK_EVERY);
}

bool blua_budget_ok(lua_State *L)
{
	return !budget_over(host_of(L), L);
}

int blua_budget_error(lua_State *L, const char *what)
{
	Blua *B = host_of(L);
	if (!B->run)
		return luaL_error(L, "%s", what ? what : "interrupted");
	if (!B->run->why)
		B->run->why = what;
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
	return raise_over(L, B);
}

void blua_budget_credit_since(lua_State *L, uint64_t t0, uint64_t min_ms)
{
	uint64_t ms = loop_now_ms() - t0;
	if (ms == 0 || ms <= min_ms)
		return;
	for (Budget *bg = host_of(L)->run; bg; bg = bg->outer) {
		uint64_t give = ms < CREDIT_MAX_MS - bg->credited ? ms : CREDIT_MAX_MS - bg->credited;
		if (bg->deadline) {
			bg->deadline += give;
			bg->credited += give;
		}
	}
	/* A cheap Lua loop around long C calls reaches the count hook only
	 * every few seconds: once over, raise at the next instruction. */
	if (budget_over(host_of(L), L))
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
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

static void report(Blua *B, const char *err)
{
	char who[64];
	source_name(err, who, sizeof who);
	size_t first = strcspn(err, "\n");
	Editor *ed = B->ed;
	msg_error(ed, "%s: %.*s", who, (int)first, err);
	/* The full traceback goes to *messages* only. */
	if (err[first])
		msg_append(ed, err + first + 1, strlen(err + first + 1));
}

/* Errors of finalizers wait for a safe point (a finalizer may run in the
 * middle of any allocation, where messages must not be touched). */
static void report_late(Blua *B)
{
	if (B->late[0] && !B->run) {
		char msg[sizeof B->late];
		memcpy(msg, B->late, sizeof msg);
		B->late[0] = '\0';
		report(B, msg);
	}
}

/* budget_ms 0: no budget (scripts the user runs); nested calls get their
 * own budget. hold: the C caller may hold Buffer/Pane pointers across the
 * call, so closes inside it are deferred (editor.h, ed->hold). */
static bool pcall_budget(lua_State *L, int nargs, int nresults, int budget_ms, bool hold)
{
	Blua *B = host_of(L);
	Budget bg;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, traceback);
	lua_insert(L, base);
	budget_enter(B, &bg, budget_ms);
	B->ed->hold += hold;
	int rc = lua_pcall(L, nargs, nresults, base);
	B->ed->hold -= hold;
	budget_leave(B, &bg, L);
	lua_remove(L, base);
	if (rc != LUA_OK) {
		report(B, lua_tostring(L, -1) ? lua_tostring(L, -1) : "error object is not a string");
		lua_pop(L, 1);
	}
	report_late(B);
	return rc == LUA_OK;
}

bool blua_pcall(lua_State *L, int nargs, int nresults)
{
	return pcall_budget(L, nargs, nresults, CALLBACK_BUDGET_MS, true);
}

int blua_resume(lua_State *L, lua_State *co, int nargs, int *nres, int budget_ms)
{
	Blua *B = host_of(L);
	Budget bg;
	budget_enter(B, &bg, budget_ms);
	lua_sethook(co, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
	B->ed->hold++;
	int rc = lua_resume(co, L, nargs, nres);
	B->ed->hold--;
	budget_leave(B, &bg, L);
	return rc;
}

void blua_make_parents(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return;
	char *dir = strndup(path, (size_t)(slash - path));
	if (dir)
		fd_mkdir_p(dir, 0700);
	free(dir);
}

int blua_fail_errno(lua_State *L, const char *what)
{
	int err = errno;
	lua_pushnil(L);
	lua_pushfstring(L, "%s: %s", what, strerror(err));
	return 2;
}

void blua_report(lua_State *L, const char *err)
{
	report(host_of(L), err);
}

void blua_report_late(lua_State *L, const char *err)
{
	Blua *B = host_of(L);
	if (!B->late[0])
		snprintf(B->late, sizeof B->late, "%s", err);
}

bool blua_exit_spent(lua_State *L)
{
	Blua *B = host_of(L);
	return B->closing && B->run && loop_now_ms() >= B->run->deadline;
}

void blua_weak_keys(lua_State *L, const char *key)
{
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, key);
}

int blua_ref(lua_State *L) { return luaL_ref(L, LUA_REGISTRYINDEX); }
void blua_unref(lua_State *L, int ref) { luaL_unref(L, LUA_REGISTRYINDEX, ref); }
void blua_push_ref(lua_State *L, int ref) { lua_rawgeti(L, LUA_REGISTRYINDEX, ref); }

/* ===== directories ======================================================= */

/* $VAR/brisk (default ~/FALLBACK/brisk); under --clean, a fresh private
 * directory instead, so nothing the user configured or saved is read and
 * nothing is written where a normal session would find it. */
static void dir_from_env(const Editor *ed, char *out, size_t size, const char *var, const char *fallback)
{
	const char *v = getenv(var), *home = getenv("HOME");
	if (ed->clean_dir)
		snprintf(out, size, "%s/%s", ed->clean_dir, fallback + (fallback[0] == '.'));
	else if (v && *v)
		snprintf(out, size, "%s/brisk", v);
	else
		snprintf(out, size, "%s/%s/brisk", home ? home : ".", fallback);
}

static void set_paths(Blua *B)
{
	lua_State *L = B->L;
	Editor *ed = B->ed;
	char cfg[1024], data[1024], state[1024], path[8192];
	dir_from_env(ed, cfg, sizeof cfg, "XDG_CONFIG_HOME", ".config");
	dir_from_env(ed, data, sizeof data, "XDG_DATA_HOME", ".local/share");
	dir_from_env(ed, state, sizeof state, "XDG_STATE_HOME", ".local/state");
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
	api_task_open,     /* brisk.task, brisk.pause */
	api_ansi_open,     /* brisk.ansi; after api_buffer_open: adds b:hide_escapes */
	api_tally_open,    /* after api_buffer_open: adds b:tally */
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
	*(Blua **)lua_getextraspace(L) = B;
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
	blua_sandbox_open(L);
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
	/* Finalizers run now, all of them within EXIT_BUDGET_MS: exit never
	 * waits on a plugin (sandbox.c runs each under the budget). */
	Budget bg;
	budget_enter(B, &bg, EXIT_BUDGET_MS);
	B->closing = true;
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
	return pcall_budget(L, 0, 0, 0, false);
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
	return pcall_budget(L, argc, 0, 0, false);
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
		pcall_budget(L, 1, 0, CONFIG_BUDGET_MS, false);
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
			pcall_budget(L, 0, 0, 0, false);
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
			pcall_budget(L, 0, 0, CONFIG_BUDGET_MS, false);
		}
	}
	lua_settop(L, 0);
	load_plugins_in(B, B->ed->plugin_dir);
	snprintf(path, sizeof path, "%s/plugins", cfg);
	load_plugins_in(B, path);
}
