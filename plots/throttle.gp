# throttle.gp - dirty throttling: each writer's write latency (workers.tsv,
# per-second p99 solid and max dotted, log axis) against Dirty, Dirty +
# Writeback and the dirty / background thresholds over time (right axis,
# MiB, read from the samples.tsv next to each workers.tsv). Writes stall
# (balance_dirty_pages pauses of 10-200 ms) while Dirty + Writeback sits near
# the dirty threshold: the kernel throttles on that sum. Not a _series.gp
# figure: it draws two files per run. Variables: files (workers.tsv per run),
# labels, subtitle, xcol, cols/titles/scales (the writers' latency columns),
# term, out, plotdir; page_kb (default 4) converts pages to kB.
fig_title = "Dirty throttling: write latency against Dirty and its threshold"
nruns = words(files)
n1 = words(cols)
if (!exists("page_kb")) { page_kb = 4 }
num(s) = s eq "" ? 0 : s + 0
sfile(f) = f[1:strstrt(f, "workers.tsv") - 1]."samples.tsv"
ismax(c) = strstrt(c, ".max[") > 0
lat_dt(i) = ismax(word(cols, i)) ? 3 : 1
mib(c) = column(c) * page_kb / 1024.0
# right-axis series of samples.tsv (pages; vmstat every tick, where meminfo's
# kB figures are read once a second)
DIRTY = "vmstat.nr_dirty[pages]"
WB = "vmstat.nr_writeback[pages]"
THR = "vmstat.nr_dirty_threshold[pages]"
BG = "vmstat.nr_dirty_background_threshold[pages]"
width = 1200
height = 600
load plotdir."/_style.gp"
set title fig_title."\n".subtitle
set xlabel "time [s]"
set xrange [0:*]
set autoscale xfixmax
set ylabel "write latency [us] (p99 solid, max dotted)"
set logscale y
set format y "%g"
set y2label "MiB"
set y2tics
set y2range [0:*]
set ytics nomirror
# one run: a colour per latency series (six, then again), the memory lines in
# black and grey;
# several runs: a colour per run for everything
lc_lat(r, i) = nruns == 1 ? (i - 1) % 6 + 1 : r
lc_mem(r, k) = nruns == 1 ? (k == 1 ? 7 : 8) : r
lat_title(r, i) = nruns == 1 ? word(titles, i).(ismax(word(cols, i)) ? " max" : " p99") : \
	(i == 1 ? word(labels, r) : "")
mem_title(r, t) = r == 1 ? t : ""
cmd = "plot for [r=1:nruns] for [i=1:n1] word(files, r) using (column(xcol)):" . \
	"(column(word(cols, i)) * num(word(scales, i))) with lines lt lc_lat(r, i) " . \
	"dt lat_dt(i) lw 1 title lat_title(r, i)"
cmd = cmd . ", for [r=1:nruns] sfile(word(files, r)) using (column(xcol)):(mib(DIRTY)) " . \
	"axes x1y2 with lines lt lc_mem(r, 1) lw 2 title mem_title(r, 'Dirty')"
cmd = cmd . ", for [r=1:nruns] sfile(word(files, r)) using (column(xcol)):" . \
	"(mib(DIRTY) + mib(WB)) axes x1y2 with lines lt lc_mem(r, 2) lw 1 " . \
	"title mem_title(r, 'Dirty + Writeback')"
cmd = cmd . ", for [r=1:nruns] sfile(word(files, r)) using (column(xcol)):" . \
	"(mib(THR)) axes x1y2 with lines lt lc_mem(r, 1) dt 2 lw 2 " . \
	"title mem_title(r, 'dirty threshold')"
cmd = cmd . ", for [r=1:nruns] sfile(word(files, r)) using (column(xcol)):" . \
	"(mib(BG)) axes x1y2 with lines lt lc_mem(r, 1) dt 4 lw 1 " . \
	"title mem_title(r, 'background threshold')"
if (n1 > 0) { eval cmd }
