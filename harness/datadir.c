/* datadir.c - the search path of reclaimbench's data directories (see
 * datadir.h). */
#include "datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Directory of the running executable into buf; false if unknown. */
static bool exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return false;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return slash != NULL;
}

bool rb_datadir_candidate(const char *env, const char *sub, int i, char *buf, size_t len)
{
	const char *value = getenv(env);
	char exe[PATH_MAX];

	switch (i) {
	case 0:
		return value && *value && (size_t)snprintf(buf, len, "%s", value) < len;
	case 1:
		return (size_t)snprintf(buf, len, "%s", sub) < len;
	case 2:
		return exe_dir(exe, sizeof(exe)) &&
		       (size_t)snprintf(buf, len, "%s/%s", exe, sub) < len;
	case 3:
		return exe_dir(exe, sizeof(exe)) &&
		       (size_t)snprintf(buf, len, "%s/../share/reclaimbench/%s", exe, sub) < len;
	case 4:
		return (size_t)snprintf(buf, len, "%s/%s", RB_DATADIR, sub) < len;
	default:
		return false;
	}
}
