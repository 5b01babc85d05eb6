/* summary_priv.h - private to summary*.c: pieces of summary.json. */
#ifndef RB_SUMMARY_PRIV_H
#define RB_SUMMARY_PRIV_H

#include <json-c/json.h>

#include "spawn.h"

/* Add a number: an integer when it is whole, else rounded to 4 decimals;
 * nothing when it is NaN or infinite (a figure that cannot be computed is
 * absent, not zero). */
void rb_json_add_num(struct json_object *o, const char *key, double v);

/* "workers": per instance totals, rates, exit and latency percentiles. */
struct json_object *rb_summary_workers(const struct rb_proc *procs, size_t n, double secs);

/* "baseline": per worker, the latency of each histogram over the baseline
 * window, from snapshots laid out n * RB_MAX_HISTS. */
struct json_object *rb_summary_baseline(const struct rb_proc *procs, size_t n,
					const struct rb_hist *snapshots);

#endif
