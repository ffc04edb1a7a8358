/* UI: the interactive terminal front end. ui_run() takes the terminal,
 * fills ed->ui (UiOps) and runs the loop until ed->quit: input parsing,
 * rendering once per batch of events, the status bar and message line,
 * questions, mouse, resize, suspend and the changed-on-disk check; the
 * prompt (prompt.c) is its part.
 *
 * The prompt and question helpers below are for cmd_ui.c; every one of
 * them reports "no terminal" (false) when the UI is not running. */
#ifndef EDITOR_UI_H
#define EDITOR_UI_H
#include "editor/editor.h"
#include "editor/prompt.h"

/* Runs the terminal UI; returns the exit status. */
int ui_run(Editor *ed);

bool ui_is_running(Editor *ed);
bool ui_prompt_open(Editor *ed, const UiPrompt *p);
/* Changes the label of the open prompt (e.g. "Find (regex): "). */
void ui_prompt_label(Editor *ed, const char *label);
/* Asks a question answered by one of the characters in keys (lower case);
 * done gets that character, or 0 when cancelled (Esc, Ctrl-C, Ctrl-G). */
bool ui_choose(Editor *ed, const char *question, const char *keys, void (*done)(Editor *ed, int choice, void *arg), void *arg);
/* Highlights every match of a pattern (NULL: back to the last search). */
void ui_highlight(Editor *ed, const char *pattern, int flags);
/* Scrolls so the primary cursor is visible now (inside prompts). */
void ui_follow(Editor *ed);
bool ui_toggle_numbers(Editor *ed);
bool ui_toggle_wrap(Editor *ed);
/* Saves and restores the scroll position (a cancelled search). */
void ui_view_get(Editor *ed, size_t *top, size_t *left, size_t *row);
void ui_view_set(Editor *ed, size_t top, size_t left, size_t row);

/* Commands (cmd_ui.c), rows of the table in command.c. */
bool cmd_command_prompt(Editor *ed, const char *args);
bool cmd_find_prompt(Editor *ed, const char *args);
bool cmd_replace_prompt(Editor *ed, const char *args);
bool cmd_goto_prompt(Editor *ed, const char *args);
bool cmd_open_prompt(Editor *ed, const char *args);
bool cmd_save_as_prompt(Editor *ed, const char *args);
bool cmd_save_prompt(Editor *ed, const char *args);
bool cmd_help(Editor *ed, const char *args);
bool cmd_toggle_line_numbers(Editor *ed, const char *args);
bool cmd_toggle_wrap(Editor *ed, const char *args);
bool cmd_suspend(Editor *ed, const char *args);
#endif
