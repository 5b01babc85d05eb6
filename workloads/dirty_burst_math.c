/* dirty_burst_math.c - the pure arithmetic of the dirty-burst workload
 * (see workloads/dirty_burst.h): the burst schedule with its missed bursts,
 * where each write goes as the files fill up and rotate, and the slowest
 * write of the current second. No I/O here, so the unit tests link it alone. */
#include <errno.h>

#include "dirty_burst.h"

#define NS_PER_S 1000000000ull

void rb_burst_clock_init(struct rb_burst_clock *c, uint64_t t0, uint64_t interval)
{
	*c = (struct rb_burst_clock){ .t0 = t0, .interval = interval };
}

uint64_t rb_burst_next_start(struct rb_burst_clock *c, uint64_t now)
{
	uint64_t next = c->slot + 1, first_free;

	if (!c->interval)
		return now;
	if (now > c->t0 + next * c->interval) {
		first_free = (now - c->t0 + c->interval - 1) / c->interval;
		c->missed += first_free - next;
		next = first_free;
	}
	c->slot = next;
	return c->t0 + next * c->interval;
}

int rb_burst_layout_init(struct rb_burst_layout *l, uint64_t file_size, uint32_t nfiles)
{
	if (!file_size || !nfiles)
		return -EINVAL;
	l->file_size = file_size;
	l->nfiles = nfiles;
	return 0;
}

struct rb_burst_write rb_burst_next_write(const struct rb_burst_layout *l,
					  struct rb_burst_cursor *c, uint64_t want)
{
	struct rb_burst_write wr;

	if (c->off >= l->file_size) {
		c->off = 0;
		c->file++;
		if (c->file == l->nfiles) {
			c->file = 0;
			c->wrapped = true;
		}
	}
	wr.file = c->file;
	wr.off = c->off;
	wr.len = want < l->file_size - c->off ? want : l->file_size - c->off;
	wr.truncate = c->wrapped && c->off == 0;
	c->off += wr.len;
	return wr;
}

uint64_t rb_slowest_update(struct rb_slowest *s, uint64_t t_ns, uint64_t lat_ns)
{
	uint64_t second = t_ns / NS_PER_S;

	if (second != s->second) {
		s->second = second;
		s->max_ns = 0;
	}
	if (lat_ns > s->max_ns)
		s->max_ns = lat_ns;
	return s->max_ns;
}
