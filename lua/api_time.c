/* brisk.time: feed dates to integer Unix seconds (the parser is lua/date.c),
 * strftime in UTC, and an overridable clock. Pure computation: no locale,
 * no TZ, no calls back into Lua. */
#include "lua/host.h"
#include "lua/date.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/***
 * Parses a date to integer Unix seconds (UTC), or nil when the string is
 * not a date it can read without guessing.
 * RFC 822/1123/2822 (day name optional and in a few languages, seconds
 * optional, a comma after the month, 2-digit years: 00-49 -> 20xx,
 * 50-99 -> 19xx), RFC 850, asctime (also with the zone before the year),
 * "Mon DD YYYY hh:mm:ss", Perforce ("2006/09/15 08:19:53 EDT"); zones as
 * +hhmm, +hh:mm, GMT/UT/UTC/Z, Etc/GMT, GMT+2, the US names
 * (EST/EDT..., and ET/CT/MT/PT/AT as standard time), common European,
 * Asian and Australian abbreviations; military letters read as UTC
 * (RFC 2822); an unknown zone name makes the date unreadable (nil), never
 * UTC. Month names also in German, French, Spanish, Italian, Portuguese,
 * Dutch, Scandinavian, Hungarian, Greek and Russian. W3C-DTF / ISO 8601:
 * extended and basic forms, reduced precision (2003-12, 2003, T10Z),
 * fractions truncated, 2-digit years (031231, 03-12-31, -0312),
 * ordinal (2003-335, 03335) and week dates (2004-W53-6), a month name
 * instead of its number (2004-július-13); no zone = UTC. Korean forms
 * ("2004-05-25 오후 11:23:17", "2004년 05월 28일 01:31:15") are KST.
 * @function brisk.time.parse
 * @tparam string s the date
 * @treturn integer seconds since the epoch, or nil when not a date
 * @usage brisk.time.parse("Sun, 10 Mar 2024 17:15:00 +0100") --> 1710087300
 *   brisk.time.parse("2024-03-10T16:15:00.250Z")           --> 1710087300
 */
static int api_time_parse(lua_State *L)
{
	size_t n;
	const char *str = luaL_checklstring(L, 1, &n);
	int64_t t;
	if (!date_parse(str, n, &t)) {
		luaL_pushfail(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)t);
	return 1;
}

/***
 * Formats Unix seconds in UTC with strftime(3) conversions.
 * @function brisk.time.format
 * @tparam integer t seconds since the epoch
 * @tparam[opt] string fmt default "%Y-%m-%dT%H:%M:%SZ"
 * @treturn string
 * @usage brisk.time.format(0, "%a, %d %b %Y %H:%M:%S GMT")
 *   --> "Thu, 01 Jan 1970 00:00:00 GMT"
 */
static int api_time_format(lua_State *L)
{
	lua_Integer t = luaL_checkinteger(L, 1);
	const char *fmt = luaL_optstring(L, 2, "%Y-%m-%dT%H:%M:%SZ");
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm))
		return luaL_argerror(L, 1, "time out of range");
	char buf[512];
	size_t n = strlen(fmt) ? strftime(buf, sizeof buf, fmt, &tm) : 0;
	if (n == 0 && strlen(fmt))
		return luaL_argerror(L, 2, "format too long");
	lua_pushlstring(L, buf, n);
	return 1;
}

/***
 * The current time in Unix seconds (as os.time()). Tests replace it
 * (`brisk.time.now = function() return T end`) to run plugins through
 * simulated days, so plugins must call `brisk.time.now()` each time they
 * need the time, never keep a copy of the function or use os.time().
 * @function brisk.time.now
 * @treturn integer
 * @usage local age = brisk.time.now() - item.published
 */
static int api_time_now(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)time(NULL));
	return 1;
}

void api_time_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"parse", api_time_parse},
		{"format", api_time_format},
		{"now", api_time_now},
		{NULL, NULL},
	};
	luaL_newlib(L, fns);
	lua_setfield(L, -2, "time");
}
