/* brisk.db: SQLite databases for plugins (news history, archives). Owns
 * the db and statement handles. A db handle owns its statements: closing
 * the db finalizes them, and a statement keeps its db alive (uservalue).
 * Handles are checked: using a closed db raises "db is closed", a
 * finalized statement "statement is finalized". Expected failures (SQL
 * errors, constraint violations, a locked database) return nil, message.
 * Databases open in WAL mode with a 2 s busy timeout (the only wait).
 * db:rows, db:first and db:exec with values keep their compiled statements
 * in a small cache per db (by SQL text): compiling is most of the cost of
 * a short statement, and more so on tables with triggers. */
#include "lua/host.h"
#include "buffer/list.h"
#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DB_MT "brisk.db"
#define STMT_MT "brisk.db.stmt"
#define BUSY_TIMEOUT_MS 2000
#define STMT_CACHE 48

typedef struct Stmt Stmt;

/* A compiled statement kept for its SQL text; busy while a Stmt uses it. */
typedef struct Cached {
	char *sql;
	size_t len;
	sqlite3_stmt *st;
	bool busy;
	uint64_t used;
} Cached;

typedef struct Db {
	sqlite3 *db;   /* NULL once closed */
	Stmt *stmts;   /* live statements, finalized by close */
	Cached cache[STMT_CACHE];
	uint64_t tick;
} Db;

struct Stmt {
	sqlite3_stmt *st; /* NULL once finalized */
	Db *db;
	Stmt *next, *prev;
	int slot;         /* its cache slot (returned there when done), or -1 */
};

/* {======================================================================
 * Handles
 * ======================================================================= */

static Db *check_db(lua_State *L, int idx)
{
	Db *d = luaL_checkudata(L, idx, DB_MT);
	if (!d->db)
		luaL_error(L, "db is closed");
	return d;
}

static Stmt *check_stmt(lua_State *L, int idx)
{
	Stmt *s = luaL_checkudata(L, idx, STMT_MT);
	if (!s->db || !s->db->db)
		luaL_error(L, "db is closed");
	if (!s->st)
		luaL_error(L, "statement is finalized");
	return s;
}

static void stmt_finalize(Stmt *s)
{
	if (s->st && s->slot >= 0) {
		/* back to the cache, ready for the next user */
		sqlite3_reset(s->st);
		sqlite3_clear_bindings(s->st);
		s->db->cache[s->slot].busy = false;
	} else if (s->st) {
		sqlite3_finalize(s->st);
	}
	s->st = NULL;
	if (!s->db)
		return;
	LIST_UNLINK(s->db->stmts, s);
}

static void db_close(Db *d)
{
	while (d->stmts)
		stmt_finalize(d->stmts);
	for (int i = 0; i < STMT_CACHE; i++) {
		sqlite3_finalize(d->cache[i].st);
		free(d->cache[i].sql);
		d->cache[i] = (Cached){0};
	}
	if (d->db)
		sqlite3_close_v2(d->db);
	d->db = NULL;
}

static int fail(lua_State *L, sqlite3 *db, const char *what)
{
	luaL_pushfail(L);
	lua_pushfstring(L, "db: %s%s%s", what ? what : "", what ? ": " : "", sqlite3_errmsg(db));
	return 2;
}

static sqlite3_stmt *compile(Db *d, const char *sql, size_t len)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(d->db, sql, (int)len, &st, NULL) != SQLITE_OK)
		return NULL;
	if (!st) { /* only white space or comments */
		if (sqlite3_prepare_v2(d->db, "SELECT 1 WHERE 0", -1, &st, NULL) != SQLITE_OK)
			return NULL;
	}
	return st;
}

/* A compiled statement for sql from the cache (marked busy), compiled and
 * cached when missing; *slot is -1 when it could not be cached (every
 * slot busy, or the same SQL already running). */
static sqlite3_stmt *compile_cached(Db *d, const char *sql, size_t len, int *slot)
{
	int lru = -1;
	*slot = -1;
	for (int i = 0; i < STMT_CACHE; i++) {
		Cached *c = &d->cache[i];
		if (c->sql && c->len == len && memcmp(c->sql, sql, len) == 0) {
			if (c->busy)
				return compile(d, sql, len);
			c->busy = true;
			c->used = ++d->tick;
			*slot = i;
			return c->st;
		}
		if (!c->busy && (lru < 0 || c->used < d->cache[lru].used))
			lru = i;
	}
	sqlite3_stmt *st = compile(d, sql, len);
	char *copy = st && lru >= 0 ? malloc(len) : NULL;
	if (!copy)
		return st;
	Cached *c = &d->cache[lru];
	sqlite3_finalize(c->st);
	free(c->sql);
	memcpy(copy, sql, len);
	*c = (Cached){copy, len, st, true, ++d->tick};
	*slot = lru;
	return st;
}

/* Prepares one statement (from the cache when cached); pushes its handle
 * (uservalue: the db handle at db_idx). NULL on error (nothing pushed). */
static Stmt *prepare_in(lua_State *L, int db_idx, const char *sql, size_t len, bool cached)
{
	Db *d = lua_touserdata(L, db_idx);
	int slot = -1;
	sqlite3_stmt *st = cached ? compile_cached(d, sql, len, &slot) : compile(d, sql, len);
	if (!st)
		return NULL;
	Stmt *s = lua_newuserdatauv(L, sizeof *s, 1);
	*s = (Stmt){st, d, NULL, NULL, slot};
	LIST_PUSH(d->stmts, s);
	luaL_setmetatable(L, STMT_MT);
	lua_pushvalue(L, db_idx);
	lua_setiuservalue(L, -2, 1);
	return s;
}

static Stmt *prepare(lua_State *L, int db_idx, const char *sql, size_t len)
{
	return prepare_in(L, db_idx, sql, len, false);
}

/* }====================================================================== */

/* {======================================================================
 * Values
 * ======================================================================= */

static void bind_value(lua_State *L, Stmt *s, int param, int idx)
{
	int rc;
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
	case LUA_TNONE:
	case LUA_TLIGHTUSERDATA: /* brisk.json.null */
		rc = sqlite3_bind_null(s->st, param);
		break;
	case LUA_TBOOLEAN:
		rc = sqlite3_bind_int(s->st, param, lua_toboolean(L, idx));
		break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			rc = sqlite3_bind_int64(s->st, param, (sqlite3_int64)lua_tointeger(L, idx));
		else
			rc = sqlite3_bind_double(s->st, param, (double)lua_tonumber(L, idx));
		break;
	case LUA_TSTRING: {
		size_t n;
		const char *v = lua_tolstring(L, idx, &n);
		rc = sqlite3_bind_text64(s->st, param, v, n, SQLITE_TRANSIENT, SQLITE_UTF8);
		break;
	}
	default:
		luaL_error(L, "db: cannot bind a %s (parameter %d)", luaL_typename(L, idx), param);
		return;
	}
	if (rc == SQLITE_RANGE)
		luaL_error(L, "db: no parameter %d in the statement", param);
	if (rc != SQLITE_OK)
		luaL_error(L, "db: bind: %s", sqlite3_errstr(rc));
}

/* Positional values from first..last, or one table of named values
 * (keys with or without the ':', '@' or '$' prefix). */
static void bind_args(lua_State *L, Stmt *s, int first, int last)
{
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	if (first == last && lua_type(L, first) == LUA_TTABLE) {
		int n = sqlite3_bind_parameter_count(s->st);
		for (int i = 1; i <= n; i++) {
			const char *name = sqlite3_bind_parameter_name(s->st, i);
			if (!name)
				luaL_error(L, "db: parameter %d has no name (named values given)", i);
			lua_getfield(L, first, name + 1);
			if (lua_isnil(L, -1)) {
				lua_pop(L, 1);
				lua_getfield(L, first, name);
			}
			bind_value(L, s, i, lua_gettop(L));
			lua_pop(L, 1);
		}
		return;
	}
	for (int i = first; i <= last; i++)
		bind_value(L, s, i - first + 1, i);
}

static void push_row(lua_State *L, sqlite3_stmt *st)
{
	int n = sqlite3_column_count(st);
	lua_createtable(L, 0, n);
	for (int i = 0; i < n; i++) {
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			lua_pushnumber(L, (lua_Number)sqlite3_column_double(st, i));
			break;
		case SQLITE_TEXT:
		case SQLITE_BLOB: {
			const void *v = sqlite3_column_blob(st, i);
			lua_pushlstring(L, v ? v : "", (size_t)sqlite3_column_bytes(st, i));
			break;
		}
		default:
			continue; /* NULL: absent from the row */
		}
		lua_setfield(L, -2, sqlite3_column_name(st, i));
	}
}

/* Steps once: pushes a row (returns 1), false when done (1), or nil and a
 * message (2). */
static int step(lua_State *L, Stmt *s)
{
	/* A step that waits on the disk (a cache spill, a lock) is not the
	 * plugin's time; a loop of quick steps still meets the budget. */
	uint64_t t0 = loop_now_ms();
	int rc = sqlite3_step(s->st);
	blua_budget_credit_since(L, t0, BLUA_SLOW_MS);
	if (rc == SQLITE_ROW) {
		push_row(L, s->st);
		return 1;
	}
	if (rc == SQLITE_DONE) {
		lua_pushboolean(L, 0);
		return 1;
	}
	int n = fail(L, s->db->db, NULL);
	sqlite3_reset(s->st);
	return n;
}

/* }====================================================================== */

/* {======================================================================
 * Statements
 * ======================================================================= */

/***
 * Binds values to the statement's parameters (`?`, `?NNN`, `:name`),
 * after resetting it: positional values, or one table of named values.
 * nil (and brisk.json.null) bind NULL, booleans 0/1.
 * @function stmt:bind
 * @param ... values, or a table {name = value}
 * @return the statement
 * @usage local st = db:prepare("INSERT INTO items(guid, title) VALUES (:guid, :title)")
 *   st:bind{guid = "g1", title = "Hello"}:step()
 */
static int api_db_stmt_bind(lua_State *L)
{
	Stmt *s = check_stmt(L, 1);
	bind_args(L, s, 2, lua_gettop(L));
	lua_settop(L, 1);
	return 1;
}

/***
 * Runs the statement one step.
 * @function stmt:step
 * @return a row table (column name -> value; NULL columns absent), false
 *   when there are no more rows, or nil and a message on error
 * @usage local row = db:prepare("SELECT count(*) AS n FROM items"):step()
 *   print(row.n)
 */
static int api_db_stmt_step(lua_State *L)
{
	return step(L, check_stmt(L, 1));
}

static int rows_next(lua_State *L)
{
	Stmt *s = check_stmt(L, lua_upvalueindex(1));
	int n = step(L, s);
	if (n == 2)
		return luaL_error(L, "%s", lua_tostring(L, -1));
	if (!lua_toboolean(L, -1)) {
		lua_pushnil(L);
		return 1;
	}
	return 1;
}

/***
 * Iterates over the remaining rows (raises on an SQL error).
 * @function stmt:rows
 * @return an iterator of row tables
 * @usage for row in st:bind(since):rows() do print(row.title) end
 */
static int api_db_stmt_rows(lua_State *L)
{
	check_stmt(L, 1);
	lua_settop(L, 1);
	lua_pushcclosure(L, rows_next, 1);
	return 1;
}

/***
 * Resets the statement to run again (bindings are kept).
 * @function stmt:reset
 * @return the statement
 * @usage st:reset(); st:step()
 */
static int api_db_stmt_reset(lua_State *L)
{
	Stmt *s = check_stmt(L, 1);
	sqlite3_reset(s->st);
	lua_settop(L, 1);
	return 1;
}

/***
 * Column names of the statement's result, in order.
 * @function stmt:columns
 * @treturn table
 * @usage print(table.concat(st:columns(), ", "))
 */
static int api_db_stmt_columns(lua_State *L)
{
	Stmt *s = check_stmt(L, 1);
	int n = sqlite3_column_count(s->st);
	lua_createtable(L, n, 0);
	for (int i = 0; i < n; i++) {
		lua_pushstring(L, sqlite3_column_name(s->st, i));
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

/***
 * Frees the statement; using it afterwards raises an error. Calling it
 * again does nothing. (Statements are also finalized when collected or
 * when their db is closed.)
 * @function stmt:finalize
 * @usage st:finalize()
 */
static int api_db_stmt_finalize(lua_State *L)
{
	Stmt *s = luaL_checkudata(L, 1, STMT_MT);
	stmt_finalize(s);
	return 0;
}

static int stmt_gc(lua_State *L)
{
	stmt_finalize(luaL_checkudata(L, 1, STMT_MT));
	return 0;
}

/* }====================================================================== */

/* {======================================================================
 * Databases
 * ======================================================================= */

/***
 * Opens (creating it and its directory if needed) an SQLite database, in
 * WAL mode with a 2 s busy timeout. `":memory:"` gives a private in-memory
 * database.
 * @function brisk.db.open
 * @tparam string path
 * @tparam[opt] table opts `readonly` (boolean)
 * @return a db handle, or nil and a message
 * @usage local db = assert(brisk.db.open(brisk.data_dir .. "/news.db"))
 *   db:exec("CREATE TABLE IF NOT EXISTS seen(guid TEXT PRIMARY KEY, at INTEGER)")
 */
static int api_db_open_db(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	bool ro = false;
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "readonly");
		ro = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	bool mem = strcmp(path, ":memory:") == 0 || !*path;
	if (!mem && !ro)
		blua_make_parents(path);
	Db *d = lua_newuserdatauv(L, sizeof *d, 0);
	memset(d, 0, sizeof *d);
	luaL_setmetatable(L, DB_MT);
	int flags = ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		luaL_pushfail(L);
		lua_pushfstring(L, "db: open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close_v2(db);
		return 2;
	}
	d->db = db;
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	if (!mem && !ro && sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
		int n = fail(L, db, path);
		db_close(d);
		return n;
	}
	return 1;
}

/***
 * Runs SQL. Without values it may hold several statements separated by
 * ';'; with values, one statement whose parameters they bind.
 * @function db:exec
 * @tparam string sql
 * @param ... values for the parameters
 * @return true, or nil and a message
 * @usage db:exec("INSERT INTO seen VALUES (?, ?)", guid, brisk.time.now())
 */
static int api_db_exec(lua_State *L)
{
	Db *d = check_db(L, 1);
	size_t len;
	const char *sql = luaL_checklstring(L, 2, &len);
	int top = lua_gettop(L);
	if (top == 2) {
		char *err = NULL;
		if (sqlite3_exec(d->db, sql, NULL, NULL, &err) != SQLITE_OK) {
			luaL_pushfail(L);
			lua_pushfstring(L, "db: %s", err ? err : sqlite3_errmsg(d->db));
			sqlite3_free(err);
			return 2;
		}
		lua_pushboolean(L, 1);
		return 1;
	}
	Stmt *s = prepare_in(L, 1, sql, len, true);
	if (!s)
		return fail(L, d->db, NULL);
	bind_args(L, s, 3, top);
	int n;
	while ((n = step(L, s)) == 1 && lua_toboolean(L, -1))
		lua_pop(L, 1);
	stmt_finalize(s);
	if (n == 2)
		return 2;
	lua_pushboolean(L, 1);
	return 1;
}

/***
 * Compiles one SQL statement.
 * @function db:prepare
 * @tparam string sql
 * @return a statement handle, or nil and a message
 * @usage local st = assert(db:prepare("SELECT title FROM items WHERE feed = ?"))
 */
static int api_db_prepare(lua_State *L)
{
	Db *d = check_db(L, 1);
	size_t len;
	const char *sql = luaL_checklstring(L, 2, &len);
	if (!prepare(L, 1, sql, len))
		return fail(L, d->db, NULL);
	return 1;
}

/* db:rows / db:first: (db, sql, values...) prepared and bound; the
 * statement is pushed above the arguments, or NULL on an SQL error. */
static Stmt *prepare_query(lua_State *L, Db **d)
{
	*d = check_db(L, 1);
	size_t len;
	const char *sql = luaL_checklstring(L, 2, &len);
	int top = lua_gettop(L);
	Stmt *s = prepare_in(L, 1, sql, len, true);
	if (s)
		bind_args(L, s, 3, top);
	return s;
}

/***
 * Iterates over the rows of a query with bound values. The statement is
 * finalized when the loop ends, even by `break` (it is the loop's
 * to-be-closed value). Raises on an SQL error.
 * @function db:rows
 * @tparam string sql
 * @param ... values for the parameters
 * @return an iterator of row tables
 * @usage for row in db:rows("SELECT guid, title FROM items WHERE read = ?", 0) do
 *     print(row.guid, row.title)
 *   end
 */
static int api_db_rows(lua_State *L)
{
	Db *d;
	Stmt *s = prepare_query(L, &d);
	if (!s)
		return luaL_error(L, "db: %s", sqlite3_errmsg(d->db));
	int si = lua_gettop(L);
	lua_pushvalue(L, si);
	lua_pushcclosure(L, rows_next, 1);
	lua_pushnil(L);
	lua_pushnil(L);
	lua_pushvalue(L, si); /* closing value: finalizes */
	return 4;
}

/***
 * The first row of a query, or nil when there is none.
 * @function db:first
 * @tparam string sql
 * @param ... values for the parameters
 * @return a row table, or nil (plus a message on error)
 * @usage local row = db:first("SELECT count(*) AS n FROM items WHERE feed = ?", url)
 */
static int api_db_first(lua_State *L)
{
	Db *d;
	Stmt *s = prepare_query(L, &d);
	if (!s)
		return fail(L, d->db, NULL);
	int n = step(L, s);
	stmt_finalize(s);
	if (n == 1 && !lua_toboolean(L, -1)) {
		lua_pushnil(L);
		return 1;
	}
	return n;
}

static int tx_finish(lua_State *L, Db *d, bool nested, int status)
{
	const char *sql = status == LUA_OK ? (nested ? "RELEASE brisk_tx" : "COMMIT")
	                                   : (nested ? "ROLLBACK TO brisk_tx; RELEASE brisk_tx" : "ROLLBACK");
	if (!d->db) /* closed inside the transaction */
		return status == LUA_OK ? 0 : lua_error(L);
	char *err = NULL;
	/* Committing a large transaction (fsync) is not the plugin's time. */
	uint64_t t0 = loop_now_ms();
	int rc = sqlite3_exec(d->db, sql, NULL, NULL, &err);
	blua_budget_credit_since(L, t0, 0);
	if (status != LUA_OK) {
		sqlite3_free(err);
		return lua_error(L); /* the function's error, after the rollback */
	}
	if (rc != SQLITE_OK) {
		lua_pushfstring(L, "db: commit: %s", err ? err : sqlite3_errmsg(d->db));
		sqlite3_free(err);
		if (!nested)
			sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
		return lua_error(L);
	}
	return 0;
}

/* After fn, at once or (when it yielded) as the continuation. */
static int tx_done(lua_State *L, int status, lua_KContext nested)
{
	Db *d = luaL_checkudata(L, 1, DB_MT); /* may be closed by fn */
	tx_finish(L, d, nested != 0, status == LUA_YIELD ? LUA_OK : status);
	return lua_gettop(L) - 2;
}

/***
 * Runs `fn(db)` in a transaction (a savepoint when one is open already):
 * committed when fn returns, rolled back when it raises an error, which is
 * then raised again. Returns fn's results. fn may yield (brisk.pause in a
 * brisk.task): the transaction stays open across the slices.
 * @function db:transaction
 * @tparam function fn
 * @return fn's results
 * @usage db:transaction(function()
 *     for _, it in ipairs(items) do db:exec("INSERT INTO items VALUES (?, ?)", it.guid, it.title) end
 *   end)
 */
static int api_db_transaction(lua_State *L)
{
	Db *d = check_db(L, 1);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	bool nested = !sqlite3_get_autocommit(d->db);
	char *err = NULL;
	if (sqlite3_exec(d->db, nested ? "SAVEPOINT brisk_tx" : "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK) {
		lua_pushfstring(L, "db: begin: %s", err ? err : sqlite3_errmsg(d->db));
		sqlite3_free(err);
		return lua_error(L);
	}
	lua_pushvalue(L, 2);
	lua_pushvalue(L, 1);
	/* pcallk: fn may yield (inside a brisk.task): tx_done finishes then. */
	int status = lua_pcallk(L, 1, LUA_MULTRET, 0, nested, tx_done);
	return tx_done(L, status, nested);
}

/***
 * Closes the database and finalizes its statements; using the handle
 * afterwards raises "db is closed". Closing twice does nothing.
 * @function db:close
 * @usage db:close()
 */
static int api_db_close(lua_State *L)
{
	db_close(luaL_checkudata(L, 1, DB_MT));
	return 0;
}

/***
 * Whether the handle is open.
 * @function db:is_open
 * @treturn boolean
 * @usage if not db:is_open() then db = brisk.db.open(path) end
 */
static int api_db_is_open(lua_State *L)
{
	Db *d = luaL_checkudata(L, 1, DB_MT);
	lua_pushboolean(L, d->db != NULL);
	return 1;
}

/***
 * Whether a transaction is open on this connection (one a task holds open
 * across its slices included): what other code sharing the handle would
 * read may still be rolled back, and what it writes would go with it.
 * @function db:in_transaction
 * @treturn boolean
 * @usage if db:in_transaction() then brisk.timer(10, retry) return end
 */
static int api_db_in_transaction(lua_State *L)
{
	lua_pushboolean(L, !sqlite3_get_autocommit(check_db(L, 1)->db));
	return 1;
}

/***
 * The rowid of the last inserted row.
 * @function db:last_insert_id
 * @treturn integer
 * @usage db:exec("INSERT INTO feeds(url) VALUES (?)", url); local id = db:last_insert_id()
 */
static int api_db_last_insert_id(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)sqlite3_last_insert_rowid(check_db(L, 1)->db));
	return 1;
}

/***
 * Rows changed by the last INSERT, UPDATE or DELETE.
 * @function db:changes
 * @treturn integer
 * @usage db:exec("DELETE FROM items WHERE at < ?", cutoff); print(db:changes())
 */
static int api_db_changes(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)sqlite3_changes(check_db(L, 1)->db));
	return 1;
}

static int db_gc(lua_State *L)
{
	db_close(luaL_checkudata(L, 1, DB_MT));
	return 0;
}

/* }====================================================================== */

void api_db_open(lua_State *L)
{
	static const luaL_Reg db_methods[] = {
		{"exec", api_db_exec},
		{"prepare", api_db_prepare},
		{"rows", api_db_rows},
		{"first", api_db_first},
		{"transaction", api_db_transaction},
		{"close", api_db_close},
		{"is_open", api_db_is_open},
		{"in_transaction", api_db_in_transaction},
		{"last_insert_id", api_db_last_insert_id},
		{"changes", api_db_changes},
		{NULL, NULL},
	};
	static const luaL_Reg stmt_methods[] = {
		{"bind", api_db_stmt_bind},
		{"step", api_db_stmt_step},
		{"rows", api_db_stmt_rows},
		{"reset", api_db_stmt_reset},
		{"columns", api_db_stmt_columns},
		{"finalize", api_db_stmt_finalize},
		{NULL, NULL},
	};
	luaL_newmetatable(L, DB_MT);
	luaL_newlib(L, db_methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, db_gc);
	lua_setfield(L, -2, "__gc");
	lua_pushcfunction(L, db_gc);
	lua_setfield(L, -2, "__close");
	lua_pop(L, 1);
	luaL_newmetatable(L, STMT_MT);
	luaL_newlib(L, stmt_methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, stmt_gc);
	lua_setfield(L, -2, "__gc");
	lua_pushcfunction(L, stmt_gc);
	lua_setfield(L, -2, "__close");
	lua_pop(L, 1);

	lua_newtable(L);
	lua_pushcfunction(L, api_db_open_db);
	lua_setfield(L, -2, "open");
	lua_setfield(L, -2, "db");
}
