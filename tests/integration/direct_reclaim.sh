# direct_reclaim: on a machine shrunk to 4 GiB, the base direct-reclaim
# profile reproduces (allocstall > 0, pgscan_direct > 0, probe alloc p99
# above its quiet baseline), and vm.min_free_kbytes raised (min-free-high)
# gives fewer allocstalls per second in the same test.
. "$(dirname "$0")/../lib/integration.sh"
need_root
avail_kb=$(awk '/^MemAvailable/ {print $2}' /proc/meminfo)
[ "$avail_kb" -gt 6000000 ] || skip "needs > 6 GiB available to shrink to 4 GiB"
machine_state >"$TMP/before"
for v in base min-free-high; do
    "$RB" run direct-reclaim --variant "$v" --duration 15s --out "$TMP/$v" --quiet ||
        fail "$v run failed ($?)"
done
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
s="$TMP/base/summary.json"; f="$TMP/min-free-high/summary.json"
base_rate=$(json "$s" .derived.allocstall_per_s)
fix_rate=$(json "$f" .derived.allocstall_per_s)
scan=$(json "$s" .vmstat.pgscan_direct)
p99=$(json "$s" .workers.probe.latency.alloc.p99_us)
p99_idle=$(json "$s" .baseline.probe.latency.alloc.p99_us)
[ "$(json "$s" .reproduced)" = true ] ||
    fail "base not reproduced: $(jq -c '.expect' "$s")"
awk -v a="$fix_rate" -v b="$base_rate" 'BEGIN { exit !(a < b) }' ||
    fail "min-free-high did not cut allocstall/s ($fix_rate vs base $base_rate)"
result "base: allocstall ${base_rate}/s, pgscan_direct $scan, probe alloc p99 ${p99}us vs idle ${p99_idle}us"
result "min-free-high: allocstall ${fix_rate}/s"
