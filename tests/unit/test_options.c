/* test_options.c - cmocka tests for options.c against a fake config struct
 * and option table that use every option type. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

#define GiB (1ull << 30)
#define TiB (1ull << 40)
#define MS 1000000.0

struct fake {
	int64_t threads;
	double ratio;
	uint64_t size;
	uint64_t period;
	bool verbose;
	int fadvise;
	char path[RB_OPT_STRLEN];
	int64_t offset; /* unbounded, no default */
	uint64_t span;  /* unbounded size, no default */
};

#define OFF(f) offsetof(struct fake, f)

static const struct rb_option table[] = {
	{ "threads", RB_OPT_INT, OFF(threads), 1, 4096, "4", "worker threads", NULL },
	{ "ratio", RB_OPT_DOUBLE, OFF(ratio), 0, 1, "0.5", "share of reads", NULL },
	{ "size", RB_OPT_SIZE, OFF(size), 4096, 1099511627776.0, "1G", "working set", NULL },
	{ "period", RB_OPT_DURATION, OFF(period), 1 * MS, 3600000 * MS, "500ms", "tick", NULL },
	{ "verbose", RB_OPT_BOOL, OFF(verbose), 0, 0, "no", "chatty", NULL },
	{ "fadvise", RB_OPT_ENUM, OFF(fadvise), 0, 0, "none", "advice",
	  "none|dontneed|noreuse" },
	{ "path", RB_OPT_STRING, OFF(path), 0, 0, "/tmp/rb", "scratch file", NULL },
	{ "offset", RB_OPT_INT, OFF(offset), 0, 0, NULL, "start offset", NULL },
	{ "span", RB_OPT_SIZE, OFF(span), 0, 0, NULL, "region", NULL },
	RB_OPTION_END,
};

/* Per-test state: a config full of garbage and an error buffer. */
struct ctx {
	struct fake cfg;
	char err[256];
};

static int setup(void **state)
{
	static struct ctx c;

	memset(&c, 0xa5, sizeof(c));
	*state = &c;
	return 0;
}

static const struct rb_option *opt(const char *name)
{
	const struct rb_option *o = rb_option_find(table, name);

	assert_non_null(o);
	return o;
}

/* Set name=value with memory as the relative base; returns the result. */
static int set(struct ctx *c, const char *name, const char *value, uint64_t memory)
{
	return rb_option_set(opt(name), &c->cfg, value, memory, c->err, sizeof(c->err));
}

/* Expect a failure with exactly this return code and message. */
static void set_fails(struct ctx *c, const char *name, const char *value, uint64_t memory,
		      int ret, const char *msg)
{
	c->err[0] = '\0';
	assert_int_equal(set(c, name, value, memory), ret);
	assert_string_equal(c->err, msg);
}

static void test_find(void **state)
{
	(void)state;
	assert_ptr_equal(rb_option_find(table, "threads"), &table[0]);
	assert_ptr_equal(rb_option_find(table, "span"), &table[8]);
	assert_null(rb_option_find(table, "thread"));
	assert_null(rb_option_find(table, ""));
}

static void test_defaults_applied(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(rb_options_defaults(table, &c->cfg, 0, c->err, sizeof(c->err)), 0);
	assert_int_equal(c->cfg.threads, 4);
	assert_true(c->cfg.ratio == 0.5);
	assert_int_equal(c->cfg.size, GiB);
	assert_int_equal(c->cfg.period, 500000000ull);
	assert_false(c->cfg.verbose);
	assert_int_equal(c->cfg.fadvise, 0);
	assert_string_equal(c->cfg.path, "/tmp/rb");
}

static void test_defaults_null_is_zero(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(rb_options_defaults(table, &c->cfg, 0, c->err, sizeof(c->err)), 0);
	assert_int_equal(c->cfg.offset, 0);
	assert_int_equal(c->cfg.span, 0);
}

static void test_defaults_relative_to_memory(void **state)
{
	static const struct rb_option rel[] = {
		{ "ws", RB_OPT_SIZE, OFF(size), 0, 0, "40%", "working set", NULL },
		{ "data", RB_OPT_SIZE, OFF(span), 0, 0, "2x", "dataset", NULL },
		RB_OPTION_END,
	};
	struct ctx *c = *state;

	assert_int_equal(rb_options_defaults(rel, &c->cfg, 10 * GiB, c->err, sizeof(c->err)), 0);
	assert_int_equal(c->cfg.size, 4 * GiB);
	assert_int_equal(c->cfg.span, 20 * GiB);
}

static void test_defaults_broken_is_einval(void **state)
{
	static const struct rb_option broken[] = {
		{ "ok", RB_OPT_INT, OFF(offset), 0, 0, "3", "fine", NULL },
		{ "threads", RB_OPT_INT, OFF(threads), 1, 8, "lots", "broken", NULL },
		RB_OPTION_END,
	};
	struct ctx *c = *state;

	assert_int_equal(rb_options_defaults(broken, &c->cfg, 0, c->err, sizeof(c->err)),
			 -EINVAL);
	assert_string_equal(c->err, "default of option 'threads': bad integer 'lots' "
				    "(expected a whole number, e.g. 42)");
	assert_int_equal(c->cfg.offset, 3); /* applied before the broken one */
}

static void test_defaults_out_of_range_is_einval(void **state)
{
	static const struct rb_option broken[] = {
		{ "threads", RB_OPT_INT, OFF(threads), 1, 8, "9", "too many", NULL },
		RB_OPTION_END,
	};
	struct ctx *c = *state;

	assert_int_equal(rb_options_defaults(broken, &c->cfg, 0, c->err, sizeof(c->err)),
			 -EINVAL);
	assert_string_equal(c->err,
			    "default of option 'threads': 9 is out of range (expected 1..8)");
}

static void test_int_stores(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(set(c, "threads", "4096", 0), 0);
	assert_int_equal(c->cfg.threads, 4096);
	assert_int_equal(set(c, "threads", " 7 ", 0), 0);
	assert_int_equal(c->cfg.threads, 7);
	assert_int_equal(set(c, "offset", "-9223372036854775808", 0), 0);
	assert_true(c->cfg.offset == INT64_MIN);
}

static void test_int_bad(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "threads", "1.5", 0, -EINVAL,
		  "bad integer '1.5' (expected a whole number, e.g. 42)");
	set_fails(c, "threads", "", 0, -EINVAL,
		  "bad integer '' (expected a whole number, e.g. 42)");
	set_fails(c, "threads", " 4x ", 0, -EINVAL,
		  "bad integer '4x' (expected a whole number, e.g. 42)");
}

static void test_int_out_of_range(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "threads", "4097", 0, -ERANGE, "4097 is out of range (expected 1..4096)");
	set_fails(c, "threads", "0", 0, -ERANGE, "0 is out of range (expected 1..4096)");
	set_fails(c, "offset", "9223372036854775808", 0, -ERANGE,
		  "integer '9223372036854775808' is too large");
}

static void test_failed_set_leaves_value(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(set(c, "threads", "12", 0), 0);
	assert_int_equal(set(c, "threads", "5000", 0), -ERANGE);
	assert_int_equal(set(c, "threads", "abc", 0), -EINVAL);
	assert_int_equal(c->cfg.threads, 12);
}

static void test_double_stores(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(set(c, "ratio", "0.25", 0), 0);
	assert_true(c->cfg.ratio == 0.25);
	assert_int_equal(set(c, "ratio", "1", 0), 0);
	assert_true(c->cfg.ratio == 1.0);
}

static void test_double_bad(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "ratio", "half", 0, -EINVAL, "bad number 'half' (expected e.g. 0.5 or 2)");
	set_fails(c, "ratio", "nan", 0, -EINVAL, "bad number 'nan' (expected e.g. 0.5 or 2)");
	set_fails(c, "ratio", "inf", 0, -EINVAL, "bad number 'inf' (expected e.g. 0.5 or 2)");
	set_fails(c, "ratio", "1e999", 0, -ERANGE, "number '1e999' is too large");
}

static void test_double_out_of_range(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "ratio", "1.5", 0, -ERANGE, "1.5 is out of range (expected 0..1)");
	set_fails(c, "ratio", "-0.1", 0, -ERANGE, "-0.1 is out of range (expected 0..1)");
}

static void test_size_stores(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(set(c, "size", "2G", 0), 0);
	assert_int_equal(c->cfg.size, 2 * GiB);
	assert_int_equal(set(c, "size", "40%", 10 * GiB), 0);
	assert_int_equal(c->cfg.size, 4 * GiB);
	assert_int_equal(set(c, "size", "0.5x", 8 * GiB), 0);
	assert_int_equal(c->cfg.size, 4 * GiB);
}

static void test_size_bad(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "size", "12Q", 0, -EINVAL,
		  "bad size '12Q' (expected e.g. 4K, 512M, 2G, 40% or 2x)");
	set_fails(c, "size", "-1G", GiB, -EINVAL,
		  "bad size '-1G' (expected e.g. 4K, 512M, 2G, 40% or 2x)");
}

static void test_size_relative_without_memory(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "size", "40%", 0, -EINVAL,
		  "size '40%' is relative, but no memory size is set");
	set_fails(c, "size", "2x", 0, -EINVAL, "size '2x' is relative, but no memory size is set");
}

static void test_size_too_large(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "span", "99999999T", 0, -ERANGE, "size '99999999T' is too large");
}

static void test_size_out_of_range(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "size", "2T", 0, -ERANGE, "2T is out of range (expected 4K..1T)");
	set_fails(c, "size", "100", 0, -ERANGE, "100 is out of range (expected 4K..1T)");
	set_fails(c, "size", "300%", TiB, -ERANGE,
		  "300% (= 3T) is out of range (expected 4K..1T)");
}

static void test_duration_stores(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(set(c, "period", "250ms", 0), 0);
	assert_int_equal(c->cfg.period, 250000000ull);
	assert_int_equal(set(c, "period", "1h", 0), 0);
	assert_int_equal(c->cfg.period, 3600000000000ull);
}

static void test_duration_bad(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "period", "5x", 0, -EINVAL,
		  "bad duration '5x' (expected e.g. 500ms, 60s, 5m or 1h)");
	set_fails(c, "period", "99999999999h", 0, -ERANGE,
		  "duration '99999999999h' is too long");
}

static void test_duration_out_of_range(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "period", "2h", 0, -ERANGE, "2h is out of range (expected 1ms..1h)");
	set_fails(c, "period", "500us", 0, -ERANGE, "500us is out of range (expected 1ms..1h)");
}

static void test_bool_words(void **state)
{
	static const char *const yes[] = { "yes", "true", "on", "1", "YES", " On " };
	static const char *const no[] = { "no", "false", "off", "0", "No" };
	struct ctx *c = *state;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		c->cfg.verbose = false;
		assert_int_equal(set(c, "verbose", yes[i], 0), 0);
		assert_true(c->cfg.verbose);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		c->cfg.verbose = true;
		assert_int_equal(set(c, "verbose", no[i], 0), 0);
		assert_false(c->cfg.verbose);
	}
}

static void test_bool_bad(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "verbose", "sometimes", 0, -EINVAL,
		  "bad value 'sometimes' (expected yes or no)");
	set_fails(c, "verbose", "y", 0, -EINVAL, "bad value 'y' (expected yes or no)");
}

static void test_enum_choices(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(set(c, "fadvise", "noreuse", 0), 0);
	assert_int_equal(c->cfg.fadvise, 2);
	assert_int_equal(set(c, "fadvise", "DontNeed", 0), 0);
	assert_int_equal(c->cfg.fadvise, 1);
	assert_int_equal(set(c, "fadvise", "none", 0), 0);
	assert_int_equal(c->cfg.fadvise, 0);
}

static void test_enum_bad(void **state)
{
	struct ctx *c = *state;

	set_fails(c, "fadvise", "maybe", 0, -EINVAL,
		  "bad value 'maybe' (expected one of none|dontneed|noreuse)");
	set_fails(c, "fadvise", "dont", 0, -EINVAL,
		  "bad value 'dont' (expected one of none|dontneed|noreuse)");
	set_fails(c, "fadvise", "none|dontneed", 0, -EINVAL,
		  "bad value 'none|dontneed' (expected one of none|dontneed|noreuse)");
}

static void test_string_stores(void **state)
{
	char longest[RB_OPT_STRLEN];
	struct ctx *c = *state;

	assert_int_equal(set(c, "path", "/var/tmp/x", 0), 0);
	assert_string_equal(c->cfg.path, "/var/tmp/x");
	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	assert_int_equal(set(c, "path", longest, 0), 0);
	assert_string_equal(c->cfg.path, longest);
}

static void test_string_too_long(void **state)
{
	char value[RB_OPT_STRLEN + 1];
	struct ctx *c = *state;

	assert_int_equal(set(c, "path", "kept", 0), 0);
	memset(value, 'b', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	set_fails(c, "path", value, 0, -ERANGE, "value is too long (128 characters, at most 127)");
	assert_string_equal(c->cfg.path, "kept");
}

static void test_set_without_err_buffer(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(rb_option_set(opt("threads"), &c->cfg, "x", 0, NULL, 0), -EINVAL);
	assert_int_equal(rb_option_set(opt("threads"), &c->cfg, "2", 0, NULL, 0), 0);
	assert_int_equal(c->cfg.threads, 2);
}

static void test_error_truncated_to_buffer(void **state)
{
	struct ctx *c = *state;
	char small[12];

	assert_int_equal(rb_option_set(opt("verbose"), &c->cfg, "sometimes", 0, small,
				       sizeof(small)),
			 -EINVAL);
	assert_string_equal(small, "bad value '");
}

/* describe(name) into a static buffer. */
static const char *describe(const char *name)
{
	static char buf[128];

	rb_option_describe(opt(name), buf, sizeof(buf));
	return buf;
}

static void test_describe(void **state)
{
	(void)state;
	assert_string_equal(describe("threads"), "integer, 1..4096, default 4");
	assert_string_equal(describe("ratio"), "number, 0..1, default 0.5");
	assert_string_equal(describe("size"), "size, 4K..1T, default 1G");
	assert_string_equal(describe("period"), "duration, 1ms..1h, default 500ms");
	assert_string_equal(describe("verbose"), "yes or no, default no");
	assert_string_equal(describe("fadvise"), "one of none|dontneed|noreuse, default none");
	assert_string_equal(describe("path"), "text, default /tmp/rb");
	assert_string_equal(describe("offset"), "integer");
	assert_string_equal(describe("span"), "size");
}

static void test_describe_small_buffer(void **state)
{
	char buf[10];

	(void)state;
	rb_option_describe(opt("size"), buf, sizeof(buf));
	assert_string_equal(buf, "size, 4K.");
}

/* format(name) of the current config into a static buffer. */
static const char *format(struct ctx *c, const char *name)
{
	static char buf[RB_OPT_STRLEN + 16];

	rb_option_format(opt(name), &c->cfg, buf, sizeof(buf));
	return buf;
}

static void test_format_defaults(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(rb_options_defaults(table, &c->cfg, 0, c->err, sizeof(c->err)), 0);
	assert_string_equal(format(c, "threads"), "4");
	assert_string_equal(format(c, "ratio"), "0.5");
	assert_string_equal(format(c, "size"), "1G");
	assert_string_equal(format(c, "period"), "500ms");
	assert_string_equal(format(c, "verbose"), "no");
	assert_string_equal(format(c, "fadvise"), "none");
	assert_string_equal(format(c, "path"), "/tmp/rb");
	assert_string_equal(format(c, "offset"), "0");
	assert_string_equal(format(c, "span"), "0");
}

static void test_format_exact_values(void **state)
{
	struct ctx *c = *state;

	c->cfg.size = 1717986919; /* "1.6G" would read back as 1717986918 */
	c->cfg.period = 1234567;
	c->cfg.ratio = 0.1;
	c->cfg.verbose = true;
	c->cfg.fadvise = 2;
	c->cfg.offset = -5;
	assert_string_equal(format(c, "size"), "1717986919");
	assert_string_equal(format(c, "period"), "1234567ns");
	assert_string_equal(format(c, "ratio"), "0.1");
	assert_string_equal(format(c, "verbose"), "yes");
	assert_string_equal(format(c, "fadvise"), "noreuse");
	assert_string_equal(format(c, "offset"), "-5");
}

static void test_format_enum_out_of_range(void **state)
{
	struct ctx *c = *state;

	c->cfg.fadvise = 7;
	assert_string_equal(format(c, "fadvise"), "7");
	c->cfg.fadvise = -1;
	assert_string_equal(format(c, "fadvise"), "-1");
}

/* Whatever format() prints, set() reads back to the same stored value. */
static void test_format_set_round_trip(void **state)
{
	struct ctx *c = *state;
	struct fake before;
	char text[RB_OPT_STRLEN + 16];

	assert_int_equal(set(c, "threads", "77", 0), 0);
	assert_int_equal(set(c, "ratio", "0.3333333333333333", 0), 0);
	assert_int_equal(set(c, "size", "40%", 4 * GiB), 0);
	assert_int_equal(set(c, "period", "1.0000001s", 0), 0);
	assert_int_equal(set(c, "verbose", "on", 0), 0);
	assert_int_equal(set(c, "fadvise", "dontneed", 0), 0);
	assert_int_equal(set(c, "path", "a b", 0), 0);
	assert_int_equal(set(c, "offset", "-3", 0), 0);
	assert_int_equal(set(c, "span", "1.25T", 0), 0);
	before = c->cfg;
	for (const struct rb_option *o = table; o->name; o++) {
		rb_option_format(o, &before, text, sizeof(text));
		assert_int_equal(set(c, o->name, text, 0), 0);
	}
	assert_int_equal(c->cfg.threads, before.threads);
	assert_true(c->cfg.ratio == before.ratio);
	assert_int_equal(c->cfg.size, before.size);
	assert_int_equal(c->cfg.period, before.period);
	assert_true(c->cfg.verbose == before.verbose);
	assert_int_equal(c->cfg.fadvise, before.fadvise);
	assert_string_equal(c->cfg.path, before.path);
	assert_int_equal(c->cfg.offset, before.offset);
	assert_int_equal(c->cfg.span, before.span);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_find),
		T(test_defaults_applied),
		T(test_defaults_null_is_zero),
		T(test_defaults_relative_to_memory),
		T(test_defaults_broken_is_einval),
		T(test_defaults_out_of_range_is_einval),
		T(test_int_stores),
		T(test_int_bad),
		T(test_int_out_of_range),
		T(test_failed_set_leaves_value),
		T(test_double_stores),
		T(test_double_bad),
		T(test_double_out_of_range),
		T(test_size_stores),
		T(test_size_bad),
		T(test_size_relative_without_memory),
		T(test_size_too_large),
		T(test_size_out_of_range),
		T(test_duration_stores),
		T(test_duration_bad),
		T(test_duration_out_of_range),
		T(test_bool_words),
		T(test_bool_bad),
		T(test_enum_choices),
		T(test_enum_bad),
		T(test_string_stores),
		T(test_string_too_long),
		T(test_set_without_err_buffer),
		T(test_error_truncated_to_buffer),
		T(test_describe),
		T(test_describe_small_buffer),
		T(test_format_defaults),
		T(test_format_exact_values),
		T(test_format_enum_out_of_range),
		T(test_format_set_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
