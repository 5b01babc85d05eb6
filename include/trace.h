/* trace.h - dirty-throttle visibility through tracefs.
 *
 * While a run writes, a private tracing instance records the kernel's
 * writeback:balance_dirty_pages event: one per throttle decision for a task
 * that dirties pages while dirty memory is above the "freerun" midpoint
 * between the background and the hard dirty limits. Its `pause` field (ms)
 * is how long the task is put to sleep (<= 0: not at all), `period` (ms) the
 * time it should have taken to dirty those pages at its allowed rate.
 *
 * rb_trace_start() mounts tracefs if it is not mounted and creates the
 * instance instances/reclaimbench-<pid> (both journaled first: the mount as
 * `umount`, the instance as `rmdir`), so the global trace buffer and its
 * settings are never touched. A reader thread consumes the instance's
 * trace_pipe, at most `max_rate` events a second (the rest are counted as
 * dropped, as are events the kernel's small ring buffer overwrote before
 * they were read), and writes:
 *   trace.tsv   once a second: time[s], bdp.events[1/s], bdp.pause.p99[us],
 *               bdp.pause.max[us], bdp.dropped[1/s]
 *   latency/trace-balance_dirty_pages-pause.hist, -period.hist (at stop)
 * Missing tracing never fails a run: the trace reports itself unavailable
 * with a reason ("tracefs cannot be mounted: ...", "no event ..."). */
#ifndef RB_TRACE_H
#define RB_TRACE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "journal.h"

#define RB_TRACEFS_DEFAULT "/sys/kernel/tracing"
#define RB_TRACE_RATE_DEFAULT 10000   /* events processed per second at most */
#define RB_TRACE_BUFFER_KB_DEFAULT 256 /* the instance's ring buffer, per CPU */

struct rb_trace_config {
	const char *tracefs; /* NULL: $RECLAIMBENCH_TRACEFS, else RB_TRACEFS_DEFAULT */
	uint64_t t0_ns;      /* CLOCK_MONOTONIC time 0 of trace.tsv (the run's); 0: now */
	unsigned max_rate;   /* events processed per second; 0: RB_TRACE_RATE_DEFAULT */
	unsigned buffer_kb;  /* per-CPU ring buffer of the instance; 0: the default */
};

struct rb_trace;

/* Start tracing balance_dirty_pages into out_dir (an existing results
 * directory with latency/ in it). cfg may be NULL. Whatever tracefs allows,
 * *out is set: rb_trace_available() says whether events are recorded and
 * rb_trace_reason() why not. Returns 0, or -ENOMEM (*out NULL). */
int rb_trace_start(struct rb_journal *j, const char *out_dir, const struct rb_trace_config *cfg,
		   struct rb_trace **out);

/* Whether events are being (were) recorded. */
bool rb_trace_available(const struct rb_trace *t);

/* Why tracing is unavailable; "" when it is available. */
const char *rb_trace_reason(const struct rb_trace *t);

/* Stop the reader (it reads what is left and writes the last, partial row
 * of trace.tsv), remove the instance and write the two histograms. Safe to
 * call twice and on an unavailable trace or NULL. Returns 0 or -errno from
 * writing the histograms. */
int rb_trace_stop(struct rb_trace *t);

/* For meta.json "tracing": {"available", "reason", "tracefs", "mounted",
 * "instance", "max_events_per_s", "buffer_kb"}. */
struct json_object *rb_trace_status(const struct rb_trace *t);

/* For summary.json "trace", after rb_trace_stop(): "available" and
 * "reason", and when available "events" (recorded), "dropped" (not
 * recorded: "dropped_rate_limit" + "lost" in the kernel buffer),
 * "unparsed", "sleeps" (events with pause > 0), "pause_p50_us",
 * "pause_p99_us", "pause_max_us" (over the sleeps; absent without any),
 * "period_p50_us", "period_p99_us" (over all recorded events). */
struct json_object *rb_trace_summary(const struct rb_trace *t);

/* Stop if needed and free. Accepts NULL. */
void rb_trace_free(struct rb_trace *t);

#endif
