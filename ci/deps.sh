#!/usr/bin/env bash
# Installs the Debian packages httpfsm needs, and only those missing. Non-interactive.
#   ci/deps.sh build   compiler, CMake, Ninja, Ragel, zlib
#   ci/deps.sh test    build + everything the test suites use
#   ci/deps.sh bench   test + the peer servers and load generator of ci/bench.sh
#   ci/deps.sh nginx   test + nginx, for the side-by-side run of ci/conformance-nginx.sh
#   ci/deps.sh cross   build + the aarch64 cross compiler and qemu-user (ci/cross-arm64.sh)
set -euo pipefail

build=(g++ cmake ninja-build ragel zlib1g-dev pkg-config libssl-dev)
test=("${build[@]}" libgtest-dev librapidcheck-dev libbenchmark-dev clang clang-format
      libclang-rt-14-dev llvm node-llhttp libhttp-parser-dev libh2o-dev
      python3 python3-pytest python3-requests python3-h11 curl procps chromium openssl)
# WebSocket's real client (conformance/test_websocket*.py); chromium, above, is the browser.
test+=(python3-websockets)
test+=(haproxy)  # conformance/test_haproxy.py: the load-balancer pair
bench=("${test[@]}" wrk nginx h2o lighttpd valgrind gnuplot-nox util-linux nghttp2-client testssl.sh)
bench+=(lighttpd-mod-openssl)  # bench/server/run_tls_bench.py: lighttpd over TLS
cross=("${build[@]}" libgtest-dev g++-aarch64-linux-gnu qemu-user)
nginx=("${test[@]}" nginx)

case "${1:-test}" in
  build) wanted=("${build[@]}") ;;
  test) wanted=("${test[@]}") ;;
  bench) wanted=("${bench[@]}") ;;
  cross) wanted=("${cross[@]}") ;;
  nginx) wanted=("${nginx[@]}") ;;
  *) echo "usage: ci/deps.sh build|test|bench|cross|nginx" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "ci/deps.sh: installing ${missing[*]}"
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
