/* trace.c - dirty-throttle visibility through tracefs (see include/trace.h).
 *
 * Plain file I/O on tracefs, not libtracefs: libtracefs finds the tracing
 * directory itself and, when none is mounted, mounts tracefs or debugfs on
 * its own, a change to the machine the journal would not know about. The
 * module needs four things from tracefs: mkdir and rmdir of an instance,
 * three writes (buffer_size_kb, trace_clock, the event's enable) and a read
 * of trace_pipe, whose text lines it parses by field name.
 *
 *   start: [mount tracefs]  journal `umount` first, only if not mounted
 *          mkdir instances/reclaimbench-<pid>   journal `rmdir` first
 *          buffer_size_kb (small), trace_clock = mono (timestamps comparable
 *          with the run's clock), events/writeback/balance_dirty_pages/enable
 *          open trace_pipe (non-blocking), trace.tsv, start the reader
 *   reader: poll trace_pipe (100 ms, or sooner once the buffer is half
 *          full), read every line, bucket-limit, parse, record; close a
 *          trace.tsv row at every whole second of the run
 *   stop:  join the reader (last partial row), close, rmdir the instance,
 *          write the histograms; the journal replay unmounts tracefs
 *
 * The reader thread blocks every signal: SIGINT and SIGTERM stay with the
 * harness's main thread, whose loop they are meant to wake. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hist.h"
#include "trace.h"
#include "trace_priv.h"
#include "workload.h"

#define EVENT_DIR "events/writeback/balance_dirty_pages"
#define EVENT_NAME "writeback:balance_dirty_pages"
#define HIST_PREFIX "trace-balance_dirty_pages"
#define POLL_MS 100
#define READS_PER_DRAIN 64      /* then close rows and check stop before reading on */
#define NS_PER_S 1000000000ull
#define NS_PER_MS 1000000ull

/* One trace.tsv row in the making. */
struct interval {
	uint64_t start_ns, end_ns;
	uint64_t events, dropped;
};

struct rb_trace {
	char root[PATH_MAX];
	char instance[PATH_MAX + 64];
	char out_dir[PATH_MAX];
	char reason[PATH_MAX + 256];
	bool available, mounted, instance_made, mono, started, stopped;
	unsigned max_rate, buffer_kb;
	uint64_t t0_ns;
	int pipe_fd;
	FILE *tsv;
	pthread_t thread;
	atomic_bool stop;
	/* the reader's; others read them only after it has been joined */
	struct rb_token_bucket bucket;
	struct interval iv;
	uint64_t events, sleeps, dropped_rate, lost, unparsed;
	struct rb_hist pause, period, iv_pause;
	size_t buf_len;
	char buf[64 * 1024];
};

/* Record why tracing is unavailable; returns rc. */
static int why(struct rb_trace *t, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int why(struct rb_trace *t, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(t->reason, sizeof(t->reason), fmt, ap);
	va_end(ap);
	return rc;
}

/* One write of value into path, as tracefs files want it. */
static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), rc = 0;
	size_t len = strlen(value);

	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		rc = errno ? -errno : -EIO;
	(void)close(fd);
	return rc;
}

/* A file of the instance. */
static void inst_path(const struct rb_trace *t, const char *rel, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s/%s", t->instance, rel);
}

/* ---- start ---- */

/* A directory whose device differs from its parent's is a mount's root. */
static bool is_mount_point(const char *path)
{
	char parent[PATH_MAX + 8];
	struct stat a, b;

	(void)snprintf(parent, sizeof(parent), "%s/..", path);
	return stat(path, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

/* Use the tracefs at root, or mount one there (journaled first). */
static int find_tracefs(struct rb_trace *t, struct rb_journal *j)
{
	char trace[PATH_MAX + 16];
	struct stat st;
	int rc;

	(void)snprintf(trace, sizeof(trace), "%s/trace", t->root);
	if (access(trace, F_OK) == 0)
		return 0;
	if (stat(t->root, &st) != 0 || !S_ISDIR(st.st_mode))
		return why(t, -ENOENT, "no directory %s to mount tracefs on (a kernel without "
			   "tracefs?)", t->root);
	if (is_mount_point(t->root))
		return why(t, -ENOTSUP, "%s is mounted but holds no tracing files", t->root);
	rc = rb_journal_umount(j, t->root);
	if (rc)
		return why(t, rc, "cannot journal the tracefs mount: %s", strerror(-rc));
	if (mount("nodev", t->root, "tracefs", 0, NULL) != 0)
		return why(t, -errno, "cannot mount tracefs on %s: %s", t->root, strerror(errno));
	t->mounted = true;
	if (access(trace, F_OK) != 0)
		return why(t, -ENOENT, "tracefs mounted on %s has no trace file", t->root);
	return 0;
}

static int check_event(struct rb_trace *t, struct rb_journal *j)
{
	char path[PATH_MAX + 64];

	(void)j;
	(void)snprintf(path, sizeof(path), "%s/" EVENT_DIR "/format", t->root);
	if (access(path, F_OK) != 0)
		return why(t, -ENOENT, "the kernel has no " EVENT_NAME " event (no %s)", path);
	(void)snprintf(path, sizeof(path), "%s/instances", t->root);
	if (access(path, F_OK) != 0)
		return why(t, -ENOENT, "tracefs has no instances directory (%s)", path);
	return 0;
}

static int make_instance(struct rb_trace *t, struct rb_journal *j)
{
	int rc;

	(void)snprintf(t->instance, sizeof(t->instance), "%s/instances/reclaimbench-%d", t->root,
		       (int)getpid());
	rc = rb_journal_rmdir(j, t->instance);
	if (rc)
		return why(t, rc, "cannot journal the tracing instance: %s", strerror(-rc));
	if (mkdir(t->instance, 0700) != 0)
		return why(t, -errno, "cannot create tracing instance %s: %s", t->instance,
			   strerror(errno));
	t->instance_made = true;
	return 0;
}

/* A small ring buffer, the monotonic clock if the kernel has it (else event
 * times are when they were read), and the one event. */
static int configure_instance(struct rb_trace *t, struct rb_journal *j)
{
	char path[PATH_MAX + 128], kb[24];
	int rc;

	(void)j;
	(void)snprintf(kb, sizeof(kb), "%u", t->buffer_kb);
	inst_path(t, "buffer_size_kb", path, sizeof(path));
	rc = write_file(path, kb);
	if (rc)
		return why(t, rc, "cannot set %s: %s", path, strerror(-rc));
	inst_path(t, "trace_clock", path, sizeof(path));
	t->mono = write_file(path, "mono") == 0;
	inst_path(t, EVENT_DIR "/enable", path, sizeof(path));
	rc = write_file(path, "1");
	return rc ? why(t, rc, "cannot enable " EVENT_NAME ": %s: %s", path, strerror(-rc)) : 0;
}

static int open_pipe(struct rb_trace *t, struct rb_journal *j)
{
	char path[PATH_MAX + 128];

	(void)j;
	inst_path(t, "trace_pipe", path, sizeof(path));
	t->pipe_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	return t->pipe_fd < 0 ? why(t, -errno, "cannot open %s: %s", path, strerror(errno)) : 0;
}

static int open_tsv(struct rb_trace *t, struct rb_journal *j)
{
	char path[PATH_MAX + 16];

	(void)j;
	(void)snprintf(path, sizeof(path), "%s/trace.tsv", t->out_dir);
	t->tsv = fopen(path, "we");
	if (!t->tsv)
		return why(t, -errno, "cannot create %s: %s", path, strerror(errno));
	fputs("time[s]\tbdp.events[1/s]\tbdp.pause.p99[us]\tbdp.pause.max[us]\tbdp.dropped[1/s]\n",
	      t->tsv);
	return fflush(t->tsv) ? why(t, -errno, "cannot write %s", path) : 0;
}

static void *reader(void *arg);

/* The first row ends at the first whole second of the run after now. */
static int start_reader(struct rb_trace *t, struct rb_journal *j)
{
	uint64_t now = rb_now_ns();
	sigset_t all, old;
	int rc;

	(void)j;
	t->iv.start_ns = now;
	t->iv.end_ns = t->t0_ns + ((now - t->t0_ns) / NS_PER_S + 1) * NS_PER_S;
	rb_token_bucket_init(&t->bucket, t->max_rate, now);
	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&t->thread, NULL, reader, t);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	t->started = rc == 0;
	return rc ? why(t, rc, "cannot start the trace reader: %s", strerror(-rc)) : 0;
}

static const struct {
	int (*fn)(struct rb_trace *t, struct rb_journal *j);
} start_steps[] = {
	{ find_tracefs }, { check_event }, { make_instance }, { configure_instance },
	{ open_pipe },    { open_tsv },    { start_reader },
};

/* ---- the reader ---- */

/* Write the row of the current interval, ending at end_ns, and start the
 * next one there. */
static void write_row(struct rb_trace *t, uint64_t end_ns)
{
	double dt = (double)(end_ns - t->iv.start_ns) / 1e9;

	fprintf(t->tsv, "%.3f\t%.2f", (double)(end_ns - t->t0_ns) / 1e9,
		(double)t->iv.events / dt);
	if (t->iv_pause.count)
		fprintf(t->tsv, "\t%.3f\t%.3f", (double)rb_hist_percentile(&t->iv_pause, 99) / 1e3,
			(double)t->iv_pause.max_ns / 1e3);
	else
		fputs("\tNaN\tNaN", t->tsv);
	fprintf(t->tsv, "\t%.2f\n", (double)t->iv.dropped / dt);
	(void)fflush(t->tsv);
	t->iv = (struct interval){ .start_ns = end_ns, .end_ns = end_ns + NS_PER_S };
	rb_hist_init(&t->iv_pause);
}

/* Close every whole-second row that ended by now_ns. */
static void close_rows(struct rb_trace *t, uint64_t now_ns)
{
	while (now_ns >= t->iv.end_ns)
		write_row(t, t->iv.end_ns);
}

static void record(struct rb_trace *t, const struct rb_trace_rec *r)
{
	t->events++;
	t->iv.events++;
	rb_hist_record(&t->period, (uint64_t)r->period_ms * NS_PER_MS);
	if (r->pause_ms <= 0)
		return;
	t->sleeps++;
	rb_hist_record(&t->pause, (uint64_t)r->pause_ms * NS_PER_MS);
	rb_hist_record(&t->iv_pause, (uint64_t)r->pause_ms * NS_PER_MS);
}

/* One line read at now_ns. An event counts in the second its timestamp
 * falls in (when the clock is the run's), else in the one it was read in. */
static void take_line(struct rb_trace *t, const char *line, uint64_t now_ns)
{
	struct rb_trace_rec r;
	enum rb_trace_line kind = rb_trace_classify(line, &r);
	uint64_t at = t->mono && r.has_ts && r.ts_ns <= now_ns + NS_PER_S ? r.ts_ns : now_ns;

	if (kind == RB_TRACE_LINE_LOST) {
		t->lost += r.lost;
		t->iv.dropped += r.lost;
	}
	if (kind != RB_TRACE_LINE_BDP)
		return;
	close_rows(t, at);
	if (!rb_token_bucket_take(&t->bucket, at)) {
		t->dropped_rate++;
		t->iv.dropped++;
	} else if (rb_trace_parse_bdp(line, &r) != 0) {
		t->unparsed++;
	} else {
		record(t, &r);
	}
}

/* Hand every complete line in the buffer to take_line; keep the rest. */
static void take_lines(struct rb_trace *t)
{
	char *start = t->buf, *end = t->buf + t->buf_len, *nl;
	uint64_t now = rb_now_ns();

	while ((nl = memchr(start, '\n', (size_t)(end - start)))) {
		*nl = '\0';
		take_line(t, start, now);
		start = nl + 1;
	}
	t->buf_len = (size_t)(end - start);
	memmove(t->buf, start, t->buf_len);
	if (t->buf_len == sizeof(t->buf))
		t->buf_len = 0; /* no line is this long: drop it */
}

/* Read what trace_pipe has (a bounded amount). */
static void drain(struct rb_trace *t)
{
	for (int i = 0; i < READS_PER_DRAIN; i++) {
		ssize_t n = read(t->pipe_fd, t->buf + t->buf_len, sizeof(t->buf) - t->buf_len);

		if (n <= 0)
			return;
		t->buf_len += (size_t)n;
		take_lines(t);
	}
}

static void *reader(void *arg)
{
	struct rb_trace *t = arg;
	struct pollfd pfd = { .fd = t->pipe_fd, .events = POLLIN };
	uint64_t now;

	while (!atomic_load_explicit(&t->stop, memory_order_acquire)) {
		(void)poll(&pfd, 1, POLL_MS);
		drain(t);
		close_rows(t, rb_now_ns());
	}
	drain(t);
	now = rb_now_ns();
	close_rows(t, now);
	if (now > t->iv.start_ns + NS_PER_MS)
		write_row(t, now); /* the last, partial second */
	return NULL;
}

/* ---- stop and results ---- */

/* Close what start opened and remove the instance (its journal record
 * stays: undoing it again is harmless). */
static void release(struct rb_trace *t)
{
	char path[PATH_MAX + 128];

	if (t->pipe_fd >= 0)
		(void)close(t->pipe_fd);
	t->pipe_fd = -1;
	if (t->tsv)
		(void)fclose(t->tsv);
	t->tsv = NULL;
	if (!t->instance_made)
		return;
	inst_path(t, EVENT_DIR "/enable", path, sizeof(path));
	(void)write_file(path, "0");
	if (rmdir(t->instance) != 0)
		fprintf(stderr, "reclaimbench: cannot remove tracing instance %s: %s (the journal "
				"will retry)\n", t->instance, strerror(errno));
	t->instance_made = false;
}

static int write_hist(const struct rb_trace *t, const char *what, const struct rb_hist *h)
{
	char path[PATH_MAX + 64], name[64];
	FILE *f;
	int rc;

	(void)snprintf(path, sizeof(path), "%s/latency/" HIST_PREFIX "-%s.hist", t->out_dir, what);
	(void)snprintf(name, sizeof(name), "trace.balance_dirty_pages.%s", what);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	rc = rb_hist_write(h, f, name);
	if (fclose(f) != 0 && !rc)
		rc = -errno;
	return rc;
}

int rb_trace_stop(struct rb_trace *t)
{
	int rc;

	if (!t || t->stopped)
		return 0;
	t->stopped = true;
	if (t->started) {
		atomic_store_explicit(&t->stop, true, memory_order_release);
		(void)pthread_join(t->thread, NULL);
		t->started = false;
	}
	release(t);
	if (!t->available)
		return 0;
	rc = write_hist(t, "pause", &t->pause);
	return rc ? rc : write_hist(t, "period", &t->period);
}

static void init_trace(struct rb_trace *t, const char *out_dir, const struct rb_trace_config *c)
{
	const char *env = getenv("RECLAIMBENCH_TRACEFS");
	const char *root = c && c->tracefs ? c->tracefs : env && *env ? env : RB_TRACEFS_DEFAULT;

	(void)snprintf(t->root, sizeof(t->root), "%s", root);
	(void)snprintf(t->out_dir, sizeof(t->out_dir), "%s", out_dir);
	t->t0_ns = c && c->t0_ns ? c->t0_ns : rb_now_ns();
	t->max_rate = c && c->max_rate ? c->max_rate : RB_TRACE_RATE_DEFAULT;
	t->buffer_kb = c && c->buffer_kb ? c->buffer_kb : RB_TRACE_BUFFER_KB_DEFAULT;
	t->pipe_fd = -1;
	atomic_init(&t->stop, false);
	rb_hist_init(&t->pause);
	rb_hist_init(&t->period);
	rb_hist_init(&t->iv_pause);
}

int rb_trace_start(struct rb_journal *j, const char *out_dir, const struct rb_trace_config *cfg,
		   struct rb_trace **out)
{
	struct rb_trace *t = calloc(1, sizeof(*t));
	char tsv[PATH_MAX + 16];
	int rc = 0;

	*out = NULL;
	if (!t)
		return -ENOMEM;
	init_trace(t, out_dir, cfg);
	for (size_t i = 0; rc == 0 && i < sizeof(start_steps) / sizeof(start_steps[0]); i++)
		rc = start_steps[i].fn(t, j);
	if (rc && t->tsv) {
		(void)snprintf(tsv, sizeof(tsv), "%s/trace.tsv", t->out_dir);
		(void)unlink(tsv);
	}
	if (rc)
		release(t);
	t->available = rc == 0;
	*out = t;
	return 0;
}

bool rb_trace_available(const struct rb_trace *t)
{
	return t && t->available;
}

const char *rb_trace_reason(const struct rb_trace *t)
{
	return !t ? "not started" : t->available ? "" : t->reason;
}

struct json_object *rb_trace_status(const struct rb_trace *t)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "available", json_object_new_boolean(rb_trace_available(t)));
	json_object_object_add(o, "reason", json_object_new_string(rb_trace_reason(t)));
	if (!t)
		return o;
	json_object_object_add(o, "event", json_object_new_string(EVENT_NAME));
	json_object_object_add(o, "tracefs", json_object_new_string(t->root));
	json_object_object_add(o, "mounted", json_object_new_boolean(t->mounted));
	json_object_object_add(o, "instance", json_object_new_string(t->instance));
	json_object_object_add(o, "clock", json_object_new_string(t->mono ? "mono" : "read time"));
	json_object_object_add(o, "max_events_per_s", json_object_new_int64(t->max_rate));
	json_object_object_add(o, "buffer_kb", json_object_new_int64(t->buffer_kb));
	return o;
}

static void add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

static void add_us(struct json_object *o, const char *key, uint64_t ns)
{
	json_object_object_add(o, key, json_object_new_double((double)ns / 1e3));
}

struct json_object *rb_trace_summary(const struct rb_trace *t)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "available", json_object_new_boolean(rb_trace_available(t)));
	json_object_object_add(o, "reason", json_object_new_string(rb_trace_reason(t)));
	if (!rb_trace_available(t))
		return o;
	add_u64(o, "events", t->events);
	add_u64(o, "dropped", t->dropped_rate + t->lost);
	add_u64(o, "dropped_rate_limit", t->dropped_rate);
	add_u64(o, "lost", t->lost);
	add_u64(o, "unparsed", t->unparsed);
	add_u64(o, "sleeps", t->sleeps);
	if (t->pause.count) {
		add_us(o, "pause_p50_us", rb_hist_percentile(&t->pause, 50));
		add_us(o, "pause_p99_us", rb_hist_percentile(&t->pause, 99));
		add_us(o, "pause_max_us", t->pause.max_ns);
	}
	if (t->period.count) {
		add_us(o, "period_p50_us", rb_hist_percentile(&t->period, 50));
		add_us(o, "period_p99_us", rb_hist_percentile(&t->period, 99));
	}
	return o;
}

void rb_trace_free(struct rb_trace *t)
{
	if (!t)
		return;
	(void)rb_trace_stop(t);
	free(t);
}
