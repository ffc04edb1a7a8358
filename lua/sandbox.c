/* The standard library plugins see: Lua's, less whatever could crash,
 * hang or escape the editor. No native code (require loads text Lua only,
 * no package.loadlib, no C searchers), no bytecode (load, loadfile and
 * require read text only), no debug hooks (debug is {traceback}), nothing
 * that waits on the terminal (no io.read, io.input, io.stdin, io.lines()
 * without a file; io.open never opens a terminal and never blocks on a
 * FIFO), finalizers that run under the time budget, and stdout/stderr
 * writes that reach a terminal escaped as the screen shows them. Lua
 * patterns are brisk's own step-counting matcher (strlib.c). */
#include "lua/sandbox.h"
#include <errno.h>
#include <fcntl.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOAD_MAX ((size_t)256 << 20)  /* largest Lua file loadfile/require read */
#define FINALIZER_BUDGET_MS 200
#define GC_WATCH "brisk.gcwatch"       /* weak keys: table -> its sentinel */
#define GC_SENTINEL "brisk.gcsentinel"
#define OUT_MT "brisk.stdout"
#define OUTPUT_KEY "brisk.output"      /* io.output()'s current file */

/* ===== loading text Lua ================================================== */

/* The whole of a regular file (never a FIFO or a terminal: those would
 * block); NULL with err filled. The caller frees. */
static char *read_regular(const char *path, size_t *len, char *err, size_t errsize)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errsize, "cannot open %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *buf = NULL;
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > LOAD_MAX)
		snprintf(err, errsize, "cannot read %s: %s", path, S_ISREG(st.st_mode) ? "too large" : "not a regular file");
	else if (!(buf = malloc((size_t)st.st_size + 1)))
		snprintf(err, errsize, "cannot read %s: %s", path, strerror(ENOMEM));
	size_t n = 0;
	while (buf && n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errsize, "cannot read %s: %s", path, r < 0 ? strerror(errno) : "file shrank");
			free(buf);
			buf = NULL;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

/* Loads a text chunk from a file as luaL_loadfilex does (a UTF-8 BOM and a
 * first "#" line skipped), bytecode refused. Pushes the function, or the
 * message and returns an error status. */
static int load_text_file(lua_State *L, const char *path)
{
	char err[512];
	size_t len, off = 0;
	char *buf = read_regular(path, &len, err, sizeof err);
	if (!buf) {
		lua_pushstring(L, err);
		return LUA_ERRFILE;
	}
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		off = 3;
	if (off < len && buf[off] == '#')
		while (off < len && buf[off] != '\n')
			off++; /* keeps the newline: line numbers stay right */
	lua_pushfstring(L, "@%s", path);
	int rc = luaL_loadbufferx(L, buf + off, len - off, lua_tostring(L, -1), "t");
	free(buf);
	lua_remove(L, -2);
	return rc;
}

/* load(chunk, name, mode, env): text only, whatever mode says. */
static int safe_load(lua_State *L)
{
	/* Pass env only when given: an explicit nil would become _ENV. */
	int n = lua_gettop(L) >= 4 ? 4 : 3;
	lua_settop(L, n);
	lua_pushstring(L, "t");
	lua_replace(L, 3);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, n, LUA_MULTRET);
	return lua_gettop(L);
}

/* loadfile(path[, mode[, env]]): text only; no path (stdin) refused. */
static int safe_loadfile(lua_State *L)
{
	const char *path = luaL_optstring(L, 1, NULL);
	if (!path)
		return luaL_error(L, "loadfile: reading stdin is not available");
	bool env = !lua_isnone(L, 3);
	if (load_text_file(L, path) != LUA_OK) {
		luaL_pushfail(L);
		lua_insert(L, -2);
		return 2;
	}
	if (env) {
		lua_pushvalue(L, 3);
		if (!lua_setupvalue(L, -2, 1))
			lua_pop(L, 1);
	}
	return 1;
}

/* ===== require: text Lua only ============================================ */

static bool readable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

/* Pushes the first template of path (";"-separated, "?" = name with sep
 * replaced by rep) naming a readable regular file, and returns true; else
 * pushes the list of files tried. stat() only: opening a FIFO would block. */
static bool search_path(lua_State *L, const char *name, const char *path, const char *sep, const char *rep)
{
	if (*sep)
		name = luaL_gsub(L, name, sep, rep);
	lua_pushliteral(L, ""); /* the files tried */
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ";");
		if (n > 0) {
			lua_pushlstring(L, p, n);
			const char *file = luaL_gsub(L, lua_tostring(L, -1), "?", name);
			lua_remove(L, -2);
			if (readable_file(file))
				return true;
			lua_pushfstring(L, "\n\tno file '%s'", file);
			lua_remove(L, -2);
			lua_concat(L, 2);
		}
		p += n + (p[n] == ';');
	}
	return false;
}

/* package.searchpath(name, path[, sep[, rep]]) */
static int safe_searchpath(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1), *path = luaL_checkstring(L, 2);
	const char *sep = luaL_optstring(L, 3, "."), *rep = luaL_optstring(L, 4, "/");
	if (search_path(L, name, path, sep, rep))
		return 1;
	luaL_pushfail(L);
	lua_insert(L, -2);
	return 2;
}

/* The one file searcher: package.path, loaded as text. */
static int searcher_text(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	lua_getfield(L, lua_upvalueindex(1), "path");
	const char *path = lua_tostring(L, -1);
	if (!path)
		return luaL_error(L, "'package.path' must be a string");
	if (!search_path(L, name, path, ".", "/"))
		return 1; /* the files tried, for require's message */
	const char *file = lua_tostring(L, -1);
	if (load_text_file(L, file) != LUA_OK)
		return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, file, lua_tostring(L, -1));
	lua_pushvalue(L, -2);
	return 2;
}

static void open_package(lua_State *L)
{
	lua_getglobal(L, "package");
	int pkg = lua_gettop(L);
	lua_getfield(L, pkg, "searchers");
	lua_rawgeti(L, -1, 1); /* the preload searcher: Lua values only */
	lua_createtable(L, 2, 0);
	lua_insert(L, -2);
	lua_rawseti(L, -2, 1);
	lua_pushvalue(L, pkg);
	lua_pushcclosure(L, searcher_text, 1);
	lua_rawseti(L, -2, 2);
	lua_setfield(L, pkg, "searchers");
	lua_pop(L, 1);
	lua_pushcfunction(L, safe_searchpath);
	lua_setfield(L, pkg, "searchpath");
	lua_pushnil(L);
	lua_setfield(L, pkg, "loadlib");
	lua_pushliteral(L, "");
	lua_setfield(L, pkg, "cpath"); /* never read: no C searcher */
	/* debug: traceback only, as a global and through require. */
	lua_getfield(L, pkg, "loaded");
	lua_getglobal(L, "debug");
	lua_getfield(L, -1, "traceback");
	lua_createtable(L, 0, 1);
	lua_insert(L, -2);
	lua_setfield(L, -2, "traceback");
	lua_pushvalue(L, -1);
	lua_setglobal(L, "debug");
	lua_setfield(L, -3, "debug");
	lua_pop(L, 3);
}

/* ===== finalizers under the budget ========================================
 * Lua runs __gc with debug hooks off, so a looping finalizer could never
 * be interrupted. So a table never gets a metatable with __gc from Lua's
 * point of view: setmetatable takes __gc out while it sets the metatable,
 * and ties a sentinel to the table instead (a weak-keyed entry table ->
 * sentinel, the sentinel holding the table). When the table is garbage the
 * sentinel is too; its C finalizer calls the table's current __gc in a
 * coroutine, where the hook runs, under a budget. */

static int sentinel_gc(lua_State *L)
{
	if (lua_getiuservalue(L, 1, 1) != LUA_TTABLE || !lua_getmetatable(L, 2))
		return 0;
	if (lua_getfield(L, 3, "__gc") == LUA_TNIL || blua_exit_spent(L))
		return 0;
	lua_State *co = lua_newthread(L);
	lua_pushvalue(L, 4);
	lua_pushvalue(L, 2);
	lua_xmove(L, co, 2);
	int nres;
	int rc = blua_resume(L, co, 1, &nres, FINALIZER_BUDGET_MS);
	if (rc != LUA_OK && rc != LUA_YIELD) {
		lua_pushfstring(L, "__gc: %s", lua_tostring(co, -1) ? lua_tostring(co, -1) : "error");
		blua_report_late(L, lua_tostring(L, -1));
	}
	return 0;
}

static void watch_finalizer(lua_State *L, int t)
{
	lua_getfield(L, LUA_REGISTRYINDEX, GC_WATCH);
	lua_pushvalue(L, t);
	if (lua_rawget(L, -2) != LUA_TNIL) {
		lua_pop(L, 2); /* finalized once, like Lua's own */
		return;
	}
	lua_pop(L, 1);
	lua_pushvalue(L, t);
	lua_newuserdatauv(L, 0, 1);
	lua_pushvalue(L, t);
	lua_setiuservalue(L, -2, 1);
	luaL_setmetatable(L, GC_SENTINEL);
	lua_rawset(L, -3);
	lua_pop(L, 1);
}

/* setmetatable(t, mt) as Lua's, but a __gc in mt is run by the sentinel. */
static int safe_setmetatable(lua_State *L)
{
	int tm = lua_type(L, 2);
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argexpected(L, tm == LUA_TNIL || tm == LUA_TTABLE, 2, "nil or table");
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_settop(L, 2);
	bool gc = false;
	if (tm == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		gc = lua_rawget(L, 2) != LUA_TNIL; /* raw, as Lua looks for it */
	}
	if (gc) {
		lua_pushliteral(L, "__gc");
		lua_pushnil(L);
		lua_rawset(L, 2);
	}
	lua_pushvalue(L, 2);
	lua_setmetatable(L, 1);
	if (gc) {
		lua_pushliteral(L, "__gc");
		lua_pushvalue(L, 3);
		lua_rawset(L, 2);
		watch_finalizer(L, 1);
	}
	lua_settop(L, 1);
	return 1;
}

static void open_finalizers(lua_State *L)
{
	blua_weak_keys(L, GC_WATCH);
	luaL_newmetatable(L, GC_SENTINEL);
	lua_pushcfunction(L, sentinel_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);
	lua_register(L, "setmetatable", safe_setmetatable);
}

/* ===== io: files, never the terminal ===================================== */

static int stream_close(lua_State *L)
{
	luaL_Stream *p = luaL_checkudata(L, 1, LUA_FILEHANDLE);
	errno = 0;
	return luaL_fileresult(L, fclose(p->f) == 0, NULL);
}

/* mode as io.open takes it: [rwa]+?b* */
static int open_flags(const char *mode)
{
	int f;
	switch (*mode++) {
	case 'r': f = O_RDONLY; break;
	case 'w': f = O_WRONLY | O_CREAT | O_TRUNC; break;
	case 'a': f = O_WRONLY | O_CREAT | O_APPEND; break;
	default: return -1;
	}
	if (*mode == '+') {
		f = (f & ~O_ACCMODE) | O_RDWR;
		mode++;
	}
	return strspn(mode, "b") == strlen(mode) ? f : -1;
}

/* io.open(name[, mode]): as Lua's, but a terminal is refused and a FIFO
 * or device stays non-blocking (a read with nothing there fails instead of
 * waiting), so no call can stop the editor. */
static int safe_open(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1), *mode = luaL_optstring(L, 2, "r");
	int flags = open_flags(mode);
	luaL_argcheck(L, flags >= 0, 2, "invalid mode");
	luaL_Stream *p = lua_newuserdatauv(L, sizeof *p, 0);
	p->closef = NULL; /* closed until opened */
	luaL_setmetatable(L, LUA_FILEHANDLE);
	int fd = open(name, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0666);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) != 0 || isatty(fd))) {
		close(fd);
		luaL_pushfail(L);
		lua_pushfstring(L, "%s: a terminal is not available to plugins", name);
		lua_pushinteger(L, ENOTTY);
		return 3;
	}
	if (fd >= 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	p->f = fd >= 0 ? fdopen(fd, mode) : NULL;
	if (!p->f) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		errno = e;
		return luaL_fileresult(L, 0, name);
	}
	p->closef = stream_close;
	return 1;
}

/* Returns the values of a file's lines iterator and closes the file at
 * the end, as io.lines(name) does. */
static int lines_next(lua_State *L)
{
	int top = lua_gettop(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_call(L, 0, LUA_MULTRET);
	if (lua_isnil(L, top + 1)) {
		lua_getfield(L, lua_upvalueindex(2), "close");
		lua_pushvalue(L, lua_upvalueindex(2));
		lua_call(L, 1, 0);
	}
	return lua_gettop(L) - top;
}

/* io.lines(name, ...): a file only (without one Lua would read stdin). */
static int safe_lines(lua_State *L)
{
	if (lua_isnoneornil(L, 1))
		return luaL_error(L, "io.lines() without a file name is not available to plugins (it reads the terminal)");
	int n = lua_gettop(L);
	lua_pushcfunction(L, safe_open);
	lua_pushvalue(L, 1);
	lua_call(L, 1, 2);
	if (lua_isnil(L, -2))
		return luaL_error(L, "%s", lua_tostring(L, -1));
	lua_pop(L, 1);
	int file = lua_gettop(L);
	lua_getfield(L, file, "lines");
	lua_pushvalue(L, file);
	for (int i = 2; i <= n; i++)
		lua_pushvalue(L, i);
	lua_call(L, n, 1);
	lua_pushvalue(L, file);
	lua_pushcclosure(L, lines_next, 2);
	lua_pushnil(L);
	lua_pushnil(L);
	lua_pushvalue(L, file); /* to-be-closed in a generic for */
	return 4;
}

/* ===== stdout and stderr: the one path out ================================
 * io.stdout, io.stderr, io.write and print write here: in the UI (the
 * screen is stdout) each line becomes a message; elsewhere the bytes go
 * to the stream, escaped as the screen shows them when it is a terminal
 * (editor.c msg_fwrite), as they are when it is a file or a pipe. */

typedef struct Out {
	int fd;
	char line[512]; /* the UI: a message line being collected */
	size_t n;
} Out;

static void out_line(Editor *ed, Out *o)
{
	msg_info(ed, "%.*s", (int)o->n, o->line);
	o->n = 0;
}

static void out_bytes(Editor *ed, Out *o, const char *s, size_t len)
{
	FILE *f = o->fd == 2 ? stderr : stdout;
	if (!ed->ui.message) {
		if (isatty(o->fd))
			msg_fwrite(f, s, len, "\n\t");
		else
			fwrite(s, 1, len, f);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n' || o->n == sizeof o->line)
			out_line(ed, o);
		if (s[i] != '\n')
			o->line[o->n++] = s[i];
	}
}

/* out:write(...) -> out, as file:write (strings and numbers). */
static int out_write(lua_State *L)
{
	Out *o = luaL_checkudata(L, 1, OUT_MT);
	int n = lua_gettop(L);
	for (int i = 2; i <= n; i++) {
		size_t len;
		const char *s = luaL_checklstring(L, i, &len);
		out_bytes(blua_editor(L), o, s, len);
	}
	lua_settop(L, 1);
	return 1;
}

static int out_flush(lua_State *L)
{
	Out *o = luaL_checkudata(L, 1, OUT_MT);
	fflush(o->fd == 2 ? stderr : stdout);
	lua_settop(L, 1);
	return 1;
}

static int out_noop(lua_State *L)
{
	luaL_checkudata(L, 1, OUT_MT);
	lua_settop(L, 1);
	return 1;
}

static int out_close(lua_State *L)
{
	luaL_checkudata(L, 1, OUT_MT);
	luaL_pushfail(L);
	lua_pushliteral(L, "cannot close standard file");
	return 2;
}

static int out_tostring(lua_State *L)
{
	Out *o = luaL_checkudata(L, 1, OUT_MT);
	lua_pushstring(L, o->fd == 2 ? "file (stderr)" : "file (stdout)");
	return 1;
}

static void push_out(lua_State *L, int fd)
{
	Out *o = lua_newuserdatauv(L, sizeof *o, 0);
	o->fd = fd;
	o->n = 0;
	luaL_setmetatable(L, OUT_MT);
}

/* print(...): tab-separated, a newline; in the UI one message. */
static int safe_print(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
		if (i < n)
			luaL_addchar(&b, '\t');
	}
	luaL_addchar(&b, '\n');
	luaL_pushresult(&b);
	size_t len;
	const char *s = lua_tolstring(L, -1, &len);
	Editor *ed = blua_editor(L);
	if (ed->ui.message) {
		msg_info(ed, "%.*s", (int)len - 1, s);
		return 0;
	}
	Out o = {.fd = 1};
	out_bytes(ed, &o, s, len);
	return 0;
}

/* io.output([file | name]): the file io.write writes to. */
static int safe_output(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TSTRING) {
		lua_pushcfunction(L, safe_open);
		lua_pushvalue(L, 1);
		lua_pushliteral(L, "w");
		lua_call(L, 2, 2);
		if (lua_isnil(L, -2))
			return luaL_error(L, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		lua_replace(L, 1);
	}
	if (!lua_isnoneornil(L, 1)) {
		if (!luaL_testudata(L, 1, OUT_MT))
			luaL_checkudata(L, 1, LUA_FILEHANDLE);
		lua_pushvalue(L, 1);
		lua_setfield(L, LUA_REGISTRYINDEX, OUTPUT_KEY);
	}
	lua_getfield(L, LUA_REGISTRYINDEX, OUTPUT_KEY);
	return 1;
}

/* io.write(...) = io.output():write(...) */
static int safe_write(lua_State *L)
{
	int n = lua_gettop(L);
	lua_getfield(L, LUA_REGISTRYINDEX, OUTPUT_KEY);
	lua_getfield(L, -1, "write");
	lua_insert(L, 1);
	lua_insert(L, 2);
	lua_call(L, n + 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* io.close([file]): the default output when none is given. */
static int safe_close(lua_State *L)
{
	if (lua_isnone(L, 1))
		lua_getfield(L, LUA_REGISTRYINDEX, OUTPUT_KEY);
	lua_getfield(L, 1, "close");
	lua_pushvalue(L, 1);
	lua_call(L, 1, LUA_MULTRET);
	return lua_gettop(L) - 1;
}

static int no_blocking(lua_State *L)
{
	return luaL_error(L, "%s is not available to plugins (use brisk.spawn / brisk.http)",
	                  lua_tostring(L, lua_upvalueindex(1)));
}

static void forbid(lua_State *L, const char *lib, const char *fn)
{
	lua_getglobal(L, lib);
	char name[64];
	snprintf(name, sizeof name, "%s.%s", lib, fn);
	lua_pushstring(L, name);
	lua_pushcclosure(L, no_blocking, 1);
	lua_setfield(L, -2, fn);
	lua_pop(L, 1);
}

static void open_io(lua_State *L)
{
	static const luaL_Reg out_methods[] = {
		{"write", out_write}, {"flush", out_flush}, {"setvbuf", out_noop},
		{"close", out_close}, {NULL, NULL},
	};
	luaL_newmetatable(L, OUT_MT);
	luaL_newlib(L, out_methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, out_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
	static const luaL_Reg io_fns[] = {
		{"open", safe_open}, {"lines", safe_lines}, {"output", safe_output},
		{"write", safe_write}, {"close", safe_close}, {NULL, NULL},
	};
	lua_getglobal(L, "io");
	luaL_setfuncs(L, io_fns, 0);
	push_out(L, 1);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, OUTPUT_KEY);
	lua_setfield(L, -2, "stdout");
	push_out(L, 2);
	lua_setfield(L, -2, "stderr");
	lua_pushnil(L);
	lua_setfield(L, -2, "stdin");
	lua_pop(L, 1);
	forbid(L, "io", "popen");
	forbid(L, "io", "read");
	forbid(L, "io", "input");
	lua_register(L, "print", safe_print);
}

/* ===== the rest ========================================================== */

static int safe_exit(lua_State *L)
{
	Editor *ed = blua_editor(L);
	if (!ed->headless)
		return luaL_error(L, "os.exit is not available in the editor; use brisk.quit()");
	int code = lua_isboolean(L, 1) ? (lua_toboolean(L, 1) ? 0 : 1) : (int)luaL_optinteger(L, 1, 0);
	fflush(stdout);
	fflush(stderr);
	_exit(code);
}

void blua_sandbox_open(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base}, {LUA_LOADLIBNAME, luaopen_package},
		{LUA_COLIBNAME, luaopen_coroutine}, {LUA_TABLIBNAME, luaopen_table},
		{LUA_IOLIBNAME, luaopen_io}, {LUA_OSLIBNAME, luaopen_os},
		{LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
		{LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_DBLIBNAME, luaopen_debug},
	};
	for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
		luaL_requiref(L, libs[i].name, libs[i].func, 1);
		lua_pop(L, 1);
	}
	open_package(L);
	open_io(L);
	open_finalizers(L);
	blua_strlib_open(L);
	forbid(L, "os", "execute");
	lua_getglobal(L, "os");
	lua_pushcfunction(L, safe_exit);
	lua_setfield(L, -2, "exit");
	lua_pop(L, 1);
	lua_getglobal(L, "load");
	lua_pushcclosure(L, safe_load, 1);
	lua_setglobal(L, "load");
	lua_register(L, "loadfile", safe_loadfile);
	lua_pushnil(L);
	lua_setglobal(L, "dofile");
}
