/* Lua patterns, compiled to items and matched with an explicit backtrack
 * stack that counts its steps (see pattern.h for the model). Written from
 * the Lua 5.4 manual, section 6.4.1. */
#include "lua/pattern.h"
#include <ctype.h>
#include <stdalign.h>
#include <string.h>

enum {
	I_SET,       /* one byte of set, with quant */
	I_OPEN,      /* a capture starts: cap = index */
	I_POSITION,  /* a position capture () */
	I_CLOSE,     /* a capture ends */
	I_BALANCE,   /* %bxy: a = x, b = y */
	I_FRONTIER,  /* %f[set] */
	I_BACKREF,   /* %1-%9: cap = index */
	I_END,       /* $ at the very end */
	I_ERROR,     /* a malformed pattern, met when a match gets here */
	I_DONE,      /* the match succeeds */
};

typedef struct Item {
	uint8_t kind;
	char quant;        /* I_SET: '1' (once), '*', '+', '-', '?' */
	unsigned char a, b;
	int cap;           /* capture index; I_ERROR: the format's argument */
	const char *err;   /* I_ERROR */
	uint32_t set[8];   /* I_SET, I_FRONTIER: bit c = byte c is in the set */
} Item;

/* A choice point, or the undo of a capture set on the way. */
enum { F_UNDO, F_OPTIONAL, F_GREEDY, F_LAZY };
typedef struct Frame {
	uint8_t type;
	int item;          /* F_UNDO: the capture; else the item to resume at */
	size_t s;          /* subject offset (F_GREEDY: of the first repeat) */
	size_t n, min;     /* F_GREEDY: repeats taken now, the fewest allowed */
	PatternCap old;    /* F_UNDO: the capture before */
} Frame;

struct Pattern {
	int nitems;
	int ncap;
	bool anchored;
	int first;         /* the set item every match starts with a byte of, or -1 */
	Frame *stack;      /* nitems frames: one per item on a path at most */
	Item items[];
};

size_t pattern_size(size_t plen)
{
	size_t items = plen + 2;
	return sizeof(Pattern) + items * sizeof(Item) + alignof(Frame) + items * sizeof(Frame);
}

bool pattern_anchored(const Pattern *pt) { return pt->anchored; }

/* ===== compiling ========================================================= */

static inline void set_add(uint32_t *set, unsigned c) { set[c >> 5] |= 1u << (c & 31); }
static inline bool set_has(const uint32_t *set, unsigned c) { return set[c >> 5] >> (c & 31) & 1; }

size_t pattern_next_start(const Pattern *pt, const char *s, size_t len, size_t at)
{
	if (pt->first < 0)
		return at;
	const Item *it = &pt->items[pt->first];
	while (at < len && !set_has(it->set, (unsigned char)s[at]))
		at++;
	return at < len ? at : len + 1;
}

/* The byte sets of %a %c %d %g %l %p %s %u %w %x %z, in the C locale's
 * sense, computed once: a pattern is compiled on every string.find call,
 * and testing 256 bytes per class each time was most of a log summary. */
static const char CLASS_NAMES[] = "acdglpsuwxz";
static uint32_t class_sets[sizeof CLASS_NAMES - 1][8];

static int is_nul(int c) { return c == 0; }

static const uint32_t *class_set(int k)
{
	static bool ready;
	if (!ready) {
		int (*const is[])(int) = {isalpha, iscntrl, isdigit, isgraph, islower, ispunct,
		                          isspace, isupper, isalnum, isxdigit, is_nul};
		for (size_t i = 0; i < sizeof is / sizeof *is; i++)
			for (unsigned c = 0; c < 256; c++)
				if (is[i]((int)c))
					set_add(class_sets[i], c);
		ready = true;
	}
	return class_sets[k];
}

/* %a %c %d %g %l %p %s %u %w %x (upper case: the complement), in the C
 * locale's sense; %z is Lua 5.1's, still accepted; any other %x is the
 * byte x itself. */
static void add_class(uint32_t *set, unsigned char cl)
{
	const char *k = cl ? strchr(CLASS_NAMES, tolower(cl)) : NULL;
	if (!k) {
		set_add(set, cl);
		return;
	}
	const uint32_t *cs = class_set((int)(k - CLASS_NAMES));
	bool invert = isupper(cl);
	for (int w = 0; w < 8; w++)
		set[w] |= invert ? ~cs[w] : cs[w];
}

/* [set] between p[from] (after '[') and p[to] (its ']'): elements are %x
 * classes, ranges x-y (not ending at the ']') and single bytes; a leading
 * '^' complements. */
static void bracket_set(uint32_t *set, const char *p, size_t from, size_t to)
{
	bool invert = from < to && p[from] == '^';
	uint32_t bits[8] = {0};
	for (size_t i = from + invert; i < to; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '%' && i + 1 < to) {
			add_class(bits, (unsigned char)p[++i]);
		} else if (i + 2 < to && p[i + 1] == '-') {
			for (unsigned x = c; x <= (unsigned char)p[i + 2]; x++)
				set_add(bits, x);
			i += 2;
		} else {
			set_add(bits, c);
		}
	}
	for (int k = 0; k < 8; k++)
		set[k] = invert ? ~bits[k] : bits[k];
}

/* End of the bracket starting at p[i] == '[' (the offset of its ']'), or
 * plen when it has none. The first byte (after a '^') is always a member,
 * so "[]]" is the set of ']'; "%" escapes the byte after it. */
static size_t bracket_end(const char *p, size_t plen, size_t i)
{
	size_t j = i + 1;
	if (j < plen && p[j] == '^')
		j++;
	for (;;) {
		if (j >= plen)
			return plen;
		if (p[j++] == '%' && j < plen)
			j++;
		if (j < plen && p[j] == ']')
			return j;
	}
}

typedef struct Compiler {
	Pattern *pt;
	const char *p;
	size_t plen, i;
	int open[PATTERN_MAXCAP]; /* 1: open, 0: closed or a position */
} Compiler;

static Item *emit(Compiler *c, int kind)
{
	Item *it = &c->pt->items[c->pt->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = (uint8_t)kind;
	it->quant = '1';
	return it;
}

static void fail(Compiler *c, const char *err, int arg)
{
	Item *it = emit(c, I_ERROR);
	it->err = err;
	it->cap = arg;
	c->i = c->plen; /* nothing after a fault can be reached */
}

/* One single-byte item: '.', %x, [set] or a plain byte, then a quantifier. */
static void compile_single(Compiler *c)
{
	const char *p = c->p;
	size_t i = c->i, next;
	uint32_t set[8] = {0};
	if (p[i] == '%') {
		if (i + 1 >= c->plen)
			return fail(c, "malformed pattern (ends with '%%')", 0);
		add_class(set, (unsigned char)p[i + 1]);
		next = i + 2;
	} else if (p[i] == '[') {
		size_t end = bracket_end(p, c->plen, i);
		if (end >= c->plen)
			return fail(c, "malformed pattern (missing ']')", 0);
		bracket_set(set, p, i + 1, end);
		next = end + 1;
	} else if (p[i] == '.') {
		memset(set, 0xff, sizeof set);
		next = i + 1;
	} else {
		set_add(set, (unsigned char)p[i]);
		next = i + 1;
	}
	Item *it = emit(c, I_SET);
	memcpy(it->set, set, sizeof set);
	if (next < c->plen && strchr("*+-?", p[next]) && p[next]) {
		it->quant = p[next];
		next++;
	}
	c->i = next;
}

static void compile_capture(Compiler *c)
{
	int n = c->pt->ncap;
	if (n >= PATTERN_MAXCAP)
		return fail(c, "too many captures", 0);
	bool pos = c->i + 1 < c->plen && c->p[c->i + 1] == ')';
	Item *it = emit(c, pos ? I_POSITION : I_OPEN);
	it->cap = n;
	c->open[n] = !pos;
	c->pt->ncap++;
	c->i += pos ? 2 : 1;
}

static void compile_close(Compiler *c)
{
	int n = c->pt->ncap - 1;
	while (n >= 0 && !c->open[n])
		n--;
	if (n < 0)
		return fail(c, "invalid pattern capture", 0);
	emit(c, I_CLOSE)->cap = n;
	c->open[n] = 0;
	c->i++;
}

/* After a '%': b, f and digits are items of their own. */
static bool compile_escape(Compiler *c)
{
	const char *p = c->p;
	size_t i = c->i;
	char e = i + 1 < c->plen ? p[i + 1] : '\0';
	if (e == 'b') {
		if (i + 3 >= c->plen)
			fail(c, "malformed pattern (missing arguments to '%%b')", 0);
		else {
			Item *it = emit(c, I_BALANCE);
			it->a = (unsigned char)p[i + 2];
			it->b = (unsigned char)p[i + 3];
			c->i = i + 4;
		}
		return true;
	}
	if (e == 'f') {
		size_t end = i + 2 < c->plen && p[i + 2] == '[' ? bracket_end(p, c->plen, i + 2) : 0;
		if (!end)
			fail(c, "missing '[' after '%%f' in pattern", 0);
		else if (end >= c->plen)
			fail(c, "malformed pattern (missing ']')", 0);
		else {
			bracket_set(emit(c, I_FRONTIER)->set, p, i + 3, end);
			c->i = end + 1;
		}
		return true;
	}
	if (e >= '0' && e <= '9') {
		int n = e - '1';
		if (n < 0 || n >= c->pt->ncap || c->open[n])
			fail(c, "invalid capture index %%%d", n + 1);
		else {
			emit(c, I_BACKREF)->cap = n;
			c->i = i + 2;
		}
		return true;
	}
	return false;
}

Pattern *pattern_compile(void *mem, const char *p, size_t plen, bool anchor)
{
	Pattern *pt = mem;
	size_t items = plen + 2;
	char *stack = (char *)mem + sizeof(Pattern) + items * sizeof(Item);
	stack += (alignof(Frame) - (uintptr_t)stack % alignof(Frame)) % alignof(Frame);
	*pt = (Pattern){.stack = (Frame *)stack};
	Compiler c = {.pt = pt, .p = p, .plen = plen};
	if (anchor && plen && p[0] == '^') {
		pt->anchored = true;
		c.i = 1;
	}
	while (c.i < plen) {
		char ch = p[c.i];
		if (ch == '(')
			compile_capture(&c);
		else if (ch == ')')
			compile_close(&c);
		else if (ch == '$' && c.i + 1 == plen)
			emit(&c, I_END), c.i++;
		else if (ch != '%' || !compile_escape(&c))
			compile_single(&c);
	}
	emit(&c, I_DONE);
	/* The first item that reads a byte, past capture openings: when it
	 * needs one (once or more), a match starts only on a byte of its set. */
	int k = 0;
	while (pt->items[k].kind == I_OPEN || pt->items[k].kind == I_POSITION)
		k++;
	const Item *it = &pt->items[k];
	pt->first = it->kind == I_SET && (it->quant == '1' || it->quant == '+') ? k : -1;
	return pt;
}

/* ===== matching ========================================================== */

/* %bxy at s: the end of the balanced run, or 0 when there is none. */
static size_t balance_end(const PatternMatch *m, const Item *it, size_t s, uint64_t *steps)
{
	if (s >= m->len || (unsigned char)m->s[s] != it->a)
		return 0;
	int depth = 1;
	for (size_t i = s + 1; i < m->len; i++) {
		unsigned char c = (unsigned char)m->s[i];
		if (c == it->b) {
			if (--depth == 0) {
				*steps += i - s;
				return i + 1;
			}
		} else if (c == it->a) {
			depth++;
		}
	}
	*steps += m->len - s;
	return 0;
}

static bool frontier(const PatternMatch *m, const Item *it, size_t s)
{
	unsigned prev = s ? (unsigned char)m->s[s - 1] : 0;
	unsigned cur = s < m->len ? (unsigned char)m->s[s] : 0;
	return !set_has(it->set, prev) && set_has(it->set, cur);
}

/* The back-reference's text again at *s: moves *s past it. A position
 * capture never matches. */
static bool backref(const PatternMatch *m, const Item *it, size_t *s)
{
	PatternCap c = m->cap[it->cap];
	if (c.len < 0 || (size_t)c.len > m->len - *s || memcmp(m->s + c.start, m->s + *s, (size_t)c.len) != 0)
		return false;
	*s += (size_t)c.len;
	return true;
}

typedef struct Run {
	Pattern *pt;
	PatternMatch *m;
	int sp;            /* frames on the stack */
	size_t s;
	int pc;
} Run;

static void push_undo(Run *r, int cap)
{
	r->pt->stack[r->sp++] = (Frame){.type = F_UNDO, .item = cap, .old = r->m->cap[cap]};
}

/* Goes back to the latest choice point: false when there is none. */
static bool backtrack(Run *r)
{
	PatternMatch *m = r->m;
	while (r->sp > 0) {
		Frame *f = &r->pt->stack[r->sp - 1];
		m->steps++;
		switch (f->type) {
		case F_UNDO:
			m->cap[f->item] = f->old;
			break;
		case F_OPTIONAL:
			r->s = f->s;
			r->pc = f->item;
			r->sp--;
			return true;
		case F_GREEDY:
			if (f->n > f->min) {
				f->n--;
				r->s = f->s + f->n;
				r->pc = f->item;
				return true;
			}
			break;
		case F_LAZY:
			if (f->s < m->len && set_has(r->pt->items[f->item].set, (unsigned char)m->s[f->s])) {
				r->s = ++f->s;
				r->pc = f->item + 1;
				return true;
			}
			break;
		}
		r->sp--;
	}
	return false;
}

/* One set item at r->s; false: backtrack. */
static bool step_set(Run *r, const Item *it)
{
	PatternMatch *m = r->m;
	size_t s = r->s;
	bool one = s < m->len && set_has(it->set, (unsigned char)m->s[s]);
	switch (it->quant) {
	case '1':
		if (!one)
			return false;
		r->s++;
		break;
	case '?':
		if (one) {
			r->pt->stack[r->sp++] = (Frame){.type = F_OPTIONAL, .item = r->pc + 1, .s = s};
			r->s++;
		}
		break;
	case '-':
		r->pt->stack[r->sp++] = (Frame){.type = F_LAZY, .item = r->pc, .s = s};
		break;
	default: { /* '*' and '+': as many as match, then fewer on failure */
		size_t n = 0;
		while (s + n < m->len && set_has(it->set, (unsigned char)m->s[s + n]))
			n++;
		m->steps += n;
		size_t min = it->quant == '+';
		if (n < min)
			return false;
		r->pt->stack[r->sp++] = (Frame){.type = F_GREEDY, .item = r->pc + 1, .s = s, .n = n, .min = min};
		r->s = s + n;
	}
	}
	r->pc++;
	return true;
}

/* One item; false: backtrack. Sets *done for the end of the pattern and
 * for an error. */
static bool step(Run *r, int *done)
{
	const Item *it = &r->pt->items[r->pc];
	PatternMatch *m = r->m;
	size_t e;
	switch (it->kind) {
	case I_SET:
		return step_set(r, it);
	case I_OPEN:
	case I_POSITION:
		push_undo(r, it->cap);
		m->cap[it->cap] = (PatternCap){r->s, it->kind == I_OPEN ? PATTERN_CAP_OPEN : PATTERN_CAP_POSITION};
		break;
	case I_CLOSE:
		push_undo(r, it->cap);
		m->cap[it->cap].len = (ptrdiff_t)(r->s - m->cap[it->cap].start);
		break;
	case I_BALANCE:
		if (!(e = balance_end(m, it, r->s, &m->steps)))
			return false;
		r->s = e;
		break;
	case I_FRONTIER:
		if (!frontier(m, it, r->s))
			return false;
		break;
	case I_BACKREF:
		if (!backref(m, it, &r->s))
			return false;
		break;
	case I_END:
		if (r->s != m->len)
			return false;
		break;
	case I_ERROR:
		m->err = it->err;
		m->err_arg = it->cap;
		*done = PATTERN_ERROR;
		return true;
	case I_DONE:
		m->end = r->s;
		*done = PATTERN_FOUND;
		return true;
	}
	r->pc++;
	return true;
}

int pattern_match(Pattern *pt, PatternMatch *m, size_t at)
{
	Run r = {.pt = pt, .m = m, .s = at};
	m->ncap = pt->ncap;
	for (int i = 0; i < pt->ncap; i++)
		m->cap[i] = (PatternCap){0, PATTERN_CAP_OPEN};
	uint64_t next_tick = (m->steps / PATTERN_TICK + 1) * PATTERN_TICK;
	for (;;) {
		int done = 0;
		bool ok = step(&r, &done);
		if (done)
			return done;
		if (++m->steps >= next_tick) {
			next_tick = (m->steps / PATTERN_TICK + 1) * PATTERN_TICK;
			if (m->tick && !m->tick(m->arg))
				return PATTERN_STOPPED;
		}
		if (!ok && !backtrack(&r))
			return PATTERN_NOMATCH;
	}
}
