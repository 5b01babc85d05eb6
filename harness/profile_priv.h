/* profile_priv.h - what the three parts of the profile loader share:
 * profile.c (reading the file into raw entries, checks, load, free),
 * profile_override.c (variant and --set overrides) and profile_resolve.c
 * (typing the raw entries into struct rb_profile, writing it back).
 * Not a public header: only those files include it. */
#ifndef RB_PROFILE_PRIV_H
#define RB_PROFILE_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "profile.h"

/* Where an entry or section came from: "FILE:LINE", "FILE" (line 0) or
 * "--set ARG" (set). src is the profile path or the --set argument. */
struct rb_origin {
	const char *src;
	unsigned line;
	bool set;
};

/* One key = value, before typing. section is NULL before the first [section]. */
struct rb_raw_entry {
	char *section;
	char *key;
	char *value;
	struct rb_origin at;
};

/* One [section] header line. */
struct rb_raw_section {
	char *name;
	struct rb_origin at;
};

/* The state of one rb_profile_load() call. */
struct rb_load {
	const char *path;
	struct rb_raw_entry *ents;
	size_t n_ents, cap_ents;
	struct rb_raw_section *secs;
	size_t n_secs, cap_secs;
	char *err;
	size_t errlen;
};

/* Write "WHERE: message" into ld->err. Returns -EINVAL. */
int rb_profile_fail(struct rb_load *ld, const struct rb_origin *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write "FILE: out of memory" into ld->err. Returns -ENOMEM. */
int rb_profile_nomem(struct rb_load *ld);

/* Format an origin as "FILE:LINE", "FILE" or "--set ARG". */
void rb_origin_format(const struct rb_origin *at, char *buf, size_t len);

/* Append a raw entry (strings copied). Returns 0 or -ENOMEM. */
int rb_profile_add_entry(struct rb_load *ld, const char *section, const char *key,
			 const char *value, const struct rb_origin *at);

/* The first [name] section; NULL if none. */
const struct rb_raw_section *rb_profile_section(const struct rb_load *ld, const char *name);

/* The first entry key of [sec]; NULL if none. */
struct rb_raw_entry *rb_profile_entry(struct rb_load *ld, const char *sec, const char *key);

/* Names of the sections starting with prefix, prefix cut, comma separated
 * ("hog, probe" for "workload:"). */
void rb_profile_list_sections(const struct rb_load *ld, const char *prefix, char *buf,
			      size_t len);

/* Check one entry of a [variant:NAME]: description, or TARGET.key naming an
 * existing target and a key it has (a sysctl's existence is checked only
 * when the variant is applied). Returns 0 or -EINVAL with err set. */
int rb_profile_check_override(struct rb_load *ld, const struct rb_raw_entry *e);

/* Apply the overrides of [variant:NAME] (NULL or "base": none). Returns 0,
 * -EINVAL (unknown variant, listing the known ones) or -ENOMEM. */
int rb_profile_apply_variant(struct rb_load *ld, const char *variant);

/* Apply each --set "TARGET.key=value" in order. Returns 0, -EINVAL or -ENOMEM. */
int rb_profile_apply_sets(struct rb_load *ld, const struct rb_profile_overrides *ov);

/* The known workload type names, comma separated ("anon-hog, probe"). */
void rb_profile_known_types(char *buf, size_t len);

/* Check a key of a section ("profile", "sysctl", "thp", "workload:NAME" with
 * workload type ops, NULL if not known yet). Returns 0 or -EINVAL with err set. */
int rb_profile_check_key(struct rb_load *ld, const char *section, const char *key,
			 const struct rb_workload_ops *ops, const struct rb_origin *at);

/* Check a sysctl key's form ("vm." and a-z, 0-9, _) and, with must_exist,
 * that $RECLAIMBENCH_PROC_SYS (default /proc/sys)/vm/NAME exists.
 * Returns 0 or -EINVAL with err set. */
int rb_profile_check_sysctl(struct rb_load *ld, const char *key, bool must_exist,
			    const struct rb_origin *at);

/* Type the raw entries (variant and --set already applied) into p, whose
 * name, path and variant are set. Returns 0, -EINVAL or -ENOMEM with err set. */
int rb_profile_resolve(struct rb_load *ld, struct rb_profile *p);

/* Set option opt in cfg from entry e ("40%" of memory); a bad value fails
 * with e's file:line, "for KEY" before the "(expected ...)" part. */
int rb_profile_set_value(struct rb_load *ld, const struct rb_option *opt, void *cfg,
			 const struct rb_raw_entry *e, uint64_t memory);

/* [swap] (profile_swap.c): check one key; type the section into p->swap
 * (left unset without one); write it back as INI. */
int rb_profile_check_swap_key(struct rb_load *ld, const char *key, const struct rb_origin *at);
int rb_profile_resolve_swap(struct rb_load *ld, struct rb_profile *p);
void rb_profile_write_swap(const struct rb_profile *p, FILE *f);

/* Cross-checks of names that refer to workloads (rewarm_watch WORKER.OP,
 * rewarm_after WORKER) once every section is resolved. 0 or -EINVAL. */
int rb_profile_check_refs(struct rb_load *ld, const struct rb_profile *p);

#endif
