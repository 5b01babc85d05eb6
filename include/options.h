/* options.h - option tables: one table per workload describes every option
 * (name, type, where it is stored, bounds, default, help). The same table
 * feeds the INI profile parser, `--set key=value` overrides and `list`. */
#ifndef RB_OPTIONS_H
#define RB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RB_OPT_STRLEN 128

enum rb_opt_type {
	RB_OPT_INT,      /* int64_t */
	RB_OPT_DOUBLE,   /* double */
	RB_OPT_SIZE,     /* uint64_t bytes; accepts 4K, 512M, 40%, 2x (of profile memory) */
	RB_OPT_DURATION, /* uint64_t nanoseconds; accepts 500ms, 60s, 5m */
	RB_OPT_BOOL,     /* bool; yes/no, true/false, on/off, 1/0 */
	RB_OPT_ENUM,     /* int: index into the '|'-separated `choices` */
	RB_OPT_STRING,   /* char[RB_OPT_STRLEN] */
};

/* One option. Bounds are in the stored unit (bytes, ns, plain number) and are
 * ignored when min == max == 0. `def` is text parsed like a profile value
 * (NULL: zero / empty). */
struct rb_option {
	const char *name;
	enum rb_opt_type type;
	size_t offset;       /* offsetof(config struct, field) */
	double min, max;
	const char *def;
	const char *help;
	const char *choices; /* RB_OPT_ENUM only: "none|dontneed|noreuse" */
};

/* Tables end with an entry whose name is NULL. */
#define RB_OPTION_END { .name = NULL }

/* Find an option by name; NULL if the table has none. */
const struct rb_option *rb_option_find(const struct rb_option *table, const char *name);

/* Parse `value` and store it into config. `memory` is the base for "40%" and
 * "2x" sizes. On error returns -EINVAL or -ERANGE and writes a message that
 * names the expected form into err (e.g. "bad size 'x' (expected ...)"). */
int rb_option_set(const struct rb_option *opt, void *config, const char *value,
		  uint64_t memory, char *err, size_t errlen);

/* Store every default of the table into config. Returns 0 or -EINVAL
 * (a broken default, which is a programming error) with err filled in. */
int rb_options_defaults(const struct rb_option *table, void *config, uint64_t memory,
			char *err, size_t errlen);

/* Describe an option's type and bounds for help text, e.g. "size, 4K..1T" or
 * "one of none|dontneed|noreuse". */
void rb_option_describe(const struct rb_option *opt, char *buf, size_t len);

/* Format the option's current value in config as text (for meta.json). */
void rb_option_format(const struct rb_option *opt, const void *config, char *buf, size_t len);

#endif
