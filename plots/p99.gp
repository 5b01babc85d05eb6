# p99.gp - each worker's per-interval p99 latency (workers.tsv, one value a
# second), on a log axis, so a short stall shows instead of being averaged
# away. Variables: see _series.gp.
fig_title = "Per-second p99 latency"
ylabel = "p99 latency [us]"
ylabel2 = ""
logy = 1
load plotdir."/_series.gp"
