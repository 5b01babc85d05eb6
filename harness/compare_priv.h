/* compare_priv.h - private to compare*.c: name lists, the loaded runs of
 * each side and the report writers. */
#ifndef RB_COMPARE_PRIV_H
#define RB_COMPARE_PRIV_H

#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>

#include "compare.h"

/* A growing list of unique names, NULL-terminated once it has one. */
struct rb_names {
	char **v;
	size_t n, cap;
};

/* Append s unless present. Returns 0 or -ENOMEM. */
int rb_names_add(struct rb_names *l, const char *s);

/* One complete run: its directory and parsed files (owned). */
struct rb_compare_run {
	char dir[PATH_MAX];
	struct json_object *meta, *summary;
};

/* One side of the comparison. */
struct rb_compare_side {
	char label[RB_NAME_MAX + 8]; /* variant name, --set label, or "A"/"B" */
	char profile[RB_NAME_MAX];
	struct rb_compare_run *runs;
	size_t n, cap;
	size_t skipped;              /* runs left out: not complete */
};

/* Expand the directory arguments of a request into the two sides (see
 * struct rb_compare_request). Runs that are not complete are left out
 * with a note on stderr. Returns 0, 1 (unreadable or empty side) or 2
 * (bad arguments), with err filled. */
int rb_compare_load(const struct rb_compare_request *req, struct rb_compare_side *a,
		    struct rb_compare_side *b, char *err, size_t errlen);

/* Free a side's runs. */
void rb_compare_side_free(struct rb_compare_side *s);

/* Everything the writers need. */
struct rb_compare_result {
	const struct rb_compare_side *a, *b;
	struct rb_compare_row *rows;
	size_t n_rows;
	size_t n_all_zero;           /* default metrics left out: 0 in every run */
	struct json_object *warnings; /* array of strings (comparability under --force) */
	bool color;
};

/* The report in each format. */
void rb_compare_write_text(const struct rb_compare_result *r, FILE *f);
void rb_compare_write_markdown(const struct rb_compare_result *r, FILE *f);
void rb_compare_write_json(const struct rb_compare_result *r, FILE *f);

#endif
