/* working-set: the service whose hot page cache a backup evicts.
 *
 * The victim of "backup cache pollution" (issue 5). In setup it writes a hot
 * file set of `size` bytes (`files` files) in its scratch directory and
 * reads it once, so the service is warm in the page cache before anything
 * else happens. The run then accesses the set in a steady loop at `rate`
 * accesses per second: `access = read` preads one `bs` block at a random
 * offset, `access = mmap` reads one random page of the mapped files. With
 * `anon` set it also touches one random page of an anonymous set alongside
 * each access. While the set is cached an access costs about a microsecond;
 * once a streaming reader (the backup) has pushed it out of the cache every
 * access is a major fault or a read from disk, and the access p99 rises
 * until the set is back in the cache (the re-warm).
 *
 * A few times a second (`residency_interval`) it counts how many pages of
 * its files are in the page cache: with cachestat() where the kernel has it
 * (6.5+; one cheap call per file), else with mincore() over the mapped
 * files (in read mode they are mapped PROT_READ only for that; mapping
 * without touching faults nothing in). Neither faults pages in nor marks
 * them accessed, so the count does not perturb what it measures. The levels
 * are stored (not added) into the custom counters "resident_pages" and
 * "file_pages".
 *
 * Histograms: "access" (every file access, ns), "anon" (every anonymous
 * touch, only with anon > 0). One op per loop iteration (a file access and
 * the anon touch with it); RB_CTR_BYTES counts the bytes read or touched. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "working_set.h"
#include "workload.h"

enum ws_access { ACCESS_READ, ACCESS_MMAP };
enum ws_hist { HIST_ACCESS, HIST_ANON };
enum ws_counter { CTR_RESIDENT = RB_CTR_FIRST_CUSTOM, CTR_FILE_PAGES };

#ifndef __NR_cachestat
#define __NR_cachestat 451 /* Linux 6.5; the same number on every architecture but alpha */
#endif

#define CREATE_CHUNK (1u << 20)               /* bytes per pwrite()/pread() in setup */
#define MAX_LAG_NS (1000ull * 1000000)        /* backlog of accesses caught up at most */

struct ws_config {
	uint64_t size;
	int64_t files;
	int64_t rate; /* accesses/s, 0 = flat out */
	int access;
	uint64_t bs;
	uint64_t anon;
	uint64_t residency_interval;
};

/* cachestat(2) arguments (include/uapi/linux/mman.h, absent from older headers). */
struct ws_cachestat_range {
	uint64_t off, len; /* len 0: to the end of the file */
};

struct ws_cachestat {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

struct working_set {
	struct rb_ws_layout layout;
	struct rb_ws_pacer pacer;
	int *fds;               /* one per file, -1 while closed */
	uint8_t **maps;         /* one mapping per file, MAP_FAILED while unmapped */
	unsigned char *vec;     /* mincore() vector of one file, reused */
	uint8_t *buf;           /* pread() target, bs bytes (and setup's I/O buffer) */
	size_t buf_len;
	uint8_t *anon;
	size_t anon_len, page;
	uint64_t file_pages;    /* pages of the whole set */
	uint64_t next_residency;
	uint64_t rng;
	bool use_cachestat;     /* until the kernel says it has no cachestat() */
};

static const struct rb_option ws_options[] = {
	{ "size", RB_OPT_SIZE, offsetof(struct ws_config, size), 4096, 1ull << 42,
	  "40%", "bytes of the hot file set (of the profile's memory with %)", NULL },
	{ "files", RB_OPT_INT, offsetof(struct ws_config, files), 1, 4096,
	  "4", "number of files the hot set is split into", NULL },
	{ "rate", RB_OPT_INT, offsetof(struct ws_config, rate), 0, 1e9,
	  "2000", "accesses per second, 0 = as fast as possible", NULL },
	{ "access", RB_OPT_ENUM, offsetof(struct ws_config, access), 0, 0,
	  "read", "read: pread one bs block at a random offset; mmap: read one random page "
		  "of the mapped files", "read|mmap" },
	{ "bs", RB_OPT_SIZE, offsetof(struct ws_config, bs), 512, 16 << 20,
	  "4K", "bytes per read() access", NULL },
	{ "anon", RB_OPT_SIZE, offsetof(struct ws_config, anon), 0, 1ull << 42,
	  "0", "anonymous set touched (one random page) with every access, 0 = none", NULL },
	{ "residency_interval", RB_OPT_DURATION, offsetof(struct ws_config, residency_interval),
	  1e7, 6e10, "250ms", "how often the page-cache residency of the files is counted",
	  NULL },
	RB_OPTION_END,
};

/* ---- pure logic (working_set.h) ---- */

int rb_ws_layout_init(struct rb_ws_layout *l, uint64_t size, uint32_t files, uint64_t unit,
		      uint64_t page)
{
	if (!files || !unit || !page)
		return -EINVAL;
	l->nfiles = files;
	l->unit = unit;
	l->file_size = size / files / page * page;
	if (l->file_size < page)
		l->file_size = page;
	return unit > l->file_size ? -ERANGE : 0;
}

struct rb_ws_pos rb_ws_pick(const struct rb_ws_layout *l, uint64_t *rng)
{
	uint64_t units = l->file_size / l->unit;
	uint64_t idx = rb_rand(rng) % (units * l->nfiles);

	return (struct rb_ws_pos){ .file = (uint32_t)(idx / units),
				   .off = idx % units * l->unit };
}

/* ns from the start of the schedule to access n, without 64-bit overflow. */
static uint64_t schedule_offset(uint64_t n, uint64_t rate)
{
	return n / rate * 1000000000ull + (n % rate) * 1000000000ull / rate;
}

uint64_t rb_ws_pacer_next(struct rb_ws_pacer *p, uint64_t now)
{
	uint64_t off, due;

	if (!p->rate)
		return now;
	off = schedule_offset(p->n, p->rate);
	due = p->t0 + off;
	if (now > due && now - due > p->max_lag_ns) {
		p->t0 = now - off;
		due = now;
	}
	p->n++;
	return due;
}

uint64_t rb_ws_count_resident(const unsigned char *vec, size_t n)
{
	uint64_t resident = 0;

	for (size_t i = 0; i < n; i++)
		resident += vec[i] & 1;
	return resident;
}

/* ---- setup ---- */

/* Write one file of the set with non-zero data, then flush it to disk. */
static int fill_file(struct rb_worker *w, struct working_set *s, int fd)
{
	uint64_t size = s->layout.file_size;

	for (uint64_t off = 0; off < size; off += s->buf_len) {
		size_t n = size - off < s->buf_len ? (size_t)(size - off) : s->buf_len;
		if (pwrite(fd, s->buf, n, (off_t)off) != (ssize_t)n)
			return errno ? -errno : -EIO;
		if (!rb_continue(w))
			return -ECANCELED;
	}
	return fsync(fd) ? -errno : 0;
}

/* Warm one file in the cache the way a random-access service fills it:
 * drop what writing it left cached, disable readahead (POSIX_FADV_RANDOM),
 * then read it in `bs` pieces. The cache then holds small folios, one per
 * piece, and the LRU ages each piece by its own accesses; warmed by large
 * sequential reads it would hold a few large folios, each hit many times a
 * second, which no reclaim would ever age out. */
static int warm_file(struct working_set *s, int fd)
{
	uint64_t size = s->layout.file_size;
	size_t unit = s->layout.unit;

	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	for (uint64_t off = 0; off < size; off += unit) {
		size_t n = size - off < unit ? (size_t)(size - off) : unit;
		if (pread(fd, s->buf, n, (off_t)off) != (ssize_t)n)
			return errno ? -errno : -EIO;
	}
	return 0;
}

/* Create, write, read once and map file i (PROT_READ: mmap access reads
 * through it; in read mode only mincore() looks at it). */
static int create_file(struct rb_worker *w, struct working_set *s, uint32_t i)
{
	char path[4096];
	int rc;

	(void)snprintf(path, sizeof(path), "%s/hot-%04u.dat", w->scratch_dir, (unsigned)i);
	s->fds[i] = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (s->fds[i] < 0)
		return -errno;
	rc = fill_file(w, s, s->fds[i]);
	if (rc == 0)
		rc = warm_file(s, s->fds[i]);
	if (rc)
		return rc;
	s->maps[i] = mmap(NULL, s->layout.file_size, PROT_READ, MAP_SHARED, s->fds[i], 0);
	return s->maps[i] == MAP_FAILED ? -errno : 0;
}

static int create_files(struct rb_worker *w, struct working_set *s)
{
	int rc = 0;

	memset(s->buf, 0x5a, s->buf_len);
	for (uint32_t i = 0; rc == 0 && i < s->layout.nfiles; i++)
		rc = create_file(w, s, i);
	return rc;
}

/* The per-file arrays, the I/O buffer and the mincore() vector. */
static int alloc_state(struct rb_worker *w, struct working_set *s)
{
	const struct ws_config *c = w->config;
	uint32_t n = s->layout.nfiles;

	s->buf_len = c->bs > CREATE_CHUNK ? (size_t)c->bs : CREATE_CHUNK;
	s->fds = malloc(n * sizeof(*s->fds));
	s->maps = malloc(n * sizeof(*s->maps));
	for (uint32_t i = 0; s->fds && s->maps && i < n; i++) {
		s->fds[i] = -1;
		s->maps[i] = MAP_FAILED;
	}
	s->vec = malloc(s->layout.file_size / s->page);
	s->buf = malloc(s->buf_len);
	return s->fds && s->maps && s->vec && s->buf ? 0 : -ENOMEM;
}

/* The anonymous set, faulted in. */
static int alloc_anon(struct rb_worker *w, struct working_set *s)
{
	const struct ws_config *c = w->config;

	s->anon_len = (c->anon + s->page - 1) / s->page * s->page;
	if (!s->anon_len)
		return 0;
	s->anon = mmap(NULL, s->anon_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->anon == MAP_FAILED) {
		s->anon = NULL;
		return -errno;
	}
	memset(s->anon, 0xa5, s->anon_len);
	return 0;
}

/* Pages of file i in the page cache: cachestat() (Linux 6.5+: one call,
 * ~30 us for 600 MiB) or, where the kernel lacks it, mincore() over the
 * file's mapping (a page-cache lookup per page: ~11 ms for 600 MiB). */
static uint64_t resident_pages(struct working_set *s, uint32_t i)
{
	struct ws_cachestat_range range = { 0, s->layout.file_size };
	struct ws_cachestat cs;

	if (s->use_cachestat && syscall(__NR_cachestat, s->fds[i], &range, &cs, 0) == 0)
		return cs.nr_cache;
	s->use_cachestat = false; /* ENOSYS (or refused): mincore() from now on */
	if (mincore(s->maps[i], s->layout.file_size, s->vec) != 0)
		return 0;
	return rb_ws_count_resident(s->vec, s->layout.file_size / s->page);
}

/* Count the set's resident pages and publish both levels. */
static void publish_residency(struct rb_worker *w, struct working_set *s)
{
	uint64_t resident = 0;

	for (uint32_t i = 0; i < s->layout.nfiles; i++)
		resident += resident_pages(s, i);
	__atomic_store_n(&w->shm->counters[CTR_RESIDENT], resident, __ATOMIC_RELAXED);
	__atomic_store_n(&w->shm->counters[CTR_FILE_PAGES], s->file_pages, __ATOMIC_RELAXED);
}

static int init_layout(struct rb_worker *w, struct working_set *s)
{
	const struct ws_config *c = w->config;
	uint64_t unit = c->access == ACCESS_READ ? c->bs : s->page;
	int rc = rb_ws_layout_init(&s->layout, c->size, (uint32_t)c->files, unit, s->page);

	if (rc == -ERANGE)
		fprintf(stderr, "%s: bs %llu is larger than one file of the set (%llu bytes)\n",
			w->name, (unsigned long long)c->bs,
			(unsigned long long)s->layout.file_size);
	s->file_pages = s->layout.file_size / s->page * s->layout.nfiles;
	return rc;
}

static const struct {
	const char *what;
	int (*fn)(struct rb_worker *w, struct working_set *s);
} setup_steps[] = {
	{ "laying out the file set", init_layout },
	{ "allocating buffers", alloc_state },
	{ "creating and warming the file set", create_files },
	{ "allocating the anonymous set", alloc_anon },
};

static int ws_setup(struct rb_worker *w)
{
	struct working_set *s = calloc(1, sizeof(*s));
	int rc = 0;

	if (!s)
		return RB_EXIT_NO_RESOURCE;
	w->priv = s;
	s->page = (size_t)sysconf(_SC_PAGESIZE);
	s->rng = w->seed | 1;
	s->use_cachestat = true;
	for (size_t i = 0; rc == 0 && i < sizeof(setup_steps) / sizeof(setup_steps[0]); i++) {
		rc = setup_steps[i].fn(w, s);
		if (rc && rc != -ECANCELED)
			fprintf(stderr, "%s: %s: %s\n", w->name, setup_steps[i].what,
				strerror(-rc));
	}
	if (rc == 0)
		publish_residency(w, s);
	/* Stopped while creating files: not a failure; run() will not start. */
	return rc && rc != -ECANCELED ? RB_EXIT_NO_RESOURCE : RB_EXIT_OK;
}

/* ---- the loop ---- */

/* One timed access to a random unit of the file set; -errno if pread fails. */
static int access_file(struct rb_worker *w, struct working_set *s, int mode)
{
	struct rb_ws_pos at = rb_ws_pick(&s->layout, &s->rng);
	uint64_t t0 = rb_now_ns();
	ssize_t n = (ssize_t)s->layout.unit;

	if (mode == ACCESS_MMAP)
		(void)*(volatile const uint8_t *)(s->maps[at.file] + at.off);
	else
		n = pread(s->fds[at.file], s->buf, s->layout.unit, (off_t)at.off);
	rb_hist_record(rb_hist(w, HIST_ACCESS), rb_now_ns() - t0);
	if (n < 0)
		return -errno;
	rb_add(w, RB_CTR_BYTES, (uint64_t)n);
	return 0;
}

/* One timed read-modify-write of a random page of the anonymous set. */
static void touch_anon(struct rb_worker *w, struct working_set *s)
{
	size_t off = (size_t)(rb_rand(&s->rng) % (s->anon_len / s->page)) * s->page;
	volatile uint8_t *b = s->anon + off;
	uint64_t t0 = rb_now_ns();

	*b = (uint8_t)(*b + 1);
	rb_hist_record(rb_hist(w, HIST_ANON), rb_now_ns() - t0);
	rb_add(w, RB_CTR_BYTES, s->page);
}

/* Recount the residency when its interval has passed. */
static void maybe_residency(struct rb_worker *w, struct working_set *s, uint64_t now)
{
	const struct ws_config *c = w->config;

	if (now < s->next_residency)
		return;
	publish_residency(w, s);
	s->next_residency = now + c->residency_interval;
}

/* Wait until the next access is due; false once told to stop. */
static bool pace(struct rb_worker *w, struct working_set *s)
{
	if (!s->pacer.rate)
		return rb_continue(w);
	return rb_sleep_until(w, rb_ws_pacer_next(&s->pacer, rb_now_ns()));
}

static int ws_run(struct rb_worker *w)
{
	const struct ws_config *c = w->config;
	struct working_set *s = w->priv;
	int rc;

	s->pacer = (struct rb_ws_pacer){ .t0 = rb_now_ns(), .rate = (uint64_t)c->rate,
					 .max_lag_ns = MAX_LAG_NS };
	s->next_residency = s->pacer.t0;
	do {
		maybe_residency(w, s, rb_now_ns());
		rc = access_file(w, s, c->access);
		if (rc) {
			rb_add(w, RB_CTR_ERRORS, 1);
			fprintf(stderr, "%s: pread: %s\n", w->name, strerror(-rc));
			return RB_EXIT_FAIL;
		}
		if (s->anon)
			touch_anon(w, s);
		rb_inc(w);
	} while (pace(w, s));
	publish_residency(w, s);
	return RB_EXIT_OK;
}

static void ws_teardown(struct rb_worker *w)
{
	struct working_set *s = w->priv;

	if (!s)
		return;
	for (uint32_t i = 0; s->fds && s->maps && i < s->layout.nfiles; i++) {
		if (s->maps[i] != MAP_FAILED)
			(void)munmap(s->maps[i], s->layout.file_size);
		if (s->fds[i] >= 0)
			(void)close(s->fds[i]);
	}
	if (s->anon)
		(void)munmap(s->anon, s->anon_len);
	free(s->fds);
	free(s->maps);
	free(s->vec);
	free(s->buf);
	free(s);
	w->priv = NULL;
}

static const char *const ws_hists[] = { "access", "anon", NULL };
static const char *const ws_counters[] = { "resident_pages", "file_pages", NULL };

const struct rb_workload_ops rb_wl_working_set = {
	.abi = RB_WORKLOAD_ABI,
	.name = "working-set",
	.help = "a service: steady random read()/mmap accesses to a warm hot file set",
	.reproduces = "the victim of cache pollution: residency falls, refaults, p99 re-warm",
	.options = ws_options,
	.config_size = sizeof(struct ws_config),
	.hist_names = ws_hists,
	.counter_names = ws_counters,
	.flags = RB_WL_USES_FILES,
	.setup = ws_setup,
	.run = ws_run,
	.teardown = ws_teardown,
};
