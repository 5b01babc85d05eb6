/* test_rewarm.c - re-warm time and residency on synthetic series. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rewarm.h"

/* 1 s intervals ending at 1..12 s. The backup runs 3..7 s: p99 is 10 us
 * before, 400 us during, then 300, 90, 25, 12, 11, 10 us after it ends. */
static const double t[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
static const double p99[] = { 10, 11, 10, 400, 420, 390, 410, 300, 90, 25, 12, 11 };

static void test_rewarm_found(void **state)
{
	double r = -1;

	(void)state;
	/* within 2 x 10 us from the interval ending at 11 s (12, 11): 4 s after 7 s */
	assert_int_equal(rb_rewarm_time(t, p99, 12, 1, 7, 10, 2, 2, &r), 0);
	assert_true(fabs(r - 4) < 1e-9);
}

static void test_rewarm_looser_factor_is_sooner(void **state)
{
	double r = -1;

	(void)state;
	/* within 10 x: 90, 25, 12, 11 all <= 100 from the interval ending at 9 s */
	assert_int_equal(rb_rewarm_time(t, p99, 12, 1, 7, 10, 10, 2, &r), 0);
	assert_true(fabs(r - 2) < 1e-9);
}

static void test_rewarm_needs_hold(void **state)
{
	static const double spiky[] = { 10, 10, 10, 400, 400, 400, 400, 15, 300, 12, 11, 10 };
	double r = -1;

	(void)state;
	/* 15 at 8 s alone is not enough with hold 2: the 300 at 9 s breaks it */
	assert_int_equal(rb_rewarm_time(t, spiky, 12, 1, 7, 10, 2, 2, &r), 0);
	assert_true(fabs(r - 3) < 1e-9);
	/* with hold 1 the first good interval counts */
	assert_int_equal(rb_rewarm_time(t, spiky, 12, 1, 7, 10, 2, 1, &r), 0);
	assert_true(fabs(r - 1) < 1e-9);
}

static void test_rewarm_skips_empty_intervals(void **state)
{
	static const double gaps[] = { 10, 10, 10, 400, 400, 400, 400, NAN, 12, NAN, 11, 10 };
	double r = -1;

	(void)state;
	assert_int_equal(rb_rewarm_time(t, gaps, 12, 1, 7, 10, 2, 2, &r), 0);
	assert_true(fabs(r - 2) < 1e-9);
}

static void test_rewarm_ignores_intervals_overlapping_the_end(void **state)
{
	double r = -1;

	(void)state;
	/* end at 6.5 s: the interval (6, 7] overlaps it and is not counted */
	assert_int_equal(rb_rewarm_time(t, p99, 12, 1, 6.5, 10, 2, 2, &r), 0);
	assert_true(fabs(r - 4.5) < 1e-9);
}

static void test_rewarm_never(void **state)
{
	static const double stuck[] = { 10, 10, 10, 400, 400, 400, 400, 300, 300, 200, 100, 50 };
	double r = -1;

	(void)state;
	assert_int_equal(rb_rewarm_time(t, stuck, 12, 1, 7, 10, 2, 2, &r), -ENOENT);
	assert_true(fabs(r - 5) < 1e-9); /* watched for 5 s: a lower bound */
}

static void test_rewarm_bad_arguments(void **state)
{
	double r;

	(void)state;
	assert_int_equal(rb_rewarm_time(t, p99, 0, 1, 7, 10, 2, 2, &r), -EINVAL);
	assert_int_equal(rb_rewarm_time(t, p99, 12, 1, 7, 0, 2, 2, &r), -EINVAL);
	assert_int_equal(rb_rewarm_time(t, p99, 12, 1, 7, NAN, 2, 2, &r), -EINVAL);
	assert_int_equal(rb_rewarm_time(t, p99, 12, 1, 7, 10, 0, 2, &r), -EINVAL);
	assert_int_equal(rb_rewarm_time(t, p99, 12, 1, 7, 10, 2, 0, &r), -EINVAL);
}

static void test_residency(void **state)
{
	(void)state;
	assert_true(fabs(rb_residency_pct(153600, 153600) - 100) < 1e-9);
	assert_true(fabs(rb_residency_pct(38400, 153600) - 25) < 1e-9);
	assert_true(fabs(rb_residency_pct(0, 10)) < 1e-9);
	assert_true(isnan(rb_residency_pct(5, 0)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewarm_found),
		cmocka_unit_test(test_rewarm_looser_factor_is_sooner),
		cmocka_unit_test(test_rewarm_needs_hold),
		cmocka_unit_test(test_rewarm_skips_empty_intervals),
		cmocka_unit_test(test_rewarm_ignores_intervals_overlapping_the_end),
		cmocka_unit_test(test_rewarm_never),
		cmocka_unit_test(test_rewarm_bad_arguments),
		cmocka_unit_test(test_residency),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
