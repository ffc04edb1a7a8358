/* The command table, sorted by name for binary search (a unit test checks
 * the order), and lookup/completion. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/recover.h"
#include "editor/ui.h"
#include "buffer/array.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E CMD_EDITS
#define T (CMD_EDITS | CMD_TYPING)
#define G CMD_KEEPS_GOAL
#define R CMD_REPEAT
const Command commands[] = {
	{"add-cursor-above", cmd_add_cursor_above, "", "add a cursor on the line above (goal column kept)", G, NULL},
	{"add-cursor-below", cmd_add_cursor_below, "", "add a cursor on the line below (goal column kept)", G, NULL},
	{"add-next-occurrence", cmd_add_next_occurrence, "", "select the word, then add a cursor at its next occurrence", 0, NULL},
	{"align", cmd_align, "", "pad with spaces so the cursors stand in one column", E, NULL},
	{"buffer-close", cmd_buffer_close, "", "close the buffer (asks if modified)", 0, NULL},
	{"buffer-next", cmd_buffer_next, "", "switch to the next buffer", 0, NULL},
	{"buffer-prev", cmd_buffer_prev, "", "switch to the previous buffer", 0, NULL},
	{"collapse-selections", cmd_collapse_selections, "", "keep only the primary cursor", 0, NULL},
	{"column-mark", cmd_column_mark, "", "start (or end) a column (box) mark: arrows extend it", 0, NULL},
	{"command-prompt", cmd_command_prompt, "[TEXT]", "open the command prompt (Tab completes, Up/Down: history)", 0, "r"},
	{"copy", cmd_copy, "", "copy the selections (a line per cursor when none)", 0, NULL},
	{"cut", cmd_cut, "", "cut the selections (a line per cursor when none)", E, NULL},
	{"delete-back", cmd_delete_back, "[N]", "delete the character before each cursor", T | R, "n"},
	{"delete-forward", cmd_delete_forward, "[N]", "delete the character after each cursor", T | R, "n"},
	{"delete-word-back", cmd_delete_word_back, "[N]", "delete the word before each cursor", E | R, "n"},
	{"delete-word-forward", cmd_delete_word_forward, "[N]", "delete the word after each cursor", E | R, "n"},
	{"drop-regex", cmd_drop_regex, "RE", "drop the selections that match RE", 0, "R"},
	{"drop-regex-prompt", cmd_drop_regex_prompt, "", "ask for a regex, drop the selections that match", 0, NULL},
	{"duplicate-line", cmd_duplicate_line, "", "duplicate the lines of each cursor", E, NULL},
	{"find", cmd_find, "[RE]", "search forward for a regex", 0, "r"},
	{"find-all-as-cursors", cmd_find_all_as_cursors, "[RE]", "a cursor on every match of the search", 0, "r"},
	{"find-next", cmd_find_next, "", "next match of the last search", 0, NULL},
	{"find-prev", cmd_find_prev, "", "previous match of the last search", 0, NULL},
	{"find-prompt", cmd_find_prompt, "[TEXT]", "incremental search (M-r regex, M-c case, C-n/C-p next/prev)", 0, "r"},
	{"goto", cmd_goto_line, "LINE[:COL]|+N|-N|N%", "go to a line (and 1-based column), N lines down/up, N% through the file", 0, "W"},
	{"goto-matching-bracket", cmd_goto_matching_bracket, "", "jump to the matching bracket", 0, NULL},
	{"goto-prompt", cmd_goto_prompt, "", "ask for a line and go there", 0, NULL},
	{"help", cmd_help, "", "show the key bindings and commands", 0, NULL},
	{"indent", cmd_indent, "", "indent the selected lines", E, NULL},
	{"indent-or-tab", cmd_indent_or_tab, "", "indent selected lines, else insert a tab", T, NULL},
	{"insert", cmd_insert, "TEXT", "type TEXT at every cursor", T, "R"},
	{"insert-sequence", cmd_insert_sequence, "[START [STEP [FORMAT]]]", "insert start, start+step, ... at the cursors (printf FORMAT)", E, "*"},
	{"insert-sequence-prompt", cmd_insert_sequence_prompt, "", "ask for START STEP FORMAT, insert the sequence", 0, NULL},
	{"keep-regex", cmd_keep_regex, "RE", "keep the selections that match RE", 0, "R"},
	{"keep-regex-prompt", cmd_keep_regex_prompt, "", "ask for a regex, keep the selections that match", 0, NULL},
	{"lower-case", cmd_lower_case, "", "lower-case the selections (or words)", E, NULL},
	{"macro-play", cmd_macro_play, "[COUNT]", "play the recorded keystroke macro COUNT times", G, "n"},
	{"macro-record", cmd_macro_record, "", "start recording a keystroke macro (again: stop)", 0, NULL},
	{"macro-stop", cmd_macro_stop, "", "stop recording the keystroke macro", 0, NULL},
	{"move-buffer-end", cmd_move_buffer_end, "", "go to the end of the buffer", 0, NULL},
	{"move-buffer-start", cmd_move_buffer_start, "", "go to the start of the buffer", 0, NULL},
	{"move-down", cmd_move_down, "[N]", "move down a line", G | R, "n"},
	{"move-end", cmd_move_end, "", "go to the end of the line", 0, NULL},
	{"move-home", cmd_move_home, "", "go to the first non-blank, then the line start", 0, NULL},
	{"move-left", cmd_move_left, "[N]", "move left a character", R, "n"},
	{"move-lines-down", cmd_move_lines_down, "", "move the lines of each cursor down", E, NULL},
	{"move-lines-up", cmd_move_lines_up, "", "move the lines of each cursor up", E, NULL},
	{"move-right", cmd_move_right, "[N]", "move right a character", R, "n"},
	{"move-up", cmd_move_up, "[N]", "move up a line", G | R, "n"},
	{"move-word-left", cmd_move_word_left, "[N]", "move to the previous word", R, "n"},
	{"move-word-right", cmd_move_word_right, "[N]", "move to the next word", R, "n"},
	{"newline", cmd_newline, "", "insert a line break with auto-indent", T, NULL},
	{"open", cmd_open, "PATH", "open a file", 0, "R"},
	{"open-prompt", cmd_open_prompt, "", "ask for a file to open (Tab completes)", 0, NULL},
	{"outdent", cmd_outdent, "", "outdent the selected lines", E, NULL},
	{"page-down", cmd_page_down, "[N]", "move down a page", G | R, "n"},
	{"page-up", cmd_page_up, "[N]", "move up a page", G | R, "n"},
	{"pane-activate", cmd_pane_activate, "", "run the focused pane's action on its selected row", 0, NULL},
	{"pane-down", cmd_pane_down, "", "select the next row of the focused pane", 0, NULL},
	{"pane-first", cmd_pane_first, "", "select the first row of the focused pane", 0, NULL},
	{"pane-last", cmd_pane_last, "", "select the last row of the focused pane", 0, NULL},
	{"pane-page-down", cmd_pane_page_down, "", "select a page further down in the focused pane", 0, NULL},
	{"pane-page-up", cmd_pane_page_up, "", "select a page further up in the focused pane", 0, NULL},
	{"pane-unfocus", cmd_pane_unfocus, "", "give the focus back to the text", 0, NULL},
	{"pane-up", cmd_pane_up, "", "select the previous row of the focused pane", 0, NULL},
	{"paste", cmd_paste, "", "paste (one piece per cursor when counts match)", E, NULL},
	{"paste-joined", cmd_paste_joined, "", "paste all pieces joined at the primary cursor", E, NULL},
	{"primary-next", cmd_primary_next, "", "make the next selection primary", 0, NULL},
	{"primary-prev", cmd_primary_prev, "", "make the previous selection primary", 0, NULL},
	{"quit", cmd_quit, "", "quit; asks about each unsaved buffer: save (y), drop (n) or stay (Esc)", 0, NULL},
	{"quit-force", cmd_quit_force, "", "quit without saving", 0, NULL},
	{"quit-save-all", cmd_quit_save_all, "", "save every modified buffer, then quit", 0, NULL},
	{"recover", cmd_recover, "[JOURNAL]", "replace the text with its journal of unsaved changes, or with a JOURNAL file (undo goes back)", E, "r"},
	{"recover-discard", cmd_recover_discard, "", "delete the journal of unsaved changes of this file", 0, NULL},
	{"redo", cmd_redo, "[N]", "redo", E | R, "n"},
	{"reload", cmd_reload, "", "reload the file from disk", E, NULL},
	{"remove-last-cursor", cmd_remove_last_cursor, "", "remove the cursor added last", 0, NULL},
	{"repeat-command", cmd_repeat_command, "[COUNT]", "run the last command from a key or the prompt again", G, "n"},
	{"replace-all", cmd_replace_all, "/RE/TEXT/", "replace every match in the buffer", E, "R"},
	{"replace-prompt", cmd_replace_prompt, "", "replace matches one by one, asking (y/n/a/q)", 0, NULL},
	{"reverse-selections", cmd_reverse_selections, "", "reverse the order of the selections' contents", E, NULL},
	{"rotate-contents", cmd_rotate_contents, "", "rotate the selections' contents forward", E, NULL},
	{"rotate-contents-back", cmd_rotate_contents_back, "", "rotate the selections' contents backward", E, NULL},
	{"save", cmd_save, "[PATH]", "save the buffer (a read-only file needs save-force)", 0, "r"},
	{"save-all", cmd_save_all, "", "save every modified buffer that has a file", 0, NULL},
	{"save-as", cmd_save_as, "PATH", "save under another name (asks before replacing a file)", 0, "R"},
	{"save-as-prompt", cmd_save_as_prompt, "", "ask for a file name and save there", 0, NULL},
	{"save-force", cmd_save_force, "[PATH]", "save a read-only file anyway (its mode is kept)", 0, "r"},
	{"save-prompt", cmd_save_prompt, "", "save; ask for a name when the buffer has none", 0, NULL},
	{"select-all", cmd_select_all, "", "select the whole buffer", 0, NULL},
	{"select-all-occurrences", cmd_select_all_occurrences, "[TEXT]", "a selection on every whole-word occurrence", 0, "r"},
	{"select-buffer-end", cmd_select_buffer_end, "", "extend to the end of the buffer", 0, NULL},
	{"select-buffer-start", cmd_select_buffer_start, "", "extend to the start of the buffer", 0, NULL},
	{"select-down", cmd_select_down, "[N]", "extend down a line", G | R, "n"},
	{"select-end", cmd_select_end, "", "extend to the end of the line", 0, NULL},
	{"select-home", cmd_select_home, "", "extend to the line start", 0, NULL},
	{"select-left", cmd_select_left, "[N]", "extend left", R, "n"},
	{"select-line", cmd_select_line, "", "select the line (again: the next one too)", 0, NULL},
	{"select-page-down", cmd_select_page_down, "[N]", "extend down a page", G | R, "n"},
	{"select-page-up", cmd_select_page_up, "[N]", "extend up a page", G | R, "n"},
	{"select-regex", cmd_select_regex, "RE", "select the matches of RE inside the selections", 0, "R"},
	{"select-regex-prompt", cmd_select_regex_prompt, "", "ask for a regex, select its matches", 0, NULL},
	{"select-right", cmd_select_right, "[N]", "extend right", R, "n"},
	{"select-up", cmd_select_up, "[N]", "extend up a line", G | R, "n"},
	{"select-word-left", cmd_select_word_left, "[N]", "extend to the previous word", R, "n"},
	{"select-word-right", cmd_select_word_right, "[N]", "extend to the next word", R, "n"},
	{"set", cmd_set, "[NAME [VALUE]]", "tabwidth N, expandtab 0/1, autoindent 0/1, finalnewline 0/1, clipboard auto|terminal|external|internal; without VALUE: show it", 0, "wr"},
	{"sidebar-focus", cmd_sidebar_focus, "", "focus the next sidebar pane (after the last: the text)", 0, NULL},
	{"sidebar-resize", cmd_sidebar_resize, "N|+N|-N", "set or change the width of the current sidebar", 0, "I"},
	{"sidebar-toggle", cmd_sidebar_toggle, "", "hide or show the sidebars", 0, NULL},
	{"skip-occurrence", cmd_skip_occurrence, "", "skip this occurrence, add the next", 0, NULL},
	{"sort-selections", cmd_sort_selections, "", "sort the selections' contents", E, NULL},
	{"split-horizontal", cmd_split_horizontal, "", "split the window: a second one below, on the same buffer", 0, NULL},
	{"split-regex", cmd_split_regex, "RE", "split the selections on the matches of RE", 0, "R"},
	{"split-regex-prompt", cmd_split_regex_prompt, "", "ask for a regex, split the selections on it", 0, NULL},
	{"split-selection-lines", cmd_split_selection_lines, "", "a cursor at the end of each selected line", 0, NULL},
	{"split-vertical", cmd_split_vertical, "", "split the window: a second one beside it, on the same buffer", 0, NULL},
	{"structural", cmd_structural, "x/RE/ ... c/TEXT/", "structural regex (also typed as x/RE/ ...)", 0, "*"},
	{"structural-prompt", cmd_structural_prompt, "", "open the prompt with x/ for a structural regex", 0, NULL},
	{"suspend", cmd_suspend, "", "stop brisk and return to the shell (fg resumes)", 0, NULL},
	{"swap-case", cmd_swap_case, "", "swap the case of the selections (or words)", E, NULL},
	{"toggle-comment", cmd_toggle_comment, "[PREFIX]", "comment or uncomment the lines of each cursor", E, "r"},
	{"toggle-cursor", cmd_toggle_cursor, "OFFSET", "add a cursor at OFFSET, or remove the one there", 0, "W"},
	{"toggle-line-numbers", cmd_toggle_line_numbers, "", "show or hide line numbers", 0, NULL},
	{"toggle-wrap", cmd_toggle_wrap, "", "soft-wrap long lines on or off", 0, NULL},
	{"undo", cmd_undo, "[N]", "undo (restores the cursors)", E | R, "n"},
	{"upper-case", cmd_upper_case, "", "upper-case the selections (or words)", E, NULL},
	{"window-close", cmd_window_close, "", "close the window (its buffer stays open)", 0, NULL},
	{"window-next", cmd_window_next, "", "focus the next window", 0, NULL},
	{"window-only", cmd_window_only, "", "close every other window", 0, NULL},
	{"window-prev", cmd_window_prev, "", "focus the previous window", 0, NULL},
};
#undef E
#undef T
#undef G
#undef R
const size_t ncommands = sizeof commands / sizeof commands[0];

/* ===== resolving and checking a command line =========================== */

struct LuaCmd {
	char name[64];
	char mode[16];
};

static bool lua_has(const Editor *ed, const char *name, const char *mode)
{
	for (size_t i = 0; i < ed->nlua_cmds; i++)
		if (!strcmp(ed->lua_cmds[i].name, name) && !strcmp(ed->lua_cmds[i].mode, mode))
			return true;
	return false;
}

bool command_note_lua(Editor *ed, const char *name, const char *mode)
{
	ed->cmd_gen++;
	if (lua_has(ed, name, mode))
		return true;
	if (strlen(name) >= sizeof ed->lua_cmds->name || strlen(mode) >= sizeof ed->lua_cmds->mode) {
		errno = ENAMETOOLONG;
		return false;
	}
	if (!ARRAY_RESERVE(ed->lua_cmds, ed->caplua_cmds, ed->nlua_cmds + 1))
		return false;
	struct LuaCmd *c = &ed->lua_cmds[ed->nlua_cmds++];
	strcpy(c->name, name);
	strcpy(c->mode, mode);
	return true;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Checks one word against its spec letter; false with out->why set. */
static bool check_word(CmdCall *out, char kind, const char *w, size_t n)
{
	char *end;
	errno = 0;
	long v = strtol(w, &end, 10);
	bool number = end == w + n && n > 0 && !errno;
	if (kind == 'n' && !(number && v >= 1 && v <= CMD_MAX_COUNT)) {
		snprintf(out->why, sizeof out->why, "not a count from 1 to %d: %.*s", CMD_MAX_COUNT, (int)(n < 40 ? n : 40), w);
		return false;
	}
	if ((kind == 'i' || kind == 'I') && !number) {
		snprintf(out->why, sizeof out->why, "not a number: %.*s", (int)(n < 40 ? n : 40), w);
		return false;
	}
	if (kind == 'n')
		out->count = v;
	return true;
}

/* Checks out->args against the command's spec (see command.h). */
static bool check_args(CmdCall *out)
{
	const char *spec = out->cmd->spec ? out->cmd->spec : "", *p = out->args;
	if (spec[0] == '*')
		return true;
	for (; *spec; spec++) {
		p = skip_blanks(p);
		bool required = *spec >= 'A' && *spec <= 'Z';
		if (!*p) {
			if (required)
				snprintf(out->why, sizeof out->why, "missing %s", out->cmd->args);
			return !required;
		}
		if (*spec == 'r' || *spec == 'R')
			return true;
		size_t n = strcspn(p, " \t");
		if (!check_word(out, *spec, p, n))
			return false;
		p += n;
	}
	if (!*skip_blanks(p))
		return true;
	snprintf(out->why, sizeof out->why, "%s: %.40s", out->cmd->args[0] ? "too many arguments" : "takes no arguments", skip_blanks(p));
	return false;
}

/* x/re/ y/re/ g/re/ v/re/ ...: a letter, then a delimiter. */
static bool is_structural(const char *line)
{
	return strchr("xygv", line[0]) && line[1] && !(line[1] >= 'a' && line[1] <= 'z') && line[1] != '-';
}

void command_resolve(Editor *ed, const char *line, CmdCall *out)
{
	*out = (CmdCall){.kind = CALL_NONE, .count = 1};
	while (*line == ' ' || *line == '\t' || *line == ':')
		line++;
	if (!*line)
		return;
	size_t n = strcspn(line, " \t");
	if (is_structural(line) || n >= sizeof out->name) {
		out->kind = CALL_BUILTIN;
		out->cmd = command_find("structural");
		strcpy(out->name, "structural");
		out->args = line;
		return;
	}
	memcpy(out->name, line, n);
	out->name[n] = '\0';
	out->args = skip_blanks(line + n);
	const char *mode = ed->cur ? ed->cur->mode : "";
	if (mode[0] && lua_has(ed, out->name, mode)) {
		out->kind = CALL_LUA_MODE;
	} else if ((out->cmd = command_find(out->name))) {
		out->kind = check_args(out) ? CALL_BUILTIN : CALL_BAD_ARGS;
	} else {
		out->kind = lua_has(ed, out->name, "") ? CALL_LUA_GLOBAL : CALL_UNKNOWN;
	}
}

static bool unknown(Editor *ed, const char *name)
{
	char near[200];
	if (command_suggest(ed, name, near, sizeof near))
		return msg_error(ed, "unknown command: %s (did you mean %s?)", name, near);
	return msg_error(ed, "unknown command: %s (F1 lists the commands)", name);
}

static bool run_builtin(Editor *ed, const CmdCall *call)
{
	const Command *c = call->cmd;
	Buffer *b = ed->cur;
	if (b && !(c->flags & CMD_TYPING))
		text_break(b->text);
	bool ok;
	if ((c->flags & CMD_EDITS) && b && b->readonly)
		ok = msg_error(ed, "%s is read-only", b->name);
	else if (c->flags & CMD_REPEAT)
		for (long i = 0; i < call->count && (ok = c->fn(ed, "")) && !ed->quit; i++)
			;
	else
		ok = c->fn(ed, call->args);
	/* The goal column lives from one vertical move to the next only. */
	if (ed->cur && !(c->flags & CMD_KEEPS_GOAL))
		ed->cur->goal_col = BUF_NOPOS;
	return ok;
}

static bool run_lua(Editor *ed, const CmdCall *call)
{
	bool found = false;
	bool ok = ed->hooks.command && ed->hooks.command(ed->hooks.ctx, call->name, call->args, call->kind == CALL_LUA_MODE, &found);
	return found ? ok : unknown(ed, call->name);
}

bool command_call(Editor *ed, const CmdCall *cached)
{
	/* A copy: a Lua handler may rebind keys, which moves the bindings
	 * that hold cached calls. */
	CmdCall copy = *cached, *call = &copy;
	if (call->kind == CALL_NONE)
		return true;
	if (call->kind == CALL_UNKNOWN)
		return unknown(ed, call->name);
	const char *outer = ed->cmd_running;
	ed->cmd_running = call->name;
	bool ok;
	if (call->kind == CALL_BAD_ARGS)
		ok = msg_error(ed, "usage: %s%s%s (%s)", call->name, call->cmd->args[0] ? " " : "", call->cmd->args, call->why);
	else if (call->kind == CALL_BUILTIN)
		ok = call->cmd && run_builtin(ed, call);
	else
		ok = run_lua(ed, call);
	ed->cmd_running = outer;
	return ok;
}

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, ((const Command *)elem)->name);
}

const Command *command_find(const char *name)
{
	return bsearch(name, commands, ncommands, sizeof commands[0], cmp_name);
}

void cmd_complete(Editor *ed, const char *prefix, void (*add)(void *arg, const char *name), void *arg)
{
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < ncommands; i++)
		if (strncmp(commands[i].name, prefix, pl) == 0)
			add(arg, commands[i].name);
	if (ed->hooks.command_names)
		ed->hooks.command_names(ed->hooks.ctx, prefix, add, arg);
}

/* ===== did you mean ====================================================== */

/* Edit distance with adjacent swaps (optimal string alignment), capped:
 * names are short, so two rows of a small table do. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 64;
	size_t d[64][64];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

typedef struct Suggest {
	const char *typed;
	char best[3][64];
	size_t score[3];
} Suggest;

/* How far a name is from what was typed; lower is better, SIZE_MAX: no. */
static size_t score_of(const char *typed, const char *name)
{
	size_t tl = strlen(typed);
	/* A prefix ("repl" for replace-all), or a word of the name ("occurrence"). */
	if (tl >= 3 && strncmp(name, typed, tl) == 0)
		return 1;
	const char *w = strstr(name, typed);
	if (tl >= 4 && w && (w == name || w[-1] == '-'))
		return 2;
	size_t d = distance(typed, name), limit = tl < 5 ? 1 : tl < 9 ? 2 : 3;
	return d <= limit ? d + 1 : SIZE_MAX;
}

static void suggest_add(void *arg, const char *name)
{
	Suggest *s = arg;
	size_t sc = score_of(s->typed, name);
	for (int i = 0; i < 3; i++) {
		if (sc >= s->score[i] && !(sc == s->score[i] && strcmp(name, s->best[i]) < 0))
			continue;
		/* Insert here, shifting the worse ones down. */
		for (int k = 2; k > i; k--) {
			s->score[k] = s->score[k - 1];
			memcpy(s->best[k], s->best[k - 1], sizeof s->best[k]);
		}
		s->score[i] = sc;
		snprintf(s->best[i], sizeof s->best[i], "%s", name);
		return;
	}
}

bool command_suggest(Editor *ed, const char *typed, char *out, size_t size)
{
	Suggest s = {.typed = typed, .score = {SIZE_MAX, SIZE_MAX, SIZE_MAX}};
	cmd_complete(ed, "", suggest_add, &s);
	out[0] = '\0';
	for (int i = 0; i < 3 && s.score[i] != SIZE_MAX; i++) {
		size_t n = strlen(out);
		snprintf(out + n, size - n, "%s%s", i ? ", " : "", s.best[i]);
	}
	return out[0] != '\0';
}
