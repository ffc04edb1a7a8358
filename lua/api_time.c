/* brisk.time: date parsing (RFC 822/1123/850, asctime, RFC 3339/ISO 8601)
 * to integer Unix seconds, strftime in UTC, and an overridable clock.
 * Pure computation: no locale, no TZ, no calls back into Lua. */
#include "lua/host.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* {======================================================================
 * Calendar arithmetic (proleptic Gregorian, no libc time zone state)
 * ======================================================================= */

/* Days since 1970-01-01 (H. Hinnant's days_from_civil). */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(long long y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

typedef struct Date {
	long long year;
	int mon, day, hour, min, sec;
	int offset; /* seconds east of UTC */
} Date;

static bool date_valid(const Date *d)
{
	return d->mon >= 1 && d->mon <= 12 && d->day >= 1 &&
	       d->day <= days_in_month(d->year, d->mon) && d->hour >= 0 &&
	       d->hour <= 24 && d->min >= 0 && d->min <= 59 && d->sec >= 0 &&
	       d->sec <= 60 && (d->hour < 24 || (d->min == 0 && d->sec == 0));
}

static long long date_unix(const Date *d)
{
	long long days = days_from_civil(d->year, d->mon, d->day);
	return days * 86400 + d->hour * 3600 + d->min * 60 + d->sec - d->offset;
}

/* }====================================================================== */

/* {======================================================================
 * A tiny scanner
 * ======================================================================= */

typedef struct Scan {
	const char *p;
} Scan;

static void sp(Scan *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n')
		s->p++;
}

/* Reads 1..max digits; the count read goes to *nd. */
static bool num(Scan *s, int max, long long *v, int *nd)
{
	int n = 0;
	long long x = 0;
	while (n < max && isdigit((unsigned char)s->p[n]))
		x = x * 10 + (s->p[n++] - '0');
	if (n == 0)
		return false;
	s->p += n;
	*v = x;
	if (nd)
		*nd = n;
	return true;
}

static bool num2(Scan *s, int *v)
{
	long long x;
	int nd;
	if (!num(s, 2, &x, &nd) || nd != 2)
		return false;
	*v = (int)x;
	return true;
}

static bool lit(Scan *s, char c)
{
	if (*s->p != c)
		return false;
	s->p++;
	return true;
}

/* Reads a run of letters (at most cap-1) lower-cased into w. */
static size_t word(Scan *s, char *w, size_t cap)
{
	size_t n = 0;
	while (isalpha((unsigned char)s->p[n])) {
		if (n + 1 < cap)
			w[n] = (char)tolower((unsigned char)s->p[n]);
		n++;
	}
	w[n < cap ? n : cap - 1] = 0;
	s->p += n;
	return n;
}

static int month_of(const char *w)
{
	static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                              "jul", "aug", "sep", "oct", "nov", "dec"};
	if (strlen(w) < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (strncmp(w, names[i], 3) == 0)
			return i + 1;
	return 0;
}

static bool is_day_name(const char *w)
{
	static const char *names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	if (strlen(w) < 3)
		return false;
	for (int i = 0; i < 7; i++)
		if (strncmp(w, names[i], 3) == 0)
			return true;
	return false;
}

/* }====================================================================== */

/* {======================================================================
 * Time zones: numeric offsets, the RFC 822 names, military letters and the
 * few abbreviations real feeds use.
 * ======================================================================= */

static const struct {
	const char *name;
	int hours; /* times 10, for the half-hour zones */
} zones[] = {
	{"gmt", 0}, {"ut", 0}, {"utc", 0}, {"z", 0}, {"wet", 0},
	{"est", -50}, {"edt", -40}, {"cst", -60}, {"cdt", -50},
	{"mst", -70}, {"mdt", -60}, {"pst", -80}, {"pdt", -70},
	{"akst", -90}, {"akdt", -80}, {"hst", -100}, {"ast", -40}, {"adt", -30},
	{"nst", -35}, {"ndt", -25},
	{"bst", 10}, {"ist", 55}, {"cet", 10}, {"cest", 20}, {"met", 10},
	{"mest", 20}, {"west", 10}, {"eet", 20}, {"eest", 30}, {"msk", 30},
	{"jst", 90}, {"kst", 90}, {"hkt", 80}, {"sgt", 80}, {"awst", 80},
	{"acst", 95}, {"aest", 100}, {"aedt", 110}, {"nzst", 120}, {"nzdt", 130},
};

/* RFC 822 military zones (single letters A-Z but J) fall through to the
 * unknown-name case: RFC 1123 notes that RFC 822 got their signs backwards
 * and senders used them inconsistently, and RFC 2822 says to treat them as
 * -0000, so they read as UTC. */

/* Parses "+hhmm", "+hh:mm", "+hh", "-..", "Z", or a zone name at s. An
 * unknown name reads as UTC (feeds are sloppy); nothing there is UTC. */
static bool zone(Scan *s, int *offset)
{
	*offset = 0;
	sp(s);
	if (*s->p == '+' || *s->p == '-') {
		int sign = *s->p++ == '-' ? -1 : 1;
		long long v;
		int nd, h, m = 0;
		if (!num(s, 4, &v, &nd))
			return false;
		if (nd == 4)
			h = (int)(v / 100), m = (int)(v % 100);
		else if (nd == 2 || nd == 1) {
			h = (int)v;
			if (lit(s, ':') && !num2(s, &m))
				return false;
		} else if (nd == 3)
			h = (int)(v / 100), m = (int)(v % 100);
		else
			return false;
		if (h > 23 || m > 59)
			return false;
		*offset = sign * (h * 3600 + m * 60);
		return true;
	}
	char w[16];
	if (word(s, w, sizeof w) == 0)
		return true;
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (strcmp(w, zones[i].name) == 0) {
			*offset = zones[i].hours * 360;
			break;
		}
	/* "GMT+2", "UTC-05:00": an offset after the name */
	if (*s->p == '+' || *s->p == '-') {
		int extra;
		if (zone(s, &extra))
			*offset += extra;
	}
	return true;
}

/* }====================================================================== */

/* {======================================================================
 * The formats
 * ======================================================================= */

static long long year_fix(long long y, int nd)
{
	if (nd <= 2)
		return y < 50 ? 2000 + y : 1900 + y; /* RFC 2822 4.3 */
	if (nd == 3)
		return 1900 + y;
	return y;
}

/* "hh:mm[:ss]" */
static bool clock_time(Scan *s, Date *d)
{
	long long v;
	if (!num(s, 2, &v, NULL))
		return false;
	d->hour = (int)v;
	if (!lit(s, ':') || !num(s, 2, &v, NULL))
		return false;
	d->min = (int)v;
	if (lit(s, ':')) {
		if (!num(s, 2, &v, NULL))
			return false;
		d->sec = (int)v;
		if (*s->p == '.' || *s->p == ',') /* fractions: truncated */
			for (s->p++; isdigit((unsigned char)*s->p); s->p++)
				;
	}
	return true;
}

static bool end(Scan *s)
{
	sp(s);
	if (*s->p == '(') /* an RFC 822 comment, e.g. "(PST)" */
		while (*s->p && *s->p != ')')
			s->p++;
	if (*s->p == ')')
		s->p++;
	sp(s);
	return *s->p == 0;
}

/* RFC 3339 / ISO 8601: 2024-03-10T17:15:00.5+01:00, 2024-03-10 17:15Z,
 * 20240310T171500Z, 2024-03-10. */
static bool parse_iso(const char *str, Date *d)
{
	Scan s = {str};
	long long v;
	int nd;
	sp(&s);
	if (!num(&s, 8, &v, &nd))
		return false;
	bool basic = nd == 8;
	if (basic) {
		d->year = v / 10000, d->mon = (int)(v / 100 % 100), d->day = (int)(v % 100);
	} else {
		if (nd != 4 || !lit(&s, '-') || !num2(&s, &d->mon) || !lit(&s, '-') || !num2(&s, &d->day))
			return false;
		d->year = v;
	}
	if (*s.p == 'T' || *s.p == 't' || (*s.p == ' ' && isdigit((unsigned char)s.p[1]))) {
		s.p++;
		if (basic) {
			if (!num2(&s, &d->hour) || !num2(&s, &d->min))
				return false;
			if (isdigit((unsigned char)*s.p) && !num2(&s, &d->sec))
				return false;
			if (*s.p == '.' || *s.p == ',')
				for (s.p++; isdigit((unsigned char)*s.p); s.p++)
					;
		} else if (!clock_time(&s, d)) {
			return false;
		}
		if (!zone(&s, &d->offset))
			return false;
	}
	return end(&s);
}

/* RFC 822/1123/2822 and RFC 850:
 *   [Day,] DD Mon YY[YY] hh:mm[:ss] [zone]      Sun, 10 Mar 2024 17:15:00 +0100
 *   Dayname, DD-Mon-YY hh:mm:ss zone           Sunday, 10-Mar-24 17:15:00 GMT
 * and asctime: Day Mon DD hh:mm:ss YYYY        Sun Mar 10 17:15:00 2024 */
static bool parse_rfc822(const char *str, Date *d)
{
	Scan s = {str};
	char w[16];
	long long v;
	int nd;
	sp(&s);
	const char *save = s.p;
	if (word(&s, w, sizeof w)) {
		if (!is_day_name(w))
			s.p = save; /* maybe "Mar 10 ..." without a day name */
		else {
			sp(&s);
			lit(&s, ',');
			sp(&s);
		}
	}
	if (isalpha((unsigned char)*s.p)) { /* asctime: Mon DD hh:mm:ss YYYY */
		word(&s, w, sizeof w);
		if (!(d->mon = month_of(w)))
			return false;
		sp(&s);
		if (!num(&s, 2, &v, NULL))
			return false;
		d->day = (int)v;
		sp(&s);
		if (!clock_time(&s, d))
			return false;
		sp(&s);
		if (isalpha((unsigned char)*s.p) || *s.p == '+') { /* a zone before the year */
			if (!zone(&s, &d->offset))
				return false;
			sp(&s);
		}
		if (!num(&s, 4, &v, &nd))
			return false;
		d->year = year_fix(v, nd);
		return end(&s);
	}
	if (!num(&s, 2, &v, NULL))
		return false;
	d->day = (int)v;
	sp(&s);
	lit(&s, '-');
	if (!word(&s, w, sizeof w) || !(d->mon = month_of(w)))
		return false;
	lit(&s, '.');
	sp(&s);
	lit(&s, '-');
	if (!num(&s, 4, &v, &nd))
		return false;
	d->year = year_fix(v, nd);
	sp(&s);
	if (*s.p && !clock_time(&s, d))
		return false;
	if (!zone(&s, &d->offset))
		return false;
	return end(&s);
}

/* }====================================================================== */

/***
 * Parses a date to integer Unix seconds (UTC).
 * RFC 822/1123/2822 dates (day name optional, seconds optional, 2-digit
 * years: 00-49 -> 20xx, 50-99 -> 19xx; zones as +hhmm, GMT, UT, UTC, Z,
 * EST/EDT/CST/CDT/MST/MDT/PST/PDT, a few common abbreviations such as
 * CET or JST; military letters and unknown names read as UTC), RFC 850
 * and asctime dates, and RFC 3339 / ISO 8601 (fractions truncated, Z or
 * an offset, no zone = UTC, a date alone = midnight UTC).
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
	if (n > 200 || strlen(str) != n) {
		luaL_pushfail(L);
		return 1;
	}
	Date d;
	memset(&d, 0, sizeof d);
	bool ok = parse_iso(str, &d) && date_valid(&d);
	if (!ok) {
		memset(&d, 0, sizeof d);
		ok = parse_rfc822(str, &d) && date_valid(&d);
	}
	if (!ok) {
		luaL_pushfail(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)date_unix(&d));
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
