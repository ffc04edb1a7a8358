/* Journal: background snapshots of modified buffers in the state directory
 * and their recovery (see journal.h). Writes only there: the edited file
 * itself is never touched.
 *
 * One journal file per buffer path, NAME-HASH.journal (HASH: FNV-1a of the
 * absolute path; unnamed buffers: unnamed-PID-ID.journal), mode 0600:
 *
 *	brisk journal 1
 *	pid PID
 *	time UNIX-SECONDS
 *	disk EXISTS SIZE MTIME-SEC MTIME-NSEC   (the file as loaded or saved)
 *	path LEN
 *	<LEN bytes>
 *	text LEN
 *	<LEN bytes: the whole buffer>
 *	end
 *
 * A full snapshot, never a log of edits: a journal is complete or absent
 * (temp file, fsync, rename), and the trailing "end" catches a truncated
 * copy. A journal the user declined is kept as FILE~ for `recover`. */
#include "editor/journal.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
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
	char *file;        /* journal path */
	uint64_t version;  /* text version the journal on disk holds */
	uint64_t seen;     /* version at the last tick */
	uint64_t changed_ms, dirty_ms; /* last change; first unwritten one (0: none) */
	bool written;      /* this session's journal is on disk */
	bool held;         /* an earlier session's journal awaits an answer */
	bool asked;
	bool failed;       /* the last write failed (reported once) */
	bool recovered;    /* holds an earlier journal's text: saving removes it */
} JEntry;

typedef struct Journal {
	char *dir;
	JEntry *v;
	size_t n, cap;
	uint64_t timer;    /* 0: no background journaling (headless) */
	uint64_t last_write_ms, cost_ms;
	bool keep;         /* leave the journals at exit (SIGHUP, SIGTERM) */
	bool asking;       /* a deferred question is scheduled */
	/* Big buffers are written by a child process (fork: a copy-on-write
	 * snapshot), so the loop never waits for the disk; one at a time. */
	pid_t child;
	int child_id;
	uint64_t child_version, child_t0;
	char *child_file;
} Journal;

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
		if (!j->dir) {
			free(j);
			return NULL;
		}
		ed->journal = j;
	}
	return ed->journal;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* NAME-HASH.journal: readable in a listing, unique per path. */
static char *file_for(const Journal *j, const char *path, int id)
{
	char name[128] = "", out[PATH_MAX];
	if (path) {
		const char *base = strrchr(path, '/');
		base = base && base[1] ? base + 1 : path;
		size_t k = 0;
		for (; base[k] && k < 64; k++)
			name[k] = isalnum((unsigned char)base[k]) || strchr("-_.", base[k]) ? base[k] : '_';
		if (name[0] == '.')
			name[0] = '_';
		snprintf(name + k, sizeof name - k, "-%016" PRIx64 ".journal", fnv1a(path));
	} else {
		snprintf(name, sizeof name, "unnamed-%ld-%d.journal", (long)getpid(), id);
	}
	snprintf(out, sizeof out, "%s/%s", j->dir, name);
	return strdup(out);
}

char *journal_path_of(Editor *ed, const char *path)
{
	Journal *j = jr(ed);
	return j ? file_for(j, path, 0) : NULL;
}

static JEntry *entry_of(Journal *j, const Buffer *b, bool create)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->v[i].id == b->id)
			return &j->v[i];
	if (!create)
		return NULL;
	if (j->n == j->cap) {
		size_t nc = j->cap ? j->cap * 2 : 8;
		JEntry *nv = realloc(j->v, nc * sizeof *nv);
		if (!nv)
			return NULL;
		j->v = nv;
		j->cap = nc;
	}
	char *file = file_for(j, b->path, b->id);
	if (!file)
		return NULL;
	j->v[j->n] = (JEntry){.id = b->id, .file = file};
	return &j->v[j->n++];
}

/* Removes this session's journal file of e (not an earlier session's). */
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
	j->v[i] = j->v[--j->n];
}

/* ===== writing =========================================================== */

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool make_dir(const char *dir)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s", dir);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	return mkdir(p, 0700) == 0 || errno == EEXIST;
}

static bool write_body(int fd, const Buffer *b)
{
	char head[256];
	const char *path = b->path ? b->path : "";
	const FileInfo *d = &b->disk;
	int n = snprintf(head, sizeof head, MAGIC "pid %ld\ntime %lld\ndisk %d %lld %lld %ld\npath %zu\n",
	                 (long)getpid(), (long long)time(NULL), d->exists ? 1 : 0, (long long)d->size,
	                 (long long)d->mtime.tv_sec, (long)d->mtime.tv_nsec, strlen(path));
	if (!write_all(fd, head, (size_t)n) || !write_all(fd, path, strlen(path)))
		return false;
	const Text *t = b->text;
	n = snprintf(head, sizeof head, "\ntext %zu\n", text_len(t));
	if (!write_all(fd, head, (size_t)n))
		return false;
	for (size_t pos = 0, len; pos < text_len(t); pos += len) {
		const char *p = text_span(t, pos, &len);
		if (len == 0 || !write_all(fd, p, len))
			return false;
	}
	return write_all(fd, "\nend\n", 5);
}

/* Temp file in the same directory, fsync, rename: complete or absent. */
static bool write_journal(const Journal *j, const Buffer *b, const char *file)
{
	if (!make_dir(j->dir))
		return false;
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", j->dir);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return false;
	if (!write_body(fd, b) || fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return false;
	}
	if (close(fd) != 0 || rename(tmp, file) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return false;
	}
	int dfd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return true;
}

static bool write_entry(Editor *ed, Journal *j, Buffer *b, JEntry *e)
{
	uint64_t t0 = loop_now_ms();
	bool ok = write_journal(j, b, e->file);
	int err = errno;
	j->last_write_ms = loop_now_ms();
	j->cost_ms = j->last_write_ms - t0;
	if (!ok) {
		if (!e->failed)
			msg_error(ed, "journal %s: %s (unsaved changes are not protected)", e->file, strerror(err));
		e->failed = true;
		j->cost_ms = 1000; /* retry in BACKOFF seconds */
		return false;
	}
	e->failed = false;
	e->written = true;
	e->version = e->seen = b->text->version;
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
	if (!e || e->held || !wanted(ed, b) || strcmp(e->file, j->child_file) != 0) {
		if (ok) /* saved, closed or renamed meanwhile: stale */
			unlink(j->child_file);
	} else if (ok) {
		e->failed = false;
		e->written = true;
		e->version = j->child_version;
	} else {
		if (!e->failed)
			msg_error(ed, "journal %s: could not write it (unsaved changes are not protected)", e->file);
		e->failed = true;
		j->cost_ms = 1000;
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
		if (!e || e->held)
			continue;
		if (!want) {
			drop_file(e); /* saved, undone to the saved text, reloaded */
			continue;
		}
		uint64_t v = b->text->version;
		if (e->written && e->version == v) {
			e->dirty_ms = 0;
			continue;
		}
		if (e->seen != v || !e->dirty_ms) {
			if (!e->dirty_ms)
				e->dirty_ms = now;
			e->seen = v;
			e->changed_ms = now;
		}
		if (now - e->changed_ms < QUIET_MS && now - e->dirty_ms < MAX_DELAY_MS)
			continue;
		if (j->child || now - j->last_write_ms < j->cost_ms * BACKOFF)
			continue;
		if (text_len(b->text) >= FORK_MIN)
			write_async(ed, j, b, e);
		else
			write_entry(ed, j, b, e);
	}
}

void journal_start(Editor *ed)
{
	Journal *j = jr(ed);
	if (j && !j->timer)
		j->timer = loop_timer_add(ed->loop, TICK_MS, true, tick, ed);
}

void journal_saved(Editor *ed, Buffer *b)
{
	Journal *j = ed->journal;
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++)
		if (j->v[i].id == b->id && !j->v[i].held) {
			/* Its file name may change too (save-as): start afresh. */
			if (j->v[i].recovered) {
				char old[PATH_MAX];
				snprintf(old, sizeof old, "%s~", j->v[i].file);
				unlink(j->v[i].file);
				unlink(old);
			}
			drop_file(&j->v[i]);
			entry_remove(j, i);
			return;
		}
}

static void keep_aside(const char *file)
{
	char old[PATH_MAX];
	snprintf(old, sizeof old, "%s~", file);
	rename(file, old);
}

int journal_flush(Editor *ed)
{
	Journal *j = jr(ed);
	int failed = 0;
	if (!j)
		return -1;
	reap(ed, j, true);
	j->keep = true;
	for (Buffer *b = ed->bufs; b; b = b->next) {
		if (!wanted(ed, b))
			continue;
		JEntry *e = entry_of(j, b, true);
		if (!e) {
			failed++;
			continue;
		}
		if (e->held) { /* never answered: keep both */
			keep_aside(e->file);
			e->held = false;
		}
		if (e->written && e->version == b->text->version)
			continue;
		j->cost_ms = 0;
		if (!write_entry(ed, j, b, e))
			failed++;
	}
	return failed;
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
	}
	free(j->v);
	free(j->dir);
	free(j);
	ed->journal = NULL;
}

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
	size_t n = (size_t)st.st_size, got = 0;
	char *p = malloc(n + 1);
	while (p && got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!p || got != n) {
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

/* The brisk that wrote a journal still runs (another instance editing the
 * same file): its changes may be live there. Zombies do not count. */
static bool writer_runs(long pid)
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

/* What recovering would change, for the question or the headless message:
 * "r.txt: unsaved changes of 10:53: +7 bytes, +0 lines, from line 1
 * "EDITED line one"". */
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
	char live[80] = "";
	if (writer_runs(f->pid))
		snprintf(live, sizeof live, " (brisk %ld still runs: they may be live there)", f->pid);
	snprintf(out, size, "%s: unsaved changes of %s%s: %+lld bytes, %+lld lines, from line %zu \"%s\"%s", b->name,
	         when, live, dbytes, dlines, count_lines(f->text, pre), shown,
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

/* Recovers b from its journal, or from the one kept aside (FILE~). */
static bool recover(Editor *ed, Buffer *b, JEntry *e)
{
	char old[PATH_MAX];
	const char *from = e->file;
	JFile f;
	int r = load(from, &f);
	snprintf(old, sizeof old, "%s~", e->file);
	if (r <= 0 && (r = load(old, &f)) > 0)
		from = old;
	if (r <= 0)
		return msg_error(ed, "recover %s: %s", b->name, r < 0 ? "the journal is damaged" : "no journal");
	e->held = false;
	if (same_text(b, &f)) {
		jfile_free(&f);
		msg_info(ed, "%s: the journal holds the same text: nothing to recover", b->name);
		return true;
	}
	bool moved = disk_moved(b, &f), ok = apply(ed, b, &f);
	size_t len = f.text_len;
	jfile_free(&f);
	if (!ok)
		return false;
	Journal *j = ed->journal;
	e->recovered = true;
	/* Ours now: journal it at once; the copy kept aside can go. */
	if (j->timer && write_entry(ed, j, b, e) && from == old)
		unlink(old);
	msg_info(ed, "%s: recovered %zu bytes of unsaved changes%s (undo shows the file on disk)", b->name, len,
	         moved ? "; the file changed on disk since" : "");
	return true;
}

static void answer(Editor *ed, bool yes, void *arg)
{
	Buffer *b = ed_find_buffer(ed, (int)(long)arg);
	Journal *j = ed->journal;
	JEntry *e = b && j ? entry_of(j, b, false) : NULL;
	if (!e || !e->held)
		return;
	if (yes) {
		recover(ed, b, e);
		return;
	}
	e->held = false;
	keep_aside(e->file);
	msg_info(ed, "%s: not recovered; the journal is kept as %s~ (`recover` restores it, `recover-discard` deletes it)",
	         b->name, e->file);
}

static void ask(Editor *ed, Buffer *b, JEntry *e)
{
	JFile f;
	char q[600];
	e->asked = true;
	if (load(e->file, &f) <= 0) {
		e->held = false;
		return;
	}
	snprintf(q, sizeof q, "Recover ");
	describe(b, &f, q + 8, sizeof q - 8);
	jfile_free(&f);
	snprintf(q + strlen(q), sizeof q - strlen(q), "?");
	ed_ask(ed, q, answer, (void *)(long)b->id);
}

/* Files opened before the UI started are asked about once it runs. */
static void ask_held(void *arg)
{
	Editor *ed = arg;
	Journal *j = ed->journal;
	j->asking = false;
	for (size_t i = 0; i < j->n; i++) {
		Buffer *b = ed_find_buffer(ed, j->v[i].id);
		if (b && j->v[i].held && !j->v[i].asked)
			ask(ed, b, &j->v[i]);
	}
}

/* A message that is not an error (headless: on stderr, exit status kept). */
static void note(Editor *ed, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(Editor *ed, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vlog(ed, false, fmt, ap);
	va_end(ap);
}

void journal_opened(Editor *ed, Buffer *b)
{
	Journal *j = jr(ed);
	JEntry *e = j && b->path && !b->readonly ? entry_of(j, b, true) : NULL;
	JFile f;
	if (!e)
		return;
	int r = load(e->file, &f);
	if (r < 0)
		note(ed, "%s: its journal %s is damaged; left alone", b->name, e->file);
	if (r <= 0)
		return;
	if (same_text(b, &f)) { /* saved after the journal was written */
		unlink(e->file);
		jfile_free(&f);
		return;
	}
	e->held = true;
	if (ed->headless) {
		char d[600];
		describe(b, &f, d, sizeof d);
		note(ed, "%s; `recover` restores them, `recover-discard` deletes the journal", d);
	} else if (ed->ui.ask) {
		ask(ed, b, e);
	} else if (!j->asking) {
		j->asking = true;
		loop_defer(ed->loop, ask_held, ed);
	}
	jfile_free(&f);
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
	Journal *j = jr(ed);
	if (b && args && *args)
		return recover_from(ed, b, args);
	if (!b || !b->path)
		return msg_error(ed, "recover: the buffer has no file (recover JOURNAL takes a journal file)");
	JEntry *e = j ? entry_of(j, b, true) : NULL;
	if (!e)
		return msg_error(ed, "recover: %s", strerror(ENOMEM));
	return recover(ed, b, e);
}

bool cmd_recover_discard(Editor *ed, const char *args)
{
	Buffer *b = ed->cur;
	Journal *j = jr(ed);
	if (!b || !b->path)
		return msg_error(ed, "recover-discard: the buffer has no file");
	JEntry *e = j ? entry_of(j, b, true) : NULL;
	if (!e)
		return msg_error(ed, "recover-discard: %s", strerror(ENOMEM));
	char old[PATH_MAX];
	snprintf(old, sizeof old, "%s~", e->file);
	bool had = unlink(e->file) == 0;
	had = (unlink(old) == 0) || had;
	e->held = e->written = e->recovered = false;
	msg_info(ed, had ? "%s: journal deleted" : "%s: no journal", b->name);
	return true;
}
