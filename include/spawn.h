/* spawn.h - worker processes: forking one child per workload instance,
 * the child's set-up (parent-death signal, oom_score_adj, cgroup, NUMA
 * binding, workload setup, start barrier) and classifying how it ended. */
#ifndef RB_SPAWN_H
#define RB_SPAWN_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "profile.h"
#include "workload.h"

/* Outcome of a worker, as recorded in meta.json events and summary.json. */
enum rb_exit_kind {
	RB_END_RUNNING = 0,
	RB_END_OK,
	RB_END_SKIPPED,     /* exit 77 */
	RB_END_NO_RESOURCE, /* exit 3 */
	RB_END_FAILED,      /* other exit code */
	RB_END_OOM_KILLED,  /* SIGKILL we did not send while the OOM killer ran */
	RB_END_SIGNALED,    /* any other signal */
	RB_END_KILLED,      /* SIGKILL sent by the harness after the stop grace period */
};

struct rb_proc {
	struct rb_worker w;      /* what the child runs */
	const struct rb_workload_spec *spec;
	char name[RB_NAME_MAX + 16];
	char scratch[PATH_MAX + 128];
	pid_t pid;
	bool started, stop_sent, kill_sent;
	enum rb_exit_kind end;
	int code;                /* exit code or signal number */
	double end_s;            /* run time at which it ended */
	int oom_score_adj;       /* as the kernel took it (read back once ready) */
};

/* Fork the worker. The child never returns: it sets itself up, waits for
 * shm->go, runs, and _exits with the workload's code. node_count maps the
 * spec's node modulo the machine's nodes. Returns 0 or -errno. */
int rb_spawn(struct rb_proc *p, const struct rb_cgroup *cg, int node_count, int oom_score_adj);

/* Classify a waitpid() status. oom_seen: the OOM killer ran during the run
 * (machine or cgroup oom_kill counters moved). */
void rb_proc_ended(struct rb_proc *p, int status, bool oom_seen, double t_s);

/* "ok", "skipped", "no-resource", "failed", "oom-killed", "signal", "killed". */
const char *rb_exit_kind_name(enum rb_exit_kind k);

/* Write a human description of how it ended ("exit 1", "SIGKILL (OOM killer)"). */
void rb_proc_describe(const struct rb_proc *p, char *buf, size_t len);

#endif
