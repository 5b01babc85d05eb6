/* plot.c - draws the figure table (plot_figures.c) for one run or several
 * overlaid: resolves each figure's columns against every run's headers,
 * passes files, columns, titles and unit factors to its template as -e
 * variables and runs gnuplot (plot_exec.c). A figure without columns is a
 * note, not an error. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot.h"
#include "plot_priv.h"

struct ctx {
	const struct rb_plot_run *runs;
	size_t n;
	const struct rb_plot_options *o;
	struct rb_plot_result *res;
	char gnuplot[PATH_MAX], tdir[PATH_MAX];
	struct rb_tsv samples[RB_PLOT_MAX_RUNS], workers[RB_PLOT_MAX_RUNS];
	char subtitle[RB_PLOT_MAX_RUNS * 100];
};

/* A histogram shown as a curve: its name and each run's file and count. */
struct hist_curve {
	char name[96];
	char file[RB_PLOT_MAX_RUNS][PATH_MAX];
	uint64_t count[RB_PLOT_MAX_RUNS];
};

static void note(struct rb_plot_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct rb_plot_result *res, const char *fmt, ...)
{
	va_list ap;

	if (res->n_notes == RB_PLOT_MAX_FIGURES)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(res->notes[res->n_notes++], sizeof(res->notes[0]), fmt, ap);
	va_end(ap);
}

static int mkdir_p(const char *dir)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -errno : 0;
}

/* "label, start" for one run, "A vs B vs C" for several. */
static void make_subtitle(struct ctx *c)
{
	size_t len = 0, cap = sizeof(c->subtitle);

	c->subtitle[0] = '\0';
	if (c->n == 1) {
		(void)snprintf(c->subtitle, cap, "%s%s%s", c->runs[0].label,
			       *c->runs[0].start ? ", " : "", c->runs[0].start);
		return;
	}
	for (size_t i = 0; i < c->n && len < cap; i++)
		len += (size_t)snprintf(c->subtitle + len, cap - len, "%s%s", i ? " vs " : "",
					c->runs[i].label);
}

/* Each run's samples.tsv and workers.tsv headers (empty when missing). */
static void load_headers(struct ctx *c)
{
	char path[PATH_MAX + 16];

	for (size_t i = 0; i < c->n; i++) {
		(void)snprintf(path, sizeof(path), "%s/samples.tsv", c->runs[i].dir);
		(void)rb_tsv_load(path, &c->samples[i]);
		(void)snprintf(path, sizeof(path), "%s/workers.tsv", c->runs[i].dir);
		(void)rb_tsv_load(path, &c->workers[i]);
	}
}

static void free_headers(struct ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		rb_tsv_free(&c->samples[i]);
		rb_tsv_free(&c->workers[i]);
	}
}

/* Variables every template takes: term, out, plotdir, labels, subtitle. */
static void common_vars(const struct ctx *c, struct rb_gp_args *a, const char *out)
{
	struct rb_gp_words w;

	rb_gp_var(a, "term", c->o->format == RB_PLOT_SVG ? "svg" : "pngcairo");
	rb_gp_var(a, "out", out);
	rb_gp_var(a, "plotdir", c->tdir);
	rb_gp_var(a, "subtitle", c->subtitle);
	rb_gp_words_open(&w);
	for (size_t i = 0; i < c->n; i++)
		rb_gp_word(&w, c->runs[i].label);
	rb_gp_words_var(a, "labels", &w);
}

/* cols/titles/scales (prefix "", "ref" or "2") for the series on one axis. */
static void axis_vars(struct rb_gp_args *a, const struct rb_plot_series *s, size_t n,
		      enum rb_plot_axis axis, const char *cols, const char *titles,
		      const char *scales)
{
	struct rb_gp_words wc, wt, ws;

	rb_gp_words_open(&wc);
	rb_gp_words_open(&wt);
	rb_gp_words_open(&ws);
	for (size_t i = 0; i < n; i++) {
		if (s[i].axis != axis)
			continue;
		rb_gp_word(&wc, s[i].expr);
		rb_gp_word(&wt, s[i].title);
		rb_gp_word_num(&ws, s[i].scale);
	}
	rb_gp_words_var(a, cols, &wc);
	rb_gp_words_var(a, titles, &wt);
	rb_gp_words_var(a, scales, &ws);
}

static void series_vars(const struct ctx *c, struct rb_gp_args *a, const struct rb_plot_figure *f,
			const struct rb_plot_series *s, size_t n)
{
	struct rb_gp_words files;
	char path[PATH_MAX + 16];

	rb_gp_words_open(&files);
	for (size_t i = 0; i < c->n; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", c->runs[i].dir,
			       f->source == RB_PLOT_WORKERS ? "workers.tsv" : "samples.tsv");
		rb_gp_word(&files, path);
	}
	rb_gp_words_var(a, "files", &files);
	rb_gp_var(a, "xcol", "time[s]");
	rb_gp_num(a, "rate", f->source == RB_PLOT_WORKERS ? 1.0 : c->runs[0].rate);
	axis_vars(a, s, n, RB_PLOT_MAIN, "cols", "titles", "scales");
	axis_vars(a, s, n, RB_PLOT_REF, "refs", "reftitles", "refscales");
	axis_vars(a, s, n, RB_PLOT_RIGHT, "cols2", "titles2", "scales2");
}

/* A .hist file's "# name:" and "# count:" header lines. 0 or -errno. */
static int hist_header(const char *path, char *name, size_t len, uint64_t *count)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f)
		return -errno;
	*count = 0;
	while (fgets(line, sizeof(line), f) && line[0] == '#') {
		if (sscanf(line, "# count: %" SCNu64, count) == 1)
			continue;
		if (strncmp(line, "# name: ", 8) == 0)
			(void)snprintf(name, len, "%.*s", (int)strcspn(line + 8, "\n"), line + 8);
	}
	(void)fclose(f);
	return 0;
}

/* Fill curve h for file name in every run; false unless every run has it
 * and one has samples in it. */
static bool hist_curve(const struct ctx *c, const char *file, struct hist_curve *h)
{
	uint64_t total = 0;

	(void)snprintf(h->name, sizeof(h->name), "%.*s", (int)(strlen(file) - 5), file);
	for (size_t i = 0; i < c->n; i++) {
		if ((size_t)snprintf(h->file[i], sizeof(h->file[i]), "%s/latency/%s",
				     c->runs[i].dir, file) >= sizeof(h->file[i]) ||
		    hist_header(h->file[i], h->name, sizeof(h->name), &h->count[i]))
			return false;
		total += h->count[i];
	}
	return total > 0;
}

static int is_hist(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".hist") == 0;
}

/* The latency curves the runs share (first run's files, name order). */
static size_t hist_curves(const struct ctx *c, struct hist_curve *h, size_t max)
{
	struct dirent **list;
	char dir[PATH_MAX + 16];
	size_t got = 0;
	int n;

	(void)snprintf(dir, sizeof(dir), "%s/latency", c->runs[0].dir);
	n = scandir(dir, &list, is_hist, alphasort);
	for (int i = 0; i < n; i++) {
		if (got < max && hist_curve(c, list[i]->d_name, &h[got]))
			got++;
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return got;
}

/* names, hists (name-major) and totals for latency.gp. */
static void hist_vars(const struct ctx *c, struct rb_gp_args *a, const struct hist_curve *h,
		      size_t n)
{
	struct rb_gp_words names, files, totals;

	rb_gp_words_open(&names);
	rb_gp_words_open(&files);
	rb_gp_words_open(&totals);
	for (size_t i = 0; i < n; i++) {
		rb_gp_word(&names, h[i].name);
		for (size_t r = 0; r < c->n; r++) {
			rb_gp_word(&files, h[i].file[r]);
			rb_gp_word_num(&totals, (double)h[i].count[r]);
		}
	}
	rb_gp_words_var(a, "names", &names);
	rb_gp_words_var(a, "hists", &files);
	rb_gp_words_var(a, "totals", &totals);
}

/* The figure's variables; false (with a note) when it has nothing to draw. */
static bool figure_vars(const struct ctx *c, struct rb_gp_args *a, const struct rb_plot_figure *f)
{
	struct rb_plot_series s[RB_PLOT_MAX_SERIES];
	const struct rb_tsv *hdrs[RB_PLOT_MAX_RUNS];
	struct hist_curve *h;
	size_t n;

	if (f->source != RB_PLOT_HISTS) {
		for (size_t i = 0; i < c->n; i++)
			hdrs[i] = f->source == RB_PLOT_WORKERS ? &c->workers[i] : &c->samples[i];
		n = rb_plot_select(f, hdrs, c->n, s, RB_PLOT_MAX_SERIES);
		if (n)
			series_vars(c, a, f, s, n);
		return n > 0;
	}
	h = malloc(RB_PLOT_MAX_SERIES * sizeof(*h));
	n = h ? hist_curves(c, h, RB_PLOT_MAX_SERIES) : 0;
	if (n)
		hist_vars(c, a, h, n);
	free(h);
	return n > 0;
}

static void skipped(const struct ctx *c, const struct rb_plot_figure *f)
{
	char cols[160] = "";
	size_t len = 0;

	if (f->source == RB_PLOT_HISTS) {
		note(c->res, "skipped %s (%s): no latency/<worker>-<op>.hist with samples%s",
		     f->name, f->title, c->n > 1 ? " in every run" : "");
		return;
	}
	for (size_t i = 0, shown = 0; i < f->n_series && len < sizeof(cols); i++) {
		const char *name = f->series[i].columns;
		if (f->series[i].axis == RB_PLOT_REF)
			continue;
		len += (size_t)snprintf(cols + len, sizeof(cols) - len, "%s%.*s",
					shown ? ", " : "", (int)strcspn(name, "|"), name);
		if (++shown == 3 && i + 1 < f->n_series) {
			len += (size_t)snprintf(cols + len, sizeof(cols) - len, " ...");
			break;
		}
	}
	note(c->res, "skipped %s (%s): %s has none of %s%s", f->name, f->title,
	     f->source == RB_PLOT_WORKERS ? "workers.tsv" : "samples.tsv", cols,
	     c->n > 1 ? " in every run" : "");
}

/* Draw figure f; notes say why when it is not drawn. */
static void draw(struct ctx *c, const struct rb_plot_figure *f)
{
	struct rb_plot_result *res = c->res;
	struct rb_gp_args a;
	char out[PATH_MAX], script[PATH_MAX + 32], err[200] = "it wrote nothing";
	struct stat st;

	(void)snprintf(out, sizeof(out), "%s/%s.%s", c->o->out_dir, f->name,
		       c->o->format == RB_PLOT_SVG ? "svg" : "png");
	(void)unlink(out); /* a figure of an earlier plot must not pass for this one */
	rb_gp_args_init(&a, c->gnuplot);
	common_vars(c, &a, out);
	if (!figure_vars(c, &a, f)) {
		skipped(c, f);
		goto out;
	}
	(void)snprintf(script, sizeof(script), "%s/%s.gp", c->tdir, f->name);
	rb_gp_script(&a, script);
	if (rb_gp_run(&a, err, sizeof(err)) == 0 && stat(out, &st) == 0 && st.st_size > 0) {
		res->figs[res->n_figs] = f;
		(void)snprintf(res->paths[res->n_figs++], sizeof(res->paths[0]), "%s", out);
	} else {
		note(res, "failed %s (%s): gnuplot: %s", f->name, f->title, err);
		res->n_failed++;
	}
out:
	rb_gp_args_free(&a);
}

/* gnuplot and the templates, or res->error. */
static int find_tools(struct ctx *c)
{
	if (rb_plot_find_gnuplot(c->gnuplot, sizeof(c->gnuplot))) {
		(void)snprintf(c->res->error, sizeof(c->res->error),
			       "gnuplot not found in PATH (Debian: apt-get install gnuplot-nox)");
		return -ENOENT;
	}
	if (rb_plot_template_dir(c->tdir, sizeof(c->tdir))) {
		(void)snprintf(c->res->error, sizeof(c->res->error),
			       "no plot templates (plots/_series.gp): set RECLAIMBENCH_PLOTS");
		return -ENOENT;
	}
	return 0;
}

int rb_plot_render(const struct rb_plot_run *runs, size_t n, const struct rb_plot_options *o,
		   struct rb_plot_result *res)
{
	struct ctx *c = calloc(1, sizeof(*c));
	const struct rb_plot_figure *figs;
	size_t n_figs;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!c || n == 0 || n > RB_PLOT_MAX_RUNS) {
		free(c);
		(void)snprintf(res->error, sizeof(res->error), c ? "no runs" : "out of memory");
		return c ? -EINVAL : -ENOMEM;
	}
	*c = (struct ctx){ .runs = runs, .n = n, .o = o, .res = res };
	rc = find_tools(c);
	if (rc == 0 && (rc = mkdir_p(o->out_dir)))
		(void)snprintf(res->error, sizeof(res->error), "%s: %s", o->out_dir, strerror(-rc));
	if (rc == 0) {
		make_subtitle(c);
		load_headers(c);
		figs = rb_plot_figures(&n_figs);
		for (size_t i = 0; i < n_figs; i++)
			draw(c, &figs[i]);
		free_headers(c);
		rc = res->n_failed ? -EIO : 0;
	}
	free(c);
	return rc;
}

int rb_plot_after_run(const char *dir, bool quiet)
{
	struct rb_plot_result *res = malloc(sizeof(*res));
	struct rb_plot_run *runs = NULL;
	char out[PATH_MAX + 8], err[PATH_MAX + 64];
	char *dirs[] = { (char *)dir };
	size_t n = 0;
	int rc = res ? rb_plot_collect(dirs, 1, false, &runs, &n, err, sizeof(err)) : -ENOMEM;

	(void)snprintf(out, sizeof(out), "%s/samples.tsv", dir);
	if (rc == 0 && access(out, F_OK)) /* the run failed before sampling */
		rc = -ENODATA;
	(void)snprintf(out, sizeof(out), "%s/plots", dir);
	if (rc == 0)
		rc = rb_plot_render(runs, n, &(struct rb_plot_options){ RB_PLOT_PNG, out }, res);
	if (rc == 0 && !quiet)
		printf("plots: %s (%zu figures)\n", out, res->n_figs);
	else if (rc == -ENOENT && res && res->error[0])
		fprintf(stderr, "reclaimbench: %s; no plots\n", res->error);
	else if (rc && rc != -ENODATA)
		fprintf(stderr, "reclaimbench: plotting %s failed: %s\n", dir,
			res && res->error[0] ? res->error : rc == -EIO ? res->notes[0] : err);
	free(runs);
	free(res);
	return rc;
}
