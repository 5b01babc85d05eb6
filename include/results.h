/* results.h - the results directory of a run:
 *   meta.json     what ran where, settings before/applied, status, events
 *   samples.tsv   machine time series      workers.tsv  per-worker series
 *   latency/<worker>-<op>.hist             summary.json totals, figures, verdict
 *   profile.ini   the resolved profile as run
 * JSON is strict (json-c), written to a temporary file and renamed, so a
 * reader never sees half a file. */
#ifndef RB_RESULTS_H
#define RB_RESULTS_H

#include <json-c/json.h>
#include <stddef.h>

#include "profile.h"
#include "spawn.h"

/* Create the run's directory: `out` exactly if given (must not exist or be
 * empty), else <results root>/<profile>[-<variant>]-<UTC YYYYmmddTHHMMSSZ>,
 * the root being $RECLAIMBENCH_RESULTS or ./results. Also creates latency/.
 * Returns 0 or -errno with err filled. */
int rb_results_create(const char *out, const struct rb_profile *p, char *dir, size_t len,
		      char *err, size_t errlen);

/* Write obj to dir/name atomically (pretty, strict JSON). Returns 0 or -errno. */
int rb_json_save(const char *dir, const char *name, struct json_object *obj);

/* Load dir/name; NULL if missing or invalid. */
struct json_object *rb_json_load(const char *dir, const char *name);

/* Write each worker's histograms to dir/latency/<worker>-<op>.hist.
 * Returns 0 or -errno. */
int rb_results_write_hists(const char *dir, const struct rb_proc *procs, size_t n);

/* Set meta.json's status (and reason) in an existing results directory,
 * e.g. when `restore` finds the directory of a killed run. 0 or -errno. */
int rb_results_mark(const char *dir, const char *status, const char *reason);

/* UTC time as ISO 8601 ("2026-11-21T21:26:10Z"). */
void rb_utc_iso(char *buf, size_t len);

#endif
