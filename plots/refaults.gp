# refaults.gp - workingset refaults (evicted pages read back soon after:
# reclaim threw out the working set) and major faults (right axis).
# Variables: see _series.gp.
fig_title = "Refaults and major faults"
ylabel = "refaults/s"
ylabel2 = "major faults/s"
logy = 0
yfmt = "%.1s%c"
load plotdir."/_series.gp"
