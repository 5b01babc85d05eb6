/* anon-hog: anonymous-memory pressure.
 *
 * Maps `size` bytes of private anonymous memory and faults it in, batch by
 * batch, at `rate` bytes/s (or as fast as it can), writing every page so
 * the kernel must find a free page for each fault: once free memory falls
 * to the watermarks this drives kswapd, then direct reclaim (allocstall,
 * pgscan_direct) and, in a memory cgroup, memcg reclaim against the limit.
 * After the fill it keeps re-touching a `hot` share so its pages stay
 * active, and any of them reclaimed (swapped out) must be faulted back in.
 *
 * The fill decides what swap compression sees: `random` (incompressible),
 * `compressible` (a random quarter per page, the rest zeros, ~4:1) or
 * `touch` (one word per page; zero pages, trivially compressible).
 * Each batch's time is recorded in the "touch" histogram. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "workload.h"

enum fill_mode { FILL_RANDOM, FILL_COMPRESSIBLE, FILL_TOUCH };

struct anon_hog_config {
	uint64_t size;
	uint64_t rate;  /* bytes/s, 0 = unlimited */
	uint64_t batch; /* bytes per timed batch */
	int fill;
	double hot;     /* share of size re-touched after the fill */
	bool thp;
};

struct anon_hog {
	uint8_t *mem;
	size_t len;
	size_t page;
	uint64_t rng;
};

static const struct rb_option anon_hog_options[] = {
	{ "size", RB_OPT_SIZE, offsetof(struct anon_hog_config, size), 4096, 1ull << 42,
	  "50%", "anonymous memory to fault in (of the profile's memory with %)", NULL },
	{ "rate", RB_OPT_SIZE, offsetof(struct anon_hog_config, rate), 0, 1ull << 40,
	  "0", "fill rate in bytes per second, 0 = as fast as possible", NULL },
	{ "batch", RB_OPT_SIZE, offsetof(struct anon_hog_config, batch), 4096, 1ull << 30,
	  "2M", "bytes touched per timed batch", NULL },
	{ "fill", RB_OPT_ENUM, offsetof(struct anon_hog_config, fill), 0, 0,
	  "random", "page contents: random, compressible (~4:1) or touch (one word)",
	  "random|compressible|touch" },
	{ "hot", RB_OPT_DOUBLE, offsetof(struct anon_hog_config, hot), 0, 1,
	  "1", "share of the memory re-touched in a loop after the fill (0..1)", NULL },
	{ "thp", RB_OPT_BOOL, offsetof(struct anon_hog_config, thp), 0, 0,
	  "no", "madvise(MADV_HUGEPAGE) the mapping", NULL },
	RB_OPTION_END,
};

static int anon_hog_setup(struct rb_worker *w)
{
	const struct anon_hog_config *c = w->config;
	struct anon_hog *h = calloc(1, sizeof(*h));

	if (!h)
		return RB_EXIT_NO_RESOURCE;
	h->page = (size_t)sysconf(_SC_PAGESIZE);
	h->len = (c->size + h->page - 1) / h->page * h->page;
	h->rng = w->seed | 1;
	h->mem = mmap(NULL, h->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (h->mem == MAP_FAILED) {
		fprintf(stderr, "%s: mmap %zu bytes: %s\n", w->name, h->len, strerror(errno));
		free(h);
		return RB_EXIT_NO_RESOURCE;
	}
	if (c->thp)
		(void)madvise(h->mem, h->len, MADV_HUGEPAGE);
	w->priv = h;
	return RB_EXIT_OK;
}

/* Write one page according to the fill mode. */
static void fill_page(struct anon_hog *h, uint8_t *p, int fill)
{
	uint64_t *words = (uint64_t *)(void *)p;
	size_t n = h->page / sizeof(uint64_t);

	if (fill == FILL_TOUCH) {
		words[0] = h->rng;
		return;
	}
	if (fill == FILL_COMPRESSIBLE)
		n /= 4;
	for (size_t i = 0; i < n; i++)
		words[i] = rb_rand(&h->rng);
}

/* Re-touch one page: read-modify-write one word. */
static void retouch_page(uint8_t *p)
{
	volatile uint64_t *word = (volatile uint64_t *)(void *)p;

	*word = *word + 1;
}

/* Touch [off, off+len) and record the batch's latency. */
static void touch_batch(struct rb_worker *w, size_t off, size_t len, bool first)
{
	const struct anon_hog_config *c = w->config;
	struct anon_hog *h = w->priv;
	uint64_t t0 = rb_now_ns();

	for (size_t o = off; o < off + len; o += h->page) {
		if (first)
			fill_page(h, h->mem + o, c->fill);
		else
			retouch_page(h->mem + o);
	}
	rb_hist_record(rb_hist(w, 0), rb_now_ns() - t0);
	rb_add(w, RB_CTR_BYTES, len);
	rb_inc(w);
}

/* Sleep so that `done` bytes since `t0` do not exceed the rate. */
static bool pace(struct rb_worker *w, uint64_t t0, uint64_t done)
{
	const struct anon_hog_config *c = w->config;

	if (!c->rate)
		return rb_continue(w);
	uint64_t due = t0 + (uint64_t)((double)done * 1e9 / (double)c->rate);
	return rb_sleep_until(w, due);
}

/* Walk [0, end) once in batches; first = fill pass. False if stopped. */
static bool pass(struct rb_worker *w, size_t end, bool first)
{
	const struct anon_hog_config *c = w->config;
	struct anon_hog *h = w->priv;
	size_t batch = c->batch < h->page ? h->page : c->batch / h->page * h->page;
	uint64_t t0 = rb_now_ns();

	for (size_t off = 0; off < end; off += batch) {
		size_t len = end - off < batch ? end - off : batch;
		touch_batch(w, off, len, first);
		if (!pace(w, t0, off + len))
			return false;
	}
	return true;
}

static int anon_hog_run(struct rb_worker *w)
{
	const struct anon_hog_config *c = w->config;
	struct anon_hog *h = w->priv;
	size_t hot = (size_t)((double)h->len * c->hot) / h->page * h->page;

	if (!pass(w, h->len, true))
		return RB_EXIT_OK;
	if (hot == 0) {
		(void)rb_sleep_until(w, UINT64_MAX);
		return RB_EXIT_OK;
	}
	while (pass(w, hot, false))
		;
	return RB_EXIT_OK;
}

static void anon_hog_teardown(struct rb_worker *w)
{
	struct anon_hog *h = w->priv;

	if (!h)
		return;
	(void)munmap(h->mem, h->len);
	free(h);
	w->priv = NULL;
}

static const char *const anon_hog_hists[] = { "touch", NULL };

const struct rb_workload_ops rb_wl_anon_hog = {
	.abi = RB_WORKLOAD_ABI,
	.name = "anon-hog",
	.help = "faults in anonymous memory at a set rate, then re-touches a hot share",
	.reproduces = "anon pressure: kswapd, direct reclaim, memcg limit reclaim, swap",
	.options = anon_hog_options,
	.config_size = sizeof(struct anon_hog_config),
	.hist_names = anon_hog_hists,
	.setup = anon_hog_setup,
	.run = anon_hog_run,
	.teardown = anon_hog_teardown,
};
