/* Randomized differential test of the multi-cursor engine against a naive
 * per-cursor model. The editor runs its real commands (ed_type and
 * ed_command: typing, Backspace/Delete, delete word, moves, selecting,
 * Ctrl-click toggles, copy/cut/paste with the per-cursor clipboard rules,
 * collapse, undo/redo); the model applies each cursor's edit one at a time
 * to a plain byte string, merges selections with its own O(n^2) rules and
 * keeps undo history as whole snapshots. After every op the bytes, the
 * selections and the primary must agree.
 *
 * Text is ASCII, newlines and 2-, 3- and 4-byte UTF-8 characters (one
 * code point per grapheme), so the model's character steps are exact.
 * Prints "# seed N"; BRISK_SEED=N replays, BRISK_OPS=N sets the length. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/editor.h"
#include "editor/multi.h"
#include "tests/unit/tap.h"
#include "tests/unit/tested.h"
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#define MAXT 2048
#define MAXS 64

/* ===== random ============================================================ */

static uint64_t rng;
static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? rng % n : 0;
}

/* ===== the model ========================================================= */

typedef struct MState {
	char t[MAXT];
	size_t len;
	Sel s[MAXS];
	size_t n, primary;
} MState;

typedef struct MClip {
	char parts[MAXS][MAXT];
	size_t lens[MAXS], n;
	bool linewise;
} MClip;

typedef struct Model {
	MState st;
	MState *undo_before, *undo_after, *redo_before, *redo_after;
	size_t nu, nr;
	bool run_open;
	MClip clip;
} Model;

static size_t m_start(Sel s) { return s.anchor < s.head ? s.anchor : s.head; }
static size_t m_end(Sel s) { return s.anchor < s.head ? s.head : s.anchor; }

/* The merge rules, written the slow and obvious way. */
static void m_normalize(MState *m)
{
	Sel prim = m->s[m->primary];
	/* Insertion sort by (start, end). */
	for (size_t i = 1; i < m->n; i++)
		for (size_t j = i; j > 0; j--) {
			Sel a = m->s[j - 1], b = m->s[j];
			if (m_start(a) < m_start(b) || (m_start(a) == m_start(b) && m_end(a) <= m_end(b)))
				break;
			m->s[j - 1] = b;
			m->s[j] = a;
		}
	Sel out[MAXS];
	size_t w = 0, pidx = 0;
	bool found = false;
	for (size_t i = 0; i < m->n; i++) {
		Sel s = m->s[i];
		bool is_prim = s.anchor == prim.anchor && s.head == prim.head;
		if (w > 0) {
			Sel *l = &out[w - 1];
			bool le = m_start(*l) == m_end(*l), se = m_start(s) == m_end(s);
			if (m_start(s) < m_end(*l) || (m_start(s) == m_end(*l) && le == se)) {
				size_t st = m_start(*l), en = m_end(s) > m_end(*l) ? m_end(s) : m_end(*l);
				*l = l->head >= l->anchor ? (Sel){st, en} : (Sel){en, st};
				if (is_prim) {
					pidx = w - 1;
					found = true;
				}
				continue;
			}
		}
		if (is_prim && !found) {
			pidx = w;
			found = true;
		}
		out[w++] = s;
	}
	memcpy(m->s, out, w * sizeof *out);
	m->n = w;
	m->primary = found ? pidx : 0;
}

typedef struct MEdit {
	size_t pos, del;
	const char *ins;
	size_t ins_len;
} MEdit;

/* Applies edits (sorted, not overlapping) one by one from the last, and
 * returns where each insert starts afterwards in np. */
static void m_apply(MState *m, MEdit *e, size_t n, size_t *np)
{
	long shift = 0;
	for (size_t i = 0; i < n; i++) {
		np[i] = (size_t)((long)e[i].pos + shift);
		shift += (long)e[i].ins_len - (long)e[i].del;
	}
	for (size_t i = n; i-- > 0;) {
		memmove(m->t + e[i].pos + e[i].ins_len, m->t + e[i].pos + e[i].del, m->len - e[i].pos - e[i].del);
		if (e[i].ins_len)
			memcpy(m->t + e[i].pos, e[i].ins, e[i].ins_len);
		m->len = m->len - e[i].del + e[i].ins_len;
	}
}

/* Where a mark goes: after the last edit at or before it (right gravity;
 * a mark inside a removed range goes past the insert). */
static size_t m_map(const MEdit *e, size_t n, const size_t *np, size_t p)
{
	size_t k = n;
	for (size_t i = 0; i < n; i++)
		if (e[i].pos <= p)
			k = i;
	if (k == n)
		return p;
	if (p >= e[k].pos + e[k].del)
		return np[k] + e[k].ins_len + (p - e[k].pos - e[k].del);
	return np[k] + e[k].ins_len;
}

static void m_clip_overlaps(MEdit *e, size_t n)
{
	size_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i].pos < prev) {
			size_t cut = prev - e[i].pos;
			e[i].del = e[i].del > cut ? e[i].del - cut : 0;
			e[i].pos = prev;
		}
		prev = e[i].pos + e[i].del;
	}
}

enum { M_AFTER, M_MAP };

/* A batch with the selections placed after it; kind: typing or plain. */
static void m_edit(Model *md, MEdit *e, size_t n, int place, bool typing)
{
	MState before = md->st;
	MState *m = &md->st;
	size_t np[MAXS * 2];
	m_apply(m, e, n, np);
	if (place == M_AFTER) {
		for (size_t i = 0; i < n; i++)
			m->s[i] = (Sel){np[i] + e[i].ins_len, np[i] + e[i].ins_len};
	} else {
		for (size_t i = 0; i < m->n; i++)
			m->s[i] = (Sel){m_map(e, n, np, m->s[i].anchor), m_map(e, n, np, m->s[i].head)};
	}
	m_normalize(m);
	md->nr = 0;
	if (typing && md->run_open) {
		md->undo_after[md->nu - 1] = *m;
		return;
	}
	md->undo_before[md->nu] = before;
	md->undo_after[md->nu++] = *m;
	md->run_open = typing;
}

static bool is_cont(int c) { return (c & 0xC0) == 0x80; }

static size_t m_prev_char(const MState *m, size_t p)
{
	if (p == 0)
		return 0;
	p--;
	while (p > 0 && is_cont((unsigned char)m->t[p]))
		p--;
	return p;
}

static size_t m_next_char(const MState *m, size_t p)
{
	if (p >= m->len)
		return m->len;
	p++;
	while (p < m->len && is_cont((unsigned char)m->t[p]))
		p++;
	return p;
}

static bool m_word(int c) { return c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0x80; }

static size_t m_word_back(const MState *m, size_t p)
{
	while (p > 0 && (m->t[p - 1] == ' ' || m->t[p - 1] == '\t'))
		p--;
	if (p > 0 && !m_word((unsigned char)m->t[p - 1]))
		return p - 1;
	while (p > 0 && m_word((unsigned char)m->t[p - 1]))
		p--;
	return p;
}

static size_t m_line_start(const MState *m, size_t p)
{
	while (p > 0 && m->t[p - 1] != '\n')
		p--;
	return p;
}

static size_t m_line_end(const MState *m, size_t p)
{
	while (p < m->len && m->t[p] != '\n')
		p++;
	return p;
}

/* ===== the ops, on both sides ============================================ */

static size_t max_cursors, undos_done; /* for the summary line */

typedef struct World {
	Editor *ed;
	Buffer *b;
	Model *md;
} World;

static const char *const pieces[] = {"a", "b", "xy", " ", "\n", "_", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                     "z\n", "."};

static void op_type(World *w, char *what, size_t wsize)
{
	char s[32] = "";
	for (int k = 1 + (int)rnd(3); k > 0; k--)
		strcat(s, pieces[rnd(sizeof pieces / sizeof pieces[0])]);
	snprintf(what, wsize, "type \"%s\"", s);
	size_t len = strlen(s);
	if (w->md->st.len + len * w->md->st.n + 8 > MAXT / 2)
		return;
	w->ed->last_key_ms = loop_now_ms(); /* no pause: the run goes on */
	ed_type(w->ed, s, len);
	MState *m = &w->md->st;
	MEdit e[MAXS];
	for (size_t i = 0; i < m->n; i++)
		e[i] = (MEdit){m_start(m->s[i]), m_end(m->s[i]) - m_start(m->s[i]), s, len};
	m_edit(w->md, e, m->n, M_AFTER, true);
}

/* Backspace (back) or Delete: the selection, else one character. */
static void op_delete(World *w, int how, char *what, size_t wsize)
{
	static const char *const names[] = {"delete-back", "delete-forward", "delete-word-back"};
	snprintf(what, wsize, "%s", names[how]);
	ed_command(w->ed, names[how]);
	MState *m = &w->md->st;
	MEdit e[MAXS];
	bool any = false;
	for (size_t i = 0; i < m->n; i++) {
		size_t s = m_start(m->s[i]), en = m_end(m->s[i]);
		if (s == en) {
			if (how == 0)
				s = m_prev_char(m, s);
			else if (how == 1)
				en = m_next_char(m, en);
			else
				s = m_word_back(m, s);
		}
		e[i] = (MEdit){s, en - s, NULL, 0};
	}
	m_clip_overlaps(e, m->n);
	for (size_t i = 0; i < m->n; i++)
		any = any || e[i].del;
	if (how == 2)
		w->md->run_open = false; /* delete-word is its own step */
	if (any)
		m_edit(w->md, e, m->n, M_AFTER, how < 2);
}

static void op_move(World *w, int how, char *what, size_t wsize)
{
	static const char *const names[] = {"move-left", "move-right", "select-left", "select-right"};
	snprintf(what, wsize, "%s", names[how]);
	ed_command(w->ed, names[how]);
	MState *m = &w->md->st;
	for (size_t i = 0; i < m->n; i++) {
		Sel *s = &m->s[i];
		bool empty = s->anchor == s->head;
		if (how == 0)
			s->head = s->anchor = empty ? m_prev_char(m, s->head) : m_start(*s);
		else if (how == 1)
			s->head = s->anchor = empty ? m_next_char(m, s->head) : m_end(*s);
		else
			s->head = how == 2 ? m_prev_char(m, s->head) : m_next_char(m, s->head);
	}
	m_normalize(m);
	w->md->run_open = false;
}

/* A character boundary, at random. */
static size_t boundary(const MState *m)
{
	size_t p = rnd(m->len + 1);
	while (p < m->len && is_cont((unsigned char)m->t[p]))
		p++;
	return p;
}

static void op_toggle(World *w, char *what, size_t wsize)
{
	MState *m = &w->md->st;
	size_t pos = boundary(m);
	snprintf(what, wsize, "toggle-cursor %zu", pos);
	char line[64];
	snprintf(line, sizeof line, "toggle-cursor %zu", pos);
	ed_command(w->ed, line);
	w->md->run_open = false;
	/* The first selection ending at or after pos; remove it if it holds pos. */
	size_t k = 0;
	while (k < m->n && m_end(m->s[k]) < pos)
		k++;
	if (k < m->n && m_start(m->s[k]) <= pos && m->n > 1) {
		memmove(&m->s[k], &m->s[k + 1], (m->n - k - 1) * sizeof *m->s);
		m->n--;
		if (m->primary > k || (m->primary == k && k > 0))
			m->primary--;
		if (m->primary >= m->n)
			m->primary = m->n - 1;
		return;
	}
	if (m->n == MAXS)
		return;
	m->s[m->n++] = (Sel){pos, pos};
	m->primary = m->n - 1;
	m_normalize(m);
}

static void m_copy(Model *md, bool *lines_out)
{
	MState *m = &md->st;
	MClip *c = &md->clip;
	bool lines = true;
	for (size_t i = 0; i < m->n; i++)
		lines = lines && m->s[i].anchor == m->s[i].head;
	c->n = m->n;
	c->linewise = lines;
	for (size_t i = 0; i < m->n; i++) {
		size_t s = m_start(m->s[i]), e = m_end(m->s[i]);
		bool add = false;
		if (lines) {
			s = m_line_start(m, s);
			e = m_line_end(m, e);
			if (e < m->len)
				e++;
			else
				add = true;
		}
		memcpy(c->parts[i], m->t + s, e - s);
		if (add)
			c->parts[i][e - s] = '\n';
		c->lens[i] = e - s + add;
	}
	*lines_out = lines;
}

static void op_copy(World *w, bool cut, char *what, size_t wsize)
{
	snprintf(what, wsize, "%s", cut ? "cut" : "copy");
	ed_command(w->ed, cut ? "cut" : "copy");
	Model *md = w->md;
	MState *m = &md->st;
	bool lines;
	m_copy(md, &lines);
	md->run_open = false;
	if (!cut)
		return;
	MEdit e[MAXS];
	for (size_t i = 0; i < m->n; i++) {
		size_t s = m_start(m->s[i]), en = m_end(m->s[i]);
		if (lines) {
			s = m_line_start(m, s);
			en = s + md->clip.lens[i];
			if (en > m->len) {
				en = m->len;
				s -= s > 0;
			}
		}
		e[i] = (MEdit){s, en - s, NULL, 0};
	}
	m_clip_overlaps(e, m->n);
	m_edit(md, e, m->n, M_AFTER, false);
}

static void op_paste(World *w, char *what, size_t wsize)
{
	Model *md = w->md;
	MState *m = &md->st;
	MClip *c = &md->clip;
	if (c->n == 0)
		return;
	size_t total = 0;
	for (size_t i = 0; i < c->n; i++)
		total += c->lens[i] + 1;
	if (m->len + total * m->n + 8 > MAXT / 2)
		return;
	snprintf(what, wsize, "paste (%zu parts at %zu cursors)", c->n, m->n);
	ed_command(w->ed, "paste");
	md->run_open = false;
	static char joined[MAXT], lines[MAXS][MAXT];
	MEdit e[MAXS];
	const char *part[MAXS];
	size_t plen[MAXS];
	bool lw = c->linewise;
	size_t nl = 0;
	for (size_t k = 0; k < c->lens[0] && c->n == 1; k++)
		nl += c->parts[0][k] == '\n';
	size_t nlines = c->n == 1 ? nl + (c->lens[0] && c->parts[0][c->lens[0] - 1] != '\n') : 0;
	if (c->n == m->n) {
		for (size_t i = 0; i < m->n; i++)
			part[i] = c->parts[i], plen[i] = c->lens[i];
	} else if (c->n == 1 && m->n > 1 && !lw && nlines == m->n) {
		const char *p = c->parts[0], *end = p + c->lens[0];
		for (size_t i = 0; i < m->n; i++) {
			const char *q = memchr(p, '\n', (size_t)(end - p));
			plen[i] = (size_t)((q ? q : end) - p);
			memcpy(lines[i], p, plen[i]);
			part[i] = lines[i];
			p = q ? q + 1 : end;
		}
	} else {
		size_t j = 0;
		for (size_t i = 0; i < c->n; i++) {
			memcpy(joined + j, c->parts[i], c->lens[i]);
			j += c->lens[i];
			if (i + 1 < c->n && !lw)
				joined[j++] = '\n';
		}
		for (size_t i = 0; i < m->n; i++)
			part[i] = joined, plen[i] = j;
	}
	for (size_t i = 0; i < m->n; i++) {
		size_t s = m_start(m->s[i]), en = m_end(m->s[i]);
		if (lw && s == en)
			s = en = m_line_start(m, s);
		e[i] = (MEdit){s, en - s, part[i], plen[i]};
	}
	m_clip_overlaps(e, m->n);
	m_edit(md, e, m->n, lw ? M_MAP : M_AFTER, false);
}

static void op_collapse(World *w, char *what, size_t wsize)
{
	snprintf(what, wsize, "collapse-selections");
	ed_command(w->ed, "collapse-selections");
	MState *m = &w->md->st;
	if (m->n > 1) {
		m->s[0] = m->s[m->primary];
		m->n = 1;
		m->primary = 0;
	} else {
		m->s[0].anchor = m->s[0].head;
	}
	w->md->run_open = false;
}

static void op_undo(World *w, bool redo, char *what, size_t wsize)
{
	snprintf(what, wsize, "%s", redo ? "redo" : "undo");
	ed_command(w->ed, redo ? "redo" : "undo");
	Model *md = w->md;
	md->run_open = false;
	undos_done += redo ? md->nr > 0 : md->nu > 0;
	if (!redo && md->nu) {
		md->nu--;
		md->redo_before[md->nr] = md->undo_before[md->nu];
		md->redo_after[md->nr++] = md->undo_after[md->nu];
		md->st = md->undo_before[md->nu];
	} else if (redo && md->nr) {
		md->nr--;
		md->undo_before[md->nu] = md->redo_before[md->nr];
		md->undo_after[md->nu++] = md->redo_after[md->nr];
		md->st = md->redo_after[md->nr];
	}
}

/* ===== comparing ========================================================= */

static void show_state(const char *who, const char *t, size_t len, const Sel *s, size_t n, size_t primary)
{
	printf("# %s: \"", who);
	tap_print_escaped(t, len);
	printf("\"\n# %s sels:", who);
	for (size_t i = 0; i < n; i++)
		printf(" %zu-%zu%s", s[i].anchor, s[i].head, i == primary ? "*" : "");
	printf("\n");
}

static bool same(World *w)
{
	Text *t = w->b->text;
	MState *m = &w->md->st;
	SelSet *ss = &w->b->sels;
	size_t len = text_len(t);
	char *got = text_dup(t, 0, len);
	bool eq = got && len == m->len && memcmp(got, m->t, len) == 0 && ss->n == m->n && ss->primary == m->primary;
	for (size_t i = 0; eq && i < ss->n; i++)
		eq = ss->v[i].anchor == m->s[i].anchor && ss->v[i].head == m->s[i].head;
	eq = eq && sel_check(ss) && text_check(t);
	max_cursors = ss->n > max_cursors ? ss->n : max_cursors;
	if (!eq) {
		show_state("brisk", got ? got : "", got ? len : 0, ss->v, ss->n, ss->primary);
		show_state("model", m->t, m->len, m->s, m->n, m->primary);
	}
	free(got);
	return eq;
}

/* Expected failures ("no match", ...) are not the test's business. */
static void quiet(Editor *ed, const char *text, bool error) {}

static bool run(uint64_t seed, size_t ops)
{
	Buffer *b;
	Editor *ed = test_editor("model", quiet, &b);
	Model *md = calloc(1, sizeof *md);
	size_t hist = ops + 1;
	md->undo_before = malloc(hist * sizeof(MState));
	md->undo_after = malloc(hist * sizeof(MState));
	md->redo_before = malloc(hist * sizeof(MState));
	md->redo_after = malloc(hist * sizeof(MState));
	if (!md->undo_before || !md->undo_after || !md->redo_before || !md->redo_after)
		BAIL_OUT("out of memory");
	md->st.n = 1;
	World w = {ed, b, md};
	bool good = true;
	char what[128] = "start";
	for (size_t i = 0; i < ops && good; i++) {
		what[0] = '\0';
		uint64_t r = rnd(100);
		if (r < 30)
			op_type(&w, what, sizeof what);
		else if (r < 42)
			op_delete(&w, (int)rnd(2), what, sizeof what);
		else if (r < 46)
			op_delete(&w, 2, what, sizeof what);
		else if (r < 58)
			op_move(&w, (int)rnd(4), what, sizeof what);
		else if (r < 70)
			op_toggle(&w, what, sizeof what);
		else if (r < 75)
			op_copy(&w, rnd(3) == 0, what, sizeof what);
		else if (r < 81)
			op_paste(&w, what, sizeof what);
		else if (r < 84)
			op_collapse(&w, what, sizeof what);
		else if (r < 94)
			op_undo(&w, false, what, sizeof what);
		else
			op_undo(&w, true, what, sizeof what);
		if (!same(&w)) {
			diag("op %zu (%s) differs; replay: BRISK_SEED=%llu BRISK_OPS=%zu", i, what, (unsigned long long)seed, i + 1);
			good = false;
		}
	}
	free(md->undo_before);
	free(md->undo_after);
	free(md->redo_before);
	free(md->redo_after);
	free(md);
	ed_free(ed);
	return good;
}

/* ===== every command: invariants and undo/redo round trips ============== */

static const char *const all_cmds[] = {
	"align", "insert-sequence 7 3 %03d", "insert-sequence", "rotate-contents", "rotate-contents-back",
	"sort-selections", "reverse-selections", "duplicate-line", "move-lines-up", "move-lines-down",
	"toggle-comment", "split-selection-lines", "select-regex .", "select-regex [a-z]+", "split-regex \\s+",
	"keep-regex a", "drop-regex b", "add-cursor-above", "add-cursor-below", "column-mark", "move-up",
	"move-down", "move-left", "move-right", "select-right", "select-down", "move-home", "move-end",
	"newline", "indent", "outdent", "indent-or-tab", "delete-word-back", "delete-word-forward",
	"upper-case", "lower-case", "swap-case", "copy", "cut", "paste", "paste-joined", "select-line",
	"add-next-occurrence", "skip-occurrence", "remove-last-cursor", "select-all-occurrences",
	"primary-next", "primary-prev", "collapse-selections", "x/a/ c/Q/", "x/[0-9]+/", "y/ / d",
	"delete-back", "delete-forward", "undo", "redo", "select-all", "move-word-left", "select-word-right",
};

/* Every selection edge on a character boundary, inside the text. */
static bool on_boundaries(Buffer *b)
{
	Text *t = b->text;
	size_t len = text_len(t);
	for (size_t i = 0; i < b->sels.n; i++) {
		size_t p[2] = {b->sels.v[i].anchor, b->sels.v[i].head};
		for (int k = 0; k < 2; k++)
			if (p[k] > len || (p[k] < len && (text_byte(t, p[k]) & 0xC0) == 0x80))
				return false;
	}
	return true;
}

/* run_all grows its text up to this. With the tiny pages of build/tiny
 * (PAGES_LOAD of a few bytes) 20,000 bytes are thousands of pages, which
 * every op's invariant check walks: some seeds took 80 s under ASan. */
#if PAGES_LOAD < 1024
#define TEXT_CAP 4000
#else
#define TEXT_CAP 20000
#endif

static bool run_all(uint64_t seed, size_t ops)
{
	Buffer *b;
	Editor *ed = test_editor("all.c", quiet, &b);
	const char *start = "int a = 1;\n  bb = \xc3\xa9t\xc3\xa9 + 22;\n\n\tccc \xe2\x82\xac 333\nab ab\n";
	b->text->record_undo = false; /* the starting text is not undoable */
	text_insert(b->text, 0, start, strlen(start));
	b->text->record_undo = true;
	char *initial = text_dup(b->text, 0, text_len(b->text));
	bool good = initial != NULL;
	for (size_t i = 0; i < ops && good; i++) {
		const char *cmd = all_cmds[rnd(sizeof all_cmds / sizeof all_cmds[0])];
		if (rnd(4) == 0) {
			const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
			if (text_len(b->text) < TEXT_CAP)
				ed_type(ed, p, strlen(p));
			cmd = "typing";
		} else if (text_len(b->text) < TEXT_CAP || strstr(cmd, "del") || strstr(cmd, "undo")) {
			ed_command(ed, cmd);
		}
		if (!sel_check(&b->sels) || !text_check(b->text) || !on_boundaries(b)) {
			diag("op %zu (%s) broke an invariant; replay: BRISK_SEED=%llu", i, cmd, (unsigned long long)seed);
			show_state("brisk", "", 0, b->sels.v, b->sels.n, b->sels.primary);
			good = false;
		}
		max_cursors = b->sels.n > max_cursors ? b->sels.n : max_cursors;
	}
	/* The ops may end on undos: the end of history is after the redos. */
	while (good && text_can_redo(b->text))
		ed_command(ed, "redo");
	size_t len = text_len(b->text);
	char *final = text_dup(b->text, 0, len);
	size_t steps = 0;
	while (good && text_can_undo(b->text) && steps++ < 100000)
		ed_command(ed, "undo");
	char *back = text_dup(b->text, 0, text_len(b->text));
	if (good && (!back || strcmp(back, initial) != 0)) {
		diag("undo all did not restore the text; replay: BRISK_SEED=%llu", (unsigned long long)seed);
		good = false;
	}
	while (good && text_can_redo(b->text))
		ed_command(ed, "redo");
	char *again = text_dup(b->text, 0, text_len(b->text));
	if (good && (!again || !final || text_len(b->text) != len || memcmp(again, final, len) != 0)) {
		diag("redo all did not restore the text; replay: BRISK_SEED=%llu", (unsigned long long)seed);
		good = false;
	}
	free(initial);
	free(final);
	free(back);
	free(again);
	ed_free(ed);
	return good;
}

int main(void)
{
	const char *env = getenv("BRISK_SEED"), *nops = getenv("BRISK_OPS");
	uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
	size_t ops = nops ? strtoull(nops, NULL, 10) : 1500;
	printf("# seed %llu\n", (unsigned long long)seed);
	/* Round r runs seed + r, so a failure names the seed that replays it. */
	size_t rounds = env ? 1 : 20;
	for (size_t r = 0; r < rounds; r++) {
		uint64_t rs = seed + r;
		rng = (rs * 0x9E3779B97F4A7C15ull) | 1;
		if (!ok(run(rs, ops), "seed %llu: %zu random multi-cursor ops agree with the model", (unsigned long long)rs, ops))
			break;
	}
	for (size_t r = 0; r < rounds; r++) {
		uint64_t rs = seed + r;
		rng = (rs * 0x9E3779B97F4A7C15ull) | 1;
		if (!ok(run_all(rs, ops), "seed %llu: %zu random commands of every kind keep the invariants, undo/redo round-trip",
		        (unsigned long long)rs, ops))
			break;
	}
	diag("up to %zu cursors at once, %zu undo/redo steps taken", max_cursors, undos_done);
	return done_testing();
}
