/* sampler_row.h - private to the sampler: samples.tsv rows, built in a
 * buffer by every part of the sampler and written once a second with one
 * write(2) for all of them, instead of hundreds of stdio calls and a file
 * system write per tick; and the once-a-second schedule of the sources
 * that are read at 1 Hz. */
#ifndef RB_SAMPLER_ROW_H
#define RB_SAMPLER_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Finished rows waiting to be written, then the row being built; or a
 * segment of columns kept to be appended to rows again. */
struct rb_row {
	char *buf;
	size_t len, cap;
	size_t done;  /* bytes of finished rows at the start of buf */
	bool failed;  /* an append could not grow the buffer: the row is dropped */
};

/* Start a row with its time column (seconds, 3 decimals), after any
 * finished rows. */
void rb_row_start(struct rb_row *r, double t_s);

/* Finish the row with a newline; it is written by the next flush. A row
 * that could not be built whole is dropped. Returns 0 or -ENOMEM. */
int rb_row_end(struct rb_row *r);

/* Write the finished rows to fd in one write(2) and forget them.
 * Returns 0 or -errno. */
int rb_row_flush(struct rb_row *r, int fd);

/* Empty a segment (or a row buffer, dropping what it holds). */
void rb_row_clear(struct rb_row *r);

/* Append the columns of seg. */
void rb_row_append(struct rb_row *r, const struct rb_row *seg);

/* Append a tab and v with `decimals` decimals (0..3); "NaN" for NaN. */
void rb_row_num(struct rb_row *r, double v, int decimals);

/* Append a tab and v. */
void rb_row_u64(struct rb_row *r, uint64_t v);

/* Append n columns of "NaN". */
void rb_row_nan(struct rb_row *r, size_t n);

/* Free the buffer; accepts a zeroed row. */
void rb_row_free(struct rb_row *r);

/* The sources read once a second (zoneinfo, buddyinfo, PSI io/cpu, zram,
 * zswap debugfs) are all read on the same ticks. */
#define RB_SAMPLER_SLOW_NS 1000000000ull

#endif
