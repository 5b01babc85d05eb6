/* runner.h - one run of a profile, start to finish: check, journal then
 * change, contain or shrink, fork workers, sample, stop, write results,
 * restore. Whatever ends the run (duration, SIGINT/SIGTERM, a watchdog
 * trip, an error), the machine is restored and the results directory is
 * valid and marked complete, aborted or failed. */
#ifndef RB_RUNNER_H
#define RB_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"

struct rb_run_options {
	const char *out_dir; /* --out: exactly this directory; NULL = default name */
	bool keep_scratch;   /* --keep: leave the workers' scratch files */
	bool quiet;          /* no progress line, no summary print */
};

/* Run the profile. Writes the results directory's path into dir.
 * Returns 0 when the run completed, 1 when it was aborted or failed
 * (the reason is in meta.json and was printed), 2 for a usage-type error
 * found before anything changed (e.g. --out exists). */
int rb_run(const struct rb_profile *p, const struct rb_run_options *o, char *dir, size_t len);

#endif
