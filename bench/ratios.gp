# SPDX-License-Identifier: MIT
# Every row with a baseline: its ratio to the baseline as a horizontal bar, its target marked,
# from the ratios.dat that mmapc_bench writes (label, ratio, target, "<=" / ">="; "-" and "-"
# for a row with no bound as its target).
# gnuplot -e "datafile='ratios.dat'; outfile='ratios.svg'" ratios.gp
set encoding utf8
set datafile separator "\t"
stats datafile using 2 nooutput
rows = STATS_records
top = STATS_max
low = STATS_min
stats datafile using (strcol(4) eq "-" ? 1 : $3) nooutput
if (STATS_max > top) top = STATS_max
if (STATS_min < low) low = STATS_min
# a log scale, so that one row far off (a quick run's noise) does not flatten the others; the
# bars start at the left edge
lo = low * 0.8 < 0.5 ? low * 0.8 : 0.5
hi = top * 1.3 > 1.6 ? top * 1.3 : 1.6
set terminal svg size 1400,(170 + 24 * rows) dynamic font "sans,12" background rgb "white"
set output outfile
set title "mmapc time / baseline time, per row (bar: measured ratio; mark: target)"
set xlabel "ratio to the baseline, log scale (1 = as fast as the plain system calls)"
set logscale x
set xrange [lo:hi]
set yrange [rows - 0.5:-0.5]
set ytics noenhanced font "sans,11" scale 0
set xtics ("0.1" 0.1, "0.25" 0.25, "0.5" 0.5, "1" 1, "1.5" 1.5, "2" 2, "3" 3, "5" 5, "10" 10, \
           "20" 20, "50" 50, "100" 100)
if (hi < 4) set xtics add ("0.75" 0.75, "1.25" 1.25)
if (lo < 0.1) set xtics add ("0.01" 0.01, "0.025" 0.025, "0.05" 0.05)
set lmargin at screen 0.47
set bmargin 7
set grid xtics
set key outside below center horizontal maxrows 1 width 2
set style fill solid 0.75 border -1
set arrow from 1, graph 0 to 1, graph 1 nohead lc rgb "#606060" lw 1 dt 2 back
# bar colour: green where a "<=" or ">=" target is met, red where it is missed, grey without one
# (a column is read only where the row has a target: a "-" read as a number drops the row)
bound(rel) = rel eq "<=" || rel eq ">="
met(r, rel) = rel eq "<=" ? (r <= $3) : (r >= $3)
colour(r, rel) = !bound(rel) ? 0xa0a0a0 : (met(r, rel) ? 0x4caf50 : 0xe05040)
# the figure stands right of the bar, or of the target mark where that lies further right
right(r, rel) = bound(rel) && $3 > r ? $3 : r
plot datafile using (lo):0:(lo):2:($0 - 0.35):($0 + 0.35):(colour($2, strcol(4))):ytic(1) \
         with boxxyerror lc rgb variable notitle, \
     ''       using (right($2, strcol(4))):0:(sprintf(" %.2f", $2)) with labels left font "sans,10" \
         notitle, \
     ''       using (strcol(4) eq "<=" ? $3 : NaN):($0 - 0.45):(0):(0.9) with vectors nohead \
         lw 3 lc rgb "black" title "target: at most this ratio (<=)", \
     ''       using (strcol(4) eq ">=" ? $3 : NaN):($0 - 0.45):(0):(0.9) with vectors nohead \
         lw 3 lc rgb "#1060c0" title "target: at least this ratio (>=)"
