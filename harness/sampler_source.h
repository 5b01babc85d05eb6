/* sampler_source.h - private to the sampler: one name/value file it reads
 * every tick (/proc/vmstat, /proc/meminfo, the cgroup's memory.stat ...)
 * and its samples.tsv columns, one per field the file had when the sampler
 * opened: counters as per-second rates, levels as read, NaN while a field
 * is missing. */
#ifndef RB_SAMPLER_SOURCE_H
#define RB_SAMPLER_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "procfs.h"
#include "sampler_row.h"

enum rb_source_parse {
	RB_SOURCE_FLAT,    /* "name value" lines */
	RB_SOURCE_MEMINFO, /* "Name:  value kB" lines */
	RB_SOURCE_SINGLE,  /* one number: the column is named by the prefix */
};

/* A column's state; its name is in rb_source.names. */
struct rb_source_column {
	uint64_t last, min, max; /* previous reading; range over the run */
	size_t hint;             /* where the name was in `cur` last time */
	bool ok;                 /* present in this reading */
	bool has_last, has_range, counter, summed;
};

/* Fill in the first five fields (and fd = -1), then rb_source_open. */
struct rb_source {
	const char *prefix;     /* column prefix: "vmstat", "memcg" ... */
	const char *level_unit; /* unit of its levels: "pages", "kB", "bytes" */
	enum rb_source_parse parse;
	bool (*is_counter)(const char *name);
	const char *sum_prefix; /* rb_source_row sums these columns' rates, or NULL */
	bool range;             /* keep each column's min/max over the run */
	int fd;
	char *text;             /* the last reading */
	size_t text_cap;
	bool have_text, known;  /* text parsed; in the layout of the columns */
	uint64_t *now;          /* n_cols values of this reading */
	struct rb_kvset cur;    /* this reading by name, when not `known` */
	char (*names)[RB_KV_NAME_MAX];
	char *packed;           /* the names back to back, for rb_parse_known */
	struct rb_source_column *cols;
	size_t n_cols;
};

/* Open path (NULL or "": no file) and fix the columns from a first
 * reading. A file that cannot be read leaves the source without columns
 * (fd -1). Returns 0 or -ENOMEM. */
int rb_source_open(struct rb_source *src, const char *path);

/* Take a new reading. Columns whose field is missing from it are not ok.
 * Returns 0 or -errno (the file could not be read: no column is ok). */
int rb_source_read(struct rb_source *src);

/* The index of the column named name, or -1. */
long rb_source_column(const struct rb_source *src, const char *name);

/* Column col's value in this reading, or NULL (no such column, or the
 * field is missing). */
const uint64_t *rb_source_value(const struct rb_source *src, long col);

/* Write the columns' names (each preceded by a tab). */
void rb_source_header(const struct rb_source *src, FILE *f);

/* Append this reading's columns to a row: counters as per-second rates over
 * dt seconds (0 on the first row), levels as read. Returns the sum of the
 * rates of the columns named sum_prefix*. */
double rb_source_row(struct rb_source *src, struct rb_row *row, double dt, bool first);

/* The last reading as a name/value set (empty if there is none).
 * Returns 0 or -ENOMEM. */
int rb_source_kvset(const struct rb_source *src, struct rb_kvset *out);

/* Put each column's lowest and highest value of the run into min and max
 * (sources opened with `range`). */
void rb_source_ranges(const struct rb_source *src, struct rb_kvset *min, struct rb_kvset *max);

void rb_source_close(struct rb_source *src);

#endif
