/* test_anon_hog.c - cmocka tests for the anon-hog workload: the random
 * bytes of a `compressible` page for a target ratio (and what a page filled
 * that way looks like to a compressor: its zero bytes), the time-paced
 * schedule of cold reads with its bounded catch-up, the choice of cold
 * pages, the option table (ratio, cold_rate, their bounds, the unchanged
 * defaults), and a few short real runs of the workload through its ops
 * table with a fake worker: cold reads at the set rate, none without a
 * cold share, only cold reads with hot = 0, and a prompt stop. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../../workloads/anon_hog.h"
#include "options.h"
#include "workload.h"
#include "workloads.h"

#define PAGE 4096
#define MIB (1024ull * 1024)
#define MS 1000000ull
#define S (1000 * MS)
#define LAG S /* the max lag the workload uses */

/* ---- the fill of a compressible page ---- */

static void test_random_bytes_is_the_page_over_the_ratio(void **state)
{
	(void)state;
	assert_int_equal(rb_ah_random_bytes(PAGE, 1), 4096);
	assert_int_equal(rb_ah_random_bytes(PAGE, 4), 1024);
	assert_int_equal(rb_ah_random_bytes(PAGE, 8), 512);
	assert_int_equal(rb_ah_random_bytes(PAGE, 64), 64);
	assert_int_equal(rb_ah_random_bytes(PAGE, 3), 1365); /* rounded down */
	assert_int_equal(rb_ah_random_bytes(PAGE, 0.5), 4096); /* below 1 counts as 1 */
}

/* Fill n bytes of a page that holds `fill` everywhere; return the bytes of
 * [0, n) still equal to `fill`, and check [n, PAGE) was not touched. */
static size_t fill_over(uint8_t *page, size_t n, uint8_t fill)
{
	uint64_t rng = 12345;
	size_t same = 0;

	memset(page, fill, PAGE);
	rb_ah_fill_random(page, n, &rng);
	for (size_t i = n; i < PAGE; i++)
		assert_int_equal(page[i], fill);
	for (size_t i = 0; i < n; i++)
		same += page[i] == fill;
	return same;
}

static void test_fill_writes_exactly_n_random_bytes(void **state)
{
	static uint8_t page[PAGE];

	(void)state;
	/* a random byte equals the old one 1 time in 256: a written run keeps
	 * a handful, an unwritten one all of them */
	assert_true(fill_over(page, 1024, 0xa5) < 1024 / 32);
	assert_true(fill_over(page, 1365, 0x5a) < 1365 / 32); /* not a word multiple */
	assert_true(fill_over(page, 3, 0x77) < 3);
	assert_int_equal(fill_over(page, 0, 0x11), 0);
}

/* Zero bytes of a fresh (zero) page filled for `ratio`. */
static size_t zeros_after_fill(double ratio, uint64_t seed)
{
	static uint8_t page[PAGE];
	uint64_t rng = seed;
	size_t zeros = 0;

	memset(page, 0, sizeof(page));
	rb_ah_fill_random(page, rb_ah_random_bytes(PAGE, ratio), &rng);
	for (size_t i = 0; i < PAGE; i++)
		zeros += page[i] == 0;
	return zeros;
}

/* The measure a zero-run compressor sees: non-zero bytes are what is left
 * to store; PAGE / stored is its ratio. Each ratio within 3% of the target. */
static void test_compressible_page_compresses_about_ratio(void **state)
{
	static const double ratios[] = { 1, 4, 8 };

	(void)state;
	for (size_t i = 0; i < sizeof(ratios) / sizeof(ratios[0]); i++) {
		size_t n = rb_ah_random_bytes(PAGE, ratios[i]);
		size_t stored = PAGE - zeros_after_fill(ratios[i], 77 + i);
		double got = (double)PAGE / (double)stored;

		assert_true(stored <= n);
		assert_true(stored >= n - n / 32); /* random zeros: ~n/256 */
		assert_true(fabs(got - ratios[i]) < 0.03 * ratios[i]);
	}
}

static void test_random_part_is_incompressible(void **state)
{
	uint8_t buf[1024];
	bool seen[256] = { false };
	uint64_t rng = 99;
	unsigned distinct = 0;

	(void)state;
	rb_ah_fill_random(buf, sizeof(buf), &rng);
	for (size_t i = 0; i < sizeof(buf); i++) {
		distinct += !seen[buf[i]];
		seen[buf[i]] = true;
	}
	/* 1024 uniform bytes cover ~252 of 256 values; a pattern far fewer */
	assert_true(distinct > 230);
}

/* ---- the cold-read schedule ---- */

static void test_cold_reads_due_after_t_at_rate(void **state)
{
	struct rb_ah_cold_clock c;

	(void)state;
	rb_ah_cold_start(&c, 5 * S, 100, LAG);
	assert_int_equal(rb_ah_cold_take(&c, 5 * S), 0);
	assert_int_equal(rb_ah_cold_take(&c, 5 * S + 10 * MS - 1), 0);
	assert_int_equal(rb_ah_cold_take(&c, 5 * S + 10 * MS), 1);
	rb_ah_cold_start(&c, 5 * S, 100, LAG);
	assert_int_equal(rb_ah_cold_take(&c, 6 * S), 100);
	rb_ah_cold_start(&c, 0, 2500, LAG);
	assert_int_equal(rb_ah_cold_take(&c, 400 * MS), 1000);
	assert_int_equal(c.skipped, 0);
}

static void test_cold_fractional_rate(void **state)
{
	struct rb_ah_cold_clock c;

	(void)state;
	rb_ah_cold_start(&c, 0, 0.5, LAG);
	assert_int_equal(rb_ah_cold_take(&c, 1999 * MS), 0);
	assert_int_equal(rb_ah_cold_take(&c, 2 * S), 1);
	assert_int_equal(rb_ah_cold_take(&c, 3 * S), 0);
	assert_int_equal(rb_ah_cold_take(&c, 4 * S), 1);
}

static void test_cold_each_read_is_handed_out_once(void **state)
{
	struct rb_ah_cold_clock c;
	uint64_t sum = 0;

	(void)state;
	rb_ah_cold_start(&c, 0, 333, LAG);
	for (uint64_t t = 0; t <= S; t += 4 * MS)
		sum += rb_ah_cold_take(&c, t);
	assert_int_equal(sum, 333);
	assert_int_equal(c.done, 333);
}

static void test_cold_rate_zero_is_never_due(void **state)
{
	struct rb_ah_cold_clock c;

	(void)state;
	rb_ah_cold_start(&c, 0, 0, LAG);
	assert_int_equal(rb_ah_cold_take(&c, 3600 * S), 0);
	assert_true(rb_ah_cold_next(&c) == UINT64_MAX);
	rb_ah_cold_start(&c, 0, -5, LAG);
	assert_int_equal(rb_ah_cold_take(&c, 3600 * S), 0);
	assert_true(rb_ah_cold_next(&c) == UINT64_MAX);
}

static void test_cold_nothing_due_before_t0(void **state)
{
	struct rb_ah_cold_clock c;

	(void)state;
	rb_ah_cold_start(&c, 10 * S, 1000, LAG);
	assert_int_equal(rb_ah_cold_take(&c, 3 * S), 0);
	assert_int_equal(c.done, 0);
}

static void test_cold_backlog_beyond_max_lag_is_forgiven(void **state)
{
	struct rb_ah_cold_clock c;

	(void)state;
	rb_ah_cold_start(&c, 0, 100, LAG);
	/* a 5 s stall: 500 due, one second's worth caught up */
	assert_int_equal(rb_ah_cold_take(&c, 5 * S), 100);
	assert_int_equal(c.skipped, 400);
	/* and the schedule goes on from there, not from the restart */
	assert_int_equal(rb_ah_cold_take(&c, 5 * S + 10 * MS), 1);
}

static void test_cold_slow_rate_catches_up_one(void **state)
{
	struct rb_ah_cold_clock c;

	(void)state;
	rb_ah_cold_start(&c, 0, 0.5, LAG); /* less than one read per max lag */
	assert_int_equal(rb_ah_cold_take(&c, 10 * S), 1);
	assert_int_equal(c.skipped, 4);
}

static void test_cold_next_is_when_the_next_read_falls_due(void **state)
{
	static const double rates[] = { 0.5, 3, 100, 333, 10000, 1e6 };

	(void)state;
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct rb_ah_cold_clock c;

		rb_ah_cold_start(&c, 7 * S, rates[i], LAG);
		for (int k = 0; k < 1000; k++) {
			uint64_t next = rb_ah_cold_next(&c);

			assert_int_equal(rb_ah_cold_take(&c, next - 2), 0);
			assert_int_equal(rb_ah_cold_take(&c, next), 1);
		}
		assert_int_equal(c.skipped, 0);
	}
}

/* ---- the choice of cold pages ---- */

static void test_cold_pick_stays_in_the_cold_share(void **state)
{
	unsigned hits[60] = { 0 };
	uint64_t rng = 42;

	(void)state;
	for (int i = 0; i < 12000; i++) {
		size_t p = rb_ah_cold_pick(100, 160, &rng);

		assert_true(p >= 100 && p < 160);
		hits[p - 100]++;
	}
	for (size_t i = 0; i < 60; i++)
		assert_true(hits[i] > 100); /* ~200 each: all of the share is read */
}

static void test_cold_pick_one_cold_page(void **state)
{
	uint64_t rng = 1;

	(void)state;
	for (int i = 0; i < 100; i++)
		assert_int_equal(rb_ah_cold_pick(9, 10, &rng), 9);
}

/* ---- the option table ---- */

struct opts {
	void *cfg;
	char err[256];
};

static int opts_setup(void **state)
{
	struct opts *o = calloc(1, sizeof(*o));

	assert_non_null(o);
	o->cfg = calloc(1, rb_wl_anon_hog.config_size);
	assert_non_null(o->cfg);
	assert_int_equal(rb_options_defaults(rb_wl_anon_hog.options, o->cfg, 1024 * MIB, o->err,
					     sizeof(o->err)), 0);
	*state = o;
	return 0;
}

static int opts_teardown(void **state)
{
	struct opts *o = *state;

	free(o->cfg);
	free(o);
	return 0;
}

static const struct rb_option *hog_opt(const char *name)
{
	const struct rb_option *opt = rb_option_find(rb_wl_anon_hog.options, name);

	assert_non_null(opt);
	return opt;
}

static int set(struct opts *o, const char *name, const char *value)
{
	return rb_option_set(hog_opt(name), o->cfg, value, 1024 * MIB, o->err, sizeof(o->err));
}

static double get_double(struct opts *o, const char *name)
{
	return *(const double *)(const void *)((const char *)o->cfg + hog_opt(name)->offset);
}

static void test_option_defaults(void **state)
{
	struct opts *o = *state;
	const struct rb_option *size = hog_opt("size"), *fill = hog_opt("fill");

	assert_true(get_double(o, "ratio") == 4);
	assert_true(get_double(o, "cold_rate") == 0);
	assert_true(get_double(o, "hot") == 1);
	assert_int_equal(*(const int *)(const void *)((const char *)o->cfg + fill->offset), 0);
	assert_int_equal(*(const uint64_t *)(const void *)((const char *)o->cfg + size->offset),
			 512 * MIB);
}

static void test_options_accept_ratio_and_cold_rate(void **state)
{
	struct opts *o = *state;

	assert_int_equal(set(o, "ratio", "8"), 0);
	assert_true(get_double(o, "ratio") == 8);
	assert_int_equal(set(o, "ratio", "2.5"), 0);
	assert_true(get_double(o, "ratio") == 2.5);
	assert_int_equal(set(o, "ratio", "1"), 0);
	assert_int_equal(set(o, "ratio", "64"), 0);
	assert_int_equal(set(o, "cold_rate", "500"), 0);
	assert_true(get_double(o, "cold_rate") == 500);
	assert_int_equal(set(o, "cold_rate", "0.25"), 0);
	assert_int_equal(set(o, "fill", "compressible"), 0);
}

static void test_options_reject_out_of_range(void **state)
{
	struct opts *o = *state;

	assert_int_equal(set(o, "ratio", "0.5"), -ERANGE);
	assert_int_equal(set(o, "ratio", "65"), -ERANGE);
	assert_int_equal(set(o, "ratio", "four"), -EINVAL);
	assert_int_equal(set(o, "cold_rate", "-1"), -ERANGE);
	assert_int_equal(set(o, "cold_rate", "2000000"), -ERANGE);
	assert_true(get_double(o, "ratio") == 4); /* unchanged by the failures */
	assert_true(get_double(o, "cold_rate") == 0);
}

static void test_histogram_names(void **state)
{
	const char *const *names = rb_wl_anon_hog.hist_names;

	(void)state;
	assert_string_equal(names[0], "touch");
	assert_string_equal(names[1], "cold");
	assert_string_equal(names[2], "swapin");
	assert_null(names[3]);
	assert_true(3 <= RB_MAX_HISTS);
}

/* ---- real runs through the ops table ---- */

enum { H_TOUCH, H_COLD, H_SWAPIN };

struct stopper {
	struct rb_worker_shm *shm;
	uint64_t after_ns, t_stop;
};

static void *stop_later(void *arg)
{
	struct stopper *s = arg;
	struct timespec ts = { (time_t)(s->after_ns / S), (long)(s->after_ns % S) };

	(void)nanosleep(&ts, NULL);
	s->t_stop = rb_now_ns();
	atomic_store(&s->shm->stop, 1);
	return NULL;
}

/* A worker on a config made of the defaults and name=value pairs. */
static struct rb_worker *make_worker(const char *const *kv)
{
	struct rb_worker *w = calloc(1, sizeof(*w));
	void *cfg = calloc(1, rb_wl_anon_hog.config_size);
	char err[256];

	assert_non_null(w);
	assert_non_null(cfg);
	assert_int_equal(rb_options_defaults(rb_wl_anon_hog.options, cfg, 64 * MIB, err,
					     sizeof(err)), 0);
	for (; kv[0]; kv += 2)
		assert_int_equal(rb_option_set(hog_opt(kv[0]), cfg, kv[1], 64 * MIB, err,
					       sizeof(err)), 0);
	*w = (struct rb_worker){ .name = "hog", .spec_name = "hog", .ops = &rb_wl_anon_hog,
				 .config = cfg, .node = -1, .seed = 7, .memory = 64 * MIB };
	w->shm = calloc(1, sizeof(*w->shm));
	assert_non_null(w->shm);
	for (unsigned i = 0; i < RB_MAX_HISTS; i++)
		rb_hist_init(&w->shm->hist[i]);
	return w;
}

/* setup(), run() until stopped after_ns in, teardown(); returns the time
 * from the stop flag to run()'s return and the run time in *ran_ns. */
static uint64_t run_for(struct rb_worker *w, uint64_t after_ns, uint64_t *ran_ns)
{
	struct stopper s = { .shm = w->shm, .after_ns = after_ns };
	pthread_t th;
	uint64_t t0, t_end;

	assert_int_equal(w->ops->setup(w), RB_EXIT_OK);
	t0 = rb_now_ns();
	assert_int_equal(pthread_create(&th, NULL, stop_later, &s), 0);
	assert_int_equal(w->ops->run(w), RB_EXIT_OK);
	t_end = rb_now_ns();
	assert_int_equal(pthread_join(th, NULL), 0);
	w->ops->teardown(w);
	if (ran_ns)
		*ran_ns = s.t_stop - t0;
	return t_end - s.t_stop;
}

static void free_worker(struct rb_worker *w)
{
	free(w->shm);
	free((void *)w->config);
	free(w);
}

static void test_run_reads_cold_pages_at_cold_rate(void **state)
{
	static const char *const kv[] = { "size", "4M", "hot", "0.5", "cold_rate", "1000",
					  "fill", "compressible", "ratio", "8", NULL };
	struct rb_worker *w = make_worker(kv);
	uint64_t ran, cold;

	(void)state;
	(void)run_for(w, 300 * MS, &ran);
	cold = w->shm->hist[H_COLD].count;
	assert_true(cold >= 100);                    /* ~290 expected */
	assert_true(cold <= ran * 1000 / S + 1);     /* never ahead of the rate */
	assert_true(w->shm->hist[H_SWAPIN].count <= cold);
	assert_true(w->shm->hist[H_TOUCH].count > 2); /* fill is 2 batches, then re-touches */
	free_worker(w);
}

static void test_run_without_cold_share_ignores_cold_rate(void **state)
{
	static const char *const kv[] = { "size", "4M", "hot", "1", "cold_rate", "1000", NULL };
	struct rb_worker *w = make_worker(kv);

	(void)state;
	(void)run_for(w, 150 * MS, NULL);
	assert_int_equal(w->shm->hist[H_COLD].count, 0);
	assert_int_equal(w->shm->hist[H_SWAPIN].count, 0);
	assert_true(w->shm->hist[H_TOUCH].count > 2);
	free_worker(w);
}

static void test_run_with_hot_zero_only_reads_cold(void **state)
{
	static const char *const kv[] = { "size", "4M", "hot", "0", "cold_rate", "1000", NULL };
	struct rb_worker *w = make_worker(kv);

	(void)state;
	(void)run_for(w, 200 * MS, NULL);
	assert_int_equal(w->shm->hist[H_TOUCH].count, 2); /* the fill's two 2M batches */
	assert_int_equal(w->shm->counters[RB_CTR_BYTES], 4 * MIB);
	assert_true(w->shm->hist[H_COLD].count >= 50);
	free_worker(w);
}

static void test_run_stops_promptly_between_slow_cold_reads(void **state)
{
	static const char *const kv[] = { "size", "4M", "hot", "0", "cold_rate", "0.2", NULL };
	struct rb_worker *w = make_worker(kv);

	(void)state;
	/* the next read is 5 s away: run() must still return within ~50 ms */
	assert_true(run_for(w, 100 * MS, NULL) < 200 * MS);
	free_worker(w);
}

static void test_run_stops_promptly_in_the_hot_loop(void **state)
{
	static const char *const kv[] = { "size", "4M", "hot", "0.5", "cold_rate", "50",
					  "rate", "1M", NULL };
	struct rb_worker *w = make_worker(kv);

	(void)state;
	/* rate-limited: the fill alone takes 4 s, sleeping between batches */
	assert_true(run_for(w, 100 * MS, NULL) < 200 * MS);
	free_worker(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_bytes_is_the_page_over_the_ratio),
		cmocka_unit_test(test_fill_writes_exactly_n_random_bytes),
		cmocka_unit_test(test_compressible_page_compresses_about_ratio),
		cmocka_unit_test(test_random_part_is_incompressible),
		cmocka_unit_test(test_cold_reads_due_after_t_at_rate),
		cmocka_unit_test(test_cold_fractional_rate),
		cmocka_unit_test(test_cold_each_read_is_handed_out_once),
		cmocka_unit_test(test_cold_rate_zero_is_never_due),
		cmocka_unit_test(test_cold_nothing_due_before_t0),
		cmocka_unit_test(test_cold_backlog_beyond_max_lag_is_forgiven),
		cmocka_unit_test(test_cold_slow_rate_catches_up_one),
		cmocka_unit_test(test_cold_next_is_when_the_next_read_falls_due),
		cmocka_unit_test(test_cold_pick_stays_in_the_cold_share),
		cmocka_unit_test(test_cold_pick_one_cold_page),
		cmocka_unit_test_setup_teardown(test_option_defaults, opts_setup, opts_teardown),
		cmocka_unit_test_setup_teardown(test_options_accept_ratio_and_cold_rate,
						opts_setup, opts_teardown),
		cmocka_unit_test_setup_teardown(test_options_reject_out_of_range, opts_setup,
						opts_teardown),
		cmocka_unit_test(test_histogram_names),
		cmocka_unit_test(test_run_reads_cold_pages_at_cold_rate),
		cmocka_unit_test(test_run_without_cold_share_ignores_cold_rate),
		cmocka_unit_test(test_run_with_hot_zero_only_reads_cold),
		cmocka_unit_test(test_run_stops_promptly_between_slow_cold_reads),
		cmocka_unit_test(test_run_stops_promptly_in_the_hot_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
