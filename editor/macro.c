/* Keystroke macros and repeat-command: a recording buffer of keys, the
 * last finished macro, and the commands that drive them. Knows nothing of
 * the terminal: the UI plays keys through the feed it sets. */
#include "editor/macro.h"
#include "editor/commands.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MACRO_MAX_KEYS 100000
#define PLAY_MAX_COUNT 1000000

struct Macro {
	Key *rec;          /* keys recorded so far */
	size_t nrec, caprec;
	size_t seq_start;  /* nrec when the current key sequence began */
	bool recording;
	bool overflow;     /* more than MACRO_MAX_KEYS keys: the macro is refused */
	Key *keys;         /* the last finished macro */
	size_t nkeys;
	int playing;       /* depth of macro-play / repeat-command */
	int in_key;        /* depth of commands run by a key or the prompt */
	MacroFeed feed;
};

void macro_free(struct Macro *m)
{
	if (!m)
		return;
	free(m->rec);
	free(m->keys);
	free(m);
}

static struct Macro *get(Editor *ed)
{
	if (!ed->macro)
		ed->macro = calloc(1, sizeof *ed->macro);
	return ed->macro;
}

void macro_set_feed(Editor *ed, MacroFeed feed)
{
	struct Macro *m = get(ed);
	if (m)
		m->feed = feed;
}

bool macro_is_recording(const Editor *ed)
{
	return ed->macro && ed->macro->recording;
}

const Key *macro_keys(const Editor *ed, size_t *n)
{
	*n = ed->macro ? ed->macro->nkeys : 0;
	return *n ? ed->macro->keys : NULL;
}

void macro_note_key(Editor *ed, Key k, bool start)
{
	struct Macro *m = ed->macro;
	if (!m || !m->recording)
		return;
	if (start)
		m->seq_start = m->nrec;
	if (m->nrec == m->caprec) {
		size_t nc = m->caprec ? m->caprec * 2 : 64;
		Key *nr = nc <= MACRO_MAX_KEYS ? realloc(m->rec, nc * sizeof *nr) : NULL;
		if (!nr) {
			m->overflow = true;
			return;
		}
		m->rec = nr;
		m->caprec = nc;
	}
	m->rec[m->nrec++] = k;
}

void macro_note_command(Editor *ed, const char *line)
{
	/* The keys of a macro being played are not "the last command". */
	if (ed->macro && ed->macro->playing)
		return;
	while (*line == ' ' || *line == '\t' || *line == ':')
		line++;
	size_t n = strcspn(line, " \t");
	/* Repeating these would repeat themselves or toggle the recording. */
	static const char *const skip[] = {"repeat-command", "macro-record", "macro-stop"};
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (n == strlen(skip[i]) && strncmp(line, skip[i], n) == 0)
			return;
	if (!*line)
		return;
	char *c = strdup(line);
	if (!c)
		return;
	free(ed->last_command);
	ed->last_command = c;
}

bool macro_run_typed(Editor *ed, const char *line, const CmdCall *call)
{
	macro_note_command(ed, line);
	struct Macro *m = ed->macro;
	if (m)
		m->in_key++;
	bool ok = call ? command_call(ed, call) : ed_command(ed, line);
	if (m)
		m->in_key--;
	return ok;
}

/* ===== commands ========================================================== */

static bool parse_count(Editor *ed, const char *what, const char *args, long *count)
{
	char *end;
	*count = 1;
	if (!*args)
		return true;
	errno = 0;
	*count = strtol(args, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno || *end || *count < 1 || *count > PLAY_MAX_COUNT)
		return msg_error(ed, "COUNT must be 1 to %d, not %s", PLAY_MAX_COUNT, args);
	return true;
}

static bool stop(Editor *ed, struct Macro *m)
{
	/* The keys that stop the recording (a chord, or the prompt with its
	 * command line) are not part of it; brisk.command() typed none. */
	if (m->in_key && m->seq_start < m->nrec)
		m->nrec = m->seq_start;
	m->recording = false;
	if (m->overflow) {
		m->nrec = 0;
		return msg_error(ed, "more than %d keys, not kept", MACRO_MAX_KEYS);
	}
	free(m->keys);
	m->keys = m->rec;
	m->nkeys = m->nrec;
	m->rec = NULL;
	m->nrec = m->caprec = 0;
	msg_info(ed, "macro recorded: %zu key%s", m->nkeys, m->nkeys == 1 ? "" : "s");
	return true;
}

bool cmd_macro_record(Editor *ed, const char *args)
{
	(void)args;
	struct Macro *m = get(ed);
	if (!m)
		return msg_error(ed, "%s", strerror(ENOMEM));
	if (m->recording)
		return stop(ed, m);
	if (m->playing)
		return msg_error(ed, "not while a macro plays");
	m->recording = true;
	m->overflow = false;
	m->nrec = m->seq_start = 0;
	msg_info(ed, "recording a macro (macro-record again stops)");
	return true;
}

bool cmd_macro_stop(Editor *ed, const char *args)
{
	(void)args;
	struct Macro *m = ed->macro;
	if (!m || !m->recording)
		return msg_error(ed, "not recording");
	return stop(ed, m);
}

static void play(Editor *ed, struct Macro *m, const Key *keys, size_t n)
{
	if (m->feed)
		m->feed(ed, keys, n);
	else
		ed_keys(ed, keys, n);
}

bool cmd_macro_play(Editor *ed, const char *args)
{
	long count;
	if (!parse_count(ed, "macro-play", args, &count))
		return false;
	struct Macro *m = ed->macro;
	if (!m || !m->nkeys)
		return msg_error(ed, "no macro recorded");
	if (m->playing)
		return msg_error(ed, "a macro cannot play itself");
	/* Played while recording: the new macro gets the keys, not the key
	 * that played them (so it does not depend on the old macro). */
	if (m->recording && m->in_key)
		m->nrec = m->seq_start;
	/* A copy: the keys may record a new macro. */
	size_t n = m->nkeys;
	Key *keys = malloc(n * sizeof *keys);
	if (!keys)
		return msg_error(ed, "%s", strerror(ENOMEM));
	memcpy(keys, m->keys, n * sizeof *keys);
	m->playing++;
	for (long i = 0; i < count && !ed->quit; i++)
		play(ed, m, keys, n);
	m->playing--;
	free(keys);
	return true;
}

bool cmd_repeat_command(Editor *ed, const char *args)
{
	long count;
	if (!parse_count(ed, "repeat-command", args, &count))
		return false;
	if (!ed->last_command)
		return msg_error(ed, "no command yet");
	char *line = strdup(ed->last_command);
	if (!line)
		return msg_error(ed, "%s", strerror(ENOMEM));
	bool ok = true;
	for (long i = 0; i < count && ok && !ed->quit; i++)
		ok = ed_command(ed, line);
	free(line);
	return ok;
}
