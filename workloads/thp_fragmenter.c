/* thp-fragmenter: leaves free memory in pieces too small for a huge page.
 *
 * Faults in `size` of memory as 4 KiB pages, then frees `free_ratio` of
 * them spread evenly (every other page at 0.5), and holds the rest for the
 * run. Consecutive faults take physically consecutive pages, so each freed
 * page's buddy is a held page: the buddy allocator cannot merge it, and the
 * freed memory stays as order-0 blocks. Free memory then exists without
 * free 2 MiB blocks (/proc/buddyinfo: order0 high, order9/10 near 0), and a
 * transparent huge page fault must either compact (migrate held pages to
 * make a free 2 MiB block: compact_stall, milliseconds to seconds) or fall
 * back to 4 KiB pages (thp_fault_fallback), as the THP defrag mode decides.
 *
 *   virtual, after the fill and the frees (free_ratio 0.5, unmovable > 0):
 *
 *   |LLL|H.H.H.H.H.H ... H.H|LLL|H.H.H.H ...      one stripe = 1 MiB
 *    mlocked run (never freed)   H held 4 KiB page, . freed page
 *
 *   physical, roughly (faults took consecutive pages):
 *
 *   | 2 MiB block | 2 MiB block | 2 MiB block |
 *   |H.H.H.H.H.H.H|.H.H.H.H.H.H.|H.H.H.H.H.H.H|  half free, no free block
 *
 * mode = anon: private anonymous memory with MADV_NOHUGEPAGE (so it is 4 KiB
 * pages), freed with MADV_DONTNEED. mode = pagecache: a file in the scratch
 * directory, written 4 KiB per write() (so the cache holds 4 KiB folios),
 * synced (clean, reclaimable cache) and dropped from the cache page by
 * page: holes = dontneed uses POSIX_FADV_DONTNEED (about a microsecond a
 * page), holes = punch uses fallocate(PUNCH_HOLE), which on ext4 costs
 * ~80 us a page once the blocks are written (~26 s for 2.4 GiB).
 *
 * Held pages are movable: compaction migrates them. `unmovable` mlocks a
 * run at the start of each 1 MiB stripe (that share of the memory), but the
 * kernel compacts mlocked pages too unless vm.compact_unevictable_allowed
 * = 0 (set it in the profile's [sysctl]); the locked pages then pin their
 * 2 MiB blocks. Locking needs RLIMIT_MEMLOCK, which setup raises (as
 * root), and two VMAs per stripe (stripes grow on huge sizes to stay well
 * inside vm.max_map_count).
 *
 * Histograms: "fill" (each 2 MiB written), "hole" (each run of pages freed).
 * Counters: held_pages (resident pages of its memory, re-read with mincore
 * every second: page cache can be reclaimed), locked_pages. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "procfs.h"
#include "workload.h"

enum frag_mode { MODE_ANON, MODE_PAGECACHE };
enum frag_holes { HOLES_DONTNEED, HOLES_PUNCH };
enum { CTR_HELD = RB_CTR_FIRST_CUSTOM, CTR_LOCKED };
enum { HIST_FILL, HIST_HOLE };

#define CHUNK (2u << 20)        /* fill step, timed */
#define STRIPE (1u << 20)       /* one locked run per stripe */
#define HOLD_REFRESH_NS 1000000000ull

struct frag_config {
	uint64_t size;
	double free_ratio;
	double unmovable;
	int mode;
	int holes;
};

struct frag {
	uint8_t *mem;           /* the anon memory, or the file's mapping */
	size_t len, page, npages;
	size_t stripe, locked;  /* bytes per stripe, bytes locked at its start */
	int fd;
	unsigned char *vec;     /* mincore */
	uint8_t *buf;           /* one page to write (pagecache) */
};

static const struct rb_option frag_options[] = {
	{ "size", RB_OPT_SIZE, offsetof(struct frag_config, size), 1 << 21, 1ull << 42,
	  "50%", "memory to fill, then fragment (of the profile's memory with %)", NULL },
	{ "free_ratio", RB_OPT_DOUBLE, offsetof(struct frag_config, free_ratio), 0, 1,
	  "0.5", "share of the pages freed, spread evenly (0.5: every other page)", NULL },
	{ "unmovable", RB_OPT_DOUBLE, offsetof(struct frag_config, unmovable), 0, 0.5,
	  "0", "share mlocked, as a run at the start of each 1 MiB (see "
	  "vm.compact_unevictable_allowed)", NULL },
	{ "mode", RB_OPT_ENUM, offsetof(struct frag_config, mode), 0, 0,
	  "anon", "anonymous memory, or page cache of a file in the scratch directory",
	  "anon|pagecache" },
	{ "holes", RB_OPT_ENUM, offsetof(struct frag_config, holes), 0, 0,
	  "dontneed", "pagecache: drop pages with fadvise DONTNEED, or punch file holes",
	  "dontneed|punch" },
	RB_OPTION_END,
};

static void set_counter(struct rb_worker *w, int c, uint64_t v)
{
	__atomic_store_n(&w->shm->counters[c], v, __ATOMIC_RELAXED);
}

/* Stripe size: 1 MiB, doubled while its VMAs would use over a quarter of
 * vm.max_map_count (each locked run splits its VMA in two). */
static size_t stripe_size(size_t len)
{
	uint64_t max_maps = 65530;
	size_t stripe = STRIPE;

	(void)rb_read_u64("/proc/sys/vm/max_map_count", &max_maps);
	while (2 * (len / stripe) > max_maps / 4 && stripe < len)
		stripe *= 2;
	return stripe;
}

/* CAP_IPC_LOCK (bit 14 of CapEff): mlock without RLIMIT_MEMLOCK's limit. */
static bool can_lock_any(void)
{
	char *buf = NULL, *at;
	size_t cap = 0;
	unsigned long long eff = 0;

	if (rb_read_path("/proc/self/status", &buf, &cap) > 0 && (at = strstr(buf, "CapEff:")))
		eff = strtoull(at + 7, NULL, 16);
	free(buf);
	return eff & (1ull << 14);
}

/* Can this process lock `bytes`? Raises RLIMIT_MEMLOCK as far as it may. */
static int allow_memlock(struct rb_worker *w, size_t bytes)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	if (can_lock_any() || setrlimit(RLIMIT_MEMLOCK, &rl) == 0)
		return 0;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_MEMLOCK, &rl);
	}
	if (rl.rlim_cur >= bytes)
		return 0;
	fprintf(stderr, "%s: unmovable needs %zu bytes of RLIMIT_MEMLOCK (have %llu) or "
		"CAP_IPC_LOCK: run as root or raise the limit\n", w->name, bytes,
		(unsigned long long)rl.rlim_cur);
	return -EPERM;
}

static int map_anon(struct frag *f)
{
	f->mem = mmap(NULL, f->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->mem == MAP_FAILED)
		return -errno;
	return madvise(f->mem, f->len, MADV_NOHUGEPAGE) ? -errno : 0;
}

/* Create the file at its size (sparse) and map it for mincore/mlock. */
static int map_file(struct rb_worker *w, struct frag *f)
{
	char path[4096];

	(void)snprintf(path, sizeof(path), "%s/thp-fragmenter.dat", w->scratch_dir);
	f->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (f->fd < 0 || ftruncate(f->fd, (off_t)f->len) != 0)
		return -errno;
	f->buf = malloc(f->page);
	if (!f->buf)
		return -ENOMEM;
	memset(f->buf, 0x5a, f->page);
	f->mem = mmap(NULL, f->len, PROT_READ, MAP_SHARED, f->fd, 0);
	return f->mem == MAP_FAILED ? -errno : 0;
}

static int frag_prepare(struct rb_worker *w, struct frag *f)
{
	const struct frag_config *c = w->config;
	int rc;

	f->vec = malloc(f->npages);
	if (!f->vec)
		return -ENOMEM;
	if (f->locked) {
		rc = allow_memlock(w, f->len / f->stripe * f->locked);
		if (rc)
			return rc;
	}
	return c->mode == MODE_ANON ? map_anon(f) : map_file(w, f);
}

static int fragment(struct rb_worker *w, struct frag *f);

static int frag_setup(struct rb_worker *w)
{
	const struct frag_config *c = w->config;
	struct frag *f = calloc(1, sizeof(*f));
	int rc;

	if (!f)
		return RB_EXIT_NO_RESOURCE;
	w->priv = f;
	f->fd = -1;
	f->mem = MAP_FAILED;
	f->page = (size_t)sysconf(_SC_PAGESIZE);
	f->len = (c->size + CHUNK - 1) / CHUNK * CHUNK;
	f->npages = f->len / f->page;
	f->stripe = stripe_size(f->len);
	f->locked = (size_t)(c->unmovable * (double)(f->stripe / f->page) + 0.999999) * f->page;
	rc = frag_prepare(w, f);
	if (rc) {
		if (rc != -EPERM)
			fprintf(stderr, "%s: setting up %zu bytes: %s\n", w->name, f->len,
				strerror(-rc));
		return RB_EXIT_NO_RESOURCE;
	}
	return fragment(w, f);
}

/* Fault in one chunk of anon memory (one store per page) or write it a page
 * per write(): a larger write gets a large folio (ext4 on 6.18 here), which
 * fadvise cannot drop a single page of. */
static int fill_chunk(struct rb_worker *w, struct frag *f, size_t off)
{
	const struct frag_config *c = w->config;
	uint64_t t0 = rb_now_ns();

	for (size_t o = off; o < off + CHUNK; o += f->page) {
		if (c->mode == MODE_ANON)
			*(volatile uint64_t *)(void *)(f->mem + o) = o | 1;
		else if (pwrite(f->fd, f->buf, f->page, (off_t)o) != (ssize_t)f->page)
			return errno ? -errno : -EIO;
	}
	rb_hist_record(rb_hist(w, HIST_FILL), rb_now_ns() - t0);
	rb_add(w, RB_CTR_BYTES, CHUNK);
	rb_inc(w);
	return 0;
}

/* Fill everything; a page-cache file is then synced so its pages are clean
 * (droppable) before any is freed. */
static int fill(struct rb_worker *w, struct frag *f)
{
	const struct frag_config *c = w->config;
	int rc = 0;

	for (size_t off = 0; off < f->len && !rc && rb_continue(w); off += CHUNK)
		rc = fill_chunk(w, f, off);
	if (!rc && c->mode == MODE_PAGECACHE && fdatasync(f->fd) != 0)
		rc = -errno;
	return rc;
}

/* mlock the run at the start of every stripe. */
static int lock_runs(struct rb_worker *w, struct frag *f)
{
	size_t locked = 0;

	for (size_t off = 0; f->locked && off < f->len && rb_continue(w); off += f->stripe) {
		size_t n = f->locked < f->len - off ? f->locked : f->len - off;
		if (mlock(f->mem + off, n) != 0)
			return -errno;
		locked += n / f->page;
	}
	set_counter(w, CTR_LOCKED, locked);
	return 0;
}

/* Free [off, off + len): the page-cache modes drop or punch it. */
static int free_run(const struct frag_config *c, struct frag *f, size_t off, size_t len)
{
	if (c->mode == MODE_ANON)
		return madvise(f->mem + off, len, MADV_DONTNEED) ? -errno : 0;
	if (c->holes == HOLES_PUNCH)
		return fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
				 (off_t)len) ? -errno : 0;
	return -posix_fadvise(f->fd, (off_t)off, (off_t)len, POSIX_FADV_DONTNEED);
}

/* Is unlocked page number u (counted over all stripes) one to free? Spreads
 * free_ratio evenly: at 0.5 every odd page, at 0.25 every fourth. */
static bool to_free(double ratio, size_t u)
{
	return (size_t)((double)(u + 1) * ratio) > (size_t)((double)u * ratio);
}

/* Free one run and time it. */
static int hole(struct rb_worker *w, struct frag *f, size_t off, size_t len)
{
	uint64_t t0 = rb_now_ns();
	int rc = free_run(w->config, f, off, len);

	rb_hist_record(rb_hist(w, HIST_HOLE), rb_now_ns() - t0);
	return rc;
}

/* Free the chosen pages outside the locked runs, coalescing neighbours. */
static int make_holes(struct rb_worker *w, struct frag *f)
{
	const struct frag_config *c = w->config;
	size_t run_off = 0, run_len = 0, u = 0;
	int rc = 0;

	for (size_t off = 0; off < f->len && !rc; off += f->page) {
		bool locked = off % f->stripe < f->locked;
		bool drop = !locked && to_free(c->free_ratio, u);
		u += !locked;
		if (drop && run_len && run_off + run_len == off) {
			run_len += f->page;
			continue;
		}
		if (run_len)
			rc = hole(w, f, run_off, run_len);
		run_off = off;
		run_len = drop ? f->page : 0;
		if ((off & (CHUNK - 1)) == 0 && !rb_continue(w))
			return 0;
	}
	return rc || !run_len ? rc : hole(w, f, run_off, run_len);
}

/* held_pages: resident pages of the memory, by mincore. */
static void count_held(struct rb_worker *w, struct frag *f)
{
	uint64_t held = 0;

	if (mincore(f->mem, f->len, f->vec) != 0) {
		rb_add(w, RB_CTR_ERRORS, 1);
		return;
	}
	for (size_t i = 0; i < f->npages; i++)
		held += f->vec[i] & 1;
	set_counter(w, CTR_HELD, held);
}

/* Fill, lock and punch the holes: preparation, so it runs in setup() and
 * the harness starts every worker only once memory is fragmented, however
 * long that takes (seconds here, longer in a sanitizer build). */
static int fragment(struct rb_worker *w, struct frag *f)
{
	int rc = fill(w, f);

	if (!rc)
		rc = lock_runs(w, f);
	if (!rc)
		rc = make_holes(w, f);
	if (rc) {
		fprintf(stderr, "%s: fragmenting: %s\n", w->name, strerror(-rc));
		return rc == -ENOMEM || rc == -EAGAIN ? RB_EXIT_NO_RESOURCE : RB_EXIT_FAIL;
	}
	return RB_EXIT_OK;
}

static int frag_run(struct rb_worker *w)
{
	struct frag *f = w->priv;
	uint64_t next;

	next = rb_now_ns();
	do {
		count_held(w, f);
		next += HOLD_REFRESH_NS;
	} while (rb_sleep_until(w, next));
	return RB_EXIT_OK;
}

static void frag_teardown(struct rb_worker *w)
{
	struct frag *f = w->priv;

	if (!f)
		return;
	if (f->mem != MAP_FAILED)
		(void)munmap(f->mem, f->len);
	if (f->fd >= 0)
		(void)close(f->fd);
	free(f->vec);
	free(f->buf);
	free(f);
	w->priv = NULL;
}

static const char *const frag_hists[] = { "fill", "hole", NULL };
static const char *const frag_counters[] = { "held_pages", "locked_pages", NULL };

const struct rb_workload_ops rb_wl_thp_fragmenter = {
	.abi = RB_WORKLOAD_ABI,
	.name = "thp-fragmenter",
	.help = "fills memory with 4K pages, frees every other one and holds the rest",
	.reproduces = "fragmentation: free memory, no free 2 MiB block (compaction, THP fallback)",
	.options = frag_options,
	.config_size = sizeof(struct frag_config),
	.hist_names = frag_hists,
	.counter_names = frag_counters,
	.flags = RB_WL_USES_FILES,
	.setup = frag_setup,
	.run = frag_run,
	.teardown = frag_teardown,
};
