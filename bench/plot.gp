# SPDX-License-Identifier: MIT
# Query latency against the number of extra mappings, from the query.dat that mmapc_bench writes.
# gnuplot -e "datafile='query.dat'; outfile='query-latency.svg'" plot.gp
set encoding utf8
set terminal svg size 820,580 dynamic font "sans,12" background rgb "white"
set output outfile
set title "Query of the area holding an address: median per query (log scale)"
set xlabel "extra mappings in the process (N)"
set logscale y
set ytics ("100 ns" 100, "1 µs" 1e3, "10 µs" 1e4, "100 µs" 1e5, "1 ms" 1e6, "10 ms" 1e7)
set grid ytics
set yrange [100:*]
set key outside below center Left reverse maxrows 4 width 2
set offsets 0.2, 0.2, 0, 0
# each pair in one colour: mmapc solid, the raw baseline dashed, the target (a ratio to the
# baseline of the same run) dotted
plot datafile using 0:2:xtic(1) with linespoints lw 2 pt 7 lc 1 title "mmapc one-shot", \
     ''       using 0:3 with linespoints lw 2 pt 6 lc 1 dt 2 title "open+PROCMAP\\_QUERY+close", \
     ''       using 0:4 with linespoints lw 2 pt 5 lc 2 title "mmapc process handle", \
     ''       using 0:5 with linespoints lw 2 pt 4 lc 2 dt 2 title "PROCMAP\\_QUERY on a kept fd", \
     ''       using 0:6 with linespoints lw 2 pt 9 lc 7 title "mmapc text path", \
     ''       using 0:7 with linespoints lw 2 pt 8 lc 7 dt 2 title "read maps + sscanf to match", \
     ''       using 0:($3*1.2) with lines lw 1 lc 1 dt 3 title "target: 1.2 x open+ioctl+close", \
     ''       using 0:($5*1.05) with lines lw 1 lc 2 dt 3 title "target: 1.05 x ioctl on a kept fd"
