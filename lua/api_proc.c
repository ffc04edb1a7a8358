/* brisk.spawn: child processes with non-blocking pipes on the editor's
 * Loop. No shell is involved (posix_spawnp). Output is read in bounded
 * slices, at most READ_SLICE bytes per pipe per loop turn, so a child that
 * floods output can neither freeze the UI nor make brisk buffer it: the
 * pipe fills and the child waits. Must not block: never waitpid() without
 * WNOHANG, never a blocking read or write.
 *
 * A Proc lives in its handle's userdata; while the child runs, the handle
 * is referenced from the registry so the Loop's ctx pointers stay valid.
 * The exit is seen through a pidfd (Linux >= 5.3) or, failing that,
 * SIGCHLD; on_exit runs once the child has been reaped AND both output
 * pipes reached end of file, so it always comes after the last output. */
#include "lua/host.h"
#include "buffer/array.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROC_MT "brisk.proc"
#define READ_SLICE (64 * 1024)     /* per pipe per loop turn */
#define MAX_LINE (1024 * 1024)     /* lines mode: a longer line is split */

extern char **environ;

typedef struct ProcMod ProcMod;

typedef struct Proc {
	lua_State *L;
	Loop *loop;
	ProcMod *mod;
	struct Proc *next, *prev;  /* running children, for SIGCHLD */
	pid_t pid;
	int fd[3];         /* stdin (write end), stdout, stderr; -1 closed */
	int pidfd;
	bool lines;
	bool exited;       /* reaped: the pid may be reused, never signal it */
	bool done;         /* on_exit delivered (or the state is closing) */
	bool close_stdin;  /* after the queue drains */
	int status;        /* from waitpid */
	char *wq;          /* stdin queue */
	size_t wlen, woff;
	char *lb[3];       /* partial lines (lines mode), index as fd[] */
	size_t ll[3], lc[3];
	int ref_out, ref_err, ref_exit, self_ref;
} Proc;

/* One per Lua state; malloc'd because the Loop's SIGCHLD handler keeps a
 * pointer to it for the rest of the process (it is told when L closes). */
struct ProcMod {
	lua_State *L;
	Loop *loop;
	Proc *head;
	bool sigchld; /* SIGCHLD handler installed (no pidfd) */
};

static void proc_finish(Proc *p);

/* {======================================================================
 * Output
 * ======================================================================= */

static void call_out(Proc *p, int which, const char *s, size_t n)
{
	int ref = which == 1 ? p->ref_out : p->ref_err;
	if (ref == LUA_NOREF)
		return;
	blua_push_ref(p->L, ref);
	lua_pushlstring(p->L, s, n);
	blua_pcall(p->L, 1, 0);
}

/* Lines mode: appends and delivers every complete line (without '\n'). */
static void deliver_lines(Proc *p, int which, const char *s, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t take = nl ? (size_t)(nl - s) : n;
		if (p->ll[which] + take > MAX_LINE) /* split an endless line */
			take = MAX_LINE - p->ll[which], nl = NULL;
		if (p->ll[which] == 0 && nl) { /* common case: no copy */
			call_out(p, which, s, take);
		} else if (!ARRAY_RESERVE(p->lb[which], p->lc[which], p->ll[which] + take)) {
			/* No memory to join the pieces: they go out split, as an
			 * endless line does, rather than lost. */
			size_t len = p->ll[which];
			p->ll[which] = 0;
			if (len)
				call_out(p, which, p->lb[which], len);
			call_out(p, which, s, take);
		} else {
			memcpy(p->lb[which] + p->ll[which], s, take);
			p->ll[which] += take;
			if (nl || p->ll[which] == MAX_LINE) {
				size_t len = p->ll[which];
				p->ll[which] = 0;
				call_out(p, which, p->lb[which], len);
			}
		}
		size_t used = take + (nl ? 1 : 0);
		s += used;
		n -= used;
	}
}

static void close_fd(Proc *p, int which)
{
	if (p->fd[which] < 0)
		return;
	loop_fd_unwatch(p->loop, p->fd[which]);
	close(p->fd[which]);
	p->fd[which] = -1;
}

static void reap(Proc *p)
{
	if (p->exited)
		return;
	int st;
	pid_t r = waitpid(p->pid, &st, WNOHANG);
	if (r == 0 || (r < 0 && errno == EINTR))
		return;
	p->exited = true;
	p->status = r == p->pid ? st : 0;
	if (p->pidfd >= 0) {
		loop_fd_unwatch(p->loop, p->pidfd);
		close(p->pidfd);
		p->pidfd = -1;
	}
}

/* Keeps the handle (and so p) alive across Lua calls that might end it. */
static int hold(Proc *p)
{
	if (p->self_ref == LUA_NOREF)
		return LUA_NOREF;
	blua_push_ref(p->L, p->self_ref);
	return blua_ref(p->L);
}

static void read_output(Proc *p, int fd);

static void on_output(void *ctx, int fd, int revents)
{
	Proc *p = ctx;
	lua_State *L = p->L;
	(void)revents;
	int h = hold(p);
	read_output(p, fd);
	if (h != LUA_NOREF)
		blua_unref(L, h);
}

static void read_output(Proc *p, int fd)
{
	int which = fd == p->fd[1] ? 1 : 2;
	char buf[READ_SLICE];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		if (p->lines)
			deliver_lines(p, which, buf, (size_t)n);
		else
			call_out(p, which, buf, (size_t)n);
		return;
	}
	/* End of file (or an error, treated alike). */
	close_fd(p, which);
	if (p->lines && p->ll[which] > 0) {
		size_t len = p->ll[which];
		p->ll[which] = 0;
		call_out(p, which, p->lb[which], len);
	}
	if (p->fd[1] < 0 && p->fd[2] < 0)
		reap(p);
	proc_finish(p);
}

/* }====================================================================== */

/* {======================================================================
 * Exit
 * ======================================================================= */

static void on_pidfd(void *ctx, int fd, int revents)
{
	Proc *p = ctx;
	lua_State *L = p->L;
	(void)fd, (void)revents;
	int h = hold(p);
	reap(p);
	proc_finish(p);
	if (h != LUA_NOREF)
		blua_unref(L, h);
}

static void on_sigchld(void *ctx)
{
	ProcMod *m = ctx;
	if (!m->L)
		return;
	/* finish may unlink p: take next first; a callback may spawn (added
	 * at the head, seen next time) or end others (only via kill: no unlink). */
	for (Proc *p = m->head, *next; p; p = next) {
		next = p->next;
		if (p->pidfd < 0) {
			int h = hold(p);
			reap(p);
			proc_finish(p);
			if (h != LUA_NOREF)
				blua_unref(m->L, h);
		}
	}
}

/* Drops references and closes what is left; the handle becomes collectable. */
static void proc_release(Proc *p)
{
	for (int i = 0; i < 3; i++)
		close_fd(p, i);
	if (p->pidfd >= 0) {
		loop_fd_unwatch(p->loop, p->pidfd);
		close(p->pidfd);
		p->pidfd = -1;
	}
	if (p->prev)
		p->prev->next = p->next;
	else if (p->mod->head == p)
		p->mod->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->next = p->prev = NULL;
	free(p->wq);
	p->wq = NULL;
	p->wlen = p->woff = 0;
	for (int i = 0; i < 3; i++) {
		free(p->lb[i]);
		p->lb[i] = NULL;
		p->ll[i] = p->lc[i] = 0;
	}
	int *refs[] = {&p->ref_out, &p->ref_err, &p->ref_exit};
	for (size_t i = 0; i < 3; i++) {
		if (*refs[i] != LUA_NOREF)
			blua_unref(p->L, *refs[i]);
		*refs[i] = LUA_NOREF;
	}
}

/* Calls on_exit once the child is reaped and all its output delivered. */
static void proc_finish(Proc *p)
{
	if (p->done || !p->exited || p->fd[1] >= 0 || p->fd[2] >= 0)
		return;
	p->done = true;
	lua_State *L = p->L;
	int self = p->self_ref;
	p->self_ref = LUA_NOREF;
	int code = 0, sig = 0;
	if (WIFEXITED(p->status))
		code = WEXITSTATUS(p->status);
	else if (WIFSIGNALED(p->status))
		sig = WTERMSIG(p->status), code = 128 + sig;
	int ref_exit = p->ref_exit;
	p->ref_exit = LUA_NOREF;
	proc_release(p);
	if (ref_exit != LUA_NOREF) {
		blua_push_ref(L, ref_exit);
		blua_unref(L, ref_exit);
		lua_pushinteger(L, code);
		if (sig)
			lua_pushinteger(L, sig);
		else
			lua_pushnil(L);
		blua_pcall(L, 2, 0);
	}
	loop_pending_add(p->loop, -1);
	blua_unref(L, self); /* last: p may be collected after this */
}

/* }====================================================================== */

/* {======================================================================
 * Stdin
 * ======================================================================= */

static void on_stdin(void *ctx, int fd, int revents);

/* Writes what the pipe takes now; watches for POLLOUT if more is left.
 * False with errno on a broken pipe. */
static bool flush_stdin(Proc *p)
{
	while (p->woff < p->wlen) {
		ssize_t n = write(p->fd[0], p->wq + p->woff, p->wlen - p->woff);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			int e = errno;
			p->woff = p->wlen = 0;
			close_fd(p, 0);
			errno = e;
			return false;
		}
		p->woff += (size_t)n;
	}
	if (p->woff == p->wlen) {
		p->woff = p->wlen = 0;
		if (p->close_stdin)
			close_fd(p, 0);
		else
			loop_fd_unwatch(p->loop, p->fd[0]);
		return true;
	}
	loop_fd_watch(p->loop, p->fd[0], POLLOUT, on_stdin, p);
	return true;
}

static void on_stdin(void *ctx, int fd, int revents)
{
	Proc *p = ctx;
	(void)fd;
	if (revents & (POLLERR | POLLHUP | POLLNVAL)) {
		p->woff = p->wlen = 0;
		close_fd(p, 0);
		return;
	}
	flush_stdin(p);
}

static Proc *check_proc(lua_State *L)
{
	return luaL_checkudata(L, 1, PROC_MT);
}

/***
 * Queues bytes for the child's standard input; they are written as the
 * pipe accepts them, without blocking.
 * @function proc:write
 * @tparam string s
 * @return true, or nil and a message (stdin closed, broken pipe)
 * @usage local p = brisk.spawn{cmd = "sort", on_stdout = print}
 *   p:write("b\na\n"); p:close_stdin()
 */
static int api_proc_write(lua_State *L)
{
	Proc *p = check_proc(L);
	size_t n;
	const char *s = luaL_checklstring(L, 2, &n);
	if (p->fd[0] < 0 || p->close_stdin) {
		luaL_pushfail(L);
		lua_pushliteral(L, "spawn: stdin is closed");
		return 2;
	}
	if (p->woff > 0 && p->woff == p->wlen)
		p->woff = p->wlen = 0;
	char *nq = realloc(p->wq, p->wlen + n + 1);
	if (!nq)
		return luaL_error(L, "spawn: out of memory");
	p->wq = nq;
	memcpy(p->wq + p->wlen, s, n);
	p->wlen += n;
	if (!flush_stdin(p))
		return blua_fail_errno(L, "spawn: write to stdin");
	lua_pushboolean(L, 1);
	return 1;
}

/***
 * Closes the child's standard input (after the queued bytes are written),
 * so that a filter sees end of file.
 * @function proc:close_stdin
 * @usage p:close_stdin()
 */
static int api_proc_close_stdin(lua_State *L)
{
	Proc *p = check_proc(L);
	p->close_stdin = true;
	if (p->fd[0] >= 0 && p->woff == p->wlen)
		close_fd(p, 0);
	return 0;
}

/* }====================================================================== */

static const struct {
	const char *name;
	int sig;
} signals[] = {
	{"TERM", SIGTERM}, {"KILL", SIGKILL}, {"INT", SIGINT}, {"HUP", SIGHUP},
	{"QUIT", SIGQUIT}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2},
	{"STOP", SIGSTOP}, {"CONT", SIGCONT},
};

/***
 * Sends a signal to the child (default "TERM"). After the child has
 * exited this does nothing (its pid may already belong to another process).
 * @function proc:kill
 * @tparam[opt] string|integer sig "TERM", "KILL", "INT", "HUP", "QUIT",
 *   "USR1", "USR2", "STOP", "CONT" (a "SIG" prefix is allowed) or a number
 * @treturn boolean true if the signal was sent
 * @usage local p = brisk.spawn{cmd = "sleep", args = {"60"}}
 *   brisk.timer(100, function() p:kill("KILL") end)
 */
static int api_proc_kill(lua_State *L)
{
	Proc *p = check_proc(L);
	int sig = SIGTERM;
	if (lua_type(L, 2) == LUA_TNUMBER) {
		sig = (int)luaL_checkinteger(L, 2);
	} else if (!lua_isnoneornil(L, 2)) {
		const char *name = luaL_checkstring(L, 2);
		if (strncmp(name, "SIG", 3) == 0)
			name += 3;
		sig = 0;
		for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
			if (strcmp(name, signals[i].name) == 0)
				sig = signals[i].sig;
		luaL_argcheck(L, sig != 0, 2, "unknown signal name");
	}
	if (!p->exited)
		reap(p); /* a zombie must not be mistaken for a live child */
	bool sent = !p->exited && kill(p->pid, sig) == 0;
	lua_pushboolean(L, sent);
	return 1;
}

/***
 * Whether the child is still running (not yet reaped).
 * @function proc:running
 * @treturn boolean
 * @usage if p:running() then p:kill() end
 */
static int api_proc_running(lua_State *L)
{
	Proc *p = check_proc(L);
	lua_pushboolean(L, !p->exited);
	return 1;
}

static int proc_index(lua_State *L)
{
	Proc *p = check_proc(L);
	const char *k = luaL_checkstring(L, 2);
	if (strcmp(k, "pid") == 0) {
		lua_pushinteger(L, p->pid);
		return 1;
	}
	lua_getmetatable(L, 1);
	lua_getfield(L, -1, "methods");
	lua_getfield(L, -1, k);
	return 1;
}

/* brisk is closing with the child running: SIGTERM, a short grace, then
 * SIGKILL, and reap it (no zombie is left to an init that may not reap). */
static void stop_child(Proc *p)
{
	kill(p->pid, SIGTERM);
	for (int i = 0; i < 10 && !p->exited; i++) {
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
		reap(p);
	}
	if (p->exited)
		return;
	kill(p->pid, SIGKILL);
	while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
		;
	p->exited = true;
}

/* Reached when the child is done, or when the state closes with the child
 * running: it is stopped rather than left behind. */
static int proc_gc(lua_State *L)
{
	Proc *p = lua_touserdata(L, 1);
	if (p->done)
		return 0;
	p->done = true;
	if (!p->exited) {
		reap(p);
		if (!p->exited)
			stop_child(p);
	}
	proc_release(p);
	return 0;
}

/* {======================================================================
 * brisk.spawn
 * ======================================================================= */

/* Builds argv (NULL-terminated) in a userdata it pushes, with the strings
 * kept alive by a table it pushes first. */
static char **build_argv(lua_State *L, const char *cmd, int args)
{
	lua_Integer n = args ? (lua_Integer)luaL_len(L, args) : 0;
	lua_createtable(L, (int)n, 0);
	int keep = lua_gettop(L);
	char **v = lua_newuserdatauv(L, (size_t)(n + 2) * sizeof *v, 0);
	v[0] = (char *)cmd;
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, args, i);
		if (!lua_isstring(L, -1))
			luaL_error(L, "spawn: args[%d] is not a string", (int)i);
		v[i] = (char *)lua_tostring(L, -1);
		lua_rawseti(L, keep, i);
	}
	v[n + 1] = NULL;
	return v;
}

static char **build_env(lua_State *L, int env)
{
	int keep = lua_gettop(L) + 1;
	lua_newtable(L); /* the strings */
	lua_Integer n = 0;
	for (char **e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');
		if (eq) {
			lua_pushlstring(L, *e, (size_t)(eq - *e));
			lua_gettable(L, env);
			bool overridden = !lua_isnil(L, -1);
			lua_pop(L, 1);
			if (overridden)
				continue;
		}
		lua_pushstring(L, *e);
		lua_rawseti(L, keep, ++n);
	}
	lua_pushnil(L);
	while (lua_next(L, env)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "spawn: env keys must be strings");
		if (lua_toboolean(L, -1) || lua_type(L, -1) == LUA_TSTRING) {
			if (!lua_isstring(L, -1))
				luaL_error(L, "spawn: env.%s must be a string (or false to unset)", lua_tostring(L, -2));
			lua_pushfstring(L, "%s=%s", lua_tostring(L, -2), lua_tostring(L, -1));
			lua_rawseti(L, keep, ++n);
		}
		lua_pop(L, 1);
	}
	char **v = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *v, 0);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, keep, i);
		v[i - 1] = (char *)lua_tostring(L, -1);
		lua_pop(L, 1);
	}
	v[n] = NULL;
	return v;
}

static int opt_fn(lua_State *L, int t, const char *k)
{
	lua_getfield(L, t, k);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return LUA_NOREF;
	}
	if (!lua_isfunction(L, -1))
		luaL_error(L, "spawn: %s must be a function", k);
	return blua_ref(L);
}

static int pidfd_for(pid_t pid)
{
#if defined(SYS_pidfd_open) && !defined(BRISK_NO_PIDFD) /* the latter tests the SIGCHLD path */
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
#else
	(void)pid;
	return -1;
#endif
}

/* Starts the child with the pipes; 0 or an errno. */
static int start(Proc *p, const char *cmd, char **argv, char **envp, const char *cwd, int in[2], int out[2], int err[2])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setsigmask(&at, &none);
	/* Its own process group: it cannot read the terminal, and a terminal
	 * ^C does not reach it. */
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
	int r = posix_spawnp(&p->pid, cmd, &fa, &at, argv, envp ? envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return r;
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
	p[0] = p[1] = -1;
}

static ProcMod *get_mod(lua_State *L);

/***
 * Starts a program (no shell: `cmd` is looked up in PATH) with its standard
 * input, output and error on non-blocking pipes. Output is delivered as it
 * is read, in chunks of at most 64 KiB per stream per loop turn, or one line
 * at a time (without its '\n') with `lines = true`. `on_exit(code, signal)`
 * runs after the last output: `code` is the exit status, or 128 + the
 * signal number when a signal ended the child (then `signal` is that
 * number, else nil). A running child counts as pending work; if brisk
 * closes first it is sent SIGTERM (then SIGKILL after 50 ms). The child
 * runs in its own process group with default signal handling.
 * @function brisk.spawn
 * @tparam table opts `cmd` (string), `args` (list of strings), `cwd`,
 *   `env` (table: NAME = value added to / replacing the environment,
 *   NAME = false removing it), `lines` (boolean), `on_stdout(data)`,
 *   `on_stderr(data)`, `on_exit(code, signal)`
 * @return a handle with `:write(s)`, `:close_stdin()`, `:kill([sig])`,
 *   `:running()` and `.pid`; or nil and a message if it could not start
 * @usage brisk.spawn{cmd = "git", args = {"log", "--oneline", "-5"}, lines = true,
 *     on_stdout = function(line) print("commit", line) end,
 *     on_exit = function(code) print("git exited with", code) end}
 */
static int api_proc_spawn(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_getfield(L, 1, "cmd");
	const char *cmd = lua_tostring(L, -1);
	luaL_argcheck(L, cmd && *cmd, 1, "cmd must be a non-empty string");
	int base = lua_gettop(L);
	lua_getfield(L, 1, "args");
	int args = lua_istable(L, -1) ? base + 1 : 0;
	luaL_argcheck(L, args || lua_isnil(L, -1), 1, "args must be a table");
	char **argv = build_argv(L, cmd, args);
	lua_getfield(L, 1, "cwd");
	const char *cwd = lua_tostring(L, -1);
	int envt = lua_gettop(L) + 1;
	lua_getfield(L, 1, "env");
	char **envp = NULL;
	if (lua_istable(L, envt))
		envp = build_env(L, envt);
	else
		luaL_argcheck(L, lua_isnil(L, envt), 1, "env must be a table");
	lua_getfield(L, 1, "lines");
	bool lines = lua_toboolean(L, -1);
	lua_pop(L, 1);

	Proc *p = lua_newuserdatauv(L, sizeof *p, 0);
	memset(p, 0, sizeof *p);
	p->L = get_mod(L)->L;
	p->loop = blua_loop(L);
	p->mod = get_mod(L);
	p->fd[0] = p->fd[1] = p->fd[2] = p->pidfd = -1;
	p->lines = lines;
	p->done = true; /* until started: __gc has nothing to do */
	p->ref_out = p->ref_err = p->ref_exit = p->self_ref = LUA_NOREF;
	luaL_setmetatable(L, PROC_MT);
	int ud = lua_gettop(L);

	int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
	int r = 0;
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		r = errno;
	if (!r)
		r = start(p, cmd, argv, envp, cwd, in, out, err);
	if (r) {
		close_pair(in), close_pair(out), close_pair(err);
		luaL_pushfail(L);
		lua_pushfstring(L, "spawn %s: %s", cmd, strerror(r));
		return 2;
	}
	close(in[0]), close(out[1]), close(err[1]);
	p->fd[0] = in[1], p->fd[1] = out[0], p->fd[2] = err[0];
	for (int i = 0; i < 3; i++)
		fcntl(p->fd[i], F_SETFL, fcntl(p->fd[i], F_GETFL) | O_NONBLOCK);
	p->done = false;
	p->ref_out = opt_fn(L, 1, "on_stdout");
	p->ref_err = opt_fn(L, 1, "on_stderr");
	p->ref_exit = opt_fn(L, 1, "on_exit");
	lua_pushvalue(L, ud);
	p->self_ref = blua_ref(L);
	if ((p->next = p->mod->head))
		p->next->prev = p;
	p->mod->head = p;
	loop_pending_add(p->loop, 1);
	loop_fd_watch(p->loop, p->fd[1], POLLIN, on_output, p);
	loop_fd_watch(p->loop, p->fd[2], POLLIN, on_output, p);
	p->pidfd = pidfd_for(p->pid);
	if (p->pidfd >= 0) {
		loop_fd_watch(p->loop, p->pidfd, POLLIN, on_pidfd, p);
	} else if (!p->mod->sigchld) {
		p->mod->sigchld = loop_signal(p->loop, SIGCHLD, on_sigchld, p->mod);
		reap(p); /* it may be gone already */
	}
	lua_pushvalue(L, ud);
	return 1;
}

/* }====================================================================== */

static const char MOD_KEY = 0;

static ProcMod *get_mod(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &MOD_KEY);
	ProcMod **m = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return *m;
}

/* The state is closing: the SIGCHLD handler must not touch it again. The
 * ProcMod stays allocated because the Loop still points at it. */
static int mod_gc(lua_State *L)
{
	ProcMod **m = lua_touserdata(L, 1);
	(*m)->L = NULL;
	(*m)->head = NULL;
	if (!(*m)->sigchld)
		free(*m);
	*m = NULL;
	return 0;
}

void api_proc_open(lua_State *L)
{
	/* A write to a child that closed its stdin must fail with EPIPE, not
	 * kill the editor. */
	struct sigaction sa;
	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
		signal(SIGPIPE, SIG_IGN);

	ProcMod **m = lua_newuserdatauv(L, sizeof *m, 0);
	*m = calloc(1, sizeof **m);
	if (!*m)
		luaL_error(L, "spawn: out of memory");
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	(*m)->L = lua_tothread(L, -1);
	lua_pop(L, 1);
	(*m)->loop = blua_loop(L);
	lua_newtable(L);
	lua_pushcfunction(L, mod_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &MOD_KEY);

	static const luaL_Reg methods[] = {
		{"write", api_proc_write},
		{"close_stdin", api_proc_close_stdin},
		{"kill", api_proc_kill},
		{"running", api_proc_running},
		{NULL, NULL},
	};
	luaL_newmetatable(L, PROC_MT);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "methods");
	lua_pushcfunction(L, proc_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, proc_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);
	lua_pushcfunction(L, api_proc_spawn);
	lua_setfield(L, -2, "spawn");
}
