/* workloads.c - the registry of workload generators, built from
 * include/workloads.def, and the start-up check of every ops table
 * (as fio's check_engine_ops()). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "workloads.h"

const struct rb_workload_ops *const rb_workloads[] = {
#define RB_WORKLOAD(sym) &sym,
#include "workloads.def"
#undef RB_WORKLOAD
};

const size_t rb_workload_count = sizeof(rb_workloads) / sizeof(rb_workloads[0]);

const struct rb_workload_ops *rb_workload_find(const char *name)
{
	for (size_t i = 0; i < rb_workload_count; i++)
		if (strcmp(rb_workloads[i]->name, name) == 0)
			return rb_workloads[i];
	return NULL;
}

static size_t count_names(const char *const *names)
{
	size_t n = 0;

	while (names && names[n])
		n++;
	return n;
}

static int check_one(const struct rb_workload_ops *ops)
{
	const char *why = NULL;

	if (ops->abi != RB_WORKLOAD_ABI)
		why = "was built against another workload ABI";
	else if (!ops->name || !ops->help || !ops->options || !ops->run || !ops->setup)
		why = "lacks a name, help, options, setup or run";
	else if (count_names(ops->hist_names) > RB_MAX_HISTS)
		why = "has more histograms than RB_MAX_HISTS";
	else if (count_names(ops->counter_names) + RB_CTR_FIRST_CUSTOM > RB_MAX_COUNTERS)
		why = "has more counters than RB_MAX_COUNTERS";
	if (!why)
		return 0;
	fprintf(stderr, "reclaimbench: workload %s %s\n", ops->name ? ops->name : "?", why);
	return -EINVAL;
}

int rb_workloads_check(void)
{
	int rc = 0;

	for (size_t i = 0; i < rb_workload_count; i++)
		if (check_one(rb_workloads[i]) < 0)
			rc = -EINVAL;
	return rc;
}
