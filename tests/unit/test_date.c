/* lua/date.c, the one date parser (brisk.time.parse): a table of real-world
 * shapes per family (RFC 822 zones and spellings, asctime, localized
 * names, W3C-DTF / ISO 8601 reduced, basic, ordinal and week forms, the
 * Korean forms) with the Unix time each must give, or "not a date"; then
 * the calendar helpers against each other over four centuries. */
#include "lua/date.h"
#include "tests/unit/tap.h"
#include <inttypes.h>

static const struct {
	const char *in;
	bool ok;
	int64_t want;
} CASES[] = {
	{"Tue, 07 May 2024 09:30:00 GMT", true, 1715074200},
	{"Tue, 07 May 2024 09:30:00 EST", true, 1715092200},
	{"Tue, 07 May 2024 09:30:00 EDT", true, 1715088600},
	{"Tue, 07 May 2024 09:30:00 ET", true, 1715092200},
	{"Tue, 07 May 2024 09:30:00 CT", true, 1715095800},
	{"Tue, 07 May 2024 09:30:00 MT", true, 1715099400},
	{"Tue, 07 May 2024 09:30:00 PT", true, 1715103000},
	{"Tue, 07 May 2024 09:30:00 AT", true, 1715088600},
	{"Tue, 07 May 2024 09:30:00 PDT", true, 1715099400},
	{"Tue, 07 May 2024 09:30:00 AKST", true, 1715106600},
	{"Tue, 07 May 2024 09:30:00 CEST", true, 1715067000},
	{"Tue, 07 May 2024 09:30:00 MEST", true, 1715067000},
	{"Tue, 07 May 2024 09:30:00 JST", true, 1715041800},
	{"Tue, 07 May 2024 09:30:00 +0530", true, 1715054400},
	{"Tue, 07 May 2024 09:30:00 -07:30", true, 1715101200},
	{"Tue, 07 May 2024 09:30:00 +02", true, 1715067000},
	{"Tue, 07 May 2024 09:30:00 GMT+2", true, 1715067000},
	{"Tue, 07 May 2024 09:30:00 UTC-03:15", true, 1715085900},
	{"Tue, 07 May 2024 09:30:00 Etc/GMT", true, 1715074200},
	{"Tue, 07 May 2024 09:30:00 +0000 (Coordinated Universal Time)", true, 1715074200},
	{"Tue, 07 May 2024 09:30:00 Q", true, 1715074200},
	{"Tue, 07 May 2024 09:30:00 XYZT", false, 0},
	{"Tue, 07 May 2024 09:30:00 +2500", false, 0},
	{"Tue, 07 May 2024 09:30:00 +01:7x", false, 0},
	{"07 May 2024 09:30 +0000", true, 1715074200},
	{"Tuesday, 07-May-24 09:30:00 GMT", true, 1715074200},
	{"Tue, 7 May 2024 9:30:05 GMT", true, 1715074205},
	{"Tue, 07 May, 2024 09:30:00 UTC", true, 1715074200},
	{"Tue, 07 May 2024", true, 1715040000},
	{"Tue, 07 Sept 2024 09:30:00 GMT", true, 1725701400},
	{"Tue, 07 Sep. 2024 09:30:00 GMT", true, 1725701400},
	{"Tue May  7 09:30:00 2024", true, 1715074200},
	{"Tue May 07 09:30:00 -0400 2024", true, 1715088600},
	{"Tue May 07 2024 09:30:00 GMT+0200 (CEST)", true, 1715067000},
	{"May 7, 2024 09:30:00 +0300", true, 1715063400},
	{"May 7, 2024 9:30 PM EST", true, 1715135400},
	{"Tue, 07 May 2024 12:05 am GMT", true, 1715040300},
	{"Tue, 07 May 98 09:30:00 GMT", true, 894533400},
	{"Tue, 2024/05/07 09:30:00 EDT", true, 1715088600},
	{"Di, 07 Mai 2024 09:30:00 +0200", true, 1715067000},
	{"mar., 07 mai 2024 09:30:00 +0200", true, 1715067000},
	{"Mar 07 2024 09:30:00 GMT", true, 1709803800},
	{"7 de mayo 2024", false, 0},
	{"07 März 2024 09:30:00 MEZ", true, 1709800200},
	{"07 décembre 2023 10:00:00 +0100", true, 1701939600},
	{"Τρι, 07 Μάι 2024 09:30:00 GMT", true, 1715074200},
	{"ΤΡΙ, 07 ΜΆΙ 2024 09:30:00 GMT", true, 1715074200},
	{"07 мая 2024 09:30:00 +0300", true, 1715063400},
	{"Tue, 07 May 2024 25:30:00 GMT", false, 0},
	{"Tue, 07 May 2024 09:30:00:01 GMT", false, 0},
	{"Tue, 31 Apr 2024 09:30:00 GMT", false, 0},
	{"Tue, 07 Mayo 2024 09:30:00 GMT", true, 1715074200},
	{"Tue, 07 Mqy 2024 09:30:00 GMT", false, 0},
	{"Tue, May x 2024 09:30:00 GMT", false, 0},
	{"Tue, 07 May 2024 09:30:00 GMT and more", false, 0},
	{"sometime next week", false, 0},
	{"", false, 0},
	{"   ", false, 0},
	{"2024", true, 1704067200},
	{"2024-05-07T09:30:00Z", true, 1715074200},
	{"2024-05-07T09:30:00.123456+02:00", true, 1715067000},
	{"2024-05-07T09:30:00,5-0130", true, 1715079600},
	{"2024-05-07T09:30Z", true, 1715074200},
	{"2024-05-07T09Z", true, 1715072400},
	{"2024-05-07 09:30:00", true, 1715074200},
	{"2024-05-07 09:30:00.0", true, 1715074200},
	{"2024-05-07 09:30:00 -00:45", true, 1715076900},
	{"2024-05-07 09:30:00 EST", true, 1715092200},
	{"2024-05-07T093000Z", true, 1715074200},
	{"20240507T0930Z", true, 1715074200},
	{"20240507", true, 1715040000},
	{"2024-05", true, 1714521600},
	{"2024-5-7", true, 1715040000},
	{"240507", true, 1715040000},
	{"24-05-07", true, 1715040000},
	{"-2405", true, 1714521600},
	{"-24-05", true, 1714521600},
	{"2024-128", true, 1715040000},
	{"2024128", true, 1715040000},
	{"24128", true, 1715040000},
	{"2023-365", true, 1703980800},
	{"2023-366", false, 0},
	{"2024-366", true, 1735603200},
	{"2024-W19-2", true, 1715040000},
	{"2024W192", true, 1715040000},
	{"2024-W01", true, 1704067200},
	{"2020-W53-7", true, 1609632000},
	{"2021-W53-1", false, 0},
	{"2024-005-07T09:30:00Z", true, 1715074200},
	{"2024-május-07T9:30-05:00", true, 1715092200},
	{"2024-05-07 오후 09:30:00", true, 1715085000},
	{"2024-05-07 오전 12:10:00", true, 1715008200},
	{"2024년 05월 07일  09:30:00", true, 1715041800},
	{"2024-05-07T24:00:00Z", true, 1715126400},
	{"2024-05-07T24:01:00Z", false, 0},
	{"2024-05-07T09:61:00Z", false, 0},
	{"2024-05-07T09:30:61Z", false, 0},
	{"2024-13-07", false, 0},
	{"2024-02-30", false, 0},
	{"2023-02-29", false, 0},
	{"2024-02-29", true, 1709164800},
	{"2024-05-07-01", false, 0},
	{"2024-05-07T09:30:00-06:00Tx", false, 0},
	{"2024-xx-07", false, 0},
	{"2024-05-07T09:xx:00Z", false, 0},
	{"2024-05-07T09:30:00+00:xx", false, 0},
	{"024", false, 0},
	{"202405071", false, 0},
	{"9999-12-31T23:59:59-99:99", false, 0},
	{"1969-12-31T23:59:59Z", true, -1},
	{"2024-05-07T09:30:00+14:00", true, 1715023800},
};

static void test_table(void)
{
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		int64_t t = -12345;
		bool got = date_parse(CASES[i].in, strlen(CASES[i].in), &t);
		if (CASES[i].ok)
			ok(got && t == CASES[i].want, "%s -> %" PRId64 " (got %s %" PRId64 ")", CASES[i].in,
			   CASES[i].want, got ? "true" : "false", t);
		else
			ok(!got && t == -12345, "%s is not a date (got %s %" PRId64 ")", CASES[i].in,
			   got ? "true" : "false", t);
	}
}

static void test_limits(void)
{
	int64_t t;
	char big[DATE_MAX_LEN + 2];
	memset(big, ' ', sizeof big);
	memcpy(big, "2024-05-07", 10);
	ok(!date_parse(big, sizeof big, &t), "longer than DATE_MAX_LEN: not a date");
	ok(date_parse(big, DATE_MAX_LEN, &t), "DATE_MAX_LEN bytes (trailing blanks) still read");
	ok(!date_parse("2024-05-07\0Z", 12, &t), "an embedded NUL: not a date");
	ok(date_parse("2024-05-07Zxx", 10, &t) && t == 1715040000, "only n bytes are read");
}

static void test_calendar(void)
{
	bool all = true;
	for (int64_t days = -146097 * 2; days <= 146097 * 2 && all; days += 17) {
		int64_t y;
		int m, d;
		date_civil_from_days(days, &y, &m, &d);
		all = date_days_from_civil(y, m, d) == days && m >= 1 && m <= 12 && d >= 1 && d <= 31;
		if (!all)
			diag("day %" PRId64 " -> %" PRId64 "-%d-%d", days, y, m, d);
	}
	ok(all, "civil_from_days and days_from_civil agree over 1600 years");
	ok(date_days_from_civil(1970, 1, 1) == 0 && date_days_from_civil(2000, 3, 1) == 11017,
	   "day numbers of known dates");
}

int main(void)
{
	test_table();
	test_limits();
	test_calendar();
	return done_testing();
}
