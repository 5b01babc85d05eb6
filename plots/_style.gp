# _style.gp - shared look of every reclaimbench figure, loaded by the
# figure templates (not a figure itself). Opens the terminal:
#   term   'pngcairo' or 'svg'        out  output file
#   width, height  size in pixels (set by the loader)
# Colours are the Okabe-Ito palette (safe for colour-blind readers): in a
# single-run figure they tell series apart, in an overlay they tell runs apart.
if (term eq "svg") {
	set terminal svg size width, height font "Sans,12" linewidth 1.4 background rgb "white"
} else {
	set terminal pngcairo size width, height font "Sans,11" linewidth 1.4 background rgb "white"
}
set output out
set termoption noenhanced
set encoding utf8
set datafile separator "\t"
set datafile missing "NaN"
set linetype 1 lc rgb "#0072B2" lw 1.5
set linetype 2 lc rgb "#D55E00" lw 1.5
set linetype 3 lc rgb "#009E73" lw 1.5
set linetype 4 lc rgb "#CC79A7" lw 1.5
set linetype 5 lc rgb "#E69F00" lw 1.5
set linetype 6 lc rgb "#56B4E9" lw 1.5
set linetype 7 lc rgb "#000000" lw 1.5
set linetype 8 lc rgb "#999999" lw 1.5
set linetype cycle 8
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#555555"
set tics nomirror
set key outside right top vertical Left reverse noautotitle samplen 2.5 spacing 1.1
