/* journal.c - the journal of machine changes and its replay.
 *
 * Every change reclaimbench makes to the machine is first appended (and
 * fsync'd) to <state dir>/journal as one tab-separated record saying how to
 * undo it. rb_journal_finish(), `reclaimbench restore` and the next run
 * replay the records newest first, so the oldest saved value of a knob is the
 * one left in place. Undo steps are idempotent: replaying a journal on an
 * already restored machine changes nothing and fails nothing.
 *
 * A record is written before its change is made, so a torn last line (a
 * crash in the middle of the append) describes a change that never happened
 * and is skipped. Relative paths are made absolute (from the current
 * directory) before they are recorded: `restore` runs from anywhere.
 *
 * Workers are forked without exec and inherit the journal, so
 * rb_journal_finish() replays only in the process that began it. */
#include "journal.h"

#include "cgroup.h"
#include "swap.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define JOURNAL_NAME  "journal"
#define HEADER_MAGIC  "reclaimbench-journal v1"
#define OWNER_COMM    "reclaimbench"
#define WRITE_TRIES   3           /* a memory block may take a moment to online */
#define RETRY_NS      100000000L  /* between tries: 100 ms */
#define RMTREE_FDS    16

struct rb_journal {
	int fd;
	pid_t owner; /* the process that began it; only it replays */
	char path[PATH_MAX];
};

const char *rb_state_dir(void)
{
	const char *dir = getenv("RECLAIMBENCH_STATE_DIR");

	return dir && *dir ? dir : RB_STATE_DIR_DEFAULT;
}

void rb_journal_path(char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s/%s", rb_state_dir(), JOURNAL_NAME);
}

/* Copy of s with \t, \n and \\ escaped (malloc'd), or NULL. */
static char *escape(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *p = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		char e = *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\\' ? '\\' : 0;

		if (e) {
			*p++ = '\\';
			*p++ = e;
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return out;
}

/* Undo escape() in place. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*w++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	(void)close(fd);
	return ret;
}

/* mkdir -p: missing parents 0755, the directory itself 0700. */
static int make_state_dir(const char *dir)
{
	char buf[PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Read a whole file into a malloc'd, NUL-terminated buffer. Returns its
 * length or -errno. */
static long read_file(const char *path, char **out)
{
	size_t cap = 0, len = 0;
	char *buf = NULL, *grown;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = 1;
	long ret = 0;

	if (fd < 0)
		return -errno;
	while (n > 0) {
		if (len + 1 >= cap) {
			cap = cap ? 2 * cap : 4096;
			grown = realloc(buf, cap);
			if (!grown) {
				ret = -ENOMEM;
				break;
			}
			buf = grown;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			n = 1;
		else if (n < 0)
			ret = -errno;
		else
			len += (size_t)n;
	}
	(void)close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	*out = buf;
	return (long)len;
}

/* The pid in a journal header ("... pid=123 ..."), or 0. */
static pid_t header_pid(const char *text)
{
	const char *eol = strchr(text, '\n'), *p = strstr(text, " pid=");

	if (!p || (eol && p > eol))
		return 0;
	return (pid_t)strtol(p + 5, NULL, 10);
}

/* True if pid is a live (not zombie) process named reclaimbench, other than
 * this one: the owner of a journal that is still running. Exposed to the
 * tests only through the journal header. */
static bool owner_running(pid_t pid)
{
	char path[64], *stat = NULL, *lp, *rp;
	bool running = false;

	if (pid <= 0 || pid == getpid())
		return false;
	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_file(path, &stat) < 0)
		return false;
	lp = strchr(stat, '(');
	rp = strrchr(stat, ')');
	if (lp && rp && rp > lp && rp[1] == ' ') {
		*rp = '\0';
		running = !strcmp(lp + 1, OWNER_COMM) && rp[2] != 'Z' && rp[2] != 'X';
	}
	free(stat);
	return running;
}

/* Fill err for a journal that is already there. */
static void explain_existing(const char *path, char *err, size_t errlen)
{
	char *text = NULL;
	pid_t pid = read_file(path, &text) >= 0 ? header_pid(text) : 0;

	if (owner_running(pid))
		(void)snprintf(err, errlen, "another run (pid %d) is in progress", (int)pid);
	else
		(void)snprintf(err, errlen, "a previous run did not finish (journal %s); "
			       "run `reclaimbench restore` first", path);
	free(text);
}

static int write_header(int fd, const char *results_dir)
{
	char *esc = escape(results_dir ? results_dir : ""), *line = NULL;
	int ret = -ENOMEM;

	if (esc && asprintf(&line, HEADER_MAGIC " pid=%d start=%lld results=%s\n",
			    (int)getpid(), (long long)time(NULL), esc) >= 0) {
		ret = write_all(fd, line, strlen(line));
		free(line);
	}
	if (!ret && fsync(fd))
		ret = -errno;
	free(esc);
	return ret;
}

int rb_journal_begin(const char *results_dir, struct rb_journal **out, char *err, size_t errlen)
{
	struct rb_journal *j = calloc(1, sizeof(*j));
	int ret = j ? make_state_dir(rb_state_dir()) : -ENOMEM;

	*out = NULL;
	if (ret) {
		(void)snprintf(err, errlen, "cannot create state directory %s: %s",
			       rb_state_dir(), strerror(-ret));
		goto err_free;
	}
	rb_journal_path(j->path, sizeof(j->path));
	j->fd = open(j->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	if (j->fd < 0) {
		ret = -errno;
		if (ret == -EEXIST)
			explain_existing(j->path, err, errlen);
		else
			(void)snprintf(err, errlen, "cannot create journal %s: %s", j->path,
				       strerror(-ret));
		goto err_free;
	}
	ret = write_header(j->fd, results_dir);
	if (!ret)
		ret = fsync_dir(rb_state_dir());
	if (ret) {
		(void)snprintf(err, errlen, "cannot write journal %s: %s", j->path, strerror(-ret));
		goto err_unlink;
	}
	j->owner = getpid();
	*out = j;
	return 0;
err_unlink:
	(void)close(j->fd);
	(void)unlink(j->path);
err_free:
	free(j);
	return ret;
}

/* path, made absolute against the current directory, into buf (PATH_MAX). */
static int absolute(const char *path, char *buf)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return snprintf(buf, PATH_MAX, "%s", path) < PATH_MAX ? 0 : -ENAMETOOLONG;
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	return snprintf(buf, PATH_MAX, "%s/%s", cwd, path) < PATH_MAX ? 0 : -ENAMETOOLONG;
}

/* Append "type<TAB>path[<TAB>value]\n" in one write and fsync it. A failed
 * append is cut off again, so a torn record never runs into the next one. */
static int append(struct rb_journal *j, const char *type, const char *path, const char *value)
{
	char abspath[PATH_MAX], *epath = NULL, *evalue = NULL, *line = NULL;
	off_t end;
	int ret;

	if (!j || !path || !*path)
		return -EINVAL;
	ret = absolute(path, abspath);
	if (ret)
		return ret;
	ret = -ENOMEM;
	epath = escape(abspath);
	evalue = value ? escape(value) : NULL;
	if (!epath || (value && !evalue))
		goto out;
	if (asprintf(&line, "%s\t%s%s%s\n", type, epath, value ? "\t" : "",
		     value ? evalue : "") < 0) {
		line = NULL;
		goto out;
	}
	end = lseek(j->fd, 0, SEEK_END);
	ret = end < 0 ? -errno : write_all(j->fd, line, strlen(line));
	if (!ret && fsync(j->fd))
		ret = -errno;
	if (ret && end >= 0)
		(void)ftruncate(j->fd, end);
out:
	free(line);
	free(evalue);
	free(epath);
	return ret;
}

int rb_journal_write(struct rb_journal *j, const char *path, const char *old_value)
{
	return old_value ? append(j, "write", path, old_value) : -EINVAL;
}

int rb_journal_rmcg(struct rb_journal *j, const char *path)
{
	return append(j, "rmcg", path, NULL);
}

int rb_journal_unlink(struct rb_journal *j, const char *path)
{
	return append(j, "unlink", path, NULL);
}

int rb_journal_rmtree(struct rb_journal *j, const char *path)
{
	return append(j, "rmtree", path, NULL);
}

int rb_journal_rmdir(struct rb_journal *j, const char *path)
{
	return append(j, "rmdir", path, NULL);
}

int rb_journal_umount(struct rb_journal *j, const char *path)
{
	return append(j, "umount", path, NULL);
}

int rb_journal_swapoff(struct rb_journal *j, const char *path)
{
	return append(j, "swapoff", path, NULL);
}

int rb_journal_swapon(struct rb_journal *j, const char *path, const char *priority)
{
	return append(j, "swapon", path, priority);
}

int rb_journal_zram(struct rb_journal *j, const char *dev)
{
	return append(j, "zram", dev, NULL);
}

/* One write of value + "\n", as sysfs and procfs files want it. */
static int write_value(const char *path, const char *value)
{
	size_t len = strlen(value);
	char *buf = malloc(len + 2);
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), ret = 0;
	ssize_t n;

	if (fd < 0 || !buf) {
		ret = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	memcpy(buf, value, len);
	memcpy(buf + len, "\n", 2);
	n = write(fd, buf, len + 1);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len + 1)
		ret = -EIO;
out:
	if (fd >= 0)
		(void)close(fd);
	free(buf);
	return ret;
}

/* True if path already holds want: the whole (trimmed) file, or the
 * bracketed choice of a file like "always [madvise] never". */
static bool value_holds(const char *path, const char *want)
{
	char *text = NULL, *bracket = NULL;
	size_t len;
	bool holds;

	if (read_file(path, &text) < 0)
		return false;
	len = strlen(text);
	while (len && strchr(" \t\n", text[len - 1]))
		text[--len] = '\0';
	holds = !strcmp(text + strspn(text, " \t\n"), want);
	if (!holds && asprintf(&bracket, "[%s]", want) >= 0)
		holds = strstr(text, bracket) != NULL;
	free(bracket);
	free(text);
	return holds;
}

/* Write an old value back; a file that already holds it counts as done
 * (writing "online" to an online memory block fails with EINVAL). */
static int undo_write(const char *path, const char *value)
{
	const struct timespec pause = { 0, RETRY_NS };
	int ret = 0, try;

	for (try = 0; try < WRITE_TRIES; try++) {
		if (try)
			(void)nanosleep(&pause, NULL);
		ret = write_value(path, value);
		if (!ret || value_holds(path, value))
			return 0;
	}
	return ret;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

/* rm -rf that neither follows symlinks nor crosses into other mounts. */
static int undo_rmtree(const char *path)
{
	if (!strcmp(path, "/"))
		return -EINVAL;
	if (!nftw(path, remove_entry, RMTREE_FDS, FTW_DEPTH | FTW_PHYS | FTW_MOUNT))
		return 0;
	return errno == ENOENT ? 0 : -(errno ? errno : EIO);
}

static int undo_unlink(const char *path)
{
	return unlink(path) && errno != ENOENT ? -errno : 0;
}

static int undo_rmdir(const char *path)
{
	return rmdir(path) && errno != ENOENT ? -errno : 0;
}

/* Not a mount point (EINVAL) or gone (ENOENT): nothing left to detach. */
static int undo_umount(const char *path)
{
	if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
		return 0;
	return errno == EINVAL || errno == ENOENT ? 0 : -errno;
}

/* Split a record on tabs in place and unescape the fields. Returns how many. */
static int split_record(char *line, char **field, int max)
{
	int n = 0;

	while (n < max) {
		field[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	for (int i = 0; i < n; i++)
		unescape(field[i]);
	return line ? -1 : n; /* more fields than expected: not a record */
}

/* The record kinds: name, field count (with the name), undo. */
static const struct {
	const char *kind;
	int fields;
	int (*undo1)(const char *path);
	int (*undo2)(const char *path, const char *value);
} kinds[] = {
	{ "write", 3, NULL, undo_write },
	{ "rmcg", 2, rb_cgroup_remove, NULL },
	{ "unlink", 2, undo_unlink, NULL },
	{ "rmtree", 2, undo_rmtree, NULL },
	{ "rmdir", 2, undo_rmdir, NULL },
	{ "umount", 2, undo_umount, NULL },
	{ "swapoff", 2, rb_swap_undo_swapoff, NULL },
	{ "swapon", 3, NULL, rb_swap_undo_swapon },
	{ "zram", 2, rb_zram_remove, NULL },
};

static int undo_fields(char **f, int n)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (n != kinds[i].fields || strcmp(f[0], kinds[i].kind))
			continue;
		return n == 3 ? kinds[i].undo2(f[1], f[2]) : kinds[i].undo1(f[1]);
	}
	return -EBADMSG;
}

/* Undo one record. Reports failures on stderr, steps on stdout if verbose. */
static int undo_record(char *line, bool verbose)
{
	char *f[3] = { NULL, NULL, NULL };
	int n = split_record(line, f, 3);
	int ret = n < 2 ? -EBADMSG : undo_fields(f, n);

	if (ret == -EBADMSG)
		fprintf(stderr, "reclaimbench: unknown journal record '%s'\n", f[0]);
	else if (ret)
		fprintf(stderr, "reclaimbench: cannot undo %s %s%s%s: %s\n", f[0], f[1],
			n == 3 ? " = " : "", n == 3 ? f[2] : "", strerror(-ret));
	else if (verbose && !strcmp(f[0], "write"))
		printf("restored %s = %s\n", f[1], f[2]);
	else if (verbose)
		printf("undone: %s %s\n", f[0], f[1]);
	return ret;
}

/* Undo the records in text[0..len) (whole lines), newest first. */
static int undo_records(char *text, size_t len, bool verbose)
{
	char *end = text + len, *start;
	int failed = 0;

	while (end > text) {
		end[-1] = '\0';
		start = memrchr(text, '\n', (size_t)(end - 1 - text));
		start = start ? start + 1 : text;
		if (*start && undo_record(start, verbose))
			failed++;
		end = start;
	}
	return failed;
}

static void delete_journal(const char *path)
{
	int ret = unlink(path) && errno != ENOENT ? -errno : fsync_dir(rb_state_dir());

	if (ret)
		fprintf(stderr, "reclaimbench: cannot delete %s: %s\n", path, strerror(-ret));
}

/* Replay a journal's text and delete the journal if every record was
 * undone. Returns the number of failures or -EINVAL (not a journal). */
static int replay(const char *path, char *text, bool verbose)
{
	char *records = strchr(text, '\n'), *last;
	int failed = 0;

	if (records && strncmp(text, HEADER_MAGIC " ", strlen(HEADER_MAGIC) + 1)) {
		fprintf(stderr, "reclaimbench: %s is not a " HEADER_MAGIC " journal\n", path);
		return -EINVAL;
	}
	if (records) {
		records++;
		last = strrchr(records, '\n');
		if (*records && (!last || last[1]))
			fprintf(stderr, "reclaimbench: %s: skipping a torn last record\n", path);
		if (last)
			failed = undo_records(records, (size_t)(last + 1 - records), verbose);
	}
	if (!failed)
		delete_journal(path);
	return failed;
}

int rb_journal_finish(struct rb_journal *j)
{
	char *text = NULL;
	long ret;

	if (!j)
		return 0;
	ret = j->owner == getpid() ? read_file(j->path, &text) : 0;
	if (ret < 0)
		fprintf(stderr, "reclaimbench: cannot read journal %s: %s\n", j->path,
			strerror((int)-ret));
	else if (text) /* a forked worker only lets go of its copy */
		ret = replay(j->path, text, false);
	(void)close(j->fd);
	free(text);
	free(j);
	return (int)ret;
}

int rb_journal_restore_stale(bool verbose, char *err, size_t errlen)
{
	char path[PATH_MAX], *text = NULL;
	long ret;
	pid_t pid;

	rb_journal_path(path, sizeof(path));
	ret = read_file(path, &text);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0) {
		(void)snprintf(err, errlen, "cannot read journal %s: %s", path,
			       strerror((int)-ret));
		return (int)ret;
	}
	pid = header_pid(text);
	if (owner_running(pid)) {
		(void)snprintf(err, errlen, "another run (pid %d) is in progress", (int)pid);
		ret = -EBUSY;
	} else {
		ret = replay(path, text, verbose);
		if (ret < 0)
			(void)snprintf(err, errlen, "%s is not a reclaimbench journal", path);
	}
	free(text);
	return (int)ret;
}

int rb_journal_stale_results_dir(char *buf, size_t len)
{
	char path[PATH_MAX], *text = NULL, *dir, *eol;
	int ret = -ENOENT;

	rb_journal_path(path, sizeof(path));
	if (read_file(path, &text) < 0)
		return -ENOENT;
	eol = strchr(text, '\n');
	if (eol)
		*eol = '\0';
	dir = strstr(text, " results=");
	if (dir && dir[9]) {
		unescape(dir + 9);
		ret = snprintf(buf, len, "%s", dir + 9) < (int)len ? 0 : -ENAMETOOLONG;
	}
	free(text);
	return ret;
}
