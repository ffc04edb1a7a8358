/* Picker: the one plugin menu (pick an item from a list, typing filters
 * it) or plugin prompt (a line of text with completions from the plugin)
 * that can be open at a time. A model driven by keys through the normal
 * key dispatch, so headless runs (brisk.keys) drive it as a user would;
 * render_pane.c draws it as a popup at the bottom of the text window.
 *
 * While it is open every key goes to it: text keys edit the line (a
 * prompt's pre-filled text is selected: typing replaces it), Up/Down
 * (Ctrl-P/Ctrl-N) and PageUp/PageDown move in the list, Tab completes (a
 * prompt) or moves down (a menu), Enter finishes, Esc/Ctrl-G cancels. */
#ifndef EDITOR_PICKER_H
#define EDITOR_PICKER_H
#include "editor/editor.h"

#define PICKER_MAX_ROWS 10

enum { PICK_MENU, PICK_PROMPT };

typedef struct Picker Picker;

/* How a picker reports to its owner (lua/). ref is the owner's opaque
 * handle for this picker; done is called exactly once, after the picker
 * is closed. */
typedef struct PickerOps {
	void *ctx;
	int ref;
	/* Menu: index of the chosen item, or -1 (text NULL) when cancelled.
	 * Prompt: the text, or NULL when cancelled (index -1). */
	void (*done)(void *ctx, int ref, const char *text, long index);
	/* Prompt only, optional: text changed; the owner answers with
	 * picker_set_items(). */
	void (*complete)(void *ctx, int ref, const char *text);
} PickerOps;

struct Picker {
	int kind;          /* PICK_* */
	char *title;       /* menu title or prompt label; owned */
	char **items;      /* menu: every item; prompt: the completions */
	size_t nitems;
	size_t *shown;     /* indexes of the items that match the text */
	size_t nshown;
	char *text;        /* filter / typed line, NUL-terminated; owned */
	size_t len, cap;
	size_t sel, top;   /* in shown[] */
	bool fresh;        /* a prompt's pre-filled text, still selected:
	                      typing replaces it, Backspace/Del clear it */
	PickerOps ops;
	/* Last layout (render_pane.c): the box and where the text cursor is. */
	int x, y, w, h, rows, cx, cy;
};

/* Opens a picker (closing, as cancelled, one already open). items are
 * copied. False on ENOMEM (ops.done is then not called). */
bool picker_open(Editor *ed, int kind, const char *title, const char *text,
                 const char *const *items, size_t nitems, size_t selected, const PickerOps *ops);
/* Replaces the items (a prompt's completions); the filter is kept. */
bool picker_set_items(Picker *pk, const char *const *items, size_t n);
/* Takes a key while a picker is open; false when none is open. */
bool picker_key(Editor *ed, Key k);
/* Types text into the open picker (a paste); false when none is open. */
bool picker_type(Editor *ed, const char *s, size_t len);
/* Closes the open picker as cancelled. */
void picker_cancel(Editor *ed);
void picker_free(Picker *pk);
/* The item shown at row i of the list, or NULL. */
const char *picker_row(const Picker *pk, size_t i);
#endif
