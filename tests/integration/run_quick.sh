# run_quick: `reclaimbench run quick` end to end, shortened to 12 s: the
# results directory is complete and valid, samples come at the set rate,
# the memcg and refault counters moved, the probe has percentiles, the
# signature is reproduced and the machine is as it was.
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
machine_state >"$TMP/before"
"$RB" run quick --duration 12s --out "$TMP/q" --quiet || fail "run exited $?"
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
for f in meta.json summary.json samples.tsv workers.tsv profile.ini latency/probe-access.hist; do
    [ -s "$TMP/q/$f" ] || fail "missing $f"
done
[ "$(json "$TMP/q/meta.json" .status)" = complete ] || fail "status not complete"
rows=$(($(wc -l <"$TMP/q/samples.tsv") - 1))
# 12 s at 10 Hz plus the t=0 row; allow 10% for a loaded machine
[ "$rows" -ge 110 ] && [ "$rows" -le 125 ] || fail "samples.tsv has $rows rows, expected ~121"
head -1 "$TMP/q/samples.tsv" | grep -q 'vmstat.pgscan_direct\[1/s\]' || fail "no vmstat columns"
head -1 "$TMP/q/samples.tsv" | grep -q 'psi.memory.some\[%\]' || fail "no PSI columns"
failcnt=$(json "$TMP/q/summary.json" '.memcg.failcnt')
refaults=$(json "$TMP/q/summary.json" '.vmstat.workingset_refault_file')
p50=$(json "$TMP/q/summary.json" '.workers.probe.latency.access.p50_us')
p99=$(json "$TMP/q/summary.json" '.workers.probe.latency.file.p99_us')
[ "$failcnt" -gt 0 ] || fail "memcg failcnt did not move"
[ "$refaults" -gt 0 ] || fail "no file refaults"
[ "$(json "$TMP/q/summary.json" .reproduced)" = true ] || fail "signature not reproduced"
result "rows=$rows failcnt=$failcnt refaults=$refaults probe access p50=${p50}us file p99=${p99}us"
