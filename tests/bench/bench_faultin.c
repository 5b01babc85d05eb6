/* bench_faultin.c - `make bench`: how fast the anon-hog workload faults in
 * anonymous memory, against the plainest possible page-touch loop.
 *
 *   bench_faultin loop   [MIB]  mmap MIB MiB private anonymous memory, write
 *                               one byte per page, timed (the mmap is not)
 *   bench_faultin touch  [MIB]  anon-hog's fill pass with fill = touch (one
 *                               word per page)
 *   bench_faultin random [MIB]  ... with fill = random (the whole page written
 *                               with random words: much more work per page)
 *
 * The workload runs as the harness would run it, minus the fork: its setup()
 * maps the memory (not timed), then the clock starts and run() fills it in
 * timed batches. With hot = 0 run() only sleeps after the fill, so a second
 * thread polls the workload's byte counter and takes the time the moment it
 * reaches the size, then raises the stop flag. Default 1024 MiB. Prints one
 * machine-readable line, "name value unit":
 *
 *   faultin.touch 612345 pages/s */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "options.h"
#include "workload.h"
#include "workloads.h"

#define POLL_COARSE_NS 1000000 /* how often the poller looks at the byte counter ... */
#define POLL_FINE_NS 20000      /* ... and in the last 1/16 of the fill */

struct poller {
	struct rb_worker_shm *shm;
	uint64_t target; /* bytes */
	uint64_t t_done;
};

/* The plain loop: pages / elapsed seconds, or a negative errno. */
static double plain_loop(size_t len, size_t page)
{
	volatile uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0, ns;

	if (p == MAP_FAILED)
		return -errno;
	t0 = rb_now_ns();
	for (size_t off = 0; off < len; off += page)
		p[off] = 1;
	ns = rb_now_ns() - t0;
	(void)munmap((void *)p, len);
	return (double)(len / page) * 1e9 / (double)ns;
}

/* Wait until the fill is complete, note the time, stop the workload. Rare
 * wake-ups while most of the fill is left (each one would take the CPU from
 * the workload when both share a core), frequent ones near the end. */
static void *poll_fill(void *arg)
{
	struct poller *p = arg;
	const struct timespec coarse = { 0, POLL_COARSE_NS }, fine = { 0, POLL_FINE_NS };
	uint64_t done;

	(void)prctl(PR_SET_TIMERSLACK, 1ul); /* wake on time, not up to 50 us late */
	while ((done = __atomic_load_n(&p->shm->counters[RB_CTR_BYTES], __ATOMIC_RELAXED)) <
	       p->target)
		(void)nanosleep(p->target - done > p->target / 16 ? &coarse : &fine, NULL);
	p->t_done = rb_now_ns();
	atomic_store(&p->shm->stop, 1);
	return NULL;
}

/* Resolve anon-hog's options as a profile would: defaults, then ours. */
static void *hog_config(size_t len, const char *fill)
{
	const struct rb_option *t = rb_wl_anon_hog.options;
	void *c = calloc(1, rb_wl_anon_hog.config_size);
	char size[32], err[256];
	int rc;

	if (!c)
		return NULL;
	(void)snprintf(size, sizeof(size), "%zu", len);
	rc = rb_options_defaults(t, c, len, err, sizeof(err));
	if (!rc)
		rc = rb_option_set(rb_option_find(t, "size"), c, size, len, err, sizeof(err));
	if (!rc)
		rc = rb_option_set(rb_option_find(t, "fill"), c, fill, len, err, sizeof(err));
	if (!rc)
		rc = rb_option_set(rb_option_find(t, "hot"), c, "0", len, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "bench_faultin: anon-hog options: %s\n", err);
		free(c);
		return NULL;
	}
	return c;
}

/* Time run()'s fill pass; pages / elapsed seconds, or a negative errno. */
static double timed_run(struct rb_worker *w, size_t len, size_t page)
{
	struct poller p = { .shm = w->shm, .target = len };
	pthread_t th;
	uint64_t t0;
	int rc;

	if (pthread_create(&th, NULL, poll_fill, &p) != 0)
		return -EAGAIN;
	t0 = rb_now_ns();
	rc = w->ops->run(w);
	(void)pthread_join(th, NULL);
	if (rc != RB_EXIT_OK)
		return -EIO;
	return (double)(len / page) * 1e9 / (double)(p.t_done - t0);
}

/* The workload, set up and run as a worker. */
static double hog_fill(size_t len, size_t page, const char *fill)
{
	struct rb_worker w = { .name = "hog", .spec_name = "hog", .ops = &rb_wl_anon_hog,
			       .node = -1, .seed = 1, .memory = len };
	double rate = -ENOMEM;

	w.config = hog_config(len, fill);
	w.shm = calloc(1, sizeof(*w.shm));
	if (!w.config || !w.shm)
		goto out;
	for (unsigned i = 0; i < RB_MAX_HISTS; i++)
		rb_hist_init(&w.shm->hist[i]);
	rate = -EIO;
	if (w.ops->setup(&w) != RB_EXIT_OK)
		goto out;
	rate = timed_run(&w, len, page);
	w.ops->teardown(&w);
out:
	free(w.shm);
	free((void *)w.config);
	return rate;
}

int main(int argc, char **argv)
{
	const char *side = argc > 1 ? argv[1] : "";
	unsigned long mib = argc > 2 ? strtoul(argv[2], NULL, 10) : 1024;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len = (size_t)mib << 20;
	double rate;

	if (!mib || (strcmp(side, "loop") && strcmp(side, "touch") && strcmp(side, "random"))) {
		fprintf(stderr, "usage: bench_faultin loop|touch|random [MIB]\n");
		return 2;
	}
	rate = strcmp(side, "loop") == 0 ? plain_loop(len, page) : hog_fill(len, page, side);
	if (rate < 0) {
		fprintf(stderr, "bench_faultin %s: %s\n", side, strerror((int)-rate));
		return 1;
	}
	printf("faultin.%s %.0f pages/s\n", side, rate);
	return 0;
}
