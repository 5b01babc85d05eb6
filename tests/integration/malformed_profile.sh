# malformed_profile: a profile with an error is refused with file:line and
# exit 2, before anything changes: no results directory, no journal, every
# setting as it was.
. "$(dirname "$0")/../lib/integration.sh"
need_root
write_settings_profile "$TMP/bad.ini" 5s
sed -i 's/^size = 400M/size = 400Q/' "$TMP/bad.ini"
machine_state >"$TMP/before"
rc=0; "$RB" run "$TMP/bad.ini" --out "$TMP/r" 2>"$TMP/err" || rc=$?
[ "$rc" = 2 ] || fail "expected exit 2, got $rc"
line=$(grep -n '^size = 400Q' "$TMP/bad.ini" | cut -d: -f1)
grep -q "bad.ini:$line: .*400Q" "$TMP/err" || { cat "$TMP/err"; fail "error does not name file:line"; }
[ ! -e "$TMP/r" ] || fail "a results directory was created"
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
rc=0; "$RB" run "$TMP/bad.ini" --set hog.size=300M --set sysctl.kernel.panic=1 2>"$TMP/err2" || rc=$?
[ "$rc" = 2 ] && grep -q 'kernel.panic' "$TMP/err2" || fail "non-vm sysctl accepted (rc $rc)"
result "$(head -1 "$TMP/err")"
