/* sampler_totals.c - the sampler's run totals beyond the first and last
 * readings (see sampler_totals.h): how close dirty memory came to the dirty
 * threshold, adding to the name/value sets the totals are made of, and
 * freeing them. (Each meminfo field's range is kept by its column, in
 * sampler_source.c.)
 *
 * The dirty peak is the tick-by-tick maximum of Dirty / threshold and
 * (Dirty + Writeback) / threshold: throttling in balance_dirty_pages()
 * starts as the sum nears the threshold, and Dirty swings within a tenth
 * of a second, so a first/last reading or an average would miss it.
 * meminfo gives kB, vmstat's nr_dirty_threshold gives pages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sampler_totals.h"

int rb_sampler_kv_put(struct rb_kvset *set, const char *name, uint64_t value)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0) {
			set->v[i].value = value;
			return 0;
		}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		struct rb_kv *v = realloc(set->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		set->v = v;
		set->cap = cap;
	}
	(void)snprintf(set->v[set->n].name, RB_KV_NAME_MAX, "%s", name);
	set->v[set->n++].value = value;
	return 0;
}

static void raise_to(double *max, bool *seen, double v)
{
	if (!*seen || v > *max)
		*max = v;
	*seen = true;
}

void rb_dirty_peak_add(struct rb_dirty_peak *peak, const uint64_t *dirty_kb,
		       const uint64_t *writeback_kb, const uint64_t *threshold_pages,
		       uint64_t page_size)
{
	double threshold_kb;

	if (!dirty_kb || !threshold_pages || !*threshold_pages || !page_size)
		return;
	threshold_kb = (double)*threshold_pages * (double)page_size / 1024.0;
	raise_to(&peak->dirty_pct, &peak->has_dirty, 100.0 * (double)*dirty_kb / threshold_kb);
	if (writeback_kb)
		raise_to(&peak->dirty_writeback_pct, &peak->has_dirty_writeback,
			 100.0 * (double)(*dirty_kb + *writeback_kb) / threshold_kb);
}

void rb_sampler_totals_free(struct rb_sampler_totals *t)
{
	if (!t)
		return;
	rb_kvset_free(&t->vmstat_first);
	rb_kvset_free(&t->vmstat_last);
	rb_kvset_free(&t->memcg_first);
	rb_kvset_free(&t->memcg_last);
	rb_kvset_free(&t->meminfo_min);
	rb_kvset_free(&t->meminfo_max);
	for (size_t i = 0; i < t->n_series; i++) {
		free(t->series[i].t_s);
		free(t->series[i].p99_us);
	}
	free(t->series);
	free(t->counters);
	t->series = NULL;
	t->counters = NULL;
	t->n_series = t->n_counters = 0;
}
