# _series.gp - the engine of every time-series figure (not a figure itself):
# a figure template sets its labels and loads this. The program passes the
# data as -e variables, each list a string of "quoted" words:
#   files   one data file per run (samples.tsv or workers.tsv)
#   labels  one legend label per run             subtitle  under the title
#   xcol    the time column, e.g. "time[s]"
#   cols    main series: a column name, or names joined by '+' (summed)
#   titles, scales    each main series' legend title and unit factor
#   refs, reftitles, refscales    reference lines (watermarks, limits), dashed
#   cols2, titles2, scales2       series on the right-hand axis
#   rate    rows a second of the data files (for avg2_s)
#   term, out, plotdir
# The figure template sets fig_title, ylabel, ylabel2 and logy (0/1), and
# may set yfmt (tick format), ymax (top of the first panel), avg2_s (average
# the right-axis series over that many seconds) and custom_style.
# One run: one panel, a colour per series. Several runs: a panel per series,
# a colour per run (A vs B), the reference lines in the first panel.
# gnuplot 5.4 still evaluates an empty `plot for [i=1:0]` clause, so the plot
# commands are assembled from the clauses that have series, then eval'd.
nruns = words(files)
n1 = words(cols)
nref = words(refs)
n2 = words(cols2)
num(s) = s eq "" ? 0 : s + 0
# sum of the '+'-separated columns of s in the current row
colsum(s) = strstrt(s, "+") == 0 ? column(s) : \
	column(s[1:strstrt(s, "+") - 1]) + colsum(s[strstrt(s, "+") + 1:])
val(s, k) = colsum(s) * k
# right-axis series may be averaged over avg2_s seconds (rate rows a second):
# kswapd's CPU comes in whole clock ticks, 0 or 10% of a 100 ms sample
if (!exists("avg2_s")) { avg2_s = 0 }
if (!exists("rate")) { rate = 10 }
avgn = avg2_s > 0 ? int(avg2_s * rate + 0.5) : 1
avgn = avgn < 1 ? 1 : (avgn > 100 ? 100 : avgn)
array ring[100]
msum = 0
mcnt = 0
# moving mean of the last avgn values along a file, reset on its first row;
# NaN passes through untouched (gnuplot also evaluates the expression on the
# header line, to resolve column names, and there every column is NaN)
mavg(v) = v != v ? v : (column(0) == 0 ? (msum = 0, mcnt = 0) : 0, \
	mi = int(column(0)) % avgn + 1, \
	msum = msum + v - (mcnt >= avgn ? ring[mi] : 0), \
	ring[mi] = v, mcnt = mcnt + 1, \
	msum / (mcnt < avgn ? mcnt : avgn))
rval(s, k) = avgn > 1 ? mavg(val(s, k)) : val(s, k)
avg_note = avgn > 1 ? sprintf(" (%g s mean)", avg2_s) : ""
npan = nruns == 1 ? 1 : n1 + n2
ncol = npan > 1 ? 2 : 1
nrow = (npan + ncol - 1) / ncol
width = 1200
height = nruns == 1 ? 600 : 110 + 320 * nrow
load plotdir."/_style.gp"
if (logy) { set logscale y; set format y "%g" }
if (exists("yfmt")) { set format y yfmt }
if (exists("y2fmt")) { set format y2 y2fmt }
fmt1 = exists("yfmt") ? yfmt : (logy ? "%g" : "% h")
fmt2 = exists("y2fmt") ? y2fmt : "% h"
if (!exists("ymax")) { ymax = 0 }
set xlabel "time [s]"
set xrange [0:*]
set autoscale xfixmax
# a figure template may colour and dash the series itself (custom_style = 1
# with s_lt(i), s_dt(i) for main series i and s2_lt(i) for right-axis ones);
# else each series gets the next colour, solid
if (!exists("custom_style")) { s_lt(i) = i; s_dt(i) = 1; s2_lt(i) = n1 + i }
# append clause c to plot command p
join(p, c) = p eq "" ? "plot ".c : p.", ".c

if (nruns == 1) {
	set title fig_title."\n".subtitle
	set ylabel ylabel
	if (!logy) { if (ymax > 0) { set yrange [0:ymax] } else { set yrange [0:*] } }
	f = word(files, 1)
	cmd = ""
	if (n1 > 0) { cmd = join(cmd, "for [i=1:n1] f using (column(xcol)):(val(word(cols, i), " . \
		"num(word(scales, i)))) with lines lt s_lt(i) dt s_dt(i) title word(titles, i)") }
	if (n2 > 0) {
		set y2label ylabel2
		set y2tics
		set y2range [0:*]
		set ytics nomirror
		cmd = join(cmd, "for [i=1:n2] f using (column(xcol)):(rval(word(cols2, i), " . \
			"num(word(scales2, i)))) axes x1y2 with lines lt s2_lt(i) " . \
			"title word(titles2, i).avg_note")
	}
	if (nref > 0) { cmd = join(cmd, "for [i=1:nref] f using (column(xcol)):(val(word(refs, i), " . \
		"num(word(refscales, i)))) with lines lt (n1 + n2 + i) dt i+1 lw 1 " . \
		"title word(reftitles, i)") }
	eval cmd
} else {
	# a grid of panels below a strip holding the title and one legend for all
	strip = 100.0 / height
	rowh = (1.0 - strip) / nrow
	set multiplot title fig_title."\n".subtitle
	unset key
	do for [p=1:npan] {
		set origin ((p - 1) % ncol) * (1.0 / ncol), 1.0 - strip - ((p - 1) / ncol + 1) * rowh
		set size 1.0 / ncol, rowh
		right = p > n1
		c = right ? word(cols2, p - n1) : word(cols, p)
		k = right ? num(word(scales2, p - n1)) : num(word(scales, p))
		set title (right ? word(titles2, p - n1).avg_note : word(titles, p))
		set ylabel (right ? ylabel2 : ylabel)
		set format y (right ? fmt2 : fmt1)
		if (!logy) { if (ymax > 0 && p == 1) { set yrange [0:ymax] } else { set yrange [0:*] } }
		cmd = join("", "for [r=1:nruns] word(files, r) using (column(xcol)):" . \
			(right ? "(rval(c, k)) " : "(val(c, k)) ") . \
			"with lines lt r")
		if (p == 1 && nref > 0) {
			cmd = join(cmd, "for [i=1:nref] for [r=1:nruns] word(files, r) " . \
				"using (column(xcol)):(val(word(refs, i), num(word(refscales, i)))) " . \
				"with lines lt r dt i+1 lw 1")
		}
		eval cmd
	}
	set origin 0, 1.0 - strip
	set size 1, 55.0 / height
	unset title; unset xlabel; unset ylabel; unset tics; unset border; unset grid
	unset logscale
	set xrange [0:1]; set yrange [0:1]
	set key center center horizontal Left reverse samplen 3 width 2
	# keyentry alone is not a plot: a constant outside the range makes it one
	cmd = "plot 2 notitle, for [r=1:nruns] keyentry with lines lt r title word(labels, r)"
	if (nref > 0) {
		cmd = join(cmd, "for [i=1:nref] keyentry with lines lc rgb '#555555' dt i+1 lw 1 " . \
			"title word(reftitles, i)")
	}
	eval cmd
	unset multiplot
}
