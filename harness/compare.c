/* compare.c - one metric of an A/B comparison (see include/compare.h): which
 * way is better for it, its statistics on both sides, the relative change
 * with a bootstrap interval, the two tests, the verdict rule and the
 * sentence the verdict list prints. */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"

/* First match wins, so specific names come before the broad globs. */
static const struct {
	const char *glob;
	enum rb_direction dir;
} directions[] = {
	{ "reproduced", RB_LOWER_BETTER },  /* the pathology's signature */
	{ "scan_velocity_pages_per_s", RB_LOWER_BETTER },
	{ "*ops_per_s", RB_HIGHER_BETTER }, /* worker throughput */
	{ "*bytes_per_s", RB_HIGHER_BETTER },
	{ "reclaim_efficiency_pct", RB_HIGHER_BETTER },
	{ "compaction_success_rate_pct", RB_HIGHER_BETTER },
	{ "watermarks.free_min_pages", RB_HIGHER_BETTER },
	{ "*compression_ratio", RB_HIGHER_BETTER }, /* zswap, zram: less RAM per page */
	{ "meminfo.MemAvailable.*", RB_HIGHER_BETTER },
	{ "meminfo.MemFree.*", RB_HIGHER_BETTER },
	{ "*_us", RB_LOWER_BETTER },        /* latency percentiles, mean, max */
	{ "psi.*", RB_LOWER_BETTER },
	{ "allocstall*", RB_LOWER_BETTER },
	{ "pgscan_direct*", RB_LOWER_BETTER },
	{ "memcg_pgscan_direct*", RB_LOWER_BETTER },
	{ "memcg_pgsteal_direct*", RB_LOWER_BETTER },
	{ "direct_reclaim_share_pct", RB_LOWER_BETTER },
	{ "*refault*", RB_LOWER_BETTER },
	{ "memcg_limit_hits*", RB_LOWER_BETTER },
	{ "memcg.failcnt", RB_LOWER_BETTER },
	{ "memcg.events.max", RB_LOWER_BETTER },
	{ "memcg.events.high", RB_LOWER_BETTER },
	{ "kswapd_cpu_pct", RB_LOWER_BETTER },
	{ "compact_stall*", RB_LOWER_BETTER },
	{ "thp_fallback_pct", RB_LOWER_BETTER },
	{ "*pgmajfault*", RB_LOWER_BETTER },
	{ "*oom_kill*", RB_LOWER_BETTER },
	{ "pswpin*", RB_LOWER_BETTER },     /* swap-ins from a device: waits */
	{ "dirty_*max_pct_of_threshold", RB_LOWER_BETTER },
	{ "watermarks.below_*", RB_LOWER_BETTER },
	{ "pgscan", RB_LOWER_BETTER },
	{ "*.errors", RB_LOWER_BETTER },
};

enum rb_direction rb_compare_direction(const char *metric)
{
	for (size_t i = 0; i < sizeof(directions) / sizeof(directions[0]); i++)
		if (fnmatch(directions[i].glob, metric, 0) == 0)
			return directions[i].dir;
	return RB_NEUTRAL;
}

const char *rb_compare_verdict_name(enum rb_compare_verdict v)
{
	switch (v) {
	case RB_VERDICT_NONE: return "n<3";
	case RB_VERDICT_BETTER: return "better";
	case RB_VERDICT_WORSE: return "worse";
	case RB_VERDICT_CHANGED: return "changed";
	case RB_VERDICT_SAME: break;
	}
	return "-";
}

static void summarize(const double *x, size_t n, struct rb_stats_summary *s)
{
	if (n == 0 || rb_stats_summarize(x, n, RB_COMPARE_LEVEL, s) != 0) {
		memset(s, 0, sizeof(*s));
		s->median = s->mean = s->sd = s->mean_lo = s->mean_hi = NAN;
		s->median_lo = s->median_hi = s->median_coverage = NAN;
	}
}

/* Relative change and difference of the means, with bootstrap intervals. */
static void changes(struct rb_compare_row *r, const double *a, size_t na, const double *b,
		    size_t nb)
{
	r->rel = r->rel_lo = r->rel_hi = NAN;
	r->diff = r->diff_lo = r->diff_hi = NAN;
	if (na == 0 || nb == 0)
		return;
	r->diff = r->b.mean - r->a.mean;
	if (r->a.mean != 0)
		r->rel = r->b.mean / r->a.mean - 1;
	if (na < 2 || nb < 2)
		return; /* resampling one value says nothing */
	if (rb_stats_bootstrap(a, na, b, nb, RB_BOOT_DIFF, RB_COMPARE_BOOT_ITERS,
			       RB_COMPARE_BOOT_SEED, RB_COMPARE_LEVEL, &r->diff_lo, &r->diff_hi))
		r->diff_lo = r->diff_hi = NAN;
	if (r->a.mean != 0 &&
	    rb_stats_bootstrap(a, na, b, nb, RB_BOOT_REL, RB_COMPARE_BOOT_ITERS,
			       RB_COMPARE_BOOT_SEED, RB_COMPARE_LEVEL, &r->rel_lo, &r->rel_hi))
		r->rel_lo = r->rel_hi = NAN;
}

static bool excludes_zero(double lo, double hi)
{
	return lo > 0 || hi < 0; /* false for NaN */
}

/* The rule of include/compare.h. */
static void decide(struct rb_compare_row *r)
{
	bool mw_can = rb_stats_mw_min_p(r->a.n, r->b.n) <= RB_COMPARE_ALPHA;
	bool ci = isnan(r->rel_lo) ? excludes_zero(r->diff_lo, r->diff_hi)
				   : excludes_zero(r->rel_lo, r->rel_hi);
	int sign;

	r->test = mw_can ? "Mann-Whitney" : "Welch";
	r->p = mw_can ? r->mw.p : r->p_welch;
	if (r->a.n < RB_COMPARE_MIN_N || r->b.n < RB_COMPARE_MIN_N) {
		r->verdict = RB_VERDICT_NONE;
		return;
	}
	if (!(r->p < RB_COMPARE_ALPHA) || !ci) {
		r->verdict = RB_VERDICT_SAME;
		return;
	}
	sign = r->diff > 0 ? 1 : -1;
	if (r->dir == RB_NEUTRAL)
		r->verdict = RB_VERDICT_CHANGED;
	else
		r->verdict = sign == (int)r->dir ? RB_VERDICT_BETTER : RB_VERDICT_WORSE;
}

int rb_compare_row(const char *metric, const double *a, size_t na, const double *b, size_t nb,
		   struct rb_compare_row *row)
{
	int rc = 0;

	memset(row, 0, sizeof(*row));
	(void)snprintf(row->metric, sizeof(row->metric), "%s", metric);
	row->dir = rb_compare_direction(metric);
	summarize(a, na, &row->a);
	summarize(b, nb, &row->b);
	changes(row, a, na, b, nb);
	row->mw.p = row->mw.u = NAN;
	if (na && nb)
		rc = rb_stats_mann_whitney(a, na, b, nb, &row->mw);
	row->p_welch = rb_stats_welch_p(a, na, b, nb, NULL, NULL);
	decide(row);
	return rc;
}

/* Decimals for a percentage: one below 10%, none up to 99%, two from 99%
 * to 100% (a 99.98% cut is not rounded to 100%). */
static int decimals(double frac)
{
	double v = fabs(frac * 100);

	return v < 10 ? 1 : v >= 99 && v < 100 ? 2 : 0;
}

/* A percentage magnitude with d decimals, never rounded up to 100 from below. */
static void pct(double frac, int d, char *buf, size_t len)
{
	double v = fabs(frac * 100);

	(void)snprintf(buf, len, "%.*f", d, v < 100 ? fmin(v, 100 - pow(10, -d)) : v);
}

static void change_text(const struct rb_compare_row *r, char *buf, size_t len)
{
	char x[32], lo[32], hi[32];

	if (isnan(r->rel) || isnan(r->rel_lo)) {
		(void)snprintf(buf, len, "%s %s from %.4g to %.4g (95%% CI of the difference "
			       "%.4g to %.4g", r->diff > 0 ? "raises" : "cuts", r->metric, r->a.mean,
			       r->b.mean, r->diff_lo, r->diff_hi);
	} else if (r->rel >= 1) {
		(void)snprintf(buf, len, "raises %s to %.3gx (95%% CI %.3g-%.3gx", r->metric,
			       1 + r->rel, 1 + r->rel_lo, 1 + r->rel_hi);
	} else {
		int d = decimals(r->rel);
		pct(r->rel, d, x, sizeof(x));
		pct(r->rel < 0 ? r->rel_hi : r->rel_lo, d, lo, sizeof(lo));
		pct(r->rel < 0 ? r->rel_lo : r->rel_hi, d, hi, sizeof(hi));
		(void)snprintf(buf, len, "%s %s by %s%% (95%% CI %s-%s%%",
			       r->rel < 0 ? "cuts" : "raises", r->metric, x, lo, hi);
	}
}

void rb_compare_sentence(const struct rb_compare_row *row, const char *label_b, char *buf,
			 size_t len)
{
	char change[384];
	const char *word = row->verdict == RB_VERDICT_BETTER  ? ": better"
			   : row->verdict == RB_VERDICT_WORSE ? ": worse"
							      : "";

	if (strcmp(row->metric, "reproduced") == 0) {
		(void)snprintf(buf, len, "%s reproduces the signature in %.0f%% of its runs against "
			       "%.0f%% (%s p=%.2g)%s", label_b, 100 * row->b.mean, 100 * row->a.mean,
			       row->test, row->p, word);
		return;
	}
	change_text(row, change, sizeof(change));
	(void)snprintf(buf, len, "%s %s, %s p=%.2g)%s", label_b, change, row->test, row->p, word);
}
