#!/usr/bin/env bash
# WebSocket echo throughput: httpfsm-server's /ws/echo against Node's `ws` package, the same
# client (ws_echo_client.cc) for both, 64 B and 64 KiB binary messages, short runs.
#   bench/websocket/ws_echo_bench.sh [SECONDS]      (default 5 per run; HTTPFSM_SERVER=path
#                                                    picks another httpfsm-server build)
# Needs a release build of httpfsm-server (cmake --preset release; cmake --build --preset
# release --target httpfsm-server), node and npm. `ws` is installed with npm into a scratch
# directory under $TMPDIR, never into the tree. Servers listen on 127.0.0.1 and are stopped by
# PID. Prints messages/s per server and the ratio httpfsm / ws.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-5}
server=${HTTPFSM_SERVER:-build/release/server/httpfsm-server}
[[ -x "$server" ]] || { echo "build $server first (release preset)" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "needs node and npm" >&2; exit 2; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/httpfsm-wsbench-XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

(cd "$scratch" && timeout 180 npm install --silent --no-audit --no-fund ws@8 >/dev/null)
c++ -std=c++20 -O2 -pthread bench/websocket/ws_echo_client.cc -o "$scratch/client"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on $1" >&2; exit 1
}

hport=$(free_port)
"$server" --port "$hport" --log off 2>/dev/null &
pids+=($!)
nport=$(free_port)
NODE_PATH="$scratch/node_modules" node bench/websocket/node_ws_echo.js "$nport" 2>/dev/null &
pids+=($!)
wait_port "$hport"
wait_port "$nport"

run() {  # name port size connections window -> messages/s
  timeout $((seconds + 30)) "$scratch/client" 127.0.0.1 "$2" /ws/echo "$3" "$4" "$5" "$seconds" |
    awk '{print $2}'
}
printf '%-28s %14s %14s %8s\n' "case" "httpfsm msg/s" "ws msg/s" "ratio"
for spec in "64 4 16" "65536 4 1"; do
  read -r size conns window <<<"$spec"
  h=$(run httpfsm "$hport" "$size" "$conns" "$window")
  n=$(run ws "$nport" "$size" "$conns" "$window")
  printf '%-28s %14s %14s %8.2f\n' "${size} B, ${conns} conns, window ${window}" "$h" "$n" \
    "$(awk -v a="$h" -v b="$n" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done
