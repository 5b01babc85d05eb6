/* dirty-burst: buffered writes in bursts, the writer that dirty throttling
 * stalls.
 *
 * The incident (issue 4, "Dirty write throttle under burst load"): a log
 * aggregator flushes its batches of 10 MB with plain buffered writes. Each
 * write only dirties page-cache pages and returns, so the batches pile up
 * as dirty memory faster than the disk writes it back. Once the dirty pages
 * pass the midpoint between vm.dirty_background_ratio and vm.dirty_ratio
 * the kernel throttles every writer in balance_dirty_pages(): each write
 * sleeps there (up to 200 ms a time) until writeback catches up. A write
 * that took microseconds takes tens or hundreds of milliseconds, batches
 * overrun their interval, and the aggregator's throughput collapses into
 * stop-and-go. Bounding dirty memory in bytes (vm.dirty_bytes and
 * vm.dirty_background_bytes) starts writeback early and keeps the throttle
 * gentle: the same load then writes smoothly.
 *
 * How it reproduces it: every `interval` it writes one burst of `burst`
 * bytes, `bs` bytes per write, into `files` files in its scratch directory
 * (engine = write: pwrite(2); engine = io_uring: io_uring_prep_write with up
 * to `iodepth` writes of the burst in flight), optionally followed by
 * fdatasync() or sync_file_range() of what the burst wrote (`sync`). A file
 * that reaches `file_size` sends the next write to the next file; after the
 * last one the first is truncated to 0 and reused, so the page cache keeps
 * taking new dirty pages instead of rewriting cached ones. Bursts start on a
 * fixed grid (dirty_burst.h): a burst that overruns its interval makes the
 * following ones miss their turn (counted in "missed_bursts"), never pile up.
 *
 * Histograms: "write" (each write(2) call, or each io_uring write from
 * submit to completion, ns) and "burst" (a whole burst, from its first write
 * to its last completion, the sync included). One op per write; RB_CTR_BYTES
 * counts the bytes written. Custom counters (levels): "bursts" (bursts done),
 * "missed_bursts" (bursts skipped after an overrun) and "slowest_write_ns"
 * (the slowest write of the worker's current second, reset every second),
 * which the harness samples into workers.tsv. */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "dirty_burst.h"
#include "workload.h"

enum db_engine { ENGINE_WRITE, ENGINE_IO_URING };
enum db_sync { SYNC_NONE, SYNC_FDATASYNC, SYNC_FILE_RANGE };
enum db_hist { HIST_WRITE, HIST_BURST };
enum db_counter { CTR_BURSTS = RB_CTR_FIRST_CUSTOM, CTR_MISSED, CTR_SLOWEST };

#define WAIT_SLICE_NS (50ull * 1000000) /* longest wait for a completion */

struct db_config {
	uint64_t burst;
	uint64_t interval;
	int64_t files;
	uint64_t file_size;
	uint64_t bs;
	int engine;
	int64_t iodepth;
	int sync;
};

/* What one burst wrote into one file, for the sync after it. */
struct db_span {
	uint64_t lo, hi;
	bool touched;
};

/* One io_uring write in flight. */
struct db_slot {
	uint64_t t_submit;
	struct rb_burst_write wr;
};

struct dirty_burst {
	struct rb_burst_layout layout;
	struct rb_burst_cursor cursor;
	struct rb_burst_clock clock;
	struct rb_slowest slowest;
	int *fds;                 /* one per file, -1 while closed */
	struct db_span *spans;    /* one per file */
	uint32_t *touched;        /* files written in this burst */
	uint32_t n_touched;
	uint8_t *buf;             /* bs bytes of random data, the source of every write */
	size_t buf_len;
	struct io_uring ring;
	bool ring_ok;
	struct db_slot *slots;    /* iodepth slots */
	unsigned *idle;           /* stack of idle slot indices */
	unsigned n_idle, depth;
	struct rb_burst_write pending; /* next io_uring write, held back by a truncation */
	bool has_pending;
	uint64_t t_start, bursts;
};

static const struct rb_option db_options[] = {
	{ "burst", RB_OPT_SIZE, offsetof(struct db_config, burst), 4096, 1ull << 40,
	  "10M", "bytes written per burst (the article's 10 MB batch)", NULL },
	{ "interval", RB_OPT_DURATION, offsetof(struct db_config, interval), 0, 3600e9,
	  "100ms", "time between burst starts, 0 = back to back", NULL },
	{ "files", RB_OPT_INT, offsetof(struct db_config, files), 1, 256,
	  "4", "files written in turn; after the last, the first is truncated and reused", NULL },
	{ "file_size", RB_OPT_SIZE, offsetof(struct db_config, file_size), 4096, 1ull << 42,
	  "25%", "bytes a file grows to before the writes move to the next file", NULL },
	{ "bs", RB_OPT_SIZE, offsetof(struct db_config, bs), 512, 64 << 20,
	  "1M", "bytes per write", NULL },
	{ "engine", RB_OPT_ENUM, offsetof(struct db_config, engine), 0, 0,
	  "write", "write: pwrite(2), one at a time; io_uring: up to iodepth writes of a burst "
		   "in flight", "write|io_uring" },
	{ "iodepth", RB_OPT_INT, offsetof(struct db_config, iodepth), 1, 256,
	  "8", "io_uring writes in flight (engine = io_uring)", NULL },
	{ "sync", RB_OPT_ENUM, offsetof(struct db_config, sync), 0, 0,
	  "none", "after each burst: none, fdatasync() each file it wrote, or sync_file_range() "
		  "(start writeback of its range, no wait)", "none|fdatasync|sync_file_range" },
	RB_OPTION_END,
};

/* ---- accounting ---- */

/* Custom counters hold levels: stored, not added. */
static void set_level(struct rb_worker *w, enum db_counter c, uint64_t v)
{
	__atomic_store_n(&w->shm->counters[c], v, __ATOMIC_RELAXED);
}

static void file_name(const struct rb_worker *w, uint32_t i, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s/dirty-%04u.dat", w->scratch_dir, (unsigned)i);
}

/* Remember what the burst wrote into wr's file (for the sync). */
static void add_span(struct dirty_burst *d, const struct rb_burst_write *wr, uint64_t n)
{
	struct db_span *s = &d->spans[wr->file];

	if (!s->touched) {
		*s = (struct db_span){ .lo = wr->off, .hi = wr->off + n, .touched = true };
		d->touched[d->n_touched++] = wr->file;
		return;
	}
	if (wr->off < s->lo)
		s->lo = wr->off;
	if (wr->off + n > s->hi)
		s->hi = wr->off + n;
}

/* One write of n bytes took lat_ns and ended at now. */
static void account_write(struct rb_worker *w, struct dirty_burst *d,
			  const struct rb_burst_write *wr, uint64_t n, uint64_t lat_ns,
			  uint64_t now)
{
	rb_hist_record(rb_hist(w, HIST_WRITE), lat_ns);
	rb_add(w, RB_CTR_BYTES, n);
	rb_inc(w);
	set_level(w, CTR_SLOWEST, rb_slowest_update(&d->slowest, now - d->t_start, lat_ns));
	add_span(d, wr, n);
}

static int write_failed(struct rb_worker *w, const struct rb_burst_write *wr, int err)
{
	char path[4096];

	rb_add(w, RB_CTR_ERRORS, 1);
	file_name(w, wr->file, path, sizeof(path));
	fprintf(stderr, "%s: write of %llu bytes to %s at %llu: %s\n", w->name,
		(unsigned long long)wr->len, path, (unsigned long long)wr->off, strerror(err));
	return -err;
}

/* Rotation: a file reused after the wrap starts empty again. */
static int truncate_file(struct rb_worker *w, struct dirty_burst *d, uint32_t file)
{
	int err;

	if (ftruncate(d->fds[file], 0) == 0)
		return 0;
	err = errno;
	fprintf(stderr, "%s: truncating dirty-%04u.dat: %s\n", w->name, (unsigned)file,
		strerror(err));
	return -err;
}

/* ---- engine = write ---- */

/* One write of up to `want` bytes; *len is how far it moved the cursor. */
static int pwrite_one(struct rb_worker *w, struct dirty_burst *d, uint64_t want, uint64_t *len)
{
	struct rb_burst_write wr = rb_burst_next_write(&d->layout, &d->cursor, want);
	uint64_t t, now;
	ssize_t n;
	int rc;

	*len = wr.len;
	rc = wr.truncate ? truncate_file(w, d, wr.file) : 0;
	if (rc)
		return rc;
	t = rb_now_ns();
	do
		n = pwrite(d->fds[wr.file], d->buf, (size_t)wr.len, (off_t)wr.off);
	while (n < 0 && errno == EINTR);
	now = rb_now_ns();
	if (n < 0)
		return write_failed(w, &wr, errno);
	account_write(w, d, &wr, (uint64_t)n, now - t, now);
	return 0;
}

static int burst_pwrite(struct rb_worker *w, struct dirty_burst *d, uint64_t total)
{
	const struct db_config *c = w->config;
	uint64_t done = 0, len;
	int rc = 0;

	while (rc == 0 && done < total && rb_continue(w)) {
		rc = pwrite_one(w, d, total - done < c->bs ? total - done : c->bs, &len);
		done += len;
	}
	return rc;
}

/* ---- engine = io_uring ---- */

/* The next write, unless it must wait: a file is truncated only when no
 * write is in flight (one could still be writing into it). */
static bool next_uring_write(struct rb_worker *w, struct dirty_burst *d, uint64_t left,
			     int *rc)
{
	const struct db_config *c = w->config;

	if (!d->has_pending) {
		uint64_t want = left < c->bs ? left : c->bs;

		d->pending = rb_burst_next_write(&d->layout, &d->cursor, want);
		d->has_pending = true;
	}
	if (!d->pending.truncate)
		return true;
	if (d->n_idle < d->depth)
		return false;
	*rc = truncate_file(w, d, d->pending.file);
	d->pending.truncate = false;
	return *rc == 0;
}

/* Put writes of the burst into idle slots; *left counts down. */
static int fill_uring(struct rb_worker *w, struct dirty_burst *d, uint64_t *left)
{
	struct io_uring_sqe *sqe;
	int rc = 0;

	while (*left && d->n_idle && rb_continue(w) && next_uring_write(w, d, *left, &rc)) {
		struct db_slot *s;

		sqe = io_uring_get_sqe(&d->ring);
		if (!sqe)
			break;
		s = &d->slots[d->idle[--d->n_idle]];
		s->wr = d->pending;
		s->t_submit = rb_now_ns();
		d->has_pending = false;
		io_uring_prep_write(sqe, d->fds[s->wr.file], d->buf, (unsigned)s->wr.len,
				    s->wr.off);
		io_uring_sqe_set_data(sqe, s);
		*left -= s->wr.len;
	}
	if (!rb_continue(w))
		*left = 0; /* told to stop: let what is in flight finish, issue no more */
	return rc;
}

/* Account every completion that is ready. */
static int reap_uring(struct rb_worker *w, struct dirty_burst *d)
{
	struct io_uring_cqe *cqe;
	uint64_t now = rb_now_ns();
	int rc = 0;

	while (io_uring_peek_cqe(&d->ring, &cqe) == 0) {
		struct db_slot *s = io_uring_cqe_get_data(cqe);
		int res = cqe->res;

		io_uring_cqe_seen(&d->ring, cqe);
		d->idle[d->n_idle++] = (unsigned)(s - d->slots);
		if (res < 0 && rc == 0)
			rc = write_failed(w, &s->wr, -res);
		else if (res >= 0)
			account_write(w, d, &s->wr, (uint64_t)res, now - s->t_submit, now);
	}
	return rc;
}

/* Submit what is prepared, wait up to a slice for a completion, reap. A
 * busy ring, a signal or a timeout is not an error. */
static int step_uring(struct rb_worker *w, struct dirty_burst *d)
{
	struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = (long long)WAIT_SLICE_NS };
	struct io_uring_cqe *cqe;
	int rc = io_uring_submit(&d->ring);

	if (rc < 0 && rc != -EAGAIN && rc != -EBUSY && rc != -EINTR) {
		fprintf(stderr, "%s: io_uring_submit: %s\n", w->name, strerror(-rc));
		return rc;
	}
	if (d->n_idle == d->depth)
		return 0;
	rc = io_uring_wait_cqe_timeout(&d->ring, &cqe, &ts);
	if (rc < 0 && rc != -ETIME && rc != -EINTR) {
		fprintf(stderr, "%s: waiting for completions: %s\n", w->name, strerror(-rc));
		return rc;
	}
	return reap_uring(w, d);
}

/* One burst through io_uring; returns with nothing in flight unless it
 * failed. */
static int burst_uring(struct rb_worker *w, struct dirty_burst *d, uint64_t total)
{
	uint64_t left = total;
	int rc = 0;

	while (rc == 0 && (left || d->n_idle < d->depth)) {
		rc = fill_uring(w, d, &left);
		if (rc == 0)
			rc = step_uring(w, d);
	}
	return rc;
}

/* ---- bursts ---- */

static int sync_file(struct rb_worker *w, struct dirty_burst *d, uint32_t file)
{
	const struct db_config *c = w->config;
	const struct db_span *s = &d->spans[file];
	int fd = d->fds[file], rc;

	if (c->sync == SYNC_FDATASYNC)
		rc = fdatasync(fd);
	else
		rc = sync_file_range(fd, (off_t)s->lo, (off_t)(s->hi - s->lo),
				     SYNC_FILE_RANGE_WRITE);
	if (rc == 0)
		return 0;
	rc = errno;
	fprintf(stderr, "%s: %s of dirty-%04u.dat: %s\n", w->name,
		c->sync == SYNC_FDATASYNC ? "fdatasync" : "sync_file_range", (unsigned)file,
		strerror(rc));
	return -rc;
}

/* The sync after a burst, over every file it wrote; the spans are reset. */
static int sync_burst(struct rb_worker *w, struct dirty_burst *d)
{
	const struct db_config *c = w->config;
	int rc = 0;

	for (uint32_t i = 0; i < d->n_touched; i++) {
		if (rc == 0 && c->sync != SYNC_NONE)
			rc = sync_file(w, d, d->touched[i]);
		d->spans[d->touched[i]].touched = false;
	}
	d->n_touched = 0;
	return rc;
}

/* One burst, timed from its first write to its last completion and sync.
 * A burst cut short by the stop flag is not recorded. */
static int burst(struct rb_worker *w, struct dirty_burst *d)
{
	const struct db_config *c = w->config;
	uint64_t t = rb_now_ns();
	int rc;

	set_level(w, CTR_SLOWEST, rb_slowest_update(&d->slowest, t - d->t_start, 0));
	rc = c->engine == ENGINE_WRITE ? burst_pwrite(w, d, c->burst)
				       : burst_uring(w, d, c->burst);
	if (rc == 0 && rb_continue(w))
		rc = sync_burst(w, d);
	if (rc || !rb_continue(w))
		return rc;
	rb_hist_record(rb_hist(w, HIST_BURST), rb_now_ns() - t);
	set_level(w, CTR_BURSTS, ++d->bursts);
	return 0;
}

static int db_run(struct rb_worker *w)
{
	const struct db_config *c = w->config;
	struct dirty_burst *d = w->priv;
	uint64_t next;
	int rc = 0;

	d->t_start = rb_now_ns();
	rb_burst_clock_init(&d->clock, d->t_start, c->interval);
	next = d->t_start;
	while (rc == 0 && rb_sleep_until(w, next)) {
		rc = burst(w, d);
		next = rb_burst_next_start(&d->clock, rb_now_ns());
		set_level(w, CTR_MISSED, d->clock.missed);
	}
	return rc ? RB_EXIT_FAIL : RB_EXIT_OK;
}

/* ---- setup ---- */

/* The write buffer (random, incompressible data) and the per-file and
 * per-slot state. */
static int alloc_state(struct rb_worker *w, struct dirty_burst *d)
{
	const struct db_config *c = w->config;
	uint64_t rng = w->seed | 1;

	d->buf_len = (size_t)c->bs;
	d->buf = mmap(NULL, d->buf_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	d->fds = malloc(d->layout.nfiles * sizeof(*d->fds));
	d->spans = calloc(d->layout.nfiles, sizeof(*d->spans));
	d->touched = calloc(d->layout.nfiles, sizeof(*d->touched));
	d->slots = calloc(d->depth, sizeof(*d->slots));
	d->idle = calloc(d->depth, sizeof(*d->idle));
	if (d->buf == MAP_FAILED || !d->fds || !d->spans || !d->touched || !d->slots || !d->idle)
		return -ENOMEM;
	for (size_t i = 0; i + sizeof(uint64_t) <= d->buf_len; i += sizeof(uint64_t)) {
		uint64_t x = rb_rand(&rng);
		memcpy(d->buf + i, &x, sizeof(x));
	}
	for (uint32_t i = 0; i < d->layout.nfiles; i++)
		d->fds[i] = -1;
	for (unsigned i = 0; i < d->depth; i++)
		d->idle[d->n_idle++] = i;
	return 0;
}

/* Every file at full size must fit in the scratch file system. */
static int check_space(struct rb_worker *w, struct dirty_burst *d)
{
	uint64_t need = d->layout.file_size * d->layout.nfiles, avail;
	struct statvfs st;

	if (statvfs(w->scratch_dir, &st) != 0)
		return -errno;
	avail = (uint64_t)st.f_bavail * st.f_frsize;
	if (need <= avail)
		return 0;
	fprintf(stderr, "%s: files x file_size = %llu bytes, %s has %llu free\n", w->name,
		(unsigned long long)need, w->scratch_dir, (unsigned long long)avail);
	return -ENOSPC;
}

static int open_files(struct rb_worker *w, struct dirty_burst *d)
{
	char path[4096];

	for (uint32_t i = 0; i < d->layout.nfiles; i++) {
		file_name(w, i, path, sizeof(path));
		d->fds[i] = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (d->fds[i] < 0)
			return -errno;
	}
	return 0;
}

static int init_ring(struct rb_worker *w, struct dirty_burst *d)
{
	const struct db_config *c = w->config;
	int rc;

	if (c->engine != ENGINE_IO_URING)
		return 0;
	rc = io_uring_queue_init(d->depth, &d->ring, 0);
	d->ring_ok = rc == 0;
	return rc;
}

static const struct {
	const char *what;
	int (*fn)(struct rb_worker *w, struct dirty_burst *d);
} setup_steps[] = {
	{ "allocating the write buffer", alloc_state },
	{ "checking free space", check_space },
	{ "creating the files", open_files },
	{ "setting up io_uring", init_ring },
};

static int db_setup(struct rb_worker *w)
{
	const struct db_config *c = w->config;
	struct dirty_burst *d = calloc(1, sizeof(*d));
	int rc = 0;

	if (!d)
		return RB_EXIT_NO_RESOURCE;
	w->priv = d;
	d->buf = MAP_FAILED;
	d->depth = c->engine == ENGINE_IO_URING ? (unsigned)c->iodepth : 1;
	if (rb_burst_layout_init(&d->layout, c->file_size, (uint32_t)c->files) != 0)
		return RB_EXIT_FAIL;
	for (size_t i = 0; rc == 0 && i < sizeof(setup_steps) / sizeof(setup_steps[0]); i++) {
		rc = setup_steps[i].fn(w, d);
		if (rc)
			fprintf(stderr, "%s: %s: %s\n", w->name, setup_steps[i].what,
				strerror(-rc));
	}
	return rc ? RB_EXIT_NO_RESOURCE : RB_EXIT_OK;
}

static void db_teardown(struct rb_worker *w)
{
	struct dirty_burst *d = w->priv;

	if (!d)
		return;
	if (d->ring_ok)
		io_uring_queue_exit(&d->ring);
	for (uint32_t i = 0; d->fds && i < d->layout.nfiles; i++)
		if (d->fds[i] >= 0)
			(void)close(d->fds[i]);
	if (d->buf != MAP_FAILED)
		(void)munmap(d->buf, d->buf_len);
	free(d->fds);
	free(d->spans);
	free(d->touched);
	free(d->slots);
	free(d->idle);
	free(d);
	w->priv = NULL;
}

/* ---- can it run here? ---- */

/* kernel.io_uring_disabled: 0 allowed, 1 only privileged, 2 nobody; absent
 * before Linux 6.6 (allowed). */
static bool io_uring_disabled(void)
{
	FILE *fp = fopen("/proc/sys/kernel/io_uring_disabled", "re");
	int v = 0;

	if (!fp)
		return false;
	if (fscanf(fp, "%d", &v) != 1)
		v = 0;
	(void)fclose(fp);
	return v == 2;
}

/* engine = write runs anywhere; io_uring needs a ring that knows WRITE. */
static const char *db_supported(const void *config)
{
	const struct db_config *c = config;
	static char why[128];
	struct io_uring_probe *probe;
	struct io_uring ring;
	bool ok;
	int rc;

	if (c->engine != ENGINE_IO_URING)
		return NULL;
	if (io_uring_disabled())
		return "io_uring is disabled (kernel.io_uring_disabled = 2); use engine = write";
	rc = io_uring_queue_init(1, &ring, 0);
	if (rc < 0) {
		(void)snprintf(why, sizeof(why), "io_uring unavailable: io_uring_queue_init: %s",
			       strerror(-rc));
		return why;
	}
	probe = io_uring_get_probe_ring(&ring);
	ok = probe && io_uring_opcode_supported(probe, IORING_OP_WRITE);
	io_uring_free_probe(probe);
	io_uring_queue_exit(&ring);
	return ok ? NULL : "the kernel's io_uring lacks IORING_OP_WRITE (needs Linux 5.6)";
}

static const char *const db_hists[] = { "write", "burst", NULL };
static const char *const db_counters[] = { "bursts", "missed_bursts", "slowest_write_ns", NULL };

const struct rb_workload_ops rb_wl_dirty_burst = {
	.abi = RB_WORKLOAD_ABI,
	.name = "dirty-burst",
	.help = "buffered writes in bursts (a log aggregator's batches) into rotating files",
	.reproduces = "dirty throttling: writers stalled in balance_dirty_pages() past dirty_ratio",
	.options = db_options,
	.config_size = sizeof(struct db_config),
	.hist_names = db_hists,
	.counter_names = db_counters,
	.flags = RB_WL_USES_FILES,
	.supported = db_supported,
	.setup = db_setup,
	.run = db_run,
	.teardown = db_teardown,
};
