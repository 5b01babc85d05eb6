/* oom_log.c - OOM kills read from /dev/kmsg (see oom_log.h). */
#include "oom_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KMSG_RECORD_MAX 8192 /* a read(2) of /dev/kmsg returns one record */

int rb_oom_log_open(struct rb_oom_log *log)
{
	memset(log, 0, sizeof(*log));
	log->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (log->fd < 0)
		return -errno;
	if (lseek(log->fd, 0, SEEK_END) < 0) {
		int ret = -errno;
		rb_oom_log_close(log);
		return ret;
	}
	return 0;
}

void rb_oom_log_close(struct rb_oom_log *log)
{
	if (log->fd >= 0)
		(void)close(log->fd);
	log->fd = -1;
}

/* The value of "key=" in a comma-separated list, up to the next comma. */
static void field(const char *text, const char *key, char *out, size_t len)
{
	const char *v = strstr(text, key);
	size_t n;

	out[0] = '\0';
	if (!v)
		return;
	v += strlen(key);
	n = strcspn(v, ",\n");
	(void)snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), v);
}

static void parse_summary(const char *text, struct rb_oom_kill *k)
{
	char pid[32];

	memset(k, 0, sizeof(*k));
	field(text, "constraint=", k->constraint, sizeof(k->constraint));
	field(text, "oom_memcg=", k->memcg, sizeof(k->memcg));
	field(text, ",task=", k->task, sizeof(k->task));
	field(text, ",pid=", pid, sizeof(pid));
	k->pid = (pid_t)atoi(pid);
}

/* "Killed process 4567 (comm) total-vm:1kB, anon-rss:2kB, ..." */
static int parse_killed(const char *text, const char *killed, struct rb_oom_kill *k)
{
	const char *rss = strstr(killed, "anon-rss:");
	int pid = 0;

	if (sscanf(killed, "Killed process %d", &pid) != 1)
		return 0;
	if (k->pid && k->pid != pid) /* the summary line was another kill's */
		memset(k, 0, sizeof(*k));
	k->pid = pid;
	(void)sscanf(killed, "Killed process %*d (%63[^)])", k->task);
	k->anon_rss_kb = rss ? strtoull(rss + strlen("anon-rss:"), NULL, 10) : 0;
	if (killed != text)
		k->global = strncmp(text, "Out of memory", 13) == 0;
	return 1;
}

int rb_oom_log_feed(struct rb_oom_log *log, const char *record, struct rb_oom_kill *out)
{
	const char *text = strchr(record, ';'), *killed;

	text = text ? text + 1 : record;
	if (strncmp(text, "oom-kill:", 9) == 0) {
		parse_summary(text, &log->pending);
		return 0;
	}
	if (strstr(text, "ut of memory: Kill process ")) { /* before 4.19: a line of its own */
		log->pending.global = strncmp(text, "Out of memory", 13) == 0;
		return 0;
	}
	killed = strstr(text, "Killed process ");
	if (!killed || (killed != text && !strstr(text, "out of memory") &&
			strncmp(text, "Out of memory", 13)))
		return 0;
	if (!parse_killed(text, killed, &log->pending))
		return 0;
	*out = log->pending;
	memset(&log->pending, 0, sizeof(log->pending));
	return 1;
}

int rb_oom_log_poll(struct rb_oom_log *log,
		    void (*fn)(void *arg, const struct rb_oom_kill *kill), void *arg)
{
	char buf[KMSG_RECORD_MAX];
	struct rb_oom_kill k;
	int kills = 0;

	while (log->fd >= 0) {
		ssize_t n = read(log->fd, buf, sizeof(buf) - 1);
		if (n < 0 && errno == EPIPE) /* records overwritten: go on after them */
			continue;
		if (n <= 0)
			return n < 0 && errno != EAGAIN ? -errno : kills;
		buf[n] = '\0';
		if (rb_oom_log_feed(log, buf, &k)) {
			fn(arg, &k);
			kills++;
		}
	}
	return kills;
}
