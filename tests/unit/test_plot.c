/* test_plot.c - the plot and report modules without gnuplot: TSV columns by
 * name, unit factors, which series each figure keeps when columns are
 * missing (older kernels, global runs, NaN-only worker columns), run and
 * group directories and their labels, HTML escaping, base64, and a report
 * page built from a fixture run whose strings need escaping.
 * Fixtures: tests/data/plot/run-old-kernel (a quick run cut down to the
 * columns of an old kernel: no zone.*, no memcg.*, workingset_refault
 * instead of _file) and tests/data/plot/group (an `ab` group's layout:
 * run subdirectories, group.json naming each run's side). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plot.h"
#include "report.h"

#define RUN "tests/data/plot/run-old-kernel"
#define GROUP "tests/data/plot/group"

/* A header built from names; has_data true for all unless listed in nan. */
static void fake_tsv(struct rb_tsv *t, const char *const *names, size_t n, const char *nan)
{
	t->names = calloc(n, sizeof(*t->names));
	t->has_data = calloc(n, sizeof(*t->has_data));
	assert_non_null(t->names);
	assert_non_null(t->has_data);
	for (size_t i = 0; i < n; i++) {
		t->names[i] = strdup(names[i]);
		t->has_data[i] = !nan || strcmp(nan, names[i]) != 0;
	}
	t->n = n;
	t->rows = 1;
}

static const struct rb_plot_figure *figure(const char *name)
{
	size_t n;
	const struct rb_plot_figure *f = rb_plot_figures(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	fail_msg("no figure %s", name);
	return NULL;
}

static size_t select1(const char *fig, const struct rb_tsv *t, struct rb_plot_series *s)
{
	const struct rb_tsv *hdrs[] = { t };

	return rb_plot_select(figure(fig), hdrs, 1, s, RB_PLOT_MAX_SERIES);
}

static void test_tsv_columns_by_name(void **state)
{
	struct rb_tsv t;

	(void)state;
	assert_int_equal(rb_tsv_load(RUN "/samples.tsv", &t), 0);
	assert_int_equal(t.n, 12);
	assert_int_equal(t.rows, 101);
	assert_int_equal(rb_tsv_column(&t, "time[s]"), 0);
	assert_int_equal(rb_tsv_column(&t, "meminfo.MemFree[kB]"), 1);
	assert_int_equal(rb_tsv_column(&t, "psi.memory.some[%]"), 6);
	assert_int_equal(rb_tsv_column(&t, "zone.min[pages]"), -ENOENT);
	assert_int_equal(rb_tsv_column(&t, "meminfo.MemFree"), -ENOENT);
	rb_tsv_free(&t);
}

static void test_tsv_nan_column_has_no_data(void **state)
{
	struct rb_tsv t;

	(void)state;
	assert_int_equal(rb_tsv_load(RUN "/workers.tsv", &t), 0);
	assert_true(t.has_data[rb_tsv_column(&t, "probe.file.p99[us]")]);
	assert_false(t.has_data[rb_tsv_column(&t, "flood.write.p99[us]")]);
	assert_true(t.has_data[rb_tsv_column(&t, "flood.write.count")]);
	rb_tsv_free(&t);
}

static void test_tsv_missing_and_empty_files(void **state)
{
	struct rb_tsv t;
	char path[] = "/tmp/rb-test-plot.XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_int_equal(rb_tsv_load(RUN "/no-such.tsv", &t), -ENOENT);
	assert_int_equal(t.n, 0);
	assert_true(fd >= 0);
	assert_int_equal(rb_tsv_load(path, &t), -EINVAL);
	assert_null(t.names);
	(void)close(fd);
	(void)unlink(path);
}

static void test_unit_factors(void **state)
{
	double k = 0;

	(void)state;
	assert_int_equal(rb_plot_unit_factor("meminfo.MemFree[kB]", "MiB", &k), 0);
	assert_true(k == 1.0 / 1024);
	assert_int_equal(rb_plot_unit_factor("memcg.usage[bytes]", "MiB", &k), 0);
	assert_true(k == 1.0 / (1024 * 1024));
	assert_int_equal(rb_plot_unit_factor("zone.min[pages]", "MiB", &k), 0);
	assert_true(k == (double)sysconf(_SC_PAGESIZE) / (1024 * 1024));
	assert_int_equal(rb_plot_unit_factor("vmstat.pgscan_direct[1/s]", "1/s", &k), 0);
	assert_true(k == 1.0);
	assert_int_equal(rb_plot_unit_factor("vmstat.pgscan_direct[1/s]", "MiB", &k), -EINVAL);
	assert_int_equal(rb_plot_unit_factor("memcg.oom_control.under_oom", "1/s", &k), -EINVAL);
}

static void test_memory_without_watermarks(void **state)
{
	struct rb_plot_series s[RB_PLOT_MAX_SERIES];
	struct rb_tsv t;
	size_t n;

	(void)state;
	assert_int_equal(rb_tsv_load(RUN "/samples.tsv", &t), 0);
	n = select1("memory", &t, s);
	assert_int_equal(n, 5); /* free, available, file, anon, dirty; no zone.* refs */
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(s[i].axis, RB_PLOT_REF);
	assert_string_equal(s[0].expr, "meminfo.MemFree[kB]");
	assert_true(s[0].scale == 1.0 / 1024);
	rb_tsv_free(&t);
}

static void test_memory_with_watermarks(void **state)
{
	static const char *const cols[] = { "time[s]", "meminfo.MemFree[kB]", "zone.min[pages]",
					     "zone.low[pages]", "zone.high[pages]" };
	struct rb_plot_series s[RB_PLOT_MAX_SERIES];
	struct rb_tsv t;

	(void)state;
	fake_tsv(&t, cols, 5, NULL);
	assert_int_equal(select1("memory", &t, s), 4);
	assert_int_equal(s[1].axis, RB_PLOT_REF);
	assert_string_equal(s[1].title, "min watermark");
	assert_string_equal(s[3].expr, "zone.high[pages]");
	rb_tsv_free(&t);
}

static void test_figures_without_columns_are_skipped(void **state)
{
	struct rb_plot_series s[RB_PLOT_MAX_SERIES];
	struct rb_tsv t;

	(void)state;
	assert_int_equal(rb_tsv_load(RUN "/samples.tsv", &t), 0);
	assert_int_equal(select1("memcg", &t, s), 0);
	assert_int_equal(select1("watermarks", &t, s), 0);
	assert_int_equal(select1("thp", &t, s), 0);
	assert_int_equal(select1("stalls", &t, s), 0);
	assert_int_equal(select1("psi", &t, s), 4);
	rb_tsv_free(&t);
}

static void test_reference_lines_alone_draw_nothing(void **state)
{
	static const char *const cols[] = { "time[s]", "vmstat.nr_dirty_threshold[pages]",
					     "vmstat.nr_dirty_background_threshold[pages]" };
	struct rb_plot_series s[RB_PLOT_MAX_SERIES];
	struct rb_tsv t;

	(void)state;
	fake_tsv(&t, cols, 3, NULL);
	assert_int_equal(select1("dirty", &t, s), 0);
	rb_tsv_free(&t);
}

static void test_alternative_column_names(void **state)
{
	static const char *const v2[] = { "time[s]", "memcg.usage[bytes]", "memcg.anon[bytes]",
					  "memcg.file[bytes]", "memcg.events.max[1/s]" };
	struct rb_plot_series s[RB_PLOT_MAX_SERIES];
	struct rb_tsv t, old;

	(void)state;
	fake_tsv(&t, v2, 5, NULL);
	assert_int_equal(select1("memcg", &t, s), 4);
	assert_string_equal(s[1].expr, "memcg.anon[bytes]");
	assert_string_equal(s[2].expr, "memcg.file[bytes]");
	assert_string_equal(s[3].expr, "memcg.events.max[1/s]");
	assert_int_equal(s[3].axis, RB_PLOT_RIGHT);
	rb_tsv_free(&t);
	assert_int_equal(rb_tsv_load(RUN "/samples.tsv", &old), 0);
	assert_int_equal(select1("refaults", &old, s), 2);
	assert_string_equal(s[0].expr, "vmstat.workingset_refault[1/s]");
	assert_int_equal(s[1].axis, RB_PLOT_RIGHT);
	rb_tsv_free(&old);
}

static void test_wildcard_sums_every_zone(void **state)
{
	static const char *const cols[] = { "time[s]", "vmstat.allocstall_dma32[1/s]",
					     "vmstat.allocstall_normal[1/s]",
					     "vmstat.allocstall_movable[1/s]",
					     "vmstat.compact_stall[1/s]" };
	struct rb_plot_series s[RB_PLOT_MAX_SERIES];
	struct rb_tsv t;

	(void)state;
	fake_tsv(&t, cols, 5, NULL);
	assert_int_equal(select1("stalls", &t, s), 2);
	assert_string_equal(s[0].expr, "vmstat.allocstall_dma32[1/s]+vmstat.allocstall_normal[1/s]"
				       "+vmstat.allocstall_movable[1/s]");
	assert_string_equal(s[1].expr, "vmstat.compact_stall[1/s]");
	rb_tsv_free(&t);
}

static void test_p99_one_series_per_worker_op(void **state)
{
	static const char *const cols[] = { "time[s]", "probe.file.p99[us]", "probe.file.max[us]",
					     "flood.write.p99[us]", "hog.touch.p99[us]" };
	struct rb_plot_series s[RB_PLOT_MAX_SERIES];
	struct rb_tsv t;
	const struct rb_tsv *hdrs[] = { &t };

	(void)state;
	fake_tsv(&t, cols, 5, "flood.write.p99[us]");
	assert_int_equal(rb_plot_select(figure("p99"), hdrs, 1, s, RB_PLOT_MAX_SERIES), 2);
	assert_string_equal(s[0].title, "probe.file");
	assert_string_equal(s[0].expr, "probe.file.p99[us]");
	assert_string_equal(s[1].title, "hog.touch");
	rb_tsv_free(&t);
}

static void test_overlay_keeps_columns_every_run_has(void **state)
{
	static const char *const a[] = { "time[s]", "meminfo.MemFree[kB]", "zone.min[pages]" };
	static const char *const b[] = { "time[s]", "meminfo.MemFree[kB]", "meminfo.Dirty[kB]" };
	struct rb_plot_series s[RB_PLOT_MAX_SERIES];
	struct rb_tsv ta, tb;
	const struct rb_tsv *hdrs[] = { &ta, &tb };

	(void)state;
	fake_tsv(&ta, a, 3, NULL);
	fake_tsv(&tb, b, 3, NULL);
	assert_int_equal(rb_plot_select(figure("memory"), hdrs, 2, s, RB_PLOT_MAX_SERIES), 1);
	assert_string_equal(s[0].expr, "meminfo.MemFree[kB]");
	rb_tsv_free(&ta);
	rb_tsv_free(&tb);
}

static void test_every_figure_has_a_template(void **state)
{
	size_t n;
	const struct rb_plot_figure *f = rb_plot_figures(&n);
	char path[256];

	(void)state;
	assert_true(n >= 10);
	assert_int_equal(access("plots/_series.gp", R_OK), 0);
	for (size_t i = 0; i < n; i++) {
		(void)snprintf(path, sizeof(path), "plots/%s.gp", f[i].name);
		assert_int_equal(access(path, R_OK), 0);
		assert_true(f[i].n_series > 0);
	}
}

static void test_collect_run_dir(void **state)
{
	char *dirs[] = { RUN };
	struct rb_plot_run *runs;
	size_t n;
	char err[256];

	(void)state;
	assert_int_equal(rb_plot_collect(dirs, 1, false, &runs, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(runs[0].label, "quick");
	assert_string_equal(runs[0].dir, RUN);
	assert_string_equal(runs[0].start, "2026-11-21T21:35:32Z");
	assert_true(runs[0].rate == 10.0);
	free(runs);
}

static void test_collect_group_first_of_each_variant(void **state)
{
	char *dirs[] = { GROUP };
	struct rb_plot_run *runs;
	size_t n;
	char err[256];

	(void)state;
	assert_int_equal(rb_plot_collect(dirs, 1, false, &runs, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(runs[0].dir, GROUP "/01-a");
	assert_string_equal(runs[0].label, "quick/base");
	assert_string_equal(runs[1].label, "quick/roomy");
	free(runs);
}

static void test_collect_group_all_runs_unique_labels(void **state)
{
	char *dirs[] = { GROUP };
	struct rb_plot_run *runs;
	size_t n;
	char err[256];

	(void)state;
	assert_int_equal(rb_plot_collect(dirs, 1, true, &runs, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_string_equal(runs[0].label, "quick/base");
	assert_string_equal(runs[1].label, "quick/roomy");
	assert_string_equal(runs[2].label, "quick/base #2");
	assert_string_equal(runs[2].dir, GROUP "/03-a");
	free(runs);
}

static void test_collect_refuses_other_directories(void **state)
{
	char *dirs[] = { RUN, "tests/data/hist" };
	struct rb_plot_run *runs = (void *)1;
	size_t n = 7;
	char err[256] = "";

	(void)state;
	assert_int_equal(rb_plot_collect(dirs, 2, false, &runs, &n, err, sizeof(err)), -ENOENT);
	assert_null(runs);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err, "tests/data/hist: not a results directory"));
}

/* What f printed, as a string the caller frees. */
static char *printed(void (*fn)(FILE *, const void *, size_t), const void *arg, size_t len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	fn(f, arg, len);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void escape(FILE *f, const void *s, size_t len)
{
	(void)len;
	rb_html_escape(f, s);
}

static void base64(FILE *f, const void *s, size_t len)
{
	rb_base64(f, s, len);
}

static void test_html_escape(void **state)
{
	char *out = printed(escape, "<b class=\"x\">Tom & 'Jerry'</b> ok", 0);

	(void)state;
	assert_string_equal(out, "&lt;b class=&quot;x&quot;&gt;Tom &amp; "
				 "&#39;Jerry&#39;&lt;/b&gt; ok");
	free(out);
}

static void test_base64_rfc4648_vectors(void **state)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const want[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
					    "Zm9vYmFy" };

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *out = printed(base64, in[i], strlen(in[i]));
		assert_string_equal(out, want[i]);
		free(out);
	}
}

/* The whole file at path, as a string the caller frees. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 4 << 20);
	size_t n;

	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, (4 << 20) - 1, f);
	buf[n] = '\0';
	(void)fclose(f);
	return buf;
}

static void test_report_escapes_strings_from_files(void **state)
{
	char *dirs[] = { RUN };
	char path[] = "/tmp/rb-test-report.XXXXXX", err[256], *html;
	int fd = mkstemp(path);
	struct rb_report_options o = { RB_PLOT_SVG, NULL };

	(void)state;
	assert_true(fd >= 0);
	(void)close(fd);
	assert_int_equal(rb_report_write(dirs, 1, path, &o, err, sizeof(err)), 0);
	html = slurp(path);
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "older kernel &lt;b&gt;without&lt;/b&gt; zone &amp; memcg"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html, "workingset_refault &gt; 1000 &amp;&amp; &lt;x&gt;"));
	assert_non_null(strstr(html, "psi=1 &lt;&amp;&gt;"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b>"));
	assert_non_null(strstr(html, "</html>"));
	free(html);
	(void)unlink(path);
}

static void test_report_refuses_a_non_run(void **state)
{
	char *dirs[] = { "tests/data/hist" };
	char err[256] = "";
	struct rb_report_options o = { RB_PLOT_SVG, NULL };

	(void)state;
	assert_int_equal(rb_report_write(dirs, 1, "/tmp/rb-test-never.html", &o, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "not a results directory"));
	assert_int_equal(access("/tmp/rb-test-never.html", F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsv_columns_by_name),
		cmocka_unit_test(test_tsv_nan_column_has_no_data),
		cmocka_unit_test(test_tsv_missing_and_empty_files),
		cmocka_unit_test(test_unit_factors),
		cmocka_unit_test(test_memory_without_watermarks),
		cmocka_unit_test(test_memory_with_watermarks),
		cmocka_unit_test(test_figures_without_columns_are_skipped),
		cmocka_unit_test(test_reference_lines_alone_draw_nothing),
		cmocka_unit_test(test_alternative_column_names),
		cmocka_unit_test(test_wildcard_sums_every_zone),
		cmocka_unit_test(test_p99_one_series_per_worker_op),
		cmocka_unit_test(test_overlay_keeps_columns_every_run_has),
		cmocka_unit_test(test_every_figure_has_a_template),
		cmocka_unit_test(test_collect_run_dir),
		cmocka_unit_test(test_collect_group_first_of_each_variant),
		cmocka_unit_test(test_collect_group_all_runs_unique_labels),
		cmocka_unit_test(test_collect_refuses_other_directories),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_base64_rfc4648_vectors),
		cmocka_unit_test(test_report_escapes_strings_from_files),
		cmocka_unit_test(test_report_refuses_a_non_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
