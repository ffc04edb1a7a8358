/* Render hex: the hex view's layout. A buffer in mode "hex" is shown as rows
 *
 *     0002f0:   0003 0000 00c0 1200  0003 0000 00ac 1c00  ................
 *
 * (offset, hex digits in groups, ASCII), 8, 16 or 32 bytes a row, groups of
 * 1, 2, 4 or 8 bytes, an extra space every 8 bytes. Only the visible rows
 * are read, so a 1 GB file paints as fast as a small one. The cell map of
 * the View is filled as render.c fills it (a byte offset per cell, on both
 * columns), so view_pos_at() maps a click to a byte.
 *
 * Styles: byte classes and edit state use the existing style bits (term.c
 * already colours them); the aliases below say what each means here. */
#ifndef EDITOR_RENDER_HEX_H
#define EDITOR_RENDER_HEX_H
#include "editor/render.h"

#define HEX_HL_MAX 256      /* longest highlighted pattern */

#define HEX_S_OFFSET RS_LINENO  /* the offset column */
#define HEX_S_NUL RS_DIM        /* 0x00 */
#define HEX_S_PRINT 0           /* printable ASCII */
#define HEX_S_SPACE RS_LINENO   /* \t \n \v \f \r */
#define HEX_S_CTRL RS_ESCAPE    /* other ASCII (controls, DEL) */
#define HEX_S_HIGH RS_BOLD      /* 0x80-0xff */
#define HEX_S_MOD RS_ERROR      /* differs from the file on disk */

typedef struct HexView {
	int bpr;           /* bytes per row: 8, 16 or 32 */
	int group;         /* bytes per group: 1, 2, 4 or 8 */
	bool ascii;        /* the cursor is in the ASCII column */
	bool low;          /* the next hex digit is the low nibble */
	size_t top;        /* offset of the first visible row */
	uint64_t typed_version; /* text version after the last hex overwrite */
	size_t hl_len;     /* pattern whose matches are highlighted, 0: none */
	unsigned char hl[HEX_HL_MAX];
	unsigned char hl_mask[HEX_HL_MAX]; /* 0xff: byte must match, 0: any */
} HexView;

/* The buffer's hex state (b->hex), made with the defaults on first use;
 * NULL only when out of memory. */
HexView *render_hex_view(Buffer *b);
/* True when the buffer is shown in hex (mode "hex"). */
bool render_hex_is_on(const Buffer *b);
/* Hex digits of the offset column for a buffer of len bytes (at least 6). */
int render_hex_offset_width(size_t len);
/* Screen columns of a whole row (offset, hex, ASCII). */
int render_hex_row_width(const HexView *h, size_t len);
/* Valid layout values: bpr 8/16/32, group 1/2/4/8 (not wider than bpr). */
bool render_hex_layout_ok(int bpr, int group);

/* Renders the window's visible rows of b in hex into g. */
void render_hex(View *v, Buffer *b, Grid *g);
/* Scrolls so pos is visible. */
void render_hex_show(View *v, Buffer *b, size_t pos);
/* Scrolls by n rows (negative: up) without moving the cursor. */
void render_hex_scroll(View *v, Buffer *b, long n);
/* The hex view as a view mode (render.h): buffers in mode "hex" use it. */
extern const ViewOps render_hex_ops;
#endif
