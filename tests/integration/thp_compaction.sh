# thp_compaction: on a machine shrunk to 4 GiB with memory fragmented, the
# base thp-compaction profile reproduces (THP faults stall in direct
# compaction or fall back to 4K: compact_stall + thp_fault_fallback > 0),
# and defrag-defer trades differently: no compaction stall and a lower mean
# first-touch fault latency (the worst is printed too: ~2-3x lower here, but
# one sample), at a huge-page success % printed beside the base's. The THP and compaction knobs are back after both runs, and after
# a third run interrupted with SIGINT once thp-alloc is faulting.
. "$(dirname "$0")/../lib/integration.sh"
need_root
[ -r /sys/kernel/mm/transparent_hugepage/enabled ] || skip "no transparent huge pages"
avail_kb=$(awk '/^MemAvailable/ {print $2}' /proc/meminfo)
[ "$avail_kb" -gt 6000000 ] || skip "needs > 6 GiB available to shrink to 4 GiB"

# machine_state plus the compaction sysctls this profile changes.
state() {
    machine_state
    for k in compaction_proactiveness compact_unevictable_allowed; do
        [ -r /proc/sys/vm/$k ] && printf 'vm.%s %s\n' "$k" "$(cat /proc/sys/vm/$k)"
    done
    return 0
}
thp_mode() { sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/$1; }

state >"$TMP/before"
for v in base defrag-defer; do
    "$RB" run thp-compaction --variant "$v" --out "$TMP/$v" --no-plot --quiet ||
        fail "$v run failed ($?)"
done
state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"

s="$TMP/base/summary.json"; d="$TMP/defrag-defer/summary.json"
[ "$(json "$s" .reproduced)" = true ] || fail "base not reproduced: $(jq -c '.expect' "$s")"
figures() {
    printf 'success %s%%, compact_stall %s (%s/s), thp_fault_fallback %s, first-touch p50 %sus mean %sus max %sus' \
        "$(json "$1" .derived.thp_success_pct)" "$(json "$1" .derived.compact_stall)" \
        "$(json "$1" .derived.compact_stall_per_s)" "$(json "$1" .vmstat.thp_fault_fallback)" \
        "$(json "$1" .workers.alloc.latency.first.p50_us)" \
        "$(json "$1" .workers.alloc.latency.first.mean_us)" \
        "$(json "$1" .workers.alloc.latency.first.max_us)"
}
base_stall=$(json "$s" .derived.compact_stall)
defer_stall=$(json "$d" .derived.compact_stall)
base_mean=$(json "$s" .workers.alloc.latency.first.mean_us)
defer_mean=$(json "$d" .workers.alloc.latency.first.mean_us)
awk -v n="$base_stall" 'BEGIN { exit !(n > 0) }' ||
    fail "base: no compaction stall (defrag = madvise should compact directly)"
awk -v n="$defer_stall" 'BEGIN { exit !(n == 0) }' ||
    fail "defrag-defer: $defer_stall compaction stalls, expected none"
awk -v a="$defer_mean" -v b="$base_mean" 'BEGIN { exit !(a < b) }' ||
    fail "defrag-defer: mean first touch ${defer_mean}us not below base ${base_mean}us"
result "base: $(figures "$s")"
result "defrag-defer: $(figures "$d"), kcompactd woken $(json "$d" .vmstat.compact_daemon_wake)"

# Interrupted: every knob the profile touches changed, SIGINT once thp-alloc
# (from 2 s) has been faulting for a while.
"$RB" run thp-compaction --variant defrag-defer --set sysctl.vm.compaction_proactiveness=100 \
    --out "$TMP/int" --no-plot --quiet &
pid=$!
wait_rows "$TMP/int/samples.tsv" 60 120
[ "$(thp_mode enabled)" = always ] || { kill -INT "$pid"; fail "the run did not set THP enabled"; }
[ "$(thp_mode defrag)" = defer ] || { kill -INT "$pid"; fail "the run did not set THP defrag"; }
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" = 1 ] || fail "an interrupted run should exit 1, got $rc"
state >"$TMP/after-int"
assert_state_equal "$TMP/before" "$TMP/after-int"
[ "$(json "$TMP/int/meta.json" .status)" = aborted ] || fail "interrupted run not marked aborted"
result "SIGINT at $(($(wc -l <"$TMP/int/samples.tsv") / 10)) s: THP enabled=$(thp_mode enabled) defrag=$(thp_mode defrag), all knobs restored"
