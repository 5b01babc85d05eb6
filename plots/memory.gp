# memory.gp - memory over time: free, available, page cache, anon, dirty,
# with the zones' min/low/high watermarks as reference lines when the run
# recorded them. Below low kswapd wakes; below min allocations reclaim
# directly. Variables: see _series.gp.
fig_title = "Memory over time"
ylabel = "MiB"
ylabel2 = ""
logy = 0
load plotdir."/_series.gp"
