/* bench_hist.c - `make bench`: the cost of rb_hist_record(), the one call on
 * every worker's hot path.
 *
 *   bench_hist record [N]   record N values (default 100M) into a histogram
 *   bench_hist empty  [N]   the same loop over the same values, recording nothing
 *
 * The values are drawn before the clock starts (the RNG is not timed) into a
 * 16 MiB array that the loop walks over and over, with a realistic latency
 * spread: 90% between 200 ns and 5 us, 9% up to 200 us, 1% up to 50 ms
 * (log-uniform within each band). The difference of the two figures is what
 * a record costs. Prints one machine-readable line, "name value unit":
 *
 *   hist.record 4.21 ns/value
 *   hist.empty 0.38 ns/value */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "workload.h"

#define N_VALUES (2u << 20)           /* 16 MiB of values, walked over and over */
#define DEFAULT_COUNT 100000000ull

/* A value log-uniform in [lo, hi). */
static uint64_t log_uniform(uint64_t *rng, double lo, double hi)
{
	double u = (double)(rb_rand(rng) >> 11) / 9007199254740992.0; /* [0, 1) */

	return (uint64_t)exp(log(lo) + u * (log(hi) - log(lo)));
}

/* One latency in ns from the spread described at the top. */
static uint64_t draw(uint64_t *rng)
{
	unsigned band = (unsigned)(rb_rand(rng) % 100);

	if (band < 90)
		return log_uniform(rng, 200, 5e3);
	if (band < 99)
		return log_uniform(rng, 5e3, 2e5);
	return log_uniform(rng, 2e5, 5e7);
}

static uint64_t *make_values(void)
{
	uint64_t *v = malloc(N_VALUES * sizeof(*v)), rng = 0x2545F4914F6CDD1Dull;

	for (size_t i = 0; v && i < N_VALUES; i++)
		v[i] = draw(&rng);
	return v;
}

/* Record `count` values; returns the elapsed ns. */
static uint64_t time_record(struct rb_hist *h, const uint64_t *v, uint64_t count)
{
	uint64_t t0 = rb_now_ns();

	for (uint64_t done = 0; done < count; done += N_VALUES)
		for (size_t i = 0; i < N_VALUES && done + i < count; i++)
			rb_hist_record(h, v[i]);
	return rb_now_ns() - t0;
}

/* The same walk, each value only loaded (the compiler must keep the load). */
static uint64_t time_empty(const uint64_t *v, uint64_t count)
{
	uint64_t t0 = rb_now_ns();

	for (uint64_t done = 0; done < count; done += N_VALUES)
		for (size_t i = 0; i < N_VALUES && done + i < count; i++)
			__asm__ volatile("" : : "r"(v[i]));
	return rb_now_ns() - t0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_hist record|empty [COUNT]\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t count = argc > 2 ? strtoull(argv[2], NULL, 10) : DEFAULT_COUNT, ns;
	bool record = argc > 1 && strcmp(argv[1], "record") == 0;
	struct rb_hist *h = malloc(sizeof(*h));
	uint64_t *v = make_values();
	int rc = 1;

	if (argc < 2 || (!record && strcmp(argv[1], "empty") != 0) || !count)
		rc = usage();
	else if (h && v) {
		rb_hist_init(h);
		ns = record ? time_record(h, v, count) : time_empty(v, count);
		if (record && h->count != count)
			fprintf(stderr, "bench_hist: recorded %llu of %llu values\n",
				(unsigned long long)h->count, (unsigned long long)count);
		else {
			printf("hist.%s %.3f ns/value\n", argv[1], (double)ns / (double)count);
			rc = 0;
		}
	}
	free(v);
	free(h);
	return rc;
}
