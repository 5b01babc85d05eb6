/* swapstat.h - compressed swap statistics: a zram device's
 * /sys/block/zramN/mm_stat, zswap's pool (from /proc/meminfo on kernels that
 * have Zswap/Zswapped, else from debugfs, never mounted for this), and the
 * compression ratio they give.
 *
 * mm_stat is one line of numbers identified by position (the kernel's
 * Documentation/admin-guide/blockdev/zram.rst), and older kernels print
 * fewer of them: 4.1-4.x seven (zero_pages/num_migrated in place of
 * same_pages/pages_compacted), later huge_pages, then huge_pages_since. A
 * field past the end of the line is absent, not zero. */
#ifndef RB_SWAPSTAT_H
#define RB_SWAPSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/* mm_stat fields in the order the kernel prints them. */
enum rb_zram_field {
	RB_ZRAM_ORIG_DATA,       /* uncompressed bytes stored */
	RB_ZRAM_COMPR_DATA,      /* compressed bytes stored */
	RB_ZRAM_MEM_USED,        /* bytes of memory used, allocator overhead included */
	RB_ZRAM_MEM_LIMIT,       /* bytes; 0: no limit */
	RB_ZRAM_MEM_USED_MAX,    /* bytes, the highest mem_used so far */
	RB_ZRAM_SAME_PAGES,      /* same-filled pages (no memory; zero_pages before 4.13) */
	RB_ZRAM_PAGES_COMPACTED, /* pages freed by compaction */
	RB_ZRAM_HUGE_PAGES,      /* incompressible pages stored */
	RB_ZRAM_HUGE_PAGES_SINCE, /* incompressible pages since set-up */
	RB_ZRAM_FIELDS
};

/* One reading of mm_stat: v[0 .. n) are present. */
struct rb_zram_stat {
	uint64_t v[RB_ZRAM_FIELDS];
	unsigned n;
};

/* Parse an mm_stat line (fields beyond the ones known are ignored).
 * Returns 0, or -EINVAL if it is not blank-separated unsigned decimals or
 * has fewer than the three sizes every kernel prints. */
int rb_zram_parse_mm_stat(const char *text, struct rb_zram_stat *out);

/* The zram device numbers under sys_block ("/sys/block": entries named
 * zram<N>), ascending, at most max of them. Returns how many (>= 0), or
 * -errno if the directory cannot be read. */
int rb_zram_devices(const char *sys_block, unsigned *ids, size_t max);

/* zswap's pool: its compressed size and the uncompressed data it holds. */
struct rb_zswap_stat {
	uint64_t pool_bytes;
	uint64_t stored_bytes;
};

/* From a parsed /proc/meminfo: Zswap (pool, kB) and Zswapped (stored, kB),
 * which kernels print since 5.19. Returns 0, or -ENOENT if either is
 * missing. */
int rb_zswap_from_meminfo(const struct rb_kvset *meminfo, struct rb_zswap_stat *out);

/* From zswap's debugfs directory (/sys/kernel/debug/zswap, only when
 * debugfs is mounted): pool_total_size (bytes) and stored_pages (pages of
 * page_size bytes). Returns 0 or -errno (-ENOENT without debugfs or zswap,
 * -EINVAL if a file does not hold one number). */
int rb_zswap_read_debugfs(const char *dir, uint64_t page_size, struct rb_zswap_stat *out);

/* Compression ratio: uncompressed / compressed bytes; NaN (absent) when
 * nothing compressed is stored. */
double rb_swap_compression_ratio(uint64_t uncompressed, uint64_t compressed);

/* The reading of a compressed store taken when its compressed size was the
 * largest of the run (a ratio over an almost empty store says little). */
struct rb_swap_peak {
	bool seen;
	uint64_t uncompressed, compressed;
};

/* Fold one reading in: it replaces the kept one if its compressed size is
 * larger (or none was kept). */
void rb_swap_peak_add(struct rb_swap_peak *peak, uint64_t uncompressed, uint64_t compressed);

#endif
