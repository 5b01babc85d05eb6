/* spawn.c - worker processes (see include/spawn.h). Workers are forked
 * children of the harness, not exec'd programs, so the harness owns their
 * placement, start, stop and accounting.
 *
 * Child timeline:
 *   fork -> PR_SET_PDEATHSIG(SIGKILL) -> ignore SIGINT/SIGTERM (the harness
 *   stops it through shm->stop) -> oom_score_adj -> join the run's cgroup ->
 *   bind CPUs and memory to its node (before touching memory, as fio's
 *   thread_main) -> ops->setup -> ready=1 -> wait for go -> ops->run ->
 *   ops->teardown -> _exit(code) */
#include <errno.h>
#include <fcntl.h>
#include <numa.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"

static int write_oom_score_adj(int adj)
{
	char buf[16];
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	int len = snprintf(buf, sizeof(buf), "%d", adj);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)len) != len)
		rc = -errno;
	(void)close(fd);
	return rc;
}

/* Bind CPUs and memory of this process to one node. */
static int bind_node(int node)
{
	struct bitmask *mask;

	if (node < 0 || numa_available() < 0)
		return 0;
	if (numa_run_on_node(node) != 0)
		return -errno;
	mask = numa_allocate_nodemask();
	if (!mask)
		return -ENOMEM;
	numa_bitmask_setbit(mask, (unsigned)node);
	numa_set_membind(mask);
	numa_free_nodemask(mask);
	return 0;
}

static void wait_for_go(struct rb_worker_shm *shm)
{
	const struct timespec ms = { 0, 1000000 };

	while (!atomic_load(&shm->go) && !atomic_load(&shm->stop))
		(void)nanosleep(&ms, NULL);
}

static int child_prepare(struct rb_proc *p, const struct rb_cgroup *cg, int adj, pid_t parent)
{
	int rc;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		return RB_EXIT_FAIL;
	(void)signal(SIGINT, SIG_IGN);
	(void)signal(SIGTERM, SIG_IGN);
	(void)signal(SIGPIPE, SIG_DFL);
	rc = write_oom_score_adj(adj);
	if (rc)
		fprintf(stderr, "%s: oom_score_adj %d: %s\n", p->name, adj, strerror(-rc));
	if (cg && cg->version != RB_CGROUP_NONE && (rc = rb_cgroup_attach(cg, getpid())) != 0) {
		fprintf(stderr, "%s: joining cgroup %s: %s\n", p->name, cg->path, strerror(-rc));
		return RB_EXIT_FAIL;
	}
	if ((rc = bind_node(p->w.node)) != 0) {
		fprintf(stderr, "%s: binding to node %d: %s\n", p->name, p->w.node, strerror(-rc));
		return RB_EXIT_FAIL;
	}
	if (p->w.ops->flags & RB_WL_USES_FILES && mkdir(p->scratch, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "%s: mkdir %s: %s\n", p->name, p->scratch, strerror(errno));
		return RB_EXIT_NO_RESOURCE;
	}
	return RB_EXIT_OK;
}

static void child_main(struct rb_proc *p, const struct rb_cgroup *cg, int adj, pid_t parent)
{
	struct rb_worker *w = &p->w;
	int code = child_prepare(p, cg, adj, parent);

	if (code == RB_EXIT_OK)
		code = w->ops->setup(w);
	atomic_store(&w->shm->ready, 1);
	if (code == RB_EXIT_OK) {
		wait_for_go(w->shm);
		atomic_store(&w->shm->running, 1);
		if (!atomic_load(&w->shm->stop))
			code = w->ops->run(w);
		atomic_store(&w->shm->running, 0);
	}
	if (w->ops->teardown)
		w->ops->teardown(w);
	fflush(NULL);
	_exit(code);
}

int rb_spawn(struct rb_proc *p, const struct rb_cgroup *cg, int node_count, int oom_score_adj)
{
	pid_t parent = getpid();
	pid_t pid;

	p->w.node = p->spec->node == RB_NODE_ALL || node_count <= 0
			    ? -1
			    : p->spec->node % node_count;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child_main(p, cg, oom_score_adj, parent);
	p->pid = pid;
	p->end = RB_END_RUNNING;
	return 0;
}

void rb_proc_ended(struct rb_proc *p, int status, bool oom_seen, double t_s)
{
	p->end_s = t_s;
	if (WIFEXITED(status)) {
		p->code = WEXITSTATUS(status);
		p->end = p->code == RB_EXIT_OK ? RB_END_OK
			 : p->code == RB_EXIT_SKIP ? RB_END_SKIPPED
			 : p->code == RB_EXIT_NO_RESOURCE ? RB_END_NO_RESOURCE
							   : RB_END_FAILED;
		return;
	}
	p->code = WTERMSIG(status);
	if (p->code == SIGKILL && p->kill_sent)
		p->end = RB_END_KILLED;
	else if (p->code == SIGKILL && oom_seen)
		p->end = RB_END_OOM_KILLED;
	else
		p->end = RB_END_SIGNALED;
}

const char *rb_exit_kind_name(enum rb_exit_kind k)
{
	static const char *const names[] = {
		[RB_END_RUNNING] = "running",	  [RB_END_OK] = "ok",
		[RB_END_SKIPPED] = "skipped",	  [RB_END_NO_RESOURCE] = "no-resource",
		[RB_END_FAILED] = "failed",	  [RB_END_OOM_KILLED] = "oom-killed",
		[RB_END_SIGNALED] = "signal",	  [RB_END_KILLED] = "killed",
	};
	return names[k];
}

void rb_proc_describe(const struct rb_proc *p, char *buf, size_t len)
{
	switch (p->end) {
	case RB_END_OOM_KILLED:
		(void)snprintf(buf, len, "SIGKILL (OOM killer) at %.1fs", p->end_s);
		break;
	case RB_END_SIGNALED:
	case RB_END_KILLED:
		(void)snprintf(buf, len, "%s at %.1fs", strsignal(p->code), p->end_s);
		break;
	default:
		(void)snprintf(buf, len, "exit %d at %.1fs", p->code, p->end_s);
	}
}
