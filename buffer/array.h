/* Growing arrays: the one place that doubles a capacity, so every list in
 * brisk grows the same way and fails the same way (false, errno ENOMEM,
 * nothing changed). */
#ifndef BUFFER_ARRAY_H
#define BUFFER_ARRAY_H
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `need` elements of `size` bytes in the array whose
 * pointer is at arrp, capacity *cap. */
static inline bool array_reserve_(void *arrp, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t nc = *cap ? *cap : 8;
	while (nc < need) {
		if (nc > SIZE_MAX / 2 / size) {
			errno = ENOMEM;
			return false;
		}
		nc *= 2;
	}
	void *old, *np;
	memcpy(&old, arrp, sizeof old);
	if (!(np = realloc(old, nc * size)))
		return false;
	memcpy(arrp, &np, sizeof np);
	*cap = nc;
	return true;
}

/* ARRAY_RESERVE(ptr, cap, need): ptr is an lvalue pointer to the elements. */
#define ARRAY_RESERVE(ptr, cap, need) array_reserve_(&(ptr), &(cap), (need), sizeof *(ptr))

/* A growing string, always NUL-terminated once something was put: start
 * it as {.ok = true}; after a failed allocation ok stays false and puts
 * do nothing, so a builder checks once at its end. The owner frees s. */
typedef struct StrBuf {
	char *s;
	size_t n, cap;
	bool ok;
} StrBuf;

static inline void strbuf_put(StrBuf *b, const char *s, size_t len)
{
	if (!b->ok || !ARRAY_RESERVE(b->s, b->cap, b->n + len + 1)) {
		b->ok = false;
		return;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}
#endif
