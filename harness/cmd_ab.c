/* cmd_ab.c - `reclaimbench ab PROFILE A B`: interleaved A B A B ... runs of
 * two variants of a profile (each after the settle phase), kept together
 * in a group directory with group.json, then the comparison of B against A.
 *
 *   results/<profile>-ab-<A>-vs-<B>-<UTC>/
 *       group.json   plan, sides, every run's status, the group's status
 *       a-1/ b-1/ a-2/ b-2/ ...   ordinary run directories
 *
 * SIGINT/SIGTERM stop it: the run in progress is aborted and restored by
 * the runner, the finished runs stay, group.json says "interrupted", no
 * further run starts, and what finished is still compared. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "compare.h"
#include "machine.h"
#include "profile.h"
#include "results.h"
#include "run_priv.h"
#include "runner.h"

#define MAX_SETS 64
#define MAX_ITERATIONS 100

static const char usage_text[] =
	"usage: reclaimbench ab PROFILE A B [options]\n\n"
	"Runs A and B interleaved (A B A B ..., 5 of each by default), each run after\n"
	"the settle phase (drop caches, compact, wait for MemFree), into one group\n"
	"directory, then compares B against A (`reclaimbench compare GROUP`).\n"
	"A and B name variants of the profile (`base` = the profile as written). A name\n"
	"that is not a variant is a label for a side given by --set-a / --set-b.\n"
	"Needs root. Ctrl-C stops after the current run (which is aborted and restored).\n\n"
	"options:\n"
	"  -n, --iterations N     runs of each side (default 5; at least 3 for a verdict)\n"
	"  -d, --duration TIME    each run's time (= --set profile.duration=TIME)\n"
	"  -s, --set KEY=VALUE    override a profile key on both sides (repeatable)\n"
	"      --set-a KEY=VALUE  override it on side A only (repeatable)\n"
	"      --set-b KEY=VALUE  override it on side B only (repeatable)\n"
	"  -o, --out DIR          the group directory (new or empty); default\n"
	"                         results/<profile>-ab-<A>-vs-<B>-<UTC time>\n"
	"      --seed N           = --set profile.seed=N\n"
	"  -f, --format FMT       the comparison as text (default), markdown or json\n"
	"  -m, --metrics LIST     the comparison's metrics (see `compare --help`)\n"
	"      --force            compare even if the runs' comparability keys differ\n"
	"  -v, --verbose          each run's progress line and summary\n"
	"  -q, --quiet            no line per run\n"
	"  -h, --help             this text\n\n"
	"settle = yes is set first on both sides (--set profile.settle=no undoes it).\n"
	"exit status: 0 every run complete and compared, 1 a run failed, the ab was\n"
	"interrupted or the comparison refused, 2 usage error (nothing was run)\n\n"
	"examples:\n"
	"  sudo reclaimbench ab quick base roomy\n"
	"  sudo reclaimbench ab quick base roomy --iterations 3 --duration 10s\n"
	"  sudo reclaimbench ab direct-reclaim base mfk \\\n"
	"       --set-b sysctl.vm.min_free_kbytes=262144\n"
	"  sudo reclaimbench ab quick base more --set-b profile.memory=1200M -f markdown\n";

struct sets {
	char *v[MAX_SETS];
	size_t n;
};

struct ab_args {
	const char *profile, *label[2], *out;
	unsigned iterations;
	struct sets common, side[2];
	bool quiet, verbose;
	struct rb_compare_request cmp;
};

/* The state of one ab. */
struct ab {
	const struct ab_args *args;
	struct rb_profile *p[2];
	const char *variant[2];  /* NULL when the label is not a variant */
	char dir[PATH_MAX];
	struct json_object *group, *runs;
	const char *status;
	char reason[256];
};

static const char side_name[2][2] = { "a", "b" };

static int add_set(struct sets *s, const char *key, const char *value)
{
	size_t len = strlen(key) + strlen(value) + 1;

	if (s->n == MAX_SETS) {
		fprintf(stderr, "reclaimbench ab: more than %d overrides\n", MAX_SETS);
		return -1;
	}
	s->v[s->n] = malloc(len);
	if (!s->v[s->n])
		return -1;
	(void)snprintf(s->v[s->n++], len, "%s%s", key, value);
	return 0;
}

static void free_sets(struct sets *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

static int parse_iterations(const char *s, unsigned *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 1 || v > MAX_ITERATIONS) {
		fprintf(stderr, "reclaimbench ab: --iterations takes 1..%d, not '%s'\n",
			MAX_ITERATIONS, s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int parse_compare_opt(int c, const char *arg, struct rb_compare_request *r)
{
	if (c == 'm') {
		r->metrics = arg;
		return 0;
	}
	if (strcmp(arg, "text") == 0)
		r->format = RB_COMPARE_TEXT;
	else if (strcmp(arg, "markdown") == 0 || strcmp(arg, "md") == 0)
		r->format = RB_COMPARE_MARKDOWN;
	else if (strcmp(arg, "json") == 0)
		r->format = RB_COMPARE_JSON;
	else
		return fprintf(stderr, "reclaimbench ab: unknown format '%s'\n", arg), -1;
	return 0;
}

/* 0 ok, 1 --help, -1 bad option. */
static int parse_opts(int argc, char **argv, struct ab_args *a)
{
	enum { OPT_SET_A = 256, OPT_SET_B, OPT_SEED, OPT_FORCE };
	static const struct option longopts[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "set", required_argument, NULL, 's' },
		{ "set-a", required_argument, NULL, OPT_SET_A },
		{ "set-b", required_argument, NULL, OPT_SET_B },
		{ "out", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "format", required_argument, NULL, 'f' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	while (rc == 0 && (c = getopt_long(argc, argv, "n:d:s:o:f:m:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': rc = parse_iterations(optarg, &a->iterations); break;
		case 'd': rc = add_set(&a->common, "profile.duration=", optarg); break;
		case 's': rc = add_set(&a->common, "", optarg); break;
		case OPT_SET_A: rc = add_set(&a->side[0], "", optarg); break;
		case OPT_SET_B: rc = add_set(&a->side[1], "", optarg); break;
		case OPT_SEED: rc = add_set(&a->common, "profile.seed=", optarg); break;
		case 'o': a->out = optarg; break;
		case 'f': case 'm': rc = parse_compare_opt(c, optarg, &a->cmp); break;
		case OPT_FORCE: a->cmp.force = true; break;
		case 'v': a->verbose = true; break;
		case 'q': a->quiet = true; break;
		case 'h': fputs(usage_text, stdout); return 1;
		default: return -1;
		}
	}
	return rc;
}

static int parse_args(int argc, char **argv, struct ab_args *a)
{
	int rc;

	a->iterations = 5;
	a->cmp = (struct rb_compare_request){ .format = RB_COMPARE_TEXT, .color = -1,
					      .out = stdout };
	/* first on both sides, so a user's --set profile.settle=no still wins */
	if (add_set(&a->common, "profile.settle=", "yes"))
		return -1;
	rc = parse_opts(argc, argv, a);
	if (rc)
		return rc;
	if (optind != argc - 3) {
		fprintf(stderr, "reclaimbench ab: expected PROFILE A B\n");
		return -1;
	}
	a->profile = argv[optind];
	a->label[0] = argv[optind + 1];
	a->label[1] = argv[optind + 2];
	return 0;
}

static bool has_variant(const struct rb_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_variants; i++)
		if (strcmp(p->variants[i].name, name) == 0)
			return true;
	return false;
}

/* The rule for A and B: "base" or a variant, else a label for --set-a/-b. */
static int resolve_label(struct ab *ab, const struct rb_profile *base, int s)
{
	const char *label = ab->args->label[s];
	char names[1024] = "";

	if (strcmp(label, "base") == 0 || has_variant(base, label)) {
		ab->variant[s] = label;
		return 0;
	}
	if (ab->args->side[s].n) {
		ab->variant[s] = NULL;
		return 0;
	}
	for (size_t i = 0; i < base->n_variants; i++)
		(void)snprintf(names + strlen(names), sizeof(names) - strlen(names), " %s",
			       base->variants[i].name);
	fprintf(stderr, "reclaimbench ab: '%s' is not a variant of %s (variants: base%s); give "
			"--set-%s KEY=VALUE to use it as a label\n", label, base->name, names,
		side_name[s]);
	return -1;
}

/* Load one side: variant, then the common overrides, then the side's own. */
static int load_side(struct ab *ab, const char *path, int s)
{
	const struct ab_args *a = ab->args;
	const char *sets[2 * MAX_SETS];
	char err[8192];
	size_t n = 0;

	for (size_t i = 0; i < a->common.n; i++)
		sets[n++] = a->common.v[i];
	for (size_t i = 0; i < a->side[s].n; i++)
		sets[n++] = a->side[s].v[i];
	struct rb_profile_overrides ov = { ab->variant[s], sets, n };
	if (rb_profile_load(path, &ov, &ab->p[s], err, sizeof(err)) != 0) {
		fprintf(stderr, "%s (side %s)\n", err, side_name[s]);
		return -1;
	}
	return 0;
}

/* Check everything that can be checked before the machine is touched. */
static int load_profiles(struct ab *ab)
{
	struct rb_profile *base = NULL;
	char path[4096], err[8192];
	int rc = 0;

	if (rb_profile_find(ab->args->profile, path, sizeof(path)) != 0) {
		fprintf(stderr, "reclaimbench ab: no profile '%s' (see `reclaimbench list`)\n",
			ab->args->profile);
		return -1;
	}
	if (rb_profile_load(path, NULL, &base, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (int s = 0; s < 2 && rc == 0; s++)
		rc = resolve_label(ab, base, s);
	for (int s = 0; s < 2 && rc == 0; s++)
		rc = load_side(ab, path, s);
	rb_profile_free(base);
	return rc;
}

/* Root, cgroups, memory hotplug...: refuse before creating anything. */
static int check_machine(const struct ab *ab)
{
	char err[PATH_MAX + 256], skipped[2048];

	for (int s = 0; s < 2; s++)
		if (rb_machine_check(ab->p[s], err, sizeof(err), skipped, sizeof(skipped))) {
			fprintf(stderr, "reclaimbench ab: %s\n", err);
			return -1;
		}
	return 0;
}

/* A label as a directory-name part: [A-Za-z0-9._-], others become '_'. */
static void sanitize(const char *in, char *out, size_t len)
{
	size_t i = 0;

	for (; in[i] && i + 1 < len; i++)
		out[i] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
				in[i]) ? in[i] : '_';
	out[i] = '\0';
}

static bool dir_has_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool any = false;

	while (d && !any && (e = readdir(d)))
		any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		(void)closedir(d);
	return any;
}

/* mkdir -p */
static int make_dirs(char *path)
{
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		int rc = mkdir(path, 0755) != 0 && errno != EEXIST ? -errno : 0;
		*p = '/';
		if (rc)
			return rc;
	}
	return mkdir(path, 0755) != 0 && errno != EEXIST ? -errno : 0;
}

static int make_group_dir(struct ab *ab)
{
	const char *root = getenv("RECLAIMBENCH_RESULTS");
	char la[RB_NAME_MAX], lb[RB_NAME_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	gmtime_r(&now, &tm);
	(void)strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	sanitize(ab->args->label[0], la, sizeof(la));
	sanitize(ab->args->label[1], lb, sizeof(lb));
	if (ab->args->out)
		(void)snprintf(ab->dir, sizeof(ab->dir), "%s", ab->args->out);
	else
		(void)snprintf(ab->dir, sizeof(ab->dir), "%s/%s-ab-%s-vs-%s-%s",
			       root && *root ? root : "results", ab->p[0]->name, la, lb, stamp);
	if (dir_has_entries(ab->dir)) {
		fprintf(stderr, "reclaimbench ab: %s exists and is not empty; choose another "
				"--out\n", ab->dir);
		return -1;
	}
	rc = make_dirs(ab->dir);
	if (rc)
		fprintf(stderr, "reclaimbench ab: cannot create %s: %s\n", ab->dir, strerror(-rc));
	return rc;
}

static struct json_object *string_list(char *const *v, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static struct json_object *describe_side(const struct ab *ab, int s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "label", json_object_new_string(ab->args->label[s]));
	json_object_object_add(o, "variant", json_object_new_string(ab->p[s]->variant));
	json_object_object_add(o, "sets", string_list(ab->args->side[s].v, ab->args->side[s].n));
	return o;
}

static void init_group(struct ab *ab)
{
	struct json_object *g = json_object_new_object(), *sides = json_object_new_object();
	struct json_object *order = json_object_new_array();
	char when[32], name[32];

	rb_utc_iso(when, sizeof(when));
	json_object_object_add(g, "tool", json_object_new_string("reclaimbench " RB_VERSION));
	json_object_object_add(g, "kind", json_object_new_string("ab"));
	json_object_object_add(g, "profile", json_object_new_string(ab->p[0]->name));
	json_object_object_add(g, "profile_path", json_object_new_string(ab->p[0]->path));
	json_object_object_add(g, "start", json_object_new_string(when));
	json_object_object_add(g, "iterations", json_object_new_int((int)ab->args->iterations));
	json_object_object_add(sides, "a", describe_side(ab, 0));
	json_object_object_add(sides, "b", describe_side(ab, 1));
	json_object_object_add(g, "sides", sides);
	json_object_object_add(g, "sets", string_list(ab->args->common.v, ab->args->common.n));
	for (unsigned i = 1; i <= ab->args->iterations; i++)
		for (int s = 0; s < 2; s++) {
			(void)snprintf(name, sizeof(name), "%s-%u", side_name[s], i);
			json_object_array_add(order, json_object_new_string(name));
		}
	json_object_object_add(g, "order", order);
	ab->runs = json_object_new_array();
	json_object_object_add(g, "runs", json_object_get(ab->runs));
	ab->group = g;
	ab->status = "running";
}

static void save_group(struct ab *ab)
{
	json_object_object_add(ab->group, "status", json_object_new_string(ab->status));
	json_object_object_add(ab->group, "status_reason", json_object_new_string(ab->reason));
	if (rb_json_save(ab->dir, "group.json", ab->group))
		fprintf(stderr, "reclaimbench ab: cannot write %s/group.json\n", ab->dir);
}

static const char *meta_string(struct json_object *meta, const char *key, const char *dflt)
{
	struct json_object *v = NULL;

	return meta && json_object_object_get_ex(meta, key, &v) ? json_object_get_string(v) : dflt;
}

/* Record a finished run in group.json; returns its meta.json status. */
static void record_run(struct ab *ab, const char *name, int s, unsigned it, int rc, char *status,
		       size_t len)
{
	char dir[PATH_MAX + 40];
	struct json_object *meta, *r = json_object_new_object();

	(void)snprintf(dir, sizeof(dir), "%s/%s", ab->dir, name);
	meta = rb_json_load(dir, "meta.json");
	(void)snprintf(status, len, "%s", meta_string(meta, "status", "failed"));
	json_object_object_add(r, "dir", json_object_new_string(name));
	json_object_object_add(r, "side", json_object_new_string(side_name[s]));
	json_object_object_add(r, "iteration", json_object_new_int((int)it));
	json_object_object_add(r, "status", json_object_new_string(status));
	json_object_object_add(r, "status_reason", json_object_new_string(
		meta_string(meta, "status_reason", "the run did not start")));
	json_object_object_add(r, "exit", json_object_new_int(rc));
	json_object_array_add(ab->runs, r);
	json_object_put(meta);
}

static bool has_summary(const struct ab *ab, const char *name)
{
	char path[PATH_MAX + 64];

	(void)snprintf(path, sizeof(path), "%s/%s/summary.json", ab->dir, name);
	return access(path, F_OK) == 0;
}

/* One run; false when no further run should start. */
static bool one_run(struct ab *ab, int s, unsigned it, unsigned k)
{
	struct rb_run_options o = { .quiet = !ab->args->verbose };
	char name[32], out[PATH_MAX + 40], dir[PATH_MAX + 40], status[32];
	int rc;

	(void)snprintf(name, sizeof(name), "%s-%u", side_name[s], it);
	(void)snprintf(out, sizeof(out), "%s/%s", ab->dir, name);
	o.out_dir = out;
	if (!ab->args->quiet) {
		printf("ab: %u/%u %s (%s) ...", k, 2 * ab->args->iterations, name,
		       ab->args->label[s]);
		fflush(stdout);
	}
	rc = rb_run(ab->p[s], &o, dir, sizeof(dir));
	record_run(ab, name, s, it, rc, status, sizeof(status));
	if (!ab->args->quiet)
		printf(" %s\n", status);
	if (rb_stop_signal) {
		ab->status = "interrupted";
		(void)snprintf(ab->reason, sizeof(ab->reason), "interrupted by %s during %s",
			       strsignal(rb_stop_signal), name);
		return false;
	}
	if (rc == RB_EXIT_USAGE || (rc != 0 && !has_summary(ab, name))) {
		ab->status = "failed";
		(void)snprintf(ab->reason, sizeof(ab->reason), "%s did not run (%s); no further "
			       "run started", name, status);
		return false;
	}
	if (rc != 0)
		ab->status = "incomplete";
	return true;
}

static void on_signal(int sig)
{
	rb_stop_signal = sig;
}

/* Between runs a signal must stop the ab too (the runner installs its own
 * handler, setting the same flag, for each run). */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	rb_stop_signal = 0;
}

static void run_all(struct ab *ab)
{
	unsigned k = 0;
	bool go = true;

	catch_signals();
	for (unsigned it = 1; go && it <= ab->args->iterations; it++)
		for (int s = 0; go && s < 2; s++) {
			if (rb_stop_signal) {
				ab->status = "interrupted";
				(void)snprintf(ab->reason, sizeof(ab->reason), "interrupted by %s "
					       "between runs", strsignal(rb_stop_signal));
				break;
			}
			go = one_run(ab, s, it, ++k);
			save_group(ab);
		}
	if (strcmp(ab->status, "running") == 0) {
		ab->status = "complete";
		(void)snprintf(ab->reason, sizeof(ab->reason), "every run complete");
	} else if (strcmp(ab->status, "incomplete") == 0) {
		(void)snprintf(ab->reason, sizeof(ab->reason), "some runs did not complete");
	}
}

static void finish_group(struct ab *ab)
{
	char when[32];

	rb_utc_iso(when, sizeof(when));
	json_object_object_add(ab->group, "end", json_object_new_string(when));
	save_group(ab);
	json_object_put(ab->runs);
	json_object_put(ab->group);
	if (!ab->args->quiet)
		printf("ab: %s: %s (%s)\n\n", ab->dir, ab->status, ab->reason);
}

static int compare_group(struct ab *ab)
{
	struct rb_compare_request r = ab->args->cmp;
	const char *args[1] = { ab->dir };

	r.args = args;
	r.n_args = 1;
	fflush(stdout);
	return rb_compare_report(&r);
}

int rb_cmd_ab(int argc, char **argv)
{
	struct ab_args a = { 0 };
	struct ab ab = { .args = &a };
	int rc = parse_args(argc, argv, &a);

	if (rc > 0) {
		rc = 0;
		goto out;
	}
	if (rc < 0 || load_profiles(&ab)) {
		if (rc < 0)
			fputs(usage_text, stderr);
		rc = RB_EXIT_USAGE;
		goto out;
	}
	if (check_machine(&ab)) {
		rc = 1;
		goto out;
	}
	if (make_group_dir(&ab)) {
		rc = RB_EXIT_USAGE;
		goto out;
	}
	init_group(&ab);
	save_group(&ab);
	run_all(&ab);
	finish_group(&ab);
	rc = compare_group(&ab);
	if (rc == 0 && strcmp(ab.status, "complete") != 0)
		rc = 1;
out:
	rb_profile_free(ab.p[0]);
	rb_profile_free(ab.p[1]);
	free_sets(&a.common);
	free_sets(&a.side[0]);
	free_sets(&a.side[1]);
	return rc;
}
