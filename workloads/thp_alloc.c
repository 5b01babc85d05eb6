/* thp-alloc: the huge-page allocator whose faults show a compaction stall.
 *
 * Each round maps `size` of anonymous memory aligned to the huge-page size
 * (2 MiB on x86-64), madvise(MADV_HUGEPAGE)s it and faults it in one 2 MiB
 * region at a time: the first touch of a region is the transparent huge
 * page fault, which needs a free 2 MiB block. With free memory fragmented
 * (see thp-fragmenter) the kernel then compacts in the faulting task
 * (compact_stall: milliseconds to seconds, THP defrag = always or madvise
 * for madvised memory) or gives up and maps 4 KiB pages (thp_fault_fallback:
 * defrag = defer or never, or when compaction fails), whose remaining 511
 * touches are then each a 4 KiB fault. After the round it counts how many
 * regions got a huge page (the growth of AnonHugePages in
 * /proc/self/smaps_rollup: one read before and one after the round) and
 * unmaps everything, so the next round has to find its huge pages again.
 *
 * Pacing: `rate` regions per second within a round (0 = as fast as the
 * faults go); a new round starts no sooner than `interval` after the last
 * one started (0 = at once). Freed memory is not held between rounds.
 *
 * Histograms: "fault" (one whole region: first touch + the 511 others, as
 * an application filling a 2 MiB buffer sees it), "first" (the first touch
 * alone: the huge-page attempt, where a compaction stall lands).
 * Counters (running totals, updated after each round): thp_regions (regions
 * that got a huge page), regions (regions faulted). ops = regions faulted. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "procfs.h"
#include "thp_figures.h"
#include "workload.h"

#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage"
#define SMAPS_ROLLUP "/proc/self/smaps_rollup"

enum { CTR_THP_REGIONS = RB_CTR_FIRST_CUSTOM, CTR_REGIONS };
enum { HIST_FAULT, HIST_FIRST };

struct thp_alloc_config {
	uint64_t size;
	double rate;       /* regions per second, 0 = unpaced */
	uint64_t interval; /* minimum time between round starts, ns */
	bool advise;
};

struct thp_alloc {
	size_t region, page, n_regions;
	int smaps_fd;
	char *buf;
	size_t cap;
	struct rb_kvset kv;
	uint64_t huge, faulted; /* running totals behind the counters */
};

static const struct rb_option thp_alloc_options[] = {
	{ "size", RB_OPT_SIZE, offsetof(struct thp_alloc_config, size), 1 << 21, 1ull << 42,
	  "256M", "memory faulted in each round, in 2 MiB regions (of the profile's memory with %)",
	  NULL },
	{ "rate", RB_OPT_DOUBLE, offsetof(struct thp_alloc_config, rate), 0, 1e6,
	  "0", "regions faulted per second within a round, 0 = as fast as possible", NULL },
	{ "interval", RB_OPT_DURATION, offsetof(struct thp_alloc_config, interval), 0, 3.6e12,
	  "0", "minimum time from one round's start to the next, 0 = none", NULL },
	{ "madvise", RB_OPT_BOOL, offsetof(struct thp_alloc_config, advise), 0, 0,
	  "yes", "madvise(MADV_HUGEPAGE) the regions (needed with THP enabled = madvise)", NULL },
	RB_OPTION_END,
};

static const char *thp_alloc_supported(const void *config)
{
	(void)config;
	if (access(THP_SYSFS "/enabled", R_OK) != 0)
		return "the kernel has no transparent huge pages (" THP_SYSFS "/enabled)";
	if (access(SMAPS_ROLLUP, R_OK) != 0)
		return "no " SMAPS_ROLLUP " (kernel before 4.14)";
	return NULL;
}

/* The PMD huge-page size: 2 MiB on x86-64. */
static size_t huge_page_size(void)
{
	uint64_t v = 0;

	if (rb_read_u64(THP_SYSFS "/hpage_pmd_size", &v) != 0 || v < 4096 || (v & (v - 1)))
		return 2u << 20;
	return (size_t)v;
}

static int thp_alloc_setup(struct rb_worker *w)
{
	const struct thp_alloc_config *c = w->config;
	struct thp_alloc *a = calloc(1, sizeof(*a));

	if (!a)
		return RB_EXIT_NO_RESOURCE;
	w->priv = a;
	a->page = (size_t)sysconf(_SC_PAGESIZE);
	a->region = huge_page_size();
	a->n_regions = (c->size + a->region - 1) / a->region;
	a->smaps_fd = open(SMAPS_ROLLUP, O_RDONLY | O_CLOEXEC);
	if (a->smaps_fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", w->name, SMAPS_ROLLUP, strerror(errno));
		return RB_EXIT_FAIL;
	}
	return RB_EXIT_OK;
}

/* AnonHugePages of this process in kB; 0 if unreadable (counted as error). */
static uint64_t anon_huge_kb(struct rb_worker *w, struct thp_alloc *a)
{
	uint64_t kb = 0;

	if (rb_read_fd(a->smaps_fd, &a->buf, &a->cap) <= 0 ||
	    rb_parse_meminfo(a->buf, &a->kv) != 0 ||
	    rb_kvset_get(&a->kv, "AnonHugePages", NULL, &kb) != 0)
		rb_add(w, RB_CTR_ERRORS, 1);
	return kb;
}

/* Map n regions aligned to the region size; NULL on failure. */
static uint8_t *map_aligned(const struct thp_alloc_config *c, size_t region, size_t len)
{
	uint8_t *raw = mmap(NULL, len + region, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint8_t *mem;
	size_t head;

	if (raw == MAP_FAILED)
		return NULL;
	mem = (uint8_t *)(((uintptr_t)raw + region - 1) & ~(uintptr_t)(region - 1));
	head = (size_t)(mem - raw);
	if (head)
		(void)munmap(raw, head);
	(void)munmap(mem + len, region - head);
	if (c->advise)
		(void)madvise(mem, len, MADV_HUGEPAGE);
	return mem;
}

/* Fault one region in: time the first touch and the whole region. */
static void fault_region(struct rb_worker *w, struct thp_alloc *a, uint8_t *r)
{
	volatile uint8_t *p = r;
	uint64_t t0 = rb_now_ns(), t1;

	p[0] = 1;
	t1 = rb_now_ns();
	for (size_t off = a->page; off < a->region; off += a->page)
		p[off] = 1;
	rb_hist_record(rb_hist(w, HIST_FIRST), t1 - t0);
	rb_hist_record(rb_hist(w, HIST_FAULT), rb_now_ns() - t0);
	rb_add(w, RB_CTR_BYTES, a->region);
	rb_inc(w);
}

/* Publish a round's results into the running counters. */
static void count_round(struct rb_worker *w, struct thp_alloc *a, uint64_t huge, uint64_t n)
{
	a->huge += huge;
	a->faulted += n;
	__atomic_store_n(&w->shm->counters[CTR_THP_REGIONS], a->huge, __ATOMIC_RELAXED);
	__atomic_store_n(&w->shm->counters[CTR_REGIONS], a->faulted, __ATOMIC_RELAXED);
}

/* One round: map, fault region by region (paced), count, unmap. False when
 * told to stop. */
static bool one_round(struct rb_worker *w, struct thp_alloc *a, uint64_t start)
{
	const struct thp_alloc_config *c = w->config;
	size_t len = a->n_regions * a->region, n = 0;
	uint64_t before = anon_huge_kb(w, a);
	uint8_t *mem = map_aligned(c, a->region, len);
	bool go = true;

	if (!mem) {
		rb_add(w, RB_CTR_ERRORS, 1);
		return rb_sleep_until(w, rb_now_ns() + 10000000ull);
	}
	for (; n < a->n_regions && go; n++) {
		fault_region(w, a, mem + n * a->region);
		if (c->rate > 0)
			go = rb_sleep_until(w, start + (uint64_t)((double)(n + 1) * 1e9 / c->rate));
		else
			go = rb_continue(w);
	}
	count_round(w, a, rb_thp_huge_regions(before, anon_huge_kb(w, a), a->region / 1024, n), n);
	(void)munmap(mem, len);
	return go;
}

static int thp_alloc_run(struct rb_worker *w)
{
	const struct thp_alloc_config *c = w->config;
	struct thp_alloc *a = w->priv;
	uint64_t start = rb_now_ns();

	while (one_round(w, a, start)) {
		uint64_t next = start + c->interval, now = rb_now_ns();
		start = next > now ? next : now;
		if (next > now && !rb_sleep_until(w, next))
			break;
	}
	return RB_EXIT_OK;
}

static void thp_alloc_teardown(struct rb_worker *w)
{
	struct thp_alloc *a = w->priv;

	if (!a)
		return;
	if (a->smaps_fd >= 0)
		(void)close(a->smaps_fd);
	rb_kvset_free(&a->kv);
	free(a->buf);
	free(a);
	w->priv = NULL;
}

static const char *const thp_alloc_hists[] = { "fault", "first", NULL };
static const char *const thp_alloc_counters[] = { "thp_regions", "regions", NULL };

const struct rb_workload_ops rb_wl_thp_alloc = {
	.abi = RB_WORKLOAD_ABI,
	.name = "thp-alloc",
	.help = "faults in MADV_HUGEPAGE memory 2 MiB at a time, counts huge pages, frees, repeats",
	.reproduces = "THP fault stalls in direct compaction, or fallback to 4K pages",
	.options = thp_alloc_options,
	.config_size = sizeof(struct thp_alloc_config),
	.hist_names = thp_alloc_hists,
	.counter_names = thp_alloc_counters,
	.supported = thp_alloc_supported,
	.setup = thp_alloc_setup,
	.run = thp_alloc_run,
	.teardown = thp_alloc_teardown,
};
