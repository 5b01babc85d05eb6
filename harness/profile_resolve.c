/* profile_resolve.c - loading a profile, phase two: type the raw entries
 * (variant and --set already applied) into struct rb_profile. [profile] is
 * resolved first, wherever it sits in the file, because sizes such as "40%"
 * and "2x" are relative to its memory; then [sysctl], [thp], [swap], every
 * [workload:NAME] in file order and the list of variants. [profile] keys and
 * the keys every workload has are option tables, like workload options, so
 * they parse, check bounds and print the same way. Also writes a resolved
 * profile back as INI. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile_priv.h"
#include "units.h"
#include "workloads.h"

#define WORKLOAD_PREFIX "workload:"
#define VARIANT_PREFIX "variant:"
#define SIZE_HINT "expected e.g. 4K, 512M, 2G"
#define SYSCTL_NAME_MAX 124 /* "vm." + NAME fits struct rb_setting's key */

/* [profile], typed; copied into struct rb_profile once complete. */
struct profile_cfg {
	int mode;
	uint64_t memory, memory_high, duration, watchdog_memavail, baseline, worker_interval;
	double sample_rate, watchdog_psi_full, rewarm_factor;
	char rewarm_watch[RB_OPT_STRLEN], rewarm_after[RB_OPT_STRLEN];
	int64_t seed;
	bool settle;
};

#define PO(f) offsetof(struct profile_cfg, f)
static const struct rb_option profile_opts[] = {
	{ "mode", RB_OPT_ENUM, PO(mode), 0, 0, "contained",
	  "contained: in a memory cgroup; global: the whole machine", "contained|global" },
	{ "memory", RB_OPT_SIZE, PO(memory), 1 << 20, 1ull << 50, NULL,
	  "usable memory, absolute (required)", NULL },
	{ "memory_high", RB_OPT_SIZE, PO(memory_high), 0, 1ull << 50, "0",
	  "memory.high, a size or a share of memory; 0 = unset", NULL },
	{ "duration", RB_OPT_DURATION, PO(duration), 1e8, 864e11, NULL,
	  "length of the run (required)", NULL },
	{ "baseline", RB_OPT_DURATION, PO(baseline), 0, 864e11, "0",
	  "quiet window at the start: worker percentiles are also kept for it; 0 = none", NULL },
	{ "worker_interval", RB_OPT_DURATION, PO(worker_interval), 1e8, 6e10, "1s",
	  "interval of workers.tsv rows (per-interval percentiles)", NULL },
	{ "rewarm_watch", RB_OPT_STRING, PO(rewarm_watch), 0, 0, "",
	  "WORKER.OP whose p99 is watched for the re-warm time", NULL },
	{ "rewarm_after", RB_OPT_STRING, PO(rewarm_after), 0, 0, "",
	  "workload whose end starts the re-warm clock", NULL },
	{ "rewarm_factor", RB_OPT_DOUBLE, PO(rewarm_factor), 1, 1000, "2",
	  "re-warmed when p99 is within this factor of its p99 before that workload", NULL },
	{ "sample_rate", RB_OPT_DOUBLE, PO(sample_rate), 1, 1000, "10",
	  "samples per second", NULL },
	{ "seed", RB_OPT_INT, PO(seed), 0, 9e18, "1", "seed of the workloads' PRNGs", NULL },
	{ "settle", RB_OPT_BOOL, PO(settle), 0, 0, "yes",
	  "drop caches, compact and wait for MemFree before the run", NULL },
	{ "watchdog_memavail", RB_OPT_SIZE, PO(watchdog_memavail), 0, 1ull << 50, "256M",
	  "stop if the machine's MemAvailable falls below", NULL },
	{ "watchdog_psi_full", RB_OPT_DOUBLE, PO(watchdog_psi_full), 0, 100, "90",
	  "stop if memory full avg10 (%) exceeds; 0 = off", NULL },
	RB_OPTION_END,
};

/* The keys every [workload:NAME] has besides type; node also takes "all". */
struct spec_cfg {
	int64_t node, instances, oom_score_adj;
	uint64_t start, stop;
};

#define SO(f) offsetof(struct spec_cfg, f)
static const struct rb_option spec_opts[] = {
	{ "node", RB_OPT_INT, SO(node), 0, 4095, NULL, "NUMA node, or all", NULL },
	{ "start", RB_OPT_DURATION, SO(start), 0, 0, "0", "start after the run begins", NULL },
	{ "stop", RB_OPT_DURATION, SO(stop), 0, 0, "0", "stop at this time; 0 = run end", NULL },
	{ "instances", RB_OPT_INT, SO(instances), 1, 64, "1", "processes forked", NULL },
	{ "oom_score_adj", RB_OPT_INT, SO(oom_score_adj), -1000, 1000, "1000",
	  "of each process", NULL },
	RB_OPTION_END,
};

static const char *const thp_keys[] = {
	"enabled", "defrag", "shmem_enabled", "use_zero_page", "khugepaged.defrag", NULL,
};

static bool in_list(const char *const *list, const char *key)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], key) == 0)
			return true;
	return false;
}

/* "a, b, c": the names of an option table. */
static void join_options(const struct rb_option *t, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; t->name && used < len; t++) {
		(void)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", t->name);
		used = strlen(buf);
	}
}

static bool is_section(const struct rb_raw_entry *e, const char *sec)
{
	return e->section && strcmp(e->section, sec) == 0;
}

int rb_profile_check_sysctl(struct rb_load *ld, const char *key, bool must_exist,
			    const struct rb_origin *at)
{
	static const char allowed[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	const char *root = getenv("RECLAIMBENCH_PROC_SYS");
	const char *name = key + 3;
	size_t n = strncmp(key, "vm.", 3) ? 0 : strlen(name);
	char path[PATH_MAX];

	if (n == 0 || n > SYSCTL_NAME_MAX || strspn(name, allowed) != n)
		return rb_profile_fail(ld, at, "bad sysctl key '%s' (expected vm.NAME, NAME of "
				       "a-z, 0-9 and _)", key);
	if (!must_exist)
		return 0;
	if (!root || !*root)
		root = "/proc/sys";
	if ((size_t)snprintf(path, sizeof(path), "%s/vm/%s", root, name) < sizeof(path) &&
	    access(path, F_OK) == 0)
		return 0;
	return rb_profile_fail(ld, at, "unknown sysctl %s (no /proc/sys/vm/%s on this kernel)",
			       key, name);
}

static int check_workload_key(struct rb_load *ld, const char *section, const char *key,
			      const struct rb_workload_ops *ops, const struct rb_origin *at)
{
	char own[512], common[128];

	if (!strcmp(key, "type") || rb_option_find(spec_opts, key) || !ops ||
	    rb_option_find(ops->options, key))
		return 0;
	join_options(ops->options, own, sizeof(own));
	join_options(spec_opts, common, sizeof(common));
	return rb_profile_fail(ld, at, "unknown key '%s' in [%s] (%s options: %s; common: type, "
			       "%s)", key, section, ops->name, own, common);
}

static int check_profile_key(struct rb_load *ld, const char *key, const struct rb_origin *at)
{
	char names[256];

	if (!strcmp(key, "description") || !strcmp(key, "expect") ||
	    rb_option_find(profile_opts, key))
		return 0;
	join_options(profile_opts, names, sizeof(names));
	return rb_profile_fail(ld, at, "unknown key '%s' in [profile] (expected description, %s "
			       "or expect)", key, names);
}

int rb_profile_check_key(struct rb_load *ld, const char *section, const char *key,
			 const struct rb_workload_ops *ops, const struct rb_origin *at)
{
	if (!strcmp(section, "profile"))
		return check_profile_key(ld, key, at);
	if (!strcmp(section, "sysctl"))
		return rb_profile_check_sysctl(ld, key, true, at);
	if (!strcmp(section, "swap"))
		return rb_profile_check_swap_key(ld, key, at);
	if (!strcmp(section, "thp"))
		return in_list(thp_keys, key) ? 0 :
		       rb_profile_fail(ld, at, "unknown key '%s' in [thp] (expected enabled, "
				       "defrag, shmem_enabled, use_zero_page or "
				       "khugepaged.defrag)", key);
	return check_workload_key(ld, section, key, ops, at);
}

/* Set an option from an entry; the option's message gets " for KEY" put
 * before its "(expected ...)" part. */
int rb_profile_set_value(struct rb_load *ld, const struct rb_option *opt, void *cfg,
			 const struct rb_raw_entry *e, uint64_t memory)
{
	char msg[256];
	const char *hint;

	if (rb_option_set(opt, cfg, e->value, memory, msg, sizeof(msg)) == 0)
		return 0;
	hint = strstr(msg, " (expected");
	if (!hint)
		return rb_profile_fail(ld, &e->at, "%s for %s", msg, opt->name);
	return rb_profile_fail(ld, &e->at, "%.*s for %s%s", (int)(hint - msg), msg, opt->name,
			       hint);
}

/* arr (n elements of size sz) with a zeroed element added at its end: the
 * array, possibly moved, or NULL (arr untouched) if out of memory. */
static void *push(void *arr, size_t n, size_t sz)
{
	char *p = realloc(arr, (n + 1) * sz);

	if (p)
		memset(p + n * sz, 0, sz);
	return p;
}

static int set_text(struct rb_load *ld, char *buf, size_t len, const struct rb_raw_entry *e)
{
	if (strlen(e->value) >= len)
		return rb_profile_fail(ld, &e->at, "%s is too long (at most %zu characters)",
				       e->key, len - 1);
	(void)snprintf(buf, len, "%s", e->value);
	return 0;
}

static int add_expect(struct rb_load *ld, struct rb_profile *p, const struct rb_raw_entry *e)
{
	struct rb_profile_expect *x = push(p->expects, p->n_expects, sizeof(*x));
	char msg[256];
	int rc;

	if (!x)
		return rb_profile_nomem(ld);
	p->expects = x;
	x += p->n_expects;
	rc = set_text(ld, x->text, sizeof(x->text), e);
	if (rc)
		return rc;
	rc = rb_expect_parse(e->value, &x->expr, msg, sizeof(msg));
	if (rc == -ENOMEM)
		return rb_profile_nomem(ld);
	if (rc)
		return rb_profile_fail(ld, &e->at, "bad expect '%s': %s", e->value, msg);
	rb_origin_format(&e->at, x->where, sizeof(x->where));
	p->n_expects++;
	return 0;
}

/* memory first: absolute only, since it is the base of the relative sizes. */
static int resolve_memory(struct rb_load *ld, struct profile_cfg *c)
{
	struct rb_origin at = { ld->path, 0, false };
	const struct rb_raw_entry *e = rb_profile_entry(ld, "profile", "memory");
	size_t n = e ? strlen(e->value) : 0;
	uint64_t bytes;

	if (!e)
		return rb_profile_fail(ld, &at, "missing 'memory' in [profile] (expected e.g. "
				       "memory = 1G)");
	if (n && strchr("%xX", e->value[n - 1]))
		return rb_profile_fail(ld, &e->at, "memory must be an absolute size, not '%s' ("
				       SIZE_HINT ")", e->value);
	if (rb_parse_size(e->value, 0, &bytes) == -EINVAL)
		return rb_profile_fail(ld, &e->at, "bad size '%s' for memory (" SIZE_HINT ")",
				       e->value);
	return rb_profile_set_value(ld, rb_option_find(profile_opts, "memory"), c, e, 0);
}

static int profile_entry(struct rb_load *ld, struct rb_profile *p, struct profile_cfg *c,
			 const struct rb_raw_entry *e)
{
	int rc = rb_profile_check_key(ld, "profile", e->key, NULL, &e->at);

	if (rc || !strcmp(e->key, "memory"))
		return rc;
	if (!strcmp(e->key, "description"))
		return set_text(ld, p->description, sizeof(p->description), e);
	if (!strcmp(e->key, "expect"))
		return add_expect(ld, p, e);
	return rb_profile_set_value(ld, rb_option_find(profile_opts, e->key), c, e, c->memory);
}

static void copy_profile(struct rb_profile *p, const struct profile_cfg *c)
{
	p->mode = c->mode ? RB_MODE_GLOBAL : RB_MODE_CONTAINED;
	p->memory = c->memory;
	p->memory_high = c->memory_high;
	p->duration_ns = c->duration;
	p->baseline_ns = c->baseline;
	p->worker_interval_ns = c->worker_interval;
	p->rewarm_factor = c->rewarm_factor;
	memcpy(p->rewarm_watch, c->rewarm_watch, sizeof(p->rewarm_watch));
	memcpy(p->rewarm_after, c->rewarm_after, sizeof(p->rewarm_after));
	p->sample_hz = c->sample_rate;
	p->seed = (uint64_t)c->seed;
	p->settle = c->settle;
	p->watchdog_memavail = c->watchdog_memavail;
	p->watchdog_psi_full = c->watchdog_psi_full;
}

static int check_profile(struct rb_load *ld, const struct profile_cfg *c)
{
	struct rb_origin at = { ld->path, 0, false };
	const struct rb_raw_entry *high = rb_profile_entry(ld, "profile", "memory_high");
	char a[32], b[32];

	if (!rb_profile_entry(ld, "profile", "duration"))
		return rb_profile_fail(ld, &at, "missing 'duration' in [profile] (expected e.g. "
				       "duration = 30s)");
	if (c->baseline >= c->duration) {
		const struct rb_raw_entry *b = rb_profile_entry(ld, "profile", "baseline");
		return rb_profile_fail(ld, b ? &b->at : &at, "baseline must end before the run "
				       "does (expected less than duration)");
	}
	if (!high || c->memory_high <= c->memory)
		return 0;
	rb_format_size(c->memory_high, a, sizeof(a));
	rb_format_size(c->memory, b, sizeof(b));
	return rb_profile_fail(ld, &high->at, "memory_high %s is above memory %s", a, b);
}

static int resolve_profile(struct rb_load *ld, struct rb_profile *p)
{
	struct rb_origin at = { ld->path, 0, false };
	struct profile_cfg c;
	char msg[256];
	int rc = 0;

	if (rb_options_defaults(profile_opts, &c, 0, msg, sizeof(msg)))
		return rb_profile_fail(ld, &at, "%s", msg);
	rc = resolve_memory(ld, &c);
	for (size_t i = 0; i < ld->n_ents && rc == 0; i++)
		if (is_section(&ld->ents[i], "profile"))
			rc = profile_entry(ld, p, &c, &ld->ents[i]);
	if (rc == 0)
		rc = check_profile(ld, &c);
	if (rc == 0)
		copy_profile(p, &c);
	return rc;
}

/* A [sysctl] or [thp] entry: a known key and one word of at most 127 characters. */
static int add_setting(struct rb_load *ld, struct rb_setting **arr, size_t *n,
		       const struct rb_raw_entry *e)
{
	size_t len = strlen(e->value);
	struct rb_setting *s;
	int rc = rb_profile_check_key(ld, e->section, e->key, NULL, &e->at);

	if (rc)
		return rc;
	if (len == 0 || len >= sizeof(s->value) || e->value[strcspn(e->value, " \t")])
		return rb_profile_fail(ld, &e->at, "bad value '%s' for %s in [%s] (expected one "
				       "word, at most %zu characters)", e->value, e->key,
				       e->section, sizeof(s->value) - 1);
	s = push(*arr, *n, sizeof(*s));
	if (!s)
		return rb_profile_nomem(ld);
	*arr = s;
	s += *n;
	(void)snprintf(s->key, sizeof(s->key), "%s", e->key);
	(void)snprintf(s->value, sizeof(s->value), "%s", e->value);
	rb_origin_format(&e->at, s->where, sizeof(s->where));
	(*n)++;
	return 0;
}

static int resolve_settings(struct rb_load *ld, struct rb_profile *p)
{
	int rc = 0;

	for (size_t i = 0; i < ld->n_ents && rc == 0; i++) {
		const struct rb_raw_entry *e = &ld->ents[i];
		if (is_section(e, "sysctl"))
			rc = add_setting(ld, &p->sysctls, &p->n_sysctls, e);
		else if (is_section(e, "thp"))
			rc = add_setting(ld, &p->thp, &p->n_thp, e);
	}
	return rc;
}

static int workload_type(struct rb_load *ld, const struct rb_raw_section *s,
			 const struct rb_workload_ops **ops)
{
	const struct rb_raw_entry *e = rb_profile_entry(ld, s->name, "type");
	char known[256];

	rb_profile_known_types(known, sizeof(known));
	if (!e)
		return rb_profile_fail(ld, &s->at, "missing 'type' in [%s] (expected type = one "
				       "of %s)", s->name, known);
	*ops = rb_workload_find(e->value);
	if (!*ops)
		return rb_profile_fail(ld, &e->at, "unknown workload type '%s' (known: %s)",
				       e->value, known);
	return 0;
}

static int set_node(struct rb_load *ld, struct spec_cfg *c, const struct rb_raw_entry *e)
{
	if (!strcmp(e->value, "all")) {
		c->node = RB_NODE_ALL;
		return 0;
	}
	if (rb_option_set(rb_option_find(spec_opts, "node"), c, e->value, 0, NULL, 0) == 0)
		return 0;
	return rb_profile_fail(ld, &e->at, "bad node '%s' (expected a NUMA node number 0..4095 "
			       "or all)", e->value);
}

static int workload_entry(struct rb_load *ld, const struct rb_profile *p,
			  struct rb_workload_spec *w, struct spec_cfg *c,
			  const struct rb_raw_entry *e)
{
	const struct rb_option *opt;
	int rc = rb_profile_check_key(ld, e->section, e->key, w->ops, &e->at);

	if (rc || !strcmp(e->key, "type"))
		return rc;
	if (!strcmp(e->key, "node"))
		return set_node(ld, c, e);
	opt = rb_option_find(spec_opts, e->key);
	if (opt)
		return rb_profile_set_value(ld, opt, c, e, p->memory);
	return rb_profile_set_value(ld, rb_option_find(w->ops->options, e->key), w->config, e, p->memory);
}

/* start and stop against each other and the run's duration. */
static int check_times(struct rb_load *ld, const struct rb_profile *p,
		       const struct rb_raw_section *s, const struct spec_cfg *c)
{
	const struct rb_raw_entry *start = rb_profile_entry(ld, s->name, "start");
	const struct rb_raw_entry *stop = rb_profile_entry(ld, s->name, "stop");
	char a[32], b[32], d[32];

	rb_format_duration(c->start, a, sizeof(a));
	rb_format_duration(c->stop, b, sizeof(b));
	rb_format_duration(p->duration_ns, d, sizeof(d));
	if (c->stop && c->stop <= c->start)
		return rb_profile_fail(ld, stop ? &stop->at : &s->at, "stop %s is not after "
				       "start %s in [%s]", b, a, s->name);
	if (c->stop > p->duration_ns)
		return rb_profile_fail(ld, stop ? &stop->at : &s->at, "stop %s is after the end "
				       "of the run (duration %s) in [%s]", b, d, s->name);
	if (c->start >= p->duration_ns)
		return rb_profile_fail(ld, start ? &start->at : &s->at, "start %s is not before "
				       "the end of the run (duration %s) in [%s]", a, d, s->name);
	return 0;
}

static void copy_spec(struct rb_workload_spec *w, const struct spec_cfg *c)
{
	w->node = (int)c->node;
	w->start_ns = c->start;
	w->stop_ns = c->stop;
	w->instances = (unsigned)c->instances;
	w->oom_score_adj = (int)c->oom_score_adj;
}

/* A new spec with its config allocated and every default applied. */
static int new_spec(struct rb_load *ld, struct rb_profile *p, const struct rb_raw_section *s,
		    const struct rb_workload_ops *ops, struct spec_cfg *c)
{
	struct rb_workload_spec *w = push(p->workloads, p->n_workloads, sizeof(*w));
	char msg[256];

	if (!w)
		return rb_profile_nomem(ld);
	p->workloads = w;
	w += p->n_workloads;
	w->config = calloc(1, ops->config_size ? ops->config_size : 1);
	if (!w->config)
		return rb_profile_nomem(ld);
	p->n_workloads++;
	(void)snprintf(w->name, sizeof(w->name), "%s", s->name + strlen(WORKLOAD_PREFIX));
	w->ops = ops;
	rb_origin_format(&s->at, w->where, sizeof(w->where));
	if (rb_options_defaults(spec_opts, c, p->memory, msg, sizeof(msg)) ||
	    rb_options_defaults(ops->options, w->config, p->memory, msg, sizeof(msg)))
		return rb_profile_fail(ld, &s->at, "[%s]: %s", s->name, msg);
	c->node = RB_NODE_ALL;
	return 0;
}

static int resolve_workload(struct rb_load *ld, struct rb_profile *p,
			    const struct rb_raw_section *s)
{
	const struct rb_workload_ops *ops;
	struct rb_workload_spec *w;
	struct spec_cfg c;
	int rc = workload_type(ld, s, &ops);

	if (rc == 0)
		rc = new_spec(ld, p, s, ops, &c);
	if (rc)
		return rc;
	w = &p->workloads[p->n_workloads - 1];
	for (size_t i = 0; i < ld->n_ents && rc == 0; i++)
		if (is_section(&ld->ents[i], s->name))
			rc = workload_entry(ld, p, w, &c, &ld->ents[i]);
	if (rc == 0)
		rc = check_times(ld, p, s, &c);
	if (rc == 0)
		copy_spec(w, &c);
	return rc;
}

static int resolve_variant(struct rb_load *ld, struct rb_profile *p,
			   const struct rb_raw_section *s)
{
	struct rb_variant_info *v = push(p->variants, p->n_variants, sizeof(*v));
	const struct rb_raw_entry *d = rb_profile_entry(ld, s->name, "description");
	int rc = 0;

	if (!v)
		return rb_profile_nomem(ld);
	p->variants = v;
	v += p->n_variants;
	(void)snprintf(v->name, sizeof(v->name), "%s", s->name + strlen(VARIANT_PREFIX));
	if (d)
		rc = set_text(ld, v->description, sizeof(v->description), d);
	if (rc == 0)
		p->n_variants++;
	return rc;
}

static int resolve_sections(struct rb_load *ld, struct rb_profile *p)
{
	struct rb_origin at = { ld->path, 0, false };
	int rc = 0;

	for (size_t i = 0; i < ld->n_secs && rc == 0; i++) {
		const struct rb_raw_section *s = &ld->secs[i];
		if (!strncmp(s->name, WORKLOAD_PREFIX, strlen(WORKLOAD_PREFIX)))
			rc = resolve_workload(ld, p, s);
		else if (!strncmp(s->name, VARIANT_PREFIX, strlen(VARIANT_PREFIX)))
			rc = resolve_variant(ld, p, s);
	}
	if (rc == 0 && p->n_workloads == 0)
		rc = rb_profile_fail(ld, &at, "no [workload:NAME] section (a profile runs at "
				     "least one workload)");
	return rc;
}

int rb_profile_resolve(struct rb_load *ld, struct rb_profile *p)
{
	int rc = resolve_profile(ld, p);

	if (rc == 0)
		rc = resolve_settings(ld, p);
	if (rc == 0)
		rc = rb_profile_resolve_swap(ld, p);
	if (rc == 0)
		rc = resolve_sections(ld, p);
	if (rc == 0)
		rc = rb_profile_check_refs(ld, p);
	return rc;
}

/* Every option of a table but `skip` as "name = value" lines. */
static void write_options(FILE *f, const struct rb_option *t, const void *cfg,
			  const char *skip)
{
	char buf[RB_OPT_STRLEN + 64];

	for (; t->name; t++) {
		if (skip && !strcmp(t->name, skip))
			continue;
		rb_option_format(t, cfg, buf, sizeof(buf));
		(void)fprintf(f, "%s = %s\n", t->name, buf);
	}
}

static void write_profile(const struct rb_profile *p, FILE *f)
{
	struct profile_cfg c = {
		.mode = p->mode == RB_MODE_GLOBAL, .memory = p->memory,
		.memory_high = p->memory_high, .duration = p->duration_ns,
		.baseline = p->baseline_ns, .worker_interval = p->worker_interval_ns,
		.rewarm_factor = p->rewarm_factor,
		.watchdog_memavail = p->watchdog_memavail, .sample_rate = p->sample_hz,
		.watchdog_psi_full = p->watchdog_psi_full, .seed = (int64_t)p->seed,
		.settle = p->settle,
	};

	memcpy(c.rewarm_watch, p->rewarm_watch, sizeof(c.rewarm_watch));
	memcpy(c.rewarm_after, p->rewarm_after, sizeof(c.rewarm_after));
	(void)fprintf(f, "[profile]\ndescription =%s%s\n", p->description[0] ? " " : "",
		      p->description);
	write_options(f, profile_opts, &c, NULL);
	for (size_t i = 0; i < p->n_expects; i++)
		(void)fprintf(f, "expect = %s\n", p->expects[i].text);
}

static void write_settings(FILE *f, const char *section, const struct rb_setting *s, size_t n)
{
	if (n)
		(void)fprintf(f, "\n[%s]\n", section);
	for (size_t i = 0; i < n; i++)
		(void)fprintf(f, "%s = %s\n", s[i].key, s[i].value);
}

static void write_workload(const struct rb_workload_spec *w, FILE *f)
{
	struct spec_cfg c = {
		.node = w->node, .instances = w->instances, .oom_score_adj = w->oom_score_adj,
		.start = w->start_ns, .stop = w->stop_ns,
	};

	(void)fprintf(f, "\n[workload:%s]\ntype = %s\n", w->name, w->ops->name);
	if (w->node == RB_NODE_ALL)
		(void)fprintf(f, "node = all\n");
	write_options(f, spec_opts, &c, w->node == RB_NODE_ALL ? "node" : NULL);
	write_options(f, w->ops->options, w->config, NULL);
}

int rb_profile_write_resolved(const struct rb_profile *p, FILE *f)
{
	(void)fprintf(f, "; profile %s%s%s as resolved: every option, defaults included\n",
		      p->name, p->variant[0] ? ", variant " : "", p->variant);
	write_profile(p, f);
	write_settings(f, "sysctl", p->sysctls, p->n_sysctls);
	write_settings(f, "thp", p->thp, p->n_thp);
	rb_profile_write_swap(p, f);
	for (size_t i = 0; i < p->n_workloads; i++)
		write_workload(&p->workloads[i], f);
	if (fflush(f) != 0)
		return -errno;
	return ferror(f) ? -EIO : 0;
}
