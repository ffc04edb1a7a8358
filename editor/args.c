/* Args: the command line as data. Conventions users bring from vim, nano,
 * micro and helix: FILE:LINE[:COL] (what compilers, grep -n and tracebacks
 * print), +LINE[:COL], +/PATTERN, -R, --clean, `--` ends the options. */
#include "editor/args.h"
#include "buffer/array.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool fail(Args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(Args *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->error, sizeof a->error, fmt, ap);
	va_end(ap);
	return false;
}

/* A positive decimal number of at most 9 digits at *s; advances *s. */
static bool number(const char **s, long *out)
{
	const char *p = *s;
	long v = 0;
	while (*p >= '0' && *p <= '9' && p - *s < 9)
		v = v * 10 + (*p++ - '0');
	if (p == *s || (*p >= '0' && *p <= '9') || v < 1)
		return false;
	*s = p;
	*out = v;
	return true;
}

/* "LINE" or "LINE<sep>COL", the whole of s. */
static bool line_col(const char *s, const char *seps, ArgPos *pos)
{
	ArgPos p = {0};
	if (!number(&s, &p.line))
		return false;
	if (*s && strchr(seps, *s)) {
		s++;
		if (!number(&s, &p.col))
			return false;
	}
	if (*s)
		return false;
	*pos = p;
	return true;
}

bool args_parse_plus(const char *s, ArgPos *pos)
{
	if (s[0] != '+')
		return false;
	if (s[1] == '\0') {
		*pos = (ArgPos){.line = ARGS_LAST_LINE};
		return true;
	}
	if (s[1] == '/') {
		if (!s[2])
			return false;
		*pos = (ArgPos){.pattern = s + 2};
		return true;
	}
	return line_col(s + 1, ":,", pos);
}

bool args_split_position(const char *s, size_t *name_len, ArgPos *pos)
{
	size_t n = strlen(s);
	if (n && s[n - 1] == ':')
		n--; /* "file.c:12:5:" as gcc prints it */
	/* Back over one or two ":NUMBER" groups; NAME stays non-empty. */
	size_t i = n;
	for (int groups = 0; groups < 2; groups++) {
		size_t j = i;
		while (j > 0 && s[j - 1] >= '0' && s[j - 1] <= '9')
			j--;
		if (j == i || j < 2 || s[j - 1] != ':')
			break;
		i = j - 1;
	}
	char tail[32];
	if (i == n || n - i - 1 >= sizeof tail)
		return false;
	memcpy(tail, s + i + 1, n - i - 1);
	tail[n - i - 1] = '\0';
	if (!line_col(tail, ":", pos))
		return false;
	*name_len = i;
	return true;
}

static bool add_file(Args *a, const char *name, size_t len, ArgPos pos)
{
	if (!ARRAY_RESERVE(a->files, a->cap, (size_t)a->nfiles + 1))
		return fail(a, "%s", strerror(ENOMEM));
	char *path = strndup(name, len);
	if (!path)
		return fail(a, "%s", strerror(ENOMEM));
	/* A +POS before the file applies to it unless it names its own. */
	if (!pos.line && !pos.pattern) {
		pos = a->pending;
		a->pending = (ArgPos){0};
	}
	a->files[a->nfiles++] = (ArgFile){path, pos};
	return true;
}

/* A file argument: an existing file is taken as named; otherwise a
 * NAME:LINE[:COL] ending is the position in NAME. */
static bool file_arg(Args *a, const char *s, bool literal)
{
	struct stat st;
	size_t len;
	ArgPos pos = {0};
	if (literal || strcmp(s, "-") == 0 || stat(s, &st) == 0 || !args_split_position(s, &len, &pos))
		return add_file(a, s, strlen(s), (ArgPos){0});
	return add_file(a, s, len, pos);
}

static bool needs(Args *a, int *i, int argc, char **argv, const char **out, const char *what)
{
	if (*i + 1 >= argc)
		return fail(a, "%s needs %s", argv[*i], what);
	*out = argv[++*i];
	return true;
}

/* One option at argv[*i]; may consume what follows. *stop ends the scan. */
static bool option(Args *a, int *i, int argc, char **argv, bool *stop)
{
	const char *o = argv[*i];
	if (!strcmp(o, "--help") || !strcmp(o, "-h"))
		a->action = ARGS_HELP;
	else if (!strcmp(o, "--version") || !strcmp(o, "-v"))
		a->action = ARGS_VERSION;
	else if (!strcmp(o, "--headless"))
		a->headless = true;
	else if (!strcmp(o, "--hex"))
		a->hex = true;
	else if (!strcmp(o, "-R") || !strcmp(o, "--readonly"))
		a->readonly = true;
	else if (!strcmp(o, "--clean"))
		a->clean = true;
	else if (!strcmp(o, "--keys"))
		return needs(a, i, argc, argv, &a->keys, "an argument");
	else if (!strcmp(o, "-c"))
		return needs(a, i, argc, argv, &a->chunk, "an argument");
	else if (!strcmp(o, "-l")) {
		if (!needs(a, i, argc, argv, &a->script, "a script"))
			return false;
		a->script_args = argv + *i + 1;
		a->nscript_args = argc - *i - 1;
		*stop = true;
	} else if (!strcmp(o, "--log")) {
		a->log = true;
		/* --log -- CMD ARGS...: the rest is the command. */
		if (*i + 1 < argc && !strcmp(argv[*i + 1], "--")) {
			a->log_cmd = argv + *i + 2;
			a->nlog_cmd = argc - *i - 2;
			if (a->nlog_cmd == 0)
				return fail(a, "--log -- needs a command");
			*stop = true;
		}
	} else {
		return fail(a, "unknown option: %s", o);
	}
	return true;
}

static bool check(Args *a)
{
	int nstdin = 0;
	for (int i = 0; i < a->nfiles; i++)
		nstdin += !strcmp(a->files[i].path, "-");
	if (nstdin > 1)
		return fail(a, "'-' (standard input) can be read only once");
	if ((a->keys || a->chunk || a->script) && !a->headless)
		return fail(a, "--keys, -c and -l need --headless");
	if (a->keys && (a->chunk || a->script))
		return fail(a, "use one of --keys, -c, -l");
	/* `brisk notes.txt +12`: a position after the last file, as in vim. */
	if ((a->pending.line || a->pending.pattern) && a->nfiles > 0 && !a->files[0].pos.line && !a->files[0].pos.pattern) {
		a->files[0].pos = a->pending;
		a->pending = (ArgPos){0};
	}
	return true;
}

bool args_parse(Args *a, int argc, char **argv)
{
	*a = (Args){0};
	bool literal = false, stop = false;
	for (int i = 1; i < argc && !stop; i++) {
		const char *s = argv[i];
		bool ok;
		if (literal)
			ok = file_arg(a, s, true);
		else if (!strcmp(s, "--"))
			ok = literal = true;
		else if (s[0] == '+')
			ok = args_parse_plus(s, &a->pending) || fail(a, "%s: use +LINE, +LINE:COL or +/PATTERN", s);
		else if (s[0] == '-' && s[1])
			ok = option(a, &i, argc, argv, &stop);
		else
			ok = file_arg(a, s, false);
		if (!ok)
			return false;
		if (a->action != ARGS_RUN)
			return true;
	}
	return check(a);
}

bool args_add_stdin(Args *a)
{
	return add_file(a, "-", 1, (ArgPos){0});
}

void args_free(Args *a)
{
	for (int i = 0; i < a->nfiles; i++)
		free(a->files[i].path);
	free(a->files);
	a->files = NULL;
	a->nfiles = a->cap = 0;
}
