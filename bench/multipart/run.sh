#!/usr/bin/env bash
# Multipart parsing throughput, httpfsm against npm busboy and @fastify/busboy, in one run on
# the same bytes; then callgrind instructions per body byte for httpfsm.
#   bench/multipart/run.sh [BUILD_DIR] [RUNS]     (default build/release, 20 runs)
# The npm peers are installed under BUILD_DIR/bench-npm (never committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
runs=${2:-20}
bench=$build/bench/httpfsm-bench-multipart
[[ -x $bench ]] || { echo "build $bench first (cmake --build $build --target httpfsm-bench-multipart)" >&2; exit 2; }
npm_dir=$build/bench-npm
if [[ ! -d $npm_dir/node_modules/busboy || ! -d $npm_dir/node_modules/@fastify/busboy ]]; then
  mkdir -p "$npm_dir"
  npm install --prefix "$npm_dir" --no-audit --no-fund busboy@1 @fastify/busboy@3 >/dev/null
fi
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$bench" --write "$data"
echo "node $(node --version), busboy $(node -p "require('$PWD/$npm_dir/node_modules/busboy/package.json').version"), @fastify/busboy $(node -p "require('$PWD/$npm_dir/node_modules/@fastify/busboy/package.json').version")"
"$bench" --runs "$runs" | tee "$data/httpfsm.txt"
NODE_PATH=$npm_dir/node_modules node bench/multipart/busboy_bench.js "$data" "$runs" | tee "$data/peers.txt"
echo "ratios (httpfsm / peer, MB/s):"
awk '
  FNR == NR { mine[$2] = $3; next }
  { printf "  %-10s vs %-15s %6.1fx\n", $2, $1, mine[$2] / $3 }
' "$data/httpfsm.txt" "$data/peers.txt"
if command -v valgrind >/dev/null; then
  for shape in few_large many_small; do
    # Only the parse is counted (the body is built outside the toggled function).
    ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
           --toggle-collect=httpfsm_bench_multipart_parse "$bench" --once $shape 2>&1 |
         sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
    size=$(stat -c %s "$data/$shape.body")
    awk -v ir="$ir" -v n="$size" -v s=$shape \
      'BEGIN { printf "callgrind %-10s %d instructions, %.3f per body byte\n", s, ir, ir / n }'
  done
fi
