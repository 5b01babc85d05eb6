/* zoneinfo.c - /proc/zoneinfo parser: one struct rb_zone per "Node N, zone
 * NAME" block, with its free pages, watermarks and sizes found by name, and
 * the per-node sum the sampler plots against MemFree.
 *
 * A zone block (6.18; older kernels lack some lines, indent the counters by
 * four and print "protection" after them):
 *
 *   Node 0, zone   Normal         <- starts a zone
 *     per-node stats              <- node counters, in the first populated
 *         nr_inactive_anon 1135      zone of each node only: not read,
 *         ...                        up to "pages free"
 *     pages free     4458941
 *           boost    0
 *           min      14521        <- watermarks and sizes: "name  value"
 *           ...
 *           protection: (0, 0, 0, 0, 0)
 *         nr_free_pages 4458941   <- zone counters: only this one is kept
 *         ...
 *     pagesets                    <- per-CPU lists ("high:  378"): not read,
 *       cpu: 0                       up to the next zone
 *     ...
 */
#include "procfs.h"
#include "zoneinfo.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/* Where in a zone block the parser is. */
enum section { OUTSIDE, NODE_STATS, ZONE, PAGESETS };

struct parser {
	struct rb_zone *zones;
	size_t max, n;
	enum section sec;
	int ret;
};

/* The fields kept, by the name the kernel prints before the value. */
static const struct field {
	const char *name;
	unsigned bit;
	size_t offset;
} fields[] = {
	{ "pages free", RB_ZONE_FREE, offsetof(struct rb_zone, free) },
	{ "min", RB_ZONE_MIN, offsetof(struct rb_zone, min) },
	{ "low", RB_ZONE_LOW, offsetof(struct rb_zone, low) },
	{ "high", RB_ZONE_HIGH, offsetof(struct rb_zone, high) },
	{ "boost", RB_ZONE_BOOST, offsetof(struct rb_zone, boost) },
	{ "promo", RB_ZONE_PROMO, offsetof(struct rb_zone, promo) },
	{ "spanned", RB_ZONE_SPANNED, offsetof(struct rb_zone, spanned) },
	{ "present", RB_ZONE_PRESENT, offsetof(struct rb_zone, present) },
	{ "managed", RB_ZONE_MANAGED, offsetof(struct rb_zone, managed) },
	{ "nr_free_pages", RB_ZONE_NR_FREE_PAGES, offsetof(struct rb_zone, nr_free_pages) },
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static uint64_t *slot(struct rb_zone *z, const struct field *f)
{
	return (uint64_t *)((char *)z + f->offset);
}

static const uint64_t *cslot(const struct rb_zone *z, const struct field *f)
{
	return (const uint64_t *)((const char *)z + f->offset);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t skip_blanks(const struct rb_line *l, size_t i)
{
	while (i < l->len && is_blank(l->start[i]))
		i++;
	return i;
}

/* Length of the line without trailing blanks. */
static size_t trimmed_len(const struct rb_line *l)
{
	size_t end = l->len;

	while (end > 0 && is_blank(l->start[end - 1]))
		end--;
	return end;
}

/* Unsigned decimal filling [from, to) exactly, without overflow. */
static bool parse_u64(const char *s, size_t from, size_t to, uint64_t *out)
{
	uint64_t v = 0;

	if (from >= to)
		return false;
	for (size_t i = from; i < to; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (!is_digit(s[i]) || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* True if the line, without its leading and trailing blanks, is `text`. */
static bool line_is(const struct rb_line *l, const char *text)
{
	size_t i = skip_blanks(l, 0), end = trimmed_len(l), n = strlen(text);

	return end >= i && end - i == n && memcmp(l->start + i, text, n) == 0;
}

/* Copy the zone name at [from, to) (no blanks in it), truncated to fit. */
static bool zone_name(const struct rb_line *l, size_t from, size_t to, char *name)
{
	size_t len = to - from;

	for (size_t i = from; i < to; i++)
		if (is_blank(l->start[i]))
			return false;
	if (len >= RB_ZONE_NAME_MAX)
		len = RB_ZONE_NAME_MAX - 1;
	memcpy(name, l->start + from, len);
	name[len] = '\0';
	return true;
}

/* "Node 12, zone   Normal" (the caller has seen "Node "): the node number
 * and the zone name. */
static bool zone_header(const struct rb_line *l, int *node, char *name)
{
	static const char sep[] = ", zone";
	size_t i = 5, end = trimmed_len(l), at;
	uint64_t v;

	while (i < end && is_digit(l->start[i]))
		i++;
	if (!parse_u64(l->start, 5, i, &v) || v > INT_MAX)
		return false;
	if (end - i <= sizeof(sep) || memcmp(l->start + i, sep, sizeof(sep) - 1) != 0)
		return false;
	i += sizeof(sep) - 1;
	at = skip_blanks(l, i);
	if (at == i || at == end || !zone_name(l, at, end, name))
		return false;
	*node = (int)v;
	return true;
}

/* "  key words   123": the key (inner blanks kept) and the last word, which
 * must be a number. False for anything else. */
static bool key_value(const struct rb_line *l, const char **key, size_t *key_len, uint64_t *v)
{
	size_t from = skip_blanks(l, 0), end = trimmed_len(l), at = end, key_end;

	while (at > from && !is_blank(l->start[at - 1]))
		at--;
	if (at == from || !parse_u64(l->start, at, end, v))
		return false;
	key_end = at;
	while (key_end > from && is_blank(l->start[key_end - 1]))
		key_end--;
	*key = l->start + from;
	*key_len = key_end - from;
	return true;
}

static const struct field *find_field(const char *key, size_t len)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strlen(fields[i].name) == len && memcmp(fields[i].name, key, len) == 0)
			return &fields[i];
	return NULL;
}

static void start_zone(struct parser *p, int node, const char *name)
{
	struct rb_zone *z;

	if (p->n == p->max) {
		p->ret = -ENOSPC;
		return;
	}
	z = &p->zones[p->n++];
	memset(z, 0, sizeof(*z));
	z->node = node;
	strcpy(z->name, name);
	p->sec = ZONE;
}

/* A "name value" line inside a zone block. "pages free" ends the per-node
 * stats; until then nothing is kept. */
static void zone_field(struct parser *p, const struct rb_line *l)
{
	struct rb_zone *z = &p->zones[p->n - 1];
	const struct field *f;
	const char *key;
	size_t key_len;
	uint64_t v;

	if (!key_value(l, &key, &key_len, &v))
		return;
	f = find_field(key, key_len);
	if (f == &fields[0])
		p->sec = ZONE;
	if (!f || p->sec != ZONE)
		return;
	*slot(z, f) = v;
	z->has |= f->bit;
}

static void parse_line(struct parser *p, const struct rb_line *l)
{
	char name[RB_ZONE_NAME_MAX];
	int node;

	if (l->len >= 5 && memcmp(l->start, "Node ", 5) == 0) {
		p->sec = OUTSIDE;
		if (zone_header(l, &node, name))
			start_zone(p, node, name);
		return;
	}
	if (p->sec == OUTSIDE || p->sec == PAGESETS)
		return;
	if (line_is(l, "per-node stats"))
		p->sec = NODE_STATS;
	else if (line_is(l, "pagesets"))
		p->sec = PAGESETS;
	else
		zone_field(p, l);
}

int rb_parse_zoneinfo(const char *text, struct rb_zone *zones, size_t max, size_t *n)
{
	struct parser p = { .zones = zones, .max = max, .sec = OUTSIDE };
	struct rb_line l;

	while (!p.ret && rb_next_line(&text, &l))
		parse_line(&p, &l);
	*n = p.n;
	if (p.ret)
		return p.ret;
	return p.n ? 0 : -EINVAL;
}

bool rb_zone_populated(const struct rb_zone *z)
{
	return (z->has & RB_ZONE_PRESENT) && z->present > 0;
}

static void add_zone(struct rb_zone *sum, const struct rb_zone *z, bool first)
{
	for (size_t i = 0; i < NFIELDS; i++)
		*slot(sum, &fields[i]) += *cslot(z, &fields[i]);
	sum->has = first ? z->has : sum->has & z->has;
}

void rb_zones_total(const struct rb_zone *z, size_t n, int node, struct rb_zone *out)
{
	bool first = true;

	memset(out, 0, sizeof(*out));
	out->node = node;
	strcpy(out->name, "all");
	for (size_t i = 0; i < n; i++) {
		if (!rb_zone_populated(&z[i]) || (node >= 0 && z[i].node != node))
			continue;
		add_zone(out, &z[i], first);
		first = false;
	}
}
