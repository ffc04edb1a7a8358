/* Loop: the one poll loop. File descriptors, timers on the monotonic clock,
 * signals through a self-pipe, deferred calls, and a count of pending
 * asynchronous work so headless runs can wait until nothing is left. */
#ifndef EDITOR_LOOP_H
#define EDITOR_LOOP_H
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct Loop Loop;
typedef void (*LoopFdFn)(void *ctx, int fd, int revents);
typedef void (*LoopFn)(void *ctx);

Loop *loop_new(void);
void loop_free(Loop *l);
/* Watches fd for events (POLLIN/POLLOUT); replaces an earlier watch of fd. */
bool loop_fd_watch(Loop *l, int fd, short events, LoopFdFn fn, void *ctx);
void loop_fd_unwatch(Loop *l, int fd);
/* A timer after ms milliseconds, repeating every ms when repeat; returns an
 * id (never 0). Callbacks may add or cancel timers. */
uint64_t loop_timer_add(Loop *l, uint64_t ms, bool repeat, LoopFn fn, void *ctx);
void loop_timer_cancel(Loop *l, uint64_t id);
/* Runs fn on the next loop turn. */
void loop_defer(Loop *l, LoopFn fn, void *ctx);
/* Calls fn (in the loop, not in the handler) when sig arrives. */
bool loop_signal(Loop *l, int sig, LoopFn fn, void *ctx);
/* One turn: waits up to max_wait_ms (-1: until something happens) and
 * dispatches; returns false when there was nothing at all to wait for. */
bool loop_run_once(Loop *l, int max_wait_ms);
/* Pending asynchronous work (requests, children, one-shot timers). */
void loop_pending_add(Loop *l, int delta);
int loop_pending(const Loop *l);
uint64_t loop_now_ms(void);
#endif
