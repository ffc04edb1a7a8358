/* Command handlers, one group per cmd_<area>.c file. Each edits every
 * selection as one transaction and reports failure with msg_error(). */
#ifndef EDITOR_COMMANDS_H
#define EDITOR_COMMANDS_H
#include "editor/editor.h"

/* Shared helpers for command files. */
/* Edits built per selection may overlap (delete-word at adjacent cursors):
 * clips them so the batch is valid. */
void cmd_fix_overlaps(Edit *e, size_t n);
/* Word under pos (letters, digits, '_'); false if none. */
bool cmd_word_at(Buffer *b, size_t pos, size_t *start, size_t *end);
/* Moves the window so the primary cursor is visible. */
void cmd_follow_primary(Editor *ed);
/* Saves the current buffer under a typed file name (~ and $VAR expand;
 * "" is its own file): save, save-as and the save-as prompt. */
bool cmd_save_to(Editor *ed, const char *typed);

#define CMD(name) bool cmd_##name(Editor *ed, const char *args)
/* cmd_move.c */
CMD(move_left); CMD(move_right); CMD(move_up); CMD(move_down); CMD(move_home);
CMD(move_end); CMD(page_up); CMD(page_down); CMD(move_buffer_start); CMD(move_buffer_end);
CMD(move_word_left); CMD(move_word_right);
CMD(select_left); CMD(select_right); CMD(select_up); CMD(select_down); CMD(select_home);
CMD(select_end); CMD(select_page_up); CMD(select_page_down); CMD(select_buffer_start);
CMD(select_buffer_end); CMD(select_word_left); CMD(select_word_right);
CMD(select_all); CMD(select_line); CMD(collapse_selections); CMD(goto_line);
CMD(goto_matching_bracket);
/* cmd_edit.c */
CMD(newline); CMD(delete_back); CMD(delete_forward); CMD(delete_word_back);
CMD(delete_word_forward); CMD(indent_or_tab); CMD(indent); CMD(outdent); CMD(undo); CMD(redo);
CMD(copy); CMD(cut); CMD(paste); CMD(paste_joined); CMD(insert); CMD(upper_case);
CMD(lower_case); CMD(swap_case);
/* cmd_file.c */
CMD(save); CMD(save_as); CMD(save_force); CMD(save_all); CMD(quit); CMD(quit_force); CMD(quit_save_all); CMD(open); CMD(buffer_next);
CMD(buffer_prev); CMD(buffer_close); CMD(reload); CMD(set);
/* cmd_search.c */
CMD(find); CMD(find_next); CMD(find_prev); CMD(find_all_as_cursors);
/* cmd_structural.c */
CMD(structural); CMD(replace_all);
/* cmd_multi.c */
CMD(add_next_occurrence); CMD(skip_occurrence); CMD(remove_last_cursor);
CMD(select_all_occurrences);
/* cmd_multi_sel.c, cmd_multi_box.c, cmd_multi_edit.c (engine: multi.h) */
CMD(add_cursor_above); CMD(add_cursor_below); CMD(split_selection_lines); CMD(select_regex);
CMD(split_regex); CMD(keep_regex); CMD(drop_regex); CMD(primary_next); CMD(primary_prev);
CMD(toggle_cursor); CMD(select_regex_prompt); CMD(split_regex_prompt); CMD(keep_regex_prompt);
CMD(drop_regex_prompt); CMD(insert_sequence_prompt); CMD(structural_prompt); CMD(column_mark);
CMD(align); CMD(insert_sequence); CMD(rotate_contents); CMD(rotate_contents_back);
CMD(sort_selections); CMD(reverse_selections); CMD(duplicate_line); CMD(move_lines_up);
CMD(move_lines_down); CMD(toggle_comment);
/* cmd_pane.c */
CMD(sidebar_toggle); CMD(sidebar_focus); CMD(sidebar_resize); CMD(pane_unfocus);
CMD(pane_up); CMD(pane_down); CMD(pane_page_up); CMD(pane_page_down); CMD(pane_first);
CMD(pane_last); CMD(pane_activate);
/* macro.c */
CMD(macro_record); CMD(macro_stop); CMD(macro_play); CMD(repeat_command);
/* split.c */
CMD(split_horizontal); CMD(split_vertical); CMD(window_next); CMD(window_prev);
CMD(window_close); CMD(window_only);
#undef CMD
#endif
