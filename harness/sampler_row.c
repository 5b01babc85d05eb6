/* sampler_row.c - samples.tsv rows in one buffer (see sampler_row.h).
 * Numbers are formatted by integer arithmetic, not printf: a row has
 * several hundred columns, ten times a second, and printf's
 * floating-point path was a tenth of a tick's cost. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler_row.h"

/* Room for the longest column: a tab, sign, 20 digits, a point, or "%.6g"
 * of a huge value, and a NUL. */
#define COL_MAX 32

static bool reserve(struct rb_row *r, size_t n)
{
	size_t cap = r->cap ? r->cap : 4096;
	char *buf;

	if (r->len + n <= r->cap)
		return true;
	while (cap < r->len + n)
		cap *= 2;
	buf = realloc(r->buf, cap);
	if (!buf) {
		r->failed = true;
		return false;
	}
	r->buf = buf;
	r->cap = cap;
	return true;
}

static unsigned digit_count(uint64_t x)
{
	unsigned n = 1;

	while (x >= 10) {
		x /= 10;
		n++;
	}
	return n;
}

/* Write x / 10^decimals with `decimals` decimals at dst (a leading 0 when
 * x < 10^decimals); returns the length. */
static size_t put_fixed(char *dst, uint64_t x, int decimals)
{
	unsigned digits = digit_count(x), len;
	char *p;

	if (digits < (unsigned)decimals + 1)
		digits = (unsigned)decimals + 1;
	len = digits + (decimals ? 1 : 0);
	p = dst + len;
	for (unsigned d = 0; d < digits; d++, x /= 10) {
		if (decimals && d == (unsigned)decimals)
			*--p = '.';
		*--p = (char)('0' + x % 10);
	}
	return len;
}

/* Append v: a tab first unless it is the row's first column. */
static void put_num(struct rb_row *r, double v, int decimals, bool tab)
{
	static const double scale[] = { 1, 10, 100, 1000 };
	uint64_t x;
	char *p;

	if (decimals < 0 || decimals > 3)
		decimals = 3;
	if (!reserve(r, COL_MAX))
		return;
	p = r->buf + r->len;
	if (tab)
		*p++ = '\t';
	if (isnan(v) || fabs(v) > 9e15) {
		p += snprintf(p, COL_MAX - 1, isnan(v) ? "NaN" : "%.6g", v);
	} else {
		x = (uint64_t)llround(fabs(v) * scale[decimals]);
		if (v < 0 && x)
			*p++ = '-';
		p += put_fixed(p, x, decimals);
	}
	r->len = (size_t)(p - r->buf);
}

void rb_row_start(struct rb_row *r, double t_s)
{
	r->len = r->done;
	r->failed = false;
	put_num(r, t_s, 3, false);
}

void rb_row_clear(struct rb_row *r)
{
	r->len = r->done = 0;
	r->failed = false;
}

void rb_row_append(struct rb_row *r, const struct rb_row *seg)
{
	r->failed |= seg->failed;
	if (!reserve(r, seg->len))
		return;
	memcpy(r->buf + r->len, seg->buf, seg->len);
	r->len += seg->len;
}

void rb_row_num(struct rb_row *r, double v, int decimals)
{
	put_num(r, v, decimals, true);
}

void rb_row_u64(struct rb_row *r, uint64_t v)
{
	if (!reserve(r, COL_MAX))
		return;
	r->buf[r->len++] = '\t';
	r->len += put_fixed(r->buf + r->len, v, 0);
}

void rb_row_nan(struct rb_row *r, size_t n)
{
	if (!reserve(r, 4 * n))
		return;
	for (size_t i = 0; i < n; i++, r->len += 4)
		memcpy(r->buf + r->len, "\tNaN", 4);
}

int rb_row_end(struct rb_row *r)
{
	if (r->failed || !reserve(r, 1)) {
		r->len = r->done;
		return -ENOMEM;
	}
	r->buf[r->len++] = '\n';
	r->done = r->len;
	return 0;
}

int rb_row_flush(struct rb_row *r, int fd)
{
	size_t off = 0;
	ssize_t n;
	int rc = 0;

	while (off < r->done && !rc) {
		n = write(fd, r->buf + off, r->done - off);
		if (n < 0 && errno != EINTR)
			rc = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	rb_row_clear(r);
	return rc;
}

void rb_row_free(struct rb_row *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = r->done = 0;
}
