/* thp_figures.h - the huge-page success arithmetic shared by the thp-alloc
 * workload (how many of its regions got a huge page, from the AnonHugePages
 * of its own mappings) and summary.json (the success % over every thp-alloc
 * worker, from their "thp_regions" and "regions" counters). */
#ifndef RB_THP_FIGURES_H
#define RB_THP_FIGURES_H

#include <stdint.h>

/* Regions backed by a huge page, from AnonHugePages (kB, as
 * /proc/self/smaps_rollup prints it) read before the regions were faulted
 * and after: the growth in whole huge pages of region_kb, clamped to
 * 0..regions (other mappings' huge pages may come and go meanwhile). */
uint64_t rb_thp_huge_regions(uint64_t anon_huge_kb_before, uint64_t anon_huge_kb_after,
			     uint64_t region_kb, uint64_t regions);

/* 100 * huge / total, clamped to 0..100; NaN when total is 0 (no figure). */
double rb_thp_success_pct(uint64_t huge, uint64_t total);

/* Running sums over workers. */
struct rb_thp_tally {
	uint64_t huge;     /* sum of "thp_regions" */
	uint64_t regions;  /* sum of "regions" */
	unsigned workers;  /* workers that have both counters */
};

/* Add one worker: counter_names is its workload's NULL-terminated list (or
 * NULL), custom its counters from RB_CTR_FIRST_CUSTOM on, in that order. A
 * worker without both "thp_regions" and "regions" is left out. */
void rb_thp_tally_add(struct rb_thp_tally *t, const char *const *counter_names,
		      const uint64_t *custom);

#endif
