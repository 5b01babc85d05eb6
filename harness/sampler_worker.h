/* sampler_worker.h - private to the sampler: the workers.tsv writer, which
 * turns the workers' shared counters and histograms into per-interval
 * rates and percentiles. */
#ifndef RB_SAMPLER_WORKER_H
#define RB_SAMPLER_WORKER_H

#include "sampler.h"

struct rb_sampler_workers;

/* Open workers.tsv and write its header. Returns 0 or -errno. */
int rb_sampler_workers_open(const struct rb_sampler_config *cfg, struct rb_sampler_workers **out,
			    char *err, size_t errlen);

/* Take the baseline snapshots at run time t_ns (ns since the first tick). */
void rb_sampler_workers_start(struct rb_sampler_workers *sw, uint64_t t_ns);

/* Write a row if a worker interval has passed since the last one.
 * Returns 0 or -errno. */
int rb_sampler_workers_tick(struct rb_sampler_workers *sw, uint64_t t_ns);

/* Move the p99 series and counter ranges into totals (the caller frees
 * them with rb_sampler_totals_free). */
void rb_sampler_workers_totals(struct rb_sampler_workers *sw, struct rb_sampler_totals *t);

/* Close; accepts NULL. */
void rb_sampler_workers_close(struct rb_sampler_workers *sw);

#endif
