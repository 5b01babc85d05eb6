/* buddyinfo.h - parsers for the buddy allocator's per-order files and the
 * fragmentation figures computed from them.
 *
 * /proc/buddyinfo lists, for each populated zone of each node, how many free
 * blocks of each order (2^order contiguous pages) the buddy allocator holds:
 *
 *   Node 0, zone   Normal    236    102    189   1628  ...   1   4939
 *                          order0 order1 order2 order3 ... order9 order10
 *
 * debugfs's extfrag/extfrag_index and extfrag/unusable_index have the same
 * layout with decimals (-1.000, 0.952): the kernel's figures per order. They
 * are kept as thousandths, exactly as the kernel computes them.
 *
 * A transparent huge page needs a free block of order 9 (x86-64: 2 MiB of
 * 4 KiB pages). Plenty of free memory with no such block is the
 * fragmentation that makes THP faults stall in compaction or fall back. The
 * figures below are the kernel's own (mm/vmstat.c fill_contig_page_info,
 * __fragmentation_index, unusable_free_index), so a zone's value computed
 * here equals its line in debugfs, which needs no debugfs to read. */
#ifndef RB_BUDDYINFO_H
#define RB_BUDDYINFO_H

#include <stddef.h>
#include <stdint.h>

#define RB_BUDDY_ORDERS_MAX 16 /* more orders than any kernel prints (x86-64: 11) */
#define RB_BUDDY_NAME_MAX 16

/* One line: a zone of a node and one value per order. */
struct rb_buddy_zone {
	int node;
	char name[RB_BUDDY_NAME_MAX]; /* "DMA", "DMA32", "Normal", ...; truncated */
	unsigned n_orders;            /* values on the line (orders 0..n_orders-1) */
	int64_t v[RB_BUDDY_ORDERS_MAX]; /* buddyinfo: free blocks; extfrag: thousandths */
};

/* Parse /proc/buddyinfo text into `zones` in file order, at most `max`;
 * *n is set to the number filled. Values after the 16th are ignored; a line
 * that is not "Node N, zone NAME" followed by at least one whole number is
 * skipped, and a line's values stop at the first token that is not one.
 * Returns 0, -EINVAL if no line parsed, or -ENOSPC if there are more than
 * `max` zones (the first `max` are filled). */
int rb_parse_buddyinfo(const char *text, struct rb_buddy_zone *zones, size_t max, size_t *n);

/* The same for debugfs extfrag/extfrag_index or extfrag/unusable_index:
 * "-1.000" is stored as -1000, "0.952" as 952. Same returns. */
int rb_parse_extfrag(const char *text, struct rb_buddy_zone *zones, size_t max, size_t *n);

/* Sum the free blocks of each order over the zones of `node` (node < 0: all
 * nodes) into *out, named "all", with n_orders the largest of the summed
 * zones (0 if none). buddyinfo lists populated zones only, so every zone
 * counts. */
void rb_buddy_total(const struct rb_buddy_zone *zones, size_t n, int node,
		    struct rb_buddy_zone *out);

/* Free pages in the zone's blocks: the sum of blocks << order. */
uint64_t rb_buddy_free_pages(const struct rb_buddy_zone *z);

/* Free blocks of 2^order pages the zone could hand out without compaction:
 * every block of that order or larger, split (the kernel's
 * free_blocks_suitable). 0 when order >= n_orders. */
uint64_t rb_buddy_suitable(const struct rb_buddy_zone *z, unsigned order);

/* The kernel's fragmentation index for an allocation of `order`, in
 * thousandths: -1000 if a suitable block is free (the allocation would
 * succeed), 0 if nothing is free; else towards 0 a failure would be for lack
 * of memory (reclaim helps), towards 1000 for fragmentation (compaction
 * helps). Formula: 1000 - (1000 + free_pages * 1000 / 2^order) / free_blocks.
 * 0 when order >= n_orders (the kernel warns and returns 0). */
int rb_buddy_frag_index(const struct rb_buddy_zone *z, unsigned order);

/* The kernel's unusable free space index for `order`, in thousandths: the
 * share of free pages in blocks too small for it: 0 when every free page is
 * in a big enough block, 1000 when none is (or nothing is free, as the kernel
 * counts it). Formula: (free_pages - suitable << order) * 1000 / free_pages. */
int rb_buddy_unusable_index(const struct rb_buddy_zone *z, unsigned order);

#endif
