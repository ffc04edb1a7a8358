/* Editor: the one context passed everywhere (no globals). Owns buffers,
 * windows, the clipboard, messages, keymaps, the loop and the hooks to lua/.
 * Buffers here wrap a buffer/ Text with a file name, selections and a mode. */
#ifndef EDITOR_EDITOR_H
#define EDITOR_EDITOR_H
#include "buffer/fileio.h"
#include "buffer/text.h"
#include "editor/hooks.h"
#include "editor/keys.h"
#include "editor/loop.h"
#include "editor/selection.h"
#include <stdarg.h>

typedef struct Keymap Keymap;
typedef struct LineFilter LineFilter;

struct Buffer {
	int id;            /* unique, never reused (Lua handles check it) */
	Text *text;
	char *path;        /* NULL for scratch buffers */
	char *name;        /* shown in the status bar */
	FileInfo disk;     /* the file as loaded or last saved */
	bool crlf;         /* first line break is CRLF (kept as is on save) */
	bool binary;       /* NUL bytes seen when loading */
	bool readonly;
	bool scratch;      /* never saved, never asks */
	bool is_new;       /* the file did not exist when opened */
	bool hide_escapes; /* terminal escape sequences take no room on screen
	                      (editor/ansi.h); a log view's colours show instead */
	char mode[16];     /* "" or a plugin view ("hex", "log"): keymaps and
	                      commands of that mode come first */
	SelSet sels;
	size_t goal_col;   /* display column kept by up/down, BUF_NOPOS: none */
	LineFilter *filter;/* optional view filter (log view), owned */
	struct HexView *hex; /* hex view layout and state (render_hex.c), owned */
	struct DecorSet *decor; /* decorations, syntax cache (decor.c), owned */
	uint64_t seen_version; /* last text version the "change" event saw */
	struct Buffer *next;
};

typedef struct Window {
	Buffer *buf;
	size_t top;        /* offset of the first visible line's start */
	size_t left;       /* first visible display column (no wrap) */
	int x, y, w, h;    /* text area on screen */
} Window;

typedef struct Clipboard {
	char **parts;      /* one part per cursor that copied */
	size_t *lens;
	size_t n;
	bool linewise;     /* copied whole lines (no selection) */
	bool box;          /* copied from a column mark: pastes as a block */
} Clipboard;

/* What the UI provides; headless mode leaves these NULL. */
typedef struct UiOps {
	void *ctx;
	/* Asks a yes/no question; calls done(ed, yes, arg) later. */
	void (*ask)(Editor *ed, const char *question, void (*done)(Editor *ed, bool yes, void *arg), void *arg);
	/* Opens the command prompt pre-filled with text. */
	void (*prompt)(Editor *ed, const char *label, const char *text, void (*done)(Editor *ed, const char *answer, void *arg), void *arg);
	void (*message)(Editor *ed, const char *text, bool error);
	void (*suspend)(Editor *ed);
	void (*redraw)(Editor *ed);
	void (*clipboard_set)(Editor *ed, const char *s, size_t len); /* OSC 52 */
} UiOps;

struct Editor {
	Buffer *bufs;      /* list, in opening order */
	Buffer *cur;       /* the buffer with the focus */
	Buffer *messages;  /* the *messages* buffer */
	Window win;        /* the main window (the TUI may add more) */
	Loop *loop;
	Hooks hooks;
	UiOps ui;
	Keymap *keymap;
	Clipboard clip;
	int next_id;
	bool headless;
	bool quit;         /* leave the loop */
	int exit_status;   /* headless: 1 once an error was reported */
	char *search;      /* last search pattern */
	int search_flags;
	int tabw;
	bool expandtab;
	bool autoindent;
	const char *runtime_dir; /* runtime Lua files */
	const char *plugin_dir;  /* bundled plugins */
	uint64_t last_key_ms;    /* for ending typing runs on a pause */
	Key pending[4];          /* chord prefix typed so far */
	int npending;
	char *last_command;      /* for repeat */
	bool occ_word;           /* add-next-occurrence matches whole words */
	struct Panes *panes;     /* plugin panes, sidebars, status segments (pane.c) */
	struct Macro *macro;     /* keystroke macros (macro.c), NULL until used */
	struct Splits *splits;   /* split windows (split.c), NULL until used */
	struct Journal *journal; /* unsaved changes kept on disk (journal.c) */
};

Editor *ed_new(bool headless);
void ed_free(Editor *ed);

/* Buffers. ed_open loads a file (or creates an empty buffer for a missing
 * one); NULL with a message on error. */
Buffer *ed_open(Editor *ed, const char *path);
Buffer *ed_scratch(Editor *ed, const char *name);
/* An empty buffer with no file yet: the user's text (quitting asks about
 * it, saving asks for a name). */
Buffer *ed_untitled(Editor *ed);
Buffer *ed_find_buffer(Editor *ed, int id);
void ed_close(Editor *ed, Buffer *b);
void ed_focus(Editor *ed, Buffer *b);
bool buf_is_modified(const Buffer *b);
/* Saves to path (NULL: the buffer's own path); force overrides the
 * changed-on-disk check. Reports errors as messages. */
bool buf_save(Editor *ed, Buffer *b, const char *path, bool force);
void buf_set_mode(Editor *ed, Buffer *b, const char *mode);
/* Replaces the text with the file on disk as one undoable edit. */
bool buf_reload(Editor *ed, Buffer *b);

/* Applies edits as one undo step with the cursor sets around it.
 * Placement of the selections afterwards: */
enum {
	PLACE_AFTER,  /* edits match selections 1:1; cursor after each insert */
	PLACE_COVER,  /* edits match selections 1:1; select each insert */
	PLACE_MAP,    /* any edits; selections move with them like marks */
};
bool buf_apply(Editor *ed, Buffer *b, const Edit *e, size_t n, int txn_kind, int placement);
bool buf_undo(Editor *ed, Buffer *b);
bool buf_redo(Editor *ed, Buffer *b);

/* Messages: one line each. msg_error returns false for `return msg_error()`. */
bool msg_error(Editor *ed, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_info(Editor *ed, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_vlog(Editor *ed, bool error, const char *fmt, va_list ap);

/* Asks a question: headless answers "no" and reports an error. */
void ed_ask(Editor *ed, const char *question, void (*done)(Editor *ed, bool yes, void *arg), void *arg);
void ed_emit(Editor *ed, const char *event, Buffer *b);

/* Input: one key as typed, or a run of keys (runs of plain text typed
 * into unbound keys are inserted as one edit). */
void ed_key(Editor *ed, Key k);
void ed_keys(Editor *ed, const Key *keys, size_t n);
/* Inserts text at every cursor as typing (one undo run). */
bool ed_type(Editor *ed, const char *s, size_t len);
/* Runs a command line as typed at the prompt. */
bool ed_command(Editor *ed, const char *line);
#endif
