/* Keys: one 32-bit code per key press (a Unicode character or a special
 * key, plus modifier bits) and the vim-notation parser shared by keymaps,
 * --keys, brisk.keys() and tests: <C-s> <M-x> <S-Up> <C-End> <Esc> <CR>. */
#ifndef EDITOR_KEYS_H
#define EDITOR_KEYS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t Key;

#define BK_SHIFT (1u << 29)
#define BK_ALT   (1u << 30)
#define BK_CTRL  (1u << 31)
#define BK_MODS  (BK_SHIFT | BK_ALT | BK_CTRL)
#define BK_BASE(k) ((k) & ~BK_MODS)

/* Special keys live above the Unicode range. */
enum {
	BK_SPECIAL = 0x110000,
	BK_ENTER = BK_SPECIAL, BK_TAB, BK_BS, BK_ESC, BK_DEL, BK_INS,
	BK_UP, BK_DOWN, BK_LEFT, BK_RIGHT, BK_HOME, BK_END, BK_PGUP, BK_PGDN,
	BK_F1, BK_F2, BK_F3, BK_F4, BK_F5, BK_F6, BK_F7, BK_F8, BK_F9, BK_F10, BK_F11, BK_F12,
	BK_PASTE_START, BK_PASTE_END, BK_MOUSE, BK_RESIZE, BK_FOCUS_IN, BK_FOCUS_OUT,
	BK_NONE,
};

/* Parses keys in vim notation into out (at most max); returns the count,
 * or -1 with *errpos set on a malformed <...> (unknown names are errors).
 * Plain characters are UTF-8; "<lt>" is '<'. */
long keys_parse(const char *s, Key *out, size_t max, size_t *errpos);
/* Parses exactly one key ("<C-s>", "a", "<M-S-Up>"); false if not one. */
bool keys_parse_one(const char *s, Key *k);
/* Writes a key in vim notation; returns out. */
char *keys_name(Key k, char *out, size_t size);
/* The names of n keys one after another ("<C-k>s"), cut to fit size;
 * returns out. */
char *keys_seq_name(const Key *seq, size_t n, char *out, size_t size);
/* True for a key that types its character (no Ctrl/Alt, not special). */
bool keys_is_text(Key k);
#endif
