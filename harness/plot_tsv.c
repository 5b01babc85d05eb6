/* plot_tsv.c - the results TSV files as the plotter sees them: column names
 * from the header (units included, e.g. "meminfo.MemFree[kB]"), whether
 * a column holds any number at all, and unit factors between columns and
 * a figure's axis. Columns are always found by name, never by position. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot.h"

/* Split a header line (newline stripped) on tabs into t->names. */
static int split_header(char *line, struct rb_tsv *t)
{
	size_t cap = 1;

	for (const char *p = line; *p; p++)
		cap += *p == '\t';
	t->names = calloc(cap, sizeof(*t->names));
	t->has_data = calloc(cap, sizeof(*t->has_data));
	if (!t->names || !t->has_data)
		return -ENOMEM;
	for (char *p = line; p; t->n++) {
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		t->names[t->n] = strdup(p);
		if (!t->names[t->n])
			return -ENOMEM;
		p = tab ? tab + 1 : NULL;
	}
	return t->n > 1 || t->names[0][0] ? 0 : -EINVAL;
}

/* A field that holds a finite number ("NaN", "" and words do not). */
static bool is_number(const char *s)
{
	char *end;
	double v;

	if (!*s)
		return false;
	v = strtod(s, &end);
	return end != s && (*end == '\0' || *end == '\n') && isfinite(v);
}

/* Mark the columns that have a number in this data row. */
static void scan_row(char *line, struct rb_tsv *t)
{
	size_t i = 0;
	char *p = line;

	while (p && i < t->n) {
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		if (!t->has_data[i] && is_number(p))
			t->has_data[i] = true;
		p = tab ? tab + 1 : NULL;
		i++;
	}
	t->rows++;
}

static void strip_newline(char *s, ssize_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

int rb_tsv_load(const char *path, struct rb_tsv *t)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc;

	memset(t, 0, sizeof(*t));
	if (!f)
		return -errno;
	n = getline(&line, &cap, f);
	if (n <= 0) {
		rc = -EINVAL;
		goto out;
	}
	strip_newline(line, n);
	rc = split_header(line, t);
	while (rc == 0 && (n = getline(&line, &cap, f)) > 0)
		scan_row(line, t);
out:
	free(line);
	(void)fclose(f);
	if (rc)
		rb_tsv_free(t);
	return rc;
}

int rb_tsv_column(const struct rb_tsv *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->names[i], name) == 0)
			return (int)i;
	return -ENOENT;
}

void rb_tsv_free(struct rb_tsv *t)
{
	for (size_t i = 0; t->names && i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	free(t->has_data);
	memset(t, 0, sizeof(*t));
}

/* The unit inside a column's trailing "[...]" into buf; false if none. */
static bool column_unit(const char *column, char *buf, size_t len)
{
	const char *open = strrchr(column, '[');
	size_t n = strlen(column);

	if (!open || n == 0 || column[n - 1] != ']')
		return false;
	n = (size_t)(column + n - 1 - open - 1);
	if (n == 0 || n >= len)
		return false;
	memcpy(buf, open + 1, n);
	buf[n] = '\0';
	return true;
}

int rb_plot_unit_factor(const char *column, const char *to, double *factor)
{
	char unit[32];

	if (!column_unit(column, unit, sizeof(unit)))
		return -EINVAL;
	if (strcmp(unit, to) == 0)
		*factor = 1.0;
	else if (strcmp(to, "MiB") == 0 && strcmp(unit, "kB") == 0)
		*factor = 1.0 / 1024.0;
	else if (strcmp(to, "MiB") == 0 && strcmp(unit, "bytes") == 0)
		*factor = 1.0 / (1024.0 * 1024.0);
	else if (strcmp(to, "MiB") == 0 && strcmp(unit, "pages") == 0)
		*factor = (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
	else
		return -EINVAL;
	return 0;
}
