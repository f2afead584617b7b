# Keep-alive requests/s against concurrency per server, from ci/bench.sh server:
#   gnuplot -e "datafile='...'; outfile='...'" server_concurrency.gp
set terminal svg size 900,480 dynamic noenhanced font "sans,12" background rgb "white"
set output outfile
set title "Keep-alive GET of a 13-byte file, median requests/s (higher is better; shared machine)"
set xlabel "concurrent connections (wrk -c, one wrk thread)"
set ylabel "thousand requests/s"
set logscale x 2
set grid xtics ytics
set yrange [0:*]
set key outside right top
set style data linespoints
stats datafile skip 1 nooutput
columns = STATS_columns
plot for [i=2:columns] datafile using 1:i title columnheader(i) lw 2 pt i
