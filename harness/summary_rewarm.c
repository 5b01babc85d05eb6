/* summary_rewarm.c - the backup-pollution figures of summary.json:
 *  - per worker with resident_pages/file_pages counters (working-set):
 *    residency_min_pct, residency_max_pct, residency_last_pct;
 *  - "rewarm" when the profile names rewarm_watch and rewarm_after: the
 *    watched p99 before, during and after that workload, and how long after
 *    it ended the p99 took to come back within rewarm_factor of before. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rewarm.h"
#include "summary.h"
#include "summary_priv.h"

#define REWARM_HOLD 2 /* consecutive good intervals that make it re-warmed */

static const struct rb_counter_range *find_range(const struct rb_sampler_totals *t,
						 const char *worker, const char *name)
{
	for (size_t i = 0; i < t->n_counters; i++)
		if (!strcmp(t->counters[i].worker, worker) && !strcmp(t->counters[i].name, name) &&
		    t->counters[i].seen)
			return &t->counters[i];
	return NULL;
}

static void add_residency(struct json_object *workers, const struct rb_sampler_totals *t)
{
	json_object_object_foreach(workers, name, w) {
		const struct rb_counter_range *res = find_range(t, name, "resident_pages");
		const struct rb_counter_range *tot = find_range(t, name, "file_pages");
		if (!res || !tot)
			continue;
		rb_json_add_num(w, "residency_min_pct", rb_residency_pct(res->min, tot->last));
		rb_json_add_num(w, "residency_max_pct", rb_residency_pct(res->max, tot->last));
		rb_json_add_num(w, "residency_last_pct", rb_residency_pct(res->last, tot->last));
	}
}

/* Index of the watched worker and its histogram; -1 if absent. */
static int watched(const struct rb_proc *procs, size_t n, const char *watch, unsigned *hist)
{
	const char *dot = strrchr(watch, '.');
	size_t len = dot ? (size_t)(dot - watch) : 0;

	for (size_t i = 0; dot && i < n; i++) {
		const char *const *hn = procs[i].w.ops->hist_names;
		if (strncmp(procs[i].spec->name, watch, len) || procs[i].spec->name[len])
			continue;
		for (unsigned h = 0; hn && hn[h] && h < RB_MAX_HISTS; h++)
			if (!strcmp(hn[h], dot + 1)) {
				*hist = h;
				return (int)i;
			}
	}
	return -1;
}

/* p99 in us of histogram (i, h) between two snapshots; NaN if empty. */
static double p99_between(const struct rb_snapshot *a, const struct rb_snapshot *b, int i,
			  unsigned h)
{
	struct rb_hist *d = malloc(sizeof(*d));
	double v = NAN;

	if (!d)
		return v;
	rb_hist_diff(&b->hists[i * RB_MAX_HISTS + h], &a->hists[i * RB_MAX_HISTS + h], d);
	if (d->count)
		v = (double)rb_hist_percentile(d, 99) / 1e3;
	free(d);
	return v;
}

static const struct rb_p99_series *find_series(const struct rb_sampler_totals *t,
					       const char *worker, const char *op)
{
	for (size_t i = 0; i < t->n_series; i++)
		if (!strcmp(t->series[i].worker, worker) && !strcmp(t->series[i].op, op))
			return &t->series[i];
	return NULL;
}

struct rewarm_ctx {
	const struct rb_profile *p;
	const struct rb_sampler_totals *t;
	const struct rb_phases *ph;
	const struct rb_proc *procs;
	size_t n;
};

/* The re-warm clock itself, once before/during/after are known. */
static void add_rewarm_time(struct json_object *o, const struct rewarm_ctx *c,
			    const struct rb_proc *w, unsigned h, double end_s, double before)
{
	const struct rb_p99_series *s = find_series(c->t, w->name, w->w.ops->hist_names[h]);
	double secs = 0;
	int rc;

	if (!s || !s->n) {
		json_object_object_add(o, "error", json_object_new_string("no interval series"));
		return;
	}
	rc = rb_rewarm_time(s->t_s, s->p99_us, s->n, (double)c->p->worker_interval_ns / 1e9,
			    end_s, before, c->p->rewarm_factor, REWARM_HOLD, &secs);
	json_object_object_add(o, "rewarmed", json_object_new_boolean(rc == 0));
	if (rc == 0)
		rb_json_add_num(o, "rewarm_s", secs);
	else if (rc == -ENOENT)
		rb_json_add_num(o, "rewarm_s_at_least", secs);
}

static struct json_object *rewarm(const struct rewarm_ctx *c)
{
	struct json_object *o = json_object_new_object();
	char ev[RB_OPT_STRLEN + 16];
	unsigned h = 0;
	int i = watched(c->procs, c->n, c->p->rewarm_watch, &h);
	const struct rb_snapshot *first = c->ph->n ? &c->ph->snaps[0] : NULL, *start, *end;

	json_object_object_add(o, "watch", json_object_new_string(c->p->rewarm_watch));
	json_object_object_add(o, "after", json_object_new_string(c->p->rewarm_after));
	rb_json_add_num(o, "factor", c->p->rewarm_factor);
	(void)snprintf(ev, sizeof(ev), "%s starts", c->p->rewarm_after);
	start = rb_phases_find(c->ph, ev);
	(void)snprintf(ev, sizeof(ev), "%s ended", c->p->rewarm_after);
	end = rb_phases_find(c->ph, ev);
	if (!end) {
		(void)snprintf(ev, sizeof(ev), "%s stops", c->p->rewarm_after);
		end = rb_phases_find(c->ph, ev);
	}
	if (i < 0 || !first || !start || !end || end < start) {
		json_object_object_add(o, "error", json_object_new_string(
			"the watched workload must run before, during and after it, and it must start "
			"after 0 s and end before the run does"));
		return o;
	}
	const struct rb_snapshot *last = &c->ph->snaps[c->ph->n - 1];
	double before = p99_between(first, start, i, h);
	rb_json_add_num(o, "started_s", start->t_s);
	rb_json_add_num(o, "ended_s", end->t_s);
	rb_json_add_num(o, "p99_before_us", before);
	rb_json_add_num(o, "p99_during_us", p99_between(start, end, i, h));
	rb_json_add_num(o, "p99_after_us", p99_between(end, last, i, h));
	if (isnan(before))
		json_object_object_add(o, "error", json_object_new_string("no values before"));
	else
		add_rewarm_time(o, c, &c->procs[i], h, end->t_s, before);
	return o;
}

void rb_summary_rewarm(struct json_object *summary, const struct rb_profile *p,
		       const struct rb_sampler_totals *t, const struct rb_phases *ph,
		       const struct rb_proc *procs, size_t n)
{
	struct json_object *workers = NULL;
	struct rewarm_ctx c = { p, t, ph, procs, n };

	if (json_object_object_get_ex(summary, "workers", &workers))
		add_residency(workers, t);
	if (p->rewarm_watch[0])
		json_object_object_add(summary, "rewarm", rewarm(&c));
}
