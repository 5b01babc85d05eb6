# reclaim.gp - reclaim rates: pages scanned and stolen by kswapd (background)
# and by allocating tasks themselves (direct reclaim), with kswapd's CPU on
# the right axis. Variables: see _series.gp.
fig_title = "Reclaim: kswapd against direct"
ylabel = "pages/s"
ylabel2 = "kswapd CPU [% of one CPU]"
logy = 0
yfmt = "%.1s%c"
avg2_s = 1
# kswapd and direct a hue each: scanned dark, stolen light
custom_style = 1
s_lt(i) = strstrt(word(titles, i), "kswapd") == 1 ? \
	  (strstrt(word(titles, i), "stolen") ? 6 : 1) : (strstrt(word(titles, i), "stolen") ? 5 : 2)
s_dt(i) = 1
s2_lt(i) = 3
load plotdir."/_series.gp"
