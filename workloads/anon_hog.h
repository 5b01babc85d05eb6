/* anon_hog.h - the pure logic of the anon-hog workload: how many random
 * bytes a `compressible` page gets for a target compression ratio and the
 * fill that writes them, the time-paced schedule of cold-page reads, and
 * which page a cold read goes to. Private to workloads/anon_hog.c; split
 * out so tests/unit/test_anon_hog.c can check it without big mappings. */
#ifndef RB_ANON_HOG_H
#define RB_ANON_HOG_H

#include <stddef.h>
#include <stdint.h>

/* Random bytes a `compressible` page of `page` bytes gets so that swap
 * compression (zram, zswap) shrinks it about ratio:1: page / ratio, rounded
 * down, the rest of the page left zero. ratio below 1 counts as 1. */
size_t rb_ah_random_bytes(size_t page, double ratio);

/* Write n random bytes from *rng (rb_rand) at p; p needs no alignment and n
 * need not be a multiple of 8. Bytes from p + n on are not touched. */
void rb_ah_fill_random(uint8_t *p, size_t n, uint64_t *rng);

/* The cold-read schedule: `rate` reads per second from t0, open loop (a
 * read delayed by a slow hot batch is done late, not dropped), but a
 * backlog of more than max_lag_ns worth of reads is forgiven (counted in
 * `skipped`), so a long stall is never followed by an unbounded burst.
 *
 *   t0      1/rate
 *   |---------|---------|---------|---------|--> time
 *             ^ read 1  ^ read 2  ^ read 3
 *   take(now) at 2.5/rate: 2 due (reads 1 and 2), then 0 until 3/rate */
struct rb_ah_cold_clock {
	uint64_t t0;         /* start of the schedule */
	uint64_t done;       /* reads handed out (or skipped) since t0 */
	uint64_t skipped;    /* reads forgiven after a backlog */
	uint64_t max_lag_ns; /* largest backlog caught up */
	double rate;         /* reads per second, 0 = none */
};

/* A schedule of `rate` reads per second (<= 0: none) starting at t0. */
void rb_ah_cold_start(struct rb_ah_cold_clock *c, uint64_t t0, double rate,
		      uint64_t max_lag_ns);

/* The reads due by `now` and not handed out yet, floor((now - t0) * rate /
 * 1 s) - done, accounted as done. A backlog above max_lag_ns worth of reads
 * (at least one) is cut to that many; the rest go to c->skipped. 0 at rate 0
 * or before t0. */
uint64_t rb_ah_cold_take(struct rb_ah_cold_clock *c, uint64_t now);

/* The time the next read is due (take() then returns at least 1), or
 * UINT64_MAX at rate 0. */
uint64_t rb_ah_cold_next(const struct rb_ah_cold_clock *c);

/* A uniformly random page index of the cold share [hot_pages, pages),
 * drawn from *rng. The caller makes sure hot_pages < pages. */
size_t rb_ah_cold_pick(size_t hot_pages, size_t pages, uint64_t *rng);

#endif
