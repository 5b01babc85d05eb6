# plot_report: figures and the HTML report for real runs. Three short quick
# runs (base; roomy with gnuplot out of PATH: the run must still succeed and
# say why it drew nothing; one with --no-plot); every figure of the base run
# is a valid PNG
# and SVG; the two runs overlay; the report of both is self-contained (no
# script, no external URL, figures inlined as data: URIs), opens in headless
# Chromium with a non-blank screenshot and makes no network request (a
# canary page with an external image proves the request log catches one).
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
command -v gnuplot >/dev/null || skip "gnuplot not installed (scripts/install-deps)"

# Another run on this machine holds the journal: wait for it (5 s polls).
wait_journal() {
    i=0
    while [ -e /var/lib/reclaimbench/journal ]; do
        i=$((i + 1)); [ "$i" -gt 24 ] && skip "another run holds /var/lib/reclaimbench/journal"
        sleep 5
    done
}

# is_png FILE / is_svg FILE: the format's signature, and not empty.
is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
is_svg() { [ -s "$1" ] && grep -q '<svg' "$1" && tail -c 200 "$1" | grep -q '</svg>'; }

wait_journal
"$RB" run quick --duration 6s --out "$TMP/a" >"$TMP/a.out" 2>&1 ||
    { cat "$TMP/a.out"; fail "run a exited"; }
grep -q "^plots: $TMP/a/plots" "$TMP/a.out" || fail "run did not plot by default"
wait_journal
PATH=/nonexistent "$RB" run quick --variant roomy --duration 6s --out "$TMP/b" --quiet \
    >"$TMP/b.out" 2>&1 || { cat "$TMP/b.out"; fail "run b exited $? without gnuplot in PATH"; }
grep -q "gnuplot not found" "$TMP/b.out" || fail "run without gnuplot did not say so"
[ ! -e "$TMP/b/plots" ] || fail "run without gnuplot left a plots directory"
wait_journal
"$RB" run quick --duration 2s --no-plot --out "$TMP/c" --quiet >"$TMP/c.out" 2>&1 ||
    { cat "$TMP/c.out"; fail "run --no-plot exited"; }
[ -s "$TMP/c/samples.tsv" ] && [ ! -e "$TMP/c/plots" ] || fail "run --no-plot plotted"

# Every figure whose columns the run has is drawn; the quick run has these.
"$RB" plot "$TMP/a" --out "$TMP/png" >"$TMP/png.out" || fail "plot exited $?"
! grep -q '^note: failed' "$TMP/png.out" || fail "$(grep '^note: failed' "$TMP/png.out")"
for fig in memory memcg psi reclaim stalls refaults dirty thp latency p99; do
    is_png "$TMP/png/$fig.png" || fail "$fig.png missing or not a PNG"
    is_png "$TMP/a/plots/$fig.png" || fail "run's own plots/$fig.png missing or not a PNG"
done
if head -1 "$TMP/a/samples.tsv" | grep -q 'zone\.free\[pages\]'; then
    is_png "$TMP/png/watermarks.png" || fail "watermarks.png missing though zone.* exist"
fi
n_png=$(ls "$TMP/png"/*.png | wc -l)
"$RB" plot "$TMP/a" --format svg --out "$TMP/svg" >/dev/null || fail "plot --format svg exited $?"
for f in "$TMP/png"/*.png; do
    is_svg "$TMP/svg/$(basename "$f" .png).svg" || fail "$(basename "$f" .png).svg not an SVG"
done

# Overlays: both runs in every figure, the variant in the legend.
"$RB" plot "$TMP/a" "$TMP/b" --out "$TMP/ov" >"$TMP/ov.out" || fail "overlay plot exited $?"
for f in "$TMP/ov"/*.png; do is_png "$f" || fail "overlay $(basename "$f") not a PNG"; done
[ "$(ls "$TMP/ov"/*.png | wc -l)" -ge 10 ] || fail "overlay drew $(ls "$TMP/ov" | wc -l) figures"
"$RB" plot "$TMP/a" "$TMP/b" --format svg --out "$TMP/ovsvg" >/dev/null ||
    fail "overlay svg exited"
grep -q 'quick/roomy' "$TMP/ovsvg/memory.svg" || fail "overlay legend lacks quick/roomy"

# The report: one file, nothing fetched from elsewhere.
"$RB" report "$TMP/a" "$TMP/b" -o "$TMP/r.html" >/dev/null || fail "report exited $?"
html="$TMP/r.html"
grep -q '</html>' "$html" || fail "report not complete"
grep -q 'quick/roomy' "$html" || fail "report lacks the variant"
for section in 'Machine and kernel' Signature 'Key figures' 'id="compare"' 'Worker latency'; do
    grep -q "$section" "$html" || fail "report lacks its $section section"
done
imgs=$(grep -o '<img [^>]*src="data:image/svg+xml;base64,' "$html" | wc -l)
[ "$imgs" -ge 10 ] || fail "report inlines $imgs figures"
! grep -qi '<script\|<link\|<iframe\|@import\|url(' "$html" ||
    fail "report has a script, link or url()"
ext=$(grep -o '\(src\|href\)="[^"]*"' "$html" | grep -v '="data:\|="#' || true)
[ -z "$ext" ] || fail "report refers outside itself: $ext"
! grep -q 'https\?://' "$html" ||
    fail "report names a URL: $(grep -o 'https\?://[^ "<]*' "$html" | head -1)"
for b64 in $(grep -o 'base64,[A-Za-z0-9+/=]*' "$html" | cut -c8-); do
    echo "$b64" | base64 -d >"$TMP/fig.svg" || fail "an inlined figure is not base64"
    grep -q '<svg' "$TMP/fig.svg" || fail "an inlined figure is not an SVG"
    bad=$(grep -o 'href="[^"#][^"]*"' "$TMP/fig.svg" | head -1)
    [ -z "$bad" ] || fail "an inlined figure refers to $bad"
done
result "$n_png figures, overlay $(ls "$TMP/ov"/*.png | wc -l)," \
    "report $(($(wc -c <"$html") / 1024)) KiB with $imgs figures"

command -v chromium >/dev/null || skip "chromium not installed (scripts/install-deps installs it)"

# chrome URL: headless screenshot of url into $TMP/$2.png, log in $TMP/$2.log
chrome() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --disable-default-apps --no-pings --disable-domain-reliability \
        --user-data-dir="$(mktemp -d "$TMP/chrome.XXXXXX")" --enable-logging=stderr --v=1 \
        --screenshot="$TMP/$2.png" --window-size=1280,2000 "$1" >"$TMP/$2.log" 2>&1
}
# Network requests in a log, less the browser's own (Google update, sign-in
# and time services, which it contacts whatever the page).
requests() {
    sed -n 's/.*NotifyBeforeURLRequest: //p' "$1" |
        grep -v '^https\?://[a-z0-9.-]*\.\(google\.com\|googleapis\.com\|gstatic\.com\)/' |
        grep -v '^https\?://[a-z0-9.-]*\.gvt1\.com/' || true
}

echo '<html><body><p>canary</p><img src="http://rb-canary.invalid/x.png"></body></html>' \
    >"$TMP/canary.html"
chrome "file://$TMP/canary.html" canary || fail "chromium failed on the canary page"
requests "$TMP/canary.log" | grep -q 'rb-canary.invalid' ||
    fail "the request log does not show the canary's request: the check below would prove nothing"

chrome "file://$html" shot || { tail -5 "$TMP/shot.log"; fail "chromium exited $?"; }
is_png "$TMP/shot.png" || fail "no screenshot"
req=$(requests "$TMP/shot.log")
[ -z "$req" ] || fail "the report made network requests: $req"
# Decode the screenshot with gnuplot (x y r g b per pixel, every 4th):
# a blank page is one colour; this one has text, tables and figures.
gnuplot -e "set table '$TMP/px.txt'" \
    -e "plot '$TMP/shot.png' binary filetype=png every 4:4 with rgbimage" >/dev/null 2>&1 ||
    fail "cannot decode the screenshot"
stats=$(awk 'NF >= 5 && $1 ~ /^[0-9]/ { n++; c[$3 " " $4 " " $5]++; if ($3 + $4 + $5 < 600) ink++ }
             END { k = 0; for (x in c) k++; printf "%d %d %d", n, k, ink * 1000 / n }' \
        "$TMP/px.txt")
set -- $stats
[ "$1" -gt 100000 ] || fail "screenshot has $1 pixels"
[ "$2" -ge 32 ] || fail "screenshot has only $2 colours: blank?"
[ "$3" -ge 10 ] || fail "screenshot is $3 per mille ink: blank?"
result "chromium: screenshot $2 colours, $3 per mille ink, no page request"
