/* plot.h - gnuplot figures of one or more results directories.
 *
 * Each figure is a template in plots/ (<name>.gp) fed with -e variables:
 * the data files, the columns to draw (by name), their legend titles and
 * unit factors. The program decides which columns a run has, never prints
 * gnuplot code, and runs gnuplot with execvp (no shell):
 *
 *   samples.tsv  -> memory, watermarks, memcg, psi, reclaim, stalls,
 *                   refaults, dirty, thp      (time series)
 *   latency/<worker>-<op>.hist -> latency     (percentile curves)
 *   workers.tsv  -> p99                       (per-second p99)
 *
 * One run: a panel per figure, a colour per series. Several runs (A vs B,
 * or the variants of an `ab` group): a panel per series, a colour per run.
 * A figure none of whose columns the runs have (an older kernel, a global
 * run without a memory cgroup) is skipped with a note. */
#ifndef RB_PLOT_H
#define RB_PLOT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define RB_PLOT_MAX_RUNS 16
#define RB_PLOT_MAX_SERIES 32
#define RB_PLOT_MAX_FIGURES 16

/* ---- TSV headers: columns by name ---- */

/* The header of a results TSV file and, per column, whether any row holds
 * a number (workers.tsv has NaN where an interval had no sample). */
struct rb_tsv {
	char **names;
	bool *has_data;
	size_t n;    /* columns */
	size_t rows; /* data rows */
};

/* Read path's header and scan its rows. Returns 0, -EINVAL (no header
 * line), -ENOMEM or -errno from opening it. On error t is empty. */
int rb_tsv_load(const char *path, struct rb_tsv *t);

/* Index of the column called name, or -ENOENT. */
int rb_tsv_column(const struct rb_tsv *t, const char *name);

/* Free what rb_tsv_load allocated (t may be empty). */
void rb_tsv_free(struct rb_tsv *t);

/* Factor converting a column's unit (its "[unit]" suffix) into `to`:
 * kB, bytes and pages (this machine's page size) into MiB; any unit into
 * itself (1/s, %, us, pages). Returns 0 or -EINVAL (no suffix, or no such
 * conversion). */
int rb_plot_unit_factor(const char *column, const char *to, double *factor);

/* ---- figures ---- */

enum rb_plot_source { RB_PLOT_SAMPLES, RB_PLOT_WORKERS, RB_PLOT_HISTS };

/* Where a series is drawn: a main line, a dashed reference line (a
 * watermark, a limit, a threshold: never enough on its own to draw the
 * figure), or a line on the right-hand axis. */
enum rb_plot_axis { RB_PLOT_MAIN, RB_PLOT_REF, RB_PLOT_RIGHT };

/* One series of a figure. columns: a column name; "a|b" = the first of
 * them the runs have; a '*' wildcard = the sum of every matching column
 * (allocstall_* over zones), or with the figure's `each`, one series per
 * matching column titled by what the '*' matched. */
struct rb_plot_series_spec {
	const char *title;
	const char *columns;
	enum rb_plot_axis axis;
};

struct rb_plot_figure {
	const char *name;  /* file stem and template: plots/<name>.gp -> <name>.png */
	const char *title; /* what it shows, for notes and the report */
	enum rb_plot_source source;
	const char *unit;  /* main and reference series, e.g. "MiB", "1/s" */
	const char *unit2; /* right-hand axis */
	bool each;         /* a wildcard series expands into one series per column */
	const struct rb_plot_series_spec *series;
	size_t n_series;
};

/* The figure table, in report order; *n = its length. */
const struct rb_plot_figure *rb_plot_figures(size_t *n);

/* A series resolved against the runs' columns. */
struct rb_plot_series {
	char title[64];
	char expr[512]; /* column names joined by '+' (summed) */
	double scale;   /* into the figure's unit */
	enum rb_plot_axis axis;
};

/* Resolve figure f's series against the headers of every run (all of them
 * must have a column; at least one run must have data in it). Writes up to
 * max series to out. Returns how many, or 0 when no main or right-hand
 * series is left (the figure is skipped). Not for RB_PLOT_HISTS figures. */
size_t rb_plot_select(const struct rb_plot_figure *f, const struct rb_tsv *const *hdrs,
		      size_t n_hdrs, struct rb_plot_series *out, size_t max);

/* ---- runs ---- */

/* A results directory to plot, and its legend label. */
struct rb_plot_run {
	char dir[PATH_MAX];
	char label[96]; /* profile[/variant] from meta.json, made unique */
	char start[32]; /* meta.json "start", "" if unknown */
	double rate;    /* samples.tsv rows a second (meta.json sample_rate_hz; 10) */
};

/* Expand command-line directories into runs. A run directory has a
 * meta.json; a group directory (`ab`'s: group.json and run subdirectories)
 * has none but subdirectories that do, taken in name order (but for one
 * whose status is still "running"). With all_runs
 * false a group contributes its first run of each profile/variant and
 * profile hash (enough for an overlay); with true, every run. A label that
 * would repeat gets " #2", " #3"... Returns 0, -ENOENT (err names the
 * directory that is neither), -E2BIG (more than RB_PLOT_MAX_RUNS runs) or
 * another -errno (err says which). Free *runs with free(). */
int rb_plot_collect(char *const *dirs, size_t n_dirs, bool all_runs, struct rb_plot_run **runs,
		    size_t *n_runs, char *err, size_t errlen);

/* ---- rendering ---- */

enum rb_plot_format { RB_PLOT_PNG, RB_PLOT_SVG };

struct rb_plot_options {
	enum rb_plot_format format;
	const char *out_dir; /* created if missing */
};

struct rb_plot_result {
	const struct rb_plot_figure *figs[RB_PLOT_MAX_FIGURES]; /* rendered, in order */
	char paths[RB_PLOT_MAX_FIGURES][PATH_MAX];
	size_t n_figs;
	char notes[RB_PLOT_MAX_FIGURES][256]; /* skipped or failed figures */
	size_t n_notes;
	size_t n_failed;
	char error[512]; /* why nothing was drawn, when rb_plot_render fails */
};

/* gnuplot's path from $PATH into path. Returns 0 or -ENOENT. */
int rb_plot_find_gnuplot(char *path, size_t len);

/* The templates' directory: $RECLAIMBENCH_PLOTS, ./plots, <exe dir>/plots,
 * <exe dir>/../share/reclaimbench/plots, RB_DATADIR/plots; the first that
 * holds _series.gp. Returns 0 or -ENOENT. */
int rb_plot_template_dir(char *path, size_t len);

/* Draw every figure the runs have into o->out_dir as <name>.png or .svg,
 * silently (the caller prints res).
 * Returns 0 when every figure with columns was drawn (some may have been
 * skipped: res->notes), -ENOENT when gnuplot or the templates are missing,
 * -EIO when gnuplot failed on a figure (the others are drawn; notes say
 * which), or -errno creating out_dir. res->error says why on failure. */
int rb_plot_render(const struct rb_plot_run *runs, size_t n, const struct rb_plot_options *o,
		   struct rb_plot_result *res);

/* What `run` does after a run: draw dir's figures into dir/plots as PNG
 * and print where (unless quiet), or, when gnuplot is missing, say so on
 * stderr. Nothing when dir has no samples.tsv (the run failed before it
 * sampled): -ENODATA. Else returns rb_plot_render's result (-ENOMEM too). */
int rb_plot_after_run(const char *dir, bool quiet);

#endif
