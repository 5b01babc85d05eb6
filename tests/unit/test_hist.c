/* test_hist.c - cmocka tests for hist.c: the log-linear bucket scheme,
 * percentiles, snapshots, interval diffs, merging and the .hist text format.
 * Fixtures: tests/data/hist/ (run from the repo root). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hist.h"

#define LAST (RB_HIST_BUCKETS - 1)
#define FIXTURES "tests/data/hist/"

/* Histograms are 18 KiB: keep them off the test's stack. */
struct ctx {
	struct rb_hist a, b, c, d;
};

static int setup(void **state)
{
	struct ctx *c = malloc(sizeof(*c));

	if (!c)
		return -1;
	rb_hist_init(&c->a);
	rb_hist_init(&c->b);
	rb_hist_init(&c->c);
	rb_hist_init(&c->d);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void assert_within_pct(uint64_t got, uint64_t want, double pct)
{
	double err = (double)got - (double)want;

	if (err < 0)
		err = -err;
	if (err > (double)want * pct / 100.0)
		fail_msg("%llu is not within %g%% of %llu", (unsigned long long)got, pct,
			 (unsigned long long)want);
}

static void test_bucket_bounds_consistent(void **state)
{
	(void)state;
	assert_int_equal(rb_hist_bucket_low(0), 0);
	for (unsigned i = 0; i < RB_HIST_BUCKETS; i++) {
		uint64_t low = rb_hist_bucket_low(i), high = rb_hist_bucket_high(i);

		assert_true(low <= high);
		assert_int_equal(rb_hist_index(low), i);
		assert_int_equal(rb_hist_index(high), i);
		assert_int_equal(rb_hist_index(low + (high - low) / 2), i);
		if (i < LAST)
			assert_int_equal(rb_hist_bucket_low(i + 1), high + 1);
	}
	assert_int_equal(rb_hist_bucket_high(LAST), UINT64_MAX);
}

static void test_small_values_exact(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 128; v++) {
		assert_int_equal(rb_hist_index(v), v);
		assert_int_equal(rb_hist_bucket_low((unsigned)v), v);
		assert_int_equal(rb_hist_bucket_high((unsigned)v), v);
	}
	assert_int_equal(rb_hist_bucket_low(128), 128);
	assert_int_equal(rb_hist_bucket_high(128), 129);
}

static void test_bucket_relative_width(void **state)
{
	(void)state;
	for (unsigned i = RB_HIST_SUB_COUNT; i < LAST; i++) {
		uint64_t width = rb_hist_bucket_high(i) - rb_hist_bucket_low(i) + 1;

		if (width * RB_HIST_SUB_COUNT > rb_hist_bucket_low(i))
			fail_msg("bucket %u is wider than 1/64 of its low bound", i);
	}
}

static void test_index_clamps_to_last_bucket(void **state)
{
	(void)state;
	assert_int_equal(rb_hist_bucket_low(LAST), 127ull << 34);
	assert_int_equal(rb_hist_index((1ull << 41) - 1), LAST);
	assert_int_equal(rb_hist_index(1ull << 41), LAST);
	assert_int_equal(rb_hist_index(UINT64_MAX), LAST);
	assert_int_equal(rb_hist_index((127ull << 34) - 1), LAST - 1);
}

static void test_empty(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(c->a.count, 0);
	assert_int_equal(c->a.min_ns, UINT64_MAX);
	assert_int_equal(c->a.max_ns, 0);
	assert_int_equal(rb_hist_percentile(&c->a, 50), 0);
	assert_int_equal(rb_hist_percentile(&c->a, 100), 0);
	assert_true(rb_hist_mean(&c->a) == 0.0);
}

static void test_single_value(void **state)
{
	struct ctx *c = *state;

	rb_hist_record(&c->a, 12345);
	assert_int_equal(c->a.count, 1);
	assert_int_equal(c->a.min_ns, 12345);
	assert_int_equal(c->a.max_ns, 12345);
	assert_int_equal(c->a.buckets[rb_hist_index(12345)], 1);
	/* the bucket is [12288, 12415], but the answer is clamped to [min, max] */
	assert_int_equal(rb_hist_percentile(&c->a, 0.01), 12345);
	assert_int_equal(rb_hist_percentile(&c->a, 50), 12345);
	assert_int_equal(rb_hist_percentile(&c->a, 100), 12345);
	assert_true(rb_hist_mean(&c->a) == 12345.0);
}

static void test_uniform_percentiles(void **state)
{
	struct ctx *c = *state;

	for (uint64_t v = 1; v <= 10000; v++)
		rb_hist_record(&c->a, v);
	assert_within_pct(rb_hist_percentile(&c->a, 50), 5000, 1);
	assert_within_pct(rb_hist_percentile(&c->a, 90), 9000, 1);
	assert_within_pct(rb_hist_percentile(&c->a, 99), 9900, 1);
	assert_within_pct(rb_hist_percentile(&c->a, 99.9), 9990, 1);
	assert_int_equal(rb_hist_percentile(&c->a, 100), 10000); /* clamped to max */
	assert_int_equal(rb_hist_percentile(&c->a, 0.01), 1);
}

/* With exact buckets, the rank is ceil(pct/100 * count) exactly. */
static void test_percentile_rank(void **state)
{
	struct ctx *c = *state;

	for (uint64_t v = 1; v <= 40; v++)
		rb_hist_record(&c->a, v);
	assert_int_equal(rb_hist_percentile(&c->a, 50), 20);
	assert_int_equal(rb_hist_percentile(&c->a, 90), 36);
	assert_int_equal(rb_hist_percentile(&c->a, 99), 40);  /* rank ceil(39.6) */
	assert_int_equal(rb_hist_percentile(&c->a, 2.5), 1);  /* rank exactly 1 */
	assert_int_equal(rb_hist_percentile(&c->a, 2.6), 2);  /* rank ceil(1.04) */
}

static void test_percentile_clamped_in_last_bucket(void **state)
{
	struct ctx *c = *state;
	const uint64_t huge = 1ull << 50; /* past the last bucket's nominal range */

	for (int i = 0; i < 99; i++)
		rb_hist_record(&c->a, 100);
	rb_hist_record(&c->a, huge);
	assert_int_equal(c->a.buckets[LAST], 1);
	assert_int_equal(rb_hist_percentile(&c->a, 99), 100);
	assert_int_equal(rb_hist_percentile(&c->a, 99.5), huge);
	assert_int_equal(rb_hist_percentile(&c->a, 100), huge);
}

static void test_mean(void **state)
{
	struct ctx *c = *state;

	rb_hist_record(&c->a, 10);
	rb_hist_record(&c->a, 20);
	rb_hist_record(&c->a, 1000000);
	assert_int_equal(c->a.sum_ns, 1000030);
	assert_true(rb_hist_mean(&c->a) == 1000030.0 / 3.0);
}

static void test_snapshot_copies(void **state)
{
	struct ctx *c = *state;

	rb_hist_record(&c->a, 7);
	rb_hist_record(&c->a, 70000);
	memset(&c->b, 0xff, sizeof(c->b));
	rb_hist_snapshot(&c->a, &c->b);
	assert_memory_equal(&c->a, &c->b, sizeof(c->a));
}

/* A writer thread records while the reader snapshots: every snapshot's
 * buckets hold at least the records its count says are done. */
static void *writer(void *arg)
{
	struct rb_hist *h = arg;

	for (uint64_t i = 0; i < 2000000; i++)
		rb_hist_record(h, i & 0xfffff);
	return NULL;
}

static void test_snapshot_while_writing(void **state)
{
	struct ctx *c = *state;
	uint64_t last = 0;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, writer, &c->a), 0);
	do {
		uint64_t total = 0;

		rb_hist_snapshot(&c->a, &c->b);
		for (unsigned i = 0; i < RB_HIST_BUCKETS; i++)
			total += c->b.buckets[i];
		assert_true(total >= c->b.count);
		assert_true(c->b.count >= last);
		last = c->b.count;
	} while (last < 2000000);
	assert_int_equal(pthread_join(t, NULL), 0);
}

static void test_diff_interval(void **state)
{
	struct ctx *c = *state;

	for (uint64_t v = 10; v <= 20; v++)
		rb_hist_record(&c->a, v);
	rb_hist_snapshot(&c->a, &c->b);
	rb_hist_record(&c->a, 1000);
	rb_hist_record(&c->a, 1003);
	rb_hist_record(&c->a, 5000);
	rb_hist_snapshot(&c->a, &c->c);
	rb_hist_diff(&c->c, &c->b, &c->d);
	assert_int_equal(c->d.count, 3);
	assert_int_equal(c->d.sum_ns, 7003);
	assert_int_equal(c->d.buckets[rb_hist_index(15)], 0);
	assert_int_equal(c->d.buckets[rb_hist_index(1000)], 2); /* bucket [1000, 1007] */
	assert_int_equal(c->d.buckets[rb_hist_index(5000)], 1);
	assert_int_equal(c->d.min_ns, 1000); /* low bound of the lowest bucket */
	assert_int_equal(c->d.max_ns, 5000); /* bucket [4992, 5055] narrowed by now's max */
	assert_int_equal(rb_hist_percentile(&c->d, 50), 1003);
	assert_int_equal(rb_hist_percentile(&c->d, 100), 5000);
}

static void test_diff_bucket_bounds(void **state)
{
	struct ctx *c = *state;

	rb_hist_record(&c->a, 5010);
	rb_hist_snapshot(&c->a, &c->b);
	rb_hist_record(&c->a, 100);
	rb_hist_record(&c->a, 300);
	rb_hist_snapshot(&c->a, &c->c);
	rb_hist_diff(&c->c, &c->b, &c->d);
	/* now's max (5010) is not in the interval: the bucket bound of 300 stays */
	assert_int_equal(c->d.min_ns, 100);
	assert_int_equal(c->d.max_ns, rb_hist_bucket_high(rb_hist_index(300)));
	assert_int_equal(c->d.max_ns, 303);
}

static void test_diff_empty_interval(void **state)
{
	struct ctx *c = *state;

	rb_hist_record(&c->a, 42);
	rb_hist_snapshot(&c->a, &c->b);
	rb_hist_diff(&c->b, &c->b, &c->d);
	assert_int_equal(c->d.count, 0);
	assert_int_equal(c->d.sum_ns, 0);
	assert_int_equal(c->d.min_ns, UINT64_MAX);
	assert_int_equal(c->d.max_ns, 0);
	assert_int_equal(rb_hist_percentile(&c->d, 99), 0);
}

static void test_merge(void **state)
{
	struct ctx *c = *state;

	for (uint64_t v = 1; v <= 5000; v++)
		rb_hist_record(&c->a, v);
	for (uint64_t v = 5001; v <= 10000; v++)
		rb_hist_record(&c->b, v);
	rb_hist_merge(&c->a, &c->b);
	assert_int_equal(c->a.count, 10000);
	assert_int_equal(c->a.sum_ns, 50005000);
	assert_int_equal(c->a.min_ns, 1);
	assert_int_equal(c->a.max_ns, 10000);
	assert_int_equal(c->a.buckets[rb_hist_index(9999)], c->b.buckets[rb_hist_index(9999)]);
	assert_within_pct(rb_hist_percentile(&c->a, 99), 9900, 1);
}

static void test_merge_into_empty(void **state)
{
	struct ctx *c = *state;

	rb_hist_record(&c->b, 3);
	rb_hist_record(&c->b, 3000000);
	rb_hist_merge(&c->a, &c->b);
	assert_memory_equal(&c->a, &c->b, sizeof(c->a));
}

/* Write h to a temporary file and return it rewound. */
static FILE *written(const struct rb_hist *h, const char *name)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(rb_hist_write(h, f, name), 0);
	rewind(f);
	return f;
}

static void test_write_format(void **state)
{
	static const char want[] =
		"# reclaimbench latency histogram v1\n"
		"# name: hog-touch\n"
		"# unit: ns\n"
		"# scheme: log-linear sub_bits=6 groups=36 (values < 64 exact; above, 64 linear "
		"bins per power of two)\n"
		"# count: 3  sum_ns: 5010  min_ns: 5  max_ns: 5000\n"
		"# p50_ns: 5  p90_ns: 5000  p99_ns: 5000  p99.9_ns: 5000  p99.99_ns: 5000\n"
		"# columns: low_ns high_ns count\n"
		"5\t5\t2\n"
		"4992\t5055\t1\n";
	struct ctx *c = *state;
	char got[sizeof(want) + 64] = "";
	FILE *f;

	rb_hist_record(&c->a, 5);
	rb_hist_record(&c->a, 5);
	rb_hist_record(&c->a, 5000);
	f = written(&c->a, "hog-touch");
	assert_int_equal(fread(got, 1, sizeof(got) - 1, f), sizeof(want) - 1);
	assert_string_equal(got, want);
	(void)fclose(f);
}

static void test_write_read_round_trip(void **state)
{
	static const uint64_t values[] = { 0, 1, 63, 64, 65, 1000, 123456789, 1ull << 40,
					   1ull << 50, 1ull << 55 };
	struct ctx *c = *state;
	FILE *f;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		for (size_t n = 0; n <= i; n++)
			rb_hist_record(&c->a, values[i]);
	f = written(&c->a, "service-access");
	memset(&c->b, 0x5a, sizeof(c->b));
	assert_int_equal(rb_hist_read(f, &c->b), 0);
	assert_memory_equal(&c->a, &c->b, sizeof(c->a));
	(void)fclose(f);
}

static void test_empty_round_trip(void **state)
{
	struct ctx *c = *state;
	FILE *f = written(&c->a, "idle");

	memset(&c->b, 0x5a, sizeof(c->b));
	assert_int_equal(rb_hist_read(f, &c->b), 0);
	assert_memory_equal(&c->a, &c->b, sizeof(c->a));
	assert_int_equal(c->b.min_ns, UINT64_MAX);
	(void)fclose(f);
}

static int read_fixture(const char *name, struct rb_hist *h)
{
	char path[256];
	FILE *f;
	int ret;

	(void)snprintf(path, sizeof(path), FIXTURES "%s", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the repo root)", path);
	ret = rb_hist_read(f, h);
	(void)fclose(f);
	return ret;
}

static void test_read_fixture(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(read_fixture("sample.hist", &c->a), 0);
	assert_int_equal(c->a.count, 6);
	assert_int_equal(c->a.sum_ns, 1125899906848734ull);
	assert_int_equal(c->a.min_ns, 5);
	assert_int_equal(c->a.max_ns, 1ull << 50);
	assert_int_equal(c->a.buckets[5], 2);
	assert_int_equal(c->a.buckets[rb_hist_index(1000)], 1);
	assert_int_equal(c->a.buckets[LAST], 1);
	assert_int_equal(rb_hist_percentile(&c->a, 50), 100);
	assert_int_equal(rb_hist_percentile(&c->a, 99), 1ull << 50);
}

static void test_read_wrong_scheme_fails(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(read_fixture("wrong-scheme.hist", &c->a), -EINVAL);
}

static void test_read_missing_scheme_fails(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(read_fixture("missing-scheme.hist", &c->a), -EINVAL);
}

static void test_read_bad_bucket_fails(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(read_fixture("bad-bucket.hist", &c->a), -EINVAL);
}

static void test_read_unsorted_buckets_fails(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(read_fixture("unsorted.hist", &c->a), -EINVAL);
}

static void test_read_truncated_fails(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(read_fixture("truncated.hist", &c->a), -EINVAL);
}

static void test_read_other_file_fails(void **state)
{
	struct ctx *c = *state;
	FILE *f = tmpfile();

	assert_non_null(f);
	(void)fputs("low\thigh\tcount\n5\t5\t2\n", f);
	rewind(f);
	assert_int_equal(rb_hist_read(f, &c->a), -EINVAL);
	(void)fclose(f);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bucket_bounds_consistent),
		T(test_small_values_exact),
		T(test_bucket_relative_width),
		T(test_index_clamps_to_last_bucket),
		T(test_empty),
		T(test_single_value),
		T(test_uniform_percentiles),
		T(test_percentile_rank),
		T(test_percentile_clamped_in_last_bucket),
		T(test_mean),
		T(test_snapshot_copies),
		T(test_snapshot_while_writing),
		T(test_diff_interval),
		T(test_diff_bucket_bounds),
		T(test_diff_empty_interval),
		T(test_merge),
		T(test_merge_into_empty),
		T(test_write_format),
		T(test_write_read_round_trip),
		T(test_empty_round_trip),
		T(test_read_fixture),
		T(test_read_wrong_scheme_fails),
		T(test_read_missing_scheme_fails),
		T(test_read_bad_bucket_fails),
		T(test_read_unsorted_buckets_fails),
		T(test_read_truncated_fails),
		T(test_read_other_file_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
