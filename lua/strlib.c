/* string.find, string.match, string.gmatch and string.gsub on brisk's own
 * pattern matcher (pattern.c), with Lua 5.4's arguments and results. The
 * matcher counts its steps against the running call's time budget: a
 * pattern that backtracks too long fails with "pattern too complex"
 * instead of freezing the editor inside one C call. */
#include "lua/sandbox.h"
#include "lua/pattern.h"
#include <ctype.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define STACK_PATTERN 8192 /* bytes: a compiled pattern this small lives on the C stack */

static bool budget_tick(void *L) { return blua_budget_ok(L); }

/* A compiled pattern: on the C stack when small, else in a userdata (pushed,
 * collected by Lua even when an error unwinds). Nothing to free. */
typedef struct Compiled {
	alignas(max_align_t) char mem[STACK_PATTERN];
	Pattern *pt;
	PatternMatch m;
} Compiled;

static void compile(lua_State *L, Compiled *c, const char *s, size_t ls, const char *p, size_t lp, bool anchor)
{
	size_t need = pattern_size(lp);
	void *mem = need <= sizeof c->mem ? c->mem : lua_newuserdatauv(L, need, 0);
	c->pt = pattern_compile(mem, p, lp, anchor);
	c->m = (PatternMatch){.s = s, .len = ls, .tick = budget_tick, .arg = L};
}

/* ===== compiled patterns kept ============================================ */

/* find and match compiled their pattern at every call, and plugins call
 * them with the same few patterns over and over (the log classifier tries
 * dozens per line): compiling cost as much as matching. The last patterns
 * used stay compiled, direct-mapped by the pattern's address. Only find and
 * match use them: between compiling and their last match no Lua code runs,
 * while gsub and gmatch call back into Lua, which could reuse the slot. */
enum { KEPT_SLOTS = 512, KEPT_MAXLEN = 120 };

typedef struct Kept {
	size_t lp, cap;   /* the pattern's length; bytes of mem */
	char p[KEPT_MAXLEN];
	void *mem;        /* the compiled pattern (aligned by malloc) */
} Kept;

static Kept kept[KEPT_SLOTS];

/* The compiled pattern p, from its slot or compiled into it; NULL when it
 * is too long to keep or memory is short (the caller compiles its own). */
static Pattern *kept_pattern(const char *p, size_t lp)
{
	if (lp > KEPT_MAXLEN)
		return NULL;
	/* Slots by the string's address: Lua keeps one copy of each short
	 * string, so a pattern used again comes at the same address; a string
	 * freed and another made there is told apart by its bytes. */
	uintptr_t a = (uintptr_t)p;
	Kept *k = &kept[(a >> 4 ^ a >> 13) % KEPT_SLOTS];
	if (k->mem && k->lp == lp && memcmp(k->p, p, lp) == 0)
		return k->mem;
	size_t need = pattern_size(lp);
	if (need > k->cap) {
		void *mem = realloc(k->mem, need);
		if (!mem)
			return NULL;
		k->mem = mem;
		k->cap = need;
	}
	memcpy(k->p, p, lp);
	k->lp = lp;
	return pattern_compile(k->mem, p, lp, true);
}

/* Runs one match, raising on a malformed pattern or a spent budget. */
static bool match_at(lua_State *L, Compiled *c, size_t at)
{
	switch (pattern_match(c->pt, &c->m, at)) {
	case PATTERN_FOUND:
		return true;
	case PATTERN_ERROR:
		luaL_error(L, c->m.err, c->m.err_arg);
		return false;
	case PATTERN_STOPPED:
		blua_budget_error(L, "pattern too complex");
		return false;
	}
	return false;
}

/* Capture i of the match [start, end); with no captures, capture 0 is the
 * whole match. Pushes a string or a position. */
static void push_capture(lua_State *L, const PatternMatch *m, int i, size_t start, size_t end)
{
	if (i >= m->ncap) {
		if (i != 0)
			luaL_error(L, "invalid capture index %%%d", i + 1);
		lua_pushlstring(L, m->s + start, end - start);
		return;
	}
	PatternCap c = m->cap[i];
	if (c.len == PATTERN_CAP_OPEN)
		luaL_error(L, "unfinished capture");
	else if (c.len == PATTERN_CAP_POSITION)
		lua_pushinteger(L, (lua_Integer)c.start + 1);
	else
		lua_pushlstring(L, m->s + c.start, (size_t)c.len);
}

/* Pushes every capture (or the whole match when whole and there are
 * none); returns how many. */
static int push_captures(lua_State *L, const PatternMatch *m, size_t start, size_t end, bool whole)
{
	int n = m->ncap == 0 && whole ? 1 : m->ncap;
	luaL_checkstack(L, n, "too many captures");
	for (int i = 0; i < n; i++)
		push_capture(L, m, i, start, end);
	return n;
}

/* A 1-based position, negative from the end, as a 1-based offset >= 1. */
static size_t posrelat(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 1;
	return len + (size_t)pos + 1;
}

static bool has_specials(const char *p, size_t lp)
{
	static const bool special[256] = {
		['^'] = true, ['$'] = true, ['*'] = true, ['+'] = true, ['?'] = true,
		['.'] = true, ['('] = true, ['['] = true, ['%'] = true, ['-'] = true,
	};
	for (size_t i = 0; i < lp; i++)
		if (special[(unsigned char)p[i]])
			return true;
	return false;
}

static int plain_find(lua_State *L, const char *s, size_t ls, size_t init, const char *p, size_t lp)
{
	const char *hit = lp == 0 ? s + init : memmem(s + init, ls - init, p, lp);
	if (!hit) {
		luaL_pushfail(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
	lua_pushinteger(L, (lua_Integer)(hit - s) + (lua_Integer)lp);
	return 2;
}

static int find_or_match(lua_State *L, bool find)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = posrelat(luaL_optinteger(L, 3, 1), ls) - 1;
	if (init > ls) {
		luaL_pushfail(L);
		return 1;
	}
	if (find && (lua_toboolean(L, 4) || !has_specials(p, lp)))
		return plain_find(L, s, ls, init, p, lp);
	Compiled c;
	c.pt = kept_pattern(p, lp);
	if (c.pt)
		c.m = (PatternMatch){.s = s, .len = ls, .tick = budget_tick, .arg = L};
	else
		compile(L, &c, s, ls, p, lp, true);
	bool anchored = pattern_anchored(c.pt);
	for (size_t at = init; at <= ls; at++) {
		if (!anchored && (at = pattern_next_start(c.pt, s, ls, at)) > ls)
			break;
		if (match_at(L, &c, at)) {
			if (!find)
				return push_captures(L, &c.m, at, c.m.end, true);
			lua_pushinteger(L, (lua_Integer)at + 1);
			lua_pushinteger(L, (lua_Integer)c.m.end);
			return 2 + push_captures(L, &c.m, at, c.m.end, false);
		}
		if (anchored)
			break;
	}
	luaL_pushfail(L);
	return 1;
}

static int str_find(lua_State *L) { return find_or_match(L, true); }
static int str_match(lua_State *L) { return find_or_match(L, false); }

/* ===== gmatch ============================================================ */

typedef struct GState {
	size_t src;        /* where the next match may start */
	size_t last;       /* end of the last match, SIZE_MAX: none */
	Pattern *pt;       /* compiled into the rest of this userdata */
} GState;

static int gmatch_next(lua_State *L)
{
	size_t ls;
	const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
	GState *g = lua_touserdata(L, lua_upvalueindex(3));
	PatternMatch m = {.s = s, .len = ls, .tick = budget_tick, .arg = L};
	for (size_t at = g->src; at <= ls; at++) {
		if ((at = pattern_next_start(g->pt, s, ls, at)) > ls)
			break;
		int rc = pattern_match(g->pt, &m, at);
		if (rc == PATTERN_ERROR)
			return luaL_error(L, m.err, m.err_arg);
		if (rc == PATTERN_STOPPED)
			return blua_budget_error(L, "pattern too complex");
		if (rc == PATTERN_FOUND && m.end != g->last) {
			g->src = g->last = m.end;
			return push_captures(L, &m, at, m.end, true);
		}
	}
	g->src = ls + 1;
	return 0;
}

/* string.gmatch(s, pattern[, init]): '^' is a plain character here. */
static int str_gmatch(lua_State *L)
{
	size_t ls, lp;
	luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = posrelat(luaL_optinteger(L, 3, 1), ls) - 1;
	lua_settop(L, 2);
	size_t head = (sizeof(GState) + alignof(max_align_t) - 1) / alignof(max_align_t) * alignof(max_align_t);
	GState *g = lua_newuserdatauv(L, head + pattern_size(lp), 0);
	g->src = init > ls ? ls + 1 : init;
	g->last = SIZE_MAX;
	g->pt = pattern_compile((char *)g + head, p, lp, false);
	lua_pushcclosure(L, gmatch_next, 3);
	return 1;
}

/* ===== gsub ============================================================== */

/* The replacement string with %0-%9 and %% expanded. */
static void add_expanded(lua_State *L, luaL_Buffer *b, const PatternMatch *m, size_t start, size_t end)
{
	size_t lr;
	const char *r = lua_tolstring(L, 3, &lr);
	for (size_t i = 0; i < lr; i++) {
		if (r[i] != '%') {
			luaL_addchar(b, r[i]);
			continue;
		}
		char d = ++i < lr ? r[i] : '\0';
		if (d == '%') {
			luaL_addchar(b, '%');
		} else if (d == '0') {
			luaL_addlstring(b, m->s + start, end - start);
		} else if (isdigit((unsigned char)d)) {
			push_capture(L, m, d - '1', start, end);
			luaL_tolstring(L, -1, NULL);
			lua_remove(L, -2);
			luaL_addvalue(b);
		} else {
			luaL_error(L, "invalid use of '%%' in replacement string");
		}
	}
}

/* One match's replacement: the expanded string, or the value the function
 * or table gives (false or nil: the match stays as it was). */
static void add_value(lua_State *L, luaL_Buffer *b, const PatternMatch *m, size_t start, size_t end)
{
	switch (lua_type(L, 3)) {
	case LUA_TFUNCTION:
		lua_pushvalue(L, 3);
		lua_call(L, push_captures(L, m, start, end, true), 1);
		break;
	case LUA_TTABLE:
		push_capture(L, m, 0, start, end);
		lua_gettable(L, 3);
		break;
	default:
		add_expanded(L, b, m, start, end);
		return;
	}
	if (!lua_toboolean(L, -1)) {
		lua_pop(L, 1);
		luaL_addlstring(b, m->s + start, end - start);
	} else if (!lua_isstring(L, -1)) {
		luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
	} else {
		luaL_addvalue(b);
	}
}

static int str_gsub(lua_State *L)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	int tr = lua_type(L, 3);
	lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
	luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
	                 "string/function/table");
	lua_settop(L, 3);
	Compiled c;
	compile(L, &c, s, ls, p, lp, true);
	bool anchored = pattern_anchored(c.pt);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	size_t at = 0, last = SIZE_MAX;
	lua_Integer n = 0;
	while (n < max) {
		/* Bytes where no match can start are kept as they are. */
		size_t next = anchored ? at : pattern_next_start(c.pt, s, ls, at);
		if (next > ls)
			break;
		luaL_addlstring(&b, s + at, next - at);
		at = next;
		if (match_at(L, &c, at) && c.m.end != last) {
			n++;
			add_value(L, &b, &c.m, at, c.m.end);
			at = last = c.m.end;
		} else if (at < ls) {
			luaL_addchar(&b, s[at++]);
		} else {
			break;
		}
		if (anchored)
			break;
	}
	luaL_addlstring(&b, s + at, ls - at);
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}

void blua_strlib_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"find", str_find}, {"match", str_match}, {"gmatch", str_gmatch}, {"gsub", str_gsub},
		{NULL, NULL},
	};
	lua_getglobal(L, "string");
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
