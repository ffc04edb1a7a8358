/* Pages: the bytes of one text as an ordered list of pages. A page is
 * either clean (a view of the bytes of a mapped file, source.h: nothing
 * copied) or owned (a GapBuf, made when the page is first edited). Far
 * apart edits cost O(page), not O(distance); opening a file costs nothing
 * per byte. Each page also knows its newline count once counted (lines.h
 * keeps the line index on these counts). Knows nothing of marks or undo.
 *
 * Edits come in one-pass batches (text.c): first every page an edit
 * needs is prepared (made owned, writable and roomy: pages_prepare*,
 * which may allocate and fail, but never change the bytes), then the pass
 * deletes and inserts (pages_pass_*, which cannot fail), then the pages
 * settle (split when big, merged when tiny, dropped when empty: best
 * effort). Several passes can form one step that either all happen or
 * none (pages_step_*): inside a step the pages of before the step are
 * never written, so an abort puts them back. */
#ifndef BUFFER_PAGES_H
#define BUFFER_PAGES_H
#include "buffer/gapbuf.h"
#include "buffer/source.h"

#ifndef PAGES_LOAD
#define PAGES_LOAD 65536 /* bytes per page when loaded; edited pages split past 2x */
#endif
#define PAGES_MAX (2 * (size_t)PAGES_LOAD)
#define PAGES_NL_UNKNOWN ((size_t)-1)

typedef struct Page {
	size_t len;       /* bytes in the page */
	size_t nl;        /* newlines among them; PAGES_NL_UNKNOWN until counted */
	const char *src;  /* clean: its bytes in the source mapping; NULL: owned */
	GapBuf gb;        /* owned: its bytes */
	bool fresh;       /* owned bytes made during the current step */
	bool seen;        /* clean bytes handed out once (work counter) */
} Page;

/* Work counters, for tests that bound what opening a file costs. */
typedef struct PagesWork {
	size_t shown;     /* bytes of clean pages handed out as spans or copies */
	size_t read;      /* bytes read from the file with pread */
	size_t counted;   /* bytes counted for newlines (line index) */
	size_t owned;     /* pages made owned */
} PagesWork;

typedef struct Pages {
	Page *v;
	size_t n, cap;
	size_t len;       /* bytes in all pages */
	/* Prefix caches beside the pages (not moved when pages are: cut back
	 * instead): start[k], the offset of page k, valid below nstart;
	 * before[k], the newlines before page k, valid below nlines (lines.c). */
	size_t *start, *before;
	size_t ccap;      /* room in start[] and before[] */
	size_t nstart;
	size_t nlines;
	size_t hint;      /* the page found last: lookups are mostly local */
	const char *run;  /* the run handed out last (text [run_at, run_at + run_len)):
	                     text_byte() at a neighbour is a lookup there */
	size_t run_at, run_len;
	Source *src;      /* the mapped file clean pages view, or NULL */
	size_t lost_from, lost_to; /* the source's lost bytes accounted for */
	PagesWork work;
	/* The current step (pages_step_begin): the page list before it, and
	 * the owned bytes of then that pages dropped since (freed at commit). */
	bool in_step;
	Page *base;
	size_t nbase, baselen;
	GapBuf *retired;
	size_t nretired, capretired;
} Pages;

/* A pass's cursor: page k starts at `start` in the text as edited so far. */
typedef struct PagesPass {
	size_t k, start;
	size_t kmin;      /* first page touched (BUF_NOPOS: none) */
	size_t kmax;      /* last page touched */
} PagesPass;

void pages_init(Pages *P);
void pages_fini(Pages *P);
/* Room for n pages (and their caches). False on ENOMEM. */
bool pages_reserve(Pages *P, size_t n);
/* Replaces the pages with clean pages over all of s, and takes s. */
bool pages_load_source(Pages *P, Source *s);
/* Replaces the pages with len bytes of data (a malloc'd block of cap
 * bytes), taken on success. False on ENOMEM: nothing changed, the block
 * stays the caller's. */
bool pages_load_block(Pages *P, char *data, size_t len, size_t cap);
/* Moves the pages of `from` into P (what P held is freed); from is left
 * empty. Neither may be in a step. */
void pages_take(Pages *P, Pages *from);

static inline size_t pages_len(const Pages *P) { return P->len; }
/* The page holding byte pos (< len), *off its offset there. */
size_t pages_find(const Pages *P, size_t pos, size_t *off);
/* Start offset of page k (< n). */
size_t pages_start(const Pages *P, size_t k);
/* Longest contiguous run at pos: pointer and *len (0 at the end). Valid
 * until the next change. */
const char *pages_span(const Pages *P, size_t pos, size_t *len);
/* The run that ends at pos (> 0): pointer to its first byte, *len bytes. */
const char *pages_span_back(const Pages *P, size_t pos, size_t *len);
int pages_byte(const Pages *P, size_t pos);
/* Copies up to len bytes from pos; returns how many. Long runs of clean
 * pages are read with pread (no resident pages of the mapping). */
size_t pages_copy(const Pages *P, size_t pos, size_t len, char *out);
/* Writes [pos, pos + len) to fd at its offset (pwrite when off is not
 * BUF_NOPOS, else write); false with errno. */
bool pages_write(const Pages *P, size_t pos, size_t len, int fd, size_t off);
/* Whether page k is clean (a view of the source at *src_off). */
bool pages_is_clean(const Pages *P, size_t k, size_t *src_off);
/* The piece at pos (< len): how many bytes from pos lie contiguous in the
 * source (*src_off: where; clean pages one after the other in the file),
 * or are owned (*src_off = BUF_NOPOS: up to the next clean page). */
size_t pages_piece(const Pages *P, size_t pos, size_t *src_off);
/* A piece of a text to rebuild: len bytes of the source at src_off, or
 * (src_off BUF_NOPOS) the bytes at `bytes`. */
typedef struct PagesPiece {
	size_t src_off, len;
	const char *bytes;
} PagesPiece;
/* Replaces the pages with the pieces (source ones as clean pages of s,
 * the others copied), and takes s. False on ENOMEM or a source piece out
 * of s (nothing changed, s not taken). */
bool pages_load_pieces(Pages *P, Source *s, const PagesPiece *p, size_t n);
/* The file s maps now holds exactly the bytes of P (P was just written
 * over it): every page becomes a clean view of s at its own offset (small
 * neighbours joined), the owned bytes and the old source are freed, the
 * newline counts kept. s may be NULL only when P is empty. Not in a step.
 * False on ENOMEM or a size that differs (nothing changed, s not taken). */
bool pages_rebase(Pages *P, Source *s);
/* Takes note of bytes the source lost since the last call (source.h):
 * the newline counts of clean pages that show them are stale. True when
 * something was lost since. */
bool pages_sync_lost(Pages *P);

/* ----- writing the text over the file its clean pages view ----- */
/* A byte range of a file. */
typedef struct PagesRange {
	size_t pos, len;
} PagesRange;
/* The ranges of fd (the file the clean pages view, old_size bytes long)
 * that writing the text over it at offset 0 changes: every piece not
 * already at its place (a clean piece at its own offset is not written),
 * the bytes of owned pieces that differ from the file's (read with
 * pread), and the tail when the text is shorter. Sorted, not overlapping;
 * malloc'd into *r. False with errno. */
bool pages_overwrite_ranges(const Pages *P, int fd, size_t old_size, PagesRange **r, size_t *n);
/* Writes the text over fd inside those ranges only (the caller truncates
 * and syncs): pieces moving toward the file's start first, front to back;
 * then the others back to front; then owned bytes. So no clean byte is
 * read after its place in the file was written over. False with errno.
 * Afterwards clean pages that moved view bytes written over: nothing may
 * read P until pages_rebase (or until the old bytes are put back). */
bool pages_overwrite(const Pages *P, int fd, size_t old_size);

/* ----- batches ----- */
/* One change of a batch: edits are sorted and do not overlap. */
typedef struct Edit {
	size_t pos;       /* in the coordinates before the batch */
	size_t del;       /* bytes removed at pos */
	const char *ins;  /* bytes inserted at pos (not NUL-terminated) */
	size_t ins_len;
} Edit;

/* The page an insert at pos goes to: the one holding byte pos - 1 (page 0
 * at 0). */
size_t pages_target(const Pages *P, size_t pos);
/* Gets the pages ready for a batch, changing no byte: clean pages are
 * split where an edit begins or ends (a page with several edits is copied
 * instead), so the pass only drops their heads, tails or all of them; an
 * insert into a clean page gets a small owned piece cut off it at that
 * place; pages the pass writes are owned (in a step: copies of their
 * own) with room for what goes in. tgt[i] receives the page edit i
 * inserts into. False on ENOMEM (the bytes as they were). */
bool pages_prepare(Pages *P, const Edit *e, size_t n, size_t *tgt);
void pages_pass_begin(Pages *P, PagesPass *pp);
/* Deletes [pos, pos + len) (positions as edited so far). */
void pages_pass_delete(Pages *P, PagesPass *pp, size_t pos, size_t len);
/* Inserts at pos into page k, the page pages_target() named before the
 * pass for this edit. */
void pages_pass_insert(Pages *P, PagesPass *pp, size_t k, size_t pos, const char *s, size_t len);
/* Settles the touched pages. */
void pages_pass_end(Pages *P, PagesPass *pp);

/* Steps of several passes: all or nothing. begin: false on ENOMEM. */
bool pages_step_begin(Pages *P);
void pages_step_commit(Pages *P);
void pages_step_abort(Pages *P);

bool pages_check(const Pages *P);
#endif
