/* report_priv.h - private to report*.c: the runs of a report with their
 * meta.json and summary.json, and the HTML helpers the sections share. */
#ifndef RB_REPORT_PRIV_H
#define RB_REPORT_PRIV_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "plot.h"

struct rb_rep_run {
	const struct rb_plot_run *run;
	struct json_object *meta;    /* NULL if unreadable */
	struct json_object *summary; /* NULL if the run wrote none */
};

/* The value at a dotted path ("machine.kernel.release"), or NULL. */
struct json_object *rb_rep_get(struct json_object *o, const char *path);

/* Its text (numbers and booleans as JSON writes them), "" if missing. */
const char *rb_rep_str(struct json_object *o, const char *path);

/* <tag>escaped text</tag> */
void rb_rep_cell(FILE *f, const char *tag, const char *text);

/* A number cell: integers as such, others with 3 significant digits
 * (at least the integer part); "n/a" when missing. */
void rb_rep_num(FILE *f, const double *v);

/* A byte count cell ("1.0 GiB"), or the raw text when not a number. */
void rb_rep_bytes(FILE *f, struct json_object *v);

/* Open a table header row: `corner` (NULL = empty) and each run's label;
 * the caller adds any further cells and closes the row. */
void rb_rep_run_header(FILE *f, const char *corner, const struct rb_rep_run *runs, size_t n);

/* Sections (report_tables.c), each an <h2> and its tables. */
void rb_rep_runs(FILE *f, const struct rb_rep_run *runs, size_t n);
void rb_rep_machine(FILE *f, const struct rb_rep_run *runs, size_t n);
void rb_rep_signature(FILE *f, const struct rb_rep_run *runs, size_t n);
void rb_rep_key_figures(FILE *f, const struct rb_rep_run *runs, size_t n);
void rb_rep_workers(FILE *f, const struct rb_rep_run *runs, size_t n);
void rb_rep_settings(FILE *f, const struct rb_rep_run *runs, size_t n);

/* Does the comparison section apply: one `ab` group, or two run
 * directories (A and B)? */
bool rb_rep_compare_applies(char *const *dirs, size_t n_dirs);

/* The comparison section (report_compare.c): `compare`'s statistics and
 * verdicts as a table, or a note when it refuses the runs. Nothing when it
 * does not apply. */
void rb_rep_compare(FILE *f, char *const *dirs, size_t n_dirs);

#endif
