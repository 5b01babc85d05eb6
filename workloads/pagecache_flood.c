/* pagecache-flood: buffered I/O that floods the page cache.
 *
 * Reproduces the page-cache flood behind "direct-reclaim and watermark
 * pathology" (issue 3). In setup it writes a file set of `dataset` bytes
 * (`files` files of real, incompressible data, written back and dropped from
 * the cache, so the run starts cold) in its scratch directory. The run then
 * keeps `iodepth` buffered (never O_DIRECT) reads, writes or both in flight
 * through io_uring, walking the set block by block and wrapping around
 * (`pattern = seq`: every pass re-reads the whole set) or at random blocks
 * (`rand`). Each block read enters the page cache, and a set larger than
 * memory keeps the cache full: free memory sits at the low watermark, kswapd
 * runs constantly, and every other worker that allocates falls into direct
 * reclaim (allocstall, pgscan_direct) or, in a memory cgroup, into memcg
 * reclaim against the limit (failcnt). `rw = write` adds dirty pages and
 * writeback throttling to the same flood. `rate` caps the bytes per second,
 * paced on bytes issued so the loop never sleeps on a finished I/O.
 *
 * Histograms: "io" (submit-to-completion time of every I/O), "read" and
 * "write" (each direction). The time starts before io_uring_submit(), which
 * runs buffered reads inline (the copy, readahead allocations, and the
 * reclaim those allocations do), so it is higher than fio's clat, which
 * starts after the submit call. One op per successful I/O; RB_CTR_BYTES
 * counts the bytes each one moved (short reads count what they read); failed
 * I/Os count in RB_CTR_ERRORS. */
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
#include <unistd.h>

#include "pagecache_flood.h"
#include "scratch_files.h"
#include "workload.h"

enum flood_pattern { PATTERN_SEQ, PATTERN_RAND };
enum flood_rw { RW_READ, RW_WRITE, RW_READWRITE };
enum flood_hist { HIST_IO, HIST_READ, HIST_WRITE };

#define WAIT_SLICE_NS (50ull * 1000000)          /* longest wait before checking stop */
#define DRAIN_LIMIT_NS (30ull * 1000000000)      /* give up draining after this */

struct flood_config {
	uint64_t dataset;
	int64_t files;
	uint64_t bs;
	int64_t iodepth;
	int pattern;
	int rw;
	uint64_t rate; /* bytes/s, 0 = unlimited */
};

/* One I/O slot: its buffer and the I/O in flight in it. */
struct flood_io {
	uint8_t *buf;
	uint64_t t_submit;
	struct rb_flood_pos pos;
	bool write;
};

struct flood {
	struct io_uring ring;
	bool ring_ok;
	struct rb_flood_layout layout;
	int *fds;                /* one per file, -1 while closed */
	struct flood_io *ios;    /* depth slots */
	unsigned *idle;          /* stack of idle slot indices */
	unsigned n_idle, depth;
	uint8_t *bufs;
	size_t bufs_len;
	struct rb_flood_pos cursor; /* next block of the sequential walk */
	uint64_t rng;
	uint64_t t0, issued;     /* pacing: when the run began, bytes issued since */
	unsigned err_streak;     /* failed completions since the last success */
};

static const struct rb_option flood_options[] = {
	{ "dataset", RB_OPT_SIZE, offsetof(struct flood_config, dataset), 4096, 1ull << 42,
	  "200%", "total bytes of the file set (of the profile's memory with %)", NULL },
	{ "files", RB_OPT_INT, offsetof(struct flood_config, files), 1, 4096,
	  "4", "number of files the dataset is split into", NULL },
	{ "bs", RB_OPT_SIZE, offsetof(struct flood_config, bs), 4096, 16 << 20,
	  "128K", "bytes per I/O", NULL },
	{ "iodepth", RB_OPT_INT, offsetof(struct flood_config, iodepth), 1, 256,
	  "16", "I/Os kept in flight", NULL },
	{ "pattern", RB_OPT_ENUM, offsetof(struct flood_config, pattern), 0, 0,
	  "seq", "seq: walk the files in order and wrap around; rand: random blocks",
	  "seq|rand" },
	{ "rw", RB_OPT_ENUM, offsetof(struct flood_config, rw), 0, 0,
	  "read", "read, write (dirty pages) or readwrite (each I/O one or the other, 50/50)",
	  "read|write|readwrite" },
	{ "rate", RB_OPT_SIZE, offsetof(struct flood_config, rate), 0, 1ull << 40,
	  "0", "bytes per second, 0 = as fast as possible", NULL },
	RB_OPTION_END,
};

/* ---- pure arithmetic (pagecache_flood.h) ---- */

int rb_flood_layout_init(struct rb_flood_layout *l, uint64_t dataset, uint32_t files,
			 uint64_t bs)
{
	if (!files || !bs)
		return -EINVAL;
	l->bs = bs;
	l->nfiles = files;
	l->file_size = dataset / files / bs * bs;
	if (l->file_size < bs)
		l->file_size = bs;
	return 0;
}

struct rb_flood_pos rb_flood_next_seq(const struct rb_flood_layout *l, struct rb_flood_pos *cur)
{
	struct rb_flood_pos at = *cur;

	cur->off += l->bs;
	if (cur->off >= l->file_size) {
		cur->off = 0;
		cur->file = (cur->file + 1) % l->nfiles;
	}
	return at;
}

struct rb_flood_pos rb_flood_next_rand(const struct rb_flood_layout *l, uint64_t *rng)
{
	struct rb_flood_pos at;

	at.file = (uint32_t)(rb_rand(rng) % l->nfiles);
	at.off = rb_rand(rng) % (l->file_size / l->bs) * l->bs;
	return at;
}

uint64_t rb_flood_due_ns(uint64_t t0, uint64_t issued, uint64_t rate)
{
	if (!rate)
		return t0;
	return t0 + issued / rate * 1000000000ull +
	       (uint64_t)((double)(issued % rate) * 1e9 / (double)rate);
}

/* ---- setup ---- */

static void file_path(const struct rb_worker *w, uint32_t i, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s/flood-%04u.dat", w->scratch_dir, (unsigned)i);
}

/* The slots and their buffers, pre-faulted (a write's data is whatever the
 * buffer holds: non-zero). Refuses buffers over a quarter of the profile's
 * memory: they would crowd out the cache this workload is meant to fill. */
static int alloc_state(struct rb_worker *w, struct flood *f)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t slot = (f->layout.bs + page - 1) / page * page;

	f->bufs_len = slot * f->depth;
	if (w->memory && f->bufs_len > w->memory / 4) {
		fprintf(stderr, "%s: iodepth x bs = %zu bytes of buffers is more than a quarter "
				"of the profile's memory\n", w->name, f->bufs_len);
		return -ENOMEM;
	}
	f->fds = malloc(f->layout.nfiles * sizeof(*f->fds));
	f->ios = calloc(f->depth, sizeof(*f->ios));
	f->idle = calloc(f->depth, sizeof(*f->idle));
	f->bufs = mmap(NULL, f->bufs_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!f->fds || !f->ios || !f->idle || f->bufs == MAP_FAILED)
		return -ENOMEM;
	memset(f->bufs, 0x5a, f->bufs_len);
	for (uint32_t i = 0; i < f->layout.nfiles; i++)
		f->fds[i] = -1;
	for (unsigned i = 0; i < f->depth; i++) {
		f->ios[i].buf = f->bufs + (size_t)i * slot;
		f->idle[f->n_idle++] = i;
	}
	return 0;
}

static int check_space(struct rb_worker *w, struct flood *f)
{
	return rb_scratch_check_space(w, f->layout.file_size * f->layout.nfiles, "the file set");
}

/* Keep every file open: make room for up to 4096 descriptors. */
static int raise_nofile(struct rb_worker *w, struct flood *f)
{
	(void)w;
	return rb_scratch_raise_nofile(f->layout.nfiles);
}

static int create_file(struct rb_worker *w, struct flood *f, uint32_t i, const uint8_t *chunk)
{
	char path[4096];

	file_path(w, i, path, sizeof(path));
	f->fds[i] = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (f->fds[i] < 0)
		return -errno;
	/* Reserve the blocks up front: ENOSPC now, and contiguous extents. */
	if (fallocate(f->fds[i], 0, 0, (off_t)f->layout.file_size) != 0 && errno != EOPNOTSUPP)
		return -errno;
	return rb_scratch_fill_file(w, f->fds[i], f->layout.file_size, chunk);
}

/* Create the file set with real (random, incompressible) data. */
static int create_files(struct rb_worker *w, struct flood *f)
{
	uint64_t *chunk = malloc(RB_SCRATCH_CHUNK), rng = f->rng ^ 0x9E3779B97F4A7C15ull;
	int rc = chunk ? 0 : -ENOMEM;

	for (size_t i = 0; chunk && i < RB_SCRATCH_CHUNK / sizeof(*chunk); i++)
		chunk[i] = rb_rand(&rng);
	for (uint32_t i = 0; rc == 0 && i < f->layout.nfiles; i++)
		rc = create_file(w, f, i, (const uint8_t *)chunk);
	free(chunk);
	return rc;
}

static int init_ring(struct rb_worker *w, struct flood *f)
{
	int rc = io_uring_queue_init(f->depth, &f->ring, 0);

	(void)w;
	f->ring_ok = rc == 0;
	return rc;
}

static const struct {
	const char *what;
	int (*fn)(struct rb_worker *w, struct flood *f);
} setup_steps[] = {
	{ "allocating I/O buffers", alloc_state },
	{ "checking free space", check_space },
	{ "raising the open-file limit", raise_nofile },
	{ "creating the file set", create_files },
	{ "setting up io_uring", init_ring },
};

static int flood_setup(struct rb_worker *w)
{
	const struct flood_config *c = w->config;
	struct flood *f = calloc(1, sizeof(*f));
	int rc = 0;

	if (!f)
		return RB_EXIT_NO_RESOURCE;
	w->priv = f;
	f->depth = (unsigned)c->iodepth;
	f->rng = w->seed | 1;
	f->bufs = MAP_FAILED;
	if (rb_flood_layout_init(&f->layout, c->dataset, (uint32_t)c->files, c->bs) != 0)
		return RB_EXIT_FAIL;
	for (size_t i = 0; rc == 0 && i < sizeof(setup_steps) / sizeof(setup_steps[0]); i++) {
		rc = setup_steps[i].fn(w, f);
		if (rc && rc != -ECANCELED)
			fprintf(stderr, "%s: %s: %s\n", w->name, setup_steps[i].what,
				strerror(-rc));
	}
	/* Stopped while creating files: not a failure; run() will not start. */
	return rc && rc != -ECANCELED ? RB_EXIT_NO_RESOURCE : RB_EXIT_OK;
}

/* ---- the loop ---- */

/* Prepare one I/O in an idle slot: the next block, its direction. */
static void prep_io(struct rb_worker *w, struct flood *f, struct io_uring_sqe *sqe, uint64_t now)
{
	const struct flood_config *c = w->config;
	struct flood_io *io = &f->ios[f->idle[--f->n_idle]];
	unsigned len = (unsigned)f->layout.bs;
	int fd;

	io->pos = c->pattern == PATTERN_SEQ ? rb_flood_next_seq(&f->layout, &f->cursor)
					    : rb_flood_next_rand(&f->layout, &f->rng);
	io->write = c->rw == RW_WRITE || (c->rw == RW_READWRITE && rb_rand(&f->rng) >> 63);
	io->t_submit = now;
	fd = f->fds[io->pos.file];
	if (io->write)
		io_uring_prep_write(sqe, fd, io->buf, len, io->pos.off);
	else
		io_uring_prep_read(sqe, fd, io->buf, len, io->pos.off);
	io_uring_sqe_set_data(sqe, io);
	f->issued += len;
}

/* Fill idle slots with new I/Os, as far as the rate allows. */
static void fill_queue(struct rb_worker *w, struct flood *f, uint64_t now)
{
	const struct flood_config *c = w->config;
	struct io_uring_sqe *sqe;

	while (f->n_idle && rb_flood_due_ns(f->t0, f->issued, c->rate) <= now) {
		sqe = io_uring_get_sqe(&f->ring);
		if (!sqe)
			break;
		prep_io(w, f, sqe, now);
	}
}

/* Submit what is prepared. A busy ring (EAGAIN, EBUSY) or a signal keeps the
 * entries queued for the next round; anything else is fatal. */
static int submit(struct rb_worker *w, struct flood *f)
{
	int rc = io_uring_submit(&f->ring);

	if (rc >= 0 || rc == -EAGAIN || rc == -EBUSY || rc == -EINTR)
		return 0;
	fprintf(stderr, "%s: io_uring_submit: %s\n", w->name, strerror(-rc));
	return rc;
}

/* A failed I/O; a long streak of failures with no success is fatal. */
static int failed_io(struct rb_worker *w, struct flood *f, const struct flood_io *io, int res)
{
	unsigned limit = 2 * f->depth + 64;

	rb_add(w, RB_CTR_ERRORS, 1);
	if (++f->err_streak < limit)
		return 0;
	if (f->err_streak == limit)
		fprintf(stderr, "%s: %s of flood-%04u.dat at %llu: %s (%u I/Os in a row failed)\n",
			w->name, io->write ? "write" : "read", (unsigned)io->pos.file,
			(unsigned long long)io->pos.off, strerror(-res), limit);
	return res;
}

/* Account one completion and return its slot to the idle stack. A read at
 * end of file (0 bytes: the file is shorter than laid out) wraps the
 * sequential walk to the next file. */
static int complete(struct rb_worker *w, struct flood *f, struct flood_io *io, int res,
		    uint64_t now)
{
	const struct flood_config *c = w->config;

	f->idle[f->n_idle++] = (unsigned)(io - f->ios);
	if (res < 0)
		return failed_io(w, f, io, res);
	f->err_streak = 0;
	rb_hist_record(rb_hist(w, HIST_IO), now - io->t_submit);
	rb_hist_record(rb_hist(w, io->write ? HIST_WRITE : HIST_READ), now - io->t_submit);
	rb_add(w, RB_CTR_BYTES, (uint64_t)res);
	rb_inc(w);
	if (res == 0 && !io->write && c->pattern == PATTERN_SEQ)
		f->cursor = (struct rb_flood_pos){ (io->pos.file + 1) % f->layout.nfiles, 0 };
	return 0;
}

/* Account every completion that is ready. */
static int reap(struct rb_worker *w, struct flood *f)
{
	struct io_uring_cqe *cqe;
	uint64_t now = rb_now_ns();
	int rc = 0;

	while (rc == 0 && io_uring_peek_cqe(&f->ring, &cqe) == 0) {
		struct flood_io *io = io_uring_cqe_get_data(cqe);
		int res = cqe->res;
		io_uring_cqe_seen(&f->ring, cqe);
		rc = complete(w, f, io, res, now);
	}
	return rc;
}

/* Wait up to ns for a completion; a timeout or a signal is not an error. */
static int wait_cqe(struct flood *f, uint64_t ns)
{
	struct __kernel_timespec ts = { .tv_sec = (long long)(ns / 1000000000ull),
					.tv_nsec = (long long)(ns % 1000000000ull) };
	struct io_uring_cqe *cqe;
	int rc = io_uring_wait_cqe_timeout(&f->ring, &cqe, &ts);

	return rc == -ETIME || rc == -EINTR ? 0 : rc;
}

/* How long to wait for a completion: until the rate lets the next I/O start
 * if a slot is idle for it, never longer than a slice (to see the stop). */
static uint64_t wait_ns(struct rb_worker *w, struct flood *f)
{
	const struct flood_config *c = w->config;
	uint64_t now = rb_now_ns(), due;

	if (!f->n_idle || !c->rate)
		return WAIT_SLICE_NS;
	due = rb_flood_due_ns(f->t0, f->issued, c->rate);
	if (due <= now)
		return 0;
	return due - now < WAIT_SLICE_NS ? due - now : WAIT_SLICE_NS;
}

/* One round: top the queue up, submit, then wait for completions and reap
 * them. With nothing in flight (the rate holds the next I/O back) sleep. */
static int step(struct rb_worker *w, struct flood *f)
{
	const struct flood_config *c = w->config;
	int rc;

	fill_queue(w, f, rb_now_ns());
	rc = submit(w, f);
	if (rc)
		return rc;
	if (f->n_idle == f->depth) {
		(void)rb_sleep_until(w, rb_flood_due_ns(f->t0, f->issued, c->rate));
		return 0;
	}
	rc = wait_cqe(f, wait_ns(w, f));
	if (rc)
		fprintf(stderr, "%s: waiting for completions: %s\n", w->name, strerror(-rc));
	return rc ? rc : reap(w, f);
}

/* Let every I/O in flight complete (and count it) before teardown. */
static void drain(struct rb_worker *w, struct flood *f)
{
	uint64_t give_up = rb_now_ns() + DRAIN_LIMIT_NS;

	while (f->n_idle < f->depth && rb_now_ns() < give_up) {
		(void)io_uring_submit(&f->ring); /* queued entries complete only once submitted */
		if (wait_cqe(f, WAIT_SLICE_NS) != 0)
			break;
		(void)reap(w, f);
	}
}

static int flood_run(struct rb_worker *w)
{
	struct flood *f = w->priv;
	int rc = 0;

	f->t0 = rb_now_ns();
	while (rc == 0 && rb_continue(w))
		rc = step(w, f);
	drain(w, f);
	return rc ? RB_EXIT_FAIL : RB_EXIT_OK;
}

static void flood_teardown(struct rb_worker *w)
{
	struct flood *f = w->priv;

	if (!f)
		return;
	if (f->ring_ok)
		io_uring_queue_exit(&f->ring);
	for (uint32_t i = 0; f->fds && i < f->layout.nfiles; i++)
		if (f->fds[i] >= 0)
			(void)close(f->fds[i]);
	if (f->bufs != MAP_FAILED)
		(void)munmap(f->bufs, f->bufs_len);
	free(f->fds);
	free(f->ios);
	free(f->idle);
	free(f);
	w->priv = NULL;
}

/* ---- can it run here? ---- */

/* kernel.io_uring_disabled: 0 allowed, 1 only privileged, 2 nobody; absent
 * on kernels before 6.6 (allowed). */
static int io_uring_disabled(void)
{
	FILE *fp = fopen("/proc/sys/kernel/io_uring_disabled", "re");
	int v = 0;

	if (!fp)
		return 0;
	if (fscanf(fp, "%d", &v) != 1)
		v = 0;
	(void)fclose(fp);
	return v;
}

/* A one-entry ring must set up, and the kernel must know READ and WRITE. */
static const char *flood_supported(const void *config)
{
	static char why[128];
	struct io_uring_probe *probe;
	struct io_uring ring;
	bool ok;
	int rc;

	(void)config;
	if (io_uring_disabled() == 2)
		return "io_uring is disabled (kernel.io_uring_disabled = 2)";
	rc = io_uring_queue_init(1, &ring, 0);
	if (rc < 0) {
		(void)snprintf(why, sizeof(why), "io_uring unavailable: io_uring_queue_init: %s",
			       strerror(-rc));
		return why;
	}
	probe = io_uring_get_probe_ring(&ring);
	ok = probe && io_uring_opcode_supported(probe, IORING_OP_READ) &&
	     io_uring_opcode_supported(probe, IORING_OP_WRITE);
	io_uring_free_probe(probe);
	io_uring_queue_exit(&ring);
	return ok ? NULL : "the kernel's io_uring lacks IORING_OP_READ/WRITE (needs Linux 5.6)";
}

static const char *const flood_hists[] = { "io", "read", "write", NULL };

const struct rb_workload_ops rb_wl_pagecache_flood = {
	.abi = RB_WORKLOAD_ABI,
	.name = "pagecache-flood",
	.help = "buffered io_uring reads/writes over a file set larger than memory",
	.reproduces = "page-cache flood: free memory at the watermarks, kswapd, direct reclaim",
	.options = flood_options,
	.config_size = sizeof(struct flood_config),
	.hist_names = flood_hists,
	.flags = RB_WL_USES_FILES,
	.supported = flood_supported,
	.setup = flood_setup,
	.run = flood_run,
	.teardown = flood_teardown,
};
