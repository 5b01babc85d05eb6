/* sampler.c - the run's time series (see include/sampler.h).
 *
 * Each source is a file kept open and re-read every tick (lseek + read,
 * see rb_read_fd) and read by name (sampler_source.c). Its columns are
 * fixed when the sampler opens (every field the kernel has then); a field
 * that later goes missing reads NaN. Counters become per-second deltas
 * against the column's previous value, levels are written as read. Rows
 * are built in one buffer by every part (sampler_row.h) and written to the
 * file once a second, on the slow ticks (a write per tick was an ext4
 * inode update and journal handle each time, a tenth of the budget).
 *
 * The CPU budget (under 0.2% of a core at 10 Hz, `make bench`) is mostly the
 * kernel generating the files, so whatever moves slowly is read once a
 * second, on the same ticks (`slow`): meminfo (its counters are vmstat's
 * nr_* fields, which are read every tick; MemAvailable is the one figure of
 * its own) and PSI io and cpu here, zoneinfo and kswapd in sampler_zone.c,
 * buddyinfo in sampler_buddy.c, zram/zswap in sampler_swap.c. vmstat and
 * memory PSI are read every tick.
 *
 *   samples.tsv:  time[s]  vmstat.<f>[1/s|pages]  meminfo.<F>[kB]
 *                 psi.<res>.some[%] psi.<res>.full[%]  memcg.<f>[...]
 *   workers.tsv:  time[s]  <w>.ops[1/s] <w>.bytes[B/s]
 *                 <w>.<op>.count <w>.<op>.p50[us] .p99[us] .max[us]  */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sampler.h"
#include "sampler_worker.h"
#include "sampler_zone.h"
#include "sampler_buddy.h"
#include "sampler_row.h"
#include "sampler_source.h"
#include "sampler_swap.h"
#include "sampler_totals.h"

const char *const rb_psi_resources[3] = { "memory", "io", "cpu" };

struct psi_source {
	char label[32];
	int fd;
	struct rb_psi prev, cur, first;
	bool ok, has_full;
	bool slow;                      /* read once a second (io, cpu) */
	uint64_t prev_read_ns, read_ns; /* when prev and cur were read */
};

enum { SRC_VMSTAT, SRC_MEMINFO, SRC_MEMCG_STAT, SRC_MEMCG_EVENTS, SRC_MEMCG_FAILCNT,
       SRC_MEMCG_USAGE, SRC_MEMCG_OOM, SRC_COUNT };

/* The columns a tick needs besides writing them (indices, -1 if absent). */
struct wanted {
	long avail, zswap, zswapped;                             /* meminfo */
	long free, dirty, writeback, threshold, oom_kill;        /* vmstat */
	long memcg_oom_v2, memcg_oom_v1;  /* memory.events / memory.oom_control oom_kill */
};

struct rb_sampler {
	struct rb_source src[SRC_COUNT];
	struct psi_source psi[4]; /* memory, io, cpu, memcg */
	struct wanted col;
	FILE *samples; /* the header; rows go to its fd, once a second */
	struct rb_row row;
	uint64_t slow_since_ns; /* since the 1 Hz sources were last read */
	struct rb_sampler_workers *workers;
	struct rb_sampler_zone *zone;
	struct rb_sampler_buddy *buddy;
	struct rb_sampler_swap *swap;
	char *buf;
	size_t buf_cap;
	uint64_t t0_ns, prev_ns;
	struct rb_sampler_view view;
	struct rb_sampler_totals totals;
	uint64_t oom_kill_first;
	uint64_t page_size;
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

static void psi_open(struct psi_source *p, const char *label, const char *path, char **buf,
		     size_t *cap)
{
	(void)snprintf(p->label, sizeof(p->label), "%s", label);
	p->fd = path && *path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	p->ok = p->fd >= 0 && rb_read_fd(p->fd, buf, cap) > 0 && rb_parse_psi(*buf, &p->cur) == 0;
	p->has_full = p->ok && p->cur.has_full;
	p->prev = p->first = p->cur;
}

static void psi_read(struct psi_source *p, uint64_t now_ns, char **buf, size_t *cap)
{
	struct rb_psi now;

	if (!p->ok || rb_read_fd(p->fd, buf, cap) <= 0 || rb_parse_psi(*buf, &now) != 0)
		return;
	p->prev = p->cur;
	p->cur = now;
	p->prev_read_ns = p->read_ns;
	p->read_ns = now_ns;
}

static int open_sources(struct rb_sampler *s, const struct rb_cgroup_files *f, const char *oom)
{
	static const struct rb_source templ[SRC_COUNT] = {
		[SRC_VMSTAT] = { "vmstat", "pages", RB_SOURCE_FLAT, rb_vmstat_is_counter,
				 "allocstall", .fd = -1 },
		[SRC_MEMINFO] = { "meminfo", "kB", RB_SOURCE_MEMINFO, never_counter, NULL,
				  .range = true, .fd = -1 },
		[SRC_MEMCG_STAT] = { "memcg", "bytes", RB_SOURCE_FLAT, rb_memcg_stat_is_counter, NULL,
				     .fd = -1 },
		[SRC_MEMCG_EVENTS] = { "memcg.events", "", RB_SOURCE_FLAT, always_counter, NULL,
				       .fd = -1 },
		[SRC_MEMCG_FAILCNT] = { "memcg.failcnt", "", RB_SOURCE_SINGLE, always_counter, NULL,
					.fd = -1 },
		[SRC_MEMCG_USAGE] = { "memcg.usage", "bytes", RB_SOURCE_SINGLE, never_counter, NULL,
				      .fd = -1 },
		[SRC_MEMCG_OOM] = { "memcg.oom_control", "", RB_SOURCE_FLAT, oom_control_counter,
				    NULL, .fd = -1 },
	};
	const char *paths[SRC_COUNT] = { "/proc/vmstat", "/proc/meminfo", f->stat, f->events,
					 f->failcnt, f->usage, oom };
	int rc = 0;

	memcpy(s->src, templ, sizeof(templ));
	for (int i = 0; i < SRC_COUNT && !rc; i++)
		rc = rb_source_open(&s->src[i], paths[i]);
	return rc;
}

static void find_columns(struct rb_sampler *s)
{
	const struct rb_source *mi = &s->src[SRC_MEMINFO], *vm = &s->src[SRC_VMSTAT];

	s->col = (struct wanted){
		rb_source_column(mi, "MemAvailable"), rb_source_column(mi, "Zswap"),
		rb_source_column(mi, "Zswapped"), rb_source_column(vm, "nr_free_pages"),
		rb_source_column(vm, "nr_dirty"), rb_source_column(vm, "nr_writeback"),
		rb_source_column(vm, "nr_dirty_threshold"), rb_source_column(vm, "oom_kill"),
		rb_source_column(&s->src[SRC_MEMCG_EVENTS], "oom_kill"),
		rb_source_column(&s->src[SRC_MEMCG_OOM], "oom_kill"),
	};
}

static int setup_sources(struct rb_sampler *s, const struct rb_cgroup *cg)
{
	struct rb_cgroup_files f = { 0 };
	char oom[PATH_MAX + 32] = "";
	int rc;

	if (cg) {
		rb_cgroup_files(cg, &f);
		if (cg->version == RB_CGROUP_V1)
			(void)snprintf(oom, sizeof(oom), "%s/memory.oom_control", cg->path);
	}
	rc = open_sources(s, &f, oom);
	find_columns(s);
	for (int i = 0; i < 3; i++) {
		char path[64];
		(void)snprintf(path, sizeof(path), "/proc/pressure/%s", rb_psi_resources[i]);
		psi_open(&s->psi[i], rb_psi_resources[i], path, &s->buf, &s->buf_cap);
		s->psi[i].slow = i > 0;
	}
	psi_open(&s->psi[3], "memcg", f.pressure, &s->buf, &s->buf_cap);
	return rc;
}

/* Write the header line and flush it: rows go straight to the fd. */
static int write_header(struct rb_sampler *s)
{
	fputs("time[s]", s->samples);
	for (int i = 0; i < SRC_COUNT; i++)
		rb_source_header(&s->src[i], s->samples);
	for (int i = 0; i < 4; i++) {
		if (!s->psi[i].ok)
			continue;
		fprintf(s->samples, "\tpsi.%s.some[%%]", s->psi[i].label);
		if (s->psi[i].has_full)
			fprintf(s->samples, "\tpsi.%s.full[%%]", s->psi[i].label);
	}
	rb_sampler_zone_header(s->zone, s->samples);
	rb_sampler_buddy_header(s->buddy, s->samples);
	rb_sampler_swap_header(s->swap, s->samples);
	fputc('\n', s->samples);
	return fflush(s->samples) == 0 ? 0 : -errno;
}

/* Stall % between the last two readings (the same until a slow source is
 * read again). */
static void write_psi(struct rb_row *row, const struct psi_source *p, bool first)
{
	uint64_t interval = p->read_ns - p->prev_read_ns;

	if (!p->ok)
		return;
	rb_row_num(row, first ? 0 : rb_psi_pct(p->prev.some_total_us, p->cur.some_total_us,
					       interval), 2);
	if (p->has_full)
		rb_row_num(row, first ? 0 : rb_psi_pct(p->prev.full_total_us,
						       p->cur.full_total_us, interval), 2);
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
	struct rb_kvset part = { 0 };
	char name[RB_KV_NAME_MAX * 2];

	rb_kvset_clear(out);
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
		const struct rb_source *src = &s->src[parts[p].src];
		(void)rb_source_kvset(src, &part);
		for (size_t i = 0; i < part.n; i++) {
			if (src->parse == RB_SOURCE_SINGLE)
				(void)snprintf(name, sizeof(name), "%s", parts[p].prefix);
			else
				(void)snprintf(name, sizeof(name), "%s%s", parts[p].prefix,
					       part.v[i].name);
			(void)rb_sampler_kv_put(out, name, part.v[i].value);
		}
	}
	rb_kvset_free(&part);
}

static const uint64_t *meminfo_value(const struct rb_sampler *s, long col)
{
	return rb_source_value(&s->src[SRC_MEMINFO], col);
}

static const uint64_t *vmstat_value(const struct rb_sampler *s, long col)
{
	return rb_source_value(&s->src[SRC_VMSTAT], col);
}

static void update_view(struct rb_sampler *s, double allocstalls)
{
	struct rb_sampler_view *v = &s->view;
	const uint64_t *x;

	v->t_s = (double)(s->prev_ns - s->t0_ns) / 1e9;
	if ((x = meminfo_value(s, s->col.avail)))
		v->mem_available_kb = *x;
	v->psi_some_avg10 = s->psi[0].ok ? s->psi[0].cur.some_avg10 : 0;
	v->psi_full_avg10 = s->psi[0].ok ? s->psi[0].cur.full_avg10 : 0;
	v->allocstall_per_s = allocstalls;
	v->kswapd_cpu_pct = rb_sampler_zone_kswapd_pct(s->zone);
	if ((x = vmstat_value(s, s->col.oom_kill)))
		v->oom_kills = *x - s->oom_kill_first;
	if ((x = rb_source_value(&s->src[SRC_MEMCG_EVENTS], s->col.memcg_oom_v2)) ||
	    (x = rb_source_value(&s->src[SRC_MEMCG_OOM], s->col.memcg_oom_v1)))
		v->memcg_oom_kills = *x;
}

/* Read every source; the 1 Hz ones only when `slow`. */
static void read_sources(struct rb_sampler *s, uint64_t now_ns, bool slow)
{
	for (int i = 0; i < SRC_COUNT; i++)
		if (slow || i != SRC_MEMINFO)
			(void)rb_source_read(&s->src[i]);
	for (int i = 0; i < 4; i++)
		if (slow || !s->psi[i].slow)
			psi_read(&s->psi[i], now_ns, &s->buf, &s->buf_cap);
}

/* Append the parts after the sources and PSI: zones and kswapd, buddy
 * lists, compressed swap. */
static void write_parts(struct rb_sampler *s, uint64_t interval, bool first, bool slow)
{
	const uint64_t *free = vmstat_value(s, s->col.free);
	const uint64_t *pool = meminfo_value(s, s->col.zswap);
	const uint64_t *stored = meminfo_value(s, s->col.zswapped);
	struct rb_zswap_stat zs = { pool ? *pool * 1024 : 0, stored ? *stored * 1024 : 0 };

	rb_sampler_zone_row(s->zone, &s->row, interval, first, slow, free ? *free : UINT64_MAX);
	rb_sampler_buddy_row(s->buddy, &s->row, slow);
	rb_sampler_swap_row(s->swap, &s->row, slow, pool && stored ? &zs : NULL);
}

/* The tick's Dirty and Writeback (vmstat nr_dirty, nr_writeback: the
 * counters meminfo shows in kB) against the tick's dirty threshold. */
static void add_dirty_peak(struct rb_sampler *s)
{
	const uint64_t *dirty = vmstat_value(s, s->col.dirty);
	const uint64_t *wb = vmstat_value(s, s->col.writeback);
	uint64_t kb[2] = { dirty ? *dirty * s->page_size / 1024 : 0,
			   wb ? *wb * s->page_size / 1024 : 0 };

	rb_dirty_peak_add(&s->totals.dirty_peak, dirty ? &kb[0] : NULL, wb ? &kb[1] : NULL,
			  vmstat_value(s, s->col.threshold), s->page_size);
}

/* Read every source and add one samples.tsv row; write the second's rows
 * on a slow tick. */
static int sample_row(struct rb_sampler *s, uint64_t now_ns, bool first)
{
	uint64_t interval = now_ns - s->prev_ns;
	double dt = (double)interval / 1e9, allocstalls = 0;
	bool slow;
	int rc;

	s->slow_since_ns += interval;
	slow = first || s->slow_since_ns >= RB_SAMPLER_SLOW_NS;
	if (slow)
		s->slow_since_ns = 0;
	read_sources(s, now_ns, slow);
	rb_row_start(&s->row, (double)(now_ns - s->t0_ns) / 1e9);
	for (int i = 0; i < SRC_COUNT; i++)
		allocstalls += rb_source_row(&s->src[i], &s->row, dt, first);
	for (int i = 0; i < 4; i++)
		write_psi(&s->row, &s->psi[i], first);
	write_parts(s, interval, first, slow);
	s->prev_ns = now_ns;
	add_dirty_peak(s);
	update_view(s, first ? 0 : allocstalls);
	s->totals.ticks++;
	rc = rb_row_end(&s->row);
	if (slow) {
		int wrc = rb_row_flush(&s->row, fileno(s->samples));
		rc = rc ? rc : wrc;
	}
	return rc;
}

int rb_sampler_tick(struct rb_sampler *s, uint64_t now_ns)
{
	int rc = sample_row(s, now_ns, false);
	int wrc = rb_sampler_workers_tick(s->workers, now_ns - s->t0_ns);

	return rc ? rc : wrc;
}

static void first_reading(struct rb_sampler *s, uint64_t now)
{
	const uint64_t *x;

	s->t0_ns = s->prev_ns = now;
	(void)sample_row(s, now, true);
	(void)rb_source_kvset(&s->src[SRC_VMSTAT], &s->totals.vmstat_first);
	memcg_snapshot(s, &s->totals.memcg_first);
	if ((x = vmstat_value(s, s->col.oom_kill)))
		s->oom_kill_first = *x;
	s->view.oom_kills = 0;
	for (int i = 0; i < 4; i++)
		s->psi[i].first = s->psi[i].cur;
}

int rb_sampler_open(const struct rb_sampler_config *cfg, struct rb_sampler **out, char *err,
		    size_t errlen)
{
	struct rb_sampler *s = calloc(1, sizeof(*s));
	int rc = -ENOMEM;

	if (!s)
		goto fail;
	s->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	rc = setup_sources(s, cfg->cgroup);
	if (rc)
		goto fail;
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
	if (!rc)
		rc = rb_sampler_swap_open(&s->swap, &s->src[SRC_MEMINFO].cur);
	if (rc)
		goto fail;
	rc = write_header(s);
	if (rc) {
		(void)snprintf(err, errlen, "%s: %s", cfg->samples_path, strerror(-rc));
		goto fail;
	}
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
	rb_source_ranges(&s->src[SRC_MEMINFO], &s->totals.meminfo_min, &s->totals.meminfo_max);
	(void)rb_source_kvset(&s->src[SRC_VMSTAT], &s->totals.vmstat_last);
	memcg_snapshot(s, &s->totals.memcg_last);
	for (int i = 0; i < 3; i++) {
		if (s->psi[i].slow) /* a last reading of the 1 Hz ones, for the run's totals */
			psi_read(&s->psi[i], s->prev_ns, &s->buf, &s->buf_cap);
		s->totals.has_psi[i] = s->psi[i].ok;
		s->totals.psi_first[i] = s->psi[i].first;
		s->totals.psi_last[i] = s->psi[i].cur;
	}
	s->totals.has_memcg_psi = s->psi[3].ok;
	s->totals.memcg_psi_first = s->psi[3].first;
	s->totals.memcg_psi_last = s->psi[3].cur;
	s->totals.elapsed_s = (double)(s->prev_ns - s->t0_ns) / 1e9;
	rb_sampler_zone_totals(s->zone, &s->totals);
	rb_sampler_swap_totals(s->swap, &s->totals);
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
	if (s->samples)
		(void)rb_row_flush(&s->row, fileno(s->samples));
	for (int i = 0; i < SRC_COUNT; i++)
		rb_source_close(&s->src[i]);
	for (int i = 0; i < 4; i++)
		if (s->psi[i].fd >= 0)
			(void)close(s->psi[i].fd);
	if (s->samples)
		(void)fclose(s->samples);
	rb_sampler_workers_close(s->workers);
	rb_sampler_zone_close(s->zone);
	rb_sampler_buddy_close(s->buddy);
	rb_sampler_swap_close(s->swap);
	rb_sampler_totals_free(&s->totals);
	rb_row_free(&s->row);
	free(s->buf);
	free(s);
}

void rb_sampler_state(const struct rb_sampler *s, struct rb_kvset *vmstat, uint64_t *kswapd_ticks)
{
	(void)rb_source_kvset(&s->src[SRC_VMSTAT], vmstat);
	*kswapd_ticks = rb_sampler_zone_kswapd_ticks(s->zone);
}
