/* brisk.hex: the C helper of the hexview plugin, for what Lua is too slow
 * or cannot reach. Measured: typing a byte at a million stride cursors
 * through b:selections() / b:apply() / b:set_selections() takes 1.1 s of
 * Lua (past the 200 ms callback budget), brisk.hex.overwrite 0.18 s;
 * searching, checksums and export run at memory speed over 1 GB:
 *
 *   brisk.hex.export(b, path[, {from=, len=, cols=, group=}])  xxd dump
 *   brisk.hex.find(b, pat[, mask[, from[, backward]]])        masked search
 *   brisk.hex.find_all(b, pat[, mask[, max]])                 cursors at matches
 *   brisk.hex.crc32(b[, pos[, len]])                          zlib
 *   brisk.hex.digest(b, algo[, pos[, len]])                   OpenSSL EVP
 *   brisk.hex.diff(b[, max])                                  buffer vs disk
 *   brisk.hex.layout(b[, t]) / b:hex_layout([t])              view layout
 *   brisk.hex.highlight(b[, pat[, mask]])                     matches shown
 *   brisk.hex.screen(b[, {w=, h=, styles=}])                  rendered rows
 *   brisk.hex.rows(b), brisk.hex.version(b), brisk.hex.offer(b)
 *   brisk.hex.overwrite(b, bytes[, {nibble=, advance=}])     typing at N cursors
 *   brisk.hex.stride(b, start, step, count)                   N cursors
 *   brisk.hex.move(b, delta | "home" | "end"[, extend])       all cursors
 *
 * Everything reads the gap buffer span by span (text_span) or in 1 MB
 * chunks: never a copy of the whole text, never a gap move. See
 * docs/api.md, "Hex". */
#include "lua/host.h"
#include "buffer/array.h"
#include "editor/commands.h"
#include "editor/render_hex.h"
#include <errno.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CHUNK ((size_t)1 << 20)
#define PAT_MAX 4096
#define DIFF_MAX_DEFAULT 1000

static bool set_cursors(Editor *ed, Buffer *b, const size_t *pos, size_t n, size_t primary);

/* The range [pos, pos + len) from optional arguments at idx, idx + 1. */
static void opt_range(lua_State *L, int idx, Buffer *b, size_t *pos, size_t *len)
{
	size_t total = text_len(b->text);
	lua_Integer p = luaL_optinteger(L, idx, 0);
	if (p < 0 || (size_t)p > total)
		luaL_argerror(L, idx, "position out of range");
	lua_Integer n = luaL_optinteger(L, idx + 1, (lua_Integer)(total - (size_t)p));
	if (n < 0)
		luaL_argerror(L, idx + 1, "negative length");
	*pos = (size_t)p;
	*len = (size_t)n > total - *pos ? total - *pos : (size_t)n;
}

static lua_Integer opt_field(lua_State *L, int idx, const char *k, lua_Integer def)
{
	if (!lua_istable(L, idx))
		return def;
	lua_getfield(L, idx, k);
	lua_Integer v = lua_isnil(L, -1) ? def : luaL_checkinteger(L, -1);
	lua_pop(L, 1);
	return v;
}

/* ===== export: xxd's format, byte for byte ============================== */

/* One xxd line: "%08x:", a space before each group, two hex digits per
 * byte (spaces past the end), two spaces, the bytes as ASCII ('.'). */
static size_t xxd_line(char *o, size_t off, const unsigned char *p, size_t n, int cols, int group)
{
	static const char hex[] = "0123456789abcdef";
	char *s = o + sprintf(o, "%08zx:", off);
	for (int i = 0; i < cols; i++) {
		if (i % group == 0)
			*s++ = ' ';
		*s++ = (size_t)i < n ? hex[p[i] >> 4] : ' ';
		*s++ = (size_t)i < n ? hex[p[i] & 15] : ' ';
	}
	*s++ = ' ';
	*s++ = ' ';
	for (size_t i = 0; i < n; i++)
		*s++ = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	*s++ = '\n';
	return (size_t)(s - o);
}

static bool export_range(Text *t, FILE *f, size_t pos, size_t len, int cols, int group)
{
	unsigned char *in = malloc(CHUNK);
	char *out = malloc(CHUNK / (size_t)cols * (size_t)(cols * 4 + 32));
	bool ok = in && out;
	for (size_t done = 0; ok && done < len;) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;
		text_copy(t, pos + done, n, (char *)in);
		size_t o = 0;
		for (size_t i = 0; i < n; i += (size_t)cols)
			o += xxd_line(out + o, pos + done + i, in + i, n - i < (size_t)cols ? n - i : (size_t)cols, cols, group);
		ok = fwrite(out, 1, o, f) == o;
		done += n;
	}
	if (!in || !out)
		errno = ENOMEM;
	free(in);
	free(out);
	return ok;
}

/* brisk.hex.export(b, path[, {from=, len=, cols=16, group=2}]) -> true or
 * nil, message. The whole buffer gives exactly `xxd FILE`; a range gives
 * `xxd -s FROM -l LEN -c COLS -g GROUP FILE`. */
static int api_hex_export(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	const char *path = luaL_checkstring(L, 2);
	size_t total = text_len(b->text);
	lua_Integer from = opt_field(L, 3, "from", 0), cols = opt_field(L, 3, "cols", 16), group = opt_field(L, 3, "group", 2);
	if (from < 0 || (size_t)from > total)
		return luaL_argerror(L, 3, "from out of range");
	lua_Integer len = opt_field(L, 3, "len", (lua_Integer)(total - (size_t)from));
	if (len < 0)
		return luaL_argerror(L, 3, "negative len");
	if (cols < 1 || cols > 256 || group < 1 || group > cols)
		return luaL_argerror(L, 3, "cols 1-256, group 1-cols");
	size_t n = (size_t)len > total - (size_t)from ? total - (size_t)from : (size_t)len;
	FILE *f = fopen(path, "w");
	if (!f)
		return blua_fail_errno(L, path);
	uint64_t t0 = loop_now_ms();
	bool ok = export_range(b->text, f, (size_t)from, n, (int)cols, (int)group);
	if (fclose(f) != 0)
		ok = false;
	blua_budget_credit_since(L, t0, 0);
	if (!ok)
		return blua_fail_errno(L, path);
	lua_pushboolean(L, 1);
	return 1;
}

/* ===== masked search ===================================================== */

/* A pattern: bytes p where mask m is 0xff, any byte where it is 0 (other
 * mask values match those bits: 0xf0 for "1?"). Its longest fully fixed
 * run [a, a + k) is what memmem looks for; the rest is checked at each
 * candidate. A mask of zeros only (every byte matches) is refused. */
typedef struct Pat {
	const unsigned char *p, *m;
	size_t len, a, k;
} Pat;

static void pat_init(Pat *P, const char *p, const char *m, size_t len)
{
	*P = (Pat){(const unsigned char *)p, (const unsigned char *)m, len, 0, 0};
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && (!m || P->m[j] == 0xff))
			j++;
		if (j - i > P->k) {
			P->a = i;
			P->k = j - i;
		}
		i = j + 1;
	}
}

static bool pat_at(const Pat *P, const unsigned char *d)
{
	if (!P->m)
		return memcmp(d, P->p, P->len) == 0;
	for (size_t i = 0; i < P->len; i++)
		if ((d[i] ^ P->p[i]) & P->m[i])
			return false;
	return true;
}

/* First match starting in [from, n - len] of d[0, n). */
static size_t pat_in(const Pat *P, const unsigned char *d, size_t n, size_t from)
{
	if (n < P->len || from > n - P->len)
		return BUF_NOPOS;
	size_t last = n - P->len;
	/* No fully fixed byte (1?, ?f): each start is checked nibble-wise. */
	if (P->k == 0) {
		for (size_t s = from; s <= last; s++)
			if (pat_at(P, d + s))
				return s;
		return BUF_NOPOS;
	}
	for (size_t s = from; s <= last;) {
		const unsigned char *q = memmem(d + s + P->a, last - s + P->k, P->p + P->a, P->k);
		if (!q)
			return BUF_NOPOS;
		size_t st = (size_t)(q - d) - P->a;
		if (pat_at(P, d + st))
			return st;
		s = st + 1;
	}
	return BUF_NOPOS;
}

/* Forward over the text's spans (two at most: before and after the gap);
 * matches across the gap are found in a small copy around it. */
static size_t find_fwd(Text *t, const Pat *P, size_t from, unsigned char *tmp)
{
	size_t len = text_len(t);
	while (from + P->len <= len) {
		size_t n;
		const unsigned char *sp = (const unsigned char *)text_span(t, from, &n);
		if (n == 0)
			break;
		size_t r = pat_in(P, sp, n, 0);
		if (r != BUF_NOPOS)
			return from + r;
		size_t next = n >= P->len ? from + n - P->len + 1 : from;
		if (from + n >= len)
			break;
		size_t bl = from + n + P->len - 1 - next;
		if (bl > len - next)
			bl = len - next;
		text_copy(t, next, bl, (char *)tmp);
		r = pat_in(P, tmp, bl, 0);
		if (r != BUF_NOPOS && next + r < from + n)
			return next + r;
		from += n;
	}
	return BUF_NOPOS;
}

/* Last match starting before `before`, chunk by chunk from the end. */
static size_t find_back(Text *t, const Pat *P, size_t before)
{
	size_t len = text_len(t);
	if (P->len > len)
		return BUF_NOPOS;
	if (before > len - P->len + 1)
		before = len - P->len + 1;
	unsigned char *buf = malloc(CHUNK + P->len);
	if (!buf)
		return BUF_NOPOS;
	size_t found = BUF_NOPOS;
	for (size_t hi = before; hi > 0 && found == BUF_NOPOS;) {
		size_t lo = hi > CHUNK ? hi - CHUNK : 0;
		size_t n = text_copy(t, lo, hi - lo + P->len - 1, (char *)buf);
		for (size_t s = pat_in(P, buf, n, 0); s != BUF_NOPOS && lo + s < hi; s = pat_in(P, buf, n, s + 1))
			found = lo + s;
		hi = lo;
	}
	free(buf);
	return found;
}

static void check_pat(lua_State *L, int ip, int im, Pat *P)
{
	size_t len, mlen = 0;
	const char *p = luaL_checklstring(L, ip, &len);
	const char *m = lua_isnoneornil(L, im) ? NULL : luaL_checklstring(L, im, &mlen);
	if (len == 0 || len > PAT_MAX)
		luaL_argerror(L, ip, "pattern of 1 to 4096 bytes");
	if (m && mlen != len)
		luaL_argerror(L, im, "mask must be as long as the pattern");
	size_t fixed = 0;
	while (m && fixed < mlen && m[fixed] == 0)
		fixed++;
	if (m && fixed == mlen)
		luaL_argerror(L, im, "a hex pattern needs at least one fixed digit");
	pat_init(P, p, m, len);
}

/* brisk.hex.find(b, pat[, mask[, from[, backward]]]) -> start or nil.
 * Forward: the first match starting at or after from (default 0);
 * backward: the last one starting before from (default: the end). */
static int api_hex_find(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	Pat P;
	check_pat(L, 2, 3, &P);
	bool back = lua_toboolean(L, 5);
	size_t len = text_len(b->text);
	lua_Integer from = luaL_optinteger(L, 4, back ? (lua_Integer)len : 0);
	if (from < 0)
		from = 0;
	if ((size_t)from > len)
		from = (lua_Integer)len;
	size_t r;
	uint64_t t0 = loop_now_ms();
	if (back) {
		r = find_back(b->text, &P, (size_t)from);
	} else {
		unsigned char *tmp = malloc(2 * P.len);
		if (!tmp)
			return luaL_error(L, "out of memory");
		r = find_fwd(b->text, &P, (size_t)from, tmp);
		free(tmp);
	}
	blua_budget_credit_since(L, t0, 0);
	if (r == BUF_NOPOS)
		return 0;
	lua_pushinteger(L, (lua_Integer)r);
	return 1;
}

/* brisk.hex.find_all(b, pat[, mask[, max]]) -> n: a cursor at the start
 * of every match (not overlapping), at most max (10 million); the
 * selections stay as they were when there is none. */
static int api_hex_find_all(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	Pat P;
	check_pat(L, 2, 3, &P);
	lua_Integer max = luaL_optinteger(L, 4, 10000000);
	unsigned char *tmp = malloc(2 * P.len);
	size_t *pos = NULL, n = 0, cap = 0;
	uint64_t t0 = loop_now_ms();
	bool ok = tmp != NULL;
	for (size_t at = 0; ok && (lua_Integer)n < max;) {
		size_t r = find_fwd(b->text, &P, at, tmp);
		if (r == BUF_NOPOS)
			break;
		if (!(ok = ARRAY_RESERVE(pos, cap, n + 1)))
			break;
		pos[n++] = r;
		at = r + P.len;
	}
	if (ok && n)
		ok = set_cursors(blua_editor(L), b, pos, n, 0);
	free(tmp);
	free(pos);
	blua_budget_credit_since(L, t0, 0);
	if (!ok)
		return luaL_error(L, "out of memory");
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

/* ===== checksums ========================================================= */

/* brisk.hex.crc32(b[, pos[, len]]) -> CRC-32 (zlib) as an integer */
static int api_hex_crc32(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t pos, len;
	opt_range(L, 2, b, &pos, &len);
	uint64_t t0 = loop_now_ms();
	uLong crc = crc32_z(0L, Z_NULL, 0);
	for (size_t end = pos + len; pos < end;) {
		size_t n;
		const char *p = text_span(b->text, pos, &n);
		if (n > end - pos)
			n = end - pos;
		crc = crc32_z(crc, (const Bytef *)p, n);
		pos += n;
	}
	blua_budget_credit_since(L, t0, 0);
	lua_pushinteger(L, (lua_Integer)crc);
	return 1;
}

/* brisk.hex.digest(b, algo[, pos[, len]]) -> lowercase hex, or nil,
 * message for an unknown algorithm ("md5", "sha1", "sha256", any EVP name) */
static int api_hex_digest(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	const char *algo = luaL_checkstring(L, 2);
	size_t pos, len;
	opt_range(L, 3, b, &pos, &len);
	const EVP_MD *md = EVP_get_digestbyname(algo);
	if (!md) {
		lua_pushnil(L);
		lua_pushfstring(L, "unknown digest '%s'", algo);
		return 2;
	}
	uint64_t t0 = loop_now_ms();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned olen = 0;
	bool ok = ctx && EVP_DigestInit_ex(ctx, md, NULL);
	for (size_t end = pos + len; ok && pos < end;) {
		size_t n;
		const char *p = text_span(b->text, pos, &n);
		if (n > end - pos)
			n = end - pos;
		ok = EVP_DigestUpdate(ctx, p, n);
		pos += n;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, out, &olen);
	EVP_MD_CTX_free(ctx);
	blua_budget_credit_since(L, t0, 0);
	if (!ok)
		return luaL_error(L, "digest %s failed", algo);
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	for (unsigned i = 0; i < olen; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	lua_pushlstring(L, hex, 2 * olen);
	return 1;
}

/* ===== diff against the file on disk ==================================== */

typedef struct Ranges {
	lua_State *L;
	size_t n, max;
	size_t open;  /* start of the range being built, BUF_NOPOS: none */
	bool truncated;
} Ranges;

static void range_close(Ranges *R, size_t end)
{
	if (R->open == BUF_NOPOS)
		return;
	if (R->n < R->max) {
		lua_createtable(R->L, 2, 0);
		lua_pushinteger(R->L, (lua_Integer)R->open);
		lua_rawseti(R->L, -2, 1);
		lua_pushinteger(R->L, (lua_Integer)end);
		lua_rawseti(R->L, -2, 2);
		lua_rawseti(R->L, -2, (lua_Integer)++R->n);
	} else {
		R->truncated = true;
	}
	R->open = BUF_NOPOS;
}

static void diff_chunk(Ranges *R, size_t off, const unsigned char *a, const unsigned char *b, size_t n)
{
	if (R->open == BUF_NOPOS && memcmp(a, b, n) == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i]) {
			if (R->open == BUF_NOPOS)
				R->open = off + i;
		} else {
			range_close(R, off + i);
		}
	}
}

/* brisk.hex.diff(b[, max]) -> {{start, end}, ...}, disk_size, truncated,
 * or nil, message: ranges (end exclusive) where the buffer differs from
 * its file on disk, over the common length, at most max (1000) of them. */
static int api_hex_diff(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer max = luaL_optinteger(L, 2, DIFF_MAX_DEFAULT);
	if (!b->path) {
		lua_pushnil(L);
		lua_pushstring(L, "the buffer has no file");
		return 2;
	}
	FILE *f = fopen(b->path, "rb");
	if (!f)
		return blua_fail_errno(L, b->path);
	unsigned char *d = malloc(CHUNK), *t = malloc(CHUNK);
	if (!d || !t) {
		free(d);
		free(t);
		fclose(f);
		return luaL_error(L, "out of memory");
	}
	size_t len = text_len(b->text), off = 0, disk = 0;
	uint64_t t0 = loop_now_ms();
	Ranges R = {L, 0, max > 0 ? (size_t)max : 0, BUF_NOPOS, false};
	lua_newtable(L);
	for (;;) {
		size_t n = fread(d, 1, CHUNK, f);
		disk += n;
		size_t m = off < len ? (len - off < n ? len - off : n) : 0;
		text_copy(b->text, off, m, (char *)t);
		diff_chunk(&R, off, d, t, m);
		off += m;
		if (n < CHUNK)
			break;
	}
	range_close(&R, off);
	bool err = ferror(f);
	fclose(f);
	blua_budget_credit_since(L, t0, 0);
	free(d);
	free(t);
	if (err)
		return blua_fail_errno(L, b->path);
	lua_pushinteger(L, (lua_Integer)disk);
	lua_pushboolean(L, R.truncated);
	return 3;
}

/* ===== layout and display =============================================== */

static HexView *check_view(lua_State *L, Buffer *b)
{
	HexView *h = render_hex_view(b);
	if (!h)
		luaL_error(L, "out of memory");
	return h;
}

static void push_layout(lua_State *L, const HexView *h)
{
	lua_createtable(L, 0, 5);
	lua_pushinteger(L, h->bpr);
	lua_setfield(L, -2, "bytes_per_row");
	lua_pushinteger(L, h->group);
	lua_setfield(L, -2, "group");
	lua_pushstring(L, h->ascii ? "ascii" : "hex");
	lua_setfield(L, -2, "column");
	lua_pushinteger(L, h->low ? 1 : 0);
	lua_setfield(L, -2, "nibble");
	lua_pushinteger(L, (lua_Integer)h->top);
	lua_setfield(L, -2, "top");
}

/* brisk.hex.layout(b[, {bytes_per_row=, group=, column=, nibble=, top=}])
 * -> the layout after the change (also b:hex_layout([t])) */
static int api_hex_layout(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	HexView *h = check_view(L, b);
	if (lua_istable(L, 2)) {
		int bpr = (int)opt_field(L, 2, "bytes_per_row", h->bpr), group = (int)opt_field(L, 2, "group", h->group);
		if (!render_hex_layout_ok(bpr, group))
			return luaL_argerror(L, 2, "bytes_per_row 8/16/32, group 1/2/4/8 (at most bytes_per_row)");
		lua_getfield(L, 2, "column");
		const char *col = lua_tostring(L, -1);
		if (col && strcmp(col, "hex") != 0 && strcmp(col, "ascii") != 0)
			return luaL_argerror(L, 2, "column is \"hex\" or \"ascii\"");
		if (col)
			h->ascii = strcmp(col, "ascii") == 0;
		lua_pop(L, 1);
		h->low = opt_field(L, 2, "nibble", h->low) != 0;
		lua_Integer top = opt_field(L, 2, "top", (lua_Integer)h->top);
		h->top = top > 0 ? (size_t)top : 0;
		h->bpr = bpr;
		h->group = group;
		h->top -= h->top % (size_t)bpr;
	}
	push_layout(L, h);
	return 1;
}

/* brisk.hex.highlight(b[, pat[, mask]]): matches of pat shown in the view
 * (all of them, as the rows are drawn); no pattern clears. */
static int api_hex_highlight(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	HexView *h = check_view(L, b);
	if (lua_isnoneornil(L, 2)) {
		h->hl_len = 0;
		return 0;
	}
	size_t len, mlen = 0;
	const char *p = luaL_checklstring(L, 2, &len);
	const char *m = lua_isnoneornil(L, 3) ? NULL : luaL_checklstring(L, 3, &mlen);
	if (len == 0 || len > HEX_HL_MAX || (m && mlen != len))
		return luaL_argerror(L, 2, "1 to 256 bytes, mask as long");
	memcpy(h->hl, p, len);
	if (m)
		memcpy(h->hl_mask, m, len);
	else
		memset(h->hl_mask, 0xff, len);
	h->hl_len = len;
	return 0;
}

static void push_styles(lua_State *L, Grid *g, int y)
{
	lua_createtable(L, g->w, 0);
	for (int x = 0; x < g->w; x++) {
		lua_pushinteger(L, grid_at(g, x, y)->style);
		lua_rawseti(L, -2, x + 1);
	}
}

/* brisk.hex.screen(b[, {w=80, h=24, styles=false}]) -> {rows}, cx, cy
 * [, {styles per row}]: the view as the terminal would show it, scrolled
 * to the primary cursor (cx, cy 0-based; nil when hidden). For tests. */
static int api_hex_screen(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	int w = (int)opt_field(L, 2, "w", 80), h = (int)opt_field(L, 2, "h", 24);
	bool styles = lua_istable(L, 2) && (lua_getfield(L, 2, "styles"), lua_toboolean(L, -1));
	if (w < 1 || h < 1 || w > 1000 || h > 1000)
		return luaL_argerror(L, 2, "w and h from 1 to 1000");
	Window win = {.buf = b, .w = w, .h = h};
	View v;
	Grid g = {0};
	view_init(&v, &win);
	if (!check_view(L, b) || !grid_resize(&g, w, h))
		return luaL_error(L, "out of memory");
	render_hex_show(&v, b, b->sels.v[b->sels.primary].head);
	render_hex(&v, b, &g);
	lua_createtable(L, h, 0);
	char *row = malloc((size_t)w + 1);
	for (int y = 0; row && y < h; y++) {
		int n = 0;
		for (int x = 0; x < w; x++)
			row[n++] = grid_at(&g, x, y)->cp < 128 ? (char)grid_at(&g, x, y)->cp : '?';
		while (n > 0 && row[n - 1] == ' ')
			n--;
		lua_pushlstring(L, row, (size_t)n);
		lua_rawseti(L, -2, y + 1);
	}
	free(row);
	int nret = 1;
	if (v.cx >= 0) {
		lua_pushinteger(L, v.cx);
		lua_pushinteger(L, v.cy);
	} else {
		lua_pushnil(L);
		lua_pushnil(L);
	}
	nret += 2;
	if (styles) {
		lua_createtable(L, h, 0);
		for (int y = 0; y < h; y++) {
			push_styles(L, &g, y);
			lua_rawseti(L, -2, y + 1);
		}
		nret++;
	}
	grid_fini(&g);
	view_fini(&v);
	return nret;
}

/* brisk.hex.rows(b) -> rows a page of the view shows */
static int api_hex_rows(lua_State *L)
{
	Editor *ed = blua_editor(L);
	blua_check_buffer(L, 1);
	lua_pushinteger(L, ed->win.h > 0 ? ed->win.h : 24);
	return 1;
}

/* brisk.hex.version(b) -> a number that changes with every edit */
static int api_hex_version(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)blua_check_buffer(L, 1)->text->version);
	return 1;
}

/* ===== offering the hex view ============================================ */

static void offer_done(Editor *ed, bool yes, void *arg)
{
	Buffer *b = ed_find_buffer(ed, (int)(intptr_t)arg);
	if (yes && b)
		buf_set_mode(ed, b, "hex");
}

/* brisk.hex.offer(b[, ask]): says that b has NUL bytes and how to see it
 * in hex; with ask, asks instead (the UI's yes/no question). Headless:
 * nothing. */
static int api_hex_offer(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	Editor *ed = blua_editor(L);
	if (ed->headless || render_hex_is_on(b))
		return 0;
	char q[300];
	snprintf(q, sizeof q, "%.200s contains NUL bytes: show it in the hex view?", b->name);
	if (lua_toboolean(L, 2) && ed->ui.ask)
		ed_ask(ed, q, offer_done, (void *)(intptr_t)b->id);
	else
		msg_info(ed, "%.200s contains NUL bytes: Ctrl-K h (hex-toggle) shows it in hex", b->name);
	return 0;
}

/* ===== edits at many cursors ============================================ */

/* Cursors at the given offsets (sorted), primary kept by index, as the
 * buffer's selections; the undo step just made ends with them. */
static bool set_cursors(Editor *ed, Buffer *b, const size_t *pos, size_t n, size_t primary)
{
	SelSet ns;
	sel_init(&ns);
	if (!sel_reserve(&ns, n ? n : 1))
		return false;
	for (size_t i = 0; i < n; i++)
		sel_push(&ns, (Sel){pos[i], pos[i]});
	if (n == 0)
		sel_push(&ns, (Sel){0, 0});
	ns.primary = primary < n ? primary : 0;
	sel_normalize(&ns);
	sel_fini(&b->sels);
	b->sels = ns;
	cmd_follow_primary(ed);
	return true;
}

/* The top undo step records the cursors as they are now (its "after"). */
static void note_cursors(Buffer *b)
{
	CursorSet after;
	if (sel_to_cursors(&b->sels, &after))
		text_set_cursors_after(b->text, &after);
}

typedef struct Over {
	int nibble;       /* 0 whole bytes, 1 high, 2 low */
	lua_Integer adv;  /* cursor move after the write */
	bool join;        /* continue the previous overwrite's undo step */
} Over;

static Over over_opts(lua_State *L, size_t blen)
{
	Over o = {0, (lua_Integer)blen, false};
	if (!lua_istable(L, 3))
		return o;
	lua_getfield(L, 3, "nibble");
	const char *s = lua_tostring(L, -1);
	o.nibble = !s ? 0 : strcmp(s, "high") == 0 ? 1 : strcmp(s, "low") == 0 ? 2 : -1;
	lua_pop(L, 1);
	if (o.nibble < 0 || (o.nibble && blen != 1))
		luaL_argerror(L, 3, "nibble is \"high\" or \"low\", with one byte");
	o.adv = opt_field(L, 3, "advance", o.adv);
	lua_getfield(L, 3, "join");
	o.join = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return o;
}

/* Edits for every cursor (selection start) before the end; nb holds the
 * bytes of nibble writes. Returns the count. */
static size_t over_edits(Buffer *b, const char *bytes, size_t blen, const Over *o, Edit *e, char *nb)
{
	SelSet *ss = &b->sels;
	size_t len = text_len(b->text), n = 0;
	for (size_t i = 0; i < ss->n; i++) {
		size_t p = sel_start(ss->v[i]);
		if (p >= len || (n && p < e[n - 1].pos + e[n - 1].del))
			continue;
		size_t k = blen < len - p ? blen : len - p;
		const char *src = bytes;
		if (o->nibble) {
			unsigned old = (unsigned)text_byte(b->text, p), v = (unsigned char)bytes[0];
			nb[n] = (char)(o->nibble == 1 ? (v & 0xf0) | (old & 0x0f) : (old & 0xf0) | (v & 0x0f));
			src = &nb[n];
		}
		e[n] = (Edit){p, k, src, k};
		n++;
	}
	return n;
}

/* brisk.hex.overwrite(b, bytes[, {nibble="high"|"low", advance=n, join=}])
 * -> how many cursors wrote, or nil, message. At every cursor (selection
 * start) the bytes replace as many bytes (never past the end), as one
 * typing step; with nibble, bytes is one byte whose high or low four bits
 * replace those of the byte there. Then every cursor moves by advance
 * (default #bytes). join continues the undo step of the previous
 * overwrite when nothing changed since (so a byte typed as two nibbles is
 * one undo step): the typing run of the text is reopened, since the key
 * dispatch ends it before every bound key. */
static int api_hex_overwrite(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	Editor *ed = blua_editor(L);
	size_t blen;
	const char *bytes = luaL_checklstring(L, 2, &blen);
	Over o = over_opts(L, blen);
	HexView *h = check_view(L, b);
	SelSet *ss = &b->sels;
	size_t ns = ss->n ? ss->n : 1, len = text_len(b->text), primary = ss->primary;
	Edit *e = malloc(ns * sizeof *e);
	char *nb = malloc(ns);
	size_t *to = malloc(ns * sizeof *to);
	if (!e || !nb || !to) {
		free(e), free(nb), free(to);
		return luaL_error(L, "out of memory");
	}
	uint64_t t0 = loop_now_ms();
	/* Where each cursor goes: its start moved by advance. */
	for (size_t i = 0; i < ss->n; i++) {
		lua_Integer q = (lua_Integer)sel_start(ss->v[i]) + o.adv;
		to[i] = q < 0 ? 0 : (size_t)q > len ? len : (size_t)q;
	}
	size_t n = over_edits(b, bytes, blen, &o, e, nb), nto = ss->n;
	if (o.join && h->typed_version == b->text->version)
		b->text->undo.run_open = true;
	bool ok = n == 0 || buf_apply(ed, b, e, n, TXN_TYPING, PLACE_MAP);
	if (ok && n && set_cursors(ed, b, to, nto, primary))
		note_cursors(b);
	h->typed_version = b->text->version;
	free(e), free(nb), free(to);
	blua_budget_credit_since(L, t0, 0);
	if (!ok) {
		lua_pushnil(L);
		lua_pushstring(L, "edit failed (see messages)");
		return 2;
	}
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

/* brisk.hex.stride(b, start, step, count): count cursors at start,
 * start + step, ... (clipped to the buffer); the first is the primary. */
static int api_hex_stride(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer start = luaL_checkinteger(L, 2), step = luaL_checkinteger(L, 3), count = luaL_checkinteger(L, 4);
	size_t len = text_len(b->text);
	if (start < 0 || (size_t)start > len)
		return luaL_argerror(L, 2, "offset out of range");
	if (step < 1)
		return luaL_argerror(L, 3, "step must be at least 1");
	if (count < 1)
		return luaL_argerror(L, 4, "count must be at least 1");
	size_t room = (len - (size_t)start) / (size_t)step + 1;
	size_t n = (size_t)count < room ? (size_t)count : room;
	size_t *pos = malloc(n * sizeof *pos);
	if (!pos)
		return luaL_error(L, "out of memory");
	for (size_t i = 0; i < n; i++)
		pos[i] = (size_t)start + i * (size_t)step;
	bool ok = set_cursors(blua_editor(L), b, pos, n, 0);
	free(pos);
	if (!ok)
		return luaL_error(L, "out of memory");
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

/* Where a head goes: by delta bytes, or to its row's start or end. */
static size_t move_head(size_t head, size_t len, size_t bpr, int how, lua_Integer delta)
{
	if (how == 1)
		return head - head % bpr;
	if (how == 2) {
		size_t e = head - head % bpr + bpr - 1;
		return e < len ? e : len;
	}
	lua_Integer q = (lua_Integer)head + delta;
	return q < 0 ? 0 : (size_t)q > len ? len : (size_t)q;
}

/* brisk.hex.move(b, delta | "home" | "end"[, extend]): moves every cursor
 * by delta bytes (clamped to the buffer) or to its row's first / last byte;
 * extend keeps the anchors (Shift+arrows). Returns the primary's head. */
static int api_hex_move(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	HexView *h = check_view(L, b);
	static const char *const hows[] = {"", "home", "end", NULL};
	int how = lua_type(L, 2) == LUA_TSTRING ? luaL_checkoption(L, 2, NULL, hows) : 0;
	lua_Integer delta = how ? 0 : luaL_checkinteger(L, 2);
	bool extend = lua_toboolean(L, 3);
	SelSet *ss = &b->sels;
	size_t len = text_len(b->text);
	for (size_t i = 0; i < ss->n; i++) {
		Sel *s = &ss->v[i];
		s->head = move_head(s->head, len, (size_t)h->bpr, how, delta);
		if (!extend)
			s->anchor = s->head;
	}
	sel_normalize(ss);
	text_break(b->text);
	cmd_follow_primary(blua_editor(L));
	lua_pushinteger(L, (lua_Integer)ss->v[ss->primary].head);
	return 1;
}

void api_hex_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"export", api_hex_export}, {"find", api_hex_find}, {"crc32", api_hex_crc32},
		{"digest", api_hex_digest}, {"diff", api_hex_diff}, {"layout", api_hex_layout},
		{"highlight", api_hex_highlight}, {"screen", api_hex_screen}, {"rows", api_hex_rows},
		{"version", api_hex_version}, {"offer", api_hex_offer}, {"overwrite", api_hex_overwrite},
		{"stride", api_hex_stride}, {"move", api_hex_move}, {"find_all", api_hex_find_all},
		{NULL, NULL},
	};
	luaL_newlib(L, fns);
	static const struct { const char *k; int v; } styles[] = {
		{"offset", HEX_S_OFFSET}, {"nul", HEX_S_NUL}, {"print", HEX_S_PRINT},
		{"space", HEX_S_SPACE}, {"ctrl", HEX_S_CTRL}, {"high", HEX_S_HIGH},
		{"modified", HEX_S_MOD}, {"match", RS_MATCH}, {"selection", RS_SEL},
		{"cursor", RS_CURSOR},
	};
	lua_createtable(L, 0, (int)(sizeof styles / sizeof styles[0]));
	for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
		lua_pushinteger(L, styles[i].v);
		lua_setfield(L, -2, styles[i].k);
	}
	lua_setfield(L, -2, "styles");
	lua_setfield(L, -2, "hex");
	/* b:hex_layout([t]) on every buffer handle. */
	static const luaL_Reg methods[] = {{"hex_layout", api_hex_layout}, {NULL, NULL}};
	blua_buffer_methods(L, methods);
}
