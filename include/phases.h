/* phases.h - a run cut at its events. Whenever a worker starts late, is
 * stopped at its stop time or ends on its own (a backup that finished), the
 * harness takes a snapshot of every worker's histograms and counters, the
 * machine's vmstat and kswapd CPU. Consecutive snapshots bound a phase, and
 * summary.json reports each phase on its own: "before the backup",
 * "during", "after" - so a latency spike or a refault burst is tied to what
 * caused it instead of being averaged over the run. */
#ifndef RB_PHASES_H
#define RB_PHASES_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"
#include "sampler.h"
#include "spawn.h"

struct rb_snapshot {
	double t_s;
	char label[160];        /* what happened: "backup starts", "backup ended" */
	struct rb_hist *hists;  /* n_procs * RB_MAX_HISTS */
	uint64_t *counters;     /* n_procs * RB_MAX_COUNTERS */
	struct rb_kvset vmstat;
	uint64_t kswapd_ticks;
};

struct rb_phases {
	struct rb_snapshot *snaps;
	size_t n;
};

/* Take a snapshot at run time t_s. Returns 0 or -ENOMEM. */
int rb_phases_take(struct rb_phases *ph, const char *label, double t_s,
		   const struct rb_proc *procs, size_t n_procs, const struct rb_sampler *sampler);

/* The "phases" array of summary.json: one object per pair of consecutive
 * snapshots (from/to labels and times, vmstat deltas and rates of the
 * reclaim counters, kswapd CPU %, each worker's percentiles and counters). */
struct json_object *rb_phases_json(const struct rb_phases *ph, const struct rb_proc *procs,
				   size_t n_procs, long clk_tck);

/* Does a snapshot label (events joined by ", ") hold this exact event,
 * e.g. "backup ended"? */
bool rb_phase_label_has(const char *label, const char *event);

/* The first snapshot whose label holds event; NULL if none. */
const struct rb_snapshot *rb_phases_find(const struct rb_phases *ph, const char *event);

/* Free every snapshot; accepts an empty set. */
void rb_phases_free(struct rb_phases *ph);

#endif
