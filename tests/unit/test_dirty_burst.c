/* test_dirty_burst.c - cmocka tests for the pure arithmetic of the
 * dirty-burst workload (workloads/dirty_burst.h): the burst schedule and
 * its missed bursts after an overrun, where writes go as files fill up and
 * rotate (with the truncation of reused files), and the slowest write of
 * the current second. No files, no io_uring. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../workloads/dirty_burst.h"

#define MS 1000000ull
#define S (1000 * MS)
#define KIB 1024ull
#define MIB (1024ull * KIB)

/* ---- the burst schedule ---- */

static void test_bursts_on_time_follow_the_grid(void **state)
{
	struct rb_burst_clock c;

	(void)state;
	rb_burst_clock_init(&c, 5 * S, 100 * MS);
	/* each burst takes 30 ms: the next one starts on the next slot */
	assert_int_equal(rb_burst_next_start(&c, 5 * S + 30 * MS), 5 * S + 100 * MS);
	assert_int_equal(rb_burst_next_start(&c, 5 * S + 130 * MS), 5 * S + 200 * MS);
	assert_int_equal(c.missed, 0);
}

static void test_burst_ending_exactly_on_a_slot_misses_nothing(void **state)
{
	struct rb_burst_clock c;

	(void)state;
	rb_burst_clock_init(&c, 0, 100 * MS);
	assert_int_equal(rb_burst_next_start(&c, 100 * MS), 100 * MS);
	assert_int_equal(c.missed, 0);
}

static void test_overrun_skips_passed_slots(void **state)
{
	struct rb_burst_clock c;

	(void)state;
	rb_burst_clock_init(&c, 0, 100 * MS);
	assert_int_equal(rb_burst_next_start(&c, 20 * MS), 100 * MS);
	/* burst 1 runs from 100 ms to 350 ms: slots 2 and 3 have passed */
	assert_int_equal(rb_burst_next_start(&c, 350 * MS), 400 * MS);
	assert_int_equal(c.missed, 2);
	assert_int_equal(c.slot, 4);
}

static void test_overrun_by_a_little_misses_one(void **state)
{
	struct rb_burst_clock c;

	(void)state;
	rb_burst_clock_init(&c, 0, 100 * MS);
	/* burst 0 ends 1 ns after slot 1 began: slot 1 is missed, slot 2 is next */
	assert_int_equal(rb_burst_next_start(&c, 100 * MS + 1), 200 * MS);
	assert_int_equal(c.missed, 1);
}

static void test_missed_bursts_accumulate(void **state)
{
	struct rb_burst_clock c;

	(void)state;
	rb_burst_clock_init(&c, 0, 100 * MS);
	assert_int_equal(rb_burst_next_start(&c, 250 * MS), 300 * MS); /* misses 1, 2 */
	assert_int_equal(rb_burst_next_start(&c, 310 * MS), 400 * MS); /* on time */
	assert_int_equal(rb_burst_next_start(&c, 1050 * MS), 1100 * MS); /* misses 5..10 */
	assert_int_equal(c.missed, 2 + 6);
}

static void test_interval_zero_is_back_to_back(void **state)
{
	struct rb_burst_clock c;

	(void)state;
	rb_burst_clock_init(&c, 0, 0);
	assert_int_equal(rb_burst_next_start(&c, 123 * MS), 123 * MS);
	assert_int_equal(rb_burst_next_start(&c, 5 * S), 5 * S);
	assert_int_equal(c.missed, 0);
}

/* ---- files and rotation ---- */

static void test_layout_rejects_zero_size_or_files(void **state)
{
	struct rb_burst_layout l;

	(void)state;
	assert_int_equal(rb_burst_layout_init(&l, 0, 4), -EINVAL);
	assert_int_equal(rb_burst_layout_init(&l, MIB, 0), -EINVAL);
	assert_int_equal(rb_burst_layout_init(&l, MIB, 4), 0);
	assert_int_equal(l.file_size, MIB);
	assert_int_equal(l.nfiles, 4);
}

static void test_writes_fill_a_file_sequentially(void **state)
{
	struct rb_burst_layout l;
	struct rb_burst_cursor c = { 0 };
	struct rb_burst_write wr;

	(void)state;
	assert_int_equal(rb_burst_layout_init(&l, 4 * MIB, 2), 0);
	wr = rb_burst_next_write(&l, &c, MIB);
	assert_int_equal(wr.file, 0);
	assert_int_equal(wr.off, 0);
	assert_int_equal(wr.len, MIB);
	assert_false(wr.truncate);
	wr = rb_burst_next_write(&l, &c, MIB);
	assert_int_equal(wr.file, 0);
	assert_int_equal(wr.off, MIB);
}

static void test_write_is_cut_at_the_end_of_a_file(void **state)
{
	struct rb_burst_layout l;
	struct rb_burst_cursor c = { 0 };
	struct rb_burst_write wr;

	(void)state;
	/* a 2.5 MiB file written in 1 MiB writes: the third is 512 KiB */
	assert_int_equal(rb_burst_layout_init(&l, 2 * MIB + 512 * KIB, 2), 0);
	(void)rb_burst_next_write(&l, &c, MIB);
	(void)rb_burst_next_write(&l, &c, MIB);
	wr = rb_burst_next_write(&l, &c, MIB);
	assert_int_equal(wr.file, 0);
	assert_int_equal(wr.off, 2 * MIB);
	assert_int_equal(wr.len, 512 * KIB);
}

static void test_full_file_moves_to_the_next(void **state)
{
	struct rb_burst_layout l;
	struct rb_burst_cursor c = { 0 };
	struct rb_burst_write wr;

	(void)state;
	assert_int_equal(rb_burst_layout_init(&l, 2 * MIB, 3), 0);
	(void)rb_burst_next_write(&l, &c, 2 * MIB);
	wr = rb_burst_next_write(&l, &c, MIB);
	assert_int_equal(wr.file, 1);
	assert_int_equal(wr.off, 0);
	assert_false(wr.truncate); /* first round: the file is still empty */
}

static void test_after_the_last_file_the_first_is_truncated_and_reused(void **state)
{
	struct rb_burst_layout l;
	struct rb_burst_cursor c = { 0 };
	struct rb_burst_write wr;

	(void)state;
	assert_int_equal(rb_burst_layout_init(&l, MIB, 2), 0);
	(void)rb_burst_next_write(&l, &c, MIB); /* file 0 */
	(void)rb_burst_next_write(&l, &c, MIB); /* file 1 */
	wr = rb_burst_next_write(&l, &c, MIB);
	assert_int_equal(wr.file, 0);
	assert_int_equal(wr.off, 0);
	assert_true(wr.truncate);
	wr = rb_burst_next_write(&l, &c, MIB);
	assert_int_equal(wr.file, 1);
	assert_true(wr.truncate); /* every file of the second round is reused */
}

static void test_only_the_first_write_into_a_reused_file_truncates(void **state)
{
	struct rb_burst_layout l;
	struct rb_burst_cursor c = { 0 };
	struct rb_burst_write wr;

	(void)state;
	assert_int_equal(rb_burst_layout_init(&l, 2 * MIB, 1), 0);
	(void)rb_burst_next_write(&l, &c, MIB);
	(void)rb_burst_next_write(&l, &c, MIB);
	wr = rb_burst_next_write(&l, &c, MIB); /* one file: it is its own successor */
	assert_int_equal(wr.file, 0);
	assert_true(wr.truncate);
	wr = rb_burst_next_write(&l, &c, MIB);
	assert_int_equal(wr.off, MIB);
	assert_false(wr.truncate);
}

/* ---- the slowest write of the current second ---- */

static void test_slowest_keeps_the_maximum_within_a_second(void **state)
{
	struct rb_slowest s = { 0 };

	(void)state;
	assert_int_equal(rb_slowest_update(&s, 100 * MS, 5 * MS), 5 * MS);
	assert_int_equal(rb_slowest_update(&s, 200 * MS, 80 * MS), 80 * MS);
	assert_int_equal(rb_slowest_update(&s, 900 * MS, 1 * MS), 80 * MS);
}

static void test_slowest_resets_in_a_new_second(void **state)
{
	struct rb_slowest s = { 0 };

	(void)state;
	(void)rb_slowest_update(&s, 500 * MS, 80 * MS);
	assert_int_equal(rb_slowest_update(&s, S + 10 * MS, 2 * MS), 2 * MS);
	assert_int_equal(s.second, 1);
}

static void test_slowest_clock_tick_without_a_write_resets_to_zero(void **state)
{
	struct rb_slowest s = { 0 };

	(void)state;
	(void)rb_slowest_update(&s, 500 * MS, 80 * MS);
	assert_int_equal(rb_slowest_update(&s, 500 * MS + 1, 0), 80 * MS);
	assert_int_equal(rb_slowest_update(&s, 3 * S, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bursts_on_time_follow_the_grid),
		cmocka_unit_test(test_burst_ending_exactly_on_a_slot_misses_nothing),
		cmocka_unit_test(test_overrun_skips_passed_slots),
		cmocka_unit_test(test_overrun_by_a_little_misses_one),
		cmocka_unit_test(test_missed_bursts_accumulate),
		cmocka_unit_test(test_interval_zero_is_back_to_back),
		cmocka_unit_test(test_layout_rejects_zero_size_or_files),
		cmocka_unit_test(test_writes_fill_a_file_sequentially),
		cmocka_unit_test(test_write_is_cut_at_the_end_of_a_file),
		cmocka_unit_test(test_full_file_moves_to_the_next),
		cmocka_unit_test(test_after_the_last_file_the_first_is_truncated_and_reused),
		cmocka_unit_test(test_only_the_first_write_into_a_reused_file_truncates),
		cmocka_unit_test(test_slowest_keeps_the_maximum_within_a_second),
		cmocka_unit_test(test_slowest_resets_in_a_new_second),
		cmocka_unit_test(test_slowest_clock_tick_without_a_write_resets_to_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
