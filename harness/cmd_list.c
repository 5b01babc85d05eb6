/* cmd_list.c - `reclaimbench list`: the profiles (description, variants)
 * and the workloads (what each reproduces, every option with its type,
 * bounds, default and help), all from the same tables the parser uses. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "profile.h"
#include "workloads.h"

static const char usage_text[] =
	"usage: reclaimbench list [--profiles|--workloads]\n\n"
	"Lists the profiles (with their variants) and the workload types (with\n"
	"every option a profile may set).\n\n"
	"examples:\n"
	"  reclaimbench list\n"
	"  reclaimbench list --workloads\n";

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show_profile(const char *dir, const char *file)
{
	char path[4096 + 256], err[8192];
	struct rb_profile *p = NULL;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (rb_profile_load(path, NULL, &p, err, sizeof(err)) != 0) {
		printf("  %-22s (does not load: %s)\n", file, err);
		return;
	}
	printf("  %-22s %s\n", p->name, p->description);
	for (size_t i = 0; i < p->n_variants; i++)
		printf("  %22s   --variant %s: %s\n", "", p->variants[i].name,
		       p->variants[i].description);
	rb_profile_free(p);
}

static void list_profiles(void)
{
	char dir[4096], *names[256];
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	if (rb_profile_dir(dir, sizeof(dir)) != 0 || !(d = opendir(dir))) {
		printf("profiles: none found (looked in $RECLAIMBENCH_PROFILES, ./profiles, "
		       "next to the program, ../share/reclaimbench/profiles from it and %s/profiles)\n", RB_DATADIR);
		return;
	}
	while ((e = readdir(d)) && n < 256) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".ini") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	printf("profiles (%s):\n", dir);
	for (size_t i = 0; i < n; i++) {
		if (names[i])
			show_profile(dir, names[i]);
		free(names[i]);
	}
}

static void list_workloads(void)
{
	char desc[256];

	printf("workloads:\n");
	for (size_t i = 0; i < rb_workload_count; i++) {
		const struct rb_workload_ops *ops = rb_workloads[i];
		printf("  %-14s %s\n  %-14s reproduces: %s\n", ops->name, ops->help, "",
		       ops->reproduces);
		for (const struct rb_option *o = ops->options; o->name; o++) {
			rb_option_describe(o, desc, sizeof(desc));
			printf("  %16s%-10s %s (%s)\n", "", o->name, o->help, desc);
		}
	}
	printf("  every workload also takes: type, node (N or all), start, stop, instances,\n"
	       "  oom_score_adj\n");
}

int rb_cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profiles", no_argument, NULL, 'p' }, { "workloads", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },     { NULL, 0, NULL, 0 },
	};
	bool profiles = true, workloads = true;
	int c;

	while ((c = getopt_long(argc, argv, "pwh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': workloads = false; break;
		case 'w': profiles = false; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return RB_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fputs(usage_text, stderr);
		return RB_EXIT_USAGE;
	}
	if (profiles)
		list_profiles();
	if (profiles && workloads)
		putchar('\n');
	if (workloads)
		list_workloads();
	return 0;
}
