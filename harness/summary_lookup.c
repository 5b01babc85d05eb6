/* summary_lookup.c - resolves metric names against summary.json (the names
 * are listed in include/summary.h) and evaluates the profile's expect lines
 * into the verdict. One source of truth: an expect line sees exactly the
 * numbers the user reads in summary.json. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "summary.h"

static int number(struct json_object *o, double *out)
{
	if (!o || !(json_object_is_type(o, json_type_int) || json_object_is_type(o, json_type_double)))
		return -ENOENT;
	*out = json_object_get_double(o);
	return 0;
}

static struct json_object *child(struct json_object *o, const char *key)
{
	struct json_object *c = NULL;

	return o && json_object_object_get_ex(o, key, &c) ? c : NULL;
}

/* Walk "a.b.c" through nested objects (keys without dots). */
static int by_path(struct json_object *o, const char *path, double *out)
{
	char buf[256], *save = NULL;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENOENT;
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		o = child(o, k);
	return number(o, out);
}

/* "<op>.<stat>" or "<stat>" (first histogram) or a worker total. */
static int worker_metric(struct json_object *w, const char *rest, double *out)
{
	struct json_object *lat = child(w, "latency");

	if (number(child(w, rest), out) == 0)
		return 0;
	if (!json_object_is_type(lat, json_type_object))
		return -ENOENT;
	json_object_object_foreach(lat, op, hist) {
		size_t len = strlen(op);
		if (strncmp(rest, op, len) == 0 && rest[len] == '.')
			return number(child(hist, rest + len + 1), out);
	}
	json_object_object_foreach(lat, first, h) {
		(void)first;
		return number(child(h, rest), out);
	}
	return -ENOENT;
}

/* Longest worker name that prefixes name followed by '.'; "baseline."
 * looks in the baseline window's figures instead of the whole run's. */
static int worker_lookup(struct json_object *summary, const char *name, double *out)
{
	struct json_object *best = NULL, *workers = child(summary, "workers");
	size_t best_len = 0;

	if (strncmp(name, "baseline.", 9) == 0) {
		workers = child(summary, "baseline");
		name += 9;
	}
	if (strncmp(name, "worker.", 7) == 0)
		name += 7;
	if (!json_object_is_type(workers, json_type_object))
		return -ENOENT;
	json_object_object_foreach(workers, wname, w) {
		size_t len = strlen(wname);
		if (len > best_len && strncmp(name, wname, len) == 0 && name[len] == '.') {
			best = w;
			best_len = len;
		}
	}
	return best ? worker_metric(best, name + best_len + 1, out) : -ENOENT;
}

int rb_summary_lookup(void *ctx, const char *name, double *out)
{
	struct json_object *s = ctx;
	static const char *const flat[] = { "derived", "vmstat", "vmstat_per_s" };

	for (size_t i = 0; i < sizeof(flat) / sizeof(flat[0]); i++)
		if (number(child(child(s, flat[i]), name), out) == 0)
			return 0;
	if (strncmp(name, "memcg.", 6) == 0 && number(child(child(s, "memcg"), name + 6), out) == 0)
		return 0;
	if (number(child(s, name), out) == 0)
		return 0;
	if ((strncmp(name, "psi.", 4) == 0 || strncmp(name, "meminfo.", 8) == 0 ||
	     strncmp(name, "watermarks.", 11) == 0 || strncmp(name, "rewarm.", 7) == 0 ||
	     strncmp(name, "trace.", 6) == 0) &&
	    by_path(s, name, out) == 0)
		return 0;
	return worker_lookup(s, name, out);
}

static struct json_object *eval_one(const struct rb_profile_expect *e, struct json_object *s,
				    bool *ok)
{
	struct json_object *o = json_object_new_object();
	double lhs = 0, rhs = 0;
	char err[256] = "";
	int rc = rb_expect_eval(e->expr, rb_summary_lookup, s, &lhs, &rhs, ok, err, sizeof(err));

	json_object_object_add(o, "expect", json_object_new_string(e->text));
	json_object_object_add(o, "where", json_object_new_string(e->where));
	if (rc == 0) {
		json_object_object_add(o, "lhs", json_object_new_double(lhs));
		json_object_object_add(o, "rhs", json_object_new_double(rhs));
	} else {
		*ok = false;
		json_object_object_add(o, "error", json_object_new_string(err));
	}
	json_object_object_add(o, "ok", json_object_new_boolean(*ok));
	return o;
}

int rb_summary_verdict(const struct rb_profile *p, struct json_object *summary)
{
	struct json_object *list = json_object_new_array();
	bool all = true;

	for (size_t i = 0; i < p->n_expects; i++) {
		bool ok = false;
		json_object_array_add(list, eval_one(&p->expects[i], summary, &ok));
		all = all && ok;
	}
	json_object_object_add(summary, "expect", list);
	json_object_object_add(summary, "reproduced",
			       p->n_expects ? json_object_new_boolean(all) : NULL);
	return p->n_expects ? (all ? 1 : 0) : -1;
}
