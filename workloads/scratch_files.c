/* scratch_files.c - file-set creation shared by pagecache-flood and
 * backup-reader (see scratch_files.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "scratch_files.h"

int rb_scratch_check_space(const struct rb_worker *w, uint64_t need, const char *what)
{
	struct statvfs st;
	uint64_t avail;

	if (statvfs(w->scratch_dir, &st) != 0)
		return -errno;
	avail = (uint64_t)st.f_bavail * st.f_frsize;
	if (need <= avail)
		return 0;
	fprintf(stderr, "%s: %s needs %llu bytes, %s has %llu free\n", w->name, what,
		(unsigned long long)need, w->scratch_dir, (unsigned long long)avail);
	return -ENOSPC;
}

int rb_scratch_raise_nofile(uint32_t nfiles)
{
	rlim_t need = (rlim_t)nfiles + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -errno;
	if (rl.rlim_cur >= need)
		return 0;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need;
	return setrlimit(RLIMIT_NOFILE, &rl) ? -errno : 0;
}

/* Write [off, off + len) back and drop it from the page cache. */
static int flush_range(int fd, uint64_t off, uint64_t len)
{
	if (sync_file_range(fd, (off_t)off, (off_t)len, SYNC_FILE_RANGE_WAIT_BEFORE |
			    SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0)
		return -errno;
	return -posix_fadvise(fd, (off_t)off, (off_t)len, POSIX_FADV_DONTNEED);
}

int rb_scratch_fill_file(const struct rb_worker *w, int fd, uint64_t size, const uint8_t *chunk)
{
	uint64_t off = 0, flushed = 0;
	int rc = 0;

	while (off < size && rc == 0) {
		size_t n = size - off < RB_SCRATCH_CHUNK ? (size_t)(size - off) : RB_SCRATCH_CHUNK;
		ssize_t done = pwrite(fd, chunk, n, (off_t)off);
		if (done <= 0)
			return done < 0 ? -errno : -EIO;
		off += (uint64_t)done;
		if (off - flushed >= RB_SCRATCH_FLUSH || off == size) {
			rc = flush_range(fd, flushed, off - flushed);
			flushed = off;
		}
		if (!rb_continue(w))
			rc = -ECANCELED;
	}
	return rc ? rc : (fsync(fd) ? -errno : 0);
}
