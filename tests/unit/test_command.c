/* The command dispatch (command.c, editor.c): the table sorted and its
 * argument specs well formed, command lines resolved and checked before a
 * handler runs, key bindings' cached resolutions dropped when bindings,
 * commands or the mode change, errors named once by the dispatcher, and
 * buf_try_apply failing through errno without a message. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/editor.h"
#include "editor/keymap.h"
#include "tests/unit/tap.h"
#include "tests/unit/tested.h"
#include <errno.h>
#include <string.h>

static char last[1024];
static int nmsg;

static void capture(Editor *ed, const char *text, bool error)
{
	snprintf(last, sizeof last, "%s%s", error ? "E " : "I ", text);
	nmsg++;
}

static bool spec_ok(const Command *c)
{
	const char *s = c->spec;
	if (!s)
		return c->args[0] == '\0' && !(c->flags & CMD_REPEAT);
	if (!strcmp(s, "*"))
		return true;
	if ((c->flags & CMD_REPEAT) && strcmp(s, "n") != 0)
		return false; /* the dispatcher repeats only a count */
	bool optional = false;
	for (const char *p = s; *p; p++) {
		if (!strchr("nNiIwWrR", *p) || ((*p == 'r' || *p == 'R') && p[1]))
			return false;
		bool req = *p >= 'A' && *p <= 'Z';
		if (req && optional)
			return false; /* a required argument after an optional one */
		optional |= !req;
	}
	return c->args[0] != '\0';
}

static void test_table(void)
{
	bool sorted = true, specs = true;
	for (size_t i = 0; i < ncommands; i++) {
		if (i && strcmp(commands[i - 1].name, commands[i].name) >= 0) {
			diag("out of order: %s", commands[i].name);
			sorted = false;
		}
		if (!spec_ok(&commands[i])) {
			diag("bad spec: %s", commands[i].name);
			specs = false;
		}
	}
	ok(sorted, "the table is sorted by name");
	ok(specs, "every spec is well formed and agrees with the synopsis and CMD_REPEAT");
}

static CmdCall resolve(Editor *ed, const char *line)
{
	CmdCall c;
	command_resolve(ed, line, &c);
	return c;
}

static void test_resolve(Editor *ed, Buffer *b)
{
	CmdCall c = resolve(ed, "move-left 5 garbage");
	is_int(c.kind, CALL_BAD_ARGS, "move-left 5 garbage: bad arguments");
	is_str(c.why, "too many arguments: garbage", "... it says why");
	c = resolve(ed, "  :move-left 5");
	ok(c.kind == CALL_BUILTIN && c.count == 5, "move-left 5: a count of 5");
	is_str(resolve(ed, "align please").why, "takes no arguments: please", "align please: no arguments");
	is_str(resolve(ed, "move-down 0").why, "not a count from 1 to 1000000: 0", "a count starts at 1");
	is_str(resolve(ed, "goto").why, "missing LINE[:COL]|+N|-N|N%", "goto: its argument is required");
	is_str(resolve(ed, "sidebar-resize -x").why, "not a number: -x", "an integer argument");
	c = resolve(ed, "sidebar-resize -4");
	is_int(c.kind, CALL_BUILTIN, "sidebar-resize -4 is an integer");
	c = resolve(ed, "insert a  b ");
	ok(c.kind == CALL_BUILTIN && !strcmp(c.args, "a  b "), "the rest of the line, blanks kept");
	c = resolve(ed, "x/a/ d");
	ok(c.kind == CALL_BUILTIN && !strcmp(c.name, "structural") && !strcmp(c.args, "x/a/ d"), "x/a/ d: structural, the whole line");
	is_int(resolve(ed, "no-such-thing").kind, CALL_UNKNOWN, "an unknown name");
	is_int(resolve(ed, " : ").kind, CALL_NONE, "an empty line");

	unsigned gen = ed->cmd_gen;
	ok(command_note_lua(ed, "my-cmd", "") && ed->cmd_gen != gen, "a Lua command changes the generation");
	is_int(resolve(ed, "my-cmd any args").kind, CALL_LUA_GLOBAL, "a global Lua command");
	ok(command_note_lua(ed, "move-left", "demo"), "a mode command");
	is_int(resolve(ed, "move-left").kind, CALL_BUILTIN, "... in another mode: the built-in");
	snprintf(b->mode, sizeof b->mode, "demo");
	is_int(resolve(ed, "move-left 5 garbage").kind, CALL_LUA_MODE, "... in its mode: shadows the built-in (Lua checks its own arguments)");
	b->mode[0] = '\0';
	errno = 0;
	ok(!command_note_lua(ed, "x", "a-mode-name-too-long") && errno == ENAMETOOLONG, "a mode name too long: ENAMETOOLONG");
}

static const Binding *bound(Editor *ed, const char *keys)
{
	Key seq[KEYMAP_MAXSEQ];
	long n = keys_parse(keys, seq, KEYMAP_MAXSEQ, NULL);
	const Binding *bd = NULL;
	keymap_lookup(ed->keymap, "", seq, (int)n, &bd);
	return bd;
}

static size_t press(Editor *ed, const char *keys)
{
	Key seq[16];
	long n = keys_parse(keys, seq, 16, NULL);
	return ed_keys(ed, seq, (size_t)n);
}

static void test_cache(Editor *ed, Buffer *b)
{
	sel_reset(&b->sels, 0);
	keymap_bind(ed->keymap, "", "<C-k>z", "move-right 2", -1, NULL);
	is_int(bound(ed, "<C-k>z")->call_gen, 0, "a new binding is not resolved yet");
	is_size(press(ed, "<C-k>z"), 2, "the key runs");
	const Binding *bd = bound(ed, "<C-k>z");
	ok(bd->call_gen == ed->cmd_gen && bd->call.kind == CALL_BUILTIN && bd->call.count == 2, "... and keeps its resolution");
	is_size(b->sels.v[0].head, 2, "move-right 2 moved two");
	keymap_bind(ed->keymap, "", "<C-k>z", "move-left", -1, NULL);
	is_int(bound(ed, "<C-k>z")->call_gen, 0, "binding again drops the resolution");
	press(ed, "<C-k>z");
	is_size(b->sels.v[0].head, 1, "... and the key runs its new command");
	command_note_lua(ed, "another", "");
	ok(bound(ed, "<C-k>z")->call_gen != ed->cmd_gen, "a new Lua command makes it stale");
	press(ed, "<C-k>z");
	ok(bound(ed, "<C-k>z")->call_gen == ed->cmd_gen, "... and the next press resolves it again");
	keymap_bind(ed->keymap, "", "<C-k>z", "align please", -1, NULL);
	nmsg = 0;
	is_size(press(ed, "<C-k>z"), 1, "a binding with bad arguments fails (at the chord's second key)");
	is_str(last, "E align: usage: align (takes no arguments: please)", "... with the usage, named once");
	press(ed, "<C-k>z");
	is_int(nmsg, 2, "... every time it is pressed");
}

static void test_errors(Editor *ed, Buffer *b)
{
	ed_command(ed, "paste");
	is_str(last, "E paste: the clipboard is empty", "a handler's error gets its command's name");
	ed_command(ed, "find (");
	is_str(last, "E find: regex error at 1: missing closing parenthesis", "... once");
	msg_error(ed, "outside %s", "any command");
	is_str(last, "E outside any command", "an error outside a command stays bare");
	ed_command(ed, "redo");
	is_str(last, "I nothing to redo", "an info message stays bare");

	Edit e = {0, 0, "x", 1};
	b->readonly = true;
	nmsg = 0;
	unsigned long errs = ed->errors;
	errno = 0;
	ok(!buf_try_apply(b, &e, 1, TXN_PLAIN, PLACE_MAP) && errno == EPERM, "buf_try_apply on a read-only buffer: EPERM");
	ok(nmsg == 0 && ed->errors == errs, "... and no message");
	ok(!buf_apply(ed, b, &e, 1, TXN_PLAIN, PLACE_MAP), "buf_apply fails too");
	is_str(last, "E cmd is read-only", "... and says so, once");
	b->readonly = false;
	Edit bad = {99, 0, "x", 1};
	errno = 0;
	ok(!buf_try_apply(b, &bad, 1, TXN_PLAIN, PLACE_MAP) && errno == EINVAL, "an edit out of range: EINVAL");

	Text *t = text_new();
	CursorSet cs = {0};
	errno = 0;
	ok(!text_undo(t, &cs) && errno == ENOENT, "text_undo with nothing to undo: ENOENT");
	text_free(t);
}

int main(void)
{
	Buffer *b;
	Editor *ed = test_editor("cmd", capture, &b);
	text_insert(b->text, 0, "abcdef\nline two\n", 16);
	test_table();
	test_resolve(ed, b);
	test_cache(ed, b);
	test_errors(ed, b);
	ed_free(ed);
	return done_testing();
}
