# plot_missing_columns: a results directory whose files lack columns still
# plots what it can. The fixture tests/data/plot/run-old-kernel is a quick run
# cut down to an old kernel's columns (no zone watermarks, no memory cgroup,
# no reclaim or THP counters, workingset_refault instead of _file, a worker
# column that is all NaN): its six figures are drawn, the five others are
# skipped with a note each, and the exit status is 0. Without samples.tsv
# (a run that failed early) only the latency figures remain; without gnuplot
# `plot` says so and fails. Needs gnuplot, not root.
. "$(dirname "$0")/../lib/integration.sh"
command -v gnuplot >/dev/null || skip "gnuplot not installed (scripts/install-deps)"
FIX="$ROOT/tests/data/plot/run-old-kernel"
is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

"$RB" plot "$FIX" --out "$TMP/p" >"$TMP/p.out" 2>&1 || { cat "$TMP/p.out"; fail "plot exited $?"; }
for fig in memory psi refaults dirty latency p99; do
    is_png "$TMP/p/$fig.png" || fail "$fig.png not drawn"
done
for fig in watermarks memcg reclaim stalls thp throttle; do
    [ ! -e "$TMP/p/$fig.png" ] || fail "$fig.png drawn without its columns"
    grep -q "^note: skipped $fig " "$TMP/p.out" || fail "no note for the skipped $fig"
done
! grep -q '^note: failed' "$TMP/p.out" || fail "$(grep '^note: failed' "$TMP/p.out")"
grep -q '^6 figures in ' "$TMP/p.out" || fail "$(tail -1 "$TMP/p.out")"

# The same run overlaid on itself: the overlay keeps the same figures.
"$RB" plot "$FIX" "$FIX" --out "$TMP/ov" >"$TMP/ov.out" 2>&1 || fail "overlay exited $?"
grep -q '^6 figures in ' "$TMP/ov.out" || fail "overlay: $(tail -1 "$TMP/ov.out")"

# No samples.tsv at all: the latency figures alone.
mkdir "$TMP/early"
cp -r "$FIX/meta.json" "$FIX/summary.json" "$FIX/workers.tsv" "$FIX/latency" "$TMP/early/"
"$RB" plot "$TMP/early" >"$TMP/early.out" 2>&1 || fail "plot without samples.tsv exited $?"
is_png "$TMP/early/plots/latency.png" || fail "latency.png not drawn without samples.tsv"
is_png "$TMP/early/plots/p99.png" || fail "p99.png not drawn without samples.tsv"
grep -q '^2 figures in ' "$TMP/early.out" || fail "without samples.tsv: $(tail -1 "$TMP/early.out")"

# The report of the cut-down run: figures and a note per skipped one.
"$RB" report "$FIX" -o "$TMP/r.html" >/dev/null || fail "report exited $?"
[ "$(grep -o '<img ' "$TMP/r.html" | wc -l)" = 6 ] || fail "report inlines other than 6 figures"
[ "$(grep -c '<p class="note">skipped ' "$TMP/r.html")" = 6 ] || fail "report lacks the skip notes"

# Without gnuplot: a clear message and exit 1, nothing half drawn.
if PATH=/nonexistent "$RB" plot "$FIX" --out "$TMP/none" >"$TMP/none.out" 2>&1; then
    fail "plot without gnuplot succeeded"
fi
grep -q 'gnuplot not found' "$TMP/none.out" || fail "no 'gnuplot not found' message"
[ ! -e "$TMP/none" ] || fail "plot without gnuplot created its output directory"
result "6 figures drawn, 6 skipped with notes; 2 without samples.tsv"
