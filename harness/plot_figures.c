/* plot_figures.c - the figure table (which columns each figure draws, in
 * which unit) and its resolution against the columns the runs really have:
 * a column another kernel lacks, or a memory cgroup a global run never had,
 * drops that series; a figure left with no series is skipped. */
#include <stdio.h>
#include <string.h>

#include "plot.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FIG(n, t, src, u, u2, e, s) { n, t, src, u, u2, e, s, ARRAY_SIZE(s) }

static const struct rb_plot_series_spec memory[] = {
	{ "MemFree", "meminfo.MemFree[kB]", RB_PLOT_MAIN },
	{ "MemAvailable", "meminfo.MemAvailable[kB]", RB_PLOT_MAIN },
	{ "file (Cached)", "meminfo.Cached[kB]", RB_PLOT_MAIN },
	{ "anon (AnonPages)", "meminfo.AnonPages[kB]", RB_PLOT_MAIN },
	{ "Dirty", "vmstat.nr_dirty[pages]|meminfo.Dirty[kB]", RB_PLOT_MAIN },
	{ "min watermark", "zone.min[pages]", RB_PLOT_REF },
	{ "low watermark", "zone.low[pages]", RB_PLOT_REF },
	{ "high watermark", "zone.high[pages]", RB_PLOT_REF },
};

static const struct rb_plot_series_spec watermarks[] = {
	{ "free (zones)", "zone.free[pages]", RB_PLOT_MAIN },
	{ "kswapd CPU", "kswapd.cpu[%]", RB_PLOT_RIGHT },
	{ "min watermark", "zone.min[pages]", RB_PLOT_REF },
	{ "low watermark", "zone.low[pages]", RB_PLOT_REF },
	{ "high watermark", "zone.high[pages]", RB_PLOT_REF },
};

static const struct rb_plot_series_spec memcg[] = {
	{ "usage", "memcg.usage[bytes]", RB_PLOT_MAIN },
	{ "anon", "memcg.rss[bytes]|memcg.anon[bytes]", RB_PLOT_MAIN },
	{ "file (cache)", "memcg.cache[bytes]|memcg.file[bytes]", RB_PLOT_MAIN },
	{ "dirty", "memcg.dirty[bytes]|memcg.file_dirty[bytes]", RB_PLOT_MAIN },
	{ "limit hits", "memcg.failcnt[1/s]|memcg.events.max[1/s]", RB_PLOT_RIGHT },
	{ "limit", "memcg.hierarchical_memory_limit[bytes]", RB_PLOT_REF },
};

static const struct rb_plot_series_spec psi[] = {
	{ "memory some", "psi.memory.some[%]", RB_PLOT_MAIN },
	{ "memory full", "psi.memory.full[%]", RB_PLOT_MAIN },
	{ "io some", "psi.io.some[%]", RB_PLOT_MAIN },
	{ "io full", "psi.io.full[%]", RB_PLOT_MAIN },
	{ "memcg some", "psi.memcg.some[%]", RB_PLOT_MAIN },
	{ "memcg full", "psi.memcg.full[%]", RB_PLOT_MAIN },
};

static const struct rb_plot_series_spec reclaim[] = {
	{ "kswapd scanned", "vmstat.pgscan_kswapd[1/s]", RB_PLOT_MAIN },
	{ "kswapd stolen", "vmstat.pgsteal_kswapd[1/s]", RB_PLOT_MAIN },
	{ "direct scanned", "vmstat.pgscan_direct[1/s]", RB_PLOT_MAIN },
	{ "direct stolen", "vmstat.pgsteal_direct[1/s]", RB_PLOT_MAIN },
	{ "kswapd CPU", "kswapd.cpu[%]", RB_PLOT_RIGHT },
};

static const struct rb_plot_series_spec stalls[] = {
	{ "allocstall (all zones)", "vmstat.allocstall_*[1/s]", RB_PLOT_MAIN },
	{ "compact_stall", "vmstat.compact_stall[1/s]", RB_PLOT_MAIN },
	{ "compact_fail", "vmstat.compact_fail[1/s]", RB_PLOT_MAIN },
	{ "compact_success", "vmstat.compact_success[1/s]", RB_PLOT_MAIN },
};

static const struct rb_plot_series_spec refaults[] = {
	{ "refault file", "vmstat.workingset_refault_file[1/s]|vmstat.workingset_refault[1/s]",
	  RB_PLOT_MAIN },
	{ "refault anon", "vmstat.workingset_refault_anon[1/s]", RB_PLOT_MAIN },
	{ "major faults", "vmstat.pgmajfault[1/s]", RB_PLOT_RIGHT },
};

static const struct rb_plot_series_spec dirty[] = {
	{ "Dirty", "vmstat.nr_dirty[pages]|meminfo.Dirty[kB]", RB_PLOT_MAIN },
	{ "Writeback", "vmstat.nr_writeback[pages]|meminfo.Writeback[kB]", RB_PLOT_MAIN },
	{ "dirty threshold", "vmstat.nr_dirty_threshold[pages]", RB_PLOT_REF },
	{ "background threshold", "vmstat.nr_dirty_background_threshold[pages]", RB_PLOT_REF },
};

static const struct rb_plot_series_spec thp[] = {
	{ "fault: huge page", "vmstat.thp_fault_alloc[1/s]", RB_PLOT_MAIN },
	{ "fault: fallback", "vmstat.thp_fault_fallback[1/s]", RB_PLOT_MAIN },
	{ "fault: fallback (charge)", "vmstat.thp_fault_fallback_charge[1/s]", RB_PLOT_MAIN },
	{ "collapse", "vmstat.thp_collapse_alloc[1/s]", RB_PLOT_MAIN },
	{ "collapse failed", "vmstat.thp_collapse_alloc_failed[1/s]", RB_PLOT_MAIN },
};

static const struct rb_plot_series_spec latency[] = {
	{ "", "latency/*.hist", RB_PLOT_MAIN },
};

static const struct rb_plot_series_spec p99[] = {
	{ "", "*.p99[us]", RB_PLOT_MAIN },
};

/* throttle.gp also reads Dirty and the thresholds from samples.tsv itself */
static const struct rb_plot_series_spec throttle[] = {
	{ "", "*.write.p99[us]", RB_PLOT_MAIN },
	{ "", "*.write.max[us]", RB_PLOT_MAIN },
};

static const struct rb_plot_figure figures[] = {
	FIG("memory", "Memory over time", RB_PLOT_SAMPLES, "MiB", "", false, memory),
	FIG("watermarks", "Free memory against the zone watermarks", RB_PLOT_SAMPLES, "MiB",
	    "%", false, watermarks),
	FIG("memcg", "Memory cgroup", RB_PLOT_SAMPLES, "MiB", "1/s", false, memcg),
	FIG("psi", "Pressure stalls (PSI)", RB_PLOT_SAMPLES, "%", "", false, psi),
	FIG("reclaim", "Reclaim: kswapd against direct", RB_PLOT_SAMPLES, "1/s", "%", false,
	    reclaim),
	FIG("stalls", "Allocation and compaction stalls", RB_PLOT_SAMPLES, "1/s", "", false,
	    stalls),
	FIG("refaults", "Refaults and major faults", RB_PLOT_SAMPLES, "1/s", "1/s", false,
	    refaults),
	FIG("dirty", "Dirty memory and writeback", RB_PLOT_SAMPLES, "MiB", "", false, dirty),
	FIG("thp", "Transparent huge pages", RB_PLOT_SAMPLES, "1/s", "", false, thp),
	FIG("latency", "Latency percentiles (whole run)", RB_PLOT_HISTS, "us", "", true,
	    latency),
	FIG("p99", "Per-second p99 latency", RB_PLOT_WORKERS, "us", "", true, p99),
	FIG("throttle", "Dirty throttling: write latency against Dirty and its threshold",
	    RB_PLOT_WORKERS, "us", "", true, throttle),
};

_Static_assert(ARRAY_SIZE(figures) <= RB_PLOT_MAX_FIGURES, "a result holds every figure");

const struct rb_plot_figure *rb_plot_figures(size_t *n)
{
	*n = ARRAY_SIZE(figures);
	return figures;
}

/* Does name match pattern (at most one '*')? The '*' part goes to star. */
static bool match(const char *pattern, const char *name, char *star, size_t len)
{
	const char *s = strchr(pattern, '*');
	size_t pre, suf, n = strlen(name);

	if (!s)
		return strcmp(pattern, name) == 0;
	pre = (size_t)(s - pattern);
	suf = strlen(s + 1);
	if (n <= pre + suf || strncmp(pattern, name, pre) || strcmp(s + 1, name + n - suf))
		return false;
	if (star)
		(void)snprintf(star, len, "%.*s", (int)(n - pre - suf), name + pre);
	return true;
}

/* Is column in every header, and holding data in at least one? */
static bool usable(const char *column, const struct rb_tsv *const *hdrs, size_t n)
{
	bool data = false;

	for (size_t i = 0; i < n; i++) {
		int c = rb_tsv_column(hdrs[i], column);
		if (c < 0)
			return false;
		data = data || hdrs[i]->has_data[c];
	}
	return data;
}

/* Start a series for spec s; false if the unit cannot be converted. */
static bool start_series(const struct rb_plot_figure *f, const struct rb_plot_series_spec *s,
			 const char *column, struct rb_plot_series *out)
{
	const char *unit = s->axis == RB_PLOT_RIGHT ? f->unit2 : f->unit;

	if (rb_plot_unit_factor(column, unit, &out->scale))
		return false;
	(void)snprintf(out->title, sizeof(out->title), "%s", s->title);
	(void)snprintf(out->expr, sizeof(out->expr), "%s", column);
	out->axis = s->axis;
	return true;
}

/* Add column to a summed series (same unit as its first column). */
static void add_term(const struct rb_plot_figure *f, struct rb_plot_series *out,
		     const char *column)
{
	double k;
	size_t n = strlen(out->expr);

	if (rb_plot_unit_factor(column, out->axis == RB_PLOT_RIGHT ? f->unit2 : f->unit, &k) ||
	    k != out->scale || n + 1 + strlen(column) >= sizeof(out->expr))
		return;
	(void)snprintf(out->expr + n, sizeof(out->expr) - n, "+%s", column);
}

/* One alternative (no '|') of spec s: the series it yields, up to max. */
static size_t resolve(const struct rb_plot_figure *f, const struct rb_plot_series_spec *s,
		      const char *alt, const struct rb_tsv *const *hdrs, size_t n_hdrs,
		      struct rb_plot_series *out, size_t max)
{
	size_t got = 0;
	char star[64];

	for (size_t c = 0; c < hdrs[0]->n; c++) {
		const char *name = hdrs[0]->names[c];
		if (!match(alt, name, star, sizeof(star)) || !usable(name, hdrs, n_hdrs))
			continue;
		if (got && !f->each) {
			add_term(f, &out[0], name);
		} else if (got < max && start_series(f, s, name, &out[got])) {
			if (f->each)
				(void)snprintf(out[got].title, sizeof(out[got].title), "%s", star);
			got++;
		}
	}
	return got;
}

/* Spec s: its first alternative that resolves. */
static size_t resolve_spec(const struct rb_plot_figure *f, const struct rb_plot_series_spec *s,
			   const struct rb_tsv *const *hdrs, size_t n_hdrs,
			   struct rb_plot_series *out, size_t max)
{
	char alts[256], *save = NULL;
	size_t got = 0;

	(void)snprintf(alts, sizeof(alts), "%s", s->columns);
	for (char *a = strtok_r(alts, "|", &save); a && !got; a = strtok_r(NULL, "|", &save))
		got = resolve(f, s, a, hdrs, n_hdrs, out, max);
	return got;
}

size_t rb_plot_select(const struct rb_plot_figure *f, const struct rb_tsv *const *hdrs,
		      size_t n_hdrs, struct rb_plot_series *out, size_t max)
{
	size_t n = 0, lines = 0;

	if (n_hdrs == 0 || f->source == RB_PLOT_HISTS)
		return 0;
	for (size_t i = 0; i < f->n_series && n < max; i++)
		n += resolve_spec(f, &f->series[i], hdrs, n_hdrs, out + n, max - n);
	for (size_t i = 0; i < n; i++)
		lines += out[i].axis != RB_PLOT_REF;
	return lines ? n : 0;
}
