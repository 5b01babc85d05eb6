/* zoneinfo.h - parser for /proc/zoneinfo: per NUMA node and zone, the free
 * page count, the watermarks (min, low, high; boost and promo where the kernel
 * prints them) and the zone's size (spanned, present, managed). The sampler
 * uses it to plot free memory against the watermarks and to tell when kswapd
 * (below low) or direct reclaim (below min) is due.
 *
 * All figures are in pages. Fields are found by name, never by position. A
 * field the kernel does not print is absent: its RB_ZONE_* bit in `has` is
 * clear and its value 0. Examples from the fixtures: no promo in 6.1 (there
 * is in 6.18), no boost before 5.0, no managed in 3.2, no nr_free_pages in
 * 2.6.14. Zones with present 0 (Movable, Device, an empty DMA on node 1...)
 * are listed like the others; rb_zone_populated() tells them apart. */
#ifndef RB_ZONEINFO_H
#define RB_ZONEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RB_ZONE_NAME_MAX 16

/* Bits of rb_zone.has: which fields the kernel printed for the zone. */
enum {
	RB_ZONE_FREE = 1u << 0,		/* "pages free" */
	RB_ZONE_MIN = 1u << 1,
	RB_ZONE_LOW = 1u << 2,
	RB_ZONE_HIGH = 1u << 3,
	RB_ZONE_BOOST = 1u << 4,	/* watermark boost */
	RB_ZONE_PROMO = 1u << 5,	/* promotion watermark (memory tiering) */
	RB_ZONE_SPANNED = 1u << 6,
	RB_ZONE_PRESENT = 1u << 7,
	RB_ZONE_MANAGED = 1u << 8,
	RB_ZONE_NR_FREE_PAGES = 1u << 9, /* the zone's nr_free_pages counter */
};

/* One zone of one node ("Node 0, zone   Normal"). */
struct rb_zone {
	int node;
	char name[RB_ZONE_NAME_MAX];	/* "DMA", "DMA32", "Normal", ...; truncated */
	uint64_t free, min, low, high, boost, promo;
	uint64_t spanned, present, managed, nr_free_pages;
	unsigned has;			/* RB_ZONE_* bits */
};

/* Parse /proc/zoneinfo text into `zones` in file order, at most `max` of
 * them; *n is set to the number filled. Lines that do not have the expected
 * shape are skipped; the per-node stats block and the pagesets block are not
 * read (their "high:" and "low:" are per-CPU list sizes, not watermarks).
 * Returns 0, -EINVAL if the text has no "Node N, zone NAME" line, or -ENOSPC
 * if it has more than `max` zones (the first `max` are filled). */
int rb_parse_zoneinfo(const char *text, struct rb_zone *zones, size_t max, size_t *n);

/* True if the kernel printed the zone's present pages and they are not 0. */
bool rb_zone_populated(const struct rb_zone *z);

/* Sum free, the watermarks and the sizes over the populated zones of `node`
 * (node < 0: of all nodes) into *out, whose node is set to `node` and name to
 * "all". A bit is set in out->has only if every summed zone has it (0 if no
 * zone was summed), so a field one kernel lacks stays absent in the sum. */
void rb_zones_total(const struct rb_zone *z, size_t n, int node, struct rb_zone *out);

#endif
