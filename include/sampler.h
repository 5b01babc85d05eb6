/* sampler.h - the run's time series: every tick it re-reads /proc/vmstat,
 * /proc/pressure/memory and the run's memory cgroup, and writes one row of
 * samples.tsv (per-second deltas for counters, levels as they are, PSI as %
 * of the interval). The slower-moving sources (meminfo, whose counters are
 * vmstat's nr_* fields; PSI io and cpu, zoneinfo, buddyinfo, kswapd CPU,
 * zram/zswap) are read once a second
 * and rows in between repeat their last figures. Once a second it also
 * writes a row of workers.tsv from the workers' shared counters and
 * histograms (rates and per-interval percentiles). samples.tsv rows are
 * written once a second, one write(2) for that second's rows, so an
 * interrupted run loses at most the last second's rows. */
#ifndef RB_SAMPLER_H
#define RB_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"
#include "procfs.h"
#include "swapstat.h"
#include "workload.h"
#include "zoneinfo.h"

/* One worker as the sampler sees it. */
struct rb_sampled_worker {
	const char *name;              /* instance name */
	const char *const *hist_names; /* NULL-terminated */
	const char *const *counter_names; /* the workload's own counters, or NULL */
	struct rb_worker_shm *shm;
};

struct rb_sampler_config {
	const char *samples_path;       /* samples.tsv */
	const char *workers_path;       /* workers.tsv */
	const struct rb_cgroup *cgroup; /* NULL: no cgroup columns */
	const struct rb_sampled_worker *workers;
	size_t n_workers;
	uint64_t worker_interval_ns;    /* workers.tsv row interval (profile worker_interval, 1 s) */
};

/* What the harness needs each tick for the progress line and watchdogs. */
struct rb_sampler_view {
	double t_s;                 /* seconds since the first tick */
	uint64_t mem_available_kb;  /* machine MemAvailable (read once a second) */
	double psi_some_avg10;      /* memory, as the kernel reports it */
	double psi_full_avg10;
	double allocstall_per_s;    /* sum of allocstall_* over the last tick */
	double kswapd_cpu_pct;      /* over the last second; NaN when kswapd is not readable */
	uint64_t memcg_oom_kills;   /* cgroup oom_kill so far (v2 events / v1 oom_control) */
	uint64_t oom_kills;         /* machine vmstat oom_kill delta since start */
};

#define RB_SERIES_NAME_MAX 96

/* Per-interval p99 of one worker histogram (workers.tsv's <w>.<op>.p99[us]). */
struct rb_p99_series {
	char worker[RB_SERIES_NAME_MAX], op[32];
	size_t n, cap;
	double *t_s, *p99_us; /* p99 is NaN where the interval had no values */
};

/* A worker's own counter (a level such as resident_pages) over the run. */
struct rb_counter_range {
	char worker[RB_SERIES_NAME_MAX], name[32];
	uint64_t min, max, last;
	bool seen;
};

/* The highest Dirty, and Dirty + Writeback, reached over the run's ticks
 * as % of the dirty threshold (vmstat nr_dirty_threshold): the kernel
 * throttles writers in balance_dirty_pages() on the sum. */
struct rb_dirty_peak {
	bool has_dirty, has_dirty_writeback; /* false: no tick had the fields */
	double dirty_pct, dirty_writeback_pct;
};

/* Fold one tick into the peak: meminfo Dirty and Writeback (kB), vmstat
 * nr_dirty_threshold (pages of page_size bytes); NULL where the kernel lacks
 * the field. A tick without a threshold, or with a threshold of 0, is
 * skipped; without Writeback only the Dirty figure moves. */
void rb_dirty_peak_add(struct rb_dirty_peak *peak, const uint64_t *dirty_kb,
		       const uint64_t *writeback_kb, const uint64_t *threshold_pages,
		       uint64_t page_size);

/* First and last readings of the run, for summary.json. */
struct rb_sampler_totals {
	struct rb_kvset vmstat_first, vmstat_last;
	struct rb_kvset memcg_first, memcg_last;   /* memory.stat (+events, failcnt) */
	struct rb_kvset meminfo_min, meminfo_max;  /* per field over the run */
	struct rb_psi psi_first[3], psi_last[3];   /* memory, io, cpu */
	bool has_psi[3];
	struct rb_psi memcg_psi_first, memcg_psi_last;
	bool has_memcg_psi;
	double elapsed_s;
	uint64_t ticks;
	/* kswapd threads' CPU time over the run (utime+stime, clock ticks) */
	bool has_kswapd;
	size_t kswapd_threads;
	uint64_t kswapd_ticks;
	long clk_tck;
	/* free pages against the watermarks, summed over populated zones */
	bool has_zones;
	uint64_t zone_samples, zone_below_low, zone_below_min, zone_free_min;
	struct rb_zone zone_last; /* last reading: its min/low/high */
	struct rb_dirty_peak dirty_peak;
	/* zswap (pool, stored) and zram (compr, orig; summed over the devices
	 * present at the start) at their largest compressed size */
	struct rb_swap_peak zswap_peak, zram_peak;
	/* from workers.tsv: every histogram's interval p99s, every custom counter's range */
	struct rb_p99_series *series;
	size_t n_series;
	struct rb_counter_range *counters;
	size_t n_counters;
};

struct rb_sampler;

/* Open every source and both files, write the headers and the first
 * reading (t = 0). Returns 0 or -errno with err filled. */
int rb_sampler_open(const struct rb_sampler_config *cfg, struct rb_sampler **out,
		    char *err, size_t errlen);

/* Take one reading at monotonic time now_ns and add its row(s); the
 * samples.tsv rows of a second are written together, on the tick that
 * also reads the 1 Hz sources. Returns 0 or -errno (a source vanishing is
 * not an error: its columns read NaN from then on). */
int rb_sampler_tick(struct rb_sampler *s, uint64_t now_ns);

/* The latest reading. */
void rb_sampler_view(const struct rb_sampler *s, struct rb_sampler_view *v);

/* A copy of the latest /proc/vmstat reading and the kswapd threads' CPU
 * ticks so far (0 if unreadable): the harness's phase snapshots. */
void rb_sampler_state(const struct rb_sampler *s, struct rb_kvset *vmstat, uint64_t *kswapd_ticks);

/* Hand over the run's first/last readings (the caller frees them with
 * rb_sampler_totals_free) and close everything. Accepts NULL. */
void rb_sampler_close(struct rb_sampler *s, struct rb_sampler_totals *totals);

void rb_sampler_totals_free(struct rb_sampler_totals *t);

/* PSI resource names in the order of the arrays above. */
extern const char *const rb_psi_resources[3];

#endif
