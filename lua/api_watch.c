/* brisk.watch_file: follows a growing file (logs) and reports "append",
 * "truncate" and "replace" (a new file under the name: rotation, an editor
 * saving by rename, or the file appearing). inotify on the file and its
 * directory where available, else a stat every 500 ms. Watchers are not
 * pending work: a headless run does not wait for them. Owns the watcher
 * handles; never reads the file itself (the plugin does, from the size it
 * knows). */
#include "lua/host.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define WATCH_MT "brisk.watch"
#define POLL_MS 500

typedef struct Watch {
	lua_State *L;
	Loop *loop;
	char *path;
	int fn_ref, self_ref;
	int ifd;            /* inotify fd, -1: polling */
	int wd_file, wd_dir;
	uint64_t timer;     /* polling timer */
	bool exists;
	dev_t dev;
	ino_t ino;
	off_t size;
} Watch;

static void watch_stop(Watch *w)
{
	if (w->ifd >= 0) {
		loop_fd_unwatch(w->loop, w->ifd);
		close(w->ifd);
		w->ifd = -1;
	}
	if (w->timer)
		loop_timer_cancel(w->loop, w->timer);
	w->timer = 0;
	free(w->path);
	w->path = NULL;
	if (w->fn_ref != LUA_NOREF)
		blua_unref(w->L, w->fn_ref);
	if (w->self_ref != LUA_NOREF)
		blua_unref(w->L, w->self_ref);
	w->fn_ref = w->self_ref = LUA_NOREF;
}

static void add_file_watch(Watch *w)
{
	if (w->ifd < 0)
		return;
	if (w->wd_file >= 0)
		inotify_rm_watch(w->ifd, w->wd_file);
	w->wd_file = inotify_add_watch(w->ifd, w->path,
	                               IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF);
}

static void emit(Watch *w, const char *event)
{
	lua_State *L = w->L;
	blua_push_ref(L, w->self_ref);
	int hold = blua_ref(L); /* the callback may cancel: keep w valid */
	blua_push_ref(L, w->fn_ref);
	lua_pushstring(L, event);
	lua_pushinteger(L, (lua_Integer)w->size);
	blua_pcall(L, 2, 0);
	blua_unref(L, hold);
}

/* Compares the file with what was seen last and reports the difference. */
static void check(Watch *w)
{
	if (w->fn_ref == LUA_NOREF)
		return;
	struct stat st;
	if (stat(w->path, &st) != 0) {
		w->exists = false; /* gone: "replace" when it comes back */
		return;
	}
	const char *event = NULL;
	if (!w->exists || st.st_dev != w->dev || st.st_ino != w->ino) {
		event = "replace";
		w->exists = true;
		w->dev = st.st_dev;
		w->ino = st.st_ino;
		add_file_watch(w);
	} else if (st.st_size < w->size) {
		event = "truncate";
	} else if (st.st_size > w->size) {
		event = "append";
	}
	w->size = st.st_size;
	if (event)
		emit(w, event);
}

static void on_inotify(void *ctx, int fd, int revents)
{
	Watch *w = ctx;
	(void)revents;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	/* Drain (bounded): only the state after the batch matters. */
	for (int i = 0; i < 16 && read(fd, buf, sizeof buf) > 0; i++)
		;
	check(w);
}

static void on_poll(void *ctx)
{
	check(ctx);
}

/***
 * Follows a file: `fn(event, size)` runs with "append" when it grew,
 * "truncate" when it shrank, and "replace" when a different file now has
 * the name (log rotation, save by rename, or the file appearing); `size`
 * is its size now. Nothing is reported while the file is missing. Uses
 * inotify (or polls every 500 ms with `{poll = true}` or where inotify is
 * unavailable). A watcher is not pending work.
 * @function brisk.watch_file
 * @tparam string path
 * @tparam function fn
 * @tparam[opt] table opts `poll` (boolean)
 * @return a handle with `:cancel()` and `:active()`, or nil and a message
 * @usage local pos = 0
 *   local w = brisk.watch_file("/var/log/syslog", function(ev, size)
 *     if ev ~= "append" then pos = 0 end
 *     local f = io.open("/var/log/syslog", "rb"); f:seek("set", pos)
 *     io.write(f:read(size - pos) or ""); f:close(); pos = size
 *   end)
 */
static int api_watch_file(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	bool poll = false;
	if (lua_istable(L, 3)) {
		lua_getfield(L, 3, "poll");
		poll = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	Watch *w = lua_newuserdatauv(L, sizeof *w, 0);
	memset(w, 0, sizeof *w);
	w->ifd = w->wd_file = w->wd_dir = -1;
	w->fn_ref = w->self_ref = LUA_NOREF;
	luaL_setmetatable(L, WATCH_MT);
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	w->L = lua_tothread(L, -1);
	lua_pop(L, 1);
	w->loop = blua_loop(L);
	w->path = strdup(path);
	if (!w->path)
		return luaL_error(L, "watch_file: out of memory");
	struct stat st;
	if (stat(path, &st) == 0) {
		w->exists = true;
		w->dev = st.st_dev;
		w->ino = st.st_ino;
		w->size = st.st_size;
	}
	if (!poll)
		w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ifd >= 0) {
		char *dir = strdup(path);
		if (dir)
			w->wd_dir = inotify_add_watch(w->ifd, dirname(dir),
			                              IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB);
		free(dir);
		if (w->exists)
			add_file_watch(w);
		if (w->wd_dir < 0 && w->wd_file < 0) {
			close(w->ifd); /* e.g. no such directory: poll instead */
			w->ifd = -1;
		}
	}
	if (w->ifd >= 0)
		loop_fd_watch(w->loop, w->ifd, POLLIN, on_inotify, w);
	else
		w->timer = loop_timer_add(w->loop, POLL_MS, true, on_poll, w);
	lua_pushvalue(L, 2);
	w->fn_ref = blua_ref(L);
	lua_pushvalue(L, -1);
	w->self_ref = blua_ref(L);
	return 1;
}

/***
 * Stops watching.
 * @function watcher:cancel
 * @treturn boolean true if it was active
 * @usage w:cancel()
 */
static int api_watch_cancel(lua_State *L)
{
	Watch *w = luaL_checkudata(L, 1, WATCH_MT);
	bool active = w->fn_ref != LUA_NOREF;
	watch_stop(w);
	lua_pushboolean(L, active);
	return 1;
}

/***
 * Whether the watcher is active.
 * @function watcher:active
 * @treturn boolean
 * @usage if w:active() then w:cancel() end
 */
static int api_watch_active(lua_State *L)
{
	Watch *w = luaL_checkudata(L, 1, WATCH_MT);
	lua_pushboolean(L, w->fn_ref != LUA_NOREF);
	return 1;
}

static int watch_gc(lua_State *L)
{
	watch_stop(lua_touserdata(L, 1));
	return 0;
}

void api_watch_open(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"cancel", api_watch_cancel},
		{"active", api_watch_active},
		{NULL, NULL},
	};
	luaL_newmetatable(L, WATCH_MT);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, watch_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);
	lua_pushcfunction(L, api_watch_file);
	lua_setfield(L, -2, "watch_file");
}
