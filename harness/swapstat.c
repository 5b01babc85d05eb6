/* swapstat.c - compressed swap statistics (see include/swapstat.h): zram's
 * mm_stat line, zswap's pool from /proc/meminfo or debugfs, and the
 * compression ratio of either.
 *
 * mm_stat is the one positional format here: the kernel prints it with
 * "%8llu %8llu ..." and has only ever appended fields, so the parser takes
 * numbers in order and stops at the end of the line; everything else is
 * read by name (meminfo) or by file name (debugfs). */
#include "swapstat.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sizes every kernel with mm_stat prints: orig, compr, mem_used. */
#define ZRAM_MIN_FIELDS 3

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parse the unsigned decimal at *p, which must end at a blank or the end
 * of the text; advances *p past it. */
static bool take_u64(const char **p, uint64_t *out)
{
	char *end;

	if (**p < '0' || **p > '9')
		return false;
	errno = 0;
	*out = strtoull(*p, &end, 10);
	if (errno == ERANGE || (*end && !is_space(*end)))
		return false;
	*p = end;
	return true;
}

int rb_zram_parse_mm_stat(const char *text, struct rb_zram_stat *out)
{
	uint64_t v;

	memset(out, 0, sizeof(*out));
	for (;;) {
		while (is_space(*text))
			text++;
		if (!*text)
			break;
		if (!take_u64(&text, &v))
			return -EINVAL;
		if (out->n < RB_ZRAM_FIELDS)
			out->v[out->n++] = v;
	}
	return out->n >= ZRAM_MIN_FIELDS ? 0 : -EINVAL;
}

/* The N of a "zram<N>" entry name; false for any other name. */
static bool zram_id(const char *name, unsigned *id)
{
	char *end;
	unsigned long n;

	if (strncmp(name, "zram", 4) != 0 || name[4] < '0' || name[4] > '9')
		return false;
	n = strtoul(name + 4, &end, 10);
	if (*end || n > 0xffffu)
		return false;
	*id = (unsigned)n;
	return true;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

int rb_zram_devices(const char *sys_block, unsigned *ids, size_t max)
{
	DIR *d = opendir(sys_block);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)) != NULL)
		if (n < max && zram_id(e->d_name, &ids[n]))
			n++;
	(void)closedir(d);
	qsort(ids, n, sizeof(*ids), cmp_unsigned);
	return (int)n;
}

int rb_zswap_from_meminfo(const struct rb_kvset *meminfo, struct rb_zswap_stat *out)
{
	uint64_t pool_kb, stored_kb;

	if (rb_kvset_get(meminfo, "Zswap", NULL, &pool_kb) != 0 ||
	    rb_kvset_get(meminfo, "Zswapped", NULL, &stored_kb) != 0)
		return -ENOENT;
	out->pool_bytes = pool_kb * 1024;
	out->stored_bytes = stored_kb * 1024;
	return 0;
}

int rb_zswap_read_debugfs(const char *dir, uint64_t page_size, struct rb_zswap_stat *out)
{
	char path[512];
	uint64_t pool, pages;
	int rc;

	(void)snprintf(path, sizeof(path), "%s/pool_total_size", dir);
	rc = rb_read_u64(path, &pool);
	if (rc)
		return rc;
	(void)snprintf(path, sizeof(path), "%s/stored_pages", dir);
	rc = rb_read_u64(path, &pages);
	if (rc)
		return rc;
	out->pool_bytes = pool;
	out->stored_bytes = pages * page_size;
	return 0;
}

double rb_swap_compression_ratio(uint64_t uncompressed, uint64_t compressed)
{
	return compressed ? (double)uncompressed / (double)compressed : NAN;
}

void rb_swap_peak_add(struct rb_swap_peak *peak, uint64_t uncompressed, uint64_t compressed)
{
	if (peak->seen && compressed <= peak->compressed)
		return;
	peak->seen = true;
	peak->uncompressed = uncompressed;
	peak->compressed = compressed;
}
