/* kswapd.c - finds the kswapd kernel threads in /proc and reads their CPU
 * time (utime + stime of /proc/<pid>/stat) with one pread per thread.
 *
 * A stat line is "pid (comm) state ppid ... flags ... utime stime ...". The
 * comm is whatever the task called itself, blanks and parentheses included
 * ("(evil) kswapd0 )" is a valid comm), so the fields are counted from the
 * last ')'. A thread is taken for kswapd only if its comm is exactly
 * "kswapd<N>" and its flags carry PF_KTHREAD: a user process cannot set that
 * flag, whatever it names itself. */
#include "kswapd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PF_KTHREAD_FLAG 0x00200000u	/* PF_KTHREAD, include/linux/sched.h */
#define STAT_BUF 1024			/* a stat line is ~300 bytes */
#define FIELD_FLAGS 9
#define FIELD_UTIME 14			/* stime follows */
#define COMM_PREFIX "kswapd"

/* A stat line cut at its comm: "pid (comm) rest"; rest starts at field 3. */
struct stat_line {
	const char *comm;
	size_t comm_len;
	const char *rest;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int split_stat(const char *line, struct stat_line *s)
{
	const char *close = strrchr(line, ')');
	size_t i = 0;

	while (is_digit(line[i]))
		i++;
	if (!i || line[i] != ' ' || line[i + 1] != '(' || !close || close < line + i + 2)
		return -EINVAL;
	s->comm = line + i + 2;
	s->comm_len = (size_t)(close - s->comm);
	s->rest = close + 1;
	return 0;
}

/* Fields nr .. nr + count - 1 (numbered as in proc(5), nr >= 3) of the part
 * after the comm, as unsigned numbers. */
static int stat_fields(const char *rest, unsigned nr, uint64_t *out, unsigned count)
{
	const char *p = rest;
	char *end;

	for (unsigned f = 3; f < nr + count; f++) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			return -EINVAL;
		if (f < nr) {
			p += strcspn(p, " \n");
			continue;
		}
		if (!is_digit(*p))
			return -EINVAL;
		errno = 0;
		out[f - nr] = strtoull(p, &end, 10);
		if (errno || (*end && *end != ' ' && *end != '\n'))
			return -EINVAL;
		p = end;
	}
	return 0;
}

int rb_parse_stat_cpu(const char *stat_line, uint64_t *utime, uint64_t *stime)
{
	struct stat_line s;
	uint64_t v[2];
	int ret = split_stat(stat_line, &s);

	if (!ret)
		ret = stat_fields(s.rest, FIELD_UTIME, v, 2);
	if (ret)
		return ret;
	*utime = v[0];
	*stime = v[1];
	return 0;
}

/* Node number of a "kswapd<N>" comm, or -1 for any other comm. */
static int comm_node(const char *comm, size_t len)
{
	size_t pre = strlen(COMM_PREFIX);
	long node = 0;

	if (len <= pre || memcmp(comm, COMM_PREFIX, pre) != 0)
		return -1;
	for (size_t i = pre; i < len; i++) {
		if (!is_digit(comm[i]) || node > (INT_MAX - 9) / 10)
			return -1;
		node = node * 10 + (comm[i] - '0');
	}
	return (int)node;
}

int rb_kswapd_stat_node(const char *stat_line, int *node)
{
	struct stat_line s;
	uint64_t flags;
	int ret = split_stat(stat_line, &s), n;

	if (ret)
		return ret;
	n = comm_node(s.comm, s.comm_len);
	if (n < 0)
		return -ENOENT;
	ret = stat_fields(s.rest, FIELD_FLAGS, &flags, 1);
	if (ret)
		return ret;
	if (!(flags & PF_KTHREAD_FLAG))
		return -ENOENT;
	*node = n;
	return 0;
}

/* Read a whole stat line (it fits in one pread) into buf, NUL-terminated. */
static int read_stat(int fd, char *buf, size_t size)
{
	ssize_t r;

	do
		r = pread(fd, buf, size - 1, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -EINVAL;
	buf[r] = '\0';
	return 0;
}

static int thread_ticks(const char *buf, uint64_t *ticks)
{
	uint64_t utime, stime;
	int ret = rb_parse_stat_cpu(buf, &utime, &stime);

	if (!ret)
		*ticks = utime + stime;
	return ret;
}

/* Insert a thread keeping the set sorted by node. */
static int add_thread(struct rb_kswapd *k, pid_t pid, int node, int fd, uint64_t ticks)
{
	size_t i = k->n;

	if (k->n == RB_KSWAPD_MAX)
		return -ENOSPC;
	for (; i > 0 && k->node[i - 1] > node; i--) {
		k->pid[i] = k->pid[i - 1];
		k->node[i] = k->node[i - 1];
		k->fd[i] = k->fd[i - 1];
		k->ticks[i] = k->ticks[i - 1];
	}
	k->pid[i] = pid;
	k->node[i] = node;
	k->fd[i] = fd;
	k->ticks[i] = ticks;
	k->n++;
	return 0;
}

/* A directory entry's name as a pid, if it is all digits. */
static bool parse_pid(const char *name, pid_t *pid)
{
	long v = 0;
	size_t i;

	for (i = 0; is_digit(name[i]); i++) {
		if (v > (INT_MAX - 9) / 10)
			return false;
		v = v * 10 + (name[i] - '0');
	}
	*pid = (pid_t)v;
	return i > 0 && !name[i];
}

/* Look at one entry of the process directory and keep it if it is a kswapd
 * thread. Entries that are not processes, have gone or are other tasks are
 * skipped (return 0); only running out of room is an error. */
static int consider(struct rb_kswapd *k, int dfd, const char *name)
{
	char path[32], buf[STAT_BUF];
	uint64_t ticks = 0;
	pid_t pid;
	int fd, node, ret;

	if (!parse_pid(name, &pid))
		return 0;
	(void)snprintf(path, sizeof(path), "%d/stat", (int)pid);
	fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ret = read_stat(fd, buf, sizeof(buf));
	if (!ret)
		ret = rb_kswapd_stat_node(buf, &node);
	if (!ret)
		ret = thread_ticks(buf, &ticks);
	if (!ret)
		ret = add_thread(k, pid, node, fd, ticks);
	if (ret)
		(void)close(fd);
	return ret == -ENOSPC ? ret : 0;
}

int rb_kswapd_open(struct rb_kswapd *k, const char *proc_root)
{
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	k->n = 0;
	dir = opendir(proc_root ? proc_root : "/proc");
	if (!dir)
		return -errno;
	while (!ret && (de = readdir(dir)))
		ret = consider(k, dirfd(dir), de->d_name);
	(void)closedir(dir);
	if (!ret && !k->n)
		ret = -ENOENT;
	if (ret)
		rb_kswapd_close(k);
	return ret;
}

int rb_kswapd_cpu_ticks(struct rb_kswapd *k, uint64_t *ticks)
{
	char buf[STAT_BUF];
	uint64_t sum = 0;
	int ret = k->n ? 0 : -ENOENT;

	for (size_t i = 0; !ret && i < k->n; i++) {
		ret = read_stat(k->fd[i], buf, sizeof(buf));
		if (!ret)
			ret = thread_ticks(buf, &k->ticks[i]);
		sum += k->ticks[i];
	}
	if (!ret)
		*ticks = sum;
	return ret;
}

double rb_kswapd_cpu_pct(uint64_t ticks_before, uint64_t ticks_now, uint64_t interval_ns,
			 long clk_tck, size_t nthreads)
{
	double cap = 100.0 * (double)(nthreads ? nthreads : 1);
	double pct;

	if (ticks_now < ticks_before || !interval_ns || clk_tck <= 0)
		return 0.0;
	/* ticks / clk_tck seconds of CPU over interval_ns / 1e9 seconds, in % */
	pct = (double)(ticks_now - ticks_before) * 1e11 / ((double)clk_tck * (double)interval_ns);
	return pct > cap ? cap : pct;
}

void rb_kswapd_close(struct rb_kswapd *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++)
		(void)close(k->fd[i]);
	k->n = 0;
}
