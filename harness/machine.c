/* machine.c - machine description (hwloc for topology, libnuma for node
 * count), pre-run checks and the settle phase (see include/machine.h). */
#include <errno.h>
#include <hwloc.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "knobs.h"
#include "machine.h"
#include "procfs.h"

static void add_str(struct json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, json_object_new_string(value ? value : ""));
}

static void add_file(struct json_object *o, const char *key, const char *path)
{
	char buf[4096] = "";

	if (rb_knob_read(path, buf, sizeof(buf)) == 0)
		add_str(o, key, buf);
}

static uint64_t meminfo_bytes(const char *field)
{
	struct rb_kvset kv = { 0 };
	char *buf = NULL;
	size_t cap = 0;
	uint64_t v = 0;

	if (rb_read_path("/proc/meminfo", &buf, &cap) > 0 && rb_parse_meminfo(buf, &kv) == 0 &&
	    rb_kvset_get(&kv, field, NULL, &v) == 0)
		v *= 1024;
	rb_kvset_free(&kv);
	free(buf);
	return v;
}

uint64_t rb_mem_available(void)
{
	return meminfo_bytes("MemAvailable");
}

int rb_machine_node_count(void)
{
	if (numa_available() < 0)
		return 1;
	int n = numa_num_configured_nodes();
	return n > 0 ? n : 1;
}

static struct json_object *describe_nodes(hwloc_topology_t topo)
{
	struct json_object *nodes = json_object_new_array();
	int n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);

	for (int i = 0; i < n; i++) {
		hwloc_obj_t obj = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
		struct json_object *node = json_object_new_object();
		json_object_object_add(node, "os_index", json_object_new_int((int)obj->os_index));
		json_object_object_add(node, "memory_bytes",
				       json_object_new_int64((int64_t)obj->attr->numanode.local_memory));
		json_object_object_add(node, "pus", json_object_new_int(
			hwloc_bitmap_weight(obj->cpuset)));
		json_object_array_add(nodes, node);
	}
	return nodes;
}

static struct json_object *describe_topology(void)
{
	struct json_object *t = json_object_new_object();
	hwloc_topology_t topo;
	hwloc_obj_t pkg;
	const char *model;

	if (hwloc_topology_init(&topo) != 0)
		return t;
	if (hwloc_topology_load(topo) == 0) {
		json_object_object_add(t, "packages", json_object_new_int(
			hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE)));
		json_object_object_add(t, "cores", json_object_new_int(
			hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE)));
		json_object_object_add(t, "pus", json_object_new_int(
			hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU)));
		pkg = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, 0);
		model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
		add_str(t, "cpu_model", model ? model : "unknown");
		json_object_object_add(t, "numa_nodes", describe_nodes(topo));
	}
	hwloc_topology_destroy(topo);
	return t;
}

static struct json_object *describe_kernel(void)
{
	struct json_object *k = json_object_new_object();
	struct utsname u;

	if (uname(&u) == 0) {
		add_str(k, "release", u.release);
		add_str(k, "version", u.version);
		add_str(k, "machine", u.machine);
	}
	add_file(k, "cmdline", "/proc/cmdline");
	return k;
}

static struct json_object *describe_thp(void)
{
	struct json_object *t = json_object_new_object();

	add_file(t, "enabled", "/sys/kernel/mm/transparent_hugepage/enabled");
	add_file(t, "defrag", "/sys/kernel/mm/transparent_hugepage/defrag");
	return t;
}

struct json_object *rb_machine_describe(void)
{
	struct json_object *m = json_object_new_object();
	char host[256] = "", root[PATH_MAX];

	if (!m)
		return NULL;
	(void)gethostname(host, sizeof(host) - 1);
	add_str(m, "hostname", host);
	json_object_object_add(m, "kernel", describe_kernel());
	json_object_object_add(m, "topology", describe_topology());
	json_object_object_add(m, "mem_total_bytes",
			       json_object_new_int64((int64_t)meminfo_bytes("MemTotal")));
	json_object_object_add(m, "swap_total_bytes",
			       json_object_new_int64((int64_t)meminfo_bytes("SwapTotal")));
	json_object_object_add(m, "cgroup_version",
			       json_object_new_int((int)rb_cgroup_detect(root, sizeof(root))));
	json_object_object_add(m, "psi", json_object_new_boolean(
		access("/proc/pressure/memory", R_OK) == 0));
	json_object_object_add(m, "thp", describe_thp());
	json_object_object_add(m, "numa_nodes", json_object_new_int(rb_machine_node_count()));
	return m;
}

static int check_mode(const struct rb_profile *p, char *err, size_t errlen)
{
	char root[PATH_MAX];

	if (p->mode == RB_MODE_CONTAINED && rb_cgroup_detect(root, sizeof(root)) == RB_CGROUP_NONE) {
		(void)snprintf(err, errlen, "contained mode needs the cgroup memory controller "
					    "(neither cgroup v2 nor v1 memory is mounted)");
		return -ENOTSUP;
	}
	if (p->mode == RB_MODE_GLOBAL && access("/sys/devices/system/memory", R_OK) != 0 &&
	    access("/proc/sys/vm/nr_hugepages", W_OK) != 0) {
		(void)snprintf(err, errlen, "global mode needs memory hotplug or hugetlb "
					    "to shrink the machine");
		return -ENOTSUP;
	}
	if (p->mode == RB_MODE_GLOBAL && rb_mem_available() < p->memory) {
		(void)snprintf(err, errlen, "global mode: the machine has less available memory "
					    "than the profile's memory");
		return -ENOTSUP;
	}
	return 0;
}

int rb_machine_check(const struct rb_profile *p, char *err, size_t errlen, char *skipped,
		     size_t skippedlen)
{
	char msg[512];
	size_t used = 0;

	if (geteuid() != 0) {
		(void)snprintf(err, errlen, "must run as root (it changes sysctls, cgroups "
					    "and memory); try sudo");
		return -EPERM;
	}
	if (check_mode(p, err, errlen))
		return -ENOTSUP;
	if (rb_swap_check(&p->swap, msg, sizeof(msg))) {
		(void)snprintf(err, errlen, "%s: [swap]: %s", p->swap.where, msg);
		return -ENOTSUP;
	}
	skipped[0] = '\0';
	for (size_t i = 0; i < p->n_workloads; i++) {
		const struct rb_workload_spec *s = &p->workloads[i];
		const char *why = s->ops->supported ? s->ops->supported(s->config) : NULL;
		if (why && used < skippedlen)
			used += (size_t)snprintf(skipped + used, skippedlen - used, "%s: %s\n",
						 s->name, why);
	}
	return 0;
}

static void write_proc(const char *path, const char *value)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return;
	(void)fputs(value, f);
	(void)fclose(f);
}

uint64_t rb_settle(uint64_t max_wait_ns)
{
	const struct timespec half = { 0, 500000000 };
	uint64_t t0, prev = 0, cur;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	sync();
	write_proc("/proc/sys/vm/drop_caches", "3");
	write_proc("/proc/sys/vm/compact_memory", "1");
	for (;;) {
		cur = meminfo_bytes("MemFree");
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		uint64_t diff = cur > prev ? cur - prev : prev - cur;
		if ((prev && diff * 100 < cur) || now - t0 >= max_wait_ns)
			return now - t0;
		prev = cur;
		(void)nanosleep(&half, NULL);
	}
}
