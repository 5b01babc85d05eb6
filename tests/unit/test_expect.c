/* test_expect.c - unit tests for harness/expect.c: parsing and evaluating the
 * `expect = A OP B` lines of a profile against a fake table of run metrics,
 * every syntax error message, evaluation errors and the name walker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

struct metric {
	const char *name;
	double value;
};

/* The fake run: metrics from a global-pressure run and a probe worker. */
static const struct metric run_a[] = {
	{ "a", 2 },
	{ "b", 5 },
	{ "c", 3 },
	{ "zero", 0 },
	{ "pgscan_direct", 158000 },
	{ "allocstall_movable", 475 },
	{ "probe.touch.p99_us", 1200 },
	{ "probe.touch.p50_us", 80 },
	{ "memcg.failcnt", 488 },
	{ "broken", 1 },
};

struct table {
	const struct metric *m;
	size_t n;
};

static int lookup(void *ctx, const char *name, double *out)
{
	const struct table *t = ctx;

	if (strcmp(name, "broken") == 0)
		return -EIO;
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->m[i].name, name) == 0) {
			*out = t->m[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

static struct table table_a = { run_a, sizeof(run_a) / sizeof(run_a[0]) };

/* Parse and evaluate against run_a; the parse must succeed. */
static int eval_text(const char *text, double *lhs, double *rhs, bool *ok, char *err,
		     size_t errlen)
{
	struct rb_expect *e = NULL;
	char perr[160];
	int ret;

	ret = rb_expect_parse(text, &e, perr, sizeof(perr));
	if (ret)
		fail_msg("'%s' did not parse: %s", text, perr);
	assert_non_null(e);
	ret = rb_expect_eval(e, lookup, &table_a, lhs, rhs, ok, err, errlen);
	rb_expect_free(e);
	return ret;
}

/* Evaluate a list of expressions that must all hold (or all fail). */
static void assert_all(const char *const *texts, size_t n, bool want)
{
	char err[160];
	double l, r;
	bool ok;

	for (size_t i = 0; i < n; i++) {
		assert_int_equal(eval_text(texts[i], &l, &r, &ok, err, sizeof(err)), 0);
		if (ok != want)
			fail_msg("'%s' gave %s (%g vs %g)", texts[i], ok ? "true" : "false", l, r);
	}
}

/* Parse text, which must fail with exactly `msg`. */
static void assert_syntax_error(const char *text, const char *msg)
{
	static char sentinel;
	struct rb_expect *e = (struct rb_expect *)(void *)&sentinel;   /* must be reset */
	char err[200];

	assert_int_equal(rb_expect_parse(text, &e, err, sizeof(err)), -EINVAL);
	assert_null(e);
	if (strcmp(err, msg) != 0)
		fail_msg("'%s':\n  got  \"%s\"\n  want \"%s\"", text, err, msg);
}

/* ---- valid expressions ---- */

static void test_simple_comparison_sides(void **state)
{
	char err[160];
	double l, r;
	bool ok;

	(void)state;
	assert_int_equal(eval_text("pgscan_direct > 0", &l, &r, &ok, err, sizeof(err)), 0);
	assert_true(ok);
	assert_float_equal(l, 158000, 0);
	assert_float_equal(r, 0, 0);
	assert_string_equal(err, "");
}

static void test_each_operator_true(void **state)
{
	static const char *const t[] = {
		"b > a", "b >= 5", "a >= 2", "a < b", "a <= 2", "a <= 3", "a == 2", "a != 3",
	};

	(void)state;
	assert_all(t, sizeof(t) / sizeof(t[0]), true);
}

static void test_each_operator_false(void **state)
{
	static const char *const t[] = {
		"a > 2", "a >= 3", "a < 2", "b <= 4", "a == 3", "a != 2",
	};

	(void)state;
	assert_all(t, sizeof(t) / sizeof(t[0]), false);
}

static void test_precedence_and_associativity(void **state)
{
	static const char *const t[] = {
		"1 + 2 * 3 == 7", "2 * 3 + 1 == 7", "10 - 4 - 3 == 3", "8 / 4 / 2 == 1",
		"b - a * c == -1", "a + b / 5 == 3", "12 / 4 * 3 == 9",
	};

	(void)state;
	assert_all(t, sizeof(t) / sizeof(t[0]), true);
}

static void test_parentheses(void **state)
{
	static const char *const t[] = {
		"(1 + 2) * 3 == 9", "((a)) == 2", "(b - a) * (c + 1) == 12",
		"10 / (4 - (a + 0)) == 5", "(a + b) > (c)",
	};

	(void)state;
	assert_all(t, sizeof(t) / sizeof(t[0]), true);
}

static void test_unary_minus(void **state)
{
	static const char *const t[] = {
		"-a < 0", "-a == -2", "- -a == a", "2 * -3 == -6", "-(1 + 2) == -3",
		"-2 * 3 == -6", "a - -b == 7", "-a * -b == 10",
	};

	(void)state;
	assert_all(t, sizeof(t) / sizeof(t[0]), true);
}

static void test_number_forms(void **state)
{
	static const char *const t[] = {
		"1e3 == 1000", "0.5 * 4 == 2", ".5 == 0.5", "2.5E-3 * 1000 == 2.5",
		"1e+2 == 100", "007 == 7", "123 == 123.0",
	};

	(void)state;
	assert_all(t, sizeof(t) / sizeof(t[0]), true);
}

static void test_dotted_metric_names(void **state)
{
	char err[160];
	double l, r;
	bool ok;

	(void)state;
	assert_int_equal(eval_text("probe.touch.p99_us > 10 * probe.touch.p50_us", &l, &r, &ok,
				   err, sizeof(err)), 0);
	assert_true(ok);
	assert_float_equal(l, 1200, 0);
	assert_float_equal(r, 800, 0);
	assert_int_equal(eval_text("memcg.failcnt >= 488", &l, &r, &ok, err, sizeof(err)), 0);
	assert_true(ok);
}

static void test_whitespace_is_optional(void **state)
{
	static const char *const t[] = {
		"a>=2", "a*b==10", "\tallocstall_movable\t>\t0\t", "  (a+b)*2==14  ",
	};

	(void)state;
	assert_all(t, sizeof(t) / sizeof(t[0]), true);
}

/* The same parsed expression is evaluated against different runs. */
static void test_eval_against_two_runs(void **state)
{
	static const struct metric run_b[] = { { "pgscan_direct", 0 } };
	struct table table_b = { run_b, 1 };
	struct rb_expect *e;
	double l, r;
	bool ok;

	(void)state;
	assert_int_equal(rb_expect_parse("pgscan_direct > 0", &e, NULL, 0), 0);
	assert_int_equal(rb_expect_eval(e, lookup, &table_a, &l, &r, &ok, NULL, 0), 0);
	assert_true(ok);
	assert_int_equal(rb_expect_eval(e, lookup, &table_b, &l, &r, &ok, NULL, 0), 0);
	assert_false(ok);
	assert_float_equal(l, 0, 0);
	rb_expect_free(e);
}

/* ---- syntax errors ---- */

static void test_error_empty(void **state)
{
	(void)state;
	assert_syntax_error("", "empty expression");
	assert_syntax_error("  \t ", "empty expression");
}

static void test_error_no_comparison(void **state)
{
	(void)state;
	assert_syntax_error("pgscan_direct",
			    "expected a comparison operator (> >= < <= == !=) "
			    "after 'pgscan_direct'");
	assert_syntax_error("pgscan_direct 5 > 1",
			    "expected a comparison operator (> >= < <= == !=) "
			    "after 'pgscan_direct'");
	assert_syntax_error("(a + b)",
			    "expected a comparison operator (> >= < <= == !=) after ')'");
}

static void test_error_unexpected_token_after_rhs(void **state)
{
	(void)state;
	assert_syntax_error("a > b x", "unexpected 'x' at column 7");
}

static void test_error_unbalanced_close_paren(void **state)
{
	(void)state;
	assert_syntax_error("a > 1)", "unexpected ')' at column 6: no '(' to close");
	assert_syntax_error("(a)) > 1", "unexpected ')' at column 4: no '(' to close");
}

static void test_error_bad_character(void **state)
{
	(void)state;
	assert_syntax_error("a > $b", "unexpected '$' at column 5");
	assert_syntax_error("a ! b", "unexpected '!' at column 3");
	assert_syntax_error("a = b", "unexpected '=' at column 3 (did you mean '=='?)");
}

static void test_error_missing_paren(void **state)
{
	(void)state;
	assert_syntax_error("(a + b", "missing ')' to close the '(' at column 1");
	assert_syntax_error("a > (b * (c + 1)", "missing ')' to close the '(' at column 5");
	assert_syntax_error("(a + b > 1",
			    "missing ')' to close the '(' at column 1: found '>' at column 8");
}

static void test_error_second_comparison(void **state)
{
	(void)state;
	assert_syntax_error("a > b > c",
			    "only one comparison operator is allowed: second '>' at column 7");
	assert_syntax_error("1 < a <= 3",
			    "only one comparison operator is allowed: second '<=' at column 7");
}

static void test_error_missing_operand(void **state)
{
	(void)state;
	assert_syntax_error("a >",
			    "expected a number, metric name or '(' "
			    "at end of expression, after '>'");
	assert_syntax_error("a > b +",
			    "expected a number, metric name or '(' "
			    "at end of expression, after '+'");
	assert_syntax_error("a > * b",
			    "expected a number, metric name or '(' at column 5, found '*'");
	assert_syntax_error("> 1",
			    "expected a number, metric name or '(' at column 1, found '>'");
	assert_syntax_error("a > ()",
			    "expected a number, metric name or '(' at column 6, found ')'");
	assert_syntax_error("+1 > 0",
			    "expected a number, metric name or '(' at column 1, found '+'");
}

static void test_error_malformed_number(void **state)
{
	(void)state;
	assert_syntax_error("1e > 0", "malformed number '1e' at column 1");
	assert_syntax_error("a > 3x", "malformed number '3x' at column 5");
	assert_syntax_error("a > 1.2.3", "malformed number '1.2.3' at column 5");
	assert_syntax_error("a > 0x10", "malformed number '0x10' at column 5");
}

static void test_error_number_out_of_range(void **state)
{
	(void)state;
	assert_syntax_error("a > 1e400", "number '1e400' at column 5 is out of range");
}

static void test_error_nesting_too_deep(void **state)
{
	char text[256];

	(void)state;
	memset(text, '(', 100);
	(void)snprintf(text + 100, sizeof(text) - 100, "1");
	assert_syntax_error(text, "expression nested more than 64 deep at column 65");
}

static void test_error_message_truncated_to_buffer(void **state)
{
	struct rb_expect *e;
	char err[8];

	(void)state;
	assert_int_equal(rb_expect_parse("pgscan_direct", &e, err, sizeof(err)), -EINVAL);
	assert_null(e);
	assert_string_equal(err, "expecte");
	assert_int_equal(rb_expect_parse("a >", &e, NULL, 0), -EINVAL);
	assert_null(e);
	rb_expect_free(e);
}

/* ---- evaluation errors ---- */

static void test_unknown_metric(void **state)
{
	char err[160];
	double l = 0, r = 0;
	bool ok = true;

	(void)state;
	assert_int_equal(eval_text("a + foo > 1", &l, &r, &ok, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "no metric 'foo' in this run");
	assert_false(ok);
	assert_true(isnan(l));
	assert_true(isnan(r));
}

static void test_first_unknown_metric_is_named(void **state)
{
	char err[160];
	double l, r;
	bool ok;

	(void)state;
	assert_int_equal(eval_text("a > worker.x.p99_us + worker.y.p99_us", &l, &r, &ok, err,
				   sizeof(err)), -ENOENT);
	assert_string_equal(err, "no metric 'worker.x.p99_us' in this run");
}

static void test_lookup_error_is_passed_on(void **state)
{
	char err[160];
	double l, r;
	bool ok = true;

	(void)state;
	assert_int_equal(eval_text("broken > 0", &l, &r, &ok, err, sizeof(err)), -EIO);
	assert_false(ok);
	assert_non_null(strstr(err, "'broken'"));
}

static void test_division_by_zero(void **state)
{
	char err[160];
	double l, r;
	bool ok = true;

	(void)state;
	assert_int_equal(eval_text("a / (b - b) > 1", &l, &r, &ok, err, sizeof(err)), -EDOM);
	assert_string_equal(err, "division by zero at column 3");
	assert_false(ok);
	assert_int_equal(eval_text("1 < pgscan_direct / zero", &l, &r, &ok, err, sizeof(err)),
			 -EDOM);
	assert_string_equal(err, "division by zero at column 19");
}

/* ---- names ---- */

struct names {
	const char *seen[16];
	size_t n;
	size_t stop_at;   /* return non-zero on this call (1-based), 0: never */
};

static int collect(void *ctx, const char *name)
{
	struct names *s = ctx;

	if (s->n < 16)
		s->seen[s->n] = name;
	s->n++;
	return s->n == s->stop_at ? 42 : 0;
}

static void test_foreach_lists_every_name(void **state)
{
	static const char *const want[] = { "a", "probe.touch.p99_us", "b", "c", "d", "e" };
	struct names s = { .n = 0 };
	struct rb_expect *e;

	(void)state;
	assert_int_equal(rb_expect_parse("a + probe.touch.p99_us * (b - -c) > 10 * d / e", &e,
					 NULL, 0), 0);
	assert_int_equal(rb_expect_foreach_name(e, collect, &s), 0);
	assert_int_equal(s.n, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(s.seen[i], want[i]);
	rb_expect_free(e);
}

static void test_foreach_stops_on_nonzero(void **state)
{
	struct names s = { .stop_at = 2 };
	struct rb_expect *e;

	(void)state;
	assert_int_equal(rb_expect_parse("x + y > z", &e, NULL, 0), 0);
	assert_int_equal(rb_expect_foreach_name(e, collect, &s), 42);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.seen[1], "y");
	rb_expect_free(e);
}

static void test_foreach_without_names(void **state)
{
	struct names s = { .n = 0 };
	struct rb_expect *e;

	(void)state;
	assert_int_equal(rb_expect_parse("1 + 2 > 0", &e, NULL, 0), 0);
	assert_int_equal(rb_expect_foreach_name(e, collect, &s), 0);
	assert_int_equal(s.n, 0);
	rb_expect_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_comparison_sides),
		cmocka_unit_test(test_each_operator_true),
		cmocka_unit_test(test_each_operator_false),
		cmocka_unit_test(test_precedence_and_associativity),
		cmocka_unit_test(test_parentheses),
		cmocka_unit_test(test_unary_minus),
		cmocka_unit_test(test_number_forms),
		cmocka_unit_test(test_dotted_metric_names),
		cmocka_unit_test(test_whitespace_is_optional),
		cmocka_unit_test(test_eval_against_two_runs),
		cmocka_unit_test(test_error_empty),
		cmocka_unit_test(test_error_no_comparison),
		cmocka_unit_test(test_error_unexpected_token_after_rhs),
		cmocka_unit_test(test_error_unbalanced_close_paren),
		cmocka_unit_test(test_error_bad_character),
		cmocka_unit_test(test_error_missing_paren),
		cmocka_unit_test(test_error_second_comparison),
		cmocka_unit_test(test_error_missing_operand),
		cmocka_unit_test(test_error_malformed_number),
		cmocka_unit_test(test_error_number_out_of_range),
		cmocka_unit_test(test_error_nesting_too_deep),
		cmocka_unit_test(test_error_message_truncated_to_buffer),
		cmocka_unit_test(test_unknown_metric),
		cmocka_unit_test(test_first_unknown_metric_is_named),
		cmocka_unit_test(test_lookup_error_is_passed_on),
		cmocka_unit_test(test_division_by_zero),
		cmocka_unit_test(test_foreach_lists_every_name),
		cmocka_unit_test(test_foreach_stops_on_nonzero),
		cmocka_unit_test(test_foreach_without_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
