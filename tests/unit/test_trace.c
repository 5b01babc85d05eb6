/* test_trace.c - the tracing module: reading trace_pipe lines captured from
 * this kernel (tests/data/trace/), the token bucket that bounds the event
 * rate, and rb_trace_start() where tracing cannot be had (no directory, a
 * mount without tracing files, no event, an instance that cannot be set up):
 * the trace is then unavailable with a reason, and nothing is left behind. */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../harness/trace_priv.h"
#include "journal.h"
#include "trace.h"

#define DATA "tests/data/trace/trace_pipe.txt"
#define MS 1000000ull
#define S (1000 * MS)

enum fixture_line { L_GLOBAL, L_PAUSE0, L_PAUSE16, L_PAUSE_NEG, L_LOST, L_PAUSE12 };

/* ---- helpers ---- */

/* Line n of the fixture, without its newline (static buffer). */
static const char *fixture(enum fixture_line n)
{
	static char line[1024];
	FILE *f = fopen(DATA, "r");

	assert_non_null(f);
	for (int i = 0; i <= (int)n; i++)
		assert_non_null(fgets(line, sizeof(line), f));
	(void)fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return line;
}

struct fx {
	char dir[PATH_MAX];
	struct rb_journal *j;
};

static char *path_in(const struct fx *fx, const char *name)
{
	static char ring[4][PATH_MAX];
	static unsigned next;
	char *buf = ring[next++ % 4];

	assert_true(snprintf(buf, PATH_MAX, "%s/%s", fx->dir, name) < PATH_MAX);
	return buf;
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fclose(f), 0);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char err[256];

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/rb-trace-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	assert_int_equal(setenv("RECLAIMBENCH_STATE_DIR", path_in(fx, "state"), 1), 0);
	assert_int_equal(mkdir(path_in(fx, "out"), 0700), 0);
	assert_int_equal(mkdir(path_in(fx, "out/latency"), 0700), 0);
	assert_int_equal(rb_journal_begin(path_in(fx, "out"), &fx->j, err, sizeof(err)), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	(void)rb_journal_finish(fx->j);
	(void)nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	(void)unsetenv("RECLAIMBENCH_STATE_DIR");
	free(fx);
	return 0;
}

/* A fake tracefs under the fixture directory: "trace", and optionally the
 * event's format file and instances/. */
static const char *fake_tracefs(struct fx *fx, bool event)
{
	const char *dirs[] = { "tfs", "tfs/events", "tfs/events/writeback",
			       "tfs/events/writeback/balance_dirty_pages", "tfs/instances" };

	for (size_t i = 0; i < (event ? 5 : 1); i++)
		assert_int_equal(mkdir(path_in(fx, dirs[i]), 0700), 0);
	touch(path_in(fx, "tfs/trace"));
	if (event)
		touch(path_in(fx, "tfs/events/writeback/balance_dirty_pages/format"));
	return path_in(fx, "tfs");
}

static struct rb_trace *start_at(struct fx *fx, const char *tracefs)
{
	struct rb_trace_config cfg = { .tracefs = tracefs };
	struct rb_trace *t = NULL;

	assert_int_equal(rb_trace_start(fx->j, path_in(fx, "out"), &cfg, &t), 0);
	assert_non_null(t);
	return t;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* ---- lines ---- */

static void test_other_events_are_not_ours(void **state)
{
	struct rb_trace_rec r;

	(void)state;
	assert_int_equal(rb_trace_classify(fixture(L_GLOBAL), &r), RB_TRACE_LINE_OTHER);
}

static void test_bdp_line_gives_its_timestamp(void **state)
{
	struct rb_trace_rec r;

	(void)state;
	assert_int_equal(rb_trace_classify(fixture(L_PAUSE0), &r), RB_TRACE_LINE_BDP);
	assert_true(r.has_ts);
	assert_int_equal(r.ts_ns, 5482768511000ull); /* 5482.768511 s */
}

static void test_bdp_without_sleep_reads_pause_zero(void **state)
{
	const char *line = fixture(L_PAUSE0);
	struct rb_trace_rec r;

	(void)state;
	assert_int_equal(rb_trace_classify(line, &r), RB_TRACE_LINE_BDP);
	assert_int_equal(rb_trace_parse_bdp(line, &r), 0);
	assert_int_equal(r.pause_ms, 0);
	assert_int_equal(r.period_ms, 4);
}

static void test_pause_is_found_by_name_not_in_similar_fields(void **state)
{
	const char *line = fixture(L_PAUSE16); /* also has dirtied_pause=128 paused=0 */
	struct rb_trace_rec r;

	(void)state;
	assert_int_equal(rb_trace_parse_bdp(line, &r), 0);
	assert_int_equal(r.pause_ms, 16);
	assert_int_equal(r.period_ms, 4);
}

static void test_negative_pause_is_read_as_negative(void **state)
{
	struct rb_trace_rec r;

	(void)state;
	assert_int_equal(rb_trace_parse_bdp(fixture(L_PAUSE_NEG), &r), 0);
	assert_int_equal(r.pause_ms, -12);
}

static void test_lost_line_gives_the_count(void **state)
{
	struct rb_trace_rec r;

	(void)state;
	assert_int_equal(rb_trace_classify(fixture(L_LOST), &r), RB_TRACE_LINE_LOST);
	assert_int_equal(r.lost, 2955);
}

static void test_lost_line_without_a_count_counts_one(void **state)
{
	struct rb_trace_rec r;

	(void)state;
	assert_int_equal(rb_trace_classify("CPU:1 [LOST EVENTS]", &r), RB_TRACE_LINE_LOST);
	assert_int_equal(r.lost, 1);
}

static void test_bdp_line_without_pause_is_rejected(void **state)
{
	char line[1024];
	struct rb_trace_rec r;

	(void)state;
	(void)snprintf(line, sizeof(line), "%s", fixture(L_PAUSE12));
	*strstr(line, " pause=") = '\0'; /* cut before pause= and period= */
	assert_int_equal(rb_trace_classify(line, &r), RB_TRACE_LINE_BDP);
	assert_int_equal(rb_trace_parse_bdp(line, &r), -EINVAL);
}

static void test_bdp_line_with_a_bad_number_is_rejected(void **state)
{
	const char *line = "x-1 [000] ..... 1.000000: balance_dirty_pages: bdi 8:0: "
			   "pause=12ms period=4";
	struct rb_trace_rec r;

	(void)state;
	assert_int_equal(rb_trace_parse_bdp(line, &r), -EINVAL);
}

static void test_unreadable_timestamp_is_flagged(void **state)
{
	struct rb_trace_rec r;

	(void)state;
	assert_int_equal(rb_trace_classify("x-1 [000] ..... 12:34: balance_dirty_pages: "
					   "pause=1 period=4", &r), RB_TRACE_LINE_BDP);
	assert_false(r.has_ts);
}

/* ---- the token bucket ---- */

static void test_bucket_starts_with_a_tenth_of_a_second(void **state)
{
	struct rb_token_bucket b;
	int taken = 0;

	(void)state;
	rb_token_bucket_init(&b, 100, S);
	while (taken < 1000 && rb_token_bucket_take(&b, S))
		taken++;
	assert_int_equal(taken, 10);
}

static void test_bucket_refills_at_its_rate(void **state)
{
	struct rb_token_bucket b;
	int taken = 0;

	(void)state;
	rb_token_bucket_init(&b, 100, S);
	while (rb_token_bucket_take(&b, S))
		;
	while (taken < 1000 && rb_token_bucket_take(&b, S + 50 * MS))
		taken++;
	assert_int_equal(taken, 5); /* 50 ms at 100/s */
}

static void test_bucket_holds_no_more_than_its_cap(void **state)
{
	struct rb_token_bucket b;
	int taken = 0;

	(void)state;
	rb_token_bucket_init(&b, 100, S);
	while (taken < 1000 && rb_token_bucket_take(&b, 60 * S)) /* a minute idle */
		taken++;
	assert_int_equal(taken, 10);
}

static void test_bucket_ignores_time_going_back(void **state)
{
	struct rb_token_bucket b;

	(void)state;
	rb_token_bucket_init(&b, 10, 5 * S); /* cap 1 */
	assert_true(rb_token_bucket_take(&b, 5 * S));
	assert_false(rb_token_bucket_take(&b, 4 * S));
	assert_true(rb_token_bucket_take(&b, 5 * S + 100 * MS));
}

static void test_bucket_bounds_a_flood_to_its_rate(void **state)
{
	struct rb_token_bucket b;
	uint64_t taken = 0;

	(void)state;
	rb_token_bucket_init(&b, 10000, 0);
	for (uint64_t t = 0; t < S; t += 10000) /* 100000 events in one second */
		taken += rb_token_bucket_take(&b, t);
	assert_true(taken >= 10000);
	assert_true(taken <= 10000 + 1000); /* the rate, plus the initial tenth */
}

/* ---- starting without tracefs ---- */

static void test_missing_directory_makes_tracing_unavailable(void **state)
{
	struct fx *fx = *state;
	struct rb_trace *t = start_at(fx, path_in(fx, "no-such-dir"));
	struct json_object *s, *v;

	assert_false(rb_trace_available(t));
	assert_non_null(strstr(rb_trace_reason(t), "no directory"));
	assert_int_equal(rb_trace_stop(t), 0);
	assert_false(exists(path_in(fx, "out/trace.tsv")));
	assert_false(exists(path_in(fx, "out/latency/trace-balance_dirty_pages-pause.hist")));
	s = rb_trace_summary(t);
	assert_true(json_object_object_get_ex(s, "available", &v));
	assert_false(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(s, "reason", &v));
	assert_string_equal(json_object_get_string(v), rb_trace_reason(t));
	assert_false(json_object_object_get_ex(s, "events", &v));
	json_object_put(s);
	rb_trace_free(t);
}

static void test_mount_without_tracing_files_is_not_mounted_over(void **state)
{
	struct fx *fx = *state;
	struct rb_trace *t = start_at(fx, "/proc"); /* a mount point, no "trace" */

	assert_false(rb_trace_available(t));
	assert_non_null(strstr(rb_trace_reason(t), "holds no tracing files"));
	rb_trace_free(t);
}

static void test_kernel_without_the_event_is_reported(void **state)
{
	struct fx *fx = *state;
	struct rb_trace *t = start_at(fx, fake_tracefs(fx, false));

	assert_false(rb_trace_available(t));
	assert_non_null(strstr(rb_trace_reason(t), "no writeback:balance_dirty_pages event"));
	rb_trace_free(t);
}

static void test_instance_that_cannot_be_set_up_is_removed(void **state)
{
	struct fx *fx = *state;
	struct rb_trace *t = start_at(fx, fake_tracefs(fx, true));
	char inst[64];

	/* a plain directory has no buffer_size_kb: setting it up fails */
	assert_false(rb_trace_available(t));
	assert_non_null(strstr(rb_trace_reason(t), "buffer_size_kb"));
	(void)snprintf(inst, sizeof(inst), "tfs/instances/reclaimbench-%d", (int)getpid());
	assert_false(exists(path_in(fx, inst)));
	assert_false(exists(path_in(fx, "out/trace.tsv")));
	rb_trace_free(t);
}

static void test_status_names_where_it_looked(void **state)
{
	struct fx *fx = *state;
	const char *where = path_in(fx, "no-such-dir");
	struct rb_trace *t = start_at(fx, where);
	struct json_object *o = rb_trace_status(t), *v;

	assert_true(json_object_object_get_ex(o, "tracefs", &v));
	assert_string_equal(json_object_get_string(v), where);
	assert_true(json_object_object_get_ex(o, "mounted", &v));
	assert_false(json_object_get_boolean(v));
	json_object_put(o);
	rb_trace_free(t);
}

static void test_null_trace_is_harmless(void **state)
{
	(void)state;
	assert_int_equal(rb_trace_stop(NULL), 0);
	assert_false(rb_trace_available(NULL));
	assert_string_equal(rb_trace_reason(NULL), "not started");
	rb_trace_free(NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_events_are_not_ours),
		cmocka_unit_test(test_bdp_line_gives_its_timestamp),
		cmocka_unit_test(test_bdp_without_sleep_reads_pause_zero),
		cmocka_unit_test(test_pause_is_found_by_name_not_in_similar_fields),
		cmocka_unit_test(test_negative_pause_is_read_as_negative),
		cmocka_unit_test(test_lost_line_gives_the_count),
		cmocka_unit_test(test_lost_line_without_a_count_counts_one),
		cmocka_unit_test(test_bdp_line_without_pause_is_rejected),
		cmocka_unit_test(test_bdp_line_with_a_bad_number_is_rejected),
		cmocka_unit_test(test_unreadable_timestamp_is_flagged),
		cmocka_unit_test(test_bucket_starts_with_a_tenth_of_a_second),
		cmocka_unit_test(test_bucket_refills_at_its_rate),
		cmocka_unit_test(test_bucket_holds_no_more_than_its_cap),
		cmocka_unit_test(test_bucket_ignores_time_going_back),
		cmocka_unit_test(test_bucket_bounds_a_flood_to_its_rate),
		T(test_missing_directory_makes_tracing_unavailable),
		T(test_mount_without_tracing_files_is_not_mounted_over),
		T(test_kernel_without_the_event_is_reported),
		T(test_instance_that_cannot_be_set_up_is_removed),
		T(test_status_names_where_it_looked),
		cmocka_unit_test(test_null_trace_is_harmless),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
