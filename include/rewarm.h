/* rewarm.h - figures of the backup-pollution incident computed from a
 * run's series: how long a service takes to get its latency back after a
 * cache-polluting job ends (re-warm time), and page-cache residency. Pure
 * functions, unit-tested on synthetic series. */
#ifndef RB_REWARM_H
#define RB_REWARM_H

#include <stddef.h>
#include <stdint.h>

/* Re-warm time. t_s[i] is the end of interval i (each `interval_s` long),
 * p99[i] that interval's p99 (NaN: no values). After end_s, find the first
 * interval lying wholly after end_s from which `hold` consecutive non-empty
 * intervals all have p99 <= factor * baseline_p99; *rewarm_s is the end of
 * that first interval minus end_s. Returns 0, -ENOENT if the run ended
 * before that happened (*rewarm_s is then how long was watched: a lower
 * bound), or -EINVAL for bad arguments (n == 0, factor <= 0, baseline <= 0,
 * hold == 0). */
int rb_rewarm_time(const double *t_s, const double *p99, size_t n, double interval_s,
		   double end_s, double baseline_p99, double factor, unsigned hold,
		   double *rewarm_s);

/* resident / total in percent; NaN when total is 0. */
double rb_residency_pct(uint64_t resident, uint64_t total);

#endif
