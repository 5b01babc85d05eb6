/* results.c - results directories and their JSON files (see include/results.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "results.h"

void rb_utc_iso(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	(void)strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return false;
	while (empty && (e = readdir(d)))
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(d);
	return empty;
}

/* mkdir -p for the parents of path, then path itself. */
static int make_dirs(const char *path)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -errno : 0;
}

static void default_dir(const struct rb_profile *p, char *dir, size_t len)
{
	const char *root = getenv("RECLAIMBENCH_RESULTS");
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	(void)strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	(void)snprintf(dir, len, "%s/%s%s%s-%s", root && *root ? root : "results", p->name,
		       p->variant[0] ? "-" : "", p->variant, stamp);
}

int rb_results_create(const char *out, const struct rb_profile *p, char *dir, size_t len,
		      char *err, size_t errlen)
{
	char lat[PATH_MAX + 16];
	int rc;

	if (out)
		(void)snprintf(dir, len, "%s", out);
	else
		default_dir(p, dir, len);
	if (access(dir, F_OK) == 0 && !dir_is_empty(dir)) {
		(void)snprintf(err, errlen, "%s exists and is not empty; choose another --out", dir);
		return -EEXIST;
	}
	(void)snprintf(lat, sizeof(lat), "%s/latency", dir);
	rc = make_dirs(lat);
	if (rc)
		(void)snprintf(err, errlen, "cannot create %s: %s", lat, strerror(-rc));
	return rc;
}

int rb_json_save(const char *dir, const char *name, struct json_object *obj)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	const char *text = json_object_to_json_string_ext(
		obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	FILE *f;
	int rc = 0;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	if (fputs(text, f) < 0 || fputc('\n', f) < 0)
		rc = -EIO;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = rc ? rc : -errno;
	if (fclose(f) != 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) != 0)
		rc = -errno;
	if (rc)
		(void)unlink(tmp);
	return rc;
}

struct json_object *rb_json_load(const char *dir, const char *name)
{
	char path[PATH_MAX];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	return json_object_from_file(path);
}

static int write_hist(const char *dir, const char *worker, const char *op,
		      const struct rb_hist *live)
{
	char path[PATH_MAX], name[256];
	struct rb_hist *copy = malloc(sizeof(*copy));
	FILE *f;
	int rc;

	if (!copy)
		return -ENOMEM;
	rb_hist_snapshot(live, copy);
	(void)snprintf(path, sizeof(path), "%s/latency/%s-%s.hist", dir, worker, op);
	(void)snprintf(name, sizeof(name), "%s.%s", worker, op);
	f = fopen(path, "we");
	rc = f ? rb_hist_write(copy, f, name) : -errno;
	if (f && fclose(f) != 0 && !rc)
		rc = -errno;
	free(copy);
	return rc;
}

int rb_results_write_hists(const char *dir, const struct rb_proc *procs, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		const char *const *ops = procs[i].w.ops->hist_names;
		for (size_t h = 0; ops && ops[h] && h < RB_MAX_HISTS; h++) {
			int r = write_hist(dir, procs[i].name, ops[h], &procs[i].w.shm->hist[h]);
			rc = rc ? rc : r;
		}
	}
	return rc;
}

int rb_results_mark(const char *dir, const char *status, const char *reason)
{
	struct json_object *meta = rb_json_load(dir, "meta.json");
	char when[32];
	int rc;

	if (!meta)
		return -ENOENT;
	rb_utc_iso(when, sizeof(when));
	json_object_object_add(meta, "status", json_object_new_string(status));
	json_object_object_add(meta, "status_reason", json_object_new_string(reason));
	if (!json_object_object_get_ex(meta, "end", NULL))
		json_object_object_add(meta, "end", json_object_new_string(when));
	rc = rb_json_save(dir, "meta.json", meta);
	json_object_put(meta);
	return rc;
}
