/* workload.h - the contract between the harness and a workload generator.
 *
 * Each file in workloads/ exports one `const struct rb_workload_ops`. The
 * harness forks one child per instance; in the child it pins CPU and memory
 * to the worker's NUMA node, calls setup(), waits at the start barrier, calls
 * run(), then teardown(), and exits with run()'s code. The runner owns time:
 * run() loops `do { ...; } while (rb_continue(w));` and the harness raises
 * the stop flag at the worker's stop time, on SIGINT or on a watchdog trip.
 *
 * Each worker publishes counters and latency histograms in shared memory
 * (struct rb_worker_shm), which the sampler reads while the run goes on. */
#ifndef RB_WORKLOAD_H
#define RB_WORKLOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hist.h"
#include "options.h"

#define RB_WORKLOAD_ABI 1 /* bump when this header changes shape */

#define RB_MAX_HISTS 4     /* latency histograms per worker (one per operation) */
#define RB_MAX_COUNTERS 8  /* counters per worker */

/* Exit codes of a worker process. */
enum rb_exit {
	RB_EXIT_OK = 0,
	RB_EXIT_FAIL = 1,
	RB_EXIT_NO_RESOURCE = 3, /* could not get memory, files, io_uring... */
	RB_EXIT_SKIP = 77,       /* not supported here; reason printed to stderr */
};

/* Counters every worker has; a workload may name more after these. */
enum rb_counter {
	RB_CTR_OPS = 0,   /* operations done (touch batches, I/Os, accesses) */
	RB_CTR_BYTES = 1, /* bytes touched, read or written */
	RB_CTR_ERRORS = 2,
	RB_CTR_FIRST_CUSTOM = 3,
};

/* Shared between one worker (writer) and the harness (reader). */
struct rb_worker_shm {
	atomic_int go;      /* harness -> worker: start (set at the worker's start time) */
	atomic_int stop;    /* harness -> worker: stop now */
	atomic_int ready;   /* worker -> harness: setup done, waiting for go */
	atomic_int running; /* worker -> harness: inside run() */
	uint64_t counters[RB_MAX_COUNTERS]; /* single writer, relaxed stores */
	struct rb_hist hist[RB_MAX_HISTS];
};

struct rb_workload_ops;

/* What a worker gets. Everything here lives in the child after fork. */
struct rb_worker {
	const char *name;        /* instance name: "hog", or "hog.1" with instances > 1 */
	const char *spec_name;   /* the [workload:NAME] it came from */
	unsigned instance;       /* 0..instances-1 */
	const struct rb_workload_ops *ops;
	const void *config;      /* the workload's option struct, resolved */
	int node;                /* NUMA node it is bound to, -1 if unbound */
	uint64_t seed;           /* per-instance seed derived from the run's seed */
	uint64_t memory;         /* the profile's memory in bytes */
	const char *scratch_dir; /* per-worker directory for files; removed after the run */
	struct rb_worker_shm *shm;
	void *priv;              /* the workload's own state, set by setup() */
};

/* Keep going? The loop condition of every run(). */
static inline bool rb_continue(const struct rb_worker *w)
{
	return !atomic_load_explicit(&w->shm->stop, memory_order_relaxed);
}

/* Add to a counter (single writer: a plain store, no locked instruction). */
static inline void rb_add(struct rb_worker *w, enum rb_counter c, uint64_t n)
{
	uint64_t *p = &w->shm->counters[c];
	__atomic_store_n(p, *p + n, __ATOMIC_RELAXED);
}

/* One more operation. */
static inline void rb_inc(struct rb_worker *w)
{
	rb_add(w, RB_CTR_OPS, 1);
}

/* Latency histogram of operation i (index into ops->hist_names). */
static inline struct rb_hist *rb_hist(struct rb_worker *w, unsigned i)
{
	return &w->shm->hist[i];
}

/* Monotonic time in ns (CLOCK_MONOTONIC, vDSO). */
uint64_t rb_now_ns(void);

/* Sleep until an absolute CLOCK_MONOTONIC time or until the worker is told
 * to stop, whichever comes first (wakes at least every 50 ms to check).
 * Returns false if told to stop. */
bool rb_sleep_until(const struct rb_worker *w, uint64_t deadline_ns);

/* Fast deterministic PRNG (xorshift64*), seeded per worker. */
static inline uint64_t rb_rand(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Flags of a workload. */
enum rb_workload_flags {
	RB_WL_USES_FILES = 1 << 0, /* needs a scratch directory */
	RB_WL_NEEDS_ROOT = 1 << 1,
};

struct rb_workload_ops {
	int abi;                 /* RB_WORKLOAD_ABI; checked at start-up */
	const char *name;        /* type name used in profiles: "anon-hog" */
	const char *help;        /* one line: what it does */
	const char *reproduces;  /* one line: which pathology it drives */
	const struct rb_option *options; /* table ending with RB_OPTION_END */
	size_t config_size;      /* size of the struct the options fill */
	const char *const *hist_names;    /* NULL-terminated operation names, <= RB_MAX_HISTS */
	const char *const *counter_names; /* names of counters from RB_CTR_FIRST_CUSTOM, NULL-terminated, or NULL */
	unsigned flags;

	/* NULL if the workload can run here with this config, else a reason
	 * to skip it ("io_uring disabled by kernel.io_uring_disabled"). Runs in
	 * the harness before anything changes. */
	const char *(*supported)(const void *config);

	/* In the child, after pinning, before the start barrier: allocate,
	 * create files. Returns an rb_exit code. */
	int (*setup)(struct rb_worker *w);

	/* The loop. Returns an rb_exit code. */
	int (*run)(struct rb_worker *w);

	/* Release what setup() took; may be NULL. */
	void (*teardown)(struct rb_worker *w);
};

#endif
