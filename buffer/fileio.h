/* File I/O for a Text: load (fileio.c: a big file is mapped, not read,
 * see source.h); save by the strategy that loses nothing (filesave.c):
 * rename a complete temp file into place, or write in place behind a
 * rollback journal (only the changed ranges of a big file patched in
 * place). Sets errno. */
#ifndef BUFFER_FILEIO_H
#define BUFFER_FILEIO_H
#include "buffer/text.h"
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

typedef struct FileInfo {
	bool exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	mode_t mode;
	uid_t uid;
	gid_t gid;
} FileInfo;

/* Why a save was refused without touching the disk. */
#define FILEIO_ECHANGED ESTALE  /* the file changed on disk since fi was taken */
#define FILEIO_ESPECIAL ENODEV  /* a device, FIFO or socket: never replaced */
/* ...and why even a forced one is: the file the text maps was cut short
 * or rewritten in place by another program, so some of the text's bytes
 * are gone or not what was loaded (text_lost, text_source_changed). */
#define FILEIO_ESOURCE EREMCHG

#ifndef FILEIO_MAP_MIN
#define FILEIO_MAP_MIN (4u << 20) /* files this big are mapped, smaller ones read */
#endif
/* A mapped file at least this big, whose every change since it was
 * loaded or saved kept the size (a hex patch), is saved by writing only
 * the changed ranges in place (behind the rollback journal). */
#ifndef FILEIO_PATCH_MIN
#define FILEIO_PATCH_MIN ((size_t)64 << 20)
#endif

/* How file_save wrote, or tried to write, the file. */
enum {
	FILE_SAVE_RENAME = 1, /* a temp file in the same directory, renamed over it */
	FILE_SAVE_INPLACE,    /* the file itself rewritten, behind a rollback journal */
	FILE_SAVE_PATCH,      /* only the changed ranges rewritten, behind a rollback journal */
};

/* Options and outcome of file_save. Zeroed means: refuse a file changed
 * on disk, never write in place. */
typedef struct FileSaveOpts {
	bool force;               /* write even if the file changed on disk */
	/* Where an in-place write journals the old bytes (buffer/rollback.h);
	 * NULL: a file that cannot be renamed over is not saved. */
	const char *rollback_dir;
	/* Called once an in-place write is chosen, before the file is touched
	 * (the editor brings its own journal of the text up to date). */
	void (*before_inplace)(void *arg);
	void *arg;
	/* Out: */
	int how;                  /* FILE_SAVE_*: the strategy tried last (0: none) */
	int journal_errno;        /* the rollback journal failed: nothing was touched */
	bool stuck;               /* an in-place write failed and could not be undone:
	                             the journal keeps the old bytes (reopening restores) */
	bool journal_left;        /* saved, but the journal could not be removed (errno):
	                             reopening would undo this save */
} FileSaveOpts;

/* Loads path into t. ENOENT leaves t empty (a new file). "-" reads stdin. */
bool file_load(const char *path, Text *t, FileInfo *fi);
/* Loads from an open descriptor until EOF. */
bool file_load_fd(int fd, Text *t);
/* Saves t to path, following symlinks (a dangling one creates its target).
 * A temp file renamed into place when that loses nothing (a new file, or a
 * regular file with one link whose owner, group, mode with set-id bits and
 * extended attributes the temp file carries, in a writable directory);
 * otherwise, and when the temp file does not fit on the disk, in place
 * behind a rollback journal in o->rollback_dir. Directories (EISDIR) and
 * special files (FILEIO_ESPECIAL) are refused, as is a file changed on
 * disk since fi was taken (FILEIO_ECHANGED) unless o->force, and always
 * a text whose mapped file changed under it (FILEIO_ESOURCE). A mapped
 * file of FILEIO_PATCH_MIN bytes or more with same-size changes only is
 * patched in place (FILE_SAVE_PATCH): the changed ranges journaled and
 * written, the inode kept. A failure leaves the old file as it was (see
 * o->stuck). The text is streamed from its pages, never made contiguous;
 * a mapped text views the saved file afterwards (text_rebase). On success
 * fi describes the new file and t is marked saved. o may be NULL (the
 * zeroed options). */
bool file_save(const char *path, Text *t, FileInfo *fi, FileSaveOpts *o);
/* Writes path whole or not at all: fill(fd, arg) writes a new temp file
 * beside it (.NAME.brisk-XXXXXX), which is fsynced, closed and renamed over
 * path, and the directory fsynced. False with errno set (fill sets it when
 * it fails), the temp file removed and path untouched. */
bool file_write_atomic(const char *path, bool (*fill)(int fd, void *arg), void *arg);
/* The file path names, symlinks followed even when the last one dangles,
 * as an absolute path with its directory canonical. Malloc'd; NULL (errno)
 * on a symlink loop or ENOMEM. */
char *file_resolve(const char *path);
/* What makes a file read-only (editor/save.c picks the rule by the view). */
typedef enum FileRoRule {
	FILE_RO_MODE,   /* vim: no write bit at all (even for root), or no
	                   write permission (read-only file system too) */
	FILE_RO_ACCESS, /* hexedit, dd, xxd -r: only when the OS would refuse to
	                   open it for writing (access(W_OK) fails) */
} FileRoRule;
/* An existing regular file that is read-only by rule. */
bool file_is_read_only(const char *path, FileRoRule rule);
/* "a directory", "a FIFO", "a character device"...: for messages. */
const char *file_kind(mode_t mode);
/* True when the file on disk is no longer the one fi describes. */
bool file_changed_on_disk(const char *path, const FileInfo *fi);
bool file_stat(const char *path, FileInfo *fi);
/* Line ending of the first line break (within the first 64 KiB): true
 * for CRLF. */
bool text_has_crlf(const Text *t);
/* Binary content: a NUL byte in the first 64 KiB. */
bool text_looks_binary(const Text *t);
#endif
