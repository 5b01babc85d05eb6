/* test_backup_reader.c - cmocka tests for the pure logic of the
 * backup-reader workload (workloads/backup_reader.h): the sequential walk
 * through a file and its short tail, the read frontier with reads
 * completing out of order, which chunks are due for POSIX_FADV_DONTNEED,
 * and the ioprio_set() value of the ionice classes. No files, no io_uring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../workloads/backup_reader.h"

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define IDLE UINT64_MAX

static void test_walk_issues_blocks_in_order(void **state)
{
	struct rb_backup_walk w;
	uint64_t off;
	uint32_t len;

	(void)state;
	rb_backup_walk_start(&w, 4 * MIB, MIB);
	for (uint64_t b = 0; b < 4; b++) {
		assert_false(rb_backup_walk_issued(&w));
		assert_true(rb_backup_walk_next(&w, &off, &len));
		assert_int_equal(off, b * MIB);
		assert_int_equal(len, MIB);
	}
	assert_true(rb_backup_walk_issued(&w));
}

static void test_walk_reads_a_short_tail(void **state)
{
	struct rb_backup_walk w;
	uint64_t off;
	uint32_t len;

	(void)state;
	rb_backup_walk_start(&w, 2 * MIB + 4096, MIB);
	assert_true(rb_backup_walk_next(&w, &off, &len));
	assert_true(rb_backup_walk_next(&w, &off, &len));
	assert_true(rb_backup_walk_next(&w, &off, &len));
	assert_int_equal(off, 2 * MIB);
	assert_int_equal(len, 4096);
	assert_true(rb_backup_walk_issued(&w));
}

static void test_walk_stops_at_the_end_and_leaves_outputs(void **state)
{
	struct rb_backup_walk w;
	uint64_t off = 77;
	uint32_t len = 88;

	(void)state;
	rb_backup_walk_start(&w, MIB, MIB);
	assert_true(rb_backup_walk_next(&w, &off, &len));
	off = 77;
	len = 88;
	assert_false(rb_backup_walk_next(&w, &off, &len));
	assert_int_equal(off, 77);
	assert_int_equal(len, 88);
}

static void test_walk_start_resets_the_drop_mark(void **state)
{
	struct rb_backup_walk w = { .size = 1, .bs = 1, .next = 99, .dropped = 42 };

	(void)state;
	rb_backup_walk_start(&w, 8 * MIB, MIB);
	assert_int_equal(w.next, 0);
	assert_int_equal(w.dropped, 0);
	assert_int_equal(w.size, 8 * MIB);
}

static void test_frontier_is_next_when_nothing_in_flight(void **state)
{
	const uint64_t inflight[4] = { IDLE, IDLE, IDLE, IDLE };

	(void)state;
	assert_int_equal(rb_backup_frontier(inflight, 4, 12 * MIB), 12 * MIB);
}

static void test_frontier_is_the_oldest_read_in_flight(void **state)
{
	/* Reads at 5, 6 and 7 MiB in flight, 4 MiB done out of order before 5:
	 * only [0, 5 MiB) is surely read. */
	const uint64_t inflight[4] = { 7 * MIB, IDLE, 5 * MIB, 6 * MIB };

	(void)state;
	assert_int_equal(rb_backup_frontier(inflight, 4, 8 * MIB), 5 * MIB);
}

static void test_drop_waits_for_a_whole_chunk(void **state)
{
	struct rb_backup_walk w = { .size = 64 * MIB, .bs = MIB, .next = 8 * MIB };

	(void)state;
	assert_int_equal(rb_backup_drop_due(&w, 7 * MIB, 8 * MIB), 0);
	assert_int_equal(rb_backup_drop_due(&w, 8 * MIB, 8 * MIB), 8 * MIB);
}

static void test_drop_gives_every_complete_chunk_since_the_mark(void **state)
{
	struct rb_backup_walk w = { .size = 64 * MIB, .bs = MIB, .next = 30 * MIB,
				    .dropped = 8 * MIB };

	(void)state;
	/* Read up to 29 MiB, 8 MiB dropped: [8, 24) is two whole chunks. */
	assert_int_equal(rb_backup_drop_due(&w, 29 * MIB, 8 * MIB), 16 * MIB);
	w.dropped += 16 * MIB;
	assert_int_equal(rb_backup_drop_due(&w, 29 * MIB, 8 * MIB), 0);
}

static void test_drop_is_nothing_for_a_zero_chunk_or_old_frontier(void **state)
{
	struct rb_backup_walk w = { .size = 64 * MIB, .bs = MIB, .next = 20 * MIB,
				    .dropped = 16 * MIB };

	(void)state;
	assert_int_equal(rb_backup_drop_due(&w, 20 * MIB, 0), 0);
	assert_int_equal(rb_backup_drop_due(&w, 16 * MIB, MIB), 0);
	assert_int_equal(rb_backup_drop_due(&w, 8 * MIB, MIB), 0);
}

static void test_drop_follows_out_of_order_completions(void **state)
{
	struct rb_backup_walk w;
	uint64_t inflight[4] = { IDLE, IDLE, IDLE, IDLE }, off;
	uint32_t len;

	(void)state;
	/* 4 MiB chunks, 1 MiB reads, depth 4: issue 0..3 MiB, complete 1, 2, 3
	 * first; nothing is due until the read at 0 completes. */
	rb_backup_walk_start(&w, 16 * MIB, MIB);
	for (int i = 0; i < 4; i++) {
		assert_true(rb_backup_walk_next(&w, &off, &len));
		inflight[i] = off;
	}
	inflight[1] = inflight[2] = inflight[3] = IDLE;
	assert_int_equal(rb_backup_drop_due(&w, rb_backup_frontier(inflight, 4, w.next), 4 * MIB),
			 0);
	inflight[0] = IDLE;
	assert_int_equal(rb_backup_drop_due(&w, rb_backup_frontier(inflight, 4, w.next), 4 * MIB),
			 4 * MIB);
}

static void test_ioprio_encodes_class_and_level(void **state)
{
	(void)state;
	/* IOPRIO_PRIO_VALUE: class in bits 13.., level below. */
	assert_int_equal(rb_backup_ioprio(RB_IOPRIO_CLASS_IDLE, 0), 3 << 13);
	assert_int_equal(rb_backup_ioprio(RB_IOPRIO_CLASS_BE, RB_IOPRIO_BE_LOWEST), 0x4007);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_issues_blocks_in_order),
		cmocka_unit_test(test_walk_reads_a_short_tail),
		cmocka_unit_test(test_walk_stops_at_the_end_and_leaves_outputs),
		cmocka_unit_test(test_walk_start_resets_the_drop_mark),
		cmocka_unit_test(test_frontier_is_next_when_nothing_in_flight),
		cmocka_unit_test(test_frontier_is_the_oldest_read_in_flight),
		cmocka_unit_test(test_drop_waits_for_a_whole_chunk),
		cmocka_unit_test(test_drop_gives_every_complete_chunk_since_the_mark),
		cmocka_unit_test(test_drop_is_nothing_for_a_zero_chunk_or_old_frontier),
		cmocka_unit_test(test_drop_follows_out_of_order_completions),
		cmocka_unit_test(test_ioprio_encodes_class_and_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
