/* Feed dates to Unix seconds (date.h). Two grammars over a NUL-terminated
 * copy, tried in turn: the numeric ISO 8601 / W3C-DTF family (which also
 * takes a month name in place of the month number, and the Korean markers)
 * and the RFC 822 family (names first or day first, asctime, Perforce).
 * Every part read is range-checked, and a word nobody knows anywhere in the
 * string makes it "not a date": an unknown zone never turns into UTC. */
#include "lua/date.h"
#include "buffer/utf8.h"
#include <ctype.h>
#include <string.h>

/* {======================================================================
 * Calendar arithmetic (proleptic Gregorian, no libc time zone state)
 * ======================================================================= */

int64_t date_days_from_civil(int64_t y, int m, int d)
{
	/* H. Hinnant's days_from_civil */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t doe = days - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

typedef struct Date {
	int64_t year;
	int mon, day, hour, min, sec;
	int offset; /* seconds east of UTC */
	bool zoned; /* a zone was written */
} Date;

static bool date_valid(const Date *d)
{
	return d->year >= 1 && d->year <= 9999 && d->mon >= 1 && d->mon <= 12 && d->day >= 1 &&
	       d->day <= days_in_month(d->year, d->mon) && d->hour >= 0 && d->hour <= 24 &&
	       d->min >= 0 && d->min <= 59 && d->sec >= 0 && d->sec <= 60 &&
	       (d->hour < 24 || (d->min == 0 && d->sec == 0));
}

/* Sets the month and day from a day count (ordinal and week dates). */
static void set_days(Date *d, int64_t days)
{
	date_civil_from_days(days, &d->year, &d->mon, &d->day);
}

/* RFC 2822 4.3: 00-49 are 20xx, 50-99 19xx; three digits add 1900. */
static int64_t full_year(int64_t y, int nd)
{
	if (nd <= 2)
		return y < 50 ? 2000 + y : 1900 + y;
	if (nd == 3)
		return 1900 + y;
	return y;
}

/* }====================================================================== */

/* {======================================================================
 * Names: months and week days in a few languages (lower case, as folded
 * by word()), zone abbreviations.
 * ======================================================================= */

static const struct {
	const char *name;
	int mon;
} MONTHS[] = {
	/* English (any prefix of three letters or more is taken too) */
	{"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6},
	{"july", 7}, {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11},
	{"december", 12},
	/* German */
	{"januar", 1}, {"jän", 1}, {"jänner", 1}, {"februar", 2}, {"märz", 3}, {"maerz", 3},
	{"mrz", 3}, {"mai", 5}, {"juni", 6}, {"juli", 7}, {"okt", 10}, {"oktober", 10},
	{"dez", 12}, {"dezember", 12},
	/* French */
	{"janv", 1}, {"janvier", 1}, {"févr", 2}, {"fév", 2}, {"février", 2}, {"fevr", 2},
	{"fevrier", 2}, {"mars", 3}, {"avr", 4}, {"avril", 4}, {"juin", 6}, {"juil", 7},
	{"juillet", 7}, {"août", 8}, {"aout", 8}, {"septembre", 9}, {"octobre", 10},
	{"novembre", 11}, {"déc", 12}, {"décembre", 12}, {"decembre", 12},
	/* Spanish, Italian, Portuguese */
	{"ene", 1}, {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abr", 4}, {"abril", 4},
	{"mayo", 5}, {"junio", 6}, {"julio", 7}, {"ago", 8}, {"agosto", 8}, {"septiembre", 9},
	{"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"dic", 12}, {"diciembre", 12},
	{"gen", 1}, {"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"mag", 5}, {"maggio", 5},
	{"giu", 6}, {"giugno", 6}, {"lug", 7}, {"luglio", 7}, {"set", 9}, {"settembre", 9},
	{"ott", 10}, {"ottobre", 10}, {"dicembre", 12},
	{"janeiro", 1}, {"fev", 2}, {"fevereiro", 2}, {"março", 3}, {"marco", 3}, {"maio", 5},
	{"junho", 6}, {"julho", 7}, {"setembro", 9}, {"out", 10}, {"outubro", 10},
	{"novembro", 11}, {"dezembro", 12},
	/* Dutch, Scandinavian */
	{"januari", 1}, {"februari", 2}, {"maart", 3}, {"mrt", 3}, {"mei", 5}, {"augustus", 8},
	{"marts", 3}, {"maj", 5}, {"augusti", 8}, {"desember", 12},
	/* Hungarian */
	{"január", 1}, {"február", 2}, {"febr", 2}, {"március", 3}, {"márc", 3},
	{"április", 4}, {"ápr", 4}, {"május", 5}, {"máj", 5}, {"június", 6}, {"jún", 6},
	{"július", 7}, {"júl", 7}, {"augusztus", 8}, {"szeptember", 9}, {"szept", 9},
	{"október", 10},
	/* Greek */
	{"ιαν", 1}, {"φεβ", 2}, {"μάρ", 3}, {"μαρ", 3}, {"απρ", 4}, {"μάι", 5}, {"μαΐ", 5},
	{"μαϊ", 5}, {"μαι", 5}, {"ιούν", 6}, {"ιουν", 6}, {"ιούλ", 7}, {"ιουλ", 7}, {"αύγ", 8},
	{"αυγ", 8}, {"σεπ", 9}, {"οκτ", 10}, {"νοέ", 11}, {"νοε", 11}, {"δεκ", 12},
	/* Russian (genitive, as dates are written) */
	{"января", 1}, {"янв", 1}, {"февраля", 2}, {"фев", 2}, {"марта", 3}, {"мар", 3},
	{"апреля", 4}, {"апр", 4}, {"мая", 5}, {"июня", 6}, {"июн", 6}, {"июля", 7},
	{"июл", 7}, {"августа", 8}, {"авг", 8}, {"сентября", 9}, {"сен", 9}, {"октября", 10},
	{"окт", 10}, {"ноября", 11}, {"ноя", 11}, {"декабря", 12}, {"дек", 12},
};

static const char *const DAYS[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", /* prefixes */
	"mo", "di", "mi", "do", "fr", "sa", "so", "montag", "dienstag", "mittwoch", "donnerstag",
	"freitag", "samstag", "sonntag", "lun", "mar", "mer", "jeu", "ven", "sam", "dim", "lundi",
	"mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "mié", "mie", "jue", "vie",
	"sáb", "sab", "dom", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
	"domingo", "gio", "ma", "wo", "vr", "za", "zo", "κυρ", "δευ", "τρι", "τετ", "πεμ", "παρ",
	"σαβ", "hétfő", "kedd", "szerda", "csütörtök", "péntek", "szombat", "vasárnap",
	"пн", "вт", "ср", "чт", "пт", "сб", "вс",
};

/* Minutes east of UTC. The US letters without S/D (ET, PT...) are read as
 * standard time, as feeds that use them mean. */
static const struct {
	const char *name;
	int minutes;
} ZONES[] = {
	{"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0}, {"wet", 0}, {"west", 60}, {"bst", 60},
	{"ist", 330}, {"cet", 60}, {"cest", 120}, {"met", 60}, {"mest", 120}, {"mez", 60},
	{"mesz", 120}, {"eet", 120}, {"eest", 180}, {"msk", 180}, {"msd", 240},
	{"est", -300}, {"edt", -240}, {"et", -300}, {"cst", -360}, {"cdt", -300}, {"ct", -360},
	{"mst", -420}, {"mdt", -360}, {"mt", -420}, {"pst", -480}, {"pdt", -420}, {"pt", -480},
	{"ast", -240}, {"adt", -180}, {"at", -240}, {"akst", -540}, {"akdt", -480},
	{"hst", -600}, {"hdt", -540}, {"nst", -210}, {"ndt", -150},
	{"jst", 540}, {"kst", 540}, {"hkt", 480}, {"sgt", 480}, {"pht", 480}, {"wib", 420},
	{"ict", 420}, {"pkt", 300}, {"awst", 480}, {"acst", 570}, {"acdt", 630},
	{"aest", 600}, {"aedt", 660}, {"nzst", 720}, {"nzdt", 780},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* English names may be cut anywhere after three letters ("Sept",
 * "Thurs"); other languages' forms are listed whole. */
static bool english_prefix(const char *w, const char *full)
{
	size_t n = strlen(w);
	return n >= 3 && n <= strlen(full) && strncmp(w, full, n) == 0;
}

static int month_of(const char *w)
{
	for (size_t i = 0; i < COUNT(MONTHS); i++)
		if (strcmp(w, MONTHS[i].name) == 0 || (i < 12 && english_prefix(w, MONTHS[i].name)))
			return MONTHS[i].mon;
	return 0;
}

static bool is_day_name(const char *w)
{
	for (size_t i = 0; i < COUNT(DAYS); i++)
		if (strcmp(w, DAYS[i]) == 0 || (i < 7 && english_prefix(w, DAYS[i])))
			return true;
	return false;
}

/* Minutes east of UTC of a zone name; false when unknown. RFC 822's
 * military letters read as UTC: RFC 1123 found their signs backwards and
 * RFC 2822 says to take them as -0000. */
static bool zone_of(const char *w, int *minutes)
{
	for (size_t i = 0; i < COUNT(ZONES); i++)
		if (strcmp(w, ZONES[i].name) == 0) {
			*minutes = ZONES[i].minutes;
			return true;
		}
	if (w[0] >= 'a' && w[0] <= 'y' && w[0] != 'j' && w[1] == 0) {
		*minutes = 0;
		return true;
	}
	return false;
}

/* }====================================================================== */

/* {======================================================================
 * Scanning
 * ======================================================================= */

typedef struct Scan {
	const char *p;
} Scan;

static void sp(Scan *s)
{
	for (;;) {
		if (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n')
			s->p++;
		else if ((unsigned char)s->p[0] == 0xC2 && (unsigned char)s->p[1] == 0xA0)
			s->p += 2; /* no-break space */
		else
			return;
	}
}

static bool lit(Scan *s, char c)
{
	if (*s->p != c)
		return false;
	s->p++;
	return true;
}

static int run_len(const char *p)
{
	int n = 0;
	while (isdigit((unsigned char)p[n]))
		n++;
	return n;
}

/* Reads a run of digits whose length is in [min, max]. */
static bool num(Scan *s, int min, int max, int64_t *v, int *nd)
{
	int n = run_len(s->p);
	if (n < min || n > max)
		return false;
	int64_t x = 0;
	for (int i = 0; i < n; i++)
		x = x * 10 + (s->p[i] - '0');
	s->p += n;
	*v = x;
	if (nd)
		*nd = n;
	return true;
}

static bool num_int(Scan *s, int min, int max, int *v)
{
	int64_t x;
	if (!num(s, min, max, &x, NULL))
		return false;
	*v = (int)x;
	return true;
}

/* The value of the digits p[0..n) (n <= 4). */
static int digits_at(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* Case folding for the scripts the name tables use: ASCII, Latin-1,
 * Greek (with tonos) and Cyrillic capitals. */
static uint32_t fold(uint32_t c)
{
	if (c < 0x80)
		return (uint32_t)tolower((int)c);
	if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9) || (c >= 0x410 && c <= 0x42F))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	switch (c) {
	case 0x386: return 0x3AC;
	case 0x388: case 0x389: case 0x38A: return c + 37;
	case 0x38C: return 0x3CC;
	case 0x38E: case 0x38F: return c + 63;
	default: return c;
	}
}

static bool is_letter_at(const char *p)
{
	unsigned char c = (unsigned char)*p;
	if (c < 0x80)
		return isalpha(c);
	return !(c == 0xC2 && (unsigned char)p[1] == 0xA0); /* any other non-ASCII */
}

/* Reads a run of letters, folded, into w (cut at cap - 1 bytes, which no
 * name reaches). Returns the bytes read from the input. */
static size_t word(Scan *s, char *w, size_t cap)
{
	const char *start = s->p;
	size_t n = 0;
	while (*s->p && is_letter_at(s->p)) {
		uint32_t c;
		size_t len = utf8_decode(s->p, strlen(s->p), &c);
		char enc[4];
		size_t el = c == UTF8_INVALID ? 0 : utf8_encode(fold(c), enc);
		if (n + el < cap) {
			memcpy(w + n, enc, el);
			n += el;
		}
		s->p += len;
	}
	w[n] = 0;
	return (size_t)(s->p - start);
}

/* The string ends here, but for white space and an RFC 822 comment
 * ("+0000 (UTC)"). */
static bool at_end(Scan *s)
{
	sp(s);
	if (*s->p == '(') {
		const char *close = strchr(s->p, ')');
		if (!close)
			return false;
		s->p = close + 1;
		sp(s);
	}
	return *s->p == 0;
}

/* }====================================================================== */

/* {======================================================================
 * Times and zones
 * ======================================================================= */

static void skip_fraction(Scan *s)
{
	if ((*s->p == '.' || *s->p == ',') && isdigit((unsigned char)s->p[1]))
		for (s->p++; isdigit((unsigned char)*s->p); s->p++)
			;
}

/* "h[h]:mm[:ss[.fff]]" */
static bool clock_time(Scan *s, Date *d)
{
	if (!num_int(s, 1, 2, &d->hour) || !lit(s, ':') || !num_int(s, 1, 2, &d->min))
		return false;
	if (lit(s, ':') && !num_int(s, 1, 2, &d->sec))
		return false;
	skip_fraction(s);
	return true;
}

/* A numeric offset after its sign: "hhmm", "hh:mm", "hh", "h". */
static bool offset_digits(Scan *s, int sign, int *secs)
{
	int n = run_len(s->p), h, m = 0;
	if (n == 4 || n == 3) {
		h = digits_at(s->p, n - 2), m = digits_at(s->p + n - 2, 2);
		s->p += n;
	} else if (n == 1 || n == 2) {
		h = digits_at(s->p, n);
		s->p += n;
		if (lit(s, ':') && !num_int(s, 2, 2, &m))
			return false;
	} else {
		return false;
	}
	if (h > 23 || m > 59)
		return false;
	*secs += sign * (h * 3600 + m * 60);
	return true;
}

/* A zone, if there is one: +hhmm, +hh:mm, a name ("EST", "Etc/GMT"), a
 * name with an offset ("GMT+2", "UTC-05:00"). Returns 1 when read, 0 when
 * there is none, -1 when it cannot be read. */
static int zone(Scan *s, Date *d)
{
	sp(s);
	d->offset = 0;
	if (*s->p == '+' || *s->p == '-') {
		int sign = *s->p++ == '-' ? -1 : 1;
		if (!offset_digits(s, sign, &d->offset))
			return -1;
		d->zoned = true;
		return 1;
	}
	if (!is_letter_at(s->p) || !*s->p)
		return 0;
	const char *save = s->p;
	char w[16];
	word(s, w, sizeof w);
	if (strcmp(w, "etc") == 0 && lit(s, '/'))
		word(s, w, sizeof w);
	int minutes;
	if (!zone_of(w, &minutes)) {
		s->p = save;
		return -1;
	}
	d->offset = minutes * 60;
	d->zoned = true;
	if (*s->p == '+' || *s->p == '-') {
		int sign = *s->p++ == '-' ? -1 : 1;
		if (!offset_digits(s, sign, &d->offset))
			return -1;
	}
	return 1;
}

/* "AM"/"PM" after a 12-hour time. */
static bool meridiem(Scan *s, Date *d)
{
	const char *save = s->p;
	char w[8];
	sp(s);
	if (!word(s, w, sizeof w)) {
		s->p = save;
		return true;
	}
	bool pm = strcmp(w, "pm") == 0;
	if (!pm && strcmp(w, "am") != 0) {
		s->p = save; /* a zone, read next */
		return true;
	}
	if (d->hour < 1 || d->hour > 12)
		return false;
	d->hour = d->hour % 12 + (pm ? 12 : 0);
	return true;
}

/* }====================================================================== */

/* {======================================================================
 * ISO 8601 / W3C-DTF
 * ======================================================================= */

static const char KO_AM[] = "오전", KO_PM[] = "오후";

static bool starts(const char *p, const char *what)
{
	return strncmp(p, what, strlen(what)) == 0;
}

/* ISO week date: Monday of week 1 is the one that holds January 4. */
static bool week_date(Date *d, int64_t y, int w, int dow)
{
	if (w < 1 || w > 53 || dow < 1 || dow > 7)
		return false;
	int64_t jan4 = date_days_from_civil(y, 1, 4);
	int wd4 = (int)(((jan4 % 7) + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday */
	int64_t days = jan4 - (wd4 - 1) + (int64_t)(w - 1) * 7 + (dow - 1);
	int64_t ty;
	int tm, td;
	date_civil_from_days(days - (dow - 1) + 3, &ty, &tm, &td); /* its Thursday */
	if (ty != y)
		return false; /* week 53 of a 52-week year */
	set_days(d, days);
	return true;
}

static bool ordinal_date(Date *d, int64_t y, int doy)
{
	if (doy < 1 || doy > (is_leap(y) ? 366 : 365))
		return false;
	set_days(d, date_days_from_civil(y, 1, 1) + doy - 1);
	return true;
}

/* After "YYYY-": MM[-DD], DDD, 0MM-DD (a known generator's extra zero),
 * Www[-D], or a month name (Hungarian feeds: 2004-július-13). */
static bool iso_after_year(Scan *s, Date *d)
{
	int64_t y = d->year;
	if (lit(s, 'W') || lit(s, 'w')) {
		int w, dow = 1;
		if (!num_int(s, 2, 2, &w) || (lit(s, '-') && !num_int(s, 1, 1, &dow)))
			return false;
		return week_date(d, y, w, dow);
	}
	if (is_letter_at(s->p) && *s->p) {
		char w[32];
		word(s, w, sizeof w);
		return (d->mon = month_of(w)) && lit(s, '-') && num_int(s, 1, 2, &d->day);
	}
	int n = run_len(s->p);
	if (n == 3 && s->p[0] == '0' && s->p[3] == '-') {
		d->mon = digits_at(s->p + 1, 2);
		s->p += 4;
		return num_int(s, 1, 2, &d->day);
	}
	if (n == 3) {
		int doy = digits_at(s->p, 3);
		s->p += 3;
		return ordinal_date(d, y, doy);
	}
	if (!num_int(s, 1, 2, &d->mon))
		return false;
	d->day = 1;
	return !lit(s, '-') || num_int(s, 1, 2, &d->day);
}

/* The date part; *korean is set by the "2004년 05월 28일" form. */
static bool iso_date(Scan *s, Date *d, bool *korean)
{
	d->mon = d->day = 1;
	if (lit(s, '-')) { /* -YYMM, -YY-MM */
		int n = run_len(s->p);
		if (n == 4) {
			d->year = full_year(digits_at(s->p, 2), 2), d->mon = digits_at(s->p + 2, 2);
			s->p += 4;
			return true;
		}
		int64_t yy;
		if (!num(s, 2, 2, &yy, NULL) || !lit(s, '-') || !num_int(s, 2, 2, &d->mon))
			return false;
		d->year = full_year(yy, 2);
		return true;
	}
	const char *p = s->p;
	int n = run_len(p);
	s->p += n;
	switch (n) {
	case 8: /* YYYYMMDD */
		d->year = digits_at(p, 4), d->mon = digits_at(p + 4, 2), d->day = digits_at(p + 6, 2);
		return true;
	case 7: /* YYYYDDD */
		return ordinal_date(d, digits_at(p, 4), digits_at(p + 4, 3));
	case 6: /* YYMMDD */
		d->year = full_year(digits_at(p, 2), 2), d->mon = digits_at(p + 2, 2), d->day = digits_at(p + 4, 2);
		return true;
	case 5: /* YYDDD */
		return ordinal_date(d, full_year(digits_at(p, 2), 2), digits_at(p + 2, 3));
	case 4:
		d->year = digits_at(p, 4);
		if (starts(s->p, "년")) {
			s->p += strlen("년");
			sp(s);
			*korean = true;
			if (!num_int(s, 1, 2, &d->mon) || !starts(s->p, "월"))
				return false;
			s->p += strlen("월");
			sp(s);
			if (!num_int(s, 1, 2, &d->day) || !starts(s->p, "일"))
				return false;
			s->p += strlen("일");
			return true;
		}
		if (lit(s, '-'))
			return iso_after_year(s, d);
		if (*s->p == 'W' || *s->p == 'w') { /* YYYYWww[D] */
			s->p++;
			int k = run_len(s->p);
			if (k != 2 && k != 3)
				return false;
			int w = digits_at(s->p, 2), dow = k == 3 ? s->p[2] - '0' : 1;
			s->p += k;
			return week_date(d, d->year, w, dow);
		}
		return true; /* the year alone */
	case 2: { /* YY-MM-DD, YY-DDD */
		d->year = full_year(digits_at(p, 2), 2);
		if (!lit(s, '-'))
			return false;
		if (run_len(s->p) == 3) {
			int doy = digits_at(s->p, 3);
			s->p += 3;
			return ordinal_date(d, d->year, doy);
		}
		return num_int(s, 2, 2, &d->mon) && lit(s, '-') && num_int(s, 2, 2, &d->day);
	}
	default:
		return false;
	}
}

/* "hh:mm[:ss]", "hhmm[ss]", "hh" (reduced precision), fractions dropped. */
static bool iso_time(Scan *s, Date *d)
{
	int n = run_len(s->p);
	if ((n == 1 || n == 2) && s->p[n] == ':')
		return clock_time(s, d);
	if (n != 2 && n != 4 && n != 6)
		return false;
	d->hour = digits_at(s->p, 2);
	d->min = n >= 4 ? digits_at(s->p + 2, 2) : 0;
	d->sec = n == 6 ? digits_at(s->p + 4, 2) : 0;
	s->p += n;
	skip_fraction(s);
	return true;
}

static bool parse_iso(const char *str, Date *d)
{
	Scan s = {str};
	bool korean = false;
	sp(&s);
	if (!iso_date(&s, d, &korean))
		return false;
	const char *before = s.p;
	sp(&s);
	int half = 0; /* Korean 오전 (AM) / 오후 (PM) */
	if (starts(s.p, KO_AM) || starts(s.p, KO_PM)) {
		half = starts(s.p, KO_PM) ? 2 : 1;
		s.p += strlen(KO_AM);
		korean = true;
		sp(&s);
	}
	bool spaced = s.p != before, timed = false;
	if (*s.p == 'T' || *s.p == 't') {
		s.p++;
		if (!(timed = iso_time(&s, d)))
			return false;
	} else if ((spaced || half) && isdigit((unsigned char)*s.p)) {
		if (!(timed = iso_time(&s, d)))
			return false;
	} else if (half) {
		return false;
	}
	if (half) {
		if (d->hour < 1 || d->hour > 12)
			return false;
		d->hour = d->hour % 12 + (half == 2 ? 12 : 0);
	}
	if (timed && zone(&s, d) < 0)
		return false; /* a zone only after a time: 2024-05-07-01 is nothing */
	if (korean && !d->zoned)
		d->offset = 9 * 3600; /* Korean sites give local time: KST */
	return at_end(&s);
}

/* }====================================================================== */

/* {======================================================================
 * RFC 822 and friends
 * ======================================================================= */

static bool month_word(Scan *s, Date *d)
{
	char w[32];
	if (!word(s, w, sizeof w) || !(d->mon = month_of(w)))
		return false;
	lit(s, '.');
	return true;
}

static void skip_seps(Scan *s, const char *seps)
{
	sp(s);
	while (*s->p && strchr(seps, *s->p)) {
		s->p++;
		sp(s);
	}
}

/* "DD Mon YYYY", "DD-Mon-YY", "Mon DD, YYYY", "Mon DD" (asctime: the year
 * comes after the time), "YYYY/MM/DD" (Perforce). */
static bool rfc_date(Scan *s, Date *d, bool *have_year)
{
	int64_t y;
	int nd;
	if (isdigit((unsigned char)*s->p)) {
		if (run_len(s->p) == 4 && s->p[4] == '/') {
			d->year = digits_at(s->p, 4);
			s->p += 5;
			*have_year = true;
			return num_int(s, 1, 2, &d->mon) && lit(s, '/') && num_int(s, 1, 2, &d->day);
		}
		if (!num_int(s, 1, 2, &d->day))
			return false;
		skip_seps(s, "-/.");
		if (!month_word(s, d))
			return false;
		skip_seps(s, ",-/");
		if (!num(s, 2, 4, &y, &nd))
			return false;
		d->year = full_year(y, nd);
		*have_year = true;
		return true;
	}
	if (!month_word(s, d))
		return false;
	sp(s);
	if (!num_int(s, 1, 2, &d->day))
		return false;
	skip_seps(s, ",");
	if (run_len(s->p) == 4 && s->p[4] != ':') {
		num(s, 4, 4, &y, &nd);
		d->year = y;
		*have_year = true;
	}
	return true;
}

static bool parse_rfc(const char *str, Date *d, bool day_name)
{
	Scan s = {str};
	bool have_year = false;
	sp(&s);
	if (day_name) {
		char w[32];
		if (!word(&s, w, sizeof w) || !is_day_name(w))
			return false;
		lit(&s, '.');
		skip_seps(&s, ",");
	}
	if (!rfc_date(&s, d, &have_year))
		return false;
	skip_seps(&s, ",");
	if (isdigit((unsigned char)*s.p) && !(have_year == false && run_len(s.p) == 4 && s.p[4] != ':')) {
		if (!clock_time(&s, d) || !meridiem(&s, d))
			return false;
	}
	int z = zone(&s, d);
	if (!have_year) { /* asctime: Mon DD hh:mm:ss [zone] YYYY */
		int64_t y;
		sp(&s);
		if (!num(&s, 4, 4, &y, NULL))
			return false;
		d->year = y;
		if (z == 0)
			z = zone(&s, d);
	}
	return z >= 0 && at_end(&s);
}

/* }====================================================================== */

bool date_parse(const char *s, size_t n, int64_t *t)
{
	if (n > DATE_MAX_LEN || memchr(s, 0, n))
		return false;
	char buf[DATE_MAX_LEN + 1];
	memcpy(buf, s, n);
	buf[n] = 0;
	Date d;
	bool ok = false;
	for (int how = 0; how < 3 && !ok; how++) {
		memset(&d, 0, sizeof d);
		if (how == 0)
			ok = parse_iso(buf, &d);
		else
			ok = parse_rfc(buf, &d, how == 1); /* a day name first, else none */
		ok = ok && date_valid(&d);
	}
	if (!ok)
		return false;
	int64_t days = date_days_from_civil(d.year, d.mon, d.day);
	*t = days * 86400 + d.hour * 3600 + d.min * 60 + d.sec - d.offset;
	return true;
}
