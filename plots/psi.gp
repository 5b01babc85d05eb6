# psi.gp - pressure stall information: the share of each interval in which
# some (or all, "full") runnable tasks stalled on memory or I/O.
# Variables: see _series.gp.
fig_title = "Pressure stalls (PSI)"
ylabel = "stalled [% of the interval]"
ylabel2 = ""
logy = 0
# memory, io and memcg a hue each: some dark, full light (blue/sky,
# vermillion/orange, green/purple)
custom_style = 1
hue(t, dark, light) = strstrt(t, "full") ? light : dark
s_lt(i) = strstrt(word(titles, i), "memory") == 1 ? hue(word(titles, i), 1, 6) : \
	  strstrt(word(titles, i), "io") == 1 ? hue(word(titles, i), 2, 5) : \
	  hue(word(titles, i), 3, 4)
s_dt(i) = 1
s2_lt(i) = 7
load plotdir."/_series.gp"
