/* sampler_zone.h - private to the sampler: the watermark and kswapd columns
 * of samples.tsv (free pages against the min/low/high watermarks summed
 * over populated zones, per node when there are several, and kswapd CPU %),
 * and their run totals. */
#ifndef RB_SAMPLER_ZONE_H
#define RB_SAMPLER_ZONE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sampler.h"
#include "sampler_row.h"

struct rb_sampler_zone;

/* Open /proc/zoneinfo and the kswapd threads' stat files. Either may be
 * missing (their columns are then left out). Returns 0 or -ENOMEM. */
int rb_sampler_zone_open(struct rb_sampler_zone **out);

/* Write this part's column names (each preceded by a tab). */
void rb_sampler_zone_header(const struct rb_sampler_zone *z, FILE *f);

/* Append this part of one row; interval_ns since the last row. zoneinfo
 * and the kswapd threads are re-read when `slow` (once a second); the
 * kswapd CPU % is over the time between two such readings.
 * free_pages: the machine's nr_free_pages from this tick's /proc/vmstat
 * (UINT64_MAX if unknown: zoneinfo's sum is used). */
void rb_sampler_zone_row(struct rb_sampler_zone *z, struct rb_row *row, uint64_t interval_ns,
			 bool first, bool slow, uint64_t free_pages);

/* Fill the zone/kswapd fields of the totals. */
void rb_sampler_zone_totals(const struct rb_sampler_zone *z, struct rb_sampler_totals *t);

/* kswapd CPU % of one CPU over the last second (for the progress line). */
double rb_sampler_zone_kswapd_pct(const struct rb_sampler_zone *z);

/* kswapd threads' CPU ticks since the sampler opened, read now (the last
 * reading if that fails); 0 if unreadable. */
uint64_t rb_sampler_zone_kswapd_ticks(const struct rb_sampler_zone *z);

/* Close; accepts NULL. */
void rb_sampler_zone_close(struct rb_sampler_zone *z);

#endif
