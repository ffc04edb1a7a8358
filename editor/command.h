/* Commands: a sorted table of named, kebab-case commands (the same names
 * keys, the prompt, brisk.command() and tests use) and their dispatch. */
#ifndef EDITOR_COMMAND_H
#define EDITOR_COMMAND_H
#include "editor/editor.h"

typedef bool (*CmdFn)(Editor *ed, const char *args);

typedef struct Command {
	const char *name;
	CmdFn fn;
	const char *args; /* argument synopsis: help and usage errors, "" none */
	const char *help;
	int flags;
	/* The arguments the dispatcher checks before fn runs, one letter each
	 * (words split at blanks; upper case: required):
	 *   n  a count, 1 to CMD_MAX_COUNT   i/I  an integer (+N, -N)
	 *   w/W  a word                      r/R  the rest of the line (last)
	 *   *  fn parses its own arguments
	 * NULL: no arguments. */
	const char *spec;
} Command;

enum {
	CMD_TYPING = 1, /* continues a typing run (one undo step with it) */
	CMD_EDITS = 2,  /* changes the buffer: refused in read-only buffers */
	CMD_KEEPS_GOAL = 4, /* a vertical move: keeps the goal column (any
	                       other command forgets it) */
	CMD_REPEAT = 8, /* spec "n": the dispatcher runs fn N times (fn sees "") */
};

#define CMD_MAX_COUNT 1000000

/* A command line resolved to what runs it, with its arguments checked:
 * made once per key binding (cached in the Binding until the bindings or
 * the commands change) and once per line typed at the prompt. */
typedef enum { CALL_NONE, CALL_BUILTIN, CALL_LUA_MODE, CALL_LUA_GLOBAL, CALL_UNKNOWN, CALL_BAD_ARGS } CallKind;
typedef struct CmdCall {
	CallKind kind;
	const Command *cmd;  /* CALL_BUILTIN, CALL_BAD_ARGS */
	char name[64];
	const char *args;    /* the handler's arguments: points into the line */
	long count;          /* CMD_REPEAT: how many times; else 1 */
	char why[96];        /* CALL_BAD_ARGS: what is wrong, after the usage */
} CmdCall;

/* Resolves line for the current buffer's mode: a command registered from
 * Lua for that mode shadows a built-in, which shadows a global Lua one;
 * x/RE/... lines are structural. Never reports: CmdCall says what is wrong. */
void command_resolve(Editor *ed, const char *line, CmdCall *out);
/* Runs a resolved call: errors posted while it runs get "NAME: " before
 * them (msg_error), a bad call reports its usage. Returns the handler's
 * result. */
bool command_call(Editor *ed, const CmdCall *call);
/* Notes a command registered from Lua for mode ("" global), so resolving
 * asks Lua only for its own names; cached resolutions are dropped. */
bool command_note_lua(Editor *ed, const char *name, const char *mode);

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
