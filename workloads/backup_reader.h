/* backup_reader.h - the pure logic of the backup-reader workload: the
 * sequential walk through one file, which range has been read completely
 * while several reads are in flight (and may complete out of order), how
 * much of it is due for POSIX_FADV_DONTNEED, and the I/O priority value of
 * the `ionice` option. Private to workloads/backup_reader.c; split out so
 * tests/unit/test_backup_reader.c can check it without files or io_uring. */
#ifndef RB_BACKUP_READER_H
#define RB_BACKUP_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* I/O priority (include/uapi/linux/ioprio.h), defined here because libc
 * has no wrapper and older headers lack some of it. */
#define RB_IOPRIO_CLASS_SHIFT 13
#define RB_IOPRIO_CLASS_BE 2
#define RB_IOPRIO_CLASS_IDLE 3
#define RB_IOPRIO_WHO_PROCESS 1
#define RB_IOPRIO_BE_LOWEST 7 /* best-effort levels run 0 (highest) .. 7 */

/* Reading one file from start to end in blocks of bs bytes. */
struct rb_backup_walk {
	uint64_t size;    /* bytes in the file */
	uint64_t bs;      /* bytes per read */
	uint64_t next;    /* offset of the next read to issue */
	uint64_t dropped; /* [0, dropped) has been given to POSIX_FADV_DONTNEED */
};

/* Start reading a file of `size` bytes in blocks of bs. */
void rb_backup_walk_start(struct rb_backup_walk *w, uint64_t size, uint64_t bs);

/* The next read: its offset and length (bs, or less for the file's tail).
 * Returns false, and leaves *off and *len alone, once the whole file has
 * been issued. */
bool rb_backup_walk_next(struct rb_backup_walk *w, uint64_t *off, uint32_t *len);

/* True once every read of the file has been issued. */
bool rb_backup_walk_issued(const struct rb_backup_walk *w);

/* The read frontier: everything below it has been read. It is the lowest
 * offset still in flight (entries of UINT64_MAX are idle slots), or `next`
 * (the first offset not issued) when nothing is in flight. */
uint64_t rb_backup_frontier(const uint64_t *inflight, size_t n, uint64_t next);

/* How many bytes from w->dropped are due for POSIX_FADV_DONTNEED with the
 * read frontier at `frontier`: whole chunks of `chunk` bytes that were read
 * completely (0 if none, or if chunk is 0). The caller drops
 * [w->dropped, w->dropped + result) and advances w->dropped by it. */
uint64_t rb_backup_drop_due(const struct rb_backup_walk *w, uint64_t frontier, uint64_t chunk);

/* The value ioprio_set() takes: class and level (IOPRIO_PRIO_VALUE). */
int rb_backup_ioprio(int cls, int level);

#endif
