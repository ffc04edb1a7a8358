/* Colour names and "#rrggbb" -> the xterm 256-colour palette. */
#include "editor/style.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const basic[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The cube level (0-5) nearest to a channel value, as xterm spaces them
 * (0, 95, 135, 175, 215, 255). */
static int cube_level(int v)
{
	if (v < 48)
		return 0;
	if (v < 115)
		return 1;
	return (v - 35) / 40;
}

static int sq(int v) { return v * v; }

/* Nearest of the 6x6x6 cube and the 24 greys. */
static int rgb_index(int r, int g, int b)
{
	static const int lv[6] = {0, 95, 135, 175, 215, 255};
	int cr = cube_level(r), cg = cube_level(g), cb = cube_level(b);
	int cube = 16 + 36 * cr + 6 * cg + cb;
	int dcube = sq(lv[cr] - r) + sq(lv[cg] - g) + sq(lv[cb] - b);
	int avg = (r + g + b) / 3;
	int gi = avg > 238 ? 23 : (avg < 8 ? 0 : (avg - 8) / 10);
	int gv = 8 + 10 * gi;
	int dgrey = sq(gv - r) + sq(gv - g) + sq(gv - b);
	return dgrey < dcube ? 232 + gi : cube;
}

uint16_t style_rgb(int r, int g, int b)
{
	return STYLE_COLOR(rgb_index(r, g, b));
}

static bool parse_hex(const char *s, uint16_t *color)
{
	int v[6];
	if (strlen(s) != 7)
		return false;
	for (int i = 0; i < 6; i++)
		if ((v[i] = hexval(s[i + 1])) < 0)
			return false;
	*color = style_rgb(v[0] * 16 + v[1], v[2] * 16 + v[3], v[4] * 16 + v[5]);
	return true;
}

static bool parse_name(const char *s, uint16_t *color)
{
	bool bright = false;
	if (strncasecmp(s, "bright", 6) == 0) {
		bright = true;
		s += 6;
		if (*s == '-' || *s == '_')
			s++;
	}
	for (int i = 0; i < 8; i++)
		if (strcasecmp(s, basic[i]) == 0) {
			*color = STYLE_COLOR(i + (bright ? 8 : 0));
			return true;
		}
	if (!bright && (strcasecmp(s, "grey") == 0 || strcasecmp(s, "gray") == 0)) {
		*color = STYLE_COLOR(8);
		return true;
	}
	if (!bright && (strcasecmp(s, "default") == 0 || strcasecmp(s, "none") == 0)) {
		*color = 0;
		return true;
	}
	return false;
}

bool style_parse_color(const char *s, uint16_t *color)
{
	if (!s || !*s)
		return false;
	if (s[0] == '#')
		return parse_hex(s, color);
	if (s[0] >= '0' && s[0] <= '9') {
		char *end;
		long v = strtol(s, &end, 10);
		if (*end || v < 0 || v > 255)
			return false;
		*color = STYLE_COLOR(v);
		return true;
	}
	return parse_name(s, color);
}

Style style_merge(Style under, Style over)
{
	Style s = over;
	if (!s.fg)
		s.fg = under.fg;
	if (!s.bg)
		s.bg = under.bg;
	s.attr = (uint16_t)(under.attr | over.attr);
	return s;
}
