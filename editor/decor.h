/* Decor: a buffer's decorations (styled byte ranges, optional virtual text
 * shown after the end of their line) and the cache of its syntax colours.
 * No terminal and no Lua: render_pane.c draws, lua/api_decor.c fills.
 *
 * Ranges live in buffer/ marks, so they move with every edit, undo and
 * redo in the same pass as the text. The start has right gravity (text
 * typed at the start is not decorated); the end behaves as if it had left
 * gravity (text typed right after the range is not decorated either): it
 * is min(a mark at the end, a mark on the last byte + 1). A range whose
 * bytes are all deleted becomes empty and shows only its virtual text.
 *
 * Syntax colours come from a plugin function per buffer or mode, called
 * through PaneHooks.syntax for the lines on screen only, one line at a
 * time, and cached per line: an entry is reused while the line's text is
 * unchanged (the text version, else a hash of its bytes), so typing in one
 * line calls the function again for that line only.
 *
 * Lexing state: a syntax function may carry an integer state from the end
 * of one line to the start of the next (a block comment or a string that
 * spans lines). The set keeps a window of lines with known start/end
 * states (from line 0 or from a sync point SYN_SYNC lines above the first
 * line asked for, where the state is assumed to be 0). A cache entry is
 * reused only while its text and its start state are unchanged, so after
 * an edit the function runs again from the edited line down only until a
 * line ends in the state it ended in before (the state settles). */
#ifndef EDITOR_DECOR_H
#define EDITOR_DECOR_H
#include "editor/editor.h"
#include "editor/style.h"

#define SYN_MAX_LINE 16384 /* bytes of a line a syntax function sees */
#define SYN_CACHE 512      /* cached lines per buffer (direct-mapped) */
#define SYN_TEXT_CACHE 2048/* the same by content (direct-mapped) */
#define SYN_SYNC 300       /* lines lexed above a jump target (state 0 there) */

typedef struct Decor {
	int id;            /* unique in its buffer, never reused */
	char *ns;          /* namespace (for clearing together), owned, or NULL */
	size_t m_start, m_end, m_last; /* marks; m_end/m_last BUF_NOPOS if empty */
	Style st;
	char *virt;        /* virtual text (untrusted bytes), owned, or NULL */
	size_t vlen;
	Style vst;
} Decor;

/* A styled part of a line: byte offsets from the line start, [from, to). */
typedef struct SynSpan {
	uint32_t from, to;
	Style st;
} SynSpan;

typedef struct SynLine {
	size_t line;       /* 0-based line number */
	uint64_t version;  /* text version it was made at */
	uint64_t hash;     /* of the bytes the function saw */
	size_t len;
	bool used;
	int in, out;       /* lexing state at its start / after its end */
	SynSpan *spans;    /* owned */
	size_t n;
} SynLine;

/* A line of the state window: what its end state was computed from. */
typedef struct SynState {
	uint64_t hash;     /* of the bytes the function saw */
	size_t len;
	int in, out;
} SynState;

typedef struct DecorSet {
	Decor *v;          /* sorted by id (= creation order: later ones win) */
	size_t n, cap;
	int next_id;
	/* What render_decor_row looks at: decorations overlapping the lines
	 * decor_prepare was last asked about (indexes into v). */
	size_t *vis;
	size_t nvis;
	/* Syntax cache, valid for one syntax generation and buffer mode. */
	SynLine *syn;
	/* The same by content (SYN_TEXT_CACHE): a line that moved (Enter
	 * above it) or repeats reuses its spans without calling the function. */
	SynLine *syn_text;
	unsigned syn_gen;
	char syn_mode[16];
	bool syn_none;     /* no syntax function for this buffer */
	uint64_t syn_calls;/* calls of the syntax function (for tests) */
	/* State window: lines [sw0, sw0 + swn), each with its states. */
	SynState *sw;
	size_t sw0, swn, swcap;
	uint64_t sw_version;/* text version the window was checked at */
	int syn_in, syn_out;/* state for / from the current hook call */
	/* The last line read (finding a line start in a big file scans the
	 * line index; the next line starts right after this one). */
	bool hint_ok;
	size_t hint_line, hint_start, hint_end;
	uint64_t hint_version;
	bool syn_stateful; /* the function returned a state other than 0 or
	                    * asked for states (syn_wants_state) */
	bool syn_wants_state;/* set by the hook: the function was set with
	                    * {state = true} */
	bool syn_pure;     /* it was: its spans depend only on the text and
	                    * the start state (syn_text may be used) */
} DecorSet;

void decor_free(DecorSet *ds);

/* Adds a decoration over [from, to) (clamped to the text); virt may be
 * NULL. Returns its id, or -1 on ENOMEM. */
int decor_add(Buffer *b, size_t from, size_t to, Style st, const char *ns,
              const char *virt, size_t vlen, Style vst);
bool decor_remove(Buffer *b, int id);
/* Removes the decorations of a namespace (NULL: all); returns how many. */
size_t decor_clear(Buffer *b, const char *ns);
/* The decoration's current range. */
void decor_range(const Buffer *b, const Decor *d, size_t *from, size_t *to);
const Decor *decor_find(const Buffer *b, int id);

/* Before rendering: collects the decorations touching `lines` lines from
 * the line starting at top, and makes sure the syntax cache holds those
 * lines (calling the plugin's function for the ones it lacks). */
void decor_prepare(Editor *ed, Buffer *b, size_t top, size_t lines);
/* The cached syntax spans of a 0-based line (after decor_prepare or
 * decor_syntax_line), or NULL with *n 0. */
const SynSpan *decor_syntax_cached(const Buffer *b, size_t line, size_t *n);
/* The syntax spans of one line, through the cache (lexing the lines above
 * it first when their end states are unknown). */
const SynSpan *decor_syntax_line(Editor *ed, Buffer *b, size_t line, size_t *n);
/* Forgets every buffer's syntax cache (a syntax function was set). */
void decor_syntax_changed(Editor *ed);
#endif
