/* test_pagecache_flood.c - cmocka tests for the pure arithmetic of the
 * pagecache-flood workload (workloads/pagecache_flood.h): how the dataset is
 * split into files, the sequential walk and its wrap-around, random block
 * offsets, and the rate-pacing deadline. No files, no io_uring. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../workloads/pagecache_flood.h"

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define GIB (1024ull * MIB)
#define NS_PER_S 1000000000ull

static void test_layout_splits_dataset_evenly(void **state)
{
	struct rb_flood_layout l;

	(void)state;
	assert_int_equal(rb_flood_layout_init(&l, 2 * GIB, 4, 128 * KIB), 0);
	assert_int_equal(l.nfiles, 4);
	assert_int_equal(l.bs, 128 * KIB);
	assert_int_equal(l.file_size, 512 * MIB);
}

static void test_layout_rounds_file_size_down_to_blocks(void **state)
{
	struct rb_flood_layout l;

	(void)state;
	/* 10 MiB over 3 files is 3.33 MiB each: 26 blocks of 128 KiB. */
	assert_int_equal(rb_flood_layout_init(&l, 10 * MIB, 3, 128 * KIB), 0);
	assert_int_equal(l.file_size, 26 * 128 * KIB);
}

static void test_layout_gives_each_file_one_block_at_least(void **state)
{
	struct rb_flood_layout l;

	(void)state;
	assert_int_equal(rb_flood_layout_init(&l, 64 * KIB, 16, 128 * KIB), 0);
	assert_int_equal(l.file_size, 128 * KIB);
}

static void test_layout_rejects_zero_files_or_block_size(void **state)
{
	struct rb_flood_layout l;

	(void)state;
	assert_int_equal(rb_flood_layout_init(&l, GIB, 0, 4096), -EINVAL);
	assert_int_equal(rb_flood_layout_init(&l, GIB, 4, 0), -EINVAL);
}

static void test_seq_walks_a_file_block_by_block(void **state)
{
	struct rb_flood_layout l = { .file_size = 4 * 4096, .bs = 4096, .nfiles = 2 };
	struct rb_flood_pos cur = { 0, 0 };

	(void)state;
	for (uint64_t b = 0; b < 4; b++) {
		struct rb_flood_pos p = rb_flood_next_seq(&l, &cur);
		assert_int_equal(p.file, 0);
		assert_int_equal(p.off, b * 4096);
	}
}

static void test_seq_moves_to_the_next_file_at_its_end(void **state)
{
	struct rb_flood_layout l = { .file_size = 2 * 4096, .bs = 4096, .nfiles = 3 };
	struct rb_flood_pos cur = { 0, 4096 }, p;

	(void)state;
	p = rb_flood_next_seq(&l, &cur);
	assert_int_equal(p.file, 0);
	assert_int_equal(p.off, 4096);
	p = rb_flood_next_seq(&l, &cur);
	assert_int_equal(p.file, 1);
	assert_int_equal(p.off, 0);
}

static void test_seq_wraps_from_the_last_file_to_the_first(void **state)
{
	struct rb_flood_layout l = { .file_size = 2 * 4096, .bs = 4096, .nfiles = 3 };
	struct rb_flood_pos cur = { 0, 0 }, p;
	unsigned n = 0;

	(void)state;
	/* One whole pass is files x blocks I/Os; the next one starts over. */
	for (; n < 3 * 2; n++)
		(void)rb_flood_next_seq(&l, &cur);
	p = rb_flood_next_seq(&l, &cur);
	assert_int_equal(p.file, 0);
	assert_int_equal(p.off, 0);
}

static void test_seq_reaches_every_block_once_per_pass(void **state)
{
	struct rb_flood_layout l = { .file_size = 5 * 8192, .bs = 8192, .nfiles = 4 };
	struct rb_flood_pos cur = { 0, 0 };
	unsigned seen[4][5] = { { 0 } };

	(void)state;
	for (unsigned n = 0; n < 2 * 4 * 5; n++) {
		struct rb_flood_pos p = rb_flood_next_seq(&l, &cur);
		seen[p.file][p.off / 8192]++;
	}
	for (unsigned f = 0; f < 4; f++)
		for (unsigned b = 0; b < 5; b++)
			assert_int_equal(seen[f][b], 2);
}

static void test_rand_stays_in_bounds_and_block_aligned(void **state)
{
	struct rb_flood_layout l = { .file_size = 100 * 128 * KIB, .bs = 128 * KIB, .nfiles = 7 };
	uint64_t rng = 12345;

	(void)state;
	for (unsigned n = 0; n < 100000; n++) {
		struct rb_flood_pos p = rb_flood_next_rand(&l, &rng);
		assert_true(p.file < 7);
		assert_true(p.off + l.bs <= l.file_size);
		assert_int_equal(p.off % l.bs, 0);
	}
}

static void test_rand_reaches_every_file_and_both_ends(void **state)
{
	struct rb_flood_layout l = { .file_size = 16 * 4096, .bs = 4096, .nfiles = 5 };
	unsigned files[5] = { 0 }, first = 0, last = 0;
	uint64_t rng = 99;

	(void)state;
	for (unsigned n = 0; n < 10000; n++) {
		struct rb_flood_pos p = rb_flood_next_rand(&l, &rng);
		files[p.file]++;
		first += p.off == 0;
		last += p.off == l.file_size - l.bs;
	}
	/* 2000 expected per file, 625 per block position. */
	for (unsigned f = 0; f < 5; f++)
		assert_in_range(files[f], 1500, 2500);
	assert_in_range(first, 400, 900);
	assert_in_range(last, 400, 900);
}

static void test_rand_is_deterministic_for_a_seed(void **state)
{
	struct rb_flood_layout l = { .file_size = 1000 * 4096, .bs = 4096, .nfiles = 9 };
	uint64_t a = 42, b = 42;

	(void)state;
	for (unsigned n = 0; n < 1000; n++) {
		struct rb_flood_pos pa = rb_flood_next_rand(&l, &a);
		struct rb_flood_pos pb = rb_flood_next_rand(&l, &b);
		assert_int_equal(pa.file, pb.file);
		assert_int_equal(pa.off, pb.off);
	}
}

static void test_due_unlimited_rate_is_now(void **state)
{
	(void)state;
	assert_int_equal(rb_flood_due_ns(777, 10 * GIB, 0), 777);
}

static void test_due_is_bytes_over_rate(void **state)
{
	(void)state;
	assert_int_equal(rb_flood_due_ns(1000, 0, MIB), 1000);
	assert_int_equal(rb_flood_due_ns(1000, MIB, MIB), 1000 + NS_PER_S);
	assert_int_equal(rb_flood_due_ns(0, 128 * KIB, 10 * MIB), NS_PER_S / 80);
	assert_int_equal(rb_flood_due_ns(0, 3, 2), 3 * NS_PER_S / 2);
}

static void test_due_does_not_overflow_for_large_totals(void **state)
{
	(void)state;
	/* 4 TiB at 1 GiB/s: 4096 s, where bytes * 1e9 would overflow 64 bits. */
	assert_int_equal(rb_flood_due_ns(5, 4096 * GIB, GIB), 5 + 4096 * NS_PER_S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_splits_dataset_evenly),
		cmocka_unit_test(test_layout_rounds_file_size_down_to_blocks),
		cmocka_unit_test(test_layout_gives_each_file_one_block_at_least),
		cmocka_unit_test(test_layout_rejects_zero_files_or_block_size),
		cmocka_unit_test(test_seq_walks_a_file_block_by_block),
		cmocka_unit_test(test_seq_moves_to_the_next_file_at_its_end),
		cmocka_unit_test(test_seq_wraps_from_the_last_file_to_the_first),
		cmocka_unit_test(test_seq_reaches_every_block_once_per_pass),
		cmocka_unit_test(test_rand_stays_in_bounds_and_block_aligned),
		cmocka_unit_test(test_rand_reaches_every_file_and_both_ends),
		cmocka_unit_test(test_rand_is_deterministic_for_a_seed),
		cmocka_unit_test(test_due_unlimited_rate_is_now),
		cmocka_unit_test(test_due_is_bytes_over_rate),
		cmocka_unit_test(test_due_does_not_overflow_for_large_totals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
