/* compare_key.c - the comparability key a run records in meta.json and
 * `compare` checks: two runs are comparable when they ran the same profile
 * file (hashed as written, without the variant or --set overrides, which
 * are what an A/B comparison varies) on the same kernel and the same kind
 * of machine, for the same time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "compare.h"
#include "machine.h"

/* FNV-1a 64, as meta.json's profile hash. */
static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

/* Hash and memory of the profile file as written; "" / 0 if it no longer loads. */
static void base_profile(const struct rb_profile *p, char *hash, size_t len, uint64_t *memory)
{
	struct rb_profile *base = NULL;
	char err[1024], *text = NULL;
	size_t n = 0;
	FILE *f;

	hash[0] = '\0';
	*memory = 0;
	if (rb_profile_load(p->path, NULL, &base, err, sizeof(err)) != 0)
		return;
	f = open_memstream(&text, &n);
	if (f) {
		(void)rb_profile_write_resolved(base, f);
		(void)fclose(f);
		(void)snprintf(hash, len, "%016llx",
			       (unsigned long long)fnv1a(text ? text : "", n));
	}
	*memory = base->memory;
	free(text);
	rb_profile_free(base);
}

/* "model name" of the first CPU in /proc/cpuinfo. */
static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];

	(void)snprintf(buf, len, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (strncmp(line, "model name", 10) != 0 || !colon)
			continue;
		colon += 1 + strspn(colon + 1, " \t");
		colon[strcspn(colon, "\n")] = '\0';
		(void)snprintf(buf, len, "%s", colon);
		break;
	}
	if (f)
		(void)fclose(f);
}

/* MemTotal from /proc/meminfo, in GiB rounded to the nearest. */
static long long mem_total_gib(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	unsigned long long kb = 0;
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	if (f)
		(void)fclose(f);
	return llround((double)kb / (1024.0 * 1024.0));
}

static struct json_object *machine_key(void)
{
	struct json_object *m = json_object_new_object();
	char model[256];

	if (!m)
		return NULL;
	cpu_model(model, sizeof(model));
	json_object_object_add(m, "cpu_model", json_object_new_string(model));
	json_object_object_add(m, "mem_total_gib", json_object_new_int64(mem_total_gib()));
	json_object_object_add(m, "numa_nodes", json_object_new_int(rb_machine_node_count()));
	return m;
}

struct json_object *rb_compare_key(const struct rb_profile *p)
{
	struct json_object *k = json_object_new_object();
	struct utsname u;
	char hash[24];
	uint64_t memory;

	if (!k)
		return NULL;
	base_profile(p, hash, sizeof(hash), &memory);
	json_object_object_add(k, "profile", json_object_new_string(p->name));
	json_object_object_add(k, "profile_base_hash", json_object_new_string(hash));
	json_object_object_add(k, "kernel", json_object_new_string(
		uname(&u) == 0 ? u.release : "unknown"));
	json_object_object_add(k, "memory_bytes", json_object_new_int64((int64_t)memory));
	json_object_object_add(k, "duration_s",
			       json_object_new_double((double)p->duration_ns / 1e9));
	json_object_object_add(k, "machine", machine_key());
	return k;
}

static const char *text_of(struct json_object *o)
{
	return o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "(missing)";
}

static struct json_object *field_of(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return o && json_object_is_type(o, json_type_object) &&
	       json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static bool same(struct json_object *a, struct json_object *b)
{
	return a && b && strcmp(text_of(a), text_of(b)) == 0;
}

/* First difference under prefix: the fields of a in order, then any field
 * only b has. */
static int diff_object(struct json_object *a, struct json_object *b, const char *prefix,
		       char *field, size_t flen, char *va, char *vb, size_t vlen)
{
	json_object_object_foreach(a, key, av) {
		struct json_object *bv = field_of(b, key);
		if (same(av, bv))
			continue;
		(void)snprintf(field, flen, "%s%s", prefix, key);
		(void)snprintf(va, vlen, "%s", text_of(av));
		(void)snprintf(vb, vlen, "%s", text_of(bv));
		if (av && bv && json_object_is_type(av, json_type_object) &&
		    json_object_is_type(bv, json_type_object)) {
			char sub[128];
			(void)snprintf(sub, sizeof(sub), "%s%s.", prefix, key);
			return diff_object(av, bv, sub, field, flen, va, vb, vlen);
		}
		return 1;
	}
	json_object_object_foreach(b, bkey, bval) {
		if (field_of(a, bkey))
			continue;
		(void)snprintf(field, flen, "%s%s", prefix, bkey);
		(void)snprintf(va, vlen, "(missing)");
		(void)snprintf(vb, vlen, "%s", text_of(bval));
		return 1;
	}
	return 0;
}

int rb_compare_key_diff(struct json_object *a, struct json_object *b, char *field,
			size_t flen, char *va, char *vb, size_t vlen)
{
	bool oa = a && json_object_is_type(a, json_type_object);
	bool ob = b && json_object_is_type(b, json_type_object);

	if (!oa || !ob) {
		(void)snprintf(field, flen, "comparability");
		(void)snprintf(va, vlen, "%s", oa ? "(recorded)" : "(missing)");
		(void)snprintf(vb, vlen, "%s", ob ? "(recorded)" : "(missing)");
		return 1;
	}
	return diff_object(a, b, "", field, flen, va, vb, vlen);
}
