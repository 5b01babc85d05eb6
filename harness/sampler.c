/* sampler.c - the run's time series (see include/sampler.h).
 *
 * Each source is a file kept open and re-read every tick (lseek + read,
 * see rb_read_fd), parsed by name into a name/value set. Its columns are
 * fixed when the sampler opens (every field the kernel has then); a field
 * that later goes missing reads NaN. Counters become per-second deltas, levels are written as read.
 *
 *   samples.tsv:  time[s]  vmstat.<f>[1/s|pages]  meminfo.<F>[kB]
 *                 psi.<res>.some[%] psi.<res>.full[%]  memcg.<f>[...]
 *   workers.tsv:  time[s]  <w>.ops[1/s] <w>.bytes[B/s]
 *                 <w>.<op>.count <w>.<op>.p50[us] .p99[us] .max[us]  */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler.h"
#include "sampler_worker.h"
#include "sampler_zone.h"
#include "sampler_buddy.h"

const char *const rb_psi_resources[3] = { "memory", "io", "cpu" };

enum parse_kind { PARSE_FLAT, PARSE_MEMINFO, PARSE_SINGLE };

struct column {
	char name[RB_KV_NAME_MAX];
	bool counter;
	size_t hint;
};

/* One kv-shaped file and its columns. */
struct source {
	const char *prefix;     /* column prefix: "vmstat", "memcg" ... */
	const char *level_unit; /* unit of its levels: "pages", "kB", "bytes" */
	enum parse_kind parse;
	bool (*is_counter)(const char *name);
	int fd;
	struct rb_kvset prev, cur;
	struct column *cols;
	size_t n_cols;
};

struct psi_source {
	char label[32];
	int fd;
	struct rb_psi prev, cur, first;
	bool ok, has_full;
};

enum { SRC_VMSTAT, SRC_MEMINFO, SRC_MEMCG_STAT, SRC_MEMCG_EVENTS, SRC_MEMCG_FAILCNT,
       SRC_MEMCG_USAGE, SRC_MEMCG_OOM, SRC_COUNT };

struct rb_sampler {
	struct source src[SRC_COUNT];
	struct psi_source psi[4]; /* memory, io, cpu, memcg */
	FILE *samples;
	struct rb_sampler_workers *workers;
	struct rb_sampler_zone *zone;
	struct rb_sampler_buddy *buddy;
	char *buf;
	size_t buf_cap;
	uint64_t t0_ns, prev_ns;
	struct rb_sampler_view view;
	struct rb_sampler_totals totals;
	uint64_t oom_kill_first;
};

static bool always_counter(const char *name)
{
	(void)name;
	return true;
}

static bool never_counter(const char *name)
{
	(void)name;
	return false;
}

static bool oom_control_counter(const char *name)
{
	return strcmp(name, "oom_kill") == 0;
}

/* Read and parse one source into cur. -errno if the file cannot be read. */
static int source_read(struct rb_sampler *s, struct source *src)
{
	long n;

	if (src->fd < 0)
		return -ENOENT;
	n = rb_read_fd(src->fd, &s->buf, &s->buf_cap);
	if (n < 0)
		return (int)n;
	rb_kvset_clear(&src->cur);
	if (src->parse == PARSE_MEMINFO)
		return rb_parse_meminfo(s->buf, &src->cur);
	if (src->parse == PARSE_FLAT)
		return rb_parse_flat_kv(s->buf, &src->cur);
	char text[RB_KV_NAME_MAX + 32];
	(void)snprintf(text, sizeof(text), "value %s", s->buf);
	return rb_parse_flat_kv(text, &src->cur);
}

/* Open a source and fix its columns from a first reading. */
static void source_open(struct rb_sampler *s, struct source *src, const char *path)
{
	src->fd = path && *path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (source_read(s, src) < 0) {
		if (src->fd >= 0)
			(void)close(src->fd);
		src->fd = -1;
		return;
	}
	src->cols = calloc(src->cur.n ? src->cur.n : 1, sizeof(*src->cols));
	if (!src->cols)
		return;
	for (size_t i = 0; i < src->cur.n; i++) {
		struct column *c = &src->cols[src->n_cols++];
		memcpy(c->name, src->cur.v[i].name, sizeof(c->name));
		c->counter = src->is_counter(c->name);
		c->hint = i;
	}
}

static void source_close(struct source *src)
{
	if (src->fd >= 0)
		(void)close(src->fd);
	rb_kvset_free(&src->prev);
	rb_kvset_free(&src->cur);
	free(src->cols);
}

static void psi_open(struct psi_source *p, const char *label, const char *path, char **buf,
		     size_t *cap)
{
	(void)snprintf(p->label, sizeof(p->label), "%s", label);
	p->fd = path && *path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	p->ok = p->fd >= 0 && rb_read_fd(p->fd, buf, cap) > 0 && rb_parse_psi(*buf, &p->cur) == 0;
	p->has_full = p->ok && p->cur.has_full;
	p->prev = p->first = p->cur;
}

static void psi_read(struct psi_source *p, char **buf, size_t *cap)
{
	struct rb_psi now;

	if (!p->ok || rb_read_fd(p->fd, buf, cap) <= 0 || rb_parse_psi(*buf, &now) != 0)
		return;
	p->prev = p->cur;
	p->cur = now;
}

static void setup_sources(struct rb_sampler *s, const struct rb_cgroup *cg)
{
	struct rb_cgroup_files f = { 0 };
	char oom[PATH_MAX + 32] = "";
	static const struct source templ[SRC_COUNT] = {
		[SRC_VMSTAT] = { "vmstat", "pages", PARSE_FLAT, rb_vmstat_is_counter, -1 },
		[SRC_MEMINFO] = { "meminfo", "kB", PARSE_MEMINFO, never_counter, -1 },
		[SRC_MEMCG_STAT] = { "memcg", "bytes", PARSE_FLAT, rb_memcg_stat_is_counter, -1 },
		[SRC_MEMCG_EVENTS] = { "memcg.events", "", PARSE_FLAT, always_counter, -1 },
		[SRC_MEMCG_FAILCNT] = { "memcg.failcnt", "", PARSE_SINGLE, always_counter, -1 },
		[SRC_MEMCG_USAGE] = { "memcg.usage", "bytes", PARSE_SINGLE, never_counter, -1 },
		[SRC_MEMCG_OOM] = { "memcg.oom_control", "", PARSE_FLAT, oom_control_counter, -1 },
	};

	memcpy(s->src, templ, sizeof(templ));
	if (cg) {
		rb_cgroup_files(cg, &f);
		if (cg->version == RB_CGROUP_V1)
			(void)snprintf(oom, sizeof(oom), "%s/memory.oom_control", cg->path);
	}
	source_open(s, &s->src[SRC_VMSTAT], "/proc/vmstat");
	source_open(s, &s->src[SRC_MEMINFO], "/proc/meminfo");
	source_open(s, &s->src[SRC_MEMCG_STAT], f.stat);
	source_open(s, &s->src[SRC_MEMCG_EVENTS], f.events);
	source_open(s, &s->src[SRC_MEMCG_FAILCNT], f.failcnt);
	source_open(s, &s->src[SRC_MEMCG_USAGE], f.usage);
	source_open(s, &s->src[SRC_MEMCG_OOM], oom);
	for (int i = 0; i < 3; i++) {
		char path[64];
		(void)snprintf(path, sizeof(path), "/proc/pressure/%s", rb_psi_resources[i]);
		psi_open(&s->psi[i], rb_psi_resources[i], path, &s->buf, &s->buf_cap);
	}
	psi_open(&s->psi[3], "memcg", f.pressure, &s->buf, &s->buf_cap);
}

/* Column name of a source field: single-value sources are named by prefix. */
static void column_label(const struct source *src, const struct column *c, char *buf, size_t len)
{
	const char *unit = c->counter ? "1/s" : src->level_unit;
	bool single = src->parse == PARSE_SINGLE;

	if (strncmp(c->name, "HugePages_", 10) == 0)
		unit = "pages";
	if (single)
		(void)snprintf(buf, len, "%s[%s]", src->prefix, unit);
	else if (*unit)
		(void)snprintf(buf, len, "%s.%s[%s]", src->prefix, c->name, unit);
	else
		(void)snprintf(buf, len, "%s.%s", src->prefix, c->name);
}

static void write_header(struct rb_sampler *s)
{
	char label[RB_KV_NAME_MAX * 2 + 64];

	fputs("time[s]", s->samples);
	for (int i = 0; i < SRC_COUNT; i++) {
		const struct source *src = &s->src[i];
		for (size_t c = 0; c < src->n_cols; c++) {
			column_label(src, &src->cols[c], label, sizeof(label));
			fprintf(s->samples, "\t%s", label);
		}
	}
	for (int i = 0; i < 4; i++) {
		if (!s->psi[i].ok)
			continue;
		fprintf(s->samples, "\tpsi.%s.some[%%]", s->psi[i].label);
		if (s->psi[i].has_full)
			fprintf(s->samples, "\tpsi.%s.full[%%]", s->psi[i].label);
	}
	rb_sampler_zone_header(s->zone, s->samples);
	rb_sampler_buddy_header(s->buddy, s->samples);
	fputc('\n', s->samples);
}

/* Append "\t" and v (integer, or with 2 decimals) to f without printf's
 * floating-point path, which was a tenth of a tick's cost. */
static void write_value(FILE *f, double v, bool integer)
{
	char buf[32], *p = buf + sizeof(buf);
	bool neg = v < 0;
	uint64_t x;

	if (isnan(v) || fabs(v) > 9e15) {
		fprintf(f, isnan(v) ? "\tNaN" : "\t%.6g", v);
		return;
	}
	x = (uint64_t)llround(fabs(v) * (integer ? 1 : 100));
	*--p = '\0';
	for (int digits = 0; x || digits < (integer ? 1 : 3); digits++, x /= 10) {
		if (!integer && digits == 2)
			*--p = '.';
		*--p = (char)('0' + x % 10);
	}
	if (neg && strspn(p, "0.") != strlen(p))
		*--p = '-';
	*--p = '\t';
	fputs(p, f);
}

/* Write a source's columns: rates from prev->cur over dt seconds. */
static void write_source(FILE *f, struct source *src, double dt, bool first)
{
	for (size_t i = 0; i < src->n_cols; i++) {
		struct column *c = &src->cols[i];
		uint64_t now, before;
		double v = NAN;
		if (rb_kvset_get(&src->cur, c->name, &c->hint, &now) == 0) {
			size_t prev_hint = c->hint; /* same file, same order */
			if (!c->counter)
				v = (double)now;
			else if (first)
				v = 0;
			else if (rb_kvset_get(&src->prev, c->name, &prev_hint, &before) == 0 && dt > 0)
				v = now >= before ? (double)(now - before) / dt : 0;
		}
		write_value(f, v, !c->counter);
	}
}

static void write_psi(FILE *f, const struct psi_source *p, uint64_t interval_ns, bool first)
{
	if (!p->ok)
		return;
	double some = first ? 0 : rb_psi_pct(p->prev.some_total_us, p->cur.some_total_us,
					     interval_ns);
	write_value(f, some, false);
	if (p->has_full)
		write_value(f, first ? 0 : rb_psi_pct(p->prev.full_total_us, p->cur.full_total_us,
						      interval_ns), false);
}

/* Set name's value in a set (append if new). */
static int kv_put(struct rb_kvset *set, const char *name, uint64_t value)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0) {
			set->v[i].value = value;
			return 0;
		}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		struct rb_kv *v = realloc(set->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		set->v = v;
		set->cap = cap;
	}
	(void)snprintf(set->v[set->n].name, RB_KV_NAME_MAX, "%s", name);
	set->v[set->n++].value = value;
	return 0;
}

/* Keep set's value for name at the lower (or higher) of it and v. The
 * set is built in the file's order, so index i is the usual position. */
static void keep_extreme(struct rb_kvset *set, const char *name, size_t i, uint64_t v, bool low)
{
	size_t at = i;
	uint64_t old;

	if (rb_kvset_get(set, name, &at, &old) != 0)
		(void)kv_put(set, name, v);
	else if (low ? v < old : v > old)
		set->v[at].value = v;
}

/* Track each meminfo field's minimum and maximum over the run. */
static void track_meminfo(struct rb_sampler *s)
{
	const struct rb_kvset *cur = &s->src[SRC_MEMINFO].cur;

	for (size_t i = 0; i < cur->n; i++) {
		keep_extreme(&s->totals.meminfo_min, cur->v[i].name, i, cur->v[i].value, true);
		keep_extreme(&s->totals.meminfo_max, cur->v[i].name, i, cur->v[i].value, false);
	}
}

/* Combine the cgroup sources into one set named as in summary.json:
 * memory.stat fields as is, "events.<f>", "failcnt", "usage", "oom_kill". */
static void memcg_snapshot(const struct rb_sampler *s, struct rb_kvset *out)
{
	static const struct { int src; const char *prefix; } parts[] = {
		{ SRC_MEMCG_STAT, "" }, { SRC_MEMCG_EVENTS, "events." },
		{ SRC_MEMCG_FAILCNT, "failcnt" }, { SRC_MEMCG_USAGE, "usage" },
		{ SRC_MEMCG_OOM, "oom_control." },
	};
	char name[RB_KV_NAME_MAX * 2];

	rb_kvset_clear(out);
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
		const struct source *src = &s->src[parts[p].src];
		for (size_t i = 0; src->fd >= 0 && i < src->cur.n; i++) {
			if (src->parse == PARSE_SINGLE)
				(void)snprintf(name, sizeof(name), "%s", parts[p].prefix);
			else
				(void)snprintf(name, sizeof(name), "%s%s", parts[p].prefix,
					       src->cur.v[i].name);
			(void)kv_put(out, name, src->cur.v[i].value);
		}
	}
}

static void copy_kvset(struct rb_kvset *dst, const struct rb_kvset *src)
{
	rb_kvset_clear(dst);
	for (size_t i = 0; i < src->n; i++)
		(void)kv_put(dst, src->v[i].name, src->v[i].value);
}

static double allocstall_rate(const struct source *vm, double dt)
{
	double sum = 0;

	for (size_t i = 0; i < vm->cur.n && dt > 0; i++) {
		uint64_t before;
		const struct rb_kv *kv = &vm->cur.v[i];
		if (strncmp(kv->name, "allocstall", 10) != 0)
			continue;
		size_t hint = i;
		if (rb_kvset_get(&vm->prev, kv->name, &hint, &before) == 0 && kv->value >= before)
			sum += (double)(kv->value - before) / dt;
	}
	return sum;
}

static void update_view(struct rb_sampler *s, double dt)
{
	struct rb_sampler_view *v = &s->view;
	uint64_t x;

	v->t_s = (double)(s->prev_ns - s->t0_ns) / 1e9;
	if (rb_kvset_get(&s->src[SRC_MEMINFO].cur, "MemAvailable", NULL, &x) == 0)
		v->mem_available_kb = x;
	v->psi_some_avg10 = s->psi[0].ok ? s->psi[0].cur.some_avg10 : 0;
	v->psi_full_avg10 = s->psi[0].ok ? s->psi[0].cur.full_avg10 : 0;
	v->allocstall_per_s = allocstall_rate(&s->src[SRC_VMSTAT], dt);
	v->kswapd_cpu_pct = rb_sampler_zone_kswapd_pct(s->zone);
	if (rb_kvset_get(&s->src[SRC_VMSTAT].cur, "oom_kill", NULL, &x) == 0)
		v->oom_kills = x - s->oom_kill_first;
	if (rb_kvset_get(&s->src[SRC_MEMCG_EVENTS].cur, "oom_kill", NULL, &x) == 0 ||
	    rb_kvset_get(&s->src[SRC_MEMCG_OOM].cur, "oom_kill", NULL, &x) == 0)
		v->memcg_oom_kills = x;
}

/* Read every source and write one samples.tsv row. */
static int sample_row(struct rb_sampler *s, uint64_t now_ns, bool first)
{
	uint64_t interval = now_ns - s->prev_ns;
	double dt = (double)interval / 1e9;

	for (int i = 0; i < SRC_COUNT; i++) {
		struct rb_kvset tmp = s->src[i].prev;
		s->src[i].prev = s->src[i].cur;
		s->src[i].cur = tmp;
		if (s->src[i].fd >= 0 && source_read(s, &s->src[i]) < 0)
			rb_kvset_clear(&s->src[i].cur);
	}
	for (int i = 0; i < 4; i++)
		psi_read(&s->psi[i], &s->buf, &s->buf_cap);
	fprintf(s->samples, "%.3f", (double)(now_ns - s->t0_ns) / 1e9);
	for (int i = 0; i < SRC_COUNT; i++)
		write_source(s->samples, &s->src[i], dt, first);
	for (int i = 0; i < 4; i++)
		write_psi(s->samples, &s->psi[i], interval, first);
	uint64_t free_pages = UINT64_MAX;
	size_t free_hint = 0;
	(void)rb_kvset_get(&s->src[SRC_VMSTAT].cur, "nr_free_pages", &free_hint, &free_pages);
	rb_sampler_zone_row(s->zone, s->samples, interval, first, free_pages);
	rb_sampler_buddy_row(s->buddy, s->samples);
	fputc('\n', s->samples);
	s->prev_ns = now_ns;
	track_meminfo(s);
	update_view(s, dt);
	s->totals.ticks++;
	return fflush(s->samples) == 0 ? 0 : -errno;
}

int rb_sampler_tick(struct rb_sampler *s, uint64_t now_ns)
{
	int rc = sample_row(s, now_ns, false);
	int wrc = rb_sampler_workers_tick(s->workers, now_ns - s->t0_ns);

	return rc ? rc : wrc;
}

static void first_reading(struct rb_sampler *s, uint64_t now)
{
	uint64_t x = 0;

	s->t0_ns = s->prev_ns = now;
	(void)sample_row(s, now, true);
	copy_kvset(&s->totals.vmstat_first, &s->src[SRC_VMSTAT].cur);
	memcg_snapshot(s, &s->totals.memcg_first);
	if (rb_kvset_get(&s->src[SRC_VMSTAT].cur, "oom_kill", NULL, &x) == 0)
		s->oom_kill_first = x;
	s->view.oom_kills = 0;
	for (int i = 0; i < 3; i++)
		s->psi[i].first = s->psi[i].cur;
	s->psi[3].first = s->psi[3].cur;
}

int rb_sampler_open(const struct rb_sampler_config *cfg, struct rb_sampler **out, char *err,
		    size_t errlen)
{
	struct rb_sampler *s = calloc(1, sizeof(*s));
	int rc = -ENOMEM;

	if (!s)
		goto fail;
	setup_sources(s, cfg->cgroup);
	if (s->src[SRC_VMSTAT].fd < 0 || s->src[SRC_MEMINFO].fd < 0) {
		rc = -ENOENT;
		(void)snprintf(err, errlen, "cannot read /proc/vmstat or /proc/meminfo");
		goto fail;
	}
	s->samples = fopen(cfg->samples_path, "we");
	if (!s->samples) {
		rc = -errno;
		(void)snprintf(err, errlen, "%s: %s", cfg->samples_path, strerror(errno));
		goto fail;
	}
	rc = rb_sampler_workers_open(cfg, &s->workers, err, errlen);
	if (!rc)
		rc = rb_sampler_zone_open(&s->zone);
	if (!rc)
		rc = rb_sampler_buddy_open(&s->buddy);
	if (rc)
		goto fail;
	write_header(s);
	first_reading(s, rb_now_ns());
	rb_sampler_workers_start(s->workers, 0);
	*out = s;
	return 0;
fail:
	rb_sampler_close(s, NULL);
	return rc;
}

void rb_sampler_view(const struct rb_sampler *s, struct rb_sampler_view *v)
{
	*v = s->view;
}

static void hand_over_totals(struct rb_sampler *s, struct rb_sampler_totals *t)
{
	copy_kvset(&s->totals.vmstat_last, &s->src[SRC_VMSTAT].cur);
	memcg_snapshot(s, &s->totals.memcg_last);
	for (int i = 0; i < 3; i++) {
		s->totals.has_psi[i] = s->psi[i].ok;
		s->totals.psi_first[i] = s->psi[i].first;
		s->totals.psi_last[i] = s->psi[i].cur;
	}
	s->totals.has_memcg_psi = s->psi[3].ok;
	s->totals.memcg_psi_first = s->psi[3].first;
	s->totals.memcg_psi_last = s->psi[3].cur;
	s->totals.elapsed_s = (double)(s->prev_ns - s->t0_ns) / 1e9;
	rb_sampler_zone_totals(s->zone, &s->totals);
	rb_sampler_workers_totals(s->workers, &s->totals);
	*t = s->totals;
	memset(&s->totals, 0, sizeof(s->totals));
}

void rb_sampler_close(struct rb_sampler *s, struct rb_sampler_totals *totals)
{
	if (!s)
		return;
	if (totals)
		hand_over_totals(s, totals);
	for (int i = 0; i < SRC_COUNT; i++)
		source_close(&s->src[i]);
	for (int i = 0; i < 4; i++)
		if (s->psi[i].fd >= 0)
			(void)close(s->psi[i].fd);
	if (s->samples)
		(void)fclose(s->samples);
	rb_sampler_workers_close(s->workers);
	rb_sampler_zone_close(s->zone);
	rb_sampler_buddy_close(s->buddy);
	rb_sampler_totals_free(&s->totals);
	free(s->buf);
	free(s);
}

void rb_sampler_totals_free(struct rb_sampler_totals *t)
{
	if (!t)
		return;
	rb_kvset_free(&t->vmstat_first);
	rb_kvset_free(&t->vmstat_last);
	rb_kvset_free(&t->memcg_first);
	rb_kvset_free(&t->memcg_last);
	rb_kvset_free(&t->meminfo_min);
	rb_kvset_free(&t->meminfo_max);
	for (size_t i = 0; i < t->n_series; i++) {
		free(t->series[i].t_s);
		free(t->series[i].p99_us);
	}
	free(t->series);
	free(t->counters);
	t->series = NULL;
	t->counters = NULL;
	t->n_series = t->n_counters = 0;
}

void rb_sampler_state(const struct rb_sampler *s, struct rb_kvset *vmstat, uint64_t *kswapd_ticks)
{
	copy_kvset(vmstat, &s->src[SRC_VMSTAT].cur);
	*kswapd_ticks = rb_sampler_zone_kswapd_ticks(s->zone);
}
