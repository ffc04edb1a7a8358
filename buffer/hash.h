/* FNV-1a 64: names of per-file state files (journals) and checksums of
 * what was written to them. Not for anything an attacker chooses: it only
 * tells our own files apart and catches torn writes. */
#ifndef BUFFER_HASH_H
#define BUFFER_HASH_H
#include <ctype.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define HASH_FNV_INIT 14695981039346656037ULL

/* Continues a hash h (start with HASH_FNV_INIT) over n bytes. */
static inline uint64_t hash_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* "NAME-HASH": a file name for state kept about path that is readable in a
 * listing (the base name, up to 64 safe characters, never starting with a
 * dot) and unique per path (the hash of the whole path). */
static inline void hash_path_tag(const char *path, char *out, size_t size)
{
	char name[72];
	const char *base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	size_t k = 0;
	for (; base[k] && k < 64; k++)
		name[k] = isalnum((unsigned char)base[k]) || strchr("-_.", base[k]) ? base[k] : '_';
	name[k] = '\0';
	if (name[0] == '.')
		name[0] = '_';
	snprintf(out, size, "%s-%016" PRIx64, name, hash_fnv1a(HASH_FNV_INIT, path, strlen(path)));
}
#endif
