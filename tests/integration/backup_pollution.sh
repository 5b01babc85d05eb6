# backup_pollution: on a machine shrunk to 4 GiB a verify-reading backup of
# 2x memory evicts the service's hot set (residency < 50%, file refaults,
# re-warm time printed); with POSIX_FADV_DONTNEED (variant fadvise) the set
# stays above 80% resident with far fewer refaults.
. "$(dirname "$0")/../lib/integration.sh"
need_root
avail_kb=$(awk '/^MemAvailable/ {print $2}' /proc/meminfo)
[ "$avail_kb" -gt 6000000 ] || skip "needs > 6 GiB available to shrink to 4 GiB"
df_kb=$(df -k --output=avail "$TMP" | tail -1)
[ "$df_kb" -gt 20000000 ] || skip "needs 20 GB free disk for the 8 GiB dataset"
machine_state >"$TMP/before"
for v in base fadvise; do
    "$RB" run backup-pollution --variant "$v" --duration 40s --out "$TMP/$v" --quiet --no-plot ||
        fail "$v run failed ($?)"
done
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
s="$TMP/base/summary.json"; f="$TMP/fadvise/summary.json"
[ "$(json "$s" .reproduced)" = true ] || fail "base not reproduced: $(jq -c '.expect' "$s")"
res=$(json "$s" .workers.ws.residency_min_pct); ref=$(json "$s" .vmstat.workingset_refault_file)
fres=$(json "$f" .workers.ws.residency_min_pct); fref=$(json "$f" .vmstat.workingset_refault_file)
awk -v r="$fres" 'BEGIN { exit !(r > 80) }' || fail "fadvise residency $fres% not above 80%"
awk -v a="$fref" -v b="$ref" 'BEGIN { exit !(a * 10 < b) }' ||
    fail "fadvise refaults $fref not far below base $ref"
rewarm=$(jq -r 'if .rewarm.rewarmed then "\(.rewarm.rewarm_s)s" else ">\(.rewarm.rewarm_s_at_least)s" end' "$s")
result "base: residency min ${res}%, refaults $ref, re-warm $rewarm," \
    "p99 before/during/after $(jq -r '[.rewarm.p99_before_us, .rewarm.p99_during_us, .rewarm.p99_after_us] | map(tostring + "us") | join("/")' "$s")"
result "fadvise: residency min ${fres}%, refaults $fref"
