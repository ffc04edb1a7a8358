/* brisk.json: JSON text <-> Lua values. Owns nothing but the null sentinel
 * and the array metatable; never calls back into Lua (no blua_pcall needed).
 *
 * Mapping: object <-> table with string keys, array <-> sequence carrying
 * the brisk.json.array metatable (so an empty array survives a round trip),
 * null <-> brisk.json.null, numbers <-> integers when they have no fraction
 * or exponent and fit, floats otherwise. Expected failures (bad input,
 * unencodable values) return nil, message; only misuse raises. */
#include "lua/host.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200

/* Registry keys (addresses are unique). */
static const char NULL_KEY = 0;
static const char ARRAY_KEY = 0;

/* {======================================================================
 * Output buffer: a userdata box so that a Lua error (out of memory)
 * raised in the middle of encoding frees it through __gc.
 * ======================================================================= */

typedef struct Out {
	char *p;
	size_t len, cap;
	lua_State *L;
} Out;

static int out_gc(lua_State *L)
{
	Out *o = lua_touserdata(L, 1);
	void *ud;
	lua_Alloc fa = lua_getallocf(L, &ud);
	if (o->p)
		fa(ud, o->p, o->cap, 0);
	o->p = NULL;
	o->cap = 0;
	return 0;
}

static Out *out_new(lua_State *L)
{
	Out *o = lua_newuserdatauv(L, sizeof *o, 0);
	*o = (Out){NULL, 0, 0, L};
	if (luaL_newmetatable(L, "brisk.json.out")) {
		lua_pushcfunction(L, out_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	return o;
}

static void out_add(Out *o, const char *s, size_t n)
{
	if (o->len + n > o->cap) {
		/* Lua's allocator (its memory cap), so not ARRAY_RESERVE. */
		size_t nc = o->cap ? o->cap : 256;
		while (nc < o->len + n) {
			if (nc > SIZE_MAX / 2 || n > SIZE_MAX - o->len)
				luaL_error(o->L, "not enough memory");
			nc *= 2;
		}
		void *ud;
		lua_Alloc fa = lua_getallocf(o->L, &ud);
		char *np = fa(ud, o->p, o->cap, nc);
		if (!np)
			luaL_error(o->L, "not enough memory");
		o->p = np;
		o->cap = nc;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void out_str(Out *o, const char *s) { out_add(o, s, strlen(s)); }

/* }====================================================================== */

/* {======================================================================
 * Encoder
 * ======================================================================= */

typedef struct Enc {
	Out *o;
	const char *indent; /* NULL: compact */
	bool sort;
	char err[160];
} Enc;

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	unsigned cp = c & (0x3f >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static bool enc_string(Enc *e, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	out_add(e->o, "\"", 1);
	size_t run = 0; /* start of the pending run of plain bytes */
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		const char *esc = NULL;
		char hex[8];
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\r')
			esc = "\\r";
		else if (c == '\t')
			esc = "\\t";
		else if (c == '\b')
			esc = "\\b";
		else if (c == '\f')
			esc = "\\f";
		else if (c < 0x20) {
			snprintf(hex, sizeof hex, "\\u%04x", c);
			esc = hex;
		}
		if (esc) {
			out_add(e->o, s + run, i - run);
			out_str(e->o, esc);
			run = ++i;
			continue;
		}
		size_t k = utf8_seq(u + i, n - i);
		if (k == 0) {
			snprintf(e->err, sizeof e->err, "invalid UTF-8 in string at byte %zu", i + 1);
			return false;
		}
		i += k;
	}
	out_add(e->o, s + run, n - run);
	out_add(e->o, "\"", 1);
	return true;
}

static bool enc_number(Enc *e, lua_State *L, int idx)
{
	char b[64];
	if (lua_isinteger(L, idx)) {
		snprintf(b, sizeof b, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, idx));
		out_str(e->o, b);
		return true;
	}
	lua_Number x = lua_tonumber(L, idx);
	if (x != x || x == (lua_Number)HUGE_VAL || x == -(lua_Number)HUGE_VAL) {
		snprintf(e->err, sizeof e->err, "cannot encode %s", x != x ? "NaN" : "infinity");
		return false;
	}
	/* Shortest of %.15g / %.17g that reads back exactly. */
	snprintf(b, sizeof b, "%.15g", (double)x);
	if (strtod(b, NULL) != (double)x)
		snprintf(b, sizeof b, "%.17g", (double)x);
	for (char *p = b; *p; p++)
		if (*p == ',')
			*p = '.'; /* a locale's decimal comma */
	if (!strpbrk(b, ".eE"))
		strcat(b, ".0"); /* stays a float when decoded */
	out_str(e->o, b);
	return true;
}

static void enc_newline(Enc *e, int depth)
{
	if (!e->indent)
		return;
	out_add(e->o, "\n", 1);
	for (int i = 0; i < depth; i++)
		out_str(e->o, e->indent);
}

static bool enc_value(Enc *e, lua_State *L, int idx, int depth);

/* Is the table at idx encoded as an array? Sets *n to its length. */
static bool is_array(lua_State *L, int idx, lua_Integer *n)
{
	if (lua_getmetatable(L, idx)) {
		lua_rawgetp(L, LUA_REGISTRYINDEX, &ARRAY_KEY);
		bool arr = lua_rawequal(L, -1, -2);
		lua_pop(L, 2);
		if (arr) {
			*n = (lua_Integer)lua_rawlen(L, idx);
			return true;
		}
	}
	lua_Integer count = 0, max = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1) {
			lua_pop(L, 1);
			return false;
		}
		lua_Integer k = lua_tointeger(L, -1);
		if (k > max)
			max = k;
		count++;
	}
	*n = max;
	return count > 0 && count == max;
}

static bool enc_array(Enc *e, lua_State *L, int idx, lua_Integer n, int depth)
{
	out_add(e->o, "[", 1);
	for (lua_Integer i = 1; i <= n; i++) {
		if (i > 1)
			out_add(e->o, ",", 1);
		enc_newline(e, depth + 1);
		lua_rawgeti(L, idx, i);
		bool ok = enc_value(e, L, lua_gettop(L), depth + 1);
		lua_pop(L, 1);
		if (!ok)
			return false;
	}
	if (n > 0)
		enc_newline(e, depth);
	out_add(e->o, "]", 1);
	return true;
}

/* An object key: a string key points into the table being encoded (kept
 * alive on the stack, not modified meanwhile); a number key is formatted. */
typedef struct KeyName {
	const char *s;   /* NULL: use num */
	size_t n;
	char num[40];
	bool isint;
	lua_Integer i;
	lua_Number f;
} KeyName;

static const char *key_str(const KeyName *k) { return k->s ? k->s : k->num; }

static int cmp_keys(const void *a, const void *b)
{
	const KeyName *x = a, *y = b;
	int c = memcmp(key_str(x), key_str(y), x->n < y->n ? x->n : y->n);
	if (c)
		return c;
	return (x->n > y->n) - (x->n < y->n);
}

/* Fills k[0..count) with the keys of the table at idx (count from a first
 * pass); false for a key that is neither a string nor a number. */
static bool collect_keys(Enc *e, lua_State *L, int idx, KeyName *k, size_t count)
{
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, idx) && n < count) {
		lua_pop(L, 1);
		KeyName *kn = &k[n++];
		kn->s = NULL;
		if (lua_type(L, -1) == LUA_TSTRING) {
			kn->s = lua_tolstring(L, -1, &kn->n);
		} else if (lua_isinteger(L, -1)) {
			kn->isint = true;
			kn->i = lua_tointeger(L, -1);
			kn->n = (size_t)snprintf(kn->num, sizeof kn->num, LUA_INTEGER_FMT, (LUAI_UACINT)kn->i);
		} else if (lua_type(L, -1) == LUA_TNUMBER) {
			kn->isint = false;
			kn->f = lua_tonumber(L, -1);
			kn->n = (size_t)snprintf(kn->num, sizeof kn->num, "%.14g", (double)kn->f);
		} else {
			snprintf(e->err, sizeof e->err, "cannot encode a %s key", luaL_typename(L, -1));
			lua_pop(L, 1);
			return false;
		}
	}
	if (n < count)
		lua_pop(L, 1); /* stopped early: the last key is still there */
	if (e->sort && count > 1)
		qsort(k, count, sizeof *k, cmp_keys);
	return true;
}

static bool enc_object(Enc *e, lua_State *L, int idx, int depth)
{
	size_t count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		count++;
	}
	KeyName small[16];
	KeyName *k = small;
	if (count > sizeof small / sizeof small[0])
		k = lua_newuserdatauv(L, count * sizeof *k, 0); /* freed by the GC */
	if (!collect_keys(e, L, idx, k, count))
		return false;
	out_add(e->o, "{", 1);
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			out_add(e->o, ",", 1);
		enc_newline(e, depth + 1);
		if (!enc_string(e, key_str(&k[i]), k[i].n))
			return false;
		out_str(e->o, e->indent ? ": " : ":");
		if (k[i].s)
			lua_pushlstring(L, k[i].s, k[i].n);
		else if (k[i].isint)
			lua_pushinteger(L, k[i].i);
		else
			lua_pushnumber(L, k[i].f);
		lua_rawget(L, idx);
		bool ok = enc_value(e, L, lua_gettop(L), depth + 1);
		lua_pop(L, 1);
		if (!ok)
			return false;
	}
	if (count > 0)
		enc_newline(e, depth);
	out_add(e->o, "}", 1);
	if (k != small)
		lua_pop(L, 1);
	return true;
}

static bool enc_value(Enc *e, lua_State *L, int idx, int depth)
{
	if (depth > MAX_DEPTH) {
		snprintf(e->err, sizeof e->err, "nested too deeply (or a cycle)");
		return false;
	}
	if (!lua_checkstack(L, 8)) {
		snprintf(e->err, sizeof e->err, "out of stack space");
		return false;
	}
	size_t n;
	const char *s;
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		out_str(e->o, "null");
		return true;
	case LUA_TBOOLEAN:
		out_str(e->o, lua_toboolean(L, idx) ? "true" : "false");
		return true;
	case LUA_TNUMBER:
		return enc_number(e, L, idx);
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &n);
		return enc_string(e, s, n);
	case LUA_TLIGHTUSERDATA:
		lua_rawgetp(L, LUA_REGISTRYINDEX, &NULL_KEY);
		if (lua_rawequal(L, -1, idx)) {
			lua_pop(L, 1);
			out_str(e->o, "null");
			return true;
		}
		lua_pop(L, 1);
		break;
	case LUA_TTABLE: {
		lua_Integer len;
		if (is_array(L, idx, &len))
			return enc_array(e, L, idx, len, depth);
		return enc_object(e, L, idx, depth);
	}
	}
	snprintf(e->err, sizeof e->err, "cannot encode a %s", luaL_typename(L, idx));
	return false;
}

/***
 * Encodes a Lua value as JSON text.
 * Tables whose keys are exactly 1..n (or that carry brisk.json.array's
 * metatable) become arrays, other tables objects (number keys become
 * strings); an empty plain table is `{}`. `brisk.json.null` and nil are
 * `null`. Strings must be valid UTF-8.
 * @function brisk.json.encode
 * @param v the value
 * @tparam[opt] table opts `indent` (true for two spaces, or a string),
 *   `sort_keys` (default true: object keys in byte order, so output is stable)
 * @treturn string JSON text, or nil and a message
 * @usage local s = brisk.json.encode({name = "brisk", tags = {"a", "b"}})
 *   -- '{"name":"brisk","tags":["a","b"]}'
 */
static int api_json_encode(lua_State *L)
{
	luaL_checkany(L, 1);
	Enc e = {.sort = true};
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "indent");
		if (lua_isstring(L, -1))
			e.indent = lua_tostring(L, -1); /* kept alive on the stack */
		else if (lua_toboolean(L, -1))
			e.indent = "  ";
		lua_getfield(L, 2, "sort_keys");
		if (!lua_isnil(L, -1))
			e.sort = lua_toboolean(L, -1);
		lua_pop(L, 1);
	} else if (!lua_isnoneornil(L, 2)) {
		return luaL_typeerror(L, 2, "table");
	}
	e.o = out_new(L);
	if (!enc_value(&e, L, 1, 0)) {
		luaL_pushfail(L);
		lua_pushfstring(L, "json: %s", e.err);
		return 2;
	}
	lua_pushlstring(L, e.o->p ? e.o->p : "", e.o->len);
	return 1;
}

/* }====================================================================== */

/* {======================================================================
 * Decoder: recursive descent over the bytes; builds values on the stack.
 * ======================================================================= */

typedef struct Dec {
	const char *s, *p, *end;
	char err[160];
} Dec;

static bool dec_fail(Dec *d, const char *what)
{
	if (d->p >= d->end)
		snprintf(d->err, sizeof d->err, "%s at end of input", what);
	else
		snprintf(d->err, sizeof d->err, "%s at byte %zu", what, (size_t)(d->p - d->s) + 1);
	return false;
}

static void skip_ws(Dec *d)
{
	while (d->p < d->end && (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r'))
		d->p++;
}

static bool dec_value(Dec *d, lua_State *L, int depth);

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool read_u16(Dec *d, unsigned *out)
{
	if (d->end - d->p < 4)
		return dec_fail(d, "truncated \\u escape");
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)d->p[i]);
		if (h < 0)
			return dec_fail(d, "bad \\u escape");
		v = v * 16 + (unsigned)h;
	}
	d->p += 4;
	*out = v;
	return true;
}

static void put_utf8(luaL_Buffer *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	else
		u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	luaL_addlstring(b, u, n);
}

static bool dec_escape(Dec *d, luaL_Buffer *b)
{
	if (d->p >= d->end)
		return dec_fail(d, "truncated escape");
	char c = *d->p++;
	const char *map = "\"\"\\\\//b\bf\fn\nr\rt\t";
	for (const char *m = map; *m; m += 2)
		if (*m == c) {
			luaL_addchar(b, m[1]);
			return true;
		}
	if (c != 'u') {
		d->p--;
		return dec_fail(d, "bad escape");
	}
	unsigned cp, lo;
	if (!read_u16(d, &cp))
		return false;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return dec_fail(d, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (d->end - d->p < 2 || d->p[0] != '\\' || d->p[1] != 'u')
			return dec_fail(d, "lone high surrogate");
		d->p += 2;
		if (!read_u16(d, &lo))
			return false;
		if (lo < 0xdc00 || lo > 0xdfff)
			return dec_fail(d, "bad surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(b, cp);
	return true;
}

/* The opening quote is at d->p. Pushes the string. */
static bool dec_string(Dec *d, lua_State *L)
{
	luaL_Buffer b;
	d->p++;
	luaL_buffinit(L, &b);
	for (;;) {
		const char *run = d->p;
		while (d->p < d->end && *d->p != '"' && *d->p != '\\' && (unsigned char)*d->p >= 0x20)
			d->p++;
		luaL_addlstring(&b, run, (size_t)(d->p - run));
		if (d->p >= d->end) {
			luaL_pushresult(&b);
			lua_pop(L, 1);
			return dec_fail(d, "unterminated string");
		}
		char c = *d->p++;
		if (c == '"')
			break;
		if (c != '\\') {
			d->p--;
			luaL_pushresult(&b);
			lua_pop(L, 1);
			return dec_fail(d, "control character in string");
		}
		if (!dec_escape(d, &b)) {
			luaL_pushresult(&b);
			lua_pop(L, 1);
			return false;
		}
	}
	luaL_pushresult(&b);
	return true;
}

static bool digits(Dec *d)
{
	const char *start = d->p;
	while (d->p < d->end && *d->p >= '0' && *d->p <= '9')
		d->p++;
	return d->p > start;
}

static bool dec_number(Dec *d, lua_State *L)
{
	const char *start = d->p;
	if (d->p < d->end && *d->p == '-')
		d->p++;
	if (d->p < d->end && *d->p == '0')
		d->p++;
	else if (!digits(d))
		return dec_fail(d, "bad number");
	if (d->p < d->end && *d->p == '.') {
		d->p++;
		if (!digits(d))
			return dec_fail(d, "bad number");
	}
	if (d->p < d->end && (*d->p == 'e' || *d->p == 'E')) {
		d->p++;
		if (d->p < d->end && (*d->p == '+' || *d->p == '-'))
			d->p++;
		if (!digits(d))
			return dec_fail(d, "bad number");
	}
	char buf[128];
	size_t n = (size_t)(d->p - start);
	if (n >= sizeof buf) { /* absurdly long: let strtod round it */
		char *big = lua_newuserdatauv(L, n + 1, 0);
		memcpy(big, start, n);
		big[n] = 0;
		lua_Number x = (lua_Number)strtod(big, NULL);
		lua_pop(L, 1);
		lua_pushnumber(L, x);
		return true;
	}
	memcpy(buf, start, n);
	buf[n] = 0;
	if (lua_stringtonumber(L, buf) == 0)
		return dec_fail(d, "bad number");
	return true;
}

static bool literal(Dec *d, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(d->end - d->p) < n || memcmp(d->p, word, n) != 0)
		return dec_fail(d, "unexpected character");
	d->p += n;
	return true;
}

static bool dec_array(Dec *d, lua_State *L, int depth)
{
	d->p++;
	lua_newtable(L);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &ARRAY_KEY);
	lua_setmetatable(L, -2);
	skip_ws(d);
	if (d->p < d->end && *d->p == ']') {
		d->p++;
		return true;
	}
	for (lua_Integer i = 1;; i++) {
		if (!dec_value(d, L, depth + 1))
			return false;
		lua_rawseti(L, -2, i);
		skip_ws(d);
		if (d->p < d->end && *d->p == ',') {
			d->p++;
			continue;
		}
		if (d->p < d->end && *d->p == ']') {
			d->p++;
			return true;
		}
		return dec_fail(d, "expected ',' or ']'");
	}
}

static bool dec_object(Dec *d, lua_State *L, int depth)
{
	d->p++;
	lua_newtable(L);
	skip_ws(d);
	if (d->p < d->end && *d->p == '}') {
		d->p++;
		return true;
	}
	for (;;) {
		skip_ws(d);
		if (d->p >= d->end || *d->p != '"')
			return dec_fail(d, "expected a string key");
		if (!dec_string(d, L))
			return false;
		skip_ws(d);
		if (d->p >= d->end || *d->p != ':')
			return dec_fail(d, "expected ':'");
		d->p++;
		if (!dec_value(d, L, depth + 1))
			return false;
		lua_rawset(L, -3);
		skip_ws(d);
		if (d->p < d->end && *d->p == ',') {
			d->p++;
			continue;
		}
		if (d->p < d->end && *d->p == '}') {
			d->p++;
			return true;
		}
		return dec_fail(d, "expected ',' or '}'");
	}
}

/* Pushes one value; on failure leaves the stack as it found it or with
 * partial values above it (the caller resets the top). */
static bool dec_value(Dec *d, lua_State *L, int depth)
{
	if (depth > MAX_DEPTH)
		return dec_fail(d, "nested too deeply");
	if (!lua_checkstack(L, 8))
		return dec_fail(d, "out of stack space");
	skip_ws(d);
	if (d->p >= d->end)
		return dec_fail(d, "expected a value");
	switch (*d->p) {
	case '{':
		return dec_object(d, L, depth);
	case '[':
		return dec_array(d, L, depth);
	case '"':
		return dec_string(d, L);
	case 't':
		if (!literal(d, "true"))
			return false;
		lua_pushboolean(L, 1);
		return true;
	case 'f':
		if (!literal(d, "false"))
			return false;
		lua_pushboolean(L, 0);
		return true;
	case 'n':
		if (!literal(d, "null"))
			return false;
		lua_rawgetp(L, LUA_REGISTRYINDEX, &NULL_KEY);
		return true;
	default:
		if (*d->p == '-' || (*d->p >= '0' && *d->p <= '9'))
			return dec_number(d, L);
		return dec_fail(d, "unexpected character");
	}
}

/***
 * Decodes JSON text (RFC 8259, strict: no comments, no trailing commas).
 * `null` becomes `brisk.json.null`; arrays get the brisk.json.array
 * metatable; `\u` escapes (surrogate pairs included) become UTF-8.
 * @function brisk.json.decode
 * @tparam string s JSON text
 * @return the value, or nil and a message naming the byte offset
 * @usage local t = assert(brisk.json.decode('{"n": 1, "xs": [true, null]}'))
 *   print(t.n, t.xs[2] == brisk.json.null)  --> 1  true
 */
static int api_json_decode(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	Dec d = {s, s, s + n, ""};
	int top = lua_gettop(L);
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		d.p += 3; /* a UTF-8 byte order mark */
	bool ok = dec_value(&d, L, 0);
	if (ok) {
		skip_ws(&d);
		if (d.p < d.end)
			ok = dec_fail(&d, "trailing characters");
	}
	if (!ok) {
		lua_settop(L, top);
		luaL_pushfail(L);
		lua_pushfstring(L, "json: %s", d.err);
		return 2;
	}
	return 1;
}

/***
 * Marks a table as a JSON array (so an empty one encodes as `[]`).
 * @function brisk.json.array
 * @tparam[opt] table t the table (a new one when absent)
 * @treturn table t
 * @usage brisk.json.encode({tags = brisk.json.array({})})  --> '{"tags":[]}'
 */
static int api_json_array(lua_State *L)
{
	if (lua_isnoneornil(L, 1)) {
		lua_settop(L, 0);
		lua_newtable(L);
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &ARRAY_KEY);
	lua_setmetatable(L, 1);
	return 1;
}

/* }====================================================================== */

/***
 * The JSON null sentinel (a light userdata): `decode` returns it for
 * `null`, `encode` writes `null` for it.
 * @field brisk.json.null
 * @usage if v == brisk.json.null then v = nil end
 */
void api_json_open(lua_State *L)
{
	lua_pushlightuserdata(L, (void *)&NULL_KEY);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &NULL_KEY);
	lua_newtable(L); /* the array metatable */
	lua_pushliteral(L, "array");
	lua_setfield(L, -2, "__name");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &ARRAY_KEY);

	static const luaL_Reg fns[] = {
		{"encode", api_json_encode},
		{"decode", api_json_decode},
		{"array", api_json_array},
		{NULL, NULL},
	};
	luaL_newlib(L, fns);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &NULL_KEY);
	lua_setfield(L, -2, "null");
	lua_setfield(L, -2, "json");
}
