/* compare_format.c - the comparison as aligned text (two lines a metric,
 * colour only when asked or on a TTY), as a markdown table for reviews, and
 * as JSON (json-c; figures that are undefined are null). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare_priv.h"

/* A figure in at most ~9 characters: "-" when undefined. */
static const char *num(double v, char *buf, size_t len)
{
	double a = fabs(v);

	if (isnan(v))
		(void)snprintf(buf, len, "-");
	else if (v == 0)
		(void)snprintf(buf, len, "0");
	else if (a >= 1e6 || a < 1e-3)
		(void)snprintf(buf, len, "%.3g", v);
	else if (a >= 100)
		(void)snprintf(buf, len, "%.0f", v);
	else
		(void)snprintf(buf, len, "%.3g", v);
	return buf;
}

static const char *pval(double p, char *buf, size_t len)
{
	if (isnan(p))
		(void)snprintf(buf, len, "-");
	else if (p < 1e-4)
		(void)snprintf(buf, len, "<1e-4");
	else
		(void)snprintf(buf, len, "%.2g", p);
	return buf;
}

/* "+12%", "-3.4%", and "-99.98%" rather than a rounded "-100%". */
static const char *signed_pct(double frac, char *buf, size_t len)
{
	double v = frac * 100, a = fabs(v);

	if (a >= 99 && a < 100)
		(void)snprintf(buf, len, "%+.2f%%", v < 0 ? fmax(v, -99.99) : fmin(v, 99.99));
	else
		(void)snprintf(buf, len, a < 10 ? "%+.1f%%" : "%+.0f%%", v);
	return buf;
}

/* "lo .. hi" of two figures. */
static const char *interval(double lo, double hi, char *buf, size_t len)
{
	char a[32], b[32];

	if (isnan(lo) || isnan(hi))
		(void)snprintf(buf, len, "-");
	else
		(void)snprintf(buf, len, "%s .. %s", num(lo, a, sizeof(a)), num(hi, b, sizeof(b)));
	return buf;
}

/* The change and its interval: relative, or absolute when mean(A) is 0. */
static void change(const struct rb_compare_row *r, char *chg, char *ci, size_t len)
{
	char lo[32], hi[32];

	if (!isnan(r->rel)) {
		(void)signed_pct(r->rel, chg, len);
		if (isnan(r->rel_lo))
			(void)snprintf(ci, len, "-");
		else
			(void)snprintf(ci, len, "%s .. %s", signed_pct(r->rel_lo, lo, sizeof(lo)),
				       signed_pct(r->rel_hi, hi, sizeof(hi)));
		return;
	}
	if (isnan(r->diff)) {
		(void)snprintf(chg, len, "-");
		(void)snprintf(ci, len, "-");
		return;
	}
	(void)snprintf(chg, len, "%s%s", r->diff > 0 ? "+" : "", num(r->diff, lo, sizeof(lo)));
	(void)interval(r->diff_lo, r->diff_hi, ci, len);
}

static const char *color_of(enum rb_compare_verdict v)
{
	switch (v) {
	case RB_VERDICT_BETTER: return "\033[32m";
	case RB_VERDICT_WORSE: return "\033[31m";
	case RB_VERDICT_CHANGED: return "\033[33m";
	default: return NULL;
	}
}

static bool enough_runs(const struct rb_compare_result *r)
{
	return r->a->n >= RB_COMPARE_MIN_N && r->b->n >= RB_COMPARE_MIN_N;
}

/* A side's figures; padded to the change columns only when they follow. */
static void side_line(const struct rb_stats_summary *st, const char *name, const char *which,
		      bool pad, FILE *f)
{
	char m[32], mean[32], sd[32], ci[80];

	fprintf(f, "%-30s %-4s %3zu %9s %9s %9s  %-*s", name, which, st->n,
		num(st->median, m, sizeof(m)), num(st->mean, mean, sizeof(mean)),
		num(st->sd, sd, sizeof(sd)), pad ? 21 : 0,
		interval(st->mean_lo, st->mean_hi, ci, sizeof(ci)));
}

static void text_row(const struct rb_compare_result *res, const struct rb_compare_row *r,
		     FILE *f)
{
	char chg[128], ci[128], pu[16], pt[16];
	const char *col = res->color ? color_of(r->verdict) : NULL;

	side_line(&r->a, r->metric, "A", false, f);
	fputc('\n', f);
	side_line(&r->b, "", "B", true, f);
	change(r, chg, ci, sizeof(chg));
	fprintf(f, " %8s  %-19s %6s %6s  %s%s%s\n", chg, ci, pval(r->mw.p, pu, sizeof(pu)),
		pval(r->p_welch, pt, sizeof(pt)), col ? col : "",
		rb_compare_verdict_name(r->verdict), col ? "\033[0m" : "");
}

/* The closing list: one sentence per significant change. */
static void verdicts(const struct rb_compare_result *res, const char *bullet, FILE *f)
{
	size_t shown = 0;
	char line[1024];

	if (!enough_runs(res)) {
		fprintf(f, "%sn<3: no verdict (A has %zu complete run%s, B has %zu; at least %d a "
			   "side are needed)\n", bullet, res->a->n, res->a->n == 1 ? "" : "s",
			res->b->n, RB_COMPARE_MIN_N);
		return;
	}
	for (size_t i = 0; i < res->n_rows; i++) {
		const struct rb_compare_row *r = &res->rows[i];
		if (r->verdict < RB_VERDICT_BETTER)
			continue;
		rb_compare_sentence(r, res->b->label, line, sizeof(line));
		fprintf(f, "%s%s\n", bullet, line);
		shown++;
	}
	if (!shown)
		fprintf(f, "%sno significant change in %zu metric%s\n", bullet, res->n_rows,
			res->n_rows == 1 ? "" : "s");
}

static void header(const struct rb_compare_result *r, const char *pre, FILE *f)
{
	fprintf(f, "%sA/B comparison of %s", pre, r->a->profile);
	if (strcmp(r->a->profile, r->b->profile))
		fprintf(f, " vs %s", r->b->profile);
	fprintf(f, ": A = %s (%zu run%s), B = %s (%zu run%s)", r->a->label, r->a->n,
		r->a->n == 1 ? "" : "s", r->b->label, r->b->n, r->b->n == 1 ? "" : "s");
	if (r->a->skipped + r->b->skipped)
		fprintf(f, "; %zu incomplete run%s left out", r->a->skipped + r->b->skipped,
			r->a->skipped + r->b->skipped == 1 ? "" : "s");
	fputc('\n', f);
}

/* The notes under the table, each ending in eol ("\n\n" for markdown paragraphs). */
static void notes(const struct rb_compare_result *r, const char *eol, FILE *f)
{
	if (r->n_all_zero)
		fprintf(f, "%zu metric%s 0 in every run, left out (--metrics NAME shows one)%s",
			r->n_all_zero, r->n_all_zero == 1 ? " was" : "s were", eol);
	fprintf(f, "change: mean(B)/mean(A) - 1 (absolute when mean(A) is 0) with a 95%% "
		   "bootstrap CI; p(U) Mann-Whitney U, p(t) Welch's t%s", eol);
	fprintf(f, "significant: p < %.2g (Mann-Whitney from 4+4 runs on, Welch with fewer) "
		   "and the change's CI excludes 0%s", RB_COMPARE_ALPHA, eol);
}

void rb_compare_write_text(const struct rb_compare_result *r, FILE *f)
{
	header(r, "", f);
	fprintf(f, "\n%-30s %-4s %3s %9s %9s %9s  %-21s %8s  %-19s %6s %6s  %s\n", "metric", "side",
		"n", "median", "mean", "sd", "95% CI of mean", "change", "95% CI of change", "p(U)",
		"p(t)", "verdict");
	for (size_t i = 0; i < r->n_rows; i++)
		text_row(r, &r->rows[i], f);
	fputc('\n', f);
	notes(r, "\n", f);
	fprintf(f, "\nverdict:\n");
	verdicts(r, "  ", f);
}

static void md_side(const struct rb_stats_summary *s, FILE *f)
{
	char m[32], lo[32], hi[32], mean[32], sd[32];

	fprintf(f, " %s [%s, %s] | %s ± %s |", num(s->median, m, sizeof(m)),
		num(s->median_lo, lo, sizeof(lo)), num(s->median_hi, hi, sizeof(hi)),
		num(s->mean, mean, sizeof(mean)), num(s->sd, sd, sizeof(sd)));
}

static void md_row(const struct rb_compare_row *r, FILE *f)
{
	char chg[128], ci[128], pu[16], pt[16];
	bool bold = r->verdict >= RB_VERDICT_BETTER;

	change(r, chg, ci, sizeof(chg));
	fprintf(f, "| `%s` | %zu/%zu |", r->metric, r->a.n, r->b.n);
	md_side(&r->a, f);
	md_side(&r->b, f);
	fprintf(f, " %s [%s] | %s | %s | %s%s%s |\n", chg, ci, pval(r->mw.p, pu, sizeof(pu)),
		pval(r->p_welch, pt, sizeof(pt)), bold ? "**" : "",
		rb_compare_verdict_name(r->verdict), bold ? "**" : "");
}

void rb_compare_write_markdown(const struct rb_compare_result *r, FILE *f)
{
	header(r, "### ", f);
	fprintf(f, "\n| metric | n A/B | A median [95%% CI] | A mean ± sd | B median [95%% CI] | "
		   "B mean ± sd | change [95%% CI] | p (U) | p (t) | verdict |\n"
		   "|:--|--:|--:|--:|--:|--:|--:|--:|--:|:--|\n");
	for (size_t i = 0; i < r->n_rows; i++)
		md_row(&r->rows[i], f);
	fprintf(f, "\n");
	notes(r, "\n\n", f);
	fprintf(f, "median CI: order statistics, exact coverage (below 6 runs: min..max, "
		   "coverage 75%% for 3 runs, 94%% for 5)\n\n**Verdict**\n\n");
	verdicts(r, "- ", f);
}

/* A number as JSON with 10 significant digits (no 0.94999999999999996); null
 * when undefined. */
static struct json_object *jnum(double v)
{
	char text[32];

	if (isnan(v) || isinf(v))
		return NULL;
	(void)snprintf(text, sizeof(text), "%.10g", v);
	return json_object_new_double_s(v, text);
}

static struct json_object *jpair(double lo, double hi)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, jnum(lo));
	json_object_array_add(a, jnum(hi));
	return a;
}

static struct json_object *json_stats(const struct rb_stats_summary *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "n", json_object_new_int64((int64_t)s->n));
	json_object_object_add(o, "median", jnum(s->median));
	json_object_object_add(o, "median_ci", jpair(s->median_lo, s->median_hi));
	json_object_object_add(o, "median_ci_coverage", jnum(s->median_coverage));
	json_object_object_add(o, "mean", jnum(s->mean));
	json_object_object_add(o, "sd", jnum(s->sd));
	json_object_object_add(o, "mean_ci", jpair(s->mean_lo, s->mean_hi));
	return o;
}

static const char *dir_name(enum rb_direction d)
{
	return d == RB_LOWER_BETTER ? "lower" : d == RB_HIGHER_BETTER ? "higher" : "neutral";
}

static struct json_object *json_row(const struct rb_compare_row *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "metric", json_object_new_string(r->metric));
	json_object_object_add(o, "better", json_object_new_string(dir_name(r->dir)));
	json_object_object_add(o, "a", json_stats(&r->a));
	json_object_object_add(o, "b", json_stats(&r->b));
	json_object_object_add(o, "relative_change", jnum(r->rel));
	json_object_object_add(o, "relative_change_ci", jpair(r->rel_lo, r->rel_hi));
	json_object_object_add(o, "difference", jnum(r->diff));
	json_object_object_add(o, "difference_ci", jpair(r->diff_lo, r->diff_hi));
	json_object_object_add(o, "mann_whitney_u", jnum(r->mw.u));
	json_object_object_add(o, "mann_whitney_p", jnum(r->mw.p));
	json_object_object_add(o, "mann_whitney_exact", json_object_new_boolean(r->mw.exact));
	json_object_object_add(o, "welch_p", jnum(r->p_welch));
	json_object_object_add(o, "test", json_object_new_string(r->test));
	json_object_object_add(o, "p", jnum(r->p));
	json_object_object_add(o, "verdict", json_object_new_string(
		rb_compare_verdict_name(r->verdict)));
	return o;
}

static struct json_object *json_side(const struct rb_compare_side *s)
{
	struct json_object *o = json_object_new_object(), *runs = json_object_new_array();

	for (size_t i = 0; i < s->n; i++)
		json_object_array_add(runs, json_object_new_string(s->runs[i].dir));
	json_object_object_add(o, "label", json_object_new_string(s->label));
	json_object_object_add(o, "profile", json_object_new_string(s->profile));
	json_object_object_add(o, "runs", runs);
	json_object_object_add(o, "left_out", json_object_new_int64((int64_t)s->skipped));
	return o;
}

static struct json_object *json_verdicts(const struct rb_compare_result *r)
{
	struct json_object *list = json_object_new_array();
	char line[1024];

	for (size_t i = 0; enough_runs(r) && i < r->n_rows; i++) {
		if (r->rows[i].verdict < RB_VERDICT_BETTER)
			continue;
		rb_compare_sentence(&r->rows[i], r->b->label, line, sizeof(line));
		json_object_array_add(list, json_object_new_string(line));
	}
	return list;
}

void rb_compare_write_json(const struct rb_compare_result *r, FILE *f)
{
	struct json_object *o = json_object_new_object(), *rows = json_object_new_array();

	json_object_object_add(o, "a", json_side(r->a));
	json_object_object_add(o, "b", json_side(r->b));
	json_object_object_add(o, "level", jnum(RB_COMPARE_LEVEL));
	json_object_object_add(o, "alpha", jnum(RB_COMPARE_ALPHA));
	json_object_object_add(o, "verdict_possible", json_object_new_boolean(enough_runs(r)));
	json_object_object_add(o, "warnings", json_object_get(r->warnings));
	for (size_t i = 0; i < r->n_rows; i++)
		json_object_array_add(rows, json_row(&r->rows[i]));
	json_object_object_add(o, "metrics", rows);
	json_object_object_add(o, "metrics_all_zero",
			       json_object_new_int64((int64_t)r->n_all_zero));
	json_object_object_add(o, "verdicts", json_verdicts(r));
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}
