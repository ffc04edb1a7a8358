/* SysClip: the desktop's clipboard, beside brisk's own (per-cursor) one.
 * Copies go out through OSC 52 (the terminal passes them to the desktop,
 * over ssh and through tmux too) and through wl-copy or xclip/xsel when a
 * display is there; a paste reads wl-paste or xclip/xsel. The mode is the
 * `set clipboard` setting. */
#ifndef EDITOR_SYSCLIP_H
#define EDITOR_SYSCLIP_H
#include "editor/editor.h"

typedef enum {
	SYSCLIP_AUTO,     /* UI: terminal and external; headless: internal */
	SYSCLIP_TERMINAL, /* OSC 52 only (copy; the terminal's paste key pastes) */
	SYSCLIP_EXTERNAL, /* wl-copy/wl-paste, xclip or xsel only */
	SYSCLIP_INTERNAL, /* brisk's own clipboard only */
} SysclipMode;

/* `set clipboard NAME`: false for an unknown name. */
bool sysclip_set_mode(Editor *ed, const char *name);
const char *sysclip_mode_name(const Editor *ed);
/* Gives text to the desktop, as the mode says. A tool that fails or hangs
 * (killed after a second) is reported as a message; nothing is lost. */
void sysclip_copy(Editor *ed, const char *s, size_t len);
/* The desktop's clipboard text (malloc'd, *len set) when the mode allows
 * a tool and one can read it; NULL otherwise (no display, no tool, empty). */
char *sysclip_paste(Editor *ed, size_t *len);
/* The tool the mode would use now ("wl-copy", "xclip", "xsel"), or NULL. */
const char *sysclip_tool(const Editor *ed);
#endif
