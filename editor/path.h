/* File names as a user types them: "~", "~/x", "~user/x", "$VAR/x" and
 * "${VAR}x" are expanded in every file-name prompt and command (open,
 * save, save-as, Tab completion, brisk.expand_path for plugins). */
#ifndef EDITOR_PATH_H
#define EDITOR_PATH_H

/* A malloc'd copy of s with a leading ~ or ~user (before '/' or the end)
 * and every $NAME / ${NAME} of a set environment variable expanded; an
 * unknown user or unset variable stays as typed, so the error names it.
 * "\$" is a plain '$'. NULL when out of memory. */
char *path_expand(const char *s);
#endif
