/* working_set.h - the pure logic of the working-set workload: how its hot
 * file set is laid out, which block an access goes to, the access-rate
 * pacing, and counting resident pages from a mincore() vector. Private to
 * workloads/working_set.c; split out so tests/unit/test_working_set.c can
 * check it without files or mappings. */
#ifndef RB_WORKING_SET_H
#define RB_WORKING_SET_H

#include <stddef.h>
#include <stdint.h>

/* The hot file set: nfiles files of file_size bytes, accessed in units of
 * `unit` bytes (bs for read(), a page for mmap) at unit-aligned offsets. */
struct rb_ws_layout {
	uint64_t file_size; /* a multiple of the page size, at least one page */
	uint64_t unit;
	uint32_t nfiles;
};

/* Where one access goes: a file of the set and a byte offset in it. */
struct rb_ws_pos {
	uint32_t file;
	uint64_t off;
};

/* Spread `size` bytes over `files` files of whole pages (at least one page
 * each), accessed in units of `unit` bytes. Returns 0, -EINVAL if files,
 * unit or page is 0, or -ERANGE if one unit does not fit in a file. */
int rb_ws_layout_init(struct rb_ws_layout *l, uint64_t size, uint32_t files, uint64_t unit,
		      uint64_t page);

/* A uniformly random unit of the whole set, drawn from *rng (rb_rand): the
 * file it lies in and its unit-aligned offset. */
struct rb_ws_pos rb_ws_pick(const struct rb_ws_layout *l, uint64_t *rng);

/* Open-loop pacing of `rate` accesses per second from t0. A service does
 * not skip requests it fell behind on, so a short stall is caught up; but a
 * backlog of more than max_lag_ns (a stall of seconds) is forgiven, so the
 * catch-up is never an unbounded burst. */
struct rb_ws_pacer {
	uint64_t t0;         /* start of the schedule */
	uint64_t n;          /* accesses scheduled since t0 */
	uint64_t rate;       /* accesses per second, 0 = flat out */
	uint64_t max_lag_ns; /* largest backlog caught up */
};

/* The time the next access is due, given the time now, and account it.
 * rate 0 gives `now` (no wait). When the schedule is more than max_lag_ns
 * behind `now` it restarts at `now`. */
uint64_t rb_ws_pacer_next(struct rb_ws_pacer *p, uint64_t now);

/* Pages of a mincore() vector of n entries that are resident (bit 0). */
uint64_t rb_ws_count_resident(const unsigned char *vec, size_t n);

#endif
