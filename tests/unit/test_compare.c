/* test_compare.c - cmocka tests for compare*.c: the metric direction
 * table, the verdict rule on synthetic samples (which test decides, the
 * interval, n < 3, better / worse / changed), the sentences, metric lookup
 * and the default set on summaries, the comparability key (built from
 * profiles/ and compared on fixture meta.json files), and whole reports
 * over the fixture ab group in tests/data/compare/ (made to look like a
 * 5 + 5 `ab quick base roomy` whose last run was interrupted). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"
#include "results.h"

#define DATA "tests/data/compare/"
#define N(x) (sizeof(x) / sizeof((x)[0]))

static void test_direction_lower(void **state)
{
	static const char *const lower[] = {
		"allocstall_per_s", "allocstall", "pgscan_direct_per_s", "probe.file.p99_us",
		"hog.touch.p99.9_us", "baseline.probe.alloc.p99_us", "psi.memory.some_pct",
		"psi.io.full_pct", "workingset_refault_per_s", "refault_rate_per_s",
		"memcg_limit_hits", "memcg.failcnt", "kswapd_cpu_pct", "direct_reclaim_share_pct",
		"reproduced", "watermarks.below_min_pct", "scan_velocity_pages_per_s",
		"pswpin", "pswpin_per_s", "oom_kill", "critical.oom_killed",
		"dirty_max_pct_of_threshold", "dirty_writeback_max_pct_of_threshold",
	};

	(void)state;
	for (size_t i = 0; i < N(lower); i++)
		if (rb_compare_direction(lower[i]) != RB_LOWER_BETTER)
			fail_msg("%s should be lower-is-better", lower[i]);
}

static void test_direction_higher(void **state)
{
	static const char *const higher[] = {
		"hog.ops_per_s", "flood.bytes_per_s", "probe.ops_per_s", "reclaim_efficiency_pct",
		"compaction_success_rate_pct", "meminfo.MemAvailable.min_kB",
		"zswap_compression_ratio", "zram_compression_ratio",
	};

	(void)state;
	for (size_t i = 0; i < N(higher); i++)
		if (rb_compare_direction(higher[i]) != RB_HIGHER_BETTER)
			fail_msg("%s should be higher-is-better", higher[i]);
}

static void test_direction_neutral(void **state)
{
	(void)state;
	assert_int_equal(rb_compare_direction("pgsteal"), RB_NEUTRAL);
	assert_int_equal(rb_compare_direction("probe.file.count"), RB_NEUTRAL);
	assert_int_equal(rb_compare_direction("nr_dirtied"), RB_NEUTRAL);
	assert_int_equal(rb_compare_direction("hog.ops"), RB_NEUTRAL);
}

static void row(const char *metric, const double *a, size_t na, const double *b, size_t nb,
		struct rb_compare_row *r)
{
	assert_int_equal(rb_compare_row(metric, a, na, b, nb, r), 0);
}

/* 5 + 5 without ties: the exact U test decides (p = 2/252); mean 100 -> 16. */
static void test_verdict_better_mann_whitney(void **state)
{
	const double a[] = { 100, 98, 102, 101, 99 }, b[] = { 16.2, 15.1, 17.0, 15.9, 15.8 };
	struct rb_compare_row r;
	char line[512];

	(void)state;
	row("allocstall_per_s", a, 5, b, 5, &r);
	assert_int_equal(r.verdict, RB_VERDICT_BETTER);
	assert_string_equal(r.test, "Mann-Whitney");
	assert_true(r.mw.exact);
	assert_true(fabs(r.p - 2.0 / 252) < 1e-12);
	assert_true(fabs(r.rel + 0.84) < 1e-12);
	assert_true(r.rel_lo < -0.84 && r.rel_hi > -0.84 && r.rel_hi < 0);
	rb_compare_sentence(&r, "B", line, sizeof(line));
	assert_non_null(strstr(line, "B cuts allocstall_per_s by 84% (95% CI "));
	assert_non_null(strstr(line, "Mann-Whitney p=0.0079): better"));
}

/* 3 + 3: the U test cannot go below 0.1 (0.064 here, B all tied at 0), so
 * Welch's t decides. */
static void test_verdict_three_runs_uses_welch(void **state)
{
	const double a[] = { 441967, 438210, 450112 }, b[] = { 0, 0, 0 };
	struct rb_compare_row r;

	(void)state;
	row("memcg_limit_hits", a, 3, b, 3, &r);
	assert_string_equal(r.test, "Welch");
	assert_true(r.mw.p > 0.05);
	assert_true(r.p_welch < 0.001);
	assert_int_equal(r.verdict, RB_VERDICT_BETTER);
	assert_true(r.rel == -1 && r.rel_lo == -1 && r.rel_hi == -1);
}

static void test_verdict_needs_three_runs(void **state)
{
	const double a[] = { 100, 101 }, b[] = { 1, 2, 3 };
	struct rb_compare_row r;

	(void)state;
	row("allocstall_per_s", a, 2, b, 3, &r);
	assert_int_equal(r.verdict, RB_VERDICT_NONE);
	assert_string_equal(rb_compare_verdict_name(r.verdict), "n<3");
	assert_true(r.a.n == 2 && r.b.n == 3);
}

static void test_verdict_noise_is_no_change(void **state)
{
	const double a[] = { 10, 12, 11, 13, 9 }, b[] = { 11, 10, 12, 13.5, 9.5 };
	struct rb_compare_row r;

	(void)state;
	row("probe.file.p99_us", a, 5, b, 5, &r);
	assert_int_equal(r.verdict, RB_VERDICT_SAME);
	assert_true(r.p > 0.05);
	assert_true(r.rel_lo < 0 && r.rel_hi > 0);
	assert_string_equal(rb_compare_verdict_name(r.verdict), "-");
}

static void test_verdict_worse_latency(void **state)
{
	const double a[] = { 10, 11, 12, 10.5, 11.5 }, b[] = { 20, 22, 21, 23, 19 };
	struct rb_compare_row r;
	char line[512];

	(void)state;
	row("probe.file.p99_us", a, 5, b, 5, &r);
	assert_int_equal(r.verdict, RB_VERDICT_WORSE);
	rb_compare_sentence(&r, "wsf-high", line, sizeof(line));
	assert_non_null(strstr(line, "wsf-high raises probe.file.p99_us by 91% (95% CI "));
	assert_non_null(strstr(line, "): worse"));
}

static void test_verdict_higher_throughput_is_better(void **state)
{
	const double a[] = { 1000, 1010, 990, 1005, 995 }, b[] = { 3000, 3100, 2950, 3050, 2990 };
	struct rb_compare_row r;
	char line[512];

	(void)state;
	row("flood.bytes_per_s", a, 5, b, 5, &r);
	assert_int_equal(r.verdict, RB_VERDICT_BETTER);
	rb_compare_sentence(&r, "B", line, sizeof(line));
	assert_non_null(strstr(line, "B raises flood.bytes_per_s to 3.02x (95% CI "));
}

static void test_verdict_neutral_metric_changed(void **state)
{
	const double a[] = { 100, 101, 102, 103, 104 }, b[] = { 200, 201, 202, 203, 204 };
	struct rb_compare_row r;
	char line[512];

	(void)state;
	row("pgsteal", a, 5, b, 5, &r);
	assert_int_equal(r.verdict, RB_VERDICT_CHANGED);
	rb_compare_sentence(&r, "B", line, sizeof(line));
	assert_null(strstr(line, "better"));
	assert_null(strstr(line, "worse"));
}

/* mean(A) = 0: no relative change; the difference's interval decides. */
static void test_verdict_zero_baseline(void **state)
{
	const double a[] = { 0, 0, 0, 0, 0 }, b[] = { 5, 6, 7, 8, 9 };
	struct rb_compare_row r;
	char line[512];

	(void)state;
	row("allocstall_per_s", a, 5, b, 5, &r);
	assert_true(isnan(r.rel));
	assert_true(r.diff_lo > 0);
	assert_int_equal(r.verdict, RB_VERDICT_WORSE);
	rb_compare_sentence(&r, "B", line, sizeof(line));
	assert_non_null(strstr(line, "B raises allocstall_per_s from 0 to 7 "));
}

static struct json_object *summary_fixture(const char *run)
{
	struct json_object *s = rb_json_load(run, "summary.json");

	assert_non_null(s);
	return s;
}

static void test_metric_lookup(void **state)
{
	struct json_object *s = summary_fixture(DATA "group/a-1");
	double v = -1;

	(void)state;
	assert_int_equal(rb_compare_metric(s, "reproduced", &v), 0);
	assert_true(v == 1);
	assert_int_equal(rb_compare_metric(s, "probe.file.p99_us", &v), 0);
	assert_true(fabs(v - 15007.7) < 1e-9);
	assert_int_equal(rb_compare_metric(s, "memcg_limit_hits", &v), 0);
	assert_true(v == 441967);
	/* vmstat pgscan_direct is 0, so summary.json has no rate: it reads 0 */
	v = -1;
	assert_int_equal(rb_compare_metric(s, "pgscan_direct_per_s", &v), 0);
	assert_true(v == 0);
	assert_int_equal(rb_compare_metric(s, "no_such_metric", &v), -ENOENT);
	assert_int_equal(rb_compare_metric(s, "baseline.probe.file.p99_us", &v), -ENOENT);
	json_object_put(s);
}

static void test_default_metrics(void **state)
{
	static const char *const want[] = {
		"allocstall", "allocstall_per_s", "memcg_limit_hits", "memcg_limit_hits_per_s",
		"pgscan_direct_per_s", "psi.memory.some_pct", "psi.memory.full_pct",
		"probe.ops_per_s", "probe.bytes_per_s", "probe.file.p50_us", "probe.file.p99_us",
		"probe.file.p99.9_us", "reproduced",
	};
	struct json_object *s[2] = { summary_fixture(DATA "group/a-1"),
				     summary_fixture(DATA "group/b-1") };
	char **names = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(rb_compare_default_metrics(s, 2, &names), 0);
	for (; names[n]; n++)
		if (n < N(want))
			assert_string_equal(names[n], want[n]);
	assert_int_equal(n, N(want)); /* each once, alloc (no samples) left out */
	rb_compare_names_free(names);
	json_object_put(s[0]);
	json_object_put(s[1]);
}

static struct json_object *key_fixture(const char *run)
{
	struct json_object *meta = rb_json_load(run, "meta.json"), *k = NULL;

	assert_non_null(meta);
	if (json_object_object_get_ex(meta, "comparability", &k))
		(void)json_object_get(k);
	json_object_put(meta);
	return k;
}

static void key_diff(const char *other, int want, const char *field, const char *vb)
{
	struct json_object *a = key_fixture(DATA "group/a-1"), *b = key_fixture(other);
	char f[128] = "", va[256] = "", v[256] = "";

	assert_int_equal(rb_compare_key_diff(a, b, f, sizeof(f), va, v, sizeof(v)), want);
	if (field) {
		assert_string_equal(f, field);
		assert_string_equal(v, vb);
	}
	json_object_put(a);
	json_object_put(b);
}

static void test_key_diff_names_the_field(void **state)
{
	(void)state;
	key_diff(DATA "group/b-3", 0, NULL, NULL);
	key_diff(DATA "other-kernel", 1, "kernel", "\"6.1.0-26-amd64\"");
	key_diff(DATA "other-cpu", 1, "machine.cpu_model", "\"Other CPU @ 3.10GHz\"");
	key_diff(DATA "other-profile", 1, "profile", "\"tiny\"");
	key_diff(DATA "no-key", 1, "comparability", "(missing)");
}

static struct json_object *key_of_profile(const char *path, const char *variant,
					  const char *const *sets, size_t n)
{
	struct rb_profile_overrides ov = { variant, sets, n };
	struct rb_profile *p = NULL;
	struct json_object *k;
	char err[1024];

	assert_int_equal(rb_profile_load(path, &ov, &p, err, sizeof(err)), 0);
	k = rb_compare_key(p);
	assert_non_null(k);
	rb_profile_free(p);
	return k;
}

static const char *key_str(struct json_object *k, const char *field)
{
	struct json_object *v = NULL;

	assert_true(json_object_object_get_ex(k, field, &v));
	return json_object_get_string(v);
}

/* The variant and --set overrides (a sysctl here) are left out of the base
 * hash, and memory_bytes is the profile's as written; another profile differs. */
static void test_key_ignores_overrides(void **state)
{
	const char *const sets[] = { "sysctl.vm.swappiness=10", "profile.duration=8s" };
	struct json_object *base = key_of_profile("profiles/quick.ini", NULL, NULL, 0);
	struct json_object *roomy = key_of_profile("profiles/quick.ini", "roomy", sets, 2);
	struct json_object *other = key_of_profile("profiles/direct-reclaim-memcg.ini", NULL,
						   NULL, 0);

	(void)state;
	assert_string_equal(key_str(base, "profile_base_hash"), key_str(roomy, "profile_base_hash"));
	assert_int_equal(strlen(key_str(base, "profile_base_hash")), 16);
	assert_string_equal(key_str(roomy, "memory_bytes"), "1073741824");
	assert_string_equal(key_str(roomy, "duration_s"), "8.0");
	assert_string_not_equal(key_str(base, "profile_base_hash"),
				key_str(other, "profile_base_hash"));
	json_object_put(base);
	json_object_put(roomy);
	json_object_put(other);
}

/* Run a report into memory; returns its exit code, *out the text. */
static int report(const char *const *args, size_t n, enum rb_compare_format fmt, bool force,
		  const char *metrics, char **out)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	struct rb_compare_request req = { args, n, fmt, metrics, force, 0, f };
	int rc;

	assert_non_null(f);
	rc = rb_compare_report(&req);
	assert_int_equal(fclose(f), 0);
	return rc;
}

static void test_report_group_json(void **state)
{
	const char *const args[] = { DATA "group" };
	struct json_object *o, *v, *b, *first;
	char *text = NULL;

	(void)state;
	assert_int_equal(report(args, 1, RB_COMPARE_JSON, false, NULL, &text), 0);
	o = json_tokener_parse(text);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "verdicts", &v));
	assert_int_equal(json_object_array_length(v), 8);
	first = json_object_array_get_idx(v, 0);
	assert_non_null(strstr(json_object_get_string(first),
			       "roomy cuts memcg_limit_hits by 100% (95% CI 100-100%, "
			       "Mann-Whitney p=0.015): better"));
	assert_true(json_object_object_get_ex(o, "b", &b));
	assert_true(json_object_object_get_ex(b, "left_out", &v));
	assert_int_equal(json_object_get_int(v), 1); /* the aborted b-5 */
	json_object_put(o);
	free(text);
}

static void test_report_text_and_markdown(void **state)
{
	const char *const args[] = { DATA "group:a", DATA "group:b" };
	char *text = NULL;

	(void)state;
	assert_int_equal(report(args, 2, RB_COMPARE_TEXT, false, "probe.*", &text), 0);
	assert_non_null(strstr(text, "A/B comparison of quick: A = base (5 runs), B = roomy "
				     "(4 runs)"));
	assert_non_null(strstr(text, "probe.file.p99_us"));
	assert_null(strstr(text, "memcg_limit_hits")); /* not picked by probe.* */
	assert_null(strstr(text, "\033[")); /* no colour unless asked */
	free(text);
	assert_int_equal(report(args, 2, RB_COMPARE_MARKDOWN, false, "memcg_limit_hits", &text), 0);
	assert_non_null(strstr(text, "| `memcg_limit_hits` | 5/4 |"));
	assert_non_null(strstr(text, "- roomy cuts memcg_limit_hits by 100%"));
	free(text);
}

static void test_report_refuses_other_kernel(void **state)
{
	const char *const args[] = { DATA "group:a", DATA "other-kernel" };
	struct json_object *o, *w;
	char *text = NULL;

	(void)state;
	assert_int_equal(report(args, 2, RB_COMPARE_JSON, false, NULL, &text), 1);
	free(text);
	assert_int_equal(report(args, 2, RB_COMPARE_JSON, true, NULL, &text), 0);
	o = json_tokener_parse(text);
	assert_true(json_object_object_get_ex(o, "warnings", &w));
	assert_int_equal(json_object_array_length(w), 1);
	assert_non_null(strstr(json_object_get_string(json_object_array_get_idx(w, 0)),
			       "kernel differs: \"6.18.44\""));
	json_object_put(o);
	free(text);
}

static void test_report_n_below_three(void **state)
{
	const char *const args[] = { DATA "group/a-1", DATA "group/b-1" };
	char *text = NULL;

	(void)state;
	assert_int_equal(report(args, 2, RB_COMPARE_TEXT, false, NULL, &text), 0);
	assert_non_null(strstr(text, "n<3: no verdict (A has 1 complete run, B has 1;"));
	free(text);
}

static void test_report_bad_arguments(void **state)
{
	const char *const three[] = { DATA "group/a-1", DATA "group/a-2", DATA "group/b-1" };
	const char *const bare[] = { DATA "group/a-1", "--", DATA "group" };
	char *text = NULL;

	(void)state;
	assert_int_equal(report(three, 3, RB_COMPARE_TEXT, false, NULL, &text), 2);
	free(text);
	assert_int_equal(report(bare, 3, RB_COMPARE_TEXT, false, NULL, &text), 2);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direction_lower),
		cmocka_unit_test(test_direction_higher),
		cmocka_unit_test(test_direction_neutral),
		cmocka_unit_test(test_verdict_better_mann_whitney),
		cmocka_unit_test(test_verdict_three_runs_uses_welch),
		cmocka_unit_test(test_verdict_needs_three_runs),
		cmocka_unit_test(test_verdict_noise_is_no_change),
		cmocka_unit_test(test_verdict_worse_latency),
		cmocka_unit_test(test_verdict_higher_throughput_is_better),
		cmocka_unit_test(test_verdict_neutral_metric_changed),
		cmocka_unit_test(test_verdict_zero_baseline),
		cmocka_unit_test(test_metric_lookup),
		cmocka_unit_test(test_default_metrics),
		cmocka_unit_test(test_key_diff_names_the_field),
		cmocka_unit_test(test_key_ignores_overrides),
		cmocka_unit_test(test_report_group_json),
		cmocka_unit_test(test_report_text_and_markdown),
		cmocka_unit_test(test_report_refuses_other_kernel),
		cmocka_unit_test(test_report_n_below_three),
		cmocka_unit_test(test_report_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
