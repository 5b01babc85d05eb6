/* cgroup.h - the run's memory cgroup (contained mode): cgroup v2 when the
 * memory controller is on cgroup2, else the v1 memory controller. Created
 * through the journal, removed at the end. */
#ifndef RB_CGROUP_H
#define RB_CGROUP_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "journal.h"

enum rb_cgroup_version { RB_CGROUP_NONE = 0, RB_CGROUP_V1 = 1, RB_CGROUP_V2 = 2 };

struct rb_cgroup {
	enum rb_cgroup_version version;
	char path[PATH_MAX]; /* the run's cgroup directory */
};

/* Where the memory controller is: fills root (e.g. /sys/fs/cgroup or
 * /sys/fs/cgroup/memory) and returns its version, or RB_CGROUP_NONE. */
enum rb_cgroup_version rb_cgroup_detect(char *root, size_t len);

/* Create <root>/reclaimbench/<name> with the limit (v2 memory.max and
 * memory.high when high != 0, swap.max untouched; v1 memory.limit_in_bytes).
 * Journaled before mkdir. Returns 0 or -errno with err filled. */
int rb_cgroup_create(struct rb_journal *j, const char *name, uint64_t limit, uint64_t high,
		     struct rb_cgroup *out, char *err, size_t errlen);

/* Move a process into the cgroup. Returns 0 or -errno. */
int rb_cgroup_attach(const struct rb_cgroup *cg, pid_t pid);

/* Kill whatever is left inside, wait for it, rmdir (and the parent
 * reclaimbench/ directory when empty). Returns 0 or -errno. */
int rb_cgroup_remove(const char *path);

/* Paths of the statistics files of this version ("" where absent):
 * stat: memory.stat; events: memory.events (v2) or NULL; pressure:
 * memory.pressure (v2); usage: memory.current / memory.usage_in_bytes;
 * failcnt: v1 memory.failcnt. */
struct rb_cgroup_files {
	char stat[PATH_MAX], events[PATH_MAX], pressure[PATH_MAX];
	char usage[PATH_MAX], failcnt[PATH_MAX];
};
void rb_cgroup_files(const struct rb_cgroup *cg, struct rb_cgroup_files *f);

#endif
