/* LineIndex: newline counts per block of bytes, so line <-> offset lookups
 * cost O(blocks + block size) on any file size. Updated by edit passes
 * (text.c) in the same left-to-right walk as the bytes. */
#ifndef BUFFER_LINES_H
#define BUFFER_LINES_H
#include "buffer/gapbuf.h"

#ifndef LINES_BLOCK
#define LINES_BLOCK 65536
#endif

typedef struct LineBlock {
	size_t len; /* bytes in the block */
	size_t nl;  /* newlines among them */
} LineBlock;

typedef struct LineIndex {
	LineBlock *b;
	size_t n, cap;
} LineIndex;

/* A left-to-right walk that applies sorted edits to the index. Positions
 * are in the coordinates of the text as edited so far. */
typedef struct LinesPass {
	LineIndex *li;
	size_t k;     /* current block */
	size_t start; /* offset of block k */
} LinesPass;

void lines_init(LineIndex *li);
void lines_fini(LineIndex *li);
/* Rebuilds from scratch. False on ENOMEM (the index is left unchanged). */
bool lines_build(LineIndex *li, const GapBuf *gb);
size_t lines_newlines(const char *p, size_t len);
void lines_pass_begin(LinesPass *lp, LineIndex *li);
/* Call before the bytes are removed from gb. */
void lines_pass_delete(LinesPass *lp, const GapBuf *gb, size_t pos, size_t len);
void lines_pass_insert(LinesPass *lp, size_t pos, const char *s, size_t len);
/* Splits big blocks and drops empty ones; call after the bytes are updated. */
bool lines_pass_end(LinesPass *lp, const GapBuf *gb);
/* Number of lines: newlines + 1. */
size_t lines_count(const LineIndex *li);
/* Start offset of 0-based line (clamped to the last line). */
size_t lines_offset_of(const LineIndex *li, const GapBuf *gb, size_t line);
/* 0-based line of pos. */
size_t lines_line_of(const LineIndex *li, const GapBuf *gb, size_t pos);
bool lines_check(const LineIndex *li, const GapBuf *gb);
#endif
