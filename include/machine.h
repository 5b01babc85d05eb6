/* machine.h - what the machine is (kernel, topology from hwloc, cgroup
 * version, swap, THP, PSI) for meta.json and the comparability key, the
 * checks a run needs before it changes anything, and the settle phase. */
#ifndef RB_MACHINE_H
#define RB_MACHINE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

/* A JSON object describing the machine: kernel release and version, cmdline,
 * hostname, CPU model, MemTotal, SwapTotal, THP settings, PSI presence,
 * cgroup version and the hwloc topology (packages, cores, PUs, NUMA nodes
 * with their memory). NULL on allocation failure. */
struct json_object *rb_machine_describe(void);

/* NUMA nodes with memory (libnuma); 1 when NUMA is not available. */
int rb_machine_node_count(void);

/* Can this profile run here? Root, PSI for the watchdog, the cgroup memory
 * controller in contained mode, memory hotplug or hugetlb in global mode,
 * every workload's supported(). Returns 0, or -EPERM/-ENOTSUP with err
 * saying what is missing. Skippable workloads are not errors: their names
 * and reasons are appended to `skipped` (one "name: reason" per line). */
int rb_machine_check(const struct rb_profile *p, char *err, size_t errlen, char *skipped,
		     size_t skippedlen);

/* Settle before a run so iterations start alike: sync, drop caches,
 * compact memory, then wait (up to max_wait_ns) until MemFree moves less
 * than 1% over half a second. Returns the time it took in ns. */
uint64_t rb_settle(uint64_t max_wait_ns);

/* MemAvailable in bytes, 0 if unknown. */
uint64_t rb_mem_available(void);

#endif
