/* trace_priv.h - the pure parts of the tracing module (harness/trace.c):
 * reading one line of a tracing instance's trace_pipe and the token bucket
 * that bounds how many events a second are processed. Split out so
 * tests/unit/test_trace.c can check them on lines captured from a real
 * kernel, without tracefs. Implemented in harness/trace_event.c. */
#ifndef RB_TRACE_PRIV_H
#define RB_TRACE_PRIV_H

#include <stdbool.h>
#include <stdint.h>

enum rb_trace_line {
	RB_TRACE_LINE_OTHER, /* not an event this module knows */
	RB_TRACE_LINE_BDP,   /* a writeback:balance_dirty_pages event */
	RB_TRACE_LINE_LOST,  /* "CPU:1 [LOST 12 EVENTS]": the ring buffer overran */
};

/* What one line says. */
struct rb_trace_rec {
	uint64_t ts_ns;      /* the event's timestamp, in ns (the instance's trace_clock) */
	bool has_ts;
	long pause_ms;       /* `pause`: the sleep imposed, <= 0 for none */
	unsigned long period_ms; /* `period` */
	uint64_t lost;       /* LOST lines: events lost (1 when the kernel gave no count) */
};

/* Classify one line (without its newline) and read the cheap parts: the
 * timestamp of an event, the count of a LOST line. */
enum rb_trace_line rb_trace_classify(const char *line, struct rb_trace_rec *r);

/* Read the pause= and period= fields of a balance_dirty_pages line, by
 * name. Returns 0, or -EINVAL if either is missing or not a number. */
int rb_trace_parse_bdp(const char *line, struct rb_trace_rec *r);

/* A token bucket: `rate` tokens a second, holding at most a tenth of a
 * second's worth (at least one), full at the start. */
struct rb_token_bucket {
	double rate, cap, tokens;
	uint64_t last_ns;
};

void rb_token_bucket_init(struct rb_token_bucket *b, double rate, uint64_t now_ns);

/* Take a token at now_ns (refilled for the time since the last call; a time
 * earlier than that adds nothing). False: none left, drop the event. */
bool rb_token_bucket_take(struct rb_token_bucket *b, uint64_t now_ns);

#endif
