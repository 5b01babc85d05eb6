/* test_swap.c - the swap set-up's pure parts: the swap header against
 * mkswap(8)'s, /proc/swaps lines, the checks made before anything changes,
 * and the undo steps' "already done" cases. (Turning swap on and off for
 * real is tests/integration/swap_restores.sh.) */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "swap.h"

#define PAGE 4096
#define MiB (1024ull * 1024)

static char tmp[] = "/tmp/rb-swap-XXXXXX";

static int group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmp))
		return -1;
	return setenv("RECLAIMBENCH_STATE_DIR", tmp, 1);
}

static int group_teardown(void **state)
{
	char cmd[64];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* The first page of a file of `size` bytes with our header. */
static void our_header(const char *path, uint64_t size, unsigned char *page)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	assert_int_equal(rb_swap_write_header(fd, size, PAGE), 0);
	assert_int_equal(pread(fd, page, PAGE, 0), PAGE);
	(void)close(fd);
}

static void test_header_layout(void **state)
{
	unsigned char page[PAGE];
	uint32_t info[3];
	char path[64];

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/h1", tmp);
	our_header(path, 64 * MiB, page);
	memcpy(info, page + 1024, sizeof(info));
	assert_int_equal(info[0], 1);                   /* version */
	assert_int_equal(info[1], 64 * MiB / PAGE - 1); /* last page */
	assert_int_equal(info[2], 0);                   /* bad pages */
	assert_memory_equal(page + PAGE - 10, "SWAPSPACE2", 10);
	for (size_t i = 0; i < 1024; i++)
		assert_int_equal(page[i], 0); /* boot block untouched */
}

/* mkswap writes the same version, last page and magic (it adds a UUID). */
static void test_header_matches_mkswap(void **state)
{
	unsigned char ours[PAGE], theirs[PAGE];
	char path[64], cmd[160];
	int fd;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/h2", tmp);
	our_header(path, 32 * MiB, ours);
	if (access("/usr/sbin/mkswap", X_OK) != 0 && access("/sbin/mkswap", X_OK) != 0) {
		skip(); /* util-linux is essential on Debian; elsewhere it may be missing */
		return;
	}
	(void)snprintf(cmd, sizeof(cmd), "PATH=$PATH:/usr/sbin:/sbin mkswap %s >/dev/null 2>&1",
		       path);
	assert_int_equal(system(cmd), 0);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, theirs, PAGE, 0), PAGE);
	(void)close(fd);
	assert_memory_equal(ours + 1024, theirs + 1024, 12);
	assert_memory_equal(ours + PAGE - 10, theirs + PAGE - 10, 10);
}

static void test_header_too_small(void **state)
{
	char path[64];
	int fd;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/h3", tmp);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(rb_swap_write_header(fd, 9 * PAGE, PAGE), -EINVAL);
	assert_int_equal(rb_swap_write_header(fd, 64 * MiB, 512), -EINVAL);
	(void)close(fd);
}

static void test_swaps_line(void **state)
{
	char line[] = "/var/lib/reclaimbench/swapfile          file\t\t1048572\t\t527584\t\t-2\n";
	char path[256];
	int prio = 0;

	(void)state;
	assert_int_equal(rb_swaps_parse_line(line, path, sizeof(path), &prio), 0);
	assert_string_equal(path, "/var/lib/reclaimbench/swapfile");
	assert_int_equal(prio, -2);
}

static void test_swaps_line_escaped_space(void **state)
{
	char line[] = "/mnt/my\\040swap partition 1024 0 5\n";
	char path[256];
	int prio = 0;

	(void)state;
	assert_int_equal(rb_swaps_parse_line(line, path, sizeof(path), &prio), 0);
	assert_string_equal(path, "/mnt/my swap");
	assert_int_equal(prio, 5);
}

static void test_swaps_line_short(void **state)
{
	char line[] = "/dev/zram1 partition 1024\n";
	char path[256];
	int prio = 0;

	(void)state;
	assert_int_equal(rb_swaps_parse_line(line, path, sizeof(path), &prio), -EINVAL);
}

static void test_check_unset_is_fine(void **state)
{
	struct rb_swap_spec s = { .set = false, .type = RB_SWAP_ZRAM };
	char err[256] = "";

	(void)state;
	assert_int_equal(rb_swap_check(&s, err, sizeof(err)), 0);
}

static void test_check_file_left_over(void **state)
{
	struct rb_swap_spec s = { .set = true, .type = RB_SWAP_FILE, .size = 16 * MiB };
	char err[256] = "", path[64];
	int fd;

	(void)state;
	assert_int_equal(rb_swap_check(&s, err, sizeof(err)), 0);
	(void)snprintf(path, sizeof(path), "%s/swapfile", tmp);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	(void)close(fd);
	assert_int_equal(rb_swap_check(&s, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "swapfile exists"));
	(void)unlink(path);
}

static void test_check_file_no_room(void **state)
{
	struct rb_swap_spec s = { .set = true, .type = RB_SWAP_FILE, .size = 1ull << 60 };
	char err[256] = "";

	(void)state;
	assert_int_equal(rb_swap_check(&s, err, sizeof(err)), -ENOSPC);
	assert_non_null(strstr(err, "no room"));
}

static void test_check_zram_and_zswap_missing(void **state)
{
	struct rb_swap_spec s = { .set = true, .type = RB_SWAP_ZRAM, .size = 16 * MiB };
	char err[256] = "";

	(void)state;
	assert_int_equal(setenv("RECLAIMBENCH_ZRAM_CONTROL", "/nonexistent/zram-control", 1), 0);
	assert_int_equal(rb_swap_check(&s, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "modprobe zram"));
	assert_int_equal(unsetenv("RECLAIMBENCH_ZRAM_CONTROL"), 0);
	s.type = RB_SWAP_NONE;
	s.zswap = RB_ZSWAP_ON;
	assert_int_equal(setenv("RECLAIMBENCH_ZSWAP_PARAMS", "/nonexistent/zswap", 1), 0);
	assert_int_equal(rb_swap_check(&s, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "zswap"));
	assert_int_equal(unsetenv("RECLAIMBENCH_ZSWAP_PARAMS"), 0);
}

/* Undo steps whose object is gone already count as done. */
static void test_undo_gone_is_done(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip(); /* swapoff(2) needs CAP_SYS_ADMIN to say "not swap" */
		return;
	}
	assert_int_equal(rb_swap_undo_swapoff("/nonexistent/swapfile"), 0);
	assert_int_equal(rb_zram_remove("/dev/zram987654"), 0);
}

static void test_zram_remove_bad_name(void **state)
{
	(void)state;
	assert_int_equal(rb_zram_remove("/dev/sda"), -EINVAL);
	assert_int_equal(rb_zram_remove("/dev/zram"), -EINVAL);
	assert_int_equal(rb_zram_remove("/dev/zram1/../../sda"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_layout),
		cmocka_unit_test(test_header_matches_mkswap),
		cmocka_unit_test(test_header_too_small),
		cmocka_unit_test(test_swaps_line),
		cmocka_unit_test(test_swaps_line_escaped_space),
		cmocka_unit_test(test_swaps_line_short),
		cmocka_unit_test(test_check_unset_is_fine),
		cmocka_unit_test(test_check_file_left_over),
		cmocka_unit_test(test_check_file_no_room),
		cmocka_unit_test(test_check_zram_and_zswap_missing),
		cmocka_unit_test(test_undo_gone_is_done),
		cmocka_unit_test(test_zram_remove_bad_name),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
