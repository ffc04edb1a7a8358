/* Recover: reading journals back (see recover.h, journal.h for the
 * format): finding the ones of a file, saying what recovering would
 * change, asking, applying as one undo step; `recover`, `recover-discard`.
 * Never writes a journal (journal.c does) and never touches the file. */
#include "editor/recover.h"
#include "editor/journal.h"
#include "editor/path.h"
#include "buffer/array.h"
#include "buffer/fdio.h"
#include "buffer/hash.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "brisk journal 1\n"

/* A journal read back. */
typedef struct JFile {
	char *data;        /* the whole file, NUL-terminated */
	size_t len;
	long pid;
	long long time;
	FileInfo disk;
	const char *path, *text;
	size_t path_len, text_len;
} JFile;

/* A journal found for a file, by age. */
typedef struct Found {
	char *file;
	time_t mtime;
} Found;

typedef struct FoundList {
	Found *v;
	size_t n, cap;
} FoundList;

/* ===== reading =========================================================== */

static void jfile_free(JFile *f)
{
	free(f->data);
	f->data = NULL;
}

static bool read_all(const char *file, char **data, size_t *len)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) != 0 || st.st_size < 0) {
		close(fd);
		return false;
	}
	size_t n = (size_t)st.st_size;
	char *p = malloc(n + 1);
	bool ok = p && fd_pread_all(fd, p, n, 0);
	close(fd);
	if (!ok) {
		free(p);
		return false;
	}
	p[n] = '\0';
	*data = p;
	*len = n;
	return true;
}

/* Reads "KEY LEN\n<LEN bytes>" at *pos. */
static bool take_bytes(const JFile *f, size_t *pos, const char *key, const char **out, size_t *len)
{
	const char *p = f->data + *pos;
	size_t kl = strlen(key);
	char *end;
	if (strncmp(p, key, kl) != 0 || p[kl] != ' ' || !isdigit((unsigned char)p[kl + 1]))
		return false;
	unsigned long long n = strtoull(p + kl + 1, &end, 10);
	if (*end != '\n')
		return false;
	size_t at = (size_t)(end + 1 - f->data);
	if (n > f->len - at)
		return false;
	*out = f->data + at;
	*len = (size_t)n;
	*pos = at + (size_t)n;
	return true;
}

static bool parse(JFile *f)
{
	int n = 0, exists = 0;
	long long size, sec;
	long nsec;
	if (strncmp(f->data, MAGIC, strlen(MAGIC)) != 0)
		return false;
	if (sscanf(f->data + strlen(MAGIC), "pid %ld\ntime %lld\ndisk %d %lld %lld %ld%n",
	           &f->pid, &f->time, &exists, &size, &sec, &nsec, &n) != 6 || n == 0)
		return false;
	size_t pos = strlen(MAGIC) + (size_t)n;
	if (f->data[pos++] != '\n' || !take_bytes(f, &pos, "path", &f->path, &f->path_len))
		return false;
	if (pos >= f->len || f->data[pos++] != '\n' || !take_bytes(f, &pos, "text", &f->text, &f->text_len))
		return false;
	f->disk = (FileInfo){.exists = exists != 0, .size = (off_t)size};
	f->disk.mtime.tv_sec = (time_t)sec;
	f->disk.mtime.tv_nsec = nsec;
	return f->len - pos == 5 && memcmp(f->data + pos, "\nend\n", 5) == 0;
}

/* 1: loaded; 0: no such journal; -1: unreadable or damaged. */
static int load(const char *file, JFile *f)
{
	memset(f, 0, sizeof *f);
	if (!read_all(file, &f->data, &f->len))
		return errno == ENOENT ? 0 : -1;
	if (!parse(f)) {
		jfile_free(f);
		return -1;
	}
	return 1;
}

/* ===== finding =========================================================== */

static void found_free(FoundList *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].file);
	free(l->v);
	*l = (FoundList){0};
}

static int by_age(const void *a, const void *b)
{
	time_t x = ((const Found *)a)->mtime, y = ((const Found *)b)->mtime;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* A journal of the file tagged tag: TAG.journal (one journal per file, as
 * older versions wrote) or TAG.INSTANCE.journal; with aside, FILE~ too. */
static bool is_journal_of(const char *name, const char *tag, bool aside)
{
	size_t tl = strlen(tag), nl = strlen(name);
	if (strncmp(name, tag, tl) != 0 || name[tl] != '.')
		return false;
	if (aside && nl > 0 && name[nl - 1] == '~')
		nl--;
	return nl >= tl + 8 && strncmp(name + nl - 8, ".journal", 8) == 0;
}

/* The other instances' journals of b's file, newest first. */
static bool find(Editor *ed, const Buffer *b, bool aside, FoundList *out)
{
	const char *dir = journal_dir(ed);
	char tag[128];
	*out = (FoundList){0};
	DIR *d = dir && b->path ? opendir(dir) : NULL;
	if (!d)
		return false;
	hash_path_tag(b->path, tag, sizeof tag);
	for (struct dirent *de; (de = readdir(d));) {
		struct stat st;
		char *file = NULL;
		if (!is_journal_of(de->d_name, tag, aside) || journal_is_mine(ed, de->d_name))
			continue;
		if (asprintf(&file, "%s/%s", dir, de->d_name) < 0 || stat(file, &st) != 0 ||
		    !ARRAY_RESERVE(out->v, out->cap, out->n + 1)) {
			free(file);
			continue;
		}
		out->v[out->n++] = (Found){file, st.st_mtime};
	}
	closedir(d);
	if (out->n > 1) /* (qsort of no array at all is undefined) */
		qsort(out->v, out->n, sizeof *out->v, by_age);
	return out->n > 0;
}

void recover_remove(const char *file)
{
	char old[PATH_MAX];
	unlink(file);
	snprintf(old, sizeof old, "%s~", file);
	if (file[0] && file[strlen(file) - 1] != '~')
		unlink(old);
}

static void keep_aside(const char *file)
{
	char old[PATH_MAX];
	snprintf(old, sizeof old, "%s~", file);
	rename(file, old);
}

/* ===== what would change ================================================= */

static size_t common_prefix(const Text *t, const char *s, size_t n)
{
	size_t tl = text_len(t), max = tl < n ? tl : n, pos = 0;
	while (pos < max) {
		size_t len, i = 0;
		const char *p = text_span(t, pos, &len);
		if (len > max - pos)
			len = max - pos;
		while (i < len && p[i] == s[pos + i])
			i++;
		pos += i;
		if (i < len || len == 0)
			break;
	}
	return pos;
}

static size_t common_suffix(const Text *t, const char *s, size_t n, size_t pre)
{
	size_t tl = text_len(t), max = (tl < n ? tl : n) - pre, k = 0;
	while (k < max && text_byte(t, tl - 1 - k) == (unsigned char)s[n - 1 - k])
		k++;
	return k;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 1;
	for (const char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	return lines;
}

/* The journal's first changed line, at most 30 bytes, control bytes as '?'. */
static void first_change(const JFile *f, size_t pre, char *out)
{
	const char *ls = f->text + pre, *end = f->text + f->text_len;
	size_t k = 0;
	while (ls > f->text && ls[-1] != '\n')
		ls--;
	for (const char *p = ls; p < end && *p != '\n' && k < 30; p++)
		out[k++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
	if (k == 30) { /* not in the middle of a UTF-8 sequence */
		while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && (unsigned char)out[k - 1] >= 0xc0)
			k--;
	}
	out[k] = '\0';
}

static bool disk_moved(const Buffer *b, const JFile *f)
{
	const FileInfo *d = &b->disk;
	if (d->exists != f->disk.exists)
		return true;
	return d->exists && (d->size != f->disk.size || d->mtime.tv_sec != f->disk.mtime.tv_sec ||
	                     d->mtime.tv_nsec != f->disk.mtime.tv_nsec);
}

static bool same_text(const Buffer *b, const JFile *f)
{
	return text_len(b->text) == f->text_len && common_prefix(b->text, f->text, f->text_len) == f->text_len;
}

static bool same_path(const Buffer *b, const JFile *f)
{
	return b->path && strlen(b->path) == f->path_len && memcmp(b->path, f->path, f->path_len) == 0;
}

/* What recovering would change, then who wrote it, for the question or
 * the headless message: "r.txt: unsaved changes of 10:53: +7 bytes, +0
 * lines, from line 1 "EDITED line one"; written by brisk 4242, which has
 * ended". What matters most comes first: a question line may be cut. */
static void describe(const Buffer *b, const JFile *f, char *out, size_t size)
{
	char when[64], shown[40];
	time_t tt = (time_t)f->time, now = time(NULL);
	struct tm tm, today;
	bool same_day = localtime_r(&now, &today) && localtime_r(&tt, &tm) && tm.tm_yday == today.tm_yday &&
	                tm.tm_year == today.tm_year;
	if (!localtime_r(&tt, &tm) || !strftime(when, sizeof when, same_day ? "%H:%M" : "%Y-%m-%d %H:%M", &tm))
		snprintf(when, sizeof when, "?");
	size_t pre = common_prefix(b->text, f->text, f->text_len);
	first_change(f, pre, shown);
	long long dbytes = (long long)f->text_len - (long long)text_len(b->text);
	long long dlines = (long long)count_lines(f->text, f->text_len) - (long long)text_lines(b->text);
	snprintf(out, size, "%s: unsaved changes of %s: %+lld bytes, %+lld lines, from line %zu \"%s\"; written by brisk %ld, %s%s",
	         b->name, when, dbytes, dlines, count_lines(f->text, pre), shown, f->pid,
	         journal_writer_runs(f->pid) ? "which still runs (they may be live there)" : "which has ended",
	         disk_moved(b, f) ? "; the file changed on disk since" : "");
}

/* ===== recovering ======================================================== */

/* Replaces what differs by the journal's text: one undo step, so undo
 * shows the file as it is on disk. */
static bool apply(Editor *ed, Buffer *b, const JFile *f)
{
	size_t pre = common_prefix(b->text, f->text, f->text_len);
	size_t suf = common_suffix(b->text, f->text, f->text_len, pre);
	Edit e = {pre, text_len(b->text) - pre - suf, f->text + pre, f->text_len - pre - suf};
	text_break(b->text);
	if (!buf_apply(ed, b, &e, 1, TXN_PLAIN, PLACE_MAP))
		return false;
	text_break(b->text);
	sel_reset(&b->sels, pre);
	b->goal_col = BUF_NOPOS;
	return true;
}

/* Recovers b from the journal file: the buffer takes its text. */
static bool recover_file(Editor *ed, Buffer *b, const char *file)
{
	JFile f;
	int r = load(file, &f);
	if (r <= 0)
		return msg_error(ed, "recover %s: %s", b->name, r < 0 ? "the journal is damaged" : "no journal");
	if (same_text(b, &f)) {
		jfile_free(&f);
		msg_info(ed, "%s: the journal holds the same text: nothing to recover", b->name);
		return true;
	}
	bool moved = disk_moved(b, &f), ok = apply(ed, b, &f);
	size_t len = f.text_len;
	long pid = f.pid;
	jfile_free(&f);
	if (!ok)
		return false;
	journal_took(ed, b, file, pid);
	msg_info(ed, "%s: recovered %zu bytes of unsaved changes%s (undo shows the file on disk)", b->name, len,
	         moved ? "; the file changed on disk since" : "");
	return true;
}

/* ===== offering ========================================================== */

/* The journals of one buffer still to ask about, newest first. */
typedef struct Offer {
	Editor *ed;
	int id;
	FoundList l;
	size_t i;
} Offer;

static void ask_next(void *arg);

static void answer(Editor *ed, bool yes, void *arg)
{
	Offer *o = arg;
	Buffer *b = ed_find_buffer(ed, o->id);
	const char *file = o->l.v[o->i].file;
	if (b && yes) {
		recover_file(ed, b, file);
		if (o->l.n - o->i > 1)
			msg_info(ed, "%s: %zu older journals were not offered: `recover JOURNAL` takes one of them, from %s",
			         b->name, o->l.n - o->i - 1, journal_dir(ed));
		o->i = o->l.n;
	} else if (b) {
		JFile f;
		long pid = load(file, &f) > 0 ? f.pid : 0;
		if (pid)
			jfile_free(&f);
		if (!journal_writer_runs(pid))
			keep_aside(file);
		msg_info(ed, "%s: not recovered; the journal is kept%s (`recover` restores it, `recover-discard` deletes it)",
		         b->name, journal_writer_runs(pid) ? " by the brisk that runs" : " aside");
		o->i++;
	}
	ask_next(o);
}

static void ask_next(void *arg)
{
	Offer *o = arg;
	Editor *ed = o->ed;
	Buffer *b = ed_find_buffer(ed, o->id);
	JFile f;
	for (; b && o->i < o->l.n; o->i++) {
		if (load(o->l.v[o->i].file, &f) <= 0)
			continue;
		char q[700] = "Recover ";
		describe(b, &f, q + 8, sizeof q - 9);
		jfile_free(&f);
		strcat(q, "?");
		ed_ask(ed, q, answer, o);
		return;
	}
	found_free(&o->l);
	free(o);
}

/* Keeps the journals worth offering: loadable, of this path, with another
 * text than the file (an equal one of a gone instance is deleted). */
static void keep_offers(Editor *ed, Buffer *b, FoundList *l)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		JFile f;
		int r = load(l->v[i].file, &f);
		bool keep = r > 0 && same_path(b, &f) && !same_text(b, &f);
		if (r < 0)
			msg_info(ed, "%s: its journal %s is damaged; left alone", b->name, l->v[i].file);
		else if (r > 0 && same_path(b, &f) && !keep && !journal_writer_runs(f.pid))
			unlink(l->v[i].file); /* saved after the journal was written */
		if (r > 0)
			jfile_free(&f);
		if (keep)
			l->v[k++] = l->v[i];
		else
			free(l->v[i].file);
	}
	l->n = k;
}

void recover_offer(Editor *ed, Buffer *b)
{
	FoundList l;
	if (!find(ed, b, false, &l))
		return;
	keep_offers(ed, b, &l);
	if (l.n && ed->headless) {
		for (size_t i = 0; i < l.n; i++) {
			JFile f;
			char d[700];
			if (load(l.v[i].file, &f) <= 0)
				continue;
			describe(b, &f, d, sizeof d);
			jfile_free(&f);
			msg_info(ed, "%s; `recover` restores them, `recover-discard` deletes the journal", d);
		}
	}
	Offer *o = l.n && !ed->headless ? calloc(1, sizeof *o) : NULL;
	if (!o) {
		found_free(&l);
		return;
	}
	*o = (Offer){ed, b->id, l, 0};
	/* Files opened before the UI runs are asked about once it does. */
	if (ed->ui.ask)
		ask_next(o);
	else
		loop_defer(ed->loop, ask_next, o);
}

/* ===== commands ========================================================== */

/* `recover JOURNAL`: any journal file (an unnamed buffer's) into the
 * current buffer, as one undo step; the file stays. */
static bool recover_from(Editor *ed, Buffer *b, const char *file)
{
	JFile f;
	int r = load(file, &f);
	if (r <= 0)
		return msg_error(ed, "recover %s: %s", file, r < 0 ? "not a journal or damaged" : strerror(ENOENT));
	bool ok = apply(ed, b, &f);
	size_t len = f.text_len;
	jfile_free(&f);
	if (ok)
		msg_info(ed, "%s: %zu bytes recovered from %s", b->name, len, file);
	return ok;
}

bool cmd_recover(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	FoundList l;
	if (b && args && *args) {
		/* A file name as typed: ~ and $VAR expanded (editor/path.h). */
		char *file = path_expand(args);
		if (!file)
			return msg_error(ed, "recover %s: %s", args, strerror(ENOMEM));
		bool ok = recover_from(ed, b, file);
		free(file);
		return ok;
	}
	if (!b || !b->path)
		return msg_error(ed, "recover: the buffer has no file (recover JOURNAL takes a journal file)");
	if (!find(ed, b, true, &l))
		return msg_error(ed, "recover %s: no journal", b->name);
	bool ok = recover_file(ed, b, l.v[0].file);
	found_free(&l);
	return ok;
}

bool cmd_recover_discard(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	FoundList l;
	size_t gone = 0, live = 0;
	if (!b || !b->path)
		return msg_error(ed, "recover-discard: the buffer has no file");
	find(ed, b, true, &l);
	for (size_t i = 0; i < l.n; i++) {
		JFile f;
		long pid = load(l.v[i].file, &f) > 0 ? f.pid : 0;
		if (pid)
			jfile_free(&f);
		if (journal_writer_runs(pid)) {
			live++;
		} else {
			unlink(l.v[i].file);
			gone++;
		}
	}
	found_free(&l);
	gone += journal_drop(ed, b);
	if (!gone && !live)
		msg_info(ed, "%s: no journal", b->name);
	else
		msg_info(ed, "%s: %zu journal%s deleted%s", b->name, gone, gone == 1 ? "" : "s",
		         live ? " (those of a brisk that still runs are kept)" : "");
	return true;
}
