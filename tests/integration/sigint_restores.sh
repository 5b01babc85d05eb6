# sigint_restores: SIGINT in the middle of a run stops it cleanly: every
# sysctl, THP knob and swap setting (zram, zswap) it changed is back, its
# cgroup and the journal are gone, and the results directory is valid and
# marked aborted.
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
write_settings_profile "$TMP/settings.ini" 60s
machine_state >"$TMP/before"
"$RB" run "$TMP/settings.ini" --out "$TMP/r" --quiet &
pid=$!
wait_rows "$TMP/r/samples.tsv" 30 60
grep -q '^/dev/zram' /proc/swaps || fail "the run did not turn on its zram swap"
[ "$(cat /proc/sys/vm/swappiness)" = 17 ] || fail "the run did not apply vm.swappiness"
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" = 1 ] || fail "an interrupted run should exit 1, got $rc"
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
[ "$(json "$TMP/r/meta.json" .status)" = aborted ] || fail "status not aborted"
json "$TMP/r/summary.json" .workers.probe.latency.access.p99_us >/dev/null || fail "no summary"
result "status=aborted reason='$(json "$TMP/r/meta.json" .status_reason)'"
