/* compare_report.c - the whole `compare`: load both sides, refuse runs
 * whose comparability keys differ (unless --force), pick the metrics,
 * compute a row per metric and hand the result to a writer. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare_priv.h"

#define MAX_KEY_REPORTS 5

static struct json_object *key_of(const struct rb_compare_run *r)
{
	struct json_object *k = NULL;

	return json_object_object_get_ex(r->meta, "comparability", &k) ? k : NULL;
}

/* Check one run against the reference; 1 (and a note) when it differs. */
static int check_run(const struct rb_compare_run *ref, const struct rb_compare_run *r, bool force,
		     struct json_object *warnings, size_t *reported)
{
	char field[128], va[512], vb[512], msg[2048 + 2 * PATH_MAX];

	if (!rb_compare_key_diff(key_of(ref), key_of(r), field, sizeof(field), va, vb, sizeof(va)))
		return 0;
	if (!key_of(ref) || !key_of(r))
		(void)snprintf(msg, sizeof(msg), "%s/meta.json has no comparability key (a "
			       "run recorded before reclaimbench kept one)",
			       key_of(r) ? ref->dir : r->dir);
	else
		(void)snprintf(msg, sizeof(msg), "%s differs: %s (%s) vs %s (%s)", field, va,
			       ref->dir, vb, r->dir);
	if (force)
		json_object_array_add(warnings, json_object_new_string(msg));
	if ((*reported)++ < MAX_KEY_REPORTS)
		fprintf(stderr, "compare: %s%s\n", force ? "warning: " : "", msg);
	return 1;
}

/* Every run against the first run of A. 0, or 1 when refused. */
static int check_keys(const struct rb_compare_side *a, const struct rb_compare_side *b,
		      bool force, struct json_object *warnings)
{
	size_t differ = 0, reported = 0;

	for (size_t i = 1; i < a->n; i++)
		differ += (size_t)check_run(&a->runs[0], &a->runs[i], force, warnings, &reported);
	for (size_t i = 0; i < b->n; i++)
		differ += (size_t)check_run(&a->runs[0], &b->runs[i], force, warnings, &reported);
	if (differ && reported > MAX_KEY_REPORTS)
		fprintf(stderr, "compare: ... %zu runs differ in all\n", differ);
	if (differ && !force) {
		fprintf(stderr, "compare: refusing to compare runs that are not comparable "
				"(comparability key in meta.json); --force compares them anyway\n");
		return 1;
	}
	return 0;
}

/* Values of one metric over a side's runs (those that have it). */
static size_t values(const struct rb_compare_side *s, const char *metric, double *out)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		if (rb_compare_metric(s->runs[i].summary, metric, &out[n]) == 0)
			n++;
	return n;
}

static bool all_zero(const struct rb_compare_side *a, const struct rb_compare_side *b,
		     const char *metric, double *buf)
{
	size_t na = values(a, metric, buf), nb = values(b, metric, buf + na);

	for (size_t i = 0; i < na + nb; i++)
		if (buf[i] != 0)
			return false;
	return true;
}

static int default_names(const struct rb_compare_side *a, const struct rb_compare_side *b,
			 char ***names)
{
	struct json_object **sums = calloc(a->n + b->n, sizeof(*sums));
	int rc;

	if (!sums)
		return -ENOMEM;
	for (size_t i = 0; i < a->n + b->n; i++)
		sums[i] = i < a->n ? a->runs[i].summary : b->runs[i - a->n].summary;
	rc = rb_compare_default_metrics(sums, a->n + b->n, names);
	free(sums);
	return rc;
}

/* One --metrics item: a glob over the default set, or a name any run has. */
static int pick(const struct rb_compare_side *a, const struct rb_compare_side *b, char **all,
		const char *item, struct rb_names *out, double *buf)
{
	size_t before = out->n;
	int rc = 0;

	if (strpbrk(item, "*?[")) {
		for (size_t i = 0; rc == 0 && all[i]; i++)
			if (fnmatch(item, all[i], 0) == 0)
				rc = rb_names_add(out, all[i]);
	} else if (values(a, item, buf) + values(b, item, buf)) {
		rc = rb_names_add(out, item);
	}
	if (rc == 0 && out->n == before)
		fprintf(stderr, "compare: no run has a metric '%s'\n", item);
	return rc;
}

static int chosen_names(const struct rb_compare_request *req, const struct rb_compare_side *a,
			const struct rb_compare_side *b, struct rb_names *out, double *buf)
{
	char **all = NULL, *list = NULL, *save = NULL;
	int rc = default_names(a, b, &all);

	if (rc == 0 && !req->metrics) {
		for (size_t i = 0; rc == 0 && all[i]; i++)
			rc = rb_names_add(out, all[i]);
	} else if (rc == 0) {
		list = strdup(req->metrics);
		rc = list ? 0 : -ENOMEM;
		for (char *t = list ? strtok_r(list, ",", &save) : NULL; t && rc == 0;
		     t = strtok_r(NULL, ",", &save))
			rc = pick(a, b, all, t + strspn(t, " "), out, buf);
	}
	free(list);
	rb_compare_names_free(all);
	return rc;
}

static int compute(const struct rb_compare_request *req, struct rb_compare_result *res,
		   double *buf)
{
	struct rb_names names = { 0 };
	int rc = chosen_names(req, res->a, res->b, &names, buf);

	res->rows = rc == 0 ? calloc(names.n ? names.n : 1, sizeof(*res->rows)) : NULL;
	if (rc == 0 && !res->rows)
		rc = -ENOMEM;
	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		if (!req->metrics && all_zero(res->a, res->b, names.v[i], buf)) {
			res->n_all_zero++;
			continue;
		}
		const char *m = names.v[i];
		size_t na = values(res->a, m, buf), nb = values(res->b, m, buf + na);
		rc = rb_compare_row(m, buf, na, buf + na, nb, &res->rows[res->n_rows++]);
	}
	rb_compare_names_free(names.v);
	return rc;
}

static bool want_color(const struct rb_compare_request *req)
{
	const char *no = getenv("NO_COLOR");

	if (req->format != RB_COMPARE_TEXT || req->color == 0)
		return false;
	return req->color > 0 || (isatty(fileno(req->out)) && !(no && *no));
}

static void write_out(const struct rb_compare_request *req, const struct rb_compare_result *res)
{
	if (req->format == RB_COMPARE_JSON)
		rb_compare_write_json(res, req->out);
	else if (req->format == RB_COMPARE_MARKDOWN)
		rb_compare_write_markdown(res, req->out);
	else
		rb_compare_write_text(res, req->out);
}

int rb_compare_report(const struct rb_compare_request *req)
{
	struct rb_compare_side a = { 0 }, b = { 0 };
	struct rb_compare_result res = { &a, &b, NULL, 0, 0, NULL, want_color(req) };
	char err[PATH_MAX + 256];
	double *buf = NULL;
	int rc = rb_compare_load(req, &a, &b, err, sizeof(err));

	if (rc) {
		fprintf(stderr, "compare: %s\n", err);
		return rc;
	}
	res.warnings = json_object_new_array();
	rc = check_keys(&a, &b, req->force, res.warnings);
	buf = rc == 0 ? calloc(a.n + b.n, sizeof(*buf)) : NULL;
	if (rc == 0 && (!buf || compute(req, &res, buf) != 0)) {
		fprintf(stderr, "compare: out of memory\n");
		rc = 1;
	}
	if (rc == 0 && res.n_rows == 0 && req->metrics) {
		fprintf(stderr, "compare: none of the metrics asked for is in these runs\n");
		rc = 1;
	}
	if (rc == 0)
		write_out(req, &res);
	free(buf);
	free(res.rows);
	json_object_put(res.warnings);
	rb_compare_side_free(&a);
	rb_compare_side_free(&b);
	return rc;
}
