/* kswapd.h - CPU time of the kswapd kernel threads (one per NUMA node, named
 * "kswapd<node>"), read from /proc/<pid>/stat, for the sampler's kswapd CPU %
 * and the background-vs-direct reclaim pathologies.
 *
 * rb_kswapd_open() scans the process directory once and keeps each thread's
 * stat file open; rb_kswapd_cpu_ticks() then costs one pread per thread. */
#ifndef RB_KSWAPD_H
#define RB_KSWAPD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RB_KSWAPD_MAX 64

/* The kswapd threads found, sorted by node. */
struct rb_kswapd {
	size_t n;
	pid_t pid[RB_KSWAPD_MAX];
	int node[RB_KSWAPD_MAX];
	int fd[RB_KSWAPD_MAX];			/* <proc_root>/<pid>/stat, O_RDONLY */
	uint64_t ticks[RB_KSWAPD_MAX];		/* utime + stime at the last read */
};

/* Find the kswapd threads under `proc_root` (NULL: "/proc"): the numeric
 * entries whose stat line names a kernel thread (PF_KTHREAD in its flags)
 * called "kswapd" followed by a node number, and open their stat files.
 * Entries that vanish while scanning are skipped. Returns 0, -ENOENT if there
 * is no kswapd thread, -ENOSPC if there are more than RB_KSWAPD_MAX, or
 * -errno; on failure k->n is 0 and nothing is left open. */
int rb_kswapd_open(struct rb_kswapd *k, const char *proc_root);

/* Re-read every thread's stat file and set *ticks to the sum of their
 * utime + stime (clock ticks, see sysconf(_SC_CLK_TCK)); k->ticks[] gets each
 * thread's figure. Returns 0, -ENOENT if k has no thread, -EINVAL if a stat
 * line does not parse, or -errno (-ESRCH: a thread has gone, e.g. its node
 * was offlined). */
int rb_kswapd_cpu_ticks(struct rb_kswapd *k, uint64_t *ticks);

/* CPU use between two tick readings over `interval_ns`, in % of one CPU,
 * clamped to 0..100 * nthreads (a thread cannot use more than one CPU; tick
 * granularity can make a short interval look like more). nthreads 0 counts as
 * 1. Returns 0 if the counter went backwards, the interval is 0 or clk_tck is
 * not positive. */
double rb_kswapd_cpu_pct(uint64_t ticks_before, uint64_t ticks_now, uint64_t interval_ns,
			 long clk_tck, size_t nthreads);

/* Close the stat files and empty the set; accepts NULL and an empty set. */
void rb_kswapd_close(struct rb_kswapd *k);

/* utime and stime (fields 14 and 15, clock ticks) of a /proc/<pid>/stat line.
 * The comm field may hold blanks and parentheses, so fields are counted from
 * the last ')'. Returns 0 or -EINVAL. */
int rb_parse_stat_cpu(const char *stat_line, uint64_t *utime, uint64_t *stime);

/* If a /proc/<pid>/stat line is a kswapd kernel thread's (comm "kswapd<N>"
 * and PF_KTHREAD set in field 9), set *node to N and return 0; return -ENOENT
 * for any other task, -EINVAL if the line does not parse. */
int rb_kswapd_stat_node(const char *stat_line, int *node);

#endif
