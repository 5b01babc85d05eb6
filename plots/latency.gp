# latency.gp - latency percentile curves from the whole-run histograms
# (latency/<worker>-<op>.hist: "low_ns high_ns count" per bucket). The x axis
# is the percentile on a "nines" scale (50, 90, 99, 99.9 ... evenly spaced),
# the y axis the latency, both logarithmic, so the tail is as readable as
# the median. Variables, lists of "quoted" words:
#   names   one per curve (worker.op)        labels  one per run
#   hists   the .hist files, name-major: name 1 of every run, then name 2 ...
#   totals  the sample count of each .hist file (same order)
#   subtitle, term, out, plotdir
# One run: one panel, a colour per curve. Several runs: a panel per curve,
# a colour per run.
nruns = words(labels)
nnames = words(names)
num(s) = s eq "" ? 0 : s + 0
# x position of cumulative count c out of t: 1/(1 - c/t); the last bucket
# (c = t) is drawn at the resolution limit 2t
nines(c, t) = 1.0 / ((1.0 - c / t) > 0.5 / t ? 1.0 - c / t : 0.5 / t)
# running count along a file: reset on its first row
cum = 0
acc(n) = (cum = (column(0) == 0 ? 0 : cum) + n, cum)
npan = nruns == 1 ? 1 : nnames
ncol = npan > 1 ? 2 : 1
nrow = (npan + ncol - 1) / ncol
width = 1200
height = nruns == 1 ? 600 : 110 + 320 * nrow
load plotdir."/_style.gp"
set logscale xy
set format y "%g"
set xrange [1:*]
set autoscale xfixmax
set xtics ("0" 1, "50" 2, "90" 10, "99" 100, "99.9" 1000, "99.99" 1e4, "99.999" 1e5, \
	"99.9999" 1e6, "99.99999" 1e7)
set mxtics 10
set xlabel "percentile [%]"
set ylabel "latency [us]"
fig_title = "Latency percentiles (whole run)"

if (nruns == 1) {
	set title fig_title."\n".subtitle
	plot for [i=1:nnames] word(hists, i) \
		using (nines(acc(column(3)), num(word(totals, i)))):(column(2) / 1000.0) \
		with lines lt i title word(names, i)
} else {
	strip = 100.0 / height
	rowh = (1.0 - strip) / nrow
	set multiplot title fig_title."\n".subtitle
	unset key
	do for [p=1:npan] {
		set origin ((p - 1) % ncol) * (1.0 / ncol), 1.0 - strip - ((p - 1) / ncol + 1) * rowh
		set size 1.0 / ncol, rowh
		set title word(names, p)
		b = (p - 1) * nruns
		plot for [r=1:nruns] word(hists, b + r) \
			using (nines(acc(column(3)), num(word(totals, b + r)))):(column(2) / 1000.0) \
			with lines lt r
	}
	set origin 0, 1.0 - strip
	set size 1, 55.0 / height
	unset title; unset xlabel; unset ylabel; unset tics; unset border; unset grid
	unset logscale
	set xrange [0:1]; set yrange [0:1]
	set key center center horizontal Left reverse samplen 3 width 2
	# keyentry alone is not a plot: a constant outside the range makes it one
	plot 2 notitle, for [r=1:nruns] keyentry with lines lt r title word(labels, r)
	unset multiplot
}
