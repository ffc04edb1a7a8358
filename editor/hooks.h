/* Hooks: how editor/ reports to the layer above (lua/) without knowing it.
 * lua/ fills these function pointers at start-up; any may be NULL. */
#ifndef EDITOR_HOOKS_H
#define EDITOR_HOOKS_H
#include <stdbool.h>

typedef struct Editor Editor;
typedef struct Buffer Buffer;

typedef struct Hooks {
	void *ctx;
	/* Events: "open", "save", "change", "close", "quit", "resize", "idle",
	 * "mode" (a buffer's mode changed). */
	void (*event)(void *ctx, const char *name, Buffer *b);
	/* Calls a Lua function held by reference (a key binding); false on error. */
	bool (*call_ref)(void *ctx, int ref, const char *arg);
	void (*unref)(void *ctx, int ref);
	/* Runs a command registered from Lua; *found false when none is.
	 * mode_only: only commands registered for the current buffer's mode
	 * (they shadow built-in commands); otherwise only global ones. */
	bool (*command)(void *ctx, const char *name, const char *args, bool mode_only, bool *found);
	/* Appends the names of Lua commands starting with prefix (for the
	 * prompt's completion); returns how many were added. */
	int (*command_names)(void *ctx, const char *prefix, void (*add)(void *arg, const char *name), void *arg);
	/* Calls add(arg, name, mode, help) for every command registered from
	 * Lua, once per mode it is registered for ("" global; help may be ""). */
	void (*command_list)(void *ctx, void (*add)(void *arg, const char *name, const char *mode, const char *help), void *arg);
	/* The help text given when a key was bound to the Lua function ref,
	 * or NULL; valid until that binding changes. */
	const char *(*ref_help)(void *ctx, int ref);
	/* Runs a line of Lua from the prompt (":lua ..."). */
	bool (*eval)(void *ctx, const char *code);
} Hooks;
#endif
