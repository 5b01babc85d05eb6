/* compare_metrics.c - the metrics `compare` reads from summary.json: one
 * lookup (the expect lines' names, plus the signature as 0/1 and zero
 * rates that summary.json leaves out) and the default metric set. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_priv.h"
#include "summary.h"

static struct json_object *child(struct json_object *o, const char *key)
{
	struct json_object *c = NULL;

	return o && json_object_object_get_ex(o, key, &c) ? c : NULL;
}

/* A child that is an object, for json_object_object_foreach (which
 * dereferences what it is given): NULL otherwise. */
static struct json_object *object_child(struct json_object *o, const char *key)
{
	struct json_object *c = child(o, key);

	return c && json_object_is_type(c, json_type_object) ? c : NULL;
}

static bool is_number(struct json_object *o)
{
	return o && (json_object_is_type(o, json_type_int) ||
		     json_object_is_type(o, json_type_double));
}

int rb_compare_metric(struct json_object *summary, const char *name, double *out)
{
	struct json_object *o;
	size_t len = strlen(name);
	char base[160];

	if (strcmp(name, "reproduced") == 0) {
		o = child(summary, "reproduced");
		if (!o || !json_object_is_type(o, json_type_boolean))
			return -ENOENT;
		*out = json_object_get_boolean(o) ? 1 : 0;
		return 0;
	}
	/* rb_summary_lookup walks these objects without checking them */
	if (!object_child(summary, "workers") ||
	    (strncmp(name, "baseline.", 9) == 0 && !object_child(summary, "baseline")))
		return -ENOENT;
	if (rb_summary_lookup(summary, name, out) == 0)
		return 0;
	/* vmstat_per_s holds only the counters that moved */
	if (len <= 6 || len - 6 >= sizeof(base) || strcmp(name + len - 6, "_per_s") != 0)
		return -ENOENT;
	memcpy(base, name, len - 6);
	base[len - 6] = '\0';
	o = child(child(summary, "vmstat"), base);
	if (!is_number(o) || json_object_get_double(o) != 0)
		return -ENOENT;
	*out = 0;
	return 0;
}

int rb_names_add(struct rb_names *l, const char *s)
{
	char *copy;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 0;
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	l->v[l->n++] = copy;
	l->v[l->n] = NULL;
	return 0;
}

void rb_compare_names_free(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

static int add_fmt(struct rb_names *l, const char *a, const char *b, const char *c)
{
	char name[192];

	(void)snprintf(name, sizeof(name), "%s%s%s", a, b, c);
	return rb_names_add(l, name);
}

static int psi_metrics(struct json_object *s, struct rb_names *l)
{
	struct json_object *psi = object_child(s, "psi");
	int rc = 0;

	if (!psi)
		return 0;
	json_object_object_foreach(psi, res, fields) {
		if (rc == 0 && child(fields, "some_pct"))
			rc = add_fmt(l, "psi.", res, ".some_pct");
		if (rc == 0 && child(fields, "full_pct"))
			rc = add_fmt(l, "psi.", res, ".full_pct");
	}
	return rc;
}

/* ops_per_s, bytes_per_s, and p50/p99/p99.9 of each histogram with samples. */
static int worker_metrics(const char *wname, struct json_object *w, struct rb_names *l)
{
	static const char *const stats[] = { ".p50_us", ".p99_us", ".p99.9_us" };
	struct json_object *lat = object_child(w, "latency");
	char prefix[160];
	int rc = add_fmt(l, wname, ".ops_per_s", "");

	if (rc == 0)
		rc = add_fmt(l, wname, ".bytes_per_s", "");
	if (rc || !lat)
		return rc;
	json_object_object_foreach(lat, op, hist) {
		struct json_object *count = child(hist, "count");
		if (!is_number(count) || json_object_get_double(count) <= 0)
			continue;
		(void)snprintf(prefix, sizeof(prefix), "%s.%s", wname, op);
		for (size_t i = 0; rc == 0 && i < sizeof(stats) / sizeof(stats[0]); i++)
			rc = add_fmt(l, prefix, stats[i], "");
	}
	return rc;
}

static int summary_metrics(struct json_object *s, struct rb_names *l)
{
	static const char *const extra[] = { "pgscan_direct_per_s", "watermarks.below_low_pct",
					     "watermarks.below_min_pct" };
	struct json_object *derived = object_child(s, "derived");
	struct json_object *workers = object_child(s, "workers");
	double v;
	int rc = 0;

	if (derived) {
		json_object_object_foreach(derived, key, val) {
			if (rc == 0 && is_number(val))
				rc = rb_names_add(l, key);
		}
	}
	for (size_t i = 0; rc == 0 && i < sizeof(extra) / sizeof(extra[0]); i++)
		if (rb_compare_metric(s, extra[i], &v) == 0)
			rc = rb_names_add(l, extra[i]);
	if (rc == 0)
		rc = psi_metrics(s, l);
	if (workers) {
		json_object_object_foreach(workers, wname, w) {
			if (rc == 0)
				rc = worker_metrics(wname, w, l);
		}
	}
	if (rc == 0 && rb_compare_metric(s, "reproduced", &v) == 0)
		rc = rb_names_add(l, "reproduced");
	return rc;
}

int rb_compare_default_metrics(struct json_object *const *summaries, size_t n, char ***names)
{
	struct rb_names l = { 0 };
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = summary_metrics(summaries[i], &l);
	if (rc == 0 && !l.v && !(l.v = calloc(1, sizeof(*l.v))))
		rc = -ENOMEM;
	if (rc) {
		rb_compare_names_free(l.v);
		return rc;
	}
	*names = l.v;
	return 0;
}
