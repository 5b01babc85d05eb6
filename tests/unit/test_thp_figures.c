/* test_thp_figures.c - unit tests for harness/thp_figures.c: huge regions
 * from AnonHugePages growth (thp-alloc), the success percentage and the
 * per-worker tally summary.json sums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "thp_figures.h"

/* Doubles compared to 1e-9 (cmocka's float assert would round to float). */
static void near(double got, double want)
{
	if (!(fabs(got - want) <= 1e-9))
		fail_msg("got %.17g, want %.17g", got, want);
}

static void test_huge_regions_from_growth(void **state)
{
	(void)state;
	/* 6 huge pages of 2048 kB appeared over a base of 4096 kB */
	assert_int_equal(rb_thp_huge_regions(4096, 4096 + 6 * 2048, 2048, 128), 6);
}

static void test_huge_regions_partial_page_rounds_down(void **state)
{
	(void)state;
	assert_int_equal(rb_thp_huge_regions(0, 3 * 2048 + 1024, 2048, 128), 3);
}

static void test_huge_regions_clamped_to_regions(void **state)
{
	(void)state;
	/* another mapping gained huge pages meanwhile */
	assert_int_equal(rb_thp_huge_regions(0, 10 * 2048, 2048, 4), 4);
}

static void test_huge_regions_never_negative(void **state)
{
	(void)state;
	/* inherited huge pages went away (split, COW) during the round */
	assert_int_equal(rb_thp_huge_regions(8192, 2048, 2048, 4), 0);
	assert_int_equal(rb_thp_huge_regions(2048, 2048, 2048, 4), 0);
}

static void test_huge_regions_zero_region_size(void **state)
{
	(void)state;
	assert_int_equal(rb_thp_huge_regions(0, 4096, 0, 4), 0);
}

static void test_success_pct(void **state)
{
	(void)state;
	near(rb_thp_success_pct(96, 128), 75.0);
	near(rb_thp_success_pct(0, 128), 0.0);
	near(rb_thp_success_pct(128, 128), 100.0);
	near(rb_thp_success_pct(1, 3), 100.0 / 3.0);
}

static void test_success_pct_clamped(void **state)
{
	(void)state;
	near(rb_thp_success_pct(130, 128), 100.0);
}

static void test_success_pct_without_regions_is_nan(void **state)
{
	(void)state;
	assert_true(isnan(rb_thp_success_pct(0, 0)));
	assert_true(isnan(rb_thp_success_pct(5, 0)));
}

static void test_tally_sums_thp_alloc_workers(void **state)
{
	static const char *const names[] = { "thp_regions", "regions", NULL };
	const uint64_t a[] = { 30, 40 }, b[] = { 5, 60 };
	struct rb_thp_tally t = { 0, 0, 0 };

	(void)state;
	rb_thp_tally_add(&t, names, a);
	rb_thp_tally_add(&t, names, b);
	assert_int_equal(t.workers, 2);
	assert_int_equal(t.huge, 35);
	assert_int_equal(t.regions, 100);
	near(rb_thp_success_pct(t.huge, t.regions), 35.0);
}

static void test_tally_finds_counters_by_name(void **state)
{
	static const char *const names[] = { "other", "regions", "thp_regions", NULL };
	const uint64_t c[] = { 999, 50, 20 };
	struct rb_thp_tally t = { 0, 0, 0 };

	(void)state;
	rb_thp_tally_add(&t, names, c);
	assert_int_equal(t.huge, 20);
	assert_int_equal(t.regions, 50);
}

static void test_tally_skips_other_workers(void **state)
{
	static const char *const frag[] = { "held_pages", "locked_pages", NULL };
	static const char *const half[] = { "regions", NULL };
	const uint64_t c[] = { 7, 8 };
	struct rb_thp_tally t = { 0, 0, 0 };

	(void)state;
	rb_thp_tally_add(&t, frag, c);
	rb_thp_tally_add(&t, half, c);
	rb_thp_tally_add(&t, NULL, c);
	assert_int_equal(t.workers, 0);
	assert_int_equal(t.regions, 0);
	assert_int_equal(t.huge, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_huge_regions_from_growth),
		cmocka_unit_test(test_huge_regions_partial_page_rounds_down),
		cmocka_unit_test(test_huge_regions_clamped_to_regions),
		cmocka_unit_test(test_huge_regions_never_negative),
		cmocka_unit_test(test_huge_regions_zero_region_size),
		cmocka_unit_test(test_success_pct),
		cmocka_unit_test(test_success_pct_clamped),
		cmocka_unit_test(test_success_pct_without_regions_is_nan),
		cmocka_unit_test(test_tally_sums_thp_alloc_workers),
		cmocka_unit_test(test_tally_finds_counters_by_name),
		cmocka_unit_test(test_tally_skips_other_workers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
