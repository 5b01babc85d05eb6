/* profile_swap.c - a profile's [swap] section: its keys as an option table
 * (so they parse, check bounds and print like every other option), their
 * checks with file:line, and writing the resolved section back as INI.
 *
 *   [swap]
 *   type = zram                 ; none | file | zram
 *   size = 2G                   ; or 50% / 1x of the profile's memory
 *   zram_compressor = lz4       ; "" = the kernel's default
 *   zswap = on                  ; keep | off | on
 *   zswap_compressor = zstd     ; "" = leave it
 *   zswap_max_pool_percent = 20 ; 0 = leave it */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "profile_priv.h"

#define WO(f) offsetof(struct rb_swap_spec, f)
static const struct rb_option swap_opts[] = {
	{ "type", RB_OPT_ENUM, WO(type), 0, 0, "file",
	  "none: no swap at all; file: a swap file; zram: a compressed RAM disk",
	  "none|file|zram" },
	{ "size", RB_OPT_SIZE, WO(size), 1 << 20, 1ull << 42, "1x",
	  "size of the swap file or the zram disk", NULL },
	{ "zram_compressor", RB_OPT_STRING, WO(zram_compressor), 0, 0, "",
	  "zram's comp_algorithm, e.g. lzo-rle, lz4, zstd; empty = the kernel's default", NULL },
	{ "zswap", RB_OPT_ENUM, WO(zswap), 0, 0, "keep",
	  "zswap in front of the swap device: on, off, or keep as the machine has it",
	  "keep|off|on" },
	{ "zswap_compressor", RB_OPT_STRING, WO(zswap_compressor), 0, 0, "",
	  "zswap's compressor, e.g. lzo, lz4, zstd; empty = leave it", NULL },
	{ "zswap_max_pool_percent", RB_OPT_INT, WO(zswap_max_pool_percent), 0, 100, "0",
	  "zswap pool limit in % of RAM; 0 = leave it", NULL },
	RB_OPTION_END,
};

int rb_profile_check_swap_key(struct rb_load *ld, const char *key, const struct rb_origin *at)
{
	if (rb_option_find(swap_opts, key))
		return 0;
	return rb_profile_fail(ld, at, "unknown key '%s' in [swap] (expected type, size, "
			       "zram_compressor, zswap, zswap_compressor or "
			       "zswap_max_pool_percent)", key);
}

/* A compressor name goes into sysfs: one word of [a-z0-9-]. */
static int check_compressor(struct rb_load *ld, const struct rb_raw_entry *e)
{
	size_t n = strlen(e->value);

	if (strspn(e->value, "abcdefghijklmnopqrstuvwxyz0123456789-") == n && n < 64)
		return 0;
	return rb_profile_fail(ld, &e->at, "bad compressor '%s' for %s (expected a name such "
			       "as lzo-rle, lz4 or zstd)", e->value, e->key);
}

static int swap_entry(struct rb_load *ld, struct rb_swap_spec *s, const struct rb_raw_entry *e,
		      uint64_t memory)
{
	const struct rb_option *opt = rb_option_find(swap_opts, e->key);
	int rc = rb_profile_check_swap_key(ld, e->key, &e->at);

	if (rc == 0 && opt->type == RB_OPT_STRING)
		rc = check_compressor(ld, e);
	return rc ? rc : rb_profile_set_value(ld, opt, s, e, memory);
}

/* zram settings without zram, zswap settings with zswap off: a mistake. */
static int check_swap(struct rb_load *ld, const struct rb_swap_spec *s)
{
	const struct rb_raw_entry *e = rb_profile_entry(ld, "swap", "zram_compressor");

	if (e && s->zram_compressor[0] && s->type != RB_SWAP_ZRAM)
		return rb_profile_fail(ld, &e->at, "zram_compressor needs type = zram");
	e = rb_profile_entry(ld, "swap", s->zswap_compressor[0] ? "zswap_compressor" :
				     "zswap_max_pool_percent");
	if (e && (s->zswap_compressor[0] || s->zswap_max_pool_percent) &&
	    s->zswap == RB_ZSWAP_OFF)
		return rb_profile_fail(ld, &e->at, "%s with zswap = off (expected zswap = on or "
				       "keep)", e->key);
	return 0;
}

/* Where [swap] is: its header, or else its first entry (a variant or --set
 * can give a profile without the section a swap.KEY). NULL if nowhere. */
static const struct rb_origin *swap_origin(struct rb_load *ld)
{
	const struct rb_raw_section *sec = rb_profile_section(ld, "swap");

	if (sec)
		return &sec->at;
	for (size_t i = 0; i < ld->n_ents; i++)
		if (ld->ents[i].section && !strcmp(ld->ents[i].section, "swap"))
			return &ld->ents[i].at;
	return NULL;
}

int rb_profile_resolve_swap(struct rb_load *ld, struct rb_profile *p)
{
	const struct rb_origin *at = swap_origin(ld);
	struct rb_swap_spec *s = &p->swap;
	char msg[256];
	int rc = 0;

	memset(s, 0, sizeof(*s));
	if (!at)
		return 0;
	if (rb_options_defaults(swap_opts, s, p->memory, msg, sizeof(msg)))
		return rb_profile_fail(ld, at, "%s", msg);
	s->set = true;
	rb_origin_format(at, s->where, sizeof(s->where));
	for (size_t i = 0; i < ld->n_ents && rc == 0; i++)
		if (ld->ents[i].section && !strcmp(ld->ents[i].section, "swap"))
			rc = swap_entry(ld, s, &ld->ents[i], p->memory);
	return rc ? rc : check_swap(ld, s);
}

void rb_profile_write_swap(const struct rb_profile *p, FILE *f)
{
	char buf[RB_OPT_STRLEN + 64];

	if (!p->swap.set)
		return;
	(void)fprintf(f, "\n[swap]\n");
	for (const struct rb_option *t = swap_opts; t->name; t++) {
		rb_option_format(t, &p->swap, buf, sizeof(buf));
		(void)fprintf(f, "%s = %s\n", t->name, buf);
	}
}
