/* report_compare.c - the report's comparison table: the statistics of
 * `reclaimbench compare` (compare.h, asked for JSON) as an HTML table, with
 * its verdict sentences. It applies to one `ab` group (its A runs against
 * its B runs) or to two run directories (A and B); otherwise the key-figure
 * table stands alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "report.h"
#include "report_priv.h"

static bool is_run(const char *dir)
{
	char path[PATH_MAX + 16];

	(void)snprintf(path, sizeof(path), "%s/meta.json", dir);
	return access(path, F_OK) == 0;
}

/* The number at o[key] (JSON null, missing: NaN) into a cell. */
static void num_cell(FILE *f, struct json_object *o, const char *key)
{
	struct json_object *v = rb_rep_get(o, key);
	double d = json_object_get_double(v);

	rb_rep_num(f, v ? &d : NULL);
}

/* "+12.3% (+5.0 .. +20.1%)" for the relative change, or n/a. */
static void change_cell(FILE *f, struct json_object *row)
{
	struct json_object *rel = rb_rep_get(row, "relative_change");
	struct json_object *ci = rb_rep_get(row, "relative_change_ci");
	struct json_object *lo = ci ? json_object_array_get_idx(ci, 0) : NULL;
	struct json_object *hi = ci ? json_object_array_get_idx(ci, 1) : NULL;

	if (!rel) {
		fputs("<td class=\"na\">n/a</td>", f);
		return;
	}
	fprintf(f, "<td>%+.1f%%", json_object_get_double(rel) * 100);
	if (lo && hi)
		fprintf(f, " (%+.1f .. %+.1f%%)", json_object_get_double(lo) * 100,
			json_object_get_double(hi) * 100);
	fputs("</td>", f);
}

static void row(FILE *f, struct json_object *r)
{
	const char *verdict = rb_rep_str(r, "verdict");
	struct json_object *p = rb_rep_get(r, "p");

	fputs("<tr>", f);
	rb_rep_cell(f, "th", rb_rep_str(r, "metric"));
	rb_rep_cell(f, "td", rb_rep_str(r, "better"));
	num_cell(f, rb_rep_get(r, "a"), "median");
	num_cell(f, rb_rep_get(r, "b"), "median");
	change_cell(f, r);
	if (p)
		fprintf(f, "<td>%.2g (", json_object_get_double(p));
	else
		fputs("<td class=\"na\">n/a (", f);
	rb_html_escape(f, rb_rep_str(r, "test"));
	fputs(")</td>", f);
	fprintf(f, "<td class=\"%s\">", strcmp(verdict, "better") == 0 ? "ok" :
					 strcmp(verdict, "worse") == 0 ? "bad" : "");
	rb_html_escape(f, verdict);
	fputs("</td></tr>\n", f);
}

static void table(FILE *f, struct json_object *c)
{
	struct json_object *rows = rb_rep_get(c, "metrics"), *verdicts = rb_rep_get(c, "verdicts");

	fputs("<p>", f);
	rb_html_escape(f, rb_rep_str(c, "b.label"));
	fputs(" against ", f);
	rb_html_escape(f, rb_rep_str(c, "a.label"));
	fprintf(f, " (%zu against %zu runs): medians, the relative change of the means with its "
		   "95%% bootstrap interval, the p-value of the test the verdict used.",
		json_object_array_length(rb_rep_get(c, "b.runs")),
		json_object_array_length(rb_rep_get(c, "a.runs")));
	if (!json_object_get_boolean(rb_rep_get(c, "verdict_possible")))
		fprintf(f, " Fewer than %d runs a side: no verdict.", RB_COMPARE_MIN_N);
	fputs("</p>\n<ul>\n", f);
	for (size_t i = 0; verdicts && i < json_object_array_length(verdicts); i++) {
		struct json_object *v = json_object_array_get_idx(verdicts, i);
		rb_rep_cell(f, "li", json_object_get_string(v));
		fputc('\n', f);
	}
	fputs("</ul>\n<table class=\"num\">\n<tr><th>metric</th><th>better</th>"
	      "<th>A median</th><th>B median</th><th>change of B (95% CI)</th>"
	      "<th>p (test)</th><th>verdict</th></tr>\n", f);
	for (size_t i = 0; rows && i < json_object_array_length(rows); i++)
		row(f, json_object_array_get_idx(rows, i));
	fputs("</table>\n", f);
}

/* compare's JSON for args, or NULL (it said why on stderr). */
static struct json_object *compare_json(const char *const *args, size_t n)
{
	struct rb_compare_request req = { args, n, RB_COMPARE_JSON, NULL, false, 0, NULL };
	struct json_object *c = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	req.out = open_memstream(&buf, &len);
	if (!req.out)
		return NULL;
	rc = rb_compare_report(&req);
	if (fclose(req.out) == 0 && rc == 0)
		c = json_tokener_parse(buf);
	free(buf);
	return c;
}

bool rb_rep_compare_applies(char *const *dirs, size_t n_dirs)
{
	return (n_dirs == 1 && !is_run(dirs[0])) ||
	       (n_dirs == 2 && is_run(dirs[0]) && is_run(dirs[1]));
}

void rb_rep_compare(FILE *f, char *const *dirs, size_t n_dirs)
{
	const char *args[2] = { dirs[0], n_dirs > 1 ? dirs[1] : NULL };
	struct json_object *c;

	if (!rb_rep_compare_applies(dirs, n_dirs))
		return;
	fputs("<h2 id=\"compare\">Comparison</h2>\n", f);
	c = compare_json(args, n_dirs);
	if (!c) {
		fputs("<p class=\"na\">reclaimbench compare refused these runs (its message is "
		      "on the terminal): they are not comparable, or a side has no complete "
		      "run.</p>\n", f);
		return;
	}
	table(f, c);
	json_object_put(c);
}
