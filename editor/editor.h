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
#include <stdio.h>

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
	bool readonly;     /* edits refused (log views); not the file's permission */
	bool ro_file;      /* the file is read-only: save refuses, save-force writes */
	bool had_eol;      /* the file ended with a line break (or was new or empty) */
	signed char final_newline; /* add one on save: 1 yes, 0 no, -1 the editor's setting */
	bool scratch;      /* never saved, never asks */
	bool is_new;       /* the file did not exist when opened */
	bool hide_escapes; /* terminal escape sequences take no room on screen
	                      (editor/ansi.h); a log view's colours show instead */
	char mode[16];     /* "" or a plugin view ("hex", "log"): keymaps and
	                      commands of that mode come first */
	char filetype[24]; /* the type the status bar shows ("c", "lua"), set
	                      by a plugin (syntax): b:filetype_label() */
	SelSet sels;
	size_t goal_col;   /* display column kept by up/down, BUF_NOPOS: none */
	LineFilter *filter;/* optional view filter (log view), owned */
	struct HexView *hex; /* hex view layout and state (render_hex.c), owned */
	const struct ViewOps *view_ops; /* its mode's layout (render.h), set with the mode */
	struct DecorSet *decor; /* decorations, syntax cache (decor.c), owned */
	uint64_t seen_version; /* last text version the "change" event saw */
	bool source_told;  /* a change under the mapped file was reported (mapped.c) */
	size_t lost_told[2]; /* the lost bytes it reported */
	bool closing;      /* ed_close has begun (its "close" event runs) */
	bool closed;       /* out of the list; freed by ed_reap */
	struct Buffer *next;
	struct Buffer *next_dead; /* ed->dead: closed, not freed yet */
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
	/* Opens a prompt pre-filled with text: a value that typing replaces,
	 * or with append, a start to type after ("x/"). */
	void (*prompt)(Editor *ed, const char *label, const char *text, bool append,
	               void (*done)(Editor *ed, const char *answer, void *arg), void *arg);
	void (*message)(Editor *ed, const char *text, bool error);
	void (*suspend)(Editor *ed);
	void (*redraw)(Editor *ed);
	void (*clipboard_set)(Editor *ed, const char *s, size_t len); /* OSC 52 */
	/* A call into a plugin has run for a second: who (e.g. "plugin news")
	 * is shown as busy (NULL: still the same; "" : no longer busy).
	 * Returns true when the user pressed Ctrl-C to interrupt it. Must not
	 * call into Lua or change any buffer. */
	bool (*busy)(Editor *ed, const char *who);
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
	unsigned long errors; /* error messages so far (a key whose command failed) */
	char *search;      /* last search pattern */
	int search_flags;
	int tabw;
	bool expandtab;
	bool autoindent;
	bool final_newline;      /* text files end with a line break when saved */
	const char *runtime_dir; /* runtime Lua files */
	const char *plugin_dir;  /* bundled plugins */
	int sysclip_mode;        /* `set clipboard` (sysclip.h) */
	const char *clean_dir;   /* --clean: Lua's config, data and state
	                            directories live here (private, empty at
	                            start, removed at exit); NULL: the XDG ones */
	uint64_t last_key_ms;    /* for ending typing runs on a pause */
	Key pending[4];          /* chord prefix typed so far */
	int npending;
	char *last_command;      /* for repeat */
	/* Commands registered from Lua (command.c): the dispatcher asks Lua
	 * only for these names. cmd_gen changes with them, which drops the
	 * resolutions cached in key bindings. */
	struct LuaCmd *lua_cmds;
	size_t nlua_cmds, caplua_cmds;
	unsigned cmd_gen;
	const char *cmd_running; /* the command whose errors get its name first */
	bool occ_word;           /* add-next-occurrence matches whole words */
	struct Panes *panes;     /* plugin panes, sidebars, status segments (pane.c) */
	struct Macro *macro;     /* keystroke macros (macro.c), NULL until used */
	struct Splits *splits;   /* split windows (split.c), NULL until used */
	struct Journal *journal; /* unsaved changes kept on disk (journal.c) */
	struct BgIndex *bgindex; /* line counting in the background (bgindex.c) */
	/* Calls into Lua from C code that may hold Buffer and Pane pointers
	 * across them (lua/host.c counts them). While any runs, a closed buffer
	 * or pane is only taken out of its list, never freed: ed_reap frees
	 * them once control is back in the loop. */
	int hold;
	Buffer *dead;      /* closed buffers waiting for ed_reap */
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
/* The last component of a path (a buffer's name). */
const char *path_base(const char *path);
/* Closes b: the "close" event, then b leaves the list. Safe from inside any
 * callback: while ed->hold is set b's memory stays (b->closed) until
 * ed_reap. A C caller that held b across a call into Lua checks b->closed. */
void ed_close(Editor *ed, Buffer *b);
/* Frees the buffers and panes closed while C code held pointers. Call only
 * where no C frame holds one: the top of the loop (UI, headless). */
void ed_reap(Editor *ed);
void ed_focus(Editor *ed, Buffer *b);
bool buf_is_modified(const Buffer *b);
/* What buf_save may do without asking (headless: without failing). */
enum {
	SAVE_CHANGED_OK = 1,   /* overwrite a file that changed on disk since it was read */
	SAVE_OVERWRITE_OK = 2, /* replace an existing file that is not the buffer's own */
	SAVE_READONLY_OK = 4,  /* write a read-only file (save-force; its mode is kept) */
	SAVE_FORCE = 7,
};
/* Saves to path (NULL: the buffer's own path); a text buffer gets its
 * final line break first (buf_final_newline). Questions go through
 * ed_ask() and save again once answered yes. Reports errors as messages;
 * false also while a question is pending. */
bool buf_save(Editor *ed, Buffer *b, const char *path, int flags);
/* After a load or save: had_eol and ro_file from the text and the file. */
void buf_note_disk(Buffer *b);
/* Whether path (an existing regular file) is read-only for b, by the rule
 * of b's view (text: vim's, hex: hexedit's; see save.c). The one place
 * that decides: [read-only], save's refusal and the chmod watch ask it. */
bool buf_file_is_read_only(const Buffer *b, const char *path);
/* A text buffer whose file had a final line break (or is new) gets one
 * back before saving, as its own undo step; hex, binary and plugin views
 * never (b->final_newline, `set finalnewline`, EditorConfig decide). */
bool buf_final_newline(Editor *ed, Buffer *b);
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
/* The same without a message, for callers that report themselves (Lua's
 * nil, message): false with errno EPERM when b is read-only (the editor
 * withholds the permission: -R, *help*, a plugin's list; EROFS would
 * claim a read-only file system), EINVAL for edits out of order or range,
 * ENOMEM; nothing changed. */
bool buf_try_apply(Buffer *b, const Edit *e, size_t n, int txn_kind, int placement);
bool buf_undo(Editor *ed, Buffer *b);
bool buf_redo(Editor *ed, Buffer *b);

/* Messages: one line each. msg_error returns false for `return msg_error()`. */
bool msg_error(Editor *ed, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_info(Editor *ed, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_vlog(Editor *ed, bool error, const char *fmt, va_list ap);
/* Appends s and a newline to *messages* (the one writer of that buffer:
 * message lines, and a Lua traceback under its message). */
void msg_append(Editor *ed, const char *s, size_t len);
/* The last line of *messages*, cut to fit out (NUL-terminated); its length. */
size_t msg_last(const Editor *ed, char *out, size_t size);
/* The one way text reaches stdout or stderr outside the screen (before
 * the UI starts, after it ends, headless): escaped as the screen shows it,
 * control characters as ^X, invalid bytes as <xx>; characters in keep
 * (e.g. "\n\t") pass as they are. msg_print writes one message line,
 * "brisk: " before an error. */
void msg_fwrite(FILE *f, const char *s, size_t len, const char *keep);
void msg_print(FILE *f, bool error, const char *line);

/* Asks a question: headless answers "no" and reports an error. */
void ed_ask(Editor *ed, const char *question, void (*done)(Editor *ed, bool yes, void *arg), void *arg);
void ed_emit(Editor *ed, const char *event, Buffer *b);
/* Emits "change" for b if its text changed since b last told it. */
void ed_note_change(Editor *ed, Buffer *b);

/* Input: one key as typed, or a run of keys (runs of plain text typed
 * into unbound keys are inserted as one edit). ed_keys stops at the first
 * key whose command fails (an error was reported) and returns its index;
 * n when every key ran. */
void ed_key(Editor *ed, Key k);
size_t ed_keys(Editor *ed, const Key *keys, size_t n);
/* Inserts text at every cursor as typing (one undo run). */
bool ed_type(Editor *ed, const char *s, size_t len);
/* Runs a command line as typed at the prompt. */
bool ed_command(Editor *ed, const char *line);
#endif
