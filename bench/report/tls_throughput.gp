# TLS: each server's median rate relative to the fastest server of the scenario, from
# ci/bench.sh tls:   gnuplot -e "datafile='...'; outfile='...'" tls_throughput.gp
set terminal svg size 900,480 dynamic noenhanced font "sans,12" background rgb "white"
set output outfile
set title "HTTPS, median rate relative to the fastest server per case (higher is better)"
set ylabel "rate / fastest server's rate"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside right top
set grid ytics
set yrange [0:1.1]
set xtics nomirror scale 0
# One column per server after the case's name: count them from the header line.
columns = words(system("head -1 '".datafile."'"))
plot for [i=2:columns] datafile using i:xtic(1) title columnheader(i)
