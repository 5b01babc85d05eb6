/* compare_load.c - turns `compare`'s directory arguments into two sides of
 * complete runs: a run directory is one run, GROUP:a / GROUP:b are the
 * runs of one side of an `ab` group (in the order they ran), and a lone
 * group directory is both of its sides. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare_priv.h"
#include "results.h"

static const char *str_field(struct json_object *o, const char *key, const char *dflt)
{
	struct json_object *v = NULL;

	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return dflt;
}

static struct json_object *obj_field(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static bool is_group(const char *dir)
{
	char path[PATH_MAX + 16];

	(void)snprintf(path, sizeof(path), "%s/group.json", dir);
	return access(path, R_OK) == 0;
}

static void set_label(struct rb_compare_side *s, const char *label, const char *fallback)
{
	if (s->n == 0)
		(void)snprintf(s->label, sizeof(s->label), "%s", label);
	else if (strcmp(s->label, label) != 0)
		(void)snprintf(s->label, sizeof(s->label), "%s", fallback);
}

static int push_run(struct rb_compare_side *s, const char *dir, struct json_object *meta,
		    struct json_object *summary)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct rb_compare_run *r = realloc(s->runs, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		s->runs = r;
		s->cap = cap;
	}
	(void)snprintf(s->runs[s->n].dir, sizeof(s->runs[s->n].dir), "%s", dir);
	s->runs[s->n].meta = meta;
	s->runs[s->n].summary = summary;
	s->n++;
	return 0;
}

/* Why a run is left out, or NULL when it is complete with a summary. */
static const char *unusable(const char *status, struct json_object *summary)
{
	if (strcmp(status, "complete") != 0)
		return status;
	return summary ? NULL : "no summary.json";
}

/* One run directory; label NULL = its variant ("base" without one). */
static int add_run(struct rb_compare_side *s, const char *dir, const char *label,
		   const char *fallback, char *err, size_t errlen)
{
	struct json_object *meta = rb_json_load(dir, "meta.json"), *summary = NULL;
	const char *status = str_field(meta, "status", "unknown"), *why;
	struct json_object *prof = obj_field(meta, "profile");
	const char *variant = str_field(prof, "variant", "");

	if (!meta) {
		(void)snprintf(err, errlen, "%s: no readable meta.json (not a run or group "
			       "directory)", dir);
		return 1;
	}
	if (strcmp(status, "complete") == 0)
		summary = rb_json_load(dir, "summary.json");
	why = unusable(status, summary);
	if (why) {
		fprintf(stderr, "compare: leaving out %s: %s (%s)\n", dir, why,
			str_field(meta, "status_reason", ""));
		json_object_put(meta);
		s->skipped++;
		return 0;
	}
	set_label(s, label ? label : variant[0] ? variant : "base", fallback);
	(void)snprintf(s->profile, sizeof(s->profile), "%s", str_field(prof, "name", ""));
	if (push_run(s, dir, meta, summary)) {
		json_object_put(meta);
		json_object_put(summary);
		(void)snprintf(err, errlen, "out of memory");
		return 1;
	}
	return 0;
}

/* The runs of one side ("a" or "b") of a group, in the order they ran. */
static int add_group_side(struct rb_compare_side *s, const char *gdir, const char *side,
			  const char *fallback, char *err, size_t errlen)
{
	struct json_object *g = rb_json_load(gdir, "group.json");
	struct json_object *runs = obj_field(g, "runs");
	const char *label = str_field(obj_field(obj_field(g, "sides"), side), "label", fallback);
	char dir[PATH_MAX];
	int rc = 0;

	if (!g || !runs || !json_object_is_type(runs, json_type_array)) {
		(void)snprintf(err, errlen, "%s/group.json: unreadable or without a runs list",
			       gdir);
		json_object_put(g);
		return 1;
	}
	for (size_t i = 0; rc == 0 && i < json_object_array_length(runs); i++) {
		struct json_object *r = json_object_array_get_idx(runs, i);
		if (strcmp(str_field(r, "side", ""), side) != 0)
			continue;
		(void)snprintf(dir, sizeof(dir), "%s/%s", gdir, str_field(r, "dir", ""));
		rc = add_run(s, dir, label, fallback, err, errlen);
	}
	json_object_put(g);
	return rc;
}

/* DIR, DIR:a or DIR:b. */
static int add_arg(struct rb_compare_side *s, const char *arg, const char *fallback, char *err,
		   size_t errlen)
{
	size_t len = strlen(arg);
	char dir[PATH_MAX];

	if (len > 2 && arg[len - 2] == ':' && (arg[len - 1] == 'a' || arg[len - 1] == 'b') &&
	    len - 2 < sizeof(dir)) {
		memcpy(dir, arg, len - 2);
		dir[len - 2] = '\0';
		if (is_group(dir))
			return add_group_side(s, dir, arg[len - 1] == 'a' ? "a" : "b", fallback,
					      err, errlen);
	}
	if (is_group(arg)) {
		(void)snprintf(err, errlen, "%s is an ab group: name one side, %s:a or %s:b "
			       "(or give the group alone to compare its two sides)", arg, arg, arg);
		return 2;
	}
	return add_run(s, arg, NULL, fallback, err, errlen);
}

static int add_args(struct rb_compare_side *s, const char *const *args, size_t n,
		    const char *fallback, char *err, size_t errlen)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = add_arg(s, args[i], fallback, err, errlen);
	return rc;
}

/* Split the arguments into A and B; both sides filled on success. */
static int split(const struct rb_compare_request *req, struct rb_compare_side *a,
		 struct rb_compare_side *b, char *err, size_t errlen)
{
	size_t n = req->n_args, dash = n;

	for (size_t i = 0; i < n; i++)
		if (strcmp(req->args[i], "--") == 0 && dash == n)
			dash = i;
	if (dash < n && dash > 0 && dash + 1 < n) {
		int rc = add_args(a, req->args, dash, "A", err, errlen);
		return rc ? rc : add_args(b, req->args + dash + 1, n - dash - 1, "B", err, errlen);
	}
	if (dash == n && n == 1 && is_group(req->args[0])) {
		int rc = add_group_side(a, req->args[0], "a", "A", err, errlen);
		return rc ? rc : add_group_side(b, req->args[0], "b", "B", err, errlen);
	}
	if (dash == n && n == 2) {
		int rc = add_args(a, req->args, 1, "A", err, errlen);
		return rc ? rc : add_args(b, req->args + 1, 1, "B", err, errlen);
	}
	(void)snprintf(err, errlen, "give one ab group directory, two directories (A B), or "
		       "A... -- B... (a run directory, or GROUP:a / GROUP:b)");
	return 2;
}

int rb_compare_load(const struct rb_compare_request *req, struct rb_compare_side *a,
		    struct rb_compare_side *b, char *err, size_t errlen)
{
	int rc = split(req, a, b, err, errlen);

	if (rc == 0 && (a->n == 0 || b->n == 0)) {
		(void)snprintf(err, errlen, "side %s has no complete run to compare",
			       a->n == 0 ? "A" : "B");
		rc = 1;
	}
	if (rc) {
		rb_compare_side_free(a);
		rb_compare_side_free(b);
	}
	return rc;
}

void rb_compare_side_free(struct rb_compare_side *s)
{
	for (size_t i = 0; i < s->n; i++) {
		json_object_put(s->runs[i].meta);
		json_object_put(s->runs[i].summary);
	}
	free(s->runs);
	s->runs = NULL;
	s->n = s->cap = 0;
}
