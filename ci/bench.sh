#!/usr/bin/env bash
# Benchmarks of issue 7, regenerating docs/PERFORMANCE.md. Not part of ci/test.sh: they are
# slow and noisy. Results are ratios against peers measured in the same run on the same
# machine; instruction counts come from callgrind, which machine load does not change.
#
#   ci/bench.sh parser         httpfsm vs llhttp, http_parser, picohttpparser (release preset):
#                              throughput, callgrind instructions/request, allocations; then
#                              responses (issue 14), the readers' cost, the chunked decoders
#   ci/bench.sh ragel-styles   httpfsm's Ragel code style: -G1/-G2 x g++/clang++, and -T0
#   ci/bench.sh server         httpfsm-server (poll and epoll) vs nginx, h2o, lighttpd under wrk
#                              (release preset): requests/s, p99, memory (issues 7 and 9)
#   ci/bench.sh all            parser, ragel-styles, then server
#   ci/bench.sh tls            httpfsm-server vs nginx, h2o, lighttpd over TLS (issue 15): full
#                              and resumed handshakes, keep-alive; callgrind per handshake
#
# Knobs (environment): BENCH_REPETITIONS (5), BENCH_MIN_TIME seconds per repetition (0.2),
# BENCH_ROUNDS for ragel-styles (3), CALLGRIND_ITERATIONS (200); for server:
# BENCH_SERVER_SECONDS per run (10), BENCH_SERVER_ROUNDS (3), BENCH_SERVER_CONCURRENCY
# ("1 8 64 256 512"), BENCH_SERVER_IDLE connections held beside wrk (5000),
# BENCH_SERVER_RSS_CONNECTIONS idle connections for the memory figure (10000),
# BENCH_SERVER_CLOSE_CONCURRENCY for the new-connection-per-request runs ("32 64").
set -euo pipefail
cd "$(dirname "$0")/.."

repetitions=${BENCH_REPETITIONS:-5}
min_time=${BENCH_MIN_TIME:-0.2}
rounds=${BENCH_ROUNDS:-3}
callgrind_iterations=${CALLGRIND_ITERATIONS:-200}
server_seconds=${BENCH_SERVER_SECONDS:-10}
server_rounds=${BENCH_SERVER_ROUNDS:-3}
server_concurrency=${BENCH_SERVER_CONCURRENCY:-1 8 64 256 512}
server_idle=${BENCH_SERVER_IDLE:-5000}
server_rss_connections=${BENCH_SERVER_RSS_CONNECTIONS:-10000}
server_close_concurrency=${BENCH_SERVER_CLOSE_CONCURRENCY:-32 64}
doc=docs/PERFORMANCE.md
corpora=(a_browser b_minimal c_heavy d_pipelined e_post f_chunked)
parsers=(httpfsm llhttp http_parser pico)
response_corpora=(r_small r_page r_chunked r_304)
response_parsers=(httpfsm llhttp pico httpfsm_reader)
reader_corpora=(b_minimal e_post f_chunked)

log() { echo "ci/bench.sh: $*" >&2; }

# Machine facts for the report, one "key<TAB>value" per line. Arguments: the Debian packages
# whose versions matter (default: the parser benchmark's).
describe_machine() {
  printf 'cpu\t%s\n' "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  printf 'cores\t%s online (%s)\n' "$(nproc)" \
    "$(lscpu | sed -n 's/^Hypervisor vendor:[[:space:]]*/virtualised, /p' | head -1)"
  printf 'kernel\t%s\n' "$(uname -sr)"
  printf 'os\tDebian %s\n' "$(cat /etc/debian_version)"
  printf 'g++\t%s\n' "$(g++ --version | head -1)"
  printf 'clang++\t%s\n' "$(clang++ --version | head -1)"
  local pkg packages=("$@")
  [[ ${#packages[@]} -gt 0 ]] ||
    packages=(ragel libbenchmark-dev node-llhttp libhttp-parser-dev libh2o-dev valgrind)
  for pkg in "${packages[@]}"; do
    printf '%s\t%s\n' "$pkg" "$(dpkg-query -W -f='${Version}' "$pkg")"
  done
  printf 'load\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'date\t%s\n' "$(date -u +%Y-%m-%d)"
}

# Instructions per request of one parser on one corpus: callgrind counts only inside
# httpfsm_bench_drive (the untimed loop of the driver mode). Appends a line to $2; with a
# fifth argument, also writes callgrind_annotate's per-function profile there.
callgrind_count() {
  local bin=$1 out=$2 parser=$3 corpus=$4 profile=${5:-} tmp requests total
  tmp=$(mktemp -d)
  LD_BIND_NOW=1 valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
    --collect-atstart=no --toggle-collect=httpfsm_bench_drive \
    "$bin" --drive="$parser/$corpus" --iterations="$callgrind_iterations" >"$tmp/stdout" 2>"$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; rm -rf "$tmp"; return 1; }
  requests=$(awk '$1 == "requests" { print $2 }' "$tmp/stdout")
  total=$(awk '$1 == "totals:" || $1 == "summary:" { print $2; exit }' "$tmp/out")
  [[ -n "$requests" && -n "$total" ]] || { log "no callgrind count for $parser/$corpus"; return 1; }
  printf '%s\t%s\t%s\t%s\n' "$parser" "$corpus" "$total" "$requests" >>"$out"
  [[ -z "$profile" ]] || callgrind_annotate "$tmp/out" >"$profile"
  rm -rf "$tmp"
}

# Configures and builds httpfsm-bench-parser. $1: build directory; the rest: cmake -D options.
build_bench() {
  local dir=$1
  shift
  cmake --preset release -B "$dir" "$@" >/dev/null
  cmake --build "$dir" --target httpfsm-bench-parser -j2
}

run_parser() {
  local build=build/release results=build/release/bench-results
  local bin=$build/bench/httpfsm-bench-parser
  # The instruction counts: the same harness, its llhttp built for an ISA valgrind decodes
  # (bench/CMakeLists.txt), since -march=native can emit AVX-512, which valgrind 3.19 cannot.
  local count_bin=$build/bench/httpfsm-bench-parser-callgrind
  mkdir -p "$results"
  build_bench "$build"
  cmake --build "$build" --target httpfsm-bench-parser-callgrind -j2
  describe_machine >"$results/machine.tsv"
  log "parser: $repetitions repetitions x >= ${min_time}s per benchmark"
  "$bin" --benchmark_format=json --benchmark_repetitions="$repetitions" \
    --benchmark_min_time="$min_time" --benchmark_enable_random_interleaving=true \
    >"$results/parser.json"
  printf 'load_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/machine.tsv"
  log "parser: callgrind, $callgrind_iterations iterations per parser and corpus"
  : >"$results/callgrind.tsv"
  local parser corpus
  for parser in "${parsers[@]}"; do
    for corpus in "${corpora[@]}"; do
      callgrind_count "$count_bin" "$results/callgrind.tsv" "$parser" "$corpus" \
        "$results/profile.$parser.$corpus.txt"
    done
  done
  for parser in "${response_parsers[@]}"; do
    for corpus in "${response_corpora[@]}"; do
      callgrind_count "$count_bin" "$results/callgrind.tsv" "$parser" "$corpus"
    done
  done
  for corpus in "${reader_corpora[@]}"; do
    callgrind_count "$count_bin" "$results/callgrind.tsv" httpfsm_reader "$corpus"
  done
  python3 bench/report/bench_report.py parser --machine "$results/machine.tsv" \
    --benchmark "$results/parser.json" --callgrind "$results/callgrind.tsv" \
    --profiles "$results" --plot-dir "$results" --doc "$doc"
  python3 bench/report/bench_report.py parser-responses --machine "$results/machine.tsv" \
    --benchmark "$results/parser.json" --callgrind "$results/callgrind.tsv" --doc "$doc"
  gnuplot -e "datafile='$results/parser_throughput.dat'; outfile='docs/parser_throughput.svg'" \
    bench/report/parser_throughput.gp
  gnuplot -e "datafile='$results/parser_instructions.dat'; outfile='docs/parser_instructions.svg'" \
    bench/report/parser_instructions.gp
  log "updated $doc, docs/parser_throughput.svg and docs/parser_instructions.svg"
}

# Ragel code style of the generated machine (HTTPFSM_RAGEL_STYLE, src/CMakeLists.txt): each
# configuration is a release build of its own. Throughput is read against picohttpparser,
# which is Debian's same binary in every configuration, so load drift between builds cancels.
run_ragel_styles() {
  local results=build/bench-styles/results
  mkdir -p "$results"
  local configs=(gcc:-G2 gcc:-G1 gcc:-T0 clang:-G2 clang:-G1)
  local config compiler style dir cc cxx werror
  for config in "${configs[@]}"; do
    compiler=${config%%:*}
    style=${config#*:}
    dir=build/bench-styles/$compiler$style
    if [[ $compiler == gcc ]]; then cc=gcc cxx=g++; else cc=clang cxx=clang++; fi
    # -T0 output trips -Wold-style-cast and -Wsign-conversion under g++ (see STYLE): this
    # measurement build keeps the warnings but not -Werror.
    werror=ON
    [[ $style == -T0 ]] && werror=OFF
    log "ragel-styles: building $compiler $style"
    build_bench "$dir" -DCMAKE_C_COMPILER=$cc -DCMAKE_CXX_COMPILER=$cxx \
      -DHTTPFSM_RAGEL_STYLE="$style" -DHTTPFSM_WERROR=$werror -DHTTPFSM_BUILD_TESTS=OFF \
      -DHTTPFSM_BUILD_SERVER=OFF -DHTTPFSM_BUILD_FUZZERS=OFF
  done
  describe_machine >"$results/machine.tsv"
  local round
  for ((round = 1; round <= rounds; round++)); do
    for config in "${configs[@]}"; do
      compiler=${config%%:*}
      style=${config#*:}
      log "ragel-styles: round $round, $compiler $style"
      build/bench-styles/$compiler$style/bench/httpfsm-bench-parser --benchmark_format=json \
        --benchmark_filter='^(httpfsm|pico)/(a_browser|c_heavy|d_pipelined)$' \
        --benchmark_repetitions="$repetitions" --benchmark_min_time="$min_time" \
        --benchmark_enable_random_interleaving=true >"$results/$compiler$style.$round.json"
    done
  done
  printf 'load_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/machine.tsv"
  for config in "${configs[@]}"; do
    compiler=${config%%:*}
    style=${config#*:}
    : >"$results/$compiler$style.callgrind.tsv"
    for corpus in a_browser c_heavy d_pipelined; do
      callgrind_count "build/bench-styles/$compiler$style/bench/httpfsm-bench-parser" \
        "$results/$compiler$style.callgrind.tsv" httpfsm "$corpus"
    done
  done
  python3 bench/report/bench_report.py ragel-styles --machine "$results/machine.tsv" \
    --results "$results" --configs "${configs[@]}" --doc "$doc"
  log "updated $doc"
}

# httpfsm-server with each event loop against nginx, h2o and lighttpd (bench/server/): the
# driver pins the servers to one CPU and wrk to the other, alternates the servers run by run
# and writes JSON; the report turns it into the server section and the concurrency plot.
run_server() {
  local build=build/release results=build/release/bench-results
  mkdir -p "$results"
  cmake --preset release >/dev/null
  cmake --build "$build" --target httpfsm-server -j2
  describe_machine nginx h2o lighttpd wrk >"$results/server-machine.tsv"
  log "server: $server_rounds rounds x ${server_seconds}s per run"
  # shellcheck disable=SC2086 # the concurrency lists are meant to split
  python3 bench/server/run_server_bench.py --httpfsm "$build/server/httpfsm-server" \
    --out "$results/server.json" --seconds "$server_seconds" --rounds "$server_rounds" \
    --concurrency $server_concurrency --idle "$server_idle" \
    --rss-connections "$server_rss_connections" --close-concurrency $server_close_concurrency
  printf 'load_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/server-machine.tsv"
  python3 bench/report/bench_report.py server --machine "$results/server-machine.tsv" \
    --results "$results/server.json" --plot-dir "$results" --doc "$doc"
  gnuplot -e "datafile='$results/server_concurrency.dat'; outfile='docs/server_concurrency.svg'" \
    bench/report/server_concurrency.gp
  log "updated $doc and docs/server_concurrency.svg"
}

# The TLS benchmark (bench/server/run_tls_bench.py): one certificate for all servers, the
# wall-clock runs (docs/PERFORMANCE.md's generated "tls" section and docs/tls_throughput.svg),
# then instructions per full and resumed handshake under callgrind (JSON; that table is
# written from it by hand).
run_tls() {
  local build=build/release results=build/release/bench-results
  mkdir -p "$results"
  cmake --preset release >/dev/null
  cmake --build "$build" --target httpfsm-server -j2
  describe_machine nginx h2o lighttpd wrk openssl >"$results/tls-machine.tsv"
  python3 bench/server/run_tls_bench.py --httpfsm "$build/server/httpfsm-server" \
    --out "$results/tls.json" --seconds "$server_seconds" --rounds "$server_rounds"
  printf 'load_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/tls-machine.tsv"
  python3 bench/report/bench_report.py tls --machine "$results/tls-machine.tsv" \
    --results "$results/tls.json" --plot-dir "$results" --doc "$doc"
  gnuplot -e "datafile='$results/tls_throughput.dat'; outfile='docs/tls_throughput.svg'" \
    bench/report/tls_throughput.gp
  python3 bench/server/run_tls_bench.py --httpfsm "$build/server/httpfsm-server" \
    --out "$results/tls-callgrind.json" --callgrind "$callgrind_iterations"
  log "updated $doc \"TLS\" and docs/tls_throughput.svg; wrote $results/tls-callgrind.json"
}

case "${1:-}" in
  parser | ragel-styles | server | all | tls) ci/deps.sh bench ;;
  *)
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
case "$1" in
  parser) run_parser ;;
  ragel-styles) run_ragel_styles ;;
  server) run_server ;;
  tls) run_tls ;;
  all)
    run_parser
    run_ragel_styles
    run_server
    ;;
esac
