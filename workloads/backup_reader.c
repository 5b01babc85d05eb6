/* backup-reader: the nightly backup that pollutes the page cache.
 *
 * Reproduces "backup cache pollution" (issue 5). The incident: a nightly
 * backup reads a dataset larger than RAM once, sequentially. Every block it
 * reads enters the page cache, and because the stream is bigger than
 * memory it pushes out everything else: the hot pages of the service on
 * the same machine (workload working-set) are evicted although the backup
 * will never read its own pages again. When the backup ends the service
 * re-warms with a burst of major faults and refaults
 * (workingset_refault_file), kswapd burns CPU reclaiming the backup's dead
 * pages, and the service's latency stays high until its set is back.
 *
 * In setup it writes a `dataset` of `files` files in its scratch directory
 * (random data, written back with sync_file_range and dropped with
 * POSIX_FADV_DONTNEED as it goes, as pagecache-flood does), so the backup
 * starts cold and creating the set does not pollute the cache itself. The
 * run reads the files one after the other, sequentially, with `iodepth`
 * buffered reads of `bs` bytes in flight through io_uring, `passes` times
 * (0 = until stopped), then returns: the backup ends before the run does.
 *
 * How each option avoids the pollution:
 *   fadvise = dontneed  POSIX_FADV_DONTNEED on every `fadvise_chunk` bytes
 *                       once they were read, and on the whole file at its
 *                       end: the backup's pages leave the cache right away,
 *                       so reclaim never needs to touch the service's.
 *   fadvise = noreuse   POSIX_FADV_NOREUSE on each file before reading it.
 *                       Since Linux 6.3 it sets FMODE_NOREUSE, which only
 *                       the multi-gen LRU honours (the pages are not
 *                       promoted); on other kernels and LRUs it does little.
 *   uncached = yes      RWF_DONTCACHE reads (Linux 6.14+, file system
 *                       support needed): each page is dropped from the cache
 *                       as soon as its read is done.
 *   verify = yes        is not a fix but the harsher, common case: each file
 *                       is read twice in a row (checksum, then copy). On the
 *                       classic two-list LRU a page read once stays on the
 *                       inactive list and a service's steadily used pages
 *                       are active, so a read-once stream only churns the
 *                       inactive list and the service survives (seen here,
 *                       6.18 without MGLRU). Read twice, the backup's pages
 *                       are activated too, the active list is aged, and the
 *                       service's pages are evicted.
 *   rate, ionice        pace the backup (bytes/s) or lower its I/O priority
 *                       (ioprio_set: idle, or best-effort level 7): they make
 *                       it gentler on the disk, not on the cache.
 *
 * Histograms: "read" (submit to completion of every read, ns), "file" (time
 * to read one whole file). One op per read; RB_CTR_BYTES counts bytes read;
 * the custom counter "files_done" counts files read to the end. */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "backup_reader.h"
#include "pagecache_flood.h"
#include "scratch_files.h"
#include "workload.h"

#ifndef RWF_DONTCACHE
#define RWF_DONTCACHE 0x00000080 /* uncached buffered I/O, Linux 6.14 */
#endif

enum backup_fadvise { FADV_NONE, FADV_DONTNEED, FADV_NOREUSE };
enum backup_ionice { IONICE_NONE, IONICE_IDLE, IONICE_BE };
enum backup_hist { HIST_READ, HIST_FILE };
#define CTR_FILES_DONE RB_CTR_FIRST_CUSTOM

#define WAIT_SLICE_NS (50ull * 1000000)  /* longest wait before checking stop */
#define DRAIN_LIMIT_NS (30ull * 1000000000)

struct backup_config {
	uint64_t dataset;
	int64_t files;
	int64_t passes; /* 0 = until stopped */
	uint64_t bs;
	int64_t iodepth;
	int fadvise;
	uint64_t fadvise_chunk;
	bool uncached;
	bool verify;   /* read each file twice in a row (checksum, then copy) */
	uint64_t rate; /* bytes/s, 0 = unlimited */
	int ionice;
};

struct backup {
	struct io_uring ring;
	bool ring_ok;
	struct rb_flood_layout layout;
	int *fds;
	uint8_t *bufs;           /* depth slots of slot_len bytes */
	size_t bufs_len, slot_len;
	uint64_t *inflight;      /* per slot: offset in flight, UINT64_MAX if idle */
	uint64_t *t_submit;      /* per slot: when its read was submitted */
	unsigned depth, busy;
	struct rb_backup_walk walk; /* the file being read */
	uint32_t file;
	uint64_t t0, issued;     /* pacing: when the run began, bytes issued since */
	uint64_t rng;
};

static const struct rb_option backup_options[] = {
	{ "dataset", RB_OPT_SIZE, offsetof(struct backup_config, dataset), 4096, 1ull << 42,
	  "200%", "total bytes backed up (of the profile's memory with %)", NULL },
	{ "files", RB_OPT_INT, offsetof(struct backup_config, files), 1, 4096,
	  "8", "number of files the dataset is split into", NULL },
	{ "passes", RB_OPT_INT, offsetof(struct backup_config, passes), 0, 1e6,
	  "1", "times the whole dataset is read, 0 = until stopped", NULL },
	{ "bs", RB_OPT_SIZE, offsetof(struct backup_config, bs), 4096, 16 << 20,
	  "1M", "bytes per read", NULL },
	{ "iodepth", RB_OPT_INT, offsetof(struct backup_config, iodepth), 1, 256,
	  "4", "reads kept in flight", NULL },
	{ "fadvise", RB_OPT_ENUM, offsetof(struct backup_config, fadvise), 0, 0,
	  "none", "none; dontneed: drop each chunk once read and each file at its end; "
		  "noreuse: POSIX_FADV_NOREUSE on each file", "none|dontneed|noreuse" },
	{ "fadvise_chunk", RB_OPT_SIZE, offsetof(struct backup_config, fadvise_chunk),
	  4096, 1ull << 40, "8M", "fadvise = dontneed drops every this many bytes read", NULL },
	{ "verify", RB_OPT_BOOL, offsetof(struct backup_config, verify), 0, 0, "no",
	  "read each file twice in a row, as a backup that checksums then copies", NULL },
	{ "uncached", RB_OPT_BOOL, offsetof(struct backup_config, uncached), 0, 0,
	  "no", "read with RWF_DONTCACHE (uncached buffered reads, Linux 6.14+)", NULL },
	{ "rate", RB_OPT_SIZE, offsetof(struct backup_config, rate), 0, 1ull << 40,
	  "0", "bytes per second, 0 = as fast as possible", NULL },
	{ "ionice", RB_OPT_ENUM, offsetof(struct backup_config, ionice), 0, 0,
	  "none", "I/O priority class: none (unchanged), idle, best-effort (level 7)",
	  "none|idle|best-effort" },
	RB_OPTION_END,
};

/* ---- pure logic (backup_reader.h) ---- */

void rb_backup_walk_start(struct rb_backup_walk *w, uint64_t size, uint64_t bs)
{
	*w = (struct rb_backup_walk){ .size = size, .bs = bs };
}

bool rb_backup_walk_next(struct rb_backup_walk *w, uint64_t *off, uint32_t *len)
{
	if (rb_backup_walk_issued(w))
		return false;
	*off = w->next;
	*len = (uint32_t)(w->size - w->next < w->bs ? w->size - w->next : w->bs);
	w->next += *len;
	return true;
}

bool rb_backup_walk_issued(const struct rb_backup_walk *w)
{
	return w->next >= w->size;
}

uint64_t rb_backup_frontier(const uint64_t *inflight, size_t n, uint64_t next)
{
	uint64_t low = next;

	for (size_t i = 0; i < n; i++)
		if (inflight[i] < low)
			low = inflight[i];
	return low;
}

uint64_t rb_backup_drop_due(const struct rb_backup_walk *w, uint64_t frontier, uint64_t chunk)
{
	if (!chunk || frontier <= w->dropped)
		return 0;
	return (frontier - w->dropped) / chunk * chunk;
}

int rb_backup_ioprio(int cls, int level)
{
	return (cls << RB_IOPRIO_CLASS_SHIFT) | level;
}

/* ---- setup ---- */

/* Per-file descriptors and per-slot buffers, pre-faulted. Refuses buffers
 * over a quarter of the profile's memory (they would take the room the
 * backup's cache pollution is about). */
static int alloc_state(struct rb_worker *w, struct backup *b)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	b->slot_len = (b->layout.bs + page - 1) / page * page;
	b->bufs_len = b->slot_len * b->depth;
	if (w->memory && b->bufs_len > w->memory / 4) {
		fprintf(stderr, "%s: iodepth x bs = %zu bytes of buffers is more than a quarter "
				"of the profile's memory\n", w->name, b->bufs_len);
		return -ENOMEM;
	}
	b->fds = malloc(b->layout.nfiles * sizeof(*b->fds));
	for (uint32_t i = 0; b->fds && i < b->layout.nfiles; i++)
		b->fds[i] = -1;
	b->inflight = malloc(b->depth * sizeof(*b->inflight));
	for (unsigned i = 0; b->inflight && i < b->depth; i++)
		b->inflight[i] = UINT64_MAX;
	b->t_submit = calloc(b->depth, sizeof(*b->t_submit));
	b->bufs = mmap(NULL, b->bufs_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!b->fds || !b->inflight || !b->t_submit || b->bufs == MAP_FAILED)
		return -ENOMEM;
	memset(b->bufs, 0, b->bufs_len);
	return 0;
}

static int check_space(struct rb_worker *w, struct backup *b)
{
	return rb_scratch_check_space(w, b->layout.file_size * b->layout.nfiles, "the dataset");
}

/* Keep every file open: make room for up to 4096 descriptors. */
static int raise_nofile(struct rb_worker *w, struct backup *b)
{
	(void)w;
	return rb_scratch_raise_nofile(b->layout.nfiles);
}

static int create_file(struct rb_worker *w, struct backup *b, uint32_t i, const uint8_t *chunk)
{
	char path[4096];

	(void)snprintf(path, sizeof(path), "%s/backup-%04u.dat", w->scratch_dir, (unsigned)i);
	b->fds[i] = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (b->fds[i] < 0)
		return -errno;
	if (fallocate(b->fds[i], 0, 0, (off_t)b->layout.file_size) != 0 && errno != EOPNOTSUPP)
		return -errno;
	return rb_scratch_fill_file(w, b->fds[i], b->layout.file_size, chunk);
}

/* Create the dataset with random (incompressible) data, cold in the cache. */
static int create_files(struct rb_worker *w, struct backup *b)
{
	uint64_t *chunk = malloc(RB_SCRATCH_CHUNK), rng = b->rng ^ 0x9E3779B97F4A7C15ull;
	int rc = chunk ? 0 : -ENOMEM;

	for (size_t i = 0; chunk && i < RB_SCRATCH_CHUNK / sizeof(*chunk); i++)
		chunk[i] = rb_rand(&rng);
	for (uint32_t i = 0; rc == 0 && i < b->layout.nfiles; i++)
		rc = create_file(w, b, i, (const uint8_t *)chunk);
	free(chunk);
	return rc;
}

/* Lower the I/O priority of the process (and of io_uring's workers, which
 * share its I/O context) before the ring exists. */
static int set_ionice(struct rb_worker *w, struct backup *b)
{
	const struct backup_config *c = w->config;
	int prio;

	(void)b;
	if (c->ionice == IONICE_NONE)
		return 0;
	prio = c->ionice == IONICE_IDLE ? rb_backup_ioprio(RB_IOPRIO_CLASS_IDLE, 0)
					: rb_backup_ioprio(RB_IOPRIO_CLASS_BE, RB_IOPRIO_BE_LOWEST);
	return syscall(SYS_ioprio_set, RB_IOPRIO_WHO_PROCESS, 0, prio) ? -errno : 0;
}

static int init_ring(struct rb_worker *w, struct backup *b)
{
	int rc = io_uring_queue_init(b->depth, &b->ring, 0);

	(void)w;
	b->ring_ok = rc == 0;
	return rc;
}

static const struct {
	const char *what;
	int (*fn)(struct rb_worker *w, struct backup *b);
} setup_steps[] = {
	{ "allocating I/O buffers", alloc_state },
	{ "checking free space", check_space },
	{ "raising the open-file limit", raise_nofile },
	{ "creating the dataset", create_files },
	{ "setting the I/O priority", set_ionice },
	{ "setting up io_uring", init_ring },
};

static int backup_setup(struct rb_worker *w)
{
	const struct backup_config *c = w->config;
	struct backup *b = calloc(1, sizeof(*b));
	int rc = 0;

	if (!b)
		return RB_EXIT_NO_RESOURCE;
	w->priv = b;
	b->depth = (unsigned)c->iodepth;
	b->rng = w->seed | 1;
	b->bufs = MAP_FAILED;
	if (rb_flood_layout_init(&b->layout, c->dataset, (uint32_t)c->files, c->bs) != 0)
		return RB_EXIT_FAIL;
	for (size_t i = 0; rc == 0 && i < sizeof(setup_steps) / sizeof(setup_steps[0]); i++) {
		rc = setup_steps[i].fn(w, b);
		if (rc && rc != -ECANCELED)
			fprintf(stderr, "%s: %s: %s\n", w->name, setup_steps[i].what,
				strerror(-rc));
	}
	/* Stopped while creating files: not a failure; run() will not start. */
	return rc && rc != -ECANCELED ? RB_EXIT_NO_RESOURCE : RB_EXIT_OK;
}

/* ---- the loop ---- */

/* Queue reads of the current file into idle slots, as far as the rate and
 * the file allow. */
static void fill_queue(struct rb_worker *w, struct backup *b, uint64_t now)
{
	const struct backup_config *c = w->config;
	struct io_uring_sqe *sqe;
	uint64_t off = 0;
	uint32_t len = 0;

	for (unsigned i = 0; i < b->depth && !rb_backup_walk_issued(&b->walk); i++) {
		if (b->inflight[i] != UINT64_MAX)
			continue;
		if (rb_flood_due_ns(b->t0, b->issued, c->rate) > now)
			break;
		sqe = io_uring_get_sqe(&b->ring);
		if (!sqe)
			break;
		(void)rb_backup_walk_next(&b->walk, &off, &len); /* not issued yet: true */
		io_uring_prep_read(sqe, b->fds[b->file], b->bufs + i * b->slot_len, len, off);
		if (c->uncached)
			sqe->rw_flags = RWF_DONTCACHE;
		io_uring_sqe_set_data64(sqe, i);
		b->inflight[i] = off;
		b->t_submit[i] = now;
		b->issued += len;
		b->busy++;
	}
}

/* Drop the chunks of the current file that are read completely. */
static void drop_read_chunks(struct rb_worker *w, struct backup *b)
{
	const struct backup_config *c = w->config;
	uint64_t frontier = rb_backup_frontier(b->inflight, b->depth, b->walk.next);
	uint64_t len = rb_backup_drop_due(&b->walk, frontier, c->fadvise_chunk);

	if (!len)
		return;
	(void)posix_fadvise(b->fds[b->file], (off_t)b->walk.dropped, (off_t)len,
			    POSIX_FADV_DONTNEED);
	b->walk.dropped += len;
}

/* Account one completion; a failed read is fatal (-errno). */
static int complete(struct rb_worker *w, struct backup *b, unsigned slot, int res, uint64_t now)
{
	uint64_t off = b->inflight[slot];

	b->inflight[slot] = UINT64_MAX;
	b->busy--;
	if (res < 0) {
		rb_add(w, RB_CTR_ERRORS, 1);
		fprintf(stderr, "%s: read of backup-%04u.dat at %llu: %s\n", w->name,
			(unsigned)b->file, (unsigned long long)off, strerror(-res));
		return res;
	}
	rb_hist_record(rb_hist(w, HIST_READ), now - b->t_submit[slot]);
	rb_add(w, RB_CTR_BYTES, (uint64_t)res);
	rb_inc(w);
	return 0;
}

/* Account every completion that is ready. */
static int reap(struct rb_worker *w, struct backup *b)
{
	const struct backup_config *c = w->config;
	struct io_uring_cqe *cqe;
	uint64_t now = rb_now_ns();
	int rc = 0;

	while (rc == 0 && io_uring_peek_cqe(&b->ring, &cqe) == 0) {
		unsigned slot = (unsigned)io_uring_cqe_get_data64(cqe);
		int res = cqe->res;
		io_uring_cqe_seen(&b->ring, cqe);
		rc = complete(w, b, slot, res, now);
	}
	if (rc == 0 && c->fadvise == FADV_DONTNEED)
		drop_read_chunks(w, b);
	return rc;
}

/* Wait up to ns for a completion; a timeout or a signal is not an error. */
static int wait_cqe(struct backup *b, uint64_t ns)
{
	struct __kernel_timespec ts = { .tv_sec = (long long)(ns / 1000000000ull),
					.tv_nsec = (long long)(ns % 1000000000ull) };
	struct io_uring_cqe *cqe;
	int rc = io_uring_wait_cqe_timeout(&b->ring, &cqe, &ts);

	return rc == -ETIME || rc == -EINTR ? 0 : rc;
}

/* How long to wait for a completion: until the rate lets the next read
 * start if a slot is idle for it, never longer than a slice. */
static uint64_t wait_ns(struct rb_worker *w, struct backup *b)
{
	const struct backup_config *c = w->config;
	uint64_t now = rb_now_ns(), due;

	if (b->busy == b->depth || !c->rate || rb_backup_walk_issued(&b->walk))
		return WAIT_SLICE_NS;
	due = rb_flood_due_ns(b->t0, b->issued, c->rate);
	if (due <= now)
		return 0;
	return due - now < WAIT_SLICE_NS ? due - now : WAIT_SLICE_NS;
}

/* One round: top the queue up, submit, wait for completions, reap them.
 * With nothing in flight (the rate holds the next read back) sleep. */
static int step(struct rb_worker *w, struct backup *b)
{
	const struct backup_config *c = w->config;
	int rc;

	fill_queue(w, b, rb_now_ns());
	rc = io_uring_submit(&b->ring);
	if (rc < 0 && rc != -EAGAIN && rc != -EBUSY && rc != -EINTR) {
		fprintf(stderr, "%s: io_uring_submit: %s\n", w->name, strerror(-rc));
		return rc;
	}
	if (!b->busy) {
		(void)rb_sleep_until(w, rb_flood_due_ns(b->t0, b->issued, c->rate));
		return 0;
	}
	rc = wait_cqe(b, wait_ns(w, b));
	if (rc)
		fprintf(stderr, "%s: waiting for completions: %s\n", w->name, strerror(-rc));
	return rc ? rc : reap(w, b);
}

/* Let every read in flight complete (and count it) before teardown. */
static void drain(struct rb_worker *w, struct backup *b)
{
	uint64_t give_up = rb_now_ns() + DRAIN_LIMIT_NS;

	while (b->busy && rb_now_ns() < give_up) {
		(void)io_uring_submit(&b->ring);
		if (wait_cqe(b, WAIT_SLICE_NS) != 0)
			break;
		(void)reap(w, b);
	}
}

/* Read file i once from start to end. Returns 0 when it was read to the
 * end, 1 if stopped before, -errno on a failed read. */
static int read_once(struct rb_worker *w, struct backup *b, uint32_t i)
{
	int rc = 0;

	b->file = i;
	rb_backup_walk_start(&b->walk, b->layout.file_size, b->layout.bs);
	while (rc == 0 && rb_continue(w) && (b->busy || !rb_backup_walk_issued(&b->walk)))
		rc = step(w, b);
	drain(w, b);
	if (rc || b->busy || !rb_backup_walk_issued(&b->walk))
		return rc ? rc : 1;
	return 0;
}

/* Read file i (twice with verify), then apply the file-level fadvise. */
static int read_file(struct rb_worker *w, struct backup *b, uint32_t i)
{
	const struct backup_config *c = w->config;
	uint64_t t_start = rb_now_ns();
	int rc = 0;

	if (c->fadvise == FADV_NOREUSE)
		(void)posix_fadvise(b->fds[i], 0, 0, POSIX_FADV_NOREUSE);
	for (int round = 0; rc == 0 && round < (c->verify ? 2 : 1); round++)
		rc = read_once(w, b, i);
	if (rc)
		return rc;
	if (c->fadvise == FADV_DONTNEED)
		(void)posix_fadvise(b->fds[i], 0, 0, POSIX_FADV_DONTNEED);
	rb_hist_record(rb_hist(w, HIST_FILE), rb_now_ns() - t_start);
	rb_add(w, CTR_FILES_DONE, 1);
	return 0;
}

static int backup_run(struct rb_worker *w)
{
	const struct backup_config *c = w->config;
	struct backup *b = w->priv;
	int rc = 0;

	b->t0 = rb_now_ns();
	for (int64_t pass = 0; rc == 0 && (c->passes == 0 || pass < c->passes); pass++)
		for (uint32_t i = 0; rc == 0 && i < b->layout.nfiles; i++)
			rc = read_file(w, b, i);
	return rc < 0 ? RB_EXIT_FAIL : RB_EXIT_OK;
}

static void backup_teardown(struct rb_worker *w)
{
	struct backup *b = w->priv;

	if (!b)
		return;
	if (b->ring_ok)
		io_uring_queue_exit(&b->ring);
	for (uint32_t i = 0; b->fds && i < b->layout.nfiles; i++)
		if (b->fds[i] >= 0)
			(void)close(b->fds[i]);
	if (b->bufs != MAP_FAILED)
		(void)munmap(b->bufs, b->bufs_len);
	free(b->fds);
	free(b->inflight);
	free(b->t_submit);
	free(b);
	w->priv = NULL;
}

/* ---- can it run here? ---- */

/* A one-entry ring must set up (it cannot with kernel.io_uring_disabled = 2,
 * nor = 1 without privilege) and know IORING_OP_READ. */
static const char *io_uring_reason(void)
{
	static char why[160];
	struct io_uring_probe *probe;
	struct io_uring ring;
	bool ok;
	int rc = io_uring_queue_init(1, &ring, 0);

	if (rc < 0) {
		(void)snprintf(why, sizeof(why), "io_uring unavailable: io_uring_queue_init: %s "
			       "(see kernel.io_uring_disabled)", strerror(-rc));
		return why;
	}
	probe = io_uring_get_probe_ring(&ring);
	ok = probe && io_uring_opcode_supported(probe, IORING_OP_READ);
	io_uring_free_probe(probe);
	io_uring_queue_exit(&ring);
	return ok ? NULL : "the kernel's io_uring lacks IORING_OP_READ (needs Linux 5.6)";
}

/* A one-block RWF_DONTCACHE preadv2() of a file in /tmp: EOPNOTSUPP or
 * EINVAL means the kernel (or the file system) has no uncached reads. */
static const char *dontcache_reason(void)
{
	static char why[160];
	char path[] = "/tmp/reclaimbench-dontcache-XXXXXX", block[4096] = { 1 };
	struct iovec iov = { block, sizeof(block) };
	int fd = mkstemp(path), err = 0;

	if (fd < 0)
		err = errno;
	else if (unlink(path) != 0 || pwrite(fd, block, sizeof(block), 0) != sizeof(block))
		err = errno ? errno : EIO;
	else if (preadv2(fd, &iov, 1, 0, RWF_DONTCACHE) < 0)
		err = errno;
	if (fd >= 0)
		(void)close(fd);
	if (!err)
		return NULL;
	if (err == EOPNOTSUPP || err == EINVAL)
		return "uncached = yes: the kernel rejects RWF_DONTCACHE reads "
		       "(uncached buffered I/O needs Linux 6.14+ and file system support)";
	(void)snprintf(why, sizeof(why), "uncached = yes: probing RWF_DONTCACHE in /tmp: %s",
		       strerror(err));
	return why;
}

static const char *backup_supported(const void *config)
{
	const struct backup_config *c = config;
	const char *why = io_uring_reason();

	return why || !c->uncached ? why : dontcache_reason();
}

static const char *const backup_hists[] = { "read", "file", NULL };
static const char *const backup_counters[] = { "files_done", NULL };

const struct rb_workload_ops rb_wl_backup_reader = {
	.abi = RB_WORKLOAD_ABI,
	.name = "backup-reader",
	.help = "a backup: reads a dataset once, sequentially, with io_uring, then ends",
	.reproduces = "backup cache pollution: the stream evicts a service's hot page cache",
	.options = backup_options,
	.config_size = sizeof(struct backup_config),
	.hist_names = backup_hists,
	.counter_names = backup_counters,
	.flags = RB_WL_USES_FILES,
	.supported = backup_supported,
	.setup = backup_setup,
	.run = backup_run,
	.teardown = backup_teardown,
};
