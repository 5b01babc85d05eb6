# sigkill_restore: SIGKILL of the harness mid-run leaves the settings
# changed (sysctls, THP, its zram swap, zswap) and the journal behind; `run` then refuses to start, and
# `reclaimbench restore` brings every value back, removes the cgroup and
# marks the results directory aborted.
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
write_settings_profile "$TMP/settings.ini" 60s
machine_state >"$TMP/before"
"$RB" run "$TMP/settings.ini" --out "$TMP/r" --quiet &
pid=$!
wait_rows "$TMP/r/samples.tsv" 20 60
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
sleep 0.5   # workers die by PR_SET_PDEATHSIG
grep -q '^/dev/zram' /proc/swaps || fail "the run did not turn on its zram swap"
[ "$(cat /proc/sys/vm/swappiness)" = 17 ] || fail "expected the killed run's setting to persist"
[ -f /var/lib/reclaimbench/journal ] || fail "no journal left by the killed run"
rc=0; "$RB" run "$TMP/settings.ini" --out "$TMP/r2" --quiet 2>"$TMP/refuse.err" || rc=$?
[ "$rc" = 1 ] && grep -q 'reclaimbench restore' "$TMP/refuse.err" || fail "run did not refuse (rc $rc)"
"$RB" restore || fail "restore failed"
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
[ "$(json "$TMP/r/meta.json" .status)" = aborted ] || fail "killed run not marked aborted"
"$RB" restore | grep -q 'nothing to restore' || fail "second restore should find nothing"
result "restored: $(grep -c . "$TMP/before") settings checked"
