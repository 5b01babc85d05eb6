/* shrink.c - shrink the machine for global-mode runs: take memory away until
 * MemAvailable is about the profile's `memory`.
 *
 * Memory blocks are offlined first, whole blocks, highest-numbered first:
 * the kernel then sees a smaller machine with realistic watermarks. It
 * recomputes min_free_kbytes on hotplug and dissolves free hugetlb pages in
 * an offlined block, so vm.min_free_kbytes, vm.watermark_scale_factor and
 * vm.nr_hugepages are journaled before the first block goes; replayed newest
 * first they are written back after every block is online again. What is
 * still missing (less than a block, or everything where hotplug does not
 * work) is taken by reserving hugetlb pages.
 *
 * Each block is tried once. A block holding unmovable kernel pages refuses
 * (EBUSY) within a fraction of a millisecond, and on a machine that has been
 * up a while most high blocks do, with the offlinable ones far below: so the
 * scan is bounded by time, not by a count of failures - it stops after
 * STALL_NS without a block going offline, or after BUDGET_NS in all.
 *
 * $RECLAIMBENCH_PROC (default /proc) moves meminfo and $RECLAIMBENCH_SYSFS
 * (default /sys) the memory blocks, so tests can use fake trees; sysctls
 * follow $RECLAIMBENCH_PROC_SYS through rb_sysctl_path(). */
#include "knobs.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define STALL_NS       5000000000ull     /* give up after this long without progress */
#define BUDGET_NS      60000000000ull    /* time allowed for offlining */
#define HUGE_PAGE_MIN  (2ull << 20)      /* less than this cannot be taken at all */

/* Saved before anything changes (see the top of the file). */
static const char *const saved_sysctls[] = {
	"vm.min_free_kbytes", "vm.watermark_scale_factor", "vm.nr_hugepages",
};

static const char *env_root(const char *name, const char *fallback)
{
	const char *root = getenv(name);

	return root && *root ? root : fallback;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A meminfo field ("MemAvailable", "Hugepagesize") in bytes. Returns 0 or -errno. */
static int meminfo_bytes(const char *field, uint64_t *out)
{
	char path[PATH_MAX], line[256], name[64];
	unsigned long long kb;
	int ret = -ENOENT;
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/meminfo", env_root("RECLAIMBENCH_PROC", "/proc"));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %llu", name, &kb) == 2 && !strcmp(name, field)) {
			*out = (uint64_t)kb * 1024;
			ret = 0;
		}
	}
	(void)fclose(f);
	return ret;
}

/* A knob holding one number in the given base. Returns 0 or -errno. */
static int read_number(const char *path, int base, uint64_t *out)
{
	char buf[64], *end;
	int ret = rb_knob_read(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*out = strtoull(buf, &end, base);
	return errno || end == buf || *end ? -EINVAL : 0;
}

/* Journal the current values of saved_sysctls (those this kernel has). */
static int journal_sysctls(struct rb_journal *j, char *err, size_t errlen)
{
	char path[PATH_MAX], old[256];
	int ret = 0;

	for (size_t i = 0; !ret && i < sizeof(saved_sysctls) / sizeof(saved_sysctls[0]); i++) {
		ret = rb_sysctl_path(saved_sysctls[i], path, sizeof(path));
		if (ret == -ENOENT) {
			ret = 0;
			continue;
		}
		if (!ret)
			ret = rb_knob_read(path, old, sizeof(old));
		if (!ret)
			ret = rb_journal_write(j, path, old);
		if (ret)
			(void)snprintf(err, errlen, "cannot journal %s: %s", saved_sysctls[i],
				       strerror(-ret));
	}
	return ret;
}

static int cmp_desc(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Numbers of the memoryN blocks in dir, highest first, in a malloc'd
 * array. Returns how many (0 where there is no hotplug) or -errno. */
static long list_blocks(const char *dir, unsigned **out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned *v = NULL, *grown, nr;
	size_t n = 0, cap = 0;
	long ret = 0;
	char tail;

	*out = NULL;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!ret && (e = readdir(d))) {
		if (sscanf(e->d_name, "memory%u%c", &nr, &tail) != 1)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				ret = -ENOMEM;
				continue;
			}
			v = grown;
		}
		v[n++] = nr;
	}
	(void)closedir(d);
	if (ret) {
		free(v);
		return ret;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_desc);
	*out = v;
	return (long)n;
}

/* Offline block nr if it is online and removable (journaled by
 * rb_knob_write as "online"). Returns 0 offlined, 1 skipped, or -errno. */
static int offline_block(struct rb_journal *j, const char *dir, unsigned nr,
			 char *err, size_t errlen)
{
	char path[PATH_MAX], value[32];

	if (snprintf(path, sizeof(path), "%s/memory%u/removable", dir, nr) >= (int)sizeof(path))
		return 1;
	if (!rb_knob_read(path, value, sizeof(value)) && !strcmp(value, "0"))
		return 1;
	memcpy(strrchr(path, '/') + 1, "state", sizeof("state"));
	if (rb_knob_read(path, value, sizeof(value)) || strcmp(value, "online"))
		return 1;
	return rb_knob_write(j, path, "offline", err, errlen);
}

/* Offlining migrates the block's pages and the kernel retries that until it
 * succeeds or a signal is pending, which can be forever for a block with a
 * pinned page. A one-shot SIGALRM (handler without SA_RESTART) bounds each
 * attempt: the write fails with EINTR and the next block is tried. */
/* Longest a single block may take to go offline. */
#define OFFLINE_TIMEOUT_S 2

static void on_alarm(int sig)
{
	(void)sig;
}

static int offline_block_bounded(struct rb_journal *j, const char *dir, unsigned nr,
				 char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval t = { .it_value = { .tv_sec = OFFLINE_TIMEOUT_S } }, off = { 0 };
	int ret;

	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGALRM, &sa, &old);
	(void)setitimer(ITIMER_REAL, &t, NULL);
	ret = offline_block(j, dir, nr, err, errlen);
	(void)setitimer(ITIMER_REAL, &off, NULL);
	(void)sigaction(SIGALRM, &old, NULL);
	return ret;
}

/* Errors of a block that cannot go offline now; others stop the shrink. */
static bool block_refused(int ret)
{
	return ret == -EBUSY || ret == -EAGAIN || ret == -EINVAL || ret == -ENOMEM ||
	       ret == -EINTR;
}

/* Offline whole blocks while at least one more block is needed. */
static int offline_blocks(struct rb_journal *j, uint64_t need, struct rb_shrink_result *res,
			  char *err, size_t errlen)
{
	char dir[PATH_MAX], path[PATH_MAX];
	uint64_t block, start = now_ns(), progress = start;
	unsigned *nrs;
	int ret = 0;
	long n;

	if (snprintf(dir, sizeof(dir), "%s/devices/system/memory",
		     env_root("RECLAIMBENCH_SYSFS", "/sys")) >= (int)sizeof(dir) ||
	    snprintf(path, sizeof(path), "%s/block_size_bytes", dir) >= (int)sizeof(path))
		return 0; /* treated as no hotplug */
	if (read_number(path, 16, &block) || !block || need < block)
		return 0; /* no hotplug here, or less than a block: hugetlb only */
	n = list_blocks(dir, &nrs);
	for (long i = 0; i < n && need - res->bytes_offlined >= block; i++) {
		uint64_t now = now_ns();

		if (now - progress > STALL_NS || now - start > BUDGET_NS)
			break;
		ret = offline_block_bounded(j, dir, nrs[i], err, errlen);
		if (!ret) {
			res->blocks_offlined++;
			res->bytes_offlined += block;
			progress = now_ns();
		} else if (ret < 0 && !block_refused(ret)) {
			break;
		}
		ret = 0;
	}
	free(nrs);
	return ret;
}

/* Reserve hugetlb pages for bytes; res->hugetlb_pages is what the kernel
 * actually reserved. */
static int reserve_hugetlb(struct rb_journal *j, uint64_t bytes, struct rb_shrink_result *res,
			   char *err, size_t errlen)
{
	char path[PATH_MAX], value[32];
	uint64_t page, before, now;
	int ret;

	if (meminfo_bytes("Hugepagesize", &page) || !page)
		page = HUGE_PAGE_MIN;
	if (bytes < page)
		return 0;
	ret = rb_sysctl_path("vm.nr_hugepages", path, sizeof(path));
	if (!ret)
		ret = read_number(path, 10, &before);
	if (ret) {
		(void)snprintf(err, errlen, "cannot read vm.nr_hugepages: %s", strerror(-ret));
		return ret;
	}
	(void)snprintf(value, sizeof(value), "%" PRIu64, before + bytes / page);
	ret = rb_knob_write(j, path, value, err, errlen);
	if (!ret && !read_number(path, 10, &now) && now > before)
		res->hugetlb_pages += now - before;
	return ret;
}

static const char *method_name(const struct rb_shrink_result *res)
{
	if (res->blocks_offlined && res->hugetlb_pages)
		return "offline+hugetlb";
	if (res->blocks_offlined)
		return "offline";
	return res->hugetlb_pages ? "hugetlb" : "none";
}

/* How far above the target MemAvailable may stay after shrinking. */
#define SHRINK_SLACK (64ull << 20)

int rb_shrink_machine(struct rb_journal *j, uint64_t target, struct rb_shrink_result *out,
		      char *err, size_t errlen)
{
	uint64_t need;
	int ret;

	memset(out, 0, sizeof(*out));
	out->method = "none";
	ret = meminfo_bytes("MemAvailable", &out->mem_available_before);
	if (ret) {
		(void)snprintf(err, errlen, "cannot read MemAvailable: %s", strerror(-ret));
		return ret;
	}
	out->mem_available_after = out->mem_available_before;
	if (out->mem_available_before <= target)
		return 0;
	need = out->mem_available_before - target;
	ret = journal_sysctls(j, err, errlen);
	if (!ret)
		ret = offline_blocks(j, need, out, err, errlen);
	if (!ret)
		ret = reserve_hugetlb(j, need - out->bytes_offlined, out, err, errlen);
	(void)meminfo_bytes("MemAvailable", &out->mem_available_after);
	/* MemAvailable moves by less than what was taken (the kernel shrinks
	 * its reserves with the machine): reserve the rest, twice at most, as
	 * long as the last step visibly moved it. */
	uint64_t prev = out->mem_available_before;
	for (int round = 0; !ret && round < 2 && out->mem_available_after > target + SHRINK_SLACK &&
			    out->mem_available_after < prev; round++) {
		prev = out->mem_available_after;
		ret = reserve_hugetlb(j, out->mem_available_after - target, out, err, errlen);
		(void)meminfo_bytes("MemAvailable", &out->mem_available_after);
	}
	out->method = method_name(out);
	if (!ret && need >= HUGE_PAGE_MIN && !out->blocks_offlined && !out->hugetlb_pages) {
		(void)snprintf(err, errlen, "could not take memory away: no block went "
			       "offline and no hugetlb page was reserved");
		ret = -ENOMEM;
	}
	return ret;
}
