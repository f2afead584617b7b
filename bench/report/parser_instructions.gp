# Instructions per request (callgrind) per parser and corpus, from ci/bench.sh parser:
#   gnuplot -e "datafile='...'; outfile='...'" parser_instructions.gp
set terminal svg size 900,480 dynamic noenhanced font "sans,12" background rgb "white"
set output outfile
set title "Instructions per request, callgrind (lower is better; independent of load)"
set ylabel "instructions per request"
set logscale y
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left
set grid ytics
set xtics nomirror scale 0
plot for [i=2:5] datafile using i:xtic(1) title columnheader(i)
