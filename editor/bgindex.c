/* Background line counting (see bgindex.h): a repeating loop timer that
 * counts SLICE bytes per turn and stops itself when nothing is left. The
 * counting reads with pread (buffer/pages.c), so it leaves no file pages
 * resident. Hex views are not counted: lines mean nothing there. */
#include "editor/bgindex.h"
#include "editor/render_hex.h"
#include <stdlib.h>

#define SLICE (4u << 20)      /* bytes counted per turn: a millisecond or two */
#define EVERY_MS 1            /* turns this far apart, input served between */
#define SHOW_EVERY (64u << 20) /* the screen follows a long count this often */

typedef struct BgIndex {
	uint64_t timer;   /* 0: not running */
	size_t since;     /* bytes counted since the screen last heard */
	bool progress;
} BgIndex;

static bool has_work(const Buffer *b)
{
	return !render_hex_is_on(b) && !text_index_done(b->text);
}

/* The buffer to count next: the focused one first. */
static Buffer *next_buffer(Editor *ed)
{
	if (ed->cur && has_work(ed->cur))
		return ed->cur;
	for (Buffer *b = ed->bufs; b; b = b->next)
		if (has_work(b))
			return b;
	return NULL;
}

static void tick(void *arg)
{
	Editor *ed = arg;
	BgIndex *bi = ed->bgindex;
	Buffer *b = next_buffer(ed);
	if (!b) {
		loop_timer_cancel(ed->loop, bi->timer);
		bi->timer = 0;
		return;
	}
	size_t before = text_work(b->text).counted;
	bool done = text_index_step(b->text, SLICE);
	if (b != ed->cur)
		return;
	bi->since += text_work(b->text).counted - before;
	if (done || bi->since >= SHOW_EVERY) {
		bi->progress = true;
		bi->since = 0;
	}
}

void bgindex_kick(Editor *ed)
{
	BgIndex *bi = ed->bgindex;
	if (bi && bi->timer)
		return;
	if (!next_buffer(ed))
		return;
	if (!bi && !(bi = ed->bgindex = calloc(1, sizeof *bi)))
		return;
	bi->timer = loop_timer_add(ed->loop, EVERY_MS, true, tick, ed);
}

bool bgindex_take_progress(Editor *ed)
{
	BgIndex *bi = ed->bgindex;
	if (!bi || !bi->progress)
		return false;
	bi->progress = false;
	return true;
}

void bgindex_free(Editor *ed)
{
	BgIndex *bi = ed->bgindex;
	if (!bi)
		return;
	if (bi->timer)
		loop_timer_cancel(ed->loop, bi->timer);
	free(bi);
	ed->bgindex = NULL;
}
