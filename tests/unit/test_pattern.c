/* brisk's Lua pattern matcher (lua/pattern.c through lua/strlib.c) against
 * the system's string library: random patterns and subjects through find
 * (with random init and plain), match, gmatch and gsub (string, table and
 * function replacements) give the same results and the same errors
 * wherever the stock library finishes (it gives up with "pattern too
 * complex" past 200 nested items; those cases are skipped). Then the
 * backtracking bombs: stopped by the step check, in well under a second.
 * Prints "# seed N"; BRISK_SEED=N replays, BRISK_OPS=N sets the count. */
#include "tap.h"
#include "lua/sandbox.h"
#include <lualib.h>
#include <time.h>

/* The budget, as the test sets it: blua_budget_ok is what lua/host.c
 * answers inside a callback; here it says no once `allowed` checks ran. */
static long budget_checks, budget_allowed = -1;

bool blua_budget_ok(lua_State *L)
{
	(void)L;
	budget_checks++;
	return budget_allowed < 0 || budget_checks <= budget_allowed;
}

int blua_budget_error(lua_State *L, const char *what)
{
	return luaL_error(L, "%s", what ? what : "interrupted");
}

/* The driver: S is the stock library, B brisk's. Returns compared, skipped,
 * and the first difference (or nil). */
static const char driver[] =
	"local S, B, seed, ops = ...\n"
	"math.randomseed(seed)\n"
	"local R = math.random\n"
	"local atoms = {'a','b','c','.','%a','%d','%s','%w','%A','%S','%p','%%','%.','[ab]','[^a]',\n"
	"  '[a-c]','[%d.]','[]]','[^]a]','[a-]','(',')','()','%1','%2','%b()','%bab','%f[%a]','%f[%s]',\n"
	"  '^','$','*','+','-','?','%','[',']','%0','%f','%b','x','(a)','((b))','%z','\\0','A','1',' '}\n"
	"local sub = {'a','b','c','(',')','.',' ','1','A','\\0','x','%','^','$','[',']','\\255'}\n"
	"local function pick(t, n) local o = {} for i = 1, n do o[i] = t[R(#t)] end return table.concat(o) end\n"
	"local function ser(ok, ...)\n"
	"  local t = {ok and 'ok' or 'err'}\n"
	"  for i = 1, select('#', ...) do t[#t + 1] = tostring((select(i, ...))) end\n"
	"  return table.concat(t, '|')\n"
	"end\n"
	"local function all(L, s, p, init)\n"
	"  local out = {}\n"
	"  for a, b, c in L.gmatch(s, p, init) do out[#out + 1] = tostring(a) .. ',' .. tostring(b) .. ',' .. tostring(c)\n"
	"    if #out > 100 then break end end\n"
	"  return table.concat(out, ';')\n"
	"end\n"
	"local function fnrep(...) local n = select('#', ...) if n % 3 == 0 then return nil end return '<' .. table.concat({...}, ':') .. '>' end\n"
	"local tab = {a = 'A', b = false, ab = 'AB', ['('] = 1}\n"
	"local reps = {'%0', '[%1]', '%%', 'x', '%2%1', '%', '%9'}\n"
	"local same, skipped = 0, 0\n"
	"for i = 1, ops do\n"
	"  local p, s = pick(atoms, R(0, 6)), pick(sub, R(0, 10))\n"
	"  local init = R(-12, 12)\n"
	"  local calls = {\n"
	"    function(L) return L.find(s, p) end, function(L) return L.find(s, p, init) end,\n"
	"    function(L) return L.find(s, p, init, true) end, function(L) return L.match(s, p, init) end,\n"
	"    function(L) return all(L, s, p) end, function(L) return all(L, s, p, init) end,\n"
	"    function(L) return L.gsub(s, p, reps[R(#reps)]) end,\n"
	"    function(L) return L.gsub(s, p, reps[R(#reps)], R(0, 3)) end,\n"
	"    function(L) return L.gsub(s, p, tab) end, function(L) return L.gsub(s, p, fnrep) end,\n"
	"  }\n"
	"  for k, f in ipairs(calls) do\n"
	"    local st = R(1e9)\n"
	"    math.randomseed(st); local want = ser(pcall(f, S))\n"
	"    math.randomseed(st); local got = ser(pcall(f, B))\n"
	"    if want:find('pattern too complex', 1, true) then skipped = skipped + 1\n"
	"    elseif want ~= got then\n"
	"      return same, skipped, string.format('call %d: s=%q p=%q init=%d: stock %q, brisk %q', k, s, p, init, want, got)\n"
	"    else same = same + 1 end\n"
	"  end\n"
	"end\n"
	"return same, skipped\n";

static lua_State *state_with_both(void)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	static const char *const names[] = {"find", "match", "gmatch", "gsub"};
	lua_getglobal(L, "string");
	lua_newtable(L); /* S */
	for (int i = 0; i < 4; i++) {
		lua_getfield(L, -2, names[i]);
		lua_setfield(L, -2, names[i]);
	}
	lua_setglobal(L, "S");
	blua_strlib_open(L);
	lua_newtable(L); /* B */
	for (int i = 0; i < 4; i++) {
		lua_getfield(L, -2, names[i]);
		lua_setfield(L, -2, names[i]);
	}
	lua_setglobal(L, "B");
	lua_getglobal(L, "S");
	for (int i = 0; i < 4; i++) {
		lua_getfield(L, -1, names[i]);
		lua_setfield(L, -3, names[i]);
	}
	lua_pop(L, 2);
	return L;
}

static void differential(unsigned seed, long ops)
{
	lua_State *L = state_with_both();
	if (luaL_loadstring(L, driver) != LUA_OK)
		BAIL_OUT("driver: %s", lua_tostring(L, -1));
	lua_getglobal(L, "S");
	lua_getglobal(L, "B");
	lua_pushinteger(L, seed);
	lua_pushinteger(L, ops);
	if (lua_pcall(L, 4, 3, 0) != LUA_OK) {
		ok(0, "differential run: %s", lua_tostring(L, -1));
		lua_close(L);
		return;
	}
	long same = (long)lua_tointeger(L, -3), skipped = (long)lua_tointeger(L, -2);
	const char *diff = lua_tostring(L, -1);
	ok(!diff, "%ld random calls give the stock library's results and errors (%ld skipped: stock too complex)",
	   same, skipped);
	if (diff)
		diag("%s", diff);
	lua_close(L);
}

/* Runs code in a state with brisk's string functions; returns the error
 * or "" and the time it took. */
static const char *run(lua_State *L, const char *code, double *secs)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	int rc = luaL_dostring(L, code);
	clock_gettime(CLOCK_MONOTONIC, &b);
	*secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	return rc == LUA_OK ? "" : lua_tostring(L, -1);
}

static void bombs(void)
{
	static const char *const cases[] = {
		"return ('a'):rep(20000):find('.-.-.-.-b')",
		"return ('a'):rep(5000):match('(.*)*%1b')",
		"return ('a'):rep(3000):gsub('a*a*a*a*a*b', 'x')",
		"for m in ('a'):rep(3000):gmatch('.-.-.-c') do end",
		"return ('('):rep(20000):find('%b()%b()%b()x')",
	};
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	blua_strlib_open(L);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		budget_checks = 0;
		budget_allowed = 200; /* 200 checks of 4096 steps */
		double t;
		const char *err = run(L, cases[i], &t);
		ok(strstr(err, "pattern too complex") != NULL, "bomb %zu stops with \"pattern too complex\" (%s)", i + 1, err);
		ok(t < 2.0, "bomb %zu stops in %.3f s", i + 1, t);
		lua_settop(L, 0);
	}
	/* With the budget left, a long but linear match is not stopped. */
	budget_checks = 0;
	budget_allowed = 200;
	double t;
	const char *err = run(L, "assert(('ab'):rep(100000):find('b$') == 200000)", &t);
	is_str(err, "", "a linear scan over 200 KB finishes within the same budget");
	budget_allowed = -1;
	lua_close(L);
}

int main(void)
{
	const char *e = getenv("BRISK_SEED");
	unsigned seed = e ? (unsigned)strtoul(e, NULL, 10) : (unsigned)time(NULL);
	long ops = getenv("BRISK_OPS") ? atol(getenv("BRISK_OPS")) : 3000;
	diag("seed %u", seed);
	differential(seed, ops);
	bombs();
	return done_testing();
}
