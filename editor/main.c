/* brisk: options, wiring of the layers, and the two ways to run: the
 * terminal UI or headless (replay keys / run Lua, no terminal). */
#include "editor/editor.h"
#include "editor/command.h"
#include "lua/host.h"
#include <errno.h>
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
	"Keys: Ctrl-S save, Ctrl-Q quit, Ctrl-Z/Ctrl-Y undo/redo, Ctrl-C/X/V copy/cut/paste,\n"
	"Ctrl-F find, Ctrl-D add next occurrence, Ctrl-E command prompt, F1 help.\n"
	"Config: $XDG_CONFIG_HOME/brisk/init.lua (default ~/.config/brisk/init.lua).\n"
	"Plugin API: docs/api.md (installed: " BRISK_PREFIX "/share/doc/brisk/api.md); man brisk.\n";

typedef struct Options {
	bool headless, hex, log;
	const char *keys;
	const char *chunk;
	const char *script;
	char **files;
	int nfiles;
	char **script_args;
	int nscript_args;
	char **log_cmd;
	int nlog_cmd;
	long line;
} Options;

static void die_usage(const char *msg)
{
	fprintf(stderr, "brisk: %s\n%s", msg, usage);
	exit(2);
}

static Options parse_args(int argc, char **argv)
{
	Options o = {0};
	o.files = calloc((size_t)argc, sizeof *o.files);
	if (!o.files)
		exit(1);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			exit(0);
		} else if (strcmp(a, "--version") == 0 || strcmp(a, "-v") == 0) {
			printf("brisk %s\n", BRISK_VERSION);
			exit(0);
		} else if (strcmp(a, "--headless") == 0) {
			o.headless = true;
		} else if (strcmp(a, "--hex") == 0) {
			o.hex = true;
		} else if (strcmp(a, "--log") == 0) {
			o.log = true;
			if (i + 1 < argc && strcmp(argv[i + 1], "--") == 0) {
				o.log_cmd = argv + i + 2;
				o.nlog_cmd = argc - i - 2;
				if (o.nlog_cmd == 0)
					die_usage("--log -- needs a command");
				break;
			}
		} else if (strcmp(a, "--keys") == 0) {
			if (++i >= argc)
				die_usage("--keys needs an argument");
			o.keys = argv[i];
		} else if (strcmp(a, "-c") == 0) {
			if (++i >= argc)
				die_usage("-c needs an argument");
			o.chunk = argv[i];
		} else if (strcmp(a, "-l") == 0) {
			if (++i >= argc)
				die_usage("-l needs a script");
			o.script = argv[i];
			o.script_args = argv + i + 1;
			o.nscript_args = argc - i - 1;
			break;
		} else if (a[0] == '+' && a[1]) {
			char *end;
			o.line = strtol(a + 1, &end, 10);
			if (*end || o.line < 1)
				die_usage("+LINE needs a line number");
		} else if (strcmp(a, "--") == 0) {
			while (++i < argc)
				o.files[o.nfiles++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			char msg[256];
			snprintf(msg, sizeof msg, "unknown option: %s", a);
			die_usage(msg);
		} else {
			o.files[o.nfiles++] = argv[i];
		}
	}
	if ((o.keys || o.chunk || o.script) && !o.headless)
		die_usage("--keys, -c and -l need --headless");
	if (o.keys && (o.chunk || o.script))
		die_usage("use one of --keys, -c, -l");
	return o;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Runtime files next to the binary (a source tree), else under the prefix. */
static void find_runtime(Editor *ed)
{
	static char rt[PATH_MAX + 32], pl[PATH_MAX + 32];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *dir = dirname(exe);
		snprintf(rt, sizeof rt, "%s/lua/runtime", dir);
		snprintf(pl, sizeof pl, "%s/plugins", dir);
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

static bool open_files(Editor *ed, const Options *o)
{
	bool ok = true;
	for (int i = 0; i < o->nfiles; i++) {
		Buffer *b = ed_open(ed, o->files[i]);
		if (!b) {
			ok = false;
			continue;
		}
		if (o->hex)
			buf_set_mode(ed, b, "hex");
		else if (o->log) {
			b->readonly = true;
			b->text->record_undo = false;
			buf_set_mode(ed, b, "log");
		}
	}
	/* Focus the first file named. */
	for (Buffer *b = ed->bufs; b; b = b->next)
		if (b != ed->messages && !b->scratch) {
			ed_focus(ed, b);
			break;
		}
	if (!ed->cur || ed->cur == ed->messages)
		ed_focus(ed, ed_untitled(ed));
	if (o->log_cmd) {
		char *line = quote_args(o->log_cmd, o->nlog_cmd);
		if (line)
			ok = ed_command(ed, line) && ok;
		free(line);
	}
	if (o->line > 0) {
		char g[32];
		snprintf(g, sizeof g, "goto %ld", o->line);
		ed_command(ed, g);
	}
	return ok;
}

static int run_headless(Editor *ed, Blua *B, const Options *o)
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
	/* Wait for what is still pending (requests, children, timers). */
	while (!ed->quit && loop_pending(ed->loop) > 0)
		loop_run_once(ed->loop, 100);
	fflush(stdout);
	return ed->exit_status;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit fails a write (EFBIG: the save is undone) instead
	 * of killing brisk with unsaved changes. */
	signal(SIGXFSZ, SIG_IGN);
	Options o = parse_args(argc, argv);
	Editor *ed = ed_new(o.headless);
	if (!ed) {
		fprintf(stderr, "brisk: out of memory\n");
		return 1;
	}
	find_runtime(ed);
	Blua *B = blua_new(ed);
	if (!B) {
		fprintf(stderr, "brisk: cannot start Lua\n");
		return 1;
	}
	blua_load_config(B);
	int status;
	if (o.headless) {
		if (!open_files(ed, &o) && !o.chunk && !o.script) {
			ed_free(ed);
			return 1;
		}
		status = run_headless(ed, B, &o);
	} else {
		if (!isatty(0) && o.nfiles == 0)
			o.files[o.nfiles++] = "-";
		open_files(ed, &o);
		if (!ui_run) {
			fprintf(stderr, "brisk: built without the terminal UI\n");
			status = 1;
		} else {
			status = ui_run(ed);
		}
	}
	blua_free(B);
	ed_free(ed);
	free(o.files);
	return status;
}
