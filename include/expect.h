/* expect.h - the `expect = ...` lines of a profile: a comparison of two
 * arithmetic expressions over named run metrics, e.g.
 *     expect = pgscan_direct > 0
 *     expect = probe.touch.p99_us > 10 * probe.touch.p50_us
 * Parsed when the profile loads (syntax errors name file:line), evaluated
 * when the run ends against the run's figures. */
#ifndef RB_EXPECT_H
#define RB_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

struct rb_expect; /* parsed expression tree, opaque */

/* Looks a metric name up: returns 0 with *out set, or -ENOENT. */
typedef int (*rb_metric_lookup)(void *ctx, const char *name, double *out);

/* Parse "A OP B", OP one of > >= < <= == !=; A and B use numbers
 * (1e3, 0.5), metric names ([A-Za-z_][A-Za-z0-9_.]*), + - * / and
 * parentheses. Returns 0 or -EINVAL with err describing what was expected
 * where ("expected a comparison operator after 'pgscan_direct'"). */
int rb_expect_parse(const char *text, struct rb_expect **out, char *err, size_t errlen);

/* Evaluate. Sets *lhs and *rhs to the two sides' values and *ok to the
 * comparison's result. Returns 0, or -ENOENT with err naming the first
 * metric the run does not have (then *ok is false), or -EDOM on division
 * by zero. */
int rb_expect_eval(const struct rb_expect *e, rb_metric_lookup lookup, void *ctx,
		   double *lhs, double *rhs, bool *ok, char *err, size_t errlen);

/* Call fn for each metric name the expression uses (e.g. to validate worker
 * names at load time). Stops and returns fn's value when it is non-zero. */
int rb_expect_foreach_name(const struct rb_expect *e, int (*fn)(void *ctx, const char *name),
			   void *ctx);

/* Free; accepts NULL. */
void rb_expect_free(struct rb_expect *e);

#endif
