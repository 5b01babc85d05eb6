/* profile.c - loading a profile, phase one: read the INI file with inih into
 * raw entries (section, key, value, line) and check the section headers and
 * keys; profile_override.c applies the variant and --set overrides, then
 * profile_resolve.c types the entries. Also finds profile files and frees
 * profiles.
 *
 * inih does not give the handler line numbers in Debian's build, so the
 * reader callback counts lines, tracks the current [section] itself (inih
 * cuts section names at 49 characters) and rejects lines inih would cut.
 * Leading whitespace is dropped before inih sees a line: indentation is
 * insignificant, and there are no continuation lines. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"
#include "profile_priv.h"
#include "workloads.h"

#ifndef RB_DATADIR
#define RB_DATADIR "/usr/local/share/reclaimbench"
#endif

#define SYNTAX_HINT "expected [section] or key = value"

/* State shared by the inih reader and handler callbacks. */
struct reader {
	struct rb_load *ld;
	FILE *f;
	char *buf;
	size_t cap;
	unsigned line;
	const char *section; /* current [section]; owned by ld->secs */
	unsigned too_long;   /* first line over the limit, 0 if none */
	size_t too_long_len;
	int limit;           /* longest line accepted, in characters */
	bool nomem;
};

/* No workload may be called like a section or a metric namespace. */
static const char *const reserved[] = {
	"profile", "sysctl", "thp", "swap", "zram", "zswap", "memcg", "worker", "baseline",
	"base", "vmstat", "meminfo", "psi", NULL,
};

void rb_origin_format(const struct rb_origin *at, char *buf, size_t len)
{
	if (at->set)
		(void)snprintf(buf, len, "--set %s", at->src);
	else if (at->line)
		(void)snprintf(buf, len, "%s:%u", at->src, at->line);
	else
		(void)snprintf(buf, len, "%s", at->src);
}

int rb_profile_fail(struct rb_load *ld, const struct rb_origin *at, const char *fmt, ...)
{
	char where[PATH_MAX + 32];
	size_t n;
	va_list ap;

	if (!ld->err || !ld->errlen)
		return -EINVAL;
	rb_origin_format(at, where, sizeof(where));
	(void)snprintf(ld->err, ld->errlen, "%s: ", where);
	n = strlen(ld->err);
	va_start(ap, fmt);
	(void)vsnprintf(ld->err + n, ld->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int rb_profile_nomem(struct rb_load *ld)
{
	struct rb_origin at = { ld->path, 0, false };

	(void)rb_profile_fail(ld, &at, "out of memory");
	return -ENOMEM;
}

/* Room for n + 1 elements of size sz in v (capacity *cap): the array,
 * possibly moved, or NULL (v untouched) if out of memory. */
static void *grow(void *v, size_t *cap, size_t n, size_t sz)
{
	size_t want = *cap ? *cap * 2 : 8;

	if (n < *cap)
		return v;
	v = realloc(v, want * sz);
	if (v)
		*cap = want;
	return v;
}

void rb_profile_known_types(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < rb_workload_count && used < len; i++) {
		(void)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
			       rb_workloads[i]->name);
		used = strlen(buf);
	}
}

static void raw_free(struct rb_load *ld)
{
	for (size_t i = 0; i < ld->n_ents; i++) {
		free(ld->ents[i].section);
		free(ld->ents[i].key);
		free(ld->ents[i].value);
	}
	for (size_t i = 0; i < ld->n_secs; i++)
		free(ld->secs[i].name);
	free(ld->ents);
	free(ld->secs);
}

int rb_profile_add_entry(struct rb_load *ld, const char *section, const char *key,
			 const char *value, const struct rb_origin *at)
{
	struct rb_raw_entry e = { .at = *at };
	struct rb_raw_entry *ents = grow(ld->ents, &ld->cap_ents, ld->n_ents, sizeof(e));

	if (!ents)
		return -ENOMEM;
	ld->ents = ents;
	e.section = section ? strdup(section) : NULL;
	e.key = strdup(key);
	e.value = strdup(value);
	if ((section && !e.section) || !e.key || !e.value) {
		free(e.section);
		free(e.key);
		free(e.value);
		return -ENOMEM;
	}
	ld->ents[ld->n_ents++] = e;
	return 0;
}

/* Record a "[name]" header line (s points at '['), as inih reads it: the
 * name ends at ']'; a missing ']' is left to inih to report. */
static int note_section(struct reader *r, const char *s)
{
	struct rb_load *ld = r->ld;
	const char *end = s + 1;
	struct rb_raw_section *secs;
	char *name;

	while (*end && *end != ']' && !(*end == ';' && isspace((unsigned char)end[-1])))
		end++;
	if (*end != ']')
		return 0;
	while (s[1] == ' ' || s[1] == '\t')
		s++;
	while (end > s + 1 && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	secs = grow(ld->secs, &ld->cap_secs, ld->n_secs, sizeof(*secs));
	if (!secs)
		return -ENOMEM;
	ld->secs = secs;
	name = strndup(s + 1, (size_t)(end - s - 1));
	if (!name)
		return -ENOMEM;
	ld->secs[ld->n_secs++] = (struct rb_raw_section){ name, { ld->path, r->line, false } };
	r->section = name;
	return 0;
}

/* The ini_reader: one line per call, like fgets, with the checks above. */
static char *read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	ssize_t got = getline(&r->buf, &r->cap, r->f);
	char *s = r->buf;
	size_t n;

	if (got < 0)
		return NULL;
	r->line++;
	if (r->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	n = strcspn(s, "\r\n");
	s[n] = '\0';
	r->limit = num - 3; /* inih needs room for "\r\n\0" */
	if (n > (size_t)r->limit) {
		r->too_long = r->line;
		r->too_long_len = n;
		return NULL;
	}
	s += strspn(s, " \t\f\v");
	if (*s == '[' && note_section(r, s) < 0) {
		r->nomem = true;
		return NULL;
	}
	memcpy(str, s, strlen(s) + 1);
	return str;
}

/* The ini_handler: store the entry; only running out of memory fails. */
static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;
	struct rb_origin at = { r->ld->path, r->line, false };

	(void)section;
	if (rb_profile_add_entry(r->ld, r->section, name, value, &at) < 0) {
		r->nomem = true;
		return 0;
	}
	return 1;
}

static int parse_stream(struct rb_load *ld, FILE *f)
{
	struct reader r = { .ld = ld, .f = f };
	struct rb_origin at = { ld->path, 0, false };
	int rc = ini_parse_stream(read_line, &r, on_entry, &r);

	free(r.buf);
	if (r.nomem || rc == -2)
		return rb_profile_nomem(ld);
	if (rc > 0) {
		at.line = (unsigned)rc;
		return rb_profile_fail(ld, &at, "syntax error (" SYNTAX_HINT ")");
	}
	if (r.too_long) {
		at.line = r.too_long;
		return rb_profile_fail(ld, &at, "line too long (%zu characters, at most %d)",
				       r.too_long_len, r.limit);
	}
	if (!ferror(f))
		return 0;
	(void)rb_profile_fail(ld, &at, "read error");
	return -EIO;
}

static int read_file(struct rb_load *ld)
{
	struct rb_origin at = { ld->path, 0, false };
	FILE *f = fopen(ld->path, "r");
	int rc;

	if (!f) {
		rc = -errno;
		(void)rb_profile_fail(ld, &at, "cannot open: %s", strerror(-rc));
		return rc;
	}
	rc = parse_stream(ld, f);
	(void)fclose(f);
	return rc;
}

const struct rb_raw_section *rb_profile_section(const struct rb_load *ld, const char *name)
{
	for (size_t i = 0; i < ld->n_secs; i++)
		if (strcmp(ld->secs[i].name, name) == 0)
			return &ld->secs[i];
	return NULL;
}

static bool is_reserved(const char *name, char *list, size_t len)
{
	bool found = false;
	size_t used = 0;

	list[0] = '\0';
	for (size_t i = 0; reserved[i]; i++) {
		found |= strcmp(reserved[i], name) == 0;
		if (used < len)
			(void)snprintf(list + used, len - used, "%s%s", i ? ", " : "", reserved[i]);
		used = strlen(list);
	}
	return found;
}

/* NAME of [workload:NAME] or [variant:NAME]: [a-z0-9_-]{1,63}, not reserved. */
static int check_name(struct rb_load *ld, const struct rb_raw_section *s, const char *kind,
		      const char *name)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyz0123456789_-";
	size_t n = strlen(name);
	char list[128];

	if (n == 0 || n >= RB_NAME_MAX || strspn(name, allowed) != n)
		return rb_profile_fail(ld, &s->at, "bad %s name '%s' (expected 1..%d characters "
				       "of a-z, 0-9, _ and -)", kind, name, RB_NAME_MAX - 1);
	if (strcmp(kind, "workload") == 0 && is_reserved(name, list, sizeof(list)))
		return rb_profile_fail(ld, &s->at, "workload name '%s' is reserved (reserved: %s)",
				       name, list);
	if (strcmp(kind, "variant") == 0 && strcmp(name, "base") == 0)
		return rb_profile_fail(ld, &s->at, "variant name 'base' is reserved (it means "
				       "the profile without a variant)");
	return 0;
}

static int check_section(struct rb_load *ld, const struct rb_raw_section *s)
{
	const struct rb_raw_section *first = rb_profile_section(ld, s->name);
	const char *colon = strchr(s->name, ':');
	size_t kind_len = colon ? (size_t)(colon - s->name) : 0;
	int rc = 0;

	if (colon && kind_len == 8 && strncmp(s->name, "workload", 8) == 0)
		rc = check_name(ld, s, "workload", colon + 1);
	else if (colon && kind_len == 7 && strncmp(s->name, "variant", 7) == 0)
		rc = check_name(ld, s, "variant", colon + 1);
	else if (strcmp(s->name, "profile") && strcmp(s->name, "sysctl") && strcmp(s->name, "thp") &&
		 strcmp(s->name, "swap"))
		return rb_profile_fail(ld, &s->at, "unknown section [%s] (expected [profile], "
				       "[sysctl], [thp], [swap], [workload:NAME] or [variant:NAME])",
				       s->name);
	if (rc == 0 && first != s && colon)
		return rb_profile_fail(ld, &s->at, "duplicate %.*s name '%s' (first at line %u)",
				       (int)kind_len, s->name, colon + 1, first->at.line);
	if (rc == 0 && first != s)
		return rb_profile_fail(ld, &s->at, "duplicate section [%s] (first at line %u)",
				       s->name, first->at.line);
	return rc;
}

void rb_profile_list_sections(const struct rb_load *ld, const char *prefix, char *buf,
			      size_t len)
{
	size_t plen = strlen(prefix), used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ld->n_secs && used < len; i++) {
		if (strncmp(ld->secs[i].name, prefix, plen) != 0)
			continue;
		(void)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			       ld->secs[i].name + plen);
		used = strlen(buf);
	}
}

struct rb_raw_entry *rb_profile_entry(struct rb_load *ld, const char *sec, const char *key)
{
	for (size_t i = 0; i < ld->n_ents; i++) {
		struct rb_raw_entry *e = &ld->ents[i];
		if (e->section && !strcmp(e->section, sec) && !strcmp(e->key, key))
			return e;
	}
	return NULL;
}

static bool may_repeat(const struct rb_raw_entry *e)
{
	if (strcmp(e->section, "profile") == 0)
		return strcmp(e->key, "expect") == 0;
	return strncmp(e->section, "variant:", 8) == 0 && strcmp(e->key, "profile.expect") == 0;
}

static int check_entry(struct rb_load *ld, size_t i)
{
	const struct rb_raw_entry *e = &ld->ents[i];

	if (!e->section)
		return rb_profile_fail(ld, &e->at, "key '%s' outside any section (expected a "
				       "[section] line before it)", e->key);
	for (size_t j = 0; j < i && !may_repeat(e); j++) {
		const struct rb_raw_entry *o = &ld->ents[j];
		if (o->section && !strcmp(o->section, e->section) && !strcmp(o->key, e->key))
			return rb_profile_fail(ld, &e->at, "duplicate key '%s' in [%s] (first at "
					       "line %u)", e->key, e->section, o->at.line);
	}
	if (strncmp(e->section, "variant:", 8) == 0)
		return rb_profile_check_override(ld, e);
	return 0;
}

/* Section headers and file entries, before any override. */
static int check_raw(struct rb_load *ld)
{
	int rc = 0;

	for (size_t i = 0; i < ld->n_secs && rc == 0; i++)
		rc = check_section(ld, &ld->secs[i]);
	for (size_t i = 0; i < ld->n_ents && rc == 0; i++)
		rc = check_entry(ld, i);
	return rc;
}

/* name (basename without .ini), path and variant of the profile. */
static int set_names(struct rb_load *ld, struct rb_profile *p, const char *variant)
{
	struct rb_origin at = { ld->path, 0, false };
	const char *base = strrchr(ld->path, '/');
	size_t n;

	base = base ? base + 1 : ld->path;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".ini") == 0)
		n -= 4;
	if (n >= sizeof(p->name) || strlen(ld->path) >= sizeof(p->path))
		return rb_profile_fail(ld, &at, "profile file name too long (at most %zu "
				       "characters before .ini)", sizeof(p->name) - 1);
	memcpy(p->name, base, n);
	p->name[n] = '\0';
	(void)snprintf(p->path, sizeof(p->path), "%s", ld->path);
	if (variant && strcmp(variant, "base"))
		(void)snprintf(p->variant, sizeof(p->variant), "%s", variant);
	return 0;
}

int rb_profile_load(const char *path, const struct rb_profile_overrides *ov,
		    struct rb_profile **out, char *err, size_t errlen)
{
	struct rb_load ld = { .path = path, .err = err, .errlen = errlen };
	const char *variant = ov ? ov->variant : NULL;
	struct rb_profile *p = calloc(1, sizeof(*p));
	int rc;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	rc = p ? read_file(&ld) : rb_profile_nomem(&ld);
	if (rc == 0)
		rc = check_raw(&ld);
	if (rc == 0)
		rc = rb_profile_apply_variant(&ld, variant);
	if (rc == 0)
		rc = rb_profile_apply_sets(&ld, ov);
	if (rc == 0)
		rc = set_names(&ld, p, variant);
	if (rc == 0)
		rc = rb_profile_resolve(&ld, p);
	raw_free(&ld);
	if (rc == 0)
		*out = p;
	else
		rb_profile_free(p);
	return rc;
}

void rb_profile_free(struct rb_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_expects; i++)
		rb_expect_free(p->expects[i].expr);
	for (size_t i = 0; i < p->n_workloads; i++)
		free(p->workloads[i].config);
	free(p->expects);
	free(p->sysctls);
	free(p->thp);
	free(p->workloads);
	free(p->variants);
	free(p);
}

const struct rb_workload_spec *rb_profile_workload(const struct rb_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_workloads; i++)
		if (strcmp(p->workloads[i].name, name) == 0)
			return &p->workloads[i];
	return NULL;
}

/* Search directory i of the profiles (datadir.h). */
static bool search_dir(int i, char *buf, size_t len)
{
	return rb_datadir_candidate("RECLAIMBENCH_PROFILES", "profiles", i, buf, len);
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int rb_profile_find(const char *name, char *path, size_t len)
{
	size_t n = strlen(name);
	char dir[PATH_MAX];

	if (strchr(name, '/') || (n > 4 && strcmp(name + n - 4, ".ini") == 0))
		return (size_t)snprintf(path, len, "%s", name) < len && is_file(path) ? 0 : -ENOENT;
	for (int i = 0; i < RB_DATADIR_CANDIDATES && n > 0; i++) {
		if (!search_dir(i, dir, sizeof(dir)))
			continue;
		if ((size_t)snprintf(path, len, "%s/%s.ini", dir, name) < len && is_file(path))
			return 0;
	}
	return -ENOENT;
}

int rb_profile_dir(char *path, size_t len)
{
	struct stat st;

	for (int i = 0; i < RB_DATADIR_CANDIDATES; i++)
		if (search_dir(i, path, len) && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
	return -ENOENT;
}
