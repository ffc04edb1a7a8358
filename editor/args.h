/* Args: brisk's command line as data (options, and files with where to put
 * the cursor), for main.c. Parsing only; the one look at the disk is a
 * stat() that tells NAME:LINE from a file whose name ends in ":12". */
#ifndef EDITOR_ARGS_H
#define EDITOR_ARGS_H
#include <stdbool.h>
#include <stddef.h>

/* Where the cursor goes in a file opened from the command line. */
typedef struct ArgPos {
	long line;           /* 1-based; 0: not given; ARGS_LAST_LINE: "+" */
	long col;            /* 1-based display column; 0: not given */
	const char *pattern; /* "+/PATTERN": the first match (a regex), or NULL */
} ArgPos;

#define ARGS_LAST_LINE (-1L)

typedef struct ArgFile {
	char *path;          /* the name without its :LINE[:COL] (owned) */
	ArgPos pos;
} ArgFile;

typedef enum { ARGS_RUN, ARGS_HELP, ARGS_VERSION } ArgsAction;

typedef struct Args {
	ArgsAction action;
	bool headless, hex, log;
	bool readonly;       /* -R: every file opens read-only */
	bool clean;          /* --clean: no init.lua, user plugins, saved state */
	const char *keys, *chunk, *script;
	ArgFile *files;      /* in command-line order (owned) */
	int nfiles;
	size_t cap;
	char **script_args;  /* -l SCRIPT ARGS...: points into argv */
	int nscript_args;
	char **log_cmd;      /* --log -- CMD...: points into argv */
	int nlog_cmd;
	ArgPos pending;      /* a +POS no file followed yet */
	char error[256];     /* why args_parse() failed: one line */
} Args;

/* Parses argv into a (zeroed first). False on a usage error, explained in
 * a->error. A +POS applies to the file after it; one after the last file
 * goes to the first file (as in vim: `brisk notes.txt +12`), or stays
 * pending for the stdin buffer when no file is named. */
bool args_parse(Args *a, int argc, char **argv);
/* Adds "-" (stdin, when it is not a terminal and no file is named) with
 * the pending position. False when out of memory. */
bool args_add_stdin(Args *a);
void args_free(Args *a);

/* "+LINE", "+LINE:COL" (or nano's "+LINE,COL"), "+/PATTERN", "+": true
 * and *pos filled; false when s is none of these. */
bool args_parse_plus(const char *s, ArgPos *pos);
/* NAME:LINE[:COL] with an optional final ':' (what compilers and grep -n
 * print): true, *name_len = length of NAME and *pos filled; false when s
 * does not end so or NAME would be empty. Looks at no file. */
bool args_split_position(const char *s, size_t *name_len, ArgPos *pos);
#endif
