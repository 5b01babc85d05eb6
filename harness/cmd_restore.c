/* cmd_restore.c - `reclaimbench restore`: replay the journal a crashed or
 * killed run left behind, so every setting it changed (sysctls, THP,
 * cgroups, offlined memory, hugetlb pages, scratch files) is back, and mark
 * that run's results directory aborted. Safe to run at any time: with no
 * journal it does nothing. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "journal.h"
#include "results.h"

static const char usage_text[] =
	"usage: reclaimbench restore [--quiet]\n\n"
	"Undoes whatever an interrupted run changed, from the journal in\n"
	"$RECLAIMBENCH_STATE_DIR (default " RB_STATE_DIR_DEFAULT "). Needs root.\n"
	"Refuses while the run that owns the journal is still alive.\n\n"
	"examples:\n"
	"  sudo reclaimbench restore\n";

static void mark_results(const char *dir)
{
	struct json_object *meta, *status;

	if (!dir[0])
		return;
	meta = rb_json_load(dir, "meta.json");
	if (!meta)
		return;
	if (json_object_object_get_ex(meta, "status", &status) &&
	    strcmp(json_object_get_string(status), "running") == 0 &&
	    rb_results_mark(dir, "aborted", "the harness was killed; restored by "
					    "`reclaimbench restore`") == 0)
		printf("marked %s aborted\n", dir);
	json_object_put(meta);
}

int rb_cmd_restore(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[1024] = "", path[4096], dir[4096] = "";
	bool quiet = false, had_journal;
	int c, rc;

	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		if (c == 'q')
			quiet = true;
		else if (c == 'h')
			return fputs(usage_text, stdout), 0;
		else
			return fputs(usage_text, stderr), RB_EXIT_USAGE;
	}
	if (optind != argc)
		return fputs(usage_text, stderr), RB_EXIT_USAGE;
	rb_journal_path(path, sizeof(path));
	had_journal = access(path, F_OK) == 0;
	if (rb_journal_stale_results_dir(dir, sizeof(dir)) != 0)
		dir[0] = '\0';
	rc = rb_journal_restore_stale(!quiet, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "reclaimbench restore: %s\n", err[0] ? err : strerror(-rc));
		return 1;
	}
	if (rc > 0) {
		fprintf(stderr, "reclaimbench restore: %d step(s) failed; the journal %s is kept\n",
			rc, path);
		return 1;
	}
	mark_results(dir);
	if (!quiet)
		printf(had_journal ? "machine restored from %s\n" : "nothing to restore (no %s)\n",
		       path);
	return 0;
}
