/* brisk: options, wiring of the layers, and the two ways to run: the
 * terminal UI or headless (replay keys / run Lua, no terminal). */
#include "editor/editor.h"
#include "editor/args.h"
#include "editor/term.h"
#include "buffer/search.h"
#include "buffer/utf8.h"
#include "editor/command.h"
#include "lua/host.h"
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BRISK_VERSION
#define BRISK_VERSION "0.1.0"
#endif
#ifndef BRISK_PREFIX
#define BRISK_PREFIX "/usr/local"
#endif

/* The terminal UI (editor/ui.c); weak so headless-only test builds link. */
int ui_run(Editor *ed) __attribute__((weak));

static const char usage[] =
	"usage: brisk [options] [+LINE] [FILE...]      edit files ('-' reads stdin)\n"
	"       brisk --hex FILE                       open in the hex view\n"
	"       brisk --log FILE | --log -- CMD...     open a log, or run a command and follow it\n"
	"       brisk --headless [--hex|--log] --keys 'KEYS' FILE   replay keys (vim notation), no UI\n"
	"       brisk --headless [--hex|--log] -c 'LUA' [FILE...]   run Lua against the loaded buffers\n"
	"       brisk --headless -l SCRIPT.lua [ARGS]  run a Lua script (arg table as in lua(1))\n"
	"       brisk --version | --help\n"
	"\n"
	"Options:\n"
	"  +LINE[:COL], +/PATTERN, +   start the next file at a line (and column), at the\n"
	"                              first match of a regex, or at its last line\n"
	"  FILE:LINE[:COL]             the same, as compilers and grep -n print it (a file\n"
	"                              that exists under the whole name is opened as named)\n"
	"  -R, --readonly              open the files read-only (no edits)\n"
	"  --clean                     start without init.lua, user plugins or saved state\n"
	"  --hex, --log                open the files in the hex view / the log viewer\n"
	"  --headless                  no terminal: run --keys, -c or -l, then exit\n"
	"  --keys KEYS, -c LUA, -l SCRIPT [ARGS...]   what --headless runs\n"
	"  --                          the end of the options: the rest are file names\n"
	"  -h, --help; -v, --version   this text; versions of brisk and its libraries\n"
	"\n"
	"Keys: Ctrl-S save, Ctrl-Q quit, Ctrl-Z/Ctrl-Y undo/redo, Ctrl-C/X/V copy/cut/paste,\n"
	"Ctrl-F find, Ctrl-D add next occurrence, Ctrl-E command prompt, F1 help.\n"
	"Config: $XDG_CONFIG_HOME/brisk/init.lua (default ~/.config/brisk/init.lua).\n"
	"Plugin API: docs/api.md (installed: " BRISK_PREFIX "/share/doc/brisk/api.md); man brisk.\n";

static void die_usage(const char *msg)
{
	msg_print(stderr, true, msg); /* may quote an argument: escaped */
	fputs(usage, stderr);
	exit(2);
}

static void print_lib(void *arg, const char *name, const char *version)
{
	printf("  %-9s %s\n", name, version);
}

/* --version: brisk's, then each library's as it runs (not as compiled). */
static void print_versions(void)
{
	char pcre[96];
	printf("brisk %s\n", BRISK_VERSION);
	search_lib_version(pcre, sizeof pcre);
	print_lib(NULL, "PCRE2", pcre);
	print_lib(NULL, "utf8proc", utf8_lib_version());
	print_lib(NULL, "curses", term_lib_version());
	blua_lib_versions(print_lib, NULL);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Runtime files next to the binary (a source tree), else in the tree it
 * was installed in (PREFIX/bin/brisk: PREFIX/share/brisk, wherever that
 * tree was copied: a DESTDIR, a moved prefix), else under the prefix. */
static void find_runtime(Editor *ed)
{
	static char rt[PATH_MAX + 32], pl[PATH_MAX + 32];
	static const char *const layouts[][2] = {
		{"lua/runtime", "plugins"},
		{"../share/brisk/runtime", "../share/brisk/plugins"},
	};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	const char *dir = dirname(exe);
	for (size_t i = 0; n > 0 && i < sizeof layouts / sizeof layouts[0]; i++) {
		snprintf(rt, sizeof rt, "%s/%s", dir, layouts[i][0]);
		snprintf(pl, sizeof pl, "%s/%s", dir, layouts[i][1]);
		if (is_dir(rt) && is_dir(pl)) {
			ed->runtime_dir = rt;
			ed->plugin_dir = pl;
			return;
		}
	}
	snprintf(rt, sizeof rt, "%s/share/brisk/runtime", BRISK_PREFIX);
	snprintf(pl, sizeof pl, "%s/share/brisk/plugins", BRISK_PREFIX);
	ed->runtime_dir = rt;
	ed->plugin_dir = pl;
}

/* "log-run" gets the command as one shell-quoted line. */
static char *quote_args(char **args, int n)
{
	size_t len = 16;
	for (int i = 0; i < n; i++)
		len += strlen(args[i]) * 4 + 3;
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	p += sprintf(p, "log-run");
	for (int i = 0; i < n; i++) {
		*p++ = ' ';
		*p++ = '\'';
		for (const char *q = args[i]; *q; q++) {
			if (*q == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *q;
			}
		}
		*p++ = '\'';
	}
	*p = '\0';
	return s;
}

/* The last line with text: a final newline ends it, starts none. */
static long last_line(const Text *t)
{
	size_t n = text_lines(t), len = text_len(t);
	if (n > 1 && text_byte(t, len - 1) == '\n')
		n--;
	return (long)n;
}

/* Puts b's cursor where the command line said: a line (and column), the
 * last line, or the first match of a pattern. b has the focus. */
static void go_to(Editor *ed, Buffer *b, const ArgPos *p)
{
	char cmd[64];
	if (p->pattern) {
		char *find = malloc(strlen(p->pattern) + 6);
		if (!find)
			return;
		sprintf(find, "find %s", p->pattern);
		ed_command(ed, find);
		free(find);
		return;
	}
	long line = p->line == ARGS_LAST_LINE ? last_line(b->text) : p->line;
	if (line <= 0)
		return;
	if (p->col > 0)
		snprintf(cmd, sizeof cmd, "goto %ld:%ld", line, p->col);
	else
		snprintf(cmd, sizeof cmd, "goto %ld", line);
	ed_command(ed, cmd);
}

static Buffer *open_file(Editor *ed, const Args *a, const ArgFile *f)
{
	Buffer *b = ed_open(ed, f->path);
	if (!b)
		return NULL;
	if (a->hex) {
		buf_set_mode(ed, b, "hex");
	} else if (a->log) {
		b->readonly = true;
		b->text->record_undo = false;
		buf_set_mode(ed, b, "log");
	}
	if (a->readonly)
		b->readonly = true;
	go_to(ed, b, &f->pos);
	return b;
}

static bool open_files(Editor *ed, const Args *a)
{
	bool ok = true;
	Buffer *first = NULL;
	for (int i = 0; i < a->nfiles; i++) {
		Buffer *b = open_file(ed, a, &a->files[i]);
		if (!first)
			first = b;
		ok = b && ok;
	}
	/* Focus the first file named, else a new empty buffer. */
	if (first)
		ed_focus(ed, first);
	if (!ed->cur || ed->cur == ed->messages || ed->cur->scratch)
		ed_focus(ed, ed_untitled(ed));
	if (a->log_cmd) {
		char *line = quote_args(a->log_cmd, a->nlog_cmd);
		if (line)
			ok = ed_command(ed, line) && ok;
		free(line);
	}
	return ok;
}

static int run_headless(Editor *ed, Blua *B, const Args *o)
{
	if (o->keys) {
		size_t cap = strlen(o->keys) + 1, errpos = 0;
		Key *keys = malloc(cap * sizeof *keys);
		long n = keys ? keys_parse(o->keys, keys, cap, &errpos) : -1;
		if (n < 0) {
			free(keys);
			msg_error(ed, "--keys: bad key name at byte %zu", errpos + 1);
			return 1;
		}
		size_t at = ed_keys(ed, keys, (size_t)n);
		if (at < (size_t)n) {
			char name[32];
			msg_error(ed, "--keys: key %zu of %ld (%s) failed; the replay stopped there: nothing after it ran",
			          at + 1, n, keys_name(keys[at], name, sizeof name));
		}
		free(keys);
	} else if (o->chunk) {
		blua_run_string(B, o->chunk, "=-c");
	} else if (o->script) {
		blua_run_file(B, o->script, o->nscript_args, o->script_args);
	}
	ed_reap(ed);
	/* Wait for what is still pending (requests, children, timers). */
	while (!ed->quit && loop_pending(ed->loop) > 0) {
		loop_run_once(ed->loop, 100);
		ed_reap(ed);
	}
	fflush(stdout);
	return ed->exit_status;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

/* --clean: Lua's config, data and state go to a private empty directory
 * (mode 0700), removed at exit. */
static char *make_clean_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = malloc(PATH_MAX);
	if (!dir)
		return NULL;
	snprintf(dir, PATH_MAX, "%s/brisk-clean.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "brisk: --clean: cannot make %s: %s\n", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

static void remove_clean_dir(char *dir)
{
	if (dir)
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

static int run(Editor *ed, Blua *B, Args *a)
{
	if (a->headless) {
		if (!open_files(ed, a) && !a->chunk && !a->script)
			return 1;
		return run_headless(ed, B, a);
	}
	/* `cmd | brisk`: the text comes from stdin, the keys from the tty. */
	if (!isatty(0) && a->nfiles == 0 && !a->log_cmd && !args_add_stdin(a)) {
		fprintf(stderr, "brisk: %s\n", a->error);
		return 1;
	}
	open_files(ed, a);
	if (!ui_run) {
		fprintf(stderr, "brisk: built without the terminal UI\n");
		return 1;
	}
	return ui_run(ed);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit fails a write (EFBIG: the save is undone) instead
	 * of killing brisk with unsaved changes. */
	signal(SIGXFSZ, SIG_IGN);
	Args a;
	if (!args_parse(&a, argc, argv))
		die_usage(a.error);
	if (a.action == ARGS_HELP) {
		fputs(usage, stdout);
		return 0;
	}
	if (a.action == ARGS_VERSION) {
		print_versions();
		return 0;
	}
	char *clean = a.clean ? make_clean_dir() : NULL;
	if (a.clean && !clean)
		return 1;
	Editor *ed = ed_new(a.headless);
	if (!ed) {
		fprintf(stderr, "brisk: out of memory\n");
		return 1;
	}
	ed->clean_dir = clean;
	find_runtime(ed);
	Blua *B = blua_new(ed);
	if (!B) {
		fprintf(stderr, "brisk: cannot start Lua\n");
		return 1;
	}
	blua_load_config(B);
	int status = run(ed, B, &a);
	blua_free(B);
	ed_free(ed);
	args_free(&a);
	remove_clean_dir(clean);
	return status;
}
