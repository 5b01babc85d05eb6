/* scratch_files.h - private to workloads/: creating the large file sets that
 * pagecache-flood and backup-reader read (free-space check, open-file limit,
 * writing a file while writing back and dropping it, so that creating the
 * set neither piles up dirty pages nor leaves the cache warm). */
#ifndef RB_SCRATCH_FILES_H
#define RB_SCRATCH_FILES_H

#include <stdint.h>

#include "workload.h"

#define RB_SCRATCH_CHUNK (4u << 20)    /* bytes per pwrite() creating files */
#define RB_SCRATCH_FLUSH (64ull << 20) /* written back and dropped this often */

/* 0 if `need` bytes fit in the scratch file system, else -ENOSPC (printed,
 * naming `what`: "the file set") or -errno. */
int rb_scratch_check_space(const struct rb_worker *w, uint64_t need, const char *what);

/* Raise RLIMIT_NOFILE so nfiles files (plus a margin) can stay open.
 * Returns 0 or -errno. */
int rb_scratch_raise_nofile(uint32_t nfiles);

/* Write `size` bytes of `chunk` (RB_SCRATCH_CHUNK bytes) into fd, writing back
 * and dropping every RB_SCRATCH_FLUSH, then fsync. Returns 0, -ECANCELED if
 * the worker was told to stop, or -errno. */
int rb_scratch_fill_file(const struct rb_worker *w, int fd, uint64_t size, const uint8_t *chunk);

#endif
