/* thp_figures.c - huge-page success arithmetic (see include/thp_figures.h). */
#include <math.h>
#include <string.h>

#include "thp_figures.h"

uint64_t rb_thp_huge_regions(uint64_t anon_huge_kb_before, uint64_t anon_huge_kb_after,
			     uint64_t region_kb, uint64_t regions)
{
	uint64_t huge;

	if (!region_kb || anon_huge_kb_after <= anon_huge_kb_before)
		return 0;
	huge = (anon_huge_kb_after - anon_huge_kb_before) / region_kb;
	return huge < regions ? huge : regions;
}

double rb_thp_success_pct(uint64_t huge, uint64_t total)
{
	if (!total)
		return NAN;
	return huge >= total ? 100.0 : 100.0 * (double)huge / (double)total;
}

/* Index of name in a NULL-terminated list, or -1. */
static int find(const char *const *names, const char *name)
{
	for (int i = 0; names && names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

void rb_thp_tally_add(struct rb_thp_tally *t, const char *const *counter_names,
		      const uint64_t *custom)
{
	int huge = find(counter_names, "thp_regions"), all = find(counter_names, "regions");

	if (huge < 0 || all < 0 || !custom)
		return;
	t->huge += custom[huge];
	t->regions += custom[all];
	t->workers++;
}
