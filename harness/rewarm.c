/* rewarm.c - re-warm time and residency (see include/rewarm.h). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>

#include "rewarm.h"

double rb_residency_pct(uint64_t resident, uint64_t total)
{
	return total ? 100.0 * (double)resident / (double)total : NAN;
}

/* Do `hold` non-empty intervals from i on all stay within limit?
 * Empty intervals are skipped, not counted. */
static bool holds(const double *p99, size_t n, size_t i, double limit, unsigned hold)
{
	unsigned good = 0;

	for (; i < n && good < hold; i++) {
		if (isnan(p99[i]))
			continue;
		if (p99[i] > limit)
			return false;
		good++;
	}
	return good == hold;
}

int rb_rewarm_time(const double *t_s, const double *p99, size_t n, double interval_s,
		   double end_s, double baseline_p99, double factor, unsigned hold,
		   double *rewarm_s)
{
	double limit = factor * baseline_p99;

	if (!n || factor <= 0 || !(baseline_p99 > 0) || !hold || interval_s < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (t_s[i] - interval_s < end_s - 1e-9 || isnan(p99[i]))
			continue;
		if (holds(p99, n, i, limit, hold)) {
			*rewarm_s = t_s[i] - end_s;
			return 0;
		}
	}
	*rewarm_s = t_s[n - 1] > end_s ? t_s[n - 1] - end_s : 0;
	return -ENOENT;
}
