/* phases.c - snapshots at run events and the per-phase part of
 * summary.json (see include/phases.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phases.h"
#include "summary_priv.h"

/* The reclaim counters reported per phase (those the kernel has). */
static const char *const phase_counters[] = {
	"workingset_refault_file", "workingset_refault_anon", "workingset_refault",
	"pgmajfault", "pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd", "pgsteal_direct",
	"allocstall_normal", "allocstall_movable", "compact_stall", "pswpin", "pswpout",
};

int rb_phases_take(struct rb_phases *ph, const char *label, double t_s,
		   const struct rb_proc *procs, size_t n_procs, const struct rb_sampler *sampler)
{
	struct rb_snapshot *grown = realloc(ph->snaps, (ph->n + 1) * sizeof(*grown)), *s;

	if (!grown)
		return -ENOMEM;
	ph->snaps = grown;
	s = memset(&grown[ph->n], 0, sizeof(*s));
	s->t_s = t_s;
	(void)snprintf(s->label, sizeof(s->label), "%s", label);
	s->hists = calloc(n_procs * RB_MAX_HISTS + 1, sizeof(*s->hists));
	s->counters = calloc(n_procs * RB_MAX_COUNTERS + 1, sizeof(*s->counters));
	if (!s->hists || !s->counters) {
		free(s->hists);
		free(s->counters);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n_procs; i++) {
		for (size_t h = 0; h < RB_MAX_HISTS; h++)
			rb_hist_snapshot(&procs[i].w.shm->hist[h], &s->hists[i * RB_MAX_HISTS + h]);
		for (size_t c = 0; c < RB_MAX_COUNTERS; c++)
			s->counters[i * RB_MAX_COUNTERS + c] =
				__atomic_load_n(&procs[i].w.shm->counters[c], __ATOMIC_RELAXED);
	}
	if (sampler)
		rb_sampler_state(sampler, &s->vmstat, &s->kswapd_ticks);
	ph->n++;
	return 0;
}

static void add_vmstat(struct json_object *o, const struct rb_snapshot *a,
		       const struct rb_snapshot *b, double secs)
{
	for (size_t i = 0; i < sizeof(phase_counters) / sizeof(phase_counters[0]); i++) {
		uint64_t x, y;
		char key[64];
		if (rb_kvset_get(&a->vmstat, phase_counters[i], NULL, &x) ||
		    rb_kvset_get(&b->vmstat, phase_counters[i], NULL, &y))
			continue;
		double d = y >= x ? (double)(y - x) : 0;
		rb_json_add_num(o, phase_counters[i], d);
		(void)snprintf(key, sizeof(key), "%s_per_s", phase_counters[i]);
		rb_json_add_num(o, key, secs > 0 ? d / secs : NAN);
	}
}

static struct json_object *hist_json(const struct rb_hist *a, const struct rb_hist *b)
{
	struct json_object *o = json_object_new_object();
	struct rb_hist *d = malloc(sizeof(*d));

	if (!d)
		return o;
	rb_hist_diff(b, a, d);
	rb_json_add_num(o, "count", (double)d->count);
	if (d->count) {
		rb_json_add_num(o, "p50_us", (double)rb_hist_percentile(d, 50) / 1e3);
		rb_json_add_num(o, "p99_us", (double)rb_hist_percentile(d, 99) / 1e3);
		rb_json_add_num(o, "p99.9_us", (double)rb_hist_percentile(d, 99.9) / 1e3);
		rb_json_add_num(o, "max_us", (double)d->max_ns / 1e3);
	}
	free(d);
	return o;
}

static struct json_object *worker_json(const struct rb_proc *p, size_t i,
				       const struct rb_snapshot *a, const struct rb_snapshot *b)
{
	struct json_object *o = json_object_new_object(), *lat = json_object_new_object();
	const char *const *hn = p->w.ops->hist_names, *const *cn = p->w.ops->counter_names;
	const uint64_t *ca = &a->counters[i * RB_MAX_COUNTERS], *cb = &b->counters[i * RB_MAX_COUNTERS];

	rb_json_add_num(o, "ops", (double)(cb[RB_CTR_OPS] - ca[RB_CTR_OPS]));
	for (size_t h = 0; hn && hn[h] && h < RB_MAX_HISTS; h++)
		json_object_object_add(lat, hn[h], hist_json(&a->hists[i * RB_MAX_HISTS + h],
							     &b->hists[i * RB_MAX_HISTS + h]));
	json_object_object_add(o, "latency", lat);
	for (size_t c = 0; cn && cn[c] && RB_CTR_FIRST_CUSTOM + c < RB_MAX_COUNTERS; c++)
		rb_json_add_num(o, cn[c], (double)cb[RB_CTR_FIRST_CUSTOM + c]); /* at the end */
	return o;
}

static struct json_object *phase_json(const struct rb_snapshot *a, const struct rb_snapshot *b,
				      const struct rb_proc *procs, size_t n_procs, long clk_tck)
{
	struct json_object *o = json_object_new_object(), *vm = json_object_new_object();
	struct json_object *workers = json_object_new_object();
	double secs = b->t_s - a->t_s;

	json_object_object_add(o, "from", json_object_new_string(a->label));
	json_object_object_add(o, "to", json_object_new_string(b->label));
	rb_json_add_num(o, "from_s", a->t_s);
	rb_json_add_num(o, "to_s", b->t_s);
	add_vmstat(vm, a, b, secs);
	json_object_object_add(o, "vmstat", vm);
	if (clk_tck > 0 && secs > 0)
		rb_json_add_num(o, "kswapd_cpu_pct", 100.0 * (double)(b->kswapd_ticks - a->kswapd_ticks) /
							 (double)clk_tck / secs);
	for (size_t i = 0; i < n_procs; i++)
		json_object_object_add(workers, procs[i].name, worker_json(&procs[i], i, a, b));
	json_object_object_add(o, "workers", workers);
	return o;
}

struct json_object *rb_phases_json(const struct rb_phases *ph, const struct rb_proc *procs,
				   size_t n_procs, long clk_tck)
{
	struct json_object *list = json_object_new_array();

	for (size_t i = 0; i + 1 < ph->n; i++)
		json_object_array_add(list, phase_json(&ph->snaps[i], &ph->snaps[i + 1], procs,
						       n_procs, clk_tck));
	return list;
}

bool rb_phase_label_has(const char *label, const char *event)
{
	size_t n = strlen(event);

	for (const char *at = label; (at = strstr(at, event)); at++) {
		bool starts = at == label || (at >= label + 2 && at[-2] == ',');
		bool ends = at[n] == '\0' || at[n] == ',';
		if (starts && ends)
			return true;
	}
	return false;
}

const struct rb_snapshot *rb_phases_find(const struct rb_phases *ph, const char *event)
{
	for (size_t i = 0; i < ph->n; i++)
		if (rb_phase_label_has(ph->snaps[i].label, event))
			return &ph->snaps[i];
	return NULL;
}

void rb_phases_free(struct rb_phases *ph)
{
	for (size_t i = 0; i < ph->n; i++) {
		free(ph->snaps[i].hists);
		free(ph->snaps[i].counters);
		rb_kvset_free(&ph->snaps[i].vmstat);
	}
	free(ph->snaps);
	ph->snaps = NULL;
	ph->n = 0;
}
