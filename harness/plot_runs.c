/* plot_runs.c - from the directories on the command line to the runs to
 * plot or report: run directories as they are, group directories (`ab`'s:
 * no meta.json, run subdirectories that have one) expanded in name order,
 * each run labelled profile[/variant] from its meta.json. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plot.h"
#include "results.h"

struct collect {
	struct rb_plot_run *runs;
	char (*keys)[128]; /* label + profile hash: runs alike */
	size_t n;
	bool all_runs;
};

static bool has_meta(const char *dir)
{
	char path[PATH_MAX + 16];
	struct stat st;

	(void)snprintf(path, sizeof(path), "%s/meta.json", dir);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *get_str(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, a, &v))
		return "";
	if (b && !json_object_object_get_ex(v, b, &v))
		return "";
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

/* Label characters that gnuplot strings and file names cannot take. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\'' || *s == '\\' || (unsigned char)*s < ' ')
			*s = '_';
}

/* Fill run (dir, label, start) and its alike-key from dir's meta.json;
 * side: the label an `ab` group gives its side ("base", "roomy"), or "". */
static void describe(const char *dir, const char *side, struct rb_plot_run *run, char *key,
		     size_t keylen)
{
	struct json_object *meta = rb_json_load(dir, "meta.json");
	const char *name = get_str(meta, "profile", "name");
	const char *var = get_str(meta, "profile", "variant");
	struct json_object *rate;

	if (*side)
		var = side;
	(void)snprintf(run->dir, sizeof(run->dir), "%s", dir);
	(void)snprintf(run->label, sizeof(run->label), "%s%s%s", *name ? name : "run",
		       *var ? "/" : "", var);
	sanitize(run->label);
	(void)snprintf(run->start, sizeof(run->start), "%s", get_str(meta, "start", NULL));
	run->rate = json_object_object_get_ex(meta, "sample_rate_hz", &rate) ?
			    json_object_get_double(rate) : 0;
	if (!(run->rate > 0))
		run->rate = 10;
	(void)snprintf(key, keylen, "%s %s", run->label,
		       *side ? "side" : get_str(meta, "profile", "hash"));
	json_object_put(meta);
}

/* The label group.json gives the side of run subdirectory name:
 * runs[] {dir, side} and sides.<side>.label; "" when it says nothing. */
static const char *side_label(struct json_object *group, const char *name)
{
	struct json_object *runs = NULL, *sides = NULL;

	if (!json_object_object_get_ex(group, "runs", &runs) ||
	    !json_object_is_type(runs, json_type_array) ||
	    !json_object_object_get_ex(group, "sides", &sides))
		return "";
	for (size_t i = 0; i < json_object_array_length(runs); i++) {
		struct json_object *r = json_object_array_get_idx(runs, i);
		if (strcmp(get_str(r, "dir", NULL), name) == 0)
			return get_str(sides, get_str(r, "side", NULL), "label");
	}
	return "";
}

static bool seen(const struct collect *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->keys[i], key) == 0)
			return true;
	return false;
}

/* Add the run in dir (a group member, with its side's label, unless
 * `always`). */
static int add_run(struct collect *c, const char *dir, const char *side, bool always)
{
	struct rb_plot_run run;
	char key[128];

	describe(dir, side, &run, key, sizeof(key));
	if (!always && !c->all_runs && seen(c, key))
		return 0;
	if (c->n == RB_PLOT_MAX_RUNS)
		return -E2BIG;
	c->runs[c->n] = run;
	(void)snprintf(c->keys[c->n++], sizeof(c->keys[0]), "%s", key);
	return 0;
}

static int only_dirs(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Is the run in dir still running (an `ab` group being written)? */
static bool running(const char *dir)
{
	struct json_object *meta = rb_json_load(dir, "meta.json");
	bool yes = strcmp(get_str(meta, "status", NULL), "running") == 0;

	json_object_put(meta);
	return yes;
}

/* A group: every subdirectory with a meta.json, in name order, but for a
 * run still running. Returns the runs added, or -errno. */
static int add_group(struct collect *c, const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, only_dirs, alphasort), rc = n < 0 ? -errno : 0, found = 0;
	struct json_object *group = rc ? NULL : rb_json_load(dir, "group.json");
	char sub[PATH_MAX];

	for (int i = 0; i < n; i++) {
		if (rc == 0 && (size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, list[i]->d_name) <
				       sizeof(sub) && has_meta(sub) && !running(sub)) {
			rc = add_run(c, sub, side_label(group, list[i]->d_name), false);
			found++;
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	json_object_put(group);
	return rc ? rc : found;
}

/* Labels that repeat get " #2", " #3" ... (the first keeps its own). */
static void unique_labels(struct collect *c)
{
	for (size_t i = 1; i < c->n; i++) {
		char *label = c->runs[i].label;
		size_t same = 1, n = strlen(label);

		for (size_t j = 0; j < i; j++)
			same += strncmp(c->keys[j], label, n) == 0 && c->keys[j][n] == ' ';
		if (same > 1)
			(void)snprintf(label + n, sizeof(c->runs[i].label) - n, " #%zu", same);
	}
}

/* One command-line directory: a run, or a group of them. */
static int add_dir(struct collect *c, const char *dir, char *err, size_t errlen)
{
	int rc = has_meta(dir) ? add_run(c, dir, "", true) : add_group(c, dir);

	if (rc > 0)
		return 0;
	if (rc == 0 && !has_meta(dir))
		rc = -ENOENT;
	if (rc == -ENOENT || rc == -ENOTDIR)
		(void)snprintf(err, errlen, "%s: not a results directory (no meta.json) "
			       "nor a group of them", dir);
	else if (rc == -E2BIG)
		(void)snprintf(err, errlen, "more than %d runs", RB_PLOT_MAX_RUNS);
	else if (rc)
		(void)snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
	return rc == -ENOTDIR ? -ENOENT : rc;
}

int rb_plot_collect(char *const *dirs, size_t n_dirs, bool all_runs, struct rb_plot_run **runs,
		    size_t *n_runs, char *err, size_t errlen)
{
	struct collect c = { .all_runs = all_runs };
	int rc = 0;

	c.runs = calloc(RB_PLOT_MAX_RUNS, sizeof(*c.runs));
	c.keys = calloc(RB_PLOT_MAX_RUNS, sizeof(*c.keys));
	if (!c.runs || !c.keys) {
		(void)snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	for (size_t i = 0; i < n_dirs && rc == 0; i++)
		rc = add_dir(&c, dirs[i], err, errlen);
	if (rc == 0)
		unique_labels(&c);
	free(c.keys);
	if (rc) {
		free(c.runs);
		c.runs = NULL;
		c.n = 0;
	}
	*runs = c.runs;
	*n_runs = c.n;
	return rc;
}
