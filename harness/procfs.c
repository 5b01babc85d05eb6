/* procfs.c - parsers for the kernel's memory statistics files (/proc/vmstat,
 * /proc/meminfo and its per-node twins, PSI files, cgroup memory.stat and
 * memory.events) and the readers the sampler uses on them (lseek + read:
 * see rb_read_fd).
 *
 * Every parser works line by line and by name: a line that does not have the
 * expected shape is skipped, so a field a kernel lacks is simply absent from
 * the set and rb_kvset_get() reports -ENOENT for it. */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KVSET_MIN_CAP 64
#define READ_MIN_CAP 4096

void rb_kvset_clear(struct rb_kvset *s)
{
	if (s)
		s->n = 0;
}

void rb_kvset_free(struct rb_kvset *s)
{
	if (!s)
		return;
	free(s->v);
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}

static int kvset_grow(struct rb_kvset *s)
{
	size_t cap = s->cap ? s->cap * 2 : KVSET_MIN_CAP;
	struct rb_kv *v = realloc(s->v, cap * sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->v = v;
	s->cap = cap;
	return 0;
}

/* Append a pair; names too long for RB_KV_NAME_MAX are skipped (return 0). */
static int kvset_push(struct rb_kvset *s, const char *name, size_t len, uint64_t value)
{
	int ret;

	if (len == 0 || len >= RB_KV_NAME_MAX)
		return 0;
	if (s->n == s->cap) {
		ret = kvset_grow(s);
		if (ret)
			return ret;
	}
	memcpy(s->v[s->n].name, name, len);
	s->v[s->n].name[len] = '\0';
	s->v[s->n].value = value;
	s->n++;
	return 0;
}

/* Find `name` scanning from index `from`, wrapping around. */
static bool kvset_find(const struct rb_kvset *s, const char *name, size_t from, size_t *at)
{
	for (size_t k = 0; k < s->n; k++) {
		size_t i = (from + k) % s->n;

		if (strcmp(s->v[i].name, name) == 0) {
			*at = i;
			return true;
		}
	}
	return false;
}

int rb_kvset_get(const struct rb_kvset *s, const char *name, size_t *hint, uint64_t *out)
{
	size_t from = hint && *hint < s->n ? *hint : 0;
	size_t at;

	if (!s->n || !kvset_find(s, name, from, &at))
		return -ENOENT;
	if (hint)
		*hint = at;
	*out = s->v[at].value;
	return 0;
}

bool rb_next_line(const char **p, struct rb_line *l)
{
	const char *nl;

	if (!**p)
		return false;
	nl = strchr(*p, '\n');
	l->start = *p;
	l->len = nl ? (size_t)(nl - *p) : strlen(*p);
	*p = nl ? nl + 1 : *p + l->len;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Length of the run of characters of `l` from `i` that are (not) blank. */
static size_t span(const struct rb_line *l, size_t i, bool blank)
{
	size_t n = 0;

	while (i + n < l->len && is_blank(l->start[i + n]) == blank)
		n++;
	return n;
}

/* Parse an unsigned decimal at l[*i]; advances *i past it. No sign, no
 * overflow, and the number must end at a blank or the end of the line. */
static bool parse_u64(const struct rb_line *l, size_t *i, uint64_t *out)
{
	uint64_t v = 0;
	size_t k = *i;

	if (k >= l->len || l->start[k] < '0' || l->start[k] > '9')
		return false;
	for (; k < l->len && l->start[k] >= '0' && l->start[k] <= '9'; k++) {
		uint64_t d = (uint64_t)(l->start[k] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (k < l->len && !is_blank(l->start[k]))
		return false;
	*i = k;
	*out = v;
	return true;
}

/* One parsed line: its name (not NUL-terminated) and value. */
struct kv_field {
	const char *name;
	size_t len;
	uint64_t value;
};

/* "name value": a name without blanks, blanks, a number, nothing else. */
static bool flat_line(const struct rb_line *l, struct kv_field *f)
{
	size_t name_len = span(l, 0, false);
	size_t i = name_len + span(l, name_len, true);

	if (!name_len || i == name_len || !parse_u64(l, &i, &f->value))
		return false;
	f->name = l->start;
	f->len = name_len;
	return i + span(l, i, true) == l->len;
}

typedef bool (*line_parser)(const struct rb_line *l, struct kv_field *f);

/* Parse every line that has the shape into out. */
static int parse_lines(const char *text, struct rb_kvset *out, line_parser parse)
{
	struct rb_line l;
	struct kv_field f;
	int ret = 0;

	rb_kvset_clear(out);
	while (!ret && rb_next_line(&text, &l))
		if (parse(&l, &f))
			ret = kvset_push(out, f.name, f.len, f.value);
	return ret;
}

/* Parse the digits at *p (at least one, no overflow); advances *p. */
static bool take_digits(const char **p, uint64_t *out)
{
	uint64_t v = 0;
	const char *q = *p;

	if (*q < '0' || *q > '9')
		return false;
	for (; *q >= '0' && *q <= '9'; q++) {
		uint64_t d = (uint64_t)(*q - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*p = q;
	*out = v;
	return true;
}

/* One line of the usual shape at *text: the name at *names, (for meminfo a
 * colon,) spaces, digits, (for meminfo anything,) the end of the line.
 * Whatever it accepts, rb_parse_flat_kv / rb_parse_meminfo read the same
 * way. Advances *text to the next line and *names to the next name. */
static bool known_line(const char **text, const char **names, bool meminfo, uint64_t *v)
{
	const char *q = *text, *name = *names;

	while (*name && *q == *name) {
		q++;
		name++;
	}
	if (*name || (meminfo && *q++ != ':') || *q != ' ')
		return false;
	while (*q == ' ')
		q++;
	if (!take_digits(&q, v) || (*q && *q != '\n' && (!meminfo || *q != ' ')))
		return false;
	while (meminfo && *q && *q != '\n')
		q++;
	*text = *q ? q + 1 : q;
	*names = name + 1;
	return true;
}

int rb_parse_known(const char *text, const char *names, size_t n, bool meminfo,
		   uint64_t *values)
{
	size_t k = 0;

	for (; *text; k++)
		if (k >= n || !known_line(&text, &names, meminfo, &values[k]))
			return -ESTALE;
	return k == n ? 0 : -ESTALE;
}

int rb_parse_flat_kv(const char *text, struct rb_kvset *out)
{
	return parse_lines(text, out, flat_line);
}

/* Length of a "Node 12 " prefix at the start of the line, or 0. */
static size_t node_prefix(const struct rb_line *l)
{
	size_t i = 5, digits = 0;

	if (l->len < 7 || memcmp(l->start, "Node ", 5) != 0)
		return 0;
	while (i + digits < l->len && l->start[i + digits] >= '0' && l->start[i + digits] <= '9')
		digits++;
	if (!digits || i + digits >= l->len || l->start[i + digits] != ' ')
		return 0;
	return i + digits + 1;
}

/* "Name:   123 kB" or "Name:   123", optionally after "Node N ". */
static bool meminfo_line(const struct rb_line *l, struct kv_field *f)
{
	size_t name_at = node_prefix(l);
	const char *colon = memchr(l->start + name_at, ':', l->len - name_at);
	size_t i;

	if (!colon)
		return false;
	f->name = l->start + name_at;
	f->len = (size_t)(colon - f->name);
	i = name_at + f->len + 1;
	i += span(l, i, true);
	return parse_u64(l, &i, &f->value);
}

int rb_parse_meminfo(const char *text, struct rb_kvset *out)
{
	return parse_lines(text, out, meminfo_line);
}


/* The four figures of one PSI line. */
struct psi_line {
	double avg10, avg60, avg300;
	uint64_t total;
};

/* A PSI average as the kernel prints it ("0.37", "12.00"), without strtod,
 * which was most of a PSI parse: the digits as an integer over a power of
 * ten, one correctly rounded division, so the value is strtod's. Anything
 * else goes to strtod as before. */
static bool parse_decimal(const char *s, double *out)
{
	const uint64_t limit = 1ull << 49, max_scale = 1000000000000000ull;
	uint64_t mant = 0, scale = 1;
	const char *p = s;
	char *end;

	for (; *p >= '0' && *p <= '9' && mant < limit; p++)
		mant = mant * 10 + (uint64_t)(*p - '0');
	if (*p == '.' && p != s)
		for (p++; *p >= '0' && *p <= '9' && mant < limit && scale < max_scale; p++) {
			mant = mant * 10 + (uint64_t)(*p - '0');
			scale *= 10;
		}
	if (p != s && !*p) {
		*out = (double)mant / (double)scale;
		return true;
	}
	*out = strtod(s, &end);
	return end != s && !*end;
}

/* Parse "key=value" at `s` (NUL-terminated copy of one token). */
static unsigned psi_field(const char *s, struct psi_line *pl)
{
	static const struct { const char *key; size_t len; } avg[] = {
		{ "avg10=", 6 }, { "avg60=", 6 }, { "avg300=", 7 },
	};
	double *dst[] = { &pl->avg10, &pl->avg60, &pl->avg300 };
	char *end;

	for (unsigned k = 0; k < 3; k++)
		if (strncmp(s, avg[k].key, avg[k].len) == 0)
			return parse_decimal(s + avg[k].len, dst[k]) ? 1u << k : 0;
	if (strncmp(s, "total=", 6) != 0 || s[6] < '0' || s[6] > '9')
		return 0;
	pl->total = strtoull(s + 6, &end, 10);
	return !*end ? 1u << 3 : 0;
}

/* Parse the fields after "some"/"full"; true if all four were there. */
static bool psi_fields(const struct rb_line *l, size_t i, struct psi_line *pl)
{
	unsigned seen = 0;
	char tok[64];

	while (i < l->len) {
		size_t n;

		i += span(l, i, true);
		n = span(l, i, false);
		if (!n)
			break;
		if (n < sizeof(tok)) {
			memcpy(tok, l->start + i, n);
			tok[n] = '\0';
			seen |= psi_field(tok, pl);
		}
		i += n;
	}
	return seen == 0xf;
}

static void psi_line(const struct rb_line *l, struct rb_psi *out)
{
	struct psi_line pl = { 0 };
	bool some = l->len > 5 && memcmp(l->start, "some ", 5) == 0;
	bool full = l->len > 5 && memcmp(l->start, "full ", 5) == 0;

	if ((!some && !full) || !psi_fields(l, 5, &pl))
		return;
	if (some) {
		out->has_some = true;
		out->some_avg10 = pl.avg10;
		out->some_avg60 = pl.avg60;
		out->some_avg300 = pl.avg300;
		out->some_total_us = pl.total;
	} else {
		out->has_full = true;
		out->full_avg10 = pl.avg10;
		out->full_avg60 = pl.avg60;
		out->full_avg300 = pl.avg300;
		out->full_total_us = pl.total;
	}
}

int rb_parse_psi(const char *text, struct rb_psi *out)
{
	struct rb_line l;

	memset(out, 0, sizeof(*out));
	while (rb_next_line(&text, &l))
		psi_line(&l, out);
	return out->has_some ? 0 : -EINVAL;
}

double rb_psi_pct(uint64_t total_before_us, uint64_t total_now_us, uint64_t interval_ns)
{
	double pct;

	if (!interval_ns || total_now_us < total_before_us)
		return 0.0;
	pct = (double)(total_now_us - total_before_us) * 1000.0 / (double)interval_ns * 100.0;
	return pct > 100.0 ? 100.0 : pct;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/*
 * /proc/vmstat (and nodeN/vmstat) classification:
 *   levels    nr_* (pages right now: nr_free_pages, nr_dirty, nr_mlock,
 *             nr_dirty_threshold, ...) and workingset_nodes (shadow nodes);
 *   counters  everything else (pg*, allocstall*, compact_*, thp_*, numa_*,
 *             workingset_refault*, oom_kill, ...) plus the nr_* fields that
 *             only ever grow: nr_dirtied, nr_written, nr_throttled_written,
 *             nr_vmscan_write, nr_vmscan_immediate_reclaim, nr_foll_pin_*.
 */
bool rb_vmstat_is_counter(const char *name)
{
	static const char *const cumulative_nr[] = {
		"nr_dirtied", "nr_written", "nr_throttled_written", "nr_vmscan_write",
		"nr_vmscan_immediate_reclaim", NULL,
	};

	if (strcmp(name, "workingset_nodes") == 0)
		return false;
	if (!has_prefix(name, "nr_"))
		return true;
	return in_list(name, cumulative_nr) || has_prefix(name, "nr_foll_pin_");
}

/*
 * cgroup memory.stat classification (v2, and v1 with or without the
 * hierarchical "total_" prefix):
 *   counters  pg* (pgfault, pgmajfault, pgpgin, pgpgout, pgscan*, pgsteal*,
 *             pgrefill, pgactivate, pgdeactivate, pglazyfree(d), pgdemote_*,
 *             pgpromote_*), workingset_refault_*, workingset_activate_*,
 *             workingset_restore_*, workingset_nodereclaim, thp_* and
 *             zswpin / zswpout / zswpwb;
 *   levels    everything else: anon, file, shmem, slab*, *_thp, zswap,
 *             zswapped, v1 cache/rss/mapped_file, hierarchical_*_limit, ...
 * memory.events fields (low, high, max, oom, oom_kill, ...) are all counters
 * and need no call.
 */
bool rb_memcg_stat_is_counter(const char *name)
{
	static const char *const prefixes[] = {
		"pg", "workingset_refault", "workingset_activate", "workingset_restore",
		"thp_", "zswp", NULL,
	};

	if (has_prefix(name, "total_"))
		name += 6;
	if (strcmp(name, "workingset_nodereclaim") == 0)
		return true;
	for (const char *const *p = prefixes; *p; p++)
		if (has_prefix(name, *p))
			return true;
	return false;
}

/* Make room for at least one more byte plus the terminating NUL. */
static int read_buf_grow(char **buf, size_t *cap, size_t len)
{
	size_t ncap;
	char *nbuf;

	if (*buf && len + 1 < *cap)
		return 0;
	ncap = *cap < READ_MIN_CAP ? READ_MIN_CAP : *cap * 2;
	nbuf = realloc(*buf, ncap);
	if (!nbuf)
		return -ENOMEM;
	*buf = nbuf;
	*cap = ncap;
	return 0;
}

long rb_read_fd(int fd, char **buf, size_t *cap)
{
	size_t len = 0;
	ssize_t r;
	int ret;

	/* lseek + sequential read(), not pread(): seq_file resumes a read at
	 * its own position, but a pread at any other offset makes the kernel
	 * regenerate the file from the start to find it, so the final 0-byte
	 * read would cost as much as the file itself. */
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		ret = read_buf_grow(buf, cap, len);
		if (ret)
			return ret;
		r = read(fd, *buf + len, *cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	(*buf)[len] = '\0';
	return (long)len;
}

long rb_read_path(const char *path, char **buf, size_t *cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long ret;

	if (fd < 0)
		return -errno;
	ret = rb_read_fd(fd, buf, cap);
	(void)close(fd);
	return ret;
}

int rb_read_u64(const char *path, uint64_t *out)
{
	char *buf = NULL;
	size_t cap = 0, i = 0;
	struct rb_line l;
	uint64_t v;
	long n = rb_read_path(path, &buf, &cap);
	int ret = n < 0 ? (int)n : -EINVAL;

	if (n >= 0) {
		l.start = buf;
		l.len = (size_t)n;
		i = span(&l, 0, true);
		while (l.len > i && (l.start[l.len - 1] == '\n' || is_blank(l.start[l.len - 1])))
			l.len--;
		if (parse_u64(&l, &i, &v) && i == l.len) {
			*out = v;
			ret = 0;
		}
	}
	free(buf);
	return ret;
}
