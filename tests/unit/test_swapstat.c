/* test_swapstat.c - unit tests for harness/swapstat.c: zram mm_stat lines
 * of a 6.18 (nine fields) and a 4.14-format (seven fields) kernel and
 * garbage, zram device discovery, zswap's pool from meminfo (with and
 * without the Zswap lines) and from debugfs files, the compression ratio
 * and the peak reading (fixtures in tests/data/swapstat/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "swapstat.h"

#define DATA "tests/data/swapstat/"

/* Read a fixture into a fresh NUL-terminated buffer (free() it). */
static char *load(const char *name)
{
	char *buf = NULL;
	size_t cap = 0;

	assert_true(rb_read_path(name, &buf, &cap) > 0);
	return buf;
}

static int parse_file(const char *name, struct rb_zram_stat *st)
{
	char *text = load(name);
	int rc = rb_zram_parse_mm_stat(text, st);

	free(text);
	return rc;
}

static void mm_stat_6_18_has_nine_fields(void **state)
{
	struct rb_zram_stat st;

	(void)state;
	assert_int_equal(parse_file(DATA "mm_stat-6.18.txt", &st), 0);
	assert_int_equal(st.n, 9);
	assert_int_equal(st.v[RB_ZRAM_ORIG_DATA], 343932928);
	assert_int_equal(st.v[RB_ZRAM_COMPR_DATA], 88344227);
	assert_int_equal(st.v[RB_ZRAM_MEM_USED], 90505216);
	assert_int_equal(st.v[RB_ZRAM_MEM_USED_MAX], 134270976);
	assert_int_equal(st.v[RB_ZRAM_SAME_PAGES], 53);
	assert_int_equal(st.v[RB_ZRAM_HUGE_PAGES_SINCE], 0);
}

static void mm_stat_4_14_lacks_huge_pages(void **state)
{
	struct rb_zram_stat st;

	(void)state;
	assert_int_equal(parse_file(DATA "mm_stat-4.14.txt", &st), 0);
	assert_int_equal(st.n, 7);
	assert_true(st.n <= RB_ZRAM_HUGE_PAGES); /* absent, not zero */
	assert_int_equal(st.v[RB_ZRAM_ORIG_DATA], 205520896);
	assert_int_equal(st.v[RB_ZRAM_COMPR_DATA], 50798591);
	assert_int_equal(st.v[RB_ZRAM_PAGES_COMPACTED], 0);
}

static void mm_stat_garbage_is_an_error(void **state)
{
	struct rb_zram_stat st;

	(void)state;
	assert_int_equal(parse_file(DATA "mm_stat-garbage.txt", &st), -EINVAL);
}

static void mm_stat_with_a_bad_number_is_an_error(void **state)
{
	struct rb_zram_stat st;

	(void)state;
	assert_int_equal(rb_zram_parse_mm_stat("4096 65 20480 -1\n", &st), -EINVAL);
	assert_int_equal(rb_zram_parse_mm_stat("4096 65x 20480\n", &st), -EINVAL);
	assert_int_equal(rb_zram_parse_mm_stat("99999999999999999999 65 20480\n", &st), -EINVAL);
}

static void mm_stat_needs_the_three_sizes(void **state)
{
	struct rb_zram_stat st;

	(void)state;
	assert_int_equal(rb_zram_parse_mm_stat("4096 65\n", &st), -EINVAL);
	assert_int_equal(rb_zram_parse_mm_stat("", &st), -EINVAL);
}

static void mm_stat_ignores_fields_it_does_not_know(void **state)
{
	struct rb_zram_stat st;

	(void)state;
	assert_int_equal(rb_zram_parse_mm_stat("1 2 3 4 5 6 7 8 9 10 11\n", &st), 0);
	assert_int_equal(st.n, RB_ZRAM_FIELDS);
	assert_int_equal(st.v[RB_ZRAM_HUGE_PAGES_SINCE], 9);
}

static void zram_devices_are_listed_in_order(void **state)
{
	unsigned ids[8];

	(void)state;
	assert_int_equal(rb_zram_devices(DATA "sys-block", ids, 8), 3);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 2);
	assert_int_equal(ids[2], 10);
}

static void zram_devices_missing_directory(void **state)
{
	unsigned ids[8];

	(void)state;
	assert_int_equal(rb_zram_devices(DATA "no-such-dir", ids, 8), -ENOENT);
}

static void zswap_from_meminfo_6_18(void **state)
{
	struct rb_kvset mi = { 0 };
	struct rb_zswap_stat zs;
	char *text = load(DATA "meminfo-6.18-zswap.txt");

	(void)state;
	assert_int_equal(rb_parse_meminfo(text, &mi), 0);
	assert_int_equal(rb_zswap_from_meminfo(&mi, &zs), 0);
	assert_int_equal(zs.pool_bytes, 137344ull * 1024);
	assert_int_equal(zs.stored_bytes, 496328ull * 1024);
	rb_kvset_free(&mi);
	free(text);
}

static void zswap_absent_from_meminfo_4_19(void **state)
{
	struct rb_kvset mi = { 0 };
	struct rb_zswap_stat zs;
	char *text = load(DATA "meminfo-4.19.txt");

	(void)state;
	assert_int_equal(rb_parse_meminfo(text, &mi), 0);
	assert_true(mi.n > 0);
	assert_int_equal(rb_zswap_from_meminfo(&mi, &zs), -ENOENT);
	rb_kvset_free(&mi);
	free(text);
}

static void zswap_from_debugfs(void **state)
{
	struct rb_zswap_stat zs;

	(void)state;
	assert_int_equal(rb_zswap_read_debugfs(DATA "debugfs-zswap", 4096, &zs), 0);
	assert_int_equal(zs.pool_bytes, 140640256);
	assert_int_equal(zs.stored_bytes, 124082ull * 4096);
}

static void zswap_debugfs_not_mounted(void **state)
{
	struct rb_zswap_stat zs;

	(void)state;
	assert_int_equal(rb_zswap_read_debugfs(DATA "no-such-dir", 4096, &zs), -ENOENT);
}

static void ratio_is_uncompressed_over_compressed(void **state)
{
	(void)state;
	assert_true(fabs(rb_swap_compression_ratio(343932928, 88344227) - 3.8931) < 1e-4);
	assert_true(isnan(rb_swap_compression_ratio(4096, 0)));
}

static void peak_keeps_the_largest_compressed_reading(void **state)
{
	struct rb_swap_peak p = { 0 };

	(void)state;
	rb_swap_peak_add(&p, 100, 10);
	rb_swap_peak_add(&p, 900, 300);
	rb_swap_peak_add(&p, 800, 100); /* emptier: not kept */
	assert_true(p.seen);
	assert_int_equal(p.uncompressed, 900);
	assert_int_equal(p.compressed, 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mm_stat_6_18_has_nine_fields),
		cmocka_unit_test(mm_stat_4_14_lacks_huge_pages),
		cmocka_unit_test(mm_stat_garbage_is_an_error),
		cmocka_unit_test(mm_stat_with_a_bad_number_is_an_error),
		cmocka_unit_test(mm_stat_needs_the_three_sizes),
		cmocka_unit_test(mm_stat_ignores_fields_it_does_not_know),
		cmocka_unit_test(zram_devices_are_listed_in_order),
		cmocka_unit_test(zram_devices_missing_directory),
		cmocka_unit_test(zswap_from_meminfo_6_18),
		cmocka_unit_test(zswap_absent_from_meminfo_4_19),
		cmocka_unit_test(zswap_from_debugfs),
		cmocka_unit_test(zswap_debugfs_not_mounted),
		cmocka_unit_test(ratio_is_uncompressed_over_compressed),
		cmocka_unit_test(peak_keeps_the_largest_compressed_reading),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
