/* hist.c - log-linear latency histograms: bucket bounds, percentiles,
 * snapshots of live (shared-memory) histograms, interval diffs, merging, and
 * the self-describing text format of latency/<worker>-<op>.hist.
 *
 * Recording is inline in hist.h (it is on every worker's hot path). File:
 *
 *   # reclaimbench latency histogram v1
 *   # name: service-access
 *   # unit: ns
 *   # scheme: log-linear sub_bits=6 groups=36 (values < 64 exact; ...)
 *   # count: 3  sum_ns: 1234  min_ns: 100  max_ns: 900
 *   # p50_ns: 200  p90_ns: 900  p99_ns: 900  p99.9_ns: 900  p99.99_ns: 900
 *   # columns: low_ns high_ns count
 *   100<TAB>100<TAB>1
 *   ...one line per non-empty bucket, in bucket order
 *
 * Readers need only the scheme line to map (low, high) back to buckets. */
#include "hist.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define HIST_MAGIC "# reclaimbench latency histogram v1"
#define LAST_BUCKET (RB_HIST_BUCKETS - 1)

void rb_hist_init(struct rb_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min_ns = UINT64_MAX;
}

uint64_t rb_hist_bucket_low(unsigned idx)
{
	unsigned shift;

	if (idx > LAST_BUCKET)
		idx = LAST_BUCKET;
	if (idx < RB_HIST_SUB_COUNT)
		return idx;
	shift = (idx >> RB_HIST_SUB_BITS) - 1;
	return (uint64_t)(RB_HIST_SUB_COUNT + (idx & (RB_HIST_SUB_COUNT - 1))) << shift;
}

/* The last bucket also takes every value past the scheme's range. */
uint64_t rb_hist_bucket_high(unsigned idx)
{
	if (idx >= LAST_BUCKET)
		return UINT64_MAX;
	return rb_hist_bucket_low(idx + 1) - 1;
}

/* 1-based rank of the pct-th percentile value, 1..count. The tiny relative
 * margin keeps e.g. 99.9% of 1000 from rounding up to rank 1000. */
static uint64_t percentile_rank(uint64_t count, double pct)
{
	double x = ceil(pct / 100.0 * (double)count * (1.0 - 1e-12));

	if (!(x >= 1.0))
		return 1;
	return x >= (double)count ? count : (uint64_t)x;
}

static uint64_t clamp_u64(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

uint64_t rb_hist_percentile(const struct rb_hist *h, double pct)
{
	uint64_t rank, seen = 0;

	if (h->count == 0)
		return 0;
	rank = percentile_rank(h->count, pct);
	for (unsigned i = 0; i < RB_HIST_BUCKETS; i++) {
		uint64_t low = rb_hist_bucket_low(i);

		seen += h->buckets[i];
		if (seen >= rank)
			return clamp_u64(low + (rb_hist_bucket_high(i) - low) / 2, h->min_ns,
					 h->max_ns);
	}
	return h->max_ns;
}

double rb_hist_mean(const struct rb_hist *h)
{
	return h->count ? (double)h->sum_ns / (double)h->count : 0.0;
}

/* count is loaded first with acquire: every record it counts has its bucket,
 * sum, min and max stores visible to the loads that follow. */
void rb_hist_snapshot(const struct rb_hist *live, struct rb_hist *copy)
{
	copy->count = __atomic_load_n(&live->count, __ATOMIC_ACQUIRE);
	copy->sum_ns = __atomic_load_n(&live->sum_ns, __ATOMIC_RELAXED);
	copy->min_ns = __atomic_load_n(&live->min_ns, __ATOMIC_RELAXED);
	copy->max_ns = __atomic_load_n(&live->max_ns, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < RB_HIST_BUCKETS; i++)
		copy->buckets[i] = __atomic_load_n(&live->buckets[i], __ATOMIC_RELAXED);
}

static uint64_t sub_floor0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* Bounds of the non-empty buckets, tightened by the all-time min and max,
 * which bound every value of the interval too. */
static void diff_bounds(struct rb_hist *out, const struct rb_hist *now)
{
	unsigned lo = 0, hi = LAST_BUCKET;

	while (lo < RB_HIST_BUCKETS && out->buckets[lo] == 0)
		lo++;
	if (lo == RB_HIST_BUCKETS) {
		out->min_ns = UINT64_MAX;
		out->max_ns = 0;
		return;
	}
	while (out->buckets[hi] == 0)
		hi--;
	out->min_ns = rb_hist_bucket_low(lo);
	out->max_ns = rb_hist_bucket_high(hi);
	if (now->min_ns > out->min_ns && now->min_ns <= out->max_ns)
		out->min_ns = now->min_ns;
	if (now->max_ns < out->max_ns && now->max_ns >= out->min_ns)
		out->max_ns = now->max_ns;
}

void rb_hist_diff(const struct rb_hist *now, const struct rb_hist *before, struct rb_hist *out)
{
	out->count = sub_floor0(now->count, before->count);
	out->sum_ns = sub_floor0(now->sum_ns, before->sum_ns);
	for (unsigned i = 0; i < RB_HIST_BUCKETS; i++)
		out->buckets[i] = sub_floor0(now->buckets[i], before->buckets[i]);
	diff_bounds(out, now);
}

void rb_hist_merge(struct rb_hist *dst, const struct rb_hist *src)
{
	dst->count += src->count;
	dst->sum_ns += src->sum_ns;
	if (src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	for (unsigned i = 0; i < RB_HIST_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
}

/* The text after "# scheme: ", derived from the constants in hist.h. */
static void scheme_text(char *buf, size_t len)
{
	(void)snprintf(buf, len,
		       "log-linear sub_bits=%d groups=%d (values < %u exact; above, %u linear "
		       "bins per power of two)",
		       RB_HIST_SUB_BITS, RB_HIST_GROUPS, RB_HIST_SUB_COUNT, RB_HIST_SUB_COUNT);
}

static void write_header(const struct rb_hist *h, FILE *f, const char *name)
{
	char scheme[160];

	scheme_text(scheme, sizeof(scheme));
	(void)fprintf(f, HIST_MAGIC "\n# name: %.*s\n# unit: ns\n# scheme: %s\n",
		      (int)strcspn(name, "\r\n"), name, scheme);
	(void)fprintf(f, "# count: %" PRIu64 "  sum_ns: %" PRIu64 "  min_ns: %" PRIu64
		      "  max_ns: %" PRIu64 "\n",
		      h->count, h->sum_ns, h->count ? h->min_ns : 0, h->max_ns);
	(void)fprintf(f, "# p50_ns: %" PRIu64 "  p90_ns: %" PRIu64 "  p99_ns: %" PRIu64
		      "  p99.9_ns: %" PRIu64 "  p99.99_ns: %" PRIu64 "\n",
		      rb_hist_percentile(h, 50), rb_hist_percentile(h, 90),
		      rb_hist_percentile(h, 99), rb_hist_percentile(h, 99.9),
		      rb_hist_percentile(h, 99.99));
	(void)fprintf(f, "# columns: low_ns high_ns count\n");
}

int rb_hist_write(const struct rb_hist *h, FILE *f, const char *name)
{
	errno = 0;
	write_header(h, f, name ? name : "");
	for (unsigned i = 0; i < RB_HIST_BUCKETS; i++)
		if (h->buckets[i])
			(void)fprintf(f, "%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n",
				      rb_hist_bucket_low(i), rb_hist_bucket_high(i),
				      h->buckets[i]);
	if (fflush(f) != 0 || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

/* Reading: one line at a time into this state. */
struct reader {
	struct rb_hist *h;
	unsigned next_idx; /* buckets must come in ascending order */
	bool in_data;      /* a bucket line was seen; no more header lines */
	bool has_unit, has_scheme, has_count;
};

/* Digits only (no sign, no space) into *v; advances *p. */
static bool parse_u64(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++)
		if (__builtin_mul_overflow(x, 10, &x) ||
		    __builtin_add_overflow(x, (uint64_t)(*s - '0'), &x))
			return false;
	*p = s;
	*v = x;
	return true;
}

/* Skip the literal lit at *p; false if it is not there. */
static bool skip_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

static int read_count_line(struct reader *r, const char *p)
{
	struct rb_hist *h = r->h;

	if (!parse_u64(&p, &h->count) || !skip_lit(&p, "  sum_ns: ") ||
	    !parse_u64(&p, &h->sum_ns) || !skip_lit(&p, "  min_ns: ") ||
	    !parse_u64(&p, &h->min_ns) || !skip_lit(&p, "  max_ns: ") ||
	    !parse_u64(&p, &h->max_ns) || *p != '\0')
		return -EINVAL;
	if (h->count == 0)
		h->min_ns = UINT64_MAX;
	r->has_count = true;
	return 0;
}

/* Header lines the reader does not need (name, percentiles, columns) are
 * skipped; unit and scheme must be exactly what this build writes. */
static int read_header_line(struct reader *r, const char *line)
{
	char scheme[160];
	const char *p = line;

	if (r->in_data)
		return -EINVAL;
	if (skip_lit(&p, "# unit: ")) {
		r->has_unit = strcmp(p, "ns") == 0;
		return r->has_unit ? 0 : -EINVAL;
	}
	if (skip_lit(&p, "# scheme: ")) {
		scheme_text(scheme, sizeof(scheme));
		r->has_scheme = strcmp(p, scheme) == 0;
		return r->has_scheme ? 0 : -EINVAL;
	}
	if (skip_lit(&p, "# count: "))
		return read_count_line(r, p);
	return 0;
}

/* "low\thigh\tcount": low and high must be the exact bounds of one bucket. */
static int read_bucket_line(struct reader *r, const char *line)
{
	const char *p = line;
	uint64_t low, high, n;
	unsigned idx;

	if (!r->has_unit || !r->has_scheme || !r->has_count)
		return -EINVAL;
	if (!parse_u64(&p, &low) || !skip_lit(&p, "\t") || !parse_u64(&p, &high) ||
	    !skip_lit(&p, "\t") || !parse_u64(&p, &n) || *p != '\0')
		return -EINVAL;
	idx = rb_hist_index(low);
	if (idx < r->next_idx || low != rb_hist_bucket_low(idx) ||
	    high != rb_hist_bucket_high(idx))
		return -EINVAL;
	r->h->buckets[idx] = n;
	r->next_idx = idx + 1;
	r->in_data = true;
	return 0;
}

static int read_line(struct reader *r, char *line, unsigned lineno)
{
	line[strcspn(line, "\r\n")] = '\0';
	if (lineno == 1)
		return strcmp(line, HIST_MAGIC) == 0 ? 0 : -EINVAL;
	if (line[0] == '\0')
		return 0;
	if (line[0] == '#')
		return read_header_line(r, line);
	return read_bucket_line(r, line);
}

int rb_hist_read(FILE *f, struct rb_hist *h)
{
	struct reader r = { .h = h };
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int ret = 0;

	rb_hist_init(h);
	errno = 0;
	while (ret == 0 && getline(&line, &cap, f) >= 0)
		ret = read_line(&r, line, ++lineno);
	if (ret == 0 && ferror(f))
		ret = errno ? -errno : -EIO;
	else if (ret == 0 && !(r.has_unit && r.has_scheme && r.has_count))
		ret = -EINVAL; /* empty, or truncated before the summary */
	free(line);
	return ret;
}
