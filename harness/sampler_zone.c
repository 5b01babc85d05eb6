/* sampler_zone.c - watermark and kswapd columns of samples.tsv (see
 * sampler_zone.h). Free pages are set against the min/low/high watermarks
 * summed over populated zones: when free sits near `low`, kswapd is awake;
 * near `min`, allocating tasks do direct reclaim. Unpopulated zones are
 * left out (the empty Movable zone has watermarks of its own).
 *
 * Reading /proc/zoneinfo takes every zone's lock and was the largest cost
 * of a tick, so it is read once a second (watermarks only change
 * with sysctls or hotplug); the machine-wide free pages come every tick
 * from /proc/vmstat's nr_free_pages (unpopulated zones have none free, so
 * the sums agree). Per-node columns (several nodes) use zoneinfo's free
 * pages, so they move once a second. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "kswapd.h"
#include "procfs.h"
#include "sampler_zone.h"
#include "zoneinfo.h"

#define MAX_ZONES 256
#define MAX_NODES 64

struct rb_sampler_zone {
	int fd;
	struct rb_zone zones[MAX_ZONES];
	size_t n_zones;
	int nodes[MAX_NODES]; /* node ids with a populated zone */
	size_t n_nodes;
	struct rb_zone sum, node_sum[MAX_NODES]; /* of the last zoneinfo reading */
	struct rb_kswapd kswapd;
	bool has_kswapd, kswapd_ok;     /* found; the last reading worked */
	uint64_t ticks_first, ticks_now; /* kswapd CPU ticks at the start, last read */
	uint64_t since_kswapd_ns;       /* time since ticks_now was read */
	double kswapd_pct;
	long clk_tck;
	char *buf;
	size_t cap;
	/* run totals of the all-node sums */
	uint64_t free_min_seen, samples, below_low, below_min;
	struct rb_zone last;
};

static int read_zones(struct rb_sampler_zone *z)
{
	if (z->fd < 0 || rb_read_fd(z->fd, &z->buf, &z->cap) <= 0)
		return -ENOENT;
	return rb_parse_zoneinfo(z->buf, z->zones, MAX_ZONES, &z->n_zones) == -EINVAL ? -EINVAL : 0;
}

static void find_nodes(struct rb_sampler_zone *z)
{
	for (size_t i = 0; i < z->n_zones; i++) {
		bool seen = false;
		if (!rb_zone_populated(&z->zones[i]))
			continue;
		for (size_t k = 0; k < z->n_nodes; k++)
			seen = seen || z->nodes[k] == z->zones[i].node;
		if (!seen && z->n_nodes < MAX_NODES)
			z->nodes[z->n_nodes++] = z->zones[i].node;
	}
}

int rb_sampler_zone_open(struct rb_sampler_zone **out)
{
	struct rb_sampler_zone *z = calloc(1, sizeof(*z));

	if (!z)
		return -ENOMEM;
	z->fd = open("/proc/zoneinfo", O_RDONLY | O_CLOEXEC);
	if (read_zones(z) != 0 && z->fd >= 0) {
		(void)close(z->fd);
		z->fd = -1;
	}
	find_nodes(z);
	z->has_kswapd = rb_kswapd_open(&z->kswapd, NULL) == 0 && z->kswapd.n > 0 &&
			rb_kswapd_cpu_ticks(&z->kswapd, &z->ticks_first) == 0;
	z->ticks_now = z->ticks_first;
	z->kswapd_ok = z->has_kswapd;
	z->clk_tck = sysconf(_SC_CLK_TCK);
	z->free_min_seen = UINT64_MAX;
	*out = z;
	return 0;
}

void rb_sampler_zone_header(const struct rb_sampler_zone *z, FILE *f)
{
	static const char *const fields[] = { "free", "min", "low", "high" };

	for (size_t i = 0; z->fd >= 0 && i < 4; i++)
		fprintf(f, "\tzone.%s[pages]", fields[i]);
	for (size_t k = 0; z->fd >= 0 && z->n_nodes > 1 && k < z->n_nodes; k++)
		for (size_t i = 0; i < 4; i++)
			fprintf(f, "\tzone.node%d.%s[pages]", z->nodes[k], fields[i]);
	if (z->has_kswapd)
		fputs("\tkswapd.cpu[%]", f);
}

static void write_sum(struct rb_row *row, const struct rb_zone *s)
{
	rb_row_u64(row, s->free);
	rb_row_u64(row, s->min);
	rb_row_u64(row, s->low);
	rb_row_u64(row, s->high);
}

static void track(struct rb_sampler_zone *z, const struct rb_zone *all)
{
	z->last = *all;
	z->samples++;
	if (all->free < z->free_min_seen)
		z->free_min_seen = all->free;
	z->below_low += all->free < all->low;
	z->below_min += all->free < all->min;
}

/* Re-read zoneinfo and sum it, for all nodes and for each. */
static void sum_zones(struct rb_sampler_zone *z)
{
	if (read_zones(z) != 0)
		z->n_zones = 0;
	rb_zones_total(z->zones, z->n_zones, -1, &z->sum);
	for (size_t k = 0; z->n_nodes > 1 && k < z->n_nodes; k++)
		rb_zones_total(z->zones, z->n_zones, z->nodes[k], &z->node_sum[k]);
}

static void write_zones(struct rb_sampler_zone *z, struct rb_row *row, bool slow, uint64_t free)
{
	struct rb_zone sum;

	if (slow)
		sum_zones(z);
	if (!z->n_zones) {
		rb_row_nan(row, 4 * (1 + (z->n_nodes > 1 ? z->n_nodes : 0)));
		return;
	}
	sum = z->sum;
	if (free != UINT64_MAX)
		sum.free = free;
	write_sum(row, &sum);
	track(z, &sum);
	for (size_t k = 0; z->n_nodes > 1 && k < z->n_nodes; k++)
		write_sum(row, &z->node_sum[k]);
}

/* kswapd CPU % over the last second: its stat files cost more to read
 * than /proc/vmstat, and with CPU time counted in 10 ms clock ticks a
 * 100 ms interval could only show 0, 10, 20 ... % anyway. */
static void write_kswapd(struct rb_sampler_zone *z, struct rb_row *row, uint64_t interval_ns,
			 bool first, bool slow)
{
	uint64_t now;

	z->since_kswapd_ns += interval_ns;
	if (slow) {
		z->kswapd_ok = rb_kswapd_cpu_ticks(&z->kswapd, &now) == 0;
		if (z->kswapd_ok) {
			z->kswapd_pct = first ? 0 : rb_kswapd_cpu_pct(z->ticks_now, now,
					z->since_kswapd_ns, z->clk_tck, z->kswapd.n);
			z->ticks_now = now;
			z->since_kswapd_ns = 0;
		}
	}
	if (z->kswapd_ok)
		rb_row_num(row, z->kswapd_pct, 2);
	else
		rb_row_nan(row, 1);
}

void rb_sampler_zone_row(struct rb_sampler_zone *z, struct rb_row *row, uint64_t interval_ns,
			 bool first, bool slow, uint64_t free_pages)
{
	if (z->fd >= 0)
		write_zones(z, row, slow, free_pages);
	if (z->has_kswapd)
		write_kswapd(z, row, interval_ns, first, slow);
}

double rb_sampler_zone_kswapd_pct(const struct rb_sampler_zone *z)
{
	return z && z->has_kswapd ? z->kswapd_pct : NAN;
}

uint64_t rb_sampler_zone_kswapd_ticks(const struct rb_sampler_zone *z)
{
	struct rb_kswapd k; /* a copy: a fresh reading leaves the rows' state alone */
	uint64_t now;

	if (!z || !z->has_kswapd)
		return 0;
	k = z->kswapd;
	if (rb_kswapd_cpu_ticks(&k, &now) != 0 || now < z->ticks_first)
		now = z->ticks_now;
	return now - z->ticks_first;
}

void rb_sampler_zone_totals(const struct rb_sampler_zone *z, struct rb_sampler_totals *t)
{
	t->has_kswapd = z->has_kswapd;
	t->kswapd_threads = z->kswapd.n;
	t->kswapd_ticks = rb_sampler_zone_kswapd_ticks(z);
	t->clk_tck = z->clk_tck;
	t->has_zones = z->samples > 0;
	t->zone_samples = z->samples;
	t->zone_below_low = z->below_low;
	t->zone_below_min = z->below_min;
	t->zone_free_min = z->samples ? z->free_min_seen : 0;
	t->zone_last = z->last;
}

void rb_sampler_zone_close(struct rb_sampler_zone *z)
{
	if (!z)
		return;
	if (z->fd >= 0)
		(void)close(z->fd);
	if (z->has_kswapd)
		rb_kswapd_close(&z->kswapd);
	free(z->buf);
	free(z);
}
