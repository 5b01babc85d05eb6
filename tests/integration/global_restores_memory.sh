# global_restores_memory: a short global-mode run shrinks the machine
# (memory blocks offline, or hugetlb pages) to the profile's memory and
# brings every block and page back afterwards.
. "$(dirname "$0")/../lib/integration.sh"
need_root
[ -d /sys/devices/system/memory ] || [ -w /proc/sys/vm/nr_hugepages ] ||
    skip "neither memory hotplug nor hugetlb to shrink the machine"
avail_kb=$(awk '/^MemAvailable/ {print $2}' /proc/meminfo)
[ "$avail_kb" -gt 6000000 ] || skip "needs > 6 GiB available to shrink to 4 GiB"
cat >"$TMP/global.ini" <<EOF2
[profile]
description = integration: shrink the machine to 4G, a little pressure, restore
mode = global
memory = 4G
duration = 4s
settle = no
[workload:hog]
type = anon-hog
size = 1G
[workload:probe]
type = probe
EOF2
machine_state >"$TMP/before"
"$RB" run "$TMP/global.ini" --out "$TMP/g" --quiet || fail "global run failed ($?)"
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
method=$(json "$TMP/g/meta.json" .shrink.method)
blocks=$(json "$TMP/g/meta.json" .shrink.blocks_offlined)
after=$(json "$TMP/g/meta.json" .shrink.mem_available_after)
[ "$method" != none ] || fail "the machine was not shrunk"
[ "$after" -lt 6000000000 ] || fail "MemAvailable after shrinking is still $after"
result "method=$method blocks_offlined=$blocks MemAvailable after shrink=$((after >> 20))M; all back"
