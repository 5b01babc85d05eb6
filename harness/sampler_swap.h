/* sampler_swap.h - private to the sampler: the compressed-swap columns of
 * samples.tsv and their run totals. For each zram device present when the
 * sampler opens, from its mm_stat, once a second:
 *
 *   zram<N>.orig_data[bytes]  zram<N>.compr_data[bytes]  zram<N>.mem_used[bytes]
 *
 * and zswap's pool from debugfs, once a second, only on kernels whose
 * /proc/meminfo lacks Zswap/Zswapped (those are meminfo columns already):
 *
 *   zswap.pool[bytes]  zswap.stored[bytes]
 *
 * The totals keep each store's reading at its largest compressed size. */
#ifndef RB_SAMPLER_SWAP_H
#define RB_SAMPLER_SWAP_H

#include <stdint.h>
#include <stdio.h>

#include "procfs.h"
#include "sampler.h"
#include "sampler_row.h"
#include "swapstat.h"

struct rb_sampler_swap;

/* Find the zram devices and, if meminfo (the first reading) lacks zswap's
 * fields, zswap's debugfs files. Returns 0 or -ENOMEM. */
int rb_sampler_swap_open(struct rb_sampler_swap **out, const struct rb_kvset *meminfo);

/* Write this part's column names (each preceded by a tab). */
void rb_sampler_swap_header(const struct rb_sampler_swap *sw, FILE *f);

/* Append this part of one row: when `slow` (once a second) from a new
 * reading of the files, else as last read. zswap: this tick's meminfo
 * Zswap/Zswapped in bytes, for the zswap peak (NULL where meminfo lacks
 * them). */
void rb_sampler_swap_row(struct rb_sampler_swap *sw, struct rb_row *row, bool slow,
			 const struct rb_zswap_stat *zswap);

/* Fill the zswap/zram peaks of the totals. */
void rb_sampler_swap_totals(const struct rb_sampler_swap *sw, struct rb_sampler_totals *t);

/* Close; accepts NULL. */
void rb_sampler_swap_close(struct rb_sampler_swap *sw);

#endif
