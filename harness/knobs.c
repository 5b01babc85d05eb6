/* knobs.c - kernel settings changed through the journal: vm sysctls and
 * transparent hugepage knobs. Each write first reads the current value and
 * journals it, so the journal can always put it back.
 *
 * Roots can be moved for tests: $RECLAIMBENCH_PROC_SYS (default /proc/sys)
 * and $RECLAIMBENCH_SYSFS (default /sys). */
#include "knobs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KNOB_MAX   4096 /* knob files are small; anything bigger is not one */
#define SYSCTL_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"
#define THP_DIR    "/kernel/mm/transparent_hugepage/"

/* THP knob names and their files under THP_DIR. */
static const struct {
	const char *knob, *file;
} thp_knobs[] = {
	{ "enabled", "enabled" },
	{ "defrag", "defrag" },
	{ "shmem_enabled", "shmem_enabled" },
	{ "use_zero_page", "use_zero_page" },
	{ "khugepaged.defrag", "khugepaged/defrag" },
};

static const char *env_root(const char *name, const char *fallback)
{
	const char *root = getenv(name);

	return root && *root ? root : fallback;
}

/* Read a small file into buf (NUL-terminated). Returns 0 or -errno;
 * -EFBIG if it does not fit. */
static int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;
	size_t len = 0;
	ssize_t n = 1;
	char more;

	if (fd < 0)
		return -errno;
	while (n > 0 && len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			n = 1;
		else if (n < 0)
			ret = -errno;
		else
			len += (size_t)n;
	}
	if (!ret && len == size - 1 && read(fd, &more, 1) > 0)
		ret = -EFBIG;
	(void)close(fd);
	buf[len] = '\0';
	return ret;
}

int rb_knob_read(const char *path, char *out, size_t len)
{
	char buf[KNOB_MAX], *start, *end;
	int ret = read_small(path, buf, sizeof(buf));

	if (ret)
		return ret;
	start = strchr(buf, '[');
	end = start ? strchr(start, ']') : NULL;
	if (start && end) {
		start++;
	} else {
		start = buf;
		end = buf + strlen(buf);
		while (isspace((unsigned char)*start))
			start++;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
	}
	if ((size_t)(end - start) >= len)
		return -ERANGE;
	memcpy(out, start, (size_t)(end - start));
	out[end - start] = '\0';
	return 0;
}

/* One write of value + "\n", as sysfs and procfs files want it. */
int rb_knob_set(const char *path, const char *value)
{
	char buf[KNOB_MAX];
	int len = snprintf(buf, sizeof(buf), "%s\n", value), fd, ret = 0;
	ssize_t n;

	if (len >= (int)sizeof(buf))
		return -E2BIG;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, (size_t)len);
	if (n < 0)
		ret = -errno;
	else if (n != len)
		ret = -EIO;
	(void)close(fd);
	return ret;
}

int rb_knob_write(struct rb_journal *j, const char *path, const char *value,
		  char *err, size_t errlen)
{
	char old[KNOB_MAX];
	int ret = rb_knob_read(path, old, sizeof(old));

	if (ret) {
		(void)snprintf(err, errlen, "cannot read %s: %s", path, strerror(-ret));
		return ret;
	}
	ret = rb_journal_write(j, path, old);
	if (ret) {
		(void)snprintf(err, errlen, "cannot journal %s: %s", path, strerror(-ret));
		return ret;
	}
	ret = rb_knob_set(path, value);
	if (ret) /* the record stays: writing the old value back is harmless */
		(void)snprintf(err, errlen, "cannot write %s to %s: %s", value, path,
			       strerror(-ret));
	return ret;
}

int rb_sysctl_path(const char *key, char *path, size_t len)
{
	const char *name = key ? key + 3 : NULL;

	if (!key || strncmp(key, "vm.", 3) || !*name || strspn(name, SYSCTL_CHARS) != strlen(name))
		return -EINVAL;
	if (snprintf(path, len, "%s/vm/%s", env_root("RECLAIMBENCH_PROC_SYS", "/proc/sys"),
		     name) >= (int)len)
		return -ENAMETOOLONG;
	return access(path, F_OK) ? -ENOENT : 0;
}

int rb_thp_path(const char *knob, char *path, size_t len)
{
	for (size_t i = 0; knob && i < sizeof(thp_knobs) / sizeof(thp_knobs[0]); i++) {
		if (strcmp(knob, thp_knobs[i].knob))
			continue;
		if (snprintf(path, len, "%s" THP_DIR "%s", env_root("RECLAIMBENCH_SYSFS", "/sys"),
			     thp_knobs[i].file) >= (int)len)
			return -ENAMETOOLONG;
		return 0;
	}
	return -EINVAL;
}

/* vm.dirty_ratio and vm.dirty_bytes are one limit in two forms: writing
 * either zeroes the other, and the one not in force reads 0. Undo must
 * therefore write the ratio first and the bytes last: if the ratio was in
 * force, the ratio write restores it and the bytes write of 0 (which the
 * kernel refuses) finds the file already at 0, which counts as done; if the
 * bytes were in force, the ratio write of 0 clears them and the bytes write
 * puts them back. The journal replays newest first, so both are journaled,
 * bytes before ratio. Same for the background pair. */
static const char *const dirty_pairs[][2] = {
	{ "vm.dirty_ratio", "vm.dirty_bytes" },
	{ "vm.dirty_background_ratio", "vm.dirty_background_bytes" },
};

/* Journal both knobs of key's pair; 1 if key is in a pair, 0 if not, -errno. */
static int journal_pair(struct rb_journal *j, const char *key, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(dirty_pairs) / sizeof(dirty_pairs[0]); i++) {
		char path[2][PATH_MAX], old[2][KNOB_MAX];
		int ret = 0;
		if (strcmp(key, dirty_pairs[i][0]) && strcmp(key, dirty_pairs[i][1]))
			continue;
		for (int k = 0; k < 2 && !ret; k++)
			ret = rb_sysctl_path(dirty_pairs[i][k], path[k], sizeof(path[k])) ||
			      rb_knob_read(path[k], old[k], sizeof(old[k]));
		if (ret)
			return 0; /* a kernel without the pair: journal key alone */
		ret = rb_journal_write(j, path[1], old[1]);	/* bytes: replayed last */
		if (!ret)
			ret = rb_journal_write(j, path[0], old[0]);	/* ratio: first */
		if (ret)
			(void)snprintf(err, errlen, "cannot journal %s: %s", key, strerror(-ret));
		return ret ? ret : 1;
	}
	return 0;
}

int rb_sysctl_apply(struct rb_journal *j, const char *key, const char *value,
		    char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret = rb_sysctl_path(key, path, sizeof(path));

	if (ret == -EINVAL)
		(void)snprintf(err, errlen, "invalid sysctl key '%s': only vm.<name> keys "
			       "made of [a-z0-9_] can be set", key ? key : "");
	else if (ret == -ENOENT)
		(void)snprintf(err, errlen, "unknown sysctl %s on this kernel", key);
	else if (ret)
		(void)snprintf(err, errlen, "sysctl %s: %s", key, strerror(-ret));
	else if ((ret = journal_pair(j, key, err, errlen)) == 0)
		ret = rb_knob_write(j, path, value, err, errlen);
	else if (ret == 1 && (ret = rb_knob_set(path, value)) != 0)
		(void)snprintf(err, errlen, "cannot write %s to %s: %s", value, path,
			       strerror(-ret));
	return ret;
}

int rb_thp_apply(struct rb_journal *j, const char *knob, const char *value,
		 char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret = rb_thp_path(knob, path, sizeof(path));

	if (ret == -EINVAL)
		(void)snprintf(err, errlen, "unknown THP knob '%s' (enabled, defrag, "
			       "shmem_enabled, use_zero_page, khugepaged.defrag)",
			       knob ? knob : "");
	else if (ret)
		(void)snprintf(err, errlen, "THP knob %s: %s", knob, strerror(-ret));
	else
		ret = rb_knob_write(j, path, value, err, errlen);
	return ret;
}
