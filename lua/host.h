/* Lua host: owns the one lua_State, its memory cap and instruction budget,
 * and every entry into Lua (blua_pcall). Only lua/ includes lua.h. */
#ifndef LUA_HOST_H
#define LUA_HOST_H
#include "editor/editor.h"
#include <lua.h>
#include <lauxlib.h>

typedef struct Blua Blua;

/* Creates the state, opens the safe standard library and every brisk.*
 * module, fills ed->hooks. NULL with a message on failure. */
Blua *blua_new(Editor *ed);
void blua_free(Blua *B);
lua_State *blua_state(Blua *B);
/* Loads the user's init.lua and the enabled plugins. */
void blua_load_config(Blua *B);
/* Runs a chunk / a file with arguments (the -c / -l modes). False on error
 * (already reported). */
bool blua_run_string(Blua *B, const char *code, const char *chunkname);
bool blua_run_file(Blua *B, const char *path, int argc, char **argv);

/* The libraries lua/ runs with (Lua, libcurl, SQLite, libxml2, zlib,
 * OpenSSL): add(arg, name, version) for each, for --version (lua/version.c). */
void blua_lib_versions(void (*add)(void *arg, const char *name, const char *version), void *arg);

/* From any Lua C function: the editor and its loop. */
Editor *blua_editor(lua_State *L);
Loop *blua_loop(lua_State *L);

/* Calls the function below nargs arguments on the stack, protected, with a
 * traceback and the time budget (a callback that runs longer than the
 * limit is interrupted, even inside a pcall of its own). Errors go to the
 * messages (with the plugin's name) and return false; results are left
 * only on success. The caller may hold Buffer and Pane pointers across the
 * call: a buffer or pane closed inside is only freed once control is back
 * in the loop (ed_reap). */
bool blua_pcall(lua_State *L, int nargs, int nresults);
/* Resumes coroutine co (nargs on its stack) under a budget of budget_ms,
 * from L; returns lua_resume's status (brisk.task slices, finalizers). */
int blua_resume(lua_State *L, lua_State *co, int nargs, int *nres, int budget_ms);
/* An expected failure as Lua's own libraries give it: pushes nil and
 * "what: strerror(errno)", returns 2. Call it right after the failing
 * call: errno is read before anything else (luaL_fileresult's rule). */
int blua_fail_errno(lua_State *L, const char *what);
/* mkdir -p of path's parent directory (0700 for new ones); failures are
 * left for the open that follows to report. */
void blua_make_parents(const char *path);
/* Reports a Lua error as blua_pcall does (messages, plugin's name). */
void blua_report(lua_State *L, const char *err);
/* For an error where messages must not be touched (a finalizer runs in the
 * middle of any allocation): reported when the running call returns. */
void blua_report_late(lua_State *L, const char *err);
/* At exit, once the finalizers' share of time is spent. */
bool blua_exit_spent(lua_State *L);
/* For long loops in C reachable from Lua (a pattern match): false once the
 * running call is over its budget or interrupted; the caller then cleans
 * up and calls blua_budget_error, which raises what (or the budget's own
 * message, or "interrupted" after Ctrl-C). Cheap enough to call every few
 * thousand steps. */
bool blua_budget_ok(lua_State *L);
int blua_budget_error(lua_State *L, const char *what);
/* From a C function that just did work outside Lua since t0
 * (loop_now_ms()): when it took longer than min_ms, the running callbacks
 * get that time back, so the Lua after it is not interrupted for time it
 * did not spend. min_ms 0: any work (parsing a document, an fsync: a loop
 * of them stays busy, named after a second, Ctrl-C stops it);
 * BLUA_SLOW_MS: only long work (a C filter pass over 10M lines, a database
 * step that waits on the disk), so a Lua loop of quick calls still meets
 * its budget. */
#define BLUA_SLOW_MS 20
void blua_budget_credit_since(lua_State *L, uint64_t t0, uint64_t min_ms);
/* registry[key] = a new table with weak keys. */
void blua_weak_keys(lua_State *L, const char *key);
/* Keeps a Lua value alive: pops it and returns a reference. */
int blua_ref(lua_State *L);
void blua_unref(lua_State *L, int ref);
/* Pushes the referenced value. */
void blua_push_ref(lua_State *L, int ref);

/* Pushes a handle for b (api_buffer.c). */
void blua_push_buffer(lua_State *L, Buffer *b);
/* The buffer behind the handle at idx; raises "buffer is closed". */
Buffer *blua_check_buffer(lua_State *L, int idx);
/* Adds methods to every buffer handle (after api_buffer_open made their
 * metatable; before it, nothing). The stack is left as it was. */
void blua_buffer_methods(lua_State *L, const luaL_Reg *methods);
/* The compiled pattern of a brisk.regex object (lua/api_regex.c). */
struct Search *blua_check_regex(lua_State *L, int idx);

/* Fills ed->hooks so events, bindings and commands reach Lua (api_editor.c). */
void blua_install_hooks(lua_State *L, Editor *ed);

/* Each brisk.* module: called with the brisk table on top of the stack; it
 * adds its functions/subtables there. One per api_*.c file. */
void api_editor_open(lua_State *L);   /* command, keys, quit, on, bind, messages */
void api_buffer_open(lua_State *L);   /* brisk.buffer / buffer handles, selections */
void api_multi_open(lua_State *L);    /* brisk.multi: the multi-cursor engine */
void api_timer_open(lua_State *L);    /* brisk.timer, brisk.defer */
void api_http_open(lua_State *L);     /* brisk.http */
void api_serve_open(lua_State *L);    /* brisk.http.serve (after api_http_open) */
void api_crypto_open(lua_State *L);   /* brisk.crypto */
void api_proc_open(lua_State *L);     /* brisk.spawn */
void api_xml_open(lua_State *L);      /* brisk.xml, brisk.html */
void api_db_open(lua_State *L);       /* brisk.db */
void api_json_open(lua_State *L);     /* brisk.json */
void api_time_open(lua_State *L);     /* brisk.time */
void api_watch_open(lua_State *L);    /* brisk.watch_file */
void api_filter_open(lua_State *L);   /* buffer view filters and folds (log view) */
void api_hex_open(lua_State *L);      /* brisk.hex: the hexview plugin's C helper */
void api_pane_open(lua_State *L);     /* brisk.pane/sidebar, status segments, menu, prompt */
void api_decor_open(lua_State *L);    /* b:decorate, brisk.set_syntax, brisk.style */
void api_regex_open(lua_State *L);    /* brisk.regex: PCRE2 on Lua strings */
void api_task_open(lua_State *L);     /* brisk.task, brisk.pause */
void api_ansi_open(lua_State *L);     /* brisk.ansi: escape sequences, b:hide_escapes */
void api_tally_open(lua_State *L);    /* b:tally: counting runs of log lines in C */
#endif
