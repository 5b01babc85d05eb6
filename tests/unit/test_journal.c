/* test_journal.c - the journal of machine changes: records, newest-first
 * replay, crash recovery, ownership checks and every undo kind, against
 * files in a temporary directory ($RECLAIMBENCH_STATE_DIR points there). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroup.h"
#include "journal.h"

struct fx {
	char dir[PATH_MAX];     /* scratch directory of the test */
	char journal[PATH_MAX]; /* its journal file */
};

/* ---- helpers ---------------------------------------------------------- */

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Whole file as a malloc'd string, or NULL if it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	if (!f || !buf) {
		free(buf);
		if (f)
			(void)fclose(f);
		return NULL;
	}
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	(void)fclose(f);
	return buf;
}

static void assert_file(const char *path, const char *want)
{
	char *got = slurp(path);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* fx->dir + "/" + name into a static buffer ring (a few at a time). */
static const char *in(const struct fx *fx, const char *name)
{
	static char ring[8][PATH_MAX];
	static unsigned next;
	char *buf = ring[next++ % 8];

	assert_true(snprintf(buf, PATH_MAX, "%s/%s", fx->dir, name) < PATH_MAX);
	return buf;
}

static struct rb_journal *begin(const char *results)
{
	struct rb_journal *j = NULL;
	char err[512] = "";
	int ret = rb_journal_begin(results, &j, err, sizeof(err));

	if (ret)
		fprintf(stderr, "begin: %s\n", err);
	assert_int_equal(ret, 0);
	assert_non_null(j);
	return j;
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
	strcpy(fx->dir, "/tmp/rb-journal-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	assert_int_equal(setenv("RECLAIMBENCH_STATE_DIR", in(fx, "state"), 1), 0);
	rb_journal_path(fx->journal, sizeof(fx->journal));
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	(void)nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	(void)unsetenv("RECLAIMBENCH_STATE_DIR");
	free(fx);
	return 0;
}

/* ---- state directory and header ----------------------------------------- */

static void test_state_dir_follows_env(void **state)
{
	struct fx *fx = *state;

	assert_string_equal(rb_state_dir(), in(fx, "state"));
	assert_string_equal(fx->journal, in(fx, "state/journal"));
	(void)unsetenv("RECLAIMBENCH_STATE_DIR");
	assert_string_equal(rb_state_dir(), RB_STATE_DIR_DEFAULT);
}

static void test_begin_writes_header_in_private_dir(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin("/results/a\tb");
	char want[128], *text = slurp(fx->journal);
	struct stat st;

	assert_non_null(text);
	(void)snprintf(want, sizeof(want), "reclaimbench-journal v1 pid=%d start=", (int)getpid());
	assert_memory_equal(text, want, strlen(want));
	assert_non_null(strstr(text, " results=/results/a\\tb\n"));
	assert_int_equal(stat(in(fx, "state"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(text);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_false(exists(fx->journal));
}

static void test_stale_results_dir_round_trips(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin("/results/x y\\z\tw");
	char dir[PATH_MAX];

	assert_int_equal(rb_journal_stale_results_dir(dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/results/x y\\z\tw");
	assert_int_equal(rb_journal_finish(j), 0);
	assert_int_equal(rb_journal_stale_results_dir(dir, sizeof(dir)), -ENOENT);
	(void)fx;
}

/* ---- records and replay ----------------------------------------------- */

static void test_finish_restores_newest_first(void **state)
{
	struct fx *fx = *state;
	const char *a = in(fx, "a"), *b = in(fx, "b");
	struct rb_journal *j = begin("/r");

	put(a, "orig\n");
	put(b, "b0\n");
	assert_int_equal(rb_journal_write(j, a, "orig"), 0);
	put(a, "v1\n");
	assert_int_equal(rb_journal_write(j, b, "b0"), 0);
	put(b, "b1\n");
	assert_int_equal(rb_journal_write(j, a, "v1"), 0);
	put(a, "v2\n");
	assert_int_equal(rb_journal_finish(j), 0);
	assert_file(a, "orig\n");
	assert_file(b, "b0\n");
	assert_false(exists(fx->journal));
}

static void test_escaping_round_trips_paths_and_values(void **state)
{
	struct fx *fx = *state;
	const char *odd = in(fx, "we\tird\nna\\me");
	const char *value = "x\ty\nz\\w";
	struct rb_journal *j = begin("/r");
	char want[PATH_MAX * 2], *text;

	put(odd, "changed\n");
	assert_int_equal(rb_journal_write(j, odd, value), 0);
	text = slurp(fx->journal);
	assert_non_null(text);
	(void)snprintf(want, sizeof(want), "write\t%s/we\\tird\\nna\\\\me\tx\\ty\\nz\\\\w\n",
		       fx->dir);
	assert_non_null(strstr(text, want));
	free(text);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_file(odd, "x\ty\nz\\w\n");
}

static void test_empty_old_value_is_restored(void **state)
{
	struct fx *fx = *state;
	const char *a = in(fx, "empty");
	struct rb_journal *j = begin("/r");

	put(a, "\n");
	assert_int_equal(rb_journal_write(j, a, ""), 0);
	put(a, "something\n");
	assert_int_equal(rb_journal_finish(j), 0);
	assert_file(a, "\n");
}

static void test_relative_paths_are_recorded_absolute(void **state)
{
	struct fx *fx = *state;
	char cwd[PATH_MAX], want[PATH_MAX + 32], *text;
	struct rb_journal *j = begin("/r");

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	put(in(fx, "rel-file"), "x");
	assert_int_equal(chdir(fx->dir), 0);
	assert_int_equal(rb_journal_unlink(j, "rel-file"), 0);
	assert_int_equal(chdir(cwd), 0);
	text = slurp(fx->journal);
	assert_non_null(text);
	(void)snprintf(want, sizeof(want), "unlink\t%s/rel-file\n", fx->dir);
	assert_non_null(strstr(text, want));
	free(text);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_false(exists(in(fx, "rel-file")));
}

static void test_records_need_a_path(void **state)
{
	struct rb_journal *j = begin("/r");

	assert_int_equal(rb_journal_write(j, "", "x"), -EINVAL);
	assert_int_equal(rb_journal_write(j, "/x", NULL), -EINVAL);
	assert_int_equal(rb_journal_rmtree(NULL, "/x"), -EINVAL);
	assert_int_equal(rb_journal_finish(j), 0);
	(void)state;
}

/* ---- undo kinds ---------------------------------------------------------- */

static void test_rmtree_and_unlink_undo(void **state)
{
	struct fx *fx = *state;
	const char *tree = in(fx, "scratch"), *file = in(fx, "made"), *keep = in(fx, "keep");
	struct rb_journal *j = begin("/r");

	put(keep, "outside\n");
	assert_int_equal(mkdir(tree, 0700), 0);
	assert_int_equal(mkdir(in(fx, "scratch/a"), 0700), 0);
	put(in(fx, "scratch/a/file"), "data");
	assert_int_equal(symlink(keep, in(fx, "scratch/a/link")), 0);
	put(file, "x");
	assert_int_equal(rb_journal_rmtree(j, tree), 0);
	assert_int_equal(rb_journal_unlink(j, file), 0);
	assert_int_equal(rb_journal_unlink(j, in(fx, "never-created")), 0);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_false(exists(tree));
	assert_false(exists(file));
	assert_file(keep, "outside\n"); /* the symlink went, not its target */
}

static void test_rmcg_removes_cgroup_and_empty_parent(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin("/r");

	assert_int_equal(mkdir(in(fx, "reclaimbench"), 0755), 0);
	assert_int_equal(mkdir(in(fx, "reclaimbench/run-1"), 0755), 0);
	assert_int_equal(rb_journal_rmcg(j, in(fx, "reclaimbench/run-1")), 0);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_false(exists(in(fx, "reclaimbench/run-1")));
	assert_false(exists(in(fx, "reclaimbench")));
}

static void test_rmcg_keeps_parent_in_use(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin("/r");

	assert_int_equal(mkdir(in(fx, "reclaimbench"), 0755), 0);
	assert_int_equal(mkdir(in(fx, "reclaimbench/run-1"), 0755), 0);
	assert_int_equal(mkdir(in(fx, "reclaimbench/run-2"), 0755), 0);
	assert_int_equal(rb_journal_rmcg(j, in(fx, "reclaimbench/run-1")), 0);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_false(exists(in(fx, "reclaimbench/run-1")));
	assert_true(exists(in(fx, "reclaimbench/run-2")));
}

static void test_rmcg_refuses_cgroup_outside_reclaimbench(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin("/r");

	assert_int_equal(mkdir(in(fx, "other"), 0755), 0);
	assert_int_equal(mkdir(in(fx, "other/cg"), 0755), 0);
	assert_int_equal(rb_cgroup_remove(in(fx, "other/cg")), -EINVAL);
	assert_int_equal(rb_cgroup_remove("/"), -EINVAL);
	assert_int_equal(rb_journal_rmcg(j, in(fx, "other/cg")), 0);
	assert_int_equal(rb_journal_finish(j), 1);
	assert_true(exists(in(fx, "other/cg")));
	assert_true(exists(fx->journal));
}

/* ---- failures, retries, idempotence -------------------------------------- */

static void test_rmdir_undo_removes_empty_dir_and_ignores_missing(void **state)
{
	struct fx *fx = *state;
	const char *dir = in(fx, "instance");
	struct rb_journal *j = begin("/r");

	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(rb_journal_rmdir(j, dir), 0);
	assert_int_equal(rb_journal_rmdir(j, in(fx, "never-created")), 0);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_false(exists(dir));
	assert_false(exists(fx->journal));
}

static void test_rmdir_undo_never_removes_contents(void **state)
{
	struct fx *fx = *state;
	const char *dir = in(fx, "full");
	struct rb_journal *j = begin("/r");

	assert_int_equal(mkdir(dir, 0700), 0);
	put(in(fx, "full/keep"), "data");
	assert_int_equal(rb_journal_rmdir(j, dir), 0);
	assert_int_equal(rb_journal_finish(j), 1); /* ENOTEMPTY: reported, journal kept */
	assert_file(in(fx, "full/keep"), "data");
	assert_true(exists(fx->journal));
}

/* swapoff of an area never turned on, zram of a device that is gone, swapon
 * of a file that is not swap: the first two count as done, the last fails
 * and keeps the journal. */
static void test_swap_records_replay(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j;
	int fd;

	if (geteuid() != 0)
		skip(); /* swapoff(2) answers EPERM before it looks at the path */
	j = begin("/r");
	fd = open(in(fx, "not-swap"), O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	(void)close(fd);
	assert_int_equal(rb_journal_swapon(j, in(fx, "not-swap"), "-2"), 0);
	assert_int_equal(rb_journal_swapoff(j, in(fx, "never-on")), 0);
	assert_int_equal(rb_journal_zram(j, "/dev/zram987654"), 0);
	assert_int_equal(rb_journal_finish(j), 1);
	assert_true(exists(fx->journal));
	assert_int_equal(unlink(fx->journal), 0);
}

static void test_umount_undo_of_a_path_not_mounted_counts_as_done(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j;

	if (geteuid() != 0)
		skip(); /* umount2 answers EPERM before it looks at the path */
	j = begin("/r");
	assert_int_equal(mkdir(in(fx, "not-a-mount"), 0700), 0);
	assert_int_equal(rb_journal_umount(j, in(fx, "not-a-mount")), 0); /* EINVAL */
	assert_int_equal(rb_journal_umount(j, in(fx, "missing")), 0);     /* ENOENT */
	assert_int_equal(rb_journal_finish(j), 0);
	assert_true(exists(in(fx, "not-a-mount")));
	assert_false(exists(fx->journal));
}

/* True if path is the root of a mount (its device differs from its parent's). */
static bool is_mount_point(const char *path)
{
	char parent[PATH_MAX];
	struct stat a, b;

	(void)snprintf(parent, sizeof(parent), "%s/..", path);
	return stat(path, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

/* In a child with its own mount namespace (nothing leaks to the machine):
 * mount a tmpfs, journal its umount, replay. Exit 0 if it was detached. */
static int umount_in_private_namespace(const char *dir)
{
	struct rb_journal *j = NULL;
	char err[256];

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 2;
	if (mount("none", dir, "tmpfs", 0, "size=1m") || !is_mount_point(dir))
		return 3;
	if (rb_journal_begin("/r", &j, err, sizeof(err)) || rb_journal_umount(j, dir))
		return 4;
	if (rb_journal_finish(j) != 0)
		return 5;
	return is_mount_point(dir) ? 6 : 0;
}

static void test_umount_undo_detaches_a_mount(void **state)
{
	struct fx *fx = *state;
	const char *dir = in(fx, "mnt");
	pid_t pid;
	int status;

	if (geteuid() != 0)
		skip(); /* a mount namespace and a mount need CAP_SYS_ADMIN */
	assert_int_equal(mkdir(dir, 0700), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(umount_in_private_namespace(dir));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_false(is_mount_point(dir)); /* and the test's own namespace never saw it */
}

static void test_failed_undo_keeps_journal_for_restore(void **state)
{
	struct fx *fx = *state;
	const char *a = in(fx, "a"), *late = in(fx, "missing/knob");
	struct rb_journal *j = begin("/r");
	char err[256] = "";

	put(a, "new\n");
	assert_int_equal(rb_journal_write(j, late, "old-late"), 0);
	assert_int_equal(rb_journal_write(j, a, "old-a"), 0);
	assert_int_equal(rb_journal_finish(j), 1);
	assert_file(a, "old-a\n");
	assert_true(exists(fx->journal));
	assert_int_equal(mkdir(in(fx, "missing"), 0755), 0);
	put(late, "new\n");
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), 0);
	assert_file(late, "old-late\n");
	assert_false(exists(fx->journal));
}

static void test_failed_write_is_retried(void **state)
{
	struct fx *fx = *state;
	const char *knob = in(fx, "slow-knob");
	const struct timespec delay = { 0, 50000000L };
	struct rb_journal *j = begin("/r");
	pid_t pid;
	int status;

	assert_int_equal(rb_journal_write(j, knob, "old"), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) { /* the knob appears a moment later, like an onlining block */
		int fd;

		(void)nanosleep(&delay, NULL);
		fd = open(knob, O_WRONLY | O_CREAT, 0644);
		_exit(fd >= 0 && write(fd, "new\n", 4) == 4 ? 0 : 1);
	}
	assert_int_equal(rb_journal_finish(j), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_file(knob, "old\n");
}

static void test_unwritable_file_holding_old_value_counts_as_done(void **state)
{
	struct fx *fx = *state;
	const char *knob = in(fx, "version");
	struct rb_journal *j = begin("/r");
	char *text = slurp("/proc/version");

	/* like "online" into an online memory block: the write fails, the
	 * value is already there */
	assert_non_null(text);
	assert_int_equal(symlink("/proc/version", knob), 0);
	text[strcspn(text, "\n")] = '\0';
	assert_int_equal(rb_journal_write(j, knob, text), 0);
	free(text);
	assert_int_equal(rb_journal_finish(j), 0);
	assert_false(exists(fx->journal));
}

static void test_replaying_twice_is_harmless(void **state)
{
	struct fx *fx = *state;
	const char *a = in(fx, "a"), *tree = in(fx, "tree");
	struct rb_journal *j = begin("/r");
	char err[256] = "", *text;

	put(a, "old\n");
	assert_int_equal(mkdir(tree, 0700), 0);
	assert_int_equal(mkdir(in(fx, "reclaimbench"), 0755), 0);
	assert_int_equal(mkdir(in(fx, "reclaimbench/cg"), 0755), 0);
	assert_int_equal(rb_journal_write(j, a, "old"), 0);
	assert_int_equal(rb_journal_rmtree(j, tree), 0);
	assert_int_equal(rb_journal_rmcg(j, in(fx, "reclaimbench/cg")), 0);
	assert_int_equal(rb_journal_unlink(j, in(fx, "gone")), 0);
	put(a, "new\n");
	text = slurp(fx->journal);
	assert_non_null(text);
	assert_int_equal(rb_journal_finish(j), 0);
	put(fx->journal, text); /* the same journal again, on a restored machine */
	free(text);
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), 0);
	assert_file(a, "old\n");
	assert_false(exists(tree));
	assert_false(exists(fx->journal));
}

static void test_finish_null_is_noop(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin("/r");

	assert_int_equal(rb_journal_finish(NULL), 0);
	assert_true(exists(fx->journal));
	assert_int_equal(rb_journal_finish(j), 0);
	assert_int_equal(rb_journal_finish(NULL), 0);
	assert_false(exists(fx->journal));
}

static void test_finish_in_forked_worker_does_not_replay(void **state)
{
	struct fx *fx = *state;
	const char *a = in(fx, "a");
	struct rb_journal *j = begin("/r");
	pid_t pid;
	int status;

	put(a, "new\n");
	assert_int_equal(rb_journal_write(j, a, "old"), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(rb_journal_finish(j) == 0 ? 0 : 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_file(a, "new\n");
	assert_true(exists(fx->journal));
	assert_int_equal(rb_journal_finish(j), 0);
	assert_file(a, "old\n");
}

/* ---- crashed and live runs ------------------------------------------------ */

static void test_second_begin_says_run_restore(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = begin("/r"), *again = (struct rb_journal *)&again;
	char err[512] = "", want[PATH_MAX + 128];

	assert_int_equal(rb_journal_begin("/r2", &again, err, sizeof(err)), -EEXIST);
	assert_null(again);
	(void)snprintf(want, sizeof(want), "a previous run did not finish (journal %s); "
		       "run `reclaimbench restore` first", fx->journal);
	assert_string_equal(err, want);
	assert_int_equal(rb_journal_finish(j), 0);
}

/* Child: begin, record three changes and make them, die without finishing. */
static void crash_after_changes(struct fx *fx)
{
	struct rb_journal *j = NULL;
	char err[256];
	int bad = rb_journal_begin("/r/crashed", &j, err, sizeof(err));

	bad |= rb_journal_write(j, in(fx, "k1"), "10");
	put(in(fx, "k1"), "11\n");
	bad |= rb_journal_write(j, in(fx, "k2"), "always [madvise] never");
	put(in(fx, "k2"), "never\n");
	bad |= rb_journal_write(j, in(fx, "k1"), "11");
	put(in(fx, "k1"), "12\n");
	bad |= rb_journal_unlink(j, in(fx, "swapfile"));
	put(in(fx, "swapfile"), "swap");
	_exit(bad ? 1 : 0);
}

static void test_crashed_run_is_restored(void **state)
{
	struct fx *fx = *state;
	char err[256] = "", dir[PATH_MAX];
	pid_t pid;
	int status;

	put(in(fx, "k1"), "10\n");
	put(in(fx, "k2"), "always [madvise] never\n");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		crash_after_changes(fx);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_file(in(fx, "k1"), "12\n");
	assert_int_equal(rb_journal_stale_results_dir(dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/r/crashed");
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), 0);
	assert_file(in(fx, "k1"), "10\n");
	assert_file(in(fx, "k2"), "always [madvise] never\n");
	assert_false(exists(in(fx, "swapfile")));
	assert_false(exists(fx->journal));
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), 0);
}

/* Child named reclaimbench holding a journal until told to finish. */
static void live_run(int ready, int go)
{
	struct rb_journal *j = NULL;
	char err[256], c = 0;
	int ok;

	(void)prctl(PR_SET_NAME, "reclaimbench");
	ok = rb_journal_begin("/r/live", &j, err, sizeof(err)) == 0;
	if (write(ready, &ok, sizeof(ok)) != sizeof(ok) || read(go, &c, 1) != 1)
		_exit(2);
	_exit(ok && rb_journal_finish(j) == 0 ? 0 : 1);
}

static void test_live_run_blocks_begin_and_restore(void **state)
{
	struct fx *fx = *state;
	struct rb_journal *j = NULL;
	char err[256] = "", want[64];
	int ready[2], go[2], ok = 0, status;
	pid_t pid;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		live_run(ready[1], go[0]);
	assert_int_equal(read(ready[0], &ok, sizeof(ok)), sizeof(ok));
	assert_true(ok);
	(void)snprintf(want, sizeof(want), "another run (pid %d) is in progress", (int)pid);
	assert_int_equal(rb_journal_begin("/r", &j, err, sizeof(err)), -EEXIST);
	assert_string_equal(err, want);
	err[0] = '\0';
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), -EBUSY);
	assert_string_equal(err, want);
	assert_true(exists(fx->journal));
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_false(exists(fx->journal));
	for (int i = 0; i < 2; i++) {
		(void)close(ready[i]);
		(void)close(go[i]);
	}
}

static void test_live_owner_not_named_reclaimbench_is_stale(void **state)
{
	struct fx *fx = *state;
	char text[PATH_MAX * 2], err[256] = "";

	put(in(fx, "a"), "A1\n");
	assert_int_equal(mkdir(in(fx, "state"), 0700), 0);
	/* our parent is alive, but is not a reclaimbench run */
	(void)snprintf(text, sizeof(text), "reclaimbench-journal v1 pid=%d start=1 results=/r\n"
		       "write\t%s/a\tA0\n", (int)getppid(), fx->dir);
	put(fx->journal, text);
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), 0);
	assert_file(in(fx, "a"), "A0\n");
	assert_false(exists(fx->journal));
}

static void test_zombie_owner_counts_as_dead(void **state)
{
	struct fx *fx = *state;
	char err[256] = "";
	siginfo_t info;
	pid_t pid;

	put(in(fx, "k"), "1\n");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rb_journal *j = NULL;

		(void)prctl(PR_SET_NAME, "reclaimbench");
		if (rb_journal_begin("/r", &j, err, sizeof(err)) ||
		    rb_journal_write(j, in(fx, "k"), "1"))
			_exit(1);
		put(in(fx, "k"), "2\n");
		_exit(0);
	}
	memset(&info, 0, sizeof(info));
	assert_int_equal(waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT), 0);
	assert_int_equal(info.si_status, 0);
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), 0);
	assert_file(in(fx, "k"), "1\n");
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

/* ---- damaged journals ----------------------------------------------------- */

static void test_torn_last_record_is_skipped(void **state)
{
	struct fx *fx = *state;
	char text[PATH_MAX * 3], err[256] = "";

	put(in(fx, "a"), "A1\n");
	put(in(fx, "b"), "B1\n");
	assert_int_equal(mkdir(in(fx, "state"), 0700), 0);
	(void)snprintf(text, sizeof(text),
		       "reclaimbench-journal v1 pid=999999999 start=1 results=/r\n"
		       "write\t%s/a\tA0\nwrite\t%s/b\tB", fx->dir, fx->dir);
	put(fx->journal, text);
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), 0);
	assert_file(in(fx, "a"), "A0\n");
	assert_file(in(fx, "b"), "B1\n");
	assert_false(exists(fx->journal));
}

static void test_foreign_file_is_not_replayed(void **state)
{
	struct fx *fx = *state;
	char text[PATH_MAX * 2], err[256] = "";

	put(in(fx, "a"), "A1\n");
	assert_int_equal(mkdir(in(fx, "state"), 0700), 0);
	(void)snprintf(text, sizeof(text), "something else\nwrite\t%s/a\tA0\n", fx->dir);
	put(fx->journal, text);
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "is not a reclaimbench journal"));
	assert_file(in(fx, "a"), "A1\n");
	assert_true(exists(fx->journal));
}

static void test_unknown_record_counts_as_failure(void **state)
{
	struct fx *fx = *state;
	char err[256] = "";

	assert_int_equal(mkdir(in(fx, "state"), 0700), 0);
	put(fx->journal, "reclaimbench-journal v1 pid=0 start=1 results=\nswapout\t/x\n");
	assert_int_equal(rb_journal_restore_stale(false, err, sizeof(err)), 1);
	assert_true(exists(fx->journal));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_state_dir_follows_env),
		T(test_begin_writes_header_in_private_dir),
		T(test_stale_results_dir_round_trips),
		T(test_finish_restores_newest_first),
		T(test_escaping_round_trips_paths_and_values),
		T(test_empty_old_value_is_restored),
		T(test_relative_paths_are_recorded_absolute),
		T(test_records_need_a_path),
		T(test_rmtree_and_unlink_undo),
		T(test_rmcg_removes_cgroup_and_empty_parent),
		T(test_rmcg_keeps_parent_in_use),
		T(test_rmcg_refuses_cgroup_outside_reclaimbench),
		T(test_rmdir_undo_removes_empty_dir_and_ignores_missing),
		T(test_rmdir_undo_never_removes_contents),
		T(test_swap_records_replay),
		T(test_umount_undo_of_a_path_not_mounted_counts_as_done),
		T(test_umount_undo_detaches_a_mount),
		T(test_failed_undo_keeps_journal_for_restore),
		T(test_failed_write_is_retried),
		T(test_unwritable_file_holding_old_value_counts_as_done),
		T(test_replaying_twice_is_harmless),
		T(test_finish_null_is_noop),
		T(test_finish_in_forked_worker_does_not_replay),
		T(test_second_begin_says_run_restore),
		T(test_crashed_run_is_restored),
		T(test_live_run_blocks_begin_and_restore),
		T(test_live_owner_not_named_reclaimbench_is_stale),
		T(test_zombie_owner_counts_as_dead),
		T(test_torn_last_record_is_skipped),
		T(test_foreign_file_is_not_replayed),
		T(test_unknown_record_counts_as_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
