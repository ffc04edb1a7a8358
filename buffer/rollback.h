/* Rollback journal: makes an in-place rewrite of a file safe against a
 * crash, a kill -9, a full disk or a power cut. The one mechanism behind
 * every in-place write (a whole-file save that cannot rename, a patch of
 * a few ranges of a huge file). Sets errno.
 *
 * The contract, in this order:
 *
 *   1. rb = rollback_begin(jpath, fd, ranges, n): the OLD bytes of every
 *      range about to be overwritten or cut off are copied from fd into
 *      the journal file jpath, with the file's identity and old size; the
 *      journal and its directory are fsynced before it returns. Nothing
 *      of the file has changed yet.
 *   2. The caller writes the new bytes into fd, only inside the journaled
 *      ranges or past the old end, sets the size (ftruncate) and fsyncs
 *      fd. It never reads back from fd a range it has already overwritten:
 *      the old bytes live in the journal now, the new ones in memory.
 *   3. rollback_commit(rb): the journal is removed; the new file stands.
 *      Or, when a write failed, rollback_abort(rb): the old bytes go back
 *      from the journal, the old size is restored, fd is fsynced and the
 *      journal removed: the file is exactly as before step 1.
 *
 * A crash at any point leaves either no journal (nothing was touched, or
 * all is done), an incomplete one (its checksum fails: the file was not
 * touched yet, the journal is deleted), or a complete one:
 * rollback_recover() then puts the old bytes back, so the file is exactly
 * the old one again. Run it before reading a file that may have one.
 *
 * Journals are trusted input (they are written back into files): keep them
 * in a private directory (the editor's state directory); a journal not
 * owned by the effective user is refused. jpath names one journal per
 * file (rollback_path()); two writers of one file are kept apart by an
 * exclusive flock() on fd that the caller holds from step 1 to step 3. */
#ifndef BUFFER_ROLLBACK_H
#define BUFFER_ROLLBACK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A byte range of the file as it is before the write. Ranges passed to
 * rollback_begin are sorted, do not overlap and lie inside the old file
 * (a range reaching past the old end is clipped to it). */
typedef struct RbRange {
	uint64_t pos, len;
} RbRange;

typedef struct Rollback Rollback;

/* The journal file for the file at path (absolute, symlinks resolved) in
 * directory dir: dir/NAME-HASH.rollback. Malloc'd; NULL on ENOMEM. */
char *rollback_path(const char *dir, const char *path);

/* Step 1. fd is the file, open for reading and writing; path is recorded
 * in the journal (for messages). The journal must not exist yet (EEXIST:
 * recover it first). NULL with errno set, nothing left behind, on
 * failure (ENOSPC, EACCES on the directory, EINVAL for bad ranges...). */
Rollback *rollback_begin(const char *jpath, int fd, const char *path, const RbRange *r, size_t n);
/* Step 3 on success: removes the journal, frees rb. False (errno) when the
 * journal could not be removed: the file is new, but reopening it would
 * roll it back; the caller says so. rb is freed either way. */
bool rollback_commit(Rollback *rb);
/* Step 3 on failure: restores the old bytes and size, fsyncs, removes the
 * journal, frees rb. False (errno) when the file could not be restored:
 * the journal stays, so rollback_recover() can finish the job later. */
bool rollback_abort(Rollback *rb);

/* What rollback_recover found. */
typedef enum {
	RB_NONE,       /* no journal */
	RB_DISCARDED,  /* an incomplete journal: the file was never touched; deleted */
	RB_ROLLED_BACK,/* the file is its old self again; the journal is gone */
	RB_BUSY,       /* another process is writing the file now: left alone */
	RB_MISMATCH,   /* the journal is of another file (replaced or deleted since): left alone */
	RB_FAILED,     /* could not read the journal or write the file (errno): left alone */
} RbResult;

/* Rolls back an interrupted write of the file at path, if jpath holds the
 * journal of one. */
RbResult rollback_recover(const char *jpath, const char *path);
#endif
