/* cmd_run.c - `reclaimbench run PROFILE [options]`: load the profile with
 * its variant and overrides, then hand it to the runner. Every option is
 * sugar for a profile key, so `--duration 10s` is `--set profile.duration=10s`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "plot.h"
#include "profile.h"
#include "runner.h"

#define MAX_SETS 64

static const char usage_text[] =
	"usage: reclaimbench run PROFILE [options]\n\n"
	"Runs a profile once and writes a results directory\n"
	"(results/<profile>[-<variant>]-<UTC time>/ unless --out).\n"
	"PROFILE is a name from profiles/ or a path to an .ini file. Needs root.\n\n"
	"options:\n"
	"  -v, --variant NAME     apply the profile's [variant:NAME] overrides\n"
	"  -d, --duration TIME    run time (= --set profile.duration=TIME), e.g. 30s, 2m\n"
	"  -s, --set KEY=VALUE    override a profile key: profile.memory=2G,\n"
	"                         sysctl.vm.swappiness=10, thp.enabled=always, hog.size=80%\n"
	"  -o, --out DIR          write the results exactly into DIR (new or empty)\n"
	"      --seed N           random seed (= --set profile.seed=N)\n"
	"      --rate HZ          sampling rate (= --set profile.sample_rate=HZ)\n"
	"      --keep             keep the workers' scratch files\n"
	"      --no-plot          do not draw the figures (default: DIR/plots/*.png with\n"
	"                         gnuplot, if it is installed; see `reclaimbench plot`)\n"
	"  -q, --quiet            no progress line and no summary\n"
	"  -h, --help             this text\n\n"
	"examples:\n"
	"  sudo reclaimbench run quick\n"
	"  sudo reclaimbench run quick --variant half-memory --out /tmp/q-half\n"
	"  sudo reclaimbench run profiles/quick.ini --duration 10s --set hog.rate=256M\n";

struct run_args {
	const char *variant;
	const char *out;
	char *sets[MAX_SETS];
	size_t n_sets;
	bool keep, quiet, no_plot;
};

static int add_set(struct run_args *a, const char *key, const char *value)
{
	size_t len = strlen(key) + strlen(value) + 2;

	if (a->n_sets == MAX_SETS) {
		fprintf(stderr, "reclaimbench run: more than %d overrides\n", MAX_SETS);
		return -1;
	}
	a->sets[a->n_sets] = malloc(len);
	if (!a->sets[a->n_sets])
		return -1;
	(void)snprintf(a->sets[a->n_sets++], len, "%s%s", key, value);
	return 0;
}

static int parse_args(int argc, char **argv, struct run_args *a)
{
	enum { OPT_SEED = 256, OPT_RATE, OPT_KEEP, OPT_NO_PLOT };
	static const struct option longopts[] = {
		{ "variant", required_argument, NULL, 'v' }, { "duration", required_argument, NULL, 'd' },
		{ "set", required_argument, NULL, 's' },     { "out", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, OPT_SEED }, { "rate", required_argument, NULL, OPT_RATE },
		{ "keep", no_argument, NULL, OPT_KEEP },     { "quiet", no_argument, NULL, 'q' },
		{ "no-plot", no_argument, NULL, OPT_NO_PLOT },
		{ "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	while (rc == 0 && (c = getopt_long(argc, argv, "v:d:s:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': a->variant = optarg; break;
		case 'd': rc = add_set(a, "profile.duration=", optarg); break;
		case 's': rc = add_set(a, "", optarg); break;
		case 'o': a->out = optarg; break;
		case OPT_SEED: rc = add_set(a, "profile.seed=", optarg); break;
		case OPT_RATE: rc = add_set(a, "profile.sample_rate=", optarg); break;
		case OPT_KEEP: a->keep = true; break;
		case OPT_NO_PLOT: a->no_plot = true; break;
		case 'q': a->quiet = true; break;
		case 'h': fputs(usage_text, stdout); return 1;
		default: return -1;
		}
	}
	return rc;
}

static void free_args(struct run_args *a)
{
	for (size_t i = 0; i < a->n_sets; i++)
		free(a->sets[i]);
}

static int load(const char *arg, const struct run_args *a, struct rb_profile **p)
{
	char path[4096], err[8192];
	struct rb_profile_overrides ov = { a->variant, (const char *const *)a->sets, a->n_sets };

	if (rb_profile_find(arg, path, sizeof(path)) != 0) {
		fprintf(stderr, "reclaimbench run: no profile '%s' (see `reclaimbench list`)\n", arg);
		return -1;
	}
	if (rb_profile_load(path, &ov, p, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

int rb_cmd_run(int argc, char **argv)
{
	struct run_args a = { 0 };
	struct rb_profile *p = NULL;
	char dir[4096];
	int rc = parse_args(argc, argv, &a);

	if (rc > 0) {
		rc = 0;
		goto out;
	}
	if (rc < 0 || optind != argc - 1) {
		fputs(usage_text, stderr);
		rc = RB_EXIT_USAGE;
		goto out;
	}
	if (load(argv[optind], &a, &p)) {
		rc = RB_EXIT_USAGE;
		goto out;
	}
	struct rb_run_options o = { .out_dir = a.out, .keep_scratch = a.keep, .quiet = a.quiet };
	dir[0] = '\0';
	rc = rb_run(p, &o, dir, sizeof(dir));
	/* the figures of whatever the run recorded; never changes run's exit code */
	if (!a.no_plot && dir[0] && rc != RB_EXIT_USAGE)
		(void)rb_plot_after_run(dir, a.quiet);
out:
	rb_profile_free(p);
	free_args(&a);
	return rc;
}
