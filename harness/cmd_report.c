/* cmd_report.c - `reclaimbench report DIR... -o FILE.html`: one
 * self-contained HTML page (figures inlined, no external request) about
 * one run, several runs side by side, or `ab` groups. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "report.h"

static const char usage_text[] =
	"usage: reclaimbench report DIR... -o FILE.html [--format svg|png] [--title TEXT]\n\n"
	"Writes one self-contained HTML page for a review: the machine and kernel, each\n"
	"run's profile and settings, the signature verdicts, the key figures side by side\n"
	"(with the change against the first DIR), every worker's latency percentiles and\n"
	"the figures of `reclaimbench plot`, inlined (no script, no external request).\n"
	"DIR is a results directory or an `ab` group directory (all its runs).\n\n"
	"options:\n"
	"  -o, --out FILE     the page to write (required)\n"
	"  -f, --format FMT   inline the figures as svg (default) or png\n"
	"  -t, --title TEXT   the page's title (default: the runs' labels)\n"
	"  -h, --help         this text\n\n"
	"examples:\n"
	"  reclaimbench report results/quick-20261121T213532Z -o quick.html\n"
	"  reclaimbench report /tmp/quick /tmp/quick-roomy -o roomy-review.html\n"
	"  reclaimbench report results/quick-ab-base-vs-roomy-20261121T222540Z -o ab.html\n";

/* 0 ok, 1 --help shown, -1 usage error. */
static int parse_args(int argc, char **argv, const char **out, struct rb_report_options *o)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "title", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:f:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': *out = optarg; break;
		case 't': o->title = optarg; break;
		case 'f':
			if (strcmp(optarg, "png") && strcmp(optarg, "svg")) {
				fprintf(stderr, "reclaimbench report: --format svg or png, "
						"not '%s'\n", optarg);
				return -1;
			}
			o->format = strcmp(optarg, "png") == 0 ? RB_PLOT_PNG : RB_PLOT_SVG;
			break;
		case 'h': fputs(usage_text, stdout); return 1;
		default: return -1;
		}
	}
	return 0;
}

int rb_cmd_report(int argc, char **argv)
{
	struct rb_report_options o = { RB_PLOT_SVG, NULL };
	const char *out = NULL;
	char err[PATH_MAX + 128];
	int rc = parse_args(argc, argv, &out, &o);

	if (rc > 0)
		return 0;
	if (rc < 0 || optind >= argc || !out) {
		if (rc == 0 && !out)
			fprintf(stderr, "reclaimbench report: -o FILE.html is required\n");
		fputs(usage_text, stderr);
		return RB_EXIT_USAGE;
	}
	if (rb_report_write(argv + optind, (size_t)(argc - optind), out, &o, err, sizeof(err))) {
		fprintf(stderr, "reclaimbench report: %s\n", err);
		return 1;
	}
	printf("%s\n", out);
	return 0;
}
