# compare_refuses: every run records a comparability key in meta.json;
# `compare` accepts two variants of one profile, refuses runs of two
# different profiles (exit 1, naming the field and both values) unless
# --force, which warns and compares. Also on fixture runs that differ
# only in the kernel (tests/data/compare/). Three 3 s runs, about 20 s.
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
D="$ROOT/tests/data/compare"

cat >"$TMP/tiny.ini" <<EOF
[profile]
description = integration: a second, different profile
mode = contained
memory = 256M
duration = 3s
settle = no
[workload:probe]
type = probe
file = 32M
EOF

"$RB" run quick --duration 3s --set profile.settle=no --out "$TMP/q" --quiet || fail "quick exited $?"
"$RB" run quick --variant roomy --duration 3s --set profile.settle=no --out "$TMP/r" --quiet ||
    fail "quick roomy exited $?"
"$RB" run "$TMP/tiny.ini" --out "$TMP/t" --quiet || fail "tiny exited $?"

[ "$(json "$TMP/q/meta.json" .comparability.kernel)" = "$(uname -r)" ] || fail "key: kernel"
[ "$(json "$TMP/q/meta.json" .comparability.memory_bytes)" = 1073741824 ] || fail "key: memory"
[ "$(json "$TMP/r/meta.json" .comparability.memory_bytes)" = 1073741824 ] ||
    fail "key: the variant's memory leaked into memory_bytes"
json "$TMP/q/meta.json" .comparability.machine.cpu_model >/dev/null || fail "key: cpu model"

# two variants of one profile: comparable
"$RB" compare "$TMP/q" "$TMP/r" >"$TMP/ok.out" 2>"$TMP/ok.err" ||
    { cat "$TMP/ok.err" >&2; fail "variants of one profile were refused"; }
grep -q 'n<3: no verdict' "$TMP/ok.out" || fail "1 + 1 runs gave a verdict"

# two profiles: refused, naming the field and both values
rc=0; "$RB" compare "$TMP/q" "$TMP/t" >"$TMP/no.out" 2>"$TMP/no.err" || rc=$?
[ "$rc" = 1 ] || fail "compare of two profiles exited $rc, expected 1"
grep -q 'profile differs: "quick" .* vs "tiny"' "$TMP/no.err" ||
    { cat "$TMP/no.err" >&2; fail "the reason does not name the field"; }
[ ! -s "$TMP/no.out" ] || fail "a refused compare printed a report"
result "$(head -1 "$TMP/no.err")"

# --force: warns and compares
"$RB" compare "$TMP/q" "$TMP/t" --force >"$TMP/force.out" 2>"$TMP/force.err" || fail "--force exited $?"
grep -q 'warning: profile differs' "$TMP/force.err" || fail "--force did not warn"
grep -q 'A/B comparison of quick vs tiny' "$TMP/force.out" || fail "--force did not compare"

# fixtures: only the kernel differs
rc=0; "$RB" compare "$D/group:a" "$D/other-kernel" >/dev/null 2>"$TMP/k.err" || rc=$?
[ "$rc" = 1 ] && grep -q 'kernel differs: "6.18.44" .* vs "6.1.0-26-amd64"' "$TMP/k.err" ||
    fail "a different kernel was not refused by name"
result "$(head -1 "$TMP/k.err" | sed "s|$D/||g")"
