/* Text: one-pass batches (adjacent edits, pure inserts at one spot, bad
 * batches), mark gravity, undo/redo of bytes and cursor sets, typing runs
 * as one undo step, and the modified flag across save/undo/redo. */
#include "buffer/text.h"
#include "tests/unit/tap.h"
#include <errno.h>

/* The bytes of t equal want[0, n). */
static bool bytes_are(const Text *t, const char *want, size_t n, const char *what)
{
	char *all = text_dup(t, 0, text_len(t));
	bool good = is_mem(all, text_len(t), want, n, "%s", what);
	free(all);
	return good;
}

static bool text_is(Text *t, const char *want, const char *what)
{
	bool good = text_check(t);
	if (!good)
		return ok(false, "%s: text_check", what);
	return bytes_are(t, want, strlen(want), what);
}

static Text *text_of(const char *s)
{
	/* Adopted bytes: no history, like a freshly loaded file. */
	Text *t = text_new();
	size_t n = strlen(s);
	char *copy = malloc(n + 1);
	if (!t || !copy || !text_adopt(t, memcpy(copy, s, n + 1), n, n + 1))
		BAIL_OUT("cannot make a text");
	return t;
}

/* A cursor set of n carets (anchor == head) at the given offsets, stored
 * in pos (2n entries). */
static CursorSet carets(size_t *pos, size_t n, const size_t *at)
{
	for (size_t i = 0; i < n; i++)
		pos[2 * i] = pos[2 * i + 1] = at[i];
	return (CursorSet){pos, n, 0};
}

static bool cursors_are(const CursorSet *cs, size_t n, const size_t *at, const char *what)
{
	bool good = cs->n == n;
	for (size_t i = 0; good && i < n; i++)
		good = cs->pos[2 * i] == at[i] && cs->pos[2 * i + 1] == at[i];
	if (!ok(good, "%s", what)) {
		diag("got %zu cursors:", cs->n);
		for (size_t i = 0; i < cs->n; i++)
			diag("  (%zu, %zu)", cs->pos[2 * i], cs->pos[2 * i + 1]);
	}
	return good;
}

static void test_basics(void)
{
	Text *t = text_new();
	ok(t && text_len(t) == 0 && text_check(t), "new text is empty and valid");
	ok(!text_is_modified(t) && !text_can_undo(t) && !text_can_redo(t), "new text: clean, no history");
	ok(text_insert(t, 0, "hello", 5), "insert");
	ok(text_insert(t, 5, " world", 6), "append");
	text_is(t, "hello world", "bytes");
	is_int(text_byte(t, 4), 'o', "text_byte");
	is_int(text_byte(t, 11), -1, "text_byte past the end");
	char *d = text_dup(t, 6, 100);
	is_str(d, "world", "text_dup clips to the end");
	free(d);
	d = text_dup(t, 50, 3);
	is_str(d, "", "text_dup past the end is empty");
	free(d);
	char buf[8];
	is_size(text_copy(t, 3, 4, buf), 4, "text_copy count");
	is_mem(buf, 4, "lo w", 4, "text_copy bytes");
	ok(text_delete(t, 0, 6), "delete");
	text_is(t, "world", "after delete");
	uint64_t v = t->version;
	text_insert(t, 0, "x", 1);
	ok(t->version != v, "an edit bumps the version");
	errno = 0;
	ok(!text_insert(t, 99, "x", 1) && errno == EINVAL, "insert past the end: EINVAL");
	errno = 0;
	ok(!text_delete(t, 2, 99) && errno == EINVAL, "delete past the end: EINVAL");
	text_is(t, "xworld", "failed edits changed nothing");
	ok(text_insert(t, 1, "a\0b", 3), "insert with a NUL");
	bytes_are(t, "xa\0bworld", 9, "NUL kept");
	text_free(t);
	text_free(NULL);
	ok(true, "text_free(NULL) is a no-op");
}

static void test_batches(void)
{
	Text *t = text_of("one two three four");
	Edit e[3] = {
		{0, 3, "1", 1},      /* one -> 1 */
		{8, 5, "THREE", 5},  /* three -> THREE */
		{18, 0, "!", 1},     /* append */
	};
	size_t np[3];
	ok(text_apply(t, e, 3, np), "a batch of three");
	text_is(t, "1 two THREE four!", "batch bytes");
	ok(np[0] == 0 && np[1] == 6 && np[2] == 16, "new_pos: %zu %zu %zu", np[0], np[1], np[2]);

	/* Adjacent edits: the second starts where the first ends. */
	Edit adj[3] = {{0, 1, "<", 1}, {1, 1, ">", 1}, {2, 4, "", 0}};
	ok(text_apply(t, adj, 3, np), "adjacent edits");
	text_is(t, "<>THREE four!", "adjacent edits bytes");
	ok(np[0] == 0 && np[1] == 1 && np[2] == 2, "adjacent new_pos: %zu %zu %zu", np[0], np[1], np[2]);

	/* Pure inserts at one offset keep their order; a delete may follow. */
	Edit same[3] = {{3, 0, "a", 1}, {3, 0, "b", 1}, {3, 5, "c", 1}};
	ok(text_apply(t, same, 3, np), "inserts at one offset, then a replace there");
	text_is(t, "<>Tabcfour!", "inserts at one offset bytes");
	ok(np[0] == 3 && np[1] == 4 && np[2] == 5, "same-offset new_pos: %zu %zu %zu", np[0], np[1], np[2]);

	/* Bad batches change nothing. */
	Edit overlap[2] = {{0, 3, "", 0}, {2, 1, "", 0}};
	Edit unsorted[2] = {{4, 0, "x", 1}, {1, 0, "y", 1}};
	Edit past[1] = {{11, 1, "", 0}};
	Edit far[1] = {{12, 0, "z", 1}};
	errno = 0;
	ok(!text_apply(t, overlap, 2, NULL) && errno == EINVAL, "overlapping edits: EINVAL");
	errno = 0;
	ok(!text_apply(t, unsorted, 2, NULL) && errno == EINVAL, "unsorted edits: EINVAL");
	errno = 0;
	ok(!text_apply(t, past, 1, NULL) && errno == EINVAL, "delete past the end: EINVAL");
	errno = 0;
	ok(!text_apply(t, far, 1, NULL) && errno == EINVAL, "insert past the end: EINVAL");
	text_is(t, "<>Tabcfour!", "bad batches changed nothing");
	uint64_t v = t->version;
	ok(text_apply(t, NULL, 0, NULL), "an empty batch succeeds");
	ok(t->version == v, "an empty batch is not an edit");

	/* Everything at once: delete all, insert at the end. */
	Edit all[2] = {{0, 11, "new", 3}, {11, 0, "!", 1}};
	ok(text_apply(t, all, 2, NULL), "replace everything");
	text_is(t, "new!", "replace everything bytes");

	/* Many cursors: one insert before every byte. */
	size_t n = text_len(t);
	Edit many[5];
	size_t np5[5];
	for (size_t i = 0; i <= n; i++)
		many[i] = (Edit){i, 0, "_", 1};
	ok(text_apply(t, many, n + 1, np5), "an insert at every offset");
	ok(np5[0] == 0 && np5[4] == 8, "new_pos of the first and last: %zu %zu", np5[0], np5[4]);
	text_is(t, "_n_e_w_!_", "inserts everywhere");
	text_free(t);
}

static void test_marks(void)
{
	Text *t = text_of("0123456789");
	size_t before = text_mark_new(t, 2);
	size_t at_ins = text_mark_new(t, 4);
	size_t in_del = text_mark_new(t, 7);
	size_t del_start = text_mark_new(t, 6);
	size_t del_end = text_mark_new(t, 8);
	size_t after = text_mark_new(t, 9);
	size_t at_end = text_mark_new(t, 10);
	ok(before != BUF_NOPOS && at_end != BUF_NOPOS && before != after, "marks made");
	Edit e[3] = {{4, 0, "ab", 2}, {6, 2, "X", 1}, {10, 0, "END", 3}};
	ok(text_apply(t, e, 3, NULL), "insert at 4, replace 6..8, append");
	text_is(t, "0123ab45X89END", "bytes");
	is_size(text_mark_get(t, before), 2, "a mark before every edit stays");
	is_size(text_mark_get(t, at_ins), 6, "right gravity: an insert at the mark goes before it");
	is_size(text_mark_get(t, del_start), 9, "a mark at the start of a replaced range moves past the insert");
	is_size(text_mark_get(t, in_del), 9, "a mark inside a replaced range moves past the insert");
	is_size(text_mark_get(t, del_end), 9, "a mark at the end of a replaced range ends up after the insert");
	is_size(text_mark_get(t, after), 10, "a mark after the edits shifts");
	is_size(text_mark_get(t, at_end), 14, "a mark at the end moves past an append");
	ok(text_check(t), "check with marks");

	/* Pure delete: marks inside collapse to its start. */
	Edit d = {1, 5, NULL, 0};
	ok(text_apply(t, &d, 1, NULL), "pure delete");
	is_size(text_mark_get(t, before), 1, "a mark inside a pure delete collapses to its start");
	is_size(text_mark_get(t, at_end), 9, "the end mark shifts back");

	/* Undo moves marks like any other batch. */
	ok(text_undo(t, NULL), "undo the delete");
	is_size(text_mark_get(t, at_end), 14, "undo: the end mark shifts again");
	is_size(text_mark_get(t, before), 6, "undo: a collapsed mark stays after the re-inserted bytes");
	text_is(t, "0123ab45X89END", "undo restores bytes");

	/* Slots. */
	text_mark_free(t, in_del);
	is_size(text_mark_get(t, in_del), BUF_NOPOS, "a freed mark reads NOPOS");
	size_t again = text_mark_new(t, 3);
	ok(again == in_del, "a free slot is reused");
	text_mark_set(t, again, 1000);
	is_size(text_mark_get(t, again), text_len(t), "mark_set clamps to the end");
	is_size(text_mark_get(t, 12345), BUF_NOPOS, "an unknown id reads NOPOS");
	size_t far = text_mark_new(t, 5000);
	is_size(text_mark_get(t, far), text_len(t), "mark_new clamps to the end, like mark_set");
	ok(text_check(t), "so the text stays valid");
	text_mark_free(t, far);
	text_mark_set(t, 12345, 0); /* ignored */
	text_mark_free(t, 12345);   /* ignored */
	ok(text_check(t), "check after mark slot games");

	/* Adopting new bytes clamps marks. */
	text_mark_set(t, before, 1);
	char *s = strdup("abc");
	ok(text_adopt(t, s, 3, 4), "adopt a short text");
	is_size(text_mark_get(t, at_end), 3, "marks clamp to the new end");
	is_size(text_mark_get(t, before), 1, "marks inside stay");
	ok(!text_can_undo(t) && !text_is_modified(t), "adopt drops the history");
	ok(text_check(t), "check after adopt");
	text_free(t);
}

static void test_undo_redo(void)
{
	Text *t = text_of("alpha beta");
	size_t c0[2] = {0, 6}, c1[2] = {1, 8}, pb[4], pa[4];
	CursorSet before = carets(pb, 2, c0);
	text_begin(t, TXN_PLAIN, &before);
	Edit e[2] = {{0, 0, "A", 1}, {6, 0, "B", 1}};
	ok(text_apply(t, e, 2, NULL), "batch 1 of a transaction");
	Edit e2[1] = {{0, 1, "a", 1}};
	ok(text_apply(t, e2, 1, NULL), "batch 2 of the same transaction");
	CursorSet after = carets(pa, 2, c1);
	text_end(t, &after);
	text_is(t, "aalpha Bbeta", "after the transaction");
	ok(text_is_modified(t) && text_can_undo(t) && !text_can_redo(t), "modified, undoable");

	CursorSet r = {0};
	ok(text_undo(t, &r), "undo");
	text_is(t, "alpha beta", "undo restores the bytes of both batches");
	cursors_are(&r, 2, c0, "undo restores the cursor set from before");
	cursorset_free(&r);
	ok(!text_is_modified(t) && !text_can_undo(t) && text_can_redo(t), "clean again, redoable");
	ok(!text_undo(t, &r), "nothing more to undo");

	ok(text_redo(t, &r), "redo");
	text_is(t, "aalpha Bbeta", "redo reapplies");
	cursors_are(&r, 2, c1, "redo restores the cursor set from after");
	cursorset_free(&r);
	ok(!text_redo(t, NULL), "nothing more to redo");

	/* Undo, then a new edit: the redo branch is gone. */
	ok(text_undo(t, NULL), "undo again");
	ok(text_insert(t, 0, "Z", 1), "a new edit");
	ok(!text_can_redo(t), "a new edit drops the redo branch");
	text_is(t, "Zalpha beta", "bytes after the new edit");
	ok(text_undo(t, NULL), "undo the new edit");
	text_is(t, "alpha beta", "back to the start");

	/* Undo/redo of deletes of NULs and invalid bytes. */
	ok(text_insert(t, 5, "\0\xff\0", 3), "insert NUL, 0xff, NUL");
	ok(text_delete(t, 4, 3), "delete across them");
	ok(text_undo(t, NULL) && text_undo(t, NULL), "undo both");
	text_is(t, "alpha beta", "8-bit bytes undone");
	ok(text_redo(t, NULL) && text_redo(t, NULL), "redo both");
	bytes_are(t, "alph\0 beta", 10, "8-bit bytes redone");

	/* An empty transaction is no undo step. */
	size_t nu = t->undo.nu;
	text_begin(t, TXN_PLAIN, &before);
	text_end(t, &before);
	is_size(t->undo.nu, nu, "an empty transaction leaves no step");

	/* Without undo recording. */
	Text *log = text_new();
	log->record_undo = false;
	ok(text_insert(log, 0, "log line\n", 9), "insert without undo");
	ok(!text_can_undo(log), "nothing recorded");
	text_free(log);
	text_free(t);
}

/* One keystroke with n cursors: each inserts s at its caret. */
static bool type(Text *t, size_t *cur, size_t n, const char *s)
{
	size_t pb[16], pa[16];
	CursorSet b = carets(pb, n, cur);
	text_begin(t, TXN_TYPING, &b);
	Edit e[8];
	size_t np[8];
	for (size_t i = 0; i < n; i++)
		e[i] = (Edit){cur[i], 0, s, strlen(s)};
	bool r = text_apply(t, e, n, np);
	for (size_t i = 0; i < n; i++)
		cur[i] = np[i] + strlen(s);
	CursorSet a = carets(pa, n, cur);
	text_end(t, &a);
	return r;
}

static void test_typing(void)
{
	Text *t = text_of("ab\ncd\n");
	size_t cur[2] = {2, 5};
	const size_t start[2] = {2, 5};
	bool typed = type(t, cur, 2, "x") && type(t, cur, 2, "y") && type(t, cur, 2, "z");
	ok(typed, "typed xyz with two cursors");
	text_is(t, "abxyz\ncdxyz\n", "typed bytes");
	is_size(t->undo.nu, 1, "a typing run is one transaction");
	is_size(t->undo.undo[0].nb, 1, "coalesced into one batch");
	CursorSet r = {0};
	ok(text_undo(t, &r), "undo the run");
	text_is(t, "ab\ncd\n", "one undo removes the whole run");
	cursors_are(&r, 2, start, "cursors from before the run");
	cursorset_free(&r);
	ok(!text_can_undo(t), "nothing left to undo");
	ok(text_redo(t, &r), "redo the run");
	text_is(t, "abxyz\ncdxyz\n", "redo brings the whole run back");
	const size_t end[2] = {5, 11};
	cursors_are(&r, 2, end, "cursors from after the run");
	cursorset_free(&r);

	/* text_break ends the run: two steps. */
	cur[0] = 5, cur[1] = 11;
	type(t, cur, 2, "1");
	text_break(t);
	type(t, cur, 2, "2");
	type(t, cur, 2, "3");
	text_is(t, "abxyz123\ncdxyz123\n", "typed after a break");
	ok(text_undo(t, NULL), "undo");
	text_is(t, "abxyz1\ncdxyz1\n", "undo after a break removes only the new run");
	ok(text_undo(t, NULL), "undo");
	text_is(t, "abxyz\ncdxyz\n", "the next undo removes the run before the break");
	text_free(t);

	/* Typing that first replaces a selection, then goes on: one step. */
	t = text_of("hello world");
	size_t c[1] = {6};
	CursorSet sel = {(size_t[]){6, 11}, 1, 0};
	text_begin(t, TXN_TYPING, &sel);
	Edit rep = {6, 5, "t", 1};
	ok(text_apply(t, &rep, 1, NULL), "type over a selection");
	c[0] = 7;
	size_t pa[2];
	CursorSet a = carets(pa, 1, c);
	text_end(t, &a);
	ok(type(t, c, 1, "h") && type(t, c, 1, "e") && type(t, c, 1, "re"), "type on");
	text_is(t, "hello there", "selection replaced by typing");
	is_size(t->undo.nu, 1, "still one step");
	ok(text_undo(t, &r), "undo");
	text_is(t, "hello world", "one undo restores the selection's text");
	ok(r.n == 1 && r.pos[0] == 6 && r.pos[1] == 11, "and the selection");
	cursorset_free(&r);
	text_free(t);

	/* A plain edit, an undo, or a save ends a run. */
	t = text_of("");
	c[0] = 0;
	type(t, c, 1, "a");
	text_insert(t, 1, "P", 1);
	c[0] = 1;
	type(t, c, 1, "b");
	is_size(t->undo.nu, 3, "a plain edit in between: three steps");
	text_free(t);

	t = text_of("");
	c[0] = 0;
	type(t, c, 1, "a");
	text_mark_saved(t);
	type(t, c, 1, "b");
	is_size(t->undo.nu, 2, "a save in between: two steps");
	ok(text_is_modified(t), "modified after typing past a save");
	ok(text_undo(t, NULL), "undo to the save");
	ok(!text_is_modified(t), "the saved state is clean");
	text_is(t, "a", "the saved bytes");
	text_free(t);

	/* Typing elsewhere (not after the last insert) without a break still
	 * belongs to the run's step (the caller breaks runs on cursor moves). */
	t = text_of("0123");
	c[0] = 1;
	type(t, c, 1, "a");
	c[0] = 4;
	type(t, c, 1, "b");
	text_is(t, "0a12b3", "typed at two places");
	ok(text_check(t), "check");
	ok(text_undo(t, NULL), "undo");
	text_is(t, "0123", "the run's step holds both batches");
	text_free(t);
}

static void test_modified(void)
{
	Text *t = text_of("x");
	ok(!text_is_modified(t), "loaded: clean");
	text_insert(t, 1, "1", 1);
	ok(text_is_modified(t), "edited: modified");
	text_mark_saved(t);
	ok(!text_is_modified(t), "saved: clean");
	text_insert(t, 2, "2", 1);
	ok(text_is_modified(t), "edited after save: modified");
	text_undo(t, NULL);
	ok(!text_is_modified(t), "undo back to the save: clean");
	text_undo(t, NULL);
	ok(text_is_modified(t), "undo past the save: modified");
	text_redo(t, NULL);
	ok(!text_is_modified(t), "redo to the save: clean");
	text_redo(t, NULL);
	ok(text_is_modified(t), "redo past the save: modified");
	text_undo(t, NULL);
	text_undo(t, NULL);
	text_insert(t, 1, "other", 5);
	ok(text_is_modified(t), "a different edit after undoing past the save: modified");
	text_undo(t, NULL);
	ok(text_is_modified(t), "undo of the new branch: the loaded state is not the saved one");
	text_mark_unsaved(t);
	ok(text_is_modified(t), "mark_unsaved: modified");
	text_mark_saved(t);
	ok(!text_is_modified(t), "mark_saved again: clean");
	text_free(t);
}

/* A command that places its cursors after its edits gives them to the
 * step it just made: undo goes back to before, redo to them. */
static void test_cursors_after(void)
{
	Text *t = text_of("one two");
	size_t c0[1] = {0}, c1[1] = {3}, c2[1] = {4}, pb[2], pa[2], pl[2];
	CursorSet none = {0};
	ok(!text_set_cursors_after(t, &none), "no step yet: nothing takes the cursors");
	CursorSet before = carets(pb, 1, c0), after = carets(pa, 1, c1);
	text_begin(t, TXN_PLAIN, &before);
	Edit e = {0, 0, "1", 1};
	ok(text_apply(t, &e, 1, NULL), "an edit");
	CursorSet tmp = carets(pl, 1, c2), placed;
	ok(cursorset_copy(&placed, &tmp), "copy the placed cursors");
	ok(!text_set_cursors_after(t, &placed) && placed.pos == NULL, "an open step does not take them (they are freed)");
	text_end(t, &after);
	ok(cursorset_copy(&placed, &tmp), "copy the placed cursors");
	ok(text_set_cursors_after(t, &placed) && placed.pos == NULL, "the closed step takes them");
	CursorSet r = {0};
	ok(text_undo(t, &r), "undo");
	cursors_are(&r, 1, c0, "undo: the cursors from before");
	cursorset_free(&r);
	ok(text_redo(t, &r), "redo");
	cursors_are(&r, 1, c2, "redo: the cursors placed after the step");
	cursorset_free(&r);
	t->record_undo = false;
	ok(cursorset_copy(&placed, &tmp) && !text_set_cursors_after(t, &placed), "not recording undo: not taken");
	text_free(t);
}

/* Windows of whole lines cover the text exactly, each ending after a
 * newline or at the end; a line longer than `want` makes one grow. */
static void test_window(void)
{
	Text *t = text_of("ab\ncd\nefghijklmnop\nq");
	TextWindow w = {0};
	size_t off = 0, n = 0;
	char got[64];
	bool whole = true;
	while (text_window_read(&w, t, off, 4)) {
		whole &= w.off == off && w.len > 0 && (w.buf[w.len - 1] == '\n' || off + w.len == text_len(t));
		memcpy(got + off, w.buf, w.len);
		off += w.len;
		n++;
	}
	ok(whole && off == text_len(t) && memcmp(got, "ab\ncd\nefghijklmnop\nq", off) == 0,
	   "windows of whole lines cover the text (%zu windows)", n);
	ok(text_window_read(&w, t, 6, 4) && w.len == 14, "a line longer than the window is read whole");
	ok(!text_window_read(&w, t, text_len(t), 4), "nothing to read at the end");
	free(w.buf);
	text_free(t);
}

int main(void)
{
	test_basics();
	test_batches();
	test_marks();
	test_undo_redo();
	test_typing();
	test_modified();
	test_cursors_after();
	test_window();
	return done_testing();
}
