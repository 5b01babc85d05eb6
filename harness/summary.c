/* summary.c - builds summary.json from the sampler's first/last readings and
 * the workers' shared counters (see include/summary.h for the metric names). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "summary.h"
#include "summary_priv.h"
#include "thp_figures.h"

void rb_json_add_num(struct json_object *o, const char *key, double v)
{
	if (!isfinite(v))
		return;
	if (v == floor(v) && fabs(v) < 9e15)
		json_object_object_add(o, key, json_object_new_int64((int64_t)v));
	else
		json_object_object_add(o, key, json_object_new_double(round(v * 1e4) / 1e4));
}

static bool get_delta(const struct rb_kvset *first, const struct rb_kvset *last, const char *name,
		      double *out)
{
	uint64_t a, b;

	if (rb_kvset_get(first, name, NULL, &a) || rb_kvset_get(last, name, NULL, &b))
		return false;
	*out = b >= a ? (double)(b - a) : 0;
	return true;
}

static struct json_object *vmstat_deltas(const struct rb_sampler_totals *t, double per)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; i < t->vmstat_last.n; i++) {
		const char *name = t->vmstat_last.v[i].name;
		double d;
		if (!rb_vmstat_is_counter(name) ||
		    !get_delta(&t->vmstat_first, &t->vmstat_last, name, &d))
			continue;
		if (per > 0 && d > 0) {
			char key[RB_KV_NAME_MAX + 8];
			(void)snprintf(key, sizeof(key), "%s_per_s", name);
			rb_json_add_num(o, key, d / per);
		} else if (per == 0) {
			rb_json_add_num(o, name, d);
		}
	}
	return o;
}

/* Sum of every counter whose name starts with prefix; false if none exist. */
static bool family_sum(const struct rb_sampler_totals *t, const char *prefix, double *out)
{
	size_t len = strlen(prefix);
	bool any = false;
	double d;

	*out = 0;
	for (size_t i = 0; i < t->vmstat_last.n; i++) {
		const char *name = t->vmstat_last.v[i].name;
		if (strncmp(name, prefix, len) != 0 || (name[len] && name[len] != '_'))
			continue;
		if (get_delta(&t->vmstat_first, &t->vmstat_last, name, &d)) {
			*out += d;
			any = true;
		}
	}
	return any;
}

static double ratio_pct(double num, double den)
{
	return den > 0 ? 100.0 * num / den : NAN;
}

static void add_family(struct json_object *o, const struct rb_sampler_totals *t,
		       const char *key, const char *prefix, double secs)
{
	char rate[64];
	double v;

	if (!family_sum(t, prefix, &v))
		return;
	rb_json_add_num(o, key, v);
	(void)snprintf(rate, sizeof(rate), "%s_per_s", key);
	rb_json_add_num(o, rate, secs > 0 ? v / secs : NAN);
}

static double vm(const struct rb_sampler_totals *t, const char *name)
{
	double d;

	return get_delta(&t->vmstat_first, &t->vmstat_last, name, &d) ? d : NAN;
}

static double memcg_delta(const struct rb_sampler_totals *t, const char *name)
{
	double d;

	return get_delta(&t->memcg_first, &t->memcg_last, name, &d) ? d : NAN;
}

/* Figures of memcg reclaim that read the same on cgroup v1 and v2: times
 * the limit was hit (v1 memory.failcnt, v2 memory.events max) and, where
 * the kernel counts them per cgroup (v2), direct scan/steal. */
static void memcg_derived(struct json_object *o, const struct rb_sampler_totals *t, double secs)
{
	double hits = memcg_delta(t, "failcnt");

	if (isnan(hits))
		hits = memcg_delta(t, "events.max");
	rb_json_add_num(o, "memcg_limit_hits", hits);
	rb_json_add_num(o, "memcg_limit_hits_per_s", secs > 0 ? hits / secs : NAN);
	rb_json_add_num(o, "memcg_pgscan_direct", memcg_delta(t, "pgscan_direct"));
	rb_json_add_num(o, "memcg_pgsteal_direct", memcg_delta(t, "pgsteal_direct"));
	rb_json_add_num(o, "memcg_refault_file", memcg_delta(t, "workingset_refault_file"));
}

/* Swap figures: the anonymous share of what reclaim scanned and took, and
 * the compression ratio of zswap and zram at their fullest. */
static void swap_derived(struct json_object *o, const struct rb_sampler_totals *t)
{
	double anon = vm(t, "pgsteal_anon"), file = vm(t, "pgsteal_file");

	rb_json_add_num(o, "anon_reclaim_share_pct", ratio_pct(anon, anon + file));
	anon = vm(t, "pgscan_anon");
	file = vm(t, "pgscan_file");
	rb_json_add_num(o, "anon_scan_share_pct", ratio_pct(anon, anon + file));
	if (t->zswap_peak.seen)
		rb_json_add_num(o, "zswap_compression_ratio",
				rb_swap_compression_ratio(t->zswap_peak.uncompressed,
							  t->zswap_peak.compressed));
	if (t->zram_peak.seen)
		rb_json_add_num(o, "zram_compression_ratio",
				rb_swap_compression_ratio(t->zram_peak.uncompressed,
							  t->zram_peak.compressed));
}

static struct json_object *derived(const struct rb_sampler_totals *t)
{
	struct json_object *o = json_object_new_object();
	double secs = t->elapsed_s, scan, steal, v;

	add_family(o, t, "allocstall", "allocstall", secs);
	add_family(o, t, "workingset_refault", "workingset_refault", secs);
	scan = vm(t, "pgscan_kswapd") + vm(t, "pgscan_direct");
	steal = vm(t, "pgsteal_kswapd") + vm(t, "pgsteal_direct");
	rb_json_add_num(o, "pgscan", scan);
	rb_json_add_num(o, "pgsteal", steal);
	rb_json_add_num(o, "reclaim_efficiency_pct", ratio_pct(steal, scan));
	rb_json_add_num(o, "direct_reclaim_share_pct", ratio_pct(vm(t, "pgscan_direct"), scan));
	rb_json_add_num(o, "scan_velocity_pages_per_s", secs > 0 ? scan / secs : NAN);
	if (family_sum(t, "workingset_refault", &v))
		rb_json_add_num(o, "refault_rate_per_s", secs > 0 ? v / secs : NAN);
	rb_json_add_num(o, "compaction_success_rate_pct",
		ratio_pct(vm(t, "compact_success"), vm(t, "compact_success") + vm(t, "compact_fail")));
	rb_json_add_num(o, "thp_fallback_pct", ratio_pct(vm(t, "thp_fault_fallback"),
						 vm(t, "thp_fault_alloc") + vm(t, "thp_fault_fallback")));
	add_family(o, t, "compact_stall", "compact_stall", secs);
	swap_derived(o, t);
	if (t->memcg_last.n)
		memcg_derived(o, t, secs);
	if (t->dirty_peak.has_dirty)
		rb_json_add_num(o, "dirty_max_pct_of_threshold", t->dirty_peak.dirty_pct);
	if (t->dirty_peak.has_dirty_writeback)
		rb_json_add_num(o, "dirty_writeback_max_pct_of_threshold",
				t->dirty_peak.dirty_writeback_pct);
	if (t->has_kswapd && t->clk_tck > 0 && secs > 0)
		rb_json_add_num(o, "kswapd_cpu_pct",
				100.0 * (double)t->kswapd_ticks / (double)t->clk_tck / secs);
	return o;
}

/* Huge-page success of the thp-alloc workers, from their final counters:
 * regions faulted, regions that got a huge page, and the share. */
static void thp_alloc_figures(struct json_object *o, const struct rb_proc *procs, size_t n)
{
	struct rb_thp_tally tally = { 0, 0, 0 };

	for (size_t i = 0; i < n; i++)
		rb_thp_tally_add(&tally, procs[i].w.ops->counter_names,
				 &procs[i].w.shm->counters[RB_CTR_FIRST_CUSTOM]);
	if (!tally.workers)
		return;
	rb_json_add_num(o, "thp_alloc_regions", (double)tally.regions);
	rb_json_add_num(o, "thp_alloc_huge", (double)tally.huge);
	rb_json_add_num(o, "thp_success_pct", rb_thp_success_pct(tally.huge, tally.regions));
}

/* Free pages against the watermarks (summed over populated zones). */
static struct json_object *watermarks(const struct rb_sampler_totals *t)
{
	struct json_object *o = json_object_new_object();
	double n = (double)t->zone_samples;

	rb_json_add_num(o, "free_min_pages", (double)t->zone_free_min);
	rb_json_add_num(o, "min_pages", (double)t->zone_last.min);
	rb_json_add_num(o, "low_pages", (double)t->zone_last.low);
	rb_json_add_num(o, "high_pages", (double)t->zone_last.high);
	rb_json_add_num(o, "below_low_pct", n > 0 ? 100.0 * (double)t->zone_below_low / n : NAN);
	rb_json_add_num(o, "below_min_pct", n > 0 ? 100.0 * (double)t->zone_below_min / n : NAN);
	return o;
}

static void add_psi(struct json_object *o, const char *name, const struct rb_psi *a,
		    const struct rb_psi *b, double secs)
{
	struct json_object *r = json_object_new_object();
	uint64_t ns = (uint64_t)(secs * 1e9);

	rb_json_add_num(r, "some_pct", rb_psi_pct(a->some_total_us, b->some_total_us, ns));
	if (a->has_full && b->has_full)
		rb_json_add_num(r, "full_pct", rb_psi_pct(a->full_total_us, b->full_total_us, ns));
	json_object_object_add(o, name, r);
}

static struct json_object *psi(const struct rb_sampler_totals *t)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < 3; i++)
		if (t->has_psi[i])
			add_psi(o, rb_psi_resources[i], &t->psi_first[i], &t->psi_last[i],
				t->elapsed_s);
	if (t->has_memcg_psi)
		add_psi(o, "memcg", &t->memcg_psi_first, &t->memcg_psi_last, t->elapsed_s);
	return o;
}

static struct json_object *meminfo(const struct rb_sampler_totals *t)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; i < t->meminfo_min.n; i++) {
		struct json_object *f = json_object_new_object();
		uint64_t hi = 0;
		(void)rb_kvset_get(&t->meminfo_max, t->meminfo_min.v[i].name, NULL, &hi);
		rb_json_add_num(f, "min_kB", (double)t->meminfo_min.v[i].value);
		rb_json_add_num(f, "max_kB", (double)hi);
		json_object_object_add(o, t->meminfo_min.v[i].name, f);
	}
	return o;
}

/* memcg: counter deltas and last levels, by the names memcg_snapshot uses. */
static struct json_object *memcg(const struct rb_sampler_totals *t)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; i < t->memcg_last.n; i++) {
		const char *name = t->memcg_last.v[i].name;
		bool counter = strncmp(name, "events.", 7) == 0 || strcmp(name, "failcnt") == 0 ||
			       strcmp(name, "oom_control.oom_kill") == 0 ||
			       rb_memcg_stat_is_counter(name);
		double d;
		if (!counter)
			rb_json_add_num(o, name, (double)t->memcg_last.v[i].value);
		else if (get_delta(&t->memcg_first, &t->memcg_last, name, &d))
			rb_json_add_num(o, name, d);
	}
	return o;
}

struct json_object *rb_summary_build(const struct rb_profile *p,
				     const struct rb_sampler_totals *t,
				     const struct rb_proc *procs, size_t n_procs,
				     const struct rb_hist *baseline)
{
	struct json_object *s = json_object_new_object();

	if (!s)
		return NULL;
	json_object_object_add(s, "profile", json_object_new_string(p->name));
	json_object_object_add(s, "variant", json_object_new_string(p->variant));
	rb_json_add_num(s, "duration_s", t->elapsed_s);
	rb_json_add_num(s, "samples", (double)t->ticks);
	json_object_object_add(s, "derived", derived(t));
	thp_alloc_figures(json_object_object_get(s, "derived"), procs, n_procs);
	json_object_object_add(s, "psi", psi(t));
	if (t->has_zones)
		json_object_object_add(s, "watermarks", watermarks(t));
	json_object_object_add(s, "vmstat", vmstat_deltas(t, 0));
	json_object_object_add(s, "vmstat_per_s", vmstat_deltas(t, t->elapsed_s));
	json_object_object_add(s, "meminfo", meminfo(t));
	if (t->memcg_last.n)
		json_object_object_add(s, "memcg", memcg(t));
	json_object_object_add(s, "workers", rb_summary_workers(procs, n_procs, t->elapsed_s));
	if (baseline) {
		rb_json_add_num(s, "baseline_s", (double)p->baseline_ns / 1e9);
		json_object_object_add(s, "baseline", rb_summary_baseline(procs, n_procs, baseline));
	}
	return s;
}
