/* report_tables.c - the report's tables, a column per run: what ran and
 * where, the machine, the signature verdicts, the key figures (with the
 * change against the first run), every worker's percentiles, the settings
 * applied and the events. Values are read by name from meta.json and
 * summary.json (rb_summary_lookup, the names `expect` lines use). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_priv.h"
#include "summary.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_CHANGE_COLUMNS 3 /* runs beyond the first compared in the key figures */

struct row {
	const char *label;
	const char *path; /* in meta.json, or a summary metric */
	enum { TEXT, BYTES, METRIC } kind;
};

static const struct row run_rows[] = {
	{ "profile", "profile.name", TEXT },       { "variant", "profile.variant", TEXT },
	{ "description", "profile.description", TEXT }, { "mode", "mode", TEXT },
	{ "memory", "memory_bytes", BYTES },       { "duration [s]", "duration_s", TEXT },
	{ "seed", "seed", TEXT },                  { "sample rate [Hz]", "sample_rate_hz", TEXT },
	{ "profile hash", "profile.hash", TEXT },  { "start (UTC)", "start", TEXT },
	{ "end (UTC)", "end", TEXT },              { "status", "status", TEXT },
	{ "status reason", "status_reason", TEXT },
	{ "restore failures", "restore_failures", TEXT },
};

static const struct row machine_rows[] = {
	{ "host", "machine.hostname", TEXT },
	{ "kernel", "machine.kernel.release", TEXT },
	{ "kernel build", "machine.kernel.version", TEXT },
	{ "architecture", "machine.kernel.machine", TEXT },
	{ "command line", "machine.kernel.cmdline", TEXT },
	{ "CPU", "machine.topology.cpu_model", TEXT },
	{ "cores", "machine.topology.cores", TEXT },
	{ "CPUs (PUs)", "machine.topology.pus", TEXT },
	{ "NUMA nodes", "machine.numa_nodes", TEXT },
	{ "memory", "machine.mem_total_bytes", BYTES },
	{ "swap", "machine.swap_total_bytes", BYTES },
	{ "cgroup version", "machine.cgroup_version", TEXT },
	{ "PSI", "machine.psi", TEXT },
	{ "THP enabled", "machine.thp.enabled", TEXT },
	{ "THP defrag", "machine.thp.defrag", TEXT },
};

static const struct row key_rows[] = {
	{ "allocation stalls [1/s]", "allocstall_per_s", METRIC },
	{ "pgscan_direct [pages]", "pgscan_direct", METRIC },
	{ "pgscan_kswapd [pages]", "pgscan_kswapd", METRIC },
	{ "direct-reclaim share [%]", "direct_reclaim_share_pct", METRIC },
	{ "reclaim efficiency (steal/scan) [%]", "reclaim_efficiency_pct", METRIC },
	{ "scan velocity [pages/s]", "scan_velocity_pages_per_s", METRIC },
	{ "kswapd CPU [% of one CPU]", "kswapd_cpu_pct", METRIC },
	{ "refaults [1/s]", "refault_rate_per_s", METRIC },
	{ "workingset_refault_file", "workingset_refault_file", METRIC },
	{ "major faults", "pgmajfault", METRIC },
	{ "compact_stall", "compact_stall", METRIC },
	{ "compaction success [%]", "compaction_success_rate_pct", METRIC },
	{ "THP fallback [%]", "thp_fallback_pct", METRIC },
	{ "PSI memory some [% of run]", "psi.memory.some_pct", METRIC },
	{ "PSI memory full [% of run]", "psi.memory.full_pct", METRIC },
	{ "PSI io some [% of run]", "psi.io.some_pct", METRIC },
	{ "PSI io full [% of run]", "psi.io.full_pct", METRIC },
	{ "memcg limit hits", "memcg_limit_hits", METRIC },
	{ "memcg failcnt", "memcg.failcnt", METRIC },
	{ "memcg file refaults", "memcg_refault_file", METRIC },
	{ "samples below the low watermark [%]", "watermarks.below_low_pct", METRIC },
	{ "samples below the min watermark [%]", "watermarks.below_min_pct", METRIC },
	{ "lowest free [pages]", "watermarks.free_min_pages", METRIC },
	{ "lowest MemAvailable [kB]", "meminfo.MemAvailable.min_kB", METRIC },
};

static const char *const percentiles[] = { "p50_us", "p90_us", "p99_us", "p99.9_us",
					   "p99.99_us", "max_us" };

static void status_cell(FILE *f, const char *status)
{
	fprintf(f, "<td class=\"%s\">", strcmp(status, "complete") ? "bad" : "ok");
	rb_html_escape(f, status);
	fputs("</td>", f);
}

/* A metadata row, a cell per run. */
static void meta_row(FILE *f, const struct row *r, const struct rb_rep_run *runs, size_t n)
{
	fputs("<tr>", f);
	rb_rep_cell(f, "th", r->label);
	for (size_t i = 0; i < n; i++) {
		if (r->kind == BYTES)
			rb_rep_bytes(f, rb_rep_get(runs[i].meta, r->path));
		else if (strcmp(r->path, "status") == 0)
			status_cell(f, rb_rep_str(runs[i].meta, "status"));
		else
			rb_rep_cell(f, "td", rb_rep_str(runs[i].meta, r->path));
	}
	fputs("</tr>\n", f);
}

static void meta_table(FILE *f, const struct row *rows, size_t n_rows,
		       const struct rb_rep_run *runs, size_t n)
{
	fputs("<table>\n", f);
	rb_rep_run_header(f, NULL, runs, n);
	fputs("</tr>\n", f);
	for (size_t i = 0; i < n_rows; i++)
		meta_row(f, &rows[i], runs, n);
	fputs("<tr><th>directory</th>", f);
	for (size_t i = 0; i < n; i++)
		rb_rep_cell(f, "td", runs[i].run->dir);
	fputs("</tr>\n</table>\n", f);
}

void rb_rep_runs(FILE *f, const struct rb_rep_run *runs, size_t n)
{
	fputs("<h2 id=\"runs\">Runs: profile and settings</h2>\n", f);
	meta_table(f, run_rows, ARRAY_SIZE(run_rows), runs, n);
}

void rb_rep_machine(FILE *f, const struct rb_rep_run *runs, size_t n)
{
	fputs("<h2 id=\"machine\">Machine and kernel</h2>\n<table>\n", f);
	rb_rep_run_header(f, NULL, runs, n);
	fputs("</tr>\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(machine_rows); i++)
		meta_row(f, &machine_rows[i], runs, n);
	fputs("</table>\n", f);
}

/* The expect object of run r whose text is text, or NULL. */
static struct json_object *find_expect(const struct rb_rep_run *r, const char *text)
{
	struct json_object *list = rb_rep_get(r->summary, "expect");

	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		if (strcmp(rb_rep_str(e, "expect"), text) == 0)
			return e;
	}
	return NULL;
}

static void expect_cell(FILE *f, struct json_object *e)
{
	char buf[128];
	bool ok = e && json_object_get_boolean(rb_rep_get(e, "ok"));

	if (!e) {
		fputs("<td class=\"na\">n/a</td>", f);
		return;
	}
	if (*rb_rep_str(e, "error"))
		(void)snprintf(buf, sizeof(buf), "no: %s", rb_rep_str(e, "error"));
	else
		(void)snprintf(buf, sizeof(buf), "%s: %.4g vs %.4g", ok ? "yes" : "no",
			       json_object_get_double(rb_rep_get(e, "lhs")),
			       json_object_get_double(rb_rep_get(e, "rhs")));
	fprintf(f, "<td class=\"%s\">", ok ? "ok" : "bad");
	rb_html_escape(f, buf);
	fputs("</td>", f);
}

/* One row per distinct expect line (in the order first seen). */
static void expect_rows(FILE *f, const struct rb_rep_run *runs, size_t n)
{
	for (size_t r = 0; r < n; r++) {
		struct json_object *list = rb_rep_get(runs[r].summary, "expect");
		for (size_t i = 0; list && i < json_object_array_length(list); i++) {
			const char *text = rb_rep_str(json_object_array_get_idx(list, i), "expect");
			bool earlier = false;
			for (size_t q = 0; q < r && !earlier; q++)
				earlier = find_expect(&runs[q], text) != NULL;
			if (earlier)
				continue;
			fputs("<tr>", f);
			rb_rep_cell(f, "th", text);
			for (size_t k = 0; k < n; k++)
				expect_cell(f, find_expect(&runs[k], text));
			fputs("</tr>\n", f);
		}
	}
}

void rb_rep_signature(FILE *f, const struct rb_rep_run *runs, size_t n)
{
	fputs("<h2 id=\"signature\">Signature</h2>\n<p>Each <code>expect</code> line of the "
	      "profile, with its left and right sides as measured.</p>\n<table>\n", f);
	rb_rep_run_header(f, "expect", runs, n);
	fputs("</tr>\n", f);
	expect_rows(f, runs, n);
	fputs("<tr><th>reproduced</th>", f);
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = rb_rep_get(runs[i].summary, "reproduced");
		bool yes = v && json_object_get_boolean(v);
		fprintf(f, "<td class=\"%s\">%s</td>", !v ? "na" : yes ? "ok" : "bad",
			!v ? "n/a" : yes ? "yes" : "no");
	}
	fputs("</tr>\n</table>\n", f);
}

/* Look metric up in every run; false if no run has it. */
static bool lookup_all(const struct rb_rep_run *runs, size_t n, const char *metric, double *v,
		       bool *has)
{
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		has[i] = runs[i].summary &&
			 rb_summary_lookup(runs[i].summary, metric, &v[i]) == 0 && isfinite(v[i]);
		any = any || has[i];
	}
	return any;
}

static void change_cell(FILE *f, double base, bool has_base, double v, bool has)
{
	if (!has || !has_base || base == 0)
		fputs("<td class=\"na\">n/a</td>", f);
	else
		fprintf(f, "<td class=\"%s\">%+.1f%%</td>",
			v > base ? "up" : v < base ? "down" : "", (v - base) / fabs(base) * 100.0);
}

/* A key-figure row, plus the change columns. */
static void metric_row(FILE *f, const char *label, const char *metric,
		       const struct rb_rep_run *runs, size_t n)
{
	double v[RB_PLOT_MAX_RUNS];
	bool has[RB_PLOT_MAX_RUNS];
	size_t changes = n > 1 + MAX_CHANGE_COLUMNS ? 0 : n - 1;

	if (!lookup_all(runs, n, metric, v, has))
		return;
	fputs("<tr>", f);
	rb_rep_cell(f, "th", label);
	for (size_t i = 0; i < n; i++)
		rb_rep_num(f, has[i] ? &v[i] : NULL);
	for (size_t i = 1; i <= changes; i++)
		change_cell(f, v[0], has[0], v[i], has[i]);
	fputs("</tr>\n", f);
}

static bool is_object(struct json_object *o)
{
	return json_object_is_type(o, json_type_object);
}

/* p50/p99/max rows of one worker's histograms (those with samples). */
static void worker_rows(FILE *f, const char *w, struct json_object *lat,
			const struct rb_rep_run *runs, size_t n)
{
	static const char *const shown[] = { "p50_us", "p99_us", "max_us" };
	char metric[256], label[256];

	if (!is_object(lat))
		return;
	json_object_object_foreach(lat, op, h) {
		if (json_object_get_int64(rb_rep_get(h, "count")) == 0)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(shown); i++) {
			(void)snprintf(metric, sizeof(metric), "%s.%s.%s", w, op, shown[i]);
			(void)snprintf(label, sizeof(label), "%s.%s %.*s [us]", w, op,
				       (int)strcspn(shown[i], "_"), shown[i]);
			metric_row(f, label, metric, runs, n);
		}
	}
}

/* Every worker of the first run: its latency rows and its ops/s. */
static void latency_rows(FILE *f, const struct rb_rep_run *runs, size_t n)
{
	struct json_object *workers = rb_rep_get(runs[0].summary, "workers");
	char metric[256], label[256];

	if (!is_object(workers))
		return;
	json_object_object_foreach(workers, w, wo) {
		worker_rows(f, w, rb_rep_get(wo, "latency"), runs, n);
		(void)snprintf(metric, sizeof(metric), "%s.ops_per_s", w);
		(void)snprintf(label, sizeof(label), "%s ops [1/s]", w);
		metric_row(f, label, metric, runs, n);
	}
}

void rb_rep_key_figures(FILE *f, const struct rb_rep_run *runs, size_t n)
{
	size_t changes = n > 1 + MAX_CHANGE_COLUMNS ? 0 : n - 1;

	fputs("<h2 id=\"figures-table\">Key figures</h2>\n", f);
	if (n > 1)
		fprintf(f, "<p>Side by side%s. One run a side is an observation, not a verdict: "
			   "<code>reclaimbench ab</code> repeats A and B and "
			   "<code>reclaimbench compare</code> tests the difference.</p>\n",
			changes ? ", with each run's change against the first" : "");
	fputs("<table class=\"num\">\n", f);
	rb_rep_run_header(f, "figure", runs, n);
	for (size_t i = 1; i <= changes; i++) {
		fputs("<th>", f);
		rb_html_escape(f, runs[i].run->label);
		fputs(" vs ", f);
		rb_html_escape(f, runs[0].run->label);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(key_rows); i++)
		metric_row(f, key_rows[i].label, key_rows[i].path, runs, n);
	latency_rows(f, runs, n);
	fputs("</table>\n", f);
}

/* A cell with h's member key (which may hold a dot: "p99.9_us"), n/a
 * when it has none. */
static void field_cell(FILE *f, struct json_object *h, const char *key)
{
	struct json_object *v = NULL;
	double d;

	if (!json_object_object_get_ex(h, key, &v)) {
		rb_rep_num(f, NULL);
		return;
	}
	d = json_object_get_double(v);
	rb_rep_num(f, &d);
}

/* One worker's histogram rows. */
static void hist_rows(FILE *f, const char *w, struct json_object *lat)
{
	if (!is_object(lat))
		return;
	json_object_object_foreach(lat, op, h) {
		fputs("<tr><th>", f);
		rb_html_escape(f, w);
		fputc('.', f);
		rb_html_escape(f, op);
		fputs("</th>", f);
		field_cell(f, h, "count");
		field_cell(f, h, "mean_us");
		for (size_t i = 0; i < ARRAY_SIZE(percentiles); i++)
			field_cell(f, h, percentiles[i]);
		fputs("</tr>\n", f);
	}
}

/* One run's worker percentiles table. */
static void worker_table(FILE *f, const struct rb_rep_run *r)
{
	struct json_object *workers = rb_rep_get(r->summary, "workers");

	fputs("<table class=\"num\">\n<tr><th>worker.op</th><th>count</th><th>mean</th>", f);
	for (size_t i = 0; i < ARRAY_SIZE(percentiles); i++)
		fprintf(f, "<th>%.*s</th>", (int)strcspn(percentiles[i], "_"), percentiles[i]);
	fputs("</tr>\n", f);
	if (is_object(workers)) {
		json_object_object_foreach(workers, w, wo)
			hist_rows(f, w, rb_rep_get(wo, "latency"));
	}
	fputs("</table>\n", f);
}

void rb_rep_workers(FILE *f, const struct rb_rep_run *runs, size_t n)
{
	fputs("<h2 id=\"latency\">Worker latency (whole run, microseconds)</h2>\n", f);
	for (size_t i = 0; i < n; i++) {
		if (n > 1)
			rb_rep_cell(f, "h3", runs[i].run->label);
		if (runs[i].summary)
			worker_table(f, &runs[i]);
		else
			fputs("<p class=\"na\">No summary.json: the run wrote no figures.</p>\n",
			      f);
	}
}

/* A table of the objects in list, one column per key. */
static void object_table(FILE *f, struct json_object *list, const char *const *keys, size_t nk)
{
	fputs("<table>\n<tr>", f);
	for (size_t k = 0; k < nk; k++)
		rb_rep_cell(f, "th", keys[k]);
	fputs("</tr>\n", f);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *o = json_object_array_get_idx(list, i);

		fputs("<tr>", f);
		for (size_t k = 0; k < nk; k++)
			rb_rep_cell(f, "td", rb_rep_str(o, keys[k]));
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

void rb_rep_settings(FILE *f, const struct rb_rep_run *runs, size_t n)
{
	static const char *const setting_keys[] = { "kind", "key", "before", "applied" };
	static const char *const event_keys[] = { "t_s", "type", "worker", "detail" };

	fputs("<h2 id=\"settings\">Settings changed, events, profile as run</h2>\n", f);
	for (size_t i = 0; i < n; i++) {
		struct json_object *s = rb_rep_get(runs[i].meta, "settings");
		struct json_object *e = rb_rep_get(runs[i].meta, "events");
		rb_rep_cell(f, "h3", runs[i].run->label);
		if (s && json_object_array_length(s))
			object_table(f, s, setting_keys, ARRAY_SIZE(setting_keys));
		else
			fputs("<p>No setting changed.</p>\n", f);
		if (e && json_object_array_length(e))
			object_table(f, e, event_keys, ARRAY_SIZE(event_keys));
		fputs("<details><summary>profile.ini as run</summary><pre>", f);
		rb_html_escape(f, rb_rep_str(runs[i].meta, "profile.text"));
		fputs("</pre></details>\n", f);
	}
}
