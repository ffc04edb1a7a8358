/* SelSet (editor/selection.c): sorting, merging rules, the primary through
 * merges and removals, the added-cursor history, conversions to the undo
 * layer's CursorSet, and a randomized check of normalize against a naive
 * coverage model (what is selected before is selected after, nothing
 * more). Prints "# seed N"; BRISK_SEED=N replays. */
#include "editor/selection.h"
#include "buffer/gapbuf.h"
#include "tests/unit/tap.h"
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static void set(SelSet *ss, const Sel *v, size_t n, size_t primary)
{
	ss->n = 0;
	for (size_t i = 0; i < n; i++)
		sel_push(ss, v[i]);
	ss->primary = primary;
}

/* "a-h a-h ..." with * after the primary, for readable failures. */
static const char *show(const SelSet *ss)
{
	static char buf[1024];
	size_t k = 0;
	for (size_t i = 0; i < ss->n && k < sizeof buf - 48; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%zu-%zu%s", i ? " " : "", ss->v[i].anchor,
		                      ss->v[i].head, i == ss->primary ? "*" : "");
	buf[k] = '\0';
	return buf;
}

static void test_merge_rules(void)
{
	SelSet ss;
	sel_init(&ss);
	sel_reset(&ss, 7);
	is_str(show(&ss), "7-7*", "reset: one cursor");

	set(&ss, (Sel[]){{9, 12}, {0, 2}, {5, 5}}, 3, 0);
	sel_normalize(&ss);
	is_str(show(&ss), "0-2 5-5 9-12*", "unsorted input is sorted, primary follows its selection");

	set(&ss, (Sel[]){{0, 4}, {2, 6}}, 2, 1);
	sel_normalize(&ss);
	is_str(show(&ss), "0-6*", "overlapping selections merge; the primary is the merged one");

	set(&ss, (Sel[]){{0, 4}, {4, 6}}, 2, 0);
	sel_normalize(&ss);
	is_str(show(&ss), "0-6*", "touching selections merge");

	set(&ss, (Sel[]){{3, 3}, {3, 3}, {3, 3}}, 3, 2);
	sel_normalize(&ss);
	is_str(show(&ss), "3-3*", "cursors at one place merge");

	set(&ss, (Sel[]){{2, 2}, {2, 5}, {5, 5}}, 3, 0);
	sel_normalize(&ss);
	is_str(show(&ss), "2-2* 2-5 5-5", "a cursor touching a selection stays apart");

	set(&ss, (Sel[]){{6, 2}, {4, 9}}, 2, 0);
	sel_normalize(&ss);
	is_str(show(&ss), "9-2*", "a merge keeps the first selection's direction (backward)");

	set(&ss, (Sel[]){{0, 10}, {2, 3}, {4, 4}}, 3, 2);
	sel_normalize(&ss);
	is_str(show(&ss), "0-10*", "contained selections and cursors vanish into the container");
	ok(sel_check(&ss), "sel_check after merges");
	sel_fini(&ss);
}

static void test_add_remove(void)
{
	SelSet ss;
	sel_init(&ss);
	sel_reset(&ss, 0);
	sel_add(&ss, (Sel){10, 13});
	sel_add(&ss, (Sel){5, 6});
	is_str(show(&ss), "0-0 5-6* 10-13", "sel_add keeps order and makes the new one primary");
	is_size(ss.nadded, 2, "two adds recorded");
	is_size(ss.added[1], 5, "newest add recorded by its start");

	sel_remove(&ss, 1);
	is_str(show(&ss), "0-0* 10-13", "removing the primary moves it to the one before");
	sel_add(&ss, (Sel){20, 20});
	sel_remove(&ss, 0);
	is_str(show(&ss), "10-13 20-20*", "removing before the primary keeps it on the same selection");
	sel_remove(&ss, 0);
	sel_remove(&ss, 0);
	is_str(show(&ss), "20-20*", "the last selection is never removed");

	sel_reset(&ss, 0);
	sel_push(&ss, (Sel){4, 4});
	sel_push(&ss, (Sel){8, 9});
	ss.primary = 2;
	is_size(sel_find(&ss, 0), 0, "sel_find: at a cursor");
	is_size(sel_find(&ss, 3), 1, "sel_find: between: the next one");
	is_size(sel_find(&ss, 9), 2, "sel_find: at a selection's end");
	is_size(sel_find(&ss, 10), 3, "sel_find: past the last: n");

	sel_collapse_to_primary(&ss);
	is_str(show(&ss), "8-9*", "collapse keeps the primary with its extent");
	ss.box.on = true;
	sel_collapse_to_primary(&ss);
	ok(!ss.box.on, "collapse ends a column mark");

	sel_reset(&ss, 3);
	sel_push(&ss, (Sel){9, 9});
	sel_clamp(&ss, 5);
	is_str(show(&ss), "3-3* 5-5", "clamp to the length");
	sel_fini(&ss);
}

static void test_replace_and_cursors(void)
{
	SelSet a, b;
	sel_init(&a);
	sel_init(&b);
	sel_reset(&a, 1);
	sel_add(&a, (Sel){4, 4});
	sel_reset(&b, 7);
	sel_push(&b, (Sel){9, 11});
	sel_replace(&a, &b, true);
	is_str(show(&a), "7-7* 9-11", "sel_replace takes the new set");
	is_size(a.nadded, 1, "keep_added keeps the history");
	ok(b.v == NULL && b.n == 0, "the source is left empty");

	CursorSet cs;
	ok(sel_to_cursors(&a, &cs), "to CursorSet");
	is_size(cs.n, 2, "two cursors");
	SelSet c;
	sel_init(&c);
	sel_from_cursors(&c, &cs);
	is_str(show(&c), "7-7* 9-11", "round trip through CursorSet");
	cs.primary = 1;
	sel_from_cursors(&c, &cs);
	is_str(show(&c), "7-7 9-11*", "the primary comes back too");
	cursorset_free(&cs);

	SelSet d;
	ok(sel_copy(&d, &c), "copy");
	is_str(show(&d), show(&c), "copy is equal");
	ok(sel_any_selected(&d), "any selected: yes");
	sel_reset(&d, 2);
	ok(!sel_any_selected(&d), "any selected: no");
	sel_fini(&a);
	sel_fini(&b);
	sel_fini(&c);
	sel_fini(&d);
}

/* ===== random: normalize against a coverage model ====================== */

static uint64_t rng;
static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? rng % n : 0;
}

#define SPAN 64

static bool random_round(void)
{
	SelSet ss;
	sel_init(&ss);
	size_t n = 1 + rnd(12);
	bool covered[SPAN + 1] = {false}, cursor[SPAN + 1] = {false};
	for (size_t i = 0; i < n; i++) {
		size_t a = rnd(SPAN + 1), h = rnd(4) ? a + rnd(6) : a;
		h = h > SPAN ? SPAN : h;
		if (rnd(2)) {
			size_t t = a;
			a = h;
			h = t;
		}
		sel_push(&ss, (Sel){a, h});
		for (size_t p = sel_start(ss.v[i]); p < sel_end(ss.v[i]); p++)
			covered[p] = true;
		if (a == h)
			cursor[a] = true;
	}
	ss.primary = rnd(n);
	Sel prim = ss.v[ss.primary];
	sel_normalize(&ss);
	bool good = sel_check(&ss);
	bool after[SPAN + 1] = {false};
	for (size_t i = 0; i < ss.n; i++)
		for (size_t p = sel_start(ss.v[i]); p < sel_end(ss.v[i]); p++)
			after[p] = true;
	for (size_t p = 0; p <= SPAN; p++) {
		good = good && after[p] == covered[p];
		/* A cursor survives alone or inside / at the edge of a selection. */
		if (cursor[p]) {
			size_t k = sel_find(&ss, p);
			good = good && k < ss.n && sel_start(ss.v[k]) <= p;
		}
	}
	/* The primary's selection contains where the primary was. */
	Sel np = ss.v[ss.primary];
	good = good && sel_start(np) <= sel_start(prim) && sel_end(prim) <= sel_end(np);
	if (!good)
		diag("after normalize: %s", show(&ss));
	sel_fini(&ss);
	return good;
}

int main(void)
{
	const char *env = getenv("BRISK_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
	printf("# seed %llu\n", (unsigned long long)seed);
	rng = seed ? seed : 1;
	test_merge_rules();
	test_add_remove();
	test_replace_and_cursors();
	size_t bad = 0, rounds = 20000;
	for (size_t r = 0; r < rounds && bad < 3; r++)
		bad += !random_round();
	ok(bad == 0, "%zu random sets: normalize keeps coverage, order, cursors, primary", rounds);
	return done_testing();
}
