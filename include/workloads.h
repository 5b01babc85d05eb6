/* workloads.h - the registry of workload generators (see workloads.def). */
#ifndef RB_WORKLOADS_H
#define RB_WORKLOADS_H

#include <stddef.h>

#include "workload.h"

#define RB_WORKLOAD(sym) extern const struct rb_workload_ops sym;
#include "workloads.def"
#undef RB_WORKLOAD

/* All workloads, in workloads.def order. */
extern const struct rb_workload_ops *const rb_workloads[];
extern const size_t rb_workload_count;

/* Look a workload type up by its profile name; NULL if unknown. */
const struct rb_workload_ops *rb_workload_find(const char *name);

/* Check every registered ops table (ABI version, names, option tables,
 * histogram count). Returns 0 or -EINVAL after printing what is wrong. */
int rb_workloads_check(void);

#endif
