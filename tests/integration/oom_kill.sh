# oom_kill: the oom profile's OOM killer kills a hog, spares the critical
# worker, the run completes and records the kill (event with victim pid and
# worker, worker marked oom-killed, vmstat oom_kill).
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
machine_state >"$TMP/before"
"$RB" run oom --out "$TMP/r" --quiet 2>"$TMP/err" || fail "oom run failed ($?): $(cat "$TMP/err")"
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
s="$TMP/r/summary.json"
[ "$(json "$TMP/r/meta.json" .status)" = complete ] || fail "run not complete"
[ "$(json "$s" .reproduced)" = true ] || fail "not reproduced: $(jq -c '.expect' "$s")"
[ "$(json "$s" .workers.critical.exit)" = ok ] || fail "critical did not survive"
victim=$(jq -r '[.events[] | select(.type == "oom-kill")][0].worker // empty' "$TMP/r/meta.json")
case "$victim" in hog.*) ;; *) fail "no oom-kill event naming a hog (got '$victim')" ;; esac
[ "$(json "$s" ".workers.\"$victim\".exit")" = oom-killed ] || fail "$victim not marked oom-killed"
result "$(jq -r '[.events[] | select(.type == "oom-kill")][0].detail' "$TMP/r/meta.json")"
result "critical: oom_score_adj $(json "$s" .workers.critical.oom_score_adj), exit ok"
