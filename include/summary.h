/* summary.h - summary.json: the run's totals (vmstat deltas and rates, PSI %
 * of the run, meminfo min/max, memory cgroup figures), the derived figures
 * (mmtests-style reclaim efficiency, direct-reclaim share, scan velocity,
 * refault rate, compaction success, THP fallback, kswapd CPU %, dirty memory's
 * peak against the dirty threshold, anon share of reclaim, zswap/zram
 * compression), free pages against the zone watermarks, every worker's
 * totals and latency percentiles, and the verdict of the profile's `expect`
 * lines.
 *
 * Metric names for `expect` lines and `compare` resolve against it:
 *   pgscan_direct            vmstat counter total over the run
 *   pgscan_direct_per_s      ... per second
 *   allocstall, pgscan, pgsteal, workingset_refault   sums of the families
 *   reclaim_efficiency_pct, direct_reclaim_share_pct, ... (derived)
 *   psi.memory.some_pct      PSI stall % of the run (memory|io|cpu|memcg)
 *   memcg.failcnt, memcg.pgscan ...   cgroup counter deltas / level maxima
 *   meminfo.MemAvailable.min_kB  lowest reading of a meminfo field
 *   watermarks.below_min_pct     % of samples with free pages under the min watermark
 *   kswapd_cpu_pct               kswapd threads' CPU, % of one CPU over the run
 *   dirty_max_pct_of_threshold, dirty_writeback_max_pct_of_threshold
 *                            highest Dirty (+ Writeback) of a tick, % of the dirty threshold
 *   anon_reclaim_share_pct, anon_scan_share_pct   anon share of pgsteal / pgscan
 *   zswap_compression_ratio, zram_compression_ratio   stored / compressed at the fullest
 *   probe.p99_us, probe.access.p99_us, worker.probe.ops_per_s  workers
 *   baseline.probe.alloc.p99_us  the same, over the profile's baseline window
 *   ws.residency_min_pct     lowest page-cache residency of a working-set
 *   rewarm.rewarm_s, rewarm.p99_after_us   the re-warm figures
 *   trace.sleeps, trace.pause_p99_us        balance_dirty_pages tracing (when traced) */
#ifndef RB_SUMMARY_H
#define RB_SUMMARY_H

#include <json-c/json.h>
#include <stddef.h>

#include "phases.h"
#include "profile.h"
#include "sampler.h"
#include "spawn.h"

/* Build the summary object (without the verdict). baseline: NULL, or
 * n_procs * RB_MAX_HISTS histogram snapshots taken at the end of the
 * profile's baseline window (reported as "baseline"). NULL on ENOMEM. */
struct json_object *rb_summary_build(const struct rb_profile *p,
				     const struct rb_sampler_totals *t,
				     const struct rb_proc *procs, size_t n_procs,
				     const struct rb_hist *baseline);

/* Look a metric up in a summary object (ctx). Returns 0 or -ENOENT. */
int rb_summary_lookup(void *summary, const char *name, double *out);

/* Evaluate the profile's expect lines against the summary; adds "expect"
 * (each line, both sides' values, result or error) and "reproduced"
 * (true/false, or null when the profile has no expect line).
 * Returns 1 if reproduced, 0 if not, -1 if there were no expect lines. */
int rb_summary_verdict(const struct rb_profile *p, struct json_object *summary);

/* Add the backup-pollution figures: residency_min/max/last_pct for every
 * worker with resident_pages/file_pages counters, and "rewarm" (the watched
 * p99 before/during/after p->rewarm_after, and the re-warm time) when the
 * profile names rewarm_watch. */
void rb_summary_rewarm(struct json_object *summary, const struct rb_profile *p,
		       const struct rb_sampler_totals *t, const struct rb_phases *ph,
		       const struct rb_proc *procs, size_t n);

#endif
