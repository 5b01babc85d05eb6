/* test_stats.c - cmocka tests for stats.c against known values.
 *
 * Reference values: unless a test says otherwise they were computed with
 * scipy 1.10.1 (Debian python3-scipy): stats.t.ppf / stats.t.sf,
 * stats.beta.cdf, stats.ttest_ind(b, a, equal_var=False),
 * stats.mannwhitneyu(a, b, method="exact" | "asymptotic"), and
 * stats.binom.cdf for the coverage of order-statistic median intervals.
 * The bootstrap references are exact enumerations of the resampling
 * distribution of two-value samples (worked out by hand in the test). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

#define N(x) (sizeof(x) / sizeof((x)[0]))

/* |got - want| <= tol * max(1, |want|) */
static void near(double got, double want, double tol)
{
	double scale = fabs(want) > 1 ? fabs(want) : 1;

	if (!(fabs(got - want) <= tol * scale))
		fail_msg("got %.17g, want %.17g (tolerance %g)", got, want, tol);
}

static void test_median_odd_even(void **state)
{
	const double odd[] = { 5, 1, 9, 3, 7 }, even[] = { 4, 1, 3, 2 };

	(void)state;
	near(rb_stats_median(odd, N(odd)), 5, 0);
	near(rb_stats_median(even, N(even)), 2.5, 0);
	assert_true(isnan(rb_stats_median(odd, 0)));
}

static void test_mean_sd(void **state)
{
	const double x[] = { 12.1, 11.8, 12.6, 13.0, 12.2 };

	(void)state;
	near(rb_stats_mean(x, N(x)), 12.34, 1e-12);
	near(rb_stats_sd(x, N(x)), 0.46690470119714994, 1e-12); /* numpy std ddof=1 */
	assert_true(isnan(rb_stats_sd(x, 1)));
}

static void test_betai(void **state)
{
	(void)state;
	near(rb_stats_betai(2.5, 1.5, 0.3), 0.08894372317066562, 1e-12);
	near(rb_stats_betai(0.5, 7.0, 0.9), 0.9999999780702157, 1e-12);
	near(rb_stats_betai(2, 3, 0), 0, 0);
	assert_true(isnan(rb_stats_betai(-1, 3, 0.5)));
}

static void test_t_quantiles(void **state)
{
	(void)state;
	/* also the familiar t-table values 12.706, 4.303, 2.776, 2.262, 2.042 */
	near(rb_stats_t_quantile(0.975, 1), 12.706204736432095, 1e-9);
	near(rb_stats_t_quantile(0.975, 2), 4.302652729911275, 1e-9);
	near(rb_stats_t_quantile(0.975, 4), 2.7764451051977987, 1e-9);
	near(rb_stats_t_quantile(0.975, 9), 2.2621571627409915, 1e-9);
	near(rb_stats_t_quantile(0.975, 30), 2.0422724563012373, 1e-9);
	near(rb_stats_t_quantile(0.025, 4), -2.7764451051977996, 1e-9);
}

static void test_t_two_sided_p(void **state)
{
	(void)state;
	near(rb_stats_t_p2(2.5, 7), 0.040992218585752874, 1e-10);
	near(rb_stats_t_p2(-1.0, 3.5), 0.38133725356344556, 1e-10);
	near(rb_stats_t_p2(0, 5), 1, 1e-12);
}

static void test_mean_ci(void **state)
{
	const double x[] = { 12.1, 11.8, 12.6, 13.0, 12.2 };
	struct rb_stats_summary s;

	(void)state;
	assert_int_equal(rb_stats_summarize(x, N(x), 0.95, &s), 0);
	assert_int_equal(s.n, 5);
	near(s.median, 12.2, 1e-12);
	near(s.mean_lo, 11.760261241931412, 1e-9);
	near(s.mean_hi, 12.919738758068588, 1e-9);
}

/* n = 10: ranks 2 and 9, coverage 1 - 2 * 11/1024 (the classic table value). */
static void test_median_ci_n10(void **state)
{
	const double x[] = { 10, 3, 8, 1, 6, 9, 2, 7, 5, 4 };
	double lo, hi, cov;

	(void)state;
	assert_int_equal(rb_stats_median_ci(x, N(x), 0.95, &lo, &hi, &cov), 0);
	near(lo, 2, 0);
	near(hi, 9, 0);
	near(cov, 0.978515625, 1e-12);
}

/* n = 20: ranks 6 and 15, coverage 0.9586105346679688. */
static void test_median_ci_n20(void **state)
{
	double x[20], lo, hi, cov;

	(void)state;
	for (int i = 0; i < 20; i++)
		x[i] = (double)(20 - i) * 1.5;
	assert_int_equal(rb_stats_median_ci(x, 20, 0.95, &lo, &hi, &cov), 0);
	near(lo, 6 * 1.5, 0);
	near(hi, 15 * 1.5, 0);
	near(cov, 0.9586105346679688, 1e-12);
}

/* Under 6 values no interval reaches 95%: [min, max] with its true coverage. */
static void test_median_ci_small_n(void **state)
{
	const double x[] = { 4, 2, 9 };
	double lo, hi, cov;

	(void)state;
	assert_int_equal(rb_stats_median_ci(x, N(x), 0.95, &lo, &hi, &cov), 0);
	near(lo, 2, 0);
	near(hi, 9, 0);
	near(cov, 0.75, 1e-12);
	assert_int_equal(rb_stats_median_ci(x, 0, 0.95, &lo, &hi, &cov), -EINVAL);
}

static void test_welch_equal_sizes(void **state)
{
	const double a[] = { 12.1, 11.8, 12.6, 13.0, 12.2 }, b[] = { 10.9, 11.2, 10.4, 11.5, 11.0 };
	double t, df;

	(void)state;
	near(rb_stats_welch_p(a, N(a), b, N(b), &t, &df), 0.0013565801655890778, 1e-9);
	near(t, -4.841616802650493, 1e-9);
	assert_true(df > 4 && df < 8);
}

static void test_welch_unequal_sizes(void **state)
{
	const double a[] = { 3.1, 4.5, 2.8, 3.9 }, b[] = { 5.2, 6.8, 4.9, 7.7, 6.1, 5.5 };
	double t;

	(void)state;
	near(rb_stats_welch_p(a, N(a), b, N(b), &t, NULL), 0.0029778489261376075, 1e-9);
	near(t, 4.236389899586171, 1e-9);
}

static void test_welch_degenerate(void **state)
{
	const double same[] = { 5, 5, 5 }, other[] = { 7, 7, 7 };

	(void)state;
	near(rb_stats_welch_p(same, 3, same, 3, NULL, NULL), 1, 0);
	assert_true(isnan(rb_stats_welch_p(same, 3, other, 3, NULL, NULL)));
	assert_true(isnan(rb_stats_welch_p(same, 1, other, 3, NULL, NULL)));
}

static void mw(const double *a, size_t na, const double *b, size_t nb, double u, double p,
	       bool exact)
{
	struct rb_stats_mw r;

	assert_int_equal(rb_stats_mann_whitney(a, na, b, nb, &r), 0);
	near(r.u, u, 0);
	near(r.p, p, 1e-9);
	assert_int_equal(r.exact, exact);
}

static void test_mw_exact(void **state)
{
	const double a1[] = { 1, 2, 3 }, b1[] = { 4, 5, 6 };
	const double a2[] = { 1.5, 3.2, 4.8, 2.2, 6.1 }, b2[] = { 7.3, 5.9, 8.8, 6.6, 9.4 };
	const double a3[] = { 19, 22, 16, 29, 24 }, b3[] = { 20, 11, 17, 12 };
	double a4[12], b4[12];

	(void)state;
	mw(a1, 3, b1, 3, 0, 0.1, true);
	mw(a2, 5, b2, 5, 1, 0.015873015873015872, true);
	mw(a3, 5, b3, 4, 17, 0.1111111111111111, true);
	for (int i = 0; i < 12; i++) {
		a4[i] = i + 1;
		b4[i] = i + 13;
	}
	mw(a4, 12, b4, 12, 0, 7.39602301050679e-07, true);
}

static void test_mw_ties_normal(void **state)
{
	const double a1[] = { 1, 2, 2, 3, 5 }, b1[] = { 2, 3, 4, 4, 6, 7 };
	const double a2[] = { 10, 10, 10 }, b2[] = { 0, 0, 0 };
	const double same[] = { 5, 5, 5 };

	(void)state;
	mw(a1, N(a1), b1, N(b1), 6.5, 0.13862587987892763, false);
	mw(a2, 3, b2, 3, 9, 0.04685417760387376, false);
	mw(same, 3, same, 3, 4.5, 1, false);
}

/* Over 20 a side: normal approximation even without ties. */
static void test_mw_large_normal(void **state)
{
	double a[25], b[25];

	(void)state;
	for (int i = 0; i < 25; i++) {
		a[i] = i + 1;
		b[i] = i + 1 + 7.5;
	}
	mw(a, 25, b, 25, 153, 0.002035157807278379, false);
}

static void test_mw_min_p(void **state)
{
	(void)state;
	near(rb_stats_mw_min_p(3, 3), 0.1, 1e-12);         /* 2 / C(6, 3) */
	near(rb_stats_mw_min_p(4, 4), 2.0 / 70, 1e-12);    /* 2 / C(8, 4) */
	near(rb_stats_mw_min_p(5, 5), 2.0 / 252, 1e-12);
	near(rb_stats_mw_min_p(1, 1), 1, 0);
}

/* a = {1, 3}: resampled means 1, 2, 3 with probabilities 1/4, 1/2, 1/4;
 * b = {10, 30}: 10, 20, 30 likewise. mean(b)/mean(a) - 1 is smallest at
 * 10/3 - 1 and largest at 30/1 - 1, each with probability 1/16 = 6.25% >
 * 2.5%, so the 95% percentile interval is exactly [7/3, 29]. */
static void test_bootstrap_relative_exact(void **state)
{
	const double a[] = { 1, 3 }, b[] = { 10, 30 };
	double lo, hi;

	(void)state;
	assert_int_equal(rb_stats_bootstrap(a, 2, b, 2, RB_BOOT_REL, 10000, 42, 0.95, &lo, &hi), 0);
	near(lo, 7.0 / 3, 1e-12);
	near(hi, 29, 1e-12);
}

/* The same samples, mean(b) - mean(a): from 10 - 3 to 30 - 1. */
static void test_bootstrap_difference_exact(void **state)
{
	const double a[] = { 1, 3 }, b[] = { 10, 30 };
	double lo, hi;

	(void)state;
	assert_int_equal(rb_stats_bootstrap(a, 2, b, 2, RB_BOOT_DIFF, 10000, 42, 0.95, &lo, &hi), 0);
	near(lo, 7, 1e-12);
	near(hi, 29, 1e-12);
}

/* A fixed seed gives the same interval; a cut of 84% with no noise is -0.84. */
static void test_bootstrap_reproducible(void **state)
{
	const double a[] = { 97, 103, 99, 101, 100 }, b[] = { 15, 17, 16, 16, 16 };
	const double c[] = { 100, 100, 100 }, d[] = { 16, 16, 16 };
	double lo1, hi1, lo2, hi2;

	(void)state;
	assert_int_equal(rb_stats_bootstrap(a, 5, b, 5, RB_BOOT_REL, 2000, 7, 0.95, &lo1, &hi1), 0);
	assert_int_equal(rb_stats_bootstrap(a, 5, b, 5, RB_BOOT_REL, 2000, 7, 0.95, &lo2, &hi2), 0);
	near(lo1, lo2, 0);
	near(hi1, hi2, 0);
	assert_true(lo1 < -0.84 && hi1 > -0.84 && hi1 < -0.82);
	assert_int_equal(rb_stats_bootstrap(c, 3, d, 3, RB_BOOT_REL, 1000, 7, 0.95, &lo1, &hi1), 0);
	near(lo1, -0.84, 1e-12);
	near(hi1, -0.84, 1e-12);
}

static void test_bootstrap_zero_baseline(void **state)
{
	const double zero[] = { 0, 0, 0 }, b[] = { 1, 2, 3 };
	double lo, hi;

	(void)state;
	assert_int_equal(rb_stats_bootstrap(zero, 3, b, 3, RB_BOOT_REL, 1000, 1, 0.95, &lo, &hi),
			 -EDOM);
	assert_int_equal(rb_stats_bootstrap(zero, 3, b, 3, RB_BOOT_DIFF, 1000, 1, 0.95, &lo, &hi),
			 0);
	assert_true(lo >= 1 && hi <= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_odd_even),
		cmocka_unit_test(test_mean_sd),
		cmocka_unit_test(test_betai),
		cmocka_unit_test(test_t_quantiles),
		cmocka_unit_test(test_t_two_sided_p),
		cmocka_unit_test(test_mean_ci),
		cmocka_unit_test(test_median_ci_n10),
		cmocka_unit_test(test_median_ci_n20),
		cmocka_unit_test(test_median_ci_small_n),
		cmocka_unit_test(test_welch_equal_sizes),
		cmocka_unit_test(test_welch_unequal_sizes),
		cmocka_unit_test(test_welch_degenerate),
		cmocka_unit_test(test_mw_exact),
		cmocka_unit_test(test_mw_ties_normal),
		cmocka_unit_test(test_mw_large_normal),
		cmocka_unit_test(test_mw_min_p),
		cmocka_unit_test(test_bootstrap_relative_exact),
		cmocka_unit_test(test_bootstrap_difference_exact),
		cmocka_unit_test(test_bootstrap_reproducible),
		cmocka_unit_test(test_bootstrap_zero_baseline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
