/* test_working_set.c - cmocka tests for the pure logic of the working-set
 * workload (workloads/working_set.h): how the hot set is split into files,
 * the random choice of the unit an access goes to, the access-rate pacing
 * with its bounded catch-up, and counting resident pages in a mincore()
 * vector. No files, no mappings. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../workloads/working_set.h"

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define NS_PER_S 1000000000ull
#define NS_PER_MS 1000000ull

static void test_layout_splits_size_into_page_multiples(void **state)
{
	struct rb_ws_layout l;

	(void)state;
	/* 600 MiB over 4 files is 150 MiB each, a whole number of pages. */
	assert_int_equal(rb_ws_layout_init(&l, 600 * MIB, 4, 4096, 4096), 0);
	assert_int_equal(l.nfiles, 4);
	assert_int_equal(l.unit, 4096);
	assert_int_equal(l.file_size, 150 * MIB);
	/* 10 MiB over 3 files: 3.33 MiB, rounded down to 853 pages. */
	assert_int_equal(rb_ws_layout_init(&l, 10 * MIB, 3, 4096, 4096), 0);
	assert_int_equal(l.file_size, 853 * 4096);
}

static void test_layout_gives_each_file_one_page_at_least(void **state)
{
	struct rb_ws_layout l;

	(void)state;
	assert_int_equal(rb_ws_layout_init(&l, 8 * KIB, 16, 4096, 4096), 0);
	assert_int_equal(l.file_size, 4096);
}

static void test_layout_rejects_a_unit_larger_than_a_file(void **state)
{
	struct rb_ws_layout l;

	(void)state;
	assert_int_equal(rb_ws_layout_init(&l, 1 * MIB, 4, 512 * KIB, 4096), -ERANGE);
	assert_int_equal(rb_ws_layout_init(&l, 1 * MIB, 4, 256 * KIB, 4096), 0);
}

static void test_layout_rejects_zero_files_unit_or_page(void **state)
{
	struct rb_ws_layout l;

	(void)state;
	assert_int_equal(rb_ws_layout_init(&l, MIB, 0, 4096, 4096), -EINVAL);
	assert_int_equal(rb_ws_layout_init(&l, MIB, 4, 0, 4096), -EINVAL);
	assert_int_equal(rb_ws_layout_init(&l, MIB, 4, 4096, 0), -EINVAL);
}

static void test_pick_stays_in_bounds_and_unit_aligned(void **state)
{
	struct rb_ws_layout l = { .file_size = 37 * 4096, .unit = 8192, .nfiles = 5 };
	uint64_t rng = 7;

	(void)state;
	/* 37 pages hold 18 whole 8 KiB units; the odd last page is never read. */
	for (unsigned n = 0; n < 100000; n++) {
		struct rb_ws_pos p = rb_ws_pick(&l, &rng);
		assert_true(p.file < 5);
		assert_int_equal(p.off % 8192, 0);
		assert_true(p.off + l.unit <= l.file_size);
	}
}

static void test_pick_covers_every_unit_of_every_file(void **state)
{
	struct rb_ws_layout l = { .file_size = 8 * 4096, .unit = 4096, .nfiles = 4 };
	unsigned seen[4][8] = { { 0 } };
	uint64_t rng = 12345;

	(void)state;
	/* 32 units, 32000 picks: ~1000 each if uniform over the whole set. */
	for (unsigned n = 0; n < 32000; n++) {
		struct rb_ws_pos p = rb_ws_pick(&l, &rng);
		seen[p.file][p.off / 4096]++;
	}
	for (unsigned f = 0; f < 4; f++)
		for (unsigned u = 0; u < 8; u++)
			assert_in_range(seen[f][u], 800, 1200);
}

static void test_pacer_flat_out_never_waits(void **state)
{
	struct rb_ws_pacer p = { .t0 = 100, .rate = 0, .max_lag_ns = NS_PER_S };

	(void)state;
	assert_int_equal(rb_ws_pacer_next(&p, 5000), 5000);
	assert_int_equal(rb_ws_pacer_next(&p, 6000), 6000);
}

static void test_pacer_spaces_accesses_by_one_over_rate(void **state)
{
	struct rb_ws_pacer p = { .t0 = 1000, .rate = 2000, .max_lag_ns = NS_PER_S };

	(void)state;
	/* 2000/s: one every 500 us, from t0 on, whatever the time is now. */
	assert_int_equal(rb_ws_pacer_next(&p, 1000), 1000);
	assert_int_equal(rb_ws_pacer_next(&p, 1000), 1000 + 500000);
	assert_int_equal(rb_ws_pacer_next(&p, 2000), 1000 + 1000000);
	assert_int_equal(p.n, 3);
}

static void test_pacer_catches_up_a_short_stall(void **state)
{
	struct rb_ws_pacer p = { .t0 = 0, .rate = 1000, .max_lag_ns = NS_PER_S };

	(void)state;
	/* 300 ms late: the due times stay in the past, so the loop runs them
	 * back to back until it is on schedule again. */
	for (uint64_t n = 0; n < 300; n++)
		assert_int_equal(rb_ws_pacer_next(&p, 300 * NS_PER_MS), n * NS_PER_MS);
	assert_int_equal(p.t0, 0);
}

static void test_pacer_forgives_a_backlog_over_max_lag(void **state)
{
	struct rb_ws_pacer p = { .t0 = 0, .rate = 1000, .max_lag_ns = NS_PER_S };
	uint64_t now = 5 * NS_PER_S;

	(void)state;
	(void)rb_ws_pacer_next(&p, 0);
	/* A 5 s stall: the schedule restarts now instead of 5000 accesses in a burst. */
	assert_int_equal(rb_ws_pacer_next(&p, now), now);
	assert_int_equal(rb_ws_pacer_next(&p, now), now + NS_PER_MS);
}

static void test_pacer_does_not_overflow_after_a_long_run(void **state)
{
	struct rb_ws_pacer p = { .t0 = 0, .rate = 1000000, .max_lag_ns = NS_PER_S };

	(void)state;
	/* 10^12 accesses at 10^6/s is 10^6 s; n * 1e9 would overflow 64 bits. */
	p.n = 1000000000000ull;
	assert_int_equal(rb_ws_pacer_next(&p, 0), 1000000ull * NS_PER_S);
}

static void test_resident_counts_bit_zero_only(void **state)
{
	/* mincore() sets bit 0 for a resident page; the other bits are reserved. */
	const unsigned char vec[] = { 1, 0, 1, 1, 0, 0x02, 0x03, 0xfe, 0xff };

	(void)state;
	assert_int_equal(rb_ws_count_resident(vec, sizeof(vec)), 5);
	assert_int_equal(rb_ws_count_resident(vec, 1), 1);
	assert_int_equal(rb_ws_count_resident(vec, 0), 0);
}

static void test_resident_counts_a_whole_file(void **state)
{
	static unsigned char vec[150 * 256]; /* 150 MiB of 4 KiB pages */

	(void)state;
	for (size_t i = 0; i < sizeof(vec); i++)
		vec[i] = i % 4 == 0; /* a quarter resident */
	assert_int_equal(rb_ws_count_resident(vec, sizeof(vec)), sizeof(vec) / 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_splits_size_into_page_multiples),
		cmocka_unit_test(test_layout_gives_each_file_one_page_at_least),
		cmocka_unit_test(test_layout_rejects_a_unit_larger_than_a_file),
		cmocka_unit_test(test_layout_rejects_zero_files_unit_or_page),
		cmocka_unit_test(test_pick_stays_in_bounds_and_unit_aligned),
		cmocka_unit_test(test_pick_covers_every_unit_of_every_file),
		cmocka_unit_test(test_pacer_flat_out_never_waits),
		cmocka_unit_test(test_pacer_spaces_accesses_by_one_over_rate),
		cmocka_unit_test(test_pacer_catches_up_a_short_stall),
		cmocka_unit_test(test_pacer_forgives_a_backlog_over_max_lag),
		cmocka_unit_test(test_pacer_does_not_overflow_after_a_long_run),
		cmocka_unit_test(test_resident_counts_bit_zero_only),
		cmocka_unit_test(test_resident_counts_a_whole_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
