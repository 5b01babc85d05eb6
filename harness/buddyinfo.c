/* buddyinfo.c - /proc/buddyinfo and debugfs extfrag parsers, and the
 * kernel's fragmentation figures computed from free block counts (see
 * include/buddyinfo.h).
 *
 * Both files print one line per populated zone (mm/vmstat.c frag_show,
 * extfrag_show, unusable_show):
 *
 *   Node 0, zone    DMA32      7      5      9 ...    745      <- "%6lu " each
 *   Node 0, zone    DMA32 -1.000 -1.000 -1.000 ... -1.000      <- "%2d.%03d "
 *   Node 1, zone   Normal  0.000  0.000  0.891 ...  0.983
 *
 * The header is found by shape ("Node N, zone NAME"), then values are taken
 * up to the first token that is not one. */
#include "buddyinfo.h"
#include "procfs.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024

/* Parses one value token (NUL-terminated); false if it is not one. */
typedef bool (*value_fn)(const char *tok, int64_t *out);

static bool whole_number(const char *tok, int64_t *out)
{
	char *end;
	unsigned long long v;

	if (*tok < '0' || *tok > '9')
		return false;
	errno = 0;
	v = strtoull(tok, &end, 10);
	if (*end || errno || v > INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

/* "-1.000", "0.952", "1.000" -> thousandths: digits, a dot, three digits. */
static bool thousandths(const char *tok, int64_t *out)
{
	const char *digits = tok + (*tok == '-'), *dot = strchr(tok, '.');
	char ip[24];
	int64_t whole, frac;
	size_t len = dot ? (size_t)(dot - digits) : 0;

	if (!dot || dot < digits || len == 0 || len >= sizeof(ip) || strlen(dot + 1) != 3)
		return false;
	memcpy(ip, digits, len);
	ip[len] = '\0';
	if (!whole_number(ip, &whole) || !whole_number(dot + 1, &frac) ||
	    whole > INT64_MAX / 1000 - 1)
		return false;
	*out = (*tok == '-' ? -1 : 1) * (whole * 1000 + frac);
	return true;
}

/* "Node 12, zone   Normal": node and zone name; *rest is after the name. */
static bool header(char *line, int *node, char *name, char **rest)
{
	char *end, *tok, *save = NULL;
	long v;

	if (strncmp(line, "Node ", 5) != 0)
		return false;
	errno = 0;
	v = strtol(line + 5, &end, 10);
	if (end == line + 5 || errno || v < 0 || v > INT_MAX || strncmp(end, ", zone", 6) != 0)
		return false;
	if (end[6] != ' ' && end[6] != '\t')
		return false;
	tok = strtok_r(end + 6, " \t\r", &save);
	if (!tok)
		return false;
	*node = (int)v;
	(void)strncpy(name, tok, RB_BUDDY_NAME_MAX - 1);
	name[RB_BUDDY_NAME_MAX - 1] = '\0';
	*rest = save;
	return true;
}

/* Parse one line into z; false if it is not a zone line with a value. */
static bool parse_line(const struct rb_line *l, struct rb_buddy_zone *z, value_fn value)
{
	char line[LINE_MAX_LEN], *rest = NULL, *save = NULL;
	size_t len = l->len < sizeof(line) - 1 ? l->len : sizeof(line) - 1;

	memcpy(line, l->start, len);
	line[len] = '\0';
	memset(z, 0, sizeof(*z));
	if (!header(line, &z->node, z->name, &rest) || !rest)
		return false;
	for (char *tok = strtok_r(rest, " \t\r", &save); tok && z->n_orders < RB_BUDDY_ORDERS_MAX;
	     tok = strtok_r(NULL, " \t\r", &save)) {
		if (!value(tok, &z->v[z->n_orders]))
			break;
		z->n_orders++;
	}
	return z->n_orders > 0;
}

static int parse(const char *text, struct rb_buddy_zone *zones, size_t max, size_t *n,
		 value_fn value)
{
	struct rb_line l;
	struct rb_buddy_zone z;
	bool any = false;
	int ret = 0;

	*n = 0;
	while (rb_next_line(&text, &l)) {
		if (!parse_line(&l, &z, value))
			continue;
		any = true;
		if (*n == max)
			ret = -ENOSPC;
		else
			zones[(*n)++] = z;
	}
	return any ? ret : -EINVAL;
}

int rb_parse_buddyinfo(const char *text, struct rb_buddy_zone *zones, size_t max, size_t *n)
{
	return parse(text, zones, max, n, whole_number);
}

int rb_parse_extfrag(const char *text, struct rb_buddy_zone *zones, size_t max, size_t *n)
{
	return parse(text, zones, max, n, thousandths);
}

void rb_buddy_total(const struct rb_buddy_zone *zones, size_t n, int node,
		    struct rb_buddy_zone *out)
{
	memset(out, 0, sizeof(*out));
	out->node = node;
	strcpy(out->name, "all");
	for (size_t i = 0; i < n; i++) {
		if (node >= 0 && zones[i].node != node)
			continue;
		for (unsigned o = 0; o < zones[i].n_orders; o++)
			out->v[o] += zones[i].v[o];
		if (zones[i].n_orders > out->n_orders)
			out->n_orders = zones[i].n_orders;
	}
}

/* The kernel's contig_page_info: free pages, free blocks, suitable blocks. */
struct contig {
	uint64_t free_pages, blocks, suitable;
};

static struct contig contig_info(const struct rb_buddy_zone *z, unsigned order)
{
	struct contig c = { 0, 0, 0 };

	for (unsigned o = 0; o < z->n_orders; o++) {
		uint64_t blocks = z->v[o] > 0 ? (uint64_t)z->v[o] : 0;
		c.blocks += blocks;
		c.free_pages += blocks << o;
		if (o >= order)
			c.suitable += blocks << (o - order);
	}
	return c;
}

uint64_t rb_buddy_free_pages(const struct rb_buddy_zone *z)
{
	return contig_info(z, 0).free_pages;
}

uint64_t rb_buddy_suitable(const struct rb_buddy_zone *z, unsigned order)
{
	return order < z->n_orders ? contig_info(z, order).suitable : 0;
}

int rb_buddy_frag_index(const struct rb_buddy_zone *z, unsigned order)
{
	struct contig c;

	if (order >= z->n_orders)
		return 0;
	c = contig_info(z, order);
	if (!c.blocks)
		return 0;
	if (c.suitable)
		return -1000;
	/* unsigned division as the kernel's div_u64; may come out below 0 */
	return 1000 - (int)((1000 + c.free_pages * 1000 / (1ull << order)) / c.blocks);
}

int rb_buddy_unusable_index(const struct rb_buddy_zone *z, unsigned order)
{
	struct contig c = contig_info(z, order);

	if (!c.free_pages || order >= z->n_orders)
		return 1000;
	return (int)((c.free_pages - (c.suitable << order)) * 1000 / c.free_pages);
}
