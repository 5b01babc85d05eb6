/* hist.h - log-linear latency histograms (fio-style), in nanoseconds.
 *
 * Values below 2^RB_HIST_SUB_BITS ns go in exact buckets. Above that, each
 * power of two [2^k, 2^(k+1)) is split into 2^RB_HIST_SUB_BITS linear bins,
 * so a bucket is at most 1/64 of its value wide and its midpoint is within
 * 0.8% of any value in it:
 *
 *   index:   0 .. 63 | 64 .. 127   | 128 .. 191  | 192 .. 255   | ...
 *   values:  0 .. 63 | 64 .. 127/1 | 128..255 /2 | 256..511 /4  | ...
 *
 * A histogram has one writer (the worker) and any number of readers (the
 * harness sampling it in shared memory): the writer uses plain aligned 64-bit
 * stores, so readers never see torn values, only slightly stale ones. */
#ifndef RB_HIST_H
#define RB_HIST_H

#include <stdint.h>
#include <stdio.h>

#define RB_HIST_SUB_BITS 6
#define RB_HIST_SUB_COUNT (1u << RB_HIST_SUB_BITS)
#define RB_HIST_GROUPS 36 /* last bucket starts at 2^40 ns (~18 min) */
#define RB_HIST_BUCKETS (RB_HIST_GROUPS * RB_HIST_SUB_COUNT)

struct rb_hist {
	uint64_t count;
	uint64_t sum_ns;
	uint64_t min_ns; /* UINT64_MAX while empty */
	uint64_t max_ns;
	uint64_t buckets[RB_HIST_BUCKETS];
};

/* Reset to empty. */
void rb_hist_init(struct rb_hist *h);

/* Bucket index for a value; values past the last bucket land in it. */
static inline unsigned rb_hist_index(uint64_t ns)
{
	if (ns < RB_HIST_SUB_COUNT)
		return (unsigned)ns;
	unsigned msb = 63u - (unsigned)__builtin_clzll(ns);
	unsigned shift = msb - RB_HIST_SUB_BITS;
	unsigned idx = ((shift + 1) << RB_HIST_SUB_BITS) +
		       (unsigned)((ns >> shift) & (RB_HIST_SUB_COUNT - 1));
	return idx < RB_HIST_BUCKETS ? idx : RB_HIST_BUCKETS - 1;
}

/* Record one value. Single writer only (see above). */
static inline void rb_hist_record(struct rb_hist *h, uint64_t ns)
{
	unsigned i = rb_hist_index(ns);
	__atomic_store_n(&h->buckets[i], h->buckets[i] + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&h->sum_ns, h->sum_ns + ns, __ATOMIC_RELAXED);
	if (ns > h->max_ns)
		__atomic_store_n(&h->max_ns, ns, __ATOMIC_RELAXED);
	if (ns < h->min_ns)
		__atomic_store_n(&h->min_ns, ns, __ATOMIC_RELAXED);
	__atomic_store_n(&h->count, h->count + 1, __ATOMIC_RELEASE);
}

/* Lowest value that lands in bucket idx. */
uint64_t rb_hist_bucket_low(unsigned idx);

/* Highest value that lands in bucket idx. */
uint64_t rb_hist_bucket_high(unsigned idx);

/* Value at percentile pct (0 < pct <= 100), as the midpoint of the bucket
 * holding it, clamped to [min, max]. 0 for an empty histogram. */
uint64_t rb_hist_percentile(const struct rb_hist *h, double pct);

/* Mean in ns; 0 when empty. */
double rb_hist_mean(const struct rb_hist *h);

/* Copy a live histogram that another process may be writing. */
void rb_hist_snapshot(const struct rb_hist *live, struct rb_hist *copy);

/* out = now - before (two snapshots of one histogram): the interval's values.
 * Its max/min are bucket bounds of the highest/lowest non-empty bucket,
 * narrowed to now's max/min when those fall inside them. */
void rb_hist_diff(const struct rb_hist *now, const struct rb_hist *before, struct rb_hist *out);

/* Add src into dst (merging instances of one workload). */
void rb_hist_merge(struct rb_hist *dst, const struct rb_hist *src);

/* Write as text: '#' header lines naming the bucket scheme, the units and the
 * summary, then "low_ns\thigh_ns\tcount" for each non-empty bucket.
 * Returns 0 or -errno. */
int rb_hist_write(const struct rb_hist *h, FILE *f, const char *name);

/* Read what rb_hist_write wrote. Returns 0, -EINVAL (bad format or another
 * bucket scheme) or -errno. */
int rb_hist_read(FILE *f, struct rb_hist *h);

#endif
