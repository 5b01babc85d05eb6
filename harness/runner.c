/* runner.c - one run of a profile (see include/runner.h):
 *
 *   check machine -> results dir + meta.json(running) -> journal ->
 *   settle -> cgroup (contained) | shrink (global) -> sysctls, THP ->
 *   fork workers, wait ready -> sampler -> timed loop (run_loop.c) ->
 *   stop workers -> summary.json, histograms, meta.json(final) ->
 *   journal replay (restores everything) -> meta.json(restore result)
 *
 * Any failure after the journal exists still goes through the same end:
 * results written, journal replayed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "knobs.h"
#include "machine.h"
#include "results.h"
#include "run_priv.h"
#include "summary.h"
#include "trace.h"
#include "units.h"
#include "workloads.h"

static void on_signal(int sig)
{
	rb_stop_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART: wake the loop */

	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	rb_stop_signal = 0;
}

/* The harness must outlive its workers and not be paged out under the
 * pressure it creates. Either may be refused (a sandbox without
 * CAP_SYS_RESOURCE or CAP_IPC_LOCK): the run goes on and meta.json says so. */
static void protect_harness(struct run *r)
{
	struct json_object *h = json_object_new_object();
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	bool adj = fd >= 0 && write(fd, "-1000", 5) == 5;
	int adj_errno = errno;
	bool locked;

	if (fd >= 0)
		(void)close(fd);
	locked = mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) == 0;
	json_object_object_add(h, "oom_score_adj", json_object_new_string(
		adj ? "-1000" : strerror(adj_errno)));
	json_object_object_add(h, "mlockall", json_object_new_string(
		locked ? "yes" : strerror(errno)));
	json_object_object_add(r->meta, "harness", h);
	if (!adj)
		rb_run_event(r, 0, "warning", NULL, "harness oom_score_adj -1000 refused: the OOM "
						 "killer may pick the harness (its journal still restores)");
}

static void fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct run *r, const char *fmt, ...)
{
	va_list ap;

	r->status = "failed";
	va_start(ap, fmt);
	(void)vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

static void record_setting(struct run *r, const char *kind, const char *key, const char *before,
			   const char *applied)
{
	struct json_object *s = json_object_new_object();

	json_object_object_add(s, "kind", json_object_new_string(kind));
	json_object_object_add(s, "key", json_object_new_string(key));
	json_object_object_add(s, "before", json_object_new_string(before));
	json_object_object_add(s, "applied", json_object_new_string(applied));
	json_object_array_add(r->settings, s);
}

/* Apply [sysctl] and [thp] through the journal. */
static int apply_settings(struct run *r)
{
	char err[512], path[PATH_MAX], before[256];

	for (size_t i = 0; i < r->p->n_sysctls; i++) {
		const struct rb_setting *s = &r->p->sysctls[i];
		if (rb_sysctl_path(s->key, path, sizeof(path)) || rb_knob_read(path, before, sizeof(before)))
			before[0] = '\0';
		if (rb_sysctl_apply(r->journal, s->key, s->value, err, sizeof(err)))
			return fail(r, "%s", err), -1;
		record_setting(r, "sysctl", s->key, before, s->value);
	}
	for (size_t i = 0; i < r->p->n_thp; i++) {
		const struct rb_setting *s = &r->p->thp[i];
		if (rb_thp_path(s->key, path, sizeof(path)) || rb_knob_read(path, before, sizeof(before)))
			before[0] = '\0';
		if (rb_thp_apply(r->journal, s->key, s->value, err, sizeof(err)))
			return fail(r, "%s", err), -1;
		record_setting(r, "thp", s->key, before, s->value);
	}
	return 0;
}

/* A cgroup v1 memcg reclaims with its own memory.swappiness, copied from its
 * parent when it was made: give it the profile's vm.swappiness. */
static int cgroup_swappiness(struct run *r)
{
	char path[PATH_MAX + 32];
	int rc;

	if (r->cg.version != RB_CGROUP_V1)
		return 0;
	for (size_t i = 0; i < r->p->n_sysctls; i++) {
		if (strcmp(r->p->sysctls[i].key, "vm.swappiness"))
			continue;
		(void)snprintf(path, sizeof(path), "%s/memory.swappiness", r->cg.path);
		rc = rb_knob_set(path, r->p->sysctls[i].value);
		if (rc)
			return fail(r, "cannot write %s: %s", path, strerror(-rc)), -1;
	}
	return 0;
}

static int contain(struct run *r)
{
	char err[512], name[64], limit[32];

	(void)snprintf(name, sizeof(name), "run-%d", (int)getpid());
	if (rb_cgroup_create(r->journal, name, r->p->memory, r->p->memory_high, &r->cg, err,
			     sizeof(err)))
		return fail(r, "%s", err), -1;
	(void)snprintf(limit, sizeof(limit), "%llu", (unsigned long long)r->p->memory);
	record_setting(r, r->cg.version == RB_CGROUP_V2 ? "cgroup-v2" : "cgroup-v1", r->cg.path,
		       "", limit);
	return cgroup_swappiness(r);
}

static int shrink(struct run *r)
{
	struct rb_shrink_result res = { 0 };
	struct json_object *o = json_object_new_object();
	char err[512];

	if (rb_shrink_machine(r->journal, r->p->memory, &res, err, sizeof(err))) {
		json_object_put(o);
		return fail(r, "%s", err), -1;
	}
	json_object_object_add(o, "method", json_object_new_string(res.method));
	json_object_object_add(o, "blocks_offlined", json_object_new_int((int)res.blocks_offlined));
	json_object_object_add(o, "bytes_offlined", json_object_new_int64((int64_t)res.bytes_offlined));
	json_object_object_add(o, "hugetlb_pages", json_object_new_int64((int64_t)res.hugetlb_pages));
	json_object_object_add(o, "mem_available_before",
			       json_object_new_int64((int64_t)res.mem_available_before));
	json_object_object_add(o, "mem_available_after",
			       json_object_new_int64((int64_t)res.mem_available_after));
	json_object_object_add(r->meta, "shrink", o);
	return 0;
}

static int make_scratch(struct run *r)
{
	(void)snprintf(r->scratch, sizeof(r->scratch), "%s/scratch", r->dir);
	int rc = r->o->keep_scratch ? 0 : rb_journal_rmtree(r->journal, r->scratch);

	if (rc)
		return fail(r, "journal: %s", strerror(-rc)), -1;
	if (mkdir(r->scratch, 0700) != 0 && errno != EEXIST)
		return fail(r, "cannot create the scratch directory: %s", strerror(errno)), -1;
	return 0;
}

static uint64_t mix_seed(uint64_t seed, uint64_t i)
{
	uint64_t z = seed + 0x9E3779B97F4A7C15ull * (i + 1);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static size_t count_instances(const struct rb_profile *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_workloads; i++)
		n += p->workloads[i].instances;
	return n;
}

static void init_proc(struct run *r, struct rb_proc *pr, const struct rb_workload_spec *s,
		      unsigned inst, size_t index)
{
	if (s->instances > 1)
		(void)snprintf(pr->name, sizeof(pr->name), "%s.%u", s->name, inst);
	else
		(void)snprintf(pr->name, sizeof(pr->name), "%s", s->name);
	(void)snprintf(pr->scratch, sizeof(pr->scratch), "%s/%s", r->scratch, pr->name);
	pr->spec = s;
	pr->w.name = pr->name;
	pr->w.spec_name = s->name;
	pr->w.instance = inst;
	pr->w.ops = s->ops;
	pr->w.config = s->config;
	pr->w.seed = mix_seed(r->p->seed, index);
	pr->w.memory = r->p->memory;
	pr->w.scratch_dir = pr->scratch;
	pr->w.shm = &r->shm[index];
}

/* Lay out one rb_proc and one shared-memory block per instance; skip
 * (with an event) workloads that cannot run here. */
static int build_procs(struct run *r)
{
	size_t n = count_instances(r->p), k = 0;

	r->shm_len = (n ? n : 1) * sizeof(struct rb_worker_shm);
	r->shm = mmap(NULL, r->shm_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	r->procs = calloc(n ? n : 1, sizeof(*r->procs));
	if (r->shm == MAP_FAILED || !r->procs) {
		r->shm = NULL;
		return fail(r, "%s", "out of memory for the workers' shared state"), -1;
	}
	for (size_t i = 0; i < r->p->n_workloads; i++) {
		const struct rb_workload_spec *s = &r->p->workloads[i];
		const char *why = s->ops->supported ? s->ops->supported(s->config) : NULL;
		if (why) {
			rb_run_event(r, 0, "skipped", s->name, why);
			continue;
		}
		for (unsigned inst = 0; inst < s->instances; inst++, k++)
			init_proc(r, &r->procs[k], s, inst, k);
	}
	for (size_t i = 0; i < k; i++)
		for (unsigned h = 0; h < RB_MAX_HISTS; h++)
			rb_hist_init(&r->shm[i].hist[h]);
	r->n_procs = k;
	return k ? 0 : (fail(r, "%s", "no workload can run on this machine"), -1);
}

/* Read back each worker's oom_score_adj: lowering it below the harness's
 * needs CAP_SYS_RESOURCE, which a container may not have. */
static void check_oom_score_adj(struct run *r)
{
	char path[64], val[32], msg[256];

	for (size_t i = 0; i < r->n_procs; i++) {
		struct rb_proc *p = &r->procs[i];
		(void)snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)p->pid);
		p->oom_score_adj = p->spec->oom_score_adj;
		if (p->pid <= 0 || rb_knob_read(path, val, sizeof(val)))
			continue;
		p->oom_score_adj = atoi(val);
		if (p->oom_score_adj == p->spec->oom_score_adj)
			continue;
		(void)snprintf(msg, sizeof(msg), "oom_score_adj %d refused (lowering it needs "
			       "CAP_SYS_RESOURCE): it runs with %d", p->spec->oom_score_adj,
			       p->oom_score_adj);
		rb_run_event(r, 0, "warning", p->name, msg);
	}
}

static int start_workers(struct run *r)
{
	int nodes = rb_machine_node_count(), rc;

	for (size_t i = 0; i < r->n_procs; i++) {
		rc = rb_spawn(&r->procs[i], &r->cg, nodes, r->procs[i].spec->oom_score_adj);
		if (rc)
			return fail(r, "fork: %s", strerror(-rc)), -1;
	}
	rc = rb_run_wait_ready(r, 300ull * 1000000000ull);
	if (rc == -EINTR)
		return r->status = "aborted",
		       (void)snprintf(r->reason, sizeof(r->reason), "interrupted during set-up"), -1;
	if (rc)
		return fail(r, "%s", "workers did not finish their set-up within 300 s"), -1;
	check_oom_score_adj(r);
	return 0;
}

static int start_sampler(struct run *r)
{
	struct rb_sampled_worker *sw = calloc(r->n_procs, sizeof(*sw));
	char samples[PATH_MAX + 16], workers[PATH_MAX + 16], err[512];
	struct rb_sampler_config cfg = {
		.samples_path = samples, .workers_path = workers,
		.cgroup = r->cg.version != RB_CGROUP_NONE ? &r->cg : NULL,
		.workers = sw, .n_workers = r->n_procs, .worker_interval_ns = r->p->worker_interval_ns,
	};
	int rc;

	if (!sw)
		return fail(r, "%s", "out of memory"), -1;
	for (size_t i = 0; i < r->n_procs; i++)
		sw[i] = (struct rb_sampled_worker){ r->procs[i].name, r->procs[i].w.ops->hist_names,
						    r->procs[i].w.ops->counter_names,
						    r->procs[i].w.shm };
	(void)snprintf(samples, sizeof(samples), "%s/samples.tsv", r->dir);
	(void)snprintf(workers, sizeof(workers), "%s/workers.tsv", r->dir);
	r->sampled = sw; /* the sampler keeps pointers into it until closed */
	rc = rb_sampler_open(&cfg, &r->sampler, err, sizeof(err));
	if (rc)
		return fail(r, "sampler: %s", err), -1;
	r->t0_ns = rb_now_ns();
	return 0;
}

/* FNV-1a 64 of the resolved profile text: the profile part of meta.json. */
static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

static struct json_object *describe_profile(const struct rb_profile *p, const char *dir)
{
	struct json_object *o = json_object_new_object();
	char *text = NULL, hash[24], path[PATH_MAX + 16];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f) {
		(void)rb_profile_write_resolved(p, f);
		(void)fclose(f);
	}
	(void)snprintf(path, sizeof(path), "%s/profile.ini", dir);
	if (text && (f = fopen(path, "we"))) {
		(void)fwrite(text, 1, len, f);
		(void)fclose(f);
	}
	(void)snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)fnv1a(text ? text : "", len));
	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "path", json_object_new_string(p->path));
	json_object_object_add(o, "variant", json_object_new_string(p->variant));
	json_object_object_add(o, "description", json_object_new_string(p->description));
	json_object_object_add(o, "hash", json_object_new_string(hash));
	json_object_object_add(o, "text", json_object_new_string(text ? text : ""));
	free(text);
	return o;
}

static void init_meta(struct run *r)
{
	char when[32];

	rb_utc_iso(when, sizeof(when));
	r->meta = json_object_new_object();
	r->events = json_object_new_array();
	r->settings = json_object_new_array();
	json_object_object_add(r->meta, "tool", json_object_new_string("reclaimbench " RB_VERSION));
	json_object_object_add(r->meta, "profile", describe_profile(r->p, r->dir));
	json_object_object_add(r->meta, "seed", json_object_new_int64((int64_t)r->p->seed));
	json_object_object_add(r->meta, "mode", json_object_new_string(
		r->p->mode == RB_MODE_GLOBAL ? "global" : "contained"));
	json_object_object_add(r->meta, "memory_bytes", json_object_new_int64((int64_t)r->p->memory));
	json_object_object_add(r->meta, "duration_s",
			       json_object_new_double((double)r->p->duration_ns / 1e9));
	json_object_object_add(r->meta, "sample_rate_hz", json_object_new_double(r->p->sample_hz));
	json_object_object_add(r->meta, "machine", rb_machine_describe());
	json_object_object_add(r->meta, "comparability", rb_compare_key(r->p));
	json_object_object_add(r->meta, "start", json_object_new_string(when));
	json_object_object_add(r->meta, "status", json_object_new_string("running"));
	json_object_object_add(r->meta, "settings", json_object_get(r->settings));
	json_object_object_add(r->meta, "events", json_object_get(r->events));
	r->status = "running";
}

static void save_meta(struct run *r)
{
	json_object_object_add(r->meta, "status", json_object_new_string(r->status));
	json_object_object_add(r->meta, "status_reason", json_object_new_string(r->reason));
	if (rb_json_save(r->dir, "meta.json", r->meta))
		fprintf(stderr, "reclaimbench: cannot write %s/meta.json\n", r->dir);
}

static void print_summary(const struct run *r, struct json_object *summary, int verdict)
{
	struct json_object *list;
	double v;

	printf("%s: %s (%s)\n", r->dir, r->status, r->reason);
	if (!summary)
		return;
	static const char *const figures[] = { "allocstall", "pgscan_direct", "pgscan_kswapd",
		"workingset_refault", "memcg.failcnt", "memcg.pgscan_direct", "psi.memory.some_pct",
		"psi.memory.full_pct" };
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (rb_summary_lookup(summary, figures[i], &v) == 0)
			printf("  %-24s %.6g\n", figures[i], v);
	for (size_t i = 0; i < r->n_procs; i++) {
		const char *h0 = r->procs[i].w.ops->hist_names[0];
		char name[160];
		(void)snprintf(name, sizeof(name), "%s.%s.p99_us", r->procs[i].name, h0);
		if (rb_summary_lookup(summary, name, &v) == 0)
			printf("  %-24s %.6g\n", name, v);
	}
	if (verdict < 0 || !json_object_object_get_ex(summary, "expect", &list))
		return;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i), *x;
		json_object_object_get_ex(e, "ok", &x);
		bool ok = json_object_get_boolean(x);
		json_object_object_get_ex(e, "expect", &x);
		printf("  expect %-40s %s\n", json_object_get_string(x), ok ? "yes" : "NO");
	}
	printf("  reproduced: %s\n", verdict ? "yes" : "no");
}

/* Write summary.json and the histograms; print the summary. */
static void write_results(struct run *r)
{
	struct json_object *summary;
	int verdict = -1;

	rb_sampler_close(r->sampler, &r->totals);
	r->sampler = NULL;
	if (rb_results_write_hists(r->dir, r->procs, r->n_procs))
		fprintf(stderr, "reclaimbench: cannot write the latency histograms\n");
	summary = rb_summary_build(r->p, &r->totals, r->procs, r->n_procs, r->baseline);
	if (summary)
		rb_summary_rewarm(summary, r->p, &r->totals, &r->phases, r->procs, r->n_procs);
	if (summary && r->phases.n > 2)
		json_object_object_add(summary, "phases", rb_phases_json(&r->phases, r->procs,
									 r->n_procs, r->totals.clk_tck));
	if (summary && r->trace)
		json_object_object_add(summary, "trace", rb_trace_summary(r->trace));
	if (summary) {
		json_object_object_add(summary, "status", json_object_new_string(r->status));
		verdict = rb_summary_verdict(r->p, summary);
		if (rb_json_save(r->dir, "summary.json", summary))
			fprintf(stderr, "reclaimbench: cannot write summary.json\n");
	}
	if (!r->o->quiet)
		print_summary(r, summary, verdict);
	json_object_put(summary);
}

/* The profile's [swap] (swap.h): before the machine is shrunk, so that the
 * replay turns swap off only once the memory is back. */
static int setup_swap(struct run *r)
{
	struct rb_swap_result res;
	const struct rb_swap_spec *s = &r->p->swap;
	char err[PATH_MAX + 256], what[PATH_MAX + 64];
	static const char *const types[] = { "none", "file", "zram" };

	if (!s->set)
		return 0;
	if (rb_swap_setup(r->journal, s, &res, err, sizeof(err)))
		return fail(r, "%s: [swap]: %s", s->where, err), -1;
	if (s->type == RB_SWAP_NONE)
		(void)snprintf(what, sizeof(what), "none (%u area(s) turned off)", res.swapped_off);
	else
		(void)snprintf(what, sizeof(what), "%s %llu bytes %s", types[s->type],
			       (unsigned long long)s->size, res.device);
	record_setting(r, "swap", "type", "", what);
	return 0;
}

/* Replay the journal: everything the run changed goes back. */
static void restore_machine(struct run *r)
{
	char when[32];
	int failed = rb_journal_finish(r->journal);

	r->journal = NULL;
	rb_utc_iso(when, sizeof(when));
	json_object_object_add(r->meta, "end", json_object_new_string(when));
	json_object_object_add(r->meta, "restore_failures", json_object_new_int(failed));
	if (failed) {
		if (failed < 0)
			fprintf(stderr, "reclaimbench: the journal could not be read (%s); run "
					"`reclaimbench restore`\n", strerror(-failed));
		else
			fprintf(stderr, "reclaimbench: %d setting(s) could not be restored; run "
					"`reclaimbench restore`\n", failed);
		if (strcmp(r->status, "complete") == 0)
			fail(r, "%s", "the machine could not be fully restored");
	}
}

static void release(struct run *r)
{
	rb_sampler_close(r->sampler, NULL);
	rb_sampler_totals_free(&r->totals);
	if (r->shm)
		(void)munmap(r->shm, r->shm_len);
	free(r->procs);
	free(r->sampled);
	free(r->baseline);
	rb_phases_free(&r->phases);
	rb_trace_free(r->trace);
	rb_oom_log_close(&r->oom_log);
	json_object_put(r->events);
	json_object_put(r->settings);
	json_object_put(r->meta);
}

/* Trace dirty throttling (balance_dirty_pages) when a dirty-burst worker
 * runs; tracefs missing is recorded in meta.json "tracing", never fatal. */
static void start_tracing(struct run *r)
{
	struct rb_trace_config cfg = { .t0_ns = r->t0_ns };
	bool wanted = false;

	for (size_t i = 0; i < r->p->n_workloads; i++)
		wanted = wanted || r->p->workloads[i].ops == &rb_wl_dirty_burst;
	if (wanted && rb_trace_start(r->journal, r->dir, &cfg, &r->trace) == 0)
		json_object_object_add(r->meta, "tracing", rb_trace_status(r->trace));
}

/* Everything between the journal and the results. */
static void run_body(struct run *r)
{
	if (r->p->settle)
		(void)rb_settle(10ull * 1000000000ull);
	/* Shrink before the sysctls: hotplug recomputes the watermarks, and a
	 * profile's vm.min_free_kbytes must apply to the machine as shrunk. */
	if (setup_swap(r) || (r->p->mode == RB_MODE_CONTAINED ? contain(r) : shrink(r)) ||
	    apply_settings(r) || make_scratch(r))
		return;
	if (rb_oom_log_open(&r->oom_log))
		rb_run_event(r, 0, "warning", NULL, "cannot read /dev/kmsg: OOM victims are known "
						 "only from their exit (SIGKILL while oom_kill rose)");
	if (build_procs(r) || start_workers(r) || start_sampler(r))
		return;
	start_tracing(r);
	r->oom_kills_at_start = rb_run_oom_kills(r);
	save_meta(r);
	rb_run_loop(r);
}

static int begin(struct run *r, char *dir, size_t len)
{
	char err[PATH_MAX + 256], skipped[2048];
	int rc = rb_machine_check(r->p, err, sizeof(err), skipped, sizeof(skipped));

	if (rc) {
		fprintf(stderr, "reclaimbench: %s\n", err);
		return 1;
	}
	if (rb_results_create(r->o->out_dir, r->p, r->dir, sizeof(r->dir), err, sizeof(err))) {
		fprintf(stderr, "reclaimbench: %s\n", err);
		return 2;
	}
	(void)snprintf(dir, len, "%s", r->dir);
	init_meta(r);
	if (rb_journal_begin(r->dir, &r->journal, err, sizeof(err))) {
		fail(r, "%s", err);
		save_meta(r);
		fprintf(stderr, "reclaimbench: %s\n", err);
		return 1;
	}
	save_meta(r);
	return 0;
}

int rb_run(const struct rb_profile *p, const struct rb_run_options *o, char *dir, size_t len)
{
	struct run r = { .p = p, .o = o, .status = "failed", .oom_log = { .fd = -1 } };
	int rc;

	install_signals();
	rc = begin(&r, dir, len);
	if (rc) {
		release(&r);
		return rc;
	}
	protect_harness(&r);
	run_body(&r);
	if (strcmp(r.status, "running") == 0)
		fail(&r, "%s", "internal error: the run ended without a status");
	rb_run_stop_workers(&r, 10ull * 1000000000ull);
	if (rb_trace_stop(r.trace))
		fprintf(stderr, "reclaimbench: cannot write the trace histograms\n");
	if (r.sampler)
		write_results(&r);
	restore_machine(&r);
	save_meta(&r);
	if (strcmp(r.status, "complete") != 0)
		fprintf(stderr, "reclaimbench: run %s: %s\n", r.status, r.reason);
	rc = strcmp(r.status, "complete") == 0 ? 0 : 1;
	release(&r);
	(void)munlockall();
	return rc;
}
