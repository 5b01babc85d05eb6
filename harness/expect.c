/* expect.c - the `expect = A OP B` lines of a profile: a small lexer and
 * recursive-descent parser building an expression tree, its evaluator over
 * the run's metrics, and a walker listing the metric names it uses.
 *
 * Grammar (one comparison, usual precedence, left associative):
 *
 *     expect  := sum CMP sum END          CMP: > >= < <= == !=
 *     sum     := term { ('+' | '-') term }
 *     term    := unary { ('*' | '/') unary }
 *     unary   := '-' unary | primary
 *     primary := NUMBER | NAME | '(' sum ')'
 *
 * NUMBER is 123, 0.5, .5, 1e3, 2.5E-3; NAME is [A-Za-z_][A-Za-z0-9_.]*.
 * Columns in error messages count bytes from 1. */
#include "expect.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64   /* nesting of parentheses and unary minus */
#define SHOW_MAX 40    /* longest token quoted in an error message */

enum tok_kind { T_END, T_NUM, T_NAME, T_OP, T_LPAREN, T_RPAREN, T_CMP, T_BAD };
enum cmp_op { CMP_GT, CMP_GE, CMP_LT, CMP_LE, CMP_EQ, CMP_NE };
enum node_kind { N_NUM, N_METRIC, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV };

struct token {
	enum tok_kind kind;
	size_t at, len;      /* byte offset and length in the text */
	double num;          /* T_NUM */
	enum cmp_op cmp;     /* T_CMP */
};

struct node {
	enum node_kind kind;
	double num;          /* N_NUM */
	char *name;          /* N_METRIC */
	size_t col;          /* N_DIV: column of the '/' */
	struct node *l, *r;  /* N_NEG uses l only */
};

struct rb_expect {
	struct node *lhs, *rhs;
	enum cmp_op cmp;
};

struct parser {
	const char *text;
	size_t pos;          /* lexer position */
	struct token tok;    /* lookahead */
	struct token prev;   /* last token consumed */
	int depth;
	int error;           /* 0, -EINVAL or -ENOMEM; the first error wins */
	char *err;
	size_t errlen;
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void fail(struct parser *p, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record the first error of a parse; later ones are consequences. */
static void fail(struct parser *p, int error, const char *fmt, ...)
{
	va_list ap;

	if (p->error)
		return;
	p->error = error;
	if (!p->err || !p->errlen)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
}

/* ---- lexer ---- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c) || c == '.';
}

static size_t digits(const char *s)
{
	size_t n = 0;

	while (is_digit(s[n]))
		n++;
	return n;
}

/* Length of a number at s: digits [. digits] [e [+-] digits]. */
static size_t number_len(const char *s)
{
	size_t n = digits(s);

	if (s[n] == '.')
		n += 1 + digits(s + n + 1);
	if ((s[n] == 'e' || s[n] == 'E') &&
	    (is_digit(s[n + 1]) || ((s[n + 1] == '+' || s[n + 1] == '-') && is_digit(s[n + 2]))))
		n += 2 + digits(s + n + 2);
	return n;
}

static void lex_number(struct parser *p, struct token *t)
{
	const char *s = p->text + t->at;
	size_t n = number_len(s);
	char buf[64];

	t->len = n;
	if (is_name_char(s[n]) || n >= sizeof(buf)) {
		t->len = n + (is_name_char(s[n]) ? 1 : 0);
		while (is_name_char(s[t->len]))
			t->len++;
		t->kind = T_BAD;
		fail(p, -EINVAL, "malformed number '%.*s' at column %zu",
		     (int)(t->len < SHOW_MAX ? t->len : SHOW_MAX), s, t->at + 1);
		return;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	t->kind = T_NUM;
	t->num = strtod(buf, NULL);
	if (isinf(t->num)) {
		t->kind = T_BAD;
		fail(p, -EINVAL, "number '%s' at column %zu is out of range", buf, t->at + 1);
	}
}

/* Comparison operators; returns false if s is not one. */
static bool lex_cmp(const char *s, struct token *t)
{
	static const struct { const char *s; enum cmp_op op; } ops[] = {
		{ ">=", CMP_GE }, { "<=", CMP_LE }, { "==", CMP_EQ }, { "!=", CMP_NE },
		{ ">", CMP_GT }, { "<", CMP_LT },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].s);

		if (strncmp(s, ops[i].s, n) == 0) {
			t->kind = T_CMP;
			t->cmp = ops[i].op;
			t->len = n;
			return true;
		}
	}
	return false;
}

static void lex_other(struct parser *p, struct token *t)
{
	const char *s = p->text + t->at;

	t->len = 1;
	if (strchr("+-*/", *s)) {
		t->kind = T_OP;
	} else if (*s == '(') {
		t->kind = T_LPAREN;
	} else if (*s == ')') {
		t->kind = T_RPAREN;
	} else if (!lex_cmp(s, t)) {
		t->kind = T_BAD;
		fail(p, -EINVAL, "unexpected '%c' at column %zu%s", *s, t->at + 1,
		     *s == '=' ? " (did you mean '=='?)" : "");
	}
}

/* Read the next token into p->tok, remembering the current one in p->prev. */
static void advance(struct parser *p)
{
	struct token *t = &p->tok;
	const char *s;

	p->prev = *t;
	while (p->text[p->pos] && strchr(" \t\r\n", p->text[p->pos]))
		p->pos++;
	s = p->text + p->pos;
	memset(t, 0, sizeof(*t));
	t->at = p->pos;
	if (!*s) {
		t->kind = T_END;
	} else if (is_digit(*s) || (*s == '.' && is_digit(s[1]))) {
		lex_number(p, t);
	} else if (is_name_start(*s)) {
		t->kind = T_NAME;
		while (is_name_char(s[t->len]))
			t->len++;
	} else {
		lex_other(p, t);
	}
	p->pos += t->len;
}

/* ---- tree ---- */

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->l);
	node_free(n->r);
	free(n->name);
	free(n);
}

static struct node *node_new(struct parser *p, enum node_kind kind, struct node *l,
			     struct node *r)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		node_free(l);
		node_free(r);
		fail(p, -ENOMEM, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->l = l;
	n->r = r;
	return n;
}

/* ---- parser ---- */

static struct node *parse_sum(struct parser *p);

/* Describe the lookahead for "expected X, found Y" messages. */
static void fail_expected(struct parser *p, const char *what)
{
	const struct token *t = &p->tok;

	if (t->kind == T_END)
		fail(p, -EINVAL, "expected %s at end of expression, after '%.*s'", what,
		     (int)(p->prev.len < SHOW_MAX ? p->prev.len : SHOW_MAX),
		     p->text + p->prev.at);
	else
		fail(p, -EINVAL, "expected %s at column %zu, found '%.*s'", what, t->at + 1,
		     (int)(t->len < SHOW_MAX ? t->len : SHOW_MAX), p->text + t->at);
}

static struct node *parse_leaf(struct parser *p)
{
	struct node *n = node_new(p, p->tok.kind == T_NUM ? N_NUM : N_METRIC, NULL, NULL);

	if (!n)
		return NULL;
	if (p->tok.kind == T_NUM) {
		n->num = p->tok.num;
	} else {
		n->name = strndup(p->text + p->tok.at, p->tok.len);
		if (!n->name) {
			node_free(n);
			fail(p, -ENOMEM, "out of memory");
			return NULL;
		}
	}
	advance(p);
	return n;
}

static struct node *parse_group(struct parser *p)
{
	size_t open_col = p->tok.at + 1;
	struct node *n;

	advance(p);
	n = parse_sum(p);
	if (n && p->tok.kind != T_RPAREN) {
		if (p->tok.kind == T_END)
			fail(p, -EINVAL, "missing ')' to close the '(' at column %zu", open_col);
		else if (p->tok.kind != T_BAD)
			fail(p, -EINVAL, "missing ')' to close the '(' at column %zu: found '%.*s' "
			     "at column %zu", open_col,
			     (int)(p->tok.len < SHOW_MAX ? p->tok.len : SHOW_MAX),
			     p->text + p->tok.at, p->tok.at + 1);
		node_free(n);
		return NULL;
	}
	if (n)
		advance(p);
	return n;
}

static struct node *parse_unary(struct parser *p)
{
	struct node *n = NULL;

	if (p->error)
		return NULL;
	if (++p->depth > MAX_DEPTH) {
		fail(p, -EINVAL, "expression nested more than %d deep at column %zu", MAX_DEPTH,
		     p->tok.at + 1);
	} else if (p->tok.kind == T_OP && p->text[p->tok.at] == '-') {
		advance(p);
		n = parse_unary(p);
		n = n ? node_new(p, N_NEG, n, NULL) : NULL;
	} else if (p->tok.kind == T_NUM || p->tok.kind == T_NAME) {
		n = parse_leaf(p);
	} else if (p->tok.kind == T_LPAREN) {
		n = parse_group(p);
	} else if (p->tok.kind != T_BAD) {
		fail_expected(p, "a number, metric name or '('");
	}
	p->depth--;
	return n;
}

/* Parse `operand { op operand }` for the two operators in `ops`. */
static struct node *parse_chain(struct parser *p, const char *ops, enum node_kind k0,
				enum node_kind k1, struct node *(*operand)(struct parser *))
{
	struct node *n = operand(p);

	while (n && p->tok.kind == T_OP && strchr(ops, p->text[p->tok.at])) {
		enum node_kind kind = p->text[p->tok.at] == ops[0] ? k0 : k1;
		size_t col = p->tok.at + 1;
		struct node *r;

		advance(p);
		r = operand(p);
		if (!r) {
			node_free(n);
			return NULL;
		}
		n = node_new(p, kind, n, r);
		if (n)
			n->col = col;
	}
	return n;
}

static struct node *parse_term(struct parser *p)
{
	return parse_chain(p, "*/", N_MUL, N_DIV, parse_unary);
}

static struct node *parse_sum(struct parser *p)
{
	return parse_chain(p, "+-", N_ADD, N_SUB, parse_term);
}

/* After the left side: the comparison operator. */
static bool parse_cmp(struct parser *p, struct rb_expect *e)
{
	if (p->tok.kind == T_RPAREN) {
		fail(p, -EINVAL, "unexpected ')' at column %zu: no '(' to close", p->tok.at + 1);
		return false;
	}
	if (p->tok.kind != T_CMP) {
		if (p->tok.kind != T_BAD)
			fail(p, -EINVAL,
			     "expected a comparison operator (> >= < <= == !=) after '%.*s'",
			     (int)(p->prev.len < SHOW_MAX ? p->prev.len : SHOW_MAX),
			     p->text + p->prev.at);
		return false;
	}
	e->cmp = p->tok.cmp;
	advance(p);
	return true;
}

/* After the right side: nothing, and in particular no second operator. */
static void parse_end(struct parser *p)
{
	const struct token *t = &p->tok;

	if (t->kind == T_END || t->kind == T_BAD)
		return;
	if (t->kind == T_CMP)
		fail(p, -EINVAL,
		     "only one comparison operator is allowed: second '%.*s' at column %zu",
		     (int)t->len, p->text + t->at, t->at + 1);
	else if (t->kind == T_RPAREN)
		fail(p, -EINVAL, "unexpected ')' at column %zu: no '(' to close", t->at + 1);
	else
		fail(p, -EINVAL, "unexpected '%.*s' at column %zu",
		     (int)(t->len < SHOW_MAX ? t->len : SHOW_MAX), p->text + t->at, t->at + 1);
}

static void parse_expect(struct parser *p, struct rb_expect *e)
{
	advance(p);
	if (p->tok.kind == T_END) {
		fail(p, -EINVAL, "empty expression");
		return;
	}
	e->lhs = parse_sum(p);
	if (!e->lhs || !parse_cmp(p, e))
		return;
	e->rhs = parse_sum(p);
	if (e->rhs)
		parse_end(p);
}

int rb_expect_parse(const char *text, struct rb_expect **out, char *err, size_t errlen)
{
	struct parser p = { .text = text, .err = err, .errlen = errlen };
	struct rb_expect *e = calloc(1, sizeof(*e));

	*out = NULL;
	set_err(err, errlen, "%s", "");
	if (!e)
		return -ENOMEM;
	parse_expect(&p, e);
	if (p.error) {
		rb_expect_free(e);
		return p.error;
	}
	*out = e;
	return 0;
}

/* ---- evaluation ---- */

struct eval {
	rb_metric_lookup lookup;
	void *ctx;
	char *err;
	size_t errlen;
};

static int eval_node(const struct node *n, struct eval *ev, double *out);

static int eval_binary(const struct node *n, struct eval *ev, double *out)
{
	double a, b;
	int ret = eval_node(n->l, ev, &a);

	if (!ret)
		ret = eval_node(n->r, ev, &b);
	if (ret)
		return ret;
	if (n->kind == N_DIV && b == 0.0) {
		set_err(ev->err, ev->errlen, "division by zero at column %zu", n->col);
		return -EDOM;
	}
	switch (n->kind) {
	case N_ADD: *out = a + b; break;
	case N_SUB: *out = a - b; break;
	case N_MUL: *out = a * b; break;
	default:    *out = a / b; break;
	}
	return 0;
}

static int eval_node(const struct node *n, struct eval *ev, double *out)
{
	int ret = 0;

	switch (n->kind) {
	case N_NUM:
		*out = n->num;
		break;
	case N_METRIC:
		ret = ev->lookup(ev->ctx, n->name, out);
		if (ret == -ENOENT)
			set_err(ev->err, ev->errlen, "no metric '%s' in this run", n->name);
		else if (ret)
			set_err(ev->err, ev->errlen, "metric '%s': %s", n->name, strerror(-ret));
		break;
	case N_NEG:
		ret = eval_node(n->l, ev, out);
		if (!ret)
			*out = -*out;
		break;
	default:
		ret = eval_binary(n, ev, out);
		break;
	}
	return ret;
}

static bool compare(enum cmp_op op, double a, double b)
{
	switch (op) {
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_EQ: return a == b;
	default:     return a != b;
	}
}

int rb_expect_eval(const struct rb_expect *e, rb_metric_lookup lookup, void *ctx,
		   double *lhs, double *rhs, bool *ok, char *err, size_t errlen)
{
	struct eval ev = { .lookup = lookup, .ctx = ctx, .err = err, .errlen = errlen };
	double a = NAN, b = NAN;
	int ret;

	set_err(err, errlen, "%s", "");
	ret = eval_node(e->lhs, &ev, &a);
	if (!ret)
		ret = eval_node(e->rhs, &ev, &b);
	*lhs = ret ? NAN : a;
	*rhs = ret ? NAN : b;
	*ok = !ret && compare(e->cmp, a, b);
	return ret;
}

/* ---- names ---- */

static int foreach_node(const struct node *n, int (*fn)(void *ctx, const char *name),
			void *ctx)
{
	int ret = 0;

	if (!n)
		return 0;
	if (n->kind == N_METRIC)
		return fn(ctx, n->name);
	ret = foreach_node(n->l, fn, ctx);
	if (!ret)
		ret = foreach_node(n->r, fn, ctx);
	return ret;
}

int rb_expect_foreach_name(const struct rb_expect *e, int (*fn)(void *ctx, const char *name),
			   void *ctx)
{
	int ret = foreach_node(e->lhs, fn, ctx);

	return ret ? ret : foreach_node(e->rhs, fn, ctx);
}

void rb_expect_free(struct rb_expect *e)
{
	if (!e)
		return;
	node_free(e->lhs);
	node_free(e->rhs);
	free(e);
}
