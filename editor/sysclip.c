/* SysClip: the desktop's clipboard through OSC 52 and the clipboard tools
 * (wl-copy/wl-paste under Wayland, xclip or xsel under X). A tool runs with
 * its input or output on a pipe and a deadline: a clipboard owner that
 * hangs costs at most a second, never a frozen editor. No shell. */
#include "editor/sysclip.h"
#include "buffer/array.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define DEADLINE_MS 1000
#define PASTE_MAX (64u << 20)

typedef struct Tool {
	const char *env;      /* the display it needs */
	const char *copy[5];  /* argv: reads the text on stdin */
	const char *paste[5]; /* argv: writes the text on stdout */
} Tool;

static const Tool tools[] = {
	{"WAYLAND_DISPLAY", {"wl-copy", NULL}, {"wl-paste", "--no-newline", NULL}},
	{"DISPLAY", {"xclip", "-selection", "clipboard", NULL}, {"xclip", "-selection", "clipboard", "-o", NULL}},
	{"DISPLAY", {"xsel", "--clipboard", "--input", NULL}, {"xsel", "--clipboard", "--output", NULL}},
};

static const char *const mode_names[] = {"auto", "terminal", "external", "internal"};

bool sysclip_set_mode(Editor *ed, const char *name)
{
	for (int i = 0; i < (int)(sizeof mode_names / sizeof mode_names[0]); i++)
		if (strcmp(name, mode_names[i]) == 0) {
			ed->sysclip_mode = i;
			return true;
		}
	return false;
}

const char *sysclip_mode_name(const Editor *ed)
{
	return mode_names[ed->sysclip_mode];
}

/* Auto: both ways in the terminal UI; scripts (headless) stay private. */
static bool use_terminal(const Editor *ed)
{
	int m = ed->sysclip_mode;
	return (m == SYSCLIP_TERMINAL || (m == SYSCLIP_AUTO && !ed->headless)) && ed->ui.clipboard_set;
}

static bool use_external(const Editor *ed)
{
	int m = ed->sysclip_mode;
	return m == SYSCLIP_EXTERNAL || (m == SYSCLIP_AUTO && !ed->headless);
}

static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? p : ".", name);
		if (access(buf, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

static const Tool *find_tool(const Editor *ed)
{
	if (!use_external(ed))
		return NULL;
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
		const char *d = getenv(tools[i].env);
		if (d && *d && in_path(tools[i].copy[0]))
			return &tools[i];
	}
	return NULL;
}

const char *sysclip_tool(const Editor *ed)
{
	const Tool *t = find_tool(ed);
	return t ? t->copy[0] : NULL;
}

/* Starts argv with one end of a pipe as its stdin (to_child) or stdout;
 * *fd is our end (non-blocking, close-on-exec). Other output is dropped. */
static pid_t spawn(const char *const *argv, bool to_child, int *fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	int child_end = to_child ? p[0] : p[1];
	*fd = to_child ? p[1] : p[0];
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, child_end, to_child ? 0 : 1);
	posix_spawn_file_actions_addopen(&fa, to_child ? 1 : 0, "/dev/null", O_RDWR, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_RDWR, 0);
	pid_t pid;
	int e = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(child_end);
	if (e != 0) {
		close(*fd);
		errno = e;
		return -1;
	}
	fcntl(*fd, F_SETFL, O_NONBLOCK);
	return pid;
}

static int ms_left(uint64_t deadline)
{
	uint64_t now = loop_now_ms();
	return now >= deadline ? 0 : (int)(deadline - now);
}

/* Waits for the tool until the deadline, then kills it. True when it
 * exited with status 0. (xclip, xsel and wl-copy leave a child of their own
 * to serve the selection; the one started here exits at once.) */
static bool reap(pid_t pid, uint64_t deadline)
{
	int st;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) && WEXITSTATUS(st) == 0;
		if (r < 0 && errno != EINTR)
			return false;
		if (ms_left(deadline) == 0) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			return false;
		}
		poll(NULL, 0, 10);
	}
}

/* Writes all of s to fd before the deadline. */
static bool write_all(int fd, const char *s, size_t len, uint64_t deadline)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);
		if (n > 0) {
			s += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		struct pollfd p = {fd, POLLOUT, 0};
		if (poll(&p, 1, ms_left(deadline)) == 0)
			return false;
	}
	return true;
}

static bool copy_external(const Tool *t, const char *s, size_t len)
{
	uint64_t deadline = loop_now_ms() + DEADLINE_MS;
	int fd;
	pid_t pid = spawn(t->copy, true, &fd);
	if (pid < 0)
		return false;
	bool wrote = write_all(fd, s, len, deadline);
	close(fd);
	return reap(pid, deadline) && wrote;
}

void sysclip_copy(Editor *ed, const char *s, size_t len)
{
	if (use_terminal(ed))
		ed->ui.clipboard_set(ed, s, len);
	const Tool *t = find_tool(ed);
	if (t && !copy_external(t, s, len))
		msg_error(ed, "clipboard: %s did not take the text (brisk's own clipboard has it)", t->copy[0]);
}

/* Reads fd to EOF before the deadline into a malloc'd string. */
static char *read_all(int fd, size_t *len, uint64_t deadline)
{
	size_t cap = 0, n = 0;
	char *s = NULL;
	/* A paste larger than PASTE_MAX is refused whole, never cut. */
	while (n < PASTE_MAX && ARRAY_RESERVE(s, cap, n + 4096)) {
		ssize_t r = read(fd, s + n, cap - n);
		if (r == 0) {
			*len = n;
			return s;
		}
		if (r > 0) {
			n += (size_t)r;
			continue;
		}
		if (errno == EINTR)
			continue;
		struct pollfd p = {fd, POLLIN, 0};
		if (errno != EAGAIN || poll(&p, 1, ms_left(deadline)) == 0)
			break;
	}
	free(s);
	return NULL;
}

char *sysclip_paste(Editor *ed, size_t *len)
{
	const Tool *t = find_tool(ed);
	if (!t)
		return NULL;
	uint64_t deadline = loop_now_ms() + DEADLINE_MS;
	int fd;
	pid_t pid = spawn(t->paste, false, &fd);
	if (pid < 0)
		return NULL;
	char *s = read_all(fd, len, deadline);
	close(fd);
	/* Non-zero: nothing on the clipboard (wl-paste), or no owner. */
	if (!reap(pid, deadline) || (s && *len == 0)) {
		free(s);
		return NULL;
	}
	return s;
}
