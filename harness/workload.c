/* workload.c - helpers every workload uses: the clock and an interruptible
 * sleep that honours the harness's stop flag (see include/workload.h). */
#include <time.h>

#include "workload.h"

uint64_t rb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct timespec ns_to_ts(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };
	return ts;
}

bool rb_sleep_until(const struct rb_worker *w, uint64_t deadline_ns)
{
	const uint64_t slice = 50 * 1000000ull;

	while (rb_continue(w)) {
		uint64_t now = rb_now_ns();
		if (now >= deadline_ns)
			return true;
		uint64_t wake = deadline_ns - now > slice ? now + slice : deadline_ns;
		struct timespec ts = ns_to_ts(wake);
		(void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	return false;
}
