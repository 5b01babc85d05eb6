# thp.gp - transparent huge pages: faults that got a huge page against those
# that fell back to small pages, and khugepaged collapses.
# Variables: see _series.gp.
fig_title = "Transparent huge pages"
ylabel = "events/s"
ylabel2 = ""
logy = 0
load plotdir."/_series.gp"
