# dirty_throttle: on a machine shrunk to 4 GiB with the default dirty ratios
# (20/10), eight back-to-back 10 MB batch writers push Dirty + Writeback up
# to the dirty threshold and block in balance_dirty_pages: the base profile
# reproduces (a write stalled >= 50 ms, Dirty >= 90% of the dirty threshold).
# The stall and the peaks of Dirty and Dirty + Writeback against the
# threshold (summary.json derived) are printed; Dirty + Writeback must reach
# 90%, and where tracefs works the writers must have slept in
# balance_dirty_pages (trace.sleeps > 0). The dirty-bytes variant (256M/128M)
# runs the same load: its longest throttle stall (the longest traced
# balance_dirty_pages pause) must be shorter; without tracefs, its worst
# writer's write p99 instead. A write's own max is one sample that CPU
# contention also moves, so it is printed, not compared (README). A third,
# short run with tracefs made unavailable ($RECLAIMBENCH_TRACEFS=/nonexistent)
# still completes and says why in summary.json .trace.
. "$(dirname "$0")/../lib/integration.sh"
need_root
avail_kb=$(awk '/^MemAvailable/ {print $2}' /proc/meminfo)
[ "$avail_kb" -gt 6000000 ] || skip "needs > 6 GiB available to shrink to 4 GiB"

# pct_of_threshold SUMMARY NAME: summary.json's derived NAME (the largest
# Dirty, or Dirty + Writeback, of a tick as % of the dirty threshold), rounded.
pct_of_threshold() { json "$1" ".derived.$2 | round"; }
# worst FILE FIELD: the largest write FIELD (us) over the writer's instances.
worst() { jq -er "[.workers[] | .latency.write.$2 // empty] | max" "$1"; }

machine_state >"$TMP/before"
for v in base dirty-bytes; do
    "$RB" run dirty-throttle --variant "$v" --duration 20s --out "$TMP/$v" --quiet --no-plot ||
        fail "$v run failed ($?)"
done
RECLAIMBENCH_TRACEFS=/nonexistent "$RB" run dirty-throttle --duration 6s --out "$TMP/notrace" \
    --quiet --no-plot || fail "run without tracefs failed ($?)"
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"

s="$TMP/base/summary.json"; f="$TMP/dirty-bytes/summary.json"; n="$TMP/notrace/summary.json"
[ "$(json "$s" .reproduced)" = true ] || fail "base not reproduced: $(jq -c '.expect' "$s")"
dirty_pct=$(pct_of_threshold "$s" dirty_max_pct_of_threshold) ||
    fail "summary.json: no derived.dirty_max_pct_of_threshold"
sum_pct=$(pct_of_threshold "$s" dirty_writeback_max_pct_of_threshold) ||
    fail "summary.json: no derived.dirty_writeback_max_pct_of_threshold"
base_max=$(worst "$s" max_us); fix_max=$(worst "$f" max_us)
base_p99=$(worst "$s" p99_us); fix_p99=$(worst "$f" p99_us)
# a write stall alone could be CPU contention (8 writers, 2 CPUs): where
# tracefs works, the writers must really have slept in balance_dirty_pages
if [ "$(json "$s" .trace.available)" = true ]; then
    [ "$(json "$s" .trace.sleeps)" -gt 0 ] || fail "base: no balance_dirty_pages sleeps traced"
fi
[ "$sum_pct" -ge 90 ] || fail "base: Dirty+Writeback reached only ${sum_pct}% of the threshold"
if [ "$(json "$s" .trace.available)" = true ] && [ "$(json "$f" .trace.available)" = true ]; then
    base_pause=$(json "$s" .trace.pause_max_us); fix_pause=$(json "$f" '.trace.pause_max_us // 0')
    awk -v a="$fix_pause" -v b="$base_pause" 'BEGIN { exit !(a < b) }' ||
        fail "dirty-bytes did not shorten the longest throttle pause (${fix_pause}us vs ${base_pause}us)"
else
    awk -v a="$fix_p99" -v b="$base_p99" 'BEGIN { exit !(a < b) }' ||
        fail "dirty-bytes did not shorten the write p99 (${fix_p99}us vs base ${base_p99}us)"
fi
[ "$(json "$n" .trace.available)" = false ] || fail "trace available with tracefs at /nonexistent"
reason=$(json "$n" .trace.reason)
[ -n "$reason" ] || fail "unavailable trace without a reason"
[ "$(jq -r .status "$TMP/notrace/meta.json")" = complete ] ||
    fail "run without tracefs not complete"
result "base: longest write ${base_max}us, write p99 ${base_p99}us," \
    "$(json "$s" '.trace.sleeps // "-"') bdp sleeps, pause max" \
    "$(json "$s" '.trace.pause_max_us // "-"')us; Dirty ${dirty_pct}%," \
    "Dirty+Writeback ${sum_pct}% of the dirty threshold"
result "dirty-bytes: longest write ${fix_max}us, write p99 ${fix_p99}us," \
    "bdp pause max $(json "$f" '.trace.pause_max_us // "-"')us"
result "no tracefs: complete, trace unavailable: $reason"
