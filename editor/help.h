/* Help: the help buffer (F1, the `help` command): a read-only scratch
 * buffer "*help*" searchable with the normal Find, with a "first steps"
 * page, then every command grouped by area (files, editing, moving,
 * multiple cursors, search, windows, hex, logs, news, plugins and the
 * user's) with its keys and description, plugin commands and keys
 * included. Works headless too (the text is the same). */
#ifndef EDITOR_HELP_H
#define EDITOR_HELP_H
#include "editor/editor.h"

/* Opens the help buffer, built afresh, and focuses it; when it has the
 * focus, closes it instead. False (with a message) when out of memory. */
bool help_toggle(Editor *ed);
bool help_is_buffer(Editor *ed, const Buffer *b);
#endif
