/* sampler_totals.h - private to the sampler: adding to the name/value sets
 * the run totals for summary.json are made of. (The dirty peak and
 * rb_sampler_totals_free are declared in sampler.h.) */
#ifndef RB_SAMPLER_TOTALS_H
#define RB_SAMPLER_TOTALS_H

#include <stdint.h>

#include "procfs.h"
#include "sampler.h"

/* Set name's value in a set, appending it if new. Returns 0 or -ENOMEM. */
int rb_sampler_kv_put(struct rb_kvset *set, const char *name, uint64_t value);

#endif
