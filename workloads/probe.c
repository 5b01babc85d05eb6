/* probe: the victim whose latency shows a reclaim stall.
 *
 * A small latency-sensitive process: every `interval` it touches `pages`
 * random pages of its own working set, half anonymous memory and half a
 * file it maps from the scratch directory, and times each access. While
 * memory is plentiful an access takes well under a microsecond; when the
 * probe's own allocations hit direct reclaim, or its pages were reclaimed
 * and must be faulted back (refault, swap-in), single accesses take tens
 * of microseconds to seconds, and its p99 shows the stall.
 *
 * With `alloc` set it also maps that much fresh anonymous memory each
 * round, faults every page in, and unmaps it, timing the whole allocation
 * as an application allocating a buffer would see it. Each fault needs a
 * free page, so once free memory is below the min watermark (or the cgroup
 * is at its limit) some of them pay for direct reclaim, and the "alloc"
 * histogram shows the stall directly (a clean-page direct reclaim costs
 * tens of microseconds to milliseconds; the allocation itself ~1 us/page).
 *
 * Histograms: "access" (every access), "anon" and "file" (each kind),
 * "alloc" (each round's allocation); one op per round. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "workload.h"

struct probe_config {
	uint64_t interval;
	uint64_t anon;
	uint64_t file;
	uint64_t alloc;
	int64_t pages;
};

struct probe {
	uint8_t *anon;
	const uint8_t *file;
	size_t anon_len, file_len, page;
	int fd;
	uint64_t rng;
};

static const struct rb_option probe_options[] = {
	{ "interval", RB_OPT_DURATION, offsetof(struct probe_config, interval), 1e5, 6e10,
	  "10ms", "time between rounds of accesses", NULL },
	{ "anon", RB_OPT_SIZE, offsetof(struct probe_config, anon), 4096, 1ull << 36,
	  "16M", "anonymous working set", NULL },
	{ "file", RB_OPT_SIZE, offsetof(struct probe_config, file), 0, 1ull << 36,
	  "16M", "file-backed working set (a file in the scratch directory), 0 = none", NULL },
	{ "alloc", RB_OPT_SIZE, offsetof(struct probe_config, alloc), 0, 1ull << 30,
	  "0", "fresh anonymous memory faulted in (timed) and freed each round, 0 = none", NULL },
	{ "pages", RB_OPT_INT, offsetof(struct probe_config, pages), 1, 65536,
	  "64", "pages accessed per round", NULL },
	RB_OPTION_END,
};

/* Create the probe's file with non-zero contents and flush it. */
static int create_file(struct rb_worker *w, struct probe *p)
{
	char path[4096], buf[1 << 16];

	(void)snprintf(path, sizeof(path), "%s/probe.dat", w->scratch_dir);
	p->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (p->fd < 0)
		return -errno;
	memset(buf, 0x5a, sizeof(buf));
	for (size_t off = 0; off < p->file_len; off += sizeof(buf)) {
		size_t n = p->file_len - off < sizeof(buf) ? p->file_len - off : sizeof(buf);
		if (pwrite(p->fd, buf, n, (off_t)off) != (ssize_t)n)
			return errno ? -errno : -EIO;
	}
	return fsync(p->fd) ? -errno : 0;
}

static int map_all(struct rb_worker *w, struct probe *p)
{
	int rc;

	p->anon = mmap(NULL, p->anon_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->anon == MAP_FAILED)
		return -errno;
	memset(p->anon, 0xa5, p->anon_len);
	if (!p->file_len)
		return 0;
	rc = create_file(w, p);
	if (rc)
		return rc;
	p->file = mmap(NULL, p->file_len, PROT_READ, MAP_SHARED, p->fd, 0);
	return p->file == MAP_FAILED ? -errno : 0;
}

static int probe_setup(struct rb_worker *w)
{
	const struct probe_config *c = w->config;
	struct probe *p = calloc(1, sizeof(*p));
	int rc;

	if (!p)
		return RB_EXIT_NO_RESOURCE;
	p->page = (size_t)sysconf(_SC_PAGESIZE);
	p->anon_len = (c->anon + p->page - 1) / p->page * p->page;
	p->file_len = (c->file + p->page - 1) / p->page * p->page;
	p->fd = -1;
	p->file = MAP_FAILED;
	p->rng = w->seed | 1;
	w->priv = p;
	rc = map_all(w, p);
	if (rc) {
		fprintf(stderr, "%s: setting up the working set: %s\n", w->name, strerror(-rc));
		return RB_EXIT_NO_RESOURCE;
	}
	return RB_EXIT_OK;
}

/* Time one access to a random page of the anon (kind 1) or file (2) set. */
static void access_one(struct rb_worker *w, struct probe *p, unsigned kind)
{
	size_t len = kind == 1 ? p->anon_len : p->file_len;
	size_t off = (size_t)(rb_rand(&p->rng) % (len / p->page)) * p->page;
	uint64_t t0 = rb_now_ns(), dt;

	if (kind == 1) {
		volatile uint8_t *b = p->anon + off;
		*b = (uint8_t)(*b + 1);
	} else {
		volatile const uint8_t *b = p->file + off;
		(void)*b;
	}
	dt = rb_now_ns() - t0;
	rb_hist_record(rb_hist(w, 0), dt);
	rb_hist_record(rb_hist(w, kind), dt);
}

/* Map fresh memory, fault every page in, unmap it; time map + faults. */
static void alloc_round(struct rb_worker *w, struct probe *p, size_t len)
{
	uint64_t t0 = rb_now_ns();
	uint8_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED) {
		rb_add(w, RB_CTR_ERRORS, 1);
		return;
	}
	for (size_t off = 0; off < len; off += p->page)
		((volatile uint8_t *)mem)[off] = 1;
	rb_hist_record(rb_hist(w, 3), rb_now_ns() - t0);
	(void)munmap(mem, len);
}

static int probe_run(struct rb_worker *w)
{
	const struct probe_config *c = w->config;
	struct probe *p = w->priv;
	uint64_t next = rb_now_ns();

	do {
		for (int64_t i = 0; i < c->pages; i++)
			access_one(w, p, p->file_len && (i & 1) ? 2 : 1);
		if (c->alloc)
			alloc_round(w, p, (c->alloc + p->page - 1) / p->page * p->page);
		rb_add(w, RB_CTR_BYTES, (uint64_t)c->pages * p->page + c->alloc);
		rb_inc(w);
		next += c->interval;
	} while (rb_sleep_until(w, next));
	return RB_EXIT_OK;
}

static void probe_teardown(struct rb_worker *w)
{
	struct probe *p = w->priv;

	if (!p)
		return;
	if (p->anon && p->anon != MAP_FAILED)
		(void)munmap(p->anon, p->anon_len);
	if (p->file != MAP_FAILED)
		(void)munmap((void *)p->file, p->file_len);
	if (p->fd >= 0)
		(void)close(p->fd);
	free(p);
	w->priv = NULL;
}

static const char *const probe_hists[] = { "access", "anon", "file", "alloc", NULL };

const struct rb_workload_ops rb_wl_probe = {
	.abi = RB_WORKLOAD_ABI,
	.name = "probe",
	.help = "latency probe: times single accesses to its own anon and file pages",
	.reproduces = "the victim: its p99 shows direct-reclaim stalls and refaults",
	.options = probe_options,
	.config_size = sizeof(struct probe_config),
	.hist_names = probe_hists,
	.flags = RB_WL_USES_FILES,
	.setup = probe_setup,
	.run = probe_run,
	.teardown = probe_teardown,
};
