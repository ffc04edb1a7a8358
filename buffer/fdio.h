/* Whole reads and writes on descriptors: a call moves every byte, or
 * fails with errno set (EINTR and short counts are retried; a file that
 * ends before n bytes could be read is EIO). */
#ifndef BUFFER_FDIO_H
#define BUFFER_FDIO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool fd_write_all(int fd, const void *p, size_t n);
bool fd_pwrite_all(int fd, const void *p, size_t n, uint64_t off);
bool fd_pread_all(int fd, void *p, size_t n, uint64_t off);

/* fsyncs the directory holding path ("." without a slash), so that a
 * rename or unlink there lasts; best effort. Allocates nothing. */
void fd_sync_dir_of(const char *path);
/* Makes directory dir and those above it that are missing, each with
 * mode, as mkdir -p; false with errno when one cannot be made. */
bool fd_mkdir_p(const char *dir, unsigned mode);
#endif
