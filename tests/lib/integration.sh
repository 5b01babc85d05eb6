# integration.sh - sourced by tests/integration/*.sh. Helpers to run
# reclaimbench as a test would, snapshot the settings a run may change and
# check they came back. Conventions (as liburing's runtests.sh): exit 0 pass,
# 1 fail, 77 skip with a "SKIP: reason" line; "RESULT: ..." lines are the
# figures the runner prints under the test's name.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RB="$ROOT/reclaimbench"
TMP=$(mktemp -d /tmp/rb-integ.XXXXXX)
export RECLAIMBENCH_PROFILES="$ROOT/profiles"
trap 'rm -rf "$TMP"' EXIT

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
result() { echo "RESULT: $*"; }

need_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }

need_memcg() {
    [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ] ||
        grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null ||
        skip "no cgroup memory controller (v1 or v2)"
}

# json FILE JQ-EXPR: print a value from a JSON file (fails on invalid JSON).
json() { jq -er "$2" "$1"; }

# Snapshot of everything a run may change, one "name value" per line.
machine_state() {
    for k in swappiness min_free_kbytes watermark_scale_factor nr_hugepages \
             dirty_ratio dirty_background_ratio dirty_bytes dirty_background_bytes \
             vfs_cache_pressure compaction_proactiveness compact_unevictable_allowed; do
        printf 'vm.%s %s\n' "$k" "$(cat /proc/sys/vm/$k)"
    done
    for k in enabled defrag; do
        printf 'thp.%s %s\n' "$k" "$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/$k)"
    done
    printf 'offline_blocks %s\n' "$(grep -l offline /sys/devices/system/memory/memory*/state 2>/dev/null | wc -l)"
    printf 'memtotal %s\n' "$(awk '/^MemTotal/ {print $2}' /proc/meminfo)"
    printf 'cgroups %s\n' "$(ls -d /sys/fs/cgroup/memory/reclaimbench /sys/fs/cgroup/reclaimbench 2>/dev/null | wc -l)"
    printf 'journal %s\n' "$(ls /var/lib/reclaimbench/journal 2>/dev/null | wc -l)"
    printf 'swaps %s\n' "$(tail -n +2 /proc/swaps | awk '{print $1, $5}' | tr '\n' ' ')"
    printf 'zram_devices %s\n' "$(ls -d /sys/block/zram* 2>/dev/null | tr '\n' ' ')"
    printf 'swapfile %s\n' "$(ls /var/lib/reclaimbench/swapfile 2>/dev/null | wc -l)"
    for k in enabled compressor max_pool_percent; do
        printf 'zswap.%s %s\n' "$k" "$(cat /sys/module/zswap/parameters/$k 2>/dev/null)"
    done
}

# run_reproduced PROFILE DURATION VARIANT...: run each variant into
# $TMP/VARIANT; fail unless it completes and its expectations hold.
run_reproduced() {
    profile=$1; duration=$2; shift 2
    for v in "$@"; do
        "$RB" run "$profile" --variant "$v" --duration "$duration" --out "$TMP/$v" --quiet ||
            fail "$profile $v run failed ($?)"
        [ "$(json "$TMP/$v/summary.json" .reproduced)" = true ] ||
            fail "$profile $v not reproduced: $(jq -c '.expect' "$TMP/$v/summary.json")"
    done
}

# assert_state_equal BEFORE AFTER: every line the same, else fail naming it.
assert_state_equal() {
    if ! diff -u "$1" "$2" >"$TMP/state.diff"; then
        cat "$TMP/state.diff" >&2
        fail "machine state not restored"
    fi
}

# wait_rows FILE N TIMEOUT_S: wait until FILE has at least N lines.
wait_rows() {
    i=0
    while [ "$( ([ -f "$1" ] && wc -l <"$1") || echo 0)" -lt "$2" ]; do
        i=$((i + 1)); [ "$i" -gt $(($3 * 10)) ] && fail "$1: fewer than $2 rows after $3 s"
        sleep 0.1
    done
}

# A profile with settings to change, to see them restored.
write_settings_profile() {
    cat >"$1" <<EOF2
[profile]
description = integration: quick pressure with settings that must be restored
mode = contained
memory = 512M
duration = ${2:-60s}
settle = no
[sysctl]
vm.swappiness = 17
vm.vfs_cache_pressure = 117
vm.dirty_bytes = 268435456
vm.dirty_background_ratio = 7
[thp]
defrag = never
[swap]
type = zram
size = 256M
zswap = on
zswap_max_pool_percent = 17
[workload:hog]
type = anon-hog
size = 400M
rate = 256M
[workload:probe]
type = probe
file = 128M
EOF2
}
