/* Tiny TAP producer for the C unit tests, header-only (one test = one .c).
 * Every assertion reports file:line on failure; main() ends with
 * `return done_testing();`, whose value is the exit status.
 *
 *   plan(n);                      optional: the count is checked at the end
 *   ok(cond, "fmt", ...)          returns cond, so `if (!ok(...)) return;`
 *   is_int / is_size / is_str / is_mem (8-bit clean, escaped on failure)
 *   diag("fmt", ...)              a "# ..." line on stdout
 *   skip(n, "why")                n "ok N # skip why" lines
 *   BAIL_OUT("fmt", ...)          stops the whole test file */
#ifndef TESTS_UNIT_TAP_H
#define TESTS_UNIT_TAP_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAP_PRINTF(a, b) __attribute__((format(printf, a, b)))

typedef struct TapState {
	long planned; /* -1: no plan */
	long run, failed;
} TapState;

static inline TapState *tap_state(void)
{
	static TapState st = {-1, 0, 0};
	return &st;
}

static inline void plan(long n)
{
	tap_state()->planned = n;
	printf("1..%ld\n", n);
	fflush(stdout);
}

TAP_PRINTF(1, 2) static inline void diag(const char *fmt, ...)
{
	va_list ap;
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static inline bool tap_vok(bool cond, const char *file, int line, const char *fmt, va_list ap)
{
	TapState *st = tap_state();
	st->run++;
	if (!cond)
		st->failed++;
	printf("%sok %ld - ", cond ? "" : "not ", st->run);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	if (!cond)
		printf("#   Failed test at %s:%d\n", file, line);
	fflush(stdout);
	return cond;
}

TAP_PRINTF(4, 5) static inline bool tap_ok(bool cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool r = tap_vok(cond, file, line, fmt, ap);
	va_end(ap);
	return r;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Prints bytes with C escapes so NULs, newlines and invalid UTF-8 show. */
static inline void tap_print_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' || c == '"')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

TAP_PRINTF(7, 8) static inline bool tap_is_mem(const char *got, size_t glen, const char *want,
					       size_t wlen, const char *file, int line, const char *fmt, ...)
{
	bool cond = got && glen == wlen && memcmp(got, want, wlen) == 0;
	va_list ap;
	va_start(ap, fmt);
	tap_vok(cond, file, line, fmt, ap);
	va_end(ap);
	if (!cond) {
		const size_t cap = 200;
		fputs("#          got: ", stdout);
		if (got) {
			putchar('"');
			tap_print_escaped(got, glen < cap ? glen : cap);
			printf("\"%s (%zu bytes)", glen > cap ? "..." : "", glen);
		} else {
			fputs("NULL", stdout);
		}
		fputs("\n#     expected: \"", stdout);
		tap_print_escaped(want, wlen < cap ? wlen : cap);
		printf("\"%s (%zu bytes)\n", wlen > cap ? "..." : "", wlen);
		fflush(stdout);
	}
	return cond;
}

#define is_mem(got, glen, want, wlen, ...) \
	tap_is_mem((got), (glen), (want), (wlen), __FILE__, __LINE__, __VA_ARGS__)

TAP_PRINTF(5, 6) static inline bool tap_is_str(const char *got, const char *want, const char *file,
					       int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return tap_is_mem(got, got ? strlen(got) : 0, want, strlen(want), file, line, "%s", msg);
}

#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

TAP_PRINTF(5, 6) static inline bool tap_is_size(size_t got, size_t want, const char *file, int line,
						const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool cond = tap_vok(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!cond) {
		/* BUF_NOPOS reads better as -1 than as 18446744073709551615. */
		printf("#          got: %zu%s\n", got, got == (size_t)-1 ? " (NOPOS)" : "");
		printf("#     expected: %zu%s\n", want, want == (size_t)-1 ? " (NOPOS)" : "");
		fflush(stdout);
	}
	return cond;
}

#define is_size(got, want, ...) tap_is_size((size_t)(got), (size_t)(want), __FILE__, __LINE__, __VA_ARGS__)

TAP_PRINTF(5, 6) static inline bool tap_is_int(long long got, long long want, const char *file, int line,
					       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool cond = tap_vok(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!cond) {
		printf("#          got: %lld\n#     expected: %lld\n", got, want);
		fflush(stdout);
	}
	return cond;
}

#define is_int(got, want, ...) tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)

static inline void skip(long n, const char *why)
{
	for (long i = 0; i < n; i++)
		printf("ok %ld # skip %s\n", ++tap_state()->run, why);
	fflush(stdout);
}

TAP_PRINTF(1, 2) static inline void tap_bail_out(const char *fmt, ...)
{
	va_list ap;
	fputs("Bail out! ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	exit(255);
}

#define BAIL_OUT(...) tap_bail_out(__VA_ARGS__)

/* Prints the plan if none was given and returns the exit status: 0 when
 * every test ran and passed. */
static inline int done_testing(void)
{
	TapState *st = tap_state();
	if (st->planned < 0)
		printf("1..%ld\n", st->run);
	else if (st->run != st->planned)
		diag("planned %ld tests but ran %ld", st->planned, st->run);
	if (st->failed)
		diag("failed %ld of %ld tests", st->failed, st->run);
	fflush(stdout);
	return st->failed || (st->planned >= 0 && st->run != st->planned) || st->run == 0;
}
#endif
