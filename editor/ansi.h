/* Ansi: terminal escape sequences inside text (coloured tool output in a
 * log). Finds them, so a view can hide them and a writer can drop them,
 * and reads SGR (Select Graphic Rendition) sequences as Styles. Bytes
 * only: no terminal, no buffer.
 *
 * A sequence starts with ESC (0x1b):
 *   CSI  ESC [ parameters (0x30-0x3f) intermediates (0x20-0x2f) final (0x40-0x7e)
 *   OSC  ESC ] ... ended by BEL or ST (ESC \); DCS, SOS, PM and APC
 *        (ESC P, X, ^, _) likewise
 *   else ESC intermediates (0x20-0x2f) final (0x30-0x7e), as ESC ( B
 * An ESC that does not start a complete one (cut at the end of the text,
 * or longer than ANSI_MAX_SEQ) is no sequence: it stays a control byte. */
#ifndef EDITOR_ANSI_H
#define EDITOR_ANSI_H
#include "editor/style.h"
#include <stddef.h>
#include <stdint.h>

#define ANSI_MAX_SEQ 512

/* Length of the sequence that starts at p (n bytes readable), 0 if p does
 * not start one. */
size_t ansi_seq_len(const char *p, size_t n);

/* Applies the SGR sequence seq (len bytes, as ansi_seq_len measured it) to
 * *st: 16, 256 and 24-bit colours (the nearest of the 256-colour palette),
 * bold, dim, italic, underline, reverse and their resets. False, and *st
 * unchanged, when seq is no SGR sequence. */
bool ansi_sgr(const char *seq, size_t len, Style *st);

/* A Style in 32 bits and back (a syntax function's lexing state). */
int32_t ansi_pack(Style st);
Style ansi_unpack(int32_t v);

/* Removes the sequences from s[0, n), in place or into out (out may be s;
 * it needs n bytes); returns the length left. */
size_t ansi_strip(const char *s, size_t n, char *out);

/* The same over a stream cut anywhere: feed it pieces in order; emit is
 * called with the bytes to keep. A sequence cut between two pieces is
 * held until the next one (ansi_stream_end flushes what is left). */
typedef struct AnsiStream {
	char held[ANSI_MAX_SEQ];
	size_t nheld;
} AnsiStream;
typedef bool (*AnsiEmit)(void *arg, const char *p, size_t n);
bool ansi_stream_feed(AnsiStream *as, const char *p, size_t n, AnsiEmit emit, void *arg);
bool ansi_stream_end(AnsiStream *as, AnsiEmit emit, void *arg);
#endif
