/* Source: a file mapped read-only, that the clean pages of a big text
 * point into (pages.h). Knows nothing of pages, lines or edits.
 *
 * Another program may truncate or rewrite the file while it is mapped. A
 * read of the mapping past the new end would raise SIGBUS and kill brisk:
 * a SIGBUS handler maps zero bytes over the part of the mapping that is
 * gone and records it as lost, so the faulting read goes on and reads
 * zeros. Bulk reads (source_read) use pread, which makes no page of the
 * mapping resident and reports a short file the same way. Whoever shows or
 * saves the text asks source_lost() and never writes lost bytes over the
 * file. */
#ifndef BUFFER_SOURCE_H
#define BUFFER_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

typedef struct Source Source;

/* Maps the first size bytes of the regular file open on fd (size > 0) and
 * takes fd (closed by source_free). NULL with errno when it cannot. */
Source *source_map(int fd, size_t size);
void source_free(Source *s); /* NULL is a no-op */
/* The mapping: size bytes, valid until source_free. */
const char *source_base(const Source *s);
size_t source_size(const Source *s);
/* The file's identity when it was mapped. */
dev_t source_dev(const Source *s);
ino_t source_ino(const Source *s);
/* Copies [off, off + len) (within the size) into out with pread. Bytes the
 * file no longer has read as zeros and are recorded as lost; false then. */
bool source_read(Source *s, size_t off, size_t len, char *out);
/* Lets the kernel drop the resident pages of [off, off + len) (they are
 * read again on demand): scans over the mapping stay small in memory. */
void source_release(Source *s, size_t off, size_t len);
/* Looks at the file now: a file shorter than the mapping loses its tail
 * (recorded, the mapping past its end reads zeros from now on). True when
 * the bytes of the mapping may differ from what was mapped (the file was
 * truncated, or written in place since: size or modification time). */
bool source_check(Source *s);
/* The range of bytes that could not be read, as [*from, *to) (the hull of
 * every loss); false when nothing was lost. */
bool source_lost(const Source *s, size_t *from, size_t *to);
/* Work counter: bytes read from the file (pread and first touches of the
 * mapping are not told apart: this counts source_read bytes). */
size_t source_bytes_read(const Source *s);
#endif
