/* stats.c - small-sample statistics for `compare` (see include/stats.h):
 * median, mean, sd, Student's t through the regularized incomplete beta
 * function, order-statistic intervals of the median, Welch's t-test, the
 * Mann-Whitney U test (exact by counting rank sums, or normal with tie
 * correction) and a fixed-seed percentile bootstrap. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A sorted copy of x (n > 0), or NULL. */
static double *sorted_copy(const double *x, size_t n)
{
	double *s = malloc(n * sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

static double sorted_median(const double *s, size_t n)
{
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

double rb_stats_median(const double *x, size_t n)
{
	double *s = n ? sorted_copy(x, n) : NULL;
	double m = s ? sorted_median(s, n) : NAN;

	free(s);
	return m;
}

double rb_stats_mean(const double *x, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += x[i];
	return n ? sum / (double)n : NAN;
}

double rb_stats_sd(const double *x, size_t n)
{
	double m = rb_stats_mean(x, n), ss = 0;

	if (n < 2)
		return NAN;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	return sqrt(ss / (double)(n - 1));
}

/* Continued fraction of the incomplete beta function (modified Lentz, as
 * in Numerical Recipes' betacf); converges for x < (a + 1) / (a + b + 2). */
static double betacf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (int m = 1; m <= 1000; m++) {
		double m2 = 2.0 * m, num[2];
		num[0] = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		num[1] = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		for (int k = 0; k < 2; k++) {
			d = 1 + num[k] * d;
			d = 1 / (fabs(d) < tiny ? tiny : d);
			c = 1 + num[k] / c;
			c = fabs(c) < tiny ? tiny : c;
			h *= d * c;
		}
		if (fabs(d * c - 1) < 1e-15)
			break;
	}
	return h;
}

double rb_stats_betai(double a, double b, double x)
{
	double front;

	if (!(a > 0 && b > 0 && x >= 0 && x <= 1))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * betacf(a, b, x) / a;
	return 1 - front * betacf(b, a, 1 - x) / b;
}

double rb_stats_t_p2(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0;
	return rb_stats_betai(df / 2, 0.5, df / (df + t * t));
}

double rb_stats_t_quantile(double p, double df)
{
	double lo = 0, hi = 1, tail;

	if (!(p > 0 && p < 1 && df > 0))
		return NAN;
	if (p == 0.5)
		return 0;
	tail = 2 * (p > 0.5 ? 1 - p : p); /* two-sided tail beyond the quantile */
	while (rb_stats_t_p2(hi, df) > tail && hi < 1e300)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
		double mid = (lo + hi) / 2;
		if (rb_stats_t_p2(mid, df) > tail)
			lo = mid;
		else
			hi = mid;
	}
	return p > 0.5 ? (lo + hi) / 2 : -(lo + hi) / 2;
}

/* P(Bin(n, 1/2) <= k), summed in log space (no underflow for large n). */
static double binom_half_cdf(size_t n, size_t k)
{
	double sum = 0, ln2n = (double)n * log(2.0);

	for (size_t i = 0; i <= k && i <= n; i++)
		sum += exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
			   lgamma((double)(n - i) + 1) - ln2n);
	return sum < 1 ? sum : 1;
}

int rb_stats_median_ci(const double *x, size_t n, double level, double *lo, double *hi,
		       double *coverage)
{
	size_t k = 1;
	double *s;

	if (n == 0 || !(level > 0 && level < 1))
		return -EINVAL;
	s = sorted_copy(x, n);
	if (!s)
		return -ENOMEM;
	while (k + 1 <= (n + 1) / 2 && 1 - 2 * binom_half_cdf(n, k) >= level)
		k++;
	*lo = s[k - 1];
	*hi = s[n - k];
	if (coverage)
		*coverage = 1 - 2 * binom_half_cdf(n, k - 1);
	free(s);
	return 0;
}

int rb_stats_summarize(const double *x, size_t n, double level, struct rb_stats_summary *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	rc = rb_stats_median_ci(x, n, level, &s->median_lo, &s->median_hi, &s->median_coverage);
	if (rc)
		return rc;
	s->n = n;
	s->median = rb_stats_median(x, n);
	s->mean = rb_stats_mean(x, n);
	s->sd = rb_stats_sd(x, n);
	s->mean_lo = s->mean_hi = NAN;
	if (n >= 2) {
		double half = rb_stats_t_quantile((1 + level) / 2, (double)(n - 1)) * s->sd /
			      sqrt((double)n);
		s->mean_lo = s->mean - half;
		s->mean_hi = s->mean + half;
	}
	return 0;
}

double rb_stats_welch_p(const double *a, size_t na, const double *b, size_t nb, double *t,
			double *df)
{
	double va, vb, se2, tt, d;

	if (t)
		*t = NAN;
	if (df)
		*df = NAN;
	if (na < 2 || nb < 2)
		return NAN;
	va = pow(rb_stats_sd(a, na), 2) / (double)na;
	vb = pow(rb_stats_sd(b, nb), 2) / (double)nb;
	se2 = va + vb;
	d = rb_stats_mean(b, nb) - rb_stats_mean(a, na);
	if (se2 == 0)
		return d == 0 ? 1 : NAN;
	tt = d / sqrt(se2);
	if (t)
		*t = tt;
	double dof = se2 * se2 / (va * va / (double)(na - 1) + vb * vb / (double)(nb - 1));
	if (df)
		*df = dof;
	return rb_stats_t_p2(tt, dof);
}

/* Both samples pooled with their origin, sorted by value. */
struct pooled {
	double v;
	bool from_a;
};

static int cmp_pooled(const void *x, const void *y)
{
	return cmp_double(&((const struct pooled *)x)->v, &((const struct pooled *)y)->v);
}

/* Midranks: rank sum of sample a, and sum over tie groups of t^3 - t. */
static void rank_pooled(const struct pooled *p, size_t n, double *rank_sum_a, double *ties)
{
	*rank_sum_a = 0;
	*ties = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && p[j].v == p[i].v; j++)
			;
		double t = (double)(j - i), mid = ((double)i + 1 + (double)j) / 2;
		for (size_t k = i; k < j; k++)
			*rank_sum_a += p[k].from_a ? mid : 0;
		*ties += t * t * t - t;
	}
}

/* Number of ways to pick m of the ranks 1..n with each rank sum: counts[s]
 * for s = 0 .. n(n+1)/2 (doubles are exact here: C(40, 20) < 2^53). */
static double *rank_sum_counts(size_t m, size_t n)
{
	size_t smax = n * (n + 1) / 2;
	double *dp = calloc((m + 1) * (smax + 1), sizeof(*dp));

	if (!dp)
		return NULL;
	dp[0] = 1; /* dp[k * (smax + 1) + s]: k ranks chosen, summing to s */
	for (size_t r = 1; r <= n; r++)
		for (size_t k = (r < m ? r : m); k >= 1; k--)
			for (size_t s = smax; s >= r; s--)
				dp[k * (smax + 1) + s] += dp[(k - 1) * (smax + 1) + s - r];
	return dp;
}

/* Exact two-sided p of U for sizes na, nb (no ties). */
static int mw_exact_p(double u, size_t na, size_t nb, double *p)
{
	size_t n = na + nb, smax = n * (n + 1) / 2, base = na * (na + 1) / 2;
	double *dp = rank_sum_counts(na, n), total = 0, upper = 0;
	double umax = fmax(u, (double)(na * nb) - u);

	if (!dp)
		return -ENOMEM;
	for (size_t s = base; s <= smax; s++) {
		double c = dp[na * (smax + 1) + s];
		total += c;
		if ((double)(s - base) >= umax)
			upper += c;
	}
	free(dp);
	*p = fmin(1, 2 * upper / total);
	return 0;
}

static double mw_normal_p(double u, size_t na, size_t nb, double ties)
{
	double n = (double)(na + nb), mn = (double)na * (double)nb;
	double var = mn / 12 * ((n + 1) - ties / (n * (n - 1)));
	double z;

	if (!(var > 0))
		return 1;
	z = (fmax(u, mn - u) - mn / 2 - 0.5) / sqrt(var);
	return fmin(1, fmax(0, erfc(z / sqrt(2.0))));
}

int rb_stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
			  struct rb_stats_mw *out)
{
	struct pooled *p;
	double rank_sum, ties;
	int rc = 0;

	if (na == 0 || nb == 0)
		return -EINVAL;
	p = malloc((na + nb) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < na + nb; i++)
		p[i] = (struct pooled){ i < na ? a[i] : b[i - na], i < na };
	qsort(p, na + nb, sizeof(*p), cmp_pooled);
	rank_pooled(p, na + nb, &rank_sum, &ties);
	out->u = rank_sum - (double)(na * (na + 1)) / 2;
	out->exact = ties == 0 && na <= RB_STATS_MW_EXACT_MAX && nb <= RB_STATS_MW_EXACT_MAX;
	if (out->exact)
		rc = mw_exact_p(out->u, na, nb, &out->p);
	else
		out->p = mw_normal_p(out->u, na, nb, ties);
	free(p);
	return rc;
}

double rb_stats_mw_min_p(size_t na, size_t nb)
{
	double c = 1;

	for (size_t i = 1; i <= na; i++)
		c = c * (double)(nb + i) / (double)i;
	return na && nb ? fmin(1, 2 / c) : 1;
}

uint64_t rb_stats_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Mean of n values drawn with replacement from x. */
static double resample_mean(const double *x, size_t n, uint64_t *rng)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += x[(size_t)((double)(rb_stats_rng_next(rng) >> 11) * 0x1.0p-53 * (double)n)];
	return sum / (double)n;
}

/* Linear interpolation between order statistics of sorted s (R type 7). */
static double quantile_sorted(const double *s, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t i = (size_t)floor(h);

	return i + 1 < n ? s[i] + (h - (double)i) * (s[i + 1] - s[i]) : s[n - 1];
}

int rb_stats_bootstrap(const double *a, size_t na, const double *b, size_t nb,
		       enum rb_stats_boot kind, unsigned iters, uint64_t seed, double level,
		       double *lo, double *hi)
{
	size_t kept = 0;
	double *v;

	if (na == 0 || nb == 0 || iters < 100 || !(level > 0 && level < 1))
		return -EINVAL;
	if (kind == RB_BOOT_REL && rb_stats_mean(a, na) == 0)
		return -EDOM;
	v = malloc(iters * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (unsigned i = 0; i < iters; i++) {
		double ma = resample_mean(a, na, &seed), mb = resample_mean(b, nb, &seed);
		if (kind == RB_BOOT_DIFF)
			v[kept++] = mb - ma;
		else if (ma != 0)
			v[kept++] = mb / ma - 1;
	}
	if (kept * 2 < iters) {
		free(v);
		return -EDOM;
	}
	qsort(v, kept, sizeof(*v), cmp_double);
	*lo = quantile_sorted(v, kept, (1 - level) / 2);
	*hi = quantile_sorted(v, kept, (1 + level) / 2);
	free(v);
	return 0;
}
