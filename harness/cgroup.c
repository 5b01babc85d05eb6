/* cgroup.c - the run's memory cgroup for contained mode.
 *
 * Runs live in <root>/reclaimbench/<name>, where root is the cgroup v2
 * mount when its memory controller is there, else the v1 memory hierarchy.
 * The child is journaled (rmcg) before it is created; the shared
 * reclaimbench/ parent is not, and goes when its last child is removed.
 * rb_cgroup_remove() is also the journal's rmcg undo, so it only ever acts
 * on a directory directly inside a "reclaimbench" one: a damaged journal
 * cannot make it kill the processes of some other cgroup.
 *
 * A limit of 0 means "no limit" (the file is left at its default). */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CGROUP_FS       "/sys/fs/cgroup"
#define PARENT_NAME     "reclaimbench"
#define REMOVE_STEP_NS  20000000L /* 20 ms between kill/rmdir attempts */
#define REMOVE_STEPS    250       /* ~5 s in all */

/* True if the first line of path has word among its space-separated words. */
static bool file_has_word(const char *path, const char *word)
{
	char line[1024], *tok, *save = NULL;
	FILE *f = fopen(path, "re");
	bool found = false;

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f))
		for (tok = strtok_r(line, " \n", &save); tok && !found;
		     tok = strtok_r(NULL, " \n", &save))
			found = !strcmp(tok, word);
	(void)fclose(f);
	return found;
}

/* <dir>/<file> into buf (PATH_MAX). Returns 0 or -ENAMETOOLONG. */
static int join(char *buf, const char *dir, const char *file)
{
	return snprintf(buf, PATH_MAX, "%s/%s", dir, file) < PATH_MAX ? 0 : -ENAMETOOLONG;
}

/* One write of s into a cgroup control file. Returns 0 or -errno. */
static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(s))
		ret = -EIO;
	(void)close(fd);
	return ret;
}

enum rb_cgroup_version rb_cgroup_detect(char *root, size_t len)
{
	static const char *const v2_roots[] = { CGROUP_FS, CGROUP_FS "/unified" };
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(v2_roots) / sizeof(v2_roots[0]); i++) {
		(void)snprintf(path, sizeof(path), "%s/cgroup.controllers", v2_roots[i]);
		if (file_has_word(path, "memory")) {
			(void)snprintf(root, len, "%s", v2_roots[i]);
			return RB_CGROUP_V2;
		}
	}
	if (!access(CGROUP_FS "/memory/memory.limit_in_bytes", F_OK)) {
		(void)snprintf(root, len, "%s", CGROUP_FS "/memory");
		return RB_CGROUP_V1;
	}
	if (len)
		root[0] = '\0';
	return RB_CGROUP_NONE;
}

/* Let children of the v2 parent use the memory controller. */
static int enable_memory(const char *parent, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret = join(path, parent, "cgroup.subtree_control");

	if (!ret && file_has_word(path, "memory"))
		return 0;
	if (!ret)
		ret = write_str(path, "+memory");
	if (ret)
		(void)snprintf(err, errlen, "cannot enable the memory controller in %s: %s "
			       "(is it enabled in the parent's cgroup.subtree_control?)",
			       path, strerror(-ret));
	return ret;
}

/* Write a byte count into <cg>/<file>. */
static int set_limit(const char *cg, const char *file, uint64_t bytes, char *err, size_t errlen)
{
	char path[PATH_MAX], value[32];
	int ret = join(path, cg, file);

	(void)snprintf(value, sizeof(value), "%llu", (unsigned long long)bytes);
	if (!ret)
		ret = write_str(path, value);
	if (ret)
		(void)snprintf(err, errlen, "cannot write %s to %s: %s", value, path,
			       strerror(-ret));
	return ret;
}

static int set_limits(const struct rb_cgroup *cg, uint64_t limit, uint64_t high,
		      char *err, size_t errlen)
{
	int ret = 0;

	if (cg->version == RB_CGROUP_V1 && limit)
		ret = set_limit(cg->path, "memory.limit_in_bytes", limit, err, errlen);
	if (cg->version == RB_CGROUP_V2 && limit)
		ret = set_limit(cg->path, "memory.max", limit, err, errlen);
	if (cg->version == RB_CGROUP_V2 && high && !ret)
		ret = set_limit(cg->path, "memory.high", high, err, errlen);
	return ret;
}

/* The shared parent: mkdir, and on v2 hand the memory controller down. */
static int make_parent(enum rb_cgroup_version v, const char *parent, char *err, size_t errlen)
{
	int ret = 0;

	if (mkdir(parent, 0755) && errno != EEXIST) {
		ret = -errno;
		(void)snprintf(err, errlen, "cannot create cgroup %s: %s", parent,
			       strerror(-ret));
	} else if (v == RB_CGROUP_V2) {
		ret = enable_memory(parent, err, errlen);
	}
	return ret;
}

int rb_cgroup_create(struct rb_journal *j, const char *name, uint64_t limit, uint64_t high,
		     struct rb_cgroup *out, char *err, size_t errlen)
{
	char root[PATH_MAX], parent[PATH_MAX];
	int ret;

	memset(out, 0, sizeof(*out));
	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		(void)snprintf(err, errlen, "invalid cgroup name '%s'", name ? name : "");
		return -EINVAL;
	}
	out->version = rb_cgroup_detect(root, sizeof(root));
	if (out->version == RB_CGROUP_NONE) {
		(void)snprintf(err, errlen, "no memory cgroup controller (v2 or v1) found");
		return -EOPNOTSUPP;
	}
	if (join(parent, root, PARENT_NAME) || join(out->path, parent, name)) {
		(void)snprintf(err, errlen, "cgroup name '%s' is too long", name);
		return -ENAMETOOLONG;
	}
	ret = make_parent(out->version, parent, err, errlen);
	if (ret)
		goto err_parent;
	if (!access(out->path, F_OK)) {
		(void)snprintf(err, errlen, "cgroup %s already exists (left by another run?)",
			       out->path);
		ret = -EEXIST;
		goto err_parent;
	}
	ret = rb_journal_rmcg(j, out->path);
	if (ret) {
		(void)snprintf(err, errlen, "cannot journal cgroup %s: %s", out->path,
			       strerror(-ret));
		goto err_parent;
	}
	if (mkdir(out->path, 0755)) {
		ret = -errno;
		(void)snprintf(err, errlen, "cannot create cgroup %s: %s", out->path,
			       strerror(-ret));
		goto err_parent;
	}
	return set_limits(out, limit, high, err, errlen); /* the journal removes it on error */
err_parent:
	(void)rmdir(parent); /* only if empty: another run's children keep it */
	return ret;
}

int rb_cgroup_attach(const struct rb_cgroup *cg, pid_t pid)
{
	char path[PATH_MAX], value[24];
	int ret = join(path, cg->path, "cgroup.procs");

	(void)snprintf(value, sizeof(value), "%d", (int)pid);
	return ret ? ret : write_str(path, value);
}

/* SIGKILL every process listed in <path>/cgroup.procs except this one.
 * Returns how many were listed, 0 if the file is gone, or -errno. */
static int kill_members(const char *path)
{
	char procs[PATH_MAX];
	FILE *f;
	int pid, n = 0;

	if (join(procs, path, "cgroup.procs"))
		return -ENAMETOOLONG;
	f = fopen(procs, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fscanf(f, "%d", &pid) == 1) {
		if (pid != getpid())
			(void)kill(pid, SIGKILL);
		n++;
	}
	(void)fclose(f);
	return n;
}

/* One attempt: kill what is inside, rmdir. 0 done, -EBUSY not yet, -errno. */
static int try_remove(const char *path)
{
	int n = kill_members(path);

	if (n > 0)
		return -EBUSY;
	if (n < 0)
		return n;
	if (!rmdir(path) || errno == ENOENT)
		return 0;
	return -errno;
}

/* Copy the parent directory of path into buf; false unless it is named
 * PARENT_NAME and path has a non-empty last component. */
static bool reclaimbench_parent(const char *path, char *buf, size_t len)
{
	char *slash;

	if (path[0] != '/' || snprintf(buf, len, "%s", path) >= (int)len)
		return false;
	slash = strrchr(buf, '/');
	if (!slash[1] || !strcmp(slash + 1, ".") || !strcmp(slash + 1, ".."))
		return false;
	*slash = '\0';
	slash = strrchr(buf, '/');
	return slash && !strcmp(slash + 1, PARENT_NAME);
}

int rb_cgroup_remove(const char *path)
{
	const struct timespec step = { 0, REMOVE_STEP_NS };
	char parent[PATH_MAX];
	int ret = -EBUSY;

	if (!reclaimbench_parent(path, parent, sizeof(parent)))
		return -EINVAL;
	for (int i = 0; i < REMOVE_STEPS && ret == -EBUSY; i++) {
		if (i)
			(void)nanosleep(&step, NULL);
		ret = try_remove(path);
	}
	if (!ret)
		(void)rmdir(parent); /* fails harmlessly (ENOTEMPTY, ENOENT) if in use */
	return ret;
}

/* <cg>/<file> if it exists, else "". */
static void stat_file(const struct rb_cgroup *cg, const char *file, char *buf)
{
	if (join(buf, cg->path, file) || access(buf, F_OK))
		buf[0] = '\0';
}

void rb_cgroup_files(const struct rb_cgroup *cg, struct rb_cgroup_files *f)
{
	bool v2 = cg->version == RB_CGROUP_V2;

	memset(f, 0, sizeof(*f));
	if (cg->version == RB_CGROUP_NONE)
		return;
	stat_file(cg, "memory.stat", f->stat);
	stat_file(cg, v2 ? "memory.current" : "memory.usage_in_bytes", f->usage);
	if (v2) {
		stat_file(cg, "memory.events", f->events);
		stat_file(cg, "memory.pressure", f->pressure);
	} else {
		stat_file(cg, "memory.failcnt", f->failcnt);
	}
}
