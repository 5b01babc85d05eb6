/* anon-hog: anonymous-memory pressure, and the swap-in it pays for.
 *
 * Maps `size` bytes of private anonymous memory and faults it in, batch by
 * batch, at `rate` bytes/s (or as fast as it can), writing every page so
 * the kernel must find a free page for each fault: once free memory falls
 * to the watermarks this drives kswapd, then direct reclaim (allocstall,
 * pgscan_direct) and, in a memory cgroup, memcg reclaim against the limit.
 *
 *   0                          hot * size                 size
 *   |== hot: re-touched in a loop ==|== cold: written once ==|
 *
 * After the fill it keeps re-touching the `hot` share so its pages stay
 * active, and any of them reclaimed (swapped out) must be faulted back in.
 * The rest is cold: written once, the first choice for swap-out. With
 * `cold_rate` the hog also reads random cold pages at that rate (paced by
 * time, between hot batches, or alone when hot = 0), one word each, which
 * keeps the swap copy valid as a real cold read does; each read's time goes
 * to the "cold" histogram, and the reads that took a major fault (a
 * swap-in from disk, zswap or zram: the thread's ru_majflt went up) also to
 * "swapin".
 *
 * The fill decides what swap compression sees: `random` (incompressible),
 * `compressible` (page/`ratio` random bytes, the rest of the page left
 * zero, so zram/zswap compress it about ratio:1) or `touch` (one word per
 * page; zero pages, trivially compressible).
 * Each batch's time is recorded in the "touch" histogram; ops and bytes
 * count the batches only. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "anon_hog.h"
#include "workload.h"

#define NS_PER_S 1e9
#define COLD_MAX_LAG_NS (1000ull * 1000000) /* backlog of cold reads caught up at most */

enum fill_mode { FILL_RANDOM, FILL_COMPRESSIBLE, FILL_TOUCH };
enum hist_index { HIST_TOUCH, HIST_COLD, HIST_SWAPIN };

struct anon_hog_config {
	uint64_t size;
	uint64_t rate;  /* bytes/s, 0 = unlimited */
	uint64_t batch; /* bytes per timed batch */
	int fill;
	double ratio;   /* target compression ratio of FILL_COMPRESSIBLE */
	double hot;     /* share of size re-touched after the fill */
	double cold_rate; /* cold pages read per second after the fill, 0 = none */
	bool thp;
};

struct anon_hog {
	uint8_t *mem;
	size_t len;
	size_t page;
	size_t pages;     /* len / page */
	size_t hot_pages; /* [0, hot_pages) hot, [hot_pages, pages) cold */
	size_t random_bytes; /* per page with FILL_COMPRESSIBLE */
	uint64_t rng;
	struct rb_ah_cold_clock cold;
};

static const struct rb_option anon_hog_options[] = {
	{ "size", RB_OPT_SIZE, offsetof(struct anon_hog_config, size), 4096, 1ull << 42,
	  "50%", "anonymous memory to fault in (of the profile's memory with %)", NULL },
	{ "rate", RB_OPT_SIZE, offsetof(struct anon_hog_config, rate), 0, 1ull << 40,
	  "0", "fill rate in bytes per second, 0 = as fast as possible", NULL },
	{ "batch", RB_OPT_SIZE, offsetof(struct anon_hog_config, batch), 4096, 1ull << 30,
	  "2M", "bytes touched per timed batch", NULL },
	{ "fill", RB_OPT_ENUM, offsetof(struct anon_hog_config, fill), 0, 0,
	  "random", "page contents: random, compressible (~ratio:1) or touch (one word)",
	  "random|compressible|touch" },
	{ "ratio", RB_OPT_DOUBLE, offsetof(struct anon_hog_config, ratio), 1, 64,
	  "4", "fill = compressible: page/ratio random bytes per page, zeros after (~ratio:1)",
	  NULL },
	{ "hot", RB_OPT_DOUBLE, offsetof(struct anon_hog_config, hot), 0, 1,
	  "1", "share of the memory re-touched in a loop after the fill (0..1); the rest is cold",
	  NULL },
	{ "cold_rate", RB_OPT_DOUBLE, offsetof(struct anon_hog_config, cold_rate), 0, 1e6,
	  "0", "cold pages read per second after the fill, timed (\"cold\", \"swapin\"); "
	  "0 = none; ignored with hot = 1", NULL },
	{ "thp", RB_OPT_BOOL, offsetof(struct anon_hog_config, thp), 0, 0,
	  "no", "madvise(MADV_HUGEPAGE) the mapping", NULL },
	RB_OPTION_END,
};

size_t rb_ah_random_bytes(size_t page, double ratio)
{
	return ratio > 1 ? (size_t)((double)page / ratio) : page;
}

void rb_ah_fill_random(uint8_t *p, size_t n, uint64_t *rng)
{
	size_t i = 0;
	uint64_t x;

	for (; i + sizeof(x) <= n; i += sizeof(x)) {
		x = rb_rand(rng);
		memcpy(p + i, &x, sizeof(x));
	}
	if (i < n) {
		x = rb_rand(rng);
		memcpy(p + i, &x, n - i);
	}
}

void rb_ah_cold_start(struct rb_ah_cold_clock *c, uint64_t t0, double rate,
		      uint64_t max_lag_ns)
{
	*c = (struct rb_ah_cold_clock){ .t0 = t0, .max_lag_ns = max_lag_ns,
					.rate = rate > 0 ? rate : 0 };
}

uint64_t rb_ah_cold_take(struct rb_ah_cold_clock *c, uint64_t now)
{
	uint64_t due, cap, n;

	if (c->rate <= 0 || now <= c->t0)
		return 0;
	due = (uint64_t)((double)(now - c->t0) * c->rate / NS_PER_S);
	if (due <= c->done)
		return 0;
	cap = (uint64_t)(c->rate * (double)c->max_lag_ns / NS_PER_S);
	if (cap < 1)
		cap = 1;
	if (due - c->done > cap) {
		c->skipped += due - c->done - cap;
		c->done = due - cap;
	}
	n = due - c->done;
	c->done = due;
	return n;
}

uint64_t rb_ah_cold_next(const struct rb_ah_cold_clock *c)
{
	if (c->rate <= 0)
		return UINT64_MAX;
	/* +1 ns: at the exact quotient, rounding could leave take() one short */
	return c->t0 + (uint64_t)((double)(c->done + 1) * NS_PER_S / c->rate) + 1;
}

size_t rb_ah_cold_pick(size_t hot_pages, size_t pages, uint64_t *rng)
{
	return hot_pages + (size_t)(rb_rand(rng) % (pages - hot_pages));
}

/* Sizes derived from the config: the mapping, its hot share, the fill. */
static void init_layout(struct anon_hog *h, const struct anon_hog_config *c)
{
	h->page = (size_t)sysconf(_SC_PAGESIZE);
	h->len = (c->size + h->page - 1) / h->page * h->page;
	h->pages = h->len / h->page;
	h->hot_pages = (size_t)((double)h->len * c->hot) / h->page;
	h->random_bytes = c->fill == FILL_COMPRESSIBLE ? rb_ah_random_bytes(h->page, c->ratio)
						       : h->page;
}

static int anon_hog_setup(struct rb_worker *w)
{
	const struct anon_hog_config *c = w->config;
	struct anon_hog *h = calloc(1, sizeof(*h));

	if (!h)
		return RB_EXIT_NO_RESOURCE;
	init_layout(h, c);
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

/* Write one fresh (zero) page according to the fill mode. */
static void fill_page(struct anon_hog *h, uint8_t *p, int fill)
{
	if (fill == FILL_TOUCH) {
		*(uint64_t *)(void *)p = h->rng;
		return;
	}
	rb_ah_fill_random(p, h->random_bytes, &h->rng);
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
	rb_hist_record(rb_hist(w, HIST_TOUCH), rb_now_ns() - t0);
	rb_add(w, RB_CTR_BYTES, len);
	rb_inc(w);
}

/* Major faults this thread has taken so far. */
static long thread_majflt(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? 0 : ru.ru_majflt;
}

/* Read one word of a random cold page, timed; a read that took a major
 * fault (a swap-in) is also recorded as one. The page is not written. */
static void cold_touch(struct rb_worker *w)
{
	struct anon_hog *h = w->priv;
	size_t i = rb_ah_cold_pick(h->hot_pages, h->pages, &h->rng);
	const volatile uint64_t *word = (const volatile uint64_t *)(void *)(h->mem + i * h->page);
	long majflt = thread_majflt();
	uint64_t t0 = rb_now_ns(), ns;

	(void)*word;
	ns = rb_now_ns() - t0;
	rb_hist_record(rb_hist(w, HIST_COLD), ns);
	if (thread_majflt() > majflt)
		rb_hist_record(rb_hist(w, HIST_SWAPIN), ns);
}

/* Do the cold reads due by now (none before the fill is done). */
static void cold_catch_up(struct rb_worker *w, uint64_t now)
{
	struct anon_hog *h = w->priv;

	for (uint64_t n = rb_ah_cold_take(&h->cold, now); n && rb_continue(w); n--)
		cold_touch(w);
}

/* Sleep so that `done` bytes since `t0` do not exceed the rate, doing the
 * cold reads that fall due meanwhile. False if told to stop. */
static bool pace(struct rb_worker *w, uint64_t t0, uint64_t done)
{
	const struct anon_hog_config *c = w->config;
	struct anon_hog *h = w->priv;
	uint64_t due = c->rate ? t0 + (uint64_t)((double)done * NS_PER_S / (double)c->rate) : 0;

	for (;;) {
		uint64_t now = rb_now_ns(), cold = rb_ah_cold_next(&h->cold);

		cold_catch_up(w, now);
		if (!rb_continue(w))
			return false;
		if (now >= due)
			return true;
		if (!rb_sleep_until(w, cold < due ? cold : due))
			return false;
	}
}

/* Walk pages [0, end) once in batches; first = fill pass. False if stopped. */
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

/* With no hot share: only the cold reads, or sleep until stopped. */
static void cold_loop(struct rb_worker *w)
{
	struct anon_hog *h = w->priv;

	do
		cold_catch_up(w, rb_now_ns());
	while (rb_sleep_until(w, rb_ah_cold_next(&h->cold)));
}

static int anon_hog_run(struct rb_worker *w)
{
	const struct anon_hog_config *c = w->config;
	struct anon_hog *h = w->priv;
	double cold_rate = h->hot_pages < h->pages ? c->cold_rate : 0;

	if (!pass(w, h->len, true))
		return RB_EXIT_OK;
	rb_ah_cold_start(&h->cold, rb_now_ns(), cold_rate, COLD_MAX_LAG_NS);
	if (h->hot_pages == 0) {
		cold_loop(w);
		return RB_EXIT_OK;
	}
	while (pass(w, h->hot_pages * h->page, false))
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

static const char *const anon_hog_hists[] = { "touch", "cold", "swapin", NULL };

const struct rb_workload_ops rb_wl_anon_hog = {
	.abi = RB_WORKLOAD_ABI,
	.name = "anon-hog",
	.help = "faults in anonymous memory at a rate, re-touches a hot share, reads cold pages",
	.reproduces = "anon pressure: kswapd, direct reclaim, memcg limit reclaim, swap",
	.options = anon_hog_options,
	.config_size = sizeof(struct anon_hog_config),
	.hist_names = anon_hog_hists,
	.setup = anon_hog_setup,
	.run = anon_hog_run,
	.teardown = anon_hog_teardown,
};
