/* bench_sampler.c - `make bench`: what the sampler costs the machine.
 *
 *   bench_sampler HZ SECONDS
 *
 * Opens the sampler as a run does (every /proc source, samples.tsv and
 * workers.tsv, here in a temporary directory; no cgroup, no workers), then
 * ticks it on absolute deadlines at HZ for SECONDS, sleeping in between as
 * the run loop does. Its own CPU time over the ticks (getrusage: user +
 * system, the sleeps' wake-ups included; opening it is not counted) divided
 * by the wall time is its share of one core. Before it, the same loop of
 * sleeps without the sampler gives the floor: what waking up HZ times a
 * second costs on this machine (a VM's timer wake-up is tens of us), which
 * any sampler at that rate pays. Prints machine-readable lines,
 * "name value unit":
 *
 *   sampler.10hz.sleep 0.065 %core
 *   sampler.10hz.cpu 0.190 %core
 *   sampler.10hz.tick 190.2 us/tick */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sampler.h"
#include "workload.h"

struct paths {
	char dir[64], samples[96], workers[96];
};

static uint64_t cpu_ns(void)
{
	struct rusage ru;

	(void)getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}

static void sleep_until(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };

	(void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* Tick s (or, with s NULL, only wake up) `ticks` times, 1/hz apart; returns
 * the CPU and wall time in *cpu, *wall. */
static int tick_loop(struct rb_sampler *s, unsigned hz, uint64_t ticks, uint64_t *cpu,
		     uint64_t *wall)
{
	uint64_t period = 1000000000ull / hz, t0 = rb_now_ns(), c0 = cpu_ns(), next = t0;
	int rc = 0;

	for (uint64_t i = 0; i < ticks && rc == 0; i++) {
		next += period;
		sleep_until(next);
		rc = s ? rb_sampler_tick(s, rb_now_ns()) : 0;
	}
	*cpu = cpu_ns() - c0;
	*wall = rb_now_ns() - t0;
	return rc;
}

/* The floor, then the sampler; prints the figures. */
static int measure(struct rb_sampler *s, unsigned hz, uint64_t ticks)
{
	uint64_t wall, cpu;
	int rc = tick_loop(NULL, hz, ticks, &cpu, &wall);

	printf("sampler.%uhz.sleep %.4f %%core\n", hz, 100.0 * (double)cpu / (double)wall);
	rc = tick_loop(s, hz, ticks, &cpu, &wall);
	if (rc) {
		fprintf(stderr, "bench_sampler: rb_sampler_tick: %s\n", strerror(-rc));
		return 1;
	}
	printf("sampler.%uhz.cpu %.4f %%core\n", hz, 100.0 * (double)cpu / (double)wall);
	printf("sampler.%uhz.tick %.1f us/tick\n", hz, (double)cpu / 1e3 / (double)ticks);
	return 0;
}

static int make_paths(struct paths *p)
{
	(void)snprintf(p->dir, sizeof(p->dir), "/tmp/rb-bench-sampler.XXXXXX");
	if (!mkdtemp(p->dir))
		return -errno;
	(void)snprintf(p->samples, sizeof(p->samples), "%s/samples.tsv", p->dir);
	(void)snprintf(p->workers, sizeof(p->workers), "%s/workers.tsv", p->dir);
	return 0;
}

static void remove_paths(const struct paths *p)
{
	(void)unlink(p->samples);
	(void)unlink(p->workers);
	(void)rmdir(p->dir);
}

int main(int argc, char **argv)
{
	unsigned hz = argc > 2 ? (unsigned)strtoul(argv[1], NULL, 10) : 0;
	double secs = argc > 2 ? strtod(argv[2], NULL) : 0;
	struct rb_sampler *s = NULL;
	struct paths p;
	char err[256] = "";
	int rc;

	if (hz < 1 || hz > 1000 || !(secs > 0)) {
		fprintf(stderr, "usage: bench_sampler HZ SECONDS   (HZ 1..1000)\n");
		return 2;
	}
	if ((rc = make_paths(&p)) != 0) {
		fprintf(stderr, "bench_sampler: mkdtemp: %s\n", strerror(-rc));
		return 1;
	}
	struct rb_sampler_config cfg = { .samples_path = p.samples, .workers_path = p.workers,
					 .worker_interval_ns = 1000000000ull };
	rc = rb_sampler_open(&cfg, &s, err, sizeof(err));
	if (rc)
		fprintf(stderr, "bench_sampler: rb_sampler_open: %s\n", err);
	else
		rc = measure(s, hz, (uint64_t)(secs * hz + 0.5));
	rb_sampler_close(s, NULL);
	remove_paths(&p);
	return rc ? 1 : 0;
}
