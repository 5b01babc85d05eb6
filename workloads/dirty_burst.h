/* dirty_burst.h - the pure arithmetic of the dirty-burst workload: when the
 * next burst starts (and which bursts an overrun made it miss), where the
 * next write goes as the files fill up and rotate, and the slowest write of
 * the current second. Private to workloads/dirty_burst.c; implemented in
 * dirty_burst_math.c, which tests/unit/test_dirty_burst.c checks without
 * files or io_uring. */
#ifndef RB_DIRTY_BURST_H
#define RB_DIRTY_BURST_H

#include <stdbool.h>
#include <stdint.h>

/* Burst starts are scheduled on a fixed grid, t0 + k * interval, like a
 * batcher that flushes every interval:
 *
 *   interval |<------>|
 *   slots    0        1        2        3        4
 *   bursts   [==]     [======================]   [==]
 *                                            ^ now: slots 2 and 3
 *                                              passed during burst 1:
 *                                              both missed; the next
 *                                              burst starts at slot 4
 *
 * A burst that overruns its interval makes the bursts whose start passed
 * meanwhile miss their turn: they are skipped and counted, never piled up
 * back to back. interval 0 means back to back: the next burst starts as
 * soon as the last one ends. */
struct rb_burst_clock {
	uint64_t t0;       /* start of the grid */
	uint64_t interval; /* ns between burst starts, 0 = back to back */
	uint64_t slot;     /* grid index of the burst that ran last */
	uint64_t missed;   /* bursts skipped so far */
};

/* A grid starting at t0; the first burst is slot 0, at t0. */
void rb_burst_clock_init(struct rb_burst_clock *c, uint64_t t0, uint64_t interval);

/* The last burst ended at `now`: return the time the next one starts (the
 * first slot after the last one that is not before now), and add the slots
 * skipped on the way to c->missed. interval 0 returns now. */
uint64_t rb_burst_next_start(struct rb_burst_clock *c, uint64_t now);

/* The files: nfiles files, each written from offset 0 up to file_size. */
struct rb_burst_layout {
	uint64_t file_size;
	uint32_t nfiles;
};

/* The write cursor: the file being filled and the offset of the next write.
 * `wrapped` is set once the cursor has gone past the last file, from then on
 * every file it moves into already holds data from an earlier round. */
struct rb_burst_cursor {
	uint32_t file;
	uint64_t off;
	bool wrapped;
};

/* One write: which file, where, how many bytes, and whether the file has to
 * be truncated to 0 first (it is being reused: the rotation). */
struct rb_burst_write {
	uint32_t file;
	uint64_t off;
	uint64_t len;
	bool truncate;
};

/* Returns 0, or -EINVAL if file_size or nfiles is 0. */
int rb_burst_layout_init(struct rb_burst_layout *l, uint64_t file_size, uint32_t nfiles);

/* The next write of up to `want` bytes (> 0): at the cursor, cut short at the
 * end of the file. A full file sends the write to the start of the next one,
 * past the last file back to the first; a file entered again after the
 * wrap is truncated first, so its old pages leave the cache and the files
 * keep taking new pages. Advances the cursor past the write. */
struct rb_burst_write rb_burst_next_write(const struct rb_burst_layout *l,
					  struct rb_burst_cursor *c, uint64_t want);

/* The slowest write of the current second: t_ns is the time since the
 * worker's start, seconds counted from there. */
struct rb_slowest {
	uint64_t second; /* the second max_ns belongs to */
	uint64_t max_ns;
};

/* Account a write of lat_ns that ended at t_ns (lat_ns 0 only moves the
 * clock on) and return the slowest write of t_ns's second so far: a new
 * second starts from zero. */
uint64_t rb_slowest_update(struct rb_slowest *s, uint64_t t_ns, uint64_t lat_ns);

#endif
