/* units.c - parse and format sizes ("4K", "1.5G", "40%", "2x") and durations
 * ("250us", "500ms", "60s", "5m", "1h").
 *
 * Numbers are read as exact decimals (mantissa / 10^scale) and scaled with
 * 128-bit integer arithmetic, so "1.5G" is exactly 1610612736 and overflow is
 * detected rather than rounded away. Surrounding whitespace is allowed; a
 * space between the number and its suffix is not. */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef unsigned __int128 u128;

/* A parsed decimal: value = mant / 10^scale. */
struct decimal {
	uint64_t mant;
	unsigned scale;
};

/* A suffix and its multiplier, for parsing and formatting. */
struct unit {
	const char *sfx;
	uint64_t mult;
};

#define NS_PER_SEC 1000000000ull

/* Largest unit first; formatting walks these downwards. */
static const struct unit size_units[] = {
	{ "T", 1ull << 40 }, { "G", 1ull << 30 }, { "M", 1ull << 20 }, { "K", 1ull << 10 },
	{ "", 1 },
};

static const struct unit duration_units[] = {
	{ "h", 3600 * NS_PER_SEC }, { "m", 60 * NS_PER_SEC }, { "s", NS_PER_SEC },
	{ "ms", 1000000 }, { "us", 1000 }, { "ns", 1 },
};

#define NUNITS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_FRAC_DIGITS 18 /* beyond this, fraction digits only add noise */
#define SHORT_LIMIT 10000  /* exact forms longer than 4 integer digits are not short */

static const char *skip_space(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* Read one or more digits into d->mant; integer digits must fit, extra
 * fraction digits are dropped. Returns 0, -EINVAL (no digit) or -ERANGE. */
static int read_digits(const char **pp, struct decimal *d, bool fraction)
{
	const char *p = *pp;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		uint64_t next;

		if (fraction && d->scale >= MAX_FRAC_DIGITS)
			continue;
		if (__builtin_mul_overflow(d->mant, 10, &next) ||
		    __builtin_add_overflow(next, (uint64_t)(*p - '0'), &next))
			return -ERANGE;
		d->mant = next;
		d->scale += fraction;
	}
	*pp = p;
	return 0;
}

/* Parse "123" or "1.25" at *pp (after leading whitespace). */
static int parse_decimal(const char **pp, struct decimal *d)
{
	int ret;

	*d = (struct decimal){ 0, 0 };
	*pp = skip_space(*pp);
	ret = read_digits(pp, d, false);
	if (ret == 0 && **pp == '.') {
		(*pp)++;
		ret = read_digits(pp, d, true);
	}
	return ret;
}

/* out = round(d * num / den). Returns 0 or -ERANGE. */
static int scale_decimal(const struct decimal *d, uint64_t num, uint64_t den, uint64_t *out)
{
	u128 divisor = den;
	u128 prod = (u128)d->mant * num;
	u128 q, r;

	for (unsigned i = 0; i < d->scale; i++)
		divisor *= 10;
	q = prod / divisor;
	r = prod % divisor;
	if (r * 2 >= divisor)
		q++;
	if (q > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)q;
	return 0;
}

/* Only trailing whitespace may follow the value. */
static int expect_end(const char *p)
{
	return *skip_space(p) == '\0' ? 0 : -EINVAL;
}

/* Size suffix at *pp: sets the multiplier (num/den of base for % and x). */
static int size_suffix(const char **pp, uint64_t base, uint64_t *num, uint64_t *den)
{
	static const char letters[] = "kmgt";
	const char *p = *pp;
	const char *letter = *p ? strchr(letters, tolower((unsigned char)*p)) : NULL;

	*num = 1;
	*den = 1;
	if (*p == '%' || tolower((unsigned char)*p) == 'x') {
		*num = base;
		*den = *p == '%' ? 100 : 1;
		*pp = p + 1;
		return base ? 0 : -EINVAL;
	}
	if (letter) {
		*num = 1ull << (10 * (letter - letters + 1));
		p++;
		if (tolower((unsigned char)*p) == 'i' && tolower((unsigned char)p[1]) == 'b')
			p++;
	}
	if (tolower((unsigned char)*p) == 'b')
		p++;
	*pp = p;
	return 0;
}

int rb_parse_size(const char *text, uint64_t base, uint64_t *out_bytes)
{
	const char *p = text;
	struct decimal d;
	uint64_t num, den, bytes;
	int ret;

	ret = parse_decimal(&p, &d);
	if (ret == 0)
		ret = size_suffix(&p, base, &num, &den);
	if (ret == 0)
		ret = expect_end(p);
	if (ret == 0)
		ret = scale_decimal(&d, num, den, &bytes);
	if (ret == 0)
		*out_bytes = bytes;
	return ret;
}

/* Duration suffix at *pp; none means seconds. "ms" is tried before "m". */
static uint64_t duration_suffix(const char **pp)
{
	static const struct unit order[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", NS_PER_SEC },
		{ "m", 60 * NS_PER_SEC }, { "h", 3600 * NS_PER_SEC },
	};

	for (size_t i = 0; i < NUNITS(order); i++) {
		size_t n = strlen(order[i].sfx);

		if (strncasecmp(*pp, order[i].sfx, n) == 0) {
			*pp += n;
			return order[i].mult;
		}
	}
	return NS_PER_SEC;
}

int rb_parse_duration(const char *text, uint64_t *out_ns)
{
	const char *p = text;
	struct decimal d;
	uint64_t mult = 0, ns;
	int ret;

	ret = parse_decimal(&p, &d);
	if (ret == 0) {
		mult = duration_suffix(&p);
		ret = expect_end(p);
	}
	if (ret == 0)
		ret = scale_decimal(&d, mult, 1, &ns);
	if (ret == 0)
		*out_ns = ns;
	return ret;
}

/* Print v / mult exactly if it has at most two decimals and a short integer
 * part ("1.5G", "1.25G", "512M"). Returns false when it does not. */
static bool format_exact(uint64_t v, const struct unit *u, char *buf, size_t len)
{
	u128 hundredths = (u128)v * 100;
	uint64_t whole, frac;

	if (hundredths % u->mult != 0 || v / u->mult >= SHORT_LIMIT)
		return false;
	whole = (uint64_t)(hundredths / u->mult / 100);
	frac = (uint64_t)(hundredths / u->mult % 100);
	if (frac == 0)
		(void)snprintf(buf, len, "%llu%s", (unsigned long long)whole, u->sfx);
	else if (frac % 10 == 0)
		(void)snprintf(buf, len, "%llu.%llu%s", (unsigned long long)whole,
			       (unsigned long long)frac / 10, u->sfx);
	else
		(void)snprintf(buf, len, "%llu.%02llu%s", (unsigned long long)whole,
			       (unsigned long long)frac, u->sfx);
	return true;
}

/* About three significant digits in unit u, trailing zeros dropped. */
static void format_approx(uint64_t v, const struct unit *u, char *buf, size_t len)
{
	double x = (double)v / (double)u->mult;
	int prec = x < 10 ? 2 : x < 100 ? 1 : 0;
	char num[48];
	size_t n;

	(void)snprintf(num, sizeof(num), "%.*f", prec, x);
	n = strlen(num);
	while (prec > 0 && num[n - 1] == '0')
		num[--n] = '\0';
	if (num[n - 1] == '.')
		num[--n] = '\0';
	(void)snprintf(buf, len, "%s%s", num, u->sfx);
}

/* Exact in the largest unit that allows it, else approximate in the largest
 * unit not above v. v must be non-zero. */
static void format_units(uint64_t v, const struct unit *units, size_t n, char *buf, size_t len)
{
	size_t first = 0;

	while (first + 1 < n && v < units[first].mult)
		first++;
	for (size_t i = first; i < n; i++)
		if (format_exact(v, &units[i], buf, len))
			return;
	format_approx(v, &units[first], buf, len);
}

void rb_format_size(uint64_t bytes, char *buf, size_t len)
{
	if (len == 0)
		return;
	if (bytes == 0)
		(void)snprintf(buf, len, "0");
	else
		format_units(bytes, size_units, NUNITS(size_units), buf, len);
}

void rb_format_duration(uint64_t ns, char *buf, size_t len)
{
	if (len == 0)
		return;
	if (ns == 0)
		(void)snprintf(buf, len, "0s");
	else
		format_units(ns, duration_units, NUNITS(duration_units), buf, len);
}
