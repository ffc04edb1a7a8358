/* Keymap: key sequences (chords like <C-k>s) bound to command lines or to
 * Lua functions (by reference), globally or for one buffer mode. */
#ifndef EDITOR_KEYMAP_H
#define EDITOR_KEYMAP_H
#include "editor/command.h"
#include "editor/keys.h"
#include <stdbool.h>
#include <stddef.h>

#define KEYMAP_MAXSEQ 4

typedef struct Binding {
	Key seq[KEYMAP_MAXSEQ];
	int len;
	char mode[16];  /* "" global */
	char *command;  /* command line, or NULL */
	int lua_ref;    /* when command is NULL */
	/* command resolved on first use (editor.c), kept while call_gen is
	 * the editor's cmd_gen and the buffer mode is call_mode; 0: not yet.
	 * keymap_bind resets it; a memo, so filled through a const Binding. */
	CmdCall call;
	unsigned call_gen;
	char call_mode[16];
} Binding;

typedef struct Keymap Keymap;

typedef enum { KM_NONE, KM_PREFIX, KM_FOUND } KmResult;

Keymap *keymap_new(void);
void keymap_free(Keymap *km);
/* Binds keys (vim notation) to a command line, or to a Lua ref when
 * command is NULL. Replaces an earlier binding. False on bad key names. */
bool keymap_bind(Keymap *km, const char *mode, const char *keys, const char *command, int lua_ref, int *old_ref);
bool keymap_unbind(Keymap *km, const char *mode, const char *keys, int *old_ref);
/* Looks up a sequence: mode bindings first, then global. */
KmResult keymap_lookup(const Keymap *km, const char *mode, const Key *seq, int len, const Binding **out);
/* Looks up a sequence in one mode only ("" the global bindings). */
KmResult keymap_lookup_mode(const Keymap *km, const char *mode, const Key *seq, int len, const Binding **out);
/* All bindings, for the help screen. */
const Binding *keymap_all(const Keymap *km, size_t *n);
void keymap_load_defaults(Keymap *km);
#endif
