/* test_units.c - cmocka tests for units.c: parsing and formatting of sizes
 * and durations as written in profiles and on the command line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "units.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define TiB (1ull << 40)
#define MS 1000000ull
#define SEC 1000000000ull

/* Parse text that must be valid and return its value. */
static uint64_t size_of(const char *text, uint64_t base)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(rb_parse_size(text, base, &v), 0);
	return v;
}

static uint64_t ns_of(const char *text)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(rb_parse_duration(text, &v), 0);
	return v;
}

static void test_size_suffixes(void **state)
{
	(void)state;
	assert_int_equal(size_of("4K", 0), 4 * KiB);
	assert_int_equal(size_of("512M", 0), 512 * MiB);
	assert_int_equal(size_of("2G", 0), 2 * GiB);
	assert_int_equal(size_of("1T", 0), TiB);
	assert_int_equal(size_of("4096", 0), 4096);
	assert_int_equal(size_of("0", 0), 0);
}

static void test_size_suffix_spellings(void **state)
{
	(void)state;
	assert_int_equal(size_of("4k", 0), 4 * KiB);
	assert_int_equal(size_of("512MB", 0), 512 * MiB);
	assert_int_equal(size_of("2GiB", 0), 2 * GiB);
	assert_int_equal(size_of("2gib", 0), 2 * GiB);
	assert_int_equal(size_of("3tb", 0), 3 * TiB);
	assert_int_equal(size_of("4096B", 0), 4096);
}

static void test_size_fractions(void **state)
{
	(void)state;
	assert_int_equal(size_of("1.5G", 0), 1610612736ull);
	assert_int_equal(size_of("0.5K", 0), 512);
	assert_int_equal(size_of("0.25T", 0), TiB / 4);
	/* 0.1K is 102.4 bytes: rounded to the nearest byte */
	assert_int_equal(size_of("0.1K", 0), 102);
}

static void test_size_percent_of_base(void **state)
{
	(void)state;
	assert_int_equal(size_of("40%", 1000), 400);
	assert_int_equal(size_of("40%", 4 * GiB), 1717986918ull); /* 1717986918.4 */
	assert_int_equal(size_of("100%", 4 * GiB), 4 * GiB);
	assert_int_equal(size_of("12.5%", 8 * GiB), GiB);
	assert_int_equal(size_of("200%", 3 * GiB), 6 * GiB);
}

static void test_size_multiple_of_base(void **state)
{
	(void)state;
	assert_int_equal(size_of("2x", 4 * GiB), 8 * GiB);
	assert_int_equal(size_of("0.5x", 4 * GiB), 2 * GiB);
	assert_int_equal(size_of("1X", 123), 123);
}

static void test_size_relative_needs_base(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(rb_parse_size("40%", 0, &v), -EINVAL);
	assert_int_equal(rb_parse_size("2x", 0, &v), -EINVAL);
	assert_int_equal(v, 7); /* untouched on error */
}

static void test_size_surrounding_space(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(size_of("  4K\t", 0), 4 * KiB);
	assert_int_equal(rb_parse_size("4 K", 0, &v), -EINVAL);
	assert_int_equal(rb_parse_size("40 %", 100, &v), -EINVAL);
}

static void test_size_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"", "   ", "-4K", "+4K", "K", "4Q", "12Q", "4K junk", "4KK", "4Ki", "4KiBB",
		"1.", ".5G", "1.5.5G", "0x10", "inf", "nan", "4%%", "2xx", "1e3",
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rb_parse_size(bad[i], GiB, &v) != -EINVAL)
			fail_msg("'%s' was not rejected with -EINVAL", bad[i]);
	}
}

static void test_size_overflow(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(size_of("18446744073709551615", 0), UINT64_MAX);
	assert_int_equal(rb_parse_size("18446744073709551616", 0, &v), -ERANGE);
	assert_int_equal(rb_parse_size("99999999999999999999999", 0, &v), -ERANGE);
	assert_int_equal(rb_parse_size("16777216T", 0, &v), -ERANGE); /* exactly 2^64 */
	assert_int_equal(size_of("16777215T", 0), 16777215ull * TiB);
	assert_int_equal(rb_parse_size("2x", UINT64_MAX, &v), -ERANGE);
	assert_int_equal(rb_parse_size("101%", UINT64_MAX, &v), -ERANGE);
}

static void test_duration_suffixes(void **state)
{
	(void)state;
	assert_int_equal(ns_of("10ns"), 10);
	assert_int_equal(ns_of("250us"), 250000);
	assert_int_equal(ns_of("500ms"), 500 * MS);
	assert_int_equal(ns_of("60s"), 60 * SEC);
	assert_int_equal(ns_of("5m"), 300 * SEC);
	assert_int_equal(ns_of("1h"), 3600 * SEC);
	assert_int_equal(ns_of("2MS"), 2 * MS);
}

static void test_duration_bare_seconds(void **state)
{
	(void)state;
	assert_int_equal(ns_of("30"), 30 * SEC);
	assert_int_equal(ns_of("1.5"), 1500 * MS);
	assert_int_equal(ns_of("0"), 0);
	assert_int_equal(ns_of("0.5m"), 30 * SEC);
	assert_int_equal(ns_of("1.0000000005"), SEC + 1); /* rounded to the nearest ns */
}

static void test_duration_surrounding_space(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(ns_of(" 60s\n"), 60 * SEC);
	assert_int_equal(rb_parse_duration("10 s", &v), -EINVAL);
}

static void test_duration_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"", " ", "5x", "-1s", "+1s", "s", "ms", "1.5.5s", "1hh", "1sec", "1.s", "1d",
		"10s junk", "1e3",
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rb_parse_duration(bad[i], &v) != -EINVAL)
			fail_msg("'%s' was not rejected with -EINVAL", bad[i]);
	}
}

static void test_duration_overflow(void **state)
{
	uint64_t v;

	(void)state;
	/* 2^64 ns is about 5124095.6 hours */
	assert_int_equal(ns_of("5124095h"), 5124095ull * 3600 * SEC);
	assert_int_equal(rb_parse_duration("5124096h", &v), -ERANGE);
	assert_int_equal(rb_parse_duration("99999999999999999999", &v), -ERANGE);
}

/* Format into a fresh buffer and return it (static: one result at a time). */
static const char *fsize(uint64_t bytes)
{
	static char buf[32];

	memset(buf, 'Z', sizeof(buf));
	rb_format_size(bytes, buf, sizeof(buf));
	return buf;
}

static const char *fdur(uint64_t ns)
{
	static char buf[32];

	memset(buf, 'Z', sizeof(buf));
	rb_format_duration(ns, buf, sizeof(buf));
	return buf;
}

static void test_format_size_exact(void **state)
{
	(void)state;
	assert_string_equal(fsize(0), "0");
	assert_string_equal(fsize(17), "17");
	assert_string_equal(fsize(4 * KiB), "4K");
	assert_string_equal(fsize(512 * MiB), "512M");
	assert_string_equal(fsize(1610612736ull), "1.5G");
	assert_string_equal(fsize(GiB + GiB / 4), "1.25G");
	assert_string_equal(fsize(TiB), "1T");
	assert_string_equal(fsize(2048 * TiB), "2048T");
	/* 1536M is shorter as 1.5G; below 1G a size stays in M */
	assert_string_equal(fsize(1536 * MiB), "1.5G");
	assert_string_equal(fsize(1000 * MiB), "1000M");
}

static void test_format_size_approximate(void **state)
{
	(void)state;
	assert_string_equal(fsize(GiB + 1), "1G");
	assert_string_equal(fsize(1717986918ull), "1.6G"); /* 40% of 4G */
	assert_string_equal(fsize(123456), "121K");
	assert_string_equal(fsize(UINT64_MAX), "16777216T");
}

static void test_format_size_small_buffer(void **state)
{
	char buf[3] = "xy";

	(void)state;
	rb_format_size(1610612736ull, buf, sizeof(buf));
	assert_string_equal(buf, "1.");
	rb_format_size(1610612736ull, buf, 0);
	assert_string_equal(buf, "1."); /* len 0: nothing written */
}

static void test_format_duration(void **state)
{
	(void)state;
	assert_string_equal(fdur(0), "0s");
	assert_string_equal(fdur(17), "17ns");
	assert_string_equal(fdur(30000), "30us");
	assert_string_equal(fdur(250 * MS), "250ms");
	assert_string_equal(fdur(1500 * MS), "1.5s");
	assert_string_equal(fdur(30 * SEC), "30s");
	assert_string_equal(fdur(61 * SEC), "61s");
	assert_string_equal(fdur(90 * SEC), "1.5m");
	assert_string_equal(fdur(300 * SEC), "5m");
	assert_string_equal(fdur(3600 * SEC), "1h");
	assert_string_equal(fdur(1234567), "1.23ms");
}

/* Whatever is formatted exactly must parse back to the same value. */
static void test_format_parse_round_trip(void **state)
{
	static const uint64_t sizes[] = { 1, 1023, 4 * KiB, 1536 * MiB, 3 * TiB, GiB + GiB / 4 };
	static const uint64_t durs[] = { 1, 999, 250000, 1500 * MS, 61 * SEC, 5400 * SEC };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		assert_int_equal(size_of(fsize(sizes[i]), 0), sizes[i]);
	for (size_t i = 0; i < sizeof(durs) / sizeof(durs[0]); i++)
		assert_int_equal(ns_of(fdur(durs[i])), durs[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_suffixes),
		cmocka_unit_test(test_size_suffix_spellings),
		cmocka_unit_test(test_size_fractions),
		cmocka_unit_test(test_size_percent_of_base),
		cmocka_unit_test(test_size_multiple_of_base),
		cmocka_unit_test(test_size_relative_needs_base),
		cmocka_unit_test(test_size_surrounding_space),
		cmocka_unit_test(test_size_rejects_malformed),
		cmocka_unit_test(test_size_overflow),
		cmocka_unit_test(test_duration_suffixes),
		cmocka_unit_test(test_duration_bare_seconds),
		cmocka_unit_test(test_duration_surrounding_space),
		cmocka_unit_test(test_duration_rejects_malformed),
		cmocka_unit_test(test_duration_overflow),
		cmocka_unit_test(test_format_size_exact),
		cmocka_unit_test(test_format_size_approximate),
		cmocka_unit_test(test_format_size_small_buffer),
		cmocka_unit_test(test_format_duration),
		cmocka_unit_test(test_format_parse_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
