/* brisk.timer and brisk.defer: Lua callbacks on the editor's Loop. Owns the
 * timer handles; the Loop owns the schedule (one-shot timers and deferred
 * calls count as pending work there, repeating timers do not).
 *
 * A handle is a full userdata holding the Loop timer id and a reference to
 * the callback. While a timer is armed the handle itself is referenced from
 * the registry, so the Loop's ctx pointer (the userdata's block, which Lua
 * never moves) stays valid even if the plugin drops the handle. */
#include "lua/host.h"
#include <stdlib.h>

#define TIMER_MT "brisk.timer"

typedef struct Timer {
	lua_State *L;   /* the main state (callbacks never run in a coroutine) */
	Loop *loop;
	uint64_t id;    /* 0: not armed (fired or cancelled) */
	int fn_ref;     /* the callback */
	int self_ref;   /* keeps the handle alive while armed */
	bool repeat;
	bool running;   /* inside its callback */
} Timer;

static lua_State *main_state(lua_State *L)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	lua_State *M = lua_tothread(L, -1);
	lua_pop(L, 1);
	return M;
}

/* Drops the references; the handle becomes collectable. */
static void timer_disarm(Timer *t)
{
	if (t->id)
		loop_timer_cancel(t->loop, t->id);
	t->id = 0;
	if (t->fn_ref != LUA_NOREF)
		blua_unref(t->L, t->fn_ref);
	if (t->self_ref != LUA_NOREF)
		blua_unref(t->L, t->self_ref);
	t->fn_ref = t->self_ref = LUA_NOREF;
}

static void on_timer(void *ctx)
{
	Timer *t = ctx;
	lua_State *L = t->L;
	if (!t->repeat)
		t->id = 0; /* the Loop has already dropped a one-shot timer */
	if (t->fn_ref == LUA_NOREF)
		return;
	/* Hold the handle across the call: the callback may cancel it. */
	blua_push_ref(L, t->self_ref);
	int hold = blua_ref(L);
	blua_push_ref(L, t->fn_ref);
	blua_push_ref(L, hold);
	t->running = true;
	blua_pcall(L, 1, 0);
	t->running = false;
	if (!t->repeat)
		timer_disarm(t);
	blua_unref(L, hold);
}

/***
 * Calls `fn(handle)` after `ms` milliseconds, once, or every `ms` with
 * `{["repeat"] = true}` (`repeat` is a Lua keyword, hence the brackets).
 * A one-shot timer counts as pending work: a headless run waits for it.
 * Errors in `fn` go to the messages; a repeating timer keeps running.
 * @function brisk.timer
 * @tparam integer ms delay (and period), >= 0
 * @tparam function fn callback, receives the handle
 * @tparam[opt] table opts `repeat` (boolean)
 * @treturn timer a handle with `:cancel()` and `:active()`
 * @usage local t = brisk.timer(500, function() print("tick") end, {["repeat"] = true})
 *   brisk.timer(2000, function() t:cancel() end)
 */
static int api_timer_timer(lua_State *L)
{
	lua_Integer ms = luaL_checkinteger(L, 1);
	luaL_argcheck(L, ms >= 0, 1, "negative delay");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	bool repeat = false;
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		lua_getfield(L, 3, "repeat");
		repeat = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	Timer *t = lua_newuserdatauv(L, sizeof *t, 0);
	*t = (Timer){main_state(L), blua_loop(L), 0, LUA_NOREF, LUA_NOREF, repeat, false};
	luaL_setmetatable(L, TIMER_MT);
	lua_pushvalue(L, 2);
	t->fn_ref = blua_ref(L);
	lua_pushvalue(L, -1);
	t->self_ref = blua_ref(L);
	t->id = loop_timer_add(t->loop, (uint64_t)ms, repeat, on_timer, t);
	if (!t->id) {
		timer_disarm(t);
		return luaL_error(L, "timer: out of memory");
	}
	return 1;
}

/***
 * Stops a timer; its callback will not run again. Cancelling a timer that
 * fired or was cancelled already does nothing.
 * @function timer:cancel
 * @treturn boolean true if the timer was still armed
 * @usage local t = brisk.timer(1000, function() end); t:cancel()
 */
static int api_timer_cancel(lua_State *L)
{
	Timer *t = luaL_checkudata(L, 1, TIMER_MT);
	bool armed = t->fn_ref != LUA_NOREF;
	timer_disarm(t);
	lua_pushboolean(L, armed);
	return 1;
}

/***
 * Whether the timer will still fire.
 * @function timer:active
 * @treturn boolean
 * @usage if not t:active() then t = brisk.timer(100, f) end
 */
static int api_timer_active(lua_State *L)
{
	Timer *t = luaL_checkudata(L, 1, TIMER_MT);
	lua_pushboolean(L, t->fn_ref != LUA_NOREF);
	return 1;
}

/* Only reached once disarmed (an armed handle is referenced), or when the
 * state closes: then the Loop must forget the ctx pointer. */
static int timer_gc(lua_State *L)
{
	Timer *t = lua_touserdata(L, 1);
	if (t->id)
		loop_timer_cancel(t->loop, t->id);
	t->id = 0;
	return 0;
}

typedef struct Deferred {
	lua_State *L;
	int fn_ref;
} Deferred;

static void on_defer(void *ctx)
{
	Deferred *d = ctx;
	lua_State *L = d->L;
	blua_push_ref(L, d->fn_ref);
	blua_unref(L, d->fn_ref);
	free(d);
	blua_pcall(L, 0, 0);
}

/***
 * Calls `fn()` on the next loop turn, after the current callback returns
 * and before the loop waits again. Counts as pending work.
 * @function brisk.defer
 * @tparam function fn
 * @usage brisk.defer(function() print("after this callback") end)
 */
static int api_timer_defer(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	Deferred *d = malloc(sizeof *d);
	if (!d)
		return luaL_error(L, "defer: out of memory");
	d->L = main_state(L);
	lua_pushvalue(L, 1);
	d->fn_ref = blua_ref(L);
	loop_defer(blua_loop(L), on_defer, d);
	return 0;
}

void api_timer_open(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"cancel", api_timer_cancel},
		{"active", api_timer_active},
		{NULL, NULL},
	};
	luaL_newmetatable(L, TIMER_MT);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, timer_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);
	lua_pushcfunction(L, api_timer_timer);
	lua_setfield(L, -2, "timer");
	lua_pushcfunction(L, api_timer_defer);
	lua_setfield(L, -2, "defer");
}
