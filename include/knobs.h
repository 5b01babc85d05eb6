/* knobs.h - changing kernel settings through the journal: vm sysctls, THP
 * knobs, and shrinking the machine (memory blocks offline or hugetlb pages
 * reserved). Every change is journaled before it is made. */
#ifndef RB_KNOBS_H
#define RB_KNOBS_H

#include <stddef.h>
#include <stdint.h>

#include "journal.h"

/* Read a knob's current value: the whole file trimmed, or for choice files
 * like THP's "always [madvise] never" the bracketed word. Returns 0 or -errno. */
int rb_knob_read(const char *path, char *out, size_t len);

/* Write value (and a newline) into path, without journaling: for files of
 * an object the run created and removes as a whole (a zram device). Returns
 * 0 or -errno. */
int rb_knob_set(const char *path, const char *value);

/* Journal the current value of path, then write value. Returns 0 or -errno
 * with err filled ("cannot write 12 to /proc/sys/vm/x: Invalid argument"). */
int rb_knob_write(struct rb_journal *j, const char *path, const char *value,
		  char *err, size_t errlen);

/* /proc/sys path for a sysctl key. Only keys under vm. made of [a-z0-9_]
 * are accepted (no "..", no '/', nothing outside vm.). Returns 0, -EINVAL,
 * or -ENOENT if this kernel has no such sysctl. */
int rb_sysctl_path(const char *key, char *path, size_t len);

/* Sysfs path of a THP knob: enabled, defrag, shmem_enabled, use_zero_page,
 * khugepaged.defrag (dots map to '/'). Returns 0 or -EINVAL. */
int rb_thp_path(const char *knob, char *path, size_t len);

/* Apply one sysctl / THP setting through the journal. Return 0 or -errno. */
int rb_sysctl_apply(struct rb_journal *j, const char *key, const char *value,
		    char *err, size_t errlen);
int rb_thp_apply(struct rb_journal *j, const char *knob, const char *value,
		 char *err, size_t errlen);

struct rb_shrink_result {
	const char *method;        /* "offline", "hugetlb", "offline+hugetlb" or "none" */
	unsigned blocks_offlined;
	uint64_t bytes_offlined;
	uint64_t hugetlb_pages;    /* 2 MiB pages reserved by the run */
	uint64_t mem_available_before, mem_available_after; /* bytes */
};

/* Shrink the machine so MemAvailable is about `target` bytes: offline
 * removable memory blocks (highest first) while that works, then reserve
 * hugetlb pages for the rest. vm.min_free_kbytes and vm.nr_hugepages are
 * journaled first, every block before it goes offline. Returns 0 or -errno. */
int rb_shrink_machine(struct rb_journal *j, uint64_t target, struct rb_shrink_result *out,
		      char *err, size_t errlen);

#endif
