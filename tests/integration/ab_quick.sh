# ab_quick: `reclaimbench ab quick base roomy --iterations 3 --duration 8s`
# runs A B A B A B into one group directory, every run complete with the
# same comparability key, the machine as it was, and the comparison finds
# roomy significantly better on the pathology's own figures (memcg limit
# hits fall to 0, the probe's file p99 falls) and worse on none of them.
# Then an interrupted ab: SIGINT during the second run keeps the first,
# marks the second aborted, starts no third, says "interrupted" and
# restores the machine. About 80 s.
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
machine_state >"$TMP/before"

G="$TMP/g"
"$RB" ab quick base roomy --iterations 3 --duration 8s --out "$G" >"$TMP/out" 2>&1 ||
    { cat "$TMP/out" >&2; fail "ab exited $?"; }
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"

[ "$(json "$G/group.json" .status)" = complete ] || fail "group status not complete"
[ "$(json "$G/group.json" '[.runs[].dir] | join(" ")')" = "a-1 b-1 a-2 b-2 a-3 b-3" ] ||
    fail "runs not interleaved A B A B A B"
[ "$(json "$G/group.json" '[.runs[] | select(.status == "complete")] | length')" = 6 ] ||
    fail "not every run complete"
[ "$(json "$G/b-1/meta.json" .profile.variant)" = roomy ] || fail "b-1 is not the roomy variant"
for d in "$G"/[ab]-*; do jq -ec .comparability "$d/meta.json"; done | sort -u >"$TMP/keys"
[ "$(wc -l <"$TMP/keys")" = 1 ] || fail "the runs' comparability keys differ"

# the text output's verdict list, and the same comparison as JSON
grep -q '^verdict:' "$TMP/out" || fail "no verdict list in the output"
"$RB" compare "$G" --format json >"$TMP/cmp.json" || fail "compare exited $?"
verdict() { jq -r --arg m "$1" '.metrics[] | select(.metric == $m) | .verdict' "$TMP/cmp.json"; }
median() {
    jq -r --arg m "$1" --arg s "$2" '.metrics[] | select(.metric == $m) | .[$s].median' "$TMP/cmp.json"
}
better=0
for m in memcg_limit_hits memcg_limit_hits_per_s probe.file.p99_us psi.memory.some_pct; do
    v=$(verdict "$m")
    [ "$v" = worse ] && fail "roomy is worse on $m"
    [ "$v" = better ] && better=$((better + 1))
done
[ "$better" -ge 1 ] || fail "no significant improvement on the signature's metrics"
[ "$(median memcg_limit_hits b)" = 0 ] || fail "roomy still hits the memcg limit"
a=$(median probe.file.p99_us a); b=$(median probe.file.p99_us b)
awk -v a="$a" -v b="$b" 'BEGIN { exit !(b < a) }' || fail "the probe's file p99 did not drop"
sed -n 's/^  \(roomy .*\)/\1/p' "$TMP/out" >"$TMP/verdicts"
grep -E 'memcg_limit_hits by|probe.file.p99_us by' "$TMP/verdicts" |
    while read -r line; do result "$line"; done
result "$(wc -l <"$TMP/verdicts") significant changes, $(grep -c ': better$' "$TMP/verdicts") better"

# Interrupted: SIGINT once a-1 is recorded, during b-1
I="$TMP/i"
"$RB" ab quick base roomy --iterations 2 --duration 6s --out "$I" >"$TMP/iout" 2>&1 &
pid=$!
i=0
until [ "$(jq -r '.runs | length' "$I/group.json" 2>/dev/null || echo 0)" -ge 1 ]; do
    i=$((i + 1)); [ "$i" -gt 600 ] && { kill -INT "$pid"; fail "a-1 did not finish in 60 s"; }
    sleep 0.1
done
sleep 3
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" = 1 ] || fail "interrupted ab exited $rc, expected 1"
machine_state >"$TMP/after2"
assert_state_equal "$TMP/before" "$TMP/after2"
[ "$(json "$I/group.json" .status)" = interrupted ] || fail "group.json does not say interrupted"
[ "$(json "$I/a-1/meta.json" .status)" = complete ] || fail "a-1 not kept complete"
[ "$(json "$I/b-1/meta.json" .status)" = aborted ] || fail "b-1 not marked aborted"
[ ! -e "$I/a-2" ] || fail "a run started after the interrupt"
result "interrupted: $(json "$I/group.json" .status_reason)"
