/* profile_override.c - loading a profile, between reading and resolving:
 * the overrides of the chosen [variant:NAME] ("TARGET.key = value") and of
 * each --set "TARGET.key=value" replace or add raw entries. TARGET is
 * profile, sysctl (then the key is vm.NAME), thp, swap or a workload name; the
 * first profile.expect of a variant, or of the --set list, replaces every
 * expect line before it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_priv.h"
#include "workloads.h"

/* "hog.size" -> section "workload:hog", *key "size"; "sysctl.vm.x" ->
 * "sysctl", "vm.x". Fails naming the accepted forms. */
static int override_target(struct rb_load *ld, const char *tk, const struct rb_origin *at,
			   char *sec, size_t len, const char **key)
{
	const char *dot = strchr(tk, '.');
	char names[512];

	if (!dot || dot == tk || !dot[1])
		return rb_profile_fail(ld, at, "bad override '%s' (expected TARGET.key: "
				       "profile.KEY, sysctl.vm.NAME, thp.KEY, swap.KEY or "
				       "WORKLOAD.KEY)", tk);
	*key = dot + 1;
	(void)snprintf(sec, len, "%.*s", (int)(dot - tk), tk);
	if (!strcmp(sec, "profile") || !strcmp(sec, "sysctl") || !strcmp(sec, "thp") ||
	    !strcmp(sec, "swap"))
		return 0;
	(void)snprintf(sec, len, "workload:%.*s", (int)(dot - tk), tk);
	if (strlen(sec) < len - 1 && rb_profile_section(ld, sec))
		return 0;
	rb_profile_list_sections(ld, "workload:", names, sizeof(names));
	return rb_profile_fail(ld, at, "unknown target '%.*s' in '%s' (expected profile, sysctl, "
			       "thp, swap or a workload: %s)", (int)(dot - tk), tk, tk,
			       names[0] ? names : "none defined");
}

/* The workload type a variant gives `target` (section "workload:T"): its own
 * "T.type" override, else the base file's type. NULL if unknown. */
static const struct rb_workload_ops *variant_type(struct rb_load *ld, const char *vsec,
						  const char *wsec)
{
	char key[RB_NAME_MAX + 32];
	const struct rb_raw_entry *e;

	(void)snprintf(key, sizeof(key), "%s.type", wsec + strlen("workload:"));
	e = rb_profile_entry(ld, vsec, key);
	if (!e)
		e = rb_profile_entry(ld, wsec, "type");
	return e ? rb_workload_find(e->value) : NULL;
}

int rb_profile_check_override(struct rb_load *ld, const struct rb_raw_entry *e)
{
	const struct rb_workload_ops *ops = NULL;
	char sec[RB_NAME_MAX + 16];
	const char *key;
	int rc;

	if (strcmp(e->key, "description") == 0)
		return 0;
	rc = override_target(ld, e->key, &e->at, sec, sizeof(sec), &key);
	if (rc == 0 && !strcmp(sec, "sysctl"))
		return rb_profile_check_sysctl(ld, key, false, &e->at);
	if (rc == 0 && strncmp(sec, "workload:", 9) == 0)
		ops = variant_type(ld, e->section, sec);
	if (rc == 0)
		rc = rb_profile_check_key(ld, sec, key, ops, &e->at);
	return rc;
}

/* Drop every sec.key entry. A dropped entry keeps its slot with section
 * NULL (which every lookup skips), so indices stay valid while a variant's
 * entries are being applied. */
static void drop_entries(struct rb_load *ld, const char *sec, const char *key)
{
	for (size_t i = 0; i < ld->n_ents; i++) {
		struct rb_raw_entry *e = &ld->ents[i];
		if (e->section && !strcmp(e->section, sec) && !strcmp(e->key, key)) {
			free(e->section);
			e->section = NULL;
		}
	}
}

/* Replace or add sec.key = value. The first profile.expect of an override
 * batch drops every expect before it; later ones add. */
static int apply_override(struct rb_load *ld, const char *sec, const char *key,
			  const char *value, const struct rb_origin *at, bool *expects_reset)
{
	struct rb_raw_entry *e;
	char *v;

	if (!strcmp(sec, "profile") && !strcmp(key, "expect")) {
		if (!*expects_reset)
			drop_entries(ld, sec, key);
		*expects_reset = true;
		return rb_profile_add_entry(ld, sec, key, value, at) ? rb_profile_nomem(ld) : 0;
	}
	e = rb_profile_entry(ld, sec, key);
	if (!e)
		return rb_profile_add_entry(ld, sec, key, value, at) ? rb_profile_nomem(ld) : 0;
	v = strdup(value);
	if (!v)
		return rb_profile_nomem(ld);
	free(e->value);
	e->value = v;
	e->at = *at;
	return 0;
}

/* Entries are reached by index, as applying one may move the array; the
 * key and value strings themselves do not move. */
static int apply_variant_entries(struct rb_load *ld, const char *vsec)
{
	size_t n = ld->n_ents;
	bool reset = false;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		char sec[RB_NAME_MAX + 16];
		const char *key, *value = ld->ents[i].value;
		struct rb_origin at = ld->ents[i].at;

		if (!ld->ents[i].section || strcmp(ld->ents[i].section, vsec) ||
		    !strcmp(ld->ents[i].key, "description"))
			continue;
		rc = override_target(ld, ld->ents[i].key, &at, sec, sizeof(sec), &key);
		if (rc == 0)
			rc = apply_override(ld, sec, key, value, &at, &reset);
	}
	return rc;
}

int rb_profile_apply_variant(struct rb_load *ld, const char *variant)
{
	struct rb_origin at = { ld->path, 0, false };
	char vsec[RB_NAME_MAX + 16], names[512];

	if (!variant || !strcmp(variant, "base"))
		return 0;
	(void)snprintf(vsec, sizeof(vsec), "variant:%s", variant);
	if (strlen(variant) < RB_NAME_MAX && rb_profile_section(ld, vsec))
		return apply_variant_entries(ld, vsec);
	rb_profile_list_sections(ld, "variant:", names, sizeof(names));
	if (!names[0])
		return rb_profile_fail(ld, &at, "unknown variant '%s' (this profile has no "
				       "variants)", variant);
	return rb_profile_fail(ld, &at, "unknown variant '%s' (known: %s)", variant, names);
}

/* Copy [p, p+n) without surrounding blanks into buf. False if it does not fit. */
static bool copy_trimmed(char *buf, size_t len, const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n >= len)
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return true;
}

/* One --set "TARGET.key=value". */
static int apply_set(struct rb_load *ld, const char *arg, bool *reset)
{
	struct rb_origin at = { arg, 0, true };
	const char *eq = strchr(arg, '=');
	char tk[256], value[256], sec[RB_NAME_MAX + 16];
	const char *key;
	int rc;

	if (!eq || !copy_trimmed(tk, sizeof(tk), arg, (size_t)(eq - arg)) || !tk[0])
		return rb_profile_fail(ld, &at, "expected section.key=value (e.g. "
				       "profile.duration=10s, sysctl.vm.swappiness=10, "
				       "hog.size=2G)");
	if (!copy_trimmed(value, sizeof(value), eq + 1, strlen(eq + 1)))
		return rb_profile_fail(ld, &at, "value too long (at most %zu characters)",
				       sizeof(value) - 1);
	rc = override_target(ld, tk, &at, sec, sizeof(sec), &key);
	if (rc == 0)
		rc = apply_override(ld, sec, key, value, &at, reset);
	return rc;
}

int rb_profile_apply_sets(struct rb_load *ld, const struct rb_profile_overrides *ov)
{
	bool reset = false;
	int rc = 0;

	for (size_t i = 0; ov && i < ov->n_sets && rc == 0; i++)
		rc = apply_set(ld, ov->sets[i], &reset);
	return rc;
}

