# swappiness: in the swappiness profile (1G cgroup, swap file, anon hog +
# file working set) vm.swappiness = 200 reclaims a larger anonymous share
# than vm.swappiness = 1; both variants reproduce their own expectations;
# the swap file is gone afterwards.
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
machine_state >"$TMP/before"
run_reproduced swappiness 12s swappiness-1 swappiness-200
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
low=$(json "$TMP/swappiness-1/summary.json" .derived.anon_reclaim_share_pct)
high=$(json "$TMP/swappiness-200/summary.json" .derived.anon_reclaim_share_pct)
awk -v a="$high" -v b="$low" 'BEGIN { exit !(a > b) }' ||
    fail "swappiness 200 anon share $high% not above swappiness 1's $low%"
result "anon share of reclaim: swappiness 1 ${low}%, swappiness 200 ${high}%"
result "pswpout: $(json "$TMP/swappiness-1/summary.json" .vmstat.pswpout) vs $(json "$TMP/swappiness-200/summary.json" .vmstat.pswpout)"
