/* cmd_plot.c - `reclaimbench plot DIR... [--format png|svg] [--out D]`:
 * the figures of one run (into DIR/plots), or of several runs and `ab`
 * groups overlaid, a colour per run. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "plot.h"
#include "results.h"

static const char usage_text[] =
	"usage: reclaimbench plot DIR... [--format png|svg] [--out D]\n\n"
	"Draws the figures of a results directory with gnuplot: memory and the zone\n"
	"watermarks, the memory cgroup, PSI, reclaim (kswapd against direct), allocation\n"
	"and compaction stalls, refaults, dirty memory, THP, latency percentiles and the\n"
	"per-second p99. A figure whose columns a run lacks is skipped with a note.\n"
	"Several DIRs (or an `ab` group directory) are overlaid, a colour per run,\n"
	"labelled profile/variant.\n\n"
	"options:\n"
	"  -f, --format FMT   png (default, 1200x600) or svg\n"
	"  -o, --out D        write the figures into D (default: DIR/plots for one\n"
	"                     run or group; <results>/overlay-<UTC time> for several)\n"
	"  -h, --help         this text\n\n"
	"examples:\n"
	"  reclaimbench plot results/quick-20261121T213532Z\n"
	"  reclaimbench plot /tmp/quick /tmp/quick-roomy --out /tmp/quick-vs-roomy\n"
	"  reclaimbench plot results/quick-ab-base-vs-roomy-20261121T222540Z --format svg\n";

struct plot_args {
	enum rb_plot_format format;
	const char *out;
};

/* 0 ok, 1 --help shown, -1 usage error. */
static int parse_args(int argc, char **argv, struct plot_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "png") && strcmp(optarg, "svg")) {
				fprintf(stderr, "reclaimbench plot: --format png or svg, "
						"not '%s'\n", optarg);
				return -1;
			}
			a->format = strcmp(optarg, "svg") == 0 ? RB_PLOT_SVG : RB_PLOT_PNG;
			break;
		case 'o': a->out = optarg; break;
		case 'h': fputs(usage_text, stdout); return 1;
		default: return -1;
		}
	}
	return 0;
}

/* Where the figures go when --out is not given. */
static void default_out(char *const *dirs, size_t n, char *out, size_t len)
{
	const char *root = getenv("RECLAIMBENCH_RESULTS");
	char when[32], stamp[32];
	size_t j = 0;

	if (n == 1) {
		(void)snprintf(out, len, "%s/plots", dirs[0]);
		return;
	}
	rb_utc_iso(when, sizeof(when));
	for (const char *p = when; *p && j < sizeof(stamp) - 1; p++)
		if (*p != '-' && *p != ':')
			stamp[j++] = *p;
	stamp[j] = '\0';
	(void)snprintf(out, len, "%s/overlay-%s", root && *root ? root : "results", stamp);
}

static void print_result(const struct rb_plot_result *res, const char *out)
{
	for (size_t i = 0; i < res->n_figs; i++)
		printf("%s\n", res->paths[i]);
	for (size_t i = 0; i < res->n_notes; i++)
		printf("note: %s\n", res->notes[i]);
	printf("%zu figures in %s\n", res->n_figs, out);
}

static int plot(char *const *dirs, size_t n, const struct plot_args *a)
{
	struct rb_plot_result *res = malloc(sizeof(*res));
	struct rb_plot_run *runs = NULL;
	char out[PATH_MAX], err[PATH_MAX + 64];
	size_t n_runs = 0;
	int rc = res ? rb_plot_collect(dirs, n, false, &runs, &n_runs, err, sizeof(err)) : -ENOMEM;

	if (rc) {
		fprintf(stderr, "reclaimbench plot: %s\n", res ? err : "out of memory");
		goto out;
	}
	if (a->out)
		(void)snprintf(out, sizeof(out), "%s", a->out);
	else
		default_out(dirs, n, out, sizeof(out));
	rc = rb_plot_render(runs, n_runs, &(struct rb_plot_options){ a->format, out }, res);
	if (res->error[0])
		fprintf(stderr, "reclaimbench plot: %s\n", res->error);
	else
		print_result(res, out);
out:
	free(runs);
	free(res);
	return rc ? 1 : 0;
}

int rb_cmd_plot(int argc, char **argv)
{
	struct plot_args a = { RB_PLOT_PNG, NULL };
	int rc = parse_args(argc, argv, &a);

	if (rc > 0)
		return 0;
	if (rc < 0 || optind >= argc) {
		fputs(usage_text, stderr);
		return RB_EXIT_USAGE;
	}
	return plot(argv + optind, (size_t)(argc - optind), &a);
}
