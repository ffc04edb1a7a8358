/* Prompt: the one-line input on the bottom row (the command line, find,
 * replace, goto, file names...): editing keys, history per kind, Tab
 * completion of command and file names (cycling). The UI (ui.c) owns one, sends it
 * keys while it is open and draws it; it never writes to the terminal. */
#ifndef EDITOR_PROMPT_H
#define EDITOR_PROMPT_H
#include "editor/editor.h"
#include "editor/render.h"

/* Prompt history slots. */
enum { UI_HIST_COMMAND, UI_HIST_FIND, UI_HIST_REPLACE, UI_HIST_GOTO, UI_HIST_FILE, UI_HIST_OTHER, UI_HIST_N };

typedef struct UiPrompt {
	const char *label;
	const char *text;   /* pre-filled, may be NULL */
	int history;        /* UI_HIST_* */
	bool complete_commands;
	bool complete_files;
	/* The pre-filled text is a start to type after ("x/"), not a value
	 * that typing replaces (the default: it shows selected). */
	bool append;
	/* Called with the final text, or NULL when cancelled. */
	void (*done)(Editor *ed, const char *text, void *arg);
	/* Optional: called after every change of the text. */
	void (*change)(Editor *ed, const char *text, void *arg);
	/* Optional: sees keys first; true when it used the key. */
	bool (*key)(Editor *ed, Key k, const char *text, void *arg);
	void *arg;
} UiPrompt;

typedef struct Prompt Prompt;

/* NULL when out of memory. prompt_free(NULL) does nothing. */
Prompt *prompt_new(Editor *ed);
void prompt_free(Prompt *p);
bool prompt_is_active(const Prompt *p);
/* Opens the prompt (an open one is cancelled first). */
void prompt_open(Prompt *p, const UiPrompt *spec);
void prompt_set_label(Prompt *p, const char *label);
/* Cancels the open prompt: its done() hears NULL. */
void prompt_cancel(Prompt *p);
void prompt_key(Prompt *p, Key k);
/* Pasted text goes in at the cursor (control bytes become spaces). */
void prompt_paste(Prompt *p, const char *s, size_t len);
/* While Tab cycles through completions: draws them from x on row y (the
 * status bar), w columns, in `style`; false when there are none. */
bool prompt_draw_completions(const Prompt *p, Grid *g, int x, int y, int w, uint16_t style);
/* Draws the label and text on row y; returns the cursor's column. */
int prompt_draw(const Prompt *p, Grid *g, int y, int w);
#endif
