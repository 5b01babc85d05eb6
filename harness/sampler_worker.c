/* sampler_worker.c - workers.tsv: once per worker interval, each worker's
 * operation and byte rates and, for each of its histograms, the interval's
 * count, p50, p99 and max (from the difference of two snapshots), so a
 * short stall shows in its own interval instead of being averaged away. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sampler_worker.h"

struct worker_state {
	const struct rb_sampled_worker *w;
	size_t n_hists;
	uint64_t prev_ops, prev_bytes;
	struct rb_hist *prev; /* n_hists snapshots */
};

struct rb_sampler_workers {
	FILE *f;
	struct worker_state *ws;
	size_t n;
	uint64_t interval_ns, last_ns;
	struct rb_hist now, diff; /* scratch */
};

static size_t hist_count(const char *const *names)
{
	size_t n = 0;

	while (names && names[n] && n < RB_MAX_HISTS)
		n++;
	return n;
}

static void write_header(struct rb_sampler_workers *sw)
{
	fputs("time[s]", sw->f);
	for (size_t i = 0; i < sw->n; i++) {
		const struct rb_sampled_worker *w = sw->ws[i].w;
		fprintf(sw->f, "\t%s.ops[1/s]\t%s.bytes[B/s]", w->name, w->name);
		for (size_t h = 0; h < sw->ws[i].n_hists; h++) {
			const char *op = w->hist_names[h];
			fprintf(sw->f, "\t%s.%s.count\t%s.%s.p50[us]\t%s.%s.p99[us]\t%s.%s.max[us]",
				w->name, op, w->name, op, w->name, op, w->name, op);
		}
	}
	fputc('\n', sw->f);
}

int rb_sampler_workers_open(const struct rb_sampler_config *cfg, struct rb_sampler_workers **out,
			    char *err, size_t errlen)
{
	struct rb_sampler_workers *sw = calloc(1, sizeof(*sw));

	if (!sw)
		return -ENOMEM;
	sw->interval_ns = cfg->worker_interval_ns ? cfg->worker_interval_ns : 1000000000ull;
	sw->n = cfg->n_workers;
	sw->ws = calloc(sw->n ? sw->n : 1, sizeof(*sw->ws));
	sw->f = fopen(cfg->workers_path, "we");
	if (!sw->ws || !sw->f) {
		int rc = sw->f ? -ENOMEM : -errno;
		(void)snprintf(err, errlen, "%s: %s", cfg->workers_path, strerror(-rc));
		rb_sampler_workers_close(sw);
		return rc;
	}
	for (size_t i = 0; i < sw->n; i++) {
		sw->ws[i].w = &cfg->workers[i];
		sw->ws[i].n_hists = hist_count(cfg->workers[i].hist_names);
		sw->ws[i].prev = calloc(sw->ws[i].n_hists + 1, sizeof(struct rb_hist));
		if (!sw->ws[i].prev) {
			rb_sampler_workers_close(sw);
			return -ENOMEM;
		}
	}
	write_header(sw);
	*out = sw;
	return 0;
}

static uint64_t counter(const struct rb_sampled_worker *w, enum rb_counter c)
{
	return __atomic_load_n(&w->shm->counters[c], __ATOMIC_RELAXED);
}

void rb_sampler_workers_start(struct rb_sampler_workers *sw, uint64_t t_ns)
{
	sw->last_ns = t_ns;
	for (size_t i = 0; i < sw->n; i++) {
		struct worker_state *ws = &sw->ws[i];
		ws->prev_ops = counter(ws->w, RB_CTR_OPS);
		ws->prev_bytes = counter(ws->w, RB_CTR_BYTES);
		for (size_t h = 0; h < ws->n_hists; h++)
			rb_hist_snapshot(&ws->w->shm->hist[h], &ws->prev[h]);
	}
}

static void write_hist_interval(struct rb_sampler_workers *sw, struct worker_state *ws, size_t h)
{
	rb_hist_snapshot(&ws->w->shm->hist[h], &sw->now);
	rb_hist_diff(&sw->now, &ws->prev[h], &sw->diff);
	ws->prev[h] = sw->now;
	if (!sw->diff.count) {
		fputs("\t0\tNaN\tNaN\tNaN", sw->f);
		return;
	}
	fprintf(sw->f, "\t%llu\t%.3f\t%.3f\t%.3f", (unsigned long long)sw->diff.count,
		(double)rb_hist_percentile(&sw->diff, 50) / 1e3,
		(double)rb_hist_percentile(&sw->diff, 99) / 1e3, (double)sw->diff.max_ns / 1e3);
}

static void write_row(struct rb_sampler_workers *sw, uint64_t t_ns)
{
	double dt = (double)(t_ns - sw->last_ns) / 1e9;

	fprintf(sw->f, "%.3f", (double)t_ns / 1e9);
	for (size_t i = 0; i < sw->n; i++) {
		struct worker_state *ws = &sw->ws[i];
		uint64_t ops = counter(ws->w, RB_CTR_OPS), bytes = counter(ws->w, RB_CTR_BYTES);
		fprintf(sw->f, "\t%.2f\t%.0f", (double)(ops - ws->prev_ops) / dt,
			(double)(bytes - ws->prev_bytes) / dt);
		ws->prev_ops = ops;
		ws->prev_bytes = bytes;
		for (size_t h = 0; h < ws->n_hists; h++)
			write_hist_interval(sw, ws, h);
	}
	fputc('\n', sw->f);
	sw->last_ns = t_ns;
}

int rb_sampler_workers_tick(struct rb_sampler_workers *sw, uint64_t t_ns)
{
	if (!sw || t_ns - sw->last_ns + sw->interval_ns / 100 < sw->interval_ns)
		return 0;
	write_row(sw, t_ns);
	return fflush(sw->f) == 0 ? 0 : -errno;
}

void rb_sampler_workers_close(struct rb_sampler_workers *sw)
{
	if (!sw)
		return;
	for (size_t i = 0; sw->ws && i < sw->n; i++)
		free(sw->ws[i].prev);
	free(sw->ws);
	if (sw->f)
		(void)fclose(sw->f);
	free(sw);
}
