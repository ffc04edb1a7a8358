/* The command table, sorted by name for binary search (a unit test checks
 * the order), and lookup/completion. */
#include "editor/command.h"
#include "editor/commands.h"
#include "editor/recover.h"
#include "editor/ui.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E CMD_EDITS
#define T (CMD_EDITS | CMD_TYPING)
#define G CMD_KEEPS_GOAL
const Command commands[] = {
	{"add-cursor-above", cmd_add_cursor_above, "", "add a cursor on the line above (goal column kept)", G},
	{"add-cursor-below", cmd_add_cursor_below, "", "add a cursor on the line below (goal column kept)", G},
	{"add-next-occurrence", cmd_add_next_occurrence, "", "select the word, then add a cursor at its next occurrence", 0},
	{"align", cmd_align, "", "pad with spaces so the cursors stand in one column", E},
	{"buffer-close", cmd_buffer_close, "", "close the buffer (asks if modified)", 0},
	{"buffer-next", cmd_buffer_next, "", "switch to the next buffer", 0},
	{"buffer-prev", cmd_buffer_prev, "", "switch to the previous buffer", 0},
	{"collapse-selections", cmd_collapse_selections, "", "keep only the primary cursor", 0},
	{"column-mark", cmd_column_mark, "", "start (or end) a column (box) mark: arrows extend it", 0},
	{"command-prompt", cmd_command_prompt, "[TEXT]", "open the command prompt (Tab completes, Up/Down: history)", 0},
	{"copy", cmd_copy, "", "copy the selections (a line per cursor when none)", 0},
	{"cut", cmd_cut, "", "cut the selections (a line per cursor when none)", E},
	{"delete-back", cmd_delete_back, "", "delete the character before each cursor", T},
	{"delete-forward", cmd_delete_forward, "", "delete the character after each cursor", T},
	{"delete-word-back", cmd_delete_word_back, "", "delete the word before each cursor", E},
	{"delete-word-forward", cmd_delete_word_forward, "", "delete the word after each cursor", E},
	{"drop-regex", cmd_drop_regex, "RE", "drop the selections that match RE", 0},
	{"drop-regex-prompt", cmd_drop_regex_prompt, "", "ask for a regex, drop the selections that match", 0},
	{"duplicate-line", cmd_duplicate_line, "", "duplicate the lines of each cursor", E},
	{"find", cmd_find, "RE", "search forward for a regex", 0},
	{"find-all-as-cursors", cmd_find_all_as_cursors, "[RE]", "a cursor on every match of the search", 0},
	{"find-next", cmd_find_next, "", "next match of the last search", 0},
	{"find-prev", cmd_find_prev, "", "previous match of the last search", 0},
	{"find-prompt", cmd_find_prompt, "[TEXT]", "incremental search (M-r regex, M-c case, C-n/C-p next/prev)", 0},
	{"goto", cmd_goto_line, "LINE[:COL]|+N|-N|N%", "go to a line (and 1-based column), N lines down/up, N% through the file", 0},
	{"goto-matching-bracket", cmd_goto_matching_bracket, "", "jump to the matching bracket", 0},
	{"goto-prompt", cmd_goto_prompt, "", "ask for a line and go there", 0},
	{"help", cmd_help, "", "show the key bindings and commands", 0},
	{"indent", cmd_indent, "", "indent the selected lines", E},
	{"indent-or-tab", cmd_indent_or_tab, "", "indent selected lines, else insert a tab", T},
	{"insert", cmd_insert, "TEXT", "type TEXT at every cursor", T},
	{"insert-sequence", cmd_insert_sequence, "[START [STEP [FORMAT]]]", "insert start, start+step, ... at the cursors (printf FORMAT)", E},
	{"insert-sequence-prompt", cmd_insert_sequence_prompt, "", "ask for START STEP FORMAT, insert the sequence", 0},
	{"keep-regex", cmd_keep_regex, "RE", "keep the selections that match RE", 0},
	{"keep-regex-prompt", cmd_keep_regex_prompt, "", "ask for a regex, keep the selections that match", 0},
	{"lower-case", cmd_lower_case, "", "lower-case the selections (or words)", E},
	{"macro-play", cmd_macro_play, "[COUNT]", "play the recorded keystroke macro COUNT times", G},
	{"macro-record", cmd_macro_record, "", "start recording a keystroke macro (again: stop)", 0},
	{"macro-stop", cmd_macro_stop, "", "stop recording the keystroke macro", 0},
	{"move-buffer-end", cmd_move_buffer_end, "", "go to the end of the buffer", 0},
	{"move-buffer-start", cmd_move_buffer_start, "", "go to the start of the buffer", 0},
	{"move-down", cmd_move_down, "", "move down a line", G},
	{"move-end", cmd_move_end, "", "go to the end of the line", 0},
	{"move-home", cmd_move_home, "", "go to the first non-blank, then the line start", 0},
	{"move-left", cmd_move_left, "", "move left a character", 0},
	{"move-lines-down", cmd_move_lines_down, "", "move the lines of each cursor down", E},
	{"move-lines-up", cmd_move_lines_up, "", "move the lines of each cursor up", E},
	{"move-right", cmd_move_right, "", "move right a character", 0},
	{"move-up", cmd_move_up, "", "move up a line", G},
	{"move-word-left", cmd_move_word_left, "", "move to the previous word", 0},
	{"move-word-right", cmd_move_word_right, "", "move to the next word", 0},
	{"newline", cmd_newline, "", "insert a line break with auto-indent", T},
	{"open", cmd_open, "PATH", "open a file", 0},
	{"open-prompt", cmd_open_prompt, "", "ask for a file to open (Tab completes)", 0},
	{"outdent", cmd_outdent, "", "outdent the selected lines", E},
	{"page-down", cmd_page_down, "", "move down a page", G},
	{"page-up", cmd_page_up, "", "move up a page", G},
	{"pane-activate", cmd_pane_activate, "", "run the focused pane's action on its selected row", 0},
	{"pane-down", cmd_pane_down, "", "select the next row of the focused pane", 0},
	{"pane-first", cmd_pane_first, "", "select the first row of the focused pane", 0},
	{"pane-last", cmd_pane_last, "", "select the last row of the focused pane", 0},
	{"pane-page-down", cmd_pane_page_down, "", "select a page further down in the focused pane", 0},
	{"pane-page-up", cmd_pane_page_up, "", "select a page further up in the focused pane", 0},
	{"pane-unfocus", cmd_pane_unfocus, "", "give the focus back to the text", 0},
	{"pane-up", cmd_pane_up, "", "select the previous row of the focused pane", 0},
	{"paste", cmd_paste, "", "paste (one piece per cursor when counts match)", E},
	{"paste-joined", cmd_paste_joined, "", "paste all pieces joined at the primary cursor", E},
	{"primary-next", cmd_primary_next, "", "make the next selection primary", 0},
	{"primary-prev", cmd_primary_prev, "", "make the previous selection primary", 0},
	{"quit", cmd_quit, "", "quit; asks about each unsaved buffer: save (y), drop (n) or stay (Esc)", 0},
	{"quit-force", cmd_quit_force, "", "quit without saving", 0},
	{"quit-save-all", cmd_quit_save_all, "", "save every modified buffer, then quit", 0},
	{"recover", cmd_recover, "[JOURNAL]", "replace the text with its journal of unsaved changes, or with a JOURNAL file (undo goes back)", E},
	{"recover-discard", cmd_recover_discard, "", "delete the journal of unsaved changes of this file", 0},
	{"redo", cmd_redo, "", "redo", E},
	{"reload", cmd_reload, "", "reload the file from disk", E},
	{"remove-last-cursor", cmd_remove_last_cursor, "", "remove the cursor added last", 0},
	{"repeat-command", cmd_repeat_command, "[COUNT]", "run the last command from a key or the prompt again", G},
	{"replace-all", cmd_replace_all, "/RE/TEXT/", "replace every match in the buffer", E},
	{"replace-prompt", cmd_replace_prompt, "", "replace matches one by one, asking (y/n/a/q)", 0},
	{"reverse-selections", cmd_reverse_selections, "", "reverse the order of the selections' contents", E},
	{"rotate-contents", cmd_rotate_contents, "", "rotate the selections' contents forward", E},
	{"rotate-contents-back", cmd_rotate_contents_back, "", "rotate the selections' contents backward", E},
	{"save", cmd_save, "[PATH]", "save the buffer (a read-only file needs save-force)", 0},
	{"save-all", cmd_save_all, "", "save every modified buffer that has a file", 0},
	{"save-as", cmd_save_as, "PATH", "save under another name (asks before replacing a file)", 0},
	{"save-as-prompt", cmd_save_as_prompt, "", "ask for a file name and save there", 0},
	{"save-force", cmd_save_force, "[PATH]", "save a read-only file anyway (its mode is kept)", 0},
	{"save-prompt", cmd_save_prompt, "", "save; ask for a name when the buffer has none", 0},
	{"select-all", cmd_select_all, "", "select the whole buffer", 0},
	{"select-all-occurrences", cmd_select_all_occurrences, "[TEXT]", "a selection on every whole-word occurrence", 0},
	{"select-buffer-end", cmd_select_buffer_end, "", "extend to the end of the buffer", 0},
	{"select-buffer-start", cmd_select_buffer_start, "", "extend to the start of the buffer", 0},
	{"select-down", cmd_select_down, "", "extend down a line", G},
	{"select-end", cmd_select_end, "", "extend to the end of the line", 0},
	{"select-home", cmd_select_home, "", "extend to the line start", 0},
	{"select-left", cmd_select_left, "", "extend left", 0},
	{"select-line", cmd_select_line, "", "select the line (again: the next one too)", 0},
	{"select-page-down", cmd_select_page_down, "", "extend down a page", G},
	{"select-page-up", cmd_select_page_up, "", "extend up a page", G},
	{"select-regex", cmd_select_regex, "RE", "select the matches of RE inside the selections", 0},
	{"select-regex-prompt", cmd_select_regex_prompt, "", "ask for a regex, select its matches", 0},
	{"select-right", cmd_select_right, "", "extend right", 0},
	{"select-up", cmd_select_up, "", "extend up a line", G},
	{"select-word-left", cmd_select_word_left, "", "extend to the previous word", 0},
	{"select-word-right", cmd_select_word_right, "", "extend to the next word", 0},
	{"set", cmd_set, "[NAME [VALUE]]", "tabwidth N, expandtab 0/1, autoindent 0/1, finalnewline 0/1, clipboard auto|terminal|external|internal; without VALUE: show it", 0},
	{"sidebar-focus", cmd_sidebar_focus, "", "focus the next sidebar pane (after the last: the text)", 0},
	{"sidebar-resize", cmd_sidebar_resize, "N|+N|-N", "set or change the width of the current sidebar", 0},
	{"sidebar-toggle", cmd_sidebar_toggle, "", "hide or show the sidebars", 0},
	{"skip-occurrence", cmd_skip_occurrence, "", "skip this occurrence, add the next", 0},
	{"sort-selections", cmd_sort_selections, "", "sort the selections' contents", E},
	{"split-horizontal", cmd_split_horizontal, "", "split the window: a second one below, on the same buffer", 0},
	{"split-regex", cmd_split_regex, "RE", "split the selections on the matches of RE", 0},
	{"split-regex-prompt", cmd_split_regex_prompt, "", "ask for a regex, split the selections on it", 0},
	{"split-selection-lines", cmd_split_selection_lines, "", "a cursor at the end of each selected line", 0},
	{"split-vertical", cmd_split_vertical, "", "split the window: a second one beside it, on the same buffer", 0},
	{"structural", cmd_structural, "x/RE/ ... c/TEXT/", "structural regex (also typed as x/RE/ ...)", 0},
	{"structural-prompt", cmd_structural_prompt, "", "open the prompt with x/ for a structural regex", 0},
	{"suspend", cmd_suspend, "", "stop brisk and return to the shell (fg resumes)", 0},
	{"swap-case", cmd_swap_case, "", "swap the case of the selections (or words)", E},
	{"toggle-comment", cmd_toggle_comment, "[PREFIX]", "comment or uncomment the lines of each cursor", E},
	{"toggle-cursor", cmd_toggle_cursor, "OFFSET", "add a cursor at OFFSET, or remove the one there", 0},
	{"toggle-line-numbers", cmd_toggle_line_numbers, "", "show or hide line numbers", 0},
	{"toggle-wrap", cmd_toggle_wrap, "", "soft-wrap long lines on or off", 0},
	{"undo", cmd_undo, "", "undo (restores the cursors)", E},
	{"upper-case", cmd_upper_case, "", "upper-case the selections (or words)", E},
	{"window-close", cmd_window_close, "", "close the window (its buffer stays open)", 0},
	{"window-next", cmd_window_next, "", "focus the next window", 0},
	{"window-only", cmd_window_only, "", "close every other window", 0},
	{"window-prev", cmd_window_prev, "", "focus the previous window", 0},
};
#undef E
#undef T
#undef G
const size_t ncommands = sizeof commands / sizeof commands[0];

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
