# stalls.gp - allocation stalls (tasks entering direct reclaim, all zones
# summed) and compaction stalls, failures and successes per second.
# Variables: see _series.gp.
fig_title = "Allocation and compaction stalls"
ylabel = "events/s"
ylabel2 = ""
logy = 0
load plotdir."/_series.gp"
