/* journal.h - journal, then change. Before reclaimbench changes anything on
 * the machine it appends how to undo it to a journal file (fsync'd) in the
 * state directory. The end of a run, `reclaimbench restore` and the next run
 * replay it newest-first, so a crash or SIGKILL never leaves the machine
 * changed. Journal format: a header line, then one record per line,
 *   write<TAB>PATH<TAB>OLD VALUE   write OLD VALUE back into PATH
 *   rmcg<TAB>PATH                  kill what is left in cgroup PATH, rmdir it
 *   unlink<TAB>PATH                remove a file the run created
 *   rmtree<TAB>PATH                remove a scratch directory tree
 *   rmdir<TAB>PATH                 remove an empty directory (a tracefs instance)
 *   umount<TAB>PATH                detach a file system the run mounted (tracefs)
 *   swapoff<TAB>PATH               turn off a swap area the run turned on
 *   swapon<TAB>PATH<TAB>PRIORITY   turn a swap area the run turned off back on
 *   zram<TAB>/dev/zramN            reset and hot-remove a zram device the run added
 * with \t, \n and \\ escaped in values. */
#ifndef RB_JOURNAL_H
#define RB_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define RB_STATE_DIR_DEFAULT "/var/lib/reclaimbench"

struct rb_journal;

/* $RECLAIMBENCH_STATE_DIR, else RB_STATE_DIR_DEFAULT. */
const char *rb_state_dir(void);

/* Path of the journal file in the state directory. */
void rb_journal_path(char *buf, size_t len);

/* Start a journal for a run writing into results_dir (recorded in the
 * header). Returns 0; -EEXIST if a journal exists (a crashed run: run
 * `reclaimbench restore`; or a live run: its pid is in err); or -errno. */
int rb_journal_begin(const char *results_dir, struct rb_journal **out, char *err, size_t errlen);

/* Append records (each fsync'd before returning). Return 0 or -errno. */
int rb_journal_write(struct rb_journal *j, const char *path, const char *old_value);
int rb_journal_rmcg(struct rb_journal *j, const char *path);
int rb_journal_unlink(struct rb_journal *j, const char *path);
int rb_journal_rmtree(struct rb_journal *j, const char *path);
/* rmdir: a directory gone already counts as undone. umount: detached
 * (MNT_DETACH); a path that is not a mount point (EINVAL) or does not exist
 * counts as undone. */
int rb_journal_rmdir(struct rb_journal *j, const char *path);
int rb_journal_umount(struct rb_journal *j, const char *path);
/* Swap areas and zram devices: undone by swap.c (see swap.h). */
int rb_journal_swapoff(struct rb_journal *j, const char *path);
int rb_journal_swapon(struct rb_journal *j, const char *path, const char *priority);
int rb_journal_zram(struct rb_journal *j, const char *dev);

/* Undo every record, newest first, then delete the journal and free j.
 * Keeps going past failures; prints each one to stderr. Returns the number
 * of records that could not be undone (0 = machine restored), or -errno if
 * the journal could not be read (it is kept). NULL is a no-op returning 0;
 * in a forked child of the process that began it, j is only freed. */
int rb_journal_finish(struct rb_journal *j);

/* Replay a stale journal left by a crashed run, then delete it. verbose
 * prints each undone step to stdout. Returns the number of failed records,
 * 0 if there was nothing to do, -EBUSY if the run that owns it is still
 * alive (err names its pid), or -errno. */
int rb_journal_restore_stale(bool verbose, char *err, size_t errlen);

/* The results directory named in a stale journal's header, if any
 * (so restore can mark it aborted). Returns 0 or -ENOENT. */
int rb_journal_stale_results_dir(char *buf, size_t len);

#endif
