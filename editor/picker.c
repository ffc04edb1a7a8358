/* The plugin menu / prompt model (see picker.h). */
#include "editor/picker.h"
#include "editor/pane.h"
#include "buffer/utf8.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void free_items(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

void picker_free(Picker *pk)
{
	if (!pk)
		return;
	free_items(pk->items, pk->nitems);
	free(pk->shown);
	free(pk->title);
	free(pk->text);
	free(pk);
}

/* Case-insensitive (ASCII) substring test. */
static bool contains(const char *hay, const char *needle, size_t nlen)
{
	if (nlen == 0)
		return true;
	for (const char *h = hay; *h; h++) {
		size_t i = 0;
		while (i < nlen && h[i] && tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == nlen)
			return true;
	}
	return false;
}

/* Recomputes shown[]: a menu filters by the text; a prompt shows all of
 * its completions (the plugin filtered them). */
static void refilter(Picker *pk)
{
	pk->nshown = 0;
	for (size_t i = 0; i < pk->nitems; i++)
		if (pk->kind == PICK_PROMPT || contains(pk->items[i], pk->text, pk->len))
			pk->shown[pk->nshown++] = i;
	if (pk->sel >= pk->nshown)
		pk->sel = pk->nshown ? pk->nshown - 1 : 0;
	if (pk->top > pk->sel)
		pk->top = pk->sel;
}

bool picker_set_items(Picker *pk, const char *const *items, size_t n)
{
	char **ni = calloc(n ? n : 1, sizeof *ni);
	size_t *ns = calloc(n ? n : 1, sizeof *ns);
	if (!ni || !ns) {
		free(ni);
		free(ns);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (!(ni[i] = strdup(items[i] ? items[i] : ""))) {
			free_items(ni, i);
			free(ns);
			return false;
		}
	free_items(pk->items, pk->nitems);
	free(pk->shown);
	pk->items = ni;
	pk->nitems = n;
	pk->shown = ns;
	refilter(pk);
	return true;
}

static bool set_text(Picker *pk, const char *s, size_t len)
{
	if (len + 1 > pk->cap) {
		size_t nc = len + 64;
		char *nt = realloc(pk->text, nc);
		if (!nt)
			return false;
		pk->text = nt;
		pk->cap = nc;
	}
	memmove(pk->text, s, len);
	pk->text[len] = '\0';
	pk->len = len;
	return true;
}

bool picker_open(Editor *ed, int kind, const char *title, const char *text,
                 const char *const *items, size_t nitems, size_t selected, const PickerOps *ops)
{
	Picker *pk = calloc(1, sizeof *pk);
	if (!pk)
		return false;
	pk->kind = kind;
	pk->ops = *ops;
	pk->title = strdup(title ? title : "");
	if (!pk->title || !set_text(pk, text ? text : "", text ? strlen(text) : 0) ||
	    !picker_set_items(pk, items, nitems)) {
		picker_free(pk);
		return false;
	}
	picker_cancel(ed);
	if (ed->panes->picker) {
		/* The cancelled picker's owner opened another one: it stays. */
		picker_free(pk);
		return false;
	}
	pk->sel = selected < pk->nshown ? selected : 0;
	pk->fresh = kind == PICK_PROMPT && pk->len > 0;
	ed->panes->picker = pk;
	if (kind == PICK_PROMPT && pk->ops.complete)
		pk->ops.complete(pk->ops.ctx, pk->ops.ref, pk->text);
	return true;
}

/* Closes the picker, then reports (the hook may open another one). */
static void finish(Editor *ed, const char *text, long index)
{
	Picker *pk = ed->panes->picker;
	ed->panes->picker = NULL;
	char *copy = text ? strdup(text) : NULL;
	PickerOps ops = pk->ops;
	picker_free(pk);
	if (text && !copy)
		index = -1;
	if (ops.done)
		ops.done(ops.ctx, ops.ref, copy, index);
	free(copy);
}

void picker_cancel(Editor *ed)
{
	if (ed->panes->picker)
		finish(ed, NULL, -1);
}

const char *picker_row(const Picker *pk, size_t i)
{
	return i < pk->nshown ? pk->items[pk->shown[i]] : NULL;
}

static void changed(Picker *pk)
{
	if (pk->kind == PICK_MENU) {
		pk->sel = pk->top = 0;
		refilter(pk);
	} else if (pk->ops.complete) {
		pk->ops.complete(pk->ops.ctx, pk->ops.ref, pk->text);
	}
}

bool picker_type(Editor *ed, const char *s, size_t len)
{
	Picker *pk = ed->panes->picker;
	if (!pk)
		return false;
	/* One line: control bytes (a pasted newline) end the typed text. */
	size_t n = 0;
	while (n < len && (unsigned char)s[n] >= 0x20 && s[n] != 0x7f)
		n++;
	/* Typing over the selected pre-filled text replaces it. */
	if (pk->fresh)
		pk->len = 0;
	pk->fresh = false;
	char *tmp = malloc(pk->len + n + 1);
	if (!tmp)
		return true;
	memcpy(tmp, pk->text, pk->len);
	memcpy(tmp + pk->len, s, n);
	set_text(pk, tmp, pk->len + n);
	free(tmp);
	changed(pk);
	return true;
}

static void clear(Picker *pk)
{
	pk->fresh = false;
	set_text(pk, "", 0);
	changed(pk);
}

static void move_sel(Picker *pk, long delta)
{
	if (!pk->nshown)
		return;
	long s = (long)pk->sel + delta;
	if (s < 0)
		s = 0;
	if ((size_t)s >= pk->nshown)
		s = (long)pk->nshown - 1;
	pk->sel = (size_t)s;
	size_t rows = pk->rows > 0 ? (size_t)pk->rows : PICKER_MAX_ROWS;
	if (pk->sel < pk->top)
		pk->top = pk->sel;
	else if (pk->sel >= pk->top + rows)
		pk->top = pk->sel - rows + 1;
}

static void backspace(Picker *pk)
{
	if (pk->fresh) {
		clear(pk);
		return;
	}
	if (!pk->len)
		return;
	size_t i = pk->len - 1;
	while (i > 0 && ((unsigned char)pk->text[i] & 0xc0) == 0x80)
		i--;
	pk->len = i;
	pk->text[i] = '\0';
	changed(pk);
}


/* Tab in a prompt: the selected completion becomes the text. */
static void complete(Picker *pk)
{
	const char *c = picker_row(pk, pk->sel);
	if (!c)
		return;
	set_text(pk, c, strlen(c));
	changed(pk);
}

static void enter(Editor *ed)
{
	Picker *pk = ed->panes->picker;
	if (pk->kind == PICK_PROMPT) {
		finish(ed, pk->text, 0);
		return;
	}
	if (!pk->nshown)
		return; /* nothing matches: keep the menu open */
	size_t idx = pk->shown[pk->sel];
	finish(ed, pk->items[idx], (long)idx);
}

bool picker_key(Editor *ed, Key k)
{
	Picker *pk = ed->panes->picker;
	if (!pk)
		return false;
	size_t page = pk->rows > 0 ? (size_t)pk->rows : PICKER_MAX_ROWS;
	Key base = BK_BASE(k), mods = k & BK_MODS;
	if (keys_is_text(k)) {
		char buf[4];
		size_t n = utf8_encode(base, buf);
		return picker_type(ed, buf, n);
	}
	bool was_fresh = pk->fresh;
	pk->fresh = false; /* any other key keeps the text as it is */
	if (base == BK_ESC || (mods == BK_CTRL && (base == 'g' || base == 'c')))
		finish(ed, NULL, -1);
	else if (base == BK_ENTER)
		enter(ed);
	else if (base == BK_BS || (mods == BK_CTRL && base == 'h') || (base == BK_DEL && was_fresh)) {
		pk->fresh = was_fresh;
		backspace(pk);
	} else if (mods == BK_CTRL && base == 'u')
		clear(pk);
	else if (base == BK_UP || (mods == BK_CTRL && base == 'p') || (base == BK_TAB && mods == BK_SHIFT))
		move_sel(pk, -1);
	else if (base == BK_DOWN || (mods == BK_CTRL && base == 'n') || (base == BK_TAB && pk->kind == PICK_MENU))
		move_sel(pk, 1);
	else if (base == BK_TAB)
		complete(pk);
	else if (base == BK_PGUP)
		move_sel(pk, -(long)page);
	else if (base == BK_PGDN)
		move_sel(pk, (long)page);
	else if (base == BK_HOME && pk->kind == PICK_MENU)
		move_sel(pk, -(long)pk->nshown);
	else if (base == BK_END && pk->kind == PICK_MENU)
		move_sel(pk, (long)pk->nshown);
	return true; /* every key belongs to the picker while it is open */
}
