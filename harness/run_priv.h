/* run_priv.h - private to runner.c and run_loop.c: the state of one run. */
#ifndef RB_RUN_PRIV_H
#define RB_RUN_PRIV_H

#include <json-c/json.h>
#include <signal.h>

#include "cgroup.h"
#include "journal.h"
#include "oom_log.h"
#include "phases.h"
#include "runner.h"
#include "sampler.h"
#include "spawn.h"

struct run {
	const struct rb_profile *p;
	const struct rb_run_options *o;
	char dir[PATH_MAX];
	char scratch[PATH_MAX + 16];
	struct json_object *meta, *events, *settings;
	struct rb_journal *journal;
	struct rb_cgroup cg;
	struct rb_proc *procs;
	size_t n_procs;
	struct rb_worker_shm *shm;
	size_t shm_len;
	struct rb_sampler *sampler;
	struct rb_sampled_worker *sampled;
	struct rb_sampler_totals totals;
	const char *status;  /* "running", "complete", "aborted", "failed" */
	char reason[512];
	uint64_t t0_ns;
	uint64_t oom_kills_at_start;
	struct rb_hist *baseline; /* n_procs * RB_MAX_HISTS snapshots at profile.baseline, or NULL */
	struct rb_phases phases;  /* snapshots at start, each worker event, end */
	char event[160];          /* events of the current tick, for the next snapshot's label */
	bool stopping;            /* the run is over: worker exits are no events */
	struct rb_trace *trace;   /* balance_dirty_pages tracing (trace.h), or NULL */
	struct rb_oom_log oom_log; /* the kernel log, for OOM victims (fd -1: unreadable) */
	unsigned oom_victims;     /* OOM kills the kernel log named during the run */
};

/* Set by the signal handler: the signal that asked the run to stop. */
extern volatile sig_atomic_t rb_stop_signal;

/* Record an event in meta.json's events list; returns it so callers can
 * add fields (owned by the list). */
struct json_object *rb_run_event(struct run *r, double t_s, const char *type,
				 const char *worker, const char *detail);

/* Wait until every worker is ready (setup done) or gone. 0 or -ETIMEDOUT /
 * -EINTR. */
int rb_run_wait_ready(struct run *r, uint64_t timeout_ns);

/* The timed loop: release workers at their start times, stop them at their
 * stop times, sample every tick, reap exits, watch the watchdogs, print the
 * progress line. Returns when the run is over with r->status/reason set. */
void rb_run_loop(struct run *r);

/* Record the OOM kills the kernel log shows since the last call as
 * "oom-kill" events (victim pid, worker, constraint, anon-rss). */
void rb_run_poll_oom(struct run *r, double t_s);

/* OOM kills so far (machine vmstat oom_kill + the run cgroup's). */
uint64_t rb_run_oom_kills(const struct run *r);

/* Raise every stop flag, wait up to grace_ns, SIGKILL what is left, reap. */
void rb_run_stop_workers(struct run *r, uint64_t grace_ns);

#endif
