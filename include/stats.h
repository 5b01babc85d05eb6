/* stats.h - small-sample statistics for `compare`: location and spread,
 * confidence intervals, two-sample tests and a reproducible bootstrap.
 *
 * Every interval and test is two-sided. Functions that return a double
 * return NaN where the figure is undefined (no data, no variance); the
 * ones that return int return 0 or -errno. Nothing here allocates more
 * than a copy of its input, and results never depend on the time or on
 * any global state: the bootstrap takes its seed as an argument. */
#ifndef RB_STATS_H
#define RB_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One sample described: what `compare` prints for each side of a metric. */
struct rb_stats_summary {
	size_t n;
	double median, mean, sd;      /* sd: sample standard deviation (n - 1) */
	double mean_lo, mean_hi;      /* t-interval of the mean at the level asked; NaN for n < 2 */
	double median_lo, median_hi;  /* distribution-free order-statistic interval of the median */
	double median_coverage;       /* its exact coverage: >= the level from n = 6 (95%) on,
					 below it for smaller n (then it is [min, max]) */
};

/* Median (mean of the two middle values for even n); NaN for n = 0. */
double rb_stats_median(const double *x, size_t n);

/* Arithmetic mean; NaN for n = 0. */
double rb_stats_mean(const double *x, size_t n);

/* Sample standard deviation (divisor n - 1); NaN for n < 2. */
double rb_stats_sd(const double *x, size_t n);

/* Regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1
 * (continued fraction, modified Lentz); NaN outside the domain. */
double rb_stats_betai(double a, double b, double x);

/* Two-sided tail of Student's t with df degrees of freedom: P(|T| >= |t|). */
double rb_stats_t_p2(double t, double df);

/* Quantile of Student's t: the t with P(T <= t) = p, 0 < p < 1, df > 0. */
double rb_stats_t_quantile(double p, double df);

/* Order-statistic confidence interval of the median: [x(k), x(n-k+1)] of
 * the sorted sample with the largest k whose exact binomial coverage
 * 1 - 2 P(Bin(n, 1/2) <= k - 1) is at least level; k = 1 ([min, max])
 * when no k reaches it. coverage (may be NULL) gets that coverage.
 * Returns 0, -EINVAL for n = 0 or level outside (0, 1), -ENOMEM. */
int rb_stats_median_ci(const double *x, size_t n, double level, double *lo, double *hi,
		       double *coverage);

/* Fill s: n, median, mean, sd, the t-interval of the mean and the
 * order-statistic interval of the median at level. Returns 0, -EINVAL
 * (n = 0, bad level), -ENOMEM. */
int rb_stats_summarize(const double *x, size_t n, double level, struct rb_stats_summary *s);

/* Welch's unequal-variance t-test of mean(b) against mean(a): two-sided
 * p-value with the Welch-Satterthwaite degrees of freedom. NaN when a side
 * has fewer than 2 values or both have no variance while their means
 * differ; 1 when both have no variance and equal means. t and df (may be
 * NULL) get the statistic (positive when b is larger) and the degrees of freedom. */
double rb_stats_welch_p(const double *a, size_t na, const double *b, size_t nb, double *t,
			double *df);

/* Mann-Whitney U (Wilcoxon rank-sum) test result. */
struct rb_stats_mw {
	double u;    /* U of sample a: pairs (a_i, b_j) with a_i > b_j, ties count 1/2 */
	double p;    /* two-sided p-value */
	bool exact;  /* exact null distribution (no ties, both n <= 20), else normal */
};

/* Two-sided Mann-Whitney U test. Exact when neither sample has more than
 * RB_STATS_MW_EXACT_MAX values and there are no ties: p = 2 P(U >= max(U, na nb - U)),
 * capped at 1. Otherwise the normal approximation with the tie-corrected
 * variance and a continuity correction of 1/2 (as scipy.stats.mannwhitneyu,
 * method "exact" / "asymptotic"); p = 1 when every value is tied.
 * Returns 0, -EINVAL if a side is empty, -ENOMEM. */
int rb_stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
			  struct rb_stats_mw *out);

#define RB_STATS_MW_EXACT_MAX 20

/* The smallest two-sided p-value the exact Mann-Whitney test can give for
 * these sample sizes: 2 / C(na + nb, na), capped at 1. With 3 runs a side it
 * is 0.1, so the test can never reach 0.05 there. */
double rb_stats_mw_min_p(size_t na, size_t nb);

/* What a bootstrap resample computes from the two resampled means. */
enum rb_stats_boot {
	RB_BOOT_REL,  /* mean(b) / mean(a) - 1: relative change of b against a */
	RB_BOOT_DIFF, /* mean(b) - mean(a) */
};

/* Percentile bootstrap confidence interval of the statistic at level:
 * `iters` resamples, each drawing na values from a and nb from b with
 * replacement (independently), from a splitmix64 stream started at seed,
 * so the same input and seed always give the same interval. Quantiles
 * interpolate linearly between order statistics. For RB_BOOT_REL a
 * resample whose mean(a) is 0 is left out. Returns 0, -EINVAL (empty side,
 * iters < 100, bad level), -EDOM (mean(a) is 0, or more than half the
 * resamples had mean(a) = 0), -ENOMEM. */
int rb_stats_bootstrap(const double *a, size_t na, const double *b, size_t nb,
		       enum rb_stats_boot kind, unsigned iters, uint64_t seed, double level,
		       double *lo, double *hi);

/* The splitmix64 generator the bootstrap uses: advances *state and returns
 * the next 64 random bits. */
uint64_t rb_stats_rng_next(uint64_t *state);

#endif
