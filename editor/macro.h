/* Keystroke macros (BRIEF style: record, stop, play with a count) and the
 * repeat of the last command. Keys are recorded as the editor dispatches
 * them (ed_key, ed_keys) and as the UI's prompt and questions take them,
 * so a replay goes through the same paths; mouse events and bracketed
 * pastes are not recorded. */
#ifndef EDITOR_MACRO_H
#define EDITOR_MACRO_H
#include "editor/command.h"

/* Plays keys as if typed. The UI sets one so that replayed keys reach its
 * prompt and questions; headless, ed_keys() plays them. */
typedef void (*MacroFeed)(Editor *ed, const Key *keys, size_t n);

void macro_free(struct Macro *m);
void macro_set_feed(Editor *ed, MacroFeed feed);
/* Notes a key about to be dispatched; start: it begins a key sequence (no
 * chord prefix pending), so the sequence that stops a recording can be
 * left out of it. */
void macro_note_key(Editor *ed, Key k, bool start);
/* Notes a command line run from a key or the prompt, for repeat-command. */
void macro_note_command(Editor *ed, const char *line);
/* Runs a command the user typed: a key's binding (call: its cached
 * resolution) or a prompt line (call NULL: resolved here). Notes the line
 * for repeat-command and tells macro-record / macro-play that a key ran
 * them (so the keys that stop a recording are left out of it). */
bool macro_run_typed(Editor *ed, const char *line, const CmdCall *call);
bool macro_is_recording(const Editor *ed);
/* The recorded macro (NULL, 0 when none); valid until the next recording. */
const Key *macro_keys(const Editor *ed, size_t *n);
#endif
