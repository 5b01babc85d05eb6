/* sampler_buddy.h - private to the sampler: the fragmentation columns of
 * samples.tsv. From /proc/buddyinfo, summed over every zone of every node:
 * free blocks of each order, how many huge-page-sized blocks are free, the
 * unusable free space index and the fragmentation index at the huge-page
 * order (the kernel's formulas, see buddyinfo.h); per node when there are
 * several. From debugfs extfrag/extfrag_index, when debugfs is mounted and
 * readable (it is never mounted for this), the kernel's own index per zone.
 *
 *   buddy.order0[blocks] .. buddy.order10[blocks]
 *   buddy.huge_free[blocks]  buddy.unusable[%]  buddy.frag_index
 *   buddy.node<N>.huge_free[blocks]  buddy.node<N>.unusable[%]   (N nodes > 1)
 *   extfrag.node<N>.<zone>                                        (debugfs) */
#ifndef RB_SAMPLER_BUDDY_H
#define RB_SAMPLER_BUDDY_H

#include <stdbool.h>
#include <stdio.h>

#include "sampler_row.h"

struct rb_sampler_buddy;

/* Open /proc/buddyinfo and, if readable, debugfs extfrag_index, and fix the
 * columns from a first reading. A file that cannot be read leaves its
 * columns out. Returns 0 or -ENOMEM. */
int rb_sampler_buddy_open(struct rb_sampler_buddy **out);

/* Write this part's column names (each preceded by a tab). */
void rb_sampler_buddy_header(const struct rb_sampler_buddy *b, FILE *f);

/* Append this part of one row: when `slow` (once a second) from a new
 * reading of the files (NaN where a reading failed or no longer matches
 * the columns), else as last read. */
void rb_sampler_buddy_row(struct rb_sampler_buddy *b, struct rb_row *row, bool slow);

/* Close; accepts NULL. */
void rb_sampler_buddy_close(struct rb_sampler_buddy *b);

#endif
