/* File I/O for a Text: load (a big file is mapped, not read: see
 * source.h), atomic save (temp file in the same directory, fsync, rename,
 * mode and owner kept). Sets errno. */
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
#define FILEIO_ECHANGED ESTALE
/* ...and why even a forced one is: the file the text maps was cut short
 * or rewritten in place by another program, so some of the text's bytes
 * are gone or not what was loaded (text_lost, text_source_changed). */
#define FILEIO_ESOURCE EREMCHG

#ifndef FILEIO_MAP_MIN
#define FILEIO_MAP_MIN (4u << 20) /* files this big are mapped, smaller ones read */
#endif

/* Loads path into t. ENOENT leaves t empty (a new file). "-" reads stdin. */
bool file_load(const char *path, Text *t, FileInfo *fi);
/* Loads from an open descriptor until EOF. */
bool file_load_fd(int fd, Text *t);
/* Saves atomically. Unless force, refuses with FILEIO_ECHANGED when the file
 * changed on disk since fi was taken; always with FILEIO_ESOURCE when the
 * bytes under a mapped text changed. On success fi describes the new file. */
bool file_save(const char *path, Text *t, FileInfo *fi, bool force);
/* True when the file on disk is no longer the one fi describes. */
bool file_changed_on_disk(const char *path, const FileInfo *fi);
bool file_stat(const char *path, FileInfo *fi);
/* Line ending of the first line break (within the first 64 KiB): true
 * for CRLF. */
bool text_has_crlf(const Text *t);
/* Binary content: a NUL byte in the first 64 KiB. */
bool text_looks_binary(const Text *t);
#endif
