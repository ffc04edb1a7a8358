/* brisk.task and brisk.pause: long work in slices, on purpose. A task is a
 * coroutine the loop resumes, one slice per turn, each slice under the
 * callback budget in wall time; brisk.pause() inside it ends the slice
 * once SLICE_MS have passed, so a plugin never races the budget and the
 * editor keeps answering keys between slices; a slice that does not pause
 * within SLICE_BUDGET_MS is interrupted like a runaway callback. A live task is pending work
 * (a headless run waits for it).
 *
 * The handle is a full userdata; while the task lives, the registry holds
 * it (the Loop's ctx pointer is its block, which Lua never moves), its
 * coroutine and its callbacks. */
#include "lua/host.h"
#include <string.h>

#define TASK_MT "brisk.task"
#define TASK_THREADS "brisk.task.threads" /* weak keys: coroutine -> handle */
#define SLICE_MS 20
#define SLICE_BUDGET_MS 200 /* a callback's: a slice that does not pause is stuck */

typedef enum { T_WAITING, T_RUNNING, T_DONE, T_FAILED, T_CANCELLED } TaskState;

typedef struct Task {
	lua_State *L;      /* the main state */
	lua_State *co;
	int co_ref, self_ref, done_ref;
	TaskState state;
	bool queued;       /* a slice is deferred on the loop */
	uint64_t slice_start;
} Task;

static const char *const state_names[] = {"waiting", "running", "done", "failed", "cancelled"};

static lua_State *main_state(lua_State *L)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	lua_State *M = lua_tothread(L, -1);
	lua_pop(L, 1);
	return M;
}

/* The task ended: on_done(ok, ...) or, for an error nobody takes, a
 * message; then the references go and the handle may be collected. */
static void finish(Task *t, int nres)
{
	lua_State *L = t->L;
	bool ok = t->state == T_DONE;
	if (t->done_ref != LUA_NOREF) {
		blua_push_ref(L, t->done_ref);
		lua_pushboolean(L, ok);
		if (t->state != T_CANCELLED) {
			lua_xmove(t->co, L, nres);
		} else {
			lua_pushliteral(L, "cancelled");
			nres = 1;
		}
		blua_pcall(L, 1 + nres, 0);
	} else if (t->state == T_FAILED) {
		luaL_traceback(L, t->co, lua_tostring(t->co, -1), 0);
		blua_report(L, lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	blua_unref(L, t->co_ref);
	blua_unref(L, t->done_ref);
	blua_unref(L, t->self_ref);
	t->co_ref = t->done_ref = t->self_ref = LUA_NOREF;
	loop_pending_add(blua_loop(L), -1);
}

static void slice(void *ctx);

static void queue(Task *t)
{
	if (!t->queued) {
		t->queued = true;
		loop_defer(blua_loop(t->L), slice, t);
	}
}

/* One slice: resume until the task pauses, ends or fails. */
static void slice(void *ctx)
{
	Task *t = ctx;
	t->queued = false;
	if (t->state == T_CANCELLED) {
		lua_resetthread(t->co); /* closes its to-be-closed variables */
		finish(t, 0);
		return;
	}
	t->state = T_RUNNING;
	t->slice_start = loop_now_ms();
	int nres = 0, nargs = lua_gettop(t->co) - (lua_status(t->co) == LUA_OK ? 1 : 0);
	int rc = blua_resume(t->L, t->co, nargs, &nres, SLICE_BUDGET_MS);
	if (rc == LUA_YIELD) {
		lua_pop(t->co, nres); /* a plain coroutine.yield() also ends a slice */
		if (t->state == T_RUNNING)
			t->state = T_WAITING;
		queue(t);
		return;
	}
	if (t->state != T_CANCELLED)
		t->state = rc == LUA_OK ? T_DONE : T_FAILED;
	finish(t, rc == LUA_OK ? nres : 1);
}

static Task *check_task(lua_State *L) { return luaL_checkudata(L, 1, TASK_MT); }

/***
 * Runs `fn(...)` as a task: a coroutine the loop resumes in slices, each
 * under the callback budget, 200 ms of wall time (a slice that never
 * pauses is interrupted and the task fails). Call `brisk.pause()`
 * often inside it: it ends the slice once 20 ms have passed (and costs
 * nothing otherwise), so the editor answers keys between slices. When the
 * task ends, `on_done(true, results...)` or `on_done(false, error)` runs;
 * without `on_done` an error goes to the messages. A live task is pending
 * work: a headless run waits for it.
 * @function brisk.task
 * @tparam function fn
 * @tparam[opt] table opts `on_done` (function)
 * @param ... arguments for `fn`
 * @treturn task a handle with `:cancel()` and `:status()`
 * @usage brisk.task(function(items)
 *   for i, it in ipairs(items) do store(it); brisk.pause() end
 * end, {on_done = function(ok, err) if not ok then brisk.error(err) end end}, items)
 */
static int api_task_task(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	bool has_opts = lua_istable(L, 2);
	int nargs = lua_gettop(L) - 1 - has_opts;
	Task *t = lua_newuserdatauv(L, sizeof *t, 0);
	*t = (Task){.L = main_state(L), .co_ref = LUA_NOREF, .self_ref = LUA_NOREF, .done_ref = LUA_NOREF};
	luaL_setmetatable(L, TASK_MT);
	int handle = lua_gettop(L);
	t->co = lua_newthread(L);
	lua_pushvalue(L, 1);
	for (int i = 0; i < nargs; i++)
		lua_pushvalue(L, 2 + has_opts + i);
	lua_xmove(L, t->co, 1 + nargs);
	t->co_ref = blua_ref(L);
	if (has_opts && lua_getfield(L, 2, "on_done") != LUA_TNIL) {
		luaL_argcheck(L, lua_isfunction(L, -1), 2, "on_done must be a function");
		t->done_ref = blua_ref(L);
	} else if (has_opts) {
		lua_pop(L, 1);
	}
	lua_getfield(L, LUA_REGISTRYINDEX, TASK_THREADS);
	lua_pushthread(t->co);
	lua_xmove(t->co, L, 1);
	lua_pushvalue(L, handle);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	lua_pushvalue(L, handle);
	t->self_ref = blua_ref(L);
	loop_pending_add(blua_loop(L), 1);
	queue(t);
	return 1;
}

/* The task whose coroutine L is, or NULL. */
static Task *task_of(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, TASK_THREADS);
	lua_pushthread(L);
	lua_rawget(L, -2);
	Task *t = luaL_testudata(L, -1, TASK_MT);
	lua_pop(L, 2);
	return t;
}

/***
 * Inside a task: ends the slice when it has run for 20 ms (the loop
 * resumes the task on its next turn); returns at once otherwise, and
 * outside a task or where a coroutine cannot yield.
 * @function brisk.pause
 */
static int api_task_pause(lua_State *L)
{
	Task *t = task_of(L);
	if (!t || !lua_isyieldable(L) || loop_now_ms() - t->slice_start < SLICE_MS)
		return 0;
	return lua_yield(L, 0);
}

/* task:cancel(): it stops at its next pause (now, when not running). */
static int api_task_cancel(lua_State *L)
{
	Task *t = check_task(L);
	if (t->state == T_WAITING || t->state == T_RUNNING)
		t->state = T_CANCELLED;
	return 0;
}

/* task:status() -> "waiting", "running", "done", "failed" or "cancelled" */
static int api_task_status(lua_State *L)
{
	lua_pushstring(L, state_names[check_task(L)->state]);
	return 1;
}

void api_task_open(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"cancel", api_task_cancel},
		{"status", api_task_status},
		{NULL, NULL},
	};
	luaL_newmetatable(L, TASK_MT);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
	blua_weak_keys(L, TASK_THREADS);
	lua_pushcfunction(L, api_task_task);
	lua_setfield(L, -2, "task");
	lua_pushcfunction(L, api_task_pause);
	lua_setfield(L, -2, "pause");
}
