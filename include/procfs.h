/* procfs.h - parsers for the kernel's memory statistics files: /proc/vmstat,
 * /proc/meminfo, /proc/pressure/{memory,io,cpu}, and the cgroup files of the
 * same shapes (memory.stat, memory.events, memory.pressure).
 *
 * Fields differ between kernels, so everything is parsed by name, never by
 * position, and a field the kernel lacks is absent (-ENOENT), not zero. */
#ifndef RB_PROCFS_H
#define RB_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RB_KV_NAME_MAX 64

struct rb_kv {
	char name[RB_KV_NAME_MAX];
	uint64_t value;
};

/* A growable list of name/value pairs in file order. */
struct rb_kvset {
	struct rb_kv *v;
	size_t n, cap;
};

/* One line of text: [start, start + len), without its '\n'. */
struct rb_line {
	const char *start;
	size_t len;
};

/* Take the next line off *text; false at the end. For the parsers here and
 * in zoneinfo.c. */
bool rb_next_line(const char **text, struct rb_line *l);

/* Empty the set, keeping its storage. */
void rb_kvset_clear(struct rb_kvset *s);

/* Free the storage; accepts a zeroed or NULL set. */
void rb_kvset_free(struct rb_kvset *s);

/* Look a name up. `hint`, if not NULL, is an index to try first and is
 * updated to where the name was found (speeds up repeated lookups on files
 * whose order does not change). Returns 0 or -ENOENT. */
int rb_kvset_get(const struct rb_kvset *s, const char *name, size_t *hint, uint64_t *out);

/* "name value" lines (/proc/vmstat, memory.stat, memory.events,
 * memory.numa_stat's first column is skipped: not supported). Lines that do
 * not parse are skipped. Returns 0 or -ENOMEM. */
int rb_parse_flat_kv(const char *text, struct rb_kvset *out);

/* /proc/meminfo and /sys/devices/system/node/nodeN/meminfo
 * ("Node 0 MemFree:  123 kB"): values in kB as written (HugePages_* are
 * counts). Names keep their case and parentheses ("Active(file)").
 * Returns 0 or -ENOMEM. */
int rb_parse_meminfo(const char *text, struct rb_kvset *out);

/* Parse a reading of a file whose fields are known, in one pass and
 * without building a set: `names` holds n names, each NUL-terminated, one
 * after the other, in the order the file had them (the kernel prints a
 * file's fields in a fixed order). If every line is of the usual shape
 * ("name value" with flat files, "Name:  value [kB]" with meminfo) and
 * carries the next name, values[i] gets the i-th name's value, as
 * rb_parse_flat_kv / rb_parse_meminfo would read it, and 0 is returned.
 * -ESTALE as soon as a line differs (a field came or went, or a line of an
 * unusual shape: parse the text by name then); values may be partly set. */
int rb_parse_known(const char *text, const char *names, size_t n, bool meminfo,
		   uint64_t *values);

/* One PSI file. `full` is absent on some files and kernels (cpu before 5.13). */
struct rb_psi {
	bool has_some, has_full;
	double some_avg10, some_avg60, some_avg300;
	double full_avg10, full_avg60, full_avg300;
	uint64_t some_total_us, full_total_us;
};

/* Parse a PSI file. Returns 0, or -EINVAL if it has no "some" line. */
int rb_parse_psi(const char *text, struct rb_psi *out);

/* Share of an interval spent stalled, in % clamped to 0..100, from two
 * `total=` readings (microseconds) and the interval length in ns. */
double rb_psi_pct(uint64_t total_before_us, uint64_t total_now_us, uint64_t interval_ns);

/* True if a /proc/vmstat field is a running event counter (report per-second
 * deltas) rather than a current level (report as is): nr_* and
 * workingset_nodes are levels, except the cumulative nr_dirtied, nr_written,
 * nr_throttled_written, nr_vmscan_write, nr_vmscan_immediate_reclaim and
 * nr_foll_pin_*. */
bool rb_vmstat_is_counter(const char *name);

/* Same for cgroup memory.stat (v1 and v2): event counters are pg*, the
 * workingset_refault/activate/restore/nodereclaim family, thp_*, zswpin/out,
 * and v1's pgpgin/pgpgout/pgfault/pgmajfault (with total_ prefix); everything
 * else is a level in bytes or pages. memory.events fields are all counters. */
bool rb_memcg_stat_is_counter(const char *name);

/* Read a whole small file (procfs/sysfs) into a NUL-terminated buffer:
 * lseek to 0, then read() to the end (a pread at a non-zero offset makes
 * seq_file regenerate the file). Returns bytes read or -errno; grows *buf
 * as needed. */
long rb_read_fd(int fd, char **buf, size_t *cap);

/* Open + rb_read_fd + close. Returns bytes read or -errno. */
long rb_read_path(const char *path, char **buf, size_t *cap);

/* Read a file holding one integer (e.g. /proc/sys/vm/min_free_kbytes).
 * Returns 0 or -errno / -EINVAL. */
int rb_read_u64(const char *path, uint64_t *out);

#endif
