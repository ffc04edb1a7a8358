/* An editor for the unit tests that run commands (with tap.h): headless,
 * one scratch buffer named `name`, focused, its messages to `message`.
 * Bails out when it cannot be made; *bp: the buffer. */
#ifndef TESTS_UNIT_TESTED_H
#define TESTS_UNIT_TESTED_H
#include "editor/editor.h"
#include "tests/unit/tap.h"

static inline Editor *test_editor(const char *name, void (*message)(Editor *, const char *, bool), Buffer **bp)
{
	Editor *ed = ed_new(true);
	Buffer *b = ed ? ed_scratch(ed, name) : NULL;
	if (!b)
		BAIL_OUT("no editor");
	ed->ui.message = message;
	ed_focus(ed, b);
	*bp = b;
	return ed;
}
#endif
