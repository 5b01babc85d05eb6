/* bench_floodfile.c - `make bench`: lay out a file for fio exactly as the
 * pagecache-flood workload lays out its own.
 *
 *   bench_floodfile DIR SIZE     e.g. bench_floodfile /tmp/x 4G
 *
 * Runs the workload's setup() in-process with scratch_dir = DIR, files = 1,
 * dataset = SIZE: the same code writes the same kind of file (fallocated,
 * incompressible data, written back and dropped from the page cache every
 * 64 MiB, fsynced), then teardown() closes it and the file stays in DIR.
 * scripts/bench then lets fio read it, so fio and the flood each read a file
 * written the same way a moment before. That matters on a VM: its host
 * caches the disk, and how and when a file was written changes how fast a
 * "cold" (guest-uncached) read of it runs. Prints one machine-readable line,
 * "name value unit":
 *
 *   floodfile.create 3.12 s */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "workload.h"
#include "workloads.h"

/* Set one option of the flood's table; 0 or -errno with a message printed. */
static int set(void *config, const char *key, const char *value)
{
	const uint64_t memory = 1ull << 30; /* base of relative sizes; ours are absolute */
	const struct rb_option *o = rb_option_find(rb_wl_pagecache_flood.options, key);
	char err[256];
	int rc = o ? rb_option_set(o, config, value, memory, err, sizeof(err)) : -EINVAL;

	if (rc)
		fprintf(stderr, "bench_floodfile: %s = %s: %s\n", key, value,
			o ? err : "no such option");
	return rc;
}

/* The flood's options as a profile would resolve them: defaults, then ours. */
static void *flood_config(const char *size)
{
	void *c = calloc(1, rb_wl_pagecache_flood.config_size);
	char err[256];
	int rc;

	if (!c)
		return NULL;
	/* Defaults like "200%" need a base; dataset is then set outright. */
	rc = rb_options_defaults(rb_wl_pagecache_flood.options, c, 1ull << 30, err, sizeof(err));
	if (rc)
		fprintf(stderr, "bench_floodfile: defaults: %s\n", err);
	if (!rc)
		rc = set(c, "dataset", size);
	if (!rc)
		rc = set(c, "files", "1");
	if (rc) {
		free(c);
		return NULL;
	}
	return c;
}

int main(int argc, char **argv)
{
	struct rb_worker w = { .name = "floodfile", .spec_name = "floodfile",
			       .ops = &rb_wl_pagecache_flood, .node = -1, .seed = 1 };
	uint64_t t0;
	int rc = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_floodfile DIR SIZE   (e.g. /tmp/x 4G)\n");
		return 2;
	}
	w.scratch_dir = argv[1];
	w.config = flood_config(argv[2]);
	w.shm = calloc(1, sizeof(*w.shm));
	if (w.config && w.shm) {
		t0 = rb_now_ns();
		rc = w.ops->setup(&w) == RB_EXIT_OK ? 0 : 1;
		if (!rc)
			printf("floodfile.create %.2f s\n", (double)(rb_now_ns() - t0) / 1e9);
		w.ops->teardown(&w);
	}
	free(w.shm);
	free((void *)w.config);
	return rc;
}
