# zswap_swapin: the zswap profile's swap-in latency (the hog's cold reads
# that major-faulted) has a lower p50 with zswap and with zram than with
# the swap file on disk; each variant reproduces (compression ratio > 2 for
# zswap and zram); swap file, zram device and zswap settings are gone after.
. "$(dirname "$0")/../lib/integration.sh"
need_root; need_memcg
[ -d /sys/class/zram-control ] || skip "no zram (modprobe zram)"
[ -d /sys/module/zswap/parameters ] || skip "no zswap in this kernel"
machine_state >"$TMP/before"
run_reproduced zswap 10s base zswap zram
machine_state >"$TMP/after"
assert_state_equal "$TMP/before" "$TMP/after"
p50() { json "$TMP/$1/summary.json" .workers.hog.latency.swapin.p50_us; }
file=$(p50 base); zswap=$(p50 zswap); zram=$(p50 zram)
awk -v f="$file" -v z="$zswap" -v r="$zram" 'BEGIN { exit !(z < f && r < f) }' ||
    fail "swap-in p50: file ${file}us, zswap ${zswap}us, zram ${zram}us: not both below the file"
result "swap-in p50: file ${file}us, zswap ${zswap}us, zram ${zram}us"
result "compression: zswap $(json "$TMP/zswap/summary.json" .derived.zswap_compression_ratio):1, zram $(json "$TMP/zram/summary.json" .derived.zram_compression_ratio):1"
