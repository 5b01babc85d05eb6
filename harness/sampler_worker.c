/* sampler_worker.c - workers.tsv: once per worker interval, each worker's
 * operation and byte rates and, for each of its histograms, the interval's
 * count, p50, p99 and max (from the difference of two snapshots), so a
 * short stall shows in its own interval instead of being averaged away.
 * A workload's own counters (ops->counter_names: levels such as
 * resident_pages) are written as read. The p99 series and the counters'
 * ranges are also kept in memory for summary.json (re-warm time,
 * residency). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sampler_worker.h"

struct worker_state {
	const struct rb_sampled_worker *w;
	size_t n_hists, n_counters;
	uint64_t prev_ops, prev_bytes;
	struct rb_hist *prev; /* n_hists snapshots */
	struct rb_p99_series *series;     /* n_hists */
	struct rb_counter_range *ranges;  /* n_counters */
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
		for (size_t c = 0; c < sw->ws[i].n_counters; c++)
			fprintf(sw->f, "\t%s.%s", w->name, w->counter_names[c]);
		for (size_t h = 0; h < sw->ws[i].n_hists; h++) {
			const char *op = w->hist_names[h];
			fprintf(sw->f, "\t%s.%s.count\t%s.%s.p50[us]\t%s.%s.p99[us]\t%s.%s.max[us]",
				w->name, op, w->name, op, w->name, op, w->name, op);
		}
	}
	fputc('\n', sw->f);
}

static uint64_t counter(const struct rb_sampled_worker *w, enum rb_counter c);

static size_t name_count(const char *const *names, size_t max)
{
	size_t n = 0;

	while (names && names[n] && n < max)
		n++;
	return n;
}

static int init_state(struct worker_state *ws, const struct rb_sampled_worker *w)
{
	ws->w = w;
	ws->n_hists = hist_count(w->hist_names);
	ws->n_counters = name_count(w->counter_names, RB_MAX_COUNTERS - RB_CTR_FIRST_CUSTOM);
	ws->prev = calloc(ws->n_hists + 1, sizeof(struct rb_hist));
	ws->series = calloc(ws->n_hists + 1, sizeof(*ws->series));
	ws->ranges = calloc(ws->n_counters + 1, sizeof(*ws->ranges));
	if (!ws->prev || !ws->series || !ws->ranges)
		return -ENOMEM;
	for (size_t h = 0; h < ws->n_hists; h++) {
		(void)snprintf(ws->series[h].worker, sizeof(ws->series[h].worker), "%s", w->name);
		(void)snprintf(ws->series[h].op, sizeof(ws->series[h].op), "%s", w->hist_names[h]);
	}
	for (size_t c = 0; c < ws->n_counters; c++) {
		(void)snprintf(ws->ranges[c].worker, sizeof(ws->ranges[c].worker), "%s", w->name);
		(void)snprintf(ws->ranges[c].name, sizeof(ws->ranges[c].name), "%s",
			       w->counter_names[c]);
	}
	return 0;
}

/* Append (t, p99) to a series. */
static void series_add(struct rb_p99_series *s, double t, double p99)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		double *a = realloc(s->t_s, cap * sizeof(*a)), *b;
		if (!a)
			return;
		s->t_s = a;
		b = realloc(s->p99_us, cap * sizeof(*b));
		if (!b)
			return;
		s->p99_us = b;
		s->cap = cap;
	}
	s->t_s[s->n] = t;
	s->p99_us[s->n++] = p99;
}

static void write_counters(struct rb_sampler_workers *sw, struct worker_state *ws)
{
	for (size_t c = 0; c < ws->n_counters; c++) {
		struct rb_counter_range *r = &ws->ranges[c];
		uint64_t v = counter(ws->w, (enum rb_counter)(RB_CTR_FIRST_CUSTOM + c));
		fprintf(sw->f, "\t%llu", (unsigned long long)v);
		if (!r->seen || v < r->min)
			r->min = v;
		if (!r->seen || v > r->max)
			r->max = v;
		r->last = v;
		r->seen = true;
	}
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
		if (init_state(&sw->ws[i], &cfg->workers[i])) {
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

static void write_hist_interval(struct rb_sampler_workers *sw, struct worker_state *ws, size_t h,
				double t_s)
{
	double p99;

	rb_hist_snapshot(&ws->w->shm->hist[h], &sw->now);
	rb_hist_diff(&sw->now, &ws->prev[h], &sw->diff);
	ws->prev[h] = sw->now;
	if (!sw->diff.count) {
		fputs("\t0\tNaN\tNaN\tNaN", sw->f);
		series_add(&ws->series[h], t_s, NAN);
		return;
	}
	p99 = (double)rb_hist_percentile(&sw->diff, 99) / 1e3;
	fprintf(sw->f, "\t%llu\t%.3f\t%.3f\t%.3f", (unsigned long long)sw->diff.count,
		(double)rb_hist_percentile(&sw->diff, 50) / 1e3, p99, (double)sw->diff.max_ns / 1e3);
	series_add(&ws->series[h], t_s, p99);
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
		write_counters(sw, ws);
		for (size_t h = 0; h < ws->n_hists; h++)
			write_hist_interval(sw, ws, h, (double)t_ns / 1e9);
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

/* Move src[0..n) to the end of *dst (growing it); src is left empty. */
static int move_items(void **dst, size_t *dst_n, void *src, size_t n, size_t size)
{
	char *grown = realloc(*dst, (*dst_n + n) * size + 1);

	if (!grown)
		return -ENOMEM;
	memcpy(grown + *dst_n * size, src, n * size);
	memset(src, 0, n * size);
	*dst = grown;
	*dst_n += n;
	return 0;
}

void rb_sampler_workers_totals(struct rb_sampler_workers *sw, struct rb_sampler_totals *t)
{
	for (size_t i = 0; sw && i < sw->n; i++) {
		struct worker_state *ws = &sw->ws[i];
		if (move_items((void **)&t->series, &t->n_series, ws->series, ws->n_hists,
			       sizeof(*ws->series)) ||
		    move_items((void **)&t->counters, &t->n_counters, ws->ranges, ws->n_counters,
			       sizeof(*ws->ranges)))
			return;
	}
}

void rb_sampler_workers_close(struct rb_sampler_workers *sw)
{
	if (!sw)
		return;
	for (size_t i = 0; sw->ws && i < sw->n; i++) {
		for (size_t h = 0; sw->ws[i].series && h < sw->ws[i].n_hists; h++) {
			free(sw->ws[i].series[h].t_s);
			free(sw->ws[i].series[h].p99_us);
		}
		free(sw->ws[i].series);
		free(sw->ws[i].ranges);
		free(sw->ws[i].prev);
	}
	free(sw->ws);
	if (sw->f)
		(void)fclose(sw->f);
	free(sw);
}
