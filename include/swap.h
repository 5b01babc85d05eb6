/* swap.h - the swap a profile runs with: a profile's [swap] section (a swap
 * file, a zram device or no swap at all; zswap on or off in front of it) and
 * setting it up through the journal so that the end of the run, a crash or
 * `reclaimbench restore` takes it all away again: swapoff, the swap file
 * removed, the zram device reset and hot-removed, the zswap parameters and
 * any swap the machine had before back as they were. */
#ifndef RB_SWAP_H
#define RB_SWAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journal.h"
#include "options.h"

enum rb_swap_type { RB_SWAP_NONE, RB_SWAP_FILE, RB_SWAP_ZRAM };
enum rb_zswap_mode { RB_ZSWAP_KEEP, RB_ZSWAP_OFF, RB_ZSWAP_ON };

/* A profile's [swap] section, typed. */
struct rb_swap_spec {
	bool set;                             /* the profile has a [swap] section */
	int type;                             /* enum rb_swap_type */
	uint64_t size;                        /* swap file size / zram disksize, bytes */
	char zram_compressor[RB_OPT_STRLEN];  /* "" = the kernel's default */
	int zswap;                            /* enum rb_zswap_mode */
	char zswap_compressor[RB_OPT_STRLEN]; /* "" = leave it */
	int64_t zswap_max_pool_percent;       /* 0 = leave it */
	char where[4096 + 32];                /* "profiles/x.ini:12" of [swap] */
};

/* What rb_swap_setup() did, for meta.json. */
struct rb_swap_result {
	char device[4096];     /* the swap file or /dev/zramN; "" for none */
	unsigned swapped_off;  /* swap areas of the machine turned off (type none) */
};

/* The sysfs directory of zswap's parameters ($RECLAIMBENCH_ZSWAP_PARAMS
 * overrides it for tests). */
const char *rb_zswap_params_dir(void);

/* Before anything changes: is what the spec needs there (zram-control for
 * zram, zswap's parameters for zswap, room for the swap file in the state
 * directory, no swap file left over)? Returns 0 or -errno with err filled. */
int rb_swap_check(const struct rb_swap_spec *s, char *err, size_t errlen);

/* Set up s (s->set must be true) through the journal j. Returns 0 or -errno
 * with err filled; whatever was done before a failure is journaled. */
int rb_swap_setup(struct rb_journal *j, const struct rb_swap_spec *s,
		  struct rb_swap_result *out, char *err, size_t errlen);

/* Write a version-1 swap header ("SWAPSPACE2") for an area of `size` bytes
 * with pages of `page` bytes at the start of fd, as mkswap(8) would (no
 * label, no UUID). Returns 0, -EINVAL if size holds fewer than 10 pages, or
 * -errno. */
int rb_swap_write_header(int fd, uint64_t size, size_t page);

/* One line of /proc/swaps ("Filename Type Size Used Priority"; the name
 * with octal escapes such as \040 for a space): the path unescaped and the
 * priority. Tokenizes line in place. Returns 0 or -EINVAL. */
int rb_swaps_parse_line(char *line, char *path, size_t len, int *priority);

/* Journal undo steps (called by the journal's replay): turn a swap area off
 * (one that is not on counts as done), turn one back on with its old
 * priority ("-2".."32767"; an area already on counts as done), and reset and
 * hot-remove a zram device ("/dev/zram3"; one that is gone counts as done). */
int rb_swap_undo_swapoff(const char *path);
int rb_swap_undo_swapon(const char *path, const char *priority);
int rb_zram_remove(const char *dev);

#endif
