/* sampler_source.c - a name/value file the sampler reads every tick and
 * its columns (see sampler_source.h).
 *
 * Fields are found by name, but cheaply: the kernel prints a file's fields
 * in a fixed order, so a reading is first parsed against the names the
 * columns were made from (rb_parse_known: one pass, each line's name
 * compared with the next column's, the values straight into `now`). Only
 * when that fails (a field came or went) is the reading parsed into a
 * name/value set and each column looked up by name. A tick at 10 Hz was
 * dominated by cache misses as much as by instructions, so what a tick
 * touches is kept small: the text, the packed names, `now` and the columns'
 * state, not a 72-byte set entry and a 100-byte column per field. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler_source.h"
#include "sampler_totals.h"

/* Parse text (a reading of src's file) by name into out. */
static int parse_text(const struct rb_source *src, const char *text, struct rb_kvset *out)
{
	char single[RB_KV_NAME_MAX + 32];

	if (src->parse == RB_SOURCE_MEMINFO)
		return rb_parse_meminfo(text, out);
	if (src->parse == RB_SOURCE_FLAT)
		return rb_parse_flat_kv(text, out);
	(void)snprintf(single, sizeof(single), "value %s", text);
	return rb_parse_flat_kv(single, out);
}

static void close_fd(struct rb_source *src)
{
	if (src->fd >= 0)
		(void)close(src->fd);
	src->fd = -1;
}

/* One column per field of the first reading (in cur). */
static int make_columns(struct rb_source *src)
{
	size_t n = src->cur.n, packed_len = 0, sum_len;

	src->names = calloc(n + 1, sizeof(*src->names));
	src->cols = calloc(n + 1, sizeof(*src->cols));
	src->now = calloc(n + 1, sizeof(*src->now));
	src->packed = calloc(n + 1, RB_KV_NAME_MAX);
	if (!src->names || !src->cols || !src->now || !src->packed)
		return -ENOMEM;
	sum_len = src->sum_prefix ? strlen(src->sum_prefix) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = src->cur.v[i].name;
		struct rb_source_column *c = &src->cols[i];
		size_t len = strlen(name) + 1;
		memcpy(src->names[i], name, len);
		memcpy(src->packed + packed_len, name, len);
		packed_len += len;
		c->counter = src->is_counter(name);
		c->summed = sum_len && strncmp(name, src->sum_prefix, sum_len) == 0;
		c->hint = i;
		c->ok = true;
		src->now[i] = src->cur.v[i].value;
	}
	src->n_cols = n;
	return 0;
}

int rb_source_open(struct rb_source *src, const char *path)
{
	long n;

	src->fd = path && *path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (src->fd < 0)
		return 0;
	n = rb_read_fd(src->fd, &src->text, &src->text_cap);
	if (n < 0 || parse_text(src, src->text, &src->cur) != 0) {
		close_fd(src);
		return 0;
	}
	src->have_text = true;
	return make_columns(src);
}

/* Look every column up by name in a reading that is not in their layout. */
static int read_by_name(struct rb_source *src)
{
	int rc = parse_text(src, src->text, &src->cur);

	for (size_t i = 0; i < src->n_cols; i++) {
		struct rb_source_column *c = &src->cols[i];
		c->ok = rc == 0 && rb_kvset_get(&src->cur, src->names[i], &c->hint, &src->now[i]) == 0;
	}
	return rc;
}

int rb_source_read(struct rb_source *src)
{
	long n;

	src->known = false;
	if (src->fd < 0)
		return -ENOENT;
	n = rb_read_fd(src->fd, &src->text, &src->text_cap);
	src->have_text = n >= 0;
	if (n < 0) {
		for (size_t i = 0; i < src->n_cols; i++)
			src->cols[i].ok = false;
		return (int)n;
	}
	src->known = src->parse != RB_SOURCE_SINGLE &&
		     rb_parse_known(src->text, src->packed, src->n_cols,
				    src->parse == RB_SOURCE_MEMINFO, src->now) == 0;
	return src->known ? 0 : read_by_name(src);
}

long rb_source_column(const struct rb_source *src, const char *name)
{
	for (size_t i = 0; i < src->n_cols; i++)
		if (strcmp(src->names[i], name) == 0)
			return (long)i;
	return -1;
}

const uint64_t *rb_source_value(const struct rb_source *src, long col)
{
	if (col < 0 || (size_t)col >= src->n_cols)
		return NULL;
	return src->known || src->cols[col].ok ? &src->now[col] : NULL;
}

/* Column name of a field: single-value sources are named by prefix. */
static void column_label(const struct rb_source *src, size_t i, char *buf, size_t len)
{
	const char *name = src->names[i];
	const char *unit = src->cols[i].counter ? "1/s" : src->level_unit;

	if (strncmp(name, "HugePages_", 10) == 0)
		unit = "pages";
	if (src->parse == RB_SOURCE_SINGLE)
		(void)snprintf(buf, len, "%s[%s]", src->prefix, unit);
	else if (*unit)
		(void)snprintf(buf, len, "%s.%s[%s]", src->prefix, name, unit);
	else
		(void)snprintf(buf, len, "%s.%s", src->prefix, name);
}

void rb_source_header(const struct rb_source *src, FILE *f)
{
	char label[RB_KV_NAME_MAX * 2 + 64];

	for (size_t i = 0; i < src->n_cols; i++) {
		column_label(src, i, label, sizeof(label));
		fprintf(f, "\t%s", label);
	}
}

static void widen_range(struct rb_source_column *c, uint64_t v)
{
	if (!c->has_range || v < c->min)
		c->min = v;
	if (!c->has_range || v > c->max)
		c->max = v;
	c->has_range = true;
}

/* A counter's per-second rate since the last reading, dt seconds ago (0 on
 * the first row); NaN without two readings. */
static double rate(const struct rb_source_column *c, bool ok, uint64_t now, double dt,
		   bool first)
{
	if (!ok)
		return NAN;
	if (first)
		return 0;
	if (!c->has_last || dt <= 0)
		return NAN;
	return now >= c->last ? (double)(now - c->last) / dt : 0;
}

double rb_source_row(struct rb_source *src, struct rb_row *row, double dt, bool first)
{
	double sum = 0, v;

	for (size_t i = 0; i < src->n_cols; i++) {
		struct rb_source_column *c = &src->cols[i];
		bool ok = src->known || c->ok;
		uint64_t now = src->now[i];
		if (ok && src->range)
			widen_range(c, now);
		if (!c->counter && ok)
			rb_row_u64(row, now);
		else if (!c->counter)
			rb_row_nan(row, 1);
		else {
			v = rate(c, ok, now, dt, first);
			sum += c->summed && !isnan(v) ? v : 0;
			rb_row_num(row, v, 2);
		}
		c->has_last = ok;
		c->last = now;
	}
	return sum;
}

int rb_source_kvset(const struct rb_source *src, struct rb_kvset *out)
{
	rb_kvset_clear(out);
	return src->fd >= 0 && src->have_text ? parse_text(src, src->text, out) : 0;
}

void rb_source_ranges(const struct rb_source *src, struct rb_kvset *min, struct rb_kvset *max)
{
	for (size_t i = 0; i < src->n_cols; i++) {
		if (!src->cols[i].has_range)
			continue;
		(void)rb_sampler_kv_put(min, src->names[i], src->cols[i].min);
		(void)rb_sampler_kv_put(max, src->names[i], src->cols[i].max);
	}
}

void rb_source_close(struct rb_source *src)
{
	close_fd(src);
	rb_kvset_free(&src->cur);
	free(src->text);
	free(src->names);
	free(src->packed);
	free(src->now);
	free(src->cols);
	src->text = src->packed = NULL;
	src->names = NULL;
	src->now = NULL;
	src->cols = NULL;
	src->n_cols = 0;
}
