/* Commands: a sorted table of named, kebab-case commands (the same names
 * keys, the prompt, brisk.command() and tests use) and their dispatch. */
#ifndef EDITOR_COMMAND_H
#define EDITOR_COMMAND_H
#include "editor/editor.h"

typedef bool (*CmdFn)(Editor *ed, const char *args);

typedef struct Command {
	const char *name;
	CmdFn fn;
	const char *args; /* argument synopsis for help, "" for none */
	const char *help;
	int flags;
} Command;

enum {
	CMD_TYPING = 1, /* continues a typing run (one undo step with it) */
	CMD_EDITS = 2,  /* changes the buffer: refused in read-only buffers */
	CMD_KEEPS_GOAL = 4, /* a vertical move: keeps the goal column (any
	                       other command forgets it) */
};

/* The table, sorted by name (a unit test checks the order). */
extern const Command commands[];
extern const size_t ncommands;
const Command *command_find(const char *name);
/* Calls add(arg, name) for each command starting with prefix. */
void cmd_complete(Editor *ed, const char *prefix, void (*add)(void *arg, const char *name), void *arg);
/* "Did you mean": up to three command names close to a mistyped one
 * (prefix, a word of the name, or a small edit distance), comma-separated
 * in out; false when none is close. */
bool command_suggest(Editor *ed, const char *typed, char *out, size_t size);
#endif
