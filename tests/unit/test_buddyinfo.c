/* test_buddyinfo.c - unit tests for harness/buddyinfo.c: /proc/buddyinfo and
 * debugfs extfrag parsing against files of 6.18 (one node) and 6.1 (a
 * 2-node VM, idle, fragmented and compacted; tests/data/buddyinfo/README.md),
 * sums per node, and the fragmentation and unusable-free-space indices,
 * which must equal what the 6.1 kernel printed for the same free lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddyinfo.h"
#include "procfs.h"

#define DATA "tests/data/buddyinfo/"
#define MAXZ 16

static char *slurp(const char *name)
{
	char path[256], *buf = NULL;
	size_t cap = 0;

	(void)snprintf(path, sizeof(path), DATA "%s", name);
	assert_true(rb_read_path(path, &buf, &cap) > 0);
	return buf;
}

/* Parse a fixture with the buddyinfo (extfrag false) or extfrag parser. */
static size_t load(const char *name, bool extfrag, struct rb_buddy_zone *z)
{
	char *buf = slurp(name);
	size_t n = 0;

	assert_int_equal(extfrag ? rb_parse_extfrag(buf, z, MAXZ, &n)
				 : rb_parse_buddyinfo(buf, z, MAXZ, &n), 0);
	free(buf);
	return n;
}

static void assert_zone(const struct rb_buddy_zone *z, int node, const char *name)
{
	assert_int_equal(z->node, node);
	assert_string_equal(z->name, name);
	assert_int_equal(z->n_orders, 11);
}

static void test_6_18_zones_in_file_order(void **state)
{
	struct rb_buddy_zone z[MAXZ];

	(void)state;
	assert_int_equal(load("buddyinfo-6.18.txt", false, z), 3);
	assert_zone(&z[0], 0, "DMA");
	assert_zone(&z[1], 0, "DMA32");
	assert_zone(&z[2], 0, "Normal");
}

static void test_6_18_values_by_order(void **state)
{
	static const int64_t normal[11] = { 36, 421, 962, 1037, 845, 734, 568, 402, 72, 22, 4907 };
	struct rb_buddy_zone z[MAXZ];

	(void)state;
	(void)load("buddyinfo-6.18.txt", false, z);
	for (unsigned o = 0; o < 11; o++)
		assert_int_equal(z[2].v[o], normal[o]);
	assert_int_equal(z[0].v[10], 3);
}

static void test_6_1_two_nodes(void **state)
{
	struct rb_buddy_zone z[MAXZ];

	(void)state;
	assert_int_equal(load("buddyinfo-6.1-2node.txt", false, z), 4);
	assert_zone(&z[0], 0, "DMA");
	assert_zone(&z[1], 0, "DMA32");
	assert_zone(&z[2], 1, "DMA32");
	assert_zone(&z[3], 1, "Normal");
	assert_int_equal(z[3].v[0], 104752);
	assert_int_equal(z[2].v[10], 28);
}

static void test_total_per_node_and_all(void **state)
{
	struct rb_buddy_zone z[MAXZ], node1, all;
	size_t n = load("buddyinfo-6.1-2node.txt", false, z);

	(void)state;
	rb_buddy_total(z, n, 1, &node1);
	rb_buddy_total(z, n, -1, &all);
	assert_string_equal(all.name, "all");
	assert_int_equal(node1.node, 1);
	assert_int_equal(node1.n_orders, 11);
	assert_int_equal(node1.v[0], 93947 + 104752);
	assert_int_equal(node1.v[10], 28 + 8);
	assert_int_equal(all.v[0], 1153 + 110757 + 93947 + 104752);
	assert_int_equal(all.v[9], 1 + 1 + 0 + 1);
}

static void test_total_of_missing_node_is_empty(void **state)
{
	struct rb_buddy_zone z[MAXZ], out;
	size_t n = load("buddyinfo-6.1-2node.txt", false, z);

	(void)state;
	rb_buddy_total(z, n, 7, &out);
	assert_int_equal(out.n_orders, 0);
	assert_int_equal(rb_buddy_free_pages(&out), 0);
}

static void test_free_pages_and_suitable(void **state)
{
	struct rb_buddy_zone z[MAXZ];

	(void)state;
	(void)load("buddyinfo-6.1-2node.txt", false, z);
	/* node 0 DMA: 1153 1 0 1 2 2 2 1 1 1 0 */
	assert_int_equal(rb_buddy_free_pages(&z[0]),
			 1153 + 2 + 8 + 32 + 64 + 128 + 128 + 256 + 512);
	assert_int_equal(rb_buddy_suitable(&z[0], 9), 1);
	assert_int_equal(rb_buddy_suitable(&z[0], 8), 1 + 2);
	assert_int_equal(rb_buddy_suitable(&z[0], 10), 0);
	/* node 1 DMA32: ... 6 0 28 at orders 8..10: 2 MiB blocks = 0 + 2 * 28 */
	assert_int_equal(rb_buddy_suitable(&z[2], 9), 56);
	assert_int_equal(rb_buddy_suitable(&z[2], 11), 0);
}

static void test_extfrag_thousandths(void **state)
{
	struct rb_buddy_zone z[MAXZ];

	(void)state;
	assert_int_equal(load("extfrag_index-6.1-2node.txt", true, z), 4);
	assert_zone(&z[0], 0, "DMA");
	assert_int_equal(z[0].v[0], -1000);
	assert_int_equal(z[0].v[10], 998);
	assert_zone(&z[3], 1, "Normal");
	assert_int_equal(z[3].v[9], -1000);
}

static void test_unusable_thousandths(void **state)
{
	struct rb_buddy_zone z[MAXZ];

	(void)state;
	assert_int_equal(load("unusable_index-6.1-2node.txt", true, z), 4);
	assert_int_equal(z[0].v[0], 0);
	assert_int_equal(z[0].v[1], 505);
	assert_int_equal(z[0].v[10], 1000);
	assert_int_equal(z[1].v[9], 927);
}

/* Every zone and order of `kernel` (an extfrag file) against the figure
 * computed from `buddy` (the buddyinfo read just before), within `slack`
 * thousandths. */
static void assert_same_as_kernel(const char *buddy, const char *kernel, bool frag, int slack)
{
	struct rb_buddy_zone b[MAXZ], k[MAXZ];
	size_t nb = load(buddy, false, b), nk = load(kernel, true, k);

	assert_int_equal(nb, nk);
	for (size_t i = 0; i < nb; i++) {
		assert_int_equal(b[i].node, k[i].node);
		assert_string_equal(b[i].name, k[i].name);
		for (unsigned o = 0; o < k[i].n_orders; o++) {
			int got = frag ? rb_buddy_frag_index(&b[i], o)
				       : rb_buddy_unusable_index(&b[i], o);
			assert_true(llabs(got - k[i].v[o]) <= slack);
		}
	}
}

static void test_frag_index_matches_kernel(void **state)
{
	(void)state;
	assert_same_as_kernel("buddyinfo-6.1-2node.txt", "extfrag_index-6.1-2node.txt", true, 0);
}

static void test_frag_index_matches_kernel_after_compaction(void **state)
{
	(void)state;
	assert_same_as_kernel("buddyinfo-6.1-2node-compacted.txt",
			      "extfrag_index-6.1-2node-compacted.txt", true, 0);
}

/* unusable_index was read after extfrag_index: node 1's Normal zone had
 * moved by a few pages meanwhile (the shell's own allocations), enough to
 * shift its index by up to 2 thousandths; the other zones match exactly. */
static void test_unusable_index_matches_kernel(void **state)
{
	(void)state;
	assert_same_as_kernel("buddyinfo-6.1-2node.txt", "unusable_index-6.1-2node.txt", false, 2);
}

static void test_unusable_index_exact_where_zone_was_still(void **state)
{
	struct rb_buddy_zone b[MAXZ], k[MAXZ];

	(void)state;
	(void)load("buddyinfo-6.1-2node.txt", false, b);
	(void)load("unusable_index-6.1-2node.txt", true, k);
	for (size_t i = 0; i < 3; i++)
		for (unsigned o = 0; o < 11; o++)
			assert_int_equal(rb_buddy_unusable_index(&b[i], o), k[i].v[o]);
}

static struct rb_buddy_zone one_zone(const char *text)
{
	struct rb_buddy_zone z[MAXZ];
	size_t n = 0;

	assert_int_equal(rb_parse_buddyinfo(text, z, MAXZ, &n), 0);
	assert_int_equal(n, 1);
	return z[0];
}

/* Only order-0 blocks: 1000 blocks, 1000 pages. Kernel formula at order 9:
 * 1000 - (1000 + 1000 * 1000 / 512) / 1000 = 1000 - 2953 / 1000 = 998. */
static void test_frag_index_without_huge_block(void **state)
{
	struct rb_buddy_zone z = one_zone("Node 0, zone Normal 1000 0 0 0 0 0 0 0 0 0 0\n");

	(void)state;
	assert_int_equal(rb_buddy_frag_index(&z, 9), 998);
	assert_int_equal(rb_buddy_unusable_index(&z, 9), 1000);
	assert_int_equal(rb_buddy_frag_index(&z, 0), -1000);
	assert_int_equal(rb_buddy_unusable_index(&z, 0), 0);
}

/* Few large blocks: towards 0, a failure would be for lack of memory.
 * 2 blocks of order 8 = 512 pages: 1000 - (1000 + 512000 / 512) / 2 = 0. */
static void test_frag_index_low_memory(void **state)
{
	struct rb_buddy_zone z = one_zone("Node 0, zone Normal 0 0 0 0 0 0 0 0 2 0 0\n");

	(void)state;
	assert_int_equal(rb_buddy_frag_index(&z, 9), 0);
	assert_int_equal(rb_buddy_unusable_index(&z, 9), 1000);
	assert_int_equal(rb_buddy_unusable_index(&z, 8), 0);
}

static void test_nothing_free(void **state)
{
	struct rb_buddy_zone z = one_zone("Node 0, zone Normal 0 0 0 0 0 0 0 0 0 0 0\n");

	(void)state;
	assert_int_equal(rb_buddy_free_pages(&z), 0);
	assert_int_equal(rb_buddy_frag_index(&z, 9), 0);
	assert_int_equal(rb_buddy_unusable_index(&z, 9), 1000);
}

static void test_order_beyond_the_line(void **state)
{
	struct rb_buddy_zone z = one_zone("Node 0, zone Normal 5 4 3\n");

	(void)state;
	assert_int_equal(z.n_orders, 3);
	assert_int_equal(rb_buddy_frag_index(&z, 9), 0);
	assert_int_equal(rb_buddy_unusable_index(&z, 9), 1000);
	assert_int_equal(rb_buddy_suitable(&z, 9), 0);
}

static void test_bad_lines_skipped(void **state)
{
	static const char text[] =
		"garbage\n"
		"Node 0, zone\n"
		"Node x, zone Normal 1 2\n"
		"Node 0, zone Normal\n"
		"Node 0, zone Normal abc 1\n"
		"Node 0,zone Normal 1 2\n"
		"Node 2, zone   Movable      7     -3    9\n";
	struct rb_buddy_zone z[MAXZ];
	size_t n = 0;

	(void)state;
	assert_int_equal(rb_parse_buddyinfo(text, z, MAXZ, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(z[0].node, 2);
	assert_string_equal(z[0].name, "Movable");
	assert_int_equal(z[0].n_orders, 1); /* values stop at "-3" */
	assert_int_equal(z[0].v[0], 7);
}

static void test_extfrag_rejects_integers(void **state)
{
	struct rb_buddy_zone z[MAXZ];
	size_t n = 0;

	(void)state;
	assert_int_equal(rb_parse_extfrag("Node 0, zone Normal 1 2\n", z, MAXZ, &n), -EINVAL);
	assert_int_equal(rb_parse_extfrag("Node 0, zone Normal 0.5 1.000\n", z, MAXZ, &n), -EINVAL);
	assert_int_equal(rb_parse_extfrag("Node 0, zone Normal 1.000 -.500\n", z, MAXZ, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(z[0].n_orders, 1);
	assert_int_equal(z[0].v[0], 1000);
}

static void test_no_zone_is_einval(void **state)
{
	struct rb_buddy_zone z[MAXZ];
	size_t n = 5;

	(void)state;
	assert_int_equal(rb_parse_buddyinfo("", z, MAXZ, &n), -EINVAL);
	assert_int_equal(n, 0);
	assert_int_equal(rb_parse_buddyinfo("MemFree: 1 kB\n", z, MAXZ, &n), -EINVAL);
}

static void test_too_many_zones_is_enospc(void **state)
{
	struct rb_buddy_zone z[2];
	char *buf = slurp("buddyinfo-6.1-2node.txt");
	size_t n = 0;

	(void)state;
	assert_int_equal(rb_parse_buddyinfo(buf, z, 2, &n), -ENOSPC);
	assert_int_equal(n, 2);
	assert_string_equal(z[1].name, "DMA32");
	free(buf);
}

static void test_long_line_keeps_16_orders(void **state)
{
	struct rb_buddy_zone z = one_zone(
		"Node 0, zone Normal 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n");

	(void)state;
	assert_int_equal(z.n_orders, RB_BUDDY_ORDERS_MAX);
	assert_int_equal(z.v[15], 15);
}

static void test_long_zone_name_truncated(void **state)
{
	struct rb_buddy_zone z = one_zone("Node 3, zone AVeryLongZoneNameIndeed 1\n");

	(void)state;
	assert_int_equal(z.node, 3);
	assert_int_equal(strlen(z.name), RB_BUDDY_NAME_MAX - 1);
	assert_int_equal(z.v[0], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_6_18_zones_in_file_order),
		cmocka_unit_test(test_6_18_values_by_order),
		cmocka_unit_test(test_6_1_two_nodes),
		cmocka_unit_test(test_total_per_node_and_all),
		cmocka_unit_test(test_total_of_missing_node_is_empty),
		cmocka_unit_test(test_free_pages_and_suitable),
		cmocka_unit_test(test_extfrag_thousandths),
		cmocka_unit_test(test_unusable_thousandths),
		cmocka_unit_test(test_frag_index_matches_kernel),
		cmocka_unit_test(test_frag_index_matches_kernel_after_compaction),
		cmocka_unit_test(test_unusable_index_matches_kernel),
		cmocka_unit_test(test_unusable_index_exact_where_zone_was_still),
		cmocka_unit_test(test_frag_index_without_huge_block),
		cmocka_unit_test(test_frag_index_low_memory),
		cmocka_unit_test(test_nothing_free),
		cmocka_unit_test(test_order_beyond_the_line),
		cmocka_unit_test(test_bad_lines_skipped),
		cmocka_unit_test(test_extfrag_rejects_integers),
		cmocka_unit_test(test_no_zone_is_einval),
		cmocka_unit_test(test_too_many_zones_is_enospc),
		cmocka_unit_test(test_long_line_keeps_16_orders),
		cmocka_unit_test(test_long_zone_name_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
