# direct_reclaim_memcg: the same pressure in a 2 GiB memory cgroup
# reproduces with the cgroup's own figures (limit hits, memcg refaults,
# probe alloc p99 above its quiet baseline); the machine-wide allocstall is
# printed beside them to show it does not count memcg reclaim.
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
machine_state >"$TMP/before"
"$RB" run direct-reclaim-memcg --duration 15s --out "$TMP/m" --quiet || fail "run failed ($?)"
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
s="$TMP/m/summary.json"
[ "$(json "$s" .reproduced)" = true ] || fail "not reproduced: $(jq -c '.expect' "$s")"
result "memcg limit hits $(json "$s" .derived.memcg_limit_hits_per_s)/s," \
    "memcg refaults $(json "$s" .derived.memcg_refault_file)," \
    "probe alloc p99 $(json "$s" .workers.probe.latency.alloc.p99_us)us vs idle" \
    "$(json "$s" .baseline.probe.latency.alloc.p99_us)us; global allocstall $(json "$s" .derived.allocstall)"
