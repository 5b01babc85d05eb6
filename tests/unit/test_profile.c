/* test_profile.c - cmocka tests for the profile loader (profile.c,
 * profile_override.c, profile_resolve.c) against the fixtures in
 * tests/data/profiles/: the typed model of a full profile, defaults,
 * variants, --set, one test per error kind (exact message and line), the
 * resolved-INI round trip and finding profiles. Sysctl keys are checked
 * against a fake /proc/sys made in a temporary directory. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "profile.h"
#include "workloads.h"

#define DIR "tests/data/profiles/"
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define SEC 1000000000ull

static char proc_sys[64];
static const char *const fake_sysctls[] = { "swappiness", "min_free_kbytes", "dirty_ratio" };
#define N_FAKE (sizeof(fake_sysctls) / sizeof(fake_sysctls[0]))

/* A fake /proc/sys with a few vm/ files, named by RECLAIMBENCH_PROC_SYS. */
static int group_setup(void **state)
{
	char path[128];

	(void)state;
	(void)snprintf(proc_sys, sizeof(proc_sys), "/tmp/rb-procsys-XXXXXX");
	if (!mkdtemp(proc_sys))
		return -1;
	(void)snprintf(path, sizeof(path), "%s/vm", proc_sys);
	if (mkdir(path, 0700))
		return -1;
	for (size_t i = 0; i < N_FAKE; i++) {
		FILE *f;
		(void)snprintf(path, sizeof(path), "%s/vm/%s", proc_sys, fake_sysctls[i]);
		f = fopen(path, "w");
		if (!f)
			return -1;
		(void)fputs("1\n", f);
		(void)fclose(f);
	}
	return setenv("RECLAIMBENCH_PROC_SYS", proc_sys, 1);
}

static int group_teardown(void **state)
{
	char path[128];

	(void)state;
	for (size_t i = 0; i < N_FAKE; i++) {
		(void)snprintf(path, sizeof(path), "%s/vm/%s", proc_sys, fake_sysctls[i]);
		(void)unlink(path);
	}
	(void)snprintf(path, sizeof(path), "%s/vm", proc_sys);
	(void)rmdir(path);
	(void)rmdir(proc_sys);
	return unsetenv("RECLAIMBENCH_PROC_SYS");
}

static struct rb_profile *load_ok(const char *path, const char *variant,
				  const char *const *sets, size_t n_sets)
{
	struct rb_profile_overrides ov = { variant, sets, n_sets };
	struct rb_profile *p = NULL;
	char err[1024] = "";
	int rc = rb_profile_load(path, &ov, &p, err, sizeof(err));

	if (rc)
		fail_msg("loading %s: %d %s", path, rc, err);
	assert_non_null(p);
	return p;
}

/* Loading fails with -EINVAL and exactly this message. */
static void load_fails(const char *path, const char *variant, const char *const *sets,
		       size_t n_sets, const char *msg)
{
	struct rb_profile_overrides ov = { variant, sets, n_sets };
	struct rb_profile *p = (struct rb_profile *)&ov;
	char err[1024] = "";

	assert_int_equal(rb_profile_load(path, &ov, &p, err, sizeof(err)), -EINVAL);
	assert_null(p);
	assert_string_equal(err, msg);
}

static void file_fails(const char *name, const char *msg)
{
	char path[256];

	(void)snprintf(path, sizeof(path), DIR "%s", name);
	load_fails(path, NULL, NULL, 0, msg);
}

static const void *opt_field(const struct rb_workload_spec *w, const char *name)
{
	const struct rb_option *opt = rb_option_find(w->ops->options, name);

	assert_non_null(opt);
	return (const char *)w->config + opt->offset;
}

static uint64_t opt_u64(const struct rb_workload_spec *w, const char *name)
{
	return *(const uint64_t *)opt_field(w, name);
}

static const struct rb_workload_spec *spec(const struct rb_profile *p, const char *name)
{
	const struct rb_workload_spec *w = rb_profile_workload(p, name);

	assert_non_null(w);
	return w;
}

static void test_full_profile_section(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, NULL, 0);

	(void)state;
	assert_string_equal(p->name, "full");
	assert_string_equal(p->path, DIR "full.ini");
	assert_string_equal(p->variant, "");
	assert_string_equal(p->description, "Every key, for the loader's tests");
	assert_int_equal(p->mode, RB_MODE_GLOBAL);
	assert_int_equal(p->memory, 2 * GiB);
	assert_int_equal(p->memory_high, 3 * GiB / 2); /* 75% of memory */
	assert_int_equal(p->duration_ns, 90 * SEC);
	assert_true(p->sample_hz == 20.0);
	assert_int_equal(p->seed, 42);
	assert_false(p->settle);
	assert_int_equal(p->watchdog_memavail, 512 * MiB);
	assert_true(p->watchdog_psi_full == 0.0);
	rb_profile_free(p);
}

static void test_full_expects(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, NULL, 0);

	(void)state;
	assert_int_equal(p->n_expects, 2);
	assert_string_equal(p->expects[0].text, "pgscan_direct > 0");
	assert_string_equal(p->expects[1].text, "probe.touch.p99_us > 10 * probe.touch.p50_us");
	assert_non_null(p->expects[0].expr);
	assert_non_null(p->expects[1].expr);
	assert_string_equal(p->expects[1].where, DIR "full.ini:15");
	rb_profile_free(p);
}

static void test_full_sysctl_and_thp(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, NULL, 0);

	(void)state;
	assert_int_equal(p->n_sysctls, 2);
	assert_string_equal(p->sysctls[0].key, "vm.swappiness");
	assert_string_equal(p->sysctls[0].value, "10");
	assert_string_equal(p->sysctls[0].where, DIR "full.ini:18");
	assert_string_equal(p->sysctls[1].key, "vm.min_free_kbytes");
	assert_string_equal(p->sysctls[1].value, "65536");
	assert_int_equal(p->n_thp, 5);
	assert_string_equal(p->thp[1].key, "defrag");
	assert_string_equal(p->thp[1].value, "defer+madvise");
	assert_string_equal(p->thp[4].key, "khugepaged.defrag");
	assert_string_equal(p->thp[4].value, "1");
	rb_profile_free(p);
}

static void test_full_workload_keys(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, NULL, 0);
	const struct rb_workload_spec *hog = spec(p, "hog");

	(void)state;
	assert_int_equal(p->n_workloads, 2);
	assert_ptr_equal(hog->ops, &rb_wl_anon_hog);
	assert_int_equal(hog->node, 0);
	assert_int_equal(hog->start_ns, 5 * SEC);
	assert_int_equal(hog->stop_ns, 80 * SEC);
	assert_int_equal(hog->instances, 2);
	assert_int_equal(hog->oom_score_adj, 500);
	assert_string_equal(hog->where, DIR "full.ini:28");
	rb_profile_free(p);
}

static void test_full_workload_options(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, NULL, 0);
	const struct rb_workload_spec *hog = spec(p, "hog");
	const struct rb_workload_spec *probe = spec(p, "probe");

	(void)state;
	assert_int_equal(opt_u64(hog, "size"), 858993459); /* 40% of 2G, rounded */
	assert_int_equal(opt_u64(hog, "rate"), GiB);       /* 0.5x */
	assert_int_equal(opt_u64(hog, "batch"), 4 * MiB);
	assert_int_equal(*(const int *)opt_field(hog, "fill"), 1); /* compressible */
	assert_true(*(const double *)opt_field(hog, "hot") == 0.25);
	assert_true(*(const bool *)opt_field(hog, "thp"));
	assert_ptr_equal(probe->ops, &rb_wl_probe);
	assert_int_equal(opt_u64(probe, "interval"), 20000000);
	assert_int_equal(opt_u64(probe, "anon"), 8 * MiB);
	assert_int_equal(opt_u64(probe, "file"), 21474836); /* 1% of 2G */
	assert_int_equal(*(const int64_t *)opt_field(probe, "pages"), 32);
	rb_profile_free(p);
}

static void test_full_variants_listed(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, NULL, 0);

	(void)state;
	assert_int_equal(p->n_variants, 3);
	assert_string_equal(p->variants[0].name, "small");
	assert_string_equal(p->variants[0].description, "Half the pressure");
	assert_string_equal(p->variants[1].name, "late");
	assert_string_equal(p->variants[1].description, "The hog starts late");
	rb_profile_free(p);
}

static void test_defaults(void **state)
{
	struct rb_profile *p = load_ok(DIR "minimal.ini", NULL, NULL, 0);
	const struct rb_workload_spec *hog = spec(p, "hog");

	(void)state;
	assert_string_equal(p->description, "");
	assert_int_equal(p->mode, RB_MODE_CONTAINED);
	assert_int_equal(p->memory_high, 0);
	assert_true(p->sample_hz == 10.0);
	assert_int_equal(p->seed, 1);
	assert_true(p->settle);
	assert_int_equal(p->watchdog_memavail, 256 * MiB);
	assert_true(p->watchdog_psi_full == 90.0);
	assert_int_equal(p->n_expects + p->n_sysctls + p->n_thp + p->n_variants, 0);
	assert_int_equal(hog->node, RB_NODE_ALL);
	assert_int_equal(hog->start_ns + hog->stop_ns, 0);
	assert_int_equal(hog->instances, 1);
	assert_int_equal(hog->oom_score_adj, 1000);
	assert_int_equal(opt_u64(hog, "size"), 512 * MiB); /* default 50% of 1G */
	rb_profile_free(p);
}

static void test_profile_section_last(void **state)
{
	struct rb_profile *p = load_ok(DIR "profile-last.ini", NULL, NULL, 0);

	(void)state;
	assert_int_equal(opt_u64(spec(p, "hog"), "size"), 256 * MiB); /* 25% of 1G */
	assert_int_equal(opt_u64(spec(p, "hog"), "rate"), 2 * GiB);   /* 2x */
	assert_int_equal(opt_u64(spec(p, "probe"), "anon"), 5368709); /* 0.5% */
	rb_profile_free(p);
}

static void test_long_line_limit_accepted(void **state)
{
	struct rb_profile *p = load_ok(DIR "long-line-ok.ini", NULL, NULL, 0);

	(void)state;
	assert_int_equal(strlen(p->description), 197 - strlen("description = "));
	rb_profile_free(p);
}

static void test_variant_overrides(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", "small", NULL, 0);

	(void)state;
	assert_string_equal(p->variant, "small");
	assert_int_equal(opt_u64(spec(p, "hog"), "size"), 429496730); /* 20% of 2G */
	assert_int_equal(p->n_sysctls, 3);
	assert_string_equal(p->sysctls[0].value, "100");
	assert_string_equal(p->sysctls[0].where, DIR "full.ini:52");
	assert_string_equal(p->sysctls[2].key, "vm.dirty_ratio");
	assert_string_equal(p->sysctls[2].value, "5");
	assert_string_equal(p->thp[0].value, "never");
	assert_int_equal(p->n_variants, 3);
	rb_profile_free(p);
}

static void test_variant_replaces_expects(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", "small", NULL, 0);

	(void)state;
	assert_int_equal(p->n_expects, 2);
	assert_string_equal(p->expects[0].text, "allocstall_normal >= 0");
	assert_string_equal(p->expects[1].text, "pgsteal_kswapd > 0");
	assert_string_equal(p->expects[0].where, DIR "full.ini:55");
	rb_profile_free(p);
}

static void test_variant_profile_and_times(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", "late", NULL, 0);

	(void)state;
	assert_int_equal(p->duration_ns, 120 * SEC);
	assert_int_equal(spec(p, "hog")->start_ns, 30 * SEC);
	assert_int_equal(p->n_expects, 2); /* untouched */
	rb_profile_free(p);
}

static void test_variant_base_is_none(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", "base", NULL, 0);

	(void)state;
	assert_string_equal(p->variant, "");
	assert_int_equal(opt_u64(spec(p, "hog"), "size"), 858993459);
	rb_profile_free(p);
}

static void test_set_overrides(void **state)
{
	static const char *const sets[] = {
		"profile.duration=80s", "sysctl.vm.swappiness = 60", "sysctl.vm.dirty_ratio=20",
		"thp.defrag=never",     "hog.size=1G",               "probe.node=all",
		"hog.node=all",
	};
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, sets, 7);

	(void)state;
	assert_int_equal(p->duration_ns, 80 * SEC);
	assert_string_equal(p->sysctls[0].value, "60");
	assert_string_equal(p->sysctls[0].where, "--set sysctl.vm.swappiness = 60");
	assert_string_equal(p->sysctls[2].key, "vm.dirty_ratio");
	assert_string_equal(p->sysctls[2].value, "20");
	assert_string_equal(p->thp[1].value, "never");
	assert_int_equal(opt_u64(spec(p, "hog"), "size"), GiB);
	assert_int_equal(spec(p, "hog")->node, RB_NODE_ALL);
	rb_profile_free(p);
}

static void test_set_after_variant(void **state)
{
	static const char *const sets[] = { "hog.size=30%", "profile.expect=pgmajfault > 0" };
	struct rb_profile *p = load_ok(DIR "full.ini", "small", sets, 2);

	(void)state;
	assert_int_equal(opt_u64(spec(p, "hog"), "size"), 644245094); /* 30% of 2G */
	assert_int_equal(p->n_expects, 1);
	assert_string_equal(p->expects[0].text, "pgmajfault > 0");
	assert_string_equal(p->expects[0].where, "--set profile.expect=pgmajfault > 0");
	rb_profile_free(p);
}

static void test_err_unknown_section(void **state)
{
	(void)state;
	file_fails("err-unknown-section.ini",
		   DIR "err-unknown-section.ini:9: unknown section [worklod:x] (expected "
		   "[profile], [sysctl], [thp], [swap], [workload:NAME] or [variant:NAME])");
}

static void test_err_unknown_key(void **state)
{
	(void)state;
	file_fails("err-unknown-key.ini",
		   DIR "err-unknown-key.ini:7: unknown key 'sise' in [workload:hog] (anon-hog "
		   "options: size, rate, batch, fill, ratio, hot, cold_rate, thp; common: type, "
		   "node, start, "
		   "stop, instances, oom_score_adj)");
}

static void test_err_bad_memory_size(void **state)
{
	(void)state;
	file_fails("err-bad-size.ini", DIR "err-bad-size.ini:3: bad size '12Q' for memory "
		   "(expected e.g. 4K, 512M, 2G)");
}

static void test_err_bad_option_size(void **state)
{
	(void)state;
	file_fails("err-bad-workload-size.ini",
		   DIR "err-bad-workload-size.ini:7: bad size '3 apples' for size (expected "
		   "e.g. 4K, 512M, 2G, 40% or 2x)");
}

static void test_err_relative_memory(void **state)
{
	static const char *const sets[] = { "profile.memory=50%" };

	(void)state;
	load_fails(DIR "minimal.ini", NULL, sets, 1, "--set profile.memory=50%: memory must be "
		   "an absolute size, not '50%' (expected e.g. 4K, 512M, 2G)");
}

static void test_err_bad_duration(void **state)
{
	(void)state;
	file_fails("err-bad-duration.ini",
		   DIR "err-bad-duration.ini:3: bad duration '10 minutes' for duration "
		   "(expected e.g. 500ms, 60s, 5m or 1h)");
}

static void test_err_out_of_range(void **state)
{
	(void)state;
	file_fails("err-out-of-range.ini", DIR "err-out-of-range.ini:7: 65 is out of range "
		   "for instances (expected 1..64)");
}

static void test_err_bad_enum(void **state)
{
	(void)state;
	file_fails("err-bad-enum.ini", DIR "err-bad-enum.ini:4: bad value 'sometimes' for mode "
		   "(expected one of contained|global)");
}

/* "anon-hog, probe, ...": every registered type, as the messages list them
 * (built from the registry so that adding a workload does not break these). */
static const char *known_types(void)
{
	static char buf[512];
	size_t used = 0;

	for (size_t i = 0; i < rb_workload_count; i++) {
		(void)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? ", " : "",
			       rb_workloads[i]->name);
		used = strlen(buf);
	}
	return buf;
}

static void test_err_unknown_type(void **state)
{
	char msg[1024];

	(void)state;
	(void)snprintf(msg, sizeof(msg), DIR "err-unknown-type.ini:6: unknown workload type "
		       "'anon-hgo' (known: %s)", known_types());
	file_fails("err-unknown-type.ini", msg);
}

static void test_err_duplicate_workload(void **state)
{
	(void)state;
	file_fails("err-duplicate-workload.ini", DIR "err-duplicate-workload.ini:8: duplicate "
		   "workload name 'hog' (first at line 5)");
}

static void test_err_reserved_name(void **state)
{
	(void)state;
	file_fails("err-reserved-name.ini", DIR "err-reserved-name.ini:5: workload name "
		   "'baseline' is reserved (reserved: profile, sysctl, thp, swap, zram, zswap, "
		   "memcg, worker, baseline, base, vmstat, meminfo, psi)");
}

static void test_err_bad_name(void **state)
{
	(void)state;
	file_fails("err-bad-name.ini", DIR "err-bad-name.ini:5: bad workload name 'Hog' "
		   "(expected 1..63 characters of a-z, 0-9, _ and -)");
}

static void test_err_missing_type(void **state)
{
	char msg[1024];

	(void)state;
	(void)snprintf(msg, sizeof(msg), DIR "err-missing-type.ini:5: missing 'type' in "
		       "[workload:hog] (expected type = one of %s)", known_types());
	file_fails("err-missing-type.ini", msg);
}

static void test_err_missing_memory(void **state)
{
	(void)state;
	file_fails("err-missing-memory.ini", DIR "err-missing-memory.ini: missing 'memory' in "
		   "[profile] (expected e.g. memory = 1G)");
}

static void test_err_duplicate_key(void **state)
{
	(void)state;
	file_fails("err-duplicate-key.ini", DIR "err-duplicate-key.ini:3: duplicate key "
		   "'memory' in [profile] (first at line 2)");
}

static void test_err_bad_expect(void **state)
{
	(void)state;
	file_fails("err-bad-expect.ini", DIR "err-bad-expect.ini:5: bad expect 'pgscan_direct "
		   "5': expected a comparison operator (> >= < <= == !=) after 'pgscan_direct'");
}

#define SYSCTL_FORM "(expected vm.NAME, NAME of a-z, 0-9 and _)"

static void test_err_sysctl_key_kernel(void **state)
{
	(void)state;
	file_fails("err-sysctl-key-kernel.ini", DIR "err-sysctl-key-kernel.ini:7: bad sysctl "
		   "key 'kernel.shmmax' " SYSCTL_FORM);
}

static void test_err_sysctl_key_dotdot(void **state)
{
	(void)state;
	file_fails("err-sysctl-key-dotdot.ini", DIR "err-sysctl-key-dotdot.ini:7: bad sysctl "
		   "key 'vm..swappiness' " SYSCTL_FORM);
}

static void test_err_sysctl_key_slash(void **state)
{
	(void)state;
	file_fails("err-sysctl-key-slash.ini", DIR "err-sysctl-key-slash.ini:7: bad sysctl "
		   "key 'vm.a/b' " SYSCTL_FORM);
}

static void test_err_sysctl_key_parent(void **state)
{
	(void)state;
	file_fails("err-sysctl-key-parent.ini", DIR "err-sysctl-key-parent.ini:7: bad sysctl "
		   "key '../x' " SYSCTL_FORM);
}

static void test_err_sysctl_key_empty(void **state)
{
	(void)state;
	file_fails("err-sysctl-key-empty.ini", DIR "err-sysctl-key-empty.ini:7: bad sysctl "
		   "key '' " SYSCTL_FORM);
}

static void test_err_unknown_sysctl(void **state)
{
	(void)state;
	file_fails("err-unknown-sysctl.ini", DIR "err-unknown-sysctl.ini:7: unknown sysctl "
		   "vm.foo (no /proc/sys/vm/foo on this kernel)");
}

static void test_err_sysctl_checked_in_proc_sys_root(void **state)
{
	static const char *const sets[] = { "sysctl.vm.overcommit_memory=1" };

	(void)state; /* exists on the machine, not in the fake root */
	load_fails(DIR "minimal.ini", NULL, sets, 1, "--set sysctl.vm.overcommit_memory=1: "
		   "unknown sysctl vm.overcommit_memory (no /proc/sys/vm/overcommit_memory on "
		   "this kernel)");
}

/* A variant's sysctl is checked against the machine only when applied: the
 * base profile loads (every other test), the variant does not. */
static void test_err_variant_sysctl_missing(void **state)
{
	(void)state;
	load_fails(DIR "full.ini", "newer", NULL, 0, DIR "full.ini:65: unknown sysctl "
		   "vm.watermark_boost_factor (no /proc/sys/vm/watermark_boost_factor on this "
		   "kernel)");
}

static void test_err_memory_high_above_memory(void **state)
{
	static const char *const sets[] = { "profile.memory_high=2G" };

	(void)state;
	load_fails(DIR "minimal.ini", NULL, sets, 1, "--set profile.memory_high=2G: memory_high "
		   "2G is above memory 1G");
}

static void test_err_bad_node(void **state)
{
	static const char *const sets[] = { "hog.node=-1" };

	(void)state;
	load_fails(DIR "minimal.ini", NULL, sets, 1, "--set hog.node=-1: bad node '-1' (expected "
		   "a NUMA node number 0..4095 or all)");
}

static void test_err_stop_before_start(void **state)
{
	(void)state;
	file_fails("err-stop-before-start.ini", DIR "err-stop-before-start.ini:8: stop 10s is "
		   "not after start 20s in [workload:hog]");
}

static void test_baseline_set(void **state)
{
	static const char *const sets[] = { "profile.baseline=4s" };
	struct rb_profile *p = load_ok(DIR "minimal.ini", NULL, sets, 1);

	(void)state;
	assert_int_equal(p->baseline_ns, 4000000000ull);
	rb_profile_free(p);
}

static void test_err_baseline_too_long(void **state)
{
	(void)state;
	file_fails("err-baseline-too-long.ini", DIR "err-baseline-too-long.ini:4: baseline must "
		   "end before the run does (expected less than duration)");
}

static void test_err_stop_after_end(void **state)
{
	(void)state;
	file_fails("err-stop-after-end.ini", DIR "err-stop-after-end.ini:7: stop 1.5m is after "
		   "the end of the run (duration 1m) in [workload:hog]");
}

static void test_err_unknown_variant(void **state)
{
	(void)state;
	load_fails(DIR "full.ini", "smal", NULL, 0, DIR "full.ini: unknown variant 'smal' "
		   "(known: small, late, newer)");
}

static void test_err_variant_without_variants(void **state)
{
	(void)state;
	load_fails(DIR "minimal.ini", "small", NULL, 0, DIR "minimal.ini: unknown variant "
		   "'small' (this profile has no variants)");
}

static void test_err_variant_unknown_target(void **state)
{
	(void)state;
	file_fails("err-variant-target.ini", DIR "err-variant-target.ini:9: unknown target "
		   "'hgo' in 'hgo.size' (expected profile, sysctl, thp, swap or a workload: hog)");
}

static void test_err_set_without_equals(void **state)
{
	static const char *const sets[] = { "hog.size" };

	(void)state;
	load_fails(DIR "full.ini", NULL, sets, 1, "--set hog.size: expected section.key=value "
		   "(e.g. profile.duration=10s, sysctl.vm.swappiness=10, hog.size=2G)");
}

static void test_err_set_without_target(void **state)
{
	static const char *const sets[] = { "size=2G" };

	(void)state;
	load_fails(DIR "full.ini", NULL, sets, 1, "--set size=2G: bad override 'size' (expected "
		   "TARGET.key: profile.KEY, sysctl.vm.NAME, thp.KEY, swap.KEY or WORKLOAD.KEY)");
}

static void test_err_set_unknown_target(void **state)
{
	static const char *const sets[] = { "hgo.size=2G" };

	(void)state;
	load_fails(DIR "full.ini", NULL, sets, 1, "--set hgo.size=2G: unknown target 'hgo' in "
		   "'hgo.size' (expected profile, sysctl, thp, swap or a workload: hog, probe)");
}

static void test_err_set_bad_value(void **state)
{
	static const char *const sets[] = { "hog.size=9Q" };

	(void)state;
	load_fails(DIR "full.ini", NULL, sets, 1, "--set hog.size=9Q: bad size '9Q' for size "
		   "(expected e.g. 4K, 512M, 2G, 40% or 2x)");
}

static void test_err_set_unknown_key(void **state)
{
	static const char *const sets[] = { "probe.sise=1" };

	(void)state;
	load_fails(DIR "full.ini", NULL, sets, 1, "--set probe.sise=1: unknown key 'sise' in "
		   "[workload:probe] (probe options: interval, anon, file, alloc, pages; common: type, "
		   "node, start, stop, instances, oom_score_adj)");
}

static void test_err_line_too_long(void **state)
{
	(void)state;
	file_fails("err-line-too-long.ini", DIR "err-line-too-long.ini:4: line too long (214 "
		   "characters, at most 197)");
}

static void test_err_syntax_no_equals(void **state)
{
	(void)state;
	file_fails("err-syntax.ini", DIR "err-syntax.ini:3: syntax error (expected [section] or "
		   "key = value)");
}

static void test_err_syntax_unclosed_section(void **state)
{
	(void)state;
	file_fails("err-syntax-bracket.ini", DIR "err-syntax-bracket.ini:5: syntax error "
		   "(expected [section] or key = value)");
}

static void test_err_missing_file(void **state)
{
	struct rb_profile *p = NULL;
	char err[512];

	(void)state;
	assert_int_equal(rb_profile_load(DIR "no-such.ini", NULL, &p, err, sizeof(err)), -ENOENT);
	assert_null(p);
	assert_string_equal(err, DIR "no-such.ini: cannot open: No such file or directory");
}

static void assert_same_settings(const struct rb_setting *a, const struct rb_setting *b,
				 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(a[i].key, b[i].key);
		assert_string_equal(a[i].value, b[i].value);
	}
}

static void assert_same_workloads(const struct rb_profile *a, const struct rb_profile *b)
{
	assert_int_equal(a->n_workloads, b->n_workloads);
	for (size_t i = 0; i < a->n_workloads; i++) {
		const struct rb_workload_spec *x = &a->workloads[i], *y = &b->workloads[i];
		assert_string_equal(x->name, y->name);
		assert_ptr_equal(x->ops, y->ops);
		assert_int_equal(x->node, y->node);
		assert_int_equal(x->start_ns, y->start_ns);
		assert_int_equal(x->stop_ns, y->stop_ns);
		assert_int_equal(x->instances, y->instances);
		assert_int_equal(x->oom_score_adj, y->oom_score_adj);
		assert_memory_equal(x->config, y->config, x->ops->config_size);
	}
}

static void assert_same_profile(const struct rb_profile *a, const struct rb_profile *b)
{
	assert_string_equal(a->description, b->description);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->memory, b->memory);
	assert_int_equal(a->memory_high, b->memory_high);
	assert_int_equal(a->duration_ns, b->duration_ns);
	assert_true(a->sample_hz == b->sample_hz);
	assert_int_equal(a->seed, b->seed);
	assert_int_equal(a->settle, b->settle);
	assert_int_equal(a->watchdog_memavail, b->watchdog_memavail);
	assert_true(a->watchdog_psi_full == b->watchdog_psi_full);
	assert_int_equal(a->n_expects, b->n_expects);
	for (size_t i = 0; i < a->n_expects; i++)
		assert_string_equal(a->expects[i].text, b->expects[i].text);
	assert_int_equal(a->n_sysctls, b->n_sysctls);
	assert_same_settings(a->sysctls, b->sysctls, a->n_sysctls);
	assert_int_equal(a->n_thp, b->n_thp);
	assert_same_settings(a->thp, b->thp, a->n_thp);
	assert_int_equal(a->swap.set, b->swap.set);
	assert_int_equal(a->swap.type, b->swap.type);
	assert_int_equal(a->swap.size, b->swap.size);
	assert_string_equal(a->swap.zram_compressor, b->swap.zram_compressor);
	assert_int_equal(a->swap.zswap, b->swap.zswap);
	assert_string_equal(a->swap.zswap_compressor, b->swap.zswap_compressor);
	assert_int_equal(a->swap.zswap_max_pool_percent, b->swap.zswap_max_pool_percent);
	assert_same_workloads(a, b);
}

/* Write p resolved into a temporary file, load that, compare. */
static void round_trip(const struct rb_profile *p)
{
	char dir[] = "/tmp/rb-profile-XXXXXX", path[64];
	struct rb_profile *q;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	(void)snprintf(path, sizeof(path), "%s/resolved.ini", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(rb_profile_write_resolved(p, f), 0);
	assert_int_equal(fclose(f), 0);
	q = load_ok(path, NULL, NULL, 0);
	assert_string_equal(q->name, "resolved");
	assert_same_profile(p, q);
	rb_profile_free(q);
	(void)unlink(path);
	(void)rmdir(dir);
}

static void test_round_trip_full(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, NULL, 0);

	(void)state;
	round_trip(p);
	rb_profile_free(p);
}

static void test_round_trip_variant_and_sets(void **state)
{
	static const char *const sets[] = { "hog.node=all", "probe.interval=1.5ms",
					    "profile.sample_rate=33.3", "hog.hot=0.1" };
	struct rb_profile *p = load_ok(DIR "full.ini", "small", sets, 4);

	(void)state;
	round_trip(p);
	rb_profile_free(p);
}

static void test_round_trip_defaults(void **state)
{
	struct rb_profile *p = load_ok(DIR "profile-last.ini", NULL, NULL, 0);

	(void)state;
	round_trip(p);
	rb_profile_free(p);
}

static void test_find_in_env_dir(void **state)
{
	char path[256];

	(void)state;
	assert_int_equal(setenv("RECLAIMBENCH_PROFILES", "tests/data/profiles", 1), 0);
	assert_int_equal(rb_profile_find("full", path, sizeof(path)), 0);
	assert_string_equal(path, "tests/data/profiles/full.ini");
	assert_int_equal(rb_profile_find("no-such-profile", path, sizeof(path)), -ENOENT);
	assert_int_equal(rb_profile_dir(path, sizeof(path)), 0);
	assert_string_equal(path, "tests/data/profiles");
	assert_int_equal(unsetenv("RECLAIMBENCH_PROFILES"), 0);
}

static void test_find_path_as_is(void **state)
{
	char path[256];

	(void)state;
	assert_int_equal(rb_profile_find(DIR "minimal.ini", path, sizeof(path)), 0);
	assert_string_equal(path, DIR "minimal.ini");
	assert_int_equal(rb_profile_find("minimal.ini", path, sizeof(path)), -ENOENT);
	assert_int_equal(rb_profile_find("nowhere/x", path, sizeof(path)), -ENOENT);
}

static void test_workload_lookup(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, NULL, 0);

	(void)state;
	assert_string_equal(rb_profile_workload(p, "probe")->name, "probe");
	assert_null(rb_profile_workload(p, "nope"));
	rb_profile_free(p);
}

static void test_swap_section(void **state)
{
	struct rb_profile *p = load_ok(DIR "swap.ini", NULL, NULL, 0);

	(void)state;
	assert_true(p->swap.set);
	assert_int_equal(p->swap.type, RB_SWAP_ZRAM);
	assert_int_equal(p->swap.size, 1 * GiB); /* 50% of 2G */
	assert_string_equal(p->swap.zram_compressor, "lz4");
	assert_int_equal(p->swap.zswap, RB_ZSWAP_OFF);
	assert_string_equal(p->swap.zswap_compressor, "");
	assert_int_equal(p->swap.zswap_max_pool_percent, 0);
	assert_string_equal(p->swap.where, DIR "swap.ini:6");
	round_trip(p);
	rb_profile_free(p);
}

static void test_swap_variant(void **state)
{
	struct rb_profile *p = load_ok(DIR "swap.ini", "file", NULL, 0);

	(void)state;
	assert_int_equal(p->swap.type, RB_SWAP_FILE);
	assert_string_equal(p->swap.zram_compressor, "");
	assert_int_equal(p->swap.zswap, RB_ZSWAP_ON);
	assert_string_equal(p->swap.zswap_compressor, "zstd");
	assert_int_equal(p->swap.zswap_max_pool_percent, 25);
	round_trip(p);
	rb_profile_free(p);
}

static void test_swap_absent_is_unset(void **state)
{
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, NULL, 0);

	(void)state;
	assert_false(p->swap.set);
	rb_profile_free(p);
}

static void test_swap_set_without_section(void **state)
{
	static const char *const sets[] = { "swap.type=none" };
	struct rb_profile *p = load_ok(DIR "full.ini", NULL, sets, 1);

	(void)state;
	assert_true(p->swap.set);
	assert_int_equal(p->swap.type, RB_SWAP_NONE);
	assert_string_equal(p->swap.where, "--set swap.type=none");
	rb_profile_free(p);
}

static void test_err_swap_unknown_key(void **state)
{
	(void)state;
	file_fails("err-swap-key.ini",
		   DIR "err-swap-key.ini:7: unknown key 'sise' in [swap] (expected type, size, "
		   "zram_compressor, zswap, zswap_compressor or zswap_max_pool_percent)");
}

static void test_err_swap_zram_compressor_needs_zram(void **state)
{
	(void)state;
	file_fails("err-swap-zram-compressor.ini", DIR "err-swap-zram-compressor.ini:7: "
		   "zram_compressor needs type = zram");
}

static void test_err_swap_bad_values(void **state)
{
	static const char *const type[] = { "swap.type=disk" };
	static const char *const comp[] = { "swap.zram_compressor=lz4;rm" };
	static const char *const pool[] = { "swap.zswap_max_pool_percent=101" };

	(void)state;
	load_fails(DIR "swap.ini", NULL, type, 1, "--set swap.type=disk: bad value 'disk' for type (expected one of "
		   "none|file|zram)");
	load_fails(DIR "swap.ini", NULL, comp, 1, "--set swap.zram_compressor=lz4;rm: bad "
		   "compressor 'lz4;rm' for zram_compressor (expected a name such as lzo-rle, "
		   "lz4 or zstd)");
	load_fails(DIR "swap.ini", NULL, pool, 1, "--set swap.zswap_max_pool_percent=101: "
		   "101 is out of range for zswap_max_pool_percent (expected 0..100)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_profile_section),
		cmocka_unit_test(test_full_expects),
		cmocka_unit_test(test_full_sysctl_and_thp),
		cmocka_unit_test(test_full_workload_keys),
		cmocka_unit_test(test_full_workload_options),
		cmocka_unit_test(test_full_variants_listed),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_profile_section_last),
		cmocka_unit_test(test_long_line_limit_accepted),
		cmocka_unit_test(test_variant_overrides),
		cmocka_unit_test(test_variant_replaces_expects),
		cmocka_unit_test(test_variant_profile_and_times),
		cmocka_unit_test(test_variant_base_is_none),
		cmocka_unit_test(test_set_overrides),
		cmocka_unit_test(test_set_after_variant),
		cmocka_unit_test(test_err_unknown_section),
		cmocka_unit_test(test_err_unknown_key),
		cmocka_unit_test(test_err_bad_memory_size),
		cmocka_unit_test(test_err_bad_option_size),
		cmocka_unit_test(test_err_relative_memory),
		cmocka_unit_test(test_err_bad_duration),
		cmocka_unit_test(test_err_out_of_range),
		cmocka_unit_test(test_err_bad_enum),
		cmocka_unit_test(test_err_unknown_type),
		cmocka_unit_test(test_err_duplicate_workload),
		cmocka_unit_test(test_err_reserved_name),
		cmocka_unit_test(test_swap_section),
		cmocka_unit_test(test_swap_variant),
		cmocka_unit_test(test_swap_absent_is_unset),
		cmocka_unit_test(test_swap_set_without_section),
		cmocka_unit_test(test_err_swap_unknown_key),
		cmocka_unit_test(test_err_swap_zram_compressor_needs_zram),
		cmocka_unit_test(test_err_swap_bad_values),
		cmocka_unit_test(test_err_bad_name),
		cmocka_unit_test(test_err_missing_type),
		cmocka_unit_test(test_err_missing_memory),
		cmocka_unit_test(test_err_duplicate_key),
		cmocka_unit_test(test_err_bad_expect),
		cmocka_unit_test(test_err_sysctl_key_kernel),
		cmocka_unit_test(test_err_sysctl_key_dotdot),
		cmocka_unit_test(test_err_sysctl_key_slash),
		cmocka_unit_test(test_err_sysctl_key_parent),
		cmocka_unit_test(test_err_sysctl_key_empty),
		cmocka_unit_test(test_err_unknown_sysctl),
		cmocka_unit_test(test_err_sysctl_checked_in_proc_sys_root),
		cmocka_unit_test(test_err_variant_sysctl_missing),
		cmocka_unit_test(test_err_memory_high_above_memory),
		cmocka_unit_test(test_err_bad_node),
		cmocka_unit_test(test_err_stop_before_start),
		cmocka_unit_test(test_baseline_set),
		cmocka_unit_test(test_err_baseline_too_long),
		cmocka_unit_test(test_err_stop_after_end),
		cmocka_unit_test(test_err_unknown_variant),
		cmocka_unit_test(test_err_variant_without_variants),
		cmocka_unit_test(test_err_variant_unknown_target),
		cmocka_unit_test(test_err_set_without_equals),
		cmocka_unit_test(test_err_set_without_target),
		cmocka_unit_test(test_err_set_unknown_target),
		cmocka_unit_test(test_err_set_bad_value),
		cmocka_unit_test(test_err_set_unknown_key),
		cmocka_unit_test(test_err_line_too_long),
		cmocka_unit_test(test_err_syntax_no_equals),
		cmocka_unit_test(test_err_syntax_unclosed_section),
		cmocka_unit_test(test_err_missing_file),
		cmocka_unit_test(test_round_trip_full),
		cmocka_unit_test(test_round_trip_variant_and_sets),
		cmocka_unit_test(test_round_trip_defaults),
		cmocka_unit_test(test_find_in_env_dir),
		cmocka_unit_test(test_find_path_as_is),
		cmocka_unit_test(test_workload_lookup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
