/* summary_workers.c - the "workers" part of summary.json: for each worker
 * instance its workload, how it ended, operation and byte totals and rates,
 * and for each histogram count, mean and percentiles in microseconds. */
#include <stdio.h>
#include <stdlib.h>

#include "summary_priv.h"

static void add_latency(struct json_object *o, const struct rb_hist *h);

static const struct { const char *key; double pct; } percentiles[] = {
	{ "p50_us", 50 }, { "p90_us", 90 }, { "p99_us", 99 },
	{ "p99.9_us", 99.9 }, { "p99.99_us", 99.99 },
};

static struct json_object *latency(const struct rb_hist *live)
{
	struct json_object *o = json_object_new_object();
	struct rb_hist *h = malloc(sizeof(*h));

	if (!h)
		return o;
	rb_hist_snapshot(live, h);
	add_latency(o, h);
	free(h);
	return o;
}

static void add_latency(struct json_object *o, const struct rb_hist *h)
{
	rb_json_add_num(o, "count", (double)h->count);
	if (h->count) {
		rb_json_add_num(o, "mean_us", rb_hist_mean(h) / 1e3);
		rb_json_add_num(o, "min_us", (double)h->min_ns / 1e3);
		for (size_t i = 0; i < sizeof(percentiles) / sizeof(percentiles[0]); i++)
			rb_json_add_num(o, percentiles[i].key,
					(double)rb_hist_percentile(h, percentiles[i].pct) / 1e3);
		rb_json_add_num(o, "max_us", (double)h->max_ns / 1e3);
	}
}

static struct json_object *one_worker(const struct rb_proc *p, double secs)
{
	struct json_object *o = json_object_new_object(), *lat = json_object_new_object();
	uint64_t ops = p->w.shm->counters[RB_CTR_OPS], bytes = p->w.shm->counters[RB_CTR_BYTES];
	const char *const *names = p->w.ops->hist_names;
	char detail[128];

	json_object_object_add(o, "workload", json_object_new_string(p->spec->name));
	json_object_object_add(o, "type", json_object_new_string(p->w.ops->name));
	json_object_object_add(o, "node", json_object_new_int(p->w.node));
	json_object_object_add(o, "exit", json_object_new_string(rb_exit_kind_name(p->end)));
	json_object_object_add(o, "oom_killed", json_object_new_int(p->end == RB_END_OOM_KILLED));
	json_object_object_add(o, "oom_score_adj", json_object_new_int(p->oom_score_adj));
	rb_proc_describe(p, detail, sizeof(detail));
	json_object_object_add(o, "exit_detail", json_object_new_string(detail));
	rb_json_add_num(o, "ops", (double)ops);
	rb_json_add_num(o, "bytes", (double)bytes);
	rb_json_add_num(o, "errors", (double)p->w.shm->counters[RB_CTR_ERRORS]);
	rb_json_add_num(o, "ops_per_s", secs > 0 ? (double)ops / secs : 0);
	rb_json_add_num(o, "bytes_per_s", secs > 0 ? (double)bytes / secs : 0);
	for (size_t h = 0; names && names[h] && h < RB_MAX_HISTS; h++)
		json_object_object_add(lat, names[h], latency(&p->w.shm->hist[h]));
	json_object_object_add(o, "latency", lat);
	return o;
}

struct json_object *rb_summary_workers(const struct rb_proc *procs, size_t n, double secs)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; i < n; i++)
		json_object_object_add(o, procs[i].name, one_worker(&procs[i], secs));
	return o;
}

struct json_object *rb_summary_baseline(const struct rb_proc *procs, size_t n,
					const struct rb_hist *snapshots)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; i < n; i++) {
		struct json_object *w = json_object_new_object(), *lat = json_object_new_object();
		const char *const *names = procs[i].w.ops->hist_names;
		for (size_t h = 0; names && names[h] && h < RB_MAX_HISTS; h++) {
			struct json_object *l = json_object_new_object();
			add_latency(l, &snapshots[i * RB_MAX_HISTS + h]);
			json_object_object_add(lat, names[h], l);
		}
		json_object_object_add(w, "latency", lat);
		json_object_object_add(o, procs[i].name, w);
	}
	return o;
}
