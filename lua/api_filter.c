/* Buffer view filters for Lua (the log view's C helper): regex rules that
 * hide lines, folds, counts, and writing the lines that pass. Methods on
 * buffer handles; the LineFilter (editor/filter.h) is created on first use
 * and owned by the buffer. Lines are 1-based here, as users see them. */
#include "lua/host.h"
#include "editor/ansi.h"
#include "editor/filter.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>


static LineFilter *get_filter(lua_State *L, Buffer *b)
{
	if (!b->filter && !(b->filter = filter_new()))
		luaL_error(L, "out of memory");
	return b->filter;
}

/* Brings the index up to date; the time it took is not the plugin's. */
static LineFilter *synced(lua_State *L, Buffer *b)
{
	LineFilter *f = get_filter(L, b);
	uint64_t t0 = loop_now_ms();
	filter_sync(f, b->text);
	blua_budget_credit_since(L, t0, BLUA_SLOW_MS);
	return f;
}

static size_t check_line(lua_State *L, int idx)
{
	lua_Integer n = luaL_checkinteger(L, idx);
	luaL_argcheck(L, n >= 1, idx, "line numbers start at 1");
	return (size_t)n - 1;
}

static void push_line(lua_State *L, size_t line)
{
	if (line == BUF_NOPOS)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)line + 1);
}

/***
 * Adds a filter rule to the buffer's view. A line passes when it matches
 * at least one "in" rule (or there is none) and no "out" rule. Patterns are
 * PCRE2 (case-sensitive unless they start with `(?i)`), matched per line.
 * @function buffer:filter_add
 * @tparam string kind "in" or "out"
 * @tparam string re the pattern
 * @return true, or nil and the regex error
 * @usage b:filter_add("in", "sys_chdir"); b:filter_add("out", "^ *[0-9]")
 */
static int api_filter_add(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	static const char *const kinds[] = {"in", "out", NULL};
	int kind = luaL_checkoption(L, 2, NULL, kinds) == 0 ? FILTER_IN : FILTER_OUT;
	size_t len;
	const char *re = luaL_checklstring(L, 3, &len);
	char err[256];
	if (!filter_add(get_filter(L, b), kind, re, len, err, sizeof err)) {
		lua_pushnil(L);
		lua_pushstring(L, err);
		return 2;
	}
	synced(L, b);
	lua_pushboolean(L, 1);
	return 1;
}

/***
 * Removes the i-th rule (in the order added).
 * @function buffer:filter_remove
 * @tparam integer i
 * @treturn boolean whether there was such a rule
 */
static int api_filter_remove(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer i = luaL_checkinteger(L, 2);
	lua_pushboolean(L, i >= 1 && filter_remove(get_filter(L, b), (size_t)i - 1));
	return 1;
}

/***
 * Removes every rule; folds stay.
 * @function buffer:filter_clear
 */
static int api_filter_clear(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	if (b->filter)
		filter_clear(b->filter);
	return 0;
}

/***
 * The rules, in order.
 * @function buffer:filter_rules
 * @treturn table `{{kind = "in"|"out", re = pattern}, ...}`
 */
static int api_filter_rules(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t n = b->filter ? filter_rules(b->filter) : 0;
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		int kind;
		size_t len;
		const char *re = filter_rule(b->filter, i, &kind, &len);
		lua_createtable(L, 0, 2);
		lua_pushstring(L, kind == FILTER_OUT ? "out" : "in");
		lua_setfield(L, -2, "kind");
		lua_pushlstring(L, re, len);
		lua_setfield(L, -2, "re");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/***
 * Counts: lines that pass the rules, and lines of the log (the empty line
 * after a final newline is not one). Folds do not change them.
 * @function buffer:filter_stats
 * @treturn integer passing
 * @treturn integer total
 * @usage local shown, total = b:filter_stats()
 */
static int api_filter_stats(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	LineFilter *f = synced(L, b);
	lua_pushinteger(L, (lua_Integer)filter_passing(f, b->text));
	lua_pushinteger(L, (lua_Integer)filter_total(f, b->text));
	return 2;
}

/***
 * Whether line n passes the rules.
 * @function buffer:filter_passes
 * @tparam integer n
 * @treturn boolean
 */
static int api_filter_passes(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t line = check_line(L, 2);
	lua_pushboolean(L, filter_passes(synced(L, b), b->text, line));
	return 1;
}

/***
 * Line numbers of passing lines: `count` of them (default: all) from the
 * `first`-th passing line on (default 1).
 * @function buffer:visible_lines
 * @tparam[opt=1] integer first
 * @tparam[opt] integer count
 * @treturn table line numbers
 * @usage for _, n in ipairs(b:visible_lines(1, 50)) do print(b:line(n)) end
 */
static int api_filter_visible_lines(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_Integer first = luaL_optinteger(L, 2, 1), count = luaL_optinteger(L, 3, -1);
	luaL_argcheck(L, first >= 1, 2, "must be >= 1");
	LineFilter *f = synced(L, b);
	size_t np = filter_passing(f, b->text), k = (size_t)first - 1;
	size_t n = k < np ? np - k : 0;
	if (count >= 0 && (size_t)count < n)
		n = (size_t)count;
	lua_createtable(L, n < 1000000 ? (int)n : 1000000, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushinteger(L, (lua_Integer)filter_nth(f, b->text, k + i) + 1);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/***
 * How many lines before line n pass (so `b:visible_rank(n) + 1` is n's
 * place in the filtered view when n passes).
 * @function buffer:visible_rank
 * @tparam integer n
 * @treturn integer
 */
static int api_filter_visible_rank(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t line = check_line(L, 2);
	lua_pushinteger(L, (lua_Integer)filter_rank(synced(L, b), b->text, line));
	return 1;
}

/* A stream that drops escape sequences (editor/ansi.h) on their way to
 * another one (fopencookie). */
typedef struct Stripper {
	FILE *to;
	AnsiStream as;
} Stripper;

static bool stripper_emit(void *arg, const char *p, size_t n)
{
	return fwrite(p, 1, n, ((Stripper *)arg)->to) == n;
}

static ssize_t stripper_write(void *c, const char *p, size_t n)
{
	return ansi_stream_feed(&((Stripper *)c)->as, p, n, stripper_emit, c) ? (ssize_t)n : -1;
}

static int stripper_close(void *c)
{
	return ansi_stream_end(&((Stripper *)c)->as, stripper_emit, c) ? 0 : EOF;
}

/* The passing lines into fp, their escape sequences dropped. */
static bool write_stripped(LineFilter *f, Text *t, FILE *fp)
{
	Stripper st = {.to = fp};
	FILE *sf = fopencookie(&st, "w", (cookie_io_functions_t){.write = stripper_write, .close = stripper_close});
	if (!sf)
		return false;
	static char sbuf[1 << 16];
	setvbuf(sf, sbuf, _IOFBF, sizeof sbuf);
	bool ok = filter_write(f, t, sf);
	int err = errno;
	if (fclose(sf) != 0 && ok) {
		ok = false;
		err = errno;
	}
	errno = err;
	return ok;
}

/***
 * Writes the lines that pass the rules (folds do not matter), each ending
 * in a newline, to a file (created or truncated). Without rules: every line.
 * With `escapes = false`, terminal escape sequences (colours) are left out.
 * @function buffer:write_visible
 * @tparam string path
 * @tparam[opt] table opts `{escapes = false}`
 * @return true, or nil and a message
 * @usage b:write_visible("/tmp/chdir.txt")
 */
static int api_filter_write_visible(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	const char *path = luaL_checkstring(L, 2);
	bool strip = false;
	if (lua_istable(L, 3)) {
		lua_getfield(L, 3, "escapes");
		strip = lua_isboolean(L, -1) && !lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	LineFilter *f = synced(L, b);
	uint64_t t0 = loop_now_ms();
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return blua_fail_errno(L, path);
	static char iobuf[1 << 20];
	setvbuf(fp, iobuf, _IOFBF, sizeof iobuf);
	bool ok = strip ? write_stripped(f, b->text, fp) : filter_write(f, b->text, fp);
	int err = errno;
	if (fclose(fp) != 0 && ok) {
		ok = false;
		err = errno;
	}
	blua_budget_credit_since(L, t0, BLUA_SLOW_MS);
	if (!ok) {
		lua_pushnil(L);
		lua_pushfstring(L, "%s: %s", path, strerror(err));
		return 2;
	}
	lua_pushboolean(L, 1);
	return 1;
}

/***
 * Folds lines first+1..last under line `first` (folds may nest).
 * @function buffer:fold
 * @tparam integer first
 * @tparam integer last
 * @treturn boolean false for an empty range
 */
static int api_filter_fold(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t first = check_line(L, 2), last = check_line(L, 3);
	lua_pushboolean(L, filter_fold(get_filter(L, b), first, last));
	return 1;
}

/***
 * Removes the folds whose first line is `first`.
 * @function buffer:unfold
 * @tparam integer first
 * @treturn integer how many were removed
 */
static int api_filter_unfold(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t first = check_line(L, 2);
	lua_pushinteger(L, b->filter ? (lua_Integer)filter_unfold(b->filter, first) : 0);
	return 1;
}

/***
 * Removes every fold.
 * @function buffer:unfold_all
 */
static int api_filter_unfold_all(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	if (b->filter)
		filter_unfold_all(b->filter);
	return 0;
}

/***
 * The last line of the widest fold starting at `first`, or nil.
 * @function buffer:fold_end
 * @tparam integer first
 * @treturn integer|nil
 */
static int api_filter_fold_end(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t first = check_line(L, 2);
	push_line(L, b->filter ? filter_fold_end(b->filter, first) : BUF_NOPOS);
	return 1;
}

/***
 * How many folds the buffer has.
 * @function buffer:folds
 * @treturn integer
 */
static int api_filter_folds(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	lua_pushinteger(L, b->filter ? (lua_Integer)filter_folds(b->filter) : 0);
	return 1;
}

/***
 * Whether the view shows line n (it passes the rules and no fold hides it).
 * @function buffer:shown
 * @tparam integer n
 * @treturn boolean
 */
static int api_filter_shown(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t line = check_line(L, 2);
	if (b->filter)
		synced(L, b);
	lua_pushboolean(L, filter_shown(b->filter, b->text, line));
	return 1;
}

/***
 * The first shown line at or after n / the last at or before n, or nil.
 * @function buffer:next_shown
 * @tparam integer n
 * @treturn integer|nil
 * @usage local down = b:next_shown(b:line_of(b:cursor()) + 1)
 */
static int api_filter_next_shown(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t line = check_line(L, 2);
	if (b->filter)
		synced(L, b);
	push_line(L, filter_next_shown(b->filter, b->text, line));
	return 1;
}

static int api_filter_prev_shown(lua_State *L)
{
	Buffer *b = blua_check_buffer(L, 1);
	size_t line = check_line(L, 2);
	if (b->filter)
		synced(L, b);
	push_line(L, filter_prev_shown(b->filter, b->text, line));
	return 1;
}

void api_filter_open(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"filter_add", api_filter_add}, {"filter_remove", api_filter_remove},
		{"filter_clear", api_filter_clear}, {"filter_rules", api_filter_rules},
		{"filter_stats", api_filter_stats}, {"filter_passes", api_filter_passes},
		{"visible_lines", api_filter_visible_lines}, {"visible_rank", api_filter_visible_rank},
		{"write_visible", api_filter_write_visible},
		{"fold", api_filter_fold}, {"unfold", api_filter_unfold}, {"unfold_all", api_filter_unfold_all},
		{"fold_end", api_filter_fold_end}, {"folds", api_filter_folds}, {"shown", api_filter_shown},
		{"next_shown", api_filter_next_shown}, {"prev_shown", api_filter_prev_shown},
		{NULL, NULL},
	};
	blua_buffer_methods(L, methods);
}
