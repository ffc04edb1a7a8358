/* A big file is mapped, not read (buffer/source.h): another program that
 * cuts it short or writes into it changes the buffer's bytes under it.
 * mapped_check looks (the size and time of the mapped file, bytes lost to
 * a fault) and says it once per change: which bytes could not be read,
 * that the buffer will not be saved over the file (buffer/fileio.h,
 * FILEIO_ESOURCE), and how to get the file back. */
#ifndef EDITOR_MAPPED_H
#define EDITOR_MAPPED_H
#include "editor/editor.h"

/* True when something new was reported. */
bool mapped_check(Editor *ed, Buffer *b);
#endif
