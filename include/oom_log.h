/* oom_log.h - who the OOM killer killed, from the kernel log (/dev/kmsg).
 * Each kill prints two lines the run reads:
 *   oom-kill:constraint=CONSTRAINT_MEMCG,...,oom_memcg=/a/b,task_memcg=/a/b,
 *            task=reclaimbench,pid=4567,uid=0
 *   Memory cgroup out of memory: Killed process 4567 (reclaimbench)
 *            total-vm:..kB, anon-rss:716800kB, file-rss:..kB, ...
 * (the second starts "Out of memory:" for a machine-wide OOM; before 4.19
 * "...out of memory: Kill process N" and a bare "Killed process N (comm)"
 * line). Parsed by name; a field a kernel does not print stays empty / 0. */
#ifndef RB_OOM_LOG_H
#define RB_OOM_LOG_H

#include <stdint.h>
#include <sys/types.h>

struct rb_oom_kill {
	pid_t pid;
	char task[64];         /* the victim's comm */
	char constraint[32];   /* CONSTRAINT_NONE (machine-wide), CONSTRAINT_MEMCG, ... */
	char memcg[256];       /* oom_memcg: the cgroup that ran out, "" if none */
	uint64_t anon_rss_kb;  /* the victim's anonymous memory when killed */
	int global;            /* 1: "Out of memory:", 0: "Memory cgroup out of memory:" */
};

/* The state of reading the log: the last "oom-kill:" line waits for its
 * "Killed process" line. */
struct rb_oom_log {
	int fd;                      /* /dev/kmsg, non-blocking; -1 if unreadable */
	struct rb_oom_kill pending;
};

/* Open /dev/kmsg positioned after every record already there, so only kills
 * from now on are seen. Returns 0 or -errno (log->fd is then -1). */
int rb_oom_log_open(struct rb_oom_log *log);

/* Feed one record (the text after "prio,seq,usec,flags;" or a whole kmsg
 * record). Returns 1 and fills *out when the record completes a kill, else 0. */
int rb_oom_log_feed(struct rb_oom_log *log, const char *record, struct rb_oom_kill *out);

/* Read every new record; for each kill call fn. Returns the number of kills
 * seen, or -errno. */
int rb_oom_log_poll(struct rb_oom_log *log,
		    void (*fn)(void *arg, const struct rb_oom_kill *kill), void *arg);

void rb_oom_log_close(struct rb_oom_log *log);

#endif
