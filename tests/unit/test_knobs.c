/* test_knobs.c - sysctl and THP knobs through the journal, and shrinking the
 * machine, against a fake /proc and /sys tree in a temporary directory
 * ($RECLAIMBENCH_PROC_SYS, $RECLAIMBENCH_SYSFS, $RECLAIMBENCH_PROC and
 * $RECLAIMBENCH_STATE_DIR point there). Nothing here touches the real
 * kernel settings. */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
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

#include "journal.h"
#include "knobs.h"

#define MIB (1ull << 20)
#define THP "sys/kernel/mm/transparent_hugepage/"
#define MEM "sys/devices/system/memory/"

struct fx {
	char dir[PATH_MAX];
	char journal[PATH_MAX];
};

/* ---- helpers ---------------------------------------------------------- */

static const char *in(const struct fx *fx, const char *name)
{
	static char ring[8][PATH_MAX];
	static unsigned next;
	char *buf = ring[next++ % 8];

	assert_true(snprintf(buf, PATH_MAX, "%s/%s", fx->dir, name) < PATH_MAX);
	return buf;
}

/* Write text to dir/name, creating parent directories. */
static void put(const struct fx *fx, const char *name, const char *text)
{
	char path[PATH_MAX], *slash;
	FILE *f;

	assert_true(snprintf(path, sizeof(path), "%s/%s", fx->dir, name) < PATH_MAX);
	slash = strchr(path + strlen(fx->dir) + 1, '/');
	for (; slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void assert_file(const struct fx *fx, const char *name, const char *want)
{
	char got[4096] = "";
	FILE *f = fopen(in(fx, name), "r");
	size_t n;

	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	(void)fclose(f);
	assert_string_equal(got, want);
}

static char *journal_text(const struct fx *fx)
{
	char *buf = calloc(1, 65536);
	FILE *f = fopen(fx->journal, "r");

	assert_non_null(buf);
	assert_non_null(f);
	buf[fread(buf, 1, 65535, f)] = '\0';
	(void)fclose(f);
	return buf;
}

static struct rb_journal *begin(void)
{
	struct rb_journal *j = NULL;
	char err[512] = "";

	assert_int_equal(rb_journal_begin("/r", &j, err, sizeof(err)), 0);
	return j;
}

/* A memory block: state and removable. */
static void block(const struct fx *fx, unsigned nr, const char *state, const char *removable)
{
	char name[64];

	(void)snprintf(name, sizeof(name), MEM "memory%u/state", nr);
	put(fx, name, state);
	(void)snprintf(name, sizeof(name), MEM "memory%u/removable", nr);
	put(fx, name, removable);
}

/* Blocks by number, highest first: memory10 and memory7 are the two highest
 * online, removable ones (memory9 is offline already, memory8 not
 * removable); in name order memory2 would come before memory10. */
static void fake_machine(const struct fx *fx)
{
	put(fx, "proc/sys/vm/swappiness", "60\n");
	put(fx, "proc/sys/vm/min_free_kbytes", "67584\n");
	put(fx, "proc/sys/vm/watermark_scale_factor", "10\n");
	put(fx, "proc/sys/vm/nr_hugepages", "0\n");
	put(fx, "proc/meminfo", "MemTotal:       2048000 kB\nMemAvailable:   1024000 kB\n"
				"HugePages_Total:       0\nHugepagesize:       2048 kB\n");
	put(fx, THP "enabled", "always [madvise] never\n");
	put(fx, THP "defrag", "always defer defer+madvise [madvise] never\n");
	put(fx, THP "khugepaged/defrag", "1\n");
	put(fx, MEM "block_size_bytes", "8000000\n");
	block(fx, 0, "online\n", "1\n");
	block(fx, 1, "online\n", "1\n");
	block(fx, 2, "online\n", "1\n");
	block(fx, 7, "online\n", "1\n");
	block(fx, 8, "online\n", "0\n");
	block(fx, 9, "offline\n", "1\n");
	block(fx, 10, "online\n", "1\n");
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	strcpy(fx->dir, "/tmp/rb-knobs-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	assert_int_equal(setenv("RECLAIMBENCH_STATE_DIR", in(fx, "state"), 1), 0);
	assert_int_equal(setenv("RECLAIMBENCH_PROC_SYS", in(fx, "proc/sys"), 1), 0);
	assert_int_equal(setenv("RECLAIMBENCH_PROC", in(fx, "proc"), 1), 0);
	assert_int_equal(setenv("RECLAIMBENCH_SYSFS", in(fx, "sys"), 1), 0);
	rb_journal_path(fx->journal, sizeof(fx->journal));
	fake_machine(fx);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	(void)nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	(void)unsetenv("RECLAIMBENCH_STATE_DIR");
	(void)unsetenv("RECLAIMBENCH_PROC_SYS");
	(void)unsetenv("RECLAIMBENCH_PROC");
	(void)unsetenv("RECLAIMBENCH_SYSFS");
	free(fx);
	return 0;
}

/* ---- sysctl keys ------------------------------------------------------- */

static void test_sysctl_path_accepts_vm_names(void **state)
{
	struct fx *fx = *state;
	char path[PATH_MAX];

	assert_int_equal(rb_sysctl_path("vm.swappiness", path, sizeof(path)), 0);
	assert_string_equal(path, in(fx, "proc/sys/vm/swappiness"));
	assert_int_equal(rb_sysctl_path("vm.min_free_kbytes", path, sizeof(path)), 0);
	assert_string_equal(path, in(fx, "proc/sys/vm/min_free_kbytes"));
}

static void test_sysctl_path_rejects_other_keys(void **state)
{
	static const char *const bad[] = {
		"kernel.x", "vm..x", "vm.a/b", "vm.", "vm", "", "../vm/swappiness",
		"vm.../swappiness", "vm./swappiness", "/proc/sys/vm/swappiness",
		"vm/swappiness", "vm.Swappiness", "vm.swap piness", "vm.a.b", "vm.a-b",
		"net.vm.x", " vm.swappiness", "vm.swappiness\n",
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rb_sysctl_path(bad[i], path, sizeof(path)) != -EINVAL)
			fail_msg("key '%s' was not rejected", bad[i]);
	}
	assert_int_equal(rb_sysctl_path(NULL, path, sizeof(path)), -EINVAL);
	(void)state;
}

static void test_sysctl_unknown_on_this_kernel(void **state)
{
	struct rb_journal *j = begin();
	char path[PATH_MAX], err[256] = "";

	assert_int_equal(rb_sysctl_path("vm.nosuch", path, sizeof(path)), -ENOENT);
	assert_int_equal(rb_sysctl_apply(j, "vm.nosuch", "1", err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "unknown sysctl vm.nosuch on this kernel");
	assert_int_equal(rb_journal_finish(j), 0);
	(void)state;
}

static void test_sysctl_apply_rejects_invalid_key(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin();
	char err[256] = "", *text;

	assert_int_equal(rb_sysctl_apply(j, "kernel.panic", "1", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "invalid sysctl key 'kernel.panic'"));
	text = journal_text(fx);
	assert_null(strstr(text, "write\t"));
	free(text);
	assert_int_equal(rb_journal_finish(j), 0);
}

/* ---- THP knobs ----------------------------------------------------------- */

static void test_thp_path_maps_knobs(void **state)
{
	static const char *const map[][2] = {
		{ "enabled", THP "enabled" },
		{ "defrag", THP "defrag" },
		{ "shmem_enabled", THP "shmem_enabled" },
		{ "use_zero_page", THP "use_zero_page" },
		{ "khugepaged.defrag", THP "khugepaged/defrag" },
	};
	struct fx *fx = *state;
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		assert_int_equal(rb_thp_path(map[i][0], path, sizeof(path)), 0);
		assert_string_equal(path, in(fx, map[i][1]));
	}
}

static void test_thp_path_defaults_to_sys(void **state)
{
	char path[PATH_MAX];

	(void)unsetenv("RECLAIMBENCH_SYSFS");
	assert_int_equal(rb_thp_path("khugepaged.defrag", path, sizeof(path)), 0);
	assert_string_equal(path, "/sys/kernel/mm/transparent_hugepage/khugepaged/defrag");
	(void)state;
}

static void test_thp_path_rejects_unknown_knobs(void **state)
{
	static const char *const bad[] = {
		"", "enable", "enabledx", "khugepaged/defrag", "khugepaged", "../enabled",
		"hpage_pmd_size", "khugepaged.pages_to_scan",
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rb_thp_path(bad[i], path, sizeof(path)) != -EINVAL)
			fail_msg("THP knob '%s' was not rejected", bad[i]);
	}
	(void)state;
}

static void test_thp_apply_restores_bracketed_choice(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin();
	char err[256] = "", *text, want[PATH_MAX + 32];

	assert_int_equal(rb_thp_apply(j, "enabled", "always", err, sizeof(err)), 0);
	assert_file(fx, THP "enabled", "always\n");
	text = journal_text(fx);
	(void)snprintf(want, sizeof(want), "write\t%s\tmadvise\n", in(fx, THP "enabled"));
	assert_non_null(strstr(text, want));
	free(text);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_file(fx, THP "enabled", "madvise\n");
}

/* ---- reading and writing knobs ------------------------------------------- */

static void test_knob_read_takes_bracketed_word(void **state)
{
	struct fx *fx = *state;
	char v[64];

	assert_int_equal(rb_knob_read(in(fx, THP "enabled"), v, sizeof(v)), 0);
	assert_string_equal(v, "madvise");
	assert_int_equal(rb_knob_read(in(fx, THP "defrag"), v, sizeof(v)), 0);
	assert_string_equal(v, "madvise");
	put(fx, THP "shmem_enabled", "always within_size advise [never] deny force\n");
	assert_int_equal(rb_knob_read(in(fx, THP "shmem_enabled"), v, sizeof(v)), 0);
	assert_string_equal(v, "never");
}

static void test_knob_read_trims_whitespace(void **state)
{
	struct fx *fx = *state;
	char v[64];

	put(fx, "proc/sys/vm/swappiness", "  60 \n");
	assert_int_equal(rb_knob_read(in(fx, "proc/sys/vm/swappiness"), v, sizeof(v)), 0);
	assert_string_equal(v, "60");
	put(fx, "proc/sys/vm/lowmem_reserve_ratio", "256\t256\t32\t0\t0\n");
	assert_int_equal(rb_knob_read(in(fx, "proc/sys/vm/lowmem_reserve_ratio"), v, sizeof(v)),
			 0);
	assert_string_equal(v, "256\t256\t32\t0\t0");
}

static void test_knob_read_errors(void **state)
{
	struct fx *fx = *state;
	char v[4];

	assert_int_equal(rb_knob_read(in(fx, "proc/sys/vm/nosuch"), v, sizeof(v)), -ENOENT);
	assert_int_equal(rb_knob_read(in(fx, "proc/sys/vm/min_free_kbytes"), v, sizeof(v)),
			 -ERANGE);
	assert_int_equal(rb_knob_read(in(fx, "proc/sys/vm/swappiness"), v, sizeof(v)), 0);
	assert_string_equal(v, "60");
}

static void test_sysctl_apply_journals_then_writes(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin();
	char err[256] = "", *text, want[PATH_MAX + 32];

	assert_int_equal(rb_sysctl_apply(j, "vm.swappiness", "10", err, sizeof(err)), 0);
	assert_file(fx, "proc/sys/vm/swappiness", "10\n");
	text = journal_text(fx);
	(void)snprintf(want, sizeof(want), "\nwrite\t%s\t60\n", in(fx, "proc/sys/vm/swappiness"));
	assert_non_null(strstr(text, want));
	free(text);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_file(fx, "proc/sys/vm/swappiness", "60\n");
}

static void test_knob_write_failure_reports_and_keeps_record(void **state)
{
	struct fx *fx = *state;
	const char *knob = in(fx, "proc/sys/vm/readonly");
	struct rb_journal *j = begin();
	char err[512] = "", want[PATH_MAX + 32], *text;

	/* a kernel file that can be read but not written */
	assert_int_equal(symlink("/proc/version", knob), 0);
	assert_true(rb_sysctl_apply(j, "vm.readonly", "12", err, sizeof(err)) < 0);
	(void)snprintf(want, sizeof(want), "cannot write 12 to %s: ", knob);
	assert_memory_equal(err, want, strlen(want));
	text = journal_text(fx);
	(void)snprintf(want, sizeof(want), "\nwrite\t%s\tLinux", knob);
	assert_non_null(strstr(text, want));
	free(text);
	assert_int_equal(rb_journal_finish(j), 0); /* it already holds the old value */
}

/* ---- shrinking the machine ----------------------------------------------- */

static void test_shrink_offlines_highest_blocks_then_hugetlb(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin();
	struct rb_shrink_result r;
	char err[256] = "";

	assert_int_equal(rb_shrink_machine(j, (1000 - 300) * MIB, &r, err, sizeof(err)), 0);
	assert_string_equal(r.method, "offline+hugetlb");
	assert_int_equal(r.blocks_offlined, 2);
	assert_int_equal(r.bytes_offlined, 256 * MIB);
	assert_int_equal(r.hugetlb_pages, 22);
	assert_int_equal(r.mem_available_before, 1000 * MIB);
	assert_file(fx, MEM "memory10/state", "offline\n");
	assert_file(fx, MEM "memory8/state", "online\n");
	assert_file(fx, MEM "memory7/state", "offline\n");
	assert_file(fx, MEM "memory2/state", "online\n");
	assert_file(fx, "proc/sys/vm/nr_hugepages", "22\n");
	assert_int_equal(rb_journal_finish(j), 0);
	assert_file(fx, MEM "memory10/state", "online\n");
	assert_file(fx, MEM "memory7/state", "online\n");
	assert_file(fx, MEM "memory9/state", "offline\n");
	assert_file(fx, "proc/sys/vm/nr_hugepages", "0\n");
}

static void test_shrink_restores_recomputed_watermarks(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin();
	struct rb_shrink_result r;
	char err[256] = "";

	assert_int_equal(rb_shrink_machine(j, (1000 - 256) * MIB, &r, err, sizeof(err)), 0);
	assert_string_equal(r.method, "offline");
	/* the kernel recomputes these when memory goes offline */
	put(fx, "proc/sys/vm/min_free_kbytes", "45056\n");
	put(fx, "proc/sys/vm/watermark_scale_factor", "10\n");
	assert_int_equal(rb_journal_finish(j), 0);
	assert_file(fx, "proc/sys/vm/min_free_kbytes", "67584\n");
}

static void test_shrink_uses_hugetlb_without_hotplug(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin();
	struct rb_shrink_result r;
	char err[256] = "";

	assert_int_equal(unlink(in(fx, MEM "block_size_bytes")), 0);
	assert_int_equal(rb_shrink_machine(j, 900 * MIB, &r, err, sizeof(err)), 0);
	assert_string_equal(r.method, "hugetlb");
	assert_int_equal(r.blocks_offlined, 0);
	assert_int_equal(r.hugetlb_pages, 50);
	assert_file(fx, MEM "memory10/state", "online\n");
	assert_int_equal(rb_journal_finish(j), 0);
	assert_file(fx, "proc/sys/vm/nr_hugepages", "0\n");
}

static void test_shrink_nothing_to_do(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin();
	struct rb_shrink_result r;
	char err[256] = "", *text;

	assert_int_equal(rb_shrink_machine(j, 2000 * MIB, &r, err, sizeof(err)), 0);
	assert_string_equal(r.method, "none");
	assert_int_equal(r.blocks_offlined, 0);
	assert_int_equal(r.hugetlb_pages, 0);
	assert_int_equal(r.mem_available_before, 1000 * MIB);
	text = journal_text(fx);
	assert_null(strstr(text, "write\t"));
	free(text);
	assert_int_equal(rb_journal_finish(j), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sysctl_path_accepts_vm_names),
		T(test_sysctl_path_rejects_other_keys),
		T(test_sysctl_unknown_on_this_kernel),
		T(test_sysctl_apply_rejects_invalid_key),
		T(test_thp_path_maps_knobs),
		T(test_thp_path_defaults_to_sys),
		T(test_thp_path_rejects_unknown_knobs),
		T(test_thp_apply_restores_bracketed_choice),
		T(test_knob_read_takes_bracketed_word),
		T(test_knob_read_trims_whitespace),
		T(test_knob_read_errors),
		T(test_sysctl_apply_journals_then_writes),
		T(test_knob_write_failure_reports_and_keeps_record),
		T(test_shrink_offlines_highest_blocks_then_hugetlb),
		T(test_shrink_restores_recomputed_watermarks),
		T(test_shrink_uses_hugetlb_without_hotplug),
		T(test_shrink_nothing_to_do),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
