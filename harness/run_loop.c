/* run_loop.c - the timed part of a run: ticks on absolute CLOCK_MONOTONIC
 * deadlines (no drift), starts and stops workers on schedule, samples,
 * reaps worker exits, checks the watchdogs and prints a progress line. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "machine.h"
#include "run_priv.h"
#include "units.h"

volatile sig_atomic_t rb_stop_signal;

struct json_object *rb_run_event(struct run *r, double t_s, const char *type,
				 const char *worker, const char *detail)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "t_s", json_object_new_double((double)(int64_t)(t_s * 1000) / 1000));
	json_object_object_add(e, "type", json_object_new_string(type));
	if (worker)
		json_object_object_add(e, "worker", json_object_new_string(worker));
	json_object_object_add(e, "detail", json_object_new_string(detail));
	json_object_array_add(r->events, e);
	return e;
}

static void sleep_until(uint64_t deadline)
{
	struct timespec ts = { .tv_sec = (time_t)(deadline / 1000000000ull),
			       .tv_nsec = (long)(deadline % 1000000000ull) };

	/* EINTR: a signal arrived; the caller checks rb_stop_signal. */
	(void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* Note an event of this tick ("backup starts"); a snapshot follows.
 * Instances of one workload make one event. */
static void note_event(struct run *r, const char *name, const char *what)
{
	char phrase[128];
	size_t len = strlen(r->event);

	(void)snprintf(phrase, sizeof(phrase), "%s %s", name, what);
	if (rb_phase_label_has(r->event, phrase))
		return;
	(void)snprintf(r->event + len, sizeof(r->event) - len, "%s%s", len ? ", " : "", phrase);
}

static void snapshot_events(struct run *r, double t_s)
{
	if (!r->event[0])
		return;
	if (rb_phases_take(&r->phases, r->event, t_s, r->procs, r->n_procs, r->sampler))
		fprintf(stderr, "reclaimbench: out of memory for a phase snapshot\n");
	r->event[0] = '\0';
}

static struct rb_proc *find_proc(struct run *r, pid_t pid)
{
	for (size_t i = 0; i < r->n_procs; i++)
		if (r->procs[i].pid == pid)
			return &r->procs[i];
	return NULL;
}

/* OOM kills so far: the machine's vmstat oom_kill plus the run cgroup's. */
uint64_t rb_run_oom_kills(const struct run *r)
{
	char path[PATH_MAX + 32], *buf = NULL;
	struct rb_kvset kv = { 0 };
	uint64_t total = 0, v;
	size_t cap = 0;
	const char *files[3] = { "/proc/vmstat", path, NULL };

	if (r->cg.version == RB_CGROUP_V2)
		(void)snprintf(path, sizeof(path), "%s/memory.events", r->cg.path);
	else if (r->cg.version == RB_CGROUP_V1)
		(void)snprintf(path, sizeof(path), "%s/memory.oom_control", r->cg.path);
	else
		files[1] = NULL;
	for (int i = 0; files[i]; i++) {
		rb_kvset_clear(&kv);
		if (rb_read_path(files[i], &buf, &cap) > 0 && rb_parse_flat_kv(buf, &kv) == 0 &&
		    rb_kvset_get(&kv, "oom_kill", NULL, &v) == 0)
			total += v;
	}
	rb_kvset_free(&kv);
	free(buf);
	return total;
}

static bool oom_seen(struct run *r)
{
	return rb_run_oom_kills(r) > r->oom_kills_at_start;
}

struct oom_ctx {
	struct run *r;
	double t_s;
};

/* One OOM kill from the kernel log: an event naming the victim's worker. */
static void on_oom_kill(void *arg, const struct rb_oom_kill *k)
{
	struct oom_ctx *c = arg;
	struct rb_proc *p = find_proc(c->r, k->pid);
	struct json_object *e;
	char detail[512];

	(void)snprintf(detail, sizeof(detail), "%s OOM killed pid %d (%s%s%s), anon-rss %llu kB%s%s",
		       k->global ? "machine-wide" : "memory cgroup", (int)k->pid,
		       p ? "worker " : "", p ? p->name : k->task, p ? "" : ", not a worker",
		       (unsigned long long)k->anon_rss_kb, k->memcg[0] ? " in " : "", k->memcg);
	e = rb_run_event(c->r, c->t_s, "oom-kill", p ? p->name : NULL, detail);
	json_object_object_add(e, "pid", json_object_new_int((int)k->pid));
	json_object_object_add(e, "constraint", json_object_new_string(k->constraint));
	json_object_object_add(e, "anon_rss_kb", json_object_new_int64((int64_t)k->anon_rss_kb));
	c->r->oom_victims++;
	if (!c->r->o->quiet)
		fprintf(stderr, "\nreclaimbench: %s\n", detail);
}

/* Read the kernel log for OOM kills since the last look. */
void rb_run_poll_oom(struct run *r, double t_s)
{
	struct oom_ctx c = { r, t_s };

	(void)rb_oom_log_poll(&r->oom_log, on_oom_kill, &c);
}

/* Reap every exited worker; returns how many are still alive. */
static size_t reap(struct run *r, double t_s)
{
	size_t alive = 0;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct rb_proc *p = find_proc(r, pid);
		char detail[160];
		if (!p)
			continue;
		rb_proc_ended(p, status, WIFSIGNALED(status) && oom_seen(r), t_s);
		rb_proc_describe(p, detail, sizeof(detail));
		if (!r->stopping)
			note_event(r, p->spec->name, "ended");
		json_object_object_add(rb_run_event(r, t_s, "worker-exit", p->name, detail),
				       "outcome", json_object_new_string(rb_exit_kind_name(p->end)));
		if (p->end != RB_END_OK && !rb_stop_signal && !r->o->quiet)
			fprintf(stderr, "\nreclaimbench: worker %s ended: %s\n", p->name, detail);
	}
	for (size_t i = 0; i < r->n_procs; i++)
		alive += r->procs[i].pid > 0 && r->procs[i].end == RB_END_RUNNING;
	return alive;
}

int rb_run_wait_ready(struct run *r, uint64_t timeout_ns)
{
	uint64_t deadline = rb_now_ns() + timeout_ns;

	for (;;) {
		size_t waiting = 0;
		(void)reap(r, 0);
		for (size_t i = 0; i < r->n_procs; i++)
			waiting += r->procs[i].pid > 0 && r->procs[i].end == RB_END_RUNNING &&
				   !atomic_load(&r->procs[i].w.shm->ready);
		if (!waiting)
			return 0;
		if (rb_stop_signal)
			return -EINTR;
		if (rb_now_ns() > deadline)
			return -ETIMEDOUT;
		sleep_until(rb_now_ns() + 10000000ull);
	}
}

/* Start and stop workers on their schedule. */
static void schedule(struct run *r, uint64_t t_ns)
{
	for (size_t i = 0; i < r->n_procs; i++) {
		struct rb_proc *p = &r->procs[i];
		if (p->pid <= 0 || p->end != RB_END_RUNNING)
			continue;
		if (!p->started && t_ns >= p->spec->start_ns) {
			p->started = true;
			atomic_store(&p->w.shm->go, 1);
			if (p->spec->start_ns)
				note_event(r, p->spec->name, "starts");
		}
		if (!p->stop_sent && p->spec->stop_ns && t_ns >= p->spec->stop_ns) {
			p->stop_sent = true;
			atomic_store(&p->w.shm->stop, 1);
			note_event(r, p->spec->name, "stops");
		}
	}
}

/* At the end of the baseline window keep a copy of every histogram, so
 * summary.json can report the quiet start apart from the whole run. */
static void take_baseline(struct run *r, uint64_t t_ns)
{
	if (!r->p->baseline_ns || r->baseline || t_ns < r->p->baseline_ns)
		return;
	r->baseline = calloc(r->n_procs * RB_MAX_HISTS, sizeof(*r->baseline));
	for (size_t i = 0; r->baseline && i < r->n_procs; i++)
		for (size_t h = 0; h < RB_MAX_HISTS; h++)
			rb_hist_snapshot(&r->procs[i].w.shm->hist[h],
					 &r->baseline[i * RB_MAX_HISTS + h]);
}

/* A watchdog limit tripped? Fills reason. */
static bool watchdog(struct run *r, const struct rb_sampler_view *v)
{
	const struct rb_profile *p = r->p;
	char a[32], b[32];

	if (p->mode == RB_MODE_CONTAINED && p->watchdog_memavail &&
	    v->mem_available_kb * 1024 < p->watchdog_memavail) {
		rb_format_size(v->mem_available_kb * 1024, a, sizeof(a));
		rb_format_size(p->watchdog_memavail, b, sizeof(b));
		(void)snprintf(r->reason, sizeof(r->reason),
			       "watchdog: machine MemAvailable %s fell below %s", a, b);
		return true;
	}
	if (p->watchdog_psi_full > 0 && v->psi_full_avg10 > p->watchdog_psi_full) {
		(void)snprintf(r->reason, sizeof(r->reason),
			       "watchdog: memory PSI full avg10 %.1f%% above %.1f%%",
			       v->psi_full_avg10, p->watchdog_psi_full);
		return true;
	}
	return false;
}

static void progress(struct run *r, const struct rb_sampler_view *v, size_t alive)
{
	char avail[32];

	if (r->o->quiet || !isatty(STDERR_FILENO))
		return;
	rb_format_size(v->mem_available_kb * 1024, avail, sizeof(avail));
	fprintf(stderr, "\r[%5.1f/%.0fs] MemAvailable %-6s PSI some %5.1f%%  allocstall %7.0f/s  "
			"workers %zu/%zu ",
		v->t_s, (double)r->p->duration_ns / 1e9, avail, v->psi_some_avg10,
		v->allocstall_per_s, alive, r->n_procs);
}

static bool over(struct run *r, uint64_t t_ns, size_t alive, const struct rb_sampler_view *v)
{
	if (rb_stop_signal) {
		r->status = "aborted";
		(void)snprintf(r->reason, sizeof(r->reason), "interrupted by %s",
			       strsignal(rb_stop_signal));
		return true;
	}
	if (watchdog(r, v)) {
		r->status = "aborted";
		rb_run_event(r, v->t_s, "watchdog", NULL, r->reason);
		return true;
	}
	if (t_ns >= r->p->duration_ns) {
		r->status = "complete";
		(void)snprintf(r->reason, sizeof(r->reason), "ran for the profile's duration");
		return true;
	}
	if (!alive) {
		r->status = "complete";
		(void)snprintf(r->reason, sizeof(r->reason), "every worker ended before the duration");
		return true;
	}
	return false;
}

void rb_run_loop(struct run *r)
{
	uint64_t period = (uint64_t)(1e9 / r->p->sample_hz), next = r->t0_ns;
	uint64_t last_progress = 0;
	struct rb_sampler_view v;

	schedule(r, 0);
	(void)rb_phases_take(&r->phases, "start", 0, r->procs, r->n_procs, r->sampler);
	for (;;) {
		next += period;
		sleep_until(next);
		uint64_t now = rb_now_ns(), t = now - r->t0_ns;
		if (now < next && !rb_stop_signal)
			continue; /* woken early by a signal that is not ours */
		(void)rb_sampler_tick(r->sampler, now);
		rb_sampler_view(r->sampler, &v);
		schedule(r, t);
		take_baseline(r, t);
		rb_run_poll_oom(r, (double)t / 1e9);
		size_t alive = reap(r, (double)t / 1e9);
		snapshot_events(r, (double)t / 1e9);
		if (t - last_progress >= 1000000000ull || !last_progress) {
			progress(r, &v, alive);
			last_progress = t;
		}
		if (over(r, t, alive, &v))
			break;
		if (next + period < now) /* fell behind (machine stalled): skip ticks */
			next = now;
	}
	if (!r->o->quiet && isatty(STDERR_FILENO))
		fputc('\n', stderr);
}

void rb_run_stop_workers(struct run *r, uint64_t grace_ns)
{
	uint64_t deadline = rb_now_ns() + grace_ns;
	double t = (double)(rb_now_ns() - r->t0_ns) / 1e9;

	r->stopping = true;
	if (r->sampler)
		(void)rb_phases_take(&r->phases, "end", t, r->procs, r->n_procs, r->sampler);
	for (size_t i = 0; i < r->n_procs; i++)
		atomic_store(&r->procs[i].w.shm->stop, 1);
	while (reap(r, t) && rb_now_ns() < deadline)
		sleep_until(rb_now_ns() + 20000000ull);
	for (size_t i = 0; i < r->n_procs; i++) {
		struct rb_proc *p = &r->procs[i];
		if (p->pid > 0 && p->end == RB_END_RUNNING) {
			p->kill_sent = true;
			(void)kill(p->pid, SIGKILL);
		}
	}
	while (reap(r, t))
		sleep_until(rb_now_ns() + 20000000ull);
	rb_run_poll_oom(r, t); /* a kill in the last tick is logged by now */
}
