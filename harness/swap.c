/* swap.c - setting up a profile's [swap] through the journal (see swap.h).
 *
 * Every step is journaled before it is taken, in the order that makes the
 * newest-first replay correct:
 *   file: unlink record, create + fallocate + header, swapoff record, swapon
 *   zram: hot_add, zram record (reset + hot_remove), compressor, disksize,
 *         header, swapoff record, swapon
 *   none: for each active area: swapon record (with its priority), swapoff
 * and zswap's parameters are knob writes (old value journaled).
 * The one gap: a crash between hot_add and its journal record leaves an
 * empty zram device behind (harmless, and visible in /sys/block). */
#include "swap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/swap.h>
#include <unistd.h>

#include "knobs.h"

#define SWAP_FILE_NAME "swapfile"
#define SWAP_MAGIC "SWAPSPACE2"
#define SWAP_MIN_PAGES 10
#define ZRAM_CONTROL "/sys/class/zram-control"
#define ZRAM_PRIORITY 100 /* above any disk swap the machine may have */

const char *rb_zswap_params_dir(void)
{
	const char *dir = getenv("RECLAIMBENCH_ZSWAP_PARAMS");

	return dir && *dir ? dir : "/sys/module/zswap/parameters";
}

static const char *zram_control(void)
{
	const char *dir = getenv("RECLAIMBENCH_ZRAM_CONTROL");

	return dir && *dir ? dir : ZRAM_CONTROL;
}

static void swap_file_path(char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s/%s", rb_state_dir(), SWAP_FILE_NAME);
}

int rb_swap_write_header(int fd, uint64_t size, size_t page)
{
	uint32_t info[3]; /* version, last_page, nr_badpages: at byte 1024 */
	char *buf;
	int ret = 0;

	if (page < 4096 || size / page < SWAP_MIN_PAGES || size / page - 1 > UINT32_MAX)
		return -EINVAL;
	buf = calloc(1, page);
	if (!buf)
		return -ENOMEM;
	info[0] = 1;
	info[1] = (uint32_t)(size / page - 1);
	info[2] = 0;
	memcpy(buf + 1024, info, sizeof(info));
	memcpy(buf + page - strlen(SWAP_MAGIC), SWAP_MAGIC, strlen(SWAP_MAGIC));
	if (pwrite(fd, buf, page, 0) != (ssize_t)page)
		ret = errno ? -errno : -EIO;
	else if (fsync(fd) != 0)
		ret = -errno;
	free(buf);
	return ret;
}

/* ---- checks before anything changes ---- */

/* Free bytes on the file system of dir (or of its parent, before the state
 * directory exists). */
static int free_bytes(const char *dir, uint64_t *out)
{
	char parent[PATH_MAX], *slash;
	struct statvfs st;

	(void)snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	if (statvfs(dir, &st) != 0 && statvfs(parent, &st) != 0)
		return -errno;
	*out = (uint64_t)st.f_bavail * st.f_frsize;
	return 0;
}

static int check_file(const struct rb_swap_spec *s, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct stat sb;
	uint64_t room = 0;
	int ret;

	swap_file_path(path, sizeof(path));
	if (lstat(path, &sb) == 0)
		return snprintf(err, errlen, "%s exists (left by another program? remove it "
				"if it is not in use)", path), -EEXIST;
	ret = free_bytes(rb_state_dir(), &room);
	if (ret)
		return snprintf(err, errlen, "%s: %s", rb_state_dir(), strerror(-ret)), ret;
	if (room < s->size + (256ull << 20)) /* and leave some room for the results */
		return snprintf(err, errlen, "no room for a %llu-byte swap file in %s",
				(unsigned long long)s->size, rb_state_dir()), -ENOSPC;
	return 0;
}

static int check_dir(const char *dir, const char *what, char *err, size_t errlen)
{
	if (access(dir, F_OK) == 0)
		return 0;
	(void)snprintf(err, errlen, "%s: no %s on this kernel (%s)", what, dir, strerror(errno));
	return -ENOENT;
}

int rb_swap_check(const struct rb_swap_spec *s, char *err, size_t errlen)
{
	int ret = 0;

	if (!s->set)
		return 0;
	if (s->type == RB_SWAP_FILE)
		ret = check_file(s, err, errlen);
	else if (s->type == RB_SWAP_ZRAM)
		ret = check_dir(zram_control(), "zram (modprobe zram)", err, errlen);
	if (ret == 0 && s->zswap != RB_ZSWAP_KEEP)
		ret = check_dir(rb_zswap_params_dir(), "zswap", err, errlen);
	return ret;
}

/* ---- swap areas ---- */

/* swapon(2) with a priority, or the kernel's own (negative) one. */
static int swap_on(const char *path, int priority)
{
	int flags = 0;

	if (priority >= 0)
		flags = SWAP_FLAG_PREFER | (priority & SWAP_FLAG_PRIO_MASK);
	return swapon(path, flags) ? -errno : 0;
}

/* Journal the swapoff, then turn path on. */
static int enable(struct rb_journal *j, const char *path, int priority, char *err,
		  size_t errlen)
{
	int ret = rb_journal_swapoff(j, path);

	if (ret)
		return snprintf(err, errlen, "cannot journal swapoff %s: %s", path,
				strerror(-ret)), ret;
	ret = swap_on(path, priority);
	if (ret)
		(void)snprintf(err, errlen, "swapon %s: %s", path, strerror(-ret));
	return ret;
}

/* Create the swap file: journal its removal first, then write it. */
static int create_file(struct rb_journal *j, const char *path, uint64_t size, char *err,
		       size_t errlen)
{
	int ret = rb_journal_unlink(j, path), fd;

	if (ret)
		return snprintf(err, errlen, "cannot journal %s: %s", path, strerror(-ret)), ret;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno)),
		       -errno;
	ret = posix_fallocate(fd, 0, (off_t)size);
	ret = ret ? -ret : rb_swap_write_header(fd, size, (size_t)sysconf(_SC_PAGESIZE));
	if (ret)
		(void)snprintf(err, errlen, "cannot write the swap file %s: %s", path,
			       strerror(-ret));
	(void)close(fd);
	return ret;
}

static int setup_file(struct rb_journal *j, const struct rb_swap_spec *s,
		      struct rb_swap_result *out, char *err, size_t errlen)
{
	int ret;

	swap_file_path(out->device, sizeof(out->device));
	ret = create_file(j, out->device, s->size, err, errlen);
	return ret ? ret : enable(j, out->device, -1, err, errlen);
}

/* ---- zram ---- */

/* A new zram device: its number from zram-control/hot_add. */
static int zram_add(struct rb_journal *j, char *dev, size_t len, char *err, size_t errlen)
{
	char path[PATH_MAX], num[32];
	int ret;

	(void)snprintf(path, sizeof(path), "%s/hot_add", zram_control());
	ret = rb_knob_read(path, num, sizeof(num));
	if (ret)
		return snprintf(err, errlen, "zram hot_add: %s", strerror(-ret)), ret;
	(void)snprintf(dev, len, "/dev/zram%s", num);
	ret = rb_journal_zram(j, dev);
	if (ret)
		(void)snprintf(err, errlen, "cannot journal %s: %s", dev, strerror(-ret));
	return ret;
}

/* Write one attribute of /sys/block/zramN. */
static int zram_attr(const char *dev, const char *attr, const char *value, char *err,
		     size_t errlen)
{
	char path[PATH_MAX], avail[256] = "";
	int ret;

	(void)snprintf(path, sizeof(path), "/sys/block/%s/%s", dev + strlen("/dev/"), attr);
	ret = rb_knob_set(path, value);
	if (ret == 0)
		return 0;
	if (strcmp(attr, "comp_algorithm") == 0) { /* "[lzo-rle] lzo lz4": the whole list */
		FILE *f = fopen(path, "re");
		if (f && fgets(avail, sizeof(avail), f))
			avail[strcspn(avail, "\n")] = '\0';
		if (f)
			(void)fclose(f);
	}
	(void)snprintf(err, errlen, "zram: cannot write %s to %s: %s%s%s%s", value, path,
		       strerror(-ret), avail[0] ? " (available: " : "", avail,
		       avail[0] ? ")" : "");
	return ret;
}

/* The device node appears through devtmpfs; give it a moment. */
static int open_device(const char *dev)
{
	for (int i = 0; i < 100; i++) {
		int fd = open(dev, O_WRONLY | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT)
			return fd >= 0 ? fd : -errno;
		(void)usleep(10000);
	}
	return -ENOENT;
}

static int zram_format(const char *dev, uint64_t size, char *err, size_t errlen)
{
	int fd = open_device(dev), ret;

	if (fd < 0)
		return snprintf(err, errlen, "cannot open %s: %s", dev, strerror(-fd)), fd;
	ret = rb_swap_write_header(fd, size, (size_t)sysconf(_SC_PAGESIZE));
	if (ret)
		(void)snprintf(err, errlen, "cannot write the swap header to %s: %s", dev,
			       strerror(-ret));
	(void)close(fd);
	return ret;
}

static int setup_zram(struct rb_journal *j, const struct rb_swap_spec *s,
		      struct rb_swap_result *out, char *err, size_t errlen)
{
	char size[32];
	int ret = zram_add(j, out->device, sizeof(out->device), err, errlen);

	(void)snprintf(size, sizeof(size), "%llu", (unsigned long long)s->size);
	if (ret == 0 && s->zram_compressor[0])
		ret = zram_attr(out->device, "comp_algorithm", s->zram_compressor, err, errlen);
	if (ret == 0)
		ret = zram_attr(out->device, "disksize", size, err, errlen);
	if (ret == 0)
		ret = zram_format(out->device, s->size, err, errlen);
	return ret ? ret : enable(j, out->device, ZRAM_PRIORITY, err, errlen);
}

/* ---- no swap: turn off what the machine has ---- */

int rb_swaps_parse_line(char *line, char *path, size_t len, int *priority)
{
	char *name = strtok(line, " \t"), *prio = NULL;
	size_t o = 0;

	for (int i = 0; i < 4 && name; i++)
		prio = strtok(NULL, " \t\n");
	if (!name || !prio)
		return -EINVAL;
	for (const char *c = name; *c && o + 1 < len; c++) {
		if (c[0] == '\\' && strspn(c + 1, "01234567") >= 3) {
			path[o++] = (char)((c[1] - '0') * 64 + (c[2] - '0') * 8 + (c[3] - '0'));
			c += 3;
		} else {
			path[o++] = *c;
		}
	}
	path[o] = '\0';
	*priority = atoi(prio);
	return 0;
}

static int swap_off_one(struct rb_journal *j, const char *path, int priority, char *err,
			size_t errlen)
{
	char prio[16];
	int ret;

	(void)snprintf(prio, sizeof(prio), "%d", priority);
	ret = rb_journal_swapon(j, path, prio);
	if (ret)
		return snprintf(err, errlen, "cannot journal swapon %s: %s", path,
				strerror(-ret)), ret;
	if (swapoff(path) == 0)
		return 0;
	ret = -errno;
	(void)snprintf(err, errlen, "swapoff %s: %s", path, strerror(errno));
	return ret;
}

static int setup_none(struct rb_journal *j, struct rb_swap_result *out, char *err,
		      size_t errlen)
{
	FILE *f = fopen("/proc/swaps", "re");
	char line[PATH_MAX + 128], path[PATH_MAX];
	int ret = 0, priority;

	if (!f)
		return snprintf(err, errlen, "/proc/swaps: %s", strerror(errno)), -errno;
	if (!fgets(line, sizeof(line), f)) /* the header */
		line[0] = '\0';
	while (ret == 0 && fgets(line, sizeof(line), f)) {
		if (rb_swaps_parse_line(line, path, sizeof(path), &priority))
			continue;
		ret = swap_off_one(j, path, priority, err, errlen);
		out->swapped_off += ret == 0;
	}
	(void)fclose(f);
	return ret;
}

/* ---- zswap ---- */

static int zswap_param(struct rb_journal *j, const char *name, const char *value, char *err,
		       size_t errlen)
{
	char path[PATH_MAX];

	(void)snprintf(path, sizeof(path), "%s/%s", rb_zswap_params_dir(), name);
	return rb_knob_write(j, path, value, err, errlen);
}

/* The compression algorithms the kernel's crypto API has loaded. */
static void crypto_compressors(char *buf, size_t len)
{
	FILE *f = fopen("/proc/crypto", "re");
	char line[256], name[128] = "";
	size_t used = 0;

	buf[0] = '\0';
	while (f && fgets(line, sizeof(line), f) && used + 1 < len) {
		if (sscanf(line, "name : %127s", name) == 1)
			continue;
		if (strncmp(line, "type", 4) || !strstr(line, "comp") || strstr(buf, name))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
	}
	if (f)
		(void)fclose(f);
}

/* zswap falls back to its default compressor, quietly, when the one asked
 * for is not there: check what it took. */
static int zswap_took(const char *want, char *err, size_t errlen)
{
	char path[PATH_MAX], got[128] = "", have[256];

	(void)snprintf(path, sizeof(path), "%s/compressor", rb_zswap_params_dir());
	if (rb_knob_read(path, got, sizeof(got)) == 0 && strcmp(got, want) == 0)
		return 0;
	crypto_compressors(have, sizeof(have));
	(void)snprintf(err, errlen, "zswap: compressor %s not available (the kernel took %s; "
		       "loaded: %s)", want, got[0] ? got : "none", have[0] ? have : "none");
	return -ENOENT;
}

static int setup_zswap(struct rb_journal *j, const struct rb_swap_spec *s, char *err,
		       size_t errlen)
{
	char pool[16];
	int ret = 0;

	(void)snprintf(pool, sizeof(pool), "%lld", (long long)s->zswap_max_pool_percent);
	if (s->zswap_compressor[0])
		ret = zswap_param(j, "compressor", s->zswap_compressor, err, errlen);
	if (ret == 0 && s->zswap_max_pool_percent > 0)
		ret = zswap_param(j, "max_pool_percent", pool, err, errlen);
	if (ret == 0 && s->zswap != RB_ZSWAP_KEEP)
		ret = zswap_param(j, "enabled", s->zswap == RB_ZSWAP_ON ? "Y" : "N", err, errlen);
	if (ret == 0 && s->zswap_compressor[0])
		ret = zswap_took(s->zswap_compressor, err, errlen);
	return ret;
}

int rb_swap_setup(struct rb_journal *j, const struct rb_swap_spec *s,
		  struct rb_swap_result *out, char *err, size_t errlen)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (s->type == RB_SWAP_FILE)
		ret = setup_file(j, s, out, err, errlen);
	else if (s->type == RB_SWAP_ZRAM)
		ret = setup_zram(j, s, out, err, errlen);
	else
		ret = setup_none(j, out, err, errlen);
	return ret ? ret : setup_zswap(j, s, err, errlen);
}

/* ---- undo ---- */

int rb_swap_undo_swapoff(const char *path)
{
	if (swapoff(path) == 0)
		return 0;
	return errno == EINVAL || errno == ENOENT ? 0 : -errno;
}

int rb_swap_undo_swapon(const char *path, const char *priority)
{
	int ret = swap_on(path, atoi(priority));

	return ret == -EBUSY ? 0 : ret;
}

int rb_zram_remove(const char *dev)
{
	const char *name = strncmp(dev, "/dev/zram", 9) ? NULL : dev + 9;
	char path[PATH_MAX];
	int ret;

	if (!name || !*name || strspn(name, "0123456789") != strlen(name))
		return -EINVAL;
	(void)snprintf(path, sizeof(path), "/sys/block/zram%s/reset", name);
	ret = rb_knob_set(path, "1");
	if (ret == -ENOENT)
		return 0;
	(void)snprintf(path, sizeof(path), "%s/hot_remove", zram_control());
	return ret ? ret : rb_knob_set(path, name);
}
