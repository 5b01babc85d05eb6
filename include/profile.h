/* profile.h - named profiles: fio-style INI files that describe one
 * pathology (see the .ini files in profiles/ and README "Profile format").
 *
 * Loading is two-phase: the file is read into raw entries (section, key,
 * value, line); the chosen variant's overrides and --set overrides replace
 * or add entries; then every entry is resolved into the typed model below.
 * Any error names file:line (or the --set argument) and the expected form,
 * and nothing on the machine has been touched. */
#ifndef RB_PROFILE_H
#define RB_PROFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "expect.h"
#include "swap.h"
#include "workload.h"

#define RB_NAME_MAX 64
#define RB_NODE_ALL (-1) /* not bound: memory and CPUs of every node */

enum rb_mode { RB_MODE_CONTAINED, RB_MODE_GLOBAL };

/* A key = value that changes the machine ([sysctl] or [thp]). */
struct rb_setting {
	char key[128];   /* "vm.swappiness" or THP knob "defrag" */
	char value[128];
	char where[PATH_MAX + 32]; /* "profiles/x.ini:12" or "--set ..." */
};

struct rb_profile_expect {
	char text[256];
	struct rb_expect *expr;
	char where[PATH_MAX + 32];
};

/* One [workload:NAME] section. */
struct rb_workload_spec {
	char name[RB_NAME_MAX];
	const struct rb_workload_ops *ops;
	int node;               /* NUMA node (taken modulo the node count), or RB_NODE_ALL */
	uint64_t start_ns;      /* start after the run begins */
	uint64_t stop_ns;       /* stop at this time; 0 = run end */
	unsigned instances;     /* processes forked for it, 1..64 */
	int oom_score_adj;      /* default 1000: workers die first */
	void *config;           /* ops->config_size bytes, filled from ops->options */
	char where[PATH_MAX + 32];
};

struct rb_variant_info {
	char name[RB_NAME_MAX];
	char description[256];
};

struct rb_profile {
	char name[RB_NAME_MAX];     /* file name without .ini */
	char path[PATH_MAX];
	char variant[RB_NAME_MAX];  /* "" for the base profile */

	/* [profile] */
	char description[256];
	enum rb_mode mode;          /* mode = contained | global */
	uint64_t memory;            /* memory = 1G: cgroup limit, or machine shrunk to this */
	uint64_t memory_high;       /* memory_high = 90%: cgroup v2 memory.high, 0 = unset */
	uint64_t duration_ns;       /* duration = 30s */
	uint64_t baseline_ns;       /* baseline = 5s: workers' percentiles also kept for [0, 5s); 0 = none */
	uint64_t worker_interval_ns; /* worker_interval = 1s: workers.tsv row interval */
	char rewarm_watch[RB_OPT_STRLEN]; /* rewarm_watch = ws.access: WORKER.OP watched, "" = none */
	char rewarm_after[RB_OPT_STRLEN]; /* rewarm_after = backup: its end starts the clock */
	double rewarm_factor;       /* rewarm_factor = 2: back within 2x its earlier p99 */
	double sample_hz;           /* sample_rate = 10 (Hz), 1..1000 */
	uint64_t seed;              /* seed = 1 */
	bool settle;                /* settle = yes: drop caches, compact, wait for MemFree */
	uint64_t watchdog_memavail; /* watchdog_memavail = 256M: stop if the machine's MemAvailable falls below */
	double watchdog_psi_full;   /* watchdog_psi_full = 90: stop if memory full avg10 (%) exceeds; 0 = off */
	struct rb_profile_expect *expects;
	size_t n_expects;

	struct rb_setting *sysctls; /* [sysctl]: vm.* only */
	size_t n_sysctls;
	struct rb_setting *thp;     /* [thp]: enabled, defrag, shmem_enabled, use_zero_page */
	size_t n_thp;
	struct rb_swap_spec swap;   /* [swap]: swap.set false = leave the machine's swap alone */

	struct rb_workload_spec *workloads;
	size_t n_workloads;

	struct rb_variant_info *variants; /* every [variant:NAME] in the file */
	size_t n_variants;
};

/* Overrides applied on top of the file, in this order. */
struct rb_profile_overrides {
	const char *variant;     /* NULL or "base": none */
	const char *const *sets; /* "section.key=value": profile.duration=10s,
				    sysctl.vm.swappiness=10, thp.enabled=always, swap.type=zram,
				    hog.size=2G */
	size_t n_sets;
};

/* Load and resolve a profile file. Returns 0, or -EINVAL / -ENOENT / -ENOMEM
 * with err holding "FILE:LINE: message" (or "--set ARG: message"). */
int rb_profile_load(const char *path, const struct rb_profile_overrides *ov,
		    struct rb_profile **out, char *err, size_t errlen);

/* Free a profile; accepts NULL. */
void rb_profile_free(struct rb_profile *p);

/* Turn a profile argument into a path: an existing path (contains '/' or
 * ends in .ini) as is; otherwise NAME.ini in, in order, $RECLAIMBENCH_PROFILES,
 * ./profiles, <directory of the executable>/profiles,
 * <directory of the executable>/../share/reclaimbench/profiles (an installed
 * tree, wherever it was installed), RB_DATADIR/profiles.
 * Returns 0 or -ENOENT. */
int rb_profile_find(const char *name, char *path, size_t len);

/* The directory `list` shows: the first of the search directories above
 * that exists. Returns 0 or -ENOENT. */
int rb_profile_dir(char *path, size_t len);

/* Write the resolved profile as INI (every option, defaults included):
 * the "profile.ini as run" of a results directory. Returns 0 or -errno. */
int rb_profile_write_resolved(const struct rb_profile *p, FILE *f);

/* Find a workload spec by name; NULL if none. */
const struct rb_workload_spec *rb_profile_workload(const struct rb_profile *p, const char *name);

#endif
