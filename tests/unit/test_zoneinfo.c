/* test_zoneinfo.c - unit tests for harness/zoneinfo.c: the /proc/zoneinfo
 * parser against files of kernels 2.6.14 to 6.18 (tests/data/zoneinfo/,
 * provenance in its README.md), including a 2-node capture, fields older
 * kernels lack, unpopulated zones, malformed lines and the per-node totals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "zoneinfo.h"

#define DATA "tests/data/zoneinfo/"
#define MAXZ 32

#define ALL_6_18 (RB_ZONE_FREE | RB_ZONE_MIN | RB_ZONE_LOW | RB_ZONE_HIGH | RB_ZONE_BOOST | \
		  RB_ZONE_PROMO | RB_ZONE_SPANNED | RB_ZONE_PRESENT | RB_ZONE_MANAGED | \
		  RB_ZONE_NR_FREE_PAGES)

/* Parse a fixture; returns the number of zones. */
static size_t load(const char *name, struct rb_zone *z)
{
	char path[256], *buf = NULL;
	size_t cap = 0, n = 0;

	(void)snprintf(path, sizeof(path), DATA "%s", name);
	assert_true(rb_read_path(path, &buf, &cap) > 0);
	assert_int_equal(rb_parse_zoneinfo(buf, z, MAXZ, &n), 0);
	free(buf);
	return n;
}

static size_t parse_text(const char *text, struct rb_zone *z)
{
	size_t n = 0;

	assert_int_equal(rb_parse_zoneinfo(text, z, MAXZ, &n), 0);
	return n;
}

static void assert_zone(const struct rb_zone *z, int node, const char *name)
{
	assert_int_equal(z->node, node);
	assert_string_equal(z->name, name);
}

static void test_6_18_lists_every_zone(void **state)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal", "Movable", "Device" };
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(load("zoneinfo-6.18.txt", z), 5);
	for (size_t i = 0; i < 5; i++)
		assert_zone(&z[i], 0, names[i]);
}

static void test_6_18_dma_fields_by_name(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	(void)load("zoneinfo-6.18.txt", z);
	assert_int_equal(z[0].has, ALL_6_18);
	assert_int_equal(z[0].free, 3840);
	assert_int_equal(z[0].boost, 0);
	assert_int_equal(z[0].min, 17);
	assert_int_equal(z[0].low, 21);
	assert_int_equal(z[0].high, 25);
	assert_int_equal(z[0].promo, 29);
	assert_int_equal(z[0].spanned, 4095);
	assert_int_equal(z[0].present, 3998);
	assert_int_equal(z[0].managed, 3840);
	assert_int_equal(z[0].nr_free_pages, 3840);
}

/* The pagesets block has "high:  <n>" per CPU: not the high watermark. */
static void test_6_18_pageset_high_is_not_the_watermark(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	(void)load("zoneinfo-6.18.txt", z);
	assert_int_equal(z[2].high, 19964);
	assert_int_equal(z[2].low, 16637);
	assert_int_equal(z[2].min, 13310);
	assert_int_equal(z[2].promo, 23291);
	assert_int_equal(z[2].free, 2589086);
}

static void test_6_18_unpopulated_zones_are_marked(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	(void)load("zoneinfo-6.18.txt", z);
	assert_true(rb_zone_populated(&z[0]));
	assert_true(rb_zone_populated(&z[2]));
	assert_false(rb_zone_populated(&z[3]));
	assert_false(rb_zone_populated(&z[4]));
	assert_int_equal(z[3].min, 32);
	assert_int_equal(z[3].has, ALL_6_18 & ~RB_ZONE_NR_FREE_PAGES);
}

/* Movable has watermarks of 32 pages and no memory: it must not count. */
static void test_6_18_total_skips_unpopulated(void **state)
{
	struct rb_zone z[MAXZ], t;
	size_t n;

	(void)state;
	n = load("zoneinfo-6.18.txt", z);
	rb_zones_total(z, n, 0, &t);
	assert_int_equal(t.node, 0);
	assert_string_equal(t.name, "all");
	assert_int_equal(t.has, ALL_6_18);
	assert_int_equal(t.free, 3840 + 772915 + 2589086);
	assert_int_equal(t.min, 17 + 3567 + 13310);
	assert_int_equal(t.low, 21 + 4458 + 16637);
	assert_int_equal(t.high, 25 + 5349 + 19964);
	assert_int_equal(t.promo, 29 + 6240 + 23291);
	assert_int_equal(t.managed, 3840 + 772915 + 2883584);
	assert_int_equal(t.nr_free_pages, t.free);
}

static void test_6_1_two_nodes(void **state)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal", "Movable", "Device" };
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(load("zoneinfo-6.1-2node.txt", z), 10);
	for (size_t i = 0; i < 10; i++)
		assert_zone(&z[i], i < 5 ? 0 : 1, names[i % 5]);
}

static void test_6_1_has_boost_but_no_promo(void **state)
{
	struct rb_zone z[MAXZ];
	size_t n;

	(void)state;
	n = load("zoneinfo-6.1-2node.txt", z);
	for (size_t i = 0; i < n; i++) {
		assert_true(z[i].has & RB_ZONE_BOOST);
		assert_false(z[i].has & RB_ZONE_PROMO);
		assert_int_equal(z[i].promo, 0);
	}
}

/* Node 1's per-node stats sit in its first populated zone (DMA32), not in
 * its empty DMA zone; the zone's own fields come after them. */
static void test_6_1_node1_zones_after_pressure(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	(void)load("zoneinfo-6.1-2node.txt", z);
	assert_false(rb_zone_populated(&z[5]));
	assert_true(rb_zone_populated(&z[6]));
	assert_int_equal(z[6].free, 9743);
	assert_int_equal(z[6].min, 7034);
	assert_int_equal(z[6].low, 8792);
	assert_int_equal(z[6].high, 10550);
	assert_int_equal(z[6].present, 262111);
	assert_int_equal(z[6].managed, 234409);
	assert_int_equal(z[7].free, 11781);
	assert_int_equal(z[7].min, 7685);
	assert_int_equal(z[7].present, 262144);
	assert_int_equal(z[7].managed, 253639);
}

static void test_6_1_totals_per_node_and_all(void **state)
{
	struct rb_zone z[MAXZ], t0, t1, all;
	size_t n;

	(void)state;
	n = load("zoneinfo-6.1-2node.txt", z);
	rb_zones_total(z, n, 0, &t0);
	rb_zones_total(z, n, 1, &t1);
	rb_zones_total(z, n, -1, &all);
	assert_int_equal(t0.free, 1136 + 10084);
	assert_int_equal(t0.min, 116 + 7691);
	assert_int_equal(t1.free, 9743 + 11781);
	assert_int_equal(t1.min, 7034 + 7685);
	assert_int_equal(all.node, -1);
	assert_int_equal(all.free, t0.free + t1.free);
	assert_int_equal(all.low, t0.low + t1.low);
	assert_int_equal(all.high, t0.high + t1.high);
	assert_int_equal(all.present, t0.present + t1.present);
	assert_false(all.has & RB_ZONE_PROMO);
}

static void test_4_20_has_no_boost_or_promo(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(load("zoneinfo-4.20.txt", z), 5);
	assert_int_equal(z[2].has, ALL_6_18 & ~(RB_ZONE_BOOST | RB_ZONE_PROMO));
	assert_zone(&z[2], 0, "Normal");
	assert_int_equal(z[2].free, 18553);
	assert_int_equal(z[2].min, 11176);
	assert_int_equal(z[2].low, 13842);
	assert_int_equal(z[2].high, 16508);
	assert_int_equal(z[2].managed, 1268711);
}

/* 3.2 prints no managed line; the post this was taken from cut the file off
 * in the middle of the last line. */
static void test_3_2_has_no_managed(void **state)
{
	struct rb_zone z[MAXZ], t;
	size_t n;

	(void)state;
	n = load("zoneinfo-3.2-rc5.txt", z);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_false(z[i].has & RB_ZONE_MANAGED);
		assert_true(z[i].has & RB_ZONE_NR_FREE_PAGES);
		assert_int_equal(z[i].nr_free_pages, z[i].free);
	}
	assert_zone(&z[1], 0, "DMA32");
	assert_int_equal(z[1].min, 14715);
	assert_int_equal(z[1].high, 22072);
	rb_zones_total(z, n, 0, &t);
	assert_false(t.has & RB_ZONE_MANAGED);
	assert_int_equal(t.free, 3980 + 19620 + 2854);
}

/* 2.6.14: no managed, no nr_free_pages, and pagesets with "low:" and
 * "high:" lines per CPU list; also a locally patched "tscanned" line. */
static void test_2_6_14_oldest_format(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(load("zoneinfo-2.6.14.txt", z), 3);
	assert_zone(&z[2], 0, "HighMem");
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(z[i].has, RB_ZONE_FREE | RB_ZONE_MIN | RB_ZONE_LOW |
				 RB_ZONE_HIGH | RB_ZONE_SPANNED | RB_ZONE_PRESENT);
	assert_int_equal(z[0].low, 21);
	assert_int_equal(z[0].high, 25);
	assert_int_equal(z[1].present, 225280);
	assert_true(z[2].free < z[2].min);
}

/* 4.14 once printed a counter with an empty name ("      74240"). */
static void test_nameless_value_line_is_skipped(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(parse_text("Node 0, zone      DMA\n"
				    "  per-node stats\n"
				    "      nr_written   5985\n"
				    "                   74240\n"
				    "  pages free     131656\n"
				    "        min      10\n", z), 1);
	assert_int_equal(z[0].has, RB_ZONE_FREE | RB_ZONE_MIN);
	assert_int_equal(z[0].free, 131656);
}

/* Watermark-like names in the per-node stats block are node counters. */
static void test_per_node_stats_are_not_read(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(parse_text("Node 0, zone   Normal\n"
				    "  per-node stats\n"
				    "      min 999\n"
				    "      nr_free_pages 998\n"
				    "  pages free     5\n"
				    "        min      1\n", z), 1);
	assert_int_equal(z[0].min, 1);
	assert_int_equal(z[0].has, RB_ZONE_FREE | RB_ZONE_MIN);
}

static void test_malformed_values_are_absent(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(parse_text("Node 0, zone   Normal\n"
				    "  pages free     12x\n"
				    "        min      -1\n"
				    "        low      99999999999999999999999\n"
				    "        high     7 pages\n"
				    "        spanned\n"
				    "        present  18446744073709551615\n", z), 1);
	assert_int_equal(z[0].has, RB_ZONE_PRESENT);
	assert_true(z[0].present == UINT64_MAX);
}

static void test_blank_and_crlf_tolerated(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(parse_text("\nNode 3, zone Normal \r\n"
				    "\tpages free\t42\r\n"
				    "        high     9   \n", z), 1);
	assert_zone(&z[0], 3, "Normal");
	assert_int_equal(z[0].free, 42);
	assert_int_equal(z[0].high, 9);
}

/* A "Node" line that does not parse ends the zone before it. */
static void test_bad_header_ends_previous_zone(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(parse_text("Node 0, zone   Normal\n"
				    "        min      1\n"
				    "Node x, zone  Movable\n"
				    "        min      2\n"
				    "Node 0, zone\n"
				    "        low      3\n", z), 1);
	assert_int_equal(z[0].min, 1);
	assert_int_equal(z[0].has, RB_ZONE_MIN);
}

static void test_long_zone_name_is_truncated(void **state)
{
	struct rb_zone z[MAXZ];

	(void)state;
	assert_int_equal(parse_text("Node 1, zone AVeryLongZoneNameIndeed\n", z), 1);
	assert_int_equal(strlen(z[0].name), RB_ZONE_NAME_MAX - 1);
	assert_int_equal(strncmp(z[0].name, "AVeryLongZoneNameIndeed", RB_ZONE_NAME_MAX - 1), 0);
}

static void test_no_zone_is_invalid(void **state)
{
	struct rb_zone z[MAXZ];
	size_t n = 7;

	(void)state;
	assert_int_equal(rb_parse_zoneinfo("", z, MAXZ, &n), -EINVAL);
	assert_int_equal(n, 0);
	assert_int_equal(rb_parse_zoneinfo("nr_free_pages 1\nNode 0, zone      DMA      1      1\n",
					   z, MAXZ, &n), -EINVAL);
}

static void test_too_many_zones_fills_max(void **state)
{
	struct rb_zone z[MAXZ];
	char *buf = NULL;
	size_t cap = 0, n = 0;

	(void)state;
	assert_true(rb_read_path(DATA "zoneinfo-6.18.txt", &buf, &cap) > 0);
	assert_int_equal(rb_parse_zoneinfo(buf, z, 3, &n), -ENOSPC);
	assert_int_equal(n, 3);
	free(buf);
	assert_zone(&z[2], 0, "Normal");
	assert_int_equal(z[2].high, 19964);
}

/* A field one zone lacks is absent from the sum, not added as 0. */
static void test_total_keeps_only_common_fields(void **state)
{
	struct rb_zone z[2] = {
		{ .node = 0, .free = 10, .min = 1, .promo = 4, .present = 100,
		  .has = RB_ZONE_FREE | RB_ZONE_MIN | RB_ZONE_PROMO | RB_ZONE_PRESENT },
		{ .node = 0, .free = 20, .min = 2, .present = 200,
		  .has = RB_ZONE_FREE | RB_ZONE_MIN | RB_ZONE_PRESENT },
	};
	struct rb_zone t;

	(void)state;
	rb_zones_total(z, 2, 0, &t);
	assert_int_equal(t.has, RB_ZONE_FREE | RB_ZONE_MIN | RB_ZONE_PRESENT);
	assert_int_equal(t.free, 30);
	assert_int_equal(t.min, 3);
	assert_int_equal(t.present, 300);
}

static void test_total_of_missing_node_is_empty(void **state)
{
	struct rb_zone z[MAXZ], t;
	size_t n;

	(void)state;
	n = load("zoneinfo-6.18.txt", z);
	rb_zones_total(z, n, 1, &t);
	assert_int_equal(t.node, 1);
	assert_int_equal(t.has, 0);
	assert_int_equal(t.free, 0);
	assert_int_equal(t.min, 0);
	assert_int_equal(t.present, 0);
}

/* A zone without a present line cannot be told populated. */
static void test_zone_without_present_is_not_populated(void **state)
{
	struct rb_zone z = { .free = 5, .managed = 5, .has = RB_ZONE_FREE | RB_ZONE_MANAGED };

	(void)state;
	assert_false(rb_zone_populated(&z));
}

/* The live file of the machine running the tests parses too. */
static void test_live_proc_zoneinfo(void **state)
{
	struct rb_zone z[MAXZ * 8], t;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	(void)state;
	if (rb_read_path("/proc/zoneinfo", &buf, &cap) < 0)
		skip();
	assert_int_equal(rb_parse_zoneinfo(buf, z, MAXZ * 8, &n), 0);
	free(buf);
	rb_zones_total(z, n, -1, &t);
	assert_true(n >= 1);
	assert_true(t.has & (RB_ZONE_FREE | RB_ZONE_MIN | RB_ZONE_LOW | RB_ZONE_HIGH));
	assert_true(t.min <= t.low && t.low <= t.high);
	assert_true(t.free > 0 && t.free <= t.present);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_6_18_lists_every_zone),
		cmocka_unit_test(test_6_18_dma_fields_by_name),
		cmocka_unit_test(test_6_18_pageset_high_is_not_the_watermark),
		cmocka_unit_test(test_6_18_unpopulated_zones_are_marked),
		cmocka_unit_test(test_6_18_total_skips_unpopulated),
		cmocka_unit_test(test_6_1_two_nodes),
		cmocka_unit_test(test_6_1_has_boost_but_no_promo),
		cmocka_unit_test(test_6_1_node1_zones_after_pressure),
		cmocka_unit_test(test_6_1_totals_per_node_and_all),
		cmocka_unit_test(test_4_20_has_no_boost_or_promo),
		cmocka_unit_test(test_3_2_has_no_managed),
		cmocka_unit_test(test_2_6_14_oldest_format),
		cmocka_unit_test(test_nameless_value_line_is_skipped),
		cmocka_unit_test(test_per_node_stats_are_not_read),
		cmocka_unit_test(test_malformed_values_are_absent),
		cmocka_unit_test(test_blank_and_crlf_tolerated),
		cmocka_unit_test(test_bad_header_ends_previous_zone),
		cmocka_unit_test(test_long_zone_name_is_truncated),
		cmocka_unit_test(test_no_zone_is_invalid),
		cmocka_unit_test(test_too_many_zones_fills_max),
		cmocka_unit_test(test_total_keeps_only_common_fields),
		cmocka_unit_test(test_total_of_missing_node_is_empty),
		cmocka_unit_test(test_zone_without_present_is_not_populated),
		cmocka_unit_test(test_live_proc_zoneinfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
