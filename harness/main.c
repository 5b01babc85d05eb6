/* main.c - reclaimbench's entry point: checks the workload registry and
 * dispatches the subcommand from a table (as iproute2's ip.c). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "workloads.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "list", rb_cmd_list, "profiles, workloads and what each reproduces" },
	{ "run", rb_cmd_run, "run a profile once; writes a results directory" },
	{ "restore", rb_cmd_restore, "undo an interrupted run (sysctls, THP, cgroups, memory)" },
	{ "ab", rb_cmd_ab, "interleaved A B A B ... runs of two variants, then compare" },
	{ "compare", rb_cmd_compare, "statistics and verdicts of B against A (text/markdown/json)" },
	{ "plot", rb_cmd_plot, "gnuplot figures of runs, or several overlaid" },
	{ "report", rb_cmd_report, "one self-contained HTML page for a review" },
};

static int usage(FILE *f, int code)
{
	fprintf(f, "usage: reclaimbench COMMAND [OPTIONS]\n\n"
		   "Reproduces Linux memory-reclaim pathologies on demand, measures them\n"
		   "and compares kernel tunings.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nexamples:\n"
		   "  reclaimbench list\n"
		   "  sudo reclaimbench run quick\n"
		   "  sudo reclaimbench run quick --variant half-memory --duration 20s\n"
		   "  sudo reclaimbench restore\n\n"
		   "`reclaimbench COMMAND --help` describes each command.\n"
		   "exit status: 0 ok, 1 failure, 2 usage error (nothing was changed)\n");
	return code;
}

int main(int argc, char **argv)
{
	if (rb_workloads_check() != 0)
		return 1;
	if (argc < 2)
		return usage(stderr, RB_EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return usage(stdout, 0);
	if (strcmp(argv[1], "--version") == 0) {
		printf("reclaimbench %s\n", RB_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "reclaimbench: unknown command '%s'\n\n", argv[1]);
	return usage(stderr, RB_EXIT_USAGE);
}
