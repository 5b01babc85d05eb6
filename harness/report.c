/* report.c - `report`'s page: collects the runs (every run of a group for
 * the tables, one per profile/variant for the overlaid figures), reads their
 * meta.json and summary.json, writes the sections (report_tables.c) and
 * inlines the figures drawn by plot.c into a temporary directory. The page
 * is written to a temporary file and renamed, so a reader never sees half
 * of it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "report_priv.h"
#include "results.h"

#ifndef RB_VERSION
#define RB_VERSION "unknown"
#endif

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;"
	"max-width:1280px;padding:0 1em;color:#222;background:#fff}\n"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;margin-top:2em}\n"
	"table{border-collapse:collapse;margin:.6em 0;font-variant-numeric:tabular-nums}\n"
	"th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}\n"
	"table.num td{text-align:right}th{background:#f5f5f5;font-weight:600}\n"
	"td.ok{color:#05641c;background:#eaf7ec}td.bad{color:#8a1010;background:#fbeaea}\n"
	"td.na,p.na{color:#888}td.up{color:#8a4b00}td.down{color:#004f8a}\n"
	"figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}\n"
	"figcaption{color:#555;font-size:.95em}p.note{color:#666;margin:.2em 0}\n"
	"pre{background:#f7f7f7;padding:.6em;overflow:auto}code{background:#f3f3f3}\n"
	"nav a{margin-right:1em}.sub{color:#555}\n";

struct page {
	char *const *dirs; /* as given: runs and groups */
	size_t n_dirs;
	struct rb_plot_run *all, *fig; /* runs for the tables / the figures */
	size_t n_all, n_fig;
	struct rb_rep_run *runs;
	const struct rb_report_options *o;
};

/* The labels joined with " vs ". */
static void write_labels(FILE *f, const struct page *p)
{
	for (size_t i = 0; i < p->n_all; i++) {
		if (i)
			fputs(" vs ", f);
		rb_html_escape(f, p->all[i].label);
	}
}

static void head(FILE *f, const struct page *p)
{
	char when[32];

	rb_utc_iso(when, sizeof(when));
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>", f);
	if (p->o->title)
		rb_html_escape(f, p->o->title);
	else {
		fputs("reclaimbench: ", f);
		write_labels(f, p);
	}
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
	if (p->o->title)
		rb_html_escape(f, p->o->title);
	else
		write_labels(f, p);
	fprintf(f, "</h1>\n<p class=\"sub\">reclaimbench %s report, generated %s, %zu run%s.</p>\n",
		RB_VERSION, when, p->n_all, p->n_all == 1 ? "" : "s");
	fputs("<nav><a href=\"#runs\">runs</a><a href=\"#machine\">machine</a>"
	      "<a href=\"#signature\">signature</a><a href=\"#figures-table\">key figures</a>", f);
	if (rb_rep_compare_applies(p->dirs, p->n_dirs))
		fputs("<a href=\"#compare\">comparison</a>", f);
	fputs("<a href=\"#latency\">latency</a><a href=\"#plots\">figures</a>"
	      "<a href=\"#settings\">settings</a></nav>\n", f);
}

/* Inline one figure file as a data: URI image. 0 or -errno. */
static int inline_figure(FILE *f, const char *path, const char *title, enum rb_plot_format fmt)
{
	FILE *in = fopen(path, "rb");
	unsigned char *buf = NULL;
	long len;
	int rc = 0;

	if (!in)
		return -errno;
	if (fseek(in, 0, SEEK_END) || (len = ftell(in)) <= 0 || fseek(in, 0, SEEK_SET) ||
	    !(buf = malloc((size_t)len)) || fread(buf, 1, (size_t)len, in) != (size_t)len) {
		rc = -EIO;
		goto out;
	}
	fprintf(f, "<figure><img alt=\"");
	rb_html_escape(f, title);
	fprintf(f, "\" src=\"data:image/%s;base64,", fmt == RB_PLOT_SVG ? "svg+xml" : "png");
	rb_base64(f, buf, (size_t)len);
	fputs("\"><figcaption>", f);
	rb_html_escape(f, title);
	fputs("</figcaption></figure>\n", f);
out:
	free(buf);
	(void)fclose(in);
	return rc;
}

static void note(FILE *f, const char *text)
{
	fputs("<p class=\"note\">", f);
	rb_html_escape(f, text);
	fputs("</p>\n", f);
}

/* Draw the figures into a temporary directory, inline them, remove it. */
static void figures(FILE *f, const struct page *p)
{
	struct rb_plot_result *res = malloc(sizeof(*res));
	char tmp[] = "/tmp/rb-report.XXXXXX";

	fputs("<h2 id=\"plots\">Figures</h2>\n", f);
	if (!res || !mkdtemp(tmp)) {
		note(f, "The figures could not be drawn: no temporary directory.");
		free(res);
		return;
	}
	if (rb_plot_render(p->fig, p->n_fig, &(struct rb_plot_options){ p->o->format, tmp }, res) &&
	    res->error[0])
		note(f, res->error);
	for (size_t i = 0; i < res->n_figs; i++) {
		if (inline_figure(f, res->paths[i], res->figs[i]->title, p->o->format))
			note(f, res->figs[i]->title);
		(void)unlink(res->paths[i]);
	}
	for (size_t i = 0; i < res->n_notes; i++)
		note(f, res->notes[i]);
	(void)rmdir(tmp);
	free(res);
}

static void body(FILE *f, const struct page *p)
{
	head(f, p);
	rb_rep_runs(f, p->runs, p->n_all);
	rb_rep_machine(f, p->runs, p->n_all);
	rb_rep_signature(f, p->runs, p->n_all);
	rb_rep_key_figures(f, p->runs, p->n_all);
	rb_rep_compare(f, p->dirs, p->n_dirs);
	rb_rep_workers(f, p->runs, p->n_all);
	figures(f, p);
	rb_rep_settings(f, p->runs, p->n_all);
	fputs("</body>\n</html>\n", f);
}

/* Write the page to path via path.tmp. 0 or -errno. */
static int write_page(const struct page *p, const char *path, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	FILE *f;
	int rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f) {
		rc = -errno;
		(void)snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return rc;
	}
	body(f, p);
	if (fflush(f) || ferror(f) || fsync(fileno(f)))
		rc = -EIO;
	if (fclose(f) && !rc)
		rc = -EIO;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		(void)unlink(tmp);
	}
	return rc;
}

static void free_page(struct page *p)
{
	for (size_t i = 0; p->runs && i < p->n_all; i++) {
		json_object_put(p->runs[i].meta);
		json_object_put(p->runs[i].summary);
	}
	free(p->runs);
	free(p->all);
	free(p->fig);
}

int rb_report_write(char *const *dirs, size_t n_dirs, const char *path,
		    const struct rb_report_options *o, char *err, size_t errlen)
{
	struct page p = { .dirs = dirs, .n_dirs = n_dirs, .o = o };
	int rc = rb_plot_collect(dirs, n_dirs, true, &p.all, &p.n_all, err, errlen);

	if (rc == 0)
		rc = rb_plot_collect(dirs, n_dirs, false, &p.fig, &p.n_fig, err, errlen);
	if (rc == 0 && !(p.runs = calloc(p.n_all, sizeof(*p.runs)))) {
		(void)snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	for (size_t i = 0; rc == 0 && i < p.n_all; i++) {
		p.runs[i].run = &p.all[i];
		p.runs[i].meta = rb_json_load(p.all[i].dir, "meta.json");
		p.runs[i].summary = rb_json_load(p.all[i].dir, "summary.json");
	}
	if (rc == 0)
		rc = write_page(&p, path, err, errlen);
	free_page(&p);
	return rc;
}
