# watermarks.gp - free pages against the zones' min/low/high watermarks,
# zoomed on them when free memory comes near, with kswapd's CPU (1 s mean)
# on the right axis. Free below low wakes kswapd; below min every allocating
# task reclaims directly (allocstall). Variables: see _series.gp.
fig_title = "Free memory against the zone watermarks"
ylabel = "MiB"
ylabel2 = "kswapd CPU [% of one CPU]"
logy = 0
avg2_s = 1
ymax = 0
# zoom on the watermarks (3x the highest high) when free memory comes near
# them in some run; a run that never does (a memory cgroup on a big
# machine) is drawn whole instead, free memory far above its watermarks
set datafile separator "\t"
if (words(refs) > 0 && words(cols) > 0) {
	top = 0
	low = 1e300
	do for [r=1:words(files)] {
		stats word(files, r) using (column(word(refs, words(refs)))) nooutput
		top = 3 * STATS_max * (word(refscales, words(refs)) + 0) > top ? \
		      3 * STATS_max * (word(refscales, words(refs)) + 0) : top
		stats word(files, r) using (column(word(cols, 1))) nooutput
		low = STATS_min * (word(scales, 1) + 0) < low ? STATS_min * (word(scales, 1) + 0) : low
	}
	ymax = low < top ? top : 0
}
load plotdir."/_series.gp"
