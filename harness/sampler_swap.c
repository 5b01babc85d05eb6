/* sampler_swap.c - compressed-swap columns of samples.tsv (see
 * sampler_swap.h). zram keeps pages swapped to it compressed in memory;
 * zswap compresses pages on their way to a swap device and keeps them in a
 * pool. How much memory either really frees depends on the compression
 * ratio of what the workload swaps (fill = random does not compress,
 * compressible does), which is why both sizes are sampled.
 *
 * The files change no faster than pages are swapped and are read once a
 * second, like zoneinfo; between readings a row repeats the last values.
 * zram devices are fixed when the sampler opens: one set up later has no
 * columns. zswap's debugfs directory is only read where debugfs is
 * already mounted (it is never mounted for this).
 *
 * -DSYS_BLOCK=... / -DZSWAP_DEBUGFS=... point a build at fixtures. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "sampler_swap.h"
#include "swapstat.h"

#ifndef SYS_BLOCK
#define SYS_BLOCK "/sys/block"
#endif
#ifndef ZSWAP_DEBUGFS
#define ZSWAP_DEBUGFS "/sys/kernel/debug/zswap"
#endif
#define MAX_ZRAM 32

struct zram_dev {
	unsigned id;
	int fd;
	bool ok; /* the last reading parsed */
	struct rb_zram_stat st;
};

struct rb_sampler_swap {
	struct zram_dev zram[MAX_ZRAM];
	size_t n_zram;
	bool zswap_debugfs, zswap_ok;
	struct rb_zswap_stat zswap;
	uint64_t page_size;
	struct rb_swap_peak zswap_peak, zram_peak;
	struct rb_row seg; /* this part's columns as last read */
	char *buf;
	size_t cap;
};

static void open_zram(struct rb_sampler_swap *sw)
{
	unsigned ids[MAX_ZRAM];
	int n = rb_zram_devices(SYS_BLOCK, ids, MAX_ZRAM);
	char path[256];

	for (int i = 0; i < n; i++) {
		struct zram_dev *z = &sw->zram[sw->n_zram];
		(void)snprintf(path, sizeof(path), SYS_BLOCK "/zram%u/mm_stat", ids[i]);
		z->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (z->fd < 0)
			continue;
		z->id = ids[i];
		sw->n_zram++;
	}
}

int rb_sampler_swap_open(struct rb_sampler_swap **out, const struct rb_kvset *meminfo)
{
	struct rb_sampler_swap *sw = calloc(1, sizeof(*sw));
	struct rb_zswap_stat zs;

	if (!sw)
		return -ENOMEM;
	sw->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	open_zram(sw);
	sw->zswap_debugfs = rb_zswap_from_meminfo(meminfo, &zs) != 0 &&
			    rb_zswap_read_debugfs(ZSWAP_DEBUGFS, sw->page_size, &zs) == 0;
	*out = sw;
	return 0;
}

void rb_sampler_swap_header(const struct rb_sampler_swap *sw, FILE *f)
{
	for (size_t i = 0; i < sw->n_zram; i++) {
		unsigned id = sw->zram[i].id;
		fprintf(f, "\tzram%u.orig_data[bytes]\tzram%u.compr_data[bytes]"
			   "\tzram%u.mem_used[bytes]", id, id, id);
	}
	if (sw->zswap_debugfs)
		fputs("\tzswap.pool[bytes]\tzswap.stored[bytes]", f);
}

/* Re-read every zram device; fold their sums into the zram peak. */
static void read_zram(struct rb_sampler_swap *sw)
{
	uint64_t orig = 0, compr = 0;
	bool any = false;

	for (size_t i = 0; i < sw->n_zram; i++) {
		struct zram_dev *z = &sw->zram[i];
		z->ok = rb_read_fd(z->fd, &sw->buf, &sw->cap) > 0 &&
			rb_zram_parse_mm_stat(sw->buf, &z->st) == 0;
		if (!z->ok)
			continue;
		orig += z->st.v[RB_ZRAM_ORIG_DATA];
		compr += z->st.v[RB_ZRAM_COMPR_DATA];
		any = true;
	}
	if (any)
		rb_swap_peak_add(&sw->zram_peak, orig, compr);
}

static void read_zswap(struct rb_sampler_swap *sw)
{
	sw->zswap_ok = rb_zswap_read_debugfs(ZSWAP_DEBUGFS, sw->page_size, &sw->zswap) == 0;
	if (sw->zswap_ok)
		rb_swap_peak_add(&sw->zswap_peak, sw->zswap.stored_bytes, sw->zswap.pool_bytes);
}

static void put_u64(struct rb_row *row, bool ok, uint64_t v)
{
	if (ok)
		rb_row_u64(row, v);
	else
		rb_row_nan(row, 1);
}

/* Re-read the files and rebuild the columns. */
static void read_files(struct rb_sampler_swap *sw)
{
	read_zram(sw);
	if (sw->zswap_debugfs)
		read_zswap(sw);
	rb_row_clear(&sw->seg);
	for (size_t i = 0; i < sw->n_zram; i++) {
		const struct zram_dev *z = &sw->zram[i];
		put_u64(&sw->seg, z->ok, z->st.v[RB_ZRAM_ORIG_DATA]);
		put_u64(&sw->seg, z->ok, z->st.v[RB_ZRAM_COMPR_DATA]);
		put_u64(&sw->seg, z->ok, z->st.v[RB_ZRAM_MEM_USED]);
	}
	if (sw->zswap_debugfs) {
		put_u64(&sw->seg, sw->zswap_ok, sw->zswap.pool_bytes);
		put_u64(&sw->seg, sw->zswap_ok, sw->zswap.stored_bytes);
	}
}

void rb_sampler_swap_row(struct rb_sampler_swap *sw, struct rb_row *row, bool slow,
			 const struct rb_zswap_stat *zswap)
{
	if (slow)
		read_files(sw);
	if (!sw->zswap_debugfs && zswap)
		rb_swap_peak_add(&sw->zswap_peak, zswap->stored_bytes, zswap->pool_bytes);
	rb_row_append(row, &sw->seg);
}

void rb_sampler_swap_totals(const struct rb_sampler_swap *sw, struct rb_sampler_totals *t)
{
	t->zswap_peak = sw->zswap_peak;
	t->zram_peak = sw->zram_peak;
}

void rb_sampler_swap_close(struct rb_sampler_swap *sw)
{
	if (!sw)
		return;
	for (size_t i = 0; i < sw->n_zram; i++)
		(void)close(sw->zram[i].fd);
	rb_row_free(&sw->seg);
	free(sw->buf);
	free(sw);
}
