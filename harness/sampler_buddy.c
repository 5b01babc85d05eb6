/* sampler_buddy.c - fragmentation columns of samples.tsv (see
 * sampler_buddy.h). Free memory that exists only as small blocks is what
 * makes a huge-page fault stall in direct compaction or fall back to 4 KiB
 * pages: buddy.huge_free falling to 0 while vmstat nr_free_pages stays up,
 * buddy.unusable near 100% and buddy.frag_index near 1 are that state.
 *
 * /proc/buddyinfo is small (about 5 us a read here; since 6.18 it no
 * longer takes the zone locks, before that each zone's lock briefly), but
 * at 10 Hz every read counts against the sampler's CPU budget, so it is
 * read once a second like zoneinfo, and rows in between repeat the last
 * figures (fragmentation builds up over seconds). Whole-machine figures are
 * computed over the zones' summed free lists: the kernel judges each zone
 * alone, which debugfs extfrag_index shows when it is available.
 *
 * The huge-page order comes from /sys/kernel/mm/transparent_hugepage/
 * hpage_pmd_size (9 on x86-64 with 4 KiB pages; 9 if the file is absent). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buddyinfo.h"
#include "procfs.h"
#include "sampler_buddy.h"

#define MAX_ZONES 128
#define MAX_NODES 64
/* -DBUDDYINFO=... / -DEXTFRAG=... point a build at fixtures, to see the
 * columns of 2 nodes or of debugfs (never mounted for this) on this machine. */
#ifndef BUDDYINFO
#define BUDDYINFO "/proc/buddyinfo"
#endif
#ifndef EXTFRAG
#define EXTFRAG "/sys/kernel/debug/extfrag/extfrag_index"
#endif
#define HPAGE_PMD_SIZE "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"

struct rb_sampler_buddy {
	int fd, ext_fd;
	unsigned order;                    /* the huge-page order */
	unsigned n_orders;                 /* order columns */
	int nodes[MAX_NODES];              /* node ids, per-node columns when > 1 */
	size_t n_nodes;
	struct rb_buddy_zone zones[MAX_ZONES];
	size_t n_zones;
	struct rb_buddy_zone ext_cols[MAX_ZONES]; /* the zones of the extfrag columns */
	size_t n_ext_cols;
	struct rb_buddy_zone ext[MAX_ZONES];
	size_t n_ext;
	struct rb_row seg; /* this part's columns as last read */
	char *buf;
	size_t cap;
};

static unsigned huge_order(void)
{
	uint64_t pmd = 0;
	long page = sysconf(_SC_PAGESIZE);
	unsigned order = 0;

	if (rb_read_u64(HPAGE_PMD_SIZE, &pmd) != 0 || page <= 0 || pmd <= (uint64_t)page)
		return 9;
	while (order < 30 && ((uint64_t)page << order) < pmd)
		order++;
	return order;
}

/* Read and parse one file; 0 if at least one zone came out. */
static int read_zones(struct rb_sampler_buddy *b, int fd, bool extfrag,
		      struct rb_buddy_zone *zones, size_t *n)
{
	int rc;

	*n = 0;
	if (fd < 0 || rb_read_fd(fd, &b->buf, &b->cap) <= 0)
		return -EIO;
	rc = extfrag ? rb_parse_extfrag(b->buf, zones, MAX_ZONES, n)
		     : rb_parse_buddyinfo(b->buf, zones, MAX_ZONES, n);
	return rc == -EINVAL ? rc : 0;
}

static int open_read(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

static void drop(int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

static void find_nodes(struct rb_sampler_buddy *b)
{
	for (size_t i = 0; i < b->n_zones; i++) {
		bool seen = false;
		for (size_t k = 0; k < b->n_nodes; k++)
			seen = seen || b->nodes[k] == b->zones[i].node;
		if (!seen && b->n_nodes < MAX_NODES)
			b->nodes[b->n_nodes++] = b->zones[i].node;
		if (b->zones[i].n_orders > b->n_orders)
			b->n_orders = b->zones[i].n_orders;
	}
}

int rb_sampler_buddy_open(struct rb_sampler_buddy **out)
{
	struct rb_sampler_buddy *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->order = huge_order();
	b->fd = open_read(BUDDYINFO);
	if (read_zones(b, b->fd, false, b->zones, &b->n_zones) != 0)
		drop(&b->fd);
	find_nodes(b);
	b->ext_fd = open_read(EXTFRAG);
	if (read_zones(b, b->ext_fd, true, b->ext_cols, &b->n_ext_cols) != 0)
		drop(&b->ext_fd);
	*out = b;
	return 0;
}

void rb_sampler_buddy_header(const struct rb_sampler_buddy *b, FILE *f)
{
	if (b->fd >= 0) {
		for (unsigned o = 0; o < b->n_orders; o++)
			fprintf(f, "\tbuddy.order%u[blocks]", o);
		fputs("\tbuddy.huge_free[blocks]\tbuddy.unusable[%]\tbuddy.frag_index", f);
		for (size_t k = 0; b->n_nodes > 1 && k < b->n_nodes; k++)
			fprintf(f, "\tbuddy.node%d.huge_free[blocks]\tbuddy.node%d.unusable[%%]",
				b->nodes[k], b->nodes[k]);
	}
	for (size_t i = 0; b->ext_fd >= 0 && i < b->n_ext_cols; i++)
		fprintf(f, "\textfrag.node%d.%s", b->ext_cols[i].node, b->ext_cols[i].name);
}

static void put_node_figures(const struct rb_sampler_buddy *b, struct rb_row *row, int node)
{
	struct rb_buddy_zone sum;

	rb_buddy_total(b->zones, b->n_zones, node, &sum);
	rb_row_u64(row, rb_buddy_suitable(&sum, b->order));
	rb_row_num(row, (double)rb_buddy_unusable_index(&sum, b->order) / 10, 1);
}

static void write_buddy(struct rb_sampler_buddy *b, struct rb_row *row)
{
	struct rb_buddy_zone all;

	if (read_zones(b, b->fd, false, b->zones, &b->n_zones) != 0) {
		rb_row_nan(row, b->n_orders + 3 + (b->n_nodes > 1 ? 2 * b->n_nodes : 0));
		return;
	}
	rb_buddy_total(b->zones, b->n_zones, -1, &all);
	for (unsigned o = 0; o < b->n_orders; o++)
		rb_row_num(row, (double)all.v[o], 0);
	put_node_figures(b, row, -1);
	rb_row_num(row, (double)rb_buddy_frag_index(&all, b->order) / 1000, 3);
	for (size_t k = 0; b->n_nodes > 1 && k < b->n_nodes; k++)
		put_node_figures(b, row, b->nodes[k]);
}

/* The kernel's index at the huge-page order, per zone of the columns. */
static void write_extfrag(struct rb_sampler_buddy *b, struct rb_row *row)
{
	bool ok = read_zones(b, b->ext_fd, true, b->ext, &b->n_ext) == 0;

	for (size_t i = 0; i < b->n_ext_cols; i++) {
		const struct rb_buddy_zone *z = &b->ext[i], *col = &b->ext_cols[i];
		if (ok && i < b->n_ext && z->node == col->node && !strcmp(z->name, col->name) &&
		    b->order < z->n_orders)
			rb_row_num(row, (double)z->v[b->order] / 1000, 3);
		else
			rb_row_nan(row, 1);
	}
}

void rb_sampler_buddy_row(struct rb_sampler_buddy *b, struct rb_row *row, bool slow)
{
	if (slow) {
		rb_row_clear(&b->seg);
		if (b->fd >= 0)
			write_buddy(b, &b->seg);
		if (b->ext_fd >= 0)
			write_extfrag(b, &b->seg);
	}
	rb_row_append(row, &b->seg);
}

void rb_sampler_buddy_close(struct rb_sampler_buddy *b)
{
	if (!b)
		return;
	drop(&b->fd);
	drop(&b->ext_fd);
	rb_row_free(&b->seg);
	free(b->buf);
	free(b);
}
