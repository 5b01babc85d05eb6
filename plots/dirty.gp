# dirty.gp - dirty and writeback memory against the dirty thresholds
# (background writeback starts at the background threshold; writers are
# throttled at the dirty threshold). Variables: see _series.gp.
fig_title = "Dirty memory and writeback"
ylabel = "MiB"
ylabel2 = ""
logy = 0
load plotdir."/_series.gp"
