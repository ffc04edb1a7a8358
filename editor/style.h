/* Style: the colours and attributes plugins give to pane text and buffer
 * decorations (foreground, background from a 256-colour palette, bold,
 * underline, reverse, dim, italic), and colour names parsed without Lua.
 * term.c maps them to what the terminal has (8, 16 or 256 colours). */
#ifndef EDITOR_STYLE_H
#define EDITOR_STYLE_H
#include <stdbool.h>
#include <stdint.h>

/* Attribute bits. */
enum {
	ST_BOLD = 1 << 0,
	ST_UNDERLINE = 1 << 1,
	ST_REVERSE = 1 << 2,
	ST_DIM = 1 << 3,
	ST_ITALIC = 1 << 4,
};

/* A colour is 0 for "the terminal's default", else 1 + a palette index
 * (0-7 the basic colours, 8-15 their bright forms, 16-255 xterm's cube
 * and grey ramp). */
#define STYLE_COLOR(idx) ((uint16_t)((idx) + 1))
#define STYLE_INDEX(c) ((int)(c) - 1)

typedef struct Style {
	uint16_t fg, bg;
	uint16_t attr; /* ST_* */
} Style;

/* Parses "red", "bright-blue" (or "brightblue"), "grey"/"gray", "default",
 * "#rrggbb" (nearest palette colour) or a decimal index "0".."255" into
 * *color. False on anything else. */
bool style_parse_color(const char *s, uint16_t *color);
/* The palette colour nearest to a 24-bit one (channels 0-255). */
uint16_t style_rgb(int r, int g, int b);
/* Fills in what `over` leaves unset (colour 0) from `under`; attributes
 * add up. */
Style style_merge(Style under, Style over);
static inline bool style_is_plain(Style s) { return !s.fg && !s.bg && !s.attr; }
#endif
