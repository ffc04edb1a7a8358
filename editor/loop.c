/* The poll loop. Small arrays, linear scans: a handful of fds and timers.
 * Signals are turned into bytes on a self-pipe so handlers run in the loop. */
#include "editor/loop.h"
#include "buffer/array.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct Watch {
	int fd;
	short events;
	LoopFdFn fn;
	void *ctx;
} Watch;

typedef struct Timer {
	uint64_t id, due, every;
	LoopFn fn;
	void *ctx;
} Timer;

typedef struct Deferred {
	LoopFn fn;
	void *ctx;
} Deferred;

typedef struct SigHandler {
	int sig;
	LoopFn fn;
	void *ctx;
} SigHandler;

struct Loop {
	Watch *w;
	size_t nw, capw;
	Timer *t;
	size_t nt, capt;
	Deferred *d;
	size_t nd, capd;
	SigHandler sigs[16];
	size_t nsigs;
	uint64_t next_id;
	int pending;
	int sigpipe[2];
	struct pollfd *pfd;
	size_t cappfd;
};

static int sig_write_fd = -1; /* the one global: a signal handler needs it */

static void on_signal(int sig)
{
	int e = errno;
	unsigned char b = (unsigned char)sig;
	if (sig_write_fd >= 0)
		(void)!write(sig_write_fd, &b, 1);
	errno = e;
}

uint64_t loop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

Loop *loop_new(void)
{
	Loop *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->next_id = 1;
	if (pipe2(l->sigpipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		free(l);
		return NULL;
	}
	sig_write_fd = l->sigpipe[1];
	return l;
}

void loop_free(Loop *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nsigs; i++)
		signal(l->sigs[i].sig, SIG_DFL);
	sig_write_fd = -1;
	close(l->sigpipe[0]);
	close(l->sigpipe[1]);
	free(l->w);
	free(l->t);
	free(l->d);
	free(l->pfd);
	free(l);
}

bool loop_fd_watch(Loop *l, int fd, short events, LoopFdFn fn, void *ctx)
{
	for (size_t i = 0; i < l->nw; i++)
		if (l->w[i].fd == fd) {
			l->w[i] = (Watch){fd, events, fn, ctx};
			return true;
		}
	if (!ARRAY_RESERVE(l->w, l->capw, l->nw + 1))
		return false;
	l->w[l->nw++] = (Watch){fd, events, fn, ctx};
	return true;
}

void loop_fd_unwatch(Loop *l, int fd)
{
	for (size_t i = 0; i < l->nw; i++)
		if (l->w[i].fd == fd) {
			l->w[i] = l->w[--l->nw];
			return;
		}
}

uint64_t loop_timer_add(Loop *l, uint64_t ms, bool repeat, LoopFn fn, void *ctx)
{
	if (!ARRAY_RESERVE(l->t, l->capt, l->nt + 1))
		return 0;
	uint64_t id = l->next_id++;
	l->t[l->nt++] = (Timer){id, loop_now_ms() + ms, repeat ? (ms ? ms : 1) : 0, fn, ctx};
	if (!repeat)
		l->pending++;
	return id;
}

void loop_timer_cancel(Loop *l, uint64_t id)
{
	for (size_t i = 0; i < l->nt; i++)
		if (l->t[i].id == id) {
			if (!l->t[i].every)
				l->pending--;
			l->t[i] = l->t[--l->nt];
			return;
		}
}

void loop_defer(Loop *l, LoopFn fn, void *ctx)
{
	if (ARRAY_RESERVE(l->d, l->capd, l->nd + 1))
		l->d[l->nd++] = (Deferred){fn, ctx};
}

bool loop_signal(Loop *l, int sig, LoopFn fn, void *ctx)
{
	if (l->nsigs == sizeof l->sigs / sizeof l->sigs[0])
		return false;
	l->sigs[l->nsigs++] = (SigHandler){sig, fn, ctx};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL) == 0;
}

void loop_pending_add(Loop *l, int delta) { l->pending += delta; }
int loop_pending(const Loop *l) { return l->pending + (int)l->nd; }

static void run_deferred(Loop *l)
{
	/* Only those queued before this turn: a deferred call may defer again. */
	size_t n = l->nd;
	if (n == 0)
		return;
	Deferred *batch = malloc(n * sizeof *batch);
	if (!batch)
		return;
	memcpy(batch, l->d, n * sizeof *batch);
	memmove(l->d, l->d + n, (l->nd - n) * sizeof *l->d);
	l->nd -= n;
	for (size_t i = 0; i < n; i++)
		batch[i].fn(batch[i].ctx);
	free(batch);
}

static void run_timers(Loop *l)
{
	/* Each due timer runs once per turn: a rescheduled one is due after
	 * `start`, a one-shot is gone, and callbacks may add or cancel timers. */
	uint64_t start = loop_now_ms();
	for (;;) {
		size_t i = 0;
		while (i < l->nt && l->t[i].due > start)
			i++;
		if (i == l->nt)
			return;
		Timer t = l->t[i];
		if (t.every) {
			l->t[i].due = loop_now_ms() + t.every;
			if (l->t[i].due <= start)
				l->t[i].due = start + 1;
		} else {
			l->t[i] = l->t[--l->nt];
			l->pending--;
		}
		t.fn(t.ctx);
	}
}

static int next_timeout(const Loop *l, int max_wait_ms)
{
	if (l->nd)
		return 0;
	int64_t wait = max_wait_ms;
	uint64_t now = loop_now_ms();
	for (size_t i = 0; i < l->nt; i++) {
		int64_t d = l->t[i].due > now ? (int64_t)(l->t[i].due - now) : 0;
		if (wait < 0 || d < wait)
			wait = d;
	}
	return (int)wait;
}

static void drain_signals(Loop *l)
{
	unsigned char b[64];
	ssize_t n;
	while ((n = read(l->sigpipe[0], b, sizeof b)) > 0)
		for (ssize_t i = 0; i < n; i++)
			for (size_t k = 0; k < l->nsigs; k++)
				if (l->sigs[k].sig == b[i])
					l->sigs[k].fn(l->sigs[k].ctx);
}

bool loop_run_once(Loop *l, int max_wait_ms)
{
	int before = loop_pending(l);
	run_deferred(l);
	/* Work ended in a deferred call (a task's last slice): do not wait,
	 * a caller waiting for pending work to end looks again at once. */
	if (loop_pending(l) < before)
		max_wait_ms = 0;
	if (l->nw == 0 && l->nt == 0 && l->nd == 0 && l->nsigs == 0 && max_wait_ms < 0)
		return false;
	size_t n = l->nw + 1;
	if (!ARRAY_RESERVE(l->pfd, l->cappfd, n))
		return false;
	l->pfd[0] = (struct pollfd){l->sigpipe[0], POLLIN, 0};
	for (size_t i = 0; i < l->nw; i++)
		l->pfd[i + 1] = (struct pollfd){l->w[i].fd, l->w[i].events, 0};
	int r = poll(l->pfd, n, next_timeout(l, max_wait_ms));
	if (r > 0) {
		if (l->pfd[0].revents)
			drain_signals(l);
		for (size_t i = 1; i < n; i++) {
			if (!l->pfd[i].revents)
				continue;
			/* Find the watch again: an earlier callback may have changed the set. */
			for (size_t k = 0; k < l->nw; k++)
				if (l->w[k].fd == l->pfd[i].fd) {
					Watch w = l->w[k];
					w.fn(w.ctx, w.fd, l->pfd[i].revents);
					break;
				}
		}
	}
	run_timers(l);
	run_deferred(l);
	return true;
}
