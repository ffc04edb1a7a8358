/* Journal: background snapshots of this instance's modified buffers in the
 * state directory, the rescue files of a hangup with nowhere to journal,
 * and the rollback of interrupted saves at open (see journal.h for the
 * format). Writes only there: the edited file itself is touched only to
 * roll back a save of it. Reading other journals back is recover.c. */
#include "editor/journal.h"
#include "editor/recover.h"
#include "buffer/array.h"
#include "buffer/fdio.h"
#include "buffer/fileio.h"
#include "buffer/hash.h"
#include "buffer/rollback.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 250        /* how often the timer looks at the buffers */
#define QUIET_MS 1000      /* written this long after the last change... */
#define MAX_DELAY_MS 5000  /* ...or this long after the first unwritten one */
#define BACKOFF 10         /* a write that took T ms waits 10 T before the next */
#define FORK_MIN (256 << 10) /* bigger buffers are written by a child process */
#define MAGIC "brisk journal 1\n"

typedef struct JEntry {
	int id;            /* buffer id */
	char *file;        /* this instance's journal of it */
	uint64_t version;  /* text version the journal on disk holds */
	uint64_t seen;     /* version at the last tick */
	uint64_t changed_ms, dirty_ms; /* last change; first unwritten one (0: none) */
	bool written;      /* the journal is on disk */
	bool failed;       /* the last write failed (reported once) */
	char *took;        /* another journal whose text the buffer took (recover.c) */
	long took_pid;     /* ...and the brisk that wrote it */
} JEntry;

typedef struct Journal {
	char *dir;         /* NULL: no state directory (no HOME): nowhere to journal */
	char inst[48];     /* this instance: PID-START */
	JEntry *v;
	size_t n, cap;
	uint64_t timer;    /* 0: no background journaling (headless) */
	uint64_t last_write_ms, cost_ms;
	bool keep;         /* leave the journals at exit (SIGHUP, SIGTERM) */
	bool failing;      /* the last write failed: the status bar says so */
	char **rescued;    /* "NAME: ... written to PATH" lines, told at exit */
	size_t nrescued, caprescued;
	/* Big buffers are written by a child process (fork: a copy-on-write
	 * snapshot), so the loop never waits for the disk; one at a time. */
	pid_t child;
	int child_id;
	uint64_t child_version, child_t0;
	char *child_file;
} Journal;

/* ===== state ============================================================= */

static char *state_dir(void)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char buf[PATH_MAX];
	if (x && x[0] == '/')
		snprintf(buf, sizeof buf, "%s/brisk", x);
	else if (home && *home)
		snprintf(buf, sizeof buf, "%s/.local/state/brisk", home);
	else
		return NULL;
	return strdup(buf);
}

static Journal *jr(Editor *ed)
{
	if (!ed->journal) {
		Journal *j = calloc(1, sizeof *j);
		if (!j)
			return NULL;
		j->dir = state_dir();
		snprintf(j->inst, sizeof j->inst, "%ld-%llx", (long)getpid(), (unsigned long long)time(NULL));
		ed->journal = j;
	}
	return ed->journal;
}

const char *journal_dir(Editor *ed)
{
	Journal *j = jr(ed);
	return j ? j->dir : NULL;
}

bool journal_failing(Editor *ed)
{
	return ed->journal && ed->journal->failing;
}

/* This instance's journal of a buffer: NAME-HASH.INST.journal. */
static char *file_for(const Journal *j, const char *path, int id)
{
	char tag[128], *out = NULL;
	if (path)
		hash_path_tag(path, tag, sizeof tag);
	int r = path ? asprintf(&out, "%s/%s.%s.journal", j->dir, tag, j->inst)
	             : asprintf(&out, "%s/unnamed-%ld-%d.journal", j->dir, (long)getpid(), id);
	return r < 0 ? NULL : out;
}

bool journal_is_mine(Editor *ed, const char *name)
{
	Journal *j = jr(ed);
	char suffix[64];
	size_t nl = strlen(name), sl;
	if (!j)
		return false;
	snprintf(suffix, sizeof suffix, ".%s.journal", j->inst);
	sl = strlen(suffix);
	return nl >= sl && strcmp(name + nl - sl, suffix) == 0;
}

static JEntry *entry_of(Journal *j, const Buffer *b, bool create)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->v[i].id == b->id)
			return &j->v[i];
	if (!create || !j->dir || !ARRAY_RESERVE(j->v, j->cap, j->n + 1))
		return NULL;
	char *file = file_for(j, b->path, b->id);
	if (!file)
		return NULL;
	j->v[j->n] = (JEntry){.id = b->id, .file = file};
	return &j->v[j->n++];
}

/* Removes this instance's journal file of e. */
static void drop_file(JEntry *e)
{
	if (e->written)
		unlink(e->file);
	e->written = false;
	e->dirty_ms = 0;
}

static void entry_remove(Journal *j, size_t i)
{
	free(j->v[i].file);
	free(j->v[i].took);
	j->v[i] = j->v[--j->n];
}

/* ===== writing =========================================================== */

/* Allocates nothing: write_async runs it in a forked child (and so not
 * text_write, which mallocs a buffer for clean pages). */
static bool write_text(int fd, const Text *t)
{
	for (size_t pos = 0, len; pos < text_len(t); pos += len) {
		const char *p = text_span(t, pos, &len);
		if (len == 0 || !fd_write_all(fd, p, len))
			return false;
	}
	return true;
}

static bool write_body(int fd, const Buffer *b)
{
	char head[256];
	const char *path = b->path ? b->path : "";
	const FileInfo *d = &b->disk;
	int n = snprintf(head, sizeof head, MAGIC "pid %ld\ntime %lld\ndisk %d %lld %lld %ld\npath %zu\n",
	                 (long)getpid(), (long long)time(NULL), d->exists ? 1 : 0, (long long)d->size,
	                 (long long)d->mtime.tv_sec, (long)d->mtime.tv_nsec, strlen(path));
	if (!fd_write_all(fd, head, (size_t)n) || !fd_write_all(fd, path, strlen(path)))
		return false;
	n = snprintf(head, sizeof head, "\ntext %zu\n", text_len(b->text));
	return fd_write_all(fd, head, (size_t)n) && write_text(fd, b->text) && fd_write_all(fd, "\nend\n", 5);
}

static bool fill_body(int fd, void *b) { return write_body(fd, b); }

/* Complete or absent: a temp file beside it, fsynced, renamed. */
static bool write_journal(const Journal *j, const Buffer *b, const char *file)
{
	return j->dir && fd_mkdir_p(j->dir, 0700) && file_write_atomic(file, fill_body, (void *)b);
}

/* Says once that e's journal cannot be written; the status bar keeps
 * showing it until a write succeeds. */
static void write_failed(Editor *ed, Journal *j, JEntry *e, int err)
{
	if (!e->failed)
		msg_error(ed, "journal %s: %s (unsaved changes are not protected; a hangup writes them to NAME.brisk-save)",
		          e->file, strerror(err));
	e->failed = true;
	j->failing = true;
	j->cost_ms = 1000; /* retry in BACKOFF seconds */
}

static void write_done(Journal *j, JEntry *e, uint64_t version)
{
	e->failed = false;
	e->written = true;
	e->version = version;
	j->failing = false;
	/* A taken journal of a brisk that is gone lives on in ours now. */
	if (e->took && !journal_writer_runs(e->took_pid)) {
		recover_remove(e->took);
		free(e->took);
		e->took = NULL;
	}
}

static bool write_entry(Editor *ed, Journal *j, Buffer *b, JEntry *e)
{
	uint64_t t0 = loop_now_ms();
	bool ok = write_journal(j, b, e->file);
	int err = errno;
	j->last_write_ms = loop_now_ms();
	j->cost_ms = j->last_write_ms - t0;
	if (!ok) {
		write_failed(ed, j, e, err);
		return false;
	}
	write_done(j, e, b->text->version);
	e->seen = b->text->version;
	e->dirty_ms = 0;
	return true;
}

/* Starts a child that writes b's journal; falls back to writing here. */
static void write_async(Editor *ed, Journal *j, Buffer *b, JEntry *e)
{
	char *file = strdup(e->file);
	pid_t pid = file ? fork() : -1;
	if (pid == 0) /* only write(2) and friends here: no malloc, no stdio */
		_exit(write_journal(j, b, file) ? 0 : 1);
	if (pid < 0) {
		free(file);
		write_entry(ed, j, b, e);
		return;
	}
	j->child = pid;
	j->child_id = b->id;
	j->child_version = b->text->version;
	j->child_t0 = loop_now_ms();
	j->child_file = file;
	e->dirty_ms = 0; /* in flight */
}

static bool wanted(Editor *ed, const Buffer *b);

/* Collects the writer child (block: waits for it). */
static void reap(Editor *ed, Journal *j, bool block)
{
	int st = 0;
	pid_t r;
	if (!j->child)
		return;
	while ((r = waitpid(j->child, &st, block ? 0 : WNOHANG)) < 0 && errno == EINTR)
		;
	if (r == 0)
		return;
	bool ok = r > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	Buffer *b = ed_find_buffer(ed, j->child_id);
	JEntry *e = b ? entry_of(j, b, false) : NULL;
	j->child = 0;
	j->last_write_ms = loop_now_ms();
	j->cost_ms = j->last_write_ms - j->child_t0;
	if (!e || !wanted(ed, b) || strcmp(e->file, j->child_file) != 0) {
		if (ok) /* saved, closed or renamed meanwhile: stale */
			unlink(j->child_file);
	} else if (ok) {
		write_done(j, e, j->child_version);
	} else {
		write_failed(ed, j, e, EIO);
	}
	free(j->child_file);
	j->child_file = NULL;
}

/* Buffers worth a journal: the user's modified text. */
static bool wanted(Editor *ed, const Buffer *b)
{
	return b != ed->messages && !b->readonly && buf_is_modified(b);
}

/* Journals of buffers that were closed go with them. */
static void prune(Editor *ed, Journal *j)
{
	for (size_t i = j->n; i-- > 0;)
		if (!ed_find_buffer(ed, j->v[i].id)) {
			drop_file(&j->v[i]);
			entry_remove(j, i);
		}
}

/* Is it time to write e (changes settled, or waiting too long)? */
static bool due(Journal *j, JEntry *e, uint64_t v, uint64_t now)
{
	if (e->written && e->version == v) {
		e->dirty_ms = 0;
		return false;
	}
	if (e->seen != v || !e->dirty_ms) {
		if (!e->dirty_ms)
			e->dirty_ms = now;
		e->seen = v;
		e->changed_ms = now;
	}
	if (now - e->changed_ms < QUIET_MS && now - e->dirty_ms < MAX_DELAY_MS)
		return false;
	return !j->child && now - j->last_write_ms >= j->cost_ms * BACKOFF;
}

static void tick(void *arg)
{
	Editor *ed = arg;
	Journal *j = ed->journal;
	uint64_t now = loop_now_ms();
	reap(ed, j, false);
	prune(ed, j);
	for (Buffer *b = ed->bufs; b; b = b->next) {
		bool want = wanted(ed, b);
		JEntry *e = entry_of(j, b, want);
		if (!e)
			continue;
		if (!want) {
			drop_file(e); /* saved, undone to the saved text, reloaded */
			continue;
		}
		if (!due(j, e, b->text->version, now))
			continue;
		if (text_len(b->text) >= FORK_MIN)
			write_async(ed, j, b, e);
		else
			write_entry(ed, j, b, e);
	}
}

/* Says at once when the directory cannot take journals. */
static void probe(Editor *ed, Journal *j)
{
	int e = ENOENT;
	if (j->dir && fd_mkdir_p(j->dir, 0700) && faccessat(AT_FDCWD, j->dir, W_OK | X_OK, AT_EACCESS) == 0)
		return;
	if (j->dir)
		e = errno;
	j->failing = true;
	msg_error(ed, "journal: cannot write %s: %s; unsaved changes are not protected (a hangup writes them to NAME.brisk-save)",
	          j->dir ? j->dir : "a state directory (no HOME)", strerror(e));
}

void journal_start(Editor *ed)
{
	Journal *j = jr(ed);
	if (!j || j->timer)
		return;
	j->timer = loop_timer_add(ed->loop, TICK_MS, true, tick, ed);
	probe(ed, j);
}

void journal_sync(Editor *ed, Buffer *b)
{
	Journal *j = jr(ed);
	if (j && j->dir)
		fd_mkdir_p(j->dir, 0700); /* for the rollback journal */
	JEntry *e = j && j->timer && wanted(ed, b) ? entry_of(j, b, true) : NULL;
	if (!e)
		return;
	reap(ed, j, true); /* an older copy in flight must not land after this one */
	if (!e->written || e->version != b->text->version)
		write_entry(ed, j, b, e);
}

void journal_took(Editor *ed, Buffer *b, const char *source, long pid)
{
	Journal *j = jr(ed);
	JEntry *e = j ? entry_of(j, b, true) : NULL;
	if (!e)
		return;
	free(e->took);
	e->took = strdup(source);
	e->took_pid = pid;
	if (j->timer) {
		reap(ed, j, true);
		write_entry(ed, j, b, e);
	}
}

void journal_saved(Editor *ed, Buffer *b)
{
	Journal *j = ed->journal;
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++)
		if (j->v[i].id == b->id) {
			JEntry *e = &j->v[i];
			if (e->took && !journal_writer_runs(e->took_pid))
				recover_remove(e->took);
			/* Its file name may change too (save-as): start afresh. */
			drop_file(e);
			entry_remove(j, i);
			return;
		}
}

bool journal_drop(Editor *ed, Buffer *b)
{
	Journal *j = ed->journal;
	JEntry *e = j ? entry_of(j, b, false) : NULL;
	bool had = e && e->written;
	if (e) {
		reap(ed, j, true);
		drop_file(e);
		free(e->took);
		e->took = NULL;
	}
	return had;
}

/* ===== a hangup with nowhere to journal ================================== */

/* Writes the text to dir/base.brisk-save (.1, .2... when taken); the path
 * written, malloc'd, or NULL. */
static char *rescue_in(const Buffer *b, const char *dir, const char *base)
{
	for (int k = 0; k < 100; k++) {
		char *path = NULL;
		if ((k ? asprintf(&path, "%s/%s.brisk-save.%d", dir, base, k) : asprintf(&path, "%s/%s.brisk-save", dir, base)) < 0)
			return NULL;
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			free(path);
			if (errno == EEXIST)
				continue;
			return NULL;
		}
		bool ok = write_text(fd, b->text) && fsync(fd) == 0;
		if (close(fd) == 0 && ok)
			return path;
		unlink(path);
		free(path);
		return NULL;
	}
	return NULL;
}

/* Next to the file, else in $HOME, else in /tmp: never nowhere. */
static char *rescue(const Buffer *b)
{
	char base[NAME_MAX + 1], dir[PATH_MAX] = "";
	const char *home = getenv("HOME"), *slash = b->path ? strrchr(b->path, '/') : NULL;
	char *out = NULL;
	if (slash) {
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - b->path), b->path);
		snprintf(base, sizeof base, "%s", slash + 1);
	} else {
		snprintf(base, sizeof base, "unnamed-%ld-%d", (long)getpid(), b->id);
	}
	if (dir[0])
		out = rescue_in(b, dir, base);
	if (!out && home && *home)
		out = rescue_in(b, home, base);
	if (!out)
		out = rescue_in(b, "/tmp", base);
	return out;
}

static void rescue_note(Journal *j, const Buffer *b, const char *where)
{
	char *line;
	int n = where ? asprintf(&line, "%s: the journal could not be written; unsaved changes written to %s", b->name, where)
	              : asprintf(&line, "%s: the journal could not be written, nor a .brisk-save file: unsaved changes lost", b->name);
	if (n < 0)
		return;
	if (!ARRAY_RESERVE(j->rescued, j->caprescued, j->nrescued + 1)) {
		free(line);
		return;
	}
	j->rescued[j->nrescued++] = line;
}

int journal_flush(Editor *ed)
{
	Journal *j = jr(ed);
	int lost = 0;
	if (!j)
		return -1;
	reap(ed, j, true);
	j->keep = true;
	for (Buffer *b = ed->bufs; b; b = b->next) {
		if (!wanted(ed, b))
			continue;
		JEntry *e = entry_of(j, b, true);
		if (e && e->written && e->version == b->text->version)
			continue;
		j->cost_ms = 0;
		if (e && write_entry(ed, j, b, e))
			continue;
		char *where = rescue(b);
		rescue_note(j, b, where);
		lost += where == NULL;
		free(where);
	}
	return lost;
}

void journal_free(Editor *ed)
{
	Journal *j = ed->journal;
	if (!j)
		return;
	if (j->timer)
		loop_timer_cancel(ed->loop, j->timer);
	reap(ed, j, true);
	for (size_t i = 0; i < j->n; i++) {
		if (!j->keep)
			drop_file(&j->v[i]);
		free(j->v[i].file);
		free(j->v[i].took);
	}
	/* The UI is gone: these reach stderr. */
	for (size_t i = 0; i < j->nrescued; i++) {
		msg_error(ed, "%s", j->rescued[i]);
		free(j->rescued[i]);
	}
	free(j->rescued);
	free(j->v);
	free(j->dir);
	free(j);
	ed->journal = NULL;
}

/* ===== at open =========================================================== */

void journal_opened(Editor *ed, Buffer *b)
{
	if (b->path && !b->readonly)
		recover_offer(ed, b);
}

void journal_rollback(Editor *ed, const char *path)
{
	Journal *j = jr(ed);
	char *target = j && j->dir ? file_resolve(path) : NULL;
	char *jpath = target ? rollback_path(j->dir, target) : NULL;
	RbResult r = jpath ? rollback_recover(jpath, target) : RB_NONE;
	int e = errno;
	if (r == RB_ROLLED_BACK)
		msg_info(ed, "%s: a save of it was interrupted; the file is back as it was before that save", target);
	else if (r == RB_BUSY)
		msg_info(ed, "%s: another brisk is saving it right now", target);
	else if (r == RB_MISMATCH)
		msg_error(ed, "%s: the rollback journal %s is of another copy of this file (replaced since?): left alone", target, jpath);
	else if (r == RB_FAILED)
		msg_error(ed, "%s: could not roll back an interrupted save from %s: %s", target, jpath, strerror(e));
	free(jpath);
	free(target);
}

/* The brisk that wrote a journal still runs (another instance editing the
 * same file): its changes may be live there. Zombies do not count. */
bool journal_writer_runs(long pid)
{
	char path[64], buf[256];
	if (pid <= 0 || pid == (long)getpid())
		return false;
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *fp = fopen(path, "re");
	if (!fp)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	const char *rp = strrchr(buf, ')');
	return strncmp(buf + strcspn(buf, "("), "(brisk", 6) == 0 && rp && rp[1] == ' ' && rp[2] && !strchr("ZXx", rp[2]);
}
