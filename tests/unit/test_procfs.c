/* test_procfs.c - unit tests for harness/procfs.c: the vmstat, meminfo, PSI and
 * cgroup memory file parsers against files captured from several kernels
 * (tests/data/procfs/, provenance in its README.md), parsing a reading of
 * a known layout, name lookups with hints,
 * counter/level classification and the pread-based file readers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procfs.h"

#define DATA "tests/data/procfs/"

/* Read a fixture into a fresh NUL-terminated buffer (free() it). */
static char *load(const char *name)
{
	char path[256], *buf = NULL;
	size_t cap = 0;

	(void)snprintf(path, sizeof(path), DATA "%s", name);
	assert_true(rb_read_path(path, &buf, &cap) > 0);
	return buf;
}

static void load_flat(const char *name, struct rb_kvset *s)
{
	char *text = load(name);

	assert_int_equal(rb_parse_flat_kv(text, s), 0);
	free(text);
}

static void load_meminfo(const char *name, struct rb_kvset *s)
{
	char *text = load(name);

	assert_int_equal(rb_parse_meminfo(text, s), 0);
	free(text);
}

static void load_psi(const char *name, struct rb_psi *psi)
{
	char *text = load(name);

	assert_int_equal(rb_parse_psi(text, psi), 0);
	free(text);
}

static uint64_t get(const struct rb_kvset *s, const char *name)
{
	uint64_t v = 0;

	assert_int_equal(rb_kvset_get(s, name, NULL, &v), 0);
	return v;
}

static void assert_absent(const struct rb_kvset *s, const char *name)
{
	uint64_t v = 12345;

	assert_int_equal(rb_kvset_get(s, name, NULL, &v), -ENOENT);
	assert_int_equal(v, 12345);
}

/* Parse a fixture with the parser its shape needs. */
static void load_kv(const char *name, struct rb_kvset *s)
{
	if (strstr(name, "meminfo"))
		load_meminfo(name, s);
	else
		load_flat(name, s);
}

static int kv_setup(void **state)
{
	*state = calloc(1, sizeof(struct rb_kvset));
	return *state ? 0 : -1;
}

static int kv_teardown(void **state)
{
	rb_kvset_free(*state);
	free(*state);
	return 0;
}

/* ---- every fixture, by name ---- */

static void test_fixtures_parse_every_line(void **state)
{
	static const struct { const char *file; size_t n; } cases[] = {
		{ "vmstat-6.18.txt", 192 }, { "vmstat-6.1.txt", 173 },
		{ "vmstat-4.19.txt", 129 }, { "vmstat-3.8.txt", 95 },
		{ "memcg-v1-memory.stat-6.18.txt", 42 },
		{ "memcg-v2-memory.stat-6.1.txt", 51 },
		{ "memcg-v2-memory.events-6.1.txt", 6 },
		{ "meminfo-6.18.txt", 54 }, { "meminfo-6.1.txt", 53 },
		{ "meminfo-4.19.txt", 48 }, { "meminfo-3.x-precise.txt", 42 },
		{ "node0-meminfo-6.18.txt", 36 }, { "node0-meminfo-6.1.txt", 36 },
		{ "node1-meminfo-6.1.txt", 36 },
	};
	struct rb_kvset *s = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		load_kv(cases[i].file, s);
		if (s->n != cases[i].n)
			fail_msg("%s: %zu fields, want %zu", cases[i].file, s->n, cases[i].n);
	}
}

static void test_fixture_values_by_name(void **state)
{
	static const struct { const char *file, *name; uint64_t value; } cases[] = {
		{ "vmstat-6.18.txt", "nr_free_pages", 1004007 },
		{ "vmstat-6.18.txt", "pgfault", 1490672 },
		{ "vmstat-6.18.txt", "workingset_refault_file", 18552 },
		{ "vmstat-6.18.txt", "nr_dirtied", 116942 },
		{ "vmstat-6.1.txt", "workingset_refault_anon", 70821 },
		{ "vmstat-6.1.txt", "nr_vmscan_write", 92972 },
		{ "vmstat-6.1.txt", "pgscan_anon", 186359 },
		/* memcg reclaim does not count in the global direct-reclaim scan */
		{ "vmstat-6.1.txt", "pgscan_direct", 0 },
		{ "vmstat-4.19.txt", "workingset_refault", 71365357 },
		{ "vmstat-4.19.txt", "allocstall_movable", 1980089 },
		{ "vmstat-4.19.txt", "pgalloc_normal", 20003662520ULL },
		{ "vmstat-3.8.txt", "allocstall", 73 },
		{ "vmstat-3.8.txt", "pgsteal_kswapd_dma32", 917837 },
		{ "memcg-v1-memory.stat-6.18.txt", "cache", 10678272 },
		{ "memcg-v1-memory.stat-6.18.txt", "total_pgfault", 1491682 },
		{ "memcg-v1-memory.stat-6.18.txt", "hierarchical_memory_limit",
		  9223372036854771712ULL },
		{ "memcg-v2-memory.stat-6.1.txt", "pgscan_direct", 186359 },
		{ "memcg-v2-memory.stat-6.1.txt", "pgsteal", 92972 },
		{ "memcg-v2-memory.stat-6.1.txt", "workingset_refault_anon", 70829 },
		{ "memcg-v2-memory.events-6.1.txt", "high", 934 },
		{ "memcg-v2-memory.events-6.1.txt", "oom_group_kill", 0 },
		{ "meminfo-6.18.txt", "MemTotal", 24684084 },
		{ "meminfo-6.18.txt", "MemAvailable", 24208544 },
		{ "meminfo-6.18.txt", "Active(file)", 71952 },
		{ "meminfo-6.18.txt", "HugePages_Total", 0 },
		{ "meminfo-6.18.txt", "Hugepagesize", 2048 },
		{ "meminfo-6.18.txt", "VmallocTotal", 34359738367ULL },
		{ "meminfo-6.1.txt", "SwapFree", 261628 },
		{ "meminfo-4.19.txt", "MemAvailable", 5332752 },
		{ "meminfo-4.19.txt", "AnonHugePages", 6406144 },
		{ "meminfo-3.x-precise.txt", "MemFree", 2737776 },
		{ "node0-meminfo-6.18.txt", "MemFree", 4016028 },
		{ "node0-meminfo-6.1.txt", "MemFree", 470296 },
		{ "node1-meminfo-6.1.txt", "Inactive(anon)", 68 },
		/* the kernel misaligns this one line of the node file */
		{ "node1-meminfo-6.1.txt", "FileHugePages", 0 },
	};
	struct rb_kvset *s = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;

		load_kv(cases[i].file, s);
		if (rb_kvset_get(s, cases[i].name, NULL, &v) || v != cases[i].value)
			fail_msg("%s: %s = %ju, want %ju", cases[i].file, cases[i].name,
				 (uintmax_t)v, (uintmax_t)cases[i].value);
	}
}

/* Check that each of a NULL-terminated list of fields is absent. */
static void assert_fixture_lacks(struct rb_kvset *s, const char *file, const char *const *names)
{
	load_kv(file, s);
	for (; *names; names++)
		assert_absent(s, *names);
}

/* 6.18 has only the split fields: allocstall_<zone> (4.10), refaults per
 * LRU type (5.9), pgsteal without the per-zone suffix (4.8). */
static void test_vmstat_6_18_lacks_old_fields(void **state)
{
	static const char *const names[] = {
		"allocstall", "workingset_refault", "pgsteal_kswapd_normal", NULL,
	};

	assert_fixture_lacks(*state, "vmstat-6.18.txt", names);
}

/* 4.19: allocstall split already, but one workingset_refault, and neither
 * pgscan_anon/pgscan_file (5.8) nor workingset_nodes. */
static void test_vmstat_4_19_lacks_newer_fields(void **state)
{
	static const char *const names[] = {
		"workingset_refault_file", "allocstall", "pgscan_anon", "workingset_nodes", NULL,
	};

	assert_fixture_lacks(*state, "vmstat-4.19.txt", names);
}

/* 3.8: one allocstall, pgsteal/pgscan per zone, no workingset_* at all. */
static void test_vmstat_3_8_lacks_newer_fields(void **state)
{
	static const char *const names[] = {
		"allocstall_normal", "pgsteal_kswapd", "workingset_refault", NULL,
	};

	assert_fixture_lacks(*state, "vmstat-3.8.txt", names);
}

/* MemAvailable arrived in 3.14. */
static void test_meminfo_3x_lacks_memavailable(void **state)
{
	static const char *const names[] = { "MemAvailable", "KReclaimable", NULL };

	assert_fixture_lacks(*state, "meminfo-3.x-precise.txt", names);
}

static void test_meminfo_4_19_lacks_newer_fields(void **state)
{
	static const char *const names[] = { "KReclaimable", "Zswap", "FileHugePages", NULL };

	assert_fixture_lacks(*state, "meminfo-4.19.txt", names);
}

/* Node files name fields without the "Node N " prefix. */
static void test_node_meminfo_drops_node_prefix(void **state)
{
	static const char *const names[] = { "Node 0 MemFree", "Node", "MemAvailable", NULL };
	struct rb_kvset *s = *state;

	assert_fixture_lacks(s, "node0-meminfo-6.18.txt", names);
	assert_string_equal(s->v[0].name, "MemTotal");
}

static void test_memcg_v2_stat_lacks_v1_and_newer_fields(void **state)
{
	static const char *const names[] = { "cache", "total_pgfault", "zswpwb", NULL };

	assert_fixture_lacks(*state, "memcg-v2-memory.stat-6.1.txt", names);
}

/* ---- parser edge cases ---- */

static void test_flat_skips_malformed_lines(void **state)
{
	static const char text[] = "a 1\nbad\nb x\n c 3\n\nd 4 5\ne 18446744073709551615\n"
				   "f 18446744073709551616\ng -1\nh 7kB\ntotal=9 N0=9\ni\t2\n";
	struct rb_kvset *s = *state;

	assert_int_equal(rb_parse_flat_kv(text, s), 0);
	assert_int_equal(s->n, 3);
	assert_int_equal(get(s, "a"), 1);
	assert_int_equal(get(s, "e"), UINT64_MAX);
	assert_int_equal(get(s, "i"), 2);
	assert_absent(s, "f");
	assert_absent(s, "total=9");
}

static void test_flat_last_line_without_newline(void **state)
{
	struct rb_kvset *s = *state;

	assert_int_equal(rb_parse_flat_kv("x 1\ny 5", s), 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(get(s, "y"), 5);
}

static void test_flat_skips_names_too_long(void **state)
{
	char text[RB_KV_NAME_MAX + 16];
	struct rb_kvset *s = *state;

	memset(text, 'n', RB_KV_NAME_MAX);
	(void)snprintf(text + RB_KV_NAME_MAX, 16, " 1\nok 2\n");
	assert_int_equal(rb_parse_flat_kv(text, s), 0);
	assert_int_equal(s->n, 1);
	assert_string_equal(s->v[0].name, "ok");
}

static void test_parse_replaces_previous_contents(void **state)
{
	struct rb_kvset *s = *state;

	assert_int_equal(rb_parse_flat_kv("old 1\n", s), 0);
	assert_int_equal(rb_parse_meminfo("New:    2 kB\n", s), 0);
	assert_int_equal(s->n, 1);
	assert_absent(s, "old");
	assert_int_equal(get(s, "New"), 2);
}

/* ---- parsing a reading of a known layout ---- */

/* The names of a parsed set, packed as rb_parse_known takes them. */
static size_t pack_names(const struct rb_kvset *s, char *pool, size_t len)
{
	size_t at = 0;

	for (size_t i = 0; i < s->n; i++) {
		size_t n = strlen(s->v[i].name) + 1;
		assert_true(at + n <= len);
		memcpy(pool + at, s->v[i].name, n);
		at += n;
	}
	return s->n;
}

/* If text parses as the known layout of `layout`, its values are what a
 * parse by name gives; returns rb_parse_known's result. */
static int known_matches_parse(const char *layout, const char *text, bool meminfo)
{
	struct rb_kvset a = { 0 }, b = { 0 };
	static char pool[16384];
	uint64_t values[512];
	size_t n;
	int rc;

	assert_int_equal(meminfo ? rb_parse_meminfo(layout, &a) : rb_parse_flat_kv(layout, &a), 0);
	n = pack_names(&a, pool, sizeof(pool));
	assert_true(n <= 512);
	rc = rb_parse_known(text, pool, n, meminfo, values);
	if (rc == 0) {
		assert_int_equal(meminfo ? rb_parse_meminfo(text, &b) : rb_parse_flat_kv(text, &b), 0);
		assert_int_equal(b.n, n);
		for (size_t i = 0; i < n; i++) {
			assert_string_equal(b.v[i].name, a.v[i].name);
			assert_int_equal(b.v[i].value, values[i]);
		}
	}
	rb_kvset_free(&a);
	rb_kvset_free(&b);
	return rc;
}

static void test_known_layout_gives_the_values(void **state)
{
	(void)state;
	assert_int_equal(known_matches_parse("a 1\nb 2\nc 3\n", "a 10\nb 20\nc 30\n", false), 0);
	assert_int_equal(known_matches_parse("A:  1 kB\nB(x):  2\n", "A:  7 kB\nB(x):  8\n", true),
			 0);
}

static void test_known_layout_of_kernel_files(void **state)
{
	static const char *const flat[] = { "vmstat-6.18.txt", "vmstat-6.1.txt", "vmstat-4.19.txt",
					    "vmstat-3.8.txt" };
	static const char *const mem[] = { "meminfo-6.18.txt", "meminfo-4.19.txt",
					   "meminfo-3.x-precise.txt" };

	(void)state;
	for (size_t i = 0; i < sizeof(flat) / sizeof(flat[0]); i++) {
		char *text = load(flat[i]);
		assert_int_equal(known_matches_parse(text, text, false), 0);
		free(text);
	}
	for (size_t i = 0; i < sizeof(mem) / sizeof(mem[0]); i++) {
		char *text = load(mem[i]);
		assert_int_equal(known_matches_parse(text, text, true), 0);
		free(text);
	}
}

static void test_known_layout_changed_is_stale(void **state)
{
	char *v618 = load("vmstat-6.18.txt"), *v61 = load("vmstat-6.1.txt");

	(void)state;
	assert_int_equal(known_matches_parse("a 1\nc 3\n", "a 1\nb 2\nc 3\n", false), -ESTALE);
	assert_int_equal(known_matches_parse("a 1\nb 2\nc 3\n", "a 1\nb 2\n", false), -ESTALE);
	assert_int_equal(known_matches_parse("pgscan_anon 1\n", "pgscan 5\n", false), -ESTALE);
	assert_int_equal(known_matches_parse("pgscan 1\n", "pgscan_anon 5\n", false), -ESTALE);
	assert_int_equal(known_matches_parse(v618, v61, false), -ESTALE);
	free(v618);
	free(v61);
}

static void test_known_layout_unusual_shapes(void **state)
{
	static const char *const flat[] = { "a\t5\nb 6\n", "a 5  \nb 6\n", "a 7\nb 8x\n",
					    "a 9\n\nb 10\n", "a 99999999999999999999\nb 1\n",
					    "a 1\nb 2" };
	static const char *const mem[] = { "A:\t3 kB\nB(x): 4\n", "A:3 kB\nB(x): 4\n",
					   "A:  5 kB\r\nB(x): 6 kB junk\n", "Node 0 A: 7 kB\n" };

	(void)state;
	/* whatever is accepted reads as a parse by name does (checked inside) */
	for (size_t i = 0; i < sizeof(flat) / sizeof(flat[0]); i++)
		(void)known_matches_parse("a 1\nb 2\n", flat[i], false);
	for (size_t i = 0; i < sizeof(mem) / sizeof(mem[0]); i++)
		(void)known_matches_parse("A: 1 kB\nB(x): 2\n", mem[i], true);
	assert_int_equal(known_matches_parse("a 1\nb 2\n", flat[0], false), -ESTALE);
	assert_int_equal(known_matches_parse("a 1\nb 2\n", flat[5], false), 0);
	assert_int_equal(known_matches_parse("A: 1 kB\nB(x): 2\n", mem[0], true), -ESTALE);
	assert_int_equal(known_matches_parse("A: 1 kB\nB(x): 2\n", mem[2], true), 0);
}

static void test_meminfo_hugepages_are_counts(void **state)
{
	struct rb_kvset *s = *state;

	assert_int_equal(rb_parse_meminfo("HugePages_Total:      12\n", s), 0);
	assert_int_equal(get(s, "HugePages_Total"), 12);
}

static void test_meminfo_skips_malformed_lines(void **state)
{
	struct rb_kvset *s = *state;

	assert_int_equal(rb_parse_meminfo("NoColon 5 kB\nBad:   x kB\nNode x Foo: 3 kB\n"
					  "Good:     7 kB\n", s), 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(get(s, "Good"), 7);
	assert_int_equal(get(s, "Node x Foo"), 3);
}

/* ---- lookups ---- */

static void test_hint_is_set_to_where_the_name_was_found(void **state)
{
	struct rb_kvset *s = *state;
	size_t hint = 0;
	uint64_t v;

	load_flat("vmstat-6.18.txt", s);
	assert_int_equal(rb_kvset_get(s, "pgfault", &hint, &v), 0);
	assert_string_equal(s->v[hint].name, "pgfault");
	assert_int_equal(v, 1490672);
}

/* A hint from one reading finds the field in the next reading of the same
 * file (same order) at the first try. */
static void test_hint_carries_over_to_next_reading(void **state)
{
	struct rb_kvset *s = *state;
	size_t hint = 0, first;
	uint64_t v;

	load_flat("vmstat-6.18.txt", s);
	assert_int_equal(rb_kvset_get(s, "compact_stall", &hint, &v), 0);
	first = hint;
	load_flat("vmstat-6.18.txt", s);
	assert_int_equal(rb_kvset_get(s, "compact_stall", &hint, &v), 0);
	assert_int_equal(hint, first);
	assert_int_equal(v, 0);
}

/* The hinted slot is tried first: with a duplicated name it wins. */
static void test_hint_is_tried_first(void **state)
{
	struct rb_kvset *s = *state;
	size_t hint = 2;
	uint64_t v;

	assert_int_equal(rb_parse_flat_kv("x 1\ny 2\nx 3\n", s), 0);
	assert_int_equal(rb_kvset_get(s, "x", &hint, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(hint, 2);
}

static void test_stale_hint_still_finds_the_name(void **state)
{
	struct rb_kvset *s = *state;
	size_t hint = 5;
	uint64_t v;

	load_flat("vmstat-4.19.txt", s);
	assert_int_equal(rb_kvset_get(s, "allocstall_normal", &hint, &v), 0);
	assert_int_equal(v, 39);
	assert_string_equal(s->v[hint].name, "allocstall_normal");
	hint = 100000;   /* beyond the end, e.g. from a longer file */
	assert_int_equal(rb_kvset_get(s, "nr_free_pages", &hint, &v), 0);
	assert_int_equal(hint, 0);
}

static void test_missing_name_leaves_hint_alone(void **state)
{
	struct rb_kvset *s = *state;
	size_t hint = 7;
	uint64_t v;

	load_flat("vmstat-3.8.txt", s);
	assert_int_equal(rb_kvset_get(s, "workingset_refault_file", &hint, &v), -ENOENT);
	assert_int_equal(hint, 7);
}

static void test_empty_set_has_nothing(void **state)
{
	struct rb_kvset *s = *state;
	size_t hint = 0;
	uint64_t v;

	assert_int_equal(rb_kvset_get(s, "pgfault", &hint, &v), -ENOENT);
	assert_int_equal(rb_parse_flat_kv("", s), 0);
	assert_int_equal(s->n, 0);
	assert_int_equal(rb_kvset_get(s, "pgfault", &hint, &v), -ENOENT);
}

static void test_clear_keeps_storage_free_resets(void **state)
{
	struct rb_kvset *s = *state;
	struct rb_kv *v;

	load_flat("vmstat-6.1.txt", s);
	v = s->v;
	rb_kvset_clear(s);
	assert_int_equal(s->n, 0);
	assert_ptr_equal(s->v, v);
	assert_true(s->cap >= 173);
	rb_kvset_free(s);
	assert_null(s->v);
	assert_int_equal(s->cap, 0);
	rb_kvset_free(s);
	rb_kvset_free(NULL);
}

/* ---- PSI ---- */

static void test_psi_fixtures(void **state)
{
	static const struct {
		const char *file;
		bool has_full;
		double some10, some60, some300, full10;
		uint64_t some_total, full_total;
	} cases[] = {
		/* an idle machine: both lines present, all zero */
		{ "pressure-memory-6.18.txt", true, 0, 0, 0, 0, 0, 0 },
		{ "pressure-io-6.18.txt", true, 0.72, 0.38, 0.40, 0.54, 2278816, 2167205 },
		/* since 5.13 the system-wide cpu file has a (zero) full line */
		{ "pressure-cpu-6.18.txt", true, 1.26, 0.59, 0.49, 0, 3140200, 0 },
		{ "pressure-memory-6.1.txt", true, 12.27, 3.57, 0.84, 12.13, 2741147, 2683981 },
		{ "pressure-io-6.1.txt", true, 0, 0, 0, 0, 0, 0 },
		{ "pressure-cpu-6.1.txt", true, 0.92, 1.31, 0.40, 0, 1582463, 0 },
		{ "memcg-v2-memory.pressure-6.1.txt", true, 10.62, 3.14, 0.74, 10.62, 2735700,
		  2735099 },
		{ "pressure-cpu-5.8.txt", false, 0, 0, 0, 0, 2344622763ULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rb_psi p;

		load_psi(cases[i].file, &p);
		assert_true(p.has_some);
		assert_int_equal(p.has_full, cases[i].has_full);
		assert_float_equal(p.some_avg10, cases[i].some10, 1e-9);
		assert_float_equal(p.some_avg60, cases[i].some60, 1e-9);
		assert_float_equal(p.some_avg300, cases[i].some300, 1e-9);
		assert_float_equal(p.full_avg10, cases[i].full10, 1e-9);
		assert_int_equal(p.some_total_us, cases[i].some_total);
		assert_int_equal(p.full_total_us, cases[i].full_total);
	}
}

/* Before 5.13 the cpu file had no "full" line. */
static void test_psi_cpu_5_8_has_no_full(void **state)
{
	struct rb_psi p;

	(void)state;
	load_psi("pressure-cpu-5.8.txt", &p);
	assert_true(p.has_some);
	assert_false(p.has_full);
	assert_int_equal(p.full_total_us, 0);
}

static void test_psi_without_some_is_invalid(void **state)
{
	struct rb_psi p;

	(void)state;
	assert_int_equal(rb_parse_psi("", &p), -EINVAL);
	assert_int_equal(rb_parse_psi("full avg10=0.00 avg60=0.00 avg300=0.00 total=5\n", &p),
			 -EINVAL);
	assert_false(p.has_some);
}

static void test_psi_incomplete_line_is_ignored(void **state)
{
	struct rb_psi p;

	(void)state;
	assert_int_equal(rb_parse_psi("some avg10=1.00 avg60=2.00 total=7\n", &p), -EINVAL);
	assert_int_equal(rb_parse_psi("some avg10=1.00 avg60=2.00 avg300=3.00 total=7\n"
				      "full avg10=x avg60=0.00 avg300=0.00 total=1\n", &p), 0);
	assert_false(p.has_full);
	assert_int_equal(p.some_total_us, 7);
}

static void test_psi_pct_of_interval(void **state)
{
	(void)state;
	/* 50 ms stalled in a 100 ms interval */
	assert_float_equal(rb_psi_pct(1000, 51000, 100000000), 50.0, 1e-9);
	assert_float_equal(rb_psi_pct(7, 7, 100000000), 0.0, 1e-12);
}

static void test_psi_pct_clamps_to_100(void **state)
{
	(void)state;
	/* totals are per-CPU sums of stalled time, so they can outrun the clock */
	assert_float_equal(rb_psi_pct(0, 200000, 100000000), 100.0, 1e-12);
}

static void test_psi_pct_backwards_counter_is_zero(void **state)
{
	(void)state;
	assert_float_equal(rb_psi_pct(51000, 1000, 100000000), 0.0, 1e-12);
}

static void test_psi_pct_zero_interval_is_zero(void **state)
{
	(void)state;
	assert_float_equal(rb_psi_pct(0, 1000, 0), 0.0, 1e-12);
}

/* ---- classification ---- */

struct kind {
	const char *name;
	bool counter;
};

static void test_vmstat_counter_or_level(void **state)
{
	static const struct kind cases[] = {
		{ "pgscan_direct", true }, { "pgsteal_kswapd", true }, { "allocstall", true },
		{ "allocstall_normal", true }, { "workingset_refault_file", true },
		{ "workingset_refault", true }, { "compact_stall", true }, { "numa_hit", true },
		{ "oom_kill", true }, { "thp_fault_fallback", true }, { "nr_dirtied", true },
		{ "nr_written", true }, { "nr_throttled_written", true },
		{ "nr_vmscan_write", true }, { "nr_vmscan_immediate_reclaim", true },
		{ "nr_foll_pin_acquired", true }, { "nr_foll_pin_released", true },
		{ "nr_free_pages", false }, { "nr_dirty", false }, { "nr_writeback", false },
		{ "nr_mlock", false }, { "nr_zone_active_file", false },
		{ "nr_dirty_threshold", false }, { "nr_unstable", false },
		{ "workingset_nodes", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (rb_vmstat_is_counter(cases[i].name) != cases[i].counter)
			fail_msg("%s should be a %s", cases[i].name,
				 cases[i].counter ? "counter" : "level");
	}
}

static void test_memcg_stat_counter_or_level(void **state)
{
	static const struct kind cases[] = {
		{ "pgfault", true }, { "pgmajfault", true }, { "pgscan", true },
		{ "pgsteal_direct", true }, { "pgrefill", true }, { "pgpgin", true },
		{ "workingset_refault_anon", true }, { "workingset_activate_file", true },
		{ "workingset_restore_file", true }, { "workingset_nodereclaim", true },
		{ "thp_fault_alloc", true }, { "zswpin", true }, { "zswpout", true },
		{ "total_pgpgout", true }, { "total_pgmajfault", true },
		{ "total_workingset_refault_file", true },
		{ "anon", false }, { "file", false }, { "shmem", false }, { "percpu", false },
		{ "pagetables", false }, { "anon_thp", false }, { "zswap", false },
		{ "zswapped", false }, { "slab_reclaimable", false }, { "inactive_file", false },
		{ "cache", false }, { "rss", false }, { "total_rss", false },
		{ "total_mapped_file", false }, { "hierarchical_memory_limit", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (rb_memcg_stat_is_counter(cases[i].name) != cases[i].counter)
			fail_msg("%s should be a %s", cases[i].name,
				 cases[i].counter ? "counter" : "level");
	}
}

/* ---- readers ---- */

static void test_read_path_grows_past_4k(void **state)
{
	const char *path = DATA "vm-6.1-transcript.txt";
	char *buf = NULL;
	size_t cap = 0;
	struct stat st;
	long n;

	(void)state;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 4096);
	n = rb_read_path(path, &buf, &cap);
	assert_int_equal(n, st.st_size);
	assert_true(cap > (size_t)n);
	assert_int_equal(strlen(buf), (size_t)n);
	assert_memory_equal(buf, "=== /proc/version\n", 18);
	assert_string_equal(buf + n - 8, "=== end\n");
	free(buf);
}

static void test_read_path_reuses_small_buffer(void **state)
{
	size_t cap = 16;
	char *buf = malloc(cap);
	long n;

	(void)state;
	assert_non_null(buf);
	n = rb_read_path(DATA "vmstat-6.18.txt", &buf, &cap);
	assert_true(n > 16);
	assert_true(cap > (size_t)n);
	assert_memory_equal(buf, "nr_free_pages ", 14);
	n = rb_read_path(DATA "pressure-cpu-5.8.txt", &buf, &cap);
	assert_int_equal(n, 56);
	assert_string_equal(buf, "some avg10=0.00 avg60=0.00 avg300=0.00 total=2344622763\n");
	free(buf);
}

/* The sampler keeps files open: each read starts at offset 0. */
static void test_read_fd_rereads_from_start(void **state)
{
	int fd = open(DATA "meminfo-6.1.txt", O_RDONLY);
	char *buf = NULL, scratch[10];
	size_t cap = 0;
	long first;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(read(fd, scratch, sizeof(scratch)), sizeof(scratch));
	first = rb_read_fd(fd, &buf, &cap);
	assert_int_equal(first, 1475);
	assert_int_equal(rb_read_fd(fd, &buf, &cap), first);
	assert_memory_equal(buf, "MemTotal:", 9);
	free(buf);
	(void)close(fd);
}

/* procfs hands out at most a page per read(); the loop must gather it all. */
static void test_read_path_procfs_longer_than_a_page(void **state)
{
	char *buf = NULL;
	size_t cap = 0;
	long n;

	(void)state;
	n = rb_read_path("/proc/self/smaps", &buf, &cap);
	assert_true(n > 4096);
	assert_int_equal(strlen(buf), (size_t)n);
	assert_non_null(strstr(buf, "\nRss:"));
	assert_int_equal(buf[n - 1], '\n');
	free(buf);
}

static void test_read_path_missing_file(void **state)
{
	char *buf = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(rb_read_path(DATA "no-such-file.txt", &buf, &cap), -ENOENT);
	free(buf);
}

/* Write `text` into a fresh temporary file; returns its path (static). */
static const char *tmp_file(const char *text)
{
	static char path[64];
	int fd;

	(void)snprintf(path, sizeof(path), "/tmp/rb-test-procfs-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	(void)close(fd);
	return path;
}

static void test_read_u64_values(void **state)
{
	const char *path = tmp_file("262144\n");
	uint64_t v = 0;

	(void)state;
	assert_int_equal(rb_read_u64(path, &v), 0);
	assert_int_equal(v, 262144);
	(void)unlink(path);
	path = tmp_file("18446744073709551615");
	assert_int_equal(rb_read_u64(path, &v), 0);
	assert_int_equal(v, UINT64_MAX);
	(void)unlink(path);
}

static void test_read_u64_real_sysctl(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(rb_read_u64("/proc/sys/vm/min_free_kbytes", &v), 0);
	assert_true(v > 0);
}

static void test_read_u64_rejects_non_numbers(void **state)
{
	static const char *const bad[] = { "max\n", "", "\n", "12 34\n", "-1\n", "7kB\n",
					   "18446744073709551616\n" };
	uint64_t v = 99;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *path = tmp_file(bad[i]);

		assert_int_equal(rb_read_u64(path, &v), -EINVAL);
		(void)unlink(path);
	}
	assert_int_equal(v, 99);
}

static void test_read_u64_missing_file(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(rb_read_u64(DATA "no-such-file.txt", &v), -ENOENT);
}

#define KV_TEST(t) cmocka_unit_test_setup_teardown(t, kv_setup, kv_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		KV_TEST(test_fixtures_parse_every_line),
		KV_TEST(test_fixture_values_by_name),
		KV_TEST(test_vmstat_6_18_lacks_old_fields),
		KV_TEST(test_vmstat_4_19_lacks_newer_fields),
		KV_TEST(test_vmstat_3_8_lacks_newer_fields),
		KV_TEST(test_meminfo_3x_lacks_memavailable),
		KV_TEST(test_meminfo_4_19_lacks_newer_fields),
		KV_TEST(test_node_meminfo_drops_node_prefix),
		KV_TEST(test_memcg_v2_stat_lacks_v1_and_newer_fields),
		KV_TEST(test_flat_skips_malformed_lines),
		KV_TEST(test_flat_last_line_without_newline),
		KV_TEST(test_flat_skips_names_too_long),
		KV_TEST(test_parse_replaces_previous_contents),
		cmocka_unit_test(test_known_layout_gives_the_values),
		cmocka_unit_test(test_known_layout_of_kernel_files),
		cmocka_unit_test(test_known_layout_changed_is_stale),
		cmocka_unit_test(test_known_layout_unusual_shapes),
		KV_TEST(test_meminfo_hugepages_are_counts),
		KV_TEST(test_meminfo_skips_malformed_lines),
		KV_TEST(test_hint_is_set_to_where_the_name_was_found),
		KV_TEST(test_hint_carries_over_to_next_reading),
		KV_TEST(test_hint_is_tried_first),
		KV_TEST(test_stale_hint_still_finds_the_name),
		KV_TEST(test_missing_name_leaves_hint_alone),
		KV_TEST(test_empty_set_has_nothing),
		KV_TEST(test_clear_keeps_storage_free_resets),
		cmocka_unit_test(test_psi_fixtures),
		cmocka_unit_test(test_psi_cpu_5_8_has_no_full),
		cmocka_unit_test(test_psi_without_some_is_invalid),
		cmocka_unit_test(test_psi_incomplete_line_is_ignored),
		cmocka_unit_test(test_psi_pct_of_interval),
		cmocka_unit_test(test_psi_pct_clamps_to_100),
		cmocka_unit_test(test_psi_pct_backwards_counter_is_zero),
		cmocka_unit_test(test_psi_pct_zero_interval_is_zero),
		cmocka_unit_test(test_vmstat_counter_or_level),
		cmocka_unit_test(test_memcg_stat_counter_or_level),
		cmocka_unit_test(test_read_path_grows_past_4k),
		cmocka_unit_test(test_read_path_reuses_small_buffer),
		cmocka_unit_test(test_read_fd_rereads_from_start),
		cmocka_unit_test(test_read_path_procfs_longer_than_a_page),
		cmocka_unit_test(test_read_path_missing_file),
		cmocka_unit_test(test_read_u64_values),
		cmocka_unit_test(test_read_u64_real_sysctl),
		cmocka_unit_test(test_read_u64_rejects_non_numbers),
		cmocka_unit_test(test_read_u64_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
