# Query latency against the number of extra mappings, from the query.dat that mmapc_bench writes.
# gnuplot -e "datafile='query.dat'; outfile='query-latency.svg'" plot.gp
set terminal svg size 820,520 dynamic font "sans,12" background rgb "white"
set output outfile
set title "Query the area holding an address (median per query)"
set xlabel "extra mappings in the process (N)"
set ylabel "nanoseconds (log scale)"
set logscale y
set grid ytics
set key top left
set offsets 0.2, 0.2, 0, 0
plot datafile using 0:2:xtic(1) with linespoints lw 2 pt 7 title "mmapc one-shot", \
     ''       using 0:3 with linespoints lw 2 pt 6 dt 2 title "open+PROCMAP\\_QUERY+close", \
     ''       using 0:4 with linespoints lw 2 pt 5 title "mmapc process handle", \
     ''       using 0:5 with linespoints lw 2 pt 4 dt 2 title "ioctl on a kept fd", \
     ''       using 0:6 with linespoints lw 2 pt 9 title "mmapc text path", \
     ''       using 0:7 with linespoints lw 2 pt 8 dt 2 title "read maps + sscanf"
