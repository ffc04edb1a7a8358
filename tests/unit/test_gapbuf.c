/* GapBuf: edits at the gap and away from it, spans across the gap, 8-bit
 * clean bytes, failures that change nothing, and a short random run
 * against a plain array. */
#include "buffer/gapbuf.h"
#include "tests/unit/tap.h"
#include <errno.h>
#include <stdint.h>

/* The whole buffer as one malloc'd block (via gapbuf_copy, gap left alone). */
static char *contents(const GapBuf *gb)
{
	size_t n = gapbuf_len(gb);
	char *s = malloc(n + 1);
	if (!s)
		BAIL_OUT("out of memory");
	size_t got = gapbuf_copy(gb, 0, n, s);
	if (got != n)
		BAIL_OUT("gapbuf_copy copied %zu of %zu", got, n);
	s[n] = '\0';
	return s;
}

static bool has(const GapBuf *gb, const char *want, size_t wlen, const char *what)
{
	char *s = contents(gb);
	bool r = is_mem(s, gapbuf_len(gb), want, wlen, "%s", what);
	free(s);
	return r;
}

static void test_empty(void)
{
	GapBuf gb;
	gapbuf_init(&gb);
	is_size(gapbuf_len(&gb), 0, "empty: length 0");
	ok(gapbuf_is_empty(&gb), "empty: is_empty");
	is_int(gapbuf_byte(&gb, 0), -1, "empty: byte(0) is -1");
	size_t n = 99;
	const char *p = gapbuf_span(&gb, 0, &n);
	ok(p != NULL && n == 0, "empty: span is empty, not NULL");
	is_str(gapbuf_contiguous(&gb), "", "empty: contiguous is \"\"");
	ok(gapbuf_insert(&gb, 0, "", 0), "empty: inserting nothing succeeds");
	ok(gapbuf_delete(&gb, 0, 0), "empty: deleting nothing succeeds");
	errno = 0;
	ok(!gapbuf_delete(&gb, 0, 1) && errno == EINVAL, "empty: delete past the end fails with EINVAL");
	ok(gapbuf_check(&gb), "empty: check");
	gapbuf_fini(&gb);
	gapbuf_fini(&gb); /* twice is harmless */
	ok(gb.data == NULL && gb.cap == 0, "fini leaves a clean empty buffer");
}

static void test_insert_delete(void)
{
	GapBuf gb;
	gapbuf_init(&gb);
	ok(gapbuf_insert(&gb, 0, "world", 5), "insert into empty");
	ok(gapbuf_insert(&gb, 0, "hello ", 6), "insert at 0");
	ok(gapbuf_insert(&gb, 11, "!", 1), "insert at end");
	ok(gapbuf_insert(&gb, 5, ",", 1), "insert in the middle");
	has(&gb, "hello, world!", 13, "bytes after inserts");
	is_int(gapbuf_byte(&gb, 0), 'h', "byte 0");
	is_int(gapbuf_byte(&gb, 12), '!', "last byte");
	is_int(gapbuf_byte(&gb, 13), -1, "byte past the end");

	errno = 0;
	ok(!gapbuf_insert(&gb, 14, "x", 1) && errno == EINVAL, "insert past the end fails with EINVAL");
	has(&gb, "hello, world!", 13, "failed insert changed nothing");

	ok(gapbuf_delete(&gb, 5, 1), "delete in the middle");
	ok(gapbuf_delete(&gb, 0, 6), "delete at 0");
	ok(gapbuf_delete(&gb, 5, 1), "delete the last byte");
	has(&gb, "world", 5, "bytes after deletes");
	errno = 0;
	ok(!gapbuf_delete(&gb, 3, 3) && errno == EINVAL, "delete running past the end fails");
	errno = 0;
	ok(!gapbuf_delete(&gb, 6, 0) && errno == EINVAL, "delete starting past the end fails");
	errno = 0;
	ok(!gapbuf_delete(&gb, 2, SIZE_MAX) && errno == EINVAL, "delete of SIZE_MAX bytes fails (no overflow)");
	has(&gb, "world", 5, "failed deletes changed nothing");
	ok(gapbuf_delete(&gb, 0, 5), "delete everything");
	ok(gapbuf_is_empty(&gb) && gapbuf_check(&gb), "empty again");
	gapbuf_fini(&gb);
}

static void test_8bit(void)
{
	static const char bytes[] = "a\0b\xff\xfe\r\n\0\x80";
	size_t n = sizeof bytes - 1;
	GapBuf gb;
	gapbuf_init(&gb);
	ok(gapbuf_insert(&gb, 0, bytes, n), "insert NULs and invalid UTF-8");
	gapbuf_move_gap(&gb, 3);
	has(&gb, bytes, n, "bytes survive, gap in the middle");
	is_int(gapbuf_byte(&gb, 1), 0, "NUL byte reads as 0");
	is_int(gapbuf_byte(&gb, 3), 0xff, "0xff reads as 255, not -1");
	const char *c = gapbuf_contiguous(&gb);
	ok(memcmp(c, bytes, n) == 0, "contiguous keeps the NULs");
	gapbuf_fini(&gb);
}

static void test_spans(void)
{
	GapBuf gb;
	gapbuf_init(&gb);
	gapbuf_insert(&gb, 0, "abcdefghij", 10);
	gapbuf_move_gap(&gb, 4);
	ok(gapbuf_check(&gb), "gap moved to 4");
	is_size(gb.gap_start, 4, "gap starts at 4");
	size_t n;
	const char *p = gapbuf_span(&gb, 1, &n);
	ok(n == 3 && memcmp(p, "bcd", 3) == 0, "span before the gap ends at the gap");
	p = gapbuf_span(&gb, 4, &n);
	ok(n == 6 && memcmp(p, "efghij", 6) == 0, "span after the gap runs to the end");
	p = gapbuf_span(&gb, 10, &n);
	ok(p != NULL && n == 0, "span at the end is empty");
	p = gapbuf_span(&gb, 11, &n);
	is_size(n, 0, "span past the end is empty");

	char buf[16] = {0};
	is_size(gapbuf_copy(&gb, 2, 5, buf), 5, "copy across the gap: count");
	is_mem(buf, 5, "cdefg", 5, "copy across the gap: bytes");
	is_size(gapbuf_copy(&gb, 8, 10, buf), 2, "copy clipped at the end");
	is_size(gapbuf_copy(&gb, 10, 3, buf), 0, "copy at the end copies nothing");
	is_size(gapbuf_copy(&gb, 12, 3, buf), 0, "copy past the end copies nothing");

	/* Every gap position gives the same bytes. */
	bool same = true;
	for (size_t g = 0; g <= 10; g++) {
		gapbuf_move_gap(&gb, g);
		char *s = contents(&gb);
		same = same && memcmp(s, "abcdefghij", 10) == 0 && gapbuf_check(&gb);
		for (size_t i = 0; i < 10; i++)
			same = same && gapbuf_byte(&gb, i) == "abcdefghij"[i];
		free(s);
	}
	ok(same, "moving the gap anywhere keeps the bytes");
	gapbuf_move_gap(&gb, 3);
	is_mem(gapbuf_contiguous(&gb), 10, "abcdefghij", 10, "contiguous from a middle gap");
	is_size(gb.gap_start, 10, "contiguous moved the gap to the end");
	gapbuf_fini(&gb);
}

static void test_reserve_adopt(void)
{
	GapBuf gb;
	gapbuf_init(&gb);
	gapbuf_insert(&gb, 0, "xy", 2);
	ok(gapbuf_reserve(&gb, 1000), "reserve 1000");
	char *before = gb.data;
	char big[1000];
	memset(big, 'q', sizeof big);
	gapbuf_move_gap(&gb, 1);
	ok(gapbuf_insert(&gb, 1, big, sizeof big), "insert the reserved amount");
	ok(gb.data == before, "no reallocation after reserve");
	ok(gapbuf_len(&gb) == 1002 && gapbuf_byte(&gb, 0) == 'x' && gapbuf_byte(&gb, 1001) == 'y',
	   "bytes around the insert");
	errno = 0;
	ok(!gapbuf_reserve(&gb, SIZE_MAX - 10) && errno == ENOMEM, "absurd reserve fails with ENOMEM");
	ok(gapbuf_len(&gb) == 1002 && gapbuf_check(&gb), "failed reserve changed nothing");
	gapbuf_fini(&gb);

	char *block = malloc(64);
	memcpy(block, "adopted", 7);
	gapbuf_init(&gb);
	gapbuf_adopt(&gb, block, 7, 64);
	ok(gapbuf_check(&gb), "adopt: check");
	has(&gb, "adopted", 7, "adopt: bytes");
	ok(gapbuf_insert(&gb, 7, "!", 1), "adopt: insert into the spare room");
	has(&gb, "adopted!", 8, "adopt: bytes after insert");
	block = malloc(3);
	memcpy(block, "abc", 3);
	gapbuf_adopt(&gb, block, 3, 3); /* frees the old block; no gap at all */
	has(&gb, "abc", 3, "adopt a full block (no gap)");
	ok(gapbuf_insert(&gb, 1, "-", 1), "insert into a gapless block grows it");
	has(&gb, "a-bc", 4, "bytes after growing");
	gapbuf_fini(&gb);
}

static void test_large(void)
{
	size_t n = 1 << 20;
	char *big = malloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(i * 7 + i / 251);
	GapBuf gb;
	gapbuf_init(&gb);
	ok(gapbuf_insert(&gb, 0, big, n / 2) && gapbuf_insert(&gb, 0, big + n / 2, n / 2), "1 MiB in two inserts");
	gapbuf_move_gap(&gb, n / 3);
	bool same = true;
	for (size_t i = 0; i < n && same; i++)
		same = gapbuf_byte(&gb, i) == (unsigned char)big[(i + n / 2) % n];
	ok(same, "1 MiB reads back in order");
	gapbuf_fini(&gb);
	free(big);
}

/* Random inserts/deletes/gap moves against a plain array. */
static void test_random(void)
{
	enum { CAP = 4096 };
	char model[CAP];
	size_t mlen = 0;
	uint32_t seed = 12345;
	GapBuf gb;
	gapbuf_init(&gb);
	bool good = true;
	long i;
	for (i = 0; i < 20000 && good; i++) {
		seed = seed * 1103515245u + 12345u;
		uint32_t r = seed >> 8;
		size_t pos = mlen ? r % (mlen + 1) : 0;
		if (r % 3 == 0 && mlen > 0) {
			size_t del = (r / 7) % (mlen - (pos < mlen ? pos : mlen) + 1);
			if (pos + del > mlen)
				del = mlen - pos;
			good = gapbuf_delete(&gb, pos, del);
			memmove(model + pos, model + pos + del, mlen - pos - del);
			mlen -= del;
		} else if (r % 3 == 1) {
			gapbuf_move_gap(&gb, pos);
		} else {
			char ins[40];
			size_t n = (r / 5) % sizeof ins;
			if (mlen + n >= CAP)
				n = 0;
			for (size_t k = 0; k < n; k++)
				ins[k] = (char)(r >> (k % 24));
			good = gapbuf_insert(&gb, pos, ins, n);
			memmove(model + pos + n, model + pos, mlen - pos);
			memcpy(model + pos, ins, n);
			mlen += n;
		}
		char *s = contents(&gb);
		good = good && gapbuf_check(&gb) && gapbuf_len(&gb) == mlen && memcmp(s, model, mlen) == 0;
		free(s);
	}
	ok(good, "20000 random edits match a plain array (stopped at op %ld)", i);
	gapbuf_fini(&gb);
}

int main(void)
{
	test_empty();
	test_insert_delete();
	test_8bit();
	test_spans();
	test_reserve_adopt();
	test_large();
	test_random();
	return done_testing();
}
