/* Input: raw terminal bytes -> key, paste and mouse events. Parses xterm
 * CSI/SS3 sequences (with modifiers, Home/End variants, kitty/modifyOtherKeys
 * forms), Alt as an ESC prefix (a lone ESC is resolved after a short timeout
 * on the loop), UTF-8 text, bracketed paste (collected whole and delivered
 * as one event) and SGR mouse reports. Knows no terminal library. */
#ifndef EDITOR_INPUT_H
#define EDITOR_INPUT_H
#include "editor/keys.h"
#include "editor/loop.h"
#include <stdbool.h>
#include <stddef.h>

#define INPUT_ESC_TIMEOUT_MS 25

typedef enum { IN_KEY, IN_PASTE, IN_MOUSE, IN_FOCUS } InKind;

enum {
	MOUSE_PRESS,
	MOUSE_DRAG,
	MOUSE_RELEASE,
	MOUSE_WHEEL_UP,
	MOUSE_WHEEL_DOWN,
};

typedef struct InEvent {
	InKind kind;
	Key key;          /* IN_KEY */
	const char *text; /* IN_PASTE: valid during the callback only */
	size_t len;
	int action;       /* IN_MOUSE: MOUSE_* */
	int button;       /* IN_MOUSE: 0 left, 1 middle, 2 right */
	int x, y;         /* IN_MOUSE: 0-based cell */
	Key mods;         /* IN_MOUSE: BK_SHIFT | BK_ALT | BK_CTRL */
	bool focus_in;    /* IN_FOCUS */
} InEvent;

typedef void (*InputFn)(void *ctx, const InEvent *ev);
typedef struct Input Input;

/* loop may be NULL (then a lone ESC waits for input_flush()). */
Input *input_new(Loop *loop, InputFn fn, void *ctx);
void input_free(Input *in);
/* Feeds bytes as read; complete events are delivered at once, an
 * incomplete tail waits for more bytes or the ESC timeout. */
void input_feed(Input *in, const char *buf, size_t len);
/* Resolves what is pending as if the timeout had passed. */
void input_flush(Input *in);
/* True while a bracketed paste is being collected. */
bool input_in_paste(const Input *in);
#endif
