/* test_oom_log.c - OOM victims from kernel log records: a memory cgroup OOM
 * on 6.18, a machine-wide one on 6.1, the two-line form of kernels before
 * 4.19 (fixtures in tests/data/oom_log/), and records that are not kills. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "oom_log.h"

#define DIR "tests/data/oom_log/"

/* Feed every line of a fixture; returns the kills seen, the last in *k. */
static int feed_file(const char *name, struct rb_oom_kill *k)
{
	struct rb_oom_log log = { .fd = -1 };
	char line[1024];
	int kills = 0;
	FILE *f = fopen(name, "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		kills += rb_oom_log_feed(&log, line, k);
	(void)fclose(f);
	return kills;
}

static void test_memcg_kill(void **state)
{
	struct rb_oom_kill k;

	(void)state;
	assert_int_equal(feed_file(DIR "memcg-6.18.kmsg", &k), 1);
	assert_int_equal(k.pid, 25491);
	assert_string_equal(k.task, "reclaimbench");
	assert_string_equal(k.constraint, "CONSTRAINT_MEMCG");
	assert_string_equal(k.memcg, "/reclaimbench/run-25489");
	assert_int_equal(k.anon_rss_kb, 491456);
	assert_int_equal(k.global, 0);
}

static void test_global_kill(void **state)
{
	struct rb_oom_kill k;

	(void)state;
	assert_int_equal(feed_file(DIR "global-6.1.kmsg", &k), 1);
	assert_int_equal(k.pid, 4242);
	assert_string_equal(k.task, "stress-ng-vm");
	assert_string_equal(k.constraint, "CONSTRAINT_NONE");
	assert_string_equal(k.memcg, "");
	assert_int_equal(k.anon_rss_kb, 3989504);
	assert_int_equal(k.global, 1);
}

static void test_old_two_line_form(void **state)
{
	struct rb_oom_kill k;

	(void)state;
	assert_int_equal(feed_file(DIR "old-4.9.kmsg", &k), 1);
	assert_int_equal(k.pid, 1234);
	assert_string_equal(k.task, "hog");
	assert_string_equal(k.constraint, "");
	assert_int_equal(k.anon_rss_kb, 1040000);
	assert_int_equal(k.global, 0);
}

/* A summary line for one pid, then a kill of another: no mixed fields. */
static void test_summary_of_other_pid_is_dropped(void **state)
{
	struct rb_oom_log log = { .fd = -1 };
	struct rb_oom_kill k;

	(void)state;
	assert_int_equal(rb_oom_log_feed(&log, "6,1,1,-;oom-kill:constraint=CONSTRAINT_MEMCG,"
					 "oom_memcg=/a,task=x,pid=10,uid=0", &k), 0);
	assert_int_equal(rb_oom_log_feed(&log, "3,2,2,-;Out of memory: Killed process 11 (y) "
					 "total-vm:1kB, anon-rss:2kB", &k), 1);
	assert_int_equal(k.pid, 11);
	assert_string_equal(k.task, "y");
	assert_string_equal(k.memcg, "");
	assert_int_equal(k.anon_rss_kb, 2);
}

static void test_other_records_are_no_kills(void **state)
{
	struct rb_oom_log log = { .fd = -1 };
	struct rb_oom_kill k;

	(void)state;
	assert_int_equal(rb_oom_log_feed(&log, "6,3,3,-;oom_reaper: reaped process 11 (y), now "
					 "anon-rss:0kB, file-rss:0kB", &k), 0);
	assert_int_equal(rb_oom_log_feed(&log, "4,4,4,-;x invoked oom-killer: gfp_mask=0xcc0", &k),
			 0);
	assert_int_equal(rb_oom_log_feed(&log, "6,5,5,-;Adding 1048572k swap on /swapfile", &k), 0);
	assert_int_equal(rb_oom_log_feed(&log, "", &k), 0);
}

static void test_poll_without_log_is_empty(void **state)
{
	struct rb_oom_log log = { .fd = -1 };

	(void)state;
	assert_int_equal(rb_oom_log_poll(&log, NULL, NULL), 0);
	rb_oom_log_close(&log);
	assert_int_equal(log.fd, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcg_kill),
		cmocka_unit_test(test_global_kill),
		cmocka_unit_test(test_old_two_line_form),
		cmocka_unit_test(test_summary_of_other_pid_is_dropped),
		cmocka_unit_test(test_other_records_are_no_kills),
		cmocka_unit_test(test_poll_without_log_is_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
