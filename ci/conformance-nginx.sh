#!/usr/bin/env bash
# Side by side with nginx: runs the raw-socket cases of conformance/cases.py (request-line,
# fields, framing, chunked, smuggling) against httpfsm-server (dev build) and against Debian's
# nginx, both on 127.0.0.1, and writes docs/CONFORMANCE.md with both answers and, wherever they
# differ, which follows the RFC. nginx runs as the current user from a configuration generated
# into a temporary directory (its own pid, error and access log and temp paths), in the
# foreground in the background of this script, and is stopped by its PID.
#
#   ci/conformance-nginx.sh            # writes docs/CONFORMANCE.md
set -euo pipefail
cd "$(dirname "$0")/.."

ci/deps.sh nginx
cmake --preset dev >/dev/null
cmake --build --preset dev --target httpfsm-server
python=/usr/bin/python3
[[ -x $python ]] || python=python3
nginx=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
nginx_pid=
cleanup() {
  if [[ -n $nginx_pid ]] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -TERM "$nginx_pid"
    for _ in $(seq 100); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$nginx_pid" 2>/dev/null && kill -KILL "$nginx_pid"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

write_config() {  # $1: public port, $2: the upstream block's port
  local user=
  # As root, nginx would switch its worker to "nobody"; keep it the current user.
  [[ $(id -u) -eq 0 ]] && user="user $(id -un) $(id -gn);"
  mkdir -p "$work/temp"
  cat > "$work/nginx.conf" <<CONF
$user
daemon off;
master_process on;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log info;
events { worker_connections 256; }
http {
  access_log $work/access.log;
  client_body_temp_path $work/temp/body;
  proxy_temp_path $work/temp/proxy;
  fastcgi_temp_path $work/temp/fastcgi;
  uwsgi_temp_path $work/temp/uwsgi;
  scgi_temp_path $work/temp/scgi;
  server {
    listen 127.0.0.1:$1;
    location / { return 200 "ok\n"; }
    # Bodies are read and decoded by the proxy module before the upstream is asked, as an
    # upload to httpfsm's /files/{name} is.
    location /files/ { proxy_pass http://127.0.0.1:$2; }
  }
  server {
    listen 127.0.0.1:$2;
    location / { return 201 ""; }
  }
}
CONF
}

# A free port may be taken between choosing it and nginx binding it: try a few times.
port=
for attempt in 1 2 3 4 5; do
  candidate=$(free_port)
  upstream=$(free_port)
  write_config "$candidate" "$upstream"
  "$nginx" -p "$work" -e "$work/error.log" -c "$work/nginx.conf" &
  nginx_pid=$!
  for _ in $(seq 100); do
    if ! kill -0 "$nginx_pid" 2>/dev/null; then break; fi
    if "$python" -c "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=1).close()" \
         "$candidate" 2>/dev/null; then
      port=$candidate
      break
    fi
    sleep 0.1
  done
  [[ -n $port ]] && break
  echo "ci/conformance-nginx.sh: nginx did not start on port $candidate (attempt $attempt)" >&2
  if kill -0 "$nginx_pid" 2>/dev/null; then kill -TERM "$nginx_pid"; fi
  wait "$nginx_pid" || true
  nginx_pid=
done
if [[ -z $port ]]; then
  cat "$work/error.log" >&2 || true
  exit 1
fi

version=$("$nginx" -v 2>&1 | sed 's/^nginx version: //')
HTTPFSM_SERVER=$PWD/build/dev/server/httpfsm-server PYTHONDONTWRITEBYTECODE=1 \
  "$python" conformance/compare_nginx.py --nginx-port "$port" --nginx-version "$version" \
  --output docs/CONFORMANCE.md
