/* pagecache_flood.h - the pure arithmetic of the pagecache-flood workload:
 * how the file set is laid out, which block the next I/O goes to, and when
 * the rate limit lets it start. Private to workloads/pagecache_flood.c; split
 * out so tests/unit/test_pagecache_flood.c can check it without files or
 * io_uring. */
#ifndef RB_PAGECACHE_FLOOD_H
#define RB_PAGECACHE_FLOOD_H

#include <stdint.h>

/* The file set: nfiles files of file_size bytes, read and written in blocks
 * of bs bytes at block-aligned offsets. */
struct rb_flood_layout {
	uint64_t file_size; /* a multiple of bs, at least bs */
	uint64_t bs;
	uint32_t nfiles;
};

/* Where one I/O goes: a file of the set and a byte offset in it. */
struct rb_flood_pos {
	uint32_t file;
	uint64_t off;
};

/* Spread `dataset` bytes over `files` files: each gets dataset / files bytes
 * rounded down to a multiple of bs, and at least one block. Returns 0, or
 * -EINVAL if files or bs is 0. */
int rb_flood_layout_init(struct rb_flood_layout *l, uint64_t dataset, uint32_t files,
			 uint64_t bs);

/* Sequential walk: returns *cur and moves cur one block on; past the end of a
 * file it goes to the start of the next, past the last file back to the
 * first, so the walk re-reads the whole set again and again. */
struct rb_flood_pos rb_flood_next_seq(const struct rb_flood_layout *l, struct rb_flood_pos *cur);

/* Random block: a file and a block-aligned offset in it, drawn from *rng
 * (rb_rand). */
struct rb_flood_pos rb_flood_next_rand(const struct rb_flood_layout *l, uint64_t *rng);

/* Rate pacing: the earliest time the next I/O may start when `issued` bytes
 * have been issued since t0 at `rate` bytes/s, i.e. t0 + issued / rate in ns.
 * rate 0 (unlimited) gives t0. */
uint64_t rb_flood_due_ns(uint64_t t0, uint64_t issued, uint64_t rate);

#endif
