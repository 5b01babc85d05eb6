/* report.h - one self-contained HTML page for a capacity review, from one
 * or more results directories (runs, or `ab` groups of runs):
 *
 *   runs        profile, variant, status, start/end, settings applied
 *   machine     kernel, cmdline, CPU, NUMA, memory, cgroup, PSI, THP
 *   signature   each `expect` line with both sides and its verdict
 *   key figures derived figures, PSI, memcg and each worker's p50/p99/max,
 *               side by side, with the change against the first run
 *   comparison  for one `ab` group or two runs: `compare`'s statistics and
 *               verdicts (compare.h)
 *   latency     every worker's whole-run percentiles, per run
 *   figures     the `plot` figures (overlaid for several runs), inlined as
 *               data: URIs (SVG by default, or PNG)
 *
 * No script, no stylesheet or font from elsewhere, no external request:
 * the file can be mailed or attached to a review as it is. Every string read
 * from a results directory is HTML-escaped. */
#ifndef RB_REPORT_H
#define RB_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "plot.h"

struct rb_report_options {
	enum rb_plot_format format; /* how figures are inlined */
	const char *title;          /* page title; NULL = from the runs' labels */
};

/* Write the page for dirs to path (a temporary file renamed into place).
 * Figures that cannot be drawn (no gnuplot) leave a note on the page, not
 * an error. Returns 0, or -errno with err saying what failed (a directory
 * that is not a run or group: -ENOENT). */
int rb_report_write(char *const *dirs, size_t n_dirs, const char *path,
		    const struct rb_report_options *o, char *err, size_t errlen);

/* Write s to f with & < > " ' as character references. */
void rb_html_escape(FILE *f, const char *s);

/* Write len bytes of data to f as base64 (RFC 4648, padded, one line). */
void rb_base64(FILE *f, const unsigned char *data, size_t len);

#endif
