/* Feed dates to Unix seconds: the one date parser brisk has (brisk.time.parse
 * binds it). Pure computation on bytes: no locale, no TZ, no Lua, so the
 * C unit tests link it alone. */
#ifndef LUA_DATE_H
#define LUA_DATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest input looked at; longer strings are not dates. */
#define DATE_MAX_LEN 200

/* Reads s[0..n) as a date and stores its Unix time (UTC) in *t. False, *t
 * untouched, when s is not a date this parser can read without guessing:
 * RFC 822/1123/2822/850 and asctime forms (day and month names also in a
 * few other languages, US zone letters, +hh:mm, GMT+h, an unknown zone
 * name is not read as UTC), W3C-DTF / ISO 8601 (reduced precision, basic
 * and extended forms, 2-digit years, ordinal and week dates), Perforce
 * (2006/09/15 08:19:53 EDT) and the Korean forms (KST unless a zone is
 * given). A date without a zone is UTC. */
bool date_parse(const char *s, size_t n, int64_t *t);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t date_days_from_civil(int64_t y, int m, int d);
void date_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
#endif
