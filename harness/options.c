/* options.c - option tables: parse a value for one option, check its bounds,
 * store it at the option's offset in a config struct, apply defaults, and
 * describe or format options for help text and meta.json.
 *
 * Every type has one row in `types` (what it is called, how big its field is,
 * how to parse and how to print it), so adding a type is one row and two small
 * functions (plus a line in format_bound() if it has bounds). */
#include "options.h"
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where error messages go; buf may be NULL. */
struct errbuf {
	char *buf;
	size_t len;
};

/* The value without surrounding whitespace, for messages: "%.*s", n, p. */
struct text {
	const char *p;
	int n;
};

typedef int (*set_fn)(const struct rb_option *opt, void *field, const char *value,
		      struct text t, uint64_t memory, struct errbuf *e);
typedef void (*print_fn)(const struct rb_option *opt, const void *field, char *buf, size_t len);

struct type_info {
	const char *what; /* describe(): "size", "one of", ... */
	size_t size;      /* of the stored field */
	set_fn set;
	print_fn print;
	bool has_bounds;
};

#define BOUND_LEN 48
#define SIZE_HINT "expected e.g. 4K, 512M, 2G, 40%% or 2x"
#define DURATION_HINT "expected e.g. 500ms, 60s, 5m or 1h"

__attribute__((format(printf, 3, 4)))
static void appendf(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static int errf(struct errbuf *e, int ret, const char *fmt, ...)
{
	va_list ap;

	if (e->buf && e->len) {
		va_start(ap, fmt);
		(void)vsnprintf(e->buf, e->len, fmt, ap);
		va_end(ap);
	}
	return ret;
}

static const char *skip_space(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

static struct text trim(const char *value)
{
	const char *p = skip_space(value);
	size_t n = strlen(p);

	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	return (struct text){ p, n > INT32_MAX ? INT32_MAX : (int)n };
}

static bool is_bounded(const struct rb_option *opt)
{
	return !(opt->min == 0 && opt->max == 0);
}

/* A bound as a u64 without undefined conversions of negative or huge doubles. */
static uint64_t bound_u64(double v)
{
	if (!(v > 0))
		return 0;
	return v >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)v;
}

/* A bound in the option's own notation: 4097, 0.5, 1T, 500ms. */
static void format_bound(enum rb_opt_type type, double v, char *buf, size_t len)
{
	if (type == RB_OPT_SIZE)
		rb_format_size(bound_u64(v), buf, len);
	else if (type == RB_OPT_DURATION)
		rb_format_duration(bound_u64(v), buf, len);
	else if (type == RB_OPT_INT)
		(void)snprintf(buf, len, "%.0f", v);
	else
		(void)snprintf(buf, len, "%g", v);
}

/* -ERANGE with "<text><note> is out of range (expected lo..hi)" unless v fits. */
static int check_range(const struct rb_option *opt, double v, struct text t, const char *note,
		       struct errbuf *e)
{
	char lo[BOUND_LEN], hi[BOUND_LEN];

	if (!is_bounded(opt) || (v >= opt->min && v <= opt->max))
		return 0;
	format_bound(opt->type, opt->min, lo, sizeof(lo));
	format_bound(opt->type, opt->max, hi, sizeof(hi));
	return errf(e, -ERANGE, "%.*s%s is out of range (expected %s..%s)", t.n, t.p, note, lo,
		    hi);
}

static int set_int(const struct rb_option *opt, void *field, const char *value, struct text t,
		   uint64_t memory, struct errbuf *e)
{
	char *end;
	long long v;
	int ret;

	(void)memory;
	errno = 0;
	v = strtoll(value, &end, 10);
	if (end == value || *skip_space(end) != '\0')
		return errf(e, -EINVAL, "bad integer '%.*s' (expected a whole number, e.g. 42)",
			    t.n, t.p);
	if (errno == ERANGE)
		return errf(e, -ERANGE, "integer '%.*s' is too large", t.n, t.p);
	ret = check_range(opt, (double)v, t, "", e);
	if (ret == 0)
		*(int64_t *)field = v;
	return ret;
}

static int set_double(const struct rb_option *opt, void *field, const char *value,
		      struct text t, uint64_t memory, struct errbuf *e)
{
	char *end;
	double v;
	int ret;

	(void)memory;
	errno = 0;
	v = strtod(value, &end);
	if (end == value || *skip_space(end) != '\0' || isnan(v) ||
	    (isinf(v) && errno != ERANGE))
		return errf(e, -EINVAL, "bad number '%.*s' (expected e.g. 0.5 or 2)", t.n, t.p);
	if (isinf(v))
		return errf(e, -ERANGE, "number '%.*s' is too large", t.n, t.p);
	ret = check_range(opt, v, t, "", e);
	if (ret == 0)
		*(double *)field = v;
	return ret;
}

static bool is_relative_size(struct text t)
{
	char last = t.n > 0 ? t.p[t.n - 1] : '\0';

	return last == '%' || last == 'x' || last == 'X';
}

static int set_size(const struct rb_option *opt, void *field, const char *value, struct text t,
		    uint64_t memory, struct errbuf *e)
{
	char note[BOUND_LEN + 8] = "", approx[BOUND_LEN];
	uint64_t bytes;
	int ret;

	ret = rb_parse_size(value, memory, &bytes);
	if (ret == -EINVAL && memory == 0 && is_relative_size(t) &&
	    rb_parse_size(value, 1, &bytes) == 0)
		return errf(e, ret, "size '%.*s' is relative, but no memory size is set", t.n,
			    t.p);
	if (ret == -EINVAL)
		return errf(e, ret, "bad size '%.*s' (" SIZE_HINT ")", t.n, t.p);
	if (ret == -ERANGE)
		return errf(e, ret, "size '%.*s' is too large", t.n, t.p);
	if (is_relative_size(t)) {
		rb_format_size(bytes, approx, sizeof(approx));
		(void)snprintf(note, sizeof(note), " (= %s)", approx);
	}
	ret = check_range(opt, (double)bytes, t, note, e);
	if (ret == 0)
		*(uint64_t *)field = bytes;
	return ret;
}

static int set_duration(const struct rb_option *opt, void *field, const char *value,
			struct text t, uint64_t memory, struct errbuf *e)
{
	uint64_t ns;
	int ret;

	(void)memory;
	ret = rb_parse_duration(value, &ns);
	if (ret == -EINVAL)
		return errf(e, ret, "bad duration '%.*s' (" DURATION_HINT ")", t.n, t.p);
	if (ret == -ERANGE)
		return errf(e, ret, "duration '%.*s' is too long", t.n, t.p);
	ret = check_range(opt, (double)ns, t, "", e);
	if (ret == 0)
		*(uint64_t *)field = ns;
	return ret;
}

/* Is the trimmed text one of the '|'-separated words? Sets *index. */
static bool match_word(const char *words, struct text t, int *index)
{
	const char *w = words;

	for (int i = 0; w; i++) {
		const char *bar = strchr(w, '|');
		size_t n = bar ? (size_t)(bar - w) : strlen(w);

		if (n == (size_t)t.n && strncasecmp(w, t.p, n) == 0) {
			*index = i;
			return true;
		}
		w = bar ? bar + 1 : NULL;
	}
	return false;
}

static int set_bool(const struct rb_option *opt, void *field, const char *value, struct text t,
		    uint64_t memory, struct errbuf *e)
{
	int i;

	(void)opt;
	(void)value;
	(void)memory;
	if (!match_word("no|yes|false|true|off|on|0|1", t, &i))
		return errf(e, -EINVAL, "bad value '%.*s' (expected yes or no)", t.n, t.p);
	*(bool *)field = i % 2;
	return 0;
}

static int set_enum(const struct rb_option *opt, void *field, const char *value, struct text t,
		    uint64_t memory, struct errbuf *e)
{
	int i;

	(void)value;
	(void)memory;
	if (!opt->choices || !match_word(opt->choices, t, &i))
		return errf(e, -EINVAL, "bad value '%.*s' (expected one of %s)", t.n, t.p,
			    opt->choices ? opt->choices : "(none)");
	*(int *)field = i;
	return 0;
}

/* Strings are stored as given, whitespace included. */
static int set_string(const struct rb_option *opt, void *field, const char *value,
		      struct text t, uint64_t memory, struct errbuf *e)
{
	size_t n = strlen(value);

	(void)opt;
	(void)t;
	(void)memory;
	if (n >= RB_OPT_STRLEN)
		return errf(e, -ERANGE, "value is too long (%zu characters, at most %d)", n,
			    RB_OPT_STRLEN - 1);
	memcpy(field, value, n + 1);
	return 0;
}

static void print_int(const struct rb_option *opt, const void *field, char *buf, size_t len)
{
	(void)opt;
	(void)snprintf(buf, len, "%" PRId64, *(const int64_t *)field);
}

/* Shortest of %.15g / %.17g that reads back as the same double. */
static void print_double(const struct rb_option *opt, const void *field, char *buf, size_t len)
{
	double v = *(const double *)field;
	char tmp[40];

	(void)opt;
	(void)snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (strtod(tmp, NULL) != v)
		(void)snprintf(tmp, sizeof(tmp), "%.17g", v);
	(void)snprintf(buf, len, "%s", tmp);
}

/* The short form when it reads back exactly, else the exact number. */
static void print_size(const struct rb_option *opt, const void *field, char *buf, size_t len)
{
	uint64_t v = *(const uint64_t *)field, back = 0;
	char tmp[BOUND_LEN];

	(void)opt;
	rb_format_size(v, tmp, sizeof(tmp));
	if (rb_parse_size(tmp, 0, &back) != 0 || back != v)
		(void)snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
	(void)snprintf(buf, len, "%s", tmp);
}

static void print_duration(const struct rb_option *opt, const void *field, char *buf,
			   size_t len)
{
	uint64_t v = *(const uint64_t *)field, back = 0;
	char tmp[BOUND_LEN];

	(void)opt;
	rb_format_duration(v, tmp, sizeof(tmp));
	if (rb_parse_duration(tmp, &back) != 0 || back != v)
		(void)snprintf(tmp, sizeof(tmp), "%" PRIu64 "ns", v);
	(void)snprintf(buf, len, "%s", tmp);
}

static void print_bool(const struct rb_option *opt, const void *field, char *buf, size_t len)
{
	(void)opt;
	(void)snprintf(buf, len, "%s", *(const bool *)field ? "yes" : "no");
}

/* The index-th choice word; the bare number if there is no such choice. */
static void print_enum(const struct rb_option *opt, const void *field, char *buf, size_t len)
{
	int index = *(const int *)field;
	const char *w = index >= 0 ? opt->choices : NULL;

	for (int i = 0; w && i < index; i++) {
		w = strchr(w, '|');
		w = w ? w + 1 : NULL;
	}
	if (w)
		(void)snprintf(buf, len, "%.*s", (int)strcspn(w, "|"), w);
	else
		(void)snprintf(buf, len, "%d", index);
}

static void print_string(const struct rb_option *opt, const void *field, char *buf, size_t len)
{
	(void)opt;
	(void)snprintf(buf, len, "%.*s", RB_OPT_STRLEN - 1, (const char *)field);
}

static const struct type_info types[] = {
	[RB_OPT_INT] = { "integer", sizeof(int64_t), set_int, print_int, true },
	[RB_OPT_DOUBLE] = { "number", sizeof(double), set_double, print_double, true },
	[RB_OPT_SIZE] = { "size", sizeof(uint64_t), set_size, print_size, true },
	[RB_OPT_DURATION] = { "duration", sizeof(uint64_t), set_duration, print_duration, true },
	[RB_OPT_BOOL] = { "yes or no", sizeof(bool), set_bool, print_bool, false },
	[RB_OPT_ENUM] = { "one of", sizeof(int), set_enum, print_enum, false },
	[RB_OPT_STRING] = { "text", RB_OPT_STRLEN, set_string, print_string, false },
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

static bool known_type(const struct rb_option *opt)
{
	return (size_t)opt->type < NTYPES && types[opt->type].set;
}

const struct rb_option *rb_option_find(const struct rb_option *table, const char *name)
{
	for (const struct rb_option *opt = table; opt->name; opt++)
		if (strcmp(opt->name, name) == 0)
			return opt;
	return NULL;
}

int rb_option_set(const struct rb_option *opt, void *config, const char *value,
		  uint64_t memory, char *err, size_t errlen)
{
	struct errbuf e = { err, errlen };

	if (!known_type(opt))
		return errf(&e, -EINVAL, "option '%s' has an unknown type %d", opt->name,
			    (int)opt->type);
	return types[opt->type].set(opt, (char *)config + opt->offset, value, trim(value),
				    memory, &e);
}

/* Store one default; a failure is reported as -EINVAL naming the option. */
static int apply_default(const struct rb_option *opt, void *config, uint64_t memory,
			 struct errbuf *e)
{
	char why[256];

	if (!known_type(opt))
		return errf(e, -EINVAL, "option '%s' has an unknown type %d", opt->name,
			    (int)opt->type);
	if (!opt->def) {
		memset((char *)config + opt->offset, 0, types[opt->type].size);
		return 0;
	}
	if (rb_option_set(opt, config, opt->def, memory, why, sizeof(why)) != 0)
		return errf(e, -EINVAL, "default of option '%s': %s", opt->name, why);
	return 0;
}

int rb_options_defaults(const struct rb_option *table, void *config, uint64_t memory,
			char *err, size_t errlen)
{
	struct errbuf e = { err, errlen };
	int ret = 0;

	for (const struct rb_option *opt = table; opt->name && ret == 0; opt++)
		ret = apply_default(opt, config, memory, &e);
	return ret;
}

void rb_option_describe(const struct rb_option *opt, char *buf, size_t len)
{
	char lo[BOUND_LEN], hi[BOUND_LEN];

	if (len == 0)
		return;
	buf[0] = '\0';
	if (!known_type(opt)) {
		appendf(buf, len, "unknown type %d", (int)opt->type);
		return;
	}
	appendf(buf, len, "%s", types[opt->type].what);
	if (opt->type == RB_OPT_ENUM)
		appendf(buf, len, " %s", opt->choices ? opt->choices : "(none)");
	if (types[opt->type].has_bounds && is_bounded(opt)) {
		format_bound(opt->type, opt->min, lo, sizeof(lo));
		format_bound(opt->type, opt->max, hi, sizeof(hi));
		appendf(buf, len, ", %s..%s", lo, hi);
	}
	if (opt->def)
		appendf(buf, len, ", default %s", opt->def);
}

void rb_option_format(const struct rb_option *opt, const void *config, char *buf, size_t len)
{
	if (len == 0)
		return;
	if (!known_type(opt)) {
		buf[0] = '\0';
		return;
	}
	types[opt->type].print(opt, (const char *)config + opt->offset, buf, len);
}
