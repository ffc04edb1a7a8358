/* Args: the command line as data. +LINE[:COL], +/PATTERN, +, FILE:LINE[:COL]
 * (only when no file has the whole name), `--` (the rest literally), -R,
 * --clean, --log -- CMD, -l SCRIPT ARGS, and the usage errors, each with
 * its one-line reason. Links editor/args.c alone. */
#include "editor/args.h"
#include "tests/unit/tap.h"
#include <fcntl.h>
#include <unistd.h>

#define ARGV(...) ((char *[]){"brisk", __VA_ARGS__, NULL})

/* args_parse over a NULL-terminated argv. */
static bool parse_v(Args *a, char **v)
{
	int n = 0;
	while (v[n])
		n++;
	return args_parse(a, n, v);
}
#define PARSE(a, ...) parse_v((a), ARGV(__VA_ARGS__))

static bool pos_is(ArgPos p, long line, long col, const char *pattern)
{
	if (p.line != line || p.col != col)
		return false;
	if (!pattern || !p.pattern)
		return pattern == p.pattern;
	return strcmp(p.pattern, pattern) == 0;
}

static void test_plus(void)
{
	ArgPos p;
	ok(args_parse_plus("+12", &p) && pos_is(p, 12, 0, NULL), "+12");
	ok(args_parse_plus("+12:7", &p) && pos_is(p, 12, 7, NULL), "+12:7");
	ok(args_parse_plus("+12,7", &p) && pos_is(p, 12, 7, NULL), "+12,7 (nano)");
	ok(args_parse_plus("+/foo bar", &p) && pos_is(p, 0, 0, "foo bar"), "+/PATTERN keeps spaces");
	ok(args_parse_plus("+", &p) && pos_is(p, ARGS_LAST_LINE, 0, NULL), "+ alone: the last line");
	ok(!args_parse_plus("+0", &p), "+0 is no line");
	ok(!args_parse_plus("+x", &p), "+x is no line");
	ok(!args_parse_plus("+12:", &p), "+12: has no column");
	ok(!args_parse_plus("+12:0", &p), "+12:0 has no column");
	ok(!args_parse_plus("+/", &p), "+/ has no pattern");
	ok(!args_parse_plus("+1234567890", &p), "+ with 10 digits is refused, not wrapped");
	ok(!args_parse_plus("12", &p), "no +");
}

static void test_split(void)
{
	ArgPos p;
	size_t n = 0;
	ok(args_split_position("main.c:12", &n, &p) && n == 6 && pos_is(p, 12, 0, NULL), "main.c:12");
	ok(args_split_position("main.c:12:5", &n, &p) && n == 6 && pos_is(p, 12, 5, NULL), "main.c:12:5");
	ok(args_split_position("main.c:12:5:", &n, &p) && n == 6 && pos_is(p, 12, 5, NULL), "main.c:12:5: (gcc)");
	ok(args_split_position("main.c:12:", &n, &p) && n == 6 && pos_is(p, 12, 0, NULL), "main.c:12: (grep -n)");
	ok(args_split_position("a:b:3", &n, &p) && n == 3 && pos_is(p, 3, 0, NULL), "colons inside the name stay");
	ok(args_split_position("x:1:2:3", &n, &p) && n == 3 && pos_is(p, 2, 3, NULL), "at most two numbers");
	ok(args_split_position("1:2", &n, &p) && n == 1 && pos_is(p, 2, 0, NULL), "a name made of digits");
	ok(!args_split_position(":12", &n, &p), "no name");
	ok(!args_split_position("main.c", &n, &p), "no position");
	ok(!args_split_position("main.c:", &n, &p), "a colon alone");
	ok(!args_split_position("main.c:0", &n, &p), "line 0");
	ok(!args_split_position("main.c:x", &n, &p), "not a number");
	ok(!args_split_position("main.c:12:0", &n, &p), "column 0");
}

static void test_files(const char *dir)
{
	Args a;
	ok(PARSE(&a, "a.txt", "+3", "b.txt", "c.txt:7:2") && a.nfiles == 3, "three files");
	ok(!strcmp(a.files[0].path, "a.txt") && pos_is(a.files[0].pos, 0, 0, NULL), "a.txt: no position");
	ok(!strcmp(a.files[1].path, "b.txt") && pos_is(a.files[1].pos, 3, 0, NULL), "+3 goes to the next file");
	ok(!strcmp(a.files[2].path, "c.txt") && pos_is(a.files[2].pos, 7, 2, NULL), "c.txt:7:2 split");
	args_free(&a);

	ok(PARSE(&a, "a.txt", "+/main", "+9") && a.nfiles == 1 && pos_is(a.files[0].pos, 9, 0, NULL),
	   "after the last file: the last +POS goes to the first file (vim)");
	args_free(&a);
	ok(PARSE(&a, "+5", "a.txt:2") && pos_is(a.files[0].pos, 2, 0, NULL), "FILE:LINE wins over a +POS before it");
	args_free(&a);
	ok(PARSE(&a, "+5") && a.nfiles == 0 && pos_is(a.pending, 5, 0, NULL), "no file: the position waits");
	ok(args_add_stdin(&a) && a.nfiles == 1 && !strcmp(a.files[0].path, "-") && pos_is(a.files[0].pos, 5, 0, NULL),
	   "... for the stdin buffer");
	args_free(&a);

	/* A file whose whole name has the colon is opened as named. */
	char path[512];
	snprintf(path, sizeof path, "%s/notes:12", dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ok(PARSE(&a, path) && !strcmp(a.files[0].path, path) && pos_is(a.files[0].pos, 0, 0, NULL),
	   "an existing 'notes:12' is that file");
	args_free(&a);
	snprintf(path, sizeof path, "%s/notes:12:3", dir);
	ok(PARSE(&a, path) && strlen(a.files[0].path) == strlen(path) - 5 && pos_is(a.files[0].pos, 12, 3, NULL),
	   "'notes:12:3' (missing) is notes at 12:3");
	args_free(&a);
	snprintf(path, sizeof path, "%s/notes:12", dir);
	unlink(path);

	ok(PARSE(&a, "--", "-R", "+3", "x.c:4") && a.nfiles == 3 && !a.readonly, "after --: three names");
	ok(!strcmp(a.files[0].path, "-R") && !strcmp(a.files[1].path, "+3") && !strcmp(a.files[2].path, "x.c:4") &&
	   pos_is(a.files[2].pos, 0, 0, NULL), "taken literally");
	args_free(&a);
}

static void test_options(void)
{
	Args a;
	ok(PARSE(&a, "-R", "--clean", "f") && a.readonly && a.clean && a.nfiles == 1, "-R --clean");
	args_free(&a);
	ok(PARSE(&a, "--readonly", "f") && a.readonly, "--readonly");
	args_free(&a);
	ok(PARSE(&a, "--version", "--bogus") && a.action == ARGS_VERSION, "--version stops at once");
	args_free(&a);
	ok(PARSE(&a, "-h") && a.action == ARGS_HELP, "-h");
	args_free(&a);
	ok(PARSE(&a, "--log", "--", "make", "-j2") && a.log && a.nlog_cmd == 2 && !strcmp(a.log_cmd[1], "-j2"),
	   "--log -- CMD ARGS: the rest is the command");
	args_free(&a);
	ok(PARSE(&a, "--headless", "-l", "s.lua", "-R", "x") && a.nscript_args == 2 && !a.readonly,
	   "-l SCRIPT: the rest are its arguments");
	args_free(&a);
	ok(PARSE(&a, "--headless", "--keys", "<C-s>", "f") && !strcmp(a.keys, "<C-s>"), "--keys KEYS");
	args_free(&a);
	ok(PARSE(&a, "-") && a.nfiles == 1 && !strcmp(a.files[0].path, "-"), "'-' is stdin");
	args_free(&a);
}

static void fails(const char *want, char **argv)
{
	Args a;
	bool parsed = parse_v(&a, argv);
	ok(!parsed && strstr(a.error, want), "%s %s: '%s'", argv[1], argv[2] ? argv[2] : "", a.error);
	args_free(&a);
}

static void test_errors(void)
{
	fails("unknown option: -x", ARGV("-x"));
	fails("use +LINE", ARGV("+abc", "f"));
	fails("needs an argument", ARGV("--headless", "-c"));
	fails("needs a script", ARGV("--headless", "-l"));
	fails("needs a command", ARGV("--log", "--"));
	fails("need --headless", ARGV("-c", "x"));
	fails("use one of", ARGV("--headless", "--keys", "a", "-c", "x"));
	fails("only once", ARGV("-", "-"));
}

int main(void)
{
	char dir[] = "/tmp/brisk-test-args.XXXXXX";
	if (!mkdtemp(dir))
		BAIL_OUT("mkdtemp");
	test_plus();
	test_split();
	test_files(dir);
	test_options();
	test_errors();
	rmdir(dir);
	return done_testing();
}
