/* profile_check.c - checks of [profile] keys that name workloads, made once
 * every section is resolved (the order of sections in the file is free). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "profile_priv.h"

static const struct rb_origin *where(struct rb_load *ld, const char *key)
{
	static struct rb_origin file_only;
	const struct rb_raw_entry *e = rb_profile_entry(ld, "profile", key);

	file_only = (struct rb_origin){ ld->path, 0, false };
	return e ? &e->at : &file_only;
}

static bool has_hist(const struct rb_workload_ops *ops, const char *op)
{
	for (size_t i = 0; ops->hist_names && ops->hist_names[i]; i++)
		if (!strcmp(ops->hist_names[i], op))
			return true;
	return false;
}

static int check_watch(struct rb_load *ld, const struct rb_profile *p)
{
	char name[RB_OPT_STRLEN];
	const char *dot = strrchr(p->rewarm_watch, '.');
	const struct rb_workload_spec *s;

	if (!dot)
		return rb_profile_fail(ld, where(ld, "rewarm_watch"), "rewarm_watch '%s' is not "
				       "WORKLOAD.OP (expected e.g. ws.access)", p->rewarm_watch);
	(void)snprintf(name, sizeof(name), "%.*s", (int)(dot - p->rewarm_watch), p->rewarm_watch);
	s = rb_profile_workload(p, name);
	if (!s)
		return rb_profile_fail(ld, where(ld, "rewarm_watch"), "rewarm_watch names no "
				       "workload '%s'", name);
	if (!has_hist(s->ops, dot + 1))
		return rb_profile_fail(ld, where(ld, "rewarm_watch"), "rewarm_watch: %s has no "
				       "histogram '%s'", s->ops->name, dot + 1);
	return 0;
}

int rb_profile_check_refs(struct rb_load *ld, const struct rb_profile *p)
{
	bool watch = p->rewarm_watch[0], after = p->rewarm_after[0];

	if (watch != after)
		return rb_profile_fail(ld, where(ld, watch ? "rewarm_watch" : "rewarm_after"),
				       "rewarm_watch and rewarm_after go together (expected both "
				       "or neither)");
	if (!watch)
		return 0;
	if (!rb_profile_workload(p, p->rewarm_after))
		return rb_profile_fail(ld, where(ld, "rewarm_after"), "rewarm_after names no "
				       "workload '%s'", p->rewarm_after);
	return check_watch(ld, p);
}
