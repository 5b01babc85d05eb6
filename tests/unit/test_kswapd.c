/* test_kswapd.c - unit tests for harness/kswapd.c: /proc/<pid>/stat parsing
 * (comms with blanks and parentheses, short and malformed lines), kswapd
 * detection, the directory scan on captured process trees
 * (tests/data/kswapd/) and on trees made in a temporary directory, tick
 * reading, the CPU % arithmetic, and the live /proc of the test machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kswapd.h"
#include "procfs.h"

#define DATA "tests/data/kswapd/"
#define PF_KTHREAD 0x00200000u
#define KTHREAD_FLAGS 2230336u		/* kswapd0's flags on 6.1 and 6.18 */
#define USER_FLAGS 4194560u		/* a user process's (PF_RANDOMIZE...) */

/* Real lines: kswapd0 and kswapd1 of the 2-node 6.1 VM after a pressure run. */
static const char kswapd0_6_1[] =
	"50 (kswapd0) S 2 0 0 0 -1 2230336 0 0 0 0 0 229 0 0 20 0 1 0 172 0 0 "
	"18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
static const char kswapd1_6_1[] =
	"51 (kswapd1) S 2 0 0 0 -1 2230336 0 0 0 0 0 210 0 0 20 0 1 0 174 0 0 "
	"18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

/* A stat line with the given comm, flags and times. */
static void stat_line(char *buf, size_t size, int pid, const char *comm, unsigned flags,
		      unsigned utime, unsigned stime)
{
	(void)snprintf(buf, size,
		       "%d (%s) S 2 0 0 0 -1 %u 0 0 0 0 %u %u 0 0 20 0 1 0 38 0 0 "
		       "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 0 0 0 0 0 0 "
		       "0 0 0 0 0 0 0\n", pid, comm, flags, utime, stime);
}

/* Write <root>/<pid>/stat (in place if it exists: same inode). */
static void put_stat(const char *root, int pid, const char *comm, unsigned flags,
		     unsigned utime, unsigned stime)
{
	char path[512], line[512];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%d", root, pid);
	(void)mkdir(path, 0755);
	(void)snprintf(path, sizeof(path), "%s/%d/stat", root, pid);
	stat_line(line, sizeof(line), pid, comm, flags, utime, stime);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(line, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static int tree_setup(void **state)
{
	char *dir = strdup("/tmp/rb-kswapd-XXXXXX");

	if (!dir || !mkdtemp(dir)) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int tree_teardown(void **state)
{
	int ret = nftw(*state, remove_entry, 16, FTW_DEPTH | FTW_PHYS);

	free(*state);
	return ret;
}

static void test_stat_cpu_real_line(void **state)
{
	uint64_t utime = 1, stime = 1;

	(void)state;
	assert_int_equal(rb_parse_stat_cpu(kswapd0_6_1, &utime, &stime), 0);
	assert_int_equal(utime, 0);
	assert_int_equal(stime, 229);
}

static void test_stat_cpu_comm_with_blanks_and_parens(void **state)
{
	static const char line[] =
		"300 ((evil) kswapd0 )) S 1 300 300 0 -1 4194560 139 809 0 1 3 144 10812 1496 "
		"20 0 1 0 75 2314240 420\n";
	uint64_t utime = 0, stime = 0;

	(void)state;
	assert_int_equal(rb_parse_stat_cpu(line, &utime, &stime), 0);
	assert_int_equal(utime, 3);
	assert_int_equal(stime, 144);
}

/* A comm that looks like the start of the fields: counting from the first
 * ')' would read 5 and 6 as utime and stime. */
static void test_stat_cpu_counts_from_last_paren(void **state)
{
	static const char line[] =
		"77 (x) S 1 2 3 4 5 6) R 1 77 77 0 -1 4194304 1 2 3 4 70 80 0 0 20 0\n";
	uint64_t utime = 0, stime = 0;

	(void)state;
	assert_int_equal(rb_parse_stat_cpu(line, &utime, &stime), 0);
	assert_int_equal(utime, 70);
	assert_int_equal(stime, 80);
}

static void test_stat_cpu_large_values(void **state)
{
	static const char line[] =
		"9 (a) S 1 9 9 0 -1 0 0 0 0 0 18446744073709551615 4294967296 0 0 20 0\n";
	uint64_t utime = 0, stime = 0;

	(void)state;
	assert_int_equal(rb_parse_stat_cpu(line, &utime, &stime), 0);
	assert_true(utime == UINT64_MAX);
	assert_int_equal(stime, 4294967296ull);
}

static void test_stat_cpu_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"50 kswapd0 S 2 0 0 0 -1 2230336 0 0 0 0 0 229 0\n",		/* no comm */
		"(kswapd0) S 2 0 0 0 -1 2230336 0 0 0 0 0 229 0\n",		/* no pid */
		"x5 (kswapd0) S 2 0 0 0 -1 2230336 0 0 0 0 0 229 0\n",		/* bad pid */
		"50 (kswapd0) S 2 0 0 0 -1 2230336 0 0 0 0 0\n",		/* short */
		"50 (kswapd0) S 2 0 0 0 -1 2230336 0 0 0 0 0 ",		/* no stime */
		"50 (kswapd0) S 2 0 0 0 -1 2230336 0 0 0 0 -1 229 0\n",	/* signed */
		"50 (kswapd0) S 2 0 0 0 -1 2230336 0 0 0 0 1x 229 0\n",	/* junk */
		"50 (kswapd0) S 2 0 0 0 -1 2230336 0 0 0 0 99999999999999999999 2 0\n",
		"50 (kswapd0 S 2 0 0 0 -1 2230336 0 0 0 0 0 229 0\n",		/* no ')' */
	};
	uint64_t utime = 5, stime = 6;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rb_parse_stat_cpu(bad[i], &utime, &stime), -EINVAL);
	assert_int_equal(utime, 5);
	assert_int_equal(stime, 6);
}

static void test_stat_node_of_kswapd_threads(void **state)
{
	char line[512];
	int node = -1;

	(void)state;
	assert_int_equal(rb_kswapd_stat_node(kswapd0_6_1, &node), 0);
	assert_int_equal(node, 0);
	assert_int_equal(rb_kswapd_stat_node(kswapd1_6_1, &node), 0);
	assert_int_equal(node, 1);
	stat_line(line, sizeof(line), 900, "kswapd123", PF_KTHREAD, 0, 0);
	assert_int_equal(rb_kswapd_stat_node(line, &node), 0);
	assert_int_equal(node, 123);
}

/* Only a kernel thread named exactly kswapd<digits> counts. */
static void test_stat_node_rejects_other_tasks(void **state)
{
	static const char *const comms[] = {
		"kswapd", "kswapd0x", "kswapd-1", "kswapd 0", "xkswapd0", "(evil) kswapd0 )",
		"kswapd0:1", "kswapd99999999999", "kthreadd",
	};
	char line[512];
	int node = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(comms) / sizeof(comms[0]); i++) {
		stat_line(line, sizeof(line), 900, comms[i], KTHREAD_FLAGS, 0, 0);
		assert_int_equal(rb_kswapd_stat_node(line, &node), -ENOENT);
	}
	assert_int_equal(node, 42);
}

/* A user process can call itself kswapd0 but cannot be a kernel thread. */
static void test_stat_node_rejects_user_process_named_kswapd(void **state)
{
	char line[512];
	int node = 42;

	(void)state;
	stat_line(line, sizeof(line), 301, "kswapd1", USER_FLAGS, 7, 9);
	assert_int_equal(rb_kswapd_stat_node(line, &node), -ENOENT);
	assert_int_equal(node, 42);
}

static void test_stat_node_rejects_malformed(void **state)
{
	int node = 42;

	(void)state;
	assert_int_equal(rb_kswapd_stat_node("50 (kswapd0) S 2 0\n", &node), -EINVAL);
	assert_int_equal(rb_kswapd_stat_node("50 kswapd0\n", &node), -EINVAL);
	assert_int_equal(node, 42);
}

/* Captured 6.1 tree: kswapd0/1, init, kthreadd, a process whose comm is
 * "(evil) kswapd0 )", a user process named kswapd1, a non-numeric entry
 * "12x" holding a kswapd2 line, and a sys/ directory. */
static void test_open_captured_two_node_tree(void **state)
{
	struct rb_kswapd k;

	(void)state;
	assert_int_equal(rb_kswapd_open(&k, DATA "proc-6.1-2node"), 0);
	assert_int_equal(k.n, 2);
	assert_int_equal(k.pid[0], 50);
	assert_int_equal(k.node[0], 0);
	assert_int_equal(k.ticks[0], 229);
	assert_int_equal(k.pid[1], 51);
	assert_int_equal(k.node[1], 1);
	assert_int_equal(k.ticks[1], 210);
	assert_true(k.fd[0] >= 0 && k.fd[1] >= 0);
	rb_kswapd_close(&k);
	assert_int_equal(k.n, 0);
}

static void test_ticks_sum_of_threads(void **state)
{
	struct rb_kswapd k;
	uint64_t ticks = 0;

	(void)state;
	assert_int_equal(rb_kswapd_open(&k, DATA "proc-6.1-2node"), 0);
	assert_int_equal(rb_kswapd_cpu_ticks(&k, &ticks), 0);
	assert_int_equal(ticks, 229 + 210);
	rb_kswapd_close(&k);
}

static void test_open_captured_6_18_tree(void **state)
{
	struct rb_kswapd k;
	uint64_t ticks = 99;

	(void)state;
	assert_int_equal(rb_kswapd_open(&k, DATA "proc-6.18"), 0);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.pid[0], 45);
	assert_int_equal(k.node[0], 0);
	assert_int_equal(rb_kswapd_cpu_ticks(&k, &ticks), 0);
	assert_int_equal(ticks, 0);
	rb_kswapd_close(&k);
}

/* Threads come out sorted by node whatever their pids. */
static void test_open_sorts_by_node(void **state)
{
	struct rb_kswapd k;

	put_stat(*state, 10, "kswapd3", KTHREAD_FLAGS, 1, 2);
	put_stat(*state, 20, "kswapd0", KTHREAD_FLAGS, 3, 4);
	put_stat(*state, 30, "kswapd2", KTHREAD_FLAGS, 5, 6);
	put_stat(*state, 40, "kswapd1", KTHREAD_FLAGS, 7, 8);
	assert_int_equal(rb_kswapd_open(&k, *state), 0);
	assert_int_equal(k.n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(k.node[i], i);
	assert_int_equal(k.pid[0], 20);
	assert_int_equal(k.pid[3], 10);
	assert_int_equal(k.ticks[0], 7);
	assert_int_equal(k.ticks[3], 3);
	rb_kswapd_close(&k);
}

/* Each call reads the open file again from its start. */
static void test_ticks_are_reread(void **state)
{
	struct rb_kswapd k;
	uint64_t ticks = 0;

	put_stat(*state, 45, "kswapd0", KTHREAD_FLAGS, 1, 2);
	assert_int_equal(rb_kswapd_open(&k, *state), 0);
	assert_int_equal(rb_kswapd_cpu_ticks(&k, &ticks), 0);
	assert_int_equal(ticks, 3);
	put_stat(*state, 45, "kswapd0", KTHREAD_FLAGS, 100, 2000);
	assert_int_equal(rb_kswapd_cpu_ticks(&k, &ticks), 0);
	assert_int_equal(ticks, 2100);
	assert_int_equal(k.ticks[0], 2100);
	rb_kswapd_close(&k);
}

static void test_ticks_of_unreadable_line_fail(void **state)
{
	char path[512];
	struct rb_kswapd k;
	uint64_t ticks = 77;

	put_stat(*state, 45, "kswapd0", KTHREAD_FLAGS, 1, 2);
	assert_int_equal(rb_kswapd_open(&k, *state), 0);
	(void)snprintf(path, sizeof(path), "%s/45/stat", (char *)*state);
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(rb_kswapd_cpu_ticks(&k, &ticks), -EINVAL);
	assert_int_equal(ticks, 77);
	rb_kswapd_close(&k);
}

static void test_open_without_kswapd_is_enoent(void **state)
{
	struct rb_kswapd k;

	put_stat(*state, 1, "init", USER_FLAGS, 1, 2);
	put_stat(*state, 2, "kthreadd", PF_KTHREAD, 0, 0);
	assert_int_equal(rb_kswapd_open(&k, *state), -ENOENT);
	assert_int_equal(k.n, 0);
}

/* A pid directory without a stat file (a task that exited) is skipped. */
static void test_open_skips_pid_without_stat(void **state)
{
	char path[512];
	struct rb_kswapd k;

	(void)snprintf(path, sizeof(path), "%s/77", (char *)*state);
	assert_int_equal(mkdir(path, 0755), 0);
	put_stat(*state, 78, "kswapd0", KTHREAD_FLAGS, 1, 1);
	assert_int_equal(rb_kswapd_open(&k, *state), 0);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.pid[0], 78);
	rb_kswapd_close(&k);
}

static void test_open_too_many_threads(void **state)
{
	struct rb_kswapd k;
	char comm[32];

	for (int i = 0; i <= RB_KSWAPD_MAX; i++) {
		(void)snprintf(comm, sizeof(comm), "kswapd%d", i);
		put_stat(*state, 100 + i, comm, KTHREAD_FLAGS, 0, 0);
	}
	assert_int_equal(rb_kswapd_open(&k, *state), -ENOSPC);
	assert_int_equal(k.n, 0);
}

static void test_open_bad_root(void **state)
{
	struct rb_kswapd k;

	(void)state;
	assert_int_equal(rb_kswapd_open(&k, DATA "no-such-dir"), -ENOENT);
	assert_int_equal(k.n, 0);
	assert_int_equal(rb_kswapd_open(&k, DATA "proc-6.18/2/stat"), -ENOTDIR);
	assert_int_equal(k.n, 0);
}

static void test_ticks_of_empty_set(void **state)
{
	struct rb_kswapd k = { .n = 0 };
	uint64_t ticks = 5;

	(void)state;
	assert_int_equal(rb_kswapd_cpu_ticks(&k, &ticks), -ENOENT);
	assert_int_equal(ticks, 5);
	rb_kswapd_close(&k);
	rb_kswapd_close(NULL);
	assert_int_equal(k.n, 0);
}

/* Percentages are computed in floating point: compare with a tolerance. */
static void assert_pct(double got, double want)
{
	assert_true(got > want - 1e-9 && got < want + 1e-9);
}

static void test_cpu_pct_of_interval(void **state)
{
	(void)state;
	/* 100 Hz ticks, 100 ms interval: 10 ticks is one whole CPU. */
	assert_pct(rb_kswapd_cpu_pct(100, 110, 100000000, 100, 1), 100.0);
	assert_pct(rb_kswapd_cpu_pct(100, 105, 100000000, 100, 1), 50.0);
	assert_pct(rb_kswapd_cpu_pct(7, 7, 100000000, 100, 1), 0.0);
	/* 250 Hz, 2 s: 125 ticks is 25%. */
	assert_pct(rb_kswapd_cpu_pct(0, 125, 2000000000, 250, 1), 25.0);
}

static void test_cpu_pct_backwards_counter_is_zero(void **state)
{
	(void)state;
	assert_pct(rb_kswapd_cpu_pct(110, 100, 100000000, 100, 1), 0.0);
}

static void test_cpu_pct_degenerate_inputs_are_zero(void **state)
{
	(void)state;
	assert_pct(rb_kswapd_cpu_pct(0, 10, 0, 100, 1), 0.0);
	assert_pct(rb_kswapd_cpu_pct(0, 10, 100000000, 0, 1), 0.0);
	assert_pct(rb_kswapd_cpu_pct(0, 10, 100000000, -1, 1), 0.0);
}

/* Tick rounding can show 11 ticks in a 10-tick interval: one thread is
 * capped at 100%, two threads at 200%. */
static void test_cpu_pct_clamps_to_thread_count(void **state)
{
	(void)state;
	assert_pct(rb_kswapd_cpu_pct(0, 11, 100000000, 100, 1), 100.0);
	assert_pct(rb_kswapd_cpu_pct(0, 11, 100000000, 100, 0), 100.0);
	assert_pct(rb_kswapd_cpu_pct(0, 11, 100000000, 100, 2), 110.0);
	assert_pct(rb_kswapd_cpu_pct(0, 50, 100000000, 100, 2), 200.0);
	assert_pct(rb_kswapd_cpu_pct(0, UINT64_MAX, 1, 100, 64), 6400.0);
}

/* utime + stime of a live stat file, read independently of the module. */
static uint64_t live_ticks(pid_t pid)
{
	char path[64], *buf = NULL;
	size_t cap = 0;
	uint64_t utime = 0, stime = 0;

	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	assert_true(rb_read_path(path, &buf, &cap) > 0);
	assert_int_equal(sscanf(strrchr(buf, ')') + 2,
				"%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %" SCNu64 " %" SCNu64,
				&utime, &stime), 2);
	free(buf);
	return utime + stime;
}

/* The machine running the tests has kswapd0 for node 0 (one node here). */
static void test_live_proc_has_kswapd0(void **state)
{
	char path[64], *buf = NULL;
	size_t cap = 0;
	struct rb_kswapd k;
	uint64_t ticks = 0, before;
	int ret = rb_kswapd_open(&k, NULL);

	(void)state;
	if (ret == -ENOENT)
		skip();
	assert_int_equal(ret, 0);
	assert_int_equal(k.node[0], 0);
	(void)snprintf(path, sizeof(path), "/proc/%d/comm", (int)k.pid[0]);
	assert_true(rb_read_path(path, &buf, &cap) > 0);
	assert_string_equal(buf, "kswapd0\n");
	free(buf);
	before = live_ticks(k.pid[0]);
	assert_int_equal(rb_kswapd_cpu_ticks(&k, &ticks), 0);
	assert_true(k.ticks[0] >= before && k.ticks[0] <= live_ticks(k.pid[0]));
	assert_true(ticks >= k.ticks[0]);
	rb_kswapd_close(&k);
}

#define TREE_TEST(f) cmocka_unit_test_setup_teardown(f, tree_setup, tree_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_cpu_real_line),
		cmocka_unit_test(test_stat_cpu_comm_with_blanks_and_parens),
		cmocka_unit_test(test_stat_cpu_counts_from_last_paren),
		cmocka_unit_test(test_stat_cpu_large_values),
		cmocka_unit_test(test_stat_cpu_rejects_malformed),
		cmocka_unit_test(test_stat_node_of_kswapd_threads),
		cmocka_unit_test(test_stat_node_rejects_other_tasks),
		cmocka_unit_test(test_stat_node_rejects_user_process_named_kswapd),
		cmocka_unit_test(test_stat_node_rejects_malformed),
		cmocka_unit_test(test_open_captured_two_node_tree),
		cmocka_unit_test(test_ticks_sum_of_threads),
		cmocka_unit_test(test_open_captured_6_18_tree),
		TREE_TEST(test_open_sorts_by_node),
		TREE_TEST(test_ticks_are_reread),
		TREE_TEST(test_ticks_of_unreadable_line_fail),
		TREE_TEST(test_open_without_kswapd_is_enoent),
		TREE_TEST(test_open_skips_pid_without_stat),
		TREE_TEST(test_open_too_many_threads),
		cmocka_unit_test(test_open_bad_root),
		cmocka_unit_test(test_ticks_of_empty_set),
		cmocka_unit_test(test_cpu_pct_of_interval),
		cmocka_unit_test(test_cpu_pct_backwards_counter_is_zero),
		cmocka_unit_test(test_cpu_pct_degenerate_inputs_are_zero),
		cmocka_unit_test(test_cpu_pct_clamps_to_thread_count),
		cmocka_unit_test(test_live_proc_has_kswapd0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
