/* test_sampler.c - unit tests for the sampler's private parts: the dirty
 * peak (harness/sampler_totals.c: Dirty and Dirty + Writeback against the
 * dirty threshold, tick by tick, with its skipped ticks and absent fields),
 * the samples.tsv row buffer (harness/sampler_row.c: number formatting,
 * kept segments, rows written together on a flush) and a source's columns
 * (harness/sampler_source.c) over readings whose fields come and go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"
#include "sampler.h"
#include "../../harness/sampler_row.h"
#include "../../harness/sampler_source.h"

#define PAGE 4096u

#define assert_near(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))

/* 1000 pages of 4 KiB: a threshold of 4000 kB. */
static const uint64_t thr = 1000;

static void peak_is_the_highest_tick(void **state)
{
	struct rb_dirty_peak p = { 0 };
	uint64_t d[] = { 1000, 3600, 2000 }, w[] = { 400, 0, 2400 };

	(void)state;
	for (int i = 0; i < 3; i++)
		rb_dirty_peak_add(&p, &d[i], &w[i], &thr, PAGE);
	assert_true(p.has_dirty && p.has_dirty_writeback);
	assert_near(p.dirty_pct, 90.0, 1e-9);           /* 3600 of 4000 */
	assert_near(p.dirty_writeback_pct, 110.0, 1e-9); /* 2000 + 2400 */
}

static void zero_threshold_tick_is_skipped(void **state)
{
	struct rb_dirty_peak p = { 0 };
	uint64_t low = 400, high = 8000, zero = 0;

	(void)state;
	rb_dirty_peak_add(&p, &low, &low, &thr, PAGE);
	rb_dirty_peak_add(&p, &high, &high, &zero, PAGE);
	assert_near(p.dirty_pct, 10.0, 1e-9);
	assert_near(p.dirty_writeback_pct, 20.0, 1e-9);
}

static void no_threshold_leaves_figures_absent(void **state)
{
	struct rb_dirty_peak p = { 0 };
	uint64_t d = 100, zero = 0;

	(void)state;
	rb_dirty_peak_add(&p, &d, &d, NULL, PAGE);
	rb_dirty_peak_add(&p, &d, &d, &zero, PAGE);
	assert_false(p.has_dirty);
	assert_false(p.has_dirty_writeback);
}

static void no_writeback_gives_dirty_only(void **state)
{
	struct rb_dirty_peak p = { 0 };
	uint64_t d = 2000;

	(void)state;
	rb_dirty_peak_add(&p, &d, NULL, &thr, PAGE);
	assert_true(p.has_dirty);
	assert_near(p.dirty_pct, 50.0, 1e-9);
	assert_false(p.has_dirty_writeback);
}

static void no_dirty_gives_nothing(void **state)
{
	struct rb_dirty_peak p = { 0 };
	uint64_t w = 2000;

	(void)state;
	rb_dirty_peak_add(&p, NULL, &w, &thr, PAGE);
	assert_false(p.has_dirty);
	assert_false(p.has_dirty_writeback);
}

static void peak_of_zero_dirty_is_zero_not_absent(void **state)
{
	struct rb_dirty_peak p = { 0 };
	uint64_t zero = 0;

	(void)state;
	rb_dirty_peak_add(&p, &zero, &zero, &thr, PAGE);
	assert_true(p.has_dirty && p.has_dirty_writeback);
	assert_near(p.dirty_pct, 0.0, 0);
}

/* ---- samples.tsv rows (sampler_row.c) ---- */

/* The row's text so far, NUL-terminated. */
static const char *row_text(struct rb_row *r)
{
	static char text[512];

	assert_true(r->len < sizeof(text));
	memcpy(text, r->buf, r->len);
	text[r->len] = '\0';
	return text;
}

static void row_numbers_are_formatted_like_printf(void **state)
{
	struct rb_row r = { 0 };

	(void)state;
	rb_row_start(&r, 12.3456);
	rb_row_num(&r, 0, 2);
	rb_row_num(&r, 109.555, 2);
	rb_row_num(&r, -3.2, 1);
	rb_row_num(&r, -0.004, 2);
	rb_row_num(&r, 0.5, 3);
	rb_row_num(&r, 4096, 0);
	rb_row_num(&r, NAN, 2);
	rb_row_num(&r, 1e17, 2);
	rb_row_u64(&r, 0);
	rb_row_u64(&r, UINT64_MAX);
	rb_row_nan(&r, 2);
	assert_string_equal(row_text(&r), "12.346\t0.00\t109.56\t-3.2\t0.00\t0.500\t4096\tNaN"
					  "\t1e+17\t0\t18446744073709551615\tNaN\tNaN");
	rb_row_free(&r);
}

static void row_segment_is_appended_as_kept(void **state)
{
	struct rb_row r = { 0 }, seg = { 0 };

	(void)state;
	rb_row_u64(&seg, 7);
	rb_row_num(&seg, 1.5, 1);
	rb_row_start(&r, 0);
	rb_row_append(&r, &seg);
	rb_row_append(&r, &seg);
	assert_string_equal(row_text(&r), "0.000\t7\t1.5\t7\t1.5");
	rb_row_clear(&seg);
	assert_int_equal(seg.len, 0);
	rb_row_free(&r);
	rb_row_free(&seg);
}

static void rows_are_written_together_on_flush(void **state)
{
	struct rb_row r = { 0 };
	char buf[128] = "";
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	rb_row_start(&r, 0.1);
	rb_row_u64(&r, 1);
	assert_int_equal(rb_row_end(&r), 0);
	rb_row_start(&r, 0.2);
	rb_row_u64(&r, 2);
	assert_int_equal(rb_row_end(&r), 0);
	rb_row_start(&r, 0.3); /* not ended: not written */
	assert_int_equal(rb_row_flush(&r, fds[1]), 0);
	assert_int_equal(read(fds[0], buf, sizeof(buf) - 1), 16);
	assert_string_equal(buf, "0.100\t1\n0.200\t2\n");
	assert_int_equal(r.len, 0);
	(void)close(fds[0]);
	(void)close(fds[1]);
	rb_row_free(&r);
}

static void rows_grow_past_the_first_buffer(void **state)
{
	struct rb_row r = { 0 };
	size_t expect = 0;

	(void)state;
	for (int t = 0; t < 20; t++) {
		rb_row_start(&r, t);
		for (int c = 0; c < 300; c++)
			rb_row_u64(&r, 1234567);
		assert_int_equal(rb_row_end(&r), 0);
		expect += (t < 10 ? 5 : 6) + 300 * 8 + 1; /* "9.000", "10.000", columns, newline */
	}
	assert_int_equal(r.done, expect);
	assert_true(r.cap >= r.done);
	rb_row_free(&r);
}

/* ---- a source's columns (sampler_source.c) ---- */

/* A file of this process's own, rewritten between readings. */
static const char *src_file(void)
{
	static char path[64];

	if (!path[0])
		(void)snprintf(path, sizeof(path), "/tmp/rb-test-sampler-%d.txt", (int)getpid());
	return path;
}

static void put_file(const char *text)
{
	FILE *f = fopen(src_file(), "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* Counters are the fields named c*. */
static bool c_is_counter(const char *name)
{
	return name[0] == 'c';
}

static void open_source(struct rb_source *src, enum rb_source_parse parse, const char *text)
{
	*src = (struct rb_source){ "t", "kB", parse, c_is_counter, "c", .fd = -1, .range = true };
	put_file(text);
	assert_int_equal(rb_source_open(src, src_file()), 0);
	assert_true(src->fd >= 0);
}

static uint64_t value_of(const struct rb_source *src, const char *name)
{
	const uint64_t *v = rb_source_value(src, rb_source_column(src, name));

	assert_non_null(v);
	return *v;
}

static void source_reads_fields_in_their_layout(void **state)
{
	struct rb_source src;

	(void)state;
	open_source(&src, RB_SOURCE_FLAT, "a 1\nc_x 2\n");
	assert_int_equal(src.n_cols, 2);
	put_file("a 7\nc_x 9\n");
	assert_int_equal(rb_source_read(&src), 0);
	assert_true(src.known);
	assert_int_equal(value_of(&src, "a"), 7);
	assert_int_equal(value_of(&src, "c_x"), 9);
	assert_int_equal(rb_source_column(&src, "nope"), -1);
	assert_null(rb_source_value(&src, -1));
	rb_source_close(&src);
}

static void source_finds_fields_by_name_when_one_is_added(void **state)
{
	struct rb_source src;

	(void)state;
	open_source(&src, RB_SOURCE_FLAT, "a 1\nb 2\n");
	put_file("a 3\nnew 5\nb 4\n");
	assert_int_equal(rb_source_read(&src), 0);
	assert_false(src.known);
	assert_int_equal(src.n_cols, 2);
	assert_int_equal(value_of(&src, "a"), 3);
	assert_int_equal(value_of(&src, "b"), 4);
	rb_source_close(&src);
}

static void source_missing_field_is_nan_not_zero(void **state)
{
	struct rb_source src;
	struct rb_row r = { 0 };

	(void)state;
	open_source(&src, RB_SOURCE_FLAT, "a 1\nb 2\n");
	put_file("a 3\n");
	assert_int_equal(rb_source_read(&src), 0);
	assert_null(rb_source_value(&src, rb_source_column(&src, "b")));
	rb_row_start(&r, 0);
	(void)rb_source_row(&src, &r, 0.1, false);
	assert_string_equal(row_text(&r), "0.000\t3\tNaN");
	put_file("a 4\nb 5\n"); /* back: by name once, then in its layout again */
	assert_int_equal(rb_source_read(&src), 0);
	assert_int_equal(value_of(&src, "b"), 5);
	rb_source_close(&src);
	rb_row_free(&r);
}

static void source_row_has_rates_and_levels(void **state)
{
	struct rb_source src;
	struct rb_row r = { 0 };
	double sum;

	(void)state;
	open_source(&src, RB_SOURCE_FLAT, "lvl 10\nc_a 100\nc_b 5\n");
	rb_row_start(&r, 0);
	assert_int_equal(rb_source_read(&src), 0);
	(void)rb_source_row(&src, &r, 0, true);
	put_file("lvl 12\nc_a 150\nc_b 4\n"); /* c_b went backwards: 0, not negative */
	assert_int_equal(rb_source_read(&src), 0);
	rb_row_start(&r, 0.5);
	sum = rb_source_row(&src, &r, 0.5, false);
	assert_string_equal(row_text(&r), "0.500\t12\t100.00\t0.00");
	assert_true(fabs(sum - 100) < 1e-9);
	rb_source_close(&src);
	rb_row_free(&r);
}

static void source_keeps_ranges_and_last_reading(void **state)
{
	struct rb_source src;
	struct rb_row r = { 0 };
	struct rb_kvset lo = { 0 }, hi = { 0 }, last = { 0 };
	const char *readings[] = { "MemFree:  5 kB\n", "MemFree:  2 kB\n", "MemFree:  9 kB\n" };
	uint64_t v;

	(void)state;
	open_source(&src, RB_SOURCE_MEMINFO, "MemFree:  4 kB\n");
	for (int i = 0; i < 3; i++) {
		put_file(readings[i]);
		assert_int_equal(rb_source_read(&src), 0);
		rb_row_start(&r, i);
		(void)rb_source_row(&src, &r, 0.1, i == 0);
	}
	rb_source_ranges(&src, &lo, &hi);
	assert_int_equal(rb_kvset_get(&lo, "MemFree", NULL, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(rb_kvset_get(&hi, "MemFree", NULL, &v), 0);
	assert_int_equal(v, 9);
	assert_int_equal(rb_source_kvset(&src, &last), 0);
	assert_int_equal(rb_kvset_get(&last, "MemFree", NULL, &v), 0);
	assert_int_equal(v, 9);
	rb_kvset_free(&lo);
	rb_kvset_free(&hi);
	rb_kvset_free(&last);
	rb_source_close(&src);
	rb_row_free(&r);
	(void)unlink(src_file());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(peak_is_the_highest_tick),
		cmocka_unit_test(zero_threshold_tick_is_skipped),
		cmocka_unit_test(no_threshold_leaves_figures_absent),
		cmocka_unit_test(no_writeback_gives_dirty_only),
		cmocka_unit_test(no_dirty_gives_nothing),
		cmocka_unit_test(peak_of_zero_dirty_is_zero_not_absent),
		cmocka_unit_test(row_numbers_are_formatted_like_printf),
		cmocka_unit_test(row_segment_is_appended_as_kept),
		cmocka_unit_test(rows_are_written_together_on_flush),
		cmocka_unit_test(rows_grow_past_the_first_buffer),
		cmocka_unit_test(source_reads_fields_in_their_layout),
		cmocka_unit_test(source_finds_fields_by_name_when_one_is_added),
		cmocka_unit_test(source_missing_field_is_nan_not_zero),
		cmocka_unit_test(source_row_has_rates_and_levels),
		cmocka_unit_test(source_keeps_ranges_and_last_reading),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
