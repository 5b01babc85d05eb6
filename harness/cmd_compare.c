/* cmd_compare.c - `reclaimbench compare DIR...`: statistics and verdicts
 * of B against A over run or ab-group directories (see include/compare.h
 * for the rules, README "A/B comparison" for the output). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compare.h"

static const char usage_text[] =
	"usage: reclaimbench compare GROUP | A B | A... -- B... [options]\n\n"
	"Compares runs of B against runs of A, metric by metric: n, median, mean, sd,\n"
	"95% CIs, the relative change with a bootstrap CI, Mann-Whitney U and Welch's t\n"
	"p-values, and a closing list of the significant changes (none with fewer than\n"
	"3 runs a side). A and B are run directories, or GROUP:a / GROUP:b for one\n"
	"side of an `ab` group; a GROUP alone compares its two sides. Refuses runs\n"
	"whose comparability keys (meta.json) differ unless --force.\n\n"
	"options:\n"
	"  -f, --format FMT       text (default), markdown or json\n"
	"  -m, --metrics LIST     comma-separated metric names (as in expect lines) or\n"
	"                         globs: allocstall_per_s,probe.file.p99_us,'psi.*'\n"
	"      --force            compare runs whose comparability keys differ (warns)\n"
	"      --color WHEN       auto (default: on a TTY, unless NO_COLOR), always, never\n"
	"  -h, --help             this text\n\n"
	"exit status: 0 compared, 1 refused or unreadable runs, 2 usage error\n\n"
	"examples:\n"
	"  reclaimbench compare results/quick-ab-base-vs-roomy-20261121T221345Z\n"
	"  reclaimbench compare G:b G2:b --format markdown\n"
	"  reclaimbench compare results/quick-2* -- results/quick-roomy-2* --metrics 'probe.*'\n";

static int parse_format(const char *s, enum rb_compare_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = RB_COMPARE_TEXT;
	else if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
		*f = RB_COMPARE_MARKDOWN;
	else if (strcmp(s, "json") == 0)
		*f = RB_COMPARE_JSON;
	else
		return -1;
	return 0;
}

static int parse_color(const char *s, int *color)
{
	if (strcmp(s, "auto") == 0)
		*color = -1;
	else if (strcmp(s, "always") == 0)
		*color = 1;
	else if (strcmp(s, "never") == 0)
		*color = 0;
	else
		return -1;
	return 0;
}

/* 0 ok, 1 --help, -1 bad option. */
static int parse_args(int argc, char **argv, struct rb_compare_request *r)
{
	enum { OPT_FORCE = 256, OPT_COLOR };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* "+": stop at the first directory, so "--" stays in the list */
	while ((c = getopt_long(argc, argv, "+f:m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (parse_format(optarg, &r->format))
				return fprintf(stderr, "compare: unknown format '%s'\n",
					       optarg), -1;
			break;
		case 'm': r->metrics = optarg; break;
		case OPT_FORCE: r->force = true; break;
		case OPT_COLOR:
			if (parse_color(optarg, &r->color))
				return fprintf(stderr, "compare: --color auto|always|never\n"), -1;
			break;
		case 'h': fputs(usage_text, stdout); return 1;
		default: return -1;
		}
	}
	return 0;
}

/* Options may also follow the directories: parse the rest again. */
static int parse_all(int argc, char **argv, struct rb_compare_request *r, char **dirs,
		     size_t *n)
{
	int rc;

	optind = 1;
	*n = 0;
	while (optind < argc) {
		rc = parse_args(argc, argv, r);
		if (rc)
			return rc;
		while (optind < argc && (argv[optind][0] != '-' || strcmp(argv[optind], "--") == 0))
			dirs[(*n)++] = argv[optind++];
	}
	return 0;
}

int rb_cmd_compare(int argc, char **argv)
{
	struct rb_compare_request r = { .format = RB_COMPARE_TEXT, .color = -1, .out = stdout };
	char **dirs = calloc((size_t)argc + 1, sizeof(*dirs));
	size_t n = 0;
	int rc = dirs ? parse_all(argc, argv, &r, dirs, &n) : -1;

	if (rc > 0) {
		rc = 0;
	} else if (rc < 0 || n == 0) {
		fputs(usage_text, stderr);
		rc = RB_EXIT_USAGE;
	} else {
		r.args = (const char *const *)dirs;
		r.n_args = n;
		rc = rb_compare_report(&r);
	}
	free(dirs);
	return rc;
}
