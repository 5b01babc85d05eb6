/* compare.h - A/B comparison of runs: which way each metric should move,
 * the statistics and the verdict of one metric over two sets of runs, the
 * comparability key every run records in meta.json, and the whole report
 * (`reclaimbench compare`, and the end of `reclaimbench ab`).
 *
 * Significance rule (README "A/B comparison"): at least RB_COMPARE_MIN_N
 * runs a side; p < RB_COMPARE_ALPHA from the Mann-Whitney U test where it
 * can reach that at these sample sizes (rb_stats_mw_min_p <= alpha: from
 * 4 + 4 or 3 + 5 runs on), else from Welch's t-test (3 + 3, 3 + 4); and the
 * 95% bootstrap interval of the relative change mean(B)/mean(A) - 1
 * excludes 0 (of the difference mean(B) - mean(A) when mean(A) is 0). */
#ifndef RB_COMPARE_H
#define RB_COMPARE_H

#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "profile.h"
#include "stats.h"

#define RB_COMPARE_MIN_N 3           /* fewer runs a side: "n<3: no verdict" */
#define RB_COMPARE_ALPHA 0.05
#define RB_COMPARE_LEVEL 0.95        /* every interval */
#define RB_COMPARE_BOOT_ITERS 10000
#define RB_COMPARE_BOOT_SEED 0x5eedab5eedab5eedull /* fixed: reports are reproducible */

/* Which way a metric should move for the machine to be better off. */
enum rb_direction {
	RB_LOWER_BETTER = -1,  /* stalls, scans, refaults, latency, PSI, limit hits */
	RB_NEUTRAL = 0,        /* a change is reported, not judged */
	RB_HIGHER_BETTER = 1,  /* throughput, reclaim efficiency, free memory */
};

/* The direction of a metric name (as summary.json / expect lines name it),
 * from a first-match glob table in compare.c; RB_NEUTRAL when none matches. */
enum rb_direction rb_compare_direction(const char *metric);

enum rb_compare_verdict {
	RB_VERDICT_NONE,    /* fewer than RB_COMPARE_MIN_N runs on a side */
	RB_VERDICT_SAME,    /* no significant change */
	RB_VERDICT_BETTER,  /* significant, in the metric's good direction */
	RB_VERDICT_WORSE,   /* significant, in its bad direction */
	RB_VERDICT_CHANGED, /* significant, neutral metric */
};

/* One metric over the runs of both sides. */
struct rb_compare_row {
	char metric[160];
	enum rb_direction dir;
	struct rb_stats_summary a, b;  /* n = 0 (and NaN figures) where a side has no value */
	double rel, rel_lo, rel_hi;    /* mean(B)/mean(A) - 1 and its bootstrap CI (NaN when
					  mean(A) = 0; the CIs need 2 runs a side) */
	double diff, diff_lo, diff_hi; /* mean(B) - mean(A) and its bootstrap CI */
	struct rb_stats_mw mw;         /* p is NaN when a side is empty */
	double p_welch;                /* NaN when undefined */
	const char *test;              /* "Mann-Whitney" or "Welch": the test the verdict used */
	double p;                      /* that test's p-value */
	enum rb_compare_verdict verdict;
};

/* Compute every figure of a row and its verdict from the values of each
 * side (either may be empty). Returns 0 or -ENOMEM. */
int rb_compare_row(const char *metric, const double *a, size_t na, const double *b, size_t nb,
		   struct rb_compare_row *row);

/* Verdict as a word: "n<3", "-", "better", "worse", "changed". */
const char *rb_compare_verdict_name(enum rb_compare_verdict v);

/* The sentence for a significant row, e.g. "roomy cuts memcg_limit_hits by
 * 100% (95% CI 100-100%, Welch p=0.00031): better". */
void rb_compare_sentence(const struct rb_compare_row *row, const char *label_b, char *buf,
			 size_t len);

/* A metric of a run's summary.json: rb_summary_lookup, plus "reproduced"
 * as 0/1, and NAME_per_s as 0 where vmstat NAME exists but did not move
 * (summary.json leaves zero rates out). A summary without its "workers"
 * object (or, for baseline.* names, its "baseline" object) has no metric.
 * Returns 0 or -ENOENT. */
int rb_compare_metric(struct json_object *summary, const char *name, double *out);

/* The default metrics of a set of summaries, in order, each once: the
 * derived figures, pgscan_direct_per_s, psi.<res>.some_pct/full_pct,
 * watermarks.below_low_pct/below_min_pct, per worker ops_per_s,
 * bytes_per_s and p50/p99/p99.9 of each histogram with samples, and
 * reproduced. *names is a NULL-terminated array to free with
 * rb_compare_names_free. Returns 0 or -ENOMEM. */
int rb_compare_default_metrics(struct json_object *const *summaries, size_t n, char ***names);

/* Free a NULL-terminated name array; accepts NULL. */
void rb_compare_names_free(char **names);

/* The comparability key for meta.json: profile (name), profile_base_hash
 * (FNV-1a of the profile file resolved with no variant and no --set
 * override), kernel (release), memory_bytes (the profile's memory as
 * written), duration_s (as run), machine {cpu_model, mem_total_gib (MemTotal
 * rounded to GiB), numa_nodes}. NULL on allocation failure. */
struct json_object *rb_compare_key(const struct rb_profile *p);

/* Compare two keys field by field (nested fields as "machine.cpu_model"; a
 * missing key or field differs). Returns 0 when equal, else 1 with the
 * first difference in field, va and vb (as JSON text). */
int rb_compare_key_diff(struct json_object *a, struct json_object *b, char *field,
			size_t flen, char *va, char *vb, size_t vlen);

enum rb_compare_format { RB_COMPARE_TEXT, RB_COMPARE_MARKDOWN, RB_COMPARE_JSON };

/* What `compare` is asked. Directory arguments (README "A/B comparison"):
 * one group directory (its A runs against its B runs); two arguments
 * (A and B), each a run directory or GROUP:a / GROUP:b; or any number of
 * them split by "--" (before it A, after it B). */
struct rb_compare_request {
	const char *const *args;
	size_t n_args;
	enum rb_compare_format format;
	const char *metrics; /* comma-separated names or globs ("probe.*"), NULL = default set */
	bool force;          /* compare runs whose comparability keys differ (warn) */
	int color;           /* 1 on, 0 off, -1 when stdout is a TTY and NO_COLOR is unset */
	FILE *out;
};

/* Load the runs, check comparability, compute every row and print the
 * report. Returns 0, 1 (not comparable without --force, a side without a
 * complete run, unreadable files), or 2 (bad arguments). */
int rb_compare_report(const struct rb_compare_request *req);

#endif
